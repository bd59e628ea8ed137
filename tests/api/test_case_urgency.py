"""Cases as a helpdesk works them: why a case has its SLA (sla_reason: the
treatment rules that set it, in English and Dutch, or its priority, or a
due time given by hand), and the list in urgency order (GET /api/v1/cases?
sort=urgency: active first, overdue first, then the earliest SLA due, then
the highest priority) with pages that keep that order."""

import datetime
import unittest

from harness import ApiTestCase, q, word


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class CaseUrgencyTest(ApiTestCase):
    def case(self, pid, token=None, **kw):
        body = {"party": pid, "subject": "Vraag " + word(5)}
        body.update(kw)
        if token:
            return self.ok("POST", "/api/v1/cases", body, 201, token=token)
        return self.ok("POST", "/api/v1/cases", body, 201)

    def test_reason_names_the_rule_that_set_four_hours(self):
        p = self.create_party(kind="organization", name="Goudpartner " + word(),
                              roles=[{"type": "customer", "status": "active"},
                                     {"type": "partner", "attributes": {"tier": "gold"}}])
        c = self.case(p["id"])
        r = c["sla_reason"]
        self.assertEqual((c["sla_hours"], r["code"], r["rules"]),
                         (4, "treatment", ["Strategic partner customer"]))
        self.assertEqual(r["nl"], "4 uur: Strategische partner (behandelregel Strategic partner "
                                  "customer)")
        self.assertEqual(r["en"], "4 hours: Strategic partner (treatment rule Strategic partner "
                                  "customer)")
        # the reason stays with the case when something else changes
        c2 = self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"status": "open"})
        self.assertEqual(c2["sla_reason"], r)
        self.assertEqual(self.ok("GET", "/api/v1/cases/%d" % c["id"])["sla_reason"], r)

    def test_reason_of_a_user_who_may_not_edit_rules(self):
        """The reason does not depend on who opens the case (rules are admin-only to edit)."""
        name = "verkoop" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "write", "partners": "write"}}, 201)
        tok = self.server.make_token(name)
        p = self.create_party(kind="organization", name="Goudpartner " + word(),
                              roles=[{"type": "customer", "status": "active"},
                                     {"type": "partner", "attributes": {"tier": "gold"}}])
        c = self.case(p["id"], token=tok)
        self.assertEqual(c["sla_reason"]["rules"], ["Strategic partner customer"])

    def test_reason_from_priority_follows_the_priority_and_input_is_by_hand(self):
        p = self.create_party(roles=[{"type": "customer"}])
        c = self.case(p["id"])
        self.assertEqual(c["sla_reason"], {"code": "priority", "rules": [],
                                           "en": "24 hours: priority normal",
                                           "nl": "24 uur: prioriteit normaal"})
        c = self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"priority": "high"})
        self.assertEqual((c["sla_reason"]["nl"], c["sla_reason"]["en"]),
                         ("8 uur: prioriteit hoog", "8 hours: priority high"))
        due = iso(datetime.datetime.utcnow() + datetime.timedelta(days=2))
        c = self.ok("PATCH", "/api/v1/cases/%d" % c["id"], {"sla_due": due})
        self.assertEqual((c["sla_source"], c["sla_reason"]["code"], c["sla_reason"]["nl"]),
                         ("input", "input", "tijdstip met de hand gezet"))

    def test_urgency_order_over_pages(self):
        p = self.create_party(roles=[{"type": "customer"}])
        now = datetime.datetime.utcnow()
        ago = lambda h: iso(now - datetime.timedelta(hours=h))  # noqa: E731
        closed = self.case(p["id"], subject="Klaar", priority="top")
        closed = self.ok("PATCH", "/api/v1/cases/%d" % closed["id"], {"status": "closed"})
        low = self.case(p["id"], subject="Laag", priority="low")              # due in 72 h
        normal = self.case(p["id"], subject="Normaal")                        # due in 24 h
        high = self.case(p["id"], subject="Hoog", priority="high")            # due in 8 h
        late = self.case(p["id"], subject="Te laat", opened_at=ago(30))       # 6 h overdue
        later = self.case(p["id"], subject="Nog later", opened_at=ago(50))    # 26 h overdue
        same_due = iso(now + datetime.timedelta(hours=9))
        # the same due time: the higher priority first
        tie_top = self.case(p["id"], subject="Zelfde tijd", priority="top", sla_due=same_due)
        tie_low = self.case(p["id"], subject="Zelfde tijd laag", priority="low",
                            sla_due=same_due)
        want = [later["id"], late["id"]]
        # high (due in 8 h) before the tie pair (due in 9 h)
        want += [high["id"], tie_top["id"], tie_low["id"], normal["id"], low["id"], closed["id"]]
        for limit in (500, 3, 1):
            got = [c["id"] for c in self.list_all("/api/v1/cases", limit=limit, sort="urgency",
                                                  q="party:%d" % p["id"])]
            self.assertEqual(got, want, "urgency order with pages of %d" % limit)
        # the filters still apply; newest first stays the default
        got = [c["id"] for c in self.list_all("/api/v1/cases", sort="urgency",
                                              q="party:%d status:active" % p["id"])]
        self.assertEqual(got, want[:-1])
        newest = [c["id"] for c in self.list_all("/api/v1/cases", q="party:%d" % p["id"])]
        self.assertEqual(newest, sorted(want, reverse=True))
        self.problem("GET", "/api/v1/cases" + q(sort="oldest"), status=422, field="sort")
        self.problem("GET", "/api/v1/cases" + q(sort="urgency", cursor="bm9wZQ"), status=400,
                     field="cursor")


if __name__ == "__main__":
    unittest.main()
