"""Press releases and letters under embargo in the lists of a record's
activities: a case made from a release lists it among its messages (the
source activity); before the embargo a sales user (pr read) sees the case's
other messages but not the release, from the embargo on it sees it too, as
in the activities list, the timeline, the 360 view and search
(test_press.py). The list of a deal or agreement is the same code
(xrm_records_activities)."""

import unittest

from clock import ClockTestCase
from harness import word

T0 = "2026-12-06T09:00:00Z"
EMBARGO = "2026-12-07T06:00:00Z"
LATER = "2026-12-08T09:00:00Z"


class EmbargoInRecordLists(ClockTestCase):
    NOW = T0

    def restart_at(self, now):
        srv = type(self).server
        type(self).client.close()
        srv.stop()
        srv.env["XRM_NOW"] = now
        srv.start()
        type(self).client = srv.client()

    def setUp(self):
        if type(self).server.env["XRM_NOW"] != T0:  # each test starts before the embargo
            self.restart_at(T0)

    def test_case_messages_hide_a_release_under_embargo(self):
        comms = self.user({"pr": "write", "sales": "write"})
        sales = self.user({"sales": "write", "pr": "read"})
        org = self.create_party(kind="organization", name="Omwonenden " + word())["id"]
        release = self.ok("POST", "/api/v1/activities", {
            "type": "press_release", "domain": "pr", "subject": "Hoogste punt " + word(),
            "body": "Onder embargo", "parties": [org], "embargo": EMBARGO}, 201,
            token=comms)["id"]
        case = self.ok("POST", "/api/v1/cases", {"from_activity": release}, 201,
                       token=comms)["id"]
        note = self.ok("POST", "/api/v1/cases/%d/messages" % case,
                       {"body": "Intern overleg", "internal": True}, 201, token=comms)["id"]

        def messages(token):
            return [a["id"] for a in self.ok("GET", "/api/v1/cases/%d/messages" % case,
                                             token=token)["items"]]

        # before the embargo: the pr writer sees both, sales only the note (not a 404)
        self.assertEqual(sorted(messages(comms)), sorted([release, note]))
        self.assertEqual(messages(sales), [note])
        # from the embargo on, sales sees the release too
        self.restart_at(LATER)
        self.assertEqual(sorted(messages(sales)), sorted([release, note]))

    def test_a_reader_of_every_domain_without_pr_write(self):
        """idle: (a value derived from the timeline) leaves a release under embargo out for
        someone who reads every domain but does not write pr, like for sales."""
        comms = self.user({"pr": "write", "sales": "read"})
        auditor = self.user({d: "read" for d in ("sales", "hr", "partners", "purchasing", "pr")})
        tag = "buren" + word()
        org = self.create_party(kind="organization", name="Buren " + word(), tags=[tag])["id"]
        self.ok("POST", "/api/v1/activities", {
            "type": "letter", "domain": "pr", "subject": "Bewonersbrief " + word(),
            "parties": [org], "embargo": EMBARGO}, 201, token=comms)

        def idle(token):
            return org in [p["id"] for p in self.ok(
                "GET", "/api/v1/parties?q=tag:%s%%20idle:30d" % tag, token=token)["items"]]

        self.assertEqual((idle(comms), idle(auditor)), (False, True))
        self.restart_at(LATER)
        self.assertEqual((idle(comms), idle(auditor)), (False, False))


if __name__ == "__main__":
    unittest.main()
