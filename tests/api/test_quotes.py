"""Quotes: totals computed by the server, line field errors, numbers from the
quote number format, send with its one-time accept link, the public accept page
(no login) that wins the deal, decline, expiry, and access by sales level."""

import unittest

from billing_base import LINES, TOTALS, BillingCase
from harness import word


class QuoteTest(BillingCase):
    def test_totals_are_the_servers(self):
        p = self.customer()
        q = self.quote(p["id"])
        self.assertEqual(q["totals"], TOTALS)
        self.assertEqual([l["net"] for l in q["lines"]], [14250, 5997, 33335])
        self.assertEqual(q["status"], "draft")
        self.assertIsNone(q["seller"])
        self.assertRegex(q["number"], r"^OFF-2026-\d{4}$")
        self.assertEqual(q["date"], self.TODAY)
        self.assertEqual(q["valid_until"], "2027-01-05")
        # totals sent by a client are ignored; a change of lines recomputes them
        q = self.ok("PATCH", "/api/v1/quotes/%d" % q["id"],
                    {"lines": LINES[:1], "totals": {"net": 1, "vat": [], "gross": 1}})
        self.assertEqual(q["totals"], {"net": 14250, "vat": [
            {"rate": "21", "base": 14250, "amount": 2993}], "gross": 17243})

    def test_numbers_follow_the_format(self):
        p = self.customer()
        a = self.quote(p["id"])
        b = self.quote(p["id"])
        na, nb = int(a["number"][-4:]), int(b["number"][-4:])
        self.assertEqual(nb, na + 1)
        # a quote dated in another year counts in that year's sequence
        c = self.quote(p["id"], date="2027-01-04")
        self.assertEqual(c["number"], "OFF-2027-0001")

    def test_line_errors_name_the_line(self):
        p = self.customer()
        bad = LINES[:2] + [{"description": "x", "quantity": 0, "unit_price": 100, "vat": "19"}]
        prob = self.problem("POST", "/api/v1/quotes", {"party": p["id"], "lines": bad}, 422)
        fields = {e["field"] for e in prob["errors"]}
        self.assertIn("lines[2].vat", fields)
        self.assertIn("lines[2].quantity", fields)
        self.assertNotIn("lines[0].vat", fields)
        prob = self.problem("POST", "/api/v1/quotes", {
            "party": p["id"], "lines": [{"description": "x", "quantity": 1.0005,
                                         "unit_price": 1, "vat": "21", "discount_pct": 1.234}]},
            422)
        fields = {e["field"] for e in prob["errors"]}
        self.assertEqual(fields, {"lines[0].quantity", "lines[0].discount_pct"})

    def test_send_public_accept_wins_the_deal(self):
        p = self.customer()
        deal = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Website " + word(),
                                                 "amount": 150000}, 201)
        q = self.quote(p["id"], deal=deal["id"])
        sent = self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])
        self.assertEqual(sent["status"], "sent")
        self.assertEqual(sent["seller"]["legal_name"], "Voorbeeld Software B.V.")
        self.assertEqual(sent["buyer"]["name"], p["name"])
        self.assertEqual(sent["buyer"]["city"], "Ámsterdam")
        url = sent["accept_url"]
        self.assertRegex(url, r"^/accept/[0-9a-f]{48}$")
        token = url.rsplit("/", 1)[1]
        # the link is answered once: a GET never shows it again
        again = self.ok("GET", "/api/v1/quotes/%d" % q["id"])
        self.assertIsNone(again["accept_url"])
        # a sent quote is no longer edited
        prob = self.problem("PATCH", "/api/v1/quotes/%d" % q["id"], {"note": "x"}, 409)
        self.assertEqual(prob["code"], "not_draft")
        # the public page needs no login and shows only what the customer needs
        page = self.ok("GET", "/api/v1/public/quotes/" + token, token=None)
        self.assertEqual(set(page), {"number", "date", "valid_until", "status", "currency",
                                     "lines", "totals", "seller", "buyer"})
        self.assertEqual(page["seller"], {"name": "Voorbeeld Software B.V."})
        self.assertEqual(page["buyer"], {"name": p["name"]})
        self.assertEqual(page["totals"], TOTALS)
        done = self.ok("POST", "/api/v1/public/quotes/%s/accept" % token, token=None)
        self.assertEqual(done["status"], "accepted")
        q = self.ok("GET", "/api/v1/quotes/%d" % q["id"])
        self.assertEqual(q["accepted_by"], "customer")
        self.assertEqual(q["accepted_at"][:10], self.TODAY)
        d = self.ok("GET", "/api/v1/deals/%d" % deal["id"])
        self.assertEqual(d["status"], "won")
        # a used link: 409; a wrong one: 404
        prob = self.problem("POST", "/api/v1/public/quotes/%s/accept" % token, None, 409,
                            token=None)
        self.assertEqual(prob["code"], "used")
        self.problem("GET", "/api/v1/public/quotes/" + "0" * 48, None, 404, token=None)
        self.problem("POST", "/api/v1/public/quotes/%s/accept" % ("a" * 48), None, 404,
                     token=None)
        self.problem("GET", "/api/v1/public/quotes/not-a-token", None, 404, token=None)

    def test_accept_in_the_app_and_decline(self):
        p = self.customer()
        q = self.quote(p["id"])
        prob = self.problem("POST", "/api/v1/quotes/%d/accept" % q["id"], None, 409)
        self.assertEqual(prob["code"], "not_sent")
        self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])
        a = self.ok("POST", "/api/v1/quotes/%d/accept" % q["id"])
        self.assertEqual(a["status"], "accepted")
        self.assertEqual(a["accepted_by"], "admin")
        q2 = self.quote(p["id"])
        self.ok("POST", "/api/v1/quotes/%d/send" % q2["id"])
        d = self.ok("POST", "/api/v1/quotes/%d/decline" % q2["id"])
        self.assertEqual(d["status"], "declined")
        self.problem("DELETE", "/api/v1/quotes/%d" % q2["id"], None, 409)
        listed = self.ok("GET", "/api/v1/quotes?party=%d&status=declined" % p["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [q2["id"]])
        # a draft is deleted
        q3 = self.quote(p["id"])
        self.ok("DELETE", "/api/v1/quotes/%d" % q3["id"], status=204)
        self.problem("GET", "/api/v1/quotes/%d" % q3["id"], None, 404)

    def test_expired_link(self):
        p = self.customer()
        q = self.quote(p["id"], date="2026-10-01", valid_until="2026-10-31")
        sent = self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])
        self.assertEqual(sent["status"], "expired")  # past valid_until: derived when read
        token = sent["accept_url"].rsplit("/", 1)[1]
        prob = self.problem("POST", "/api/v1/public/quotes/%s/accept" % token, None, 410,
                            token=None)
        self.assertEqual(prob["code"], "expired")
        listed = self.ok("GET", "/api/v1/quotes?party=%d&status=expired" % p["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [q["id"]])

    def test_access_by_sales_level(self):
        p = self.customer()
        q = self.quote(p["id"])
        reader = self.user({"sales": "read"})
        writer = self.user({"sales": "write"})
        none = self.user({"hr": "write"})
        self.assertEqual(self.ok("GET", "/api/v1/quotes/%d" % q["id"], token=reader)["id"], q["id"])
        self.problem("PATCH", "/api/v1/quotes/%d" % q["id"], {"note": "x"}, 403, token=reader)
        self.problem("POST", "/api/v1/quotes/%d/send" % q["id"], None, 403, token=reader)
        self.problem("POST", "/api/v1/quotes", {"party": p["id"], "lines": LINES}, 403,
                     token=reader)
        self.problem("GET", "/api/v1/quotes", None, 403, token=none)
        self.problem("GET", "/api/v1/quotes/%d" % q["id"], None, 404, token=none)
        mine = self.quote(p["id"], token=writer)
        self.ok("POST", "/api/v1/quotes/%d/send" % mine["id"], token=writer)
        self.assertEqual(self.ok("GET", "/api/v1/quotes/%d" % q["id"])["status"], "draft")


class AcceptLinkLimitTest(BillingCase):
    """Guessing links is slowed down per client address, apart from logins."""

    def test_unknown_links_are_throttled(self):
        p = self.customer()
        q = self.quote(p["id"])
        token = self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])["accept_url"].split("/")[-1]
        for i in range(5):
            self.problem("GET", "/api/v1/public/quotes/%048x" % i, None, 404, token=None)
        prob = self.problem("GET", "/api/v1/public/quotes/" + token, None, 429, token=None)
        self.assertEqual(prob["code"], "link_throttled")
        # the quote was not touched, and signing in from the same address still works
        self.user({"sales": "read"})
        self.assertEqual(self.ok("GET", "/api/v1/quotes/%d" % q["id"])["status"], "sent")


if __name__ == "__main__":
    unittest.main()
