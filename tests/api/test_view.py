"""The 360° view (GET /api/v1/parties/{id}/view) on the demo data: the party with
its roles, treatment, health and relationships both ways with names, the latest
20 timeline items, open tasks and counts, all agreeing with the separate reads."""

import json
import unittest

from demo_case import DemoTestCase
from harness import q, word


class ViewTest(DemoTestCase):
    def busiest(self):
        """The demo party with the most relationships."""
        best = None
        for p in self.list_all("/api/v1/parties", q="kind:organization"):
            full = self.get_party(p["id"])
            if best is None or len(full["relationships"]) > len(best["relationships"]):
                best = full
        return best

    def most_active(self):
        """The demo party linked to the most activities."""
        count = {}
        for a in self.list_all("/api/v1/activities"):
            for pid in a["parties"]:
                count[pid] = count.get(pid, 0) + 1
        return max(count, key=lambda pid: (count[pid], -pid))

    def timeline(self, pid, n):
        return self.ok("GET", "/api/v1/parties/%d/timeline" % pid + q(limit=str(n)))["items"]

    def test_party_part_equals_the_party_read(self):
        arch = self.demo_party("Architectenbureau Linthorst & De Wit")
        v = self.ok("GET", "/api/v1/parties/%d/view" % arch["id"])
        self.assertEqual(set(v), {"party", "timeline", "open_tasks", "counts"})
        self.assertEqual(v["party"], arch)
        self.assertEqual(v["party"]["treatment"]["priority"], "high")
        self.assertEqual({r["type"] for r in v["party"]["roles"]}, {"partner", "customer"})
        self.assertIsNotNone(v["party"]["health"])

    def test_relationships_both_ways_with_names(self):
        org = self.busiest()
        v = self.ok("GET", "/api/v1/parties/%d/view" % org["id"])
        rels = v["party"]["relationships"]
        self.assertGreater(len(rels), 5)
        for r in rels:
            other = self.get_party(r["party"]["id"])
            self.assertEqual(r["party"]["name"], other["name"])
            # The other side lists the same link, read from its side.
            back = [x for x in other["relationships"] if x["id"] == r["id"]]
            self.assertEqual(len(back), 1)
            self.assertEqual(back[0]["party"]["id"], org["id"])

    def test_latest_twenty_timeline_items(self):
        pid = self.most_active()
        v = self.ok("GET", "/api/v1/parties/%d/view" % pid)
        want = self.timeline(pid, 20)
        self.assertEqual(len(want), 20, "the busiest demo party has a long timeline")
        self.assertEqual([a["id"] for a in v["timeline"]], [a["id"] for a in want])
        for got, a in zip(v["timeline"], want):
            for key in ("type", "domain", "subject", "body", "parties", "due", "done", "score",
                        "at", "assignee"):
                self.assertEqual(got[key], a[key], key)
            self.assertEqual([x["id"] for x in got["links"]], got["parties"])
            for link in got["links"]:
                self.assertTrue(link["name"])
        ats = [a["at"] for a in v["timeline"]]
        self.assertEqual(ats, sorted(ats, reverse=True))
        self.assertGreaterEqual(v["counts"]["activities"], 20)

    def test_open_tasks(self):
        tasks = self.list_all("/api/v1/activities", type="task", done="false")
        self.assertTrue(tasks, "the demo has open tasks")
        count = {}
        for a in tasks:
            for p in a["parties"]:
                count[p] = count.get(p, 0) + 1
        pid = max((p for p in count if count[p] <= 100), key=lambda p: (count[p], -p))
        v = self.ok("GET", "/api/v1/parties/%d/view" % pid)
        want = {a["id"] for a in tasks if pid in a["parties"]}
        self.assertEqual({a["id"] for a in v["open_tasks"]}, want)
        self.assertEqual(v["counts"]["open_tasks"], len(want))
        for a in v["open_tasks"]:
            self.assertEqual(a["type"], "task")
            self.assertFalse(a["done"])
            self.assertIn(pid, a["parties"])
        dues = [a["due"] for a in v["open_tasks"] if a["due"]]
        self.assertEqual(dues, sorted(dues))
        # Done tasks leave the list.
        a = v["open_tasks"][0]
        self.ok("PATCH", "/api/v1/activities/%d" % a["id"], {"done": True})
        v2 = self.ok("GET", "/api/v1/parties/%d/view" % pid)
        self.assertNotIn(a["id"], [x["id"] for x in v2["open_tasks"]])
        self.assertEqual(v2["counts"]["open_tasks"], v["counts"]["open_tasks"] - 1)

    def test_new_party(self):
        p = self.create_party(roles=[{"type": "customer"}])
        v = self.ok("GET", "/api/v1/parties/%d/view" % p["id"])
        self.assertEqual(v["timeline"], [])
        self.assertEqual(v["open_tasks"], [])
        self.assertEqual(v["counts"], {"activities": 0, "open_tasks": 0})
        self.assertEqual(v["party"]["health"]["status"], "watch")
        self.assertEqual(v["party"]["health"]["reasons"], ["no contact yet"])
        self.problem("GET", "/api/v1/parties/999999/view", status=404)

    def test_a_long_timeline_is_counted_whole(self):
        """A party with hundreds of linked activities: the view counts every one of them
        (how fast that is, is measured by the benchmarks, never timed in a test)."""
        t = word()
        many = self.create_party(tags=[t])
        acts = [{"type": "task", "domain": "sales", "subject": "t%d" % i, "parties": [many["id"]]}
                for i in range(400)]
        body = "\n".join(__import__("json").dumps(a) for a in acts)
        st, _, js = self.client.req("POST", "/api/v1/import/activities", body,
                                    headers={"Content-Type": "application/x-ndjson"})
        self.assertIn(st, (200, 201), js)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/view" % many["id"])["counts"],
                         {"activities": 400, "open_tasks": 400})

    def test_short_timeline_tasks_equal_the_task_query(self):
        """A timeline shorter than 20 holds every activity the reader may see, so the view
        takes the open tasks and counts from it; once the timeline is full they come from
        their own queries. Both ways give the same answer, for an admin and for a sales user
        who may not see the HR task (due dates missing, equal and different; done tasks;
        a meeting with a due time)."""
        st, _, js = self.client.req("POST", "/api/v1/session", {
            "user": "verkoop", "password": "xrm-demo-2026", "bearer": True}, token=None)
        self.assertEqual(st, 201, js)
        sales = js["token"]
        p = self.create_party(roles=[{"type": "customer"}])
        pid = p["id"]

        def act(**fields):
            body = {"type": "task", "domain": "sales", "subject": "s", "parties": [pid]}
            body.update(fields)
            return self.ok("POST", "/api/v1/activities", body, status=201)

        act(subject="no due")
        act(subject="later", due="2031-03-01")
        act(subject="same due a", due="2030-05-01")
        act(subject="same due b", due="2030-05-01")
        act(subject="soon", due="2030-01-15T09:00:00Z")
        act(subject="hr task", domain="hr", due="2030-01-01")
        done = act(subject="done", due="2029-01-01")
        self.ok("PATCH", "/api/v1/activities/%d" % done["id"], {"done": True})
        act(type="meeting", subject="meeting", due="2029-06-01")
        act(type="note", subject="note")

        def view(token):
            return self.ok("GET", "/api/v1/parties/%d/view" % pid, token=token)

        short = {"admin": view(self.token), "sales": view(sales)}
        self.assertEqual(short["admin"]["counts"], {"activities": 9, "open_tasks": 6})
        self.assertEqual(short["sales"]["counts"], {"activities": 8, "open_tasks": 5})
        self.assertEqual([a["subject"] for a in short["admin"]["open_tasks"]],
                         ["hr task", "soon", "same due a", "same due b", "later", "no due"])
        for _ in range(20):
            act(type="note", subject="filler")
        for who, token in (("admin", self.token), ("sales", sales)):
            full = view(token)
            self.assertEqual(len(full["timeline"]), 20)
            self.assertEqual(json.dumps(full["open_tasks"]),
                             json.dumps(short[who]["open_tasks"]), who)
            self.assertEqual(full["counts"], {
                "activities": short[who]["counts"]["activities"] + 20,
                "open_tasks": short[who]["counts"]["open_tasks"]}, who)


class HealthTest(DemoTestCase):
    """Customer health from the timeline: complaints, survey scores, last contact."""

    def act(self, pid, **fields):
        body = {"domain": "sales", "subject": "x", "parties": [pid]}
        body.update(fields)
        return self.ok("POST", "/api/v1/activities", body, status=201)

    def health(self, pid):
        return self.get_party(pid)["health"]

    def test_signals_move_the_outcome(self):
        p = self.create_party(roles=[{"type": "customer"}])
        self.assertEqual(self.health(p["id"])["status"], "watch")  # never contacted
        self.act(p["id"], type="call")
        h = self.health(p["id"])
        self.assertEqual(h["status"], "good")
        self.assertEqual(h["days_since_contact"], 0)
        self.act(p["id"], type="survey", score=6)
        self.assertEqual(self.health(p["id"])["status"], "watch")
        self.act(p["id"], type="survey", score=9)
        self.assertEqual(self.health(p["id"])["survey_score"], 9)
        self.assertEqual(self.health(p["id"])["status"], "good")
        c = self.act(p["id"], type="complaint")
        h = self.health(p["id"])
        self.assertEqual(h["status"], "at_risk")
        self.assertEqual(h["open_complaints"], 1)
        self.assertIn(p["id"], self.ids("health:at_risk"))
        # A complaint older than 30 days is no longer open.
        self.ok("PATCH", "/api/v1/activities/%d" % c["id"], {"at": "2020-01-01T10:00:00Z"})
        self.assertEqual(self.health(p["id"])["status"], "good")
        self.assertNotIn(p["id"], self.ids("health:at_risk"))
        self.assertIn(p["id"], self.ids("health:good"))

    def test_old_contact_is_a_risk(self):
        p = self.create_party(roles=[{"type": "customer"}])
        self.act(p["id"], type="meeting", at="2020-01-01T10:00:00Z")
        h = self.health(p["id"])
        self.assertEqual(h["status"], "at_risk")
        self.assertEqual(h["last_contact"], "2020-01-01T10:00:00Z")
        self.assertGreater(h["days_since_contact"], 180)

    def test_only_active_customers(self):
        lead = self.create_party(roles=[{"type": "customer", "status": "lead"}])
        supplier = self.create_party(roles=[{"type": "supplier"}])
        self.assertIsNone(self.health(lead["id"]))
        self.assertIsNone(self.health(supplier["id"]))
        self.assertNotIn(lead["id"], self.ids("health:watch"))


if __name__ == "__main__":
    unittest.main()
