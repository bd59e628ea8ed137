"""Invoice numbers are gapless and unique: 20 invoices issued by parallel requests
get 20 consecutive numbers, and a server killed with SIGKILL while issuing comes
back with no gap and no duplicate: every acknowledged number is there and the
next invoice gets the next number."""

import re
import threading
import unittest

from billing_base import COMPANY, LINES
from harness import Server, word

PARALLEL = 20


def seq(number):
    m = re.fullmatch(r"(\d{4})-(\d{4})", number)
    assert m, number
    return int(m.group(2))


class NumberingBase(unittest.TestCase):
    def start_server(self):
        self.srv = Server()
        self.addCleanup(self.srv.cleanup)
        self.srv.init().start()
        self.c = self.srv.client()
        self.addCleanup(lambda: self.c.close())
        st, _, body = self.c.req("PUT", "/api/v1/settings/company", COMPANY)
        self.assertEqual(st, 200, body)
        st, _, p = self.c.req("POST", "/api/v1/parties", {
            "kind": "organization", "name": "Numéro " + word(),
            "addresses": [{"street": "Markt", "house_number": "1", "postcode": "5611 AB",
                           "city": "Eindhoven", "country": "NL"}]})
        self.assertEqual(st, 201, p)
        self.party = p["id"]

    def drafts(self, n):
        ids = []
        for _ in range(n):
            st, _, inv = self.c.req("POST", "/api/v1/invoices",
                                    {"party": self.party, "lines": LINES[:1]})
            self.assertEqual(st, 201, inv)
            ids.append(inv["id"])
        return ids

    def issued_numbers(self):
        st, _, page = self.c.req("GET", "/api/v1/invoices?kind=invoice&limit=500")
        self.assertEqual(st, 200, page)
        return sorted(seq(i["number"]) for i in page["items"] if i["number"])


class ParallelIssueTest(NumberingBase):
    def test_parallel_issues_get_consecutive_numbers(self):
        self.start_server()
        ids = self.drafts(PARALLEL)
        numbers, errors = {}, []
        barrier = threading.Barrier(PARALLEL)

        def issue(iid):
            c = self.srv.client()
            try:
                barrier.wait(timeout=30)
                st, _, inv = c.req("POST", "/api/v1/invoices/%d/issue" % iid)
                if st != 200:
                    errors.append((iid, st, inv))
                else:
                    numbers[iid] = inv["number"]
            finally:
                c.close()

        threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        got = sorted(seq(n) for n in numbers.values())
        self.assertEqual(got, list(range(1, PARALLEL + 1)))
        self.assertEqual(self.issued_numbers(), got)


class CrashIssueTest(NumberingBase):
    def test_gapless_across_a_kill(self):
        self.start_server()
        ids = self.drafts(12)
        acked = {}
        stop = threading.Event()
        first_five = threading.Event()

        def issuer():
            c = self.srv.client()
            try:
                for iid in ids[:10]:
                    if stop.is_set():
                        return
                    try:
                        st, _, inv = c.req("POST", "/api/v1/invoices/%d/issue" % iid)
                    except Exception:  # the server died under the request
                        return
                    if st == 200:
                        acked[iid] = inv["number"]
                    if len(acked) >= 5:
                        first_five.set()
            finally:
                c.close()

        t = threading.Thread(target=issuer)
        t.start()
        self.assertTrue(first_five.wait(timeout=120))
        self.srv.kill()  # SIGKILL while the issuer may still be sending
        stop.set()
        t.join(timeout=60)
        self.srv.start()
        self.c.close()
        self.c = self.srv.client()
        numbers = self.issued_numbers()
        # no gap, no duplicate, every acknowledged number kept
        self.assertEqual(numbers, list(range(1, len(numbers) + 1)))
        for iid, number in acked.items():
            st, _, inv = self.c.req("GET", "/api/v1/invoices/%d" % iid)
            self.assertEqual(inv["number"], number)
        # the next issue continues the sequence
        left = [i for i in ids if i not in acked]
        for iid in left:
            st, _, inv = self.c.req("GET", "/api/v1/invoices/%d" % iid)
            if inv["status"] != "draft":
                continue
            st, _, inv = self.c.req("POST", "/api/v1/invoices/%d/issue" % iid)
            self.assertEqual(st, 200, inv)
            self.assertEqual(seq(inv["number"]), len(numbers) + 1)
            numbers.append(len(numbers) + 1)
        self.assertEqual(self.issued_numbers(), list(range(1, len(numbers) + 1)))


if __name__ == "__main__":
    unittest.main()
