"""Purchase invoices: a supplier's UBL e-invoice uploaded into purchasing.

Matched to the supplier by BTW-id, else KvK, else stored unmatched; the same
file twice is refused; hostile XML (entity expansion, external entities, any
DOCTYPE) is refused and stores nothing; the original XML comes back as sent;
purchasing access decides (sales only: 403, purchasing write may).
"""

import random
import unittest

from harness import describe, q, word
from test_access import AccessBase
from ubl import assert_valid_ubl, nl_vat, supplier_invoice

PI = "/api/v1/purchase-invoices"
XML = {"Content-Type": "application/xml"}


class PurchaseInvoiceTest(AccessBase):

    def supplier(self, vat=None, kvk=None):
        body = {"kind": "organization", "name": "Leverancier " + word() + " B.V.",
                "roles": [{"type": "supplier"}]}
        if vat:
            body["vat"] = vat
        if kvk:
            body["kvk"] = kvk
        return self.create_party(**body)

    def upload(self, xml, status=201, token=None, headers=XML):
        st, _, js = self.client.req("POST", PI, xml, headers,
                                    token=self.tok["inkoop"] if token is None else token)
        self.assertEqual(st, status, describe(self.client))
        return js

    def count(self):
        return len(self.list_all(PI))

    def test_match_by_vat_and_the_original_back(self):
        vat = nl_vat(random.randrange(10**7, 10**8))
        sup = self.supplier(vat=vat)
        # the file writes the VAT id with dots and spaces, as suppliers do
        shown = vat[:2] + " " + vat[2:6] + "." + vat[6:]
        xml, totals = supplier_invoice("F-" + word(), supplier=sup["name"], vat=shown,
                                       lines=[("Schroeven", 3, 1250, "21"),
                                              ("Handboek", 1, 2995, "9"),
                                              ("Export", 2, 500, "0")])
        inv = self.upload(xml)
        self.assertEqual(inv["party"], sup["id"])
        self.assertEqual(inv["party_name"], sup["name"])
        self.assertEqual(inv["match"], "vat")
        self.assertEqual(inv["status"], "received")
        self.assertEqual(inv["kind"], "invoice")
        self.assertEqual(inv["supplier_vat"], shown)
        self.assertEqual(inv["totals"], totals)
        self.assertEqual((inv["net"], inv["gross"]), (totals["net"], totals["gross"]))
        self.assertEqual(inv["vat_total"], totals["gross"] - totals["net"])
        self.assertEqual([(l["description"], l["net"], l["vat"]) for l in inv["lines"]],
                         [("Schroeven", 3750, "21"), ("Handboek", 2995, "9"), ("Export", 1000, "0")])
        self.assertEqual(inv["date"], "2026-11-20")
        self.assertEqual(inv["due"], "2026-12-20")
        self.assertEqual(self.ok("GET", "%s/%d" % (PI, inv["id"]), token=self.tok["inkoop"]), inv)
        st, hdrs, raw = self.client.raw("GET", "%s/%d.xml" % (PI, inv["id"]),
                                        token=self.tok["inkoop"])
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("application/xml"))
        self.assertEqual(raw, xml)
        mine = self.ok("GET", PI + q(party=str(sup["id"])), token=self.tok["inkoop"])
        self.assertEqual([i["id"] for i in mine["items"]], [inv["id"]])
        # a note on the supplier's timeline, in purchasing (sales does not see it)
        notes = [a for a in self.timeline(sup["id"], "inkoop")
                 if inv["number"] in (a.get("subject") or "")]
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes[0]["domain"], "purchasing")
        self.assertIn("EUR 88,03", notes[0]["body"])  # 77,45 + VAT 7,88 + 2,70
        self.assertEqual([a for a in self.timeline(sup["id"], "verkoop")
                          if inv["number"] in (a.get("subject") or "")], [])
        # the file a supplier sends and the one given back pass the official rules
        assert_valid_ubl(self, [xml, raw])

    def test_match_by_kvk_when_the_vat_id_is_unknown(self):
        kvk = "%08d" % random.randrange(10**7, 10**8)
        sup = self.supplier(kvk=kvk)
        xml, _ = supplier_invoice("K-" + word(), vat=nl_vat(random.randrange(10**7, 10**8)),
                                  kvk=kvk)
        inv = self.upload(xml)
        self.assertEqual((inv["party"], inv["match"]), (sup["id"], "kvk"))
        self.assertEqual(inv["supplier_kvk"], kvk)

    def test_unmatched_then_linked_and_approved(self):
        xml, _ = supplier_invoice("N-" + word(), supplier="Onbekend " + word(),
                                  vat=nl_vat(random.randrange(10**7, 10**8)))
        inv = self.upload(xml)
        self.assertIsNone(inv["party"])
        self.assertIsNone(inv["party_name"])
        self.assertEqual(inv["match"], "none")
        sup = self.supplier()
        path = "%s/%d" % (PI, inv["id"])
        got = self.ok("PATCH", path, {"party": sup["id"], "status": "approved"},
                      token=self.tok["inkoop"])
        self.assertEqual((got["party"], got["match"], got["status"]),
                         (sup["id"], "manual", "approved"))
        self.assertEqual(got["version"], inv["version"] + 1)
        self.problem("PATCH", path, {"status": "betaald"}, 422, field="status",
                     token=self.tok["inkoop"])
        self.problem("PATCH", path, {"party": 999999999}, 422, field="party",
                     token=self.tok["inkoop"])
        paid = self.ok("PATCH", path, {"status": "paid"}, token=self.tok["inkoop"])
        self.assertEqual(paid["status"], "paid")
        listed = self.ok("GET", PI + q(status="paid"), token=self.tok["inkoop"])["items"]
        self.assertIn(inv["id"], [i["id"] for i in listed])
        self.assertTrue(all(i["status"] == "paid" for i in listed))

    def test_the_same_file_twice_is_refused(self):
        xml, _ = supplier_invoice("D-" + word())
        first = self.upload(xml)
        before = self.count()
        p = self.upload(xml, 409)
        self.assertIn(str(first["id"]), p["errors"][0]["message"])
        self.assertEqual(self.count(), before)

    def test_hostile_xml_is_refused_and_nothing_stored(self):
        before = self.count()
        laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
                  b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
                  b'<ID>&lol2;</ID></Invoice>')
        xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
               b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
               b'<ID>&xxe;</ID></Invoice>')
        good, _ = supplier_invoice("H-" + word())
        doctype = good.replace(b"<Invoice ", b'<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/x.dtd">'
                                             b"<Invoice ", 1)
        for name, body in (("billion laughs", laughs), ("XXE", xxe), ("DOCTYPE", doctype)):
            with self.subTest(name):
                p = self.upload(body, 422)
                self.assertEqual(p["errors"][0]["field"], "body")
                self.assertIn("DOCTYPE", p["errors"][0]["message"])
        p = self.upload(b"<html><body>factuur</body></html>", 422)
        self.assertIn("not a UBL Invoice or CreditNote", p["errors"][0]["message"])
        self.upload(b"<Invoice><unclosed></Invoice>", 422)
        self.upload(b"", 422)
        # a JSON or form body is not an upload
        self.upload(good, 415, headers={"Content-Type": "application/json"})
        self.upload(good, 415, headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(self.count(), before)

    def test_dutch_messages(self):
        p = self.upload(b"<html/>", 422, headers=dict(XML, **{"Accept-Language": "nl"}))
        self.assertIn("is geen UBL-factuur", p["errors"][0]["message"])

    def test_access_purchasing_only(self):
        xml, _ = supplier_invoice("A-" + word())
        # sales only: no upload, no list, and a single one is not there
        self.upload(xml, 403, token=self.tok["verkoop"])
        inv = self.upload(xml)  # inkoop (purchasing write) may
        st, _, _ = self.client.req("GET", PI, token=self.tok["verkoop"])
        self.assertEqual(st, 403)
        for path in ("%s/%d" % (PI, inv["id"]), "%s/%d.xml" % (PI, inv["id"])):
            st, _, _ = self.client.req("GET", path, token=self.tok["verkoop"])
            self.assertEqual(st, 404, path)
        st, _, _ = self.client.req("PATCH", "%s/%d" % (PI, inv["id"]), {"status": "paid"},
                                   token=self.tok["verkoop"])
        self.assertIn(st, (403, 404))
        self.assertEqual(self.ok("GET", "%s/%d" % (PI, inv["id"]))["status"], "received")


if __name__ == "__main__":
    unittest.main()
