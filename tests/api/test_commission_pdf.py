"""Partners: a partner's commission statement as PDF.

The same lines as the CSV (GET /api/v1/commissions.pdf?partner=&period=), drawn
with the company's seller block like the invoices; the text is read back with
pdftotext -layout: the partner, the deal, the commission in the document's
notation ("€ 123,46" in Dutch, "€123.46" in English), the total and the period
in words. Without partners read: 403; without a partner: 400.
"""

import datetime
import shutil
import subprocess
import unittest

from harness import ApiTestCase, q, word

PW = "pw-commission-pdf-1234"


def pdf_text(raw):
    run = subprocess.run(["pdftotext", "-layout", "-", "-"], input=raw,
                         capture_output=True, check=True)
    return run.stdout.decode("utf-8")


@unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
class CommissionPdf(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        login = "buyer-" + word(5)
        st, _, js = cls.client.req("POST", "/api/v1/users",
                                   {"name": login, "password": PW,
                                    "access": {"purchasing": "write", "sales": "read"}})
        assert st == 201, js
        st, _, js = cls.client.req("POST", "/api/v1/session",
                                   {"user": login, "password": PW, "bearer": True}, token=None)
        assert st == 201, js
        cls.buyer = js["token"]

    def won_partner_deal(self, amount, title):
        p = self.create_party(kind="organization",
                              roles=[{"type": "partner", "status": "active",
                                      "attributes": {"commission_pct": 10}}])
        c = self.create_party(family_name="Klant-" + word(4))
        d = self.ok("POST", "/api/v1/deals",
                    {"party": c["id"], "title": title, "partner": p["id"], "amount": amount},
                    status=201)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "won"})
        return p, c, d

    def pdf(self, lang, **params):
        st, hdrs, raw = self.client.raw("GET", "/api/v1/commissions.pdf" + q(**params),
                                        headers={"Accept-Language": lang})
        self.assertEqual(st, 200, raw[:300])
        self.assertEqual(hdrs.get("Content-Type"), "application/pdf")
        self.assertTrue(raw.startswith(b"%PDF-"))
        return pdf_text(raw)

    def test_statement_in_dutch_and_english(self):
        p, c, _ = self.won_partner_deal(1234567, "Warmtepomp PDF " + word(4))
        p2, _, _ = self.won_partner_deal(50000, "Andere partner " + word(4))
        today = datetime.date.today()
        quarter = "%d-Q%d" % (today.year, (today.month - 1) // 3 + 1)
        nl = self.pdf("nl", partner=str(p["id"]), period=quarter)
        self.assertIn(p["name"], nl)
        self.assertIn("Warmtepomp PDF", nl)
        self.assertIn(c["name"], nl)
        self.assertIn("Commissieoverzicht", nl)
        self.assertIn("%de kwartaal %d" % ((today.month - 1) // 3 + 1, today.year), nl)
        self.assertIn("€ 12.345,67", nl, "the deal amount")
        self.assertIn("€ 1.234,57", nl, "the commission, 10%")
        total = [l for l in nl.splitlines() if "Totaal commissie" in l]
        self.assertEqual(len(total), 1, nl)
        self.assertIn("€ 1.234,57", total[0])
        self.assertNotIn("Andere partner", nl, "another partner's deal is not on it")

        en = self.pdf("en", partner=str(p["id"]), period=quarter)
        self.assertIn("Commission statement", en)
        self.assertIn("Q%d %d" % ((today.month - 1) // 3 + 1, today.year), en)
        self.assertIn("€1,234.57", en)
        self.assertIn("Total commission", en)

        # a period without lines: a statement that says so, totals absent
        empty = self.pdf("nl", partner=str(p["id"]), period="2001-03")
        self.assertIn("maart 2001", empty)
        self.assertIn(p["name"], empty, "the partner's name without lines too")
        self.assertIn("Geen commissieregels", empty)
        self.assertNotIn("Warmtepomp PDF", empty)

    def test_access_and_partner_required(self):
        p, _, _ = self.won_partner_deal(10000, "Toegang " + word(4))
        self.problem("GET", "/api/v1/commissions.pdf" + q(partner=str(p["id"])), status=403,
                     token=self.buyer)
        self.problem("GET", "/api/v1/commissions.pdf", status=400, field="partner")
        self.problem("GET", "/api/v1/commissions.pdf" + q(partner=str(p["id"]), period="kwartaal"),
                     status=(400, 422), field="period")


if __name__ == "__main__":
    unittest.main()
