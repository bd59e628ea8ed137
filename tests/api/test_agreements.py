"""Agreements: dated contracts with a party in any domain, their status as of
today, notice dates, the list of expiring agreements, the counts on the
party, and HR agreements that follow HR access."""

import datetime
import unittest

from clock import ClockServer
from harness import ApiTestCase, etag, q, word

TODAY = datetime.date(2027, 1, 15)  # the server's clock: XRM_NOW below


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()




class AgreementTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ClockServer({"XRM_NOW": "2027-01-15T09:00:00Z",
                                  "XRM_AUTOMATION_INTERVAL": "0"})
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    def agreement(self, pid, **kw):
        body = {"party": pid, "kind": "customer_contract", "start": day(-100)}
        body.update(kw)
        return self.ok("POST", "/api/v1/agreements", body, 201)

    def test_kinds_bring_their_domain(self):
        p = self.create_party()
        for kind, domain in (("customer_contract", "sales"), ("employment_contract", "hr"),
                             ("partner_agreement", "partners"),
                             ("supplier_contract", "purchasing"), ("nda", "sales")):
            a = self.agreement(p["id"], kind=kind)
            self.assertEqual((a["kind"], a["domain"]), (kind, domain))
            self.assertTrue(a["title"])
        a = self.agreement(p["id"], kind="nda", domain="pr", title="Embargo persbericht")
        self.assertEqual((a["domain"], a["title"]), ("pr", "Embargo persbericht"))

    def test_dates_status_and_notice(self):
        p = self.create_party()
        h, a = self.ok_h("POST", "/api/v1/agreements", {
            "party": p["id"], "kind": "supplier_contract", "title": "Raamcontract stenen",
            "start": day(-300), "end": day(65), "notice_days": 30, "value": 2500000,
            "auto_renew": True, "renew_months": 12}, 201)
        self.assertEqual(h["Location"], "/api/v1/agreements/%d" % a["id"])
        self.assertEqual((a["status"], a["ends_in_days"], a["notice_by"]),
                         ("active", 65, day(35)))
        self.assertEqual((a["value"], a["currency"], a["auto_renew"], a["renew_months"]),
                         (2500000, "EUR", True, 12))
        up = self.agreement(p["id"], start=day(10))
        self.assertEqual(up["status"], "upcoming")
        ended = self.agreement(p["id"], start=day(-400), end=day(-1))
        self.assertEqual(ended["status"], "ended")
        open_ended = self.agreement(p["id"])
        self.assertEqual((open_ended["end"], open_ended["ends_in_days"], open_ended["notice_by"]),
                         (None, None, None))
        self.assertEqual(self.ok("GET", "/api/v1/agreements/%d" % a["id"]), a)
        statuses = {x["id"]: x["status"] for x in self.list_all(
            "/api/v1/agreements", party=str(p["id"]))}
        self.assertEqual(statuses, {a["id"]: "active", up["id"]: "upcoming",
                                    ended["id"]: "ended", open_ended["id"]: "active"})
        got = [x["id"] for x in self.list_all("/api/v1/agreements", party=str(p["id"]),
                                              status="ended")]
        self.assertEqual(got, [ended["id"]])

    def test_expiring_list(self):
        p = self.create_party()
        soon = self.agreement(p["id"], end=day(30))
        sooner = self.agreement(p["id"], end=day(5))
        self.agreement(p["id"], end=day(200))
        self.agreement(p["id"], start=day(-400), end=day(-3))
        got = self.ok("GET", "/api/v1/agreements" + q(party=str(p["id"]), expiring="60"))
        self.assertEqual([x["id"] for x in got["items"]], [sooner["id"], soon["id"]])
        self.assertIsNone(got["next"])
        rec = self.get_party(p["id"])["records"]["agreements"]
        self.assertEqual((rec["active"], rec["expiring"]), (3, 2))
        self.assertEqual(len(rec["latest"]), 4)
        self.problem("GET", "/api/v1/agreements?expiring=0", status=400, field="expiring")

    def test_refused_input(self):
        p = self.create_party()
        for body, field in (({"kind": "nda", "start": day(0)}, "party"),
                            ({"party": p["id"], "start": day(0)}, "kind"),
                            ({"party": p["id"], "kind": "lease", "start": day(0)}, "kind"),
                            ({"party": p["id"], "kind": "nda"}, "start"),
                            ({"party": p["id"], "kind": "nda", "start": day(0),
                              "end": day(-1)}, "end"),
                            ({"party": p["id"], "kind": "nda", "start": day(0),
                              "auto_renew": True}, "auto_renew"),
                            ({"party": p["id"], "kind": "nda", "start": day(0),
                              "notice_days": -1}, "notice_days"),
                            ({"party": p["id"], "kind": "nda", "start": "1-1-2027"}, "start"),
                            ({"party": p["id"], "kind": "nda", "start": day(0),
                              "domain": "it"}, "domain")):
            self.problem("POST", "/api/v1/agreements", body, 422, field)
        a = self.agreement(p["id"], end=day(100))
        self.problem("PATCH", "/api/v1/agreements/%d" % a["id"], {"notice_days": 1}, 412,
                     headers={"If-Match": etag(a["version"] + 1)})
        b = self.ok("PATCH", "/api/v1/agreements/%d" % a["id"], {"end": day(120)},
                    headers={"If-Match": etag(a["version"])})
        self.assertEqual((b["end"], b["version"]), (day(120), a["version"] + 1))
        self.ok("DELETE", "/api/v1/agreements/%d" % a["id"], status=204)
        self.problem("GET", "/api/v1/agreements/%d" % a["id"], status=404)

    def test_hr_agreements_follow_hr_access(self):
        p = self.create_party()
        hr = self.agreement(p["id"], kind="employment_contract", end=day(20))
        sales = self.agreement(p["id"], end=day(20))
        name = "verkoper" + word(4)
        self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                          "access": {"sales": "write"}}, 201)
        tok = self.server.make_token(name)
        self.problem("GET", "/api/v1/agreements/%d" % hr["id"], status=404, token=tok)
        self.ok("GET", "/api/v1/agreements/%d" % sales["id"], token=tok)
        listed = self.ok("GET", "/api/v1/agreements" + q(party=str(p["id"])), token=tok)
        self.assertEqual([x["id"] for x in listed["items"]], [sales["id"]])
        expiring = self.ok("GET", "/api/v1/agreements" + q(party=str(p["id"]), expiring="60"),
                           token=tok)
        self.assertEqual([x["id"] for x in expiring["items"]], [sales["id"]])
        self.problem("POST", "/api/v1/agreements", {"party": p["id"], "kind":
                                                    "employment_contract", "start": day(0)},
                     403, token=tok)
        self.problem("PATCH", "/api/v1/agreements/%d" % hr["id"], {"notes": "x"}, 404, token=tok)
        rec = self.ok("GET", "/api/v1/parties/%d" % p["id"], token=tok)["records"]["agreements"]
        self.assertEqual(rec["active"], 1)
        self.assertEqual([x["id"] for x in rec["latest"]], [sales["id"]])
        # the HR manager sees both
        hrname = "hr" + word(4)
        self.ok("POST", "/api/v1/users", {"name": hrname, "password": "wachtwoord-123",
                                          "access": {"hr": "write"}}, 201)
        hrtok = self.server.make_token(hrname)
        self.ok("GET", "/api/v1/agreements/%d" % hr["id"], token=hrtok)


if __name__ == "__main__":
    unittest.main()
