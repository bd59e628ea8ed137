"""Treatment rules on the demo data: the four built-in rules, how rules combine,
the rules API (validation, admin-only writes, audit, versions), constraints
that reject a write with 409, and the simulation of a draft rule."""

import unittest

from demo_case import DemoTestCase
from harness import etag, q, word

STAFF = "Staff customer"
PARTNER = "Strategic partner customer"
PRESS = "Press customer"
SUPPLIER = "Supplier customer"
ACTIVE_EMPLOYEE = "Active employee"  # not a rule: staff always get both suppressions


class BuiltinRuleTest(DemoTestCase):
    """Each built-in rule does what it promises on the demo data, and on no one else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parties = None

    def everyone(self):
        if BuiltinRuleTest.parties is None:
            BuiltinRuleTest.parties = self.all_parties()
        return BuiltinRuleTest.parties

    def fired(self, rule):
        return {i for i, p in self.everyone().items() if rule in p["treatment"]["because"]}

    def test_four_builtins_ship_enabled(self):
        rules = {r["name"]: r for r in self.ok("GET", "/api/v1/rules")["items"]}
        for name in (STAFF, PARTNER, PRESS, SUPPLIER):
            with self.subTest(rule=name):
                self.assertIn(name, rules)
                r = rules[name]
                self.assertTrue(r["builtin"])
                self.assertTrue(r["enabled"])
                self.assertEqual(r["kind"], "treatment")
                for key in ("id", "when", "then", "version"):
                    self.assertIn(key, r)

    def test_every_party_has_a_treatment(self):
        for p in self.everyone().values():
            t = p["treatment"]
            self.assertEqual(set(t), {"priority", "badges", "suppress", "sla_hours", "notes",
                                      "owner", "because"}, p["name"])
            self.assertIn(t["priority"], ("low", "normal", "high", "top"))
            if not t["because"]:
                self.assertEqual(t["priority"], "normal")
                self.assertEqual(t["badges"], [])

    def test_staff_customers(self):
        parties = self.everyone()
        want = {i for i, p in parties.items()
                if self.holds(p, "employee") and self.holds(p, "customer")}
        self.assertGreaterEqual(len(want), 4, "the demo has employees who are customers")
        self.assertEqual(self.fired(STAFF), want)
        for i in want:
            t = parties[i]["treatment"]
            self.assertIn("no_sales_outreach", t["suppress"])
            self.assertIn("Personeel", self.badge_texts(parties[i], "nl"))
            self.assertIn("Staff", self.badge_texts(parties[i], "en"))
            self.assertTrue(any("staff terms" in n["en"] for n in t["notes"]))
        # An employee whose customer role ended is no staff customer.
        ended = [p for p in parties.values() if self.holds(p, "employee")
                 and self.role(p, "customer") and not self.holds(p, "customer")]
        self.assertTrue(ended, "the demo has an employee who is a former customer")
        for p in ended:
            self.assertNotIn(STAFF, p["treatment"]["because"])
            # ... but, as every active employee, gets no marketing and no sales pitch.
            active = any(r["type"] == "employee" and r["status"] in ("active", "on_leave")
                         for r in p["roles"])
            self.assertEqual(ACTIVE_EMPLOYEE in p["treatment"]["because"], active)
            self.assertEqual("no_sales_outreach" in p["treatment"]["suppress"], active)

    def test_strategic_partner_customer(self):
        parties = self.everyone()
        want = {i for i, p in parties.items()
                if self.holds(p, "partner") and self.holds(p, "customer")
                and self.role(p, "partner")["attributes"].get("tier") in ("gold", "strategic")}
        self.assertTrue(want)
        self.assertEqual(self.fired(PARTNER), want)
        arch = self.demo_party("Architectenbureau Linthorst & De Wit")
        self.assertIn(arch["id"], want)
        t = arch["treatment"]
        self.assertEqual(t["priority"], "high")
        self.assertEqual(t["sla_hours"], 4)
        self.assertIn("Strategic partner", self.badge_texts(arch, "en"))
        # Partners that are not customers get nothing from it.
        for p in parties.values():
            if self.holds(p, "partner") and not self.holds(p, "customer"):
                self.assertNotIn(PARTNER, p["treatment"]["because"])

    def test_press_customer(self):
        parties = self.everyone()
        want = {i for i, p in parties.items()
                if self.holds(p, "press") and self.holds(p, "customer")}
        self.assertTrue(want)
        self.assertEqual(self.fired(PRESS), want)
        j = self.demo_party("Martijn ter Haar")
        self.assertEqual(j["treatment"]["priority"], "high")
        self.assertIn("Pers", self.badge_texts(j, "nl"))
        self.assertTrue(any("PR" in n["en"] and "complaint" in n["en"]
                            for n in j["treatment"]["notes"]))
        for p in parties.values():
            if self.holds(p, "press") and not self.holds(p, "customer"):
                self.assertEqual(p["treatment"]["priority"], "normal", p["name"])

    def test_supplier_customer(self):
        parties = self.everyone()
        want = {i for i, p in parties.items()
                if self.holds(p, "supplier") and self.holds(p, "customer")}
        self.assertTrue(want)
        self.assertEqual(self.fired(SUPPLIER), want)
        s = self.demo_party("Houthandel Van den Broek B.V.")
        notes = " ".join(n["en"] for n in s["treatment"]["notes"])
        self.assertIn("offset", notes)
        self.assertIn("conflict", notes)
        self.assertIn("Ook leverancier", self.badge_texts(s, "nl"))
        self.assertEqual(s["treatment"]["priority"], "normal")

    def test_single_read_and_list_agree(self):
        parties = self.everyone()
        for pid in list(self.fired(STAFF))[:2] + list(self.fired(PARTNER)):
            self.assertEqual(self.get_party(pid)["treatment"], parties[pid]["treatment"])


class RuleEditTest(DemoTestCase):
    """Rules are data: editing one changes treatment at once; writes are admin-only."""

    def test_disable_and_enable_a_builtin(self):
        rule = self.rule_by_name(STAFF)
        staff = self.ids("badge:personeel")
        self.assertTrue(staff)
        off = self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"enabled": False},
                      headers={"If-Match": etag(rule["version"])})
        self.assertFalse(off["enabled"])
        self.assertEqual(off["version"], rule["version"] + 1)
        self.assertTrue(off["builtin"])
        for pid in staff:
            t = self.get_party(pid)["treatment"]
            self.assertNotIn(STAFF, t["because"])
        self.assertEqual(self.ids("badge:personeel"), set())
        # A stale version is refused and changes nothing.
        self.problem("PATCH", "/api/v1/rules/%d" % rule["id"], {"enabled": True},
                     headers={"If-Match": etag(rule["version"])}, status=412)
        on = self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"enabled": True})
        self.assertTrue(on["enabled"])
        self.assertEqual(self.ids("badge:personeel"), staff)

    def test_edit_a_builtin_effect(self):
        rule = self.rule_by_name(SUPPLIER)
        then = dict(rule["then"])
        then["sla_hours"] = 12
        self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"then": then})
        s = self.demo_party("Houthandel Van den Broek B.V.")
        self.assertEqual(s["treatment"]["sla_hours"], 12)
        del then["sla_hours"]
        self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"then": then})
        self.assertIsNone(self.demo_party("Houthandel Van den Broek B.V.")["treatment"]["sla_hours"])

    def test_builtin_cannot_be_deleted(self):
        rule = self.rule_by_name(PRESS)
        js = self.problem("DELETE", "/api/v1/rules/%d" % rule["id"], status=409)
        self.assertIn(PRESS, js["detail"])
        self.ok("GET", "/api/v1/rules/%d" % rule["id"])

    def test_create_get_delete_and_audit(self):
        name = "VIP " + word()
        tag = word()
        p = self.create_party(tags=[tag], roles=[{"type": "customer"}])
        hdrs, r = self.ok_h("POST", "/api/v1/rules", {
            "name": name, "when": {"tags": [tag.upper()], "any_roles": ["customer"]},
            "then": {"priority": "top", "badges": [{"en": "VIP", "nl": "VIP-klant"}],
                     "suppress": ["no_marketing"], "sla_hours": 2}}, status=201)
        self.assertEqual(hdrs["Location"], "/api/v1/rules/%d" % r["id"])
        self.assertEqual(r["when"]["tags"], [tag])
        self.assertFalse(r["builtin"])
        self.assertTrue(r["enabled"])
        self.assertEqual(self.ok("GET", "/api/v1/rules/%d" % r["id"])["name"], name)
        t = self.get_party(p["id"])["treatment"]
        self.assertEqual(t["priority"], "top")
        self.assertEqual(t["because"], [name])
        self.assertEqual(t["suppress"], ["no_marketing"])
        self.assertEqual(t["sla_hours"], 2)
        audit = self.ok("GET", "/api/v1/audit" + q(entity="rule", entity_id=str(r["id"])))
        self.assertEqual([e["action"] for e in audit["items"]], ["create"])
        self.ok("DELETE", "/api/v1/rules/%d" % r["id"], status=204)
        self.problem("GET", "/api/v1/rules/%d" % r["id"], status=404)
        self.assertEqual(self.get_party(p["id"])["treatment"]["because"], [])
        audit = self.ok("GET", "/api/v1/audit" + q(entity="rule", entity_id=str(r["id"])))
        self.assertEqual([e["action"] for e in audit["items"]], ["delete", "create"])

    def test_rules_combine(self):
        tag = word()
        p = self.create_party(tags=[tag], roles=[{"type": "employee"}, {"type": "customer"}])
        a = self.ok("POST", "/api/v1/rules", {
            "name": "A " + tag, "when": {"tags": [tag]},
            "then": {"priority": "low", "badges": ["A"], "sla_hours": 48, "owner": 1,
                     "notes": ["first"]}}, status=201)
        b = self.ok("POST", "/api/v1/rules", {
            "name": "B " + tag, "when": {"tags": [tag], "all_roles": ["customer"]},
            "then": {"priority": "high", "badges": ["B"], "sla_hours": 8,
                     "suppress": ["no_marketing"]}}, status=201)
        t = self.get_party(p["id"])["treatment"]
        self.assertEqual(t["priority"], "high")          # the highest wins
        self.assertEqual([x["en"] for x in t["badges"]], ["Staff", "A", "B"])  # badges add up
        self.assertEqual(set(t["suppress"]), {"no_sales_outreach", "no_marketing"})
        self.assertEqual(t["sla_hours"], 8)              # the strictest SLA
        self.assertEqual(t["owner"], 1)
        # in rule order, then the staff suppressions every active employee gets
        self.assertEqual(t["because"], [STAFF, a["name"], b["name"], ACTIVE_EMPLOYEE])
        for r in (a, b):
            self.ok("DELETE", "/api/v1/rules/%d" % r["id"], status=204)

    def test_validation_names_the_field(self):
        cases = [
            ({"name": "x", "when": {"all_roles": ["customer", "astronaut"]},
              "then": {"priority": "high"}}, 422, "when.all_roles[1]"),
            ({"name": "x", "when": {"attr": {"partner.level": {"eq": "gold"}}},
              "then": {"priority": "high"}}, 422, "when.attr.partner.level"),
            ({"name": "x", "when": {"attr": {"partner.tier": {"in": ["gold", "platinum"]}}},
              "then": {"priority": "high"}}, 422, "when.attr.partner.tier.in[1]"),
            ({"name": "x", "when": {"status": {"customer": ["happy"]}},
              "then": {"priority": "high"}}, 422, "when.status.customer[0]"),
            ({"name": "x", "when": {"segment": 999999}, "then": {"priority": "high"}},
             422, "when.segment"),
            ({"name": "x", "when": {}, "then": {"owner": 999999}}, 422, "then.owner"),
            ({"name": "x", "when": {}, "then": {"priority": "urgent"}}, 422, "then.priority"),
            ({"name": "x", "when": {}, "then": {}}, 422, "then"),
            ({"name": "x", "when": {}, "then": {"priority": "high"}, "colour": 1}, 422,
             "colour"),
            ({"when": {}, "then": {"priority": "high"}}, 422, "name"),
            ({"name": "x", "when": "everyone", "then": {"priority": "high"}}, 400, "when"),
            ({"name": "x", "kind": "constraint", "when": {}}, 422, "when"),
        ]
        before = len(self.ok("GET", "/api/v1/rules")["items"])
        for body, status, field in cases:
            with self.subTest(field=field):
                self.problem("POST", "/api/v1/rules", body, status=status, field=field)
        self.assertEqual(len(self.ok("GET", "/api/v1/rules")["items"]), before)
        self.problem("POST", "/api/v1/rules", {"name": STAFF, "when": {},
                                               "then": {"priority": "low"}}, status=409)

    def test_everyone_reads_only_admins_write(self):
        tok = self.user_token("reader" + word(4))
        rules = self.ok("GET", "/api/v1/rules", token=tok)["items"]
        self.assertTrue(rules)
        self.ok("GET", "/api/v1/rules/%d" % rules[0]["id"], token=tok)
        body = {"name": "nope", "when": {}, "then": {"priority": "top"}}
        self.problem("POST", "/api/v1/rules", body, status=403, token=tok)
        self.problem("PATCH", "/api/v1/rules/%d" % rules[0]["id"], {"enabled": False},
                     status=403, token=tok)
        self.problem("DELETE", "/api/v1/rules/%d" % rules[0]["id"], status=403, token=tok)
        self.problem("POST", "/api/v1/rules/simulate", body, status=403, token=tok)
        self.assertTrue(self.ok("GET", "/api/v1/rules/%d" % rules[0]["id"])["enabled"])


class ConstraintTest(DemoTestCase):
    """A constraint rule rejects a role write that would break it, with 409 naming it."""

    RULE = "No suppliers on the payroll"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, js = cls.client.req("POST", "/api/v1/rules", {
            "name": cls.RULE, "kind": "constraint",
            "when": {"all_roles": ["supplier", "employee"]},
            "then": {"message": {"en": "a supplier may not also be an employee",
                                 "nl": "een leverancier mag geen medewerker zijn"}}})
        assert st == 201, js
        cls.rule = js

    def test_adding_a_role_that_breaks_it(self):
        s = self.demo_party("Houthandel Van den Broek B.V.")
        js = self.problem("POST", "/api/v1/parties/%d/roles" % s["id"], {"type": "employee"},
                          status=409)
        self.assertIn(self.RULE, js["detail"])
        self.assertIn("may not also be an employee", js["detail"])
        after = self.get_party(s["id"])
        self.assertEqual([r["type"] for r in after["roles"]], [r["type"] for r in s["roles"]])
        self.assertEqual(after["version"], s["version"])

    def test_the_other_way_round(self):
        p = self.create_party(roles=[{"type": "employee"}])
        self.problem("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "supplier"},
                     status=409)
        self.assertEqual(len(self.get_party(p["id"])["roles"]), 1)

    def test_creating_a_party_with_both_roles(self):
        name = word().capitalize()
        js = self.problem("POST", "/api/v1/parties", {
            "kind": "person", "family_name": name,
            "roles": [{"type": "supplier"}, {"type": "employee"}]}, status=409)
        self.assertIn(self.RULE, js["detail"])
        self.assertEqual(self.search(name), [], "the party was half created")

    def test_reviving_an_ended_role(self):
        p = self.create_party(roles=[{"type": "supplier"},
                                     {"type": "employee", "status": "former"}])
        emp = [r for r in p["roles"] if r["type"] == "employee"][0]
        self.problem("PATCH", "/api/v1/roles/%d" % emp["id"], {"status": "active"}, status=409)
        self.assertEqual(self.ok("GET", "/api/v1/roles/%d" % emp["id"])["status"], "former")
        # Other writes on the party are fine; the constraint only looks at held roles.
        self.ok("PATCH", "/api/v1/roles/%d" % emp["id"], {"attributes": {"job_title": "x"}})

    def test_disabled_constraint_allows_it(self):
        rule = self.rule_by_name(self.RULE)
        self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"enabled": False})
        try:
            p = self.create_party(roles=[{"type": "supplier"}, {"type": "employee"}])
            self.assertEqual(len(p["roles"]), 2)
        finally:
            self.ok("PATCH", "/api/v1/rules/%d" % rule["id"], {"enabled": True})


class SimulateTest(DemoTestCase):
    """POST /rules/simulate: which parties a draft would change and how, nothing saved."""

    def simulate(self, draft, **params):
        return self.ok("POST", "/api/v1/rules/simulate" + (q(**params) if params else ""), draft)

    def simulate_all(self, draft, limit):
        items, scanned, cursor = [], 0, None
        for _ in range(1000):
            params = {"limit": str(limit)}
            if cursor:
                params["cursor"] = cursor
            js = self.simulate(draft, **params)
            self.assertLessEqual(js["scanned"], limit)
            items += js["items"]
            scanned += js["scanned"]
            cursor = js["next"]
            if not cursor:
                return items, scanned
        self.fail("simulation pages do not end")

    def test_a_new_rule(self):
        rules_before = self.ok("GET", "/api/v1/rules")["items"]
        parties = self.all_parties()
        draft = {"name": "Top partners", "when": {"all_roles": ["partner", "customer"]},
                 "then": {"priority": "top", "badges": ["Top"]}}
        js = self.simulate(draft)
        self.assertEqual(js["scanned"], len(parties))
        self.assertIsNone(js["next"])
        self.assertEqual(js["rule"]["name"], "Top partners")
        want = {i for i, p in parties.items()
                if self.holds(p, "partner") and self.holds(p, "customer")}
        self.assertTrue(want)
        self.assertEqual({it["party"]["id"] for it in js["items"]}, want)
        for it in js["items"]:
            p = parties[it["party"]["id"]]
            self.assertEqual(it["party"]["name"], p["name"])
            self.assertEqual(it["before"]["treatment"], p["treatment"])
            self.assertEqual(it["after"]["treatment"]["priority"], "top")
            self.assertIn("Top partners", it["after"]["treatment"]["because"])
            self.assertIn("Top", [b["en"] for b in it["after"]["treatment"]["badges"]])
        # Nothing was saved.
        self.assertEqual(self.ok("GET", "/api/v1/rules")["items"], rules_before)
        for pid in want:
            self.assertEqual(self.get_party(pid)["treatment"], parties[pid]["treatment"])

    def test_disabling_a_builtin(self):
        rule = self.rule_by_name(STAFF)
        js = self.simulate({"id": rule["id"], "enabled": False})
        staff = self.ids("badge:personeel")
        self.assertEqual({it["party"]["id"] for it in js["items"]}, staff)
        for it in js["items"]:
            self.assertIn(STAFF, it["before"]["treatment"]["because"])
            self.assertNotIn(STAFF, it["after"]["treatment"]["because"])
            # Active employees keep both suppressions whatever the rules say.
            if ACTIVE_EMPLOYEE in it["after"]["treatment"]["because"]:
                self.assertIn("no_sales_outreach", it["after"]["treatment"]["suppress"])
            else:
                self.assertNotIn("no_sales_outreach", it["after"]["treatment"]["suppress"])
        self.assertEqual(js["rule"]["id"], rule["id"])
        self.assertTrue(self.ok("GET", "/api/v1/rules/%d" % rule["id"])["enabled"])

    def test_a_rule_that_changes_nobody(self):
        js = self.simulate({"name": "x", "when": {"all_roles": ["employee", "press"]},
                            "then": {"priority": "low"}})
        self.assertEqual(js["items"], [])

    def test_a_constraint(self):
        js = self.simulate({"name": "No staff customers", "kind": "constraint",
                            "when": {"all_roles": ["employee", "customer"]}})
        self.assertEqual({it["party"]["id"] for it in js["items"]}, self.ids("badge:personeel"))
        for it in js["items"]:
            self.assertEqual(it["before"]["broken"], [])
            self.assertEqual(it["after"]["broken"], ["No staff customers"])

    def test_pages_cover_the_same_ground(self):
        draft = {"name": "Suppliers", "when": {"any_roles": ["supplier"]},
                 "then": {"notes": ["check invoices"]}}
        whole = self.simulate(draft)
        items, scanned = self.simulate_all(draft, 37)
        self.assertEqual(scanned, whole["scanned"])
        self.assertEqual(items, whole["items"])
        self.assertTrue(items)

    def test_bad_input(self):
        self.problem("POST", "/api/v1/rules/simulate",
                     {"name": "x", "when": {"any_roles": ["astronaut"]},
                      "then": {"priority": "low"}}, status=422, field="when.any_roles[0]")
        self.problem("POST", "/api/v1/rules/simulate" + q(cursor="nonsense"),
                     {"name": "x", "when": {}, "then": {"priority": "low"}}, status=400,
                     field="cursor")
        self.problem("POST", "/api/v1/rules/simulate" + q(limit="0"),
                     {"name": "x", "when": {}, "then": {"priority": "low"}}, status=400,
                     field="limit")
        self.problem("POST", "/api/v1/rules/simulate", {"id": 999999, "enabled": False},
                     status=422, field="id")


if __name__ == "__main__":
    unittest.main()
