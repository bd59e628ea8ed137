"""Absences: sick leave, leave requests approved or rejected, only for
employees; what each HR access level sees (the sick note only with full
access, nothing for sales); who is away; the sickness percentage."""

import unittest

from harness import etag
from hr_absence_base import AbsenceBase


class AbsenceTest(AbsenceBase):
    def test_only_employees_have_absences(self):
        p = self.create_party(kind="person", given_name="Not", family_name="Staff")
        prob = self.problem("POST", "/api/v1/absences",
                            {"party": p["id"], "kind": "leave", "from": "2026-04-01",
                             "until": "2026-04-02"}, status=422, field="party")
        self.assertIn("employee", prob["errors"][0]["message"])

    def test_leave_request_approved_and_rejected(self):
        pid = self.employee(hours=36)
        a = self.absence(pid, "leave", **{"from": "2026-04-06", "until": "2026-04-10"})
        self.assertEqual(a["status"], "requested")
        self.assertEqual(a["hours"], 36)  # five working days of a 36-hour week
        self.assertEqual(a["domain"], "hr")
        # hr=read may see it but not approve it
        self.as_("hrread", "POST", "/api/v1/absences/%d/approve" % a["id"], status=403)
        got = self.as_("hrwrite", "POST", "/api/v1/absences/%d/approve" % a["id"])
        self.assertEqual(got["status"], "approved")
        self.as_("hrwrite", "POST", "/api/v1/absences/%d/approve" % a["id"], status=409)
        got = self.as_("hrwrite", "POST", "/api/v1/absences/%d/reject" % a["id"])
        self.assertEqual(got["status"], "rejected")
        # a day of a 36-hour week is 7.2 hours; hours given by hand win
        one = self.absence(pid, "leave", **{"from": "2026-04-14", "until": "2026-04-14"})
        self.assertAlmostEqual(one["hours"], 7.2)
        half = self.absence(pid, "leave", hours=3.5, **{"from": "2026-04-15", "until": "2026-04-15"})
        self.assertAlmostEqual(half["hours"], 3.5)
        # status is not a field one writes
        same = self.ok("PATCH", "/api/v1/absences/%d" % half["id"], {"status": "approved"})
        self.assertEqual(same["status"], "requested")

    def test_sick_leave_is_not_approved_and_stays_open(self):
        pid = self.employee()
        s = self.absence(pid, "sick", **{"from": "2026-03-10"})
        self.assertEqual(s["status"], "approved")
        self.assertIsNone(s["until"])
        self.problem("POST", "/api/v1/absences/%d/approve" % s["id"], status=409)
        # leave must end
        self.problem("POST", "/api/v1/absences",
                     {"party": pid, "kind": "leave", "from": "2026-05-01"}, field="until")
        self.problem("POST", "/api/v1/absences",
                     {"party": pid, "kind": "leave", "from": "2026-05-04", "until": "2026-05-01"},
                     field="until")
        # kind never changes
        self.problem("PATCH", "/api/v1/absences/%d" % s["id"], {"kind": "leave"}, field="kind")
        # no diagnosis field
        self.problem("POST", "/api/v1/absences",
                     {"party": pid, "kind": "sick", "from": "2026-03-11", "diagnosis": "flu"},
                     field="diagnosis")

    def test_sick_note_only_for_full_access(self):
        pid = self.employee()
        # hr=write may report sick, but not with a note
        self.problem("POST", "/api/v1/absences",
                     {"party": pid, "kind": "sick", "from": "2026-03-02", "note": "call Monday"},
                     status=403, field="note", token=self.tok["hrwrite"])
        s = self.absence(pid, "sick", token=self.tok["hrfull"], note="call Monday",
                         **{"from": "2026-03-02"})
        self.assertEqual(s["note"], "call Monday")
        path = "/api/v1/absences/%d" % s["id"]
        self.assertEqual(self.as_("hrfull", "GET", path)["note"], "call Monday")
        for who in ("hrread", "hrwrite"):
            got = self.as_(who, "GET", path)
            self.assertNotIn("note", got, who)
            listed = self.as_(who, "GET", "/api/v1/absences?party=%d" % pid)["items"]
            self.assertEqual([a["id"] for a in listed], [s["id"]])
            self.assertNotIn("note", listed[0], who)
            overview = self.as_(who, "GET", "/api/v1/absence/overview")
            for e in overview["sick"]:
                self.assertNotIn("note", e["absence"])
        # a patch by hr=write keeps the note it cannot see
        self.as_("hrwrite", "PATCH", path, {"hours": 16})
        self.assertEqual(self.as_("hrfull", "GET", path)["note"], "call Monday")
        # the audit trail does not tell the note either
        trail = self.as_("hrread", "GET", "/api/v1/audit?party=%d" % pid)
        self.assertTrue([e for e in trail["items"] if e["entity"] == "absence"])
        self.assertNotIn("call Monday", str(trail))
        # leave notes are not sensitive
        lv = self.absence(pid, "leave", note="holiday in Spain",
                          **{"from": "2026-06-01", "until": "2026-06-05"})
        self.assertEqual(self.as_("hrread", "GET", "/api/v1/absences/%d" % lv["id"])["note"],
                         "holiday in Spain")

    def test_absences_invisible_without_hr(self):
        pid = self.employee()
        a = self.absence(pid, "leave", **{"from": "2026-04-20", "until": "2026-04-21"})
        self.as_("sales", "GET", "/api/v1/absences/%d" % a["id"], status=404)
        self.as_("sales", "GET", "/api/v1/absences", status=403)
        self.as_("sales", "GET", "/api/v1/absence/overview", status=403)
        self.as_("sales", "GET", "/api/v1/absence/stats", status=403)
        self.as_("sales", "GET", "/api/v1/parties/%d/leave" % pid, status=403)
        self.as_("sales", "POST", "/api/v1/absences",
                 {"party": pid, "kind": "leave", "from": "2026-04-22", "until": "2026-04-22"},
                 status=403)
        trail = self.as_("sales", "GET", "/api/v1/audit?party=%d" % pid)
        self.assertEqual([e for e in trail["items"] if e["entity"] == "absence"], [])
        trail = self.as_("hrread", "GET", "/api/v1/audit?party=%d" % pid)
        self.assertEqual([e["entity_id"] for e in trail["items"] if e["entity"] == "absence"],
                         [a["id"]])
        # hr=read sees everything but the sick note
        self.assertEqual(self.as_("hrread", "GET", "/api/v1/absences/%d" % a["id"])["id"], a["id"])

    def test_overview_today_week_requests_sick(self):
        pid = self.employee(department="Support")
        other = self.employee(department="Finance")
        away = self.absence(pid, "special", **{"from": "2026-03-16", "until": "2026-03-16"})
        later = self.absence(other, "leave", **{"from": "2026-03-18", "until": "2026-03-19"})
        self.ok("POST", "/api/v1/absences/%d/approve" % later["id"])
        req = self.absence(other, "leave", **{"from": "2026-05-01", "until": "2026-05-01"})
        sick = self.absence(pid, "sick", **{"from": "2026-02-02"})
        o = self.as_("hrread", "GET", "/api/v1/absence/overview")
        self.assertEqual(o["date"], "2026-03-16")
        self.assertEqual((o["week_start"], o["week_end"]), ("2026-03-16", "2026-03-22"))
        ids = lambda key: {e["absence"]["id"] for e in o[key]}
        self.assertTrue({away["id"], sick["id"]} <= ids("today"))
        self.assertNotIn(later["id"], ids("today"))
        self.assertIn(later["id"], ids("week"))
        self.assertIn(req["id"], ids("requests"))
        self.assertNotIn(req["id"], ids("week"))
        entry = [e for e in o["sick"] if e["absence"]["id"] == sick["id"]][0]
        self.assertEqual(entry["sick_week"], 7)  # 2 Feb to 16 Mar: day 43, week 7
        self.assertEqual(entry["department"], str(self.dept("Support")))
        # the first open step: week 1 (the occupational health service), due 8 February
        self.assertEqual(entry["next_task"]["due"], "2026-02-08")
        fin = str(self.dept("Finance"))
        self.assertIn({"department": fin, "name": "Finance"}, o["departments"])
        # by department
        o = self.as_("hrread", "GET", "/api/v1/absence/overview?department=" + fin)
        self.assertNotIn(sick["id"], {e["absence"]["id"] for e in o["sick"]})
        self.assertIn(later["id"], {e["absence"]["id"] for e in o["week"]})
        listed = self.as_("hrread", "GET", "/api/v1/absences?department=%d&kind=sick&open=true"
                          % self.dept("Support"))
        self.assertIn(sick["id"], [a["id"] for a in listed["items"]])

    def test_sickness_percentage(self):
        dept = "Stats-" + self.id()[-6:]
        a = self.employee(department=dept, start="2025-01-01")
        self.employee(department=dept, start="2025-01-01")
        # January: 31 + 31 available days, sick 5 days; February: 28 + 28, 0;
        # March up to today (16th): 16 + 16, the open sickness from 13 March: 4 days
        self.absence(a, "sick", **{"from": "2026-01-05", "until": "2026-01-09"})
        self.absence(a, "sick", **{"from": "2026-03-13"})
        st = self.as_("hrread", "GET",
                      "/api/v1/absence/stats?year=2026&department=%d" % self.dept(dept))
        rows = {r["month"]: r for r in st["items"]}
        self.assertEqual(sorted(rows), ["2026-01", "2026-02", "2026-03"])
        self.assertEqual((rows["2026-01"]["sick_days"], rows["2026-01"]["available_days"]),
                         (5, 62))
        self.assertAlmostEqual(rows["2026-01"]["percentage"], 8.06)
        self.assertEqual(rows["2026-02"]["percentage"], 0)
        self.assertEqual((rows["2026-03"]["sick_days"], rows["2026-03"]["available_days"]),
                         (4, 32))
        self.assertAlmostEqual(rows["2026-03"]["percentage"], 12.5)
        self.assertEqual(rows["2026-01"]["name"], dept)
        self.assertIn("available", st["formula"])

    def test_delete_needs_write_and_version(self):
        pid = self.employee()
        a = self.absence(pid, "leave", **{"from": "2026-07-01", "until": "2026-07-01"})
        self.as_("hrread", "DELETE", "/api/v1/absences/%d" % a["id"], status=403)
        self.problem("DELETE", "/api/v1/absences/%d" % a["id"], status=412,
                     headers={"If-Match": etag(9)})
        self.as_("hrwrite", "DELETE", "/api/v1/absences/%d" % a["id"], status=204)
        self.ok("GET", "/api/v1/absences/%d" % a["id"], status=404)


if __name__ == "__main__":
    unittest.main()
