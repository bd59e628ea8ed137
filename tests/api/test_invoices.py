"""Invoices: created from scratch, from an accepted quote and from a deal; issuing
(number, snapshots, due date, debtor number, refusals), issued invoices immutable,
payments up to paid, overdue, credit notes, the whole flow from a quote to paid,
and access by sales level."""

import unittest

from billing_base import COMPANY, LINES, TOTALS, BillingCase
from harness import word


class InvoiceTest(BillingCase):
    def test_draft_has_no_number_issue_gives_one(self):
        p = self.customer()
        inv = self.invoice(p["id"])
        self.assertIsNone(inv["number"])
        self.assertIsNone(inv["date"])
        self.assertEqual(inv["status"], "draft")
        self.assertEqual(inv["kind"], "invoice")
        self.assertEqual(inv["totals"], TOTALS)
        self.assertEqual(inv["open"], 0)
        self.assertEqual(inv["payments"], [])
        out = self.issue(inv["id"])
        self.assertRegex(out["number"], r"^2026-\d{4}$")
        self.assertEqual(out["status"], "open")
        self.assertEqual(out["date"], self.TODAY)
        self.assertEqual(out["due"], "2026-12-20")  # the company's 14 days
        self.assertEqual(out["open"], TOTALS["gross"])
        self.assertEqual(out["seller"]["kvk"], COMPANY["kvk"])
        self.assertEqual(out["seller"]["iban"], COMPANY["iban"])
        self.assertEqual(out["buyer"]["name"], p["name"])
        self.assertEqual(out["buyer"]["country"], "NL")
        # the party became a customer with a debtor number
        roles = self.ok("GET", "/api/v1/parties/%d/roles" % p["id"])["items"]
        cust = [r for r in roles if r["type"] == "customer"]
        self.assertEqual(len(cust), 1)
        self.assertEqual(cust[0]["status"], "active")
        debtor = cust[0]["attributes"]["debtor_number"]
        self.assertGreaterEqual(int(debtor), 10001)
        self.assertEqual(out["buyer"]["debtor_number"], debtor)
        # a later invoice keeps the debtor number; the snapshot does not follow the settings
        second = self.issue(self.invoice(p["id"])["id"])
        self.assertEqual(second["buyer"]["debtor_number"], debtor)
        self.assertEqual(int(second["number"][-4:]), int(out["number"][-4:]) + 1)

    def test_issued_is_immutable(self):
        p = self.customer()
        out = self.issue(self.invoice(p["id"])["id"])
        prob = self.problem("PATCH", "/api/v1/invoices/%d" % out["id"], {"note": "x"}, 409)
        self.assertEqual(prob["code"], "issued")
        prob = self.problem("DELETE", "/api/v1/invoices/%d" % out["id"], None, 409)
        self.assertEqual(prob["code"], "issued")
        prob = self.problem("POST", "/api/v1/invoices/%d/issue" % out["id"], None, 409)
        self.assertEqual(prob["code"], "issued")
        self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % out["id"])["number"],
                         out["number"])
        # a draft is changed and deleted
        d = self.invoice(p["id"])
        d = self.ok("PATCH", "/api/v1/invoices/%d" % d["id"], {"lines": LINES[1:2]})
        self.assertEqual(d["totals"]["gross"], 5997 + 540)
        self.ok("DELETE", "/api/v1/invoices/%d" % d["id"], status=204)

    def test_refusals(self):
        p = self.customer()
        empty = self.invoice(p["id"], lines=[])
        self.problem("POST", "/api/v1/invoices/%d/issue" % empty["id"], None, 422, "lines")
        nowhere = self.customer(address=False)
        inv = self.invoice(nowhere["id"])
        self.problem("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 422, "buyer.address")
        rc_lines = [{"description": "Montage", "quantity": 2, "unit_price": 10000,
                     "vat": "reverse_charge"}]
        inv = self.invoice(p["id"], lines=rc_lines)
        self.problem("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 422, "buyer.vat")
        be = self.customer(vat="NL000099998B57")
        ok = self.issue(self.invoice(be["id"], lines=rc_lines)["id"])
        self.assertEqual(ok["totals"]["vat"], [{"rate": "reverse_charge", "base": 20000,
                                                "amount": 0}])
        # the company's legal details are needed
        less = dict(COMPANY, kvk=None)
        self.ok("PUT", "/api/v1/settings/company", less)
        try:
            inv = self.invoice(p["id"])
            prob = self.problem("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 422,
                                "company.kvk")
            self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % inv["id"])["status"],
                             "draft")
        finally:
            self.ok("PUT", "/api/v1/settings/company", COMPANY)

    def test_from_quote_and_from_deal(self):
        p = self.customer()
        deal = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Onderhoud " + word(),
                                                 "amount": 123456}, 201)
        q = self.quote(p["id"], deal=deal["id"])
        self.problem("POST", "/api/v1/invoices", {"quote": q["id"]}, 422, "quote")
        self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])
        self.ok("POST", "/api/v1/quotes/%d/accept" % q["id"])
        inv = self.ok("POST", "/api/v1/invoices", {"quote": q["id"]}, 201)
        self.assertEqual(inv["party"], p["id"])
        self.assertEqual(inv["deal"], deal["id"])
        self.assertEqual(inv["quote"], q["id"])
        self.assertEqual(inv["totals"], TOTALS)
        fromdeal = self.ok("POST", "/api/v1/invoices", {"deal": deal["id"]}, 201)
        self.assertEqual(fromdeal["party"], p["id"])
        self.assertEqual(fromdeal["lines"], [{"description": deal["title"], "quantity": 1,
                                              "unit": None, "unit_price": 123456,
                                              "discount_pct": 0, "vat": "21", "net": 123456}])
        self.assertEqual(fromdeal["totals"]["gross"], 123456 + 25926)

    def test_payments_and_overdue(self):
        p = self.customer()
        inv = self.issue(self.invoice(p["id"])["id"], {"date": "2026-10-01"})
        self.assertEqual(inv["due"], "2026-10-15")
        self.assertEqual(inv["status"], "overdue")
        path = "/api/v1/invoices/%d/payments" % inv["id"]
        gross = TOTALS["gross"]
        self.problem("POST", path, {"amount": gross + 1, "date": self.TODAY}, 422, "amount")
        self.problem("POST", path, {"amount": 0, "date": self.TODAY}, 422, "amount")
        self.problem("POST", path, {"amount": 100, "date": "2026-12-07"}, 422, "date")
        part = self.ok("POST", path, {"amount": 10000, "date": "2026-11-01", "note": "deel"}, 201)
        self.assertEqual(part["paid"], 10000)
        self.assertEqual(part["open"], gross - 10000)
        self.assertEqual(part["status"], "overdue")
        self.assertEqual(len(part["payments"]), 1)
        listed = self.ok("GET", "/api/v1/invoices?party=%d&status=overdue" % p["id"])
        self.assertEqual([x["id"] for x in listed["items"]], [inv["id"]])
        paid = self.ok("POST", path, {"amount": gross - 10000, "date": self.TODAY}, 201)
        self.assertEqual(paid["status"], "paid")
        self.assertEqual(paid["open"], 0)
        prob = self.problem("POST", path, {"amount": 1, "date": self.TODAY}, 409)
        self.assertEqual(prob["code"], "not_open")

    def test_credit_notes(self):
        p = self.customer()
        inv = self.issue(self.invoice(p["id"])["id"])
        part = self.ok("POST", "/api/v1/invoices/%d/credit" % inv["id"], {"lines": [1]}, 201)
        self.assertEqual(part["kind"], "credit_note")
        self.assertRegex(part["number"], r"^C2026-\d{4}$")
        self.assertEqual(part["credit_of"], inv["id"])
        self.assertEqual(part["credit_of_number"], inv["number"])
        self.assertEqual(part["totals"]["gross"], 5997 + 540)  # positive, like UBL
        after = self.ok("GET", "/api/v1/invoices/%d" % inv["id"])
        self.assertEqual(after["status"], "open")
        self.assertEqual(after["open"], TOTALS["gross"] - 6537)
        rest = self.ok("POST", "/api/v1/invoices/%d/credit" % inv["id"], {"lines": [0, 2]}, 201)
        self.assertEqual(int(rest["number"][-4:]), int(part["number"][-4:]) + 1)
        after = self.ok("GET", "/api/v1/invoices/%d" % inv["id"])
        self.assertEqual(after["status"], "credited")
        self.assertEqual(after["open"], 0)
        self.problem("POST", "/api/v1/invoices/%d/credit" % inv["id"], None, 409)
        notes = self.ok("GET", "/api/v1/invoices?party=%d&kind=credit_note" % p["id"])["items"]
        self.assertEqual(sorted(n["id"] for n in notes), sorted([part["id"], rest["id"]]))
        # a full credit in one go
        inv2 = self.issue(self.invoice(p["id"])["id"])
        full = self.ok("POST", "/api/v1/invoices/%d/credit" % inv2["id"], None, 201)
        self.assertEqual(full["totals"], TOTALS)
        self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % inv2["id"])["status"],
                         "credited")

    def test_flow_quote_to_paid(self):
        p = self.customer(name="Café Ærø " + word())
        deal = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Inrichting",
                                                 "amount": 99900}, 201)
        q = self.quote(p["id"], deal=deal["id"])
        token = self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])["accept_url"].split("/")[-1]
        self.ok("POST", "/api/v1/public/quotes/%s/accept" % token, token=None)
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d" % deal["id"])["status"], "won")
        inv = self.ok("POST", "/api/v1/invoices", {"quote": q["id"]}, 201)
        inv = self.issue(inv["id"])
        self.assertEqual(inv["buyer"]["name"], p["name"])
        path = "/api/v1/invoices/%d/payments" % inv["id"]
        self.ok("POST", path, {"amount": 20000, "date": self.TODAY}, 201)
        done = self.ok("POST", path, {"amount": TOTALS["gross"] - 20000, "date": self.TODAY}, 201)
        self.assertEqual(done["status"], "paid")
        self.assertEqual([x["amount"] for x in done["payments"]], [20000, TOTALS["gross"] - 20000])

    def test_access_by_sales_level(self):
        p = self.customer()
        inv = self.invoice(p["id"])
        reader = self.user({"sales": "read"})
        writer = self.user({"sales": "write"})
        none = self.user({"partners": "write"})
        self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % inv["id"], token=reader)["id"],
                         inv["id"])
        self.problem("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 403, token=reader)
        self.problem("PATCH", "/api/v1/invoices/%d" % inv["id"], {"note": "x"}, 403,
                     token=reader)
        self.problem("GET", "/api/v1/invoices", None, 403, token=none)
        self.problem("GET", "/api/v1/invoices/%d" % inv["id"], None, 404, token=none)
        self.problem("PUT", "/api/v1/settings/company", COMPANY, 403, token=writer)
        self.assertEqual(self.ok("GET", "/api/v1/settings/company", token=none)["kvk"],
                         COMPANY["kvk"])
        out = self.issue(inv["id"], token=writer)
        self.assertEqual(out["issued_by"] is not None, True)
        # the audit trail of an invoice is sales data too
        path = "/api/v1/audit?party=%d" % p["id"]
        invoice_entries = lambda tok: [e for e in self.ok("GET", path, token=tok)["items"]  # noqa
                                       if e["entity"] == "invoice"]
        self.assertTrue(invoice_entries(reader))
        self.assertEqual(invoice_entries(none), [])
        self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % inv["id"])["status"], "open")

    def test_company_settings_and_logo(self):
        s = self.ok("GET", "/api/v1/settings/company")
        self.assertEqual(s["postcode"], "3511 AB")
        self.assertEqual(s["invoice_number_format"], "{YYYY}-{NNNN}")
        bad = dict(COMPANY, kvk="1234", vat="NL123", iban="NL00BANK0000000000", email="x",
                   postcode="12345", invoice_number_format="F-{YYYY}")
        prob = self.problem("PUT", "/api/v1/settings/company", bad, 422)
        fields = {e["field"] for e in prob["errors"]}
        self.assertEqual(fields, {"kvk", "vat", "iban", "email", "postcode",
                                  "invoice_number_format"})
        same = dict(COMPANY, credit_number_format="{YYYY}-{NNNN}")
        self.problem("PUT", "/api/v1/settings/company", same, 422, "credit_number_format")
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
        st, _, _ = self.client.raw("PUT", "/api/v1/settings/company/logo", png,
                                   {"Content-Type": "image/png"})
        self.assertEqual(st, 200)
        st, hdrs, body = self.client.raw("GET", "/api/v1/settings/company/logo")
        self.assertEqual(st, 200)
        self.assertEqual(body, png)
        self.assertTrue(self.ok("GET", "/api/v1/settings/company")["has_logo"])
        st, _, _ = self.client.raw("PUT", "/api/v1/settings/company/logo", b"GIF89a....",
                                   {"Content-Type": "image/png"})
        self.assertEqual(st, 415)
        svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        st, _, _ = self.client.raw("PUT", "/api/v1/settings/company/logo", svg,
                                   {"Content-Type": "image/svg+xml"})
        self.assertEqual(st, 200)
        self.assertEqual(self.ok("GET", "/api/v1/settings/company")["logo_type"], "image/svg+xml")
        st, _, _ = self.client.raw("PUT", "/api/v1/settings/company/logo",
                                   png + b"\0" * (1024 * 1024), {"Content-Type": "image/png"})
        self.assertEqual(st, 413)
        self.ok("DELETE", "/api/v1/settings/company/logo", status=204)
        self.assertFalse(self.ok("GET", "/api/v1/settings/company")["has_logo"])


if __name__ == "__main__":
    unittest.main()


class InvoicePrivacyTest(BillingCase):
    def test_export_merge_and_erasure(self):
        p = self.customer(name="Jansen & Zoön " + word())
        q = self.quote(p["id"])
        inv = self.issue(self.invoice(p["id"])["id"])
        draft = self.invoice(p["id"])
        export = self.ok("GET", "/api/v1/parties/%d/export" % p["id"])
        self.assertEqual([x["id"] for x in export["records"]["quotes"]], [q["id"]])
        self.assertEqual(sorted(x["id"] for x in export["records"]["invoices"]),
                         sorted([inv["id"], draft["id"]]))
        # a merge moves quotes and invoices to the survivor
        dup = self.customer(name="Jansen Dubbel " + word())
        dq = self.quote(dup["id"])
        di = self.issue(self.invoice(dup["id"])["id"])
        res = self.ok("POST", "/api/v1/parties/%d/merge" % p["id"], {"from": [dup["id"]]})
        self.assertEqual(res["moves"]["quotes"], 1)
        self.assertEqual(res["moves"]["invoices"], 1)
        self.assertEqual(self.ok("GET", "/api/v1/quotes/%d" % dq["id"])["party"], p["id"])
        moved = self.ok("GET", "/api/v1/invoices/%d" % di["id"])
        self.assertEqual(moved["party"], p["id"])
        self.assertEqual(moved["number"], di["number"])
        # erasure keeps issued invoices whole (fiscal retention) and says so
        er = self.ok("POST", "/api/v1/parties/%d/erase" % p["id"])
        self.assertEqual(er["retained"]["invoices"], 2)
        self.assertIn("7", er["retained"]["reason"])
        kept = self.ok("GET", "/api/v1/invoices/%d" % inv["id"])
        self.assertEqual(kept["number"], inv["number"])
        self.assertEqual(kept["buyer"]["name"], p["name"])
        self.problem("GET", "/api/v1/invoices/%d" % draft["id"], None, 404)
        self.problem("GET", "/api/v1/quotes/%d" % q["id"], None, 404)
