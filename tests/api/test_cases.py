"""Helpdesk cases: the SLA from the party's treatment (a gold partner who is
also a customer gets 4 hours), from the priority otherwise; sla:breached and
the other filters of GET /api/v1/cases?q=; messages and internal notes in
the case and the party's timeline; a complaint that opens a case; access by
domain."""

import datetime
import unittest

from harness import ApiTestCase, etag, q, word


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def hours_between(a, b):
    return (parse(b) - parse(a)).total_seconds() / 3600


class CaseTest(ApiTestCase):
    def case(self, pid, **kw):
        body = {"party": pid, "subject": "Vraag " + word(5)}
        body.update(kw)
        return self.ok("POST", "/api/v1/cases", body, 201)

    def ids(self, query):
        return [c["id"] for c in self.list_all("/api/v1/cases", q=query)]

    def test_gold_partner_customer_gets_four_hour_sla(self):
        p = self.create_party(kind="organization", name="Installatiepartner " + word(),
                              roles=[{"type": "customer", "status": "active"},
                                     {"type": "partner", "attributes": {"tier": "gold"}}])
        self.assertEqual(p["treatment"]["sla_hours"], 4, "the treatment rules give 4 hours")
        c = self.case(p["id"], subject="Storing in de installatie")
        self.assertEqual((c["sla_hours"], c["sla_source"]), (4, "treatment"))
        self.assertEqual(hours_between(c["opened_at"], c["sla_due"]), 4)
        self.assertEqual(c["priority"], p["treatment"]["priority"])
        self.assertFalse(c["sla_breached"])
        self.assertEqual(c["status"], "new")

    def test_sla_from_priority_without_treatment(self):
        p = self.create_party(roles=[{"type": "customer"}])
        for prio, hours in (("normal", 24), ("low", 72), ("high", 8), ("top", 4)):
            kw = {} if prio == "normal" else {"priority": prio}
            c = self.case(p["id"], **kw)
            self.assertEqual((c["priority"], c["sla_hours"], c["sla_source"]),
                             (prio, hours, "priority"))
            self.assertEqual(hours_between(c["opened_at"], c["sla_due"]), hours)
        # a later change of priority moves a priority SLA
        c = self.case(p["id"])
        c = self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"priority": "top"})
        self.assertEqual((c["sla_hours"], hours_between(c["opened_at"], c["sla_due"])), (4, 4))
        # an SLA given as input stays
        due = iso(datetime.datetime.utcnow() + datetime.timedelta(days=3))
        c = self.case(p["id"], sla_due=due)
        self.assertEqual((c["sla_due"], c["sla_source"], c["sla_hours"]), (due, "input", None))

    def test_breached_case_shows_in_sla_breached(self):
        p = self.create_party(roles=[{"type": "customer"}])
        now = datetime.datetime.utcnow()
        late = self.case(p["id"], subject="Al lang open",
                         opened_at=iso(now - datetime.timedelta(hours=30)))
        fresh = self.case(p["id"], subject="Net binnen")
        done = self.case(p["id"], subject="Opgelost maar te laat",
                         opened_at=iso(now - datetime.timedelta(hours=40)))
        done = self.ok("PATCH", "/api/v1/cases/%d" % done["id"], {"status": "resolved"})
        self.assertTrue(late["sla_breached"])
        self.assertFalse(fresh["sla_breached"])
        self.assertTrue(done["sla_breached"], "resolved after its due time")
        self.assertIsNotNone(done["resolved_at"])
        breached = self.ids("sla:breached party:%d" % p["id"])
        self.assertEqual(breached, [late["id"]], "resolved cases are no longer breaching")
        ok = self.ids("sla:ok party:%d" % p["id"])
        self.assertEqual(sorted(ok), sorted([fresh["id"], done["id"]]))
        self.assertEqual(self.ids("-sla:breached party:%d" % p["id"]), ok)
        self.assertEqual(self.get_party(p["id"])["records"]["cases"],
                         dict(self.get_party(p["id"])["records"]["cases"], open=2, breached=1))
        # reopening clears resolved_at
        again = self.ok("PATCH", "/api/v1/cases/%d" % done["id"], {"status": "open"})
        self.assertIsNone(again["resolved_at"])
        self.assertIn(done["id"], self.ids("sla:breached party:%d" % p["id"]))

    def test_query_filters(self):
        p = self.create_party()
        a = self.case(p["id"], subject="Lekkage dakgoot", priority="high")
        b = self.case(p["id"], subject="Factuur klopt niet", status="waiting")
        me = a["created_by"]
        c = self.case(p["id"], subject="Lekkage kelder", assignee=me)
        pq = "party:%d " % p["id"]
        self.assertEqual(self.ids(pq + "lekkage"), [c["id"], a["id"]])
        self.assertEqual(self.ids(pq + "LEKKAGE kelder"), [c["id"]])
        self.assertEqual(self.ids(pq + "priority:high"), [a["id"]])
        self.assertEqual(self.ids(pq + "status:waiting"), [b["id"]])
        self.assertEqual(self.ids(pq + "-status:waiting"), [c["id"], a["id"]])
        self.assertEqual(self.ids(pq + "status:active"), [c["id"], b["id"], a["id"]])
        self.assertEqual(self.ids(pq + "assignee:me"), [c["id"]])
        self.assertEqual(self.ids(pq + "assignee:none"), [b["id"], a["id"]])
        self.assertEqual(self.ids(pq + "domain:hr"), [])
        for bad in ("sla:soon", "status:maybe", "priority:urgent", "party:x"):
            self.problem("GET", "/api/v1/cases" + q(q=bad), status=422, field="q")
        for bad in ("colour:red", "priority:"):
            self.problem("GET", "/api/v1/cases" + q(q=bad), status=400, field="q")

    def test_messages_and_notes(self):
        p = self.create_party()
        c = self.case(p["id"], subject="Monteur niet verschenen")
        h, m = self.ok_h("POST", "/api/v1/cases/%d/messages" % c["id"],
                         {"body": "Excuses, we komen morgen om 9 uur."}, 201)
        self.assertEqual((m["type"], m["subject"], m["parties"], m["link"]),
                         ("email", "Re: Monteur niet verschenen", [p["id"]], "message"))
        self.assertEqual(h["Location"], "/api/v1/activities/%d" % m["id"])
        n = self.ok("POST", "/api/v1/cases/%d/messages" % c["id"],
                    {"body": "Planning had de afspraak niet doorgezet.", "internal": True}, 201)
        self.assertEqual((n["type"], n["link"]), ("note", "note"))
        msgs = self.ok("GET", "/api/v1/cases/%d/messages" % c["id"])["items"]
        self.assertEqual(sorted(x["id"] for x in msgs), sorted([m["id"], n["id"]]))
        timeline = [a["id"] for a in self.ok("GET", "/api/v1/parties/%d/timeline"
                                             % p["id"])["items"]]
        self.assertIn(m["id"], timeline)
        self.assertIn(n["id"], timeline)
        self.assertEqual(self.ok("GET", "/api/v1/cases/%d" % c["id"])["status"], "open",
                         "the first answer opens a new case")
        self.problem("POST", "/api/v1/cases/%d/messages" % c["id"], {"body": ""}, 422, "body")
        self.problem("POST", "/api/v1/cases/99999999/messages", {"body": "x"}, 404)

    def test_complaint_opens_a_case(self):
        p = self.create_party(roles=[{"type": "customer"}])
        complaint = self.ok("POST", "/api/v1/activities", {
            "type": "complaint", "domain": "sales", "subject": "Schade aan de gevel",
            "body": "Bij het plaatsen van de steiger is de gevel beschadigd.",
            "parties": [p["id"]]}, 201)
        c = self.ok("POST", "/api/v1/cases", {"from_activity": complaint["id"]}, 201)
        self.assertEqual((c["party"], c["subject"], c["description"], c["source_activity"]),
                         (p["id"], "Schade aan de gevel", complaint["body"], complaint["id"]))
        msgs = self.ok("GET", "/api/v1/cases/%d/messages" % c["id"])["items"]
        self.assertEqual([(x["id"], x["link"]) for x in msgs], [(complaint["id"], "source")])
        self.problem("POST", "/api/v1/cases", {"from_activity": 99999999}, 422, "from_activity")

    def test_refused_input_and_versions(self):
        p = self.create_party()
        future = iso(datetime.datetime.utcnow() + datetime.timedelta(days=1))
        for body, field in (({"subject": "x"}, "party"),
                            ({"party": p["id"]}, "subject"),
                            ({"party": p["id"], "subject": "x", "status": "pending"}, "status"),
                            ({"party": p["id"], "subject": "x", "priority": "urgent"}, "priority"),
                            ({"party": p["id"], "subject": "x", "opened_at": future}, "opened_at"),
                            ({"party": p["id"], "subject": "x", "sla_due": "morgen"}, "sla_due"),
                            ({"party": p["id"], "subject": "x", "domain": "it"}, "domain"),
                            ({"party": p["id"], "subject": "x", "assignee": 999999}, "assignee")):
            self.problem("POST", "/api/v1/cases", body, 422, field)
        c = self.case(p["id"])
        self.problem("PATCH", "/api/v1/cases/%d" % c["id"], {"status": "closed"}, 412,
                     headers={"If-Match": etag(c["version"] + 1)})
        other = self.create_party()
        self.problem("PATCH", "/api/v1/cases/%d" % c["id"], {"party": other["id"]}, 422, "party")
        got = self.ok("GET", "/api/v1/cases/%d" % c["id"])
        self.assertEqual(self.ok("PATCH", "/api/v1/cases/%d" % c["id"], got)["version"],
                         c["version"] + 1, "a GET can be sent back as a PATCH")
        self.ok("DELETE", "/api/v1/cases/%d" % c["id"], status=204)
        self.problem("GET", "/api/v1/cases/%d" % c["id"], status=404)

    def test_cases_follow_domain_access(self):
        p = self.create_party()
        hr = self.case(p["id"], subject="Vertrouwelijk", domain="hr")
        sales = self.case(p["id"], subject="Gewoon")
        name = "verkoop" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "write"}}, 201)
        tok = self.server.make_token(name)
        self.problem("GET", "/api/v1/cases/%d" % hr["id"], status=404, token=tok)
        self.ok("GET", "/api/v1/cases/%d" % sales["id"], token=tok)
        listed = self.ok("GET", "/api/v1/cases" + q(q="party:%d" % p["id"]), token=tok)["items"]
        self.assertEqual([c["id"] for c in listed], [sales["id"]])
        self.problem("POST", "/api/v1/cases", {"party": p["id"], "subject": "x",
                                               "domain": "hr"}, 403, token=tok)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d" % p["id"],
                                 token=tok)["records"]["cases"]["open"], 1)


if __name__ == "__main__":
    unittest.main()
