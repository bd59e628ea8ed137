"""The official EN 16931 validation of UBL invoices fetched over the API.

    from ubl import assert_valid_ubl
    assert_valid_ubl(self, [xml_bytes, ...])

writes the documents to a temporary directory and runs scripts/check-ubl.sh
over all of them in one JVM (Saxon-HE with the EN 16931 UBL XSLT); the test
fails with every fatal failed assertion (rule id and text) in its message.
Warnings do not fail. When java is missing (scripts/deps.sh test installs
it) the calling test is skipped with a message saying so.
"""

import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, "scripts", "check-ubl.sh")


def java_missing():
    """A reason to skip, or None when Java and Saxon-HE are there."""
    if shutil.which("java") is None:
        return "java is missing: scripts/deps.sh test installs default-jre-headless"
    jar = os.environ.get("XRM_SAXON_JAR", "/usr/share/java/Saxon-HE.jar")
    if not os.path.exists(jar):
        return "Saxon-HE is missing (%s): scripts/deps.sh test installs libsaxonhe-java" % jar
    return None


def validate_ubl(xml_list):
    """(ok, report text) of the validation of every document in xml_list (bytes or str)."""
    with tempfile.TemporaryDirectory(prefix="xrm-ubl-") as tmp:
        paths = []
        for i, xml in enumerate(xml_list, 1):
            path = os.path.join(tmp, "doc-%03d.xml" % i)
            with open(path, "wb") as f:
                f.write(xml.encode("utf-8") if isinstance(xml, str) else xml)
            paths.append(path)
        res = subprocess.run([CHECK] + paths, capture_output=True, text=True, timeout=600)
        return res.returncode == 0, (res.stdout + res.stderr).strip()


def assert_valid_ubl(testcase, xml_list):
    """Fails testcase unless every document passes EN 16931 without a fatal assertion."""
    xml_list = list(xml_list)
    testcase.assertTrue(xml_list, "assert_valid_ubl: no documents given")
    reason = java_missing()
    if reason:
        testcase.skipTest(reason)
    ok, report = validate_ubl(xml_list)
    testcase.assertTrue(ok, "EN 16931 validation failed:\n" + report)
    return report


def _amount(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def _esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def supplier_invoice(number, supplier="Leverancier B.V.", vat=None, kvk=None,
                     lines=(("Kantoorartikelen", 2, 1250, "21"),), date="2026-11-20",
                     due="2026-12-20", buyer="Voorbeeld Klant B.V.", city="Utrecht"):
    """A supplier's UBL 2.1 invoice (EN 16931 valid) as bytes: lines are
    (description, quantity, unit price in cents, rate "21" / "9" / "0").
    Returns (xml bytes, totals {net, vat: [{rate, base, amount}], gross})."""
    order = ["21", "9", "0"]
    bases = {}
    body = []
    for i, (desc, qty, price, rate) in enumerate(lines, 1):
        net = qty * price
        bases[rate] = bases.get(rate, 0) + net
        cat = "Z" if rate == "0" else "S"
        body.append(
            "<cac:InvoiceLine><cbc:ID>%d</cbc:ID>"
            "<cbc:InvoicedQuantity unitCode=\"H87\">%d</cbc:InvoicedQuantity>"
            "<cbc:LineExtensionAmount currencyID=\"EUR\">%s</cbc:LineExtensionAmount>"
            "<cac:Item><cbc:Name>%s</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>%s</cbc:ID>"
            "<cbc:Percent>%s</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
            "</cac:ClassifiedTaxCategory></cac:Item><cac:Price>"
            "<cbc:PriceAmount currencyID=\"EUR\">%s</cbc:PriceAmount></cac:Price>"
            "</cac:InvoiceLine>" % (i, qty, _amount(net), _esc(desc), cat, rate, _amount(price)))
    vat = vat or None
    subtotals, vats, tax = [], [], 0
    for rate in order:
        if rate not in bases:
            continue
        base = bases[rate]
        amount = (base * int(rate) + 50) // 100
        tax += amount
        vats.append({"rate": rate, "base": base, "amount": amount})
        subtotals.append(
            "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"EUR\">%s</cbc:TaxableAmount>"
            "<cbc:TaxAmount currencyID=\"EUR\">%s</cbc:TaxAmount><cac:TaxCategory>"
            "<cbc:ID>%s</cbc:ID><cbc:Percent>%s</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
            "</cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
            % (_amount(base), _amount(amount), "Z" if rate == "0" else "S", rate))
    net = sum(bases.values())
    party_tax = ("<cac:PartyTaxScheme><cbc:CompanyID>%s</cbc:CompanyID><cac:TaxScheme>"
                 "<cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>" % _esc(vat)
                 if vat else "")
    legal_id = ("<cbc:CompanyID schemeID=\"0106\">%s</cbc:CompanyID>" % _esc(kvk)) if kvk else ""
    xml = (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""
        " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
        " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
        "<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>"
        "<cbc:ID>%s</cbc:ID><cbc:IssueDate>%s</cbc:IssueDate><cbc:DueDate>%s</cbc:DueDate>"
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"
        "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
        "<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress>"
        "<cbc:StreetName>Industrieweg 1</cbc:StreetName><cbc:CityName>Amersfoort</cbc:CityName>"
        "<cbc:PostalZone>3821 AA</cbc:PostalZone><cac:Country>"
        "<cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
        "%s<cac:PartyLegalEntity><cbc:RegistrationName>%s</cbc:RegistrationName>%s"
        "</cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>"
        "<cac:AccountingCustomerParty><cac:Party><cac:PostalAddress>"
        "<cbc:CityName>%s</cbc:CityName><cac:Country>"
        "<cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
        "<cac:PartyLegalEntity><cbc:RegistrationName>%s</cbc:RegistrationName>"
        "</cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>"
        "<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">%s</cbc:TaxAmount>%s</cac:TaxTotal>"
        "<cac:LegalMonetaryTotal>"
        "<cbc:LineExtensionAmount currencyID=\"EUR\">%s</cbc:LineExtensionAmount>"
        "<cbc:TaxExclusiveAmount currencyID=\"EUR\">%s</cbc:TaxExclusiveAmount>"
        "<cbc:TaxInclusiveAmount currencyID=\"EUR\">%s</cbc:TaxInclusiveAmount>"
        "<cbc:PayableAmount currencyID=\"EUR\">%s</cbc:PayableAmount>"
        "</cac:LegalMonetaryTotal>%s</Invoice>\n"
        % (_esc(number), date, due, party_tax, _esc(supplier), legal_id, _esc(city),
           _esc(buyer), _amount(tax), "".join(subtotals), _amount(net), _amount(net),
           _amount(net + tax), _amount(net + tax), "".join(body)))
    return xml.encode("utf-8"), {"net": net, "vat": vats, "gross": net + tax}


def nl_vat(seed):
    """A valid Dutch BTW-id (elfproef) derived from the integer seed."""
    n = seed
    while True:
        digits = [int(c) for c in "%08d" % (n % 100000000)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
        if check < 10:
            return "NL%s%dB01" % ("".join(map(str, digits)), check)
        n += 1
