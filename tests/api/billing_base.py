"""Shared set-up of the quote and invoice tests: the company settings, a customer
with an address, lines, and a server with a fixed clock (2026-12-06)."""

from clock import ClockTestCase
from harness import word

COMPANY = {
    "legal_name": "Voorbeeld Software B.V.", "street": "Oudegracht", "house_number": "123",
    "postcode": "3511 AB", "city": "Utrecht", "country": "NL", "kvk": "12345678",
    "vat": "NL000099998B57", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A",
    "email": "facturen@voorbeeld.nl", "phone": "+31302345678", "payment_days": 14,
}

LINES = [
    {"description": "Advies", "quantity": 1.5, "unit": "uur", "unit_price": 9500, "vat": "21"},
    {"description": "Boek", "quantity": 3, "unit_price": 1999, "vat": "9"},
    {"description": "Training", "quantity": 1, "unit_price": 50000, "discount_pct": 33.33,
     "vat": "exempt"},
]
# 21: 142.50 -> VAT 29.93 (29.925 rounded away from zero); 9: 59.97 -> 5.40; exempt 333.35
TOTALS = {"net": 14250 + 5997 + 33335,
          "vat": [{"rate": "21", "base": 14250, "amount": 2993},
                  {"rate": "9", "base": 5997, "amount": 540},
                  {"rate": "exempt", "base": 33335, "amount": 0}],
          "gross": 14250 + 5997 + 33335 + 2993 + 540}


class BillingCase(ClockTestCase):
    TODAY = "2026-12-06"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.server.client()
        status, _, body = c.req("PUT", "/api/v1/settings/company", COMPANY)
        c.close()
        if status != 200:
            raise RuntimeError("company settings: %s %s" % (status, body))

    def customer(self, name=None, vat=None, address=True, **kw):
        body = {"kind": "organization", "name": name or "Bakkerij Één " + word()}
        if address:
            body["addresses"] = [{"label": "work", "street": "Dorpsstraat",
                                  "house_number": "7", "postcode": "1234 AB",
                                  "city": "Ámsterdam", "country": "NL"}]
        if vat:
            body["vat"] = vat
        body.update(kw)
        return self.create_party(body)

    def quote(self, party, lines=None, token=None, **kw):
        body = {"party": party, "lines": LINES if lines is None else lines}
        body.update(kw)
        if token:
            return self.ok("POST", "/api/v1/quotes", body, 201, token=token)
        return self.ok("POST", "/api/v1/quotes", body, 201)

    def invoice(self, party, lines=None, token=None, **kw):
        body = {"party": party, "lines": LINES if lines is None else lines}
        body.update(kw)
        if token:
            return self.ok("POST", "/api/v1/invoices", body, 201, token=token)
        return self.ok("POST", "/api/v1/invoices", body, 201)

    def issue(self, iid, body=None, token=None):
        path = "/api/v1/invoices/%d/issue" % iid
        if token:
            return self.ok("POST", path, body, 200, token=token)
        return self.ok("POST", path, body, 200)
