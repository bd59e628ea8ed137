"""Activities and the party timeline: notes, tasks, surveys; newest first;
pagination; changes with If-Match; input that must be refused."""

import unittest

from harness import ApiTestCase, describe, etag, q, word


class ActivityTest(ApiTestCase):
    def act(self, pids, **kw):
        body = {"type": "note", "domain": "sales", "subject": "Onderwerp " + word(4),
                "parties": pids}
        body.update(kw)
        return self.ok("POST", "/api/v1/activities", body, 201)

    def timeline(self, pid, **params):
        return self.ok("GET", "/api/v1/parties/%d/timeline" % pid + (q(**params) if params else ""))

    def test_note_round_trip(self):
        p = self.create_party()
        h, a = self.ok_h("POST", "/api/v1/activities",
                         {"type": "note", "domain": "sales", "subject": "Eerste contact",
                          "body": "Belde over een offerte.\nTerugbellen.", "parties": [p["id"]]},
                         201)
        self.assertEqual(h.get("Location"), "/api/v1/activities/%d" % a["id"])
        for k, v in (("type", "note"), ("domain", "sales"), ("subject", "Eerste contact"),
                     ("body", "Belde over een offerte.\nTerugbellen."), ("parties", [p["id"]])):
            self.assertEqual(a[k], v, k)
        self.assertRegex(a["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        h2, got = self.ok_h("GET", "/api/v1/activities/%d" % a["id"])
        self.assertEqual(got, a)
        self.assertEqual(h2["ETag"], etag(a["version"]))

    def test_task_done_with_if_match(self):
        p = self.create_party()
        t = self.act([p["id"]], type="task", domain="hr", subject="Contract verlengen",
                     due="2030-02-01")
        self.assertFalse(t["done"])
        self.assertEqual(t["due"], "2030-02-01")
        path = "/api/v1/activities/%d" % t["id"]
        got = self.ok("PATCH", path, {"done": True}, headers={"If-Match": etag(t["version"])})
        self.assertTrue(got["done"])
        self.assertEqual(got["version"], t["version"] + 1)
        before = self.ok("GET", path)
        self.problem("PATCH", path, {"done": False}, status=412,
                     headers={"If-Match": etag(t["version"])})
        self.assertEqual(self.ok("GET", path), before)

    def test_task_due_as_date_time(self):
        p = self.create_party()
        t = self.act([p["id"]], type="task", due="2030-02-01T09:30:00+01:00")
        self.assertEqual(t["due"], "2030-02-01T08:30:00Z")

    def test_timeline_newest_first_by_at(self):
        p = self.create_party()
        mid = self.act([p["id"]], at="2025-02-01T10:00:00Z", subject="midden")
        old = self.act([p["id"]], at="2025-01-01T10:00:00Z", subject="oud")
        new = self.act([p["id"]], at="2025-03-01T10:00:00Z", subject="nieuw")
        tl = self.timeline(p["id"])
        self.assertEqual([a["id"] for a in tl["items"]], [new["id"], mid["id"], old["id"]])
        self.assertIsNone(tl["next"])

    def test_timeline_pagination(self):
        p = self.create_party()
        made = [self.act([p["id"]], at="2024-%02d-01T12:00:00Z" % (1 + i % 12),
                         subject="item %d" % i)["id"] for i in range(11)]
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": "3"}
            if cursor:
                params["cursor"] = cursor
            tl = self.timeline(p["id"], **params)
            pages += 1
            seen.extend(tl["items"])
            cursor = tl["next"]
            if not cursor:
                break
            self.assertLess(pages, 20)
        ids = [a["id"] for a in seen]
        self.assertEqual(len(ids), len(set(ids)), "duplicates across timeline pages")
        self.assertEqual(sorted(ids), sorted(made))
        keys = [(a["at"], a["id"]) for a in seen]
        self.assertEqual(keys, sorted(keys, reverse=True))
        self.assertEqual(pages, 4)
        self.problem("GET", "/api/v1/parties/%d/timeline" % p["id"] + q(cursor="garbage"),
                     status=400, field="cursor")
        self.problem("GET", "/api/v1/parties/%d/timeline?limit=0" % p["id"], status=400,
                     field="limit")

    def test_activity_on_two_parties_shows_in_both_timelines(self):
        a, b = self.create_party(), self.create_party(kind="organization")
        m = self.act([a["id"], b["id"]], type="meeting", subject="Kennismaking")
        self.assertEqual(sorted(m["parties"]), sorted([a["id"], b["id"]]))
        self.assertIn(m["id"], [x["id"] for x in self.timeline(a["id"])["items"]])
        self.assertIn(m["id"], [x["id"] for x in self.timeline(b["id"])["items"]])

    def test_survey_score(self):
        p = self.create_party()
        s = self.act([p["id"]], type="survey", subject="NPS", score=9)
        self.assertEqual(s["score"], 9)

    def test_delete(self):
        p = self.create_party()
        a = self.act([p["id"]])
        path = "/api/v1/activities/%d" % a["id"]
        self.ok("PATCH", path, {"subject": "gewijzigd"})
        self.problem("DELETE", path, status=412, headers={"If-Match": etag(1)})
        st, _, _ = self.client.raw("DELETE", path)
        self.assertEqual(st, 204, describe(self.client))
        self.problem("GET", path, status=404)
        self.assertEqual(self.timeline(p["id"])["items"], [])

    def test_list_filters(self):
        p = self.create_party()
        note = self.act([p["id"]], type="note", domain="pr")
        task = self.act([p["id"]], type="task", domain="pr")
        tasks = [a["id"] for a in self.ok("GET", "/api/v1/activities?type=task&limit=500")["items"]]
        self.assertIn(task["id"], tasks)
        self.assertNotIn(note["id"], tasks)
        pr = [a["id"] for a in self.ok("GET", "/api/v1/activities?domain=pr&limit=500")["items"]]
        self.assertIn(task["id"], pr)
        self.assertIn(note["id"], pr)
        open_ = [a["id"] for a in
                 self.ok("GET", "/api/v1/activities?type=task&done=false&limit=500")["items"]]
        self.assertIn(task["id"], open_)

    def test_timeline_of_missing_party_is_404(self):
        self.problem("GET", "/api/v1/parties/99999999/timeline", status=404)
        self.problem("GET", "/api/v1/activities/99999999", status=404)


class ActivityBadInputTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        if not hasattr(type(self), "p"):
            type(self).p = self.create_party()

    def count(self):
        tl = self.ok("GET", "/api/v1/parties/%d/timeline?limit=500" % self.p["id"])
        everything = self.ok("GET", "/api/v1/activities?limit=500")
        return len(tl["items"]), len(everything["items"])

    def body(self, **kw):
        b = {"type": "note", "domain": "sales", "subject": "Test", "parties": [self.p["id"]]}
        b.update(kw)
        return {k: v for k, v in b.items() if v is not ...}

    def refused(self, body, status, field=None):
        before = self.count()
        v = self.get_party(self.p["id"])["version"]
        js = self.problem("POST", "/api/v1/activities", body, status, field)
        self.assertEqual(self.count(), before, "a refused activity was stored")
        self.assertEqual(self.get_party(self.p["id"])["version"], v)
        return js

    def test_unknown_type_and_domain(self):
        self.refused(self.body(type="telepathy"), 422, "type")
        self.refused(self.body(domain="space"), 422, "domain")
        self.refused(self.body(type=...), (400, 422), "type")
        self.refused(self.body(domain=...), (400, 422), "domain")

    def test_parties_checked(self):
        self.refused(self.body(parties=[]), 422, "parties")
        self.refused(self.body(parties=...), (400, 422), "parties")
        self.refused(self.body(parties=[99999999]), 422, "parties[0]")
        self.refused(self.body(parties=[self.p["id"], 99999999]), 422, "parties[1]")
        self.refused(self.body(parties=["1"]), (400, 422), "parties[0]")
        self.refused(self.body(parties=self.p["id"]), (400, 422), "parties")
        self.refused(self.body(parties=list(range(1, 1000))), 422, "parties")
        # a task or meeting of one's own (as made in a calendar app) may have none; a call not
        self.refused(self.body(type="call", parties=[]), 422, "parties")
        for t in ("task", "meeting"):
            a = self.ok("POST", "/api/v1/activities", self.body(type=t, parties=[],
                                                                due="2027-01-05"), 201)
            self.assertEqual(a["parties"], [])
            self.ok("DELETE", "/api/v1/activities/%d" % a["id"], status=204)

    def test_subject_required_and_bounded(self):
        self.refused(self.body(subject=...), (400, 422), "subject")
        self.refused(self.body(subject="   "), 422, "subject")
        self.refused(self.body(subject="x" * 10000), 422, "subject")
        self.refused(self.body(body="x" * 200000), 422, "body")

    def test_dates(self):
        for bad in ("2023-02-30", "1800-01-01", "tomorrow", "2023-02-28T25:00:00Z"):
            with self.subTest(due=bad):
                self.refused(self.body(type="task", due=bad), 422, "due")
        for bad in ("2023-02-30T10:00:00Z", "1800-01-01T00:00:00Z", "now", "2024-13-01T10:00Z"):
            with self.subTest(at=bad):
                self.refused(self.body(at=bad), 422, "at")

    def test_fields_that_do_not_fit_the_type(self):
        self.refused(self.body(type="note", due="2030-01-01"), 422, "due")
        self.refused(self.body(type="note", score=5), 422, "score")
        self.refused(self.body(type="survey", score=11), 422, "score")
        self.refused(self.body(type="survey", score="9"), (400, 422), "score")
        self.refused(self.body(type="task", done="yes"), (400, 422), "done")
        self.refused(self.body(type="task", assignee=99999), 422, "assignee")

    def test_unknown_field_and_malformed(self):
        self.refused(self.body(colour="red"), 422, "colour")
        self.refused("{", 400)
        self.refused("[]", 400)

    def test_refused_patch_changes_nothing(self):
        a = self.ok("POST", "/api/v1/activities", self.body(type="task"), 201)
        path = "/api/v1/activities/%d" % a["id"]
        before = self.ok("GET", path)
        for body, field in (({"due": "2023-02-30"}, "due"), ({"subject": ""}, "subject"),
                            ({"parties": [99999999]}, "parties[0]"), ({"colour": 1}, "colour"),
                            ({"type": "telepathy"}, "type")):
            with self.subTest(field=field):
                self.problem("PATCH", path, body, status=(400, 422), field=field)
                self.assertEqual(self.ok("GET", path), before)


if __name__ == "__main__":
    unittest.main()
