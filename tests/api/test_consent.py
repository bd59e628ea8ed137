"""Consent per party and purpose (source, date, wording; withdrawal kept as
history) and the contactability every party response carries: may_email /
may_call with the reason (consent, or a customer role that ended at most 3
years ago; never after a withdrawal, for e-mail never with the non-mailing
flag)."""

import datetime
import unittest

from harness import ApiTestCase, etag


def days_ago(n):
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


class ConsentTest(ApiTestCase):
    def consent(self, pid, purpose, granted=True, status=201, **extra):
        body = {"purpose": purpose, "granted": granted, "source": "web form"}
        body.update(extra)
        return self.ok("POST", "/api/v1/parties/%d/consents" % pid, body, status=status)

    def reasons(self, pid):
        p = self.get_party(pid)
        c = p["contactability"]
        return p["may_email"], c["email"]["reason"], p["may_call"], c["call"]["reason"]

    def test_nothing_means_no(self):
        p = self.create_party()
        self.assertEqual(self.reasons(p["id"]), (False, "no_basis", False, "no_basis"))
        self.assertIn("detail", p["contactability"]["email"])

    def test_consent_and_withdrawal(self):
        pid = self.create_party()["id"]
        ev = self.consent(pid, "marketing_email", wording="Ja, stuur mij aanbiedingen",
                          at="2026-03-01")
        self.assertEqual(ev["purpose"], "marketing_email")
        self.assertTrue(ev["granted"])
        self.assertEqual(ev["at"], "2026-03-01T00:00:00Z")
        self.assertEqual(ev["wording"], "Ja, stuur mij aanbiedingen")
        self.assertEqual(self.reasons(pid), (True, "consent", False, "no_basis"))
        self.consent(pid, "marketing_email", granted=False, source="unsubscribe link")
        self.assertEqual(self.reasons(pid)[:2], (False, "withdrawn"))
        js = self.ok("GET", "/api/v1/parties/%d/consents" % pid)
        self.assertEqual([e["granted"] for e in js["history"]], [True, False])
        self.assertEqual(len(js["items"]), 1)
        self.assertFalse(js["items"][0]["granted"])
        self.assertEqual(js["items"][0]["source"], "unsubscribe link")
        self.consent(pid, "phone_marketing")
        self.assertEqual(self.reasons(pid)[2:], (True, "consent"))

    def test_newsletter_counts_for_email(self):
        pid = self.create_party()["id"]
        self.consent(pid, "newsletter")
        self.assertEqual(self.reasons(pid)[:2], (True, "consent"))

    def test_customers_up_to_three_years(self):
        cur = self.create_party(roles=[{"type": "customer", "status": "active"}])
        self.assertEqual(self.reasons(cur["id"]), (True, "customer", True, "customer"))
        recent = self.create_party(roles=[{"type": "customer", "status": "former",
                                           "since": days_ago(1500), "until": days_ago(730)}])
        self.assertEqual(self.reasons(recent["id"]), (True, "customer", True, "customer"))
        old = self.create_party(roles=[{"type": "customer", "status": "former",
                                        "since": days_ago(3000), "until": days_ago(1460)}])
        self.assertEqual(self.reasons(old["id"]), (False, "no_basis", False, "no_basis"))
        lead = self.create_party(roles=[{"type": "customer", "status": "lead"}])
        self.assertEqual(self.reasons(lead["id"]), (False, "no_basis", False, "no_basis"))
        # An objection beats the customer rule.
        self.consent(cur["id"], "phone_marketing", granted=False, source="phone call")
        self.assertEqual(self.reasons(cur["id"]), (True, "customer", False, "withdrawn"))

    def test_non_mailing_flag(self):
        org = self.create_party(kind="organization", tags=["non-mailing"],
                                roles=[{"type": "customer"}])
        self.consent(org["id"], "marketing_email")
        self.assertEqual(self.reasons(org["id"]), (False, "non_mailing", True, "customer"))

    def test_lists_say_it_too(self):
        pid = self.create_party(tags=["consentlist"])["id"]
        self.consent(pid, "marketing_email")
        items = self.ok("GET", "/api/v1/parties?q=tag:consentlist")["items"]
        self.assertEqual([(x["id"], x["may_email"]) for x in items], [(pid, True)])

    def test_consent_changes_the_party_version(self):
        p = self.create_party()
        self.consent(p["id"], "newsletter")
        now = self.get_party(p["id"])
        self.assertGreater(now["version"], p["version"])
        self.problem("PATCH", "/api/v1/parties/%d" % p["id"], {"tags": ["x"]}, status=412,
                     headers={"If-Match": etag(p["version"])})

    def test_bad_input(self):
        pid = self.create_party()["id"]
        path = "/api/v1/parties/%d/consents" % pid
        self.problem("POST", path, {"purpose": "spam", "source": "x"}, status=422, field="purpose")
        self.problem("POST", path, {"purpose": "newsletter"}, status=422, field="source")
        self.problem("POST", path, {"purpose": "newsletter", "source": "x", "at": "2999-01-01"},
                     status=422, field="at")
        self.problem("POST", path, {"purpose": "newsletter", "source": "x", "at": "gisteren"},
                     status=422, field="at")
        self.problem("POST", path, {"purpose": "newsletter", "source": "x", "granted": "yes"},
                     status=400, field="granted")
        self.problem("POST", path, {"purpose": "newsletter", "source": "x", "colour": 1},
                     status=422, field="colour")
        self.problem("POST", "/api/v1/parties/999999999/consents",
                     {"purpose": "newsletter", "source": "x"}, status=404)
        self.problem("GET", "/api/v1/parties/999999999/consents", status=404)
        self.assertEqual(self.ok("GET", path)["history"], [])


if __name__ == "__main__":
    unittest.main()
