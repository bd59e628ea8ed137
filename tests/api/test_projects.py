"""PR projects: stakeholders with influence, interest and stance (and its
history), the influence x interest grid, neighbours by postcode range and
adding them in one step, within pr access."""

import unittest

from clock import ClockTestCase
from harness import word


class ProjectTest(ClockTestCase):
    def project(self, **kw):
        body = {"name": "Nieuwbouw " + word(), "address": "Kade 1, Utrecht",
                "postcode": "3511 AB", "start": "2026-03-01", "end": "2027-12-31"}
        body.update(kw)
        return self.ok("POST", "/api/v1/projects", body, 201)

    def stakeholder(self, project, party, influence, interest, stance="neutral", token=None):
        body = {"party": party, "influence": influence, "interest": interest, "stance": stance}
        path = "/api/v1/projects/%d/stakeholders" % project
        if token:
            return self.ok("POST", path, body, 201, token=token)
        return self.ok("POST", path, body, 201)

    def neighbour(self, postcode, number="1", **kw):
        return self.create_party(addresses=[{"street": "Straat", "house_number": number,
                                             "postcode": postcode, "city": "Utrecht"}], **kw)

    def test_grid_quadrants(self):
        pr = self.user({"pr": "write"})
        j = self.ok("POST", "/api/v1/projects", {"name": "Nieuwbouw De Kade " + word()}, 201,
                    token=pr)
        cases = {  # (influence, interest) -> quadrant, threshold 3 on both
            (5, 5): "manage_closely", (3, 3): "manage_closely", (3, 2): "keep_satisfied",
            (5, 1): "keep_satisfied", (2, 3): "keep_informed", (1, 5): "keep_informed",
            (2, 2): "monitor", (1, 1): "monitor"}
        ids = {}
        for (inf, inte), quad in cases.items():
            pid = self.create_party()["id"]
            s = self.stakeholder(j["id"], pid, inf, inte, token=pr)
            self.assertEqual(s["quadrant"], quad)
            ids[s["id"]] = quad
        grid = self.ok("GET", "/api/v1/projects/%d/grid" % j["id"], token=pr)
        self.assertEqual(grid["threshold"], 3)
        self.assertEqual(grid["project"]["id"], j["id"])
        for quad in ("manage_closely", "keep_satisfied", "keep_informed", "monitor"):
            self.assertEqual(sorted(s["id"] for s in grid[quad]),
                             sorted(i for i, q in ids.items() if q == quad), quad)
        self.assertEqual(self.ok("GET", "/api/v1/projects/%d" % j["id"])["stakeholders"], 8)
        # dragging to another quadrant is a PATCH of influence and interest
        moved = grid["monitor"][0]
        self.ok("PATCH", "/api/v1/stakeholders/%d" % moved["id"], {"influence": 4, "interest": 4},
                token=pr)
        grid = self.ok("GET", "/api/v1/projects/%d/grid" % j["id"], token=pr)
        self.assertIn(moved["id"], [s["id"] for s in grid["manage_closely"]])
        self.assertNotIn(moved["id"], [s["id"] for s in grid["monitor"]])

    def test_stance_history(self):
        j = self.project()
        s = self.stakeholder(j["id"], self.create_party()["id"], 4, 4, "neutral")
        self.ok("PATCH", "/api/v1/stakeholders/%d" % s["id"], {"stance": "critic"})
        self.ok("PATCH", "/api/v1/stakeholders/%d" % s["id"], {"influence": 5})  # no change
        self.ok("PATCH", "/api/v1/stakeholders/%d" % s["id"], {"stance": "supporter"})
        h = self.ok("GET", "/api/v1/stakeholders/%d/history" % s["id"])["items"]
        self.assertEqual([(x["from"], x["to"]) for x in h],
                         [(None, "neutral"), ("neutral", "critic"), ("critic", "supporter")])
        self.assertEqual(h[-1]["at"], self.NOW)

    def test_bad_input_and_duplicates(self):
        j = self.project()
        pid = self.create_party()["id"]
        path = "/api/v1/projects/%d/stakeholders" % j["id"]
        for body, field in (({"influence": 6}, "influence"), ({"interest": 0}, "interest"),
                            ({"stance": "opposed"}, "stance"), ({"party": 999999}, "party")):
            b = {"party": pid, "influence": 3, "interest": 3}
            b.update(body)
            self.problem("POST", path, b, 422, field=field)
        self.stakeholder(j["id"], pid, 3, 3)
        self.problem("POST", path, {"party": pid, "influence": 1, "interest": 1}, 409,
                     field="party")
        self.problem("POST", "/api/v1/projects", {"name": "X", "postcode": "0123 AB"}, 422,
                     field="postcode")
        self.problem("POST", "/api/v1/projects", {"name": "X", "start": "2027-01-01",
                                                  "end": "2026-01-01"}, 422, field="end")
        self.problem("POST", "/api/v1/projects/999999/stakeholders",
                     {"party": pid, "influence": 1, "interest": 1}, 404)
        self.assertEqual(len(self.ok("GET", path)["items"]), 1)

    def test_postcode_range_selection(self):
        tag = "buurt" + word()
        inside = [self.neighbour(pc, tags=[tag])["id"]
                  for pc in ("3511 AB", "3512 CD", "3514 ZZ")]
        outside = [self.neighbour(pc, tags=[tag])["id"] for pc in ("3510 ZZ", "3515 AA")]
        got = self.party_ids("tag:%s postcode:3511-3514" % tag)
        self.assertEqual(sorted(got), sorted(inside))
        self.assertEqual(sorted(self.party_ids("tag:%s postcode:3512" % tag)), [inside[1]])
        self.assertEqual(sorted(self.party_ids("tag:%s -postcode:3511-3514" % tag)),
                         sorted(outside))
        for bad in ("postcode:351", "postcode:3514-3511", "postcode:abcd", "postcode:0123",
                    "postcode:3511-35144"):
            self.problem("GET", "/api/v1/parties?q=" + bad.replace(":", "%3A"), status=422,
                         field="q")

    def test_bulk_add_neighbours(self):
        tag = "bulk" + word()
        inside = [self.neighbour(pc, str(i + 1), tags=[tag])["id"]
                  for i, pc in enumerate(("4811 AA", "4812 BB", "4812 CC"))]
        self.neighbour("4813 AA", tags=[tag])
        j = self.project(postcode="4811 AA")
        path = "/api/v1/projects/%d/stakeholders" % j["id"]
        self.stakeholder(j["id"], inside[0], 5, 5, "critic")
        pr = self.user({"pr": "write"})
        res = self.ok("POST", path + "/bulk", {"q": "tag:%s postcode:4811-4812" % tag}, 200,
                      token=pr)
        self.assertEqual(res, {"matched": 3, "added": 2, "skipped": 1})
        items = {s["party"]: s for s in self.ok("GET", path)["items"]}
        self.assertEqual(sorted(items), sorted(inside))
        # the one that was there keeps its place; the new ones are neighbours to keep informed
        self.assertEqual(items[inside[0]]["stance"], "critic")
        self.assertEqual([items[p]["quadrant"] for p in inside[1:]], ["keep_informed"] * 2)
        # bad queries add nothing
        before = len(items)
        self.problem("POST", path + "/bulk", {"q": ""}, 422, field="q")
        self.problem("POST", path + "/bulk", {"q": "postcode:"}, 400, field="q")
        self.assertEqual(len(self.ok("GET", path)["items"]), before)

    def test_bulk_cap(self):
        tag = "veel" + word()
        body = "".join('{"kind":"person","family_name":"Buur%d","tags":["%s"],'
                       '"addresses":[{"street":"Laan","house_number":"%d",'
                       '"postcode":"9711 AA","city":"Groningen"}]}\n' % (i, tag, i)
                       for i in range(2001)).encode()
        st, _, _ = self.client.raw("POST", "/api/v1/import/parties", body=body,
                                   headers={"Content-Type": "application/x-ndjson"})
        self.assertIn(st, (200, 201))
        j = self.project()
        res = self.problem("POST", "/api/v1/projects/%d/stakeholders/bulk" % j["id"],
                           {"q": "tag:%s postcode:9711" % tag}, 422, field="q")
        self.assertIn("2000", res["errors"][0]["message"])
        self.assertEqual(self.ok("GET", "/api/v1/projects/%d" % j["id"])["stakeholders"], 0)

    def test_access(self):
        j = self.project()
        s = self.stakeholder(j["id"], self.create_party()["id"], 2, 2)
        reader = self.user({"pr": "read"})
        sales = self.user({"sales": "write"})
        # pr read sees
        self.ok("GET", "/api/v1/projects/%d/grid" % j["id"], token=reader)
        self.ok("GET", "/api/v1/stakeholders/%d" % s["id"], token=reader)
        self.assertIn(j["id"], [p["id"] for p in
                                self.ok("GET", "/api/v1/projects", token=reader)["items"]])
        # ... and does not change
        self.problem("PATCH", "/api/v1/stakeholders/%d" % s["id"], {"influence": 5}, 403,
                     token=reader)
        self.problem("POST", "/api/v1/projects/%d/stakeholders/bulk" % j["id"],
                     {"q": "postcode:3511"}, 403, token=reader)
        self.problem("POST", "/api/v1/projects", {"name": "Niet"}, 403, token=reader)
        # without pr access projects do not exist
        self.assertEqual(self.ok("GET", "/api/v1/projects", token=sales)["items"], [])
        self.problem("GET", "/api/v1/projects/%d/grid" % j["id"], status=404, token=sales)
        self.problem("GET", "/api/v1/stakeholders/%d" % s["id"], status=404, token=sales)
        self.assertEqual(self.ok("GET", "/api/v1/stakeholders/%d" % s["id"])["influence"], 2)

    def test_delete_project_takes_its_stakeholders(self):
        j = self.project()
        s = self.stakeholder(j["id"], self.create_party()["id"], 2, 2)
        st, _, _ = self.req("DELETE", "/api/v1/projects/%d" % j["id"])
        self.assertEqual(st, 204)
        self.problem("GET", "/api/v1/stakeholders/%d" % s["id"], status=404)

    def test_merge_moves_stakeholders_once(self):
        j1, j2 = self.project(), self.project()
        keep = self.create_party()["id"]
        dup = self.create_party()["id"]
        self.stakeholder(j1["id"], keep, 5, 5, "supporter")
        self.stakeholder(j1["id"], dup, 1, 1, "critic")  # both in j1: the survivor's row stays
        moved = self.stakeholder(j2["id"], dup, 2, 4, "critic")
        res = self.ok("POST", "/api/v1/parties/%d/merge" % keep, {"from": [dup]})
        self.assertEqual(res["moves"].get("stakeholders"), 1)
        g1 = self.ok("GET", "/api/v1/projects/%d/stakeholders" % j1["id"])["items"]
        self.assertEqual([(s["party"], s["stance"]) for s in g1 if s["party"] == keep],
                         [(keep, "supporter")])
        self.assertEqual(self.ok("GET", "/api/v1/stakeholders/%d" % moved["id"])["party"], keep)
        # and undo puts it back
        st, _, _ = self.req("POST", "/api/v1/merges/%d/undo" % res["id"])
        self.assertEqual(st, 200)
        self.assertEqual(self.ok("GET", "/api/v1/stakeholders/%d" % moved["id"])["party"], dup)


if __name__ == "__main__":
    unittest.main()
