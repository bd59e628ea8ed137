"""Signed webhooks against a real receiver (tests/api/hookreceiver.py, a process of its own
that checks the HMAC-SHA256 signature, refuses a timestamp older than 5 minutes and can fail
or hang on purpose). Checked here: every event type of a party, role, activity, deal, case,
agreement and invoice change arrives exactly once after the receiver failed the first
attempts, signed; a captured delivery replayed later is refused by the receiver; a kill -9
with deliveries queued and one in flight loses none (only the one in flight may come twice,
with the same event id); a delivery not taken within the retry window is dead and a replay
delivers it; the body carries what the subscription's owner may see in the subscription's
domains (an employee's salary only reaches a hook for hr); administrators only (403 on every
route for others); a bad URL is 422; the secret is answered once and never again."""

import json
import os
import re
import sqlite3
import subprocess
import time
import unittest

from billing_base import COMPANY, LINES
from clock import ClockServer
from harness import PG_URL, ApiTestCase, word
from hookreceiver import HookReceiver

NOW = "2026-12-07T09:00:00Z"

KINDS = ("party", "role", "activity", "deal", "case", "agreement", "invoice")
EVENTS = ["%s.%s" % (k, v) for k in KINDS for v in ("created", "updated", "deleted")]


class WebhookCase(ApiTestCase):
    """A server at NOW (retries after 1 s) and a receiver of its own (cls.rx)."""

    ENV = {"XRM_WEBHOOK_RETRY_SECONDS": "1"}

    @classmethod
    def setUpClass(cls):
        cls.rx = HookReceiver().start()
        cls.server = ClockServer(dict({"XRM_NOW": NOW, "XRM_AUTOMATION_INTERVAL": "0"},
                                      **cls.ENV))
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            cls.rx.stop()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.rx.stop()

    def setUp(self):
        self.rx.fail_next(0)
        self.rx.hang_next(0)
        self.rx.clock_ahead(0)

    def hook(self, events=("*",), domains=(), token=None, **kw):
        """A webhook to a fresh path of the receiver, which learns its secret."""
        name = word(8).lower()
        body = dict({"url": self.rx.url(name), "events": list(events),
                     "domains": list(domains)}, **kw)
        h = self.ok("POST", "/api/v1/webhooks", body, 201,
                    **({"token": token} if token else {}))
        self.rx.set_secret(name, body.get("secret") or h["secret"])
        h["name"] = name
        return h

    def deliveries(self, hook, status=None):
        path = "/api/v1/webhooks/%d/deliveries" % hook["id"]
        return self.list_all(path, **({"status": status} if status else {}))

    def wait_delivered(self, hook, timeout=60):
        """Waits until no delivery of hook is pending or being sent; returns them all."""
        deadline = time.monotonic() + timeout
        while True:
            ds = self.deliveries(hook)
            if all(d["status"] in ("delivered", "dead") for d in ds):
                return ds
            if time.monotonic() > deadline:
                self.fail("deliveries still pending: %r" % ds)
            time.sleep(0.2)

    def user(self, access):
        name = "u_" + word()
        pw = "pw-" + word(12)
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw, "access": access}, 201)
        js = self.ok("POST", "/api/v1/session", {"user": name, "password": pw, "bearer": True},
                     201, token=None)
        return js["token"]

    def sql(self, statement):
        """Runs one statement on the server's database while it is down."""
        if PG_URL:
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server.db,
                            "-c", statement], check=True, capture_output=True, timeout=60)
        else:
            db = sqlite3.connect(self.server.db)
            db.execute(statement)
            db.commit()
            db.close()


class EventsTest(WebhookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.server.client()
        status, _, body = c.req("PUT", "/api/v1/settings/company", COMPANY)
        c.close()
        if status != 200:
            raise RuntimeError("company settings: %s %s" % (status, body))

    def changes(self):
        """One change of each kind: created, updated, deleted."""
        p = self.create_party(kind="organization", name="Webhook " + word())
        pid = p["id"]
        self.ok("PATCH", "/api/v1/parties/%d" % pid, {"tags": ["webhook"]})
        r = self.ok("POST", "/api/v1/parties/%d/roles" % pid,
                    {"type": "customer", "status": "prospect"}, 201)
        self.ok("PATCH", "/api/v1/roles/%d" % r["id"], {"status": "active"})
        self.ok("DELETE", "/api/v1/roles/%d" % r["id"], status=204)
        a = self.ok("POST", "/api/v1/activities", {"type": "note", "domain": "sales",
                                                   "subject": "Gebeld", "parties": [pid]}, 201)
        self.ok("PATCH", "/api/v1/activities/%d" % a["id"], {"subject": "Teruggebeld"})
        self.ok("DELETE", "/api/v1/activities/%d" % a["id"], status=204)
        d = self.ok("POST", "/api/v1/deals", {"party": pid, "title": "Deal " + word(4)}, 201)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"title": "Grotere deal"})
        self.ok("DELETE", "/api/v1/deals/%d" % d["id"], status=204)
        c = self.ok("POST", "/api/v1/cases", {"party": pid, "subject": "Vraag " + word(4)}, 201)
        self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"priority": "high"})
        self.ok("DELETE", "/api/v1/cases/%d" % c["id"], status=204)
        g = self.ok("POST", "/api/v1/agreements", {"party": pid, "kind": "customer_contract",
                                                   "start": "2026-01-01"}, 201)
        self.ok("PATCH", "/api/v1/agreements/%d" % g["id"], {"notes": "verlengd"})
        self.ok("DELETE", "/api/v1/agreements/%d" % g["id"], status=204)
        i = self.ok("POST", "/api/v1/invoices", {"party": pid, "lines": LINES}, 201)
        self.ok("PATCH", "/api/v1/invoices/%d" % i["id"], {"lines": LINES[1:2]})
        self.ok("DELETE", "/api/v1/invoices/%d" % i["id"], status=204)
        self.ok("DELETE", "/api/v1/parties/%d" % pid, status=204)
        return pid

    def test_every_event_once_after_failures_signed(self):
        h = self.hook()
        self.rx.fail_next(3, hook=h["name"])
        pid = self.changes()
        ds = self.wait_delivered(h)
        self.assertEqual({d["status"] for d in ds}, {"delivered"})
        self.assertEqual(set(EVENTS) - {d["event"] for d in ds}, set(), "every event type")
        got = self.rx.accepted(h["name"])
        ids = [g["event_id"] for g in got]
        self.assertEqual(sorted(ids), sorted(d["event_id"] for d in ds),
                         "each event id exactly once")
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(self.rx.refused(h["name"])), 3, "only the 3 failed on purpose")
        self.assertGreater(max(d["attempts"] for d in ds), 1, "the first ones were retried")
        for g in got:
            self.assertEqual(g["content_type"], "application/json")
            self.assertEqual(g["user_agent"], "xrm-webhooks/1")
            self.assertRegex(g["signature"], r"^t=\d+,v1=[0-9a-f]{64}$")
            body = json.loads(g["body"])
            self.assertEqual((body["id"], body["type"]), (g["event_id"], g["event"]))
            self.assertRegex(body["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        by = {json.loads(g["body"])["type"]: json.loads(g["body"]) for g in got}
        self.assertEqual(by["party.created"]["data"]["id"], pid)
        self.assertEqual(by["party.created"]["domain"], None)
        self.assertEqual(by["party.deleted"]["data"], {"id": pid})
        self.assertEqual(by["deal.updated"]["data"]["title"], "Grotere deal")
        self.assertEqual(by["deal.updated"]["domain"], "sales")
        self.assertEqual(by["activity.created"]["data"]["subject"], "Gebeld")
        h2 = self.ok("GET", "/api/v1/webhooks/%d" % h["id"])
        self.assertEqual(h2["stats"], {"delivered": len(ds), "pending": 0, "failed": 0})

    def test_only_the_events_asked_for(self):
        h = self.hook(events=["deal.created"])
        p = self.create_party()
        d = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Alleen dit"}, 201)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"title": "Niet dit"})
        ds = self.wait_delivered(h)
        self.assertEqual([x["event"] for x in ds], ["deal.created"])
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 1)
        body = json.loads(self.rx.accepted(h["name"])[0]["body"])
        self.assertEqual(body["data"]["title"], "Alleen dit")

    def test_a_receiver_that_hangs_gets_it_again(self):
        h = self.hook(events=["party.created"])
        self.rx.hang_next(1, seconds=15, hook=h["name"])
        p = self.create_party()
        ds = self.wait_delivered(h, timeout=90)
        self.assertEqual([(d["status"], d["attempts"]) for d in ds], [("delivered", 2)])
        got = self.rx.accepted(h["name"])
        self.assertEqual([json.loads(g["body"])["data"]["id"] for g in got], [p["id"]])
        self.assertEqual([r["refused"] for r in self.rx.refused(h["name"])], ["told to hang"])

    def test_erasure_takes_the_queued_copies_of_the_party(self):
        h = self.hook()
        self.rx.fail_next(10000, hook=h["name"])
        name = "Wissen" + word(6)
        p = self.create_party(kind="person", given_name="Erik", family_name=name,
                              emails=[{"label": "thuis", "value": "%s@wis.test" % name.lower()}])
        self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Voor " + name}, 201)
        self.assertGreaterEqual(len(self.deliveries(h)), 2)
        self.ok("POST", "/api/v1/parties/%d/erase" % p["id"])
        self.rx.fail_next(0)
        ds = self.wait_delivered(h)
        self.assertIn("party.deleted", [d["event"] for d in ds])
        got = self.rx.accepted(h["name"])
        self.assertIn({"id": p["id"]}, [json.loads(g["body"])["data"] for g in got])
        for g in got:
            self.assertNotIn(name, g["body"])
            self.assertNotIn(name.lower(), g["body"])

    def test_replayed_old_delivery_is_refused(self):
        h = self.hook(events=["party.created"])
        self.create_party()
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 1)
        cap = self.rx.accepted(h["name"])[0]
        headers = {"Content-Type": "application/json", "X-Xrm-Signature": cap["signature"],
                   "X-Xrm-Event": cap["event"], "X-Xrm-Event-Id": cap["event_id"]}
        # at once it verifies (and is recognised as a duplicate event)
        self.assertEqual(self.rx.post(h["name"], cap["body"], headers), 200)
        # a changed body under the captured signature does not verify
        self.assertEqual(self.rx.post(h["name"], cap["body"].replace("}", " }", 1), headers), 401)
        # six minutes later the captured delivery is refused by its timestamp
        self.rx.clock_ahead(360)
        self.assertEqual(self.rx.post(h["name"], cap["body"], headers), 400)
        self.assertEqual(self.rx.refused(h["name"])[-1]["refused"], "too old")

    def test_test_ping(self):
        h = self.hook(events=["case.created"])
        d = self.ok("POST", "/api/v1/webhooks/%d/test" % h["id"], None, 201)
        self.assertEqual((d["event"], d["status"]), ("ping", "pending"))
        self.rx.wait(lambda rx: any(g["event"] == "ping" for g in rx.accepted(h["name"])))
        body = json.loads(self.rx.accepted(h["name"])[0]["body"])
        self.assertEqual((body["type"], body["data"]), ("ping", {"webhook": h["id"]}))

    def test_disabled_hook_gets_nothing_and_deleted_hook_is_gone(self):
        h = self.hook(events=["party.created"], enabled=False)
        self.create_party()
        self.assertEqual(self.deliveries(h), [])
        self.ok("PATCH", "/api/v1/webhooks/%d" % h["id"], {"enabled": True})
        self.create_party()
        self.assertEqual(len(self.wait_delivered(h)), 1)
        self.ok("DELETE", "/api/v1/webhooks/%d" % h["id"], status=204)
        self.problem("GET", "/api/v1/webhooks/%d" % h["id"], status=404)
        self.problem("GET", "/api/v1/webhooks/%d/deliveries" % h["id"], status=404)

    def test_salary_reaches_only_a_hook_for_hr(self):
        events = ["party.created", "role.created", "role.updated"]
        sales = self.hook(events=events, domains=["sales"])
        hr = self.hook(events=events, domains=["hr"])
        every = self.hook(events=events)
        salary = 412345
        emp = self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "status": "active", "since": "2025-01-01",
            "attributes": {"job_title": "monteur", "salary": salary}}])
        self.ok("PATCH", "/api/v1/roles/%d" % emp["roles"][0]["id"],
                {"attributes": {"salary": salary + 1}})
        for h in (sales, hr, every):
            self.wait_delivered(h)
        events_of = {h["name"]: sorted(json.loads(g["body"])["type"]
                                       for g in self.rx.accepted(h["name"]))
                     for h in (sales, hr, every)}
        # the employee role is an hr record: no role event for a sales-only hook
        self.assertEqual(events_of[sales["name"]], ["party.created"])
        self.assertEqual(events_of[hr["name"]], ["party.created", "role.created",
                                                 "role.updated"])
        self.assertEqual(events_of[every["name"]], events_of[hr["name"]])
        for g in self.rx.accepted(sales["name"]):
            self.assertNotIn(str(salary), g["body"], "no salary for a sales hook")
            self.assertEqual(json.loads(g["body"])["data"]["id"], emp["id"])
        for h in (hr, every):
            bodies = {json.loads(g["body"])["type"]: json.loads(g["body"])
                      for g in self.rx.accepted(h["name"])}
            self.assertEqual(bodies["role.created"]["data"]["attributes"]["salary"], salary)
            self.assertEqual(bodies["role.updated"]["data"]["attributes"]["salary"], salary + 1)
            self.assertEqual(bodies["role.created"]["domain"], "hr")

    def test_owner_who_lost_access_gets_what_they_may_see(self):
        # a second administrator owns a hook, then keeps sales read only
        name, pw = "adm_" + word(), "pw-" + word(12)
        u = self.ok("POST", "/api/v1/users", {"name": name, "password": pw, "admin": True}, 201)
        tok = self.ok("POST", "/api/v1/session", {"user": name, "password": pw, "bearer": True},
                      201, token=None)["token"]
        h = self.hook(events=["party.created", "role.created", "deal.created"], token=tok)
        self.assertEqual(h["owner"]["id"], u["id"])
        self.ok("PATCH", "/api/v1/users/%d" % u["id"],
                {"admin": False, "access": {"sales": "read"}})
        emp = self.create_party(family_name="Mdw " + word(), roles=[{
            "type": "employee", "status": "active", "since": "2025-01-01",
            "attributes": {"salary": 398765}}])
        self.ok("POST", "/api/v1/deals", {"party": emp["id"], "title": "Verkoop"}, 201)
        self.wait_delivered(h)
        got = self.rx.accepted(h["name"])
        self.assertEqual(sorted(g["event"] for g in got), ["deal.created", "party.created"])
        for g in got:
            self.assertNotIn("398765", g["body"])


class AdminOnlyTest(WebhookCase):
    def test_others_get_403_on_every_route(self):
        h = self.hook(events=["party.created"])
        d = self.ok("POST", "/api/v1/webhooks/%d/test" % h["id"], None, 201)
        tok = self.user({"sales": "full", "hr": "full", "partners": "full",
                         "purchasing": "full", "pr": "full"})
        body = {"url": self.rx.url("x"), "events": ["*"]}
        for method, path, b in (
                ("GET", "/api/v1/webhooks", None),
                ("POST", "/api/v1/webhooks", body),
                ("GET", "/api/v1/webhooks/%d" % h["id"], None),
                ("PATCH", "/api/v1/webhooks/%d" % h["id"], {"enabled": False}),
                ("DELETE", "/api/v1/webhooks/%d" % h["id"], None),
                ("GET", "/api/v1/webhooks/%d/deliveries" % h["id"], None),
                ("POST", "/api/v1/webhooks/%d/deliveries/%d/replay" % (h["id"], d["id"]), None),
                ("POST", "/api/v1/webhooks/%d/replay" % h["id"], {"status": "dead"}),
                ("POST", "/api/v1/webhooks/%d/test" % h["id"], None)):
            self.problem(method, path, b, 403, token=tok)
        after = self.ok("GET", "/api/v1/webhooks/%d" % h["id"])
        self.assertEqual((after["enabled"], after["version"]), (True, 1))
        self.assertEqual(len(self.deliveries(h)), 1)
        urls = [x["url"] for x in self.ok("GET", "/api/v1/webhooks")["items"]]
        self.assertNotIn(self.rx.url("x"), urls)

    def test_bad_input_is_422_and_changes_nothing(self):
        for url in ("ftp://example.nl/hook", "example.nl/hook", "http://", "https:// x.nl/",
                    "http://example.nl/" + "a" * 2040):
            self.problem("POST", "/api/v1/webhooks", {"url": url, "events": ["*"]}, 422, "url")
        good = self.rx.url("y")
        self.problem("POST", "/api/v1/webhooks", {"url": good, "events": ["party.moved"]}, 422,
                     "events")
        self.problem("POST", "/api/v1/webhooks", {"url": good, "events": []}, 422, "events")
        self.problem("POST", "/api/v1/webhooks", {"url": good}, 422, "events")
        self.problem("POST", "/api/v1/webhooks", {"url": good, "events": ["*"],
                                                  "domains": ["finance"]}, 422, "domains")
        self.problem("POST", "/api/v1/webhooks", {"url": good, "events": ["*"],
                                                  "secret": "short"}, 422, "secret")
        self.problem("POST", "/api/v1/webhooks", {"url": good, "events": ["*"],
                                                  "colour": "red"}, 422, "colour")
        self.assertEqual([h["url"] for h in self.ok("GET", "/api/v1/webhooks")["items"]
                          if h["url"] == good], [])
        h = self.hook()
        self.problem("GET", "/api/v1/webhooks/%d/deliveries?status=lost" % h["id"], status=422,
                     field="status")

    def test_secret_is_answered_once(self):
        h = self.hook(events=["party.created"], description="ERP")
        self.assertRegex(h["secret"], r"^[0-9a-f]{64}$")
        self.assertTrue(h["secret_set"])
        secret = h["secret"]
        got = self.ok("GET", "/api/v1/webhooks/%d" % h["id"])
        patched = self.ok("PATCH", "/api/v1/webhooks/%d" % h["id"], {"description": "ERP 2"})
        listed = self.ok("GET", "/api/v1/webhooks")["items"]
        given = self.ok("POST", "/api/v1/webhooks", {"url": self.rx.url("z"),
                                                     "events": ["*"],
                                                     "secret": "my-own-secret-of-32-chars"}, 201)
        for o in [got, patched, given] + listed:
            self.assertNotIn("secret", o)
            self.assertTrue(o["secret_set"])
        for o in [got, patched, given] + listed:
            self.assertNotIn(secret, json.dumps(o))
        # the kept secret still signs after a patch that did not name it
        self.create_party()
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 1)
        # a new secret replaces it
        self.ok("PATCH", "/api/v1/webhooks/%d" % h["id"], {"secret": "a-new-secret-0123456789"})
        self.rx.set_secret(h["name"], "a-new-secret-0123456789")
        self.create_party()
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 2)
        self.assertEqual(self.rx.refused(h["name"]), [])


class DeadLetterTest(WebhookCase):
    """A retry window of 3 s: a receiver that keeps failing makes deliveries dead."""

    ENV = {"XRM_WEBHOOK_RETRY_SECONDS": "1", "XRM_WEBHOOK_WINDOW_SECONDS": "3"}

    def wait_status(self, hook, status, n, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            ds = self.deliveries(hook, status)
            if len(ds) >= n:
                return ds
            if time.monotonic() > deadline:
                self.fail("%d %s deliveries expected: %r" % (n, status, self.deliveries(hook)))
            time.sleep(0.2)

    def test_dead_then_replayed(self):
        h = self.hook(events=["party.created"])
        self.rx.fail_next(10000, hook=h["name"])
        p1, p2, p3 = self.create_party(), self.create_party(), self.create_party()
        dead = self.wait_status(h, "dead", 3)
        self.assertTrue(all(d["attempts"] >= 2 and d["last_status"] == 500 for d in dead))
        self.assertEqual(self.ok("GET", "/api/v1/webhooks/%d" % h["id"])["stats"]["failed"], 3)
        self.assertEqual(self.rx.accepted(h["name"]), [])
        self.rx.fail_next(0)
        one = self.ok("POST", "/api/v1/webhooks/%d/deliveries/%d/replay" % (h["id"],
                                                                          dead[-1]["id"]),
                      None, 200)
        self.assertEqual((one["status"], one["attempts"]), ("pending", 0))
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 1)
        self.assertEqual(self.rx.accepted(h["name"])[0]["event_id"], dead[-1]["event_id"])
        self.assertEqual(self.ok("POST", "/api/v1/webhooks/%d/replay" % h["id"],
                                 {"status": "dead"}), {"replayed": 2})
        ds = self.wait_delivered(h)
        self.assertEqual({d["status"] for d in ds}, {"delivered"})
        got = sorted(json.loads(g["body"])["data"]["id"] for g in self.rx.accepted(h["name"]))
        self.assertEqual(got, sorted([p1["id"], p2["id"], p3["id"]]))
        self.assertEqual(self.ok("POST", "/api/v1/webhooks/%d/replay" % h["id"],
                                 {"status": "dead"}), {"replayed": 0})
        self.problem("POST", "/api/v1/webhooks/%d/deliveries/999999/replay" % h["id"],
                     status=404)


class CrashTest(WebhookCase):
    """Deliveries queued behind one in flight; kill -9; after the restart none is lost."""

    def test_kill_loses_none(self):
        h = self.hook(events=["party.created"])
        first = self.create_party()
        self.rx.wait(lambda rx: len(rx.accepted(h["name"])) == 1)
        self.wait_delivered(h)
        self.rx.hang_next(1, seconds=20, hook=h["name"])
        hung = self.create_party()
        deadline = time.monotonic() + 30
        while not any(d["status"] == "sending" for d in self.deliveries(h, "pending")):
            self.assertLess(time.monotonic(), deadline, "the delivery was never in flight")
            time.sleep(0.1)
        rest = [self.create_party() for _ in range(4)]
        queued = self.deliveries(h, "pending")
        self.assertEqual(len(queued), 5, queued)
        self.server.kill()
        # the first one as a crash between the receiver's 200 and the outcome leaves it
        self.sql("UPDATE webhook_deliveries SET status = 'sending' WHERE id = (SELECT MIN(id) "
                 "FROM webhook_deliveries)")
        self.server.start()
        self.client.close()
        self.__class__.client = self.server.client()
        self.client = self.__class__.client
        ds = self.wait_delivered(h)
        self.assertEqual({d["status"] for d in ds}, {"delivered"})
        want = {d["event_id"] for d in ds}
        self.rx.wait(lambda rx: {g["event_id"] for g in rx.accepted(h["name"])} >= want,
                     what="every event after the restart")
        got = self.rx.accepted(h["name"])
        parties = sorted(json.loads(g["body"])["data"]["id"] for g in got if not g["duplicate"])
        self.assertEqual(parties, sorted(p["id"] for p in [first, hung] + rest), "none missing")
        dups = {g["event_id"] for g in got if g["duplicate"]}
        first_event = min(ds, key=lambda d: d["id"])["event_id"]
        self.assertLessEqual(dups, {first_event}, "only the one in flight came twice")


if __name__ == "__main__":
    unittest.main()
