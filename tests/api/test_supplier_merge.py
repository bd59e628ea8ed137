"""Suppliers after a merge: the survivor's rating is computed again from the
evaluations it holds after the merge (its own and the merged party's, the last
12 months), with the change in its rating history; an undo computes it again
from the evaluations it has back."""

import unittest

from clock import ClockTestCase
from harness import word

EVAL = "/api/v1/supplier-evaluations"


class SupplierRatingAfterMerge(ClockTestCase):
    NOW = "2026-12-06T09:00:00Z"  # the window is 2026-01 .. 2026-12

    def supplier(self, name):
        return self.create_party(kind="organization", name=name,
                                 roles=[{"type": "supplier",
                                         "attributes": {"category": "Cat " + word()}}])["id"]

    def evaluate(self, pid, period, score, token):
        self.ok("POST", EVAL, {"party": pid, "period": period, "quality": score,
                               "delivery": score, "price": score, "communication": score},
                201, token=token)

    def card(self, pid, token):
        return self.ok("GET", "/api/v1/parties/%d/scorecard" % pid, token=token)

    def test_rating_and_history_follow_the_merge_and_its_undo(self):
        buyer = self.user({"purchasing": "write"})
        name = "Leverancier " + word()
        survivor = self.supplier(name + " B.V.")
        twin = self.supplier(name + " BV")
        self.evaluate(survivor, "2026-10", 5, buyer)
        self.evaluate(twin, "2026-09", 1, buyer)
        self.evaluate(twin, "2025-Q4", 1, buyer)  # outside the window: not counted
        self.assertEqual(self.card(survivor, buyer)["rating"], 5)
        self.assertEqual(self.card(twin, buyer)["rating"], 1)

        done = self.ok("POST", "/api/v1/parties/%d/merge" % survivor, {"from": [twin]},
                       token=buyer)
        card = self.card(survivor, buyer)
        self.assertEqual(card["evaluated"], 2, "evaluations in the window")
        self.assertEqual(len(card["evaluations"]), 3)
        self.assertEqual(card["rating"], 3, "(4 x 5 + 4 x 1) / 8 from the two in the window")
        self.assertEqual([(h["from"], h["to"], h["evaluations"]) for h in card["history"]],
                         [(None, 5, 1), (5, 3, 2)])
        roles = [r for r in self.get_party(survivor)["roles"] if r["type"] == "supplier"]
        self.assertEqual([r["attributes"].get("rating") for r in roles], [3] * len(roles))

        self.ok("POST", "/api/v1/merges/%d/undo" % done["id"], token=buyer)
        card = self.card(survivor, buyer)
        self.assertEqual((card["rating"], card["evaluated"]), (5, 1))
        self.assertEqual([(h["from"], h["to"]) for h in card["history"]],
                         [(None, 5), (5, 3), (3, 5)])
        self.assertEqual(self.card(twin, buyer)["rating"], 1)


if __name__ == "__main__":
    unittest.main()
