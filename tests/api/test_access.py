"""Per-domain access: who sees what, enforced in one place.

The demo company's colleague who is also a customer is the acceptance case:
the sales user sees that the colleague holds an employee role but not the
salary, no HR activity and finds nothing when searching a word that only an
HR note holds; the HR user with full access sees the salary; the HR user
with read access does not. Around it: single reads answer 404 for records
the user may not see, writes need write access (403), sensitive attributes
need full access to be written or searched, and lists, search, audit and
export hide the same things.
"""

import json
import unittest

from harness import DEFAULT, ApiTestCase, describe, q, run_cli, word

DEMO_PASSWORD = "xrm-demo-2026"


def user_body(name, access, password=None, admin=False):
    return {"name": name, "password": password or "pw-" + word(12), "access": access,
            "admin": admin}


class AccessBase(ApiTestCase):
    """A server with the demo data set and a token per demo user."""
    DEMO = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name in ("verkoop", "hr", "hr-assistent", "inkoop"):
            cls.tok[name] = cls.login(name, DEMO_PASSWORD)

    @classmethod
    def login(cls, name, password):
        st, _, js = cls.client.req("POST", "/api/v1/session",
                                   {"user": name, "password": password, "bearer": True}, token=None)
        if st != 201:
            raise RuntimeError("login of %s failed: %s %s" % (name, st, js))
        return js["token"]

    def as_user(self, name, method, path, body=None, status=200):
        return self.ok(method, path, body, status=status, token=self.tok[name])

    def raw_as(self, name, path):
        st, _, raw = self.client.raw("GET", path, token=self.tok[name])
        self.assertEqual(st, 200, describe(self.client))
        return raw.decode("utf-8")

    def staff_customer(self):
        """The demo's employee who is also a customer, with a salary (admin's view)."""
        for p in self.list_all("/api/v1/parties", q="role:employee role:customer"):
            full = self.get_party(p["id"])
            emp = [r for r in full["roles"] if r["type"] == "employee"]
            if emp and "salary" in emp[0]["attributes"]:
                return full, emp[0]
        self.fail("the demo has no employee who is also a customer with a salary")

    def timeline(self, pid, name=None):
        path = "/api/v1/parties/%d/timeline" % pid
        if name is None:
            return self.list_all(path)
        items, cursor = [], None
        while True:
            params = {"limit": "100"}
            if cursor:
                params["cursor"] = cursor
            js = self.as_user(name, "GET", path + q(**params))
            items.extend(js["items"])
            cursor = js["next"]
            if not cursor:
                return items


class DoneMeansTest(AccessBase):
    """The acceptance test of per-domain access: a colleague who is also a customer."""

    def test_sales_sees_the_role_but_no_salary(self):
        p, emp = self.staff_customer()
        salary = emp["attributes"]["salary"]
        seen = self.as_user("verkoop", "GET", "/api/v1/parties/%d" % p["id"])
        types = sorted(r["type"] for r in seen["roles"])
        self.assertEqual(types, ["customer", "employee"], "sales must see that it is a colleague")
        e = [r for r in seen["roles"] if r["type"] == "employee"][0]
        self.assertEqual(e["status"], emp["status"])
        self.assertEqual(e["attributes"], {})
        self.assertTrue(e.get("restricted"))
        c = [r for r in seen["roles"] if r["type"] == "customer"][0]
        self.assertIn("customer_number", c["attributes"], "sales reads its own domain")
        raw = self.raw_as("verkoop", "/api/v1/parties/%d" % p["id"])
        self.assertNotIn("salary", raw)
        self.assertNotIn(str(salary), raw)
        # The role itself, and the party's role list.
        role = self.as_user("verkoop", "GET", "/api/v1/roles/%d" % emp["id"])
        self.assertEqual(role["attributes"], {})
        roles = self.as_user("verkoop", "GET", "/api/v1/parties/%d/roles" % p["id"])
        self.assertNotIn("salary", json.dumps(roles))

    def test_sales_sees_no_hr_activities(self):
        p, _ = self.staff_customer()
        admin_tl = self.timeline(p["id"])
        hr = [a for a in admin_tl if a["domain"] == "hr"]
        sales = [a for a in admin_tl if a["domain"] == "sales"]
        self.assertTrue(hr and sales, "the demo colleague has HR and sales activities")
        tl = self.timeline(p["id"], "verkoop")
        self.assertEqual(sorted(a["id"] for a in tl), sorted(a["id"] for a in sales))
        # A single read of an HR activity is a 404, worded as for a missing one.
        hid = hr[0]["id"]
        prob = self.problem("GET", "/api/v1/activities/%d" % hid, status=404,
                            token=self.tok["verkoop"])
        missing = self.problem("GET", "/api/v1/activities/999999999", status=404,
                               token=self.tok["verkoop"])
        self.assertEqual(prob["detail"].replace(str(hid), "N"),
                         missing["detail"].replace("999999999", "N"))
        # Lists: nothing of HR, with a domain filter or without.
        js = self.as_user("verkoop", "GET", "/api/v1/activities" + q(domain="hr"))
        self.assertEqual(js["items"], [])
        js = self.as_user("verkoop", "GET", "/api/v1/activities" + q(limit="500"))
        self.assertTrue(js["items"])
        self.assertEqual({a["domain"] for a in js["items"]} - {"sales", "partners", "pr"}, set())

    def test_sales_360_view_holds_no_hr_activities(self):
        # Regression: the 360 view ran its own timeline, task and count SQL and
        # showed HR activities to a sales user.
        p, _ = self.staff_customer()
        admin = self.ok("GET", "/api/v1/parties/%d/view" % p["id"])
        self.assertIn("hr", {a["domain"] for a in admin["timeline"]} |
                      {a["domain"] for a in self.timeline(p["id"])})
        view = self.as_user("verkoop", "GET", "/api/v1/parties/%d/view" % p["id"])
        self.assertNotIn("hr", {a["domain"] for a in view["timeline"]})
        self.assertNotIn("hr", {a["domain"] for a in view["open_tasks"]})
        sales_count = len(self.timeline(p["id"], "verkoop"))
        self.assertEqual(view["counts"]["activities"], sales_count)
        self.assertLess(view["counts"]["activities"], admin["counts"]["activities"])

    def test_sales_finds_nothing_by_an_hr_note_word(self):
        p, _ = self.staff_customer()
        secret = "hrnotitie" + word(6)
        self.ok("POST", "/api/v1/activities",
                {"type": "note", "domain": "hr", "subject": "Gesprek " + secret,
                 "body": "Alleen voor HR: " + secret, "parties": [p["id"]]}, status=201)
        js = self.as_user("verkoop", "GET", "/api/v1/parties" + q(q=secret))
        self.assertEqual(js["items"], [])
        js = self.as_user("verkoop", "GET", "/api/v1/parties" + q(q="Jaargesprek"))
        self.assertEqual(js["items"], [])
        # Search itself works for the sales user: the colleague is found by name.
        js = self.as_user("verkoop", "GET", "/api/v1/parties" + q(q=p["family_name"]))
        self.assertIn(p["id"], [x["id"] for x in js["items"]])

    def test_hr_full_sees_the_salary_hr_read_does_not(self):
        p, emp = self.staff_customer()
        full = self.as_user("hr", "GET", "/api/v1/parties/%d" % p["id"])
        e = [r for r in full["roles"] if r["type"] == "employee"][0]
        self.assertEqual(e["attributes"]["salary"], emp["attributes"]["salary"])
        read = self.as_user("hr-assistent", "GET", "/api/v1/parties/%d" % p["id"])
        e = [r for r in read["roles"] if r["type"] == "employee"][0]
        self.assertNotIn("salary", e["attributes"])
        self.assertEqual(e["attributes"]["job_title"], emp["attributes"]["job_title"])
        self.assertNotIn(str(emp["attributes"]["salary"]),
                         self.raw_as("hr-assistent", "/api/v1/parties/%d" % p["id"]))
        # HR without sales access sees the customer role's existence only.
        c = [r for r in read["roles"] if r["type"] == "customer"][0]
        self.assertEqual(c["attributes"], {})
        tl = self.timeline(p["id"], "hr-assistent")
        self.assertTrue(tl)
        self.assertEqual({a["domain"] for a in tl}, {"hr"})


class SearchAccessTest(AccessBase):
    def test_attribute_terms_need_access(self):
        p, emp = self.staff_customer()
        term = "employee.salary:%d" % emp["attributes"]["salary"]
        for who in ("verkoop", "hr-assistent"):
            for t in (term, "-" + term):
                with self.subTest(user=who, term=t):
                    self.problem("GET", "/api/v1/parties" + q(q=t), status=403, field="q",
                                 token=self.tok[who])
        self.problem("GET", "/api/v1/parties" + q(q="employee.job_title:x"), status=403,
                     field="q", token=self.tok["verkoop"])
        js = self.as_user("hr", "GET", "/api/v1/parties" + q(q=term))
        self.assertIn(p["id"], [x["id"] for x in js["items"]])
        js = self.as_user("hr-assistent", "GET", "/api/v1/parties" +
                          q(q="employee.job_title:\"%s\"" % emp["attributes"]["job_title"]))
        self.assertIn(p["id"], [x["id"] for x in js["items"]])
        self.as_user("verkoop", "GET", "/api/v1/parties" + q(q="customer.segment:particulier"))

    def test_lists_filter_every_item(self):
        raw = self.raw_as("verkoop", "/api/v1/parties" + q(q="role:employee", limit="500"))
        js = json.loads(raw)
        self.assertTrue(js["items"])
        self.assertNotIn("salary", raw)
        self.assertNotIn("employee_number", raw)
        for p in js["items"]:
            for r in p["roles"]:
                if r["type"] == "employee":
                    self.assertEqual(r["attributes"], {})
        raw = self.raw_as("inkoop", "/api/v1/parties" + q(q="role:supplier", limit="50"))
        self.assertIn("supplier_number", raw, "purchasing reads its own domain")


class ListEqualsGetTest(AccessBase):
    """A list page reads roles, health, records and consent for all its items
    at once; every item must still be exactly what a single read of the same
    party says, for every reader, minus what lists leave out (relationships
    and the latest deals, cases and agreements)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ids = [p["id"] for p in cls.client.req("GET", "/api/v1/parties" + q(limit="40"))[2]["items"]]
        events = [(ids[1], "newsletter", True), (ids[1], "marketing_email", False),
                  (ids[2], "phone_marketing", True), (ids[3], "marketing_email", True),
                  (ids[3], "marketing_email", False), (ids[3], "marketing_email", True)]
        for pid, purpose, granted in events:
            st = cls.client.req("POST", "/api/v1/parties/%d/consents" % pid,
                                {"purpose": purpose, "granted": granted, "source": "test"})[0]
            if st != 201:
                raise RuntimeError("consent for %d failed: %s" % (pid, st))

    @staticmethod
    def as_list_item(party):
        party = json.loads(json.dumps(party))
        party.pop("relationships", None)
        party.pop("can", None)
        for kind in ("deals", "cases", "agreements"):
            party.get("records", {}).get(kind, {}).pop("latest", None)
        return party

    def check_pages(self, token, limit, query=""):
        path, seen = "/api/v1/parties" + q(q=query, limit=str(limit)), 0
        while path:
            js = self.ok("GET", path, token=token)
            for item in js["items"]:
                single = self.ok("GET", "/api/v1/parties/%d" % item["id"], token=token)
                self.assertEqual(item, self.as_list_item(single), "party %d" % item["id"])
                seen += 1
            path = ("/api/v1/parties" + q(q=query, limit=str(limit), cursor=js["next"])
                    if js["next"] else None)
        return seen

    def test_list_items_equal_single_reads(self):
        all_items = self.list_all("/api/v1/parties")
        kinds = {"deals": 0, "cases": 0, "agreements": 0, "consent": 0, "health": 0}
        for p in all_items:
            rec = p["records"]
            kinds["deals"] += bool(rec["deals"]["open"] + rec["deals"]["won"])
            kinds["cases"] += bool(rec["cases"]["open"])
            kinds["agreements"] += bool(rec["agreements"]["active"])
            kinds["consent"] += p["contactability"]["email"]["reason"] in ("consent", "withdrawn")
            kinds["health"] += p["health"] is not None
        self.assertTrue(all(kinds.values()), kinds)  # pages mix parties with and without each
        for who in (None, "verkoop", "hr", "hr-assistent", "inkoop"):
            token = self.tok[who] if who else DEFAULT
            for limit in (1, 7, 500):
                with self.subTest(user=who or "admin", limit=limit):
                    n = self.check_pages(token, limit) if limit != 1 else self.check_pages(
                        token, limit, "role:customer")
                    self.assertGreater(n, 0)
            with self.subTest(user=who or "admin", query="role:customer role:partner"):
                self.check_pages(token, 50, "role:customer role:partner")


class WriteAccessTest(AccessBase):
    def hr_activity(self, pid):
        return self.ok("POST", "/api/v1/activities",
                       {"type": "note", "domain": "hr", "subject": "HR " + word(),
                        "parties": [pid]}, status=201)

    def test_writes_need_write_access(self):
        p, emp = self.staff_customer()
        pid = p["id"]
        body = {"type": "note", "domain": "hr", "subject": "x", "parties": [pid]}
        for who in ("verkoop", "hr-assistent"):
            with self.subTest(user=who):
                self.problem("POST", "/api/v1/activities", body, status=403,
                             token=self.tok[who])
        a = self.hr_activity(pid)
        # Unreadable: as if it did not exist. Readable but read-only: 403.
        self.problem("PATCH", "/api/v1/activities/%d" % a["id"], {"subject": "y"}, status=404,
                     token=self.tok["verkoop"])
        self.problem("DELETE", "/api/v1/activities/%d" % a["id"], status=404,
                     token=self.tok["verkoop"])
        self.problem("PATCH", "/api/v1/activities/%d" % a["id"], {"subject": "y"}, status=403,
                     token=self.tok["hr-assistent"])
        self.problem("DELETE", "/api/v1/activities/%d" % a["id"], status=403,
                     token=self.tok["hr-assistent"])
        self.assertEqual(self.ok("GET", "/api/v1/activities/%d" % a["id"])["subject"],
                         a["subject"])
        # Moving a sales note into HR needs HR write access.
        s = self.as_user("verkoop", "POST", "/api/v1/activities",
                         {"type": "note", "domain": "sales", "subject": "mine",
                          "parties": [pid]}, status=201)
        self.problem("PATCH", "/api/v1/activities/%d" % s["id"], {"domain": "hr"}, status=403,
                     token=self.tok["verkoop"])
        # Roles: the employee role is visible to sales, but not theirs to change.
        self.problem("PATCH", "/api/v1/roles/%d" % emp["id"], {"status": "on_leave"},
                     status=403, token=self.tok["verkoop"])
        self.problem("DELETE", "/api/v1/roles/%d" % emp["id"], status=403,
                     token=self.tok["verkoop"])
        self.problem("POST", "/api/v1/parties/%d/roles" % pid, {"type": "employee"},
                     status=403, token=self.tok["verkoop"])
        self.problem("POST", "/api/v1/parties",
                     {"kind": "person", "family_name": "Nieuw",
                      "roles": [{"type": "employee"}]}, status=403, token=self.tok["verkoop"])
        self.as_user("verkoop", "POST", "/api/v1/parties",
                     {"kind": "person", "family_name": "Klant" + word(),
                      "roles": [{"type": "customer", "status": "lead"}]}, status=201)

    def test_sensitive_attributes_need_full_access_to_write(self):
        writer = "hrw_" + word()
        self.ok("POST", "/api/v1/users", user_body(writer, {"hr": "write"}, "hr-writer-pw"),
                status=201)
        tok = self.login(writer, "hr-writer-pw")
        p = self.create_party(roles=[{"type": "employee", "attributes": {
            "job_title": "monteur", "salary": 300000}}])
        role = p["roles"][0]
        self.problem("PATCH", "/api/v1/roles/%d" % role["id"],
                     {"attributes": {"salary": 999900}}, status=403,
                     field="attributes.salary", token=tok)
        self.problem("PATCH", "/api/v1/roles/%d" % role["id"], {"attributes": None},
                     status=403, token=tok)
        self.problem("POST", "/api/v1/parties/%d/roles" % p["id"],
                     {"type": "employee", "attributes": {"salary": 1}}, status=403, token=tok)
        out = self.ok("PATCH", "/api/v1/roles/%d" % role["id"],
                      {"attributes": {"job_title": "voorman"}}, token=tok)
        self.assertNotIn("salary", out["attributes"], "the answer is filtered too")
        self.assertEqual(out["attributes"]["job_title"], "voorman")
        stored = self.ok("GET", "/api/v1/roles/%d" % role["id"])
        self.assertEqual(stored["attributes"]["salary"], 300000, "the salary was kept")

    def test_access_changes_apply_at_once(self):
        name = "wissel_" + word()
        u = self.ok("POST", "/api/v1/users", user_body(name, {"sales": "read"}, "wissel-pw-1"),
                    status=201)
        self.assertEqual(u["access"]["sales"], "read")
        self.assertEqual(u["access"]["hr"], "none")
        tok = self.login(name, "wissel-pw-1")
        body = {"type": "note", "domain": "sales", "subject": "x",
                "parties": [self.create_party()["id"]]}
        self.problem("POST", "/api/v1/activities", body, status=403, token=tok)
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"access": {"sales": "write"}})
        self.ok("POST", "/api/v1/activities", body, status=201, token=tok)
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"disabled": True})
        self.problem("GET", "/api/v1/parties", status=401, token=tok)


class AuditAndExportAccessTest(AccessBase):
    def test_audit_and_export_hide_the_same(self):
        p, emp = self.staff_customer()
        salary = str(emp["attributes"]["salary"])
        # Change the salary so an audit entry holds it before and after.
        self.ok("PATCH", "/api/v1/roles/%d" % emp["id"],
                {"attributes": {"salary": emp["attributes"]["salary"] + 100}})
        path = "/api/v1/audit" + q(party=str(p["id"]), limit="500")
        raw = self.raw_as("verkoop", path)
        self.assertNotIn("salary", raw)
        self.assertNotIn(salary, raw)
        entries = json.loads(raw)["items"]
        self.assertTrue(any(e["entity"] == "role" for e in entries), "role entries stay, masked")
        for e in entries:
            for side in ("before", "after"):
                if not isinstance(e[side], dict):
                    continue
                if e["entity"] == "role":
                    if e[side].get("type") == "employee":
                        self.assertEqual(e[side]["attributes"], {})
                else:
                    self.assertNotEqual(e[side].get("domain"), "hr", e)
        raw = self.raw_as("hr", path)
        self.assertIn(salary, raw)
        raw = self.raw_as("hr-assistent", path)
        self.assertNotIn(salary, raw)
        # Export: the same rules.
        raw = self.raw_as("verkoop", "/api/v1/parties/%d/export" % p["id"])
        self.assertNotIn(salary, raw)
        exp = json.loads(raw)
        self.assertFalse(exp["complete"])
        self.assertEqual({a["domain"] for a in exp["activities"]} - {"sales"}, set())
        exp = self.ok("GET", "/api/v1/parties/%d/export" % p["id"])
        self.assertTrue(exp["complete"])
        self.assertIn("hr", {a["domain"] for a in exp["activities"]})


class UsersTest(ApiTestCase):
    def test_users_api(self):
        name = "mw_" + word()
        h, u = self.ok_h("POST", "/api/v1/users",
                         user_body(name, {"sales": "write", "pr": "read"}), status=201)
        self.assertTrue(h["Location"].endswith("/api/v1/users/%d" % u["id"]))
        self.assertEqual(u["access"], {"sales": "write", "hr": "none", "partners": "none",
                                       "purchasing": "none", "pr": "read"})
        self.assertNotIn("password", u)
        self.assertNotIn("password_hash", json.dumps(u))
        got = self.ok("GET", "/api/v1/users/%d" % u["id"])
        self.assertEqual(got["access"], u["access"])
        names = [x["name"] for x in self.ok("GET", "/api/v1/users")["items"]]
        self.assertIn(name, names)
        self.assertIn("admin", names)
        admin = [x for x in self.ok("GET", "/api/v1/users")["items"] if x["name"] == "admin"][0]
        self.assertEqual(set(admin["access"].values()), {"full"})
        for bad, field in (({"access": {"finance": "read"}}, "access.finance"),
                           ({"access": {"hr": "everything"}}, "access.hr"),
                           ({"access": "hr=full"}, "access")):
            b = user_body("x_" + word(), None)
            b.update(bad)
            self.problem("POST", "/api/v1/users", b, status=(400, 422), field=field)

    def test_colleagues_see_names_not_access(self):
        name = "kijker_" + word()
        u = self.ok("POST", "/api/v1/users", user_body(name, {"sales": "read"}, "kijker-pw"),
                    status=201)
        st, _, s = self.req("POST", "/api/v1/session",
                            {"user": name, "password": "kijker-pw", "bearer": True},
                            token=None)
        tok = s["token"]
        items = self.ok("GET", "/api/v1/users", token=tok)["items"]
        for x in items:
            if x["id"] != u["id"]:
                self.assertNotIn("access", x)
        self.assertEqual(self.ok("GET", "/api/v1/users/%d" % u["id"], token=tok)["access"]["sales"],
                         "read")
        self.problem("PATCH", "/api/v1/users/%d" % u["id"], {"access": {"hr": "full"}},
                     status=403, token=tok)
        self.ok("GET", "/api/v1/users/%d/tokens" % u["id"], token=tok)
        self.problem("GET", "/api/v1/users/1/tokens", status=404, token=tok)

    def test_last_admin_stays(self):
        admin = [x for x in self.ok("GET", "/api/v1/users")["items"] if x["name"] == "admin"][0]
        self.problem("PATCH", "/api/v1/users/%d" % admin["id"], {"admin": False}, status=409)
        self.problem("PATCH", "/api/v1/users/%d" % admin["id"], {"disabled": True}, status=409)

    def test_cli_user_add_with_access(self):
        name = "cli_" + word()
        r = run_cli(self.server.binary, "user", "add", "--db", self.server.db, name,
                    "--access", "sales=write,hr=none,partners=read",
                    env_extra={"XRM_PASSWORD": "cli-password"})
        self.assertEqual(r.returncode, 0, r.stderr)
        u = [x for x in self.ok("GET", "/api/v1/users")["items"] if x["name"] == name][0]
        self.assertEqual(u["access"]["sales"], "write")
        self.assertEqual(u["access"]["partners"], "read")
        self.assertEqual(u["access"]["hr"], "none")
        r = run_cli(self.server.binary, "user", "add", "--db", self.server.db, "x" + name,
                    "--access", "sales=boss")
        self.assertEqual(r.returncode, 1)
        self.assertIn("level", r.stderr)


if __name__ == "__main__":
    unittest.main()
