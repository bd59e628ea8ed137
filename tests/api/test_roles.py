"""Roles and role types: the six built-in types and their attribute schemas, a
type an admin adds, roles on parties and their validation."""

import unittest

from harness import ApiTestCase, describe, etag, word

BUILTINS = {
    "customer": ("sales", {"customer_number", "account_manager", "segment", "satisfaction",
                           "payment_terms_days"}),
    "employee": ("hr", {"employee_number", "job_title", "department", "manager", "start_date",
                        "end_date", "contract_type", "hours_per_week", "salary"}),
    "partner": ("partners", {"tier", "partner_type", "agreement_until", "commission_pct"}),
    "supplier": ("purchasing", {"supplier_number", "category", "rating", "preferred",
                                "payment_terms_days", "lead_time_days"}),
    "press": ("pr", {"outlet", "beat", "reach"}),
    "stakeholder": ("pr", {"project", "interest", "influence", "stance"}),
}


def items(js):
    return js["items"] if isinstance(js, dict) else js


def volunteer_type(name):
    return {
        "name": name,
        "domain": "hr",
        "label": {"en": "Volunteer", "nl": "Vrijwilliger"},
        "statuses": ["candidate", "active", "former"],
        "default_status": "active",
        "ended_statuses": ["former"],
        "attributes": [
            {"name": "shift", "type": "enum", "values": ["morning", "evening", "weekend"],
             "required": True, "label": {"en": "Shift", "nl": "Dienst"}},
            {"name": "hours", "type": "integer", "min": 0, "max": 40,
             "label": {"en": "Hours", "nl": "Uren"}},
        ],
    }


class RoleTypeTest(ApiTestCase):
    def types(self):
        return {t["name"]: t for t in items(self.ok("GET", "/api/v1/role-types"))}

    def test_six_builtins_with_their_attributes(self):
        types = self.types()
        for name, (domain, attrs) in BUILTINS.items():
            with self.subTest(type=name):
                self.assertIn(name, types)
                t = types[name]
                self.assertEqual(t["domain"], domain)
                self.assertTrue(t.get("builtin"), "%s is not marked built in" % name)
                self.assertTrue(t.get("statuses"), "%s has no statuses" % name)
                got = {a["name"] for a in t["attributes"]}
                self.assertTrue(attrs <= got, "%s lacks %s" % (name, attrs - got))

    def test_salary_is_sensitive(self):
        emp = {a["name"]: a for a in self.types()["employee"]["attributes"]}
        self.assertTrue(emp["salary"].get("sensitive"), "salary is not sensitive")
        self.assertFalse(emp["job_title"].get("sensitive"), "job_title is sensitive")

    def test_enums_and_ranges_are_described(self):
        types = self.types()
        tier = {a["name"]: a for a in types["partner"]["attributes"]}["tier"]
        self.assertEqual(tier["type"], "enum")
        self.assertEqual(set(tier["values"]), {"bronze", "silver", "gold", "strategic"})
        stance = {a["name"]: a for a in types["stakeholder"]["attributes"]}["stance"]
        self.assertEqual(set(stance["values"]), {"supportive", "neutral", "opposed"})
        for key in ("interest", "influence"):
            a = {a["name"]: a for a in types["stakeholder"]["attributes"]}[key]
            self.assertEqual(set(a["values"]), {"high", "low"})
        customer = types["customer"]
        for status in ("lead", "prospect", "active", "former"):
            self.assertIn(status, customer["statuses"])

    def test_get_one_type(self):
        t = self.ok("GET", "/api/v1/role-types/customer")
        self.assertEqual(t["name"], "customer")
        self.problem("GET", "/api/v1/role-types/astronaut", status=404)

    def test_admin_adds_a_type_that_validates_roles(self):
        name = "volunteer_" + word(5)
        h, t = self.ok_h("POST", "/api/v1/role-types", volunteer_type(name), 201)
        self.assertEqual(t["name"], name)
        self.assertFalse(t.get("builtin"))
        self.assertIn(name, self.types())
        self.assertEqual(self.ok("GET", "/api/v1/role-types/" + name)["domain"], "hr")

        p = self.create_party()
        path = "/api/v1/parties/%d/roles" % p["id"]
        role = self.ok("POST", path, {"type": name, "attributes": {"shift": "evening",
                                                                  "hours": 8}}, 201)
        self.assertEqual(role["type"], name)
        self.assertEqual(role["status"], "active")
        self.assertEqual(role["attributes"], {"shift": "evening", "hours": 8})
        for attrs, field in (({"shift": "night"}, "attributes.shift"),
                             ({"shift": 3}, "attributes.shift"),
                             ({}, "attributes.shift"),
                             ({"shift": "morning", "hours": 41}, "attributes.hours"),
                             ({"shift": "morning", "colour": "red"}, "attributes.colour")):
            with self.subTest(attrs=attrs):
                self.problem("POST", path, {"type": name, "attributes": attrs},
                             status=(400, 422), field=field)
        self.problem("POST", path, {"type": name, "status": "retired",
                                    "attributes": {"shift": "morning"}}, status=422,
                     field="status")
        got = self.get_party(p["id"])
        self.assertEqual([r["type"] for r in got["roles"]], [name], "a refused role was stored")
        # Search by the new type and its attribute.
        self.assertIn(p["id"], self.search("role:" + name))
        self.assertIn(p["id"], self.search("%s.shift:evening" % name))
        self.assertNotIn(p["id"], self.search("%s.shift:morning" % name))

    def test_bad_type_definitions(self):
        good = volunteer_type("vt_" + word(5))
        cases = [
            (dict(good, name="Volunteer Type!"), "name"),
            (dict(good, name="customer"), "name"),
            (dict(good, domain="space"), "domain"),
            (dict(good, statuses=[]), "statuses"),
            (dict(good, default_status="nope"), "default_status"),
            (dict(good, attributes=[{"name": "x", "type": "colour"}]), "attributes[0]"),
            (dict(good, attributes=[{"name": "x", "type": "enum"}]), "attributes[0]"),
            (dict(good, extra=True), "extra"),
            ({"domain": "hr", "statuses": ["active"]}, "name"),
        ]
        before = set(self.types())
        for body, field in cases:
            with self.subTest(field=field):
                self.problem("POST", "/api/v1/role-types", body, status=(400, 409, 422),
                             field=field)
        self.assertEqual(set(self.types()), before, "a refused role type was stored")

    def test_duplicate_type_is_refused(self):
        name = "dup_" + word(5)
        self.ok("POST", "/api/v1/role-types", volunteer_type(name), 201)
        self.problem("POST", "/api/v1/role-types", volunteer_type(name), status=(409, 422),
                     field="name")


class RoleTest(ApiTestCase):
    def party_with(self, *roles):
        return self.create_party(roles=list(roles)) if roles else self.create_party()

    def test_create_read_list_role(self):
        p = self.create_party()
        h, r = self.ok_h("POST", "/api/v1/parties/%d/roles" % p["id"],
                         {"type": "customer", "status": "prospect", "since": "2024-03-01",
                          "attributes": {"segment": "mkb", "satisfaction": 8}}, 201)
        self.assertEqual(h["Location"], "/api/v1/roles/%d" % r["id"])
        for k, v in (("party", p["id"]), ("type", "customer"), ("status", "prospect"),
                     ("since", "2024-03-01"), ("until", None)):
            self.assertEqual(r[k], v, k)
        self.assertEqual(r["attributes"], {"segment": "mkb", "satisfaction": 8})
        self.assertEqual(self.ok("GET", "/api/v1/roles/%d" % r["id"]), r)
        listed = items(self.ok("GET", "/api/v1/parties/%d/roles" % p["id"]))
        self.assertEqual([x["id"] for x in listed], [r["id"]])
        self.assertEqual([x["id"] for x in self.get_party(p["id"])["roles"]], [r["id"]])

    def test_default_status_is_the_types(self):
        p = self.create_party()
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "customer"}, 201)
        self.assertEqual(r["status"], "active")

    def test_adding_a_role_changes_the_party_etag(self):
        p = self.create_party()
        h1, _ = self.ok_h("GET", "/api/v1/parties/%d" % p["id"])
        self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "press"}, 201)
        h2, got = self.ok_h("GET", "/api/v1/parties/%d" % p["id"])
        self.assertNotEqual(h1["ETag"], h2["ETag"])
        self.assertEqual(h2["ETag"], etag(got["version"]))
        st, _, _ = self.client.raw("GET", "/api/v1/parties/%d" % p["id"],
                                   headers={"If-None-Match": h1["ETag"]})
        self.assertEqual(st, 200, "a stale ETag got 304 after a role was added")

    def test_several_roles_of_one_type_over_time(self):
        p = self.create_party()
        path = "/api/v1/parties/%d/roles" % p["id"]
        self.ok("POST", path, {"type": "employee", "status": "former", "since": "2015-01-01",
                               "until": "2018-12-31"}, 201)
        self.ok("POST", path, {"type": "employee", "since": "2022-05-01"}, 201)
        roles = self.get_party(p["id"])["roles"]
        self.assertEqual(sorted(r["type"] for r in roles), ["employee", "employee"])

    def test_employee_attributes_and_salary(self):
        mgr = self.create_party()
        p = self.create_party()
        # HR, the organisation: the department attribute holds a department id
        dept = self.ok("POST", "/api/v1/departments", {"name": "Service " + word()}, 201)["id"]
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {
            "type": "employee",
            "attributes": {"job_title": "Monteur", "department": dept, "manager": mgr["id"],
                           "start_date": "2021-09-01", "contract_type": "permanent",
                           "hours_per_week": 32.5, "salary": 340000},
        }, 201)
        a = r["attributes"]
        self.assertEqual(a["salary"], 340000)  # admins have full access
        self.assertEqual(a["manager"], mgr["id"])
        self.assertEqual(a["department"], dept)
        self.assertEqual(a["hours_per_week"], 32.5)
        self.assertIn(p["id"], self.search("employee.contract_type:permanent"))

    def test_patch_role_with_if_match(self):
        p = self.create_party()
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"],
                    {"type": "partner", "attributes": {"tier": "silver"}}, 201)
        path = "/api/v1/roles/%d" % r["id"]
        h, _ = self.ok_h("GET", path)
        self.assertEqual(h["ETag"], etag(r["version"]))
        got = self.ok("PATCH", path, {"attributes": {"tier": "gold"}},
                      headers={"If-Match": h["ETag"]})
        self.assertEqual(got["attributes"]["tier"], "gold")
        self.assertEqual(got["version"], r["version"] + 1)
        before = self.ok("GET", path)
        self.problem("PATCH", path, {"attributes": {"tier": "bronze"}}, status=412,
                     headers={"If-Match": h["ETag"]})
        self.assertEqual(self.ok("GET", path), before)
        self.assertIn(p["id"], self.search("partner.tier:gold"))
        self.assertNotIn(p["id"], self.search("partner.tier:silver"))

    def test_type_of_a_role_cannot_change(self):
        p = self.create_party()
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "press"}, 201)
        path = "/api/v1/roles/%d" % r["id"]
        self.problem("PATCH", path, {"type": "customer"}, status=422, field="type")
        self.assertEqual(self.ok("GET", path)["type"], "press")

    def test_ending_a_role(self):
        p = self.create_party()
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"],
                    {"type": "customer", "since": "2020-01-01"}, 201)
        got = self.ok("PATCH", "/api/v1/roles/%d" % r["id"],
                      {"status": "former", "until": "2024-06-30"})
        self.assertEqual(got["status"], "former")
        self.assertEqual(got["until"], "2024-06-30")

    def test_delete_role(self):
        p = self.create_party()
        r = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "supplier"}, 201)
        path = "/api/v1/roles/%d" % r["id"]
        self.ok("PATCH", path, {"attributes": {"rating": 4}})
        self.problem("DELETE", path, status=412, headers={"If-Match": etag(1)})
        self.assertEqual(len(self.get_party(p["id"])["roles"]), 1)
        st, _, body = self.client.raw("DELETE", path)
        self.assertEqual(st, 204, describe(self.client))
        self.problem("GET", path, status=404)
        self.assertEqual(self.get_party(p["id"])["roles"], [])
        self.assertNotIn(p["id"], self.search("role:supplier"))

    def test_missing_party_or_role_is_404(self):
        self.problem("POST", "/api/v1/parties/99999999/roles", {"type": "customer"}, status=404)
        self.problem("GET", "/api/v1/roles/99999999", status=404)
        self.problem("PATCH", "/api/v1/roles/99999999", {"status": "active"}, status=404)
        self.problem("DELETE", "/api/v1/roles/99999999", status=404)


class RoleBadInputTest(ApiTestCase):
    """A refused role leaves the party and its roles as they were."""

    def setUp(self):
        super().setUp()
        if not hasattr(type(self), "party"):
            type(self).party = self.create_party(roles=[{"type": "customer"}])
            type(self).mgr = self.create_party()

    def refused(self, body, status, field):
        pid = self.party["id"]
        before = self.get_party(pid)
        js = self.problem("POST", "/api/v1/parties/%d/roles" % pid, body, status, field)
        self.assertEqual(self.get_party(pid), before, "a refused role changed the party")
        return js

    def test_unknown_role_type(self):
        self.refused({"type": "astronaut"}, 422, "type")
        self.refused({"type": "Customer!"}, 422, "type")
        self.refused({}, (400, 422), "type")

    def test_attribute_outside_the_schema(self):
        self.refused({"type": "customer", "attributes": {"shoe_size": 44}}, 422,
                     "attributes.shoe_size")
        self.refused({"type": "customer", "attributes": {"salary": 100}}, 422,
                     "attributes.salary")

    def test_attribute_values_checked(self):
        m = self.mgr["id"]
        cases = [
            ({"type": "customer", "attributes": {"satisfaction": 11}}, "attributes.satisfaction"),
            ({"type": "customer", "attributes": {"satisfaction": -1}}, "attributes.satisfaction"),
            ({"type": "customer", "attributes": {"satisfaction": "8"}}, "attributes.satisfaction"),
            ({"type": "customer", "attributes": {"account_manager": 99999}},
             "attributes.account_manager"),
            ({"type": "partner", "attributes": {"tier": "platinum"}}, "attributes.tier"),
            ({"type": "partner", "attributes": {"commission_pct": 150}},
             "attributes.commission_pct"),
            ({"type": "supplier", "attributes": {"rating": 6}}, "attributes.rating"),
            ({"type": "supplier", "attributes": {"preferred": "yes"}}, "attributes.preferred"),
            ({"type": "employee", "attributes": {"manager": 99999999}}, "attributes.manager"),
            ({"type": "employee", "attributes": {"start_date": "2023-02-30"}},
             "attributes.start_date"),
            ({"type": "employee", "attributes": {"salary": -5}}, "attributes.salary"),
            ({"type": "employee", "attributes": {"job_title": "x" * 10000}},
             "attributes.job_title"),
            ({"type": "employee", "attributes": {"contract_type": "forever", "manager": m}},
             "attributes.contract_type"),
            ({"type": "stakeholder", "attributes": {"stance": "angry"}}, "attributes.stance"),
            ({"type": "customer", "attributes": ["segment"]}, "attributes"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body["attributes"]):
                self.refused(body, (400, 422), field)

    def test_status_must_belong_to_the_type(self):
        self.refused({"type": "customer", "status": "hired"}, 422, "status")
        self.refused({"type": "customer", "status": 3}, (400, 422), "status")

    def test_dates_out_of_range(self):
        for bad in ("2023-02-30", "1800-01-01", "2023-13-01", "01-02-2023", "2023-2-1",
                    "9999-01-01", "yesterday"):
            with self.subTest(since=bad):
                self.refused({"type": "customer", "since": bad}, 422, "since")
        self.refused({"type": "customer", "until": "2021-02-29"}, 422, "until")
        self.refused({"type": "customer", "since": "2024-01-01", "until": "2023-01-01"}, 422,
                     "until")

    def test_unknown_field_and_wrong_shape(self):
        self.refused({"type": "customer", "colour": "red"}, 422, "colour")
        st, h, js = self.req("POST", "/api/v1/parties/%d/roles" % self.party["id"], "[]")
        self.assert_problem((st, h, js), 400)
        st, h, js = self.req("POST", "/api/v1/parties/%d/roles" % self.party["id"], "{")
        self.assert_problem((st, h, js), 400)

    def test_refused_patch_changes_nothing(self):
        r = self.party["roles"][0]
        path = "/api/v1/roles/%d" % r["id"]
        before = self.ok("GET", path)
        for body, field in (({"status": "hired"}, "status"),
                            ({"attributes": {"satisfaction": 99}}, "attributes.satisfaction"),
                            ({"since": "2023-02-30"}, "since"),
                            ({"colour": "red"}, "colour")):
            with self.subTest(field=field):
                self.problem("PATCH", path, body, status=422, field=field)
                self.assertEqual(self.ok("GET", path), before)

    def test_embedded_role_errors_name_their_index(self):
        count = self.party_count()
        self.problem("POST", "/api/v1/parties",
                     {"kind": "person", "family_name": "Rollen",
                      "roles": [{"type": "customer"},
                                {"type": "partner", "attributes": {"tier": "platinum"}}]},
                     status=422, field="roles[1].attributes.tier")
        self.assertEqual(self.party_count(), count)


if __name__ == "__main__":
    unittest.main()
