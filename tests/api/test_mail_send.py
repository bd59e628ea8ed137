"""E-mail sending against a real SMTP server (aiosmtpd, tests/api/smtpsink.py):
POST /api/v1/emails queues one mail per recipient in the outbox and logs an
email activity on the recipient's timeline; the outbox worker of xrm serve
delivers it. Checked here: the headers (From, To with display names, Subject
RFC 2047 with Dutch characters, Message-ID, Date), the MIME structure (text
quoted-printable UTF-8, an invoice's PDF base64 in multipart/mixed, read back
by pdftotext), threading headers on a reply on a case, templates rendered in
Dutch and English (salutation), 403 without write access in the domain,
retries with back-off after temporary refusals, a permanent refusal marked
failed and sent again on retry, and the crash test: mails queued, the server
killed with SIGKILL, each mail delivered exactly once after the restart."""

import os
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from billing_base import COMPANY, LINES
from clock import MailTestCase
from harness import PG_URL, word

NOW = "2026-12-06T09:00:00Z"
FROM = "Verkoop Voorbeeld <verkoop@voorbeeld.test>"
PUBLIC = "https://crm.voorbeeld.test"


class MailCase(MailTestCase):
    """A server at NOW sending through its own SMTP sink (retries after 1 s)."""

    NOW = NOW
    SMTP = True

    MAIL_ENV = {"XRM_MAIL_FROM": FROM, "XRM_PUBLIC_URL": PUBLIC, "XRM_MAIL_RETRY_SECONDS": "1"}

    def person(self, **fields):
        family = fields.pop("family_name", "Vries" + word(4))
        body = dict({"kind": "person", "given_name": "Zoë", "family_prefix": "de",
                     "family_name": family}, **fields)
        if "emails" not in body:
            body["emails"] = [{"label": "work", "value": "%s@klant.test" % word(10).lower()}]
        return self.create_party(body)

    def send(self, body, status=201, token=None):
        kw = {} if token is None else {"token": token}
        return self.ok("POST", "/api/v1/emails", body, status, **kw)

    def mail_for(self, message_id, timeout=60):
        """The one mail the sink received with this Message-ID (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            got = [m for m in self.sink.messages() if m["Message-ID"] == "<%s>" % message_id]
            if got or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(len(got), 1, "mails with Message-ID %s" % message_id)
        return got[0]

    def mail_to(self, address, timeout=60):
        """The one mail the sink received for address (waits for it)."""
        deadline = time.monotonic() + timeout
        while True:
            got = [m for m in self.sink.messages() if m["X-Sink-Rcpt"].strip() == address]
            if got or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(len(got), 1, "mails to %s" % address)
        return got[0]

    def outbox_row(self, outbox_id):
        for m in self.list_all("/api/v1/outbox"):
            if m["id"] == outbox_id:
                return m
        self.fail("outbox mail %d not listed" % outbox_id)

    def wait_status(self, outbox_id, status, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            row = self.outbox_row(outbox_id)
            if row["status"] == status or time.monotonic() > deadline:
                return row
            time.sleep(0.2)


class SendTest(MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.server.client()
        status, _, body = c.req("PUT", "/api/v1/settings/company", COMPANY)
        c.close()
        if status != 200:
            raise RuntimeError("company settings: %s %s" % (status, body))

    def test_party_mail_headers_dutch_text_and_timeline(self):
        p = self.person(custom={"gender": "vrouw"})
        out = self.send({"to": [p["id"]], "domain": "sales",
                         "subject": "Offerte voor café {{name}} – één vraag",
                         "body": "{{salutation}}\n\nÉén vraag over uw café in Zoeterwoude: "
                                 "kost het € 12,50?\n\nMet vriendelijke groet,\n{{sender}}\n",
                         "lang": "nl"})
        self.assertEqual(out["skipped"], [])
        self.assertEqual(len(out["items"]), 1)
        item = out["items"][0]
        self.assertEqual(item["party"], p["id"])
        self.assertEqual(item["to"], p["emails"][0]["value"])
        msg = self.mail_for(item["message_id"])
        # envelope and headers
        self.assertEqual(msg["X-Sink-Rcpt"].strip(), p["emails"][0]["value"])
        self.assertEqual(msg["X-Sink-From"].strip(), "verkoop@voorbeeld.test")
        self.assertEqual(msg["Subject"], "Offerte voor café %s – één vraag" % p["name"])
        self.assertEqual(msg["To"].addresses[0].display_name, p["name"])
        self.assertEqual(msg["To"].addresses[0].addr_spec, p["emails"][0]["value"])
        self.assertEqual(msg["From"].addresses[0].display_name, "Verkoop Voorbeeld")
        self.assertTrue(item["message_id"].endswith("@voorbeeld.test"), item["message_id"])
        self.assertIsNotNone(msg["Date"].datetime)
        self.assertIsNone(msg["In-Reply-To"])
        self.assertIsNone(msg["List-Unsubscribe"])
        # the raw subject is RFC 2047 encoded, never 8-bit
        raw = open(self.raw_path(item["message_id"]), "rb").read()
        subject_line = [line for line in raw.split(b"\r\n") if line.startswith(b"Subject:")][0]
        self.assertIn(b"=?UTF-8?", subject_line.upper().replace(b"?Q?", b"?B?") or subject_line)
        self.assertTrue(all(b < 128 for b in raw), "the message is 7-bit")
        # text/plain UTF-8 quoted-printable, rendered for the recipient
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertEqual(msg["Content-Transfer-Encoding"], "quoted-printable")
        text = msg.get_content().replace("\r\n", "\n")
        self.assertTrue(text.startswith("Geachte mevrouw De %s,\n" % p["family_name"]), text)
        self.assertIn("Één vraag over uw café in Zoeterwoude: kost het € 12,50?", text)
        # the email activity on the party's timeline, in the domain sent from
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % p["id"])["items"]
        act = [a for a in tl if a["id"] == item["activity"]]
        self.assertEqual(len(act), 1)
        self.assertEqual(act[0]["type"], "email")
        self.assertEqual(act[0]["domain"], "sales")
        self.assertEqual(act[0]["subject"], msg["Subject"])
        # ... with the Message-ID of the mail it logs, sent from xrm
        self.assertEqual(act[0]["message_id"], item["message_id"])
        self.assertEqual(act[0]["direction"], "out")
        # the outbox shows it sent, with its Message-ID
        row = self.wait_status(item["outbox"], "sent")
        self.assertEqual(row["message_id"], item["message_id"])
        self.assertEqual(row["attempts"], 1)
        self.assertEqual(row["to"], p["emails"][0]["value"])

    def raw_path(self, message_id):
        box = os.path.join(self.sink.maildir, "new")
        for name in os.listdir(box):
            path = os.path.join(box, name)
            with open(path, "rb") as f:
                if ("<%s>" % message_id).encode() in f.read():
                    return path
        self.fail("no raw mail %s" % message_id)

    def test_skipped_without_address_and_bad_input(self):
        with_mail = self.person()
        without = self.person(emails=[])
        out = self.send({"to": [with_mail["id"], without["id"], with_mail["id"]],
                         "domain": "sales", "subject": "Hallo", "body": "Hallo {{first_name}}"})
        self.assertEqual([i["party"] for i in out["items"]], [with_mail["id"]])
        self.assertEqual(out["skipped"], [{"party": without["id"], "reason": "no_email"}])
        text = self.mail_for(out["items"][0]["message_id"]).get_content()
        self.assertIn("Hallo Zoë", text)
        before = len(self.list_all("/api/v1/outbox"))
        self.problem("POST", "/api/v1/emails", {"to": [], "domain": "sales", "subject": "x",
                                                "body": "x"}, 422, field="to")
        self.problem("POST", "/api/v1/emails", {"to": [with_mail["id"]], "domain": "sales",
                                                "body": "x"}, 422, field="subject")
        self.problem("POST", "/api/v1/emails", {"to": [with_mail["id"]], "domain": "verkoop",
                                                "subject": "x", "body": "x"}, 422, field="domain")
        self.problem("POST", "/api/v1/emails", {"to": [99999999], "domain": "sales",
                                                "subject": "x", "body": "x"}, 422, field="to")
        self.problem("POST", "/api/v1/emails", {"to": [with_mail["id"]], "domain": "sales",
                                                "subject": "x", "body": "x",
                                                "record": "deal:1"}, 422, field="record")
        self.assertEqual(len(self.list_all("/api/v1/outbox")), before, "bad input sends nothing")

    def test_no_write_access_in_domain_is_403(self):
        p = self.person()
        reader = self.user({"sales": "read", "hr": "write"})
        before = len(self.list_all("/api/v1/outbox"))
        self.problem("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                "subject": "x", "body": "x"}, 403, token=reader)
        self.assertEqual(len(self.list_all("/api/v1/outbox")), before)
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % p["id"])["items"]
        self.assertEqual([a for a in tl if a["type"] == "email"], [])
        # the same user may mail in the domain it writes (hr)
        out = self.send({"to": [p["id"]], "domain": "hr", "subject": "Gesprek",
                         "body": "Tot morgen"}, token=reader)
        self.assertEqual(len(out["items"]), 1)
        # the outbox and the settings are for administrators
        self.problem("GET", "/api/v1/outbox", status=403, token=reader)
        self.problem("GET", "/api/v1/settings/mail", status=403, token=reader)
        s = self.ok("GET", "/api/v1/settings/mail")
        self.assertEqual(s, {"smtp": True, "from": FROM, "public_url": PUBLIC})

    def test_templates_rendered_in_dutch_and_english(self):
        items = self.ok("GET", "/api/v1/mail-templates")["items"]
        keys = {(t["key"], t["lang"]) for t in items if t["builtin"]}
        for key in ("general", "case_reply", "quote", "invoice", "reminder", "press_release",
                    "newsletter"):
            self.assertIn((key, "nl"), keys)
            self.assertIn((key, "en"), keys)
        general_en = self.ok("GET", "/api/v1/mail-templates?key=general&lang=en")["items"]
        self.assertEqual(len(general_en), 1)
        mr = self.person(given_name="Jan", family_prefix=None, family_name="Jansen" + word(4),
                         custom={"gender": "m"})
        informal = self.person(given_name="Piet", custom={"informal": True})
        unknown = self.person(given_name="Kim", family_prefix="van der", family_name="Berg")
        org = self.create_party({"kind": "organization", "name": "Café De Zon " + word(4),
                                 "emails": [{"label": "work", "value": word(8) + "@zon.test"}]})
        # preview: the same template for each kind of salutation
        tid = general_en[0]["id"]
        pv = self.ok("POST", "/api/v1/mail-templates/%d/preview" % tid, {"party": mr["id"]})
        self.assertTrue(pv["body"].startswith("Dear Mr %s," % mr["family_name"]), pv["body"])
        self.assertIn("Kind regards,", pv["body"])
        nl = self.ok("GET", "/api/v1/mail-templates?key=general&lang=nl")["items"][0]
        cases = [(mr, "Geachte heer %s," % mr["family_name"]),
                 (informal, "Beste Piet,"),
                 (unknown, "Geachte Kim van der Berg,"),
                 (org, "Geachte heer, mevrouw,")]
        for party, expected in cases:
            pv = self.ok("POST", "/api/v1/mail-templates/%d/preview" % nl["id"],
                         {"party": party["id"]})
            self.assertTrue(pv["body"].startswith(expected + "\n"), (expected, pv["body"]))
            self.assertIn("Met vriendelijke groet,", pv["body"])
        # sending by template: subject and body from it, rendered per recipient
        out = self.send({"to": [mr["id"], unknown["id"]], "domain": "sales", "template": tid})
        self.assertEqual(len(out["items"]), 2)
        texts = [self.mail_for(i["message_id"]).get_content() for i in out["items"]]
        self.assertTrue(texts[0].startswith("Dear Mr %s," % mr["family_name"]), texts[0])
        self.assertTrue(texts[1].startswith("Dear Kim van der Berg,"), texts[1])
        self.assertNotIn("{{", texts[0] + texts[1])
        # an own subject wins over the template's
        out = self.send({"to": [informal["id"]], "domain": "sales", "template": nl["id"],
                         "subject": "Even bijpraten, {{first_name}}?"})
        msg = self.mail_for(out["items"][0]["message_id"])
        self.assertEqual(msg["Subject"], "Even bijpraten, Piet?")
        self.assertTrue(msg.get_content().startswith("Beste Piet,"), msg.get_content())

    def test_template_admin(self):
        admin_only = self.user({"sales": "write"})
        body = {"key": "followup", "lang": "nl", "name": "Nabellen",
                "subject": "Ons gesprek", "body": "{{salutation}}\n\nNaar aanleiding van ..."}
        self.problem("POST", "/api/v1/mail-templates", body, 403, token=admin_only)
        t = self.ok("POST", "/api/v1/mail-templates", body, 201)
        self.assertFalse(t["builtin"])
        self.problem("POST", "/api/v1/mail-templates", body, 409, field="key")
        self.problem("POST", "/api/v1/mail-templates", dict(body, key="Follow Up!"), 422,
                     field="key")
        # any user sees the list (compose), only admins one template
        listed = self.ok("GET", "/api/v1/mail-templates?key=followup", token=admin_only)["items"]
        self.assertEqual([x["id"] for x in listed], [t["id"]])
        self.problem("GET", "/api/v1/mail-templates/%d" % t["id"], status=403, token=admin_only)
        t2 = self.ok("PATCH", "/api/v1/mail-templates/%d" % t["id"], {"name": "Nabellen 2"})
        self.assertEqual(t2["name"], "Nabellen 2")
        self.ok("DELETE", "/api/v1/mail-templates/%d" % t["id"], status=204)
        # built-in: editable, not deletable, key and language fixed
        b = self.ok("GET", "/api/v1/mail-templates?key=reminder&lang=nl")["items"][0]
        self.problem("DELETE", "/api/v1/mail-templates/%d" % b["id"], status=409)
        self.problem("PATCH", "/api/v1/mail-templates/%d" % b["id"], {"lang": "en"}, 422,
                     field="lang")
        b2 = self.ok("PATCH", "/api/v1/mail-templates/%d" % b["id"],
                     {"subject": "Tweede herinnering: factuur {{number}}"})
        self.assertEqual(b2["subject"], "Tweede herinnering: factuur {{number}}")
        self.assertTrue(b2["builtin"])

    def test_invoice_pdf_attached(self):
        cust = self.create_party({"kind": "organization", "name": "Bakkerij Één " + word(4),
                                  "emails": [{"label": "work", "value": word(8) + "@bakker.test"}],
                                  "addresses": [{"label": "work", "street": "Dorpsstraat",
                                                 "house_number": "7", "postcode": "1234 AB",
                                                 "city": "Utrecht", "country": "NL"}]})
        inv = self.ok("POST", "/api/v1/invoices", {"party": cust["id"], "lines": LINES}, 201)
        # a draft cannot be sent
        before = len(self.list_all("/api/v1/outbox"))
        tmpl = self.ok("GET", "/api/v1/mail-templates?key=invoice&lang=nl")["items"][0]
        self.problem("POST", "/api/v1/emails", {"to": [cust["id"]], "domain": "sales",
                                                "template": tmpl["id"],
                                                "record": "invoice:%d" % inv["id"]}, 409)
        self.assertEqual(len(self.list_all("/api/v1/outbox")), before)
        inv = self.ok("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 200)
        out = self.send({"to": [cust["id"]], "domain": "sales", "template": tmpl["id"],
                         "record": "invoice:%d" % inv["id"], "lang": "nl"})
        msg = self.mail_for(out["items"][0]["message_id"])
        self.assertEqual(msg["Subject"], "Factuur %s" % inv["number"])
        self.assertEqual(msg.get_content_type(), "multipart/mixed")
        parts = list(msg.iter_parts())
        self.assertEqual([p.get_content_type() for p in parts], ["text/plain", "application/pdf"])
        text = parts[0].get_content()
        self.assertTrue(text.startswith("Geachte heer, mevrouw,"), text)
        gross = inv["totals"]["gross"]
        euros = "{:,}".format(gross // 100).replace(",", ".")
        self.assertIn("factuur %s voor een bedrag van € %s,%02d" % (inv["number"], euros,
                                                                     gross % 100), text)
        due = inv["due"]
        self.assertIn("uiterlijk %s-%s-%s" % (due[8:10], due[5:7], due[0:4]), text)
        # the template's preview against this invoice reads the same as the mail sent
        pv = self.ok("POST", "/api/v1/mail-templates/%d/preview" % tmpl["id"],
                     {"party": cust["id"], "record": "invoice:%d" % inv["id"]})
        self.assertEqual(pv["subject"], msg["Subject"])
        self.assertEqual(pv["body"].strip(), text.replace("\r\n", "\n").strip())
        pdf = parts[1]
        self.assertEqual(pdf["Content-Transfer-Encoding"], "base64")
        self.assertEqual(pdf.get_filename(), "factuur-%s.pdf" % inv["number"])
        data = pdf.get_content()
        self.assertTrue(data.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            txt = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True,
                                 check=True).stdout
        self.assertIn(inv["number"], txt)
        self.assertIn("Bakkerij Één", txt)

    def test_quote_draft_is_sent_with_accept_link(self):
        cust = self.create_party({"kind": "organization", "name": "Zoë's Café " + word(4),
                                  "emails": [{"label": "work", "value": word(8) + "@cafe.test"}]})
        q = self.ok("POST", "/api/v1/quotes", {"party": cust["id"], "lines": LINES}, 201)
        self.assertEqual(q["status"], "draft")
        tmpl = self.ok("GET", "/api/v1/mail-templates?key=quote&lang=en")["items"][0]
        out = self.send({"to": [cust["id"]], "domain": "sales", "template": tmpl["id"],
                         "record": "quote:%d" % q["id"], "lang": "en"})
        msg = self.mail_for(out["items"][0]["message_id"])
        self.assertEqual(msg["Subject"], "Quote %s" % q["number"])
        text = list(msg.iter_parts())[0].get_content()
        link = [w for w in text.split() if w.startswith(PUBLIC + "/accept/")]
        self.assertEqual(len(link), 1, text)
        self.assertEqual(self.ok("GET", "/api/v1/quotes/%d" % q["id"])["status"], "sent")
        token = link[0].rsplit("/", 1)[1]
        pub = self.ok("GET", "/api/v1/public/quotes/%s" % token, token=None)
        self.assertEqual(pub["number"], q["number"])

    def test_case_reply_threads(self):
        p = self.person()
        case = self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Lekkage in de "
                                                 "keuken", "domain": "sales"}, 201)
        tmpl = self.ok("GET", "/api/v1/mail-templates?key=case_reply&lang=nl")["items"][0]
        first = self.send({"to": [p["id"]], "domain": "sales", "template": tmpl["id"],
                           "record": "case:%d" % case["id"]})["items"][0]
        m1 = self.mail_for(first["message_id"])
        self.assertEqual(m1["Subject"], "Re: Lekkage in de keuken [melding %d]" % case["id"])
        self.assertIsNone(m1["In-Reply-To"])
        second = self.send({"to": [p["id"]], "domain": "sales", "subject": "Nog een vraag",
                            "body": "Wanneer komt de monteur?",
                            "record": "case:%d" % case["id"]})["items"][0]
        m2 = self.mail_for(second["message_id"])
        self.assertEqual(m2["In-Reply-To"], "<%s>" % first["message_id"])
        self.assertEqual(m2["References"], "<%s>" % first["message_id"])
        # both mails are messages on the case
        msgs = self.ok("GET", "/api/v1/cases/%d/messages" % case["id"])["items"]
        linked = {m["id"]: m["link"] for m in msgs}
        self.assertEqual(linked.get(first["activity"]), "message")
        self.assertEqual(linked.get(second["activity"]), "message")

    def test_press_release_mailed_to_recipients_with_an_address(self):
        tag = "pers" + word()
        org = self.create_party(kind="organization", name="Bouwbedrijf " + word())["id"]
        mailed = self.person(tags=[tag], custom={"gender": "man"})
        no_address = self.person(tags=[tag], emails=[])
        no_consent = self.person(tags=[tag])
        for pid in (mailed["id"], no_address["id"]):
            self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                    {"purpose": "newsletter", "granted": True, "source": "formulier"}, 201)
        seg = self.ok("POST", "/api/v1/segments", {"name": "Media " + word(),
                                                   "query": "tag:" + tag}, 201)["id"]
        comms = self.user({"pr": "write", "sales": "read"})
        release = self.ok("POST", "/api/v1/activities", {
            "type": "press_release", "domain": "pr", "subject": "Eerste paal café De Kade",
            "body": "Vandaag is de eerste paal geslagen voor café De Kade.",
            "parties": [org], "segment": seg}, 201, token=comms)
        res = self.ok("POST", "/api/v1/activities/%d/send" % release["id"], None, 200,
                      token=comms)
        self.assertEqual((res["sent"], res["skipped"]), (2, 1))
        msg = self.mail_to(mailed["emails"][0]["value"])
        self.assertEqual(msg["Subject"], "Persbericht: Eerste paal café De Kade")
        text = msg.get_content()
        self.assertTrue(text.startswith("Geachte heer De %s," % mailed["family_name"]), text)
        self.assertIn("Vandaag is de eerste paal geslagen voor café De Kade.", text)
        # nothing for the one without an address, nor for the one without consent
        for p in (no_address, no_consent):
            for e in p["emails"]:
                self.assertNotIn(e["value"], [m["X-Sink-Rcpt"].strip() for m in
                                              self.sink.messages()])
        # the mail is recorded against the release's log on the party's timeline
        tl = self.ok("GET", "/api/v1/parties/%d/timeline" % mailed["id"])["items"]
        self.assertEqual([a["type"] for a in tl], ["press_release"])
        out = [m for m in self.list_all("/api/v1/outbox")
               if m["message_id"] == msg["Message-ID"][1:-1]]
        self.assertEqual(len(out), 1)
        self.assertEqual(out[0]["subject"], msg["Subject"])
        # the release once more, by hand, to a journalist outside the segment (English)
        extra = self.person(given_name="Sam", custom={"informal": True})
        tmpl = self.ok("GET", "/api/v1/mail-templates?key=press_release&lang=en")["items"][0]
        item = self.send({"to": [extra["id"]], "domain": "pr", "template": tmpl["id"],
                          "record": "activity:%d" % release["id"]}, token=comms)["items"][0]
        msg = self.mail_for(item["message_id"])
        self.assertEqual(msg["Subject"], "Press release: Eerste paal café De Kade")
        text = msg.get_content()
        self.assertTrue(text.startswith("Dear Sam,"), text)
        self.assertIn("Vandaag is de eerste paal geslagen", text)
        # a note is no press release
        note = self.ok("POST", "/api/v1/activities", {"type": "note", "domain": "pr",
                                                      "subject": "Notitie",
                                                      "parties": [org]}, 201)
        self.problem("POST", "/api/v1/emails", {"to": [extra["id"]], "domain": "pr",
                                                "template": tmpl["id"],
                                                "record": "activity:%d" % note["id"]}, 422,
                     field="record", token=comms)

    def test_erase_removes_the_outbox_copy(self):
        p = self.person()
        item = self.send({"to": [p["id"]], "domain": "sales", "subject": "Persoonlijk",
                          "body": "{{salutation}}"})["items"][0]
        self.mail_for(item["message_id"])
        self.wait_status(item["outbox"], "sent")
        self.ok("POST", "/api/v1/parties/%d/erase" % p["id"], None, 200)
        left = [m for m in self.list_all("/api/v1/outbox") if m["id"] == item["outbox"]]
        self.assertEqual(left, [], "the message with the name and address is gone")

    def upload(self, party, name, ctype, data, domain=None, token=None):
        path = "/api/v1/documents?record=party:%d" % party
        if domain:
            path += "&domain=" + domain
        kw = {} if token is None else {"token": token}
        return self.ok("POST", path, data, 201,
                       headers={"Content-Type": ctype,
                                "X-Filename": urllib.parse.quote(name)}, **kw)

    def test_documents_attached(self):
        p = self.person()
        photo = bytes(range(256)) * 40
        doc = self.upload(p["id"], "foto lekkage café.jpg", "image/jpeg", photo)
        note = self.upload(p["id"], "afspraken.txt", "text/plain", "Één afspraak\n".encode())
        out = self.send({"to": [p["id"]], "domain": "sales", "subject": "Foto's",
                         "body": "Zie de bijlagen.", "attachments": [doc["id"], note["id"]]})
        msg = self.mail_for(out["items"][0]["message_id"])
        parts = list(msg.iter_parts())
        self.assertEqual([x.get_content_type() for x in parts],
                         ["text/plain", "image/jpeg", "text/plain"])
        self.assertEqual(parts[1].get_filename(), "foto lekkage café.jpg")
        self.assertEqual(parts[1].get_content(), photo)
        self.assertEqual(parts[2].get_filename(), "afspraken.txt")
        self.assertEqual(parts[2].get_payload(decode=True), "Één afspraak\n".encode())
        # a document the sender may not read cannot be attached (and nothing is sent)
        hr_doc = self.upload(p["id"], "contract.pdf", "application/pdf", b"%PDF-1.4 hr",
                             domain="hr")
        sales = self.user({"sales": "write"})
        before = len(self.list_all("/api/v1/outbox"))
        self.problem("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                "subject": "x", "body": "x",
                                                "attachments": [hr_doc["id"]]}, 422,
                     field="attachments", token=sales)
        self.assertEqual(len(self.list_all("/api/v1/outbox")), before)

    def test_placeholders_without_a_value_are_refused(self):
        p = self.person()
        before = len(self.list_all("/api/v1/outbox"))
        invoice_tmpl = self.ok("GET", "/api/v1/mail-templates?key=invoice&lang=nl")["items"][0]
        # the invoice template without an invoice: {{number}} has no value
        res = self.problem("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                      "template": invoice_tmpl["id"]}, 422)
        self.assertEqual({e["field"] for e in res["errors"]}, {"subject", "body"})
        self.assertIn("{{number}}", res["errors"][0]["message"])
        # a typo
        res = self.problem("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                      "subject": "Hallo",
                                                      "body": "{{salutaton}}"}, 422, field="body")
        self.assertIn("{{salutaton}}", res["errors"][0]["message"])
        # a quote sent before: its accept link is gone
        cust = self.create_party({"kind": "organization", "name": "Klant " + word(4),
                                  "emails": [{"label": "work", "value": word(8) + "@k.test"}]})
        q = self.ok("POST", "/api/v1/quotes", {"party": cust["id"], "lines": LINES}, 201)
        self.ok("POST", "/api/v1/quotes/%d/send" % q["id"])
        quote_tmpl = self.ok("GET", "/api/v1/mail-templates?key=quote&lang=nl")["items"][0]
        self.problem("POST", "/api/v1/emails", {"to": [cust["id"]], "domain": "sales",
                                                "template": quote_tmpl["id"],
                                                "record": "quote:%d" % q["id"]}, 409,
                     field="body")
        self.assertEqual(len(self.list_all("/api/v1/outbox")), before, "nothing was sent")
        # ... without the link it goes, with the PDF
        out = self.send({"to": [cust["id"]], "domain": "sales", "record": "quote:%d" % q["id"],
                         "subject": "Offerte {{number}} nogmaals",
                         "body": "{{salutation}}\n\nNogmaals offerte {{number}} ({{amount}})."})
        msg = self.mail_for(out["items"][0]["message_id"])
        self.assertEqual(msg["Subject"], "Offerte %s nogmaals" % q["number"])
        self.assertEqual([x.get_content_type() for x in msg.iter_parts()],
                         ["text/plain", "application/pdf"])


class RetryTest(MailCase):
    def test_temporary_refusals_then_delivered_once(self):
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "given_name": "Ria",
                                                "family_name": "Retry" + word(4),
                                                "emails": [{"label": "w",
                                                            "value": word(8) + "@r.test"}]}, 201)
        self.sink.fail_next(2, "451")
        item = self.ok("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                  "subject": "Drie pogingen",
                                                  "body": "Derde keer goed."}, 201)["items"][0]
        self.mail_for(item["message_id"])
        row = self.wait_status(item["outbox"], "sent")
        self.assertEqual(row["attempts"], 3)
        self.assertIn("451", row["last_error"] or "451")
        time.sleep(1.5)
        same = [m for m in self.sink.messages() if m["Message-ID"] == "<%s>" % item["message_id"]]
        self.assertEqual(len(same), 1)

    def test_permanent_refusal_fails_and_retry_sends(self):
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "given_name": "Bo",
                                                "family_name": "Bounce" + word(4),
                                                "emails": [{"label": "w",
                                                            "value": word(8) + "@b.test"}]}, 201)
        self.sink.fail_next(1, "550")
        item = self.ok("POST", "/api/v1/emails", {"to": [p["id"]], "domain": "sales",
                                                  "subject": "Onbestelbaar",
                                                  "body": "x"}, 201)["items"][0]
        row = self.wait_status(item["outbox"], "failed")
        self.assertEqual(row["status"], "failed")
        self.assertEqual(row["attempts"], 1)
        self.assertIn("550", row["last_error"])
        failed = self.ok("GET", "/api/v1/outbox?status=failed")["items"]
        self.assertIn(item["outbox"], [m["id"] for m in failed])
        again = self.ok("POST", "/api/v1/outbox/%d/retry" % item["outbox"], None, 200)
        self.assertEqual(again["status"], "queued")
        self.mail_for(item["message_id"])
        self.assertEqual(self.wait_status(item["outbox"], "sent")["attempts"], 2)
        self.problem("POST", "/api/v1/outbox/%d/retry" % item["outbox"], None, 409)


class CrashTest(MailCase):
    """Mails queued while no SMTP server is configured; SIGKILL; a restart with the
    sink delivers each exactly once, also those a crash left half-sent."""

    SMTP = False

    def test_kill_then_each_mail_once(self):
        ids = []
        for i in range(5):
            p = self.ok("POST", "/api/v1/parties", {
                "kind": "person", "given_name": "Kees", "family_name": "Crash%d%s" % (i, word(4)),
                "emails": [{"label": "w", "value": "crash%d%s@c.test" % (i, word(4).lower())}]},
                201)
            ids.append(p["id"])
        out = self.ok("POST", "/api/v1/emails", {"to": ids, "domain": "sales",
                                                 "subject": "Na de crash",
                                                 "body": "Precies één keer."}, 201)
        self.assertEqual(len(out["items"]), 5)
        self.assertEqual(self.ok("GET", "/api/v1/settings/mail")["smtp"], False)
        queued = self.ok("GET", "/api/v1/outbox?status=queued")["items"]
        self.assertEqual(len(queued), 5)
        self.server.kill()
        # two rows as a crash between the claim and the outcome leaves them
        half_sent = ("UPDATE mail_outbox SET status = 'sending', attempts = 1 WHERE id IN "
                     "(SELECT id FROM mail_outbox ORDER BY id LIMIT 2)")
        if PG_URL:
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server.db,
                            "-c", half_sent], check=True, capture_output=True, timeout=60)
        else:
            db = sqlite3.connect(self.server.db)
            db.execute(half_sent)
            db.commit()
            db.close()
        self.server.env["XRM_SMTP_URL"] = self.sink.url
        self.server.start()
        self.__class__.client = self.server.client()
        self.client = self.__class__.client
        want = {i["message_id"] for i in out["items"]}
        self.sink.wait_for(5)
        for i in out["items"]:
            self.wait_status(i["outbox"], "sent")
        time.sleep(2)  # nothing more arrives
        got = [m["Message-ID"][1:-1] for m in self.sink.messages()]
        self.assertEqual(sorted(got), sorted(want), "each mail exactly once")


if __name__ == "__main__":
    unittest.main()
