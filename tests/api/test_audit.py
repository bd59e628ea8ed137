"""The audit trail: every write appends an entry (who, when, what, before and
after) in the same transaction; GET /api/v1/audit reads it by party, by user
or by record, newest first with cursor pages; nothing can change or delete
an entry; non-administrators read only a party's trail or their own."""

import unittest

from harness import ApiTestCase, q, word


class AuditTrailTest(ApiTestCase):
    def trail(self, token=None, **params):
        items, cursor = [], None
        while True:
            p = dict(params)
            p["limit"] = "7"
            if cursor:
                p["cursor"] = cursor
            kw = {} if token is None else {"token": token}
            js = self.ok("GET", "/api/v1/audit" + q(**p), **kw)
            items.extend(js["items"])
            cursor = js["next"]
            if not cursor:
                return items

    def test_every_write_of_a_party_is_in_its_trail(self):
        p = self.create_party(family_name="Spoor" + word())
        pid = p["id"]
        other = self.create_party()
        role = self.ok("POST", "/api/v1/parties/%d/roles" % pid,
                       {"type": "customer", "status": "lead"}, status=201)
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"status": "active"})
        self.ok("PATCH", "/api/v1/parties/%d" % pid, {"tags": ["vip"]})
        rel = self.ok("POST", "/api/v1/relationships",
                      {"type": "works_at", "from": pid, "to": other["id"]}, status=201)
        act = self.ok("POST", "/api/v1/activities",
                      {"type": "call", "domain": "sales", "subject": "Gebeld",
                       "parties": [pid]}, status=201)
        self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                {"purpose": "newsletter", "source": "web form"}, status=201)
        self.ok("DELETE", "/api/v1/activities/%d" % act["id"], status=204)
        items = self.trail(party=str(pid))
        got = [(e["entity"], e["action"]) for e in items]
        for want in (("party", "create"), ("role", "create"), ("role", "update"),
                     ("party", "update"), ("relationship", "create"), ("activity", "create"),
                     ("consent", "grant"), ("activity", "delete")):
            self.assertIn(want, got)
        ids = [e["id"] for e in items]
        self.assertEqual(ids, sorted(ids, reverse=True), "newest first")
        self.assertEqual(len(ids), len(set(ids)), "pages do not overlap")
        upd = [e for e in items if e["entity"] == "role" and e["action"] == "update"][0]
        self.assertEqual(upd["before"]["status"], "lead")
        self.assertEqual(upd["after"]["status"], "active")
        self.assertEqual(upd["user"]["name"], "admin")
        self.assertRegex(upd["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # The other end of the relationship has it in its trail too.
        other_trail = self.trail(party=str(other["id"]))
        self.assertIn(rel["id"], [e["entity_id"] for e in other_trail
                                  if e["entity"] == "relationship"])
        # By record.
        by_role = self.trail(entity="role", entity_id=str(role["id"]))
        self.assertEqual(sorted(e["action"] for e in by_role), ["create", "update"])

    def test_a_failed_write_leaves_no_entry(self):
        p = self.create_party()
        before = len(self.trail(party=str(p["id"])))
        self.problem("PATCH", "/api/v1/parties/%d" % p["id"], {"iban": "NL00BANK0000000000"},
                     status=422)
        self.problem("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "unicorn"},
                     status=422)
        self.assertEqual(len(self.trail(party=str(p["id"]))), before)

    def test_no_api_changes_the_trail(self):
        for method in ("POST", "PATCH", "PUT", "DELETE"):
            st, h, _ = self.req(method, "/api/v1/audit", {} if method != "DELETE" else None)
            self.assertEqual(st, 405, method)
            self.assertNotIn(method, h.get("Allow", ""))
        st, _, _ = self.req("DELETE", "/api/v1/audit/1")
        self.assertIn(st, (404, 405))

    def test_who_may_read_what(self):
        name, pw = "aud_" + word(), "audit-reader-pw"
        u = self.ok("POST", "/api/v1/users", {"name": name, "password": pw,
                                              "access": {"sales": "write"}}, status=201)
        tok = self.ok("POST", "/api/v1/session",
                      {"user": name, "password": pw, "bearer": True}, status=201,
                      token=None)["token"]
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Door" + word()},
                    status=201, token=tok)
        self.problem("GET", "/api/v1/audit", status=403, token=tok)
        self.problem("GET", "/api/v1/audit" + q(user="1"), status=403, token=tok)
        mine = self.trail(token=tok, user="me")
        self.assertIn(("party", p["id"]), [(e["entity"], e["entity_id"]) for e in mine])
        self.assertTrue(all(e["user"]["id"] == u["id"] for e in mine))
        self.assertTrue(self.trail(token=tok, party=str(p["id"])))
        # The administrator reads everything, by user too.
        self.assertTrue(self.trail(user=str(u["id"])))
        # The user's own creation and access changes are audited, without the password.
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"access": {"pr": "read"},
                                                         "password": "another-password"})
        entries = self.trail(entity="user", entity_id=str(u["id"]))
        self.assertEqual(sorted(e["action"] for e in entries), ["create", "update"])
        upd = [e for e in entries if e["action"] == "update"][0]
        self.assertEqual(upd["before"]["access"]["pr"], "none")
        self.assertEqual(upd["after"]["access"]["pr"], "read")
        text = str(entries)
        self.assertNotIn(pw, text)
        self.assertNotIn("another-password", text)
        self.assertNotIn("argon2", text)

    def test_bad_parameters(self):
        self.problem("GET", "/api/v1/audit" + q(party="x"), status=400, field="party")
        self.problem("GET", "/api/v1/audit" + q(party="1", cursor="nonsense"), status=400,
                     field="cursor")


if __name__ == "__main__":
    unittest.main()
