"""Merging duplicate parties: preview, merge, undo, and who may do it.

The case: one person entered twice, once by sales (a customer with a deal,
a case, a contract, consent and a note) and once by purchasing (a supplier,
with a relationship to an organisation, the same colleague link and a
note). The preview shows the result and changes nothing; the merge moves
everything onto the survivor, which its 360 view and the lists show; the
undo puts both parties back exactly as they were. Fields that must differ
after an undo: `version` and `updated_at` of every party and row the merge
touched (a version is the If-Match token: going back to an old number would
let a client holding the pre-merge version overwrite the restored record
unnoticed), nothing else.
"""

import os
import sqlite3
import tempfile
import unittest

from harness import ApiTestCase, Server, describe, run_cli, sanitizer_report, word

DEMO_PASSWORD = "xrm-demo-2026"
CHANGING = ("version", "updated_at")


def strip(v):
    """v without the fields an undo must change (see the module doc)."""
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in CHANGING}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


class MergeBase(ApiTestCase):
    DEMO = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name in ("verkoop", "hr", "inkoop"):
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": name, "password": DEMO_PASSWORD, "bearer": True},
                                       token=None)
            if st != 201:
                raise RuntimeError("login of %s failed: %s %s" % (name, st, js))
            cls.tok[name] = js["token"]

    def merge(self, sid, body, status=200, token=None):
        kw = {"token": token} if token else {}
        return self.ok("POST", "/api/v1/parties/%d/merge" % sid, body, status=status, **kw)

    def twins(self):
        """Two records of one person with records in several domains; returns (a, b, ids)."""
        fam = "Jansen" + word(4)
        org = self.create_party(kind="organization", name="Werkgever " + word())["id"]
        colleague = self.create_party(family_name="Collega " + word())["id"]
        a = self.create_party(given_name="Piet", family_name=fam,
                              emails=[{"label": "werk", "value": "Piet@Example.nl"}],
                              phones=[{"label": "mobiel", "value": "06-12345678"}],
                              kvk="12345678", tags=["klant"], custom={"bron": "beurs"},
                              addresses=[{"label": "thuis", "street": "Dorpsstraat",
                                          "house_number": "1", "postcode": "1234AB",
                                          "city": "Utrecht"}],
                              roles=[{"type": "customer", "since": "2020-01-01"}])
        b = self.create_party(given_name="Pieter", family_prefix="van", family_name=fam,
                              emails=[{"label": "thuis", "value": "piet@example.nl"},
                                      {"label": "prive", "value": "pj@example.org"}],
                              phones=[{"label": "werk", "value": "+31 6 12345678"}],
                              iban="NL91ABNA0417164300", tags=["leverancier", "klant"],
                              addresses=[{"label": "post", "street": "Dorpsstraat",
                                          "house_number": "1", "postcode": "1234 ab",
                                          "city": "Utrecht"},
                                         {"label": "werk", "street": "Kerkweg",
                                          "house_number": "7", "postcode": "5678 CD",
                                          "city": "Zeist"}],
                              custom={"bron": "website", "schoenmaat": "44"},
                              roles=[{"type": "customer", "since": "2018-05-01",
                                      "until": "2021-12-31", "status": "former"},
                                     {"type": "supplier", "since": "2019-01-01"}])
        ids = {"a": a["id"], "b": b["id"], "org": org, "colleague": colleague}
        ids["rel_org"] = self.ok("POST", "/api/v1/relationships",
                                 {"type": "works_at", "from": b["id"], "to": org}, 201)["id"]
        # The same link from both records: after a merge it would be there twice.
        self.ok("POST", "/api/v1/relationships",
                {"type": "family_of", "from": a["id"], "to": colleague}, 201)
        self.ok("POST", "/api/v1/relationships",
                {"type": "family_of", "from": b["id"], "to": colleague}, 201)
        # Between the two records themselves: would link the survivor to itself.
        self.ok("POST", "/api/v1/relationships",
                {"type": "family_of", "from": a["id"], "to": b["id"]}, 201)
        ids["note_a"] = self.ok("POST", "/api/v1/activities",
                                {"type": "note", "domain": "sales", "subject": "Belde over A",
                                 "parties": [a["id"]]}, 201)["id"]
        ids["note_b"] = self.ok("POST", "/api/v1/activities",
                                {"type": "note", "domain": "purchasing",
                                 "subject": "Offerte van B", "parties": [b["id"]]}, 201)["id"]
        ids["note_both"] = self.ok("POST", "/api/v1/activities",
                                   {"type": "meeting", "domain": "sales", "subject": "Met beiden",
                                    "parties": [a["id"], b["id"]]}, 201)["id"]
        ids["deal"] = self.ok("POST", "/api/v1/deals",
                              {"party": b["id"], "title": "Deal " + word()}, 201)["id"]
        ids["case"] = self.ok("POST", "/api/v1/cases",
                              {"party": b["id"], "subject": "Vraag " + word()}, 201)["id"]
        ids["agreement"] = self.ok("POST", "/api/v1/agreements",
                                   {"party": b["id"], "kind": "customer_contract",
                                    "start": "2024-01-01"}, 201)["id"]
        self.ok("POST", "/api/v1/parties/%d/consents" % b["id"],
                {"purpose": "newsletter", "granted": True, "source": "web form"}, 201)
        return a, b, ids

    def dump(self, pid):
        """Everything the API shows of a party, as the admin sees it."""
        base = "/api/v1/parties/%d" % pid
        party = self.ok("GET", base)
        return {
            "party": party,
            "roles": self.ok("GET", base + "/roles")["items"],
            "timeline": self.list_all(base + "/timeline"),
            "deals": self.list_all("/api/v1/deals", party=str(pid)),
            "cases": self.cases(pid),
            "agreements": self.list_all("/api/v1/agreements", party=str(pid)),
            "consents": self.ok("GET", base + "/consents"),
        }

    def cases(self, pid):
        """The cases of party pid (the case list has no party filter)."""
        return [c for c in self.list_all("/api/v1/cases") if c["party"] == pid]

    def audit_count(self, pid):
        return len(self.list_all("/api/v1/audit", party=str(pid)))


class MergeTest(MergeBase):
    def create_party(self, body=None, force=True, **fields):
        # The parties of these tests are the same person on purpose.
        return super().create_party(body, force=force, **fields)

    def test_preview_shows_the_result_and_changes_nothing(self):
        a, b, ids = self.twins()
        before = (self.dump(a["id"]), self.dump(b["id"]))
        audit = self.audit_count(a["id"])
        pv = self.merge(a["id"], {"from": [b["id"]], "preview": True})
        self.assertNotIn("id", pv)
        fields = {f["field"]: f for f in pv["fields"]}
        # The survivor's own value wins; the other's shows as the alternative.
        self.assertEqual(fields["given_name"]["value"], "Piet")
        self.assertEqual(fields["given_name"]["from"], a["id"])
        self.assertEqual(fields["given_name"]["alternatives"],
                         [{"value": "Pieter", "party": b["id"]}])
        # An empty field is filled from the merged party.
        self.assertEqual(fields["iban"]["value"], "NL91ABNA0417164300")
        self.assertEqual(fields["iban"]["from"], b["id"])
        self.assertIn("given_name", pv["conflicts"])
        self.assertIn("custom.bron", pv["conflicts"])
        self.assertNotIn("iban", pv["conflicts"])
        # Lists are united without duplicates (e-mail in other case, phone in other form).
        self.assertEqual([e["value"] for e in pv["party"]["emails"]],
                         ["Piet@example.nl", "pj@example.org"])
        self.assertEqual(len(pv["party"]["phones"]), 1)
        self.assertEqual([x["city"] for x in pv["party"]["addresses"]], ["Utrecht", "Zeist"])
        self.assertEqual(sorted(pv["party"]["tags"]), ["klant", "leverancier"])
        self.assertEqual(pv["party"]["custom"], {"bron": "beurs", "schoenmaat": "44"})
        self.assertEqual(pv["moves"], {"roles": 2, "relationships": 3, "activities": 2,
                                       "deals": 1, "cases": 1, "agreements": 1, "consents": 1,
                                       "tags": 1})
        self.assertEqual(sorted(r["type"] for r in pv["party"]["roles"]),
                         ["customer", "supplier"])
        # Nothing changed, nothing was audited.
        self.assertEqual((self.dump(a["id"]), self.dump(b["id"])), before)
        self.assertEqual(self.audit_count(a["id"]), audit)

    def test_choose_picks_a_field_from_another_party(self):
        a, b, _ = self.twins()
        pv = self.merge(a["id"], {"from": [b["id"]], "preview": True,
                                  "choose": {"name": b["id"], "custom.bron": b["id"]}})
        self.assertEqual(pv["party"]["given_name"], "Pieter")
        self.assertEqual(pv["party"]["family_prefix"], "van")
        self.assertEqual(pv["party"]["custom"]["bron"], "website")
        self.problem("POST", "/api/v1/parties/%d/merge" % a["id"],
                     {"from": [b["id"]], "choose": {"emails": b["id"]}}, 422,
                     field="choose.emails")
        self.problem("POST", "/api/v1/parties/%d/merge" % a["id"],
                     {"from": [b["id"]], "choose": {"kvk": 999999}}, 422, field="choose.kvk")

    def test_merge_moves_everything_and_undo_restores_it(self):
        a, b, ids = self.twins()
        before = (self.dump(a["id"]), self.dump(b["id"]))
        audit_a, audit_b = self.audit_count(a["id"]), self.audit_count(b["id"])
        done = self.merge(a["id"], {"from": [b["id"]]})
        mid = done["id"]
        self.assertEqual(done["moves"]["deals"], 1)
        self.assertTrue(done["undo_until"] > before[0]["party"]["updated_at"])

        # The merged party is archived and points at the survivor.
        gone = self.get_party(b["id"])
        self.assertTrue(gone["archived"])
        self.assertEqual(gone["merged_into"], a["id"])
        self.assertNotIn(b["id"], self.party_ids("Jansen"))
        # The survivor's 360 view holds everything.
        view = self.ok("GET", "/api/v1/parties/%d/view" % a["id"])
        p = view["party"]
        self.assertNotIn("merged_into", p)
        self.assertEqual(p["iban"], "NL91ABNA0417164300")
        self.assertEqual(p["given_name"], "Piet")
        roles = {r["type"]: r for r in p["roles"]}
        self.assertEqual(sorted(roles), ["customer", "supplier"])
        # The overlapping customer roles became one: earliest since, open until.
        self.assertEqual(roles["customer"]["since"], "2018-05-01")
        self.assertIsNone(roles["customer"]["until"])
        rels = p["relationships"]
        self.assertEqual(sorted((r["type"], r["party"]["id"]) for r in rels),
                         sorted([("works_at", ids["org"]), ("family_of", ids["colleague"])]))
        subjects = sorted(x["subject"] for x in view["timeline"])
        self.assertEqual(subjects, ["Belde over A", "Met beiden", "Offerte van B"])
        self.assertEqual(p["records"]["deals"]["open"], 1)
        self.assertEqual(p["records"]["cases"]["open"], 1)
        self.assertEqual([d["id"] for d in self.list_all("/api/v1/deals", party=str(a["id"]))],
                         [ids["deal"]])
        self.assertEqual([c["id"] for c in self.cases(a["id"])], [ids["case"]])
        self.assertEqual([g["id"] for g in
                          self.list_all("/api/v1/agreements", party=str(a["id"]))],
                         [ids["agreement"]])
        self.assertEqual(len(self.ok("GET", "/api/v1/parties/%d/consents" % a["id"])["items"]),
                         1)
        self.assertEqual(self.list_all("/api/v1/deals", party=str(b["id"])), [])
        self.assertEqual(self.list_all("/api/v1/parties/%d/timeline" % b["id"]), [])
        # Search finds the survivor by the merged party's e-mail and IBAN.
        self.assertIn(a["id"], self.search("pj@example.org"))
        # One audit entry on each.
        self.assertEqual(self.audit_count(a["id"]), audit_a + 1)
        self.assertEqual(self.audit_count(b["id"]), audit_b + 1)
        got = self.ok("GET", "/api/v1/merges/%d" % mid)
        self.assertEqual((got["party"], got["from"], got["undone_at"]),
                         (a["id"], [b["id"]], None))

        # Something made on the survivor after the merge stays there.
        later = self.ok("POST", "/api/v1/activities",
                        {"type": "note", "domain": "sales", "subject": "Na de samenvoeging",
                         "parties": [a["id"]]}, 201)["id"]

        audit_a = self.audit_count(a["id"])
        res = self.ok("POST", "/api/v1/merges/%d/undo" % mid)
        self.assertEqual(sorted(res["parties"]), sorted([a["id"], b["id"]]))
        after_a, after_b = self.dump(a["id"]), self.dump(b["id"])
        after_a["timeline"] = [x for x in after_a["timeline"] if x["id"] != later]
        self.assertEqual(strip(after_a), strip(before[0]))
        self.assertEqual(strip(after_b), strip(before[1]))
        self.assertIn(later, [x["id"] for x in self.list_all(
            "/api/v1/parties/%d/timeline" % a["id"])])
        self.assertGreater(after_b["party"]["version"], before[1]["party"]["version"])
        self.assertEqual(self.audit_count(a["id"]), audit_a + 1)
        self.assertEqual(self.audit_count(b["id"]), audit_b + 2)
        # Undone once only.
        pr = self.problem("POST", "/api/v1/merges/%d/undo" % mid, status=409)
        self.assertEqual(pr["code"], "already_undone")
        self.assertIsNotNone(self.ok("GET", "/api/v1/merges/%d" % mid)["undone_at"])

    def test_bad_requests_change_nothing(self):
        a, b, _ = self.twins()
        before = (self.dump(a["id"]), self.dump(b["id"]))
        path = "/api/v1/parties/%d/merge" % a["id"]
        self.problem("POST", path, {"from": []}, 422, field="from")
        self.problem("POST", path, {"from": [a["id"]]}, 422, field="from[0]")
        self.problem("POST", path, {"from": [b["id"], b["id"]]}, 422, field="from[1]")
        self.problem("POST", path, {"from": list(range(1, 13))}, 422, field="from")
        self.problem("POST", path, {"from": [b["id"]], "extra": 1}, 422, field="extra")
        self.problem("POST", path, {"from": [999999999]}, 404)
        old = self.create_party(family_name="Oud " + word())
        self.ok("DELETE", "/api/v1/parties/%d" % old["id"], status=204)
        self.problem("POST", path, {"from": [old["id"]]}, 422, field="from[0]")
        org = self.create_party(kind="organization")
        self.problem("POST", path, {"from": [org["id"]]}, 422, field="from[0]")
        self.assertEqual((self.dump(a["id"]), self.dump(b["id"])), before)

    def test_sales_may_not_merge_away_an_employee(self):
        a, b, _ = self.twins()
        emp = self.create_party(given_name="Piet", family_name=a["family_name"],
                                roles=[{"type": "employee", "since": "2021-01-01"}])
        before = (self.dump(a["id"]), self.dump(emp["id"]))
        audit = self.audit_count(a["id"])
        st, _, _ = self.req("POST", "/api/v1/parties/%d/merge" % a["id"],
                            {"from": [emp["id"]]}, token=self.tok["verkoop"])
        self.assertEqual(st, 403, describe(self.client))
        self.assertEqual((self.dump(a["id"]), self.dump(emp["id"])), before)
        self.assertEqual(self.audit_count(a["id"]), audit)
        # Nor may it merge a record whose case or deal is outside its domains:
        # purchasing writes purchasing only, and b has a sales deal.
        sup = self.create_party(family_name="Lev " + word(),
                                roles=[{"type": "supplier"}])
        st, _, _ = self.req("POST", "/api/v1/parties/%d/merge" % sup["id"],
                            {"from": [b["id"]]}, token=self.tok["inkoop"])
        self.assertEqual(st, 403, describe(self.client))
        self.assertFalse(self.get_party(b["id"])["archived"])

    def test_a_salary_moves_only_with_full_access(self):
        """HR write without full may not move a role carrying a sensitive attribute."""
        name, password = "hrschrijver_" + word(5), "pw-" + word(12)
        self.ok("POST", "/api/v1/users", {"name": name, "password": password,
                                          "access": {"hr": "write"}}, 201)
        tok = self.ok("POST", "/api/v1/session",
                      {"user": name, "password": password, "bearer": True}, 201,
                      token=None)["token"]
        keep = self.create_party(family_name="Werknemer " + word(),
                                 roles=[{"type": "employee", "since": "2020-01-01"}])
        paid = self.create_party(family_name="Werknemer " + word(),
                                 roles=[{"type": "employee", "since": "2019-01-01",
                                         "attributes": {"salary": 4200}}])
        before = (self.dump(keep["id"]), self.dump(paid["id"]))
        st, _, _ = self.req("POST", "/api/v1/parties/%d/merge" % keep["id"],
                            {"from": [paid["id"]]}, token=tok)
        self.assertEqual(st, 403, describe(self.client))
        self.assertEqual((self.dump(keep["id"]), self.dump(paid["id"])), before)
        # Without a salary the same user may merge (the refusal was the salary's).
        plain = self.create_party(family_name="Werknemer " + word(),
                                  roles=[{"type": "employee", "since": "2022-01-01"}])
        self.merge(keep["id"], {"from": [plain["id"]]}, token=tok)
        done = self.merge(keep["id"], {"from": [paid["id"]]}, token=self.tok["hr"])
        emp = [r for r in done["party"]["roles"] if r["type"] == "employee"]
        self.assertEqual(len(emp), 1)
        self.assertEqual(emp[0]["attributes"].get("salary"), 4200)
        self.assertEqual(emp[0]["since"], "2019-01-01")

    def test_only_the_merger_or_an_admin_undoes(self):
        x = self.create_party(family_name="Klant " + word(), roles=[{"type": "customer"}])
        y = self.create_party(family_name="Klant " + word(), roles=[{"type": "customer"}])
        done = self.merge(x["id"], {"from": [y["id"]]}, token=self.tok["verkoop"])
        # Someone else's merge does not exist for another user.
        self.problem("GET", "/api/v1/merges/%d" % done["id"], status=404,
                     token=self.tok["inkoop"])
        self.problem("POST", "/api/v1/merges/%d/undo" % done["id"], status=404,
                     token=self.tok["inkoop"])
        self.assertTrue(self.get_party(y["id"])["archived"])
        self.ok("GET", "/api/v1/merges/%d" % done["id"], token=self.tok["verkoop"])
        self.ok("POST", "/api/v1/merges/%d/undo" % done["id"], token=self.tok["verkoop"])
        self.assertFalse(self.get_party(y["id"])["archived"])
        self.problem("GET", "/api/v1/merges/999999", status=404)


class MergeCopyTest(MergeBase):
    def test_copy_keeps_merged_into(self):
        """xrm copy writes parties in id order; a survivor may come after its merged party."""
        old = self.create_party(family_name="Eerst " + word())
        new = self.create_party(family_name="Later " + word())
        done = self.merge(new["id"], {"from": [old["id"]]})
        with tempfile.TemporaryDirectory(prefix="xrm-merge-copy-") as d:
            target = os.path.join(d, "copy.db")
            r = run_cli(self.server.binary, "copy", "--from", self.server.db, "--to",
                        "sqlite:" + target, "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            con = sqlite3.connect(target)
            try:
                row = con.execute("SELECT merged_into, archived FROM parties WHERE id = ?",
                                  (old["id"],)).fetchone()
                merges = con.execute("SELECT survivor_id FROM merges WHERE id = ?",
                                     (done["id"],)).fetchone()
            finally:
                con.close()
        self.assertEqual(row, (new["id"], 1))
        self.assertEqual(merges, (new["id"],))


class MergeExpiryTest(unittest.TestCase):
    """An undo after 30 days is refused: the clock moves with XRM_NOW."""

    def start(self, now):
        old = os.environ.get("XRM_NOW")
        os.environ["XRM_NOW"] = now
        try:
            self.server.start()
        finally:
            if old is None:
                del os.environ["XRM_NOW"]
            else:
                os.environ["XRM_NOW"] = old
        return self.server.client()

    def stopped(self):
        rc, err = self.server.stop()
        self.assertIsNone(sanitizer_report(err), err)
        self.assertEqual(rc, 0, err[-4000:])

    def test_undo_expires(self):
        self.server = Server()
        try:
            self.server.init()
            c = self.start("2027-01-01T10:00:00Z")
            a = c.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Een"})[2]
            b = c.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Twee"})[2]
            st, _, m = c.req("POST", "/api/v1/parties/%d/merge" % a["id"], {"from": [b["id"]]})
            self.assertEqual(st, 200, m)
            self.assertEqual(m["undo_until"], "2027-01-31T10:00:00Z")
            c.close()
            self.stopped()
            c = self.start("2027-02-01T10:00:00Z")
            st, _, pr = c.req("POST", "/api/v1/merges/%d/undo" % m["id"])
            self.assertEqual((st, pr.get("code")), (409, "undo_expired"), pr)
            st, _, p = c.req("GET", "/api/v1/parties/%d" % b["id"])
            self.assertTrue(p["archived"])
            c.close()
            self.stopped()
            c = self.start("2027-01-31T09:00:00Z")
            st, _, res = c.req("POST", "/api/v1/merges/%d/undo" % m["id"])
            self.assertEqual(st, 200, res)
            c.close()
            self.stopped()
        finally:
            self.server.stop()
            self.server.cleanup()


if __name__ == "__main__":
    unittest.main()
