"""Mail received: a Dovecot mailbox polled over IMAP, `xrm mail deliver`,
POST /mailboxes/{id}/messages, threading onto cases and the review list.

A real Dovecot (imapserver.py) holds the mail; xrm polls it (POST
/mailboxes/{id}/poll; the poller thread is off: XRM_MAIL_POLL_SECONDS=0,
except in PollerThreadTest). What a user notices: the mail on the right
party's timeline with its text readable (Dutch characters, ISO-8859-1,
HTML-only), nothing twice after a re-poll, unknown senders in the review
list until assigned, a reply to a case's mail on the case and the case open
again, a user's own mail sent to the BCC address logged on the recipient,
and who may see and handle what.
"""

import base64
import os
import sqlite3
import subprocess
import time
import unittest

from harness import PG_URL, ApiTestCase, describe, q, run_cli, word
from imapserver import ImapServer

os.environ.setdefault("XRM_MAIL_POLL_SECONDS", "0")

PDF = b"%PDF-1.4\n\x00\x01\x02\x03\xff\xfe binary attachment " + bytes(range(256))


def mail(frm, subject, body, to="verkoop@xrm.test", extra="", mid=None, ctype=None, cte=None):
    """A message as bytes; body is bytes (already encoded) or str (UTF-8)."""
    mid = mid or "%s@klant.test" % word(12)
    if isinstance(body, str):
        body = body.encode("utf-8")
    head = ("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
            "Date: Mon, 07 Dec 2026 09:30:00 +0100\r\nMIME-Version: 1.0\r\n%s"
            % (frm, to, subject, mid, extra))
    head += "Content-Type: %s\r\n" % (ctype or "text/plain; charset=utf-8")
    if cte:
        head += "Content-Transfer-Encoding: %s\r\n" % cte
    return head.encode("ascii") + b"\r\n" + body, mid


class MailBase(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.imap = ImapServer().start()
        cls.tok = {}
        for name, access in (("verkoper", {"sales": "write"}), ("hr-mens", {"hr": "write"}),
                             ("kijker", {"sales": "read"})):
            pw = "pw-" + word(12)
            cls.client.req("POST", "/api/v1/users",
                           {"name": name, "password": pw, "access": access})
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": name, "password": pw, "bearer": True},
                                       token=None)
            assert st == 201, js
            cls.tok[name] = js["token"]

    @classmethod
    def tearDownClass(cls):
        cls.imap.stop()
        super().tearDownClass()

    def timeline(self, pid):
        return self.ok("GET", "/api/v1/parties/%d/timeline" % pid)["items"]

    def mailbox(self, **body):
        b = {"name": "Postvak " + word(5), "domain": "sales"}
        b.update(body)
        return self.ok("POST", "/api/v1/mailboxes", b, status=201)

    def deliver(self, box, raw, status=201, token=None):
        st, _, js = self.client.req("POST", "/api/v1/mailboxes/%d/messages" % box, raw,
                                    headers={"Content-Type": "message/rfc822"},
                                    **({"token": token} if token else {}))
        self.assertEqual(st, status, describe(self.client))
        return js

    def sql(self, stmt):
        """Runs one statement on the server's database (SQLite file or PostgreSQL)."""
        if PG_URL:
            r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                self.server.db, "-c", stmt], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
        else:
            c = sqlite3.connect(self.server.db, timeout=30)
            c.execute(stmt)
            c.commit()
            c.close()


class MailboxPollTest(MailBase):
    def test_poll_stores_on_party_once(self):
        jan = self.create_party(given_name="Jan", family_name="Smit",
                                emails=["Jan.Smit@Klant.test"])
        box = self.mailbox(imap_url=self.imap.url, username=self.imap.user,
                           password=self.imap.password)
        self.assertTrue(box["has_password"])
        self.assertNotIn("password", box)
        self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])  # what earlier tests left
        self.assertNotIn(self.imap.password, str(self.ok("GET", "/api/v1/mailboxes")))
        utf8, _ = mail("Jan Smit <jan.smit@klant.test>",
                       "=?UTF-8?Q?Offerte_caf=C3=A9?=",
                       "Co=C3=B6rdinatie van het caf=C3=A9 in =C3=89de, na=C3=AFef.\r\n",
                       cte="quoted-printable")
        latin1, _ = mail("jan.smit@klant.test", "=?ISO-8859-1?Q?Re=3A_co=F6peratie?=",
                         "Prijs \x80 12,50 voor de co\xf6peratie in Li\xe8ge.\r\n".encode("latin-1"),
                         ctype="text/plain; charset=ISO-8859-1", cte="8bit")
        html_body = base64.encodebytes(
            b"<html><head><style>p{color:red}</style></head><body><p>Beste verkoop,</p>"
            b"<p>Graag een <b>belafspraak</b>.<br>Groet, Jan</p></body></html>")
        html, html_mid = mail("jan.smit@klant.test", "Alleen HTML", html_body,
                              ctype="text/html; charset=utf-8", cte="base64")
        uids = [self.imap.add(m) for m in (utf8, latin1, html)]
        res = self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])
        self.assertEqual((res["fetched"], res["stored"], res["review"]), (3, 3, 0), res)
        acts = {a["subject"]: a for a in self.timeline(jan["id"]) if a["type"] == "email"}
        self.assertEqual(acts["Offerte café"]["body"],
                         "Coördinatie van het café in Éde, naïef.")
        self.assertEqual(acts["Offerte café"]["domain"], "sales")
        self.assertEqual(acts["Re: coöperatie"]["body"],
                         "Prijs € 12,50 voor de coöperatie in Liège.")
        self.assertEqual(acts["Alleen HTML"]["body"],
                         "Beste verkoop,\n\nGraag een belafspraak.\nGroet, Jan")
        # the activity names the mail it logs: its Message-ID, received
        self.assertEqual(acts["Alleen HTML"]["message_id"], html_mid)
        self.assertEqual(acts["Alleen HTML"]["direction"], "in")
        # BODY.PEEK: the messages stay unread for the people who read the mailbox too
        self.assertNotIn("\\Seen", self.imap.flags(uids[0]))
        # polled again: nothing new
        again = self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])
        self.assertEqual((again["fetched"], again["stored"]), (0, 0))
        after = self.ok("GET", "/api/v1/mailboxes/%d" % box["id"])
        self.assertIsNotNone(after["last_poll"])
        self.assertIsNone(after["last_error"])
        self.assertEqual(len([a for a in self.timeline(jan["id"]) if a["type"] == "email"]), 3)

    def test_attachment_stored_as_document(self):
        pid = self.create_party(emails=["bijlage@klant.test"])["id"]
        box = self.mailbox(imap_url=self.imap.url, username=self.imap.user,
                           password=self.imap.password)
        self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])  # what earlier tests left
        body = (b"--grens\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                b"Hierbij de getekende offerte.\r\n"
                b"--grens\r\nContent-Type: application/pdf\r\n"
                b"Content-Disposition: attachment; filename=\"offerte getekend.pdf\"\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\n"
                + base64.encodebytes(PDF).replace(b"\n", b"\r\n")
                + b"--grens--\r\n")
        raw, _ = mail("bijlage@klant.test", "Getekend", body,
                      ctype='multipart/mixed; boundary="grens"')
        self.imap.add(raw)
        res = self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])
        self.assertEqual((res["fetched"], res["stored"]), (1, 1), res)
        act = [a for a in self.timeline(pid) if a["subject"] == "Getekend"][0]
        self.assertEqual(act["body"], "Hierbij de getekende offerte.")
        docs = self.ok("GET", "/api/v1/documents" + q(record="activity:%d" % act["id"]))["items"]
        self.assertEqual([(d["name"], d["type"], d["size"]) for d in docs],
                         [("offerte getekend.pdf", "application/pdf", len(PDF))])
        st, _, content = self.client.raw("GET", "/api/v1/documents/%d/content" % docs[0]["id"])
        self.assertEqual(st, 200)
        self.assertEqual(content, PDF)
        # a sales-only reader sees it, an hr-only user does not
        self.ok("GET", "/api/v1/documents/%d" % docs[0]["id"], token=self.tok["kijker"])
        self.problem("GET", "/api/v1/documents/%d" % docs[0]["id"], status=404,
                     token=self.tok["hr-mens"])

    def test_new_uidvalidity_stores_nothing_twice(self):
        pid = self.create_party(emails=["archief@klant.test"])["id"]
        self.imap.recreate("Archief")
        box = self.mailbox(imap_url=self.imap.url.replace("/INBOX", "/Archief"),
                           username=self.imap.user, password=self.imap.password)
        msgs = [mail("archief@klant.test", "Bericht %d" % i, "tekst %d" % i)[0] for i in range(2)]
        for m in msgs:
            self.imap.add(m, folder="Archief")
        self.assertEqual(self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])["stored"], 2)
        # the folder is made anew (new UIDVALIDITY) holding the same messages
        self.imap.recreate("Archief")
        for m in msgs:
            self.imap.add(m, folder="Archief")
        res = self.ok("POST", "/api/v1/mailboxes/%d/poll" % box["id"])
        self.assertEqual((res["fetched"], res["stored"], res["duplicates"]), (2, 0, 2), res)
        self.assertEqual(len([a for a in self.timeline(pid) if a["type"] == "email"]), 2)

    def test_imap_failure_is_kept(self):
        box = self.mailbox(imap_url=self.imap.url, username=self.imap.user, password="fout")
        p = self.problem("POST", "/api/v1/mailboxes/%d/poll" % box["id"], status=500)
        self.assertEqual(p["code"], "imap_failed")
        self.assertTrue(self.ok("GET", "/api/v1/mailboxes/%d" % box["id"])["last_error"])

    def test_mailbox_validation_and_admin_only(self):
        self.problem("POST", "/api/v1/mailboxes", {"name": "x", "domain": "sales",
                                                  "imap_url": "http://example.nl/"},
                     field="imap_url")
        self.problem("POST", "/api/v1/mailboxes", {"name": "x", "domain": "verkoop"},
                     field="domain")
        self.problem("POST", "/api/v1/mailboxes", {"name": "x", "domain": "sales",
                                                  "bcc_address": "geen adres"},
                     field="bcc_address")
        box = self.mailbox(password="geheim")
        # a patch without password keeps it; null removes it
        box = self.ok("PATCH", "/api/v1/mailboxes/%d" % box["id"], {"name": "Verkoop"})
        self.assertTrue(box["has_password"])
        box = self.ok("PATCH", "/api/v1/mailboxes/%d" % box["id"], {"password": None})
        self.assertFalse(box["has_password"])
        for who in ("verkoper", "hr-mens"):
            self.problem("GET", "/api/v1/mailboxes", status=403, token=self.tok[who])
            self.problem("POST", "/api/v1/mailboxes/%d/poll" % box["id"], status=403,
                         token=self.tok[who])


class PollerThreadTest(MailBase):
    """xrm serve polls the enabled mailboxes by itself (XRM_MAIL_POLL_SECONDS=1 here)."""

    @classmethod
    def setUpClass(cls):
        old = os.environ.get("XRM_MAIL_POLL_SECONDS")
        os.environ["XRM_MAIL_POLL_SECONDS"] = "1"
        try:
            super().setUpClass()
        finally:
            os.environ["XRM_MAIL_POLL_SECONDS"] = old if old is not None else "0"

    def test_mail_arrives_without_asking(self):
        pid = self.create_party(emails=["vanzelf@klant.test"])["id"]
        self.mailbox(imap_url=self.imap.url, username=self.imap.user, password=self.imap.password)
        self.imap.add(mail("vanzelf@klant.test", "Vanzelf binnen", "Zonder poll-knop.")[0])
        disabled = self.mailbox(imap_url=self.imap.url, username=self.imap.user,
                                password=self.imap.password, enabled=False)
        deadline = time.time() + 60
        while time.time() < deadline:
            if any(a["subject"] == "Vanzelf binnen" for a in self.timeline(pid)):
                break
            time.sleep(0.5)
        else:
            self.fail("the poller did not deliver the mail within 60 s")
        self.assertIsNone(self.ok("GET", "/api/v1/mailboxes/%d" % disabled["id"])["last_poll"])


class DeliverTest(MailBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, cls.sales_box = cls.client.req("POST", "/api/v1/mailboxes",
                                              {"name": "Verkoop", "domain": "sales",
                                               "bcc_address": "Log@XRM.test"})
        assert st == 201
        st, _, cls.hr_box = cls.client.req("POST", "/api/v1/mailboxes",
                                           {"name": "HR", "domain": "hr"})
        assert st == 201

    def test_unknown_sender_review_then_assign(self):
        raw, _ = mail("Onbekend Persoon <nieuw-%s@elders.test>" % word(4), "Vraag over prijzen",
                      "Wat kost het?")
        res = self.deliver(self.sales_box["id"], raw)
        self.assertIsNone(res["activity"])
        rid = res["review"]
        items = self.ok("GET", "/api/v1/mail-review", token=self.tok["verkoper"])["items"]
        mine = [i for i in items if i["id"] == rid]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["subject"], mine[0]["text"], mine[0]["from_name"]),
                         ("Vraag over prijzen", "Wat kost het?", "Onbekend Persoon"))
        # hr writers and sales readers do not see the sales review list
        self.assertNotIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review",
                                                       token=self.tok["hr-mens"])["items"]])
        self.assertNotIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review",
                                                       token=self.tok["kijker"])["items"]])
        self.problem("POST", "/api/v1/mail-review/%d/assign" % rid, {"party": 1}, status=404,
                     token=self.tok["hr-mens"])
        pid = self.create_party(family_name="Nieuwkomer")["id"]
        out = self.ok("POST", "/api/v1/mail-review/%d/assign" % rid, {"party": pid},
                      token=self.tok["verkoper"])
        act = self.ok("GET", "/api/v1/activities/%d" % out["activity"])
        self.assertEqual((act["type"], act["subject"], act["body"], act["parties"]),
                         ("email", "Vraag over prijzen", "Wat kost het?", [pid]))
        self.assertNotIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review")["items"]])
        self.assertIn(rid, [i["id"] for i in self.ok(
            "GET", "/api/v1/mail-review" + q(status="assigned"))["items"]])
        self.problem("POST", "/api/v1/mail-review/%d/discard" % rid, status=409)
        # the same mail again: it was received before
        self.assertTrue(self.deliver(self.sales_box["id"], raw)["duplicate"])

    def test_erasure_removes_review_mail(self):
        addr = "vergeet-%s@elders.test" % word(4)
        raw, _ = mail("Vergeet Mij <%s>" % addr, "Mijn gegevens", "Bel mij op 0612345678.")
        rid = self.deliver(self.sales_box["id"], raw)["review"]
        pid = self.create_party(family_name="Vergeet", emails=[addr])["id"]
        export = self.ok("GET", "/api/v1/parties/%d/export" % pid)
        self.assertEqual([r["id"] for r in export["records"]["mail_review"]], [rid])
        self.ok("POST", "/api/v1/parties/%d/erase" % pid)
        self.assertNotIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review")["items"]])

    def test_discard(self):
        raw, _ = mail("spam-%s@elders.test" % word(4), "Aanbieding", "Koop nu")
        rid = self.deliver(self.sales_box["id"], raw)["review"]
        row = self.ok("POST", "/api/v1/mail-review/%d/discard" % rid, token=self.tok["verkoper"])
        self.assertEqual(row["status"], "discarded")
        self.problem("POST", "/api/v1/mail-review/%d/assign" % rid, {"party": 1}, status=409)

    def test_reply_to_case_mail_lands_on_case_and_reopens_it(self):
        pid = self.create_party(emails=["klant-%s@klant.test" % word(4)])["id"]
        case = self.ok("POST", "/api/v1/cases", {"party": pid, "subject": "Storing"}, status=201)
        self.ok("PATCH", "/api/v1/cases/%d" % case["id"], {"status": "resolved"})
        ours = "%s@xrm.test" % word(16)
        # the mail xrm sent about the case (as the outbox records it)
        self.sql("INSERT INTO mail_messages (message_id, direction, entity, entity_id, at) "
                 "VALUES ('%s', 'out', 'case', %d, '2026-12-01T10:00:00Z')" % (ours, case["id"]))
        # the answer comes from another address, threaded by References only
        raw, _ = mail("Collega <iemand-anders@klant.test>", "Re: Storing",
                      "Het werkt weer niet.", extra="References: <root@x.test> <%s>\r\n" % ours)
        res = self.deliver(self.sales_box["id"], raw)
        self.assertEqual((res["case"], res["parties"]), (case["id"], [pid]))
        msgs = self.ok("GET", "/api/v1/cases/%d/messages" % case["id"])["items"]
        self.assertIn(res["activity"], [m["id"] for m in msgs])
        self.assertEqual(self.ok("GET", "/api/v1/cases/%d" % case["id"])["status"], "open")

    def test_bcc_address_logs_own_mail_on_recipient(self):
        pid = self.create_party(emails=["ontvanger-%s@klant.test" % word(4)])
        addr = pid["emails"][0]["value"] if isinstance(pid["emails"][0], dict) else pid["emails"][0]
        raw, _ = mail("Verkoper <verkoper@onsbedrijf.test>", "Uw offerte", "Zie bijlage.",
                      to=addr, extra="Delivered-To: log@xrm.test\r\n")
        res = self.deliver(self.sales_box["id"], raw)
        self.assertEqual(res["parties"], [pid["id"]])
        act = self.ok("GET", "/api/v1/activities/%d" % res["activity"])
        self.assertEqual((act["subject"], act["body"]), ("Uw offerte", "Zie bijlage."))
        # mail From a user of xrm is their own mail too, logged on the recipient
        self.client.req("POST", "/api/v1/users", {"name": "anna@onsbedrijf.test",
                                                 "password": "pw-" + word(12),
                                                 "access": {"sales": "write"}})
        raw, _ = mail("Anna <Anna@onsbedrijf.test>", "Afspraak", "Tot dinsdag.", to=addr)
        res = self.deliver(self.sales_box["id"], raw)
        self.assertEqual(res["parties"], [pid["id"]])
        act = self.ok("GET", "/api/v1/activities/%d" % res["activity"])
        users = {u["name"]: u["id"] for u in self.ok("GET", "/api/v1/users")["items"]}
        self.assertEqual(act["created_by"], users["anna@onsbedrijf.test"])

    def test_access_to_deliver(self):
        raw, _ = mail("x-%s@elders.test" % word(4), "HR-zaak", "Vertrouwelijk")
        self.problem("POST", "/api/v1/mailboxes/%d/messages" % self.hr_box["id"], raw,
                     status=403, headers={"Content-Type": "message/rfc822"},
                     token=self.tok["verkoper"])
        rid = self.deliver(self.hr_box["id"], raw, token=self.tok["hr-mens"])["review"]
        self.assertNotIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review",
                                                       token=self.tok["verkoper"])["items"]])
        self.assertIn(rid, [i["id"] for i in self.ok("GET", "/api/v1/mail-review",
                                                    token=self.tok["hr-mens"])["items"]])
        self.problem("POST", "/api/v1/mail-review/%d/discard" % rid, status=404,
                     token=self.tok["verkoper"])

    def test_bad_input(self):
        box = self.sales_box["id"]
        p = self.problem("POST", "/api/v1/mailboxes/%d/messages" % box, b"dit is geen mail",
                         status=400, headers={"Content-Type": "message/rfc822"})
        self.assertEqual(p["code"], "bad_message")
        self.problem("POST", "/api/v1/mailboxes/%d/messages" % box, {"a": 1}, status=415)
        big = b"From: a@b.test\r\n\r\n" + b"x" * (25 * 1024 * 1024)
        self.problem("POST", "/api/v1/mailboxes/%d/messages" % box, big, status=413,
                     headers={"Content-Type": "message/rfc822"})
        self.assertEqual(self.ok("GET", "/api/v1/mail-review" + q(status="review"))["items"],
                         [i for i in self.ok("GET", "/api/v1/mail-review")["items"]])

    def test_cli_deliver(self):
        pid = self.create_party(emails=["cli-%s@klant.test" % word(4)])
        addr = pid["emails"][0]["value"] if isinstance(pid["emails"][0], dict) else pid["emails"][0]
        raw, _ = mail(addr, "Via de pijp", "Geleverd door de MTA.")
        r = run_cli(self.server.binary, "mail", "deliver", "--db", self.server.db, "--domain",
                    "sales", input_text=raw.decode())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("stored: activity", r.stdout)
        self.assertIn([a["subject"] for a in self.timeline(pid["id"])], [["Via de pijp"]])
        r = run_cli(self.server.binary, "mail", "deliver", "--db", self.server.db, "--domain",
                    "sales", input_text=raw.decode())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("duplicate", r.stdout)
        r = run_cli(self.server.binary, "mail", "deliver", "--db", self.server.db, "--domain",
                    "sales", input_text="geen mail")
        self.assertEqual(r.returncode, 2)
        raw, _ = mail("onbekend-%s@elders.test" % word(4), "Hallo", "Wie ben ik?")
        r = run_cli(self.server.binary, "mail", "deliver", "--db", self.server.db, "--mailbox",
                    str(self.sales_box["id"]), input_text=raw.decode())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("review", r.stdout)


if __name__ == "__main__":
    unittest.main()
