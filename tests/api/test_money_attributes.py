"""Money attributes of roles: an attribute of type money holds an amount in
cents (an integer) and says so in its role type, so screens show and take
euros. The built-in employee's salary is one (label without "(cents)"); a
role type an admin adds may have one, with bounds; a fraction of a cent is
refused as malformed (400, in Dutch too); money attributes compare as numbers in queries.
Dutch field summaries name a field the way a person knows it, also for a
list entry's value ("E-mailadressen", not "emails[0].value")."""

import unittest

from harness import ApiTestCase, word

NL = {"Accept-Language": "nl-NL,nl;q=0.9"}


class MoneyAttributeTest(ApiTestCase):
    def employee_type(self):
        types = self.ok("GET", "/api/v1/role-types")["items"]
        return next(t for t in types if t["name"] == "employee")

    def test_salary_is_money_in_euros(self):
        salary = next(a for a in self.employee_type()["attributes"] if a["name"] == "salary")
        self.assertEqual(salary["type"], "money")
        self.assertTrue(salary["sensitive"])
        self.assertEqual(salary["label"], {"en": "Salary", "nl": "Salaris"})

    def test_salary_in_cents_is_stored_and_read_back(self):
        p = self.create_party(family_name="Geld" + word())
        role = self.ok("POST", "/api/v1/parties/%d/roles" % p["id"],
                       {"type": "employee", "attributes": {"salary": 348000}}, status=201)
        self.assertEqual(role["attributes"]["salary"], 348000)
        got = self.ok("GET", "/api/v1/parties/%d" % p["id"])
        emp = [r for r in got["roles"] if r["type"] == "employee"][0]
        self.assertEqual(emp["attributes"]["salary"], 348000)
        # money compares as a number in the query language
        found = self.ok("GET", "/api/v1/parties?q=employee.salary%3E%3D348000%20" + p["family_name"])
        self.assertIn(p["id"], [x["id"] for x in found["items"]])
        none = self.ok("GET", "/api/v1/parties?q=employee.salary%3E348000%20" + p["family_name"])
        self.assertNotIn(p["id"], [x["id"] for x in none["items"]])

    def test_fraction_of_a_cent_is_refused_in_dutch(self):
        p = self.create_party(family_name="Cent" + word())
        js = self.problem("POST", "/api/v1/parties/%d/roles" % p["id"],
                          {"type": "employee", "attributes": {"salary": 3480.5}},
                          status=400, field="attributes.salary", headers=NL)
        self.assertEqual(js["errors"][0]["message"], "moet een bedrag in centen zijn (een geheel getal)")
        self.assertEqual(js["detail"], "Kenmerken: moet een bedrag in centen zijn (een geheel getal)")
        self.problem("POST", "/api/v1/parties/%d/roles" % p["id"],
                     {"type": "employee", "attributes": {"salary": -1}}, field="attributes.salary")
        got = self.ok("GET", "/api/v1/parties/%d" % p["id"])
        self.assertEqual([r for r in got["roles"] if r["type"] == "employee"], [])

    def test_a_new_role_type_may_have_money_with_bounds(self):
        name = "donor_" + word()
        self.ok("POST", "/api/v1/role-types", {
            "name": name, "domain": "sales", "label": {"en": "Donor", "nl": "Donateur"},
            "statuses": ["active", "former"],
            "attributes": [{"name": "yearly", "type": "money", "min": 100, "max": 1000000,
                            "label": {"en": "Yearly gift", "nl": "Jaarlijkse gift"}}],
        }, status=201)
        p = self.create_party(family_name="Gift" + word())
        self.ok("POST", "/api/v1/parties/%d/roles" % p["id"],
                {"type": name, "attributes": {"yearly": 2500}}, status=201)
        q = self.create_party(family_name="Gift" + word())
        self.problem("POST", "/api/v1/parties/%d/roles" % q["id"],
                     {"type": name, "attributes": {"yearly": 99}}, field="attributes.yearly")
        self.problem("POST", "/api/v1/role-types", {
            "name": "bad_" + word(), "domain": "sales", "label": {"en": "Bad", "nl": "Fout"},
            "statuses": ["active"],
            "attributes": [{"name": "x", "type": "money", "min": 1.5,
                            "label": {"en": "X", "nl": "X"}}],
        }, status=400, field="attributes[0].min")

    def test_dutch_summary_names_a_list_value_by_its_list(self):
        js = self.problem("POST", "/api/v1/parties",
                          {"kind": "person", "family_name": "Lijst",
                           "emails": [{"label": "work", "value": "geen-adres"}]},
                          field="emails[0].value", headers=NL)
        self.assertTrue(js["detail"].startswith("E-mailadressen: "), js["detail"])


if __name__ == "__main__":
    unittest.main()
