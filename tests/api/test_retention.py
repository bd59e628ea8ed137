"""Retention that follows roles, with a fake clock (XRM_NOW): an applicant
role that ended 5 weeks ago without consent is removed by `xrm retention
run`, while the same party, its customer role and its sales timeline stay;
consent extends it to a year; open roles, other domains and the audit trail
are kept; --dry-run changes nothing."""

import json
import os
import tempfile
import unittest

from harness import ApiTestCase, q, run_cli, word

NOW = "2027-01-15T09:00:00Z"  # the applicant's role ended 2026-12-11: five weeks earlier


class RetentionTest(ApiTestCase):
    def run_retention(self, *args, now=NOW):
        r = run_cli(self.server.binary, "retention", "run", "--db", self.server.db, *args,
                    env_extra={"XRM_NOW": now})
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def applicant(self, **extra):
        """A customer who applied for a job and was turned down on 2026-12-11."""
        p = self.create_party(family_name="Sollicitant" + word(), roles=[
            {"type": "customer", "status": "active", "since": "2025-05-01",
             "attributes": {"segment": "particulier"}},
            {"type": "employee", "status": "rejected", "since": "2026-11-01",
             "until": "2026-12-11", "attributes": {"job_title": "calculator"}},
        ], **extra)
        pid = p["id"]
        hr = self.ok("POST", "/api/v1/activities",
                     {"type": "note", "domain": "hr", "subject": "Sollicitatiegesprek",
                      "body": "Motivatie goed, ervaring te weinig.", "parties": [pid],
                      "at": "2026-11-20T10:00:00Z"}, status=201)
        sales = self.ok("POST", "/api/v1/activities",
                        {"type": "call", "domain": "sales", "subject": "Offerte besproken",
                         "parties": [pid], "at": "2026-11-02T10:00:00Z"}, status=201)
        return pid, hr["id"], sales["id"]

    def roles_of(self, pid):
        return sorted(r["type"] for r in self.get_party(pid)["roles"])

    def test_expired_applicant_is_removed_and_the_rest_stays(self):
        pid, hr_id, sales_id = self.applicant()
        version = self.get_party(pid)["version"]
        out = self.run_retention("--dry-run")
        self.assertIn("would remove party %d: hr data" % pid, out)
        self.assertEqual(self.roles_of(pid), ["customer", "employee"], "a dry run changes nothing")
        self.ok("GET", "/api/v1/activities/%d" % hr_id)

        out = self.run_retention()
        self.assertIn("removed party %d: hr data" % pid, out)
        self.assertIn("rule applicant", out)
        self.assertEqual(self.roles_of(pid), ["customer"])
        p = self.get_party(pid)
        self.assertEqual(p["roles"][0]["attributes"]["segment"], "particulier")
        self.assertGreater(p["version"], version)
        self.problem("GET", "/api/v1/activities/%d" % hr_id, status=404)
        tl = [a["id"] for a in self.list_all("/api/v1/parties/%d/timeline" % pid)]
        self.assertEqual(tl, [sales_id], "the sales timeline stays")
        # The audit trail stays: the removal is in it, and the removed role's entries
        # keep who and when but not the attributes.
        trail = self.list_all("/api/v1/audit", party=str(pid))
        ret = [e for e in trail if e["action"] == "retention"]
        self.assertEqual(len(ret), 1)
        self.assertEqual(ret[0]["after"]["domain"], "hr")
        self.assertEqual(ret[0]["after"]["roles"], 1)
        self.assertEqual(ret[0]["after"]["activities"], 1)
        emp = [e for e in trail if e["entity"] == "role" and e["after"]
               and e["after"].get("type") == "employee"]
        self.assertTrue(emp, "the role's audit entries are kept")
        self.assertNotIn("calculator", json.dumps(trail))
        self.assertNotIn("Motivatie", json.dumps(trail))
        # Running again finds nothing more.
        self.assertNotIn("party %d" % pid, self.run_retention())

    def test_applicants_far_apart_are_both_found(self):
        """The run reads the roles a few thousand party ids at a time (a whole 1M
        database's roles at once took 600 MB): an applicant on either side of
        such a boundary is found."""
        first, _, _ = self.applicant()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "many.csv")
            with open(path, "w") as f:
                f.write("First Name,Last Name\n")
                for i in range(4200):
                    f.write("Bulk,Persoon%d%s\n" % (i, word()))
            r = run_cli(self.server.binary, "import", path, "--db", self.server.db)
            self.assertEqual(r.returncode, 0, r.stderr)
        second, _, _ = self.applicant()
        self.assertGreater(second - first, 4096, "the two are in different parts of the run")
        out = self.run_retention()
        self.assertIn("removed party %d: hr data" % first, out)
        self.assertIn("removed party %d: hr data" % second, out)
        self.assertEqual(self.roles_of(first), ["customer"])
        self.assertEqual(self.roles_of(second), ["customer"])

    def test_consent_keeps_an_applicant_a_year(self):
        pid, hr_id, _ = self.applicant()
        self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                {"purpose": "applicant_pool", "source": "application form",
                 "wording": "Bewaar mijn gegevens een jaar", "at": "2026-11-01"}, status=201)
        self.assertNotIn("party %d:" % pid, self.run_retention())
        self.assertEqual(self.roles_of(pid), ["customer", "employee"])
        self.assertNotIn("party %d:" % pid, self.run_retention(now="2027-12-01T00:00:00Z"))
        self.assertIn("removed party %d: hr data" % pid,
                      self.run_retention(now="2027-12-20T00:00:00Z"))
        self.assertEqual(self.roles_of(pid), ["customer"])

    def test_open_roles_and_former_employees(self):
        # Rejected once, now employed: HR data stays.
        hired = self.create_party(roles=[
            {"type": "employee", "status": "rejected", "since": "2026-01-01",
             "until": "2026-02-01"},
            {"type": "employee", "status": "active", "since": "2026-06-01"}])
        # Left a year before the fake now: within the 2 years.
        left = self.create_party(roles=[
            {"type": "employee", "status": "former", "since": "2020-01-01",
             "until": "2026-01-15"}])
        # Left three years before: gone, with a former customer role kept (7 years).
        gone = self.create_party(roles=[
            {"type": "employee", "status": "former", "since": "2015-01-01",
             "until": "2024-01-10"},
            {"type": "customer", "status": "former", "since": "2019-01-01",
             "until": "2023-06-01"}])
        out = self.run_retention()
        self.assertNotIn("party %d:" % hired["id"], out)
        self.assertNotIn("party %d:" % left["id"], out)
        self.assertIn("removed party %d: hr data" % gone["id"], out)
        self.assertIn("rule employee", out)
        self.assertEqual(self.roles_of(hired["id"]), ["employee", "employee"])
        self.assertEqual(self.roles_of(gone["id"]), ["customer"])
        # Seven years after the customer role ended the sales data goes too.
        out = self.run_retention(now="2030-06-10T00:00:00Z")
        self.assertIn("removed party %d: sales data" % gone["id"], out)
        self.assertEqual(self.roles_of(gone["id"]), [])
        self.assertEqual(self.get_party(gone["id"])["id"], gone["id"], "the party stays")

    def test_rules_api(self):
        js = self.ok("GET", "/api/v1/retention/rules")
        rules = {r["name"]: r for r in js["items"]}
        self.assertEqual(rules["applicant"]["days"], 28)
        self.assertEqual(rules["applicant"]["consent_days"], 365)
        self.assertEqual(rules["applicant"]["consent_purpose"], "applicant_pool")
        self.assertEqual(rules["employee"]["days"], 730)
        self.assertEqual(rules["customer-fiscal"]["domain"], "sales")
        rid = rules["applicant"]["id"]
        upd = self.ok("PATCH", "/api/v1/retention/rules/%d" % rid, {"days": 42})
        self.assertEqual(upd["days"], 42)
        self.problem("PATCH", "/api/v1/retention/rules/%d" % rid, {"days": 0}, status=422,
                     field="days")
        self.problem("PATCH", "/api/v1/retention/rules/%d" % rid, {"days": 28},
                     status=412, headers={"If-Match": '"1"'})
        self.ok("PATCH", "/api/v1/retention/rules/%d" % rid, {"days": 28})
        name, pw = "ret_" + word(), "retention-pw"
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw,
                                          "access": {"hr": "full"}}, status=201)
        tok = self.ok("POST", "/api/v1/session",
                      {"user": name, "password": pw, "bearer": True}, status=201,
                      token=None)["token"]
        self.problem("PATCH", "/api/v1/retention/rules/%d" % rid, {"days": 1}, status=403,
                     token=tok)
        self.problem("POST", "/api/v1/retention/run", {"dry_run": True}, status=403, token=tok)
        rep = self.ok("POST", "/api/v1/retention/run", {"dry_run": True})
        self.assertTrue(rep["dry_run"])
        self.assertIsInstance(rep["items"], list)

    def test_cli_usage(self):
        r = run_cli(self.server.binary, "retention", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--dry-run", r.stdout)
        r = run_cli(self.server.binary, "retention", "run")
        self.assertEqual(r.returncode, 2)
        r = run_cli(self.server.binary, "retention", "run", "--db", self.server.db, "--json",
                    "--dry-run", env_extra={"XRM_NOW": NOW})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(json.loads(r.stdout)["dry_run"])
        self.assertEqual(json.loads(r.stdout)["today"], "2027-01-15")


if __name__ == "__main__":
    unittest.main()
