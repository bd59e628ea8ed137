"""Quote and invoice files: the PDF (text checked with pdftotext: number, totals,
VAT lines, the customer's name with accents, a draft marked), the PNG preview,
the file names by language, and the UBL e-invoice of issued invoices and credit
notes passing the official EN 16931 validation (409 for a draft)."""

import shutil
import subprocess
import tempfile
import unittest

from billing_base import BillingCase
from harness import word
from ubl import assert_valid_ubl

MIXED = [
    {"description": "Ontwerp", "quantity": 12.5, "unit": "uur", "unit_price": 8500, "vat": "21"},
    {"description": "Drukwerk", "quantity": 250, "unit": "stuk", "unit_price": 45,
     "discount_pct": 10, "vat": "9"},
    {"description": "Verzending buitenland", "quantity": 1, "unit_price": 2500, "vat": "0"},
]


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        r = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True,
                           timeout=60)
        return r.stdout.decode("utf-8")


class DocumentTest(BillingCase):
    def get(self, path, lang="nl"):
        st, hdrs, body = self.client.raw("GET", path, headers={"Accept-Language": lang})
        return st, {k.lower(): v for k, v in hdrs.items()}, body

    @unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing")
    def test_invoice_pdf(self):
        p = self.customer(name="Smederij Çelik & Zoë " + word())
        draft = self.invoice(p["id"], lines=MIXED)
        st, h, body = self.get("/api/v1/invoices/%d.pdf" % draft["id"])
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "application/pdf")
        self.assertIn("CONCEPT", pdf_text(body))
        inv = self.issue(draft["id"])
        st, h, body = self.get("/api/v1/invoices/%d.pdf" % inv["id"])
        self.assertEqual(st, 200)
        self.assertEqual(h["content-disposition"],
                         'inline; filename="factuur-%s.pdf"' % inv["number"])
        text = pdf_text(body)
        self.assertIn(inv["number"], text)
        self.assertIn(p["name"], text)
        self.assertNotIn("CONCEPT", text)
        # 12.5 x 85.00 = 1062.50; VAT 21% 223.13; gross shown in Dutch notation
        self.assertIn("1.062,50", text)
        self.assertIn("223,13", text)
        gross = inv["totals"]["gross"]
        self.assertIn("%s,%02d" % ("{:,}".format(gross // 100).replace(",", "."), gross % 100),
                      text)
        st, h, _ = self.get("/api/v1/invoices/%d.pdf" % inv["id"], lang="en")
        self.assertEqual(h["content-disposition"],
                         'inline; filename="invoice-%s.pdf"' % inv["number"])
        st, h, png = self.get("/api/v1/invoices/%d.png" % inv["id"])
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "image/png")
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")

    @unittest.skipUnless(shutil.which("pdftotext"), "pdftotext (poppler-utils) is missing")
    def test_quote_pdf(self):
        p = self.customer(name="Bloemist Ãngström " + word())
        q = self.quote(p["id"], lines=MIXED)
        st, h, body = self.get("/api/v1/quotes/%d.pdf" % q["id"])
        self.assertEqual(st, 200)
        text = pdf_text(body)
        self.assertIn(q["number"], text)
        self.assertIn(p["name"], text)
        self.assertIn("offerte-concept-%d.pdf" % q["id"], h["content-disposition"])
        st, h, png = self.get("/api/v1/quotes/%d.png" % q["id"])
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")

    def test_ubl_of_issued_invoices_and_credit_notes(self):
        p = self.customer(vat="NL000099998B57")
        draft = self.invoice(p["id"], lines=MIXED)
        self.problem("GET", "/api/v1/invoices/%d.xml" % draft["id"], None, 409)
        inv = self.issue(draft["id"])
        rc = self.issue(self.invoice(p["id"], lines=[
            {"description": "Installatie", "quantity": 3, "unit": "dag", "unit_price": 64000,
             "vat": "reverse_charge"}])["id"])
        credit = self.ok("POST", "/api/v1/invoices/%d/credit" % inv["id"], {"lines": [1]}, 201)
        docs = []
        for i in (inv, rc, credit):
            st, h, body = self.get("/api/v1/invoices/%d.xml" % i["id"])
            self.assertEqual(st, 200)
            self.assertEqual(h["content-type"], "application/xml")
            self.assertIn(i["number"].encode(), body)
            docs.append(body.decode("utf-8"))
        self.assertIn("<CreditNote", docs[2])
        assert_valid_ubl(self, docs)

    def test_no_sales_access_no_files(self):
        p = self.customer()
        inv = self.issue(self.invoice(p["id"])["id"])
        none = self.user({"hr": "write"})
        for ext in ("pdf", "png", "xml"):
            self.problem("GET", "/api/v1/invoices/%d.%s" % (inv["id"], ext), None, 404,
                         token=none)


if __name__ == "__main__":
    unittest.main()
