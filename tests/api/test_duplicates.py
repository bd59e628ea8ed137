"""Duplicates: parties found on normalised keys (e-mail, phone, KvK, BTW-id, IBAN,
postcode + house number, name), refused on create with the candidates unless
forced, listed per party and by a scan of all pairs, and never showing a party
the reader may not see (an applicant to sales).
"""

import json
import sqlite3
import unittest

from harness import PG_URL, ApiTestCase, q, run_cli, word

DEMO_PASSWORD = "xrm-demo-2026"


def kvk():
    import random
    return "%08d" % random.randint(10000000, 99999999)


class DuplicateTest(ApiTestCase):
    DEMO = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name in ("verkoop", "hr"):
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": name, "password": DEMO_PASSWORD, "bearer": True},
                                       token=None)
            if st != 201:
                raise RuntimeError("login of %s failed: %s" % (name, js))
            cls.tok[name] = js["token"]

    def post(self, body, force=False, status=201, token=None):
        path = "/api/v1/parties" + (q(force="true") if force else "")
        if status == 409:
            kw = {"token": token} if token else {}
            return self.problem("POST", path, body, status=409, **kw)
        kw = {"token": token} if token else {}
        return self.ok("POST", path, body, status=status, **kw)

    def test_email_in_other_case_is_refused_with_the_candidate(self):
        name = word().capitalize()
        mail = "%s@example.nl" % word()
        first = self.post({"kind": "person", "given_name": "Jan", "family_name": name,
                           "emails": [mail]})
        before = self.party_count()
        prob = self.post({"kind": "person", "given_name": "Piet", "family_name": word(),
                          "emails": [mail.upper()]}, status=409)
        self.assertEqual(prob["code"], "duplicate")
        self.assertEqual([c["party"]["id"] for c in prob["candidates"]], [first["id"]])
        cand = prob["candidates"][0]
        self.assertTrue(cand["exact"])
        self.assertEqual(cand["score"], 100)
        self.assertIn({"key": "email", "value": mail}, cand["reasons"])
        self.assertEqual(cand["party"]["name"], first["name"])
        self.assertEqual(self.party_count(), before, "a refused create wrote nothing")

    def test_org_with_kvk_and_vat_twice_then_forced(self):
        number = kvk()
        body = {"kind": "organization", "name": "Bouwbedrijf %s B.V." % word().capitalize(),
                "kvk": number, "vat": "NL000099998B57"}
        first = self.post(body)
        again = dict(body, name="Heel Anders " + word(), vat="nl 0000.99998.b57")
        again["kvk"] = number
        prob = self.post(again, status=409)
        cand = prob["candidates"][0]
        self.assertEqual(cand["party"]["id"], first["id"])
        keys = sorted(r["key"] for r in cand["reasons"])
        self.assertEqual(keys, ["kvk", "vat"])
        self.assertIn({"key": "vat", "value": "NL000099998B57"}, cand["reasons"])
        self.assertEqual(cand["score"], 100)
        forced = self.post(again, force=True)
        self.assertNotEqual(forced["id"], first["id"])
        self.assertIn(first["id"], [c["party"]["id"] for c in forced["duplicates"]])
        # Both are now candidates of each other.
        dups = self.ok("GET", "/api/v1/parties/%d/duplicates" % first["id"])["items"]
        self.assertIn(forced["id"], [c["party"]["id"] for c in dups])
        self.assertNotIn(first["id"], [c["party"]["id"] for c in dups], "not itself")

    def test_weak_name_match_is_created_with_duplicates(self):
        family = "Vander" + word()
        first = self.post({"kind": "person", "given_name": "Jan", "family_prefix": "van der",
                           "family_name": family})
        second = self.post({"kind": "person", "name": "J. v.d. %s" % family})
        self.assertIn("duplicates", second)
        cand = [c for c in second["duplicates"] if c["party"]["id"] == first["id"]]
        self.assertEqual(len(cand), 1)
        self.assertFalse(cand[0]["exact"])
        self.assertEqual(cand[0]["score"], 40)
        self.assertEqual(cand[0]["reasons"],
                         [{"key": "name_initial", "value": "%s j" % family.lower()}])
        third = self.post({"kind": "person", "name": "Jan van der %s" % family,
                           "phones": ["06-1234 5678"]})
        cand = [c for c in third["duplicates"] if c["party"]["id"] == first["id"]][0]
        self.assertEqual(cand["score"], 70, cand)  # name 60 + name_initial
        # A party resembling nothing carries no "duplicates".
        lone = self.post({"kind": "organization", "name": "Uniek " + word() + word()})
        self.assertNotIn("duplicates", lone)

    def test_phone_forms_and_address_match(self):
        tag = word()
        a = self.post({"kind": "organization", "name": "Installatie %s" % tag,
                       "phones": ["+31 (0)20 555 0101"],
                       "addresses": [{"postcode": "1011ab", "house_number": "12 A",
                                      "city": "Amsterdam"}]})
        b = self.post({"kind": "organization", "name": "Iets Anders %s" % word(),
                       "phones": ["0031 20 5550101"],
                       "addresses": [{"postcode": "1011 AB", "house_number": "12a"}]})
        cand = [c for c in b["duplicates"] if c["party"]["id"] == a["id"]][0]
        self.assertEqual(sorted(r["key"] for r in cand["reasons"]), ["address", "phone"])
        self.assertIn({"key": "address", "value": "1011AB 12a"}, cand["reasons"])
        self.assertIn({"key": "phone", "value": "+31205550101"}, cand["reasons"])
        self.assertEqual(cand["score"], 90)
        self.assertFalse(cand["exact"])

    def test_external_id_is_stored_and_matches(self):
        ext = "AFAS-" + word()
        a = self.post({"kind": "organization", "name": "Extern " + word(), "external_id": ext})
        self.assertEqual(self.get_party(a["id"])["external_id"], ext)
        prob = self.post({"kind": "organization", "name": "Ander " + word(),
                          "external_id": ext}, status=409)
        self.assertEqual(prob["candidates"][0]["reasons"], [{"key": "external_id", "value": ext}])
        self.problem("POST", "/api/v1/parties",
                     {"kind": "organization", "name": "X", "external_id": "x" * 101},
                     status=422, field="external_id")

    def test_archived_party_is_no_candidate(self):
        mail = "%s@archief.nl" % word()
        a = self.post({"kind": "person", "family_name": word(), "emails": [mail]})
        self.ok("DELETE", "/api/v1/parties/%d" % a["id"], status=204)
        b = self.post({"kind": "person", "family_name": word(), "emails": [mail]})
        self.assertNotIn(a["id"], [c["party"]["id"] for c in b.get("duplicates", [])])
        # Restored, it is a candidate again (its keys were kept).
        self.ok("PATCH", "/api/v1/parties/%d" % a["id"], {"archived": False})
        dups = self.ok("GET", "/api/v1/parties/%d/duplicates" % b["id"])["items"]
        self.assertIn(a["id"], [c["party"]["id"] for c in dups])

    def test_patch_updates_keys(self):
        mail = "%s@wijzig.nl" % word()
        a = self.post({"kind": "person", "family_name": word()})
        b = self.post({"kind": "person", "family_name": word(), "emails": [mail]})
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/duplicates" % b["id"])["items"], [])
        self.ok("PATCH", "/api/v1/parties/%d" % a["id"], {"emails": [mail.upper()]})
        dups = self.ok("GET", "/api/v1/parties/%d/duplicates" % b["id"])["items"]
        self.assertEqual([c["party"]["id"] for c in dups], [a["id"]])
        self.ok("PATCH", "/api/v1/parties/%d" % a["id"], {"emails": []})
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/duplicates" % b["id"])["items"], [])

    def test_scan_lists_the_pair_with_reasons(self):
        iban = "NL91ABNA0417164300"
        tag = word()
        a = self.post({"kind": "organization", "name": "Scan %s" % tag, "iban": iban})
        b = self.post({"kind": "organization", "name": "Scan %s" % tag,
                       "iban": "nl91 abna 0417 1643 00"}, force=True)
        pairs = self.list_all("/api/v1/duplicates", limit=3, min_score="0")
        mine = [p for p in pairs if (p["party"]["id"], p["duplicate"]["id"]) == (a["id"], b["id"])]
        self.assertEqual(len(mine), 1, pairs)
        pair = mine[0]
        self.assertTrue(pair["exact"])
        self.assertEqual(pair["score"], 100)
        self.assertIn({"key": "iban", "value": iban}, pair["reasons"])
        self.assertIn({"key": "name", "value": "scan %s" % tag}, pair["reasons"])
        for p in pairs:
            self.assertLess(p["party"]["id"], p["duplicate"]["id"])
        scores = [p["score"] for p in pairs]
        self.assertEqual(scores, sorted(scores, reverse=True), "best first")
        self.assertEqual(len({(p["party"]["id"], p["duplicate"]["id"]) for p in pairs}),
                         len(pairs), "no pair twice over the pages")
        high = self.list_all("/api/v1/duplicates", min_score="100")
        self.assertTrue(all(p["score"] == 100 for p in high))
        # The CLI scan finds the same pair.
        r = run_cli(self.server.binary, "duplicates", "scan", "--db", self.server.db,
                    "--min-score", "100", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
        self.assertIn((a["id"], b["id"]), [(x["party"]["id"], x["duplicate"]["id"])
                                           for x in lines])
        r = run_cli(self.server.binary, "duplicates", "scan", "--db", self.server.db,
                    "--min-score", "100")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("iban=%s" % iban, r.stdout)
        self.problem("GET", "/api/v1/duplicates" + q(min_score="101"), status=400,
                     field="min_score")
        self.problem("GET", "/api/v1/duplicates" + q(cursor="nope"), status=400, field="cursor")

    def test_scan_ignores_a_phone_shared_by_many(self):
        # A switchboard number shared by 21 colleagues says nothing about any two of them.
        board = "+31 30 %d" % (2000000 + len(word()) * 1000 + 21)
        ids = [self.post({"kind": "person", "family_name": word(), "phones": [board]})["id"]
               for _ in range(21)]
        pairs = self.list_all("/api/v1/duplicates", limit=1000, min_score="0")
        value = "+3130" + board.split()[-1]
        self.assertEqual([p for p in pairs if {"key": "phone", "value": value} in p["reasons"]],
                         [])
        # Two sharing a number are a pair.
        mobile = "06-5555 %04d" % (len(pairs) % 10000)
        a = self.post({"kind": "person", "family_name": word(), "phones": [mobile]})
        b = self.post({"kind": "person", "family_name": word(), "phones": [mobile]})
        pairs = self.list_all("/api/v1/duplicates", limit=1000, min_score="80")
        self.assertIn((a["id"], b["id"]), [(p["party"]["id"], p["duplicate"]["id"])
                                           for p in pairs])
        self.assertTrue(ids)

    def test_applicant_is_never_a_candidate_for_sales(self):
        mail = "%s@sollicitant.nl" % word()
        family = "Sollicitant" + word()
        phone = "06 - 9876 54%02d" % (len(family) % 100)
        app = self.ok("POST", "/api/v1/parties",
                      {"kind": "person", "given_name": "Els", "family_name": family,
                       "emails": [mail], "phones": [phone],
                       "roles": [{"type": "employee", "status": "applicant"}]},
                      status=201, token=self.tok["hr"])
        body = {"kind": "person", "given_name": "Els", "family_name": family, "emails": [mail],
                "phones": [phone], "roles": [{"type": "customer"}]}
        # Sales creates the same person as a customer: no 409, no candidate, no value of it.
        mine = self.ok("POST", "/api/v1/parties", body, status=201, token=self.tok["verkoop"])
        self.assertNotIn("duplicates", mine)
        dups = self.ok("GET", "/api/v1/parties/%d/duplicates" % mine["id"],
                       token=self.tok["verkoop"])
        self.assertEqual(dups["items"], [])
        pairs = []
        cursor = None
        while True:
            params = {"min_score": "0", "limit": "1000"}
            if cursor:
                params["cursor"] = cursor
            page = self.ok("GET", "/api/v1/duplicates" + q(**params), token=self.tok["verkoop"])
            pairs += page["items"]
            cursor = page["next"]
            if not cursor:
                break
        self.assertNotIn(app["id"], [p["party"]["id"] for p in pairs] +
                         [p["duplicate"]["id"] for p in pairs])
        self.assertNotIn(mail, json.dumps(pairs))
        # HR sees the pair, and would have been refused creating it again.
        hr = self.ok("GET", "/api/v1/parties/%d/duplicates" % mine["id"], token=self.tok["hr"])
        self.assertIn(app["id"], [c["party"]["id"] for c in hr["items"]])
        prob = self.problem("POST", "/api/v1/parties", dict(body, roles=[]), status=409,
                            token=self.tok["hr"])
        self.assertIn(app["id"], [c["party"]["id"] for c in prob["candidates"]])

    def test_duplicates_of_missing_party_is_404(self):
        self.problem("GET", "/api/v1/parties/999999999/duplicates", status=404)

    def test_demo_data_has_keys_and_no_exact_duplicates(self):
        # Keys of the demo parties exist (they were written on insert): a demo e-mail matches.
        some = [p for p in self.list_all("/api/v1/parties") if p["emails"]][0]
        prob = self.post({"kind": "person", "family_name": word(),
                          "emails": [some["emails"][0]["value"].upper()]}, status=409)
        self.assertEqual(prob["candidates"][0]["party"]["id"], some["id"])

    def test_keys_of_older_databases_are_filled_on_open(self):
        if PG_URL:
            self.skipTest("reads the SQLite file")
        mail = "%s@ouder.nl" % word()
        a = self.post({"kind": "person", "family_name": word(), "emails": [mail]})
        # As a database from before the keys: none stored, every party pending.
        con = sqlite3.connect(self.server.db, timeout=30)
        try:
            with con:
                con.execute("DELETE FROM party_keys")
                con.execute("INSERT INTO party_keys_pending (party_id) SELECT id FROM parties")
        finally:
            con.close()
        self.post({"kind": "person", "family_name": word(), "emails": [mail]}, force=True)
        # Any command opening the database fills them (here the scan, beside the server).
        r = run_cli(self.server.binary, "duplicates", "scan", "--db", self.server.db,
                    "--min-score", "100", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        pairs = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
        self.assertIn(a["id"], [p["party"]["id"] for p in pairs])
        con = sqlite3.connect(self.server.db, timeout=30)
        try:
            pending = con.execute("SELECT count(*) FROM party_keys_pending").fetchone()[0]
            keys = con.execute("SELECT count(DISTINCT party_id) FROM party_keys").fetchone()[0]
            parties = con.execute("SELECT count(*) FROM parties").fetchone()[0]
        finally:
            con.close()
        self.assertEqual(pending, 0)
        self.assertEqual(keys, parties)
        prob = self.post({"kind": "person", "family_name": word(), "emails": [mail]}, status=409)
        self.assertIn(a["id"], [c["party"]["id"] for c in prob["candidates"]])


if __name__ == "__main__":
    unittest.main()
