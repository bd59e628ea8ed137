"""The demo's quotes and invoices: what the demo users see and may do, and every
issued demo invoice and credit note passing the EN 16931 validation."""

import unittest

from harness import word
from test_access import AccessBase
from ubl import assert_valid_ubl


class BillingDemoTest(AccessBase):
    def test_demo_documents(self):
        invs = self.ok("GET", "/api/v1/invoices?limit=500")["items"]
        kinds = {(i["kind"], i["status"]) for i in invs}
        for want in (("invoice", "paid"), ("invoice", "overdue"), ("invoice", "credited"),
                     ("credit_note", "open")):
            self.assertIn(want, kinds)
        self.assertTrue(any(0 < i["paid"] < i["totals"]["gross"] for i in invs), "partly paid")
        rates = {v["rate"] for i in invs for v in i["totals"]["vat"]}
        self.assertTrue({"21", "9", "0", "exempt", "reverse_charge"} <= rates)
        quotes = self.ok("GET", "/api/v1/quotes")["items"]
        self.assertEqual(sorted(q["status"] for q in quotes), ["accepted", "draft", "sent"])
        won = [q for q in quotes if q["status"] == "accepted"][0]
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % won["deal"])["status"], "won")
        company = self.ok("GET", "/api/v1/settings/company")
        self.assertEqual(company["legal_name"], "Zonnewijzer Software B.V.")

    def test_demo_invoices_pass_en16931(self):
        invs = self.ok("GET", "/api/v1/invoices?limit=500")["items"]
        docs = []
        for i in invs:
            if i["status"] == "draft":
                continue
            st, _, body = self.client.raw("GET", "/api/v1/invoices/%d.xml" % i["id"])
            self.assertEqual(st, 200)
            docs.append(body.decode("utf-8"))
        self.assertGreaterEqual(len(docs), 6)
        assert_valid_ubl(self, docs)

    def test_demo_users(self):
        inv = self.ok("GET", "/api/v1/invoices?limit=1")["items"][0]
        # verkoop (sales write) sees and writes
        self.as_user("verkoop", "GET", "/api/v1/invoices/%d" % inv["id"])
        p = self.as_user("verkoop", "POST", "/api/v1/parties",
                         {"kind": "organization", "name": "Verkoop Klant " + word(),
                          "addresses": [{"street": "Markt", "house_number": "1",
                                         "postcode": "3511 AB", "city": "Utrecht"}]}, 201)
        q = self.as_user("verkoop", "POST", "/api/v1/quotes", {"party": p["id"], "lines": [
            {"description": "Advies", "quantity": 2, "unit": "uur", "unit_price": 9000,
             "vat": "21"}]}, 201)
        self.as_user("verkoop", "POST", "/api/v1/quotes/%d/send" % q["id"])
        # inkoop (sales read) sees, does not change
        self.as_user("inkoop", "GET", "/api/v1/quotes/%d" % q["id"])
        self.as_user("inkoop", "GET", "/api/v1/invoices")
        self.as_user("inkoop", "POST", "/api/v1/invoices", {"party": p["id"]}, 403)
        # hr (no sales access) sees none
        self.as_user("hr", "GET", "/api/v1/invoices", None, 403)
        self.as_user("hr", "GET", "/api/v1/quotes", None, 403)
        self.as_user("hr", "GET", "/api/v1/invoices/%d" % inv["id"], None, 404)
        self.as_user("hr", "GET", "/api/v1/invoices/%d.pdf" % inv["id"], None, 404)


if __name__ == "__main__":
    unittest.main()
