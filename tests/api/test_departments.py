"""Departments and the org chart: a tree of departments (unique names under
one parent, no cycles, no delete while members or children remain), the
employee role's department attribute that holds a department id, the org
chart as HR sees it (and nobody else), and migration 18 turning stored
department names and manager_of links into ids and manager attributes."""

import sqlite3
import subprocess
import unittest

from harness import ApiTestCase, PG_URL, word


class DepartmentBase(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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

    def dept(self, name=None, **kw):
        body = {"name": name or "Afdeling " + word()}
        body.update(kw)
        return self.ok("POST", "/api/v1/departments", body, 201)

    def employee(self, **attrs):
        return self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "status": "active", "attributes": attrs}])


class DepartmentTest(DepartmentBase):
    def test_tree_with_unique_names_under_a_parent(self):
        top = self.dept("Directie " + word(), cost_centre=" 100 ")
        self.assertIsNone(top["parent"])
        self.assertEqual(top["cost_centre"], "100")
        a = self.dept("Projecten", parent=top["id"])
        self.assertEqual(a["parent"], top["id"])
        # the same name under the same parent is refused; under another it is fine
        p = self.problem("POST", "/api/v1/departments", {"name": " Projecten ",
                                                         "parent": top["id"]},
                         status=409, field="name")
        self.assertIn("Projecten", p["errors"][0]["message"])
        b = self.dept("Projecten", parent=a["id"])
        self.assertEqual(b["parent"], a["id"])
        # at the top too (SQL NULLs would let the unique index pass)
        self.problem("POST", "/api/v1/departments", {"name": top["name"]}, status=409,
                     field="name")
        got = self.ok("GET", "/api/v1/departments/%d" % a["id"])
        self.assertEqual(got["name"], "Projecten")
        names = [d["name"] for d in self.ok("GET", "/api/v1/departments")["items"]]
        self.assertIn(top["name"], names)

    def test_no_cycles_and_known_parents(self):
        top = self.dept()
        mid = self.dept(parent=top["id"])
        low = self.dept(parent=mid["id"])
        path = "/api/v1/departments/%d" % top["id"]
        self.problem("PATCH", path, {"parent": top["id"]}, field="parent")
        self.problem("PATCH", path, {"parent": low["id"]}, field="parent")
        self.problem("POST", "/api/v1/departments", {"name": "Weg", "parent": 999999},
                     field="parent")
        self.assertIsNone(self.ok("GET", path)["parent"])
        # moving a leaf elsewhere is fine
        moved = self.ok("PATCH", "/api/v1/departments/%d" % low["id"], {"parent": top["id"]})
        self.assertEqual(moved["parent"], top["id"])
        self.assertEqual(moved["version"], 2)

    def test_manager_is_a_party(self):
        boss = self.create_party(family_name="Baas " + word())
        d = self.dept(manager=boss["id"])
        self.assertEqual(d["manager"], boss["id"])
        self.assertEqual(d["manager_name"], boss["name"])
        self.problem("POST", "/api/v1/departments", {"name": "X " + word(), "manager": 999999},
                     field="manager")
        cleared = self.ok("PATCH", "/api/v1/departments/%d" % d["id"], {"manager": None})
        self.assertIsNone(cleared["manager"])

    def test_delete_refused_with_children_or_members(self):
        top = self.dept()
        child = self.dept(parent=top["id"])
        p = self.problem("DELETE", "/api/v1/departments/%d" % top["id"], status=409)
        self.assertIn("below", p["detail"])
        emp = self.employee(department=child["id"])
        p = self.problem("DELETE", "/api/v1/departments/%d" % child["id"], status=409)
        self.assertIn("1 employees", p["detail"])
        listed = {d["id"]: d for d in self.ok("GET", "/api/v1/departments")["items"]}
        self.assertEqual(listed[child["id"]]["members"], 1)
        # Dutch too
        st, _, js = self.client.req("DELETE", "/api/v1/departments/%d" % child["id"],
                                    headers={"Accept-Language": "nl"})
        self.assertEqual(st, 409)
        self.assertIn("medewerkers", js["detail"])
        # once the employee moves, both go
        role = emp["roles"][0]
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"],
                {"attributes": {"department": top["id"]}})
        self.ok("DELETE", "/api/v1/departments/%d" % child["id"], status=204)
        self.problem("GET", "/api/v1/departments/%d" % child["id"], status=404)
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"attributes": {"department": None}})
        self.ok("DELETE", "/api/v1/departments/%d" % top["id"], status=204)

    def test_department_attribute_holds_a_department_id(self):
        types = {t["name"]: t for t in self.ok("GET", "/api/v1/role-types")["items"]}
        attr = [a for a in types["employee"]["attributes"] if a["name"] == "department"][0]
        self.assertEqual(attr["type"], "department")
        d = self.dept()
        emp = self.employee(department=d["id"])
        self.assertEqual(emp["roles"][0]["attributes"]["department"], d["id"])
        body = {"kind": "person", "family_name": "Fout " + word(),
                "roles": [{"type": "employee", "attributes": {"department": "Inkoop"}}]}
        self.problem("POST", "/api/v1/parties", body, status=400,
                     field="roles[0].attributes.department")
        body["roles"][0]["attributes"]["department"] = 999999
        self.problem("POST", "/api/v1/parties", body, field="roles[0].attributes.department")

    def test_access(self):
        d = self.dept()
        path = "/api/v1/departments/%d" % d["id"]
        # hr=read sees, may not change
        self.ok("GET", path, token=self.tok["hrread"])
        self.ok("GET", "/api/v1/departments", token=self.tok["hrread"])
        self.ok("GET", "/api/v1/org-chart", token=self.tok["hrread"])
        self.problem("POST", "/api/v1/departments", {"name": "Nee " + word()}, status=403,
                     token=self.tok["hrread"])
        self.problem("PATCH", path, {"cost_centre": "9"}, status=403, token=self.tok["hrread"])
        self.problem("DELETE", path, status=403, token=self.tok["hrread"])
        # sales sees no departments and no org chart
        self.problem("GET", path, status=404, token=self.tok["sales"])
        self.problem("GET", "/api/v1/departments", status=403, token=self.tok["sales"])
        self.problem("GET", "/api/v1/org-chart", status=403, token=self.tok["sales"])
        # hr=write changes
        made = self.ok("POST", "/api/v1/departments", {"name": "Ja " + word()}, 201,
                       token=self.tok["hrwrite"])
        self.ok("DELETE", "/api/v1/departments/%d" % made["id"], status=204,
                token=self.tok["hrwrite"])


class OrgChartTest(DepartmentBase):
    def test_nested_with_members_and_managers(self):
        boss = self.employee(job_title="directeur")
        top = self.dept("Top " + word(), manager=boss["id"])
        sub = self.dept("Sub " + word(), parent=top["id"])
        self.ok("PATCH", "/api/v1/roles/%d" % boss["roles"][0]["id"],
                {"attributes": {"department": top["id"]}})
        worker = self.employee(job_title="monteur", department=sub["id"], manager=boss["id"])
        loose = self.employee(job_title="stagiair")
        gone = self.create_party(family_name="Oud " + word(), roles=[{
            "type": "employee", "status": "former", "attributes": {"department": sub["id"]}}])
        chart = self.ok("GET", "/api/v1/org-chart", token=self.tok["hrread"])
        node = [n for n in chart["items"] if n["department"]["id"] == top["id"]][0]
        self.assertEqual(node["manager"], {"id": boss["id"], "name": boss["name"]})
        self.assertEqual([m["id"] for m in node["members"]], [boss["id"]])
        self.assertEqual(len(node["children"]), 1)
        child = node["children"][0]
        self.assertEqual(child["department"]["name"], sub["name"])
        self.assertIsNone(child["manager"])
        self.assertEqual(child["members"], [{"id": worker["id"], "name": worker["name"],
                                             "job_title": "monteur", "manager": boss["id"]}])
        self.assertEqual(child["children"], [])
        unplaced = [m["id"] for m in chart["unplaced"]]
        self.assertIn(loose["id"], unplaced)
        self.assertNotIn(gone["id"], unplaced)
        self.assertNotIn(worker["id"], unplaced)


class ManagerTest(DepartmentBase):
    """One source of truth: an employee's manager is the employee role's attribute."""

    def test_manager_of_an_employee_is_the_attribute(self):
        boss = self.employee(job_title="chef")
        emp = self.employee(job_title="monteur", manager=boss["id"])
        self.assertEqual(emp["roles"][0]["attributes"]["manager"], boss["id"])
        p = self.problem("POST", "/api/v1/relationships",
                         {"type": "manager_of", "from": boss["id"], "to": emp["id"]},
                         field="type")
        self.assertIn("manager", p["errors"][0]["message"])
        # the reverse name of the type too
        self.problem("POST", "/api/v1/relationships",
                     {"type": "managed_by", "from": emp["id"], "to": boss["id"]}, field="type")
        # people who are no employees may still have one
        a = self.create_party(family_name="Extern " + word())
        b = self.create_party(family_name="Extern " + word())
        self.ok("POST", "/api/v1/relationships", {"type": "manager_of", "from": a["id"],
                                                  "to": b["id"]}, 201)

class MigrationTest(ApiTestCase):
    """A database from before migration 18: department names and manager_of links."""

    def run_sql(self, statements):
        """Runs SQL on the stopped server's database (SQLite file or PostgreSQL)."""
        if PG_URL:
            for sql in statements:
                r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                    self.server.db, "-c", sql],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 0, r.stderr)
            return
        con = sqlite3.connect(self.server.db)
        with con:
            for sql in statements:
                con.execute(sql)
        con.close()

    def test_names_become_departments_and_links_become_managers(self):
        boss = self.create_party(family_name="Chef " + word())
        emp = self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "since": "2024-02-01",
            "attributes": {"job_title": "timmerman", "hours_per_week": 36,
                           "salary": 300000}}])
        other = self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "attributes": {"job_title": "metselaar"}}])
        self.server.stop()
        # back to the shape of migration 17: names in the attribute, the reporting line as a
        # manager_of link, no history (ids and names are this test's own, not input)
        sql = [
            "INSERT INTO relationships (type, from_party, to_party, created_at, updated_at)"
            " VALUES ('manager_of', %d, %d, '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z')"
            % (boss["id"], emp["id"]),
            "DELETE FROM schema_migrations WHERE version = 18",
            "DROP TABLE employment",
            "UPDATE role_types SET attributes = replace(attributes, '\"type\":\"department\"',"
            " '\"type\":\"string\"') WHERE name = 'employee'",
        ]
        for pid in (emp["id"], other["id"]):
            rid = "(SELECT id FROM roles WHERE party_id = %d)" % pid
            sql.append("UPDATE roles SET attributes = replace(attributes, '{',"
                       " '{\"department\":\"Bouwplaats\",') WHERE id = %s" % rid)
            sql.append("INSERT INTO role_attrs (role_id, party_id, name, value)"
                       " VALUES (%s, %d, 'employee.department', 'Bouwplaats')" % (rid, pid))
        self.run_sql(sql)
        self.server.start()
        self.client = self.server.client()
        types = {t["name"]: t for t in self.ok("GET", "/api/v1/role-types")["items"]}
        attr = [a for a in types["employee"]["attributes"] if a["name"] == "department"][0]
        self.assertEqual(attr["type"], "department")
        depts = [d for d in self.ok("GET", "/api/v1/departments")["items"]
                 if d["name"] == "Bouwplaats"]
        self.assertEqual(len(depts), 1)
        did = depts[0]["id"]
        self.assertEqual(depts[0]["members"], 2)
        got = self.get_party(emp["id"])["roles"][0]["attributes"]
        self.assertEqual(got["department"], did)
        self.assertEqual(got["manager"], boss["id"])
        self.assertEqual(got["job_title"], "timmerman")
        rels = self.get_party(emp["id"])["relationships"]
        self.assertEqual([r for r in rels if r["type"] in ("manager_of", "managed_by")], [])
        # one employment record per employee role, from its attributes
        hist = self.ok("GET", "/api/v1/parties/%d/employment" % emp["id"])
        self.assertEqual(len(hist["items"]), 1)
        rec = hist["items"][0]
        self.assertEqual((rec["effective"], rec["job_title"], rec["department"],
                          rec["hours_per_week"], rec["salary"]),
                         ("2024-02-01", "timmerman", did, 36, 300000))
        # the roles keep working: a change is checked against the departments
        self.ok("PATCH", "/api/v1/roles/%d" % other["roles"][0]["id"],
                {"attributes": {"job_title": "voorman"}})
        self.problem("PATCH", "/api/v1/roles/%d" % other["roles"][0]["id"],
                     {"attributes": {"department": "Bouwplaats"}}, status=400,
                     field="attributes.department")


if __name__ == "__main__":
    unittest.main()
