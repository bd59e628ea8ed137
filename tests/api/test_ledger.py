"""The accountant's journal and ZIP, debtors with ageing, a party's open items and the
revenue per month, on invoices issued through the API with the clock at 6 December 2026."""

import io
import unittest
import zipfile

from harness import q
from ledger_base import LedgerCase, parse_csv
from ubl import assert_valid_ubl


class LedgerTest(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.built = False

    def setUp(self):
        # One set of invoices for the whole class (each test reads its own parties' rows).
        cls = type(self)
        if cls.built:
            return
        cls.built = True
        c = self.consumer()
        b = self.business()
        cls.c, cls.b = c["id"], b["id"]
        # October: the consumer, 21% (100.00 + 21.00), due 31 October
        cls.oct = self.issue(c["id"], (10000, "21"), date="2026-10-01")
        # November: the business, 21% and 9% lines, paid in part; then a second one credited
        cls.nov = self.issue(b["id"], (200000, "21"), (50000, "9"), date="2026-11-05")
        self.pay(cls.nov, 100000, "2026-11-20")
        cls.nov2 = self.issue(b["id"], (30000, "21"), date="2026-11-10")
        cls.cn = self.credit(cls.nov2)
        # December: the business, not yet due
        cls.dec = self.issue(b["id"], (40000, "0"), date="2026-12-01")

    def csv_of(self, path):
        st, hdrs, body = self.client.raw("GET", path)
        self.assertEqual(st, 200, path)
        self.assertTrue(hdrs.get("Content-Type", "").startswith("text/csv"))
        return parse_csv(body.decode("utf-8"))

    def test_journal_of_a_month_has_its_invoices_with_vat_per_rate(self):
        rows = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2026-11"))
        head = rows[0]
        self.assertEqual(head[:7], ["number", "date", "kind", "debtor_number", "customer",
                                    "customer_vat", "net"])
        # Columns per rate present in the period: 21 and 9 here, not 0.
        self.assertEqual(head[7:], ["base_21", "vat_21", "base_9", "vat_9", "gross"])
        by_number = {r[0]: dict(zip(head, r)) for r in rows[1:]}
        self.assertEqual(sorted(by_number), sorted([self.nov["number"], self.nov2["number"]]),
                         "October, December and the credit note (dated when issued, in "
                         "December) are not in November")
        nov = by_number[self.nov["number"]]
        self.assertEqual(nov["date"], "2026-11-05")
        self.assertEqual(nov["kind"], "invoice")
        self.assertEqual(nov["customer_vat"], "NL000099998B57")
        self.assertEqual(nov["debtor_number"], str(self.nov["buyer"]["debtor_number"]))
        self.assertEqual(nov["customer"], self.nov["buyer"]["name"])
        # 2000.00 at 21% (420.00) and 500.00 at 9% (45.00): 2965.00
        self.assertEqual((nov["net"], nov["base_21"], nov["vat_21"], nov["base_9"],
                          nov["vat_9"], nov["gross"]),
                         ("2500,00", "2000,00", "420,00", "500,00", "45,00", "2965,00"))

    def test_credit_notes_are_negative_in_the_journal(self):
        rows = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2026-12"))
        head = rows[0]
        self.assertEqual(head[7:], ["base_21", "vat_21", "base_0", "gross"])
        by_number = {r[0]: dict(zip(head, r)) for r in rows[1:]}
        cn = by_number[self.cn["number"]]
        self.assertEqual((cn["kind"], cn["date"]), ("credit_note", "2026-12-06"))
        self.assertEqual((cn["net"], cn["base_21"], cn["vat_21"], cn["base_0"], cn["gross"]),
                         ("-300,00", "-300,00", "-63,00", "0,00", "-363,00"))
        dec = by_number[self.dec["number"]]
        self.assertEqual((dec["net"], dec["base_21"], dec["base_0"], dec["gross"]),
                         ("400,00", "0,00", "400,00", "400,00"))
        # Negative amounts are numbers for Excel, not ="..." text cells.
        st, _, body = self.client.raw("GET", "/api/v1/accounting/journal.csv" +
                                      q(period="2026-12"))
        self.assertIn(';"-363,00"', body.decode("utf-8"))

    def test_journal_of_a_quarter_and_a_year(self):
        q4 = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2026-Q4"))
        self.assertIn("base_0", q4[0], "the 0% invoice of December brings its column")
        self.assertNotIn("vat_0", q4[0], "0% has no VAT column")
        numbers = [r[0] for r in q4[1:]]
        self.assertEqual(numbers, [self.oct["number"], self.nov["number"], self.nov2["number"],
                                   self.dec["number"], self.cn["number"]], "by date")
        year = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2026"))
        self.assertEqual([r[0] for r in year[1:]], numbers)
        empty = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2025"))
        self.assertEqual(len(empty), 1, "only the header in a year without invoices")

    def test_journal_period_is_checked(self):
        for bad in ("2026-13", "2026-Q5", "26", "november"):
            with self.subTest(period=bad):
                self.problem("GET", "/api/v1/accounting/journal.csv" + q(period=bad), status=400,
                             field="period")
        self.problem("GET", "/api/v1/accounting/journal.csv", status=400, field="period")

    def test_export_zip_holds_the_journal_and_the_debtors(self):
        st, hdrs, body = self.client.raw("GET",
                                         "/api/v1/accounting/export.zip" + q(period="2026-Q4"))
        self.assertEqual(st, 200)
        self.assertEqual(hdrs.get("Content-Type"), "application/zip")
        self.assertIn("attachment", hdrs.get("Content-Disposition", ""))
        z = zipfile.ZipFile(io.BytesIO(body))
        self.assertIn("journal.csv", z.namelist())
        self.assertIn("debtors.csv", z.namelist())
        journal = parse_csv(z.read("journal.csv").decode("utf-8"))
        same = self.csv_of("/api/v1/accounting/journal.csv" + q(period="2026-Q4"))
        self.assertEqual(journal, same)
        debtors = parse_csv(z.read("debtors.csv").decode("utf-8"))
        names = [r[1] for r in debtors[1:]]
        self.assertIn(self.oct["buyer"]["name"], names)

    def zip_of(self, period):
        st, hdrs, body = self.client.raw("GET", "/api/v1/accounting/export.zip" + q(period=period))
        self.assertEqual(st, 200)
        return zipfile.ZipFile(io.BytesIO(body))

    def test_export_zip_has_the_ubl_of_every_invoice_and_credit_note(self):
        z = self.zip_of("2026-Q4")
        journal = parse_csv(z.read("journal.csv").decode("utf-8"))
        numbers = [r[0] for r in journal[1:]]
        self.assertEqual(sorted(n for n in z.namelist() if n.endswith(".xml")),
                         sorted(n + ".xml" for n in numbers))
        cn = z.read(self.cn["number"] + ".xml").decode("utf-8")
        self.assertIn("<CreditNote", cn)
        self.assertIn("<cbc:ID>%s</cbc:ID>" % self.cn["number"], cn)
        nov = z.read(self.nov["number"] + ".xml").decode("utf-8")
        self.assertIn("<Invoice", nov)
        self.assertIn(">2965.00<", nov, "the gross as billing computed it")
        # A month holds only its own documents.
        self.assertEqual(sorted(n for n in self.zip_of("2026-10").namelist()),
                         sorted(["journal.csv", "debtors.csv", self.oct["number"] + ".xml"]))
        assert_valid_ubl(self, [z.read(n + ".xml") for n in numbers])

    def test_debtors_age_the_open_amounts(self):
        d = self.ok("GET", "/api/v1/debtors")
        self.assertEqual(d["today"], "2026-12-06")
        rows = {x["party"]: x for x in d["items"]}
        c = rows[self.c]
        # 121.00 due 31 October: 36 days late on 6 December
        self.assertEqual((c["count"], c["open"], c["days_31_60"], c["not_due"]), (1, 12100, 12100, 0))
        self.assertEqual(c["oldest_due"], "2026-10-31")
        self.assertEqual(c["debtor_number"], self.oct["buyer"]["debtor_number"])
        b = rows[self.b]
        # November: 2965.00 - 1000.00 paid, due 5 December: 1 day late; the credited one is
        # gone; December's 400.00 is not due yet.
        self.assertEqual((b["count"], b["open"], b["days_0_30"], b["not_due"]),
                         (2, 196500 + 40000, 196500, 40000))
        self.assertEqual(b["oldest_due"], "2026-12-05")
        self.assertGreaterEqual(d["totals"]["open"], c["open"] + b["open"])
        opens = [x["open"] for x in d["items"]]
        self.assertEqual(opens, sorted(opens, reverse=True), "largest open amount first")

    def test_open_items_of_a_party(self):
        o = self.ok("GET", "/api/v1/parties/%d/open-items" % self.b)
        self.assertEqual([x["number"] for x in o["items"]], [self.nov["number"],
                                                              self.dec["number"]])
        nov, dec = o["items"]
        self.assertEqual((nov["status"], nov["days_overdue"], nov["paid"], nov["open"]),
                         ("overdue", 1, 100000, 196500))
        self.assertEqual((dec["status"], dec["days_overdue"]), ("open", 0))
        self.assertEqual(o["open"], 196500 + 40000)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/open-items" % self.c)["open"], 12100)
        self.problem("GET", "/api/v1/parties/999999/open-items", status=404)

    def test_revenue_per_month_subtracts_credit_notes(self):
        r = self.ok("GET", "/api/v1/revenue" + q(months="3"))
        months = {m["month"]: m for m in r["months"]}
        self.assertEqual(list(months), ["2026-10", "2026-11", "2026-12"])
        self.assertEqual(months["2026-10"]["net"], 10000)
        self.assertEqual((months["2026-11"]["invoiced"], months["2026-11"]["credited"],
                          months["2026-11"]["net"]), (250000 + 30000, 0, 280000))
        # December: 400.00 invoiced, the credit note of 300.00 net (dated 6 December) off
        self.assertEqual((months["2026-12"]["invoiced"], months["2026-12"]["credited"],
                          months["2026-12"]["net"], months["2026-12"]["count"]),
                         (40000, 30000, 10000, 2))
        self.assertEqual(r["net"], 10000 + 280000 + 10000)
        self.assertEqual(len(self.ok("GET", "/api/v1/revenue")["months"]), 12, "default 12")
        self.problem("GET", "/api/v1/revenue" + q(months="0"), status=400, field="months")

    def test_without_sales_access_nothing_is_shown(self):
        hr = self.user({"hr": "full"})
        paths = ["/api/v1/debtors", "/api/v1/revenue",
                 "/api/v1/accounting/journal.csv" + q(period="2026"),
                 "/api/v1/accounting/export.zip" + q(period="2026"),
                 "/api/v1/parties/%d/open-items" % self.b]
        for path in paths:
            with self.subTest(path=path):
                self.problem("GET", path, status=403, token=hr)
        reader = self.user({"sales": "read"})
        for path in paths:
            with self.subTest(reader=path):
                st, _, _ = self.client.raw("GET", path, token=reader)
                self.assertEqual(st, 200)


if __name__ == "__main__":
    unittest.main()
