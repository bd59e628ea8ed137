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


if __name__ == "__main__":
    unittest.main()
