"""Bulk NDJSON import: validated like single writes, all or nothing per
batch, one audit entry per batch."""

import json
import unittest

from harness import ApiTestCase, q, word


def ndjson(records):
    return ("\n".join(json.dumps(r) for r in records) + "\n").encode()


class ImportTest(ApiTestCase):
    def post_ndjson(self, path, records):
        return self.client.raw("POST", path, body=ndjson(records),
                               headers={"Content-Type": "application/x-ndjson"})

    def test_parties_batch_is_audited_once(self):
        w = word()
        people = [{"kind": "person", "given_name": "Jan", "family_name": w + str(i),
                   "roles": [{"type": "customer"}]} for i in range(3)]
        st, _, raw = self.post_ndjson("/api/v1/import/parties", people)
        self.assertEqual(st, 201, raw)
        js = json.loads(raw)
        self.assertEqual(js["created"], 3)
        ids = js["ids"]
        self.assertEqual(len(set(ids)), 3)
        found = self.ok("GET", "/api/v1/parties" + q(q=w, limit="10"))
        self.assertEqual(sorted(p["id"] for p in found["items"]), sorted(ids))
        audit = self.ok("GET", "/api/v1/audit" + q(entity="party", entity_id=str(ids[0])))
        actions = [e["action"] for e in audit["items"]]
        self.assertEqual(actions.count("import"), 1, audit)
        self.assertNotIn("create", actions)
        entry = [e for e in audit["items"] if e["action"] == "import"][0]
        self.assertEqual(entry["after"]["count"], 3)

    def test_bad_line_changes_nothing(self):
        w = word()
        recs = [{"kind": "person", "family_name": w + "a"},
                {"kind": "person", "family_name": w + "b", "iban": "NL91ABNA0417164301"}]
        st, _, raw = self.post_ndjson("/api/v1/import/parties", recs)
        self.assertEqual(st, 422, raw)
        prob = json.loads(raw)
        self.assertEqual(prob["errors"][0]["field"], "[2].iban")
        found = self.ok("GET", "/api/v1/parties" + q(q=w))
        self.assertEqual(found["items"], [])

    # Lines are checked on the request's thread before the write; these pin
    # that the stored result and the errors are those of the single-record
    # path (the write transaction re-runs a line that needs the database).

    def test_imported_party_equals_created_party(self):
        w = word()
        rec = {"kind": "person", "given_name": " Anne ", "family_prefix": "Van der",
               "family_name": w, "emails": ["Anne@Example.NL"],
               "phones": [{"label": "mobile", "value": "06 12345678"}],
               "addresses": [{"street": "Dorpsstraat", "house_number": "1",
                              "postcode": "3511ab", "city": "Utrecht"}],
               "iban": "nl91 abna 0417 1643 00", "tags": ["VIP", "vip", "beurs"],
               "custom": {"bron": "beurs"},
               "roles": [{"type": "customer", "status": "active", "since": "2020-01-02",
                          "attributes": {"customer_number": " K1 ", "segment": "consumer",
                                         "satisfaction": 7}},
                         {"type": "supplier", "status": "former", "since": "2001-01-01"}]}
        created = self.ok("POST", "/api/v1/parties", rec, status=201)
        st, _, raw = self.post_ndjson("/api/v1/import/parties", [rec])
        self.assertEqual(st, 201, raw)
        imported = self.ok("GET", "/api/v1/parties/%d" % json.loads(raw)["ids"][0])
        created = self.ok("GET", "/api/v1/parties/%d" % created["id"])

        def strip(p):
            p = {k: v for k, v in p.items()
                 if k not in ("id", "uid", "created_at", "updated_at")}
            p["roles"] = [{k: v for k, v in r.items()
                           if k not in ("id", "party", "created_at", "updated_at")}
                          for r in p["roles"]]
            return p
        self.assertEqual(strip(imported), strip(created))
        # the index rows: tags, cities, role attributes, full text
        for query in ("tag:vip", "city:utrecht", "customer.segment:consumer",
                      "customer.satisfaction:7", "role:supplier", "0612345678"):
            found = self.ok("GET", "/api/v1/parties" + q(q=w + " " + query, limit="10"))
            self.assertEqual(len(found["items"]), 2, query)

    def test_bad_role_on_later_line_changes_nothing(self):
        w = word()
        recs = [{"kind": "person", "family_name": w + "a",
                 "roles": [{"type": "customer", "attributes": {"segment": "consumer"}}]},
                {"kind": "organization", "name": w + " B.V.", "tags": ["x"]},
                {"kind": "person", "family_name": w + "c",
                 "roles": [{"type": "customer"}, {"type": "customer", "status": "vip"}]}]
        st, _, raw = self.post_ndjson("/api/v1/import/parties", recs)
        self.assertEqual(st, 422, raw)
        prob = json.loads(raw)
        self.assertEqual(prob["errors"][0]["field"], "[3].roles[1].status")
        self.assertTrue(prob["detail"].startswith("line 3: "), prob)
        self.assertEqual(self.ok("GET", "/api/v1/parties" + q(q=w))["items"], [])
        self.assertEqual(self.ok("GET", "/api/v1/parties" + q(q="tag:x " + w))["items"], [])

    def test_lines_checked_in_the_write(self):
        """Owners and user / party references are checked against the database
        in the write, in line order, with the other lines."""
        w = word()
        boss = self.create_party(kind="person", family_name=w + "boss")["id"]
        recs = [{"kind": "person", "family_name": w + "a", "owner": 1},
                {"kind": "person", "family_name": w + "b",
                 "roles": [{"type": "employee", "attributes": {"manager": boss}},
                           {"type": "customer", "attributes": {"account_manager": 1}}]},
                {"kind": "person", "family_name": w + "c", "roles": [{"type": "customer"}]}]
        st, _, raw = self.post_ndjson("/api/v1/import/parties", recs)
        self.assertEqual(st, 201, raw)
        a, b, _ = json.loads(raw)["ids"]
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d" % a)["owner"], 1)
        roles = self.ok("GET", "/api/v1/parties/%d" % b)["roles"]
        self.assertEqual([r["attributes"] for r in roles],
                         [{"manager": boss}, {"account_manager": 1}])
        bad = [{"kind": "person", "family_name": w + "d", "roles": [{"type": "customer"}]},
               {"kind": "person", "family_name": w + "e",
                "roles": [{"type": "customer", "attributes": {"account_manager": 99999}}]}]
        st, _, raw = self.post_ndjson("/api/v1/import/parties", bad)
        self.assertEqual(st, 422, raw)
        self.assertEqual(json.loads(raw)["errors"][0]["field"],
                         "[2].roles[0].attributes.account_manager")
        self.assertEqual(self.ok("GET", "/api/v1/parties" + q(q=w + "d"))["items"], [])

    def test_relationships_and_activities(self):
        w = word()
        st, _, raw = self.post_ndjson("/api/v1/import/parties", [
            {"kind": "organization", "name": "Bouw " + w},
            {"kind": "person", "family_name": w}])
        self.assertEqual(st, 201, raw)
        org, person = json.loads(raw)["ids"]
        st, _, raw = self.post_ndjson("/api/v1/import/relationships",
                                      [{"type": "works_at", "from": person, "to": org}])
        self.assertEqual(st, 201, raw)
        st, _, raw = self.post_ndjson("/api/v1/import/activities", [
            {"type": "note", "domain": "sales", "subject": "Kennismaking", "parties": [person]},
            {"type": "call", "domain": "sales", "subject": "Terugbellen", "parties": [person, org]}])
        self.assertEqual(st, 201, raw)
        p = self.ok("GET", "/api/v1/parties/%d" % person)
        self.assertEqual([(r["type"], r["party"]["id"]) for r in p["relationships"]],
                         [("works_at", org)])
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % person)
        self.assertEqual([a["subject"] for a in tl["items"]], ["Terugbellen", "Kennismaking"])
        # A missing party in a later line rolls the whole batch back.
        st, _, raw = self.post_ndjson("/api/v1/import/activities", [
            {"type": "note", "domain": "sales", "subject": "Blijft niet", "parties": [person]},
            {"type": "note", "domain": "sales", "subject": "Fout", "parties": [999999999]}])
        self.assertIn(st, (404, 422), raw)
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % person)
        self.assertNotIn("Blijft niet", [a["subject"] for a in tl["items"]])

    def test_empty_and_malformed_bodies(self):
        st, _, raw = self.client.raw("POST", "/api/v1/import/parties", body=b"\n\n",
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(st, 400, raw)
        st, _, raw = self.client.raw("POST", "/api/v1/import/parties", body=b'{"kind":\n',
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(st, 400, raw)
        self.assertEqual(json.loads(raw)["errors"][0]["field"], "[1]")

    def test_json_forms_of_lines(self):
        # Lines are read by a fast parser that leaves anything unusual to
        # jansson: escapes, non-ASCII text and numbers read the same, and a
        # line jansson rejects gets jansson's error.
        w = word()
        line = ('{"kind":"person","given_name":"Ren\\u00e9 \\"Jr\\"","family_name":"%s\u00eb",'
                '"custom":{"hours":32.5,"n":-7,"e":1e2,"s":"a\\/b\\ud83d\\ude00","t":true,'
                '"z":null,"l":[1,[],{}]}}' % w)
        st, _, raw = self.client.raw("POST", "/api/v1/import/parties", body=line.encode(),
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(st, 201, raw)
        p = self.ok("GET", "/api/v1/parties/%d" % json.loads(raw)["ids"][0])
        self.assertEqual(p["given_name"], 'Ren\u00e9 "Jr"')
        self.assertEqual(p["family_name"], w + "\u00eb")
        self.assertEqual(p["custom"], {"hours": 32.5, "n": -7, "e": 100.0,
                                       "s": "a/b\U0001F600", "t": True, "z": None,
                                       "l": [1, [], {}]})
        self.assertIsInstance(p["custom"]["e"], float)
        for bad, text in ((b'{"kind":"person","kind":"person"}', "duplicate object key"),
                          (b'{"kind":"person","family_name":"a\\u0000b"}', "\\u0000"),
                          (b'{"kind":"person","family_name":"\xff"}', "unable to decode"),
                          (b'{"kind":"person","n":01}', "malformed JSON"),
                          (b'{"kind":"person"} x', "end of file expected")):
            body = b'{"kind":"person","family_name":"' + w.encode() + b'"}\n' + bad + b"\n"
            st, _, raw = self.client.raw("POST", "/api/v1/import/parties", body=body,
                                         headers={"Content-Type": "application/x-ndjson"})
            self.assertEqual(st, 400, raw)
            err = json.loads(raw)["errors"][0]
            self.assertEqual(err["field"], "[2]", raw)
            self.assertIn(text, err["message"], raw)


if __name__ == "__main__":
    unittest.main()
