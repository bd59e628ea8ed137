"""Overdue invoices and reminders on a fixed clock: the overdue scan makes one task per
overdue invoice (API, CLI), the first reminder of a consumer is the WIK 14-day letter, and
collection costs come only after its pay-by date (a business buyer's after any reminder).
Time moves by restarting the server at a later XRM_NOW on the same database."""

import unittest

from harness import run_cli
from ledger_base import LedgerCase, wik

H_NL = {"Accept-Language": "nl"}
H_EN = {"Accept-Language": "en"}


class RemindersTest(LedgerCase):
    NOW = "2026-12-06T09:00:00Z"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writer = None

    def setUp(self):
        if type(self).writer is None:
            type(self).writer = self.user({"sales": "write"})

    def remind(self, inv, kind=None, headers=None, status=201, token=None):
        body = {"kind": kind} if kind else None
        tok = self.writer if token is None else token
        return self.ok("POST", "/api/v1/invoices/%d/reminders" % inv["id"], body, status,
                       headers=headers, token=tok)

    def refused(self, inv, kind=None, status=409, headers=None, token=None):
        body = {"kind": kind} if kind else None
        tok = self.writer if token is None else token
        return self.problem("POST", "/api/v1/invoices/%d/reminders" % inv["id"], body,
                            status=status, headers=headers, token=tok)

    def letters(self, party):
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % party)["items"]
        return [a for a in tl if a["type"] == "letter"]

    def test_a_consumer_gets_the_14_day_letter_then_collection_costs_after_its_term(self):
        c = self.consumer()
        # 250.00 + 21% = 302.50, dated 1 October: due 31 October
        inv = self.issue(c["id"], (25000, "21"), date="2026-10-01")
        self.assertEqual(inv["open"], 30250)
        self.refused(inv, "collection")  # no 14-day letter yet
        r = self.remind(inv, headers=H_NL)
        self.assertEqual(r["kind"], "fourteen_day_letter")
        self.assertEqual((r["level"], r["date"]), (1, "2026-12-06"))
        # 14 days after the day after sending
        self.assertEqual(r["pay_by"], "2026-12-21")
        self.assertEqual(r["costs"], wik(30250))
        self.assertEqual(r["costs"], 4538, "15% of 302.50 = 45.375, rounded half up")
        # The letter is on the party's timeline, in Dutch, naming the costs and the date.
        letters = self.letters(c["id"])
        self.assertEqual([a["id"] for a in letters], [r["activity"]])
        self.assertEqual(letters[0]["domain"], "sales")
        body = letters[0]["body"]
        self.assertIn("€ 45,38", body)
        self.assertIn("€ 302,50", body)
        self.assertIn("21-12-2026", body)
        self.assertIn("14 dagen", body)
        self.assertIn(inv["number"], letters[0]["subject"])
        # Before and on the pay-by date: no collection costs, with a message that says from when.
        p = self.refused(inv, "collection", headers=H_NL)
        self.assertIn("2026-12-22", p["detail"])
        self.assertIn("veertiendagenbrief", p["detail"])
        lst = self.ok("GET", "/api/v1/invoices/%d/reminders" % inv["id"])
        self.assertEqual(lst["collection"], {"allowed": False, "from": "2026-12-22",
                                             "costs": 4538})
        self.move_clock("2026-12-21T16:00:00Z")
        try:
            self.refused(inv, "collection")
            self.move_clock("2026-12-22T08:00:00Z")
            self.assertTrue(self.ok("GET", "/api/v1/invoices/%d/reminders"
                                    % inv["id"])["collection"]["allowed"])
            col = self.remind(inv, "collection", headers=H_EN)
            self.assertEqual((col["kind"], col["level"], col["costs"]), ("collection", 2, 4538))
            self.assertIn("€45.38", col["body"])
            self.assertIn("€347.88", col["body"], "open plus costs")
            lst = self.ok("GET", "/api/v1/invoices/%d/reminders" % inv["id"])
            self.assertEqual((lst["reminder_level"], lst["collection_costs"]), (2, 4538))
            self.assertEqual([x["kind"] for x in lst["items"]],
                             ["fourteen_day_letter", "collection"])
            self.assertEqual(self.ok("GET", "/api/v1/invoices/%d" % inv["id"])["reminder_level"],
                             2)
            # Charged once only; a further reminder is a plain one.
            self.refused(inv, "collection")
            again = self.remind(inv)
            self.assertEqual((again["kind"], again["level"], again["costs"]), ("reminder", 3, 0))
            self.assertEqual(len(self.letters(c["id"])), 3)
        finally:
            self.move_clock(self.NOW)

    def test_a_business_pays_collection_costs_after_any_reminder(self):
        b = self.business()
        # 3000.00 at 0%: the scale gives 375 + 10% of 500 = 425.00
        inv = self.issue(b["id"], (300000, "0"), date="2026-10-15")
        p = self.refused(inv, "collection")
        self.assertIn("reminder", p["detail"])
        r = self.remind(inv, headers=H_EN)
        self.assertEqual(r["kind"], "reminder", "no 14-day letter for a business")
        self.assertIn("Payment reminder", r["subject"])
        self.assertIn("€425.00", r["body"], "the costs that may follow are named")
        col = self.remind(inv, "collection")
        self.assertEqual((col["kind"], col["costs"], col["level"]), ("collection", 42500, 2))
        self.assertEqual(col["costs"], wik(300000))

    def test_only_open_invoices_get_reminders(self):
        b = self.business()
        paid = self.issue(b["id"], (10000, "21"), date="2026-11-01")
        self.pay(paid, paid["open"], "2026-11-15")
        self.refused(paid)
        draft = self.draft(b["id"], (10000, "21"))
        self.refused(draft)
        inv = self.issue(b["id"], (10000, "21"), date="2026-11-02")
        cn = self.credit(inv)
        self.refused(cn)
        self.refused(inv, status=409)  # credited
        self.problem("POST", "/api/v1/invoices/999999/reminders", None, status=404,
                     token=self.writer)
        self.problem("POST", "/api/v1/invoices/%d/reminders" % inv["id"], {"kind": "boze"},
                     status=422, field="kind", token=self.writer)
        self.assertEqual(self.letters(b["id"]), [], "nothing was written")

    def test_reminders_need_sales_write(self):
        c = self.consumer()
        inv = self.issue(c["id"], (10000, "21"), date="2026-10-01")
        reader = self.user({"sales": "read"})
        self.refused(inv, status=403, token=reader)
        self.refused(inv, status=403, token=self.user({"hr": "full"}))
        self.assertEqual(self.ok("GET", "/api/v1/invoices/%d/reminders" % inv["id"],
                                 token=reader)["items"], [])
        self.problem("GET", "/api/v1/invoices/%d/reminders" % inv["id"], status=403,
                     token=self.user({"hr": "full"}))

    def test_the_overdue_scan_makes_one_task_per_overdue_invoice(self):
        manager = self.ok("GET", "/api/v1/session", token=self.writer)["user"]["id"]
        c = self.consumer(account_manager=manager)
        late = self.issue(c["id"], (10000, "21"), date="2026-10-01")  # due 31 October
        b = self.business()
        early = self.issue(b["id"], (10000, "21"), date="2026-11-20")  # due 20 December
        scan = self.ok("POST", "/api/v1/invoices/overdue-scan", None, 200)
        self.assertEqual(scan["today"], "2026-12-06")
        mine = [t for t in scan["tasks"] if t["invoice"] == late["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["assignee"], manager, "the customer's account manager")
        self.assertNotIn(early["id"], [t["invoice"] for t in scan["tasks"]], "not yet due")
        tasks = [a for a in self.ok("GET", "/api/v1/parties/%d/timeline" % c["id"])["items"]
                 if a["type"] == "task"]
        self.assertEqual(len(tasks), 1)
        t = tasks[0]
        self.assertEqual(t["subject"], "Factuur %s is vervallen" % late["number"])
        self.assertEqual((t["domain"], t["assignee"], t["due"], t["done"]),
                         ("sales", manager, "2026-12-06", False))
        # The next scan leaves it alone.
        again = self.ok("POST", "/api/v1/invoices/overdue-scan", None, 200)
        self.assertNotIn(late["id"], [x["invoice"] for x in again["tasks"]])
        # Administrators only.
        self.problem("POST", "/api/v1/invoices/overdue-scan", None, status=403,
                     token=self.writer)
        # Later, on the CLI with its own clock: the second invoice is overdue by then.
        r = run_cli(self.server.binary, "invoices", "overdue", "--db", self.server.db,
                    env_extra={"XRM_NOW": "2026-12-21T09:00:00Z"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("invoice %s: task" % early["number"], r.stdout)
        self.assertNotIn("invoice %s: task" % late["number"], r.stdout)
        self.assertIn("(today 2026-12-21, from XRM_NOW)", r.stdout)
        b_tasks = [a for a in self.ok("GET", "/api/v1/parties/%d/timeline" % b["id"])["items"]
                   if a["type"] == "task"]
        self.assertEqual([x["subject"] for x in b_tasks],
                         ["Factuur %s is vervallen" % early["number"]])
        # No account manager: whoever made the invoice.
        self.assertIsNotNone(b_tasks[0]["assignee"])
        # And daily in xrm serve, as a job of the scheduler.
        jobs = {j["name"]: j for j in self.ok("GET", "/api/v1/jobs")["items"]}
        self.assertEqual(jobs["invoice-overdue"]["period"], "daily")


if __name__ == "__main__":
    unittest.main()
