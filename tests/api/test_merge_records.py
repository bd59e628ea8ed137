"""Merging parties moves their records, and undo moves them back.

One merge of a party that holds a record of each kind a merge moves by its
party column (a deal, a case, an agreement, a supplier evaluation, project
stakeholders, a deal on which it is the partner) into a survivor: each
record then belongs to the survivor with a new version (a client holding the
old one is told so), a stakeholder of a project the survivor is already in
stays with the merged party (the survivor's own row wins), and a party that
took no part keeps its records. The undo puts each record back on the
merged party, again with a new version. The billing tables (quotes,
invoices, purchase invoices) follow the same table of merge-db.c; the unit
test tests/domain/merge/test-merge-db.c checks them until their routes land.
"""

import unittest

from harness import ApiTestCase, etag, word


class MergeRecordsTest(ApiTestCase):
    def org(self, **kw):
        return self.create_party(kind="organization", name="Bedrijf " + word() + " B.V.",
                                 force=True, **kw)["id"]

    def get(self, path):
        return self.ok("GET", path)

    def test_merge_moves_each_record_and_undo_moves_it_back(self):
        keep = self.org()
        dup = self.org(roles=[{"type": "supplier", "attributes": {"category": "Cat " + word()}},
                              {"type": "partner"}])
        bystander = self.org()
        paths = {
            "deal": "/api/v1/deals/%d" % self.ok(
                "POST", "/api/v1/deals", {"party": dup, "title": "Deal " + word()}, 201)["id"],
            "case": "/api/v1/cases/%d" % self.ok(
                "POST", "/api/v1/cases", {"party": dup, "subject": "Vraag " + word()},
                201)["id"],
            "agreement": "/api/v1/agreements/%d" % self.ok(
                "POST", "/api/v1/agreements",
                {"party": dup, "kind": "customer_contract", "start": "2026-01-01"}, 201)["id"],
            "evaluation": "/api/v1/supplier-evaluations/%d" % self.ok(
                "POST", "/api/v1/supplier-evaluations",
                {"party": dup, "period": "2026-10", "quality": 4, "delivery": 4, "price": 3,
                 "communication": 5}, 201)["id"],
        }
        shared, own = (self.ok("POST", "/api/v1/projects", {"name": "Project " + word()},
                               201)["id"] for _ in range(2))
        stake = "/api/v1/projects/%d/stakeholders"
        self.ok("POST", stake % shared, {"party": keep, "influence": 5, "interest": 5}, 201)
        stays = self.ok("POST", stake % shared,
                        {"party": dup, "influence": 1, "interest": 1}, 201)["id"]
        paths["stakeholder"] = "/api/v1/stakeholders/%d" % self.ok(
            "POST", stake % own, {"party": dup, "influence": 2, "interest": 4}, 201)["id"]
        # a deal of another customer that the merged party brought in as partner
        partnered = "/api/v1/deals/%d" % self.ok(
            "POST", "/api/v1/deals",
            {"party": bystander, "partner": dup, "title": "Via partner " + word()}, 201)["id"]
        theirs = "/api/v1/deals/%d" % self.ok(
            "POST", "/api/v1/deals", {"party": bystander, "title": "Eigen " + word()}, 201)["id"]
        before = {k: self.get(p) for k, p in paths.items()}
        before_partnered, before_theirs = self.get(partnered), self.get(theirs)

        done = self.ok("POST", "/api/v1/parties/%d/merge" % keep, {"from": [dup]})
        moves = done["moves"]
        self.assertEqual((moves["deals"], moves["cases"], moves["agreements"]), (1, 1, 1))
        self.assertEqual((moves.get("supplier_evaluations"), moves.get("stakeholders")), (1, 1))
        for kind, path in paths.items():
            now = self.get(path)
            self.assertEqual(now["party"], keep, kind)
            self.assertEqual(now["version"], before[kind]["version"] + 1, kind)
        self.assertEqual(self.get("/api/v1/stakeholders/%d" % stays)["party"], dup)
        self.assertEqual(self.get(partnered)["partner"], keep)
        self.assertEqual(self.get(partnered)["party"], bystander)
        self.assertEqual(self.get(theirs), before_theirs)
        # an edit with the version from before the merge is refused
        self.problem("PATCH", paths["case"], {"subject": "Te laat"}, status=412,
                     headers={"If-Match": etag(before["case"]["version"])})

        self.ok("POST", "/api/v1/merges/%d/undo" % done["id"])
        for kind, path in paths.items():
            now = self.get(path)
            self.assertEqual(now["party"], dup, kind)
            self.assertEqual(now["version"], before[kind]["version"] + 2, kind)
        self.assertEqual(self.get("/api/v1/stakeholders/%d" % stays)["party"], dup)
        self.assertEqual(self.get(partnered)["partner"], dup)
        self.assertEqual(self.get(partnered)["version"], before_partnered["version"] + 2)
        self.assertEqual(self.get(theirs), before_theirs)


if __name__ == "__main__":
    unittest.main()
