"""Sick leave after the Wet verbetering poortwachter: a sick report makes the
dated tasks of the law (a table test of the due dates), assigned to the
reporter or the one named, on the employee's timeline for HR only; recovery
deletes the steps that had not become due; admins change the table."""

import unittest

from hr_absence_base import AbsenceBase, days

# (week, code) of the default table, evaluations every 6 weeks from week 14 to 50
DEFAULT_WEEKS = [1, 6, 8, 14, 20, 26, 32, 38, 42, 44, 50, 52, 91, 104]


class PoortwachterTest(AbsenceBase):
    def tasks(self, aid, who=None):
        return self.ok("GET", "/api/v1/absences/%d/tasks" % aid,
                       token=self.tok[who] if who else self.token)["items"]

    def test_due_dates_table(self):
        # (sick from, {week: due date}): the first sick day is day 1 of week 1
        table = [
            ("2026-03-02", {1: "2026-03-08", 6: "2026-04-12", 8: "2026-04-26",
                            14: "2026-06-07", 42: "2026-12-20", 52: "2027-02-28",
                            91: "2027-11-28", 104: "2028-02-27"}),
            ("2026-12-30", {1: "2027-01-05", 6: "2027-02-09", 42: "2027-10-19",
                            104: "2028-12-26"}),
            ("2028-02-29", {1: "2028-03-06", 52: "2029-02-26"}),
        ]
        for start, expect in table:
            with self.subTest(start=start):
                pid = self.employee()
                a = self.absence(pid, "sick", **{"from": start})
                got = self.tasks(a["id"])
                self.assertEqual(len(got), len(DEFAULT_WEEKS))
                dues = [t["due"] for t in got]
                self.assertEqual(dues, [days(start, 7 * w - 1) for w in DEFAULT_WEEKS])
                for week, due in expect.items():
                    self.assertIn(due, dues, "week %d" % week)
                    t = got[DEFAULT_WEEKS.index(week)]
                    self.assertEqual(t["due"], due)
                    self.assertIn("week %d" % week, t["subject"])
                self.assertTrue(all(not t["done"] for t in got))

    def test_tasks_are_hr_tasks_of_the_reporter_or_assignee(self):
        pid = self.employee()
        a = self.absence(pid, "sick", token=self.tok["hrwrite"], **{"from": "2026-03-09"})
        got = self.tasks(a["id"])
        self.assertEqual({t["assignee"] for t in got}, {self.uid["hrwrite"]})
        act = self.ok("GET", "/api/v1/activities/%d" % got[0]["id"])
        self.assertEqual((act["type"], act["domain"], act["parties"]), ("task", "hr", [pid]))
        # Dutch subjects for a Dutch reporter, another assignee when named
        st, _, b = self.client.req("POST", "/api/v1/absences",
                                   {"party": pid, "kind": "sick", "from": "2026-01-05",
                                    "until": "2026-01-06", "assignee": self.uid["hrfull"]},
                                   headers={"Accept-Language": "nl"})
        self.assertEqual(st, 201, b)
        # a sickness of two days: every step lay after the recovery
        self.assertEqual(self.tasks(b["id"]), [])
        # one open sick report at a time
        self.problem("POST", "/api/v1/absences", {"party": pid, "kind": "sick", "from": "2026-03-10"},
                     status=409, field="from")
        pid2 = self.employee()
        c = self.absence(pid2, "sick", assignee=self.uid["hrfull"], **{"from": "2026-03-10"})
        self.assertEqual({t["assignee"] for t in self.tasks(c["id"])}, {self.uid["hrfull"]})
        # the timeline shows them to HR, not to sales
        tl = self.as_("hrread", "GET", "/api/v1/parties/%d/timeline?limit=100" % pid2)["items"]
        self.assertTrue(any(x["subject"].startswith("Poortwachter week 1:") for x in tl))
        tl = self.as_("sales", "GET", "/api/v1/parties/%d/timeline?limit=100" % pid2)["items"]
        self.assertFalse(any("Poortwachter" in (x.get("subject") or "") for x in tl))
        self.as_("sales", "GET", "/api/v1/absences/%d/tasks" % c["id"], status=404)

    def test_recovery_deletes_the_steps_not_yet_due(self):
        pid = self.employee()
        a = self.absence(pid, "sick", **{"from": "2026-01-05"})  # week 11 today
        before = self.tasks(a["id"])
        first = before[0]
        self.ok("PATCH", "/api/v1/activities/%d" % first["id"], {"done": True})
        self.as_("hrread", "POST", "/api/v1/absences/%d/recover" % a["id"], {}, status=403)
        got = self.as_("hrwrite", "POST", "/api/v1/absences/%d/recover" % a["id"],
                       {"date": "2026-03-01"})
        self.assertEqual(got["until"], "2026-03-01")
        after = self.tasks(a["id"])
        # kept: week 1 (done), week 6 (due 15 Feb, still owed); deleted: week 8 (1 Mar is the
        # last sick day, due 1 Mar stays) and every later one
        self.assertEqual([t["due"] for t in after], ["2026-01-11", "2026-02-15", "2026-03-01"])
        self.assertTrue(after[0]["done"])
        gone = [t for t in before if t["due"] > "2026-03-01"]
        for t in gone:
            self.ok("GET", "/api/v1/activities/%d" % t["id"], status=404)
        # recovery before the start, or of leave, is refused
        b = self.absence(pid, "sick", **{"from": "2026-03-10"})
        self.problem("POST", "/api/v1/absences/%d/recover" % b["id"], {"date": "2026-03-01"},
                     field="date")
        lv = self.absence(pid, "leave", **{"from": "2026-05-04", "until": "2026-05-04"})
        self.problem("POST", "/api/v1/absences/%d/recover" % lv["id"], {}, status=409)
        # recovery by PATCH of until (today when no date)
        r = self.ok("POST", "/api/v1/absences/%d/recover" % b["id"])
        self.assertEqual(r["until"], "2026-03-16")
        self.assertEqual(len(self.tasks(b["id"])), 1)  # week 1, due 16 March

    def test_admins_change_the_table(self):
        steps = self.as_("hrread", "GET", "/api/v1/poortwachter-steps")["items"]
        self.assertEqual([s["code"] for s in steps][:3],
                         ["occupational_health", "problem_analysis", "plan_of_action"])
        ev = [s for s in steps if s["code"] == "evaluation"][0]
        self.assertEqual((ev["week"], ev["every_weeks"], ev["until_week"]), (14, 6, 50))
        self.as_("sales", "GET", "/api/v1/poortwachter-steps", status=403)
        new = [{"code": "occupational_health", "week": 1,
                "title": {"en": "Report", "nl": "Melding"}},
               {"code": "evaluation", "week": 4, "every_weeks": 4, "until_week": 12,
                "title": {"en": "Check", "nl": "Evaluatie"}}]
        self.as_("hrfull", "PUT", "/api/v1/poortwachter-steps", {"items": new}, status=403)
        self.problem("PUT", "/api/v1/poortwachter-steps",
                     {"items": [{"code": "Bad Code", "week": 0, "title": {"en": "x"}}]},
                     field="items[0].week")
        try:
            got = self.ok("PUT", "/api/v1/poortwachter-steps", {"items": new})["items"]
            self.assertEqual([(s["code"], s["week"]) for s in got],
                             [("occupational_health", 1), ("evaluation", 4)])
            pid = self.employee()
            a = self.absence(pid, "sick", **{"from": "2026-03-02"})
            self.assertEqual([t["due"] for t in self.tasks(a["id"])],
                             [days("2026-03-02", 7 * w - 1) for w in (1, 4, 8, 12)])
        finally:
            self.ok("PUT", "/api/v1/poortwachter-steps", {"items": steps})


if __name__ == "__main__":
    unittest.main()
