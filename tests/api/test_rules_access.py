"""Treatment rules and access: treatment is shown to everyone, so what rules
may look at and what readers see of them is limited.

- A rule condition on a sensitive attribute (employee.salary, or any
  attribute a role type marks sensitive) is refused with 422 on create,
  update and simulate, and nothing is stored; a stored rule that uses one
  (from before the check, or through a segment changed later) never fires
  and says so ("suspended").
- GET /rules shows everyone a rule's name and effects, but its conditions
  only on domains the reader can read.
- Active employees always get no_marketing and no_sales_outreach, whatever
  the rules say, and are never contactable for marketing.

Written as the attacks: the sales user who would list the employees above a
salary threshold through a rule's badge, and the ex-customer rule that made
a colleague mailable.
"""

import datetime
import os
import sqlite3
import unittest

from demo_case import DemoTestCase
from harness import PG_URL, q, word

SENSITIVE = "sensitive_attribute"
STAFF_BECAUSE = "Active employee"
DEMO_USERS = ("verkoop", "hr", "hr-assistent", "inkoop", "partners", "communicatie")


def days_ago(n):
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


class RulesAccessBase(DemoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {name: cls.server.make_token(name) for name in DEMO_USERS}

    def as_user(self, name, method, path, body=None, status=200):
        return self.ok(method, path, body, status=status, token=self.tok[name])

    def rules(self, name=None):
        if name is None:
            return self.ok("GET", "/api/v1/rules")["items"]
        return self.as_user(name, "GET", "/api/v1/rules")["items"]

    def rule_audit(self):
        return self.list_all("/api/v1/audit", entity="rule")

    def assert_sensitive(self, js, field):
        self.assert_error_field(js, field)
        codes = [e.get("code") for e in js["errors"] if e["field"] == field]
        self.assertEqual(codes, [SENSITIVE], js)
        self.assertEqual(js.get("code"), SENSITIVE, js)
        if field.startswith("when.attr."):
            self.assertIn(field[len("when.attr."):], js["detail"])

    def high_earners(self):
        """The demo's employees above 400,000 cents a year (admin's view of the salaries)."""
        out = set()
        for p in self.list_all("/api/v1/parties", q="role:employee"):
            for r in p["roles"]:
                if r["type"] == "employee" and r["attributes"].get("salary", 0) > 400000:
                    out.add(p["id"])
        return out


class SensitiveConditionTest(RulesAccessBase):
    SALARY_WHEN = {"all_roles": ["employee"], "attr": {"employee.salary": {"gt": 400000}}}

    def salary_rule(self, name):
        return {"name": name, "when": self.SALARY_WHEN,
                "then": {"badges": ["Top earner"], "priority": "high"}}

    def test_demo_has_high_earners(self):
        self.assertTrue(self.high_earners(), "the attack needs employees above the threshold")

    def test_create_is_refused_and_nothing_stored(self):
        before, audit = self.rules(), self.rule_audit()
        name = "Top earners " + word()
        js = self.problem("POST", "/api/v1/rules", self.salary_rule(name), status=422)
        self.assert_sensitive(js, "when.attr.employee.salary")
        # Every other spelling of the same condition too.
        for when in ({"attr": {"employee.salary": {"exists": True}}},
                     {"attr": {"employee.salary": {"in": [400000, 500000]}}},
                     {"attr": {"employee.job_title": {"eq": "monteur"},
                               "employee.salary": {"lt": 1}}}):
            js = self.problem("POST", "/api/v1/rules",
                              {"name": name, "when": when, "then": {"badges": ["x"]}},
                              status=422)
            self.assert_sensitive(js, "when.attr.employee.salary")
        # A constraint may not use one either (its 409 would tell the writer).
        js = self.problem("POST", "/api/v1/rules", {"name": name, "kind": "constraint",
                                                    "when": self.SALARY_WHEN}, status=422)
        self.assert_sensitive(js, "when.attr.employee.salary")
        self.assertEqual(self.rules(), before)
        self.assertEqual(self.rule_audit(), audit)
        self.assertEqual(self.ids('badge:"Top earner"'), set())

    def test_patch_is_refused_and_nothing_changes(self):
        r = self.ok("POST", "/api/v1/rules", {
            "name": "Long serving " + word(), "when": {"all_roles": ["employee"]},
            "then": {"badges": ["Colleague " + word()]}}, status=201)
        before, audit = self.ok("GET", "/api/v1/rules/%d" % r["id"]), self.rule_audit()
        js = self.problem("PATCH", "/api/v1/rules/%d" % r["id"], {"when": self.SALARY_WHEN},
                          status=422)
        self.assert_sensitive(js, "when.attr.employee.salary")
        self.assertEqual(self.ok("GET", "/api/v1/rules/%d" % r["id"]), before)
        self.assertEqual(self.rule_audit(), audit)
        self.ok("DELETE", "/api/v1/rules/%d" % r["id"], status=204)

    def test_simulate_is_refused(self):
        before, audit = self.rules(), self.rule_audit()
        js = self.problem("POST", "/api/v1/rules/simulate",
                          self.salary_rule("Top earners " + word()), status=422)
        self.assert_sensitive(js, "when.attr.employee.salary")
        # Also as an edit of an existing rule.
        staff = [r for r in before if r["name"] == "Staff customer"][0]
        js = self.problem("POST", "/api/v1/rules/simulate",
                          {"id": staff["id"], "when": self.SALARY_WHEN}, status=422)
        self.assert_sensitive(js, "when.attr.employee.salary")
        self.assertEqual(self.rules(), before)
        self.assertEqual(self.rule_audit(), audit)

    def test_admin_defined_sensitive_attribute(self):
        name = "mentor_" + word(5)
        self.ok("POST", "/api/v1/role-types", {
            "name": name, "domain": "hr", "label": {"en": "Mentor", "nl": "Mentor"},
            "statuses": ["active", "former"], "default_status": "active",
            "ended_statuses": ["former"],
            "attributes": [
                {"name": "bonus", "type": "integer", "sensitive": True,
                 "label": {"en": "Bonus", "nl": "Bonus"}},
                {"name": "team", "type": "string", "label": {"en": "Team", "nl": "Team"}}]},
            status=201)
        before = self.rules()
        js = self.problem("POST", "/api/v1/rules", {
            "name": "Bonus " + word(), "when": {"attr": {name + ".bonus": {"gt": 0}}},
            "then": {"badges": ["Bonus"]}}, status=422)
        self.assert_error_field(js, "when.attr.%s.bonus" % name)
        self.assertEqual([e.get("code") for e in js["errors"]], [SENSITIVE])
        self.assertEqual(self.rules(), before)
        # The type's other attribute is fine.
        r = self.ok("POST", "/api/v1/rules", {
            "name": "Team " + word(), "when": {"attr": {name + ".team": {"eq": "blue"}}},
            "then": {"badges": ["Blue"]}}, status=201)
        self.ok("DELETE", "/api/v1/rules/%d" % r["id"], status=204)

    def test_segment_on_salary_is_refused(self):
        seg = self.ok("POST", "/api/v1/segments", {"name": "Earners " + word(),
                                                   "query": "employee.salary>400000"},
                      status=201)
        before = self.rules()
        js = self.problem("POST", "/api/v1/rules", {
            "name": "Via segment " + word(), "when": {"segment": seg["id"]},
            "then": {"badges": ["Top earner"]}}, status=422)
        self.assert_error_field(js, "when.segment")
        self.assertEqual(js.get("code"), SENSITIVE)
        self.assertEqual(self.rules(), before)

    def test_applicant_status_is_refused(self):
        """An applicant's role is visible only to HR; a rule on it would show it to everyone."""
        before, audit = self.rules(), self.rule_audit()
        for status in ("applicant", "rejected"):
            js = self.problem("POST", "/api/v1/rules", {
                "name": "Applicants " + word(), "when": {"status": {"employee": [status]}},
                "then": {"badges": ["Applied"]}}, status=422)
            self.assert_error_field(js, "when.status.employee[0]")
            self.assertEqual(js.get("code"), "hidden_status")
            js = self.problem("POST", "/api/v1/rules/simulate", {
                "name": "Applicants " + word(), "when": {"status": {"employee": [status]}},
                "then": {"badges": ["Applied"]}}, status=422)
            self.assertEqual(js.get("code"), "hidden_status")
        seg = self.ok("POST", "/api/v1/segments", {"name": "Applied " + word(),
                                                   "query": "status:employee=applicant"},
                      status=201)
        js = self.problem("POST", "/api/v1/rules", {
            "name": "Via segment " + word(), "when": {"segment": seg["id"]},
            "then": {"badges": ["Applied"]}}, status=422)
        self.assert_error_field(js, "when.segment")
        self.assertEqual(js.get("code"), "hidden_status")
        self.assertEqual(self.rules(), before)
        self.assertEqual(self.rule_audit(), audit)

    def test_segment_changed_later_suspends_the_rule(self):
        seg = self.ok("POST", "/api/v1/segments", {"name": "Staff " + word(),
                                                   "query": "role:employee"}, status=201)
        badge = "Seg badge " + word()
        r = self.ok("POST", "/api/v1/rules", {
            "name": "Via segment " + word(), "when": {"segment": seg["id"]},
            "then": {"badges": [badge]}}, status=201)
        self.assertIsNone(r["suspended"])
        self.assertTrue(self.ids('badge:"%s"' % badge))
        # The segment now selects on salary: the rule would list the high earners.
        self.ok("PATCH", "/api/v1/segments/%d" % seg["id"], {"query": "employee.salary>400000"})
        got = self.ok("GET", "/api/v1/rules/%d" % r["id"])
        self.assertTrue(got["enabled"], "the stored rule is kept as it was")
        self.assertEqual(got["suspended"]["code"], SENSITIVE)
        self.assertEqual(got["suspended"]["field"], "when.segment")
        self.assertEqual(self.ids('badge:"%s"' % badge), set())
        for pid in self.high_earners():
            t = self.as_user("verkoop", "GET", "/api/v1/parties/%d" % pid)["treatment"]
            self.assertNotIn(r["name"], t["because"])
        # A sales user learns that it is suspended, not on what.
        mine = self.as_user("verkoop", "GET", "/api/v1/rules/%d" % r["id"])
        self.assertEqual(mine["suspended"]["code"], SENSITIVE)
        self.assertNotIn("salary", str(mine))
        self.ok("DELETE", "/api/v1/rules/%d" % r["id"], status=204)

    @unittest.skipIf(PG_URL, "writes the SQLite file directly")
    def test_stored_salary_rule_never_fires(self):
        """A salary rule stored before the check existed: kept, shown as suspended, inert."""
        badge = "Legacy earner " + word()
        name = "Legacy " + word()
        con = sqlite3.connect(self.server.db, timeout=30)
        with con:
            con.execute(
                "INSERT INTO rules (name, kind, description, conditions, effects, enabled, "
                "builtin, created_at, updated_at) VALUES (?, 'treatment', NULL, ?, ?, 1, 0, "
                "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                (name, '{"attr":{"employee.salary":{"gt":400000}}}',
                 '{"badges":[{"en":"%s","nl":"%s"}],"priority":"top"}' % (badge, badge)))
        con.close()
        # Any rule write makes the server reload its rules.
        tmp = self.ok("POST", "/api/v1/rules", {"name": "Tmp " + word(), "when": {},
                                                "then": {"notes": ["x"]}}, status=201)
        self.ok("DELETE", "/api/v1/rules/%d" % tmp["id"], status=204)
        got = [r for r in self.rules() if r["name"] == name]
        self.assertEqual(len(got), 1, "the stored rule is not lost")
        self.assertEqual(got[0]["suspended"]["code"], SENSITIVE)
        self.assertEqual(got[0]["suspended"]["field"], "when.attr.employee.salary")
        rid = got[0]["id"]
        for who in ("verkoop", "hr"):
            self.assertEqual(self.ok("GET", "/api/v1/parties" + q(q='badge:"%s"' % badge),
                                     token=self.tok[who])["items"], [])
            self.assertEqual(self.ok("GET", "/api/v1/parties" + q(q="priority:top"),
                                     token=self.tok[who])["items"], [])
        for pid in self.high_earners():
            t = self.get_party(pid)["treatment"]
            self.assertNotIn(name, t["because"])
            self.assertNotEqual(t["priority"], "top")
        # The sales user does not see the condition (hr), only that the rule is inert.
        mine = self.as_user("verkoop", "GET", "/api/v1/rules/%d" % rid)
        self.assertNotIn("attr", mine["when"])
        self.assertNotIn("salary", str(mine))
        # An admin fixes it by changing its conditions (keeping them is refused).
        self.problem("PATCH", "/api/v1/rules/%d" % rid, {"enabled": False}, status=422,
                     field="when.attr.employee.salary")
        fixed = self.ok("PATCH", "/api/v1/rules/%d" % rid,
                        {"when": {"attr": {"employee.job_title": {"eq": "nobody-" + word()}}}})
        self.assertIsNone(fixed["suspended"])
        self.ok("DELETE", "/api/v1/rules/%d" % rid, status=204)


class RuleVisibilityTest(RulesAccessBase):
    """Non-admins see a rule's name and effects; its conditions only on domains they read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mixed = None

    def mixed_rule(self):
        if RuleVisibilityTest.mixed is None:
            RuleVisibilityTest.mixed = self.ok("POST", "/api/v1/rules", {
                "name": "Happy colleague " + word(),
                "when": {"all_roles": ["employee", "customer"], "tags": ["vip"],
                         "status": {"employee": ["active"], "customer": ["active"]},
                         "attr": {"employee.job_title": {"eq": "Montage"},
                                  "customer.satisfaction": {"gt": 7}}},
                "then": {"priority": "high", "badges": ["Happy colleague"],
                         "notes": ["Ask for a review"]}}, status=201)
        return RuleVisibilityTest.mixed

    def test_admin_sees_every_condition(self):
        r = self.mixed_rule()
        got = self.ok("GET", "/api/v1/rules/%d" % r["id"])
        self.assertEqual(got["when"], r["when"])
        self.assertFalse(got["restricted"])
        self.assertIn("employee.job_title", got["when"]["attr"])

    def test_sales_user_sees_no_hr_condition(self):
        r = self.mixed_rule()
        admin = self.ok("GET", "/api/v1/rules/%d" % r["id"])
        mine = self.as_user("verkoop", "GET", "/api/v1/rules/%d" % r["id"])
        self.assertEqual(mine["name"], admin["name"])
        self.assertEqual(mine["then"], admin["then"], "effects are shown to everyone")
        self.assertTrue(mine["restricted"])
        self.assertEqual(mine["when"]["attr"], {"customer.satisfaction": {"gt": 7}})
        self.assertEqual(mine["when"]["status"], {"customer": ["active"]})
        self.assertEqual(mine["when"]["all_roles"], ["employee", "customer"])
        self.assertEqual(mine["when"]["tags"], ["vip"])
        self.assertNotIn("Montage", str(mine))

    def test_hr_user_sees_no_sales_condition(self):
        r = self.mixed_rule()
        mine = self.as_user("hr", "GET", "/api/v1/rules/%d" % r["id"])
        self.assertEqual(mine["when"]["attr"], {"employee.job_title": {"eq": "Montage"}})
        self.assertEqual(mine["when"]["status"], {"employee": ["active"]})
        self.assertTrue(mine["restricted"])

    def test_lists_hide_the_same(self):
        self.mixed_rule()
        hr_types = {t["name"] for t in self.ok("GET", "/api/v1/role-types")["items"]
                    if t["domain"] == "hr"}

        def hr_conditions(rules):
            keys = []
            for r in rules:
                for k in list(r["when"].get("attr", {})) + list(r["when"].get("status", {})):
                    if k.split(".")[0] in hr_types:
                        keys.append((r["name"], k))
            return keys

        self.assertTrue(hr_conditions(self.rules()), "admin sees the hr conditions")
        self.assertEqual(hr_conditions(self.rules("verkoop")), [])
        self.assertEqual(hr_conditions(self.rules("inkoop")), [])
        # Names and effects of every rule are the same for everyone.
        admin = {r["id"]: (r["name"], r["then"], r["enabled"]) for r in self.rules()}
        for who in DEMO_USERS:
            self.assertEqual({r["id"]: (r["name"], r["then"], r["enabled"])
                              for r in self.rules(who)}, admin, who)

    def test_rules_still_need_admin_to_change(self):
        r = self.mixed_rule()
        before = self.ok("GET", "/api/v1/rules/%d" % r["id"])
        self.problem("PATCH", "/api/v1/rules/%d" % r["id"], {"enabled": False}, status=403,
                     token=self.tok["hr"])
        self.assertEqual(self.ok("GET", "/api/v1/rules/%d" % r["id"]), before)


class StaffSuppressionTest(RulesAccessBase):
    """Active employees never get marketing nor a sales pitch, whatever the rules say."""

    def staff_customers(self):
        ids = self.ids("role:employee role:customer")
        out = [self.get_party(i) for i in ids]
        out = [p for p in out if any(r["type"] == "employee" and r["status"] == "active"
                                     for r in p["roles"])]
        self.assertTrue(out, "the demo has an active employee who is also a customer")
        return out

    def assert_suppressed_for_everyone(self, pid):
        for who in (None,) + DEMO_USERS:
            p = self.get_party(pid) if who is None else self.as_user(
                who, "GET", "/api/v1/parties/%d" % pid)
            t = p["treatment"]
            self.assertIn("no_marketing", t["suppress"], who)
            self.assertIn("no_sales_outreach", t["suppress"], who)
            self.assertIn(STAFF_BECAUSE, t["because"], who)
            self.assertFalse(p["may_email"], who)
            self.assertFalse(p["may_call"], who)

    def test_staff_customer_for_every_user(self):
        for p in self.staff_customers():
            self.assert_suppressed_for_everyone(p["id"])

    def test_consent_does_not_make_staff_contactable(self):
        p = self.create_party(roles=[{"type": "employee"}, {"type": "customer"}])
        for purpose in ("marketing_email", "newsletter", "phone_marketing"):
            self.ok("POST", "/api/v1/parties/%d/consents" % p["id"],
                    {"purpose": purpose, "source": "web form"}, status=201)
        got = self.get_party(p["id"])
        self.assertFalse(got["may_email"])
        self.assertFalse(got["may_call"])
        self.assertEqual(got["contactability"]["email"]["reason"], "staff")
        self.assertNotIn(p["id"], self.ids("may:email"))
        self.assertNotIn(p["id"], self.ids("may:call"))

    def test_ended_customer_role_keeps_staff_unmailable(self):
        tag = word()
        emp = self.create_party(tags=[tag], roles=[
            {"type": "employee", "since": days_ago(2000)},
            {"type": "customer", "status": "active", "since": days_ago(1500)}])
        # The control: an ex-customer who is not staff is mailable by the 3-year rule.
        ctl = self.create_party(tags=[tag], roles=[
            {"type": "customer", "status": "active", "since": days_ago(1500)}])
        for p in (emp, ctl):
            cust = [r for r in self.get_party(p["id"])["roles"] if r["type"] == "customer"][0]
            self.ok("PATCH", "/api/v1/roles/%d" % cust["id"], {"until": days_ago(30)})
        got = self.get_party(emp["id"])
        self.assertFalse(got["may_email"])
        self.assertFalse(got["may_call"])
        self.assertEqual(got["contactability"]["email"]["reason"], "staff")
        self.assertIn("no_marketing", got["treatment"]["suppress"])
        other = self.get_party(ctl["id"])
        self.assertTrue(other["may_email"], other["contactability"])
        self.assertEqual(self.ids("tag:%s may:email" % tag), {ctl["id"]})
        self.assertEqual(self.ids("tag:%s may:call" % tag), {ctl["id"]})
        # A former employee is no longer staff: the same rule applies as to anyone.
        role = [r for r in got["roles"] if r["type"] == "employee"][0]
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"status": "former"})
        left = self.get_party(emp["id"])
        self.assertTrue(left["may_email"], left["contactability"])
        self.assertNotIn(STAFF_BECAUSE, left["treatment"]["because"])
        self.assertEqual(self.ids("tag:%s may:email" % tag), {ctl["id"], emp["id"]})

    def test_applicant_is_not_staff(self):
        p = self.create_party(roles=[{"type": "employee", "status": "applicant"},
                                     {"type": "customer", "status": "active"}])
        for who in ("verkoop", "hr"):
            t = self.as_user(who, "GET", "/api/v1/parties/%d" % p["id"])["treatment"]
            self.assertNotIn(STAFF_BECAUSE, t["because"], who)
            # Nor does the staff customer rule show everyone that an applicant applied.
            self.assertNotIn("Staff customer", t["because"], who)
            self.assertEqual(t["badges"], [], who)
        self.assertNotIn(p["id"], self.ids("badge:personeel"))


class StaffWithoutRulesTest(RulesAccessBase):
    """After the admin disables every rule, staff still get both suppressions."""

    def test_every_rule_disabled(self):
        for r in self.rules():
            if r["enabled"]:
                self.ok("PATCH", "/api/v1/rules/%d" % r["id"], {"enabled": False})
        self.assertFalse(any(r["enabled"] for r in self.rules()))
        ids = self.ids("role:employee role:customer")
        staff = [i for i in ids if any(
            r["type"] == "employee" and r["status"] == "active"
            for r in self.get_party(i)["roles"])]
        self.assertTrue(staff)
        may = self.ids("may:email") | self.ids("may:call")
        for pid in staff:
            for who in (None,) + DEMO_USERS:
                p = self.get_party(pid) if who is None else self.as_user(
                    who, "GET", "/api/v1/parties/%d" % pid)
                t = p["treatment"]
                self.assertEqual(t["because"], [STAFF_BECAUSE], who)
                self.assertEqual(set(t["suppress"]), {"no_marketing", "no_sales_outreach"}, who)
                self.assertFalse(p["may_email"], who)
            self.assertNotIn(pid, may)
        # List pages agree with single reads.
        for p in self.list_all("/api/v1/parties", q="role:employee role:customer"):
            if p["id"] in staff:
                self.assertIn("no_marketing", p["treatment"]["suppress"])


if __name__ == "__main__":
    unittest.main()
