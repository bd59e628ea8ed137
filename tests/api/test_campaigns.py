"""Campaigns: the recipients are exactly the segment's members whose may_email
holds (consent, the 3-year customer rule, the non-mailing tag, a treatment
suppression; no address: skipped too), each sent mail reaches a real SMTP
server (aiosmtpd) with its own List-Unsubscribe URL and List-Unsubscribe-Post
(RFC 8058); a one-click POST without login withdraws the consent, the party
page shows may_email false and the next campaign skips the party; a refused
mail counts as bounced; access per domain."""

import datetime
import sqlite3
import subprocess
import time
import unittest
import urllib.parse

from clock import ClockTestCase, MailTestCase
from harness import PG_URL, word

NOW = "2026-12-06T09:00:00Z"
PUBLIC = "https://crm.example.test"
TODAY = datetime.date(2026, 12, 6)


def days_ago(n):
    return (TODAY - datetime.timedelta(days=n)).isoformat()


class CampaignBase(MailTestCase):
    NOW = NOW

    MAIL_ENV = {"XRM_MAIL_FROM": "nieuws@example.test", "XRM_PUBLIC_URL": PUBLIC}

    # -- helpers ------------------------------------------------------------

    def person(self, tag, email=True, consent=False, **fields):
        name = "Lid" + word()
        body = dict(fields, family_name=name, tags=[tag] + fields.get("tags", []))
        if email:
            body["emails"] = [{"label": "work", "value": "%s@example.test" % name.lower()}]
        pid = self.create_party(**body)["id"]
        if consent:
            self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                    {"purpose": "newsletter", "granted": True, "source": "webformulier"}, 201)
        return pid

    def segment(self, tag):
        return self.ok("POST", "/api/v1/segments", {"name": "Nieuwsbrief " + word(),
                                                    "query": "tag:" + tag}, 201)["id"]

    def campaign(self, seg, domain="sales", token=None, **extra):
        body = dict({"name": "Nieuwsbrief " + word(), "segment": seg,
                     "subject": "Nieuws voor {{name}} – één keer per maand",
                     "body": "{{salutation}}\n\nHet nieuws van december, {{first_name}}.\n\n"
                             "Afmelden: {{unsubscribe_url}}\n",
                     "domain": domain}, **extra)
        kw = {} if token is None else {"token": token}
        return self.ok("POST", "/api/v1/campaigns", body, 201, **kw)

    def recipients(self, cid, token=None, **params):
        kw = {} if token is None else {"token": token}
        qs = ("?" + urllib.parse.urlencode(params)) if params else ""
        return self.ok("GET", "/api/v1/campaigns/%d/recipients%s" % (cid, qs), **kw)

    def mails_to(self, addresses, n):
        """The sink's mails to any of addresses, waiting for n of them."""
        deadline = time.monotonic() + 60
        while True:
            got = [m for m in self.sink.messages()
                   if m["X-Sink-Rcpt"].strip() in addresses]
            if len(got) >= n or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(len(got), n, "mails to %s" % sorted(addresses))
        return got

    def report_until(self, cid, pred, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            c = self.ok("GET", "/api/v1/campaigns/%d" % cid)
            if pred(c["report"]) or time.monotonic() > deadline:
                return c
            time.sleep(0.2)

    def may_email(self, pid):
        p = self.ok("GET", "/api/v1/parties/%d" % pid)
        return p["may_email"], p["contactability"]["email"]["reason"]


class CampaignTest(CampaignBase):
    def test_recipients_send_and_unsubscribe(self):
        tag = "nb" + word()
        suppress_tag = "stil" + word()
        self.ok("POST", "/api/v1/rules", {
            "name": "Geen marketing " + word(), "when": {"tags": [suppress_tag]},
            "then": {"suppress": ["no_marketing"]}}, 201)
        p = {
            "consent": self.person(tag, consent=True),
            "customer": self.person(tag, roles=[{"type": "customer", "status": "active"}]),
            "recent": self.person(tag, roles=[{"type": "customer", "status": "former",
                                               "since": days_ago(1500),
                                               "until": days_ago(730)}]),
            "old": self.person(tag, roles=[{"type": "customer", "status": "former",
                                            "since": days_ago(3000), "until": days_ago(1460)}]),
            "nobody": self.person(tag),
            "nonmailing": self.person(tag, consent=True, tags=["non-mailing"]),
            "noemail": self.person(tag, email=False, consent=True),
            "suppressed": self.person(tag, consent=True, tags=[suppress_tag]),
        }
        want_pending = {"consent", "customer", "recent"}
        want_reasons = {"old": "no_basis", "nobody": "no_basis", "nonmailing": "non_mailing",
                        "noemail": "no_email", "suppressed": "suppressed"}
        seg = self.segment(tag)
        c = self.campaign(seg)
        self.assertEqual((c["status"], c["report"], c["sent_at"], c["segment"]),
                         ("draft", None, None, seg))

        # before sending: exactly the may_email set, the others with their reason
        pre = self.recipients(c["id"])
        by = {r["party"]: r for r in pre["items"]}
        self.assertEqual(set(by), set(p.values()))
        for key, pid in p.items():
            with self.subTest(party=key):
                if key in want_pending:
                    self.assertEqual((by[pid]["status"], by[pid]["reason"]), ("pending", None))
                else:
                    self.assertEqual((by[pid]["status"], by[pid]["reason"]),
                                     ("skipped", want_reasons[key]))
                # the same verdict as the party page
                self.assertEqual(self.may_email(pid)[0], key in want_pending or key == "noemail")
        self.assertEqual(pre["counts"]["pending"], 3)
        self.assertEqual(pre["counts"]["skipped"], 5)
        self.assertEqual(pre["reasons"], {"no_basis": 2, "non_mailing": 1, "no_email": 1,
                                          "suppressed": 1})
        only = self.recipients(c["id"], status="skipped", limit=2)
        self.assertEqual(len(only["items"]), 2)
        self.assertTrue(all(r["status"] == "skipped" for r in only["items"]))
        rest = self.recipients(c["id"], status="skipped", limit=2, cursor=only["next"])
        last = self.recipients(c["id"], status="skipped", limit=2, cursor=rest["next"])
        self.assertIsNone(last["next"])
        self.assertEqual(len({r["party"] for r in only["items"] + rest["items"] +
                              last["items"]}), 5)

        # a draft can be changed
        c = self.ok("PATCH", "/api/v1/campaigns/%d" % c["id"],
                    {"name": "Decembernieuws " + word()}, 200)

        # sending: one mail per pending recipient
        res = self.ok("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 200)
        self.assertEqual((res["sent"], res["skipped"]), (3, 5))
        self.assertEqual(res["report"]["skipped"], 5)
        self.assertEqual(res["report"]["reasons"], pre["reasons"])
        addr = {}
        for key in want_pending:
            party = self.ok("GET", "/api/v1/parties/%d" % p[key])
            addr[party["emails"][0]["value"]] = p[key]
        mails = self.mails_to(set(addr), 3)
        tokens = {}
        for m in mails:
            lu = m["List-Unsubscribe"]
            self.assertTrue(lu.startswith("<%s/api/v1/public/unsubscribe/" % PUBLIC), lu)
            self.assertTrue(lu.endswith(">"), lu)
            self.assertEqual(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
            token = lu[1:-1].rsplit("/", 1)[1]
            self.assertRegex(token, "^[0-9a-f]{48}$")
            pid = addr[m["X-Sink-Rcpt"].strip()]
            tokens[pid] = token
            self.assertIn("één keer per maand", m["Subject"])
            body = m.get_body(("plain",)).get_content()
            self.assertIn("%s/unsubscribe/%s" % (PUBLIC, token), body)
            self.assertNotIn("{{", body)
            self.assertTrue(body.startswith("Dear "), body)
        self.assertEqual(len(set(tokens.values())), 3, "each mail has its own link")

        # the report follows the outbox
        done = self.report_until(c["id"], lambda r: r and r["sent"] == 3)
        self.assertEqual(done["status"], "sent")
        self.assertEqual(done["sent_at"], NOW)
        self.assertEqual({k: done["report"][k] for k in ("sent", "bounced", "skipped", "queued",
                                                         "recipients")},
                         {"sent": 3, "bounced": 0, "skipped": 5, "queued": 0, "recipients": 8})
        after = self.recipients(c["id"])
        self.assertEqual({r["party"]: r["status"] for r in after["items"]},
                         {pid: ("sent" if k in want_pending else "skipped")
                          for k, pid in p.items()})
        # sent: no more changes, no second send
        self.problem("PATCH", "/api/v1/campaigns/%d" % c["id"], {"name": "x"}, 409)
        self.problem("DELETE", "/api/v1/campaigns/%d" % c["id"], None, 409)
        self.problem("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 409)

        # one click, no login (RFC 8058)
        gone = p["recent"]
        path = "/api/v1/public/unsubscribe/" + tokens[gone]
        self.assertEqual(self.ok("GET", path, token=None),
                         {"campaign": done["name"], "done": False})
        self.assertEqual(self.may_email(gone), (True, "customer"))
        st, _, js = self.client.req(
            "POST", path, "List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"}, token=None)
        self.assertEqual((st, js), (200, {"unsubscribed": True}))
        self.assertEqual(self.may_email(gone), (False, "withdrawn"))
        self.assertEqual(self.ok("GET", path, token=None)["done"], True)
        # a second click changes nothing
        st, _, js = self.client.req("POST", path, b"", token=None)
        self.assertEqual(st, 200)
        history = self.ok("GET", "/api/v1/parties/%d/consents" % gone)["history"]
        self.assertEqual(sorted((e["purpose"], e["granted"]) for e in history),
                         [("marketing_email", False), ("newsletter", False)])
        self.assertIn(done["name"], history[0]["source"])
        # an unknown or malformed link
        self.problem("POST", "/api/v1/public/unsubscribe/" + "0" * 48, None, 404, token=None)
        self.problem("GET", "/api/v1/public/unsubscribe/nope", None, 404, token=None)

        # the next campaign skips the party, with its reason
        nxt = self.campaign(seg)
        pre2 = self.recipients(nxt["id"])
        r = [x for x in pre2["items"] if x["party"] == gone][0]
        self.assertEqual((r["status"], r["reason"]), ("skipped", "withdrawn"))
        self.assertEqual(pre2["counts"]["pending"], 2)
        res2 = self.ok("POST", "/api/v1/campaigns/%d/send" % nxt["id"], None, 200)
        self.assertEqual((res2["sent"], res2["skipped"]), (2, 6))
        gone_addr = [a for a, pid in addr.items() if pid == gone][0]
        self.report_until(nxt["id"], lambda rep: rep and rep["sent"] == 2)
        self.assertEqual(len(self.mails_to({gone_addr}, 1)), 1, "no second mail after opting out")

    def test_refused_mail_counts_as_bounced(self):
        tag = "bn" + word()
        pids = [self.person(tag, consent=True) for _ in range(2)]
        c = self.campaign(self.segment(tag), domain="pr")
        self.sink.fail_next(1, "550")
        res = self.ok("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 200)
        self.assertEqual((res["sent"], res["skipped"]), (2, 0))
        done = self.report_until(c["id"], lambda r: r and r["bounced"] + r["sent"] == 2)
        self.assertEqual((done["report"]["sent"], done["report"]["bounced"]), (1, 1))
        statuses = sorted(r["status"] for r in self.recipients(c["id"])["items"])
        self.assertEqual(statuses, ["bounced", "sent"])
        bounced = self.recipients(c["id"], status="bounced")["items"]
        self.assertEqual(len(bounced), 1)
        self.assertIn(bounced[0]["party"], pids)

    def test_export_merge_and_erase_follow_the_party(self):
        tag = "me" + word()
        gone, dup, keep = (self.person(tag, consent=True) for _ in range(3))
        c = self.campaign(self.segment(tag))
        self.ok("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 200)
        addr = {self.ok("GET", "/api/v1/parties/%d" % pid)["emails"][0]["value"]: pid
                for pid in (gone, dup)}
        tokens = {addr[m["X-Sink-Rcpt"].strip()]: m["List-Unsubscribe"][1:-1].rsplit("/", 1)[1]
                  for m in self.mails_to(set(addr), 2)}
        # the GDPR export lists the campaign
        rows = self.ok("GET", "/api/v1/parties/%d/export" % dup)["records"]["campaign_recipients"]
        self.assertEqual([(r["campaign"], r["name"], r["status"]) for r in rows],
                         [(c["id"], c["name"], "queued")])
        # merged: the recipient row follows, and its link withdraws the survivor's consent
        self.ok("POST", "/api/v1/parties/%d/merge" % keep, {"from": [dup]})
        parties = [r["party"] for r in self.recipients(c["id"])["items"]]
        self.assertEqual(sorted(parties), sorted([gone, keep, keep]))
        self.ok("POST", "/api/v1/public/unsubscribe/" + tokens[dup], {}, token=None)
        self.assertEqual(self.may_email(keep), (False, "withdrawn"))
        # erased: no address kept, the link is gone, the outcome still counts
        self.ok("POST", "/api/v1/parties/%d/erase" % gone)
        row = [r for r in self.recipients(c["id"])["items"] if r["party"] == gone][0]
        self.assertIsNone(row["email"])
        self.problem("GET", "/api/v1/public/unsubscribe/" + tokens[gone], None, 404, token=None)
        self.assertEqual(self.ok("GET", "/api/v1/campaigns/%d" % c["id"])["report"]["recipients"],
                         3)

    def test_access_per_domain(self):
        tag = "ac" + word()
        self.person(tag, consent=True)
        seg = self.segment(tag)
        sales = self.user({"sales": "write", "pr": "read"})
        hr_camp = self.campaign(seg, domain="hr")
        pr_camp = self.campaign(seg, domain="pr")
        # a sales user does not see an hr campaign
        self.problem("GET", "/api/v1/campaigns/%d" % hr_camp["id"], None, 404, token=sales)
        self.problem("GET", "/api/v1/campaigns/%d/recipients" % hr_camp["id"], None, 404,
                     token=sales)
        self.problem("POST", "/api/v1/campaigns/%d/send" % hr_camp["id"], None, 404, token=sales)
        listed = [x["id"] for x in self.ok("GET", "/api/v1/campaigns?limit=500",
                                           token=sales)["items"]]
        self.assertIn(pr_camp["id"], listed)
        self.assertNotIn(hr_camp["id"], listed)
        # pr read: sees, may not change or send
        self.ok("GET", "/api/v1/campaigns/%d" % pr_camp["id"], token=sales)
        self.problem("PATCH", "/api/v1/campaigns/%d" % pr_camp["id"], {"name": "x"}, 403,
                     token=sales)
        self.problem("POST", "/api/v1/campaigns/%d/send" % pr_camp["id"], None, 403, token=sales)
        self.problem("DELETE", "/api/v1/campaigns/%d" % pr_camp["id"], None, 403, token=sales)
        self.problem("POST", "/api/v1/campaigns", {
            "name": "x", "segment": seg, "subject": "s", "body": "b", "domain": "hr"}, 403,
            token=sales)
        self.assertEqual(self.ok("GET", "/api/v1/campaigns/%d" % pr_camp["id"])["status"],
                         "draft")
        # sales write: its own campaigns
        mine = self.campaign(seg, token=sales)
        self.ok("DELETE", "/api/v1/campaigns/%d" % mine["id"], None, 204, token=sales)
        self.problem("GET", "/api/v1/campaigns/%d" % mine["id"], None, 404)

    def test_validation(self):
        tag = "va" + word()
        seg = self.segment(tag)
        base = {"name": "Brief", "segment": seg, "subject": "Onderwerp", "body": "Tekst",
                "domain": "pr"}
        self.problem("POST", "/api/v1/campaigns", dict(base, segment=99999999), 422,
                     field="segment")
        self.problem("POST", "/api/v1/campaigns", {k: v for k, v in base.items()
                                                   if k != "subject"}, 422, field="subject")
        self.problem("POST", "/api/v1/campaigns", dict(base, domain="marketing"), 422,
                     field="domain")
        # the status is the server's: a client cannot create a sent campaign
        empty = self.ok("POST", "/api/v1/campaigns", dict(base, status="sent"), 201)
        self.assertEqual(empty["status"], "draft")
        self.problem("POST", "/api/v1/campaigns/%d/send" % empty["id"], None, 422,
                     field="segment")
        self.assertEqual(self.ok("GET", "/api/v1/campaigns/%d" % empty["id"])["status"], "draft")



class CampaignBatchTest(CampaignBase):
    """A send written in several batches (3 members each) gives what one batch gives."""

    MAIL_ENV = dict(CampaignBase.MAIL_ENV, XRM_CAMPAIGN_BATCH="3")

    def test_more_members_than_one_batch(self):
        tag = "bt" + word()
        pending = [self.person(tag, consent=True) for _ in range(6)]
        skipped = {self.person(tag): "no_basis", self.person(tag): "no_basis",
                   self.person(tag, email=False, consent=True): "no_email",
                   self.person(tag, consent=True, tags=["non-mailing"]): "non_mailing"}
        c = self.campaign(self.segment(tag))
        pre = self.recipients(c["id"])
        self.assertEqual(pre["reasons"], {"no_basis": 2, "no_email": 1, "non_mailing": 1})

        res = self.ok("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 200)
        self.assertEqual((res["sent"], res["skipped"]), (6, 4))
        self.assertEqual(res["report"]["reasons"], pre["reasons"])
        self.assertEqual(res["report"]["recipients"], 10)

        addr = {self.ok("GET", "/api/v1/parties/%d" % pid)["emails"][0]["value"]: pid
                for pid in pending}
        self.mails_to(set(addr), 6)
        done = self.report_until(c["id"], lambda r: r and r["sent"] == 6)
        self.assertEqual(done["status"], "sent")
        self.assertEqual({k: done["report"][k] for k in ("sent", "bounced", "skipped", "queued",
                                                         "recipients")},
                         {"sent": 6, "bounced": 0, "skipped": 4, "queued": 0, "recipients": 10})
        self.assertEqual(done["report"]["reasons"], pre["reasons"])
        # exactly one mail per recipient, none to the skipped
        got = [m["X-Sink-Rcpt"].strip() for m in self.sink.messages()
               if m["X-Sink-Rcpt"].strip() in addr]
        self.assertEqual(sorted(got), sorted(addr))
        # one row per member, with its outcome and reason
        after = self.recipients(c["id"])
        self.assertEqual(len(after["items"]), 10)
        self.assertEqual({r["party"]: (r["status"], r["reason"]) for r in after["items"]},
                         {**{pid: ("sent", None) for pid in pending},
                          **{pid: ("skipped", why) for pid, why in skipped.items()}})
        self.assertEqual(after["counts"], {"pending": 0, "queued": 0, "sent": 6, "skipped": 4,
                                           "bounced": 0})
        self.problem("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 409)


class CampaignResumeTest(CampaignBase):
    """A send that stopped between two batches is resumed by sending again: nobody is lost
    or gets a second mail."""

    SMTP = False
    MAIL_ENV = dict(CampaignBase.MAIL_ENV, XRM_CAMPAIGN_BATCH="3")

    def sql(self, *statements):
        if PG_URL:
            for st in statements:
                subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                self.server.db, "-c", st], check=True, capture_output=True,
                               timeout=60)
            return
        db = sqlite3.connect(self.server.db)
        for st in statements:
            db.execute(st)
        db.commit()
        db.close()

    def test_stopped_send_resumes(self):
        tag = "rs" + word()
        pending = [self.person(tag, consent=True) for _ in range(5)]
        skipped = [self.person(tag), self.person(tag)]
        c = self.campaign(self.segment(tag))
        res = self.ok("POST", "/api/v1/campaigns/%d/send" % c["id"], None, 200)
        self.assertEqual((res["sent"], res["skipped"]), (5, 2))
        self.server.kill()
        # what a stop after the first batch of 3 leaves: its rows and mails, the campaign
        # sending; the later batches' writes never committed
        cid = c["id"]
        later = ("SELECT id FROM campaign_recipients WHERE campaign_id = %d AND id > (SELECT "
                 "MIN(id) + 2 FROM campaign_recipients WHERE campaign_id = %d)" % (cid, cid))
        mails = "SELECT outbox_id FROM campaign_recipients WHERE id IN (%s)" % later
        self.sql("DELETE FROM mail_messages WHERE outbox_id IN (%s)" % mails,
                 "DELETE FROM mail_outbox WHERE id IN (%s)" % mails,
                 "DELETE FROM campaign_recipients WHERE id IN (%s)" % later,
                 "UPDATE campaigns SET status = 'sending', report = NULL, sent_at = NULL "
                 "WHERE id = %d" % cid)
        self.server.env["XRM_SMTP_URL"] = self.sink.url
        self.server.start()
        self.__class__.client = self.server.client()
        self.client = self.__class__.client

        half = self.ok("GET", "/api/v1/campaigns/%d" % cid)
        self.assertEqual(half["status"], "sending")
        self.assertEqual(half["report"]["recipients"], 3)
        self.problem("PATCH", "/api/v1/campaigns/%d" % cid, {"name": "x"}, 409)
        self.problem("DELETE", "/api/v1/campaigns/%d" % cid, None, 409)

        res = self.ok("POST", "/api/v1/campaigns/%d/send" % cid, None, 200)
        self.assertEqual((res["sent"], res["skipped"]), (5, 2))
        self.assertEqual(res["report"]["reasons"], {"no_basis": 2})
        addr = {self.ok("GET", "/api/v1/parties/%d" % pid)["emails"][0]["value"]: pid
                for pid in pending}
        self.mails_to(set(addr), 5)
        done = self.report_until(cid, lambda r: r and r["sent"] == 5)
        self.assertEqual(done["status"], "sent")
        self.assertEqual({k: done["report"][k] for k in ("sent", "skipped", "queued",
                                                         "recipients")},
                         {"sent": 5, "skipped": 2, "queued": 0, "recipients": 7})
        time.sleep(1)  # nothing more arrives
        got = [m["X-Sink-Rcpt"].strip() for m in self.sink.messages()
               if m["X-Sink-Rcpt"].strip() in addr]
        self.assertEqual(sorted(got), sorted(addr), "each recipient exactly once")
        rows = self.recipients(cid)["items"]
        self.assertEqual(sorted(r["party"] for r in rows), sorted(pending + skipped))
        self.problem("POST", "/api/v1/campaigns/%d/send" % cid, None, 409)


class UnsubscribeLimitTest(ClockTestCase):
    """Guessing unsubscribe links is slowed down per client address, apart from logins."""

    def test_unknown_links_are_throttled(self):
        for i in range(5):
            self.problem("POST", "/api/v1/public/unsubscribe/%048x" % i, None, 404, token=None)
        prob = self.problem("GET", "/api/v1/public/unsubscribe/%048x" % 99, None, 429,
                            token=None)
        self.assertEqual(prob["code"], "link_throttled")
        st, _, js = self.client.req(
            "POST", "/api/v1/public/unsubscribe/%048x" % 98, "List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"}, token=None)
        self.assertEqual((st, js["code"]), (429, "link_throttled"))
        # signing in from the same address still works
        self.user({"pr": "write"})


if __name__ == "__main__":
    unittest.main()
