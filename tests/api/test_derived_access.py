"""Derived values are computed per viewer, from what the viewer may read.

A party's health (open complaints, survey score, last contact, reasons), the
health: and idle: search terms and the counts of the 360 view come only from
activities of domains the viewer may read: a write in a domain a user cannot
read changes none of them for that user, while an administrator sees the
change. And a recruitment role (an employee role with status applicant or
rejected) is visible only with read access to HR: to everybody else the
party simply does not hold it, in reads, lists, search, treatment and audit.

Each test is written as the attack: the restricted user's answers are read
before and after a write in a domain it may not read, and must not differ.
"""

import csv
import io
import json
import unittest

from harness import ApiTestCase, describe, q, run_cli, word


class DerivedBase(ApiTestCase):
    """A server with the demo data set and an API token per demo user."""
    DEMO = True
    DEMO_USERS = ('verkoop', 'hr', 'hr-assistent', 'inkoop')

    def as_user(self, name, method, path, body=None, status=200):
        return self.ok(method, path, body, status=status, token=self.tok[name])

    def party_as(self, name, pid):
        if name == "admin":
            return self.get_party(pid)
        return self.as_user(name, "GET", "/api/v1/parties/%d" % pid)

    def ids_as(self, name, query):
        """Ids of every party the query finds for user name (admin for "admin")."""
        ids, cursor = [], None
        while True:
            params = {"q": query, "limit": "500"}
            if cursor:
                params["cursor"] = cursor
            path = "/api/v1/parties" + q(**params)
            js = self.ok("GET", path) if name == "admin" else self.as_user(name, "GET", path)
            ids.extend(p["id"] for p in js["items"])
            cursor = js["next"]
            if not cursor:
                return set(ids)

    def activity(self, name, pid, typ, domain, **extra):
        body = {"type": typ, "domain": domain, "subject": "%s %s" % (typ, word()),
                "parties": [pid]}
        body.update(extra)
        if name == "admin":
            return self.ok("POST", "/api/v1/activities", body, status=201)
        return self.as_user(name, "POST", "/api/v1/activities", body, status=201)

    def staff_customer(self):
        """The demo's employee who is also an active customer (admin's view)."""
        for p in self.list_all("/api/v1/parties", q="role:employee role:customer"):
            full = self.get_party(p["id"])
            emp = [r for r in full["roles"] if r["type"] == "employee"]
            cust = [r for r in full["roles"]
                    if r["type"] == "customer" and r["status"] == "active"]
            if emp and cust and emp[0]["status"] == "active":
                return full
        self.fail("the demo has no employee who is also an active customer")

    def new_staff_customer(self):
        """A fresh person, active customer and active employee, without activities."""
        return self.create_party(family_name="Derived" + word(), roles=[
            {"type": "customer", "status": "active"},
            {"type": "employee", "status": "active"}])


class HealthPerViewerTest(DerivedBase):
    def test_hr_complaint_does_not_change_health_for_sales(self):
        p = self.staff_customer()
        pid = p["id"]
        self.assertIsNotNone(p["health"], "an active customer has health")
        sales_before = self.party_as("verkoop", pid)["health"]
        admin_before = p["health"]
        at_risk_before = self.ids_as("verkoop", "health:at_risk")
        watch_before = self.ids_as("verkoop", "health:watch")
        good_before = self.ids_as("verkoop", "health:good")
        view_before = self.as_user("verkoop", "GET", "/api/v1/parties/%d/view" % pid)

        self.activity("hr", pid, "complaint", "hr", body="Klacht over de werkplek")

        admin_after = self.get_party(pid)["health"]
        self.assertEqual(admin_after["open_complaints"], admin_before["open_complaints"] + 1)
        self.assertEqual(admin_after["status"], "at_risk")
        self.assertIn(pid, self.ids_as("admin", "health:at_risk"))
        # HR reads its own complaint too.
        self.assertGreaterEqual(self.party_as("hr", pid)["health"]["open_complaints"], 1)
        # Sales: nothing changed, not even the search terms.
        self.assertEqual(self.party_as("verkoop", pid)["health"], sales_before)
        self.assertEqual(self.ids_as("verkoop", "health:at_risk"), at_risk_before)
        self.assertEqual(self.ids_as("verkoop", "health:watch"), watch_before)
        self.assertEqual(self.ids_as("verkoop", "health:good"), good_before)
        view_after = self.as_user("verkoop", "GET", "/api/v1/parties/%d/view" % pid)
        self.assertEqual(view_after["counts"], view_before["counts"])
        self.assertEqual(view_after["party"]["health"], sales_before)
        self.assertEqual(view_after["timeline"], view_before["timeline"])

    def test_hr_contact_leaves_a_party_idle_for_sales(self):
        p = self.new_staff_customer()
        pid = p["id"]
        for who in ("admin", "verkoop", "hr"):
            self.assertIn(pid, self.ids_as(who, "idle:30d"), who)
        sales_before = self.party_as("verkoop", pid)["health"]
        self.assertIsNone(sales_before["last_contact"])

        self.activity("hr", pid, "call", "hr")
        self.activity("hr", pid, "complaint", "hr")

        self.assertNotIn(pid, self.ids_as("admin", "idle:30d"))
        self.assertNotIn(pid, self.ids_as("hr", "idle:30d"))
        self.assertIn(pid, self.ids_as("verkoop", "idle:30d"), "sales learns of an HR call")
        self.assertNotIn(pid, self.ids_as("verkoop", "-idle:30d"))
        admin = self.get_party(pid)["health"]
        self.assertIsNotNone(admin["last_contact"])
        self.assertEqual(admin["status"], "at_risk")
        self.assertEqual(self.party_as("verkoop", pid)["health"], sales_before)
        self.assertNotIn(pid, self.ids_as("verkoop", "health:at_risk"))
        self.assertIn(pid, self.ids_as("hr-assistent", "health:at_risk"))
        # In a list (what the dashboard counts) the same as in a single read.
        listed = self.as_user("verkoop", "GET", "/api/v1/parties" + q(
            q=p["family_name"].lower(), limit="10"))["items"]
        self.assertEqual([x["health"] for x in listed if x["id"] == pid], [sales_before])

    def test_sales_activity_does_not_change_health_for_hr(self):
        p = self.new_staff_customer()
        pid = p["id"]
        hr_before = self.party_as("hr-assistent", pid)["health"]
        self.assertIsNone(hr_before["last_contact"])
        self.assertIsNone(hr_before["survey_score"])
        view_before = self.as_user("hr-assistent", "GET", "/api/v1/parties/%d/view" % pid)
        self.assertIn(pid, self.ids_as("hr-assistent", "idle:30d"))

        met = self.activity("verkoop", pid, "meeting", "sales", at="2026-01-02T10:11:12Z")
        self.assertEqual(met["at"], "2026-01-02T10:11:12Z")
        self.activity("verkoop", pid, "survey", "sales", score=3)

        admin = self.get_party(pid)["health"]
        self.assertIsNotNone(admin["last_contact"])
        self.assertEqual(admin["survey_score"], 3)
        self.assertEqual(admin["status"], "at_risk")
        self.assertEqual(self.party_as("verkoop", pid)["health"]["survey_score"], 3)
        # HR, read only: the same health, no date of the meeting, not at risk, still idle.
        hr_after = self.party_as("hr-assistent", pid)["health"]
        self.assertEqual(hr_after, hr_before)
        self.assertNotIn(pid, self.ids_as("hr-assistent", "health:at_risk"))
        self.assertIn(pid, self.ids_as("hr-assistent", "idle:30d"))
        self.assertNotIn(pid, self.ids_as("admin", "idle:30d"))
        view = self.as_user("hr-assistent", "GET", "/api/v1/parties/%d/view" % pid)
        self.assertEqual(view["counts"], view_before["counts"])
        self.assertEqual(view["party"]["health"], hr_before)
        admin_view = self.ok("GET", "/api/v1/parties/%d/view" % pid)
        self.assertEqual(admin_view["counts"]["activities"],
                         view_before["counts"]["activities"] + 2)
        self.assertEqual(admin["last_contact"], met["at"])
        raw = self.client.raw("GET", "/api/v1/parties/%d/view" % pid,
                              token=self.tok["hr-assistent"])[2]
        self.assertNotIn("2026-01-02", raw.decode(), "not even the date")


class ApplicantTest(DerivedBase):
    def applicant(self, status="applicant"):
        """A person with an employee role of status, created by HR, and that role."""
        name = "Sollicitant" + word()
        p = self.as_user("hr", "POST", "/api/v1/parties",
                         {"kind": "person", "family_name": name,
                          "roles": [{"type": "employee", "status": status,
                                     "attributes": {"job_title": "Monteur"}}]}, status=201)
        role = [r for r in p["roles"] if r["type"] == "employee"][0]
        self.assertEqual(role["status"], status)
        return p, role, name.lower()

    def assert_hidden_from_sales(self, pid, role_id, name):
        party = self.party_as("verkoop", pid)
        self.assertEqual([r for r in party["roles"] if r["type"] == "employee"], [])
        self.assertNotIn('"applicant"', json.dumps(party))
        roles = self.as_user("verkoop", "GET", "/api/v1/parties/%d/roles" % pid)["items"]
        self.assertEqual([r["id"] for r in roles if r["id"] == role_id], [])
        prob = self.problem("GET", "/api/v1/roles/%d" % role_id, status=404,
                            token=self.tok["verkoop"])
        missing = self.problem("GET", "/api/v1/roles/999999999", status=404,
                               token=self.tok["verkoop"])
        self.assertEqual(prob["detail"].replace(str(role_id), "N"),
                         missing["detail"].replace("999999999", "N"))
        # Writing to it is answered as for a missing role too, and changes nothing.
        for method, body in (("PATCH", {"status": "active"}), ("DELETE", None)):
            prob = self.problem(method, "/api/v1/roles/%d" % role_id, body, status=404,
                                token=self.tok["verkoop"])
            self.assertEqual(prob["detail"].replace(str(role_id), "N"),
                             missing["detail"].replace("999999999", "N"))
        self.assertNotIn(pid, self.ids_as("verkoop", "role:employee " + name))
        self.assertNotIn(pid, self.ids_as("verkoop", "employee.status:applicant " + name))
        self.assertNotIn(pid, self.ids_as("verkoop", "employee.status:rejected " + name))
        self.assertIn(pid, self.ids_as("verkoop", "-role:employee " + name))
        listed = self.as_user("verkoop", "GET", "/api/v1/parties" + q(q=name))["items"]
        self.assertEqual([x["id"] for x in listed], [pid])
        self.assertEqual([r for r in listed[0]["roles"] if r["type"] == "employee"], [])
        view = self.as_user("verkoop", "GET", "/api/v1/parties/%d/view" % pid)
        self.assertEqual([r for r in view["party"]["roles"] if r["type"] == "employee"], [])
        exp = self.as_user("verkoop", "GET", "/api/v1/parties/%d/export" % pid)
        self.assertEqual([r for r in exp["party"]["roles"] if r["type"] == "employee"], [])
        self.assertEqual([e for e in exp["audit"] if e.get("entity") == "role"], [])
        audit = self.as_user("verkoop", "GET", "/api/v1/audit" + q(party=str(pid), limit="500"))
        self.assertEqual([e for e in audit["items"] if e["entity"] == "role"], [])

    def assert_seen(self, who, pid, role_id, name):
        party = self.party_as(who, pid)
        self.assertEqual([r["id"] for r in party["roles"] if r["type"] == "employee"], [role_id])
        if who != "admin":
            self.as_user(who, "GET", "/api/v1/roles/%d" % role_id)
        self.assertIn(pid, self.ids_as(who, "role:employee " + name))

    def test_applicant_is_seen_by_hr_only(self):
        p, role, name = self.applicant()
        pid = p["id"]
        self.assert_hidden_from_sales(pid, role["id"], name)
        for who in ("admin", "hr", "hr-assistent"):
            with self.subTest(user=who):
                self.assert_seen(who, pid, role["id"], name)
        self.assertIn(pid, self.ids_as("hr", "employee.status:applicant " + name))
        audit = self.as_user("hr-assistent", "GET",
                             "/api/v1/audit" + q(party=str(pid), limit="500"))
        self.assertTrue([e for e in audit["items"] if e["entity"] == "role"])

        # Rejected: still hidden. Hired: sales sees that the party is a colleague.
        self.as_user("hr", "PATCH", "/api/v1/roles/%d" % role["id"], {"status": "rejected"})
        self.assert_hidden_from_sales(pid, role["id"], name)
        self.assert_seen("hr-assistent", pid, role["id"], name)
        self.as_user("hr", "PATCH", "/api/v1/roles/%d" % role["id"], {"status": "active"})
        seen = self.party_as("verkoop", pid)
        self.assertEqual([(r["id"], r["status"]) for r in seen["roles"]],
                         [(role["id"], "active")])
        self.assertIn(pid, self.ids_as("verkoop", "role:employee " + name))

    def test_applicant_who_is_a_customer_gets_no_staff_badge_for_sales(self):
        p, role, name = self.applicant()
        pid = p["id"]
        self.ok("POST", "/api/v1/parties/%d/roles" % pid, {"type": "customer"}, status=201)
        # An applicant is not yet a colleague: no user sees staff treatment, so the
        # treatment shown to everyone cannot tell that they applied.
        for who in ("admin", "hr-assistent"):
            treatment = (self.get_party(pid) if who == "admin"
                         else self.party_as(who, pid))["treatment"]
            self.assertNotIn("Staff", json.dumps(treatment), who)
        # To sales the party is only a customer: no badge, note or suppression of it.
        seen = self.party_as("verkoop", pid)
        self.assertEqual([r["type"] for r in seen["roles"]], ["customer"])
        self.assertNotIn("Staff", json.dumps(seen["treatment"]))
        self.assertEqual(seen["treatment"]["suppress"], [])
        self.assertNotIn("treatment rule", json.dumps(seen["contactability"]))
        # A segment's members CSV as sales: the party, without the role.
        seg = self.as_user("verkoop", "POST", "/api/v1/segments",
                           {"name": "Derived " + word(), "query": name}, status=201)
        st, _, raw = self.client.raw("GET", "/api/v1/segments/%d/members.csv" % seg["id"],
                                     token=self.tok["verkoop"])
        self.assertEqual(st, 200, describe(self.client))
        rows = list(csv.DictReader(io.StringIO(raw[3:].decode(), newline=""), delimiter=";"))
        self.assertEqual([r["id"] for r in rows], ['="%d"' % pid])
        self.assertNotIn("employee", rows[0]["roles"].lower())
        self.assertNotIn("Staff", rows[0]["badges"])


if __name__ == "__main__":
    unittest.main()
