"""The query language through GET /api/v1/parties?q=, on the demo data: every
term kind, negation, treatment and health filters agreeing with what parties
show, cursor pagination under a treatment filter, and errors (400 for syntax,
422 for values) that point at the offending position."""

import re
import unittest

from demo_case import DemoTestCase
from harness import q, word


class QueryTermTest(DemoTestCase):
    def setUp(self):
        self._parties = None

    def parties(self):
        """Every party as this test found it first (other tests add parties)."""
        if self._parties is None:
            self._parties = self.all_parties()
        return self._parties

    def where(self, pred):
        return {i for i, p in self.parties().items() if pred(p)}

    def attr(self, p, rtype, name):
        r = self.role(p, rtype)
        return r["attributes"].get(name) if r else None

    def test_roles_and_negation(self):
        customers = self.where(lambda p: self.role(p, "customer"))
        self.assertEqual(self.ids("role:customer"), customers)
        self.assertEqual(self.ids("role:customer -role:employee"),
                         {i for i in customers if not self.role(self.parties()[i], "employee")})
        self.assertEqual(self.ids("-role:customer"), set(self.parties()) - customers)

    def test_dutch_words(self):
        # What a Dutch user types means what the English terms mean: the
        # filter names, role types by their Dutch label, and the values.
        pairs = [
            ("rol:klant", "role:customer"),
            ("rol:klant -rol:medewerker", "role:customer -role:employee"),
            ("Rol:Leverancier", "role:supplier"),
            ("plaats:Utrecht", "city:Utrecht"),
            ("soort:organisatie", "kind:organization"),
            ("soort:persoon heeft:telefoon", "kind:person has:phone"),
            ("klant.status:active", "customer.status:active"),
            ("prioriteit:hoog", "priority:high"),
            ("stil:1j", "idle:365d"),
            ("mag:mailen", "may:email"),
            ("deal:gewonnen", "deal:won"),
            ("zaak:gesloten", "case:closed"),
            ("overeenkomst:actief", "agreement:active"),
            ("omzet>=100000", "revenue>=100000"),
        ]
        for dutch, english in pairs:
            with self.subTest(q=dutch):
                self.assertEqual(self.ids(dutch), self.ids(english))
        self.assertTrue(self.ids("rol:klant"))
        self.assertTrue(self.ids("plaats:Utrecht"))
        tagged = self.where(lambda p: p["tags"])
        tag = sorted(t for i in tagged for t in self.parties()[i]["tags"])[0]
        self.assertEqual(self.ids(f"label:{tag}"), self.ids(f"tag:{tag}"))
        self.assertTrue(self.ids(f"label:{tag}"))

    def test_status_both_spellings(self):
        want = self.where(lambda p: any(r["type"] == "customer" and r["status"] == "active"
                                        for r in p["roles"]))
        self.assertTrue(want)
        self.assertEqual(self.ids("status:customer=active"), want)
        self.assertEqual(self.ids("customer.status:active"), want)
        self.assertEqual(self.ids("Customer.Status:ACTIVE"), want)
        former = self.ids("customer.status:former")
        self.assertTrue(former)
        self.assertEqual(former, self.ids("status:customer=former"))
        self.assertEqual(self.ids("role:customer -customer.status:active"),
                         self.where(lambda p: self.role(p, "customer")) - want)

    def test_attribute_equality(self):
        want = self.where(lambda p: self.attr(p, "partner", "tier") == "gold")
        self.assertTrue(want)
        self.assertEqual(self.ids("partner.tier:gold"), want)

    def test_term_order_does_not_matter(self):
        # The server tests narrow terms (an attribute value, a tag) first; the
        # answer, its order and its pages must be those of the query as typed.
        def seg(p):
            return self.attr(p, "customer", "segment")
        want = self.where(lambda p: self.role(p, "customer") and seg(p) == "particulier"
                          and not self.role(p, "employee"))
        self.assertGreater(len(want), 3)
        orders = ["role:customer -role:employee customer.segment:particulier",
                  "customer.segment:particulier role:customer -role:employee",
                  "-role:employee customer.segment:particulier role:customer"]
        for o in orders:
            self.assertEqual(self.ids(o), want, o)
        # The same parties in the same order, page by page (one per page).
        paged = [[p["id"] for p in self.list_all("/api/v1/parties", limit=1, q=o)]
                 for o in orders]
        self.assertEqual(len(paged[0]), len(want))
        self.assertEqual(paged[0], paged[1])
        self.assertEqual(paged[0], paged[2])
        self.assertEqual(self.ids("-customer.segment:particulier role:customer"),
                         self.where(lambda p: self.role(p, "customer") and seg(p) != "particulier"))

    def test_comparisons(self):
        def rating(p):
            return self.attr(p, "supplier", "rating")
        cases = {
            "supplier.rating>=4": lambda v: v is not None and v >= 4,
            "supplier.rating>4": lambda v: v is not None and v > 4,
            "supplier.rating<3": lambda v: v is not None and v < 3,
            "supplier.rating<=3": lambda v: v is not None and v <= 3,
        }
        for query, pred in cases.items():
            with self.subTest(q=query):
                want = self.where(lambda p: pred(rating(p)))
                self.assertEqual(self.ids(query), want)
        self.assertTrue(self.ids("supplier.rating>=4"))
        self.assertEqual(self.ids("-supplier.rating>=4 role:supplier"),
                         self.where(lambda p: self.role(p, "supplier")
                                    and not (rating(p) is not None and rating(p) >= 4)))
        # Dates compare as dates.
        want = self.where(lambda p: (self.attr(p, "partner", "agreement_until") or "9999")
                          < "2028-01-01")
        self.assertTrue(want)
        self.assertEqual(self.ids("partner.agreement_until<2028-01-01"), want)
        # Decimal numbers.
        want = self.where(lambda p: (self.attr(p, "partner", "commission_pct") or 0) > 2.5)
        self.assertEqual(self.ids("partner.commission_pct>2.5"), want)

    def test_tag_city_kind(self):
        t = word()
        a = self.create_party(tags=[t], addresses=[{"city": "Zwolle", "street": "Markt"}])
        b = self.create_party(kind="organization", tags=[t])
        self.assertEqual(self.ids("tag:" + t), {a["id"], b["id"]})
        self.assertEqual(self.ids("tag:%s city:zwolle" % t), {a["id"]})
        self.assertEqual(self.ids("tag:%s kind:organization" % t), {b["id"]})
        self.assertEqual(self.ids("tag:%s -kind:person" % t), {b["id"]})

    def test_has(self):
        t = word()
        full = self.create_party(tags=[t], emails=["a@%s.nl" % t], phones=["+31201234567"],
                                 addresses=[{"city": "Ede"}], websites=["https://%s.nl" % t])
        bare = self.create_party(tags=[t])
        for what in ("email", "phone", "address", "website"):
            with self.subTest(has=what):
                self.assertEqual(self.ids("tag:%s has:%s" % (t, what)), {full["id"]})
                self.assertEqual(self.ids("tag:%s -has:%s" % (t, what)), {bare["id"]})
        want = self.where(lambda p: not p["emails"])
        self.assertEqual(self.ids("-has:email"), want)

    def test_idle(self):
        t = word()
        quiet = self.create_party(tags=[t])
        busy = self.create_party(tags=[t])
        self.ok("POST", "/api/v1/activities", {"type": "call", "domain": "sales",
                                               "subject": "hello", "parties": [busy["id"]]},
                status=201)
        self.assertEqual(self.ids("tag:%s idle:30d" % t), {quiet["id"]})
        self.assertEqual(self.ids("tag:%s -idle:30d" % t), {busy["id"]})

    def test_words_and_phrases(self):
        arch = self.demo_party("Architectenbureau Linthorst & De Wit")
        self.assertIn(arch["id"], self.ids("linthorst"))
        self.assertIn(arch["id"], self.ids("archit wit"))
        self.assertIn(arch["id"], self.ids('"linthorst"'))
        self.assertNotIn(arch["id"], self.ids("linthorst -architectenbureau"))
        self.assertIn(arch["id"], self.ids("linthorst role:partner priority:high"))

    def test_priority_agrees_with_treatment(self):
        for prio in ("low", "normal", "high", "top"):
            with self.subTest(priority=prio):
                want = self.where(lambda p: p["treatment"]["priority"] == prio)
                self.assertEqual(self.ids("priority:" + prio), want)
                self.assertEqual(self.ids("-priority:" + prio), set(self.parties()) - want)
        self.assertGreaterEqual(len(self.ids("priority:high")), 2)

    def test_badge_agrees_with_treatment(self):
        seen = set()
        for p in self.parties().values():
            for b in p["treatment"]["badges"]:
                seen.add(b["en"])
                seen.add(b["nl"])
        self.assertTrue({"Personeel", "Staff", "Pers", "Strategic partner"} <= seen)
        for text in seen:
            with self.subTest(badge=text):
                want = self.where(lambda p: any(text.lower() in (b["en"].lower(), b["nl"].lower())
                                                for b in p["treatment"]["badges"]))
                self.assertEqual(self.ids('badge:"%s"' % text), want)
                self.assertEqual(self.ids('badge:"%s"' % text.upper()), want)
        self.assertEqual(self.ids("badge:nobody"), set())
        self.assertEqual(self.ids("badge:personeel role:customer -role:employee"), set())

    def test_health_agrees_with_parties(self):
        parties = self.parties()
        for status in ("good", "watch", "at_risk"):
            with self.subTest(health=status):
                want = self.where(lambda p: (p["health"] or {}).get("status") == status)
                self.assertEqual(self.ids("health:" + status), want)
        self.assertTrue(self.ids("health:at_risk"))
        customers = self.where(lambda p: any(r["type"] == "customer" and r["status"] == "active"
                                             for r in p["roles"]))
        for i, p in parties.items():
            if i in customers:
                self.assertIn(p["health"]["status"], ("good", "watch", "at_risk"))
            else:
                self.assertIsNone(p["health"], p["name"])

    def test_treatment_filter_pages(self):
        """A treatment filter keeps cursor pagination exact: small pages, same set, no repeats."""
        for query in ("priority:normal role:customer", "badge:personeel", "health:at_risk",
                      "priority:normal has:email"):
            with self.subTest(q=query):
                whole = [p["id"] for p in self.list_all("/api/v1/parties", q=query)]
                paged = [p["id"] for p in self.list_all("/api/v1/parties", limit=3, q=query)]
                self.assertEqual(paged, whole)
                self.assertEqual(len(set(paged)), len(paged))

    def test_may_agrees_with_contactability(self):
        # may:email / may:call select exactly the parties whose responses say
        # may_email / may_call, and their negations the rest.
        everyone = self.list_all("/api/v1/parties", limit=500)
        for channel in ("email", "call"):
            with self.subTest(channel=channel):
                expect = sorted(p["id"] for p in everyone if p["may_" + channel])
                got = sorted(p["id"] for p in self.list_all("/api/v1/parties", limit=500,
                                                             q="may:" + channel))
                self.assertTrue(expect, "the demo has parties that may be contacted")
                self.assertLess(len(expect), len(everyone))
                self.assertEqual(got, expect)
                rest = sorted(p["id"] for p in self.list_all("/api/v1/parties", limit=500,
                                                              q="-may:" + channel))
                self.assertEqual(sorted(rest + got), sorted(p["id"] for p in everyone))


class QueryErrorTest(DemoTestCase):
    def position(self, problem):
        m = re.search(r"at position (\d+)", problem["errors"][0]["message"])
        self.assertTrue(m, "no position in %r" % problem)
        return int(m.group(1))

    def test_syntax_errors_are_400_with_the_position(self):
        cases = [
            ('jan "de vries', 5),
            ("role:customer colour:red", 15),
            ("role:", 1),
            ("role:customer -tag:", 15),
            ("role:klant! jan", 1),
            ("jan role>=3", 5),
            ("status:customer", 1),
            ("supplier.rating>=", 1),
            ("één colour:red", 5),
        ]
        for text, pos in cases:
            with self.subTest(q=text):
                js = self.problem("GET", "/api/v1/parties" + q(q=text), status=400, field="q")
                self.assertEqual(self.position(js), pos)

    def test_bad_values_are_422_with_the_position(self):
        cases = [
            ("kind:robot", 1),
            ("role:customer priority:urgent", 15),
            ("idle:5x", 1),
            ("health:fine", 1),
            ("has:fax", 1),
            ("x supplier.rating>=good", 3),
            ("supplier.colour>3", 1),
            ("customer.segment>3", 1),
            ("partner.agreement_until<5", 1),
        ]
        for text, pos in cases:
            with self.subTest(q=text):
                js = self.problem("GET", "/api/v1/parties" + q(q=text), status=422, field="q")
                self.assertEqual(self.position(js), pos)

    def test_segments_report_the_same_errors(self):
        js = self.problem("POST", "/api/v1/segments", {"name": word(), "query": 'x "open'},
                          status=400, field="query")
        self.assertEqual(self.position(js), 3)
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "kind:robot"},
                     status=422, field="query")


if __name__ == "__main__":
    unittest.main()
