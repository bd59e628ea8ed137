"""Pipelines and deals: the default Dutch pipeline, a deal walked from Lead to
Gewonnen (stage history, customer role activated, lifetime revenue), the
board and the weighted forecast with their sums, and input that must be
refused."""

import unittest

from harness import ApiTestCase, etag, q, word

STAGES = [("Lead", 10, "open"), ("Gekwalificeerd", 25, "open"), ("Offerte", 50, "open"),
          ("Onderhandeling", 75, "open"), ("Gewonnen", 100, "won"), ("Verloren", 0, "lost")]


class DealTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        js = cls.client.req("GET", "/api/v1/pipelines")[2]
        cls.pipeline = [p for p in js["items"] if p["default"]][0]
        cls.stage = {s["name"]: s["id"] for s in cls.pipeline["stages"]}

    def deal(self, party, **kw):
        body = {"party": party, "title": "Deal " + word(5)}
        body.update(kw)
        return self.ok("POST", "/api/v1/deals", body, 201)

    def move(self, deal, **patch):
        return self.ok("PATCH", "/api/v1/deals/%d" % deal["id"], patch)

    def revenue(self, pid):
        return self.get_party(pid)["records"]["lifetime_revenue"]

    def test_default_pipeline_is_dutch(self):
        self.assertEqual(self.pipeline["name"], "Verkoop")
        self.assertEqual([(s["name"], s["probability"], s["kind"])
                          for s in self.pipeline["stages"]], STAGES)

    def test_walk_from_lead_to_won(self):
        p = self.create_party(kind="organization", name="Bakkerij " + word(),
                              roles=[{"type": "customer", "status": "prospect"}])
        self.assertEqual(p["records"]["lifetime_revenue"], 0)
        h, d = self.ok_h("POST", "/api/v1/deals",
                         {"party": p["id"], "title": "Nieuwe oven", "amount": 1250000,
                          "expected_close": "2030-03-01"}, 201)
        self.assertEqual(h["Location"], "/api/v1/deals/%d" % d["id"])
        self.assertEqual((d["stage"], d["stage_name"], d["status"]),
                         (self.stage["Lead"], "Lead", "open"))
        self.assertEqual((d["amount"], d["currency"], d["probability"]), (1250000, "EUR", 10))
        for name in ("Gekwalificeerd", "Offerte", "Onderhandeling"):
            d = self.move(d, stage=self.stage[name])
            self.assertEqual((d["stage_name"], d["status"]), (name, "open"))
            self.assertEqual(self.revenue(p["id"]), 0, "an open deal is no revenue")
        d = self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"stage": self.stage["Gewonnen"]},
                    headers={"If-Match": etag(d["version"])})
        self.assertEqual((d["status"], d["probability"]), ("won", 100))
        self.assertRegex(d["closed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        hist = self.ok("GET", "/api/v1/deals/%d/history" % d["id"])["items"]
        self.assertEqual([(e["from_name"], e["to_name"]) for e in hist],
                         [(None, "Lead"), ("Lead", "Gekwalificeerd"),
                          ("Gekwalificeerd", "Offerte"), ("Offerte", "Onderhandeling"),
                          ("Onderhandeling", "Gewonnen")])
        me = d["created_by"]
        for e in hist:
            self.assertEqual(e["user"], me)
            self.assertRegex(e["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        party = self.get_party(p["id"])
        customer = [r for r in party["roles"] if r["type"] == "customer"]
        self.assertEqual(len(customer), 1, "the prospect role is activated, not duplicated")
        self.assertEqual(customer[0]["status"], "active")
        self.assertEqual(party["records"]["lifetime_revenue"], 1250000)
        self.assertEqual(party["records"]["deals"]["won"], 1)

        # a second won deal adds up; a lost one does not count
        d2 = self.deal(p["id"], amount=750000, status="won")
        self.assertEqual(d2["stage"], self.stage["Gewonnen"])
        self.deal(p["id"], amount=999900, status="lost", lost_reason="Te duur")
        self.assertEqual(self.revenue(p["id"]), 2000000)
        # reopening a won deal takes its amount out again
        d2 = self.move(d2, stage=self.stage["Onderhandeling"])
        self.assertEqual((d2["status"], d2["closed_at"]), ("open", None))
        self.assertEqual(self.revenue(p["id"]), 1250000)
        # and changing a won deal's amount changes the revenue
        self.move(d, amount=1300000)
        self.assertEqual(self.revenue(p["id"]), 1300000)

    def test_win_adds_customer_role_when_there_is_none(self):
        p = self.create_party(given_name="Sanne", family_name="Jansen " + word(4))
        self.assertEqual(p["roles"], [])
        self.deal(p["id"], amount=5000, status="won")
        roles = self.get_party(p["id"])["roles"]
        self.assertEqual([(r["type"], r["status"]) for r in roles], [("customer", "active")])
        self.assertIsNotNone(roles[0]["since"])
        # winning again keeps the one active role
        self.deal(p["id"], amount=5000, status="won")
        self.assertEqual(len(self.get_party(p["id"])["roles"]), 1)

    def test_former_customer_gets_a_new_role(self):
        p = self.create_party(roles=[{"type": "customer", "status": "former",
                                      "since": "2020-01-01", "until": "2021-01-01"}])
        self.deal(p["id"], amount=100, status="won")
        roles = sorted((r["status"], r["until"]) for r in self.get_party(p["id"])["roles"])
        self.assertEqual(roles, [("active", None), ("former", "2021-01-01")])

    def test_status_alone_moves_the_stage(self):
        p = self.create_party()
        d = self.deal(p["id"])
        d = self.move(d, status="lost", lost_reason="Geen budget")
        self.assertEqual((d["stage_name"], d["lost_reason"]), ("Verloren", "Geen budget"))
        d = self.move(d, status="open")
        self.assertEqual((d["stage_name"], d["lost_reason"]), ("Lead", None))

    def test_own_probability_until_the_stage_changes(self):
        p = self.create_party()
        d = self.deal(p["id"], probability=35)
        self.assertEqual((d["probability"], d["probability_source"]), (35, "deal"))
        d = self.move(d, title="Andere titel")
        self.assertEqual(d["probability"], 35)
        d = self.move(d, stage=self.stage["Offerte"])
        self.assertEqual((d["probability"], d["probability_source"]), (50, "stage"))
        # echoing a GET back does not pin the stage's probability on the deal
        body = dict(d)
        body["stage"] = self.stage["Onderhandeling"]
        d = self.move(d, **body)
        self.assertEqual((d["probability"], d["probability_source"]), (75, "stage"))

    def test_refused_input(self):
        p = self.create_party()
        self.problem("POST", "/api/v1/deals", {"title": "x"}, 422, "party")
        self.problem("POST", "/api/v1/deals", {"party": 99999999, "title": "x"}, 422, "party")
        self.problem("POST", "/api/v1/deals", {"party": p["id"]}, 422, "title")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "amount": -1},
                     422, "amount")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "amount": 12.5},
                     400, "amount")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "currency": "EU"},
                     422, "currency")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "currency": "XYZ"},
                     422, "currency")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "status": "lost"},
                     422, "lost_reason")
        self.problem("POST", "/api/v1/deals",
                     {"party": p["id"], "title": "x", "stage": self.stage["Offerte"],
                      "status": "won"}, 422, "status")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "stage": 99999},
                     422, "stage")
        self.problem("POST", "/api/v1/deals",
                     {"party": p["id"], "title": "x", "expected_close": "2030-02-30"},
                     422, "expected_close")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "colour": "red"},
                     422, "colour")
        self.problem("POST", "/api/v1/deals", {"party": p["id"], "title": "x", "owner": 999999},
                     422, "owner")
        d = self.deal(p["id"])
        self.problem("PATCH", "/api/v1/deals/%d" % d["id"], {"amount": 1}, 412,
                     headers={"If-Match": etag(d["version"] + 1)})
        self.problem("GET", "/api/v1/deals/99999999", status=404)
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % d["id"]), d)

    def test_list_filters_and_pages(self):
        p = self.create_party()
        ids = [self.deal(p["id"], amount=i)["id"] for i in range(5)]
        self.move(self.ok("GET", "/api/v1/deals/%d" % ids[0]), status="won")
        got = [d["id"] for d in self.list_all("/api/v1/deals", limit=2, party=str(p["id"]))]
        self.assertEqual(got, sorted(ids, reverse=True))
        won = self.ok("GET", "/api/v1/deals" + q(party=str(p["id"]), status="won"))["items"]
        self.assertEqual([d["id"] for d in won], [ids[0]])
        self.problem("GET", "/api/v1/deals?status=maybe", status=400, field="status")

    def test_delete(self):
        p = self.create_party()
        d = self.deal(p["id"], status="won", amount=400)
        self.assertEqual(self.revenue(p["id"]), 400)
        self.ok("DELETE", "/api/v1/deals/%d" % d["id"], status=204)
        self.problem("GET", "/api/v1/deals/%d" % d["id"], status=404)
        self.assertEqual(self.revenue(p["id"]), 0)

    def test_party_shows_latest_deals(self):
        p = self.create_party()
        d = self.deal(p["id"], amount=2500)
        rec = self.get_party(p["id"])["records"]["deals"]
        self.assertEqual((rec["open"], rec["open_amount"]), (1, 2500))
        self.assertEqual(rec["latest"][0]["id"], d["id"])
        listed = self.ok("GET", "/api/v1/parties" + q(q=p["name"]))["items"]
        self.assertIn("records", [x for x in listed if x["id"] == p["id"]][0])

    def test_note_and_call_on_a_deal(self):
        p = self.create_party()
        d = self.deal(p["id"])
        path = "/api/v1/deals/%d/activities" % d["id"]
        self.assertEqual(self.ok("GET", path)["items"], [])
        note = self.ok("POST", path, {"subject": "Offerte besproken", "body": "Akkoord op prijs"},
                       201)
        self.assertEqual((note["type"], note["domain"], note["parties"], note["link"]),
                         ("note", "sales", [p["id"]], "note"))
        call = self.ok("POST", path, {"type": "call", "subject": "Teruggebeld"}, 201)
        listed = self.ok("GET", path)["items"]
        self.assertEqual({a["id"] for a in listed}, {note["id"], call["id"]})
        # the party's timeline has them too
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % p["id"])["items"]
        self.assertTrue({note["id"], call["id"]} <= {a["id"] for a in tl})
        # refused input changes nothing
        self.problem("POST", path, {"type": "task", "subject": "x"}, 422, "type")
        self.problem("POST", path, {"body": "zonder onderwerp"}, 422, "subject")
        self.problem("POST", path, {"subject": "x", "parties": [1]}, 422, "parties")
        self.problem("POST", "/api/v1/deals/99999999/activities", {"subject": "x"}, 404)
        self.assertEqual(len(self.ok("GET", path)["items"]), 2)
        # in Dutch when asked
        res = self.req("POST", path, {"type": "task", "subject": "x"},
                       headers={"Accept-Language": "nl"}, invalid=True)
        self.assertEqual(res[0], 422)
        self.assertIn("moet note, call, meeting of email zijn", str(res[2]["errors"]))
        # a sales reader may read them but not add one
        name = "inkoop" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "read"}}, 201)
        tok = self.server.make_token(name)
        self.assertEqual(len(self.ok("GET", path, token=tok)["items"]), 2)
        self.problem("POST", path, {"subject": "x"}, 403, token=tok)
        self.assertEqual(len(self.ok("GET", path)["items"]), 2)


class BoardAndForecastTest(ApiTestCase):
    """A pipeline of its own, so the sums are exactly the deals made here."""

    def make_pipeline(self):
        pl = self.ok("POST", "/api/v1/pipelines", {
            "name": "Installatie " + word(),
            "stages": [{"name": "Aanvraag", "probability": 20},
                       {"name": "Voorstel", "probability": 60},
                       {"name": "Rond", "kind": "won"},
                       {"name": "Mis", "kind": "lost"}]}, 201)
        return pl, {s["name"]: s["id"] for s in pl["stages"]}

    def deal(self, pl, stage, amount, **kw):
        body = {"party": self.party["id"], "title": "D " + word(4), "pipeline": pl["id"],
                "stage": stage, "amount": amount}
        body.update(kw)
        return self.ok("POST", "/api/v1/deals", body, 201)

    def setUp(self):
        super().setUp()
        self.party = self.create_party(kind="organization")

    def test_board_columns_and_sums(self):
        pl, st = self.make_pipeline()
        a = [self.deal(pl, st["Aanvraag"], x) for x in (100000, 200000, 300000)]
        self.deal(pl, st["Aanvraag"], 777700, currency="USD")
        b = self.deal(pl, st["Voorstel"], 500000, probability=80)
        w = self.deal(pl, st["Rond"], 700000)
        self.deal(pl, st["Mis"], 50000, lost_reason="Te laat")
        board = self.ok("GET", "/api/v1/pipelines/%d/board" % pl["id"])
        self.assertEqual(board["currency"], "EUR")
        cols = {c["stage"]["name"]: c for c in board["columns"]}
        self.assertEqual([c["stage"]["name"] for c in board["columns"]],
                         ["Aanvraag", "Voorstel", "Rond", "Mis"])
        self.assertEqual((cols["Aanvraag"]["count"], cols["Aanvraag"]["amount"],
                          cols["Aanvraag"]["weighted"]), (4, 600000, 120000))
        self.assertEqual(len(cols["Aanvraag"]["deals"]), 4)
        self.assertTrue({x["id"] for x in a} <= {d["id"] for d in cols["Aanvraag"]["deals"]})
        self.assertEqual((cols["Voorstel"]["count"], cols["Voorstel"]["amount"],
                          cols["Voorstel"]["weighted"]), (1, 500000, 400000))
        self.assertEqual([d["id"] for d in cols["Voorstel"]["deals"]], [b["id"]])
        self.assertEqual((cols["Rond"]["amount"], cols["Rond"]["weighted"]), (700000, 700000))
        self.assertEqual([d["id"] for d in cols["Rond"]["deals"]], [w["id"]])
        self.assertEqual((cols["Mis"]["amount"], cols["Mis"]["weighted"]), (50000, 0))
        self.assertEqual(board["totals"], {"count": 5, "amount": 1100000, "weighted": 520000})
        usd = self.ok("GET", "/api/v1/pipelines/%d/board?currency=USD" % pl["id"])
        self.assertEqual(usd["totals"]["amount"], 777700)
        self.assertEqual(usd["totals"]["weighted"], 155540)
        # moving a deal moves its money
        self.ok("PATCH", "/api/v1/deals/%d" % a[0]["id"], {"stage": st["Voorstel"]})
        board = self.ok("GET", "/api/v1/pipelines/%d/board" % pl["id"])
        cols = {c["stage"]["name"]: c for c in board["columns"]}
        self.assertEqual((cols["Aanvraag"]["amount"], cols["Voorstel"]["amount"]),
                         (500000, 600000))
        self.assertEqual(board["totals"]["weighted"], 500000 * 20 // 100 + 400000 + 60000)
        one = self.ok("GET", "/api/v1/pipelines/%d/board?limit=1" % pl["id"])
        col = [c for c in one["columns"] if c["stage"]["name"] == "Aanvraag"][0]
        self.assertEqual((len(col["deals"]), col["more"], col["count"]), (1, True, 3))

    def test_forecast_per_month_and_owner(self):
        pl, st = self.make_pipeline()
        other = self.ok("POST", "/api/v1/users", {"name": "verkoper" + word(4),
                                                  "password": "wachtwoord-123"}, 201)
        me = self.deal(pl, st["Aanvraag"], 100000, expected_close="2031-03-05")["owner"]
        self.deal(pl, st["Voorstel"], 200000, expected_close="2031-03-28")
        self.deal(pl, st["Aanvraag"], 300000, expected_close="2031-03-10", owner=other["id"])
        self.deal(pl, st["Voorstel"], 400000, expected_close="2031-04-01", owner=other["id"])
        self.deal(pl, st["Aanvraag"], 500000)  # no expected close
        self.deal(pl, st["Rond"], 900000, expected_close="2031-03-01")  # won: not forecast
        fc = self.ok("GET", "/api/v1/forecast" + q(pipeline=str(pl["id"])))
        months = {m["month"]: m for m in fc["months"]}
        self.assertEqual([m["month"] for m in fc["months"]], ["2031-03", "2031-04", None])
        march = months["2031-03"]
        self.assertEqual((march["count"], march["amount"], march["weighted"]),
                         (3, 600000, 20000 + 120000 + 60000))
        owners = {o["owner"]: o for o in march["owners"]}
        self.assertEqual((owners[me]["amount"], owners[me]["weighted"]), (300000, 140000))
        self.assertEqual((owners[other["id"]]["amount"], owners[other["id"]]["weighted"]),
                         (300000, 60000))
        self.assertEqual(owners[other["id"]]["owner_name"], other["name"])
        self.assertEqual(months["2031-04"]["weighted"], 240000)
        self.assertEqual(months[None]["weighted"], 100000)
        self.assertEqual(fc["total"], {"count": 5, "amount": 1500000,
                                       "weighted": 200000 + 240000 + 100000})
        per_owner = {o["owner"]: o["weighted"] for o in fc["owners"]}
        self.assertEqual(per_owner, {me: 240000, other["id"]: 300000})
        few = self.ok("GET", "/api/v1/forecast" + q(pipeline=str(pl["id"]), **{"from": "2031-04",
                                                                             "to": "2031-12"}))
        self.assertEqual([m["month"] for m in few["months"]], ["2031-04"])
        self.problem("GET", "/api/v1/forecast?from=2031-13", status=400, field="from")

    def test_pipeline_edits(self):
        pl, st = self.make_pipeline()
        d = self.deal(pl, st["Voorstel"], 100)
        stages = [{"id": st["Aanvraag"], "name": "Aanvraag binnen", "probability": 15},
                  {"id": st["Voorstel"], "name": "Voorstel", "probability": 65},
                  {"name": "Akkoord op hoofdlijnen", "probability": 90},
                  {"id": st["Rond"], "name": "Rond", "kind": "won"},
                  {"id": st["Mis"], "name": "Mis", "kind": "lost"}]
        pl2 = self.ok("PATCH", "/api/v1/pipelines/%d" % pl["id"], {"stages": stages},
                      headers={"If-Match": etag(pl["version"])})
        self.assertEqual([s["name"] for s in pl2["stages"]],
                         ["Aanvraag binnen", "Voorstel", "Akkoord op hoofdlijnen", "Rond", "Mis"])
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % d["id"])["probability"], 65)
        # a stage that holds deals cannot go, nor change kind
        without = [s for s in stages if s.get("id") != st["Voorstel"]]
        self.problem("PATCH", "/api/v1/pipelines/%d" % pl["id"], {"stages": without}, 409)
        self.problem("PATCH", "/api/v1/pipelines/%d" % pl["id"],
                     {"stages": [{"name": "a", "probability": 1}, {"name": "b", "kind": "won"}]},
                     422, "stages")
        self.problem("DELETE", "/api/v1/pipelines/%d" % pl["id"], status=409)
        self.ok("DELETE", "/api/v1/deals/%d" % d["id"], status=204)
        self.ok("DELETE", "/api/v1/pipelines/%d" % pl["id"], status=204)
        self.problem("POST", "/api/v1/pipelines", {"name": "Verkoop", "stages": stages[:2]}, 422)
        default = [p for p in self.ok("GET", "/api/v1/pipelines")["items"] if p["default"]][0]
        self.problem("DELETE", "/api/v1/pipelines/%d" % default["id"], status=409)

    def test_pipeline_writes_are_for_admins(self):
        name = "gebruiker" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "write"}}, 201)
        tok = self.server.make_token(name)
        self.problem("POST", "/api/v1/pipelines", {"name": "x", "stages": []}, 403, token=tok)
        self.ok("GET", "/api/v1/pipelines", token=tok)


if __name__ == "__main__":
    unittest.main()
