"""What the ledger and reminder tests share: a fixed-clock server with the company filled
in, customers (a consumer and a business), invoices issued through the API, and moving the
clock by restarting the server at another XRM_NOW on the same database."""

import csv
import io

from clock import ClockTestCase
from harness import word

COMPANY = {
    "legal_name": "Ledger Test B.V.", "street": "Stationsplein", "house_number": "1",
    "postcode": "3511 ED", "city": "Utrecht", "country": "NL", "kvk": "12345678",
    "vat": "NL000099998B57", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A",
    "email": "factuur@example.nl", "phone": "+31302000000", "payment_days": 30,
}


def wik(principal):
    """The WIK scale in cents, written out again for the tests (wik.c's table test has
    the hand-checked amounts)."""
    if principal <= 0:
        return 0
    brackets = [(250000, 150), (500000, 100), (1000000, 50), (20000000, 10), (None, 5)]
    milli, below = 0, 0
    for upto, rate in brackets:
        top = principal if upto is None else min(upto, principal)
        if top > below:
            milli += (top - below) * rate
        if upto is None or principal <= upto:
            break
        below = upto
    return min(max((milli + 500) // 1000, 4000), 677500)


def parse_csv(text):
    """The rows of a Dutch Excel CSV as lists of values (="x" text cells unwrapped)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        rows.append([v[2:-1] if v.startswith('="') and v.endswith('"') else v for v in row])
    return rows


class LedgerCase(ClockTestCase):
    NOW = "2026-12-06T09:00:00Z"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, js = cls.client.req("PUT", "/api/v1/settings/company", COMPANY)
        if st != 200:
            raise RuntimeError("company settings: %s %r" % (st, js))

    @classmethod
    def move_clock(cls, now):
        """Restarts the server on the same database with the clock standing at now."""
        cls.client.close()
        rc, err = cls.server.stop()
        if rc != 0:
            raise AssertionError("server exit code %r on restart; stderr:\n%s" % (rc, err[-3000:]))
        cls.server.env["XRM_NOW"] = now
        cls.server.start()
        cls.client = cls.server.client()

    def consumer(self, **attrs):
        """A person without a KvK number, with an address: a consumer buyer."""
        roles = [{"type": "customer", "status": "active", "attributes": attrs}] if attrs else []
        return self.create_party(
            force=True, given_name="Jan", family_name="Jansen " + word(4).capitalize(),
            addresses=[{"label": "home", "street": "Dorpsstraat", "house_number": "1",
                        "postcode": "1234 AB", "city": "Utrecht", "country": "NL"}],
            roles=roles)

    def business(self, **attrs):
        roles = [{"type": "customer", "status": "active", "attributes": attrs}] if attrs else []
        # the same KvK and BTW-id every time: a duplicate on purpose
        return self.create_party(
            force=True, kind="organization", name="Klant " + word(5).capitalize() + " B.V.",
            kvk="87654321", vat="NL000099998B57",
            addresses=[{"label": "billing", "street": "Kanaalweg", "house_number": "7",
                        "postcode": "3526 KL", "city": "Utrecht", "country": "NL"}],
            roles=roles)

    def draft(self, party, *lines, token=None):
        """A draft invoice of lines (unit_price cents, vat) for party."""
        body = {"party": party, "lines": [
            {"description": "Werk " + str(i + 1), "quantity": 1, "unit_price": price, "vat": vat}
            for i, (price, vat) in enumerate(lines)]}
        kw = {} if token is None else {"token": token}
        return self.ok("POST", "/api/v1/invoices", body, 201, **kw)

    def issue(self, party, *lines, date=None):
        """An issued invoice of lines for party, dated date (default: today)."""
        inv = self.draft(party, *lines)
        body = {"date": date} if date else None
        return self.ok("POST", "/api/v1/invoices/%d/issue" % inv["id"], body, 200)

    def pay(self, inv, amount, date):
        return self.ok("POST", "/api/v1/invoices/%d/payments" % inv["id"],
                       {"amount": amount, "date": date}, 201)

    def credit(self, inv):
        """A credit note of the whole invoice."""
        return self.ok("POST", "/api/v1/invoices/%d/credit" % inv["id"], None, 201)
