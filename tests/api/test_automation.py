"""Automations: the built-in ones on a fake clock (XRM_NOW) across server
restarts -- the idle-customer check-in fires once, not again after a restart
or a run by hand, and the renewal task appears 60 days before an agreement
ends -- the follow-up task when a deal enters Offerte, and automations an
administrator defines (validation, once per occurrence, set_field, add_tag)."""

import datetime
import os
import time
import unittest

from harness import (ApiTestCase, Server, describe, etag, q, run_cli, sanitizer_report,
                     word)

DAY1 = "2027-01-14T09:00:00Z"  # the agreement below ends in 61 days
DAY2 = "2027-01-15T09:00:00Z"  # ... and now in 60


class ClockServer(Server):
    """A server whose clock stands still at the XRM_NOW of self.env."""

    env = {}

    def start(self, extra_args=()):
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            return super().start(extra_args)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class RestartTest(unittest.TestCase):
    """One database, several server runs with the clock set for each."""

    maxDiff = 4000

    def setUp(self):
        self.server = ClockServer()
        self.server.init()
        self.client = None

    def tearDown(self):
        try:
            if self.server.proc is not None:
                self.stop()
        finally:
            self.server.cleanup()

    def start(self, now):
        self.server.env = {"XRM_NOW": now, "XRM_AUTOMATION_INTERVAL": "3600"}
        self.server.start()
        self.client = self.server.client()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            st = self.ok("GET", "/api/v1/automations/status")
            if st["runs"] >= 1:
                self.assertEqual((st["now"], st["fake_clock"]), (now, True))
                return st["last_run"]
            time.sleep(0.05)
        self.fail("the scheduler did not run at start")

    def stop(self):
        self.client.close()
        t0 = time.monotonic()
        rc, err = self.server.stop()
        self.assertLess(time.monotonic() - t0, 10, "SIGTERM must stop the server promptly")
        self.assertIsNone(sanitizer_report(err), err[-4000:])
        self.assertEqual(rc, 0, err[-4000:])

    def ok(self, method, path, body=None, status=200):
        st, _, js = self.client.req(method, path, body)
        if st != status:
            self.fail("expected %d%s" % (status, describe(self.client)))
        return js

    def tasks(self, pid):
        items = self.ok("GET", "/api/v1/parties/%d/timeline?limit=500" % pid)["items"]
        return [a for a in items if a["type"] == "task"]

    def test_idle_customer_once_and_renewal_60_days_before_end(self):
        self.start(DAY1)
        idle = self.ok("POST", "/api/v1/parties", {
            "kind": "organization", "name": "Stille Klant " + word(4),
            "roles": [{"type": "customer", "status": "active", "since": "2026-06-01"}]}, 201)
        self.ok("POST", "/api/v1/activities", {
            "type": "call", "domain": "sales", "subject": "Laatste contact",
            "parties": [idle["id"]], "at": "2026-09-01T10:00:00Z"}, 201)
        supplier = self.ok("POST", "/api/v1/parties", {"kind": "organization",
                                                        "name": "Leverancier " + word(4)}, 201)
        agr = self.ok("POST", "/api/v1/agreements", {
            "party": supplier["id"], "kind": "supplier_contract", "title": "Raamcontract",
            "start": "2026-03-17", "end": "2027-03-16", "notice_days": 30}, 201)
        self.assertEqual(agr["ends_in_days"], 61)
        self.assertEqual(self.tasks(idle["id"]), [], "nothing fires before a run")
        self.stop()

        # The scheduler runs when the server starts: one check-in task, no renewal yet.
        report = self.start(DAY1)
        self.assertEqual(report["errors"], 0, report)
        checkins = self.tasks(idle["id"])
        self.assertEqual([t["subject"] for t in checkins], ["Contact opnemen met " + idle["name"]])
        self.assertEqual((checkins[0]["due"], checkins[0]["assignee"], checkins[0]["done"]),
                         ("2027-01-21", 1, False))
        self.assertEqual(self.tasks(supplier["id"]), [])
        self.stop()

        # A restart on the same day creates no second task ...
        self.start(DAY1)
        self.assertEqual([t["id"] for t in self.tasks(idle["id"])], [checkins[0]["id"]])
        self.stop()
        # ... nor does a run by hand.
        r = run_cli(self.server.binary, "automation", "run", "--db", self.server.db,
                    env_extra={"XRM_NOW": DAY1})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 fired", r.stdout)
        self.assertIsNone(sanitizer_report(r.stderr), r.stderr)

        # The next day the agreement ends within 60 days: one renewal task.
        report = self.start(DAY2)
        renewals = self.tasks(supplier["id"])
        self.assertEqual(len(renewals), 1, renewals)
        self.assertIn("Raamcontract", renewals[0]["subject"])
        self.assertIn("2027-03-16", renewals[0]["subject"])
        self.assertEqual((renewals[0]["due"], renewals[0]["assignee"]),
                         ("2027-01-29", agr["owner"]))
        linked = self.ok("GET", "/api/v1/agreements/%d/activities" % agr["id"])["items"]
        self.assertEqual([(a["id"], a["link"]) for a in linked], [(renewals[0]["id"], "task")])
        self.assertEqual(len(self.tasks(idle["id"])), 1)
        fired = {a["name"]: a["fired"] for a in report["automations"]}
        self.assertEqual(fired["Overeenkomst verlengen"], 1)
        self.stop()

        # Still within 60 days after a restart: the ledger keeps it at one.
        self.start(DAY2)
        self.assertEqual([t["id"] for t in self.tasks(supplier["id"])], [renewals[0]["id"]])
        # A renewed agreement (new end date) is a new occurrence.
        self.ok("PATCH", "/api/v1/agreements/%d" % agr["id"], {"end": "2027-03-01"})
        self.ok("POST", "/api/v1/automations/run")
        self.assertEqual(len(self.tasks(supplier["id"])), 2)
        self.stop()

    def test_auto_renewing_agreement_rolls_over(self):
        self.start(DAY2)
        p = self.ok("POST", "/api/v1/parties", {"kind": "organization",
                                                 "name": "Onderhoud " + word(4)}, 201)
        a = self.ok("POST", "/api/v1/agreements", {
            "party": p["id"], "kind": "customer_contract", "start": "2025-01-01",
            "end": "2026-12-31", "auto_renew": True, "renew_months": 12}, 201)
        self.assertEqual(a["status"], "ended")
        report = self.ok("POST", "/api/v1/automations/run")
        self.assertEqual(report["renewed"], 1)
        a = self.ok("GET", "/api/v1/agreements/%d" % a["id"])
        self.assertEqual((a["end"], a["status"]), ("2027-12-31", "active"))
        self.assertEqual(self.ok("POST", "/api/v1/automations/run")["renewed"], 0)
        self.stop()


class AutomationTest(ApiTestCase):
    def stage_ids(self):
        pl = [p for p in self.ok("GET", "/api/v1/pipelines")["items"] if p["default"]][0]
        return {s["name"]: s["id"] for s in pl["stages"]}

    def test_deal_entering_offerte_gets_a_follow_up_task(self):
        st = self.stage_ids()
        p = self.create_party(kind="organization")
        d = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Dakkapel",
                                               "amount": 850000}, 201)
        self.assertEqual(self.ok("GET", "/api/v1/deals/%d/activities" % d["id"])["items"], [])
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"stage": st["Offerte"]})
        acts = self.ok("GET", "/api/v1/deals/%d/activities" % d["id"])["items"]
        self.assertEqual(len(acts), 1)
        t = acts[0]
        self.assertEqual((t["type"], t["subject"], t["assignee"], t["parties"], t["link"]),
                         ("task", "Offerte opvolgen: Dakkapel", d["owner"], [p["id"]], "task"))
        self.assertRegex(t["due"], r"^\d{4}-\d\d-\d\d$")
        # a run finds nothing new; leaving and entering again is a new occurrence
        self.ok("POST", "/api/v1/automations/run")
        self.assertEqual(len(self.ok("GET", "/api/v1/deals/%d/activities" % d["id"])["items"]), 1)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"stage": st["Onderhandeling"]})
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"stage": st["Offerte"]})
        self.assertEqual(len(self.ok("GET", "/api/v1/deals/%d/activities" % d["id"])["items"]), 2)

    def test_builtins_are_data(self):
        items = self.ok("GET", "/api/v1/automations")["items"]
        by_type = {a["trigger"]["type"]: a for a in items if a["builtin"]}
        self.assertEqual(by_type["deal_stage"]["trigger"]["stage"], "Offerte")
        self.assertEqual(by_type["customer_idle"]["trigger"]["days"], 90)
        self.assertEqual(by_type["agreement_ending"]["trigger"]["days"], 60)
        a = by_type["deal_stage"]
        self.problem("DELETE", "/api/v1/automations/%d" % a["id"], status=409)
        off = self.ok("PATCH", "/api/v1/automations/%d" % a["id"], {"enabled": False},
                      headers={"If-Match": etag(a["version"])})
        self.assertFalse(off["enabled"])
        try:
            st = self.stage_ids()
            p = self.create_party()
            d = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Stil",
                                                   "stage": st["Offerte"]}, 201)
            self.assertEqual(
                self.ok("GET", "/api/v1/deals/%d/activities" % d["id"])["items"], [])
        finally:
            self.ok("PATCH", "/api/v1/automations/%d" % a["id"], {"enabled": True})
        audit = self.ok("GET", "/api/v1/audit" + q(entity="automation", entity_id=str(a["id"])))
        self.assertGreaterEqual(len(audit["items"]), 2, "automation changes are audited")

    def test_custom_automation_on_breached_cases(self):
        h, au = self.ok_h("POST", "/api/v1/automations", {
            "name": "SLA verlopen: escaleren",
            "trigger": {"type": "case_sla_breached"},
            "actions": [
                {"type": "add_tag", "tag": "SLA-Verlopen"},
                {"type": "set_field", "field": "priority", "value": "top"},
                {"type": "create_task", "subject": "Escalatie: {case.subject} ({party.name})",
                 "due_days": 0},
                {"type": "add_note", "subject": "Zaak {case.id} over de SLA"}]}, 201)
        self.assertEqual(h["Location"], "/api/v1/automations/%d" % au["id"])
        self.assertEqual(au["actions"][0]["tag"], "sla-verlopen")
        p = self.create_party(kind="organization", name="Klant " + word(5))
        opened = (datetime.datetime.utcnow() - datetime.timedelta(hours=30)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        late = self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Lekkage",
                                                  "opened_at": opened}, 201)
        fresh = self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Nieuw"}, 201)
        report = self.ok("POST", "/api/v1/automations/run")
        mine = [a for a in report["automations"] if a["id"] == au["id"]][0]
        self.assertEqual((mine["fired"], mine["errors"]), (1, 0))
        self.assertEqual(self.ok("GET", "/api/v1/cases/%d" % late["id"])["priority"], "top")
        self.assertEqual(self.ok("GET", "/api/v1/cases/%d" % fresh["id"])["priority"], "normal")
        self.assertIn("sla-verlopen", self.get_party(p["id"])["tags"])
        acts = self.ok("GET", "/api/v1/cases/%d/messages" % late["id"])["items"]
        self.assertEqual(sorted((a["type"], a["subject"]) for a in acts),
                         [("note", "Zaak %d over de SLA" % late["id"]),
                          ("task", "Escalatie: Lekkage (%s)" % p["name"])])
        again = self.ok("POST", "/api/v1/automations/run")
        self.assertEqual([a["fired"] for a in again["automations"] if a["id"] == au["id"]], [0])
        self.assertEqual(len(self.ok("GET", "/api/v1/cases/%d/messages" % late["id"])["items"]),
                         2)
        self.ok("DELETE", "/api/v1/automations/%d" % au["id"], status=204)
        self.problem("GET", "/api/v1/automations/%d" % au["id"], status=404)

    def test_role_started_automation(self):
        self.ok("POST", "/api/v1/automations", {
            "name": "Welkom nieuwe partner", "trigger": {"type": "role_started",
                                                         "role": "partner"},
            "actions": [{"type": "create_task", "subject": "Kennismaken {party.name}",
                         "due_days": 1}]}, 201)
        today = datetime.date.today()
        new = self.create_party(roles=[{"type": "partner",
                                        "since": (today - datetime.timedelta(days=1)).isoformat()}])
        old = self.create_party(roles=[{"type": "partner", "since": "2020-01-01"}])
        self.ok("POST", "/api/v1/automations/run")
        tl = lambda pid: [a for a in self.ok("GET", "/api/v1/parties/%d/timeline"
                                             % pid)["items"] if a["type"] == "task"]
        got = tl(new["id"])
        self.assertEqual([(a["subject"], a["domain"]) for a in got],
                         [("Kennismaken " + new["name"], "partners")])
        self.assertEqual(tl(old["id"]), [])
        # employees are on- and offboarded by HR's checklists, not by automations
        self.problem("POST", "/api/v1/automations", {
            "name": "Welkom nieuwe collega", "trigger": {"type": "role_started",
                                                         "role": "employee"},
            "actions": [{"type": "create_task", "subject": "Inwerken", "due_days": 1}]},
            422, "trigger.role")

    def test_validation_and_admin_only(self):
        bad = [({"trigger": {"type": "deal_stage", "stage": "Offerte"},
                 "actions": [{"type": "add_note", "subject": "x"}]}, "name"),
               ({"name": "x", "actions": [{"type": "add_note", "subject": "x"}]}, "trigger"),
               ({"name": "x", "trigger": {"type": "weather"},
                 "actions": [{"type": "add_note", "subject": "x"}]}, "trigger.type"),
               ({"name": "x", "trigger": {"type": "customer_idle"},
                 "actions": [{"type": "add_note", "subject": "x"}]}, "trigger.days"),
               ({"name": "x", "trigger": {"type": "role_ended", "role": "astronaut"},
                 "actions": [{"type": "add_note", "subject": "x"}]}, "trigger.role"),
               ({"name": "x", "trigger": {"type": "case_sla_breached"}, "actions": []},
                "actions"),
               ({"name": "x", "trigger": {"type": "case_sla_breached"},
                 "actions": [{"type": "send_fax"}]}, "actions[0].type"),
               ({"name": "x", "trigger": {"type": "case_sla_breached"},
                 "actions": [{"type": "set_field", "field": "amount", "value": 1}]},
                "actions[0].field"),
               ({"name": "x", "trigger": {"type": "case_sla_breached"},
                 "actions": [{"type": "add_tag", "tag": "met spatie"}]}, "actions[0].tag"),
               ({"name": "x", "trigger": {"type": "case_sla_breached"},
                 "actions": [{"type": "create_task", "subject": "x", "assignee": 999999}]},
                "actions[0].assignee")]
        for body, field in bad:
            with self.subTest(field=field):
                self.problem("POST", "/api/v1/automations", body, 422, field)
        name = "medewerker" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "write"}}, 201)
        tok = self.server.make_token(name)
        self.ok("GET", "/api/v1/automations", token=tok)
        # refused before the body is read: an incomplete one on purpose
        self.problem("POST", "/api/v1/automations", {"name": "x"}, 403, token=tok, invalid=True)
        self.problem("POST", "/api/v1/automations/run", None, 403, token=tok)

    def test_cli_help_and_usage(self):
        r = run_cli(self.server.binary, "automation", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("XRM_NOW", r.stdout)
        r = run_cli(self.server.binary, "automation", "go")
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
