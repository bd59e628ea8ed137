"""Recruitment: vacancies, applicants and their stages.

An applicant is an employee role of status applicant naming a vacancy and a
stage. Only HR sees it (sales sees neither the role, nor the applicant in a
role: search, nor the vacancies); hiring makes the role active and starts
onboarding; rejecting ends it today and starts the retention clock: 4 weeks,
or a year with consent applicant_pool.
"""

import datetime
import unittest
import zoneinfo

from harness import ApiTestCase, q, word


def day(offset=0):
    """A date from today as the server counts days: in the Netherlands."""
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()
    return (today + datetime.timedelta(days=offset)).isoformat()


class RecruitmentTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name, access in (("hrlezer", {"hr": "read"}), ("hrschrijver", {"hr": "write"}),
                             ("verkoper", {"sales": "write"})):
            st, _, js = cls.client.req("POST", "/api/v1/users", {
                "name": name, "password": "pw-" + word(12), "access": access})
            assert st == 201, js
            cls.tok[name] = cls.server.make_token(name)
        st, _, cls.vacancy = cls.client.req("POST", "/api/v1/vacancies", {
            "title": "Werkvoorbereider", "hours": 38, "closes": day(30),
            "description": "Plant het werk van de uitvoering."})
        assert st == 201, cls.vacancy

    def apply(self, vacancy=None, family=None):
        family = family or "Sollicitant" + word(5)
        return self.create_party(family_name=family, emails=[{"label": "privé",
                                                              "value": family.lower() + "@example.nl"}],
                                 roles=[{"type": "employee", "status": "applicant", "since": day(-3),
                                         "attributes": {"vacancy": vacancy or self.vacancy["id"],
                                                        "stage": "new"}}])

    def applicants(self, vid=None, token=None):
        kw = {} if token is None else {"token": token}
        return self.ok("GET", "/api/v1/vacancies/%d/applicants" % (vid or self.vacancy["id"]),
                       **kw)["items"]

    def move(self, p, body, status=200, token=None):
        kw = {} if token is None else {"token": token}
        return self.ok("POST", "/api/v1/applicants/%d/stage" % p["roles"][0]["id"], body,
                       status=status, **kw)

    def test_vacancies_are_validated(self):
        self.assertEqual((self.vacancy["status"], self.vacancy["opened"], self.vacancy["domain"]),
                         ("open", day(0), "hr"))
        self.problem("POST", "/api/v1/vacancies", {"hours": 20}, 422, "title")
        self.problem("POST", "/api/v1/vacancies", {"title": "x", "department": 99999}, 422,
                     "department")
        self.problem("POST", "/api/v1/vacancies", {"title": "x", "opened": day(0),
                                                   "closes": day(-1)}, 422, "closes")
        self.problem("POST", "/api/v1/vacancies", {"title": "x", "status": "vol"}, 422, "status")
        self.problem("POST", "/api/v1/vacancies", {"title": "x"}, 403, token=self.tok["hrlezer"])
        v = self.ok("POST", "/api/v1/vacancies", {"title": "Tijdelijk " + word()}, 201,
                    token=self.tok["hrschrijver"])
        v = self.ok("PATCH", "/api/v1/vacancies/%d" % v["id"], {"status": "closed"})
        self.assertEqual(v["status"], "closed")
        self.assertNotIn(v["id"], [x["id"] for x in self.ok(
            "GET", "/api/v1/vacancies" + q(status="open"))["items"]])
        self.ok("DELETE", "/api/v1/vacancies/%d" % v["id"], status=204)
        # a vacancy with applicants is closed, not deleted
        self.apply()
        self.problem("DELETE", "/api/v1/vacancies/%d" % self.vacancy["id"], status=409)

    def test_an_application_names_an_existing_vacancy(self):
        self.problem("POST", "/api/v1/parties", {
            "kind": "person", "family_name": "Fout" + word(),
            "roles": [{"type": "employee", "status": "applicant",
                       "attributes": {"vacancy": 987654, "stage": "new"}}]}, 422,
            "attributes.vacancy")

    def test_applicants_are_invisible_to_sales(self):
        p = self.apply(family="Verborgen" + word(4))
        sales = self.tok["verkoper"]
        got = self.ok("GET", "/api/v1/parties/%d" % p["id"], token=sales)
        self.assertEqual(got["roles"], [])
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/roles" % p["id"], token=sales)["items"],
                         [])
        self.problem("GET", "/api/v1/roles/%d" % p["roles"][0]["id"], status=404, token=sales)
        ids = [x["id"] for x in self.ok("GET", "/api/v1/parties" + q(q="role:employee", limit="500"),
                                        token=sales)["items"]]
        self.assertNotIn(p["id"], ids)
        self.assertEqual(self.ok("GET", "/api/v1/vacancies", token=sales)["items"], [])
        self.problem("GET", "/api/v1/vacancies/%d/applicants" % self.vacancy["id"], status=404,
                     token=sales)
        self.problem("POST", "/api/v1/applicants/%d/stage" % p["roles"][0]["id"],
                     {"stage": "interview"}, 404, token=sales)
        csv = self.client.raw("GET", "/api/v1/parties/export.csv" + q(q="role:employee"),
                              token=sales)[2].decode("utf-8")
        self.assertNotIn(p["family_name"], csv)
        # HR sees it, with its stage
        mine = [a for a in self.applicants(token=self.tok["hrlezer"]) if a["party"] == p["id"]]
        self.assertEqual([(a["stage"], a["status"], a["email"]) for a in mine],
                         [("new", "applicant", p["emails"][0]["value"])])
        self.assertGreaterEqual(self.ok("GET", "/api/v1/vacancies/%d" % self.vacancy["id"])[
            "applicants"]["new"], 1)

    def test_stages_and_hiring_start_onboarding(self):
        p = self.apply()
        self.move(p, {"stage": "interview"}, 403, token=self.tok["hrlezer"])
        a = self.move(p, {"stage": "interview"}, token=self.tok["hrschrijver"])
        self.assertEqual((a["stage"], a["status"]), ("interview", "applicant"))
        self.move(p, {"stage": "offer"})
        self.problem("POST", "/api/v1/applicants/%d/stage" % p["roles"][0]["id"],
                     {"stage": "hired"}, 422, "start_date")
        a = self.move(p, {"stage": "hired", "start_date": day(14)})
        self.assertEqual((a["stage"], a["status"], a["since"]), ("hired", "active", day(14)))
        role = self.ok("GET", "/api/v1/roles/%d" % p["roles"][0]["id"])
        self.assertEqual((role["status"], role["attributes"]["start_date"]), ("active", day(14)))
        cl = self.ok("GET", "/api/v1/checklists" + q(party=str(p["id"])))["items"]
        self.assertEqual([(c["kind"], c["anchor_date"]) for c in cl], [("onboarding", day(14))])
        # no longer an application in progress
        self.problem("POST", "/api/v1/applicants/%d/stage" % p["roles"][0]["id"],
                     {"stage": "rejected"}, 409)
        # sales now sees the employee role
        self.assertEqual([r["type"] for r in self.ok("GET", "/api/v1/parties/%d" % p["id"],
                                                     token=self.tok["verkoper"])["roles"]],
                         ["employee"])

    def test_rejection_starts_four_weeks_or_a_year_with_consent(self):
        p = self.apply()
        a = self.move(p, {"stage": "rejected", "reason": "Te weinig ervaring met BIM"})
        self.assertEqual((a["stage"], a["status"], a["until"], a["keep_until"]),
                         ("rejected", "rejected", day(0), day(28)))
        notes = [x for x in self.ok("GET", "/api/v1/parties/%d/timeline" % p["id"])["items"]
                 if x["type"] == "note"]
        self.assertEqual([(n["subject"], n["body"], n["domain"]) for n in notes],
                         [("Application rejected", "Te weinig ervaring met BIM", "hr")])
        c = self.apply()
        self.ok("POST", "/api/v1/parties/%d/consents" % c["id"],
                {"purpose": "applicant_pool", "granted": True, "source": "e-mail"}, status=201)
        a = self.move(c, {"stage": "rejected"})
        self.assertEqual(a["keep_until"], day(365))
        listed = {x["party"]: x["keep_until"] for x in self.applicants()}
        self.assertEqual((listed[p["id"]], listed[c["id"]]), (day(28), day(365)))

    def test_retention_removes_an_old_rejection_without_consent_only(self):
        old = self.create_party(roles=[{"type": "employee", "status": "rejected",
                                        "since": day(-80), "until": day(-40),
                                        "attributes": {"vacancy": self.vacancy["id"],
                                                       "stage": "rejected"}}])
        kept = self.create_party(roles=[{"type": "employee", "status": "rejected",
                                         "since": day(-80), "until": day(-40)}])
        self.ok("POST", "/api/v1/parties/%d/consents" % kept["id"],
                {"purpose": "applicant_pool", "granted": True, "source": "e-mail"}, status=201)
        rep = self.ok("POST", "/api/v1/retention/run", {"dry_run": True})
        due = {(i["party"], i["domain"]) for i in rep["items"]}
        self.assertIn((old["id"], "hr"), due)
        self.assertNotIn((kept["id"], "hr"), due)


if __name__ == "__main__":
    unittest.main()
