"""Press releases and neighbour letters: the embargo (before it only pr
writers see a release, in lists, timelines, search and single reads; from
it everyone with pr read), sending to a segment at the embargo with the fake
clock, may_email respected, and the mail-merge export of the recipients."""

import unittest

from clock import ClockTestCase
from harness import word

T0 = "2026-12-06T09:00:00Z"
EMBARGO = "2026-12-07T06:00:00Z"
LATER = "2026-12-08T09:00:00Z"


class PressTest(ClockTestCase):
    NOW = T0

    def restart_at(self, now):
        """The same database, the business clock at now."""
        srv = type(self).server
        type(self).client.close()
        srv.stop()
        srv.env["XRM_NOW"] = now
        srv.start()
        type(self).client = srv.client()

    def consent(self, pid):
        self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                {"purpose": "newsletter", "granted": True, "source": "formulier"}, 201)

    def test_embargo_and_send(self):
        tag = "pers" + word()
        word_in_text = "kadeonthulling" + word()
        org_tag = "kade" + word()
        org = self.create_party(kind="organization", name="Bouwbedrijf " + word(),
                                tags=[org_tag])["id"]
        press = [self.create_party(family_name="Journalist " + word(), tags=[tag])["id"]
                 for _ in range(3)]
        for pid in press[:2]:
            self.consent(pid)
        seg = self.ok("POST", "/api/v1/segments", {"name": "Media " + word(),
                                                   "query": "tag:" + tag}, 201)["id"]
        comms = self.user({"pr": "write", "sales": "read"})
        sales = self.user({"sales": "write", "pr": "read"})
        release = self.ok("POST", "/api/v1/activities", {
            "type": "press_release", "domain": "pr", "subject": "Eerste paal De Kade",
            "body": "Vandaag de " + word_in_text, "parties": [org], "embargo": EMBARGO,
            "segment": seg}, 201, token=comms)
        rid = release["id"]
        self.assertEqual(release["embargo"], EMBARGO)
        self.assertIsNone(release["sent_at"])

        def seen_by(token):
            single = self.req("GET", "/api/v1/activities/%d" % rid, token=token)[0] == 200
            listed = rid in [a["id"] for a in self.ok(
                "GET", "/api/v1/activities?type=press_release&limit=500", token=token)["items"]]
            timeline = rid in [a["id"] for a in self.ok(
                "GET", "/api/v1/parties/%d/timeline" % org, token=token)["items"]]
            view = rid in [a["id"] for a in self.ok(
                "GET", "/api/v1/parties/%d/view" % org, token=token)["timeline"]]
            found = org in [p["id"] for p in self.ok(
                "GET", "/api/v1/parties?q=" + word_in_text, token=token)["items"]]
            return single, listed, timeline, view, found

        def idle(token):
            """idle:30d, a value derived from the timeline, counts what the reader may see."""
            return org in [p["id"] for p in self.ok(
                "GET", "/api/v1/parties?q=tag:%s%%20idle:30d" % org_tag, token=token)["items"]]

        # before the embargo: the pr writer sees it everywhere, sales (pr read) nowhere
        self.assertEqual(seen_by(comms), (True,) * 5)
        self.assertEqual(seen_by(sales), (False,) * 5)
        self.assertEqual((idle(comms), idle(sales)), (False, True))
        # ... and it cannot be sent yet
        self.problem("POST", "/api/v1/activities/%d/send" % rid, None, 409, token=comms)
        pre = self.ok("GET", "/api/v1/activities/%d/recipients" % rid, token=comms)
        self.assertEqual((pre["pending"], pre["skipped"], pre["sent"]), (2, 1, 0))

        # the clock passes the embargo: sales sees it too
        self.restart_at(LATER)
        self.assertEqual(seen_by(sales), (True,) * 5)
        self.assertFalse(idle(sales))
        self.problem("POST", "/api/v1/activities/%d/send" % rid, None, 403, token=sales)
        res = self.ok("POST", "/api/v1/activities/%d/send" % rid, None, 200, token=comms)
        self.assertEqual(res, {"sent": 2, "skipped": 1, "at": LATER})
        got = self.ok("GET", "/api/v1/activities/%d/recipients" % rid, token=sales)
        by_party = {r["party"]: r for r in got["items"]}
        self.assertEqual({p: by_party[p]["status"] for p in press},
                         {press[0]: "sent", press[1]: "sent", press[2]: "skipped"})
        self.assertEqual(by_party[press[2]]["reason"], "may_email")
        # logged on each recipient's timeline, not on the one without may_email
        for pid, logged in zip(press, (True, True, False)):
            items = self.ok("GET", "/api/v1/parties/%d/timeline" % pid, token=sales)["items"]
            self.assertEqual(["Eerste paal De Kade" in a["subject"] and
                              a["type"] == "press_release" for a in items], [True] if logged
                             else [], pid)
        self.assertEqual(self.ok("GET", "/api/v1/activities/%d" % rid)["sent_at"], LATER)
        # sent once
        self.problem("POST", "/api/v1/activities/%d/send" % rid, None, 409, token=comms)
        # the mail merge
        st, headers, raw = self.client.raw("GET", "/api/v1/activities/%d/recipients.csv" % rid,
                                           token=comms)
        self.assertEqual(st, 200)
        text = raw.decode("utf-8-sig")
        lines = text.strip().split("\r\n")
        self.assertEqual(lines[0], "name;email;street;house_number;postcode;city;status;reason")
        self.assertEqual(len(lines), 4)
        self.assertEqual(sorted(line.split(";")[-2] for line in lines[1:]),
                         ["sent", "sent", "skipped"])

    def test_embargo_rules(self):
        org = self.create_party()["id"]
        base = {"type": "press_release", "domain": "pr", "subject": "Bericht",
                "parties": [org]}
        self.problem("POST", "/api/v1/activities", dict(base, embargo="morgen"), 422,
                     field="embargo")
        self.problem("POST", "/api/v1/activities", dict(base, domain="sales",
                                                        embargo=EMBARGO), 422, field="embargo")
        self.problem("POST", "/api/v1/activities", dict(base, type="note", embargo=EMBARGO),
                     422, field="embargo")
        self.problem("POST", "/api/v1/activities", dict(base, segment=999999), 422,
                     field="segment")
        letter = self.ok("POST", "/api/v1/activities", dict(base, type="letter"), 201)
        self.assertIsNone(letter["embargo"])
        # a release without a segment cannot be sent
        self.problem("POST", "/api/v1/activities/%d/send" % letter["id"], None, 422,
                     field="segment")
        note = self.ok("POST", "/api/v1/activities", dict(base, type="note"), 201)
        self.problem("POST", "/api/v1/activities/%d/send" % note["id"], None, 404)


if __name__ == "__main__":
    unittest.main()
