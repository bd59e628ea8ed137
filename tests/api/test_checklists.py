"""On- and offboarding checklists.

A template's items become hr tasks on the person when an employee role
starts (onboarding) or ends (offboarding); ticking an item, in the checklist
or in "my day", is ticking its task, and the checklist's progress follows.
hr=read sees checklists, hr=write ticks them; others see none.
"""

import datetime
import unittest
import zoneinfo

from harness import ApiTestCase, q, word


def day(offset=0):
    """A date from today as the server counts days: in the Netherlands."""
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()
    return (today + datetime.timedelta(days=offset)).isoformat()


class ChecklistTest(ApiTestCase):
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

    def hire(self, start, **attrs):
        attrs.setdefault("start_date", start)
        return self.create_party(roles=[{"type": "employee", "status": "active",
                                         "since": start, "attributes": attrs}])

    def checklists(self, pid, token=None, **params):
        params["party"] = str(pid)
        kw = {} if token is None else {"token": token}
        return self.ok("GET", "/api/v1/checklists" + q(**params), **kw)["items"]

    def builtin(self, kind):
        items = self.ok("GET", "/api/v1/checklist-templates" + q(kind=kind))["items"]
        return [t for t in items if t["name"] in ("Inwerken nieuwe medewerker", "Uit dienst")][0]

    def test_templates_are_validated(self):
        self.problem("POST", "/api/v1/checklist-templates",
                     {"name": "x", "kind": "onboarding", "items": []}, 422, "items")
        bad = {"name": "x", "kind": "onboarding",
               "items": [{"title": "Sleutel", "who": "baas", "offset_days": 1},
                         {"who": "hr", "offset_days": 999}]}
        p = self.problem("POST", "/api/v1/checklist-templates", bad, 422)
        fields = {e["field"] for e in p["errors"]}
        self.assertTrue({"items[0].who", "items[1].title", "items[1].offset_days"} <= fields,
                        fields)
        self.problem("POST", "/api/v1/checklist-templates",
                     {"name": "x", "kind": "vakantie", "items": [{"title": "a", "who": "hr"}]},
                     422, "kind")
        t = self.ok("POST", "/api/v1/checklist-templates", {
            "name": "Stagiair " + word(), "kind": "onboarding", "auto_start": False,
            "items": [{"title": "Stagecontract", "who": "hr", "offset_days": -7}]}, 201)
        self.assertEqual(t["items"], [{"title": "Stagecontract", "who": "hr", "offset_days": -7}])
        self.assertEqual(t["domain"], "hr")
        # hr=read may not change templates, hr=write may
        self.problem("PATCH", "/api/v1/checklist-templates/%d" % t["id"], {"name": "y"}, 403,
                     token=self.tok["hrlezer"])
        self.ok("PATCH", "/api/v1/checklist-templates/%d" % t["id"], {"name": "Stage " + word()},
                token=self.tok["hrschrijver"])
        self.assertEqual(self.ok("GET", "/api/v1/checklist-templates",
                                 token=self.tok["verkoper"])["items"], [])

    def test_a_hire_gets_onboarding_tasks_due_from_the_start_date(self):
        start = day(10)
        p = self.hire(start)
        got = self.checklists(p["id"])
        self.assertEqual(len(got), 1)
        c = got[0]
        tpl = self.builtin("onboarding")
        self.assertEqual((c["kind"], c["status"], c["anchor_date"]), ("onboarding", "open", start))
        self.assertEqual(c["progress"], {"done": 0, "total": len(tpl["items"])})
        self.assertEqual([(i["title"], i["due"]) for i in c["items"]],
                         [(t["title"], (datetime.date.fromisoformat(start) + datetime.timedelta(
                             days=t["offset_days"])).isoformat()) for t in tpl["items"]])
        # the items are hr tasks on the person's timeline
        tasks = [a for a in self.ok("GET", "/api/v1/parties/%d/timeline" % p["id"])["items"]
                 if a["type"] == "task"]
        self.assertEqual(sorted(a["id"] for a in tasks), sorted(i["activity"] for i in c["items"]))
        self.assertEqual({a["domain"] for a in tasks}, {"hr"})

    def test_an_old_hire_entered_later_starts_nothing(self):
        p = self.hire("2019-03-01")
        self.assertEqual(self.checklists(p["id"]), [])

    def test_ticking_in_the_checklist_or_in_my_day_counts(self):
        p = self.hire(day(3))
        c = self.checklists(p["id"])[0]
        after = self.ok("POST", "/api/v1/checklists/%d/items" % c["id"], {"n": 1, "done": True})
        self.assertEqual(after["progress"]["done"], 1)
        first = after["items"][0]
        self.assertTrue(first["done"])
        self.assertIsNotNone(first["done_at"])
        self.assertEqual(first["done_by_name"], "admin")
        # the same task ticked off in "my day"
        act = self.ok("GET", "/api/v1/activities/%d" % after["items"][1]["activity"])
        self.ok("PATCH", "/api/v1/activities/%d" % act["id"], {"done": True})
        c = self.ok("GET", "/api/v1/checklists/%d" % c["id"])
        self.assertEqual(c["progress"]["done"], 2)
        self.assertIn(c["id"], [x["id"] for x in self.checklists(p["id"], status="open")])
        # untick
        c = self.ok("POST", "/api/v1/checklists/%d/items" % c["id"], {"n": 2, "done": False})
        self.assertEqual(c["progress"]["done"], 1)
        for i in c["items"]:
            c = self.ok("POST", "/api/v1/checklists/%d/items" % c["id"], {"n": i["n"], "done": True})
        self.assertEqual(c["status"], "done")
        self.assertEqual(self.checklists(p["id"], status="open"), [])
        self.assertEqual([x["id"] for x in self.checklists(p["id"], status="done")], [c["id"]])
        self.problem("POST", "/api/v1/checklists/%d/items" % c["id"], {"n": 40, "done": True}, 404)
        self.problem("POST", "/api/v1/checklists/%d/items" % c["id"], {"n": 1}, 422, "done")

    def test_an_end_date_or_leaving_starts_offboarding_once(self):
        p = self.hire("2018-01-01")
        role = p["roles"][0]
        end = day(25)
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"attributes": {"end_date": end}})
        got = self.checklists(p["id"], kind="offboarding")
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["anchor_date"], end)
        self.assertEqual(got[0]["role"], role["id"])
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"attributes": {"end_date": day(30)}})
        self.ok("PATCH", "/api/v1/roles/%d" % role["id"], {"status": "former"})
        self.assertEqual(len(self.checklists(p["id"], kind="offboarding")), 1)
        # leaving without an end date: the role ends today, and offboarding counts from then
        q2 = self.hire("2017-05-01")
        r = self.ok("PATCH", "/api/v1/roles/%d" % q2["roles"][0]["id"], {"status": "former"})
        self.assertIn(r["until"], (day(-1), day(0)))
        got = self.checklists(q2["id"])
        self.assertEqual([(c["kind"], c["anchor_date"]) for c in got], [("offboarding", r["until"])])
        # a role created as former is a leaver typed in: nothing to prepare
        q3 = self.create_party(roles=[{"type": "employee", "status": "former", "since": "2016-01-01"}])
        self.assertEqual(self.checklists(q3["id"]), [])

    def test_hr_read_sees_hr_write_ticks_others_see_nothing(self):
        p = self.hire(day(1))
        c = self.checklists(p["id"])[0]
        path = "/api/v1/checklists/%d" % c["id"]
        self.assertEqual(self.ok("GET", path, token=self.tok["hrlezer"])["id"], c["id"])
        self.assertEqual(len(self.checklists(p["id"], token=self.tok["hrlezer"])), 1)
        self.problem("POST", path + "/items", {"n": 1, "done": True}, 403,
                     token=self.tok["hrlezer"])
        self.assertEqual(self.ok("GET", path)["progress"]["done"], 0)
        self.ok("POST", path + "/items", {"n": 1, "done": True}, token=self.tok["hrschrijver"])
        self.problem("GET", path, status=404, token=self.tok["verkoper"])
        self.assertEqual(self.checklists(p["id"], token=self.tok["verkoper"]), [])
        self.problem("POST", path + "/items", {"n": 1, "done": True}, 404,
                     token=self.tok["verkoper"])

    def test_started_by_hand(self):
        p = self.create_party()
        tpl = self.builtin("offboarding")
        c = self.ok("POST", "/api/v1/checklists",
                    {"party": p["id"], "template": tpl["id"], "anchor_date": day(14)}, 201)
        self.assertEqual((c["kind"], c["name"], c["progress"]["total"]),
                         ("offboarding", tpl["name"], len(tpl["items"])))
        self.problem("POST", "/api/v1/checklists", {"party": p["id"], "template": 999999}, 422,
                     "template")
        self.problem("POST", "/api/v1/checklists", {"party": p["id"], "template": tpl["id"]},
                     403, token=self.tok["hrlezer"])


if __name__ == "__main__":
    unittest.main()
