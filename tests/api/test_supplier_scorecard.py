"""Suppliers: evaluations, the rating of the last 12 months with its history,
preferred suppliers per category and the scorecard, within purchasing access."""

import unittest

from clock import ClockTestCase
from harness import word

EVAL = "/api/v1/supplier-evaluations"


class SupplierScorecardTest(ClockTestCase):
    NOW = "2026-12-06T09:00:00Z"  # the window is 2026-01 .. 2026-12

    def supplier(self, **attrs):
        attrs.setdefault("category", "Cat " + word())
        return self.create_party(kind="organization", name="Lev " + word() + " B.V.",
                                 roles=[{"type": "supplier", "attributes": attrs}])

    def evaluate(self, pid, period, q, d, p, c, token=None, **kw):
        body = {"party": pid, "period": period, "quality": q, "delivery": d, "price": p,
                "communication": c}
        body.update(kw)
        if token:
            return self.ok("POST", EVAL, body, 201, token=token)
        return self.ok("POST", EVAL, body, 201)

    def rating(self, pid):
        roles = self.get_party(pid)["roles"]
        return [r for r in roles if r["type"] == "supplier"][0]["attributes"].get("rating")

    def test_rating_history_after_three_evaluations(self):
        s = self.supplier()["id"]
        buyer = self.user({"purchasing": "write"})
        self.evaluate(s, "2026-03", 5, 5, 4, 4, token=buyer, note="Prima")  # 4.5 -> 5
        self.assertEqual(self.rating(s), 5)
        self.evaluate(s, "2026-Q3", 2, 2, 2, 3, token=buyer)  # (18 + 9) / 8 = 3.375 -> 3
        self.assertEqual(self.rating(s), 3)
        self.evaluate(s, "2026-11", 3, 3, 3, 3, token=buyer)  # 39 / 12 = 3.25 -> 3: no change
        self.assertEqual(self.rating(s), 3)
        card = self.ok("GET", "/api/v1/parties/%d/scorecard" % s, token=buyer)
        self.assertEqual(card["rating"], 3)
        self.assertEqual([(h["from"], h["to"]) for h in card["history"]], [(None, 5), (5, 3)])
        self.assertEqual([h["evaluations"] for h in card["history"]], [1, 2])
        self.assertEqual(card["evaluated"], 3)
        self.assertEqual(card["window"], {"from": "2026-01", "to": "2026-12"})
        self.assertEqual(card["averages"]["quality"], 3.3)  # 10 / 3
        self.assertEqual(card["averages"]["communication"], 3.3)
        self.assertEqual(card["averages"]["overall"], 3.3)  # 39 / 12 = 3.25
        # newest period first (by the period's last month)
        self.assertEqual([e["period"] for e in card["evaluations"]],
                         ["2026-11", "2026-Q3", "2026-03"])
        self.assertEqual(card["evaluations"][-1]["note"], "Prima")

    def test_old_evaluations_leave_the_window(self):
        s = self.supplier()["id"]
        self.evaluate(s, "2025-Q4", 1, 1, 1, 1)  # ends 2025-12, before the window: no rating
        self.assertIsNone(self.rating(s))
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/scorecard" % s)["history"], [])
        e = self.evaluate(s, "2026-01", 4, 4, 4, 4)  # the window's first month
        self.assertEqual(self.rating(s), 4)
        # deleting the only one in the window takes the rating away again, with history
        st, _, _ = self.req("DELETE", EVAL + "/%d" % e["id"])
        self.assertEqual(st, 204)
        self.assertIsNone(self.rating(s))
        card = self.ok("GET", "/api/v1/parties/%d/scorecard" % s)
        self.assertEqual([(h["from"], h["to"]) for h in card["history"]], [(None, 4), (4, None)])
        self.assertIsNone(card["averages"]["overall"])

    def test_bad_input_changes_nothing(self):
        s = self.supplier()["id"]
        not_supplier = self.create_party()["id"]
        for body, field in (
                ({"period": "2026-13"}, "period"), ({"period": "2026-Q5"}, "period"),
                ({"period": "2027-01"}, "period"), ({"quality": 6}, "quality"),
                ({"delivery": 0}, "delivery"), ({"party": not_supplier}, "party")):
            b = {"party": s, "period": "2026-10", "quality": 3, "delivery": 3, "price": 3,
                 "communication": 3}
            b.update(body)
            self.problem("POST", EVAL, b, 422, field=field)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/supplier-evaluations" % s)["items"],
                         [])
        self.assertIsNone(self.rating(s))

    def test_access(self):
        s = self.supplier()["id"]
        reader = self.user({"purchasing": "read"})
        sales = self.user({"sales": "write"})
        body = {"party": s, "period": "2026-10", "quality": 3, "delivery": 3, "price": 3,
                "communication": 3}
        self.problem("POST", EVAL, body, 403, token=reader)
        self.problem("POST", EVAL, body, 403, token=sales)
        e = self.evaluate(s, "2026-10", 3, 3, 3, 3)
        # purchasing read sees the scorecard and the evaluation; sales does not
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/scorecard" % s, token=reader)["rating"],
                         3)
        self.ok("GET", EVAL + "/%d" % e["id"], token=reader)
        self.problem("GET", "/api/v1/parties/%d/scorecard" % s, status=404, token=sales)
        self.problem("GET", EVAL + "/%d" % e["id"], status=404, token=sales)
        self.problem("GET", "/api/v1/parties/%d/supplier-evaluations" % s, status=404,
                     token=sales)
        self.problem("PATCH", EVAL + "/%d" % e["id"], {"quality": 5}, 403, token=reader)
        # a party that is not a supplier has no scorecard
        self.problem("GET", "/api/v1/parties/%d/scorecard" % self.create_party()["id"],
                     status=404)

    def test_one_preferred_supplier_per_category(self):
        cat = "Kantoorartikelen " + word()
        first = self.supplier(category=cat, preferred=True)
        second = self.supplier(category=cat)
        role = second["roles"][0]["id"]
        res = self.problem("PATCH", "/api/v1/roles/%d" % role,
                           {"attributes": {"preferred": True}}, 409,
                           field="attributes.preferred")
        self.assertIn(first["name"], res["errors"][0]["message"])
        self.assertFalse(self.get_party(second["id"])["roles"][0]["attributes"].get("preferred",
                                                                                   False))
        # unset the old one first, then the new one may be preferred
        self.ok("PATCH", "/api/v1/roles/%d" % first["roles"][0]["id"],
                {"attributes": {"preferred": False}})
        self.ok("PATCH", "/api/v1/roles/%d" % role, {"attributes": {"preferred": True}})
        card = self.ok("GET", "/api/v1/parties/%d/scorecard" % second["id"])
        self.assertTrue(card["preferred"])
        self.assertEqual(card["category"], cat)
        # another category may have its own preferred supplier
        self.supplier(preferred=True)

    def test_contracts_and_supplier_customer_flag(self):
        s = self.supplier()
        sid = s["id"]
        card = self.ok("GET", "/api/v1/parties/%d/scorecard" % sid)
        self.assertEqual(card["flags"], [])
        self.assertEqual(card["contracts"], [])
        self.ok("POST", "/api/v1/agreements", {"party": sid, "kind": "supplier_contract",
                                               "start": "2025-01-01", "end": "2027-01-31"}, 201)
        self.ok("POST", "/api/v1/agreements", {"party": sid, "kind": "supplier_contract",
                                               "start": "2025-01-01", "end": "2028-12-31"}, 201)
        self.ok("POST", "/api/v1/parties/%d/roles" % sid, {"type": "customer"}, 201)
        card = self.ok("GET", "/api/v1/parties/%d/scorecard" % sid)
        self.assertEqual(sorted((c["end"], c["expiring"]) for c in card["contracts"]),
                         [("2027-01-31", True), ("2028-12-31", False)])
        self.assertEqual([f["code"] for f in card["flags"]], ["supplier_customer"])
        self.assertTrue(card["flags"][0]["notes"])

    def test_merge_moves_evaluations(self):
        keep = self.supplier()["id"]
        dup = self.supplier()["id"]
        self.evaluate(dup, "2026-10", 2, 2, 2, 2)
        self.ok("POST", "/api/v1/parties/%d/merge" % keep, {"from": [dup]})
        items = self.ok("GET", "/api/v1/parties/%d/supplier-evaluations" % keep)["items"]
        self.assertEqual([e["period"] for e in items], ["2026-10"])
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/supplier-evaluations" % dup)["items"],
                         [])


if __name__ == "__main__":
    unittest.main()
