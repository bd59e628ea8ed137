"""Partners: tiers with criteria, evaluated into proposals that people decide.

A bronze partner that brought in more than the silver threshold over the
last 12 months and has a certified person proposes a move up; nothing
changes until a partners writer accepts; evaluating again does not repeat a
pending proposal; a rejected one leaves the tier alone. Thresholds are the
administrators' to change.
"""

import unittest

from harness import ApiTestCase, q, run_cli, word

PW = "pw-tiers-123456"


class PartnerTiers(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name, access in (("mgr", {"partners": "write", "sales": "read"}),
                             ("seller", {"sales": "write", "partners": "read"})):
            login = name + "-" + word(5)
            st, _, js = cls.client.req("POST", "/api/v1/users",
                                       {"name": login, "password": PW, "access": access})
            assert st == 201, js
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": login, "password": PW, "bearer": True},
                                       token=None)
            assert st == 201, js
            cls.tok[name] = js["token"]

    def partner(self, tier):
        return self.create_party(kind="organization",
                                 roles=[{"type": "partner", "status": "active",
                                         "attributes": {"tier": tier}}])

    def won(self, partner, amount):
        c = self.create_party()
        d = self.ok("POST", "/api/v1/deals",
                    {"party": c["id"], "title": "T " + word(3), "amount": amount,
                     "partner": partner}, status=201)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "won"})

    def certified(self, partner):
        person = self.create_party(tags=["certified"])
        self.ok("POST", "/api/v1/relationships",
                {"type": "works_at", "from": person["id"], "to": partner}, status=201)

    def pending(self, party):
        return self.ok("GET", "/api/v1/tier-proposals" + q(status="pending", party=str(party)))[
            "items"]

    def tier(self, party):
        roles = self.get_party(party)["roles"]
        return [r for r in roles if r["type"] == "partner"][0]["attributes"].get("tier")

    def test_a_proposal_up_accepted(self):
        levels = self.ok("GET", "/api/v1/partner-tiers")["items"]
        self.assertEqual([l["tier"] for l in levels], ["bronze", "silver", "gold", "strategic"])
        silver = levels[1]
        p = self.partner("bronze")
        self.won(p["id"], silver["min_revenue"] + 100)
        for _ in range(silver["min_certified"]):
            self.certified(p["id"])
        page = self.ok("GET", "/api/v1/parties/%d/partner" % p["id"])
        self.assertEqual(page["revenue_12m"], silver["min_revenue"] + 100)
        self.assertEqual(page["certified"], silver["min_certified"])

        self.problem("POST", "/api/v1/partner-tiers/evaluate", status=403,
                     token=self.tok["seller"])
        ev = self.ok("POST", "/api/v1/partner-tiers/evaluate", token=self.tok["mgr"])
        mine = [x for x in ev["items"] if x["party"] == p["id"]]
        self.assertEqual(len(mine), 1, ev)
        prop = mine[0]
        self.assertEqual((prop["from_tier"], prop["to_tier"], prop["direction"]),
                         ("bronze", "silver", "up"))
        self.assertEqual(prop["status"], "pending")
        self.assertEqual(self.tier(p["id"]), "bronze", "never applied silently")
        # again: no second proposal while one is pending
        ev = self.ok("POST", "/api/v1/partner-tiers/evaluate", token=self.tok["mgr"])
        self.assertEqual([x for x in ev["items"] if x["party"] == p["id"]], [])
        self.assertEqual(len(self.pending(p["id"])), 1)

        path = "/api/v1/tier-proposals/%d" % prop["id"]
        self.problem("PATCH", path, {"status": "accepted"}, status=403, token=self.tok["seller"])
        self.problem("PATCH", path, {"status": "maybe"}, status=422, field="status",
                     token=self.tok["mgr"])
        got = self.ok("PATCH", path, {"status": "accepted"}, token=self.tok["mgr"])
        self.assertEqual(got["status"], "accepted")
        self.assertIsNotNone(got["decided_at"])
        self.assertEqual(self.tier(p["id"]), "silver")
        self.problem("PATCH", path, {"status": "rejected"}, status=409, token=self.tok["mgr"])

    def test_a_proposal_down_rejected(self):
        p = self.partner("gold")  # no revenue, nobody certified
        ev = self.ok("POST", "/api/v1/partner-tiers/evaluate", token=self.tok["mgr"])
        prop = [x for x in ev["items"] if x["party"] == p["id"]][0]
        self.assertEqual((prop["to_tier"], prop["direction"]), ("bronze", "down"))
        self.ok("PATCH", "/api/v1/tier-proposals/%d" % prop["id"], {"status": "rejected"},
                token=self.tok["mgr"])
        self.assertEqual(self.tier(p["id"]), "gold")
        self.assertEqual(self.pending(p["id"]), [])

    def test_thresholds_are_the_administrators(self):
        levels = self.ok("GET", "/api/v1/partner-tiers")["items"]
        gold = levels[2]
        path = "/api/v1/partner-tiers/%d" % gold["id"]
        self.problem("PATCH", path, {"min_certified": 1}, status=403, token=self.tok["mgr"])
        self.problem("PATCH", path, {"commission_pct": 101}, status=422, field="commission_pct")
        got = self.ok("PATCH", path, {"min_certified": 4, "commission_pct": 11})
        self.assertEqual((got["min_certified"], got["commission_pct"]), (4, 11))
        self.assertEqual(got["min_revenue"], gold["min_revenue"])
        self.ok("PATCH", path, {"min_certified": gold["min_certified"],
                                "commission_pct": gold["commission_pct"]})

    def test_cli_evaluates_like_the_endpoint(self):
        p = self.partner("strategic")  # nothing brought in: a proposal down
        r = run_cli(self.server.binary, "partners", "tiers", "--db", self.server.db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("party %d " % p["id"], r.stdout)
        self.assertRegex(r.stdout, r"new proposal")
        mine = self.pending(p["id"])
        self.assertEqual([(x["from_tier"], x["to_tier"]) for x in mine], [("strategic", "bronze")])
        self.assertEqual(self.tier(p["id"]), "strategic")


if __name__ == "__main__":
    unittest.main()
