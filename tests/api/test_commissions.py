"""Partners: the deal's partner, commission lines and who may see and change them.

A won deal that carries a partner gets one commission line at the partner's
percentage at the moment of winning (its own commission_pct, else its tier's
default); a lost deal gets none, a reopened one cancels its open line.
Statements filter by partner and period (a year, a quarter or a month) and
give totals; the CSV is for Dutch Excel. A customer referred by a partner
brings the partner onto new deals by itself. Access: sales writers with
partners read see statements but cannot approve; a partners writer approves
and registers deals for a partner; marking paid needs partners full; a user
without partners access reads nothing.
"""

import datetime
import unittest

from harness import ApiTestCase, q, word

PW = "pw-commissions-1234"


class Commissions(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        users = {
            "seller": {"sales": "write", "partners": "read"},
            "partnermgr": {"partners": "write", "sales": "read"},
            "payer": {"partners": "full", "sales": "read"},
            "buyer": {"purchasing": "write", "sales": "read"},
            "pview": {"partners": "read"},
        }
        for name, access in users.items():
            login = name + "-" + word(5)
            st, _, js = cls.client.req("POST", "/api/v1/users",
                                       {"name": login, "password": PW, "access": access})
            assert st == 201, js
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": login, "password": PW, "bearer": True},
                                       token=None)
            assert st == 201, js
            cls.tok[name] = js["token"]

    def partner(self, **attrs):
        return self.create_party(kind="organization",
                                 roles=[{"type": "partner", "status": "active",
                                         "attributes": attrs}])

    def deal(self, party, token=None, status=201, **fields):
        body = {"party": party, "title": "Deal " + word(4)}
        body.update(fields)
        if token:
            return self.ok("POST", "/api/v1/deals", body, status=status, token=token)
        return self.ok("POST", "/api/v1/deals", body, status=status)

    def win(self, deal_id):
        return self.ok("PATCH", "/api/v1/deals/%d" % deal_id, {"status": "won"})

    def lines(self, partner, token=None, **params):
        params["partner"] = str(partner)
        path = "/api/v1/commissions" + q(**params)
        return self.ok("GET", path, token=token) if token else self.ok("GET", path)

    def test_won_deals_get_a_line_lost_deals_none(self):
        p = self.partner(tier="gold", commission_pct=10)
        c = self.create_party()
        won = self.deal(c["id"], partner=p["id"], amount=123456)
        self.assertEqual(won["partner"], p["id"])
        self.assertEqual(won["partner_source"], "given")
        self.assertEqual(won["partner_name"], p["name"])
        lost = self.deal(c["id"], partner=p["id"], amount=50000)
        self.assertEqual(self.lines(p["id"])["items"], [], "no line before a win")
        self.win(won["id"])
        self.ok("PATCH", "/api/v1/deals/%d" % lost["id"],
                {"status": "lost", "lost_reason": "Te duur"})
        st = self.lines(p["id"])
        self.assertEqual(len(st["items"]), 1, st)
        line = st["items"][0]
        self.assertEqual(line["deal"], won["id"])
        self.assertEqual(line["base"], 123456)
        self.assertEqual(line["commission_pct"], 10)
        self.assertEqual(line["pct_source"], "partner")
        self.assertEqual(line["amount"], 12346)  # 1234,56 x 10% rounded to the cent
        self.assertEqual(line["status"], "open")
        self.assertEqual(line["party"], c["id"])
        self.assertEqual(st["totals"][0]["total"], 12346)
        self.assertEqual(st["totals"][0]["count"], 1)

    def test_percentage_at_the_moment_of_winning(self):
        p = self.partner(commission_pct=5)
        role = self.get_party(p["id"])["roles"][0]
        c = self.create_party()
        a = self.deal(c["id"], partner=p["id"], amount=100000)
        self.win(a["id"])
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"attributes": {"commission_pct": 12.5}})
        b = self.deal(c["id"], partner=p["id"], amount=100000)
        self.win(b["id"])
        by_deal = {l["deal"]: l for l in self.lines(p["id"])["items"]}
        self.assertEqual(by_deal[a["id"]]["amount"], 5000, "history is not rewritten")
        self.assertEqual(by_deal[b["id"]]["amount"], 12500)
        self.assertEqual(by_deal[b["id"]]["commission_pct"], 12.5)

    def test_tier_default_when_the_partner_has_no_percentage(self):
        p = self.partner(tier="silver")
        c = self.create_party()
        d = self.deal(c["id"], partner=p["id"], amount=200000)
        self.win(d["id"])
        line = self.lines(p["id"])["items"][0]
        self.assertEqual(line["pct_source"], "tier")
        self.assertEqual(line["commission_pct"], 7.5)
        self.assertEqual(line["amount"], 15000)

    def test_reopened_deal_cancels_its_open_line_and_a_new_win_makes_one(self):
        p = self.partner(commission_pct=10)
        c = self.create_party()
        d = self.deal(c["id"], partner=p["id"], amount=10000)
        self.win(d["id"])
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "open"})
        st = self.lines(p["id"])
        self.assertEqual([l["status"] for l in st["items"]], ["cancelled"])
        self.assertEqual(st["totals"][0]["total"], 0)
        self.assertEqual(st["totals"][0]["cancelled"], 1000)
        self.win(d["id"])
        st = self.lines(p["id"], status="open")
        self.assertEqual(len(st["items"]), 1)

    def test_periods(self):
        p = self.partner(commission_pct=10)
        c = self.create_party()
        d = self.deal(c["id"], partner=p["id"], amount=10000)
        self.win(d["id"])
        won_on = self.lines(p["id"])["items"][0]["won_on"]
        y, m = int(won_on[:4]), int(won_on[5:7])
        quarter = "%d-Q%d" % (y, (m - 1) // 3 + 1)
        for period, n in ((str(y), 1), (quarter, 1), ("%d-%02d" % (y, m), 1), (str(y - 1), 0)):
            st = self.lines(p["id"], period=period)
            self.assertEqual(len(st["items"]), n, period)
            self.assertLessEqual(st["period"]["from"], won_on if n else st["period"]["from"])
        st = self.lines(p["id"], period="%d-Q4" % y)
        self.assertEqual(st["period"], {"from": "%d-10-01" % y, "to": "%d-01-01" % (y + 1)})
        for bad in ("2026-Q5", "26", "2026-13", "2026-1", "q4-2026", "2026-Q"):
            self.problem("GET", "/api/v1/commissions" + q(period=bad), status=400, field="period")

    def test_referral_fills_in_the_partner(self):
        p = self.partner(commission_pct=10)
        c = self.create_party()
        self.ok("POST", "/api/v1/relationships",
                {"type": "referred_by", "from": c["id"], "to": p["id"]}, status=201)
        d = self.deal(c["id"])
        self.assertEqual(d["partner"], p["id"])
        self.assertEqual(d["partner_source"], "referral")
        other = self.create_party()
        self.assertIsNone(self.deal(other["id"])["partner"])
        # a party that is no partner cannot be named
        self.problem("POST", "/api/v1/deals", {"party": c["id"], "title": "x", "partner": c["id"]},
                     status=422, field="partner")

    def test_access_to_statements_and_status(self):
        p = self.partner(commission_pct=10)
        c = self.create_party()
        d = self.deal(c["id"], partner=p["id"], amount=10000)
        self.win(d["id"])
        line = self.lines(p["id"])["items"][0]
        path = "/api/v1/commissions/%d" % line["id"]
        # sales writer with partners read: reads, cannot approve
        self.assertEqual(len(self.lines(p["id"], token=self.tok["seller"])["items"]), 1)
        self.problem("PATCH", path, {"status": "approved"}, status=403, token=self.tok["seller"])
        # purchasing: reads nothing
        self.problem("GET", "/api/v1/commissions", status=403, token=self.tok["buyer"])
        self.problem("GET", "/api/v1/commissions.csv", status=403, token=self.tok["buyer"])
        self.problem("GET", path, status=404, token=self.tok["buyer"])
        # partners writer approves, cannot pay; partners full pays
        got = self.ok("PATCH", path, {"status": "approved"}, token=self.tok["partnermgr"])
        self.assertEqual(got["status"], "approved")
        self.assertIsNotNone(got["approved_by"])
        self.problem("PATCH", path, {"status": "paid"}, status=403, token=self.tok["partnermgr"])
        self.assertEqual(self.ok("GET", path)["status"], "approved")
        self.problem("PATCH", path, {"status": "cancelled"}, status=422, field="status",
                     token=self.tok["payer"])
        paid = self.ok("PATCH", path, {"status": "paid"}, token=self.tok["payer"])
        self.assertEqual(paid["status"], "paid")
        self.problem("PATCH", path, {"status": "open"}, status=422, field="status",
                     token=self.tok["payer"])
        # a paid line stays when the deal is reopened
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "open"})
        self.assertEqual(self.ok("GET", path)["status"], "paid")

    def test_partners_user_registers_a_deal_for_a_partner(self):
        p = self.partner(commission_pct=10)
        c = self.create_party()
        mgr = self.tok["partnermgr"]
        d = self.deal(c["id"], token=mgr, partner=p["id"], amount=99000)
        self.assertEqual(d["partner"], p["id"])
        self.assertEqual(d["status"], "open")
        # without a partner, or already won: not theirs to do
        self.problem("POST", "/api/v1/deals", {"party": c["id"], "title": "x"}, status=403,
                     token=mgr)
        self.problem("POST", "/api/v1/deals",
                     {"party": c["id"], "title": "x", "partner": p["id"], "status": "won"},
                     status=422, field="status", token=mgr)
        # changing deals stays with sales
        self.problem("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "won"}, status=403,
                     token=mgr)
        # purchasing may not register one
        self.problem("POST", "/api/v1/deals", {"party": c["id"], "title": "x", "partner": p["id"]},
                     status=403, token=self.tok["buyer"])
        # a partners reader without sales read: the deal itself is hidden, the partner's
        # pipeline shows it with its amount
        self.problem("GET", "/api/v1/deals/%d" % d["id"], status=404, token=self.tok["pview"])
        self.assertEqual(self.ok("GET", "/api/v1/deals", token=self.tok["pview"])["items"], [])
        page = self.ok("GET", "/api/v1/parties/%d/partner" % p["id"], token=self.tok["pview"])
        self.assertEqual([x["id"] for x in page["deals"]], [d["id"]])
        self.assertEqual(page["deals"][0]["amount"], 99000)
        self.assertNotIn("owner", page["deals"][0])
        # no partners access: no partner page
        self.problem("GET", "/api/v1/parties/%d/partner" % p["id"], status=404,
                     token=self.tok["buyer"])
        self.problem("GET", "/api/v1/parties/%d/partner" % c["id"], status=404)

    def test_csv_statement(self):
        p = self.partner(commission_pct=10)
        c = self.create_party(family_name="Verwijs-" + word(4))
        d = self.deal(c["id"], partner=p["id"], amount=123456, title="Warmtepomp CSV")
        self.win(d["id"])
        st, hdrs, raw = self.client.raw("GET", "/api/v1/commissions.csv" + q(partner=str(p["id"])))
        self.assertEqual(st, 200)
        self.assertTrue(hdrs.get("Content-Type", "").startswith("text/csv"))
        text = raw.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"), "a BOM for Excel")
        rows = text[1:].split("\r\n")
        self.assertEqual(rows[0].split(";")[0], "won_on")
        self.assertIn("Warmtepomp CSV", rows[1])
        self.assertIn("1234,56", rows[1])
        self.assertIn("123,46", rows[1])

    def test_merge_moves_partner_references_and_undo_moves_them_back(self):
        keep = self.partner(commission_pct=10)
        dup = self.partner(commission_pct=10)
        c = self.create_party()
        d = self.deal(c["id"], partner=dup["id"], amount=10000)
        self.win(d["id"])
        m = self.ok("POST", "/api/v1/parties/%d/merge" % keep["id"], {"from": [dup["id"]]})
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % d["id"])["partner"], keep["id"])
        self.assertEqual([l["deal"] for l in self.lines(keep["id"])["items"]], [d["id"]])
        self.assertEqual(self.lines(dup["id"])["items"], [])
        self.ok("POST", "/api/v1/merges/%d/undo" % m["id"])
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % d["id"])["partner"], dup["id"])
        self.assertEqual([l["deal"] for l in self.lines(dup["id"])["items"]], [d["id"]])


if __name__ == "__main__":
    unittest.main()
