"""Employment history and the chain rule, on a server whose clock stands
still (XRM_NOW): the employee role's changes as dated records, dated
entries that apply on their date, salary lines for hr=full only, and the
warnings of the chain rule (ketenregeling) on fixed-term employment
contracts: a 4th in a row, or past 3 years; a gap of more than 6 months
starts a new chain."""

import unittest

from clock import ClockServer
from harness import ApiTestCase, word

NOW = "2027-01-15T09:00:00Z"
TODAY = "2027-01-15"




class EmploymentBase(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ClockServer({"XRM_NOW": NOW, "XRM_AUTOMATION_INTERVAL": "0"})
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()
        cls.tok = {}
        for name, access in (("hrfull", {"hr": "full"}), ("hrread", {"hr": "read"}),
                             ("hrwrite", {"hr": "write"}), ("sales", {"sales": "write"})):
            login = "%s_%s" % (name, word(5))
            st, _, js = cls.client.req("POST", "/api/v1/users",
                                       {"name": login, "password": "pw-" + word(12),
                                        "access": access})
            if st != 201:
                raise RuntimeError("user %s: %s %s" % (name, st, js))
            cls.tok[name] = cls.server.make_token(login)

    def employee(self, **attrs):
        return self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "status": "active", "since": "2025-01-01",
            "attributes": attrs}])

    def history(self, pid, who=None):
        kw = {"token": self.tok[who]} if who else {}
        return self.ok("GET", "/api/v1/parties/%d/employment" % pid, **kw)


class EmploymentTest(EmploymentBase):
    def test_role_changes_are_dated_records(self):
        d1 = self.ok("POST", "/api/v1/departments", {"name": "Werkplaats " + word()}, 201)
        d2 = self.ok("POST", "/api/v1/departments", {"name": "Kantoor " + word()}, 201)
        emp = self.employee(job_title="monteur", department=d1["id"], hours_per_week=40,
                            contract_type="permanent", salary=320000, start_date="2025-02-01")
        h = self.history(emp["id"])
        self.assertEqual(len(h["items"]), 1)
        first = h["items"][0]
        self.assertEqual(first["effective"], "2025-02-01")
        self.assertEqual((first["job_title"], first["department"], first["department_name"],
                          first["hours_per_week"], first["contract_type"], first["salary"]),
                         ("monteur", d1["id"], d1["name"], 40, "permanent", 320000))
        self.assertFalse(first["planned"])
        # a promotion to another department: one record today with what changed
        role = emp["roles"][0]["id"]
        self.ok("PATCH", "/api/v1/roles/%d" % role,
                {"attributes": {"job_title": "werkvoorbereider", "department": d2["id"]}})
        # a change of something else is not employment history
        self.ok("PATCH", "/api/v1/roles/%d" % role, {"attributes": {"employee_number": "E1"}})
        h = self.history(emp["id"])
        self.assertEqual(len(h["items"]), 2)
        rec = h["items"][1]
        self.assertEqual(rec["effective"], TODAY)
        self.assertEqual((rec["job_title"], rec["department"], rec["hours_per_week"],
                          rec["salary"]), ("werkvoorbereider", d2["id"], None, None))
        self.assertEqual(h["current"], {"job_title": "werkvoorbereider", "department": d2["id"],
                                        "department_name": d2["name"], "hours_per_week": 40,
                                        "contract_type": "permanent", "salary": 320000})

    def test_salary_history_only_for_full(self):
        emp = self.employee(job_title="calculator", salary=400000)
        self.ok("PATCH", "/api/v1/roles/%d" % emp["roles"][0]["id"],
                {"attributes": {"salary": 420000}})
        full = self.history(emp["id"], "hrfull")
        self.assertEqual([r.get("salary") for r in full["items"]], [400000, 420000])
        self.assertEqual(full["current"]["salary"], 420000)
        read = self.history(emp["id"], "hrread")
        # the raise alone is not shown at all; no salary anywhere
        self.assertEqual(len(read["items"]), 1)
        self.assertNotIn("salary", read["items"][0])
        self.assertNotIn("salary", read["current"])
        self.assertNotIn(b"420000", self.client.last[3] or b"")
        self.assertEqual(read["items"][0]["job_title"], "calculator")
        # and nothing for sales
        self.problem("GET", "/api/v1/parties/%d/employment" % emp["id"], status=403,
                     token=self.tok["sales"])

    def test_dated_entries_and_who_may_make_them(self):
        emp = self.employee(job_title="uitvoerder", salary=450000, hours_per_week=40)
        path = "/api/v1/parties/%d/employment" % emp["id"]
        future = {"effective": "2027-03-01", "salary": 470000, "note": "Verhoging"}
        self.problem("POST", path, future, status=403, token=self.tok["hrread"])
        self.problem("POST", path, future, status=403, token=self.tok["hrwrite"])
        self.problem("POST", path, future, status=403, token=self.tok["sales"])
        rec = self.ok("POST", path, future, 201, token=self.tok["hrfull"])
        self.assertTrue(rec["planned"])
        self.assertEqual(rec["salary"], 470000)
        hours = self.ok("POST", path, {"effective": "2027-02-01", "hours_per_week": 32}, 201,
                        token=self.tok["hrwrite"])
        self.assertNotIn("salary", hours)
        h = self.history(emp["id"])
        self.assertEqual([r["planned"] for r in h["items"]], [False, True, True])
        # planned changes apply on their date, not before
        self.assertEqual((h["current"]["salary"], h["current"]["hours_per_week"]), (450000, 40))
        # bad entries change nothing
        self.problem("POST", path, {"effective": "2027-03-01"}, field="body")
        self.problem("POST", path, {"effective": "1 maart", "hours_per_week": 3},
                     field="effective")
        self.problem("POST", path, {"effective": "2027-03-01", "hours_per_week": 90},
                     field="hours_per_week")
        self.problem("POST", path, {"effective": "2027-03-01", "contract_type": "vast"},
                     field="contract_type")
        self.problem("POST", path, {"effective": "2027-03-01", "department": 999999},
                     field="department")
        nobody = self.create_party(family_name="Geen " + word())
        self.problem("POST", "/api/v1/parties/%d/employment" % nobody["id"],
                     {"effective": "2027-03-01", "job_title": "x"})
        self.assertEqual(len(self.history(emp["id"])["items"]), 3)


class FollowsThePartyTest(EmploymentBase):
    """The history moves with a merge, is undone with it, and goes with an erasure."""

    def test_merge_moves_and_undo_returns_the_history(self):
        keep = self.employee(job_title="monteur", hours_per_week=40)
        dup = self.employee(job_title="servicemonteur", hours_per_week=32)
        self.ok("POST", "/api/v1/parties/%d/employment" % dup["id"],
                {"effective": "2027-04-01", "hours_per_week": 36}, 201)
        done = self.ok("POST", "/api/v1/parties/%d/merge" % keep["id"], {"from": [dup["id"]]})
        self.assertEqual(done["moves"]["employment"], 2)
        titles = [r["job_title"] for r in self.history(keep["id"])["items"]]
        self.assertIn("servicemonteur", titles)
        self.assertIn("monteur", titles)
        self.ok("POST", "/api/v1/merges/%d/undo" % done["id"])
        back = self.history(dup["id"])["items"]
        self.assertEqual([r["job_title"] for r in back], ["servicemonteur", None])
        self.assertEqual([r["job_title"] for r in self.history(keep["id"])["items"]],
                         ["monteur"])

    def test_erasure_removes_the_history(self):
        emp = self.employee(job_title="calculator", salary=410000)
        self.ok("POST", "/api/v1/parties/%d/employment" % emp["id"],
                {"effective": "2027-05-01", "salary": 420000}, 201)
        self.ok("POST", "/api/v1/parties/%d/erase" % emp["id"])
        self.assertEqual(self.history(emp["id"])["items"], [])


class PlannedLaterTest(EmploymentBase):
    """The same database, two months on: the planned changes are in effect."""

    def test_planned_changes_apply_on_their_date(self):
        emp = self.employee(job_title="uitvoerder", salary=450000, hours_per_week=40)
        path = "/api/v1/parties/%d/employment" % emp["id"]
        self.ok("POST", path, {"effective": "2027-03-01", "salary": 470000}, 201)
        self.ok("POST", path, {"effective": "2027-02-01", "hours_per_week": 32}, 201)
        self.server.stop()
        self.server.env = {"XRM_NOW": "2027-02-15T09:00:00Z", "XRM_AUTOMATION_INTERVAL": "0"}
        self.server.start()
        self.client = self.server.client()
        h = self.history(emp["id"])
        self.assertEqual([r["planned"] for r in h["items"]], [False, False, True])
        self.assertEqual((h["current"]["salary"], h["current"]["hours_per_week"]), (450000, 32))
        self.server.stop()
        self.server.env = {"XRM_NOW": "2027-03-01T09:00:00Z", "XRM_AUTOMATION_INTERVAL": "0"}
        self.server.start()
        self.client = self.server.client()
        h = self.history(emp["id"])
        self.assertEqual([r["planned"] for r in h["items"]], [False, False, False])
        self.assertEqual(h["current"]["salary"], 470000)


class ChainRuleTest(EmploymentBase):
    def contract(self, pid, start, end, token=None):
        body = {"party": pid, "kind": "employment_contract", "start": start}
        if end:
            body["end"] = end
        kw = {"token": token} if token else {}
        return self.ok("POST", "/api/v1/agreements", body, 201, **kw)

    def test_fourth_contract_in_a_row_warns(self):
        pid = self.employee()["id"]
        for s, e in (("2023-01-01", "2023-06-30"), ("2023-07-01", "2023-12-31"),
                     ("2024-01-01", "2024-06-30")):
            a = self.contract(pid, s, e)
            self.assertIsNone(a["warnings"], (s, a["warnings"]))
        fourth = self.contract(pid, "2024-07-01", "2024-12-31", token=self.tok["hrwrite"])
        self.assertEqual([w["code"] for w in fourth["warnings"]], ["chain_fourth_contract"])
        self.assertIn("4", fourth["warnings"][0]["message"])
        # created all the same; a read has no warnings
        got = self.ok("GET", "/api/v1/agreements/%d" % fourth["id"])
        self.assertIsNone(got["warnings"])
        # in Dutch
        st, _, js = self.client.req("POST", "/api/v1/agreements",
                                    {"party": pid, "kind": "employment_contract",
                                     "start": "2025-01-01", "end": "2025-03-31"},
                                    headers={"Accept-Language": "nl"})
        self.assertEqual(st, 201)
        self.assertIn("ketenregeling", js["warnings"][0]["message"])

    def test_past_three_years_warns(self):
        pid = self.employee()["id"]
        self.assertIsNone(self.contract(pid, "2022-01-01", "2023-12-31")["warnings"])
        exactly = self.contract(pid, "2024-01-01", "2024-12-31")  # 36 months, not past them
        self.assertIsNone(exactly["warnings"])
        other = self.employee()["id"]
        self.contract(other, "2022-01-01", "2023-12-31")
        second = self.contract(other, "2024-01-01", "2025-06-30")
        self.assertEqual([w["code"] for w in second["warnings"]], ["chain_three_years"])
        self.assertIn("2022-01-01", second["warnings"][0]["message"])

    def test_a_gap_of_more_than_six_months_starts_a_new_chain(self):
        pid = self.employee()["id"]
        for s, e in (("2023-01-01", "2023-06-30"), ("2023-07-01", "2023-12-31"),
                     ("2024-01-01", "2024-06-30")):
            self.contract(pid, s, e)
        # 7 months without a contract: the chain starts again
        after_gap = self.contract(pid, "2025-02-01", "2025-07-31")
        self.assertIsNone(after_gap["warnings"])
        # a gap of 3 months keeps it going: this one is the 2nd of the new chain
        self.assertIsNone(self.contract(pid, "2025-11-01", "2026-04-30")["warnings"])

    def test_other_agreements_do_not_warn(self):
        pid = self.employee()["id"]
        for s in ("2023-01-01", "2023-07-01", "2024-01-01", "2024-07-01"):
            a = self.contract(pid, s, None)  # permanent: no end
            self.assertIsNone(a["warnings"])
        for s in ("2023-01-01", "2023-07-01", "2024-01-01", "2024-07-01"):
            a = self.ok("POST", "/api/v1/agreements",
                        {"party": pid, "kind": "customer_contract", "start": s,
                         "end": s[:4] + "-12-31"}, 201)
            self.assertIsNone(a["warnings"])


if __name__ == "__main__":
    unittest.main()
