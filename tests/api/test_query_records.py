"""The record terms of the query language (deal:, case:, agreement:, revenue) through GET
/api/v1/parties?q=, on the demo data: deal:open|won|lost, case:open|closed|
breached, agreement:active|expiring and revenue comparisons (whole cents, the
unit of records.lifetime_revenue). Every expected set is computed from what
the API itself shows: the "records" summary on each party, and the case and
agreement lists. Around it: negation, combinations, paging, live changes,
bad values (422 naming q and the position) and sales access (403 without)."""

import re
import unittest

from demo_case import DemoTestCase
from harness import q, word

DEMO_PASSWORD = "xrm-demo-2026"
EXPIRING_DAYS = 60
OPS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    ":": lambda a, b: a == b,
}


class RecordTermTest(DemoTestCase):
    def setUp(self):
        self._parties = None

    def parties(self):
        """Every party as this test found it first (other tests add parties and records)."""
        if self._parties is None:
            self._parties = self.all_parties()
        return self._parties

    def where(self, pred):
        return {i for i, p in self.parties().items() if pred(p)}

    @staticmethod
    def revenue(p):
        return p["records"]["lifetime_revenue"]

    def check(self, query, want, nonempty=True):
        """query finds exactly want, and -query (alone) exactly the other parties."""
        with self.subTest(q=query):
            if nonempty:
                self.assertTrue(want, "the demo has no party for %r" % query)
            self.assertEqual(self.ids(query), want)
            self.assertEqual(self.ids("-" + query), set(self.parties()) - want)

    def test_deal_terms_agree_with_records(self):
        for status in ("open", "won", "lost"):
            self.check("deal:" + status,
                       self.where(lambda p: p["records"]["deals"][status] > 0))
        self.assertEqual(self.ids("Deal:WON"), self.ids("deal:won"))

    def test_revenue_in_cents_as_lifetime_revenue(self):
        amounts = sorted({self.revenue(p) for p in self.parties().values()})
        self.assertGreaterEqual(len(amounts), 4, "too few distinct revenues in the demo")
        self.assertEqual(amounts[0], 0)
        # thresholds: on a party's exact revenue, between two, and beyond all
        mid = amounts[len(amounts) // 2]
        for v in (0, 1, mid, mid - 1, mid + 1, amounts[-1], amounts[-1] + 1):
            for op, f in OPS.items():
                query = "revenue%s%d" % (op, v)
                want = self.where(lambda p: f(self.revenue(p), v))
                self.check(query, want, nonempty=False)
        # won deals and revenue (all demo deals are in euros)
        self.assertEqual(self.ids("revenue>0"), self.ids("deal:won"))
        self.assertEqual(self.ids("revenue=%d" % mid), self.ids("revenue:%d" % mid))
        self.assertEqual(self.ids("revenue>=%d" % mid), self.ids("revenue>=000%d" % mid))
        self.assertEqual(self.ids('revenue>="%d"' % mid), self.ids("revenue>=%d" % mid))

    def test_case_terms_agree_with_cases(self):
        cases = self.list_all("/api/v1/cases")
        self.assertTrue(cases)
        sales = [c for c in cases if c["domain"] == "sales"]
        active = ("new", "open", "waiting")
        want = {
            "open": {c["party"] for c in sales if c["status"] in active},
            "closed": {c["party"] for c in sales if c["status"] not in active},
            "breached": {c["party"] for c in sales
                         if c["status"] in active and c["sla_breached"]},
        }
        for value, parties in want.items():
            self.check("case:" + value, parties)
        # the party summary counts the same (every demo case is a sales case)
        if len(sales) == len(cases):
            self.assertEqual(want["open"], self.where(lambda p: p["records"]["cases"]["open"]))
            self.assertEqual(want["breached"],
                             self.where(lambda p: p["records"]["cases"]["breached"]))

    def test_agreement_terms_agree_with_agreements(self):
        agreements = self.list_all("/api/v1/agreements")
        active = [a for a in agreements if a["domain"] == "sales" and a["status"] == "active"]
        want_active = {a["party"] for a in active}
        want_expiring = {a["party"] for a in active
                         if a["ends_in_days"] is not None and a["ends_in_days"] <= EXPIRING_DAYS}
        self.check("agreement:active", want_active)
        self.check("agreement:expiring", want_expiring)
        self.assertLess(want_expiring, want_active)

    def test_combinations_and_pages(self):
        parties = self.parties()
        customers = self.where(lambda p: any(r["type"] == "customer" for r in p["roles"]))
        won = self.where(lambda p: p["records"]["deals"]["won"] > 0)
        open_ = self.where(lambda p: p["records"]["deals"]["open"] > 0)
        self.assertEqual(self.ids("role:customer deal:open -deal:won"),
                         (customers & open_) - won)
        self.assertEqual(self.ids("role:customer -revenue>0"), customers - won)
        self.assertEqual(self.ids("deal:open deal:won"), open_ & won)
        self.assertEqual(self.ids("-deal:open -deal:won -deal:lost"),
                         {i for i, p in parties.items()
                          if not any(p["records"]["deals"][s] for s in ("open", "won", "lost"))})
        for query in ("deal:open", "-revenue>0 role:customer", "case:open agreement:active",
                      "revenue>=0"):
            with self.subTest(q=query):
                whole = [p["id"] for p in self.list_all("/api/v1/parties", q=query)]
                paged = [p["id"] for p in self.list_all("/api/v1/parties", limit=3, q=query)]
                self.assertEqual(paged, whole)
                self.assertEqual(len(set(paged)), len(paged))

    def test_terms_follow_changes(self):
        js = self.ok("GET", "/api/v1/pipelines")
        stage = {s["name"]: s["id"] for s in [p for p in js["items"] if p["default"]][0]["stages"]}
        t = word()
        p = self.create_party(kind="organization", name="Bakkerij " + t, tags=[t])
        tagged = "tag:%s " % t
        for query in ("deal:open", "deal:won", "revenue>0", "case:open", "agreement:active"):
            self.assertEqual(self.ids(tagged + query), set(), query)
        self.assertEqual(self.ids(tagged + "revenue=0"), {p["id"]})

        d = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Oven",
                                              "amount": 1234567}, status=201)
        self.assertEqual(self.ids(tagged + "deal:open"), {p["id"]})
        self.assertEqual(self.ids(tagged + "revenue>0"), set(), "an open deal is no revenue")
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"stage": stage["Gewonnen"]})
        self.assertEqual(self.get_party(p["id"])["records"]["lifetime_revenue"], 1234567)
        self.assertEqual(self.ids(tagged + "deal:won revenue=1234567"), {p["id"]})
        self.assertEqual(self.ids(tagged + "revenue>1234567"), set())
        self.assertEqual(self.ids(tagged + "revenue<=1234567 revenue>=1234567"), {p["id"]})
        self.assertEqual(self.ids(tagged + "-deal:open"), {p["id"]})
        # a deal in another currency is no euro revenue
        self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Dollars", "amount": 500,
                                          "currency": "USD", "status": "won"}, status=201)
        self.assertEqual(self.ids(tagged + "revenue=1234567"), {p["id"]})

        c = self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Oven lekt"},
                    status=201)
        self.assertEqual(self.ids(tagged + "case:open -case:closed"), {p["id"]})
        self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"status": "resolved"})
        self.assertEqual(self.ids(tagged + "case:closed -case:open"), {p["id"]})

        self.ok("POST", "/api/v1/agreements",
                {"party": p["id"], "kind": "customer_contract", "title": "Onderhoud",
                 "start": "2020-01-01"}, status=201)
        self.assertEqual(self.ids(tagged + "agreement:active -agreement:expiring"), {p["id"]})

    def test_other_domains_do_not_count(self):
        """The record terms read sales records: an HR case or contract is not a sales one."""
        t = word()
        p = self.create_party(tags=[t], roles=[{"type": "employee"}])
        self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Rooster",
                                          "domain": "hr"}, status=201)
        self.ok("POST", "/api/v1/agreements",
                {"party": p["id"], "kind": "employment_contract", "title": "Arbeid",
                 "start": "2020-01-01"}, status=201)
        self.assertEqual(self.get_party(p["id"])["records"]["cases"]["open"], 1)
        self.assertEqual(self.ids("tag:%s case:open" % t), set())
        self.assertEqual(self.ids("tag:%s agreement:active" % t), set())

    def test_segments_take_record_terms(self):
        mid = sorted({self.revenue(p) for p in self.parties().values()})[-2]
        query = "deal:won revenue>=%d" % mid
        seg = self.ok("POST", "/api/v1/segments", {"name": "Grote klanten " + word(),
                                                   "query": query}, status=201)
        members = {p["id"] for p in self.list_all("/api/v1/segments/%d/members" % seg["id"])}
        self.assertEqual(members, self.ids(query))
        self.assertEqual(members, self.where(lambda p: self.revenue(p) >= mid))
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "revenue>lots"},
                     status=422, field="query")


class RecordTermErrorTest(DemoTestCase):
    def position(self, problem):
        m = re.search(r"at position (\d+)", problem["errors"][0]["message"])
        self.assertTrue(m, "no position in %r" % problem)
        return int(m.group(1))

    def test_bad_values_are_422_with_the_position(self):
        cases = [
            ("deal:closed", 1),
            ("role:customer deal:verlopen", 15),
            ("case:waiting", 1),
            ("agreement:ended", 1),
            ("revenue>1.5", 1),
            ("role:customer revenue>=100.000", 15),
            ("revenue<-1", 1),
            ("revenue>1e6", 1),
            ("revenue:lots", 1),
            ("revenue=\u20ac100", 1),
            ("jan -revenue>99999999999999999999", 5),
        ]
        for text, pos in cases:
            with self.subTest(q=text):
                js = self.problem("GET", "/api/v1/parties" + q(q=text), status=422, field="q")
                self.assertEqual(self.position(js), pos)
        js = self.problem("GET", "/api/v1/parties" + q(q="revenue>1,5"), status=422, field="q")
        self.assertIn("whole cents", js["errors"][0]["message"])

    def test_syntax_errors_are_400_with_the_position(self):
        cases = [
            ("x -case:", 3),
            ("deal>1", 1),
            ("role:customer case<=2", 15),
            ("revenue>", 1),
            ("revenue=", 1),
        ]
        for text, pos in cases:
            with self.subTest(q=text):
                js = self.problem("GET", "/api/v1/parties" + q(q=text), status=400, field="q")
                self.assertEqual(self.position(js), pos)


class RecordTermAccessTest(DemoTestCase):
    """Record terms reveal sales data: they need read access to sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name in ("hr", "inkoop", "verkoop"):
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": name, "password": DEMO_PASSWORD, "bearer": True},
                                       token=None)
            if st != 201:
                raise RuntimeError("login of %s failed: %s %s" % (name, st, js))
            cls.tok[name] = js["token"]

    def ids_as(self, name, query):
        items = []
        cursor = None
        while True:
            params = {"q": query, "limit": "500"}
            if cursor:
                params["cursor"] = cursor
            js = self.ok("GET", "/api/v1/parties" + q(**params), token=self.tok[name])
            items.extend(p["id"] for p in js["items"])
            cursor = js["next"]
            if not cursor:
                return set(items)

    def test_without_sales_access_403(self):
        for term in ("deal:open", "deal:won", "case:open", "case:breached", "agreement:active",
                     "revenue>0", "revenue<=100"):
            for text in (term, "-" + term, "role:employee " + term):
                with self.subTest(q=text):
                    js = self.problem("GET", "/api/v1/parties" + q(q=text), status=403,
                                      field="q", token=self.tok["hr"])
                    self.assertIn("sales", js["errors"][0]["message"])
        # other terms still work for HR
        self.ids_as("hr", "role:employee")

    def test_with_sales_read_access_the_same_set(self):
        for query in ("deal:open", "-deal:won", "revenue>=1000000", "case:open",
                      "agreement:expiring"):
            with self.subTest(q=query):
                want = self.ids(query)
                self.assertEqual(self.ids_as("inkoop", query), want)
                self.assertEqual(self.ids_as("verkoop", query), want)

    def test_segment_members_need_sales_access(self):
        seg = self.ok("POST", "/api/v1/segments", {"name": "Open deals " + word(),
                                                   "query": "deal:open"}, status=201)
        path = "/api/v1/segments/%d/members" % seg["id"]
        self.problem("GET", path, status=403, token=self.tok["hr"])
        js = self.ok("GET", path + q(limit="500"), token=self.tok["verkoop"])
        self.assertEqual({p["id"] for p in js["items"]}, self.ids("deal:open"))


if __name__ == "__main__":
    unittest.main()
