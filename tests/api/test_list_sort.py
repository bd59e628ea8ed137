"""Lists that tell the truth: server-side sort, totals, every row reachable.

GET /api/v1/parties?sort=name|city|created|updated (a '-' before it for
descending) pages with a keyset cursor on (sort value, id): walking the
pages of a sorted list gives every matching party exactly once, in order.
Every party list answer carries "total" (the parties of the same filter,
exact up to 10,000) and "total_capped"; the total is what the reader can
page through. An unknown sort is a 422 on field "sort" in the reader's
language, with nothing of the list in it. Saved views (segments) keep a
sort; GET /api/v1/tasks gives every open task through per-group cursors.
"""

import json
import unittest

from harness import DEFAULT, ApiTestCase, q, word
from test_access import AccessBase

CITIES = ["Utrecht", "amsterdam", "Zwolle", "Delft", "utrecht", "Breda", None]


def city_key(p):
    a = (p.get("addresses") or [{}])[0]
    return (a.get("city") or "").lower()


class SortTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = "sort" + word(6)
        cls.ids = []
        for i in range(23):
            c = CITIES[i % len(CITIES)]
            body = {"kind": "person", "family_name": "Sorteer%s %02d" % (word(4), (i * 7) % 23),
                    "tags": [cls.tag]}
            if c:
                body["addresses"] = [{"city": c, "country": "NL"}]
            st, _, js = cls.client.req("POST", "/api/v1/parties?force=true", body)
            assert st == 201, js
            cls.ids.append(js["id"])

    def walk(self, sort, limit=4, qtext=None, multi=True):
        """Every item of the sorted list, page by page; checks total on each page."""
        items, cursor, pages = [], None, 0
        while True:
            params = {"q": qtext or "tag:" + self.tag, "sort": sort, "limit": str(limit)}
            if cursor:
                params["cursor"] = cursor
            js = self.ok("GET", "/api/v1/parties" + q(**params))
            self.assertEqual(js["total"], len(self.ids))
            self.assertIs(js["total_capped"], False)
            self.assertLessEqual(len(js["items"]), limit)
            items.extend(js["items"])
            pages += 1
            cursor = js["next"]
            if not cursor:
                break
            self.assertLess(pages, 50, "paging does not end")
        if multi:
            self.assertGreater(pages, 1, "the list must span more than one page")
        return items

    def test_city_ascending_reaches_every_row_once_in_order(self):
        items = self.walk("city")
        ids = [p["id"] for p in items]
        self.assertEqual(len(ids), len(set(ids)), "a party came twice")
        self.assertEqual(sorted(ids), sorted(self.ids), "not every party was reached")
        keys = [(city_key(p), p["id"]) for p in items]
        self.assertEqual(keys, sorted(keys), "not in city order")
        # ties (Utrecht and utrecht, no city) are broken by id, so the order is total
        self.assertIn("utrecht", [k for k, _ in keys])

    def test_city_descending_reaches_every_row_once_in_order(self):
        items = self.walk("-city", limit=5)
        ids = [p["id"] for p in items]
        self.assertEqual(sorted(ids), sorted(self.ids))
        self.assertEqual(len(ids), len(set(ids)))
        keys = [(city_key(p), p["id"]) for p in items]
        self.assertEqual(keys, sorted(keys, reverse=True), "not in descending city order")
        self.assertEqual(city_key(items[0]), "zwolle")

    def test_name_created_updated_orders(self):
        by_name = self.walk("name", limit=6)
        self.assertEqual(len(by_name), len(self.ids))
        self.assertEqual([p["id"] for p in by_name], [p["id"] for p in self.walk("name", 50, multi=False)])
        created = self.walk("-created", limit=5)
        stamps = [(p["created_at"], p["id"]) for p in created]
        self.assertEqual(stamps, sorted(stamps, reverse=True))
        self.assertEqual(created[0]["id"], max(self.ids), "newest first")
        updated = self.walk("updated", limit=7)
        self.assertEqual(sorted(p["id"] for p in updated), sorted(self.ids))

    def test_sort_follows_a_changed_city(self):
        pid = self.ids[0]
        p = self.get_party(pid)
        self.ok("PATCH", "/api/v1/parties/%d" % pid,
                {"addresses": [{"city": "Aalten", "country": "NL"}]},
                headers={"If-Match": '"%d"' % p["version"]})
        try:
            items = self.walk("city")
            cities = [city_key(x) for x in items if city_key(x)]
            self.assertEqual(cities[0], "aalten")
        finally:
            p = self.get_party(pid)
            self.ok("PATCH", "/api/v1/parties/%d" % pid,
                    {"addresses": [{"city": "Utrecht", "country": "NL"}]},
                    headers={"If-Match": '"%d"' % p["version"]})

    def test_total_counts_the_same_filter(self):
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s city:utrecht" % self.tag, limit="1"))
        expected = len(self.list_all("/api/v1/parties", q="tag:%s city:utrecht" % self.tag))
        self.assertEqual(js["total"], expected)
        self.assertGreaterEqual(expected, 2)
        none = self.ok("GET", "/api/v1/parties" + q(q="tag:nothing" + word(8)))
        self.assertEqual((none["total"], none["total_capped"], none["items"]), (0, False, []))

    def test_a_list_that_fits_its_page_has_the_order_of_its_pages(self):
        # all matches on one first page: it starts from the tag's parties (the count's
        # driver) and sorts them; it must list what page after page lists, in that order
        for text, sort in (("tag:%s" % self.tag, None), ("tag:%s city:utrecht" % self.tag, None),
                           ("tag:%s" % self.tag, "-name"), ("tag:%s" % self.tag, "city")):
            extra = {"sort": sort} if sort else {}
            one = self.ok("GET", "/api/v1/parties" + q(q=text, limit="500", **extra))
            self.assertIsNone(one["next"])
            self.assertEqual(one["total"], len(one["items"]))
            paged = self.list_all("/api/v1/parties", limit=2, q=text, **extra)
            self.assertEqual([p["id"] for p in one["items"]], [p["id"] for p in paged],
                             (text, sort))
            self.assertGreaterEqual(len(paged), 2)

    def test_total_false_pages_the_same_rows_without_a_total(self):
        # the search box and the pickers show no total, so they do not pay for a count
        text = "tag:%s city:utrecht" % self.tag
        with_total = self.ok("GET", "/api/v1/parties" + q(q=text, limit="1"))
        without = self.ok("GET", "/api/v1/parties" + q(q=text, limit="1", total="false"))
        self.assertNotIn("total", without)
        self.assertNotIn("total_capped", without)
        self.assertEqual(without["items"], with_total["items"])
        self.assertEqual(without["next"], with_total["next"])
        paged = self.list_all("/api/v1/parties", q=text, limit=1, total="false")
        self.assertEqual(len(paged), with_total["total"])
        words = self.ok("GET", "/api/v1/parties" + q(q="sorteer tag:" + self.tag, total="0",
                                                      limit="50"))
        self.assertNotIn("total", words)
        self.assertEqual(sorted(p["id"] for p in words["items"]), sorted(self.ids))
        self.assertIn("total", self.ok("GET", "/api/v1/parties" + q(q=text, total="true")))
        for bad in ("maybe", "no", "FALSE "):
            self.problem("GET", "/api/v1/parties" + q(q=text, total=bad), status=400,
                         field="total")

    def test_bad_sort_is_422_in_both_languages_and_leaks_nothing(self):
        for lang, needle in (("en", "unknown sort"), ("nl", "onbekende sortering")):
            pb = self.problem("GET", "/api/v1/parties" + q(q="tag:" + self.tag, sort="salary"),
                              status=422, field="sort", headers={"Accept-Language": lang})
            self.assertIn(needle, json.dumps(pb, ensure_ascii=False))
            self.assertNotIn("items", pb)
            self.assertNotIn("total", pb)
        self.problem("GET", "/api/v1/parties" + q(sort="-"), status=422, field="sort")
        self.problem("GET", "/api/v1/parties" + q(sort="city; DROP"), status=422, field="sort")

    def test_cursor_of_another_sort_is_refused(self):
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:" + self.tag, sort="city", limit="2"))
        self.assertTrue(js["next"])
        res = self.req("GET", "/api/v1/parties" + q(q="tag:" + self.tag, sort="-city",
                                                      cursor=js["next"]))
        self.assert_problem(res, (400, 422), field="cursor")
        res = self.req("GET", "/api/v1/parties" + q(q="tag:" + self.tag, cursor=js["next"]))
        self.assert_problem(res, (400, 422), field="cursor")

    def test_saved_view_keeps_its_sort(self):
        seg = self.ok("POST", "/api/v1/segments",
                      {"name": "Weergave " + word(6), "query": "tag:" + self.tag, "sort": "-city"},
                      status=201)
        self.assertEqual(seg["sort"], "-city")
        members = self.list_all("/api/v1/segments/%d/members" % seg["id"], limit=5)
        keys = [(city_key(p), p["id"]) for p in members]
        self.assertEqual(keys, sorted(keys, reverse=True))
        self.assertEqual(len(members), len(self.ids))
        page = self.ok("GET", "/api/v1/segments/%d/members" % seg["id"] + q(limit="2",
                                                                             sort="city"))
        self.assertEqual(page["total"], len(self.ids))
        self.assertEqual(city_key(page["items"][0]), "")
        self.problem("POST", "/api/v1/segments",
                     {"name": "Weergave " + word(6), "query": "", "sort": "iban"},
                     status=422, field="sort")
        self.ok("DELETE", "/api/v1/segments/%d" % seg["id"], status=204,
                headers={"If-Match": '"%d"' % seg["version"]})


class TotalCapTest(ApiTestCase):
    def test_total_is_capped_beyond_10000_and_a_search_beyond_1000(self):
        tag = "cap" + word(6)
        lines = "".join(json.dumps({"kind": "organization", "name": "Cap %05d B.V." % i,
                                    "tags": [tag]}) + "\n" for i in range(10005))
        st, _, raw = self.client.raw("POST", "/api/v1/import/parties", lines.encode(),
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertIn(st, (200, 201), raw[:400])
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:" + tag, limit="10"))
        self.assertEqual((js["total"], js["total_capped"]), (10000, True))
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s Cap 00012" % tag, limit="10"))
        self.assertEqual(js["total_capped"], False)
        # a search (free words) counts to 1,000: "more than 1,000 found"; the pages go on
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s cap" % tag, limit="500"))
        self.assertEqual((js["total"], js["total_capped"]), (1000, True))
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s cap" % tag, limit="500",
                                                  cursor=js["next"]))
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s cap" % tag, limit="500",
                                                  cursor=js["next"]))
        self.assertEqual(len(js["items"]), 500)
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s cap 0001" % tag, limit="5"))
        self.assertEqual((js["total"], js["total_capped"]), (10, False))
        js = self.ok("GET", "/api/v1/parties" + q(q="tag:%s" % tag, sort="-name", limit="3"))
        self.assertEqual(js["items"][0]["name"], "Cap 10004 B.V.")


class VisibleTotalsTest(AccessBase):
    """The total is what the reader can page through, per user."""

    def walk_as(self, name, path, **params):
        items, cursor, totals = [], None, set()
        while True:
            p = dict(params, limit="100")
            if cursor:
                p["cursor"] = cursor
            js = self.as_user(name, "GET", path + q(**p))
            totals.add((js["total"], js["total_capped"]))
            items.extend(js["items"])
            cursor = js["next"]
            if not cursor:
                return items, totals

    def test_totals_equal_rows_paged_per_user(self):
        seen = {}
        for user in ("verkoop", "hr"):
            for qtext in ("", "city:utrecht", "kind:organization", "rol:employee"):
                res = self.req("GET", "/api/v1/parties" + q(q=qtext, limit="1"),
                               token=self.tok[user])
                if res[0] != 200:
                    # a filter on a domain the reader may not read is refused, never answered
                    self.assert_problem(res, (403, 422))
                    continue
                items, totals = self.walk_as(user, "/api/v1/parties", q=qtext, sort="city")
                self.assertEqual(totals, {(len(items), False)}, (user, qtext))
                self.assertEqual(len({p["id"] for p in items}), len(items))
                seen[(user, qtext)] = len(items)
        self.assertGreater(seen[("verkoop", "")], 50, "the demo data spans several pages")
        self.assertEqual(seen[("verkoop", "")], seen[("hr", "")],
                         "every reader sees every party's base data")

    def test_totals_from_the_rarest_term_equal_rows_paged_per_user(self):
        # A count starts from one term's index (an attribute, a tag, the rarest role
        # type); small pages make every total a count, compared with the rows paged.
        checked = 0
        for user in ("verkoop", "hr", "inkoop", None):
            for qtext in ("role:customer role:partner", "rol:klant role:employee",
                          "role:employee", "status:employee=applicant", "role:customer -role:partner",
                          "role:supplier role:customer", "partner.tier:gold role:partner",
                          "tag:vip role:customer", "role:nosuchtype role:customer"):
                tok = self.tok[user] if user else DEFAULT
                res = self.req("GET", "/api/v1/parties" + q(q=qtext, limit="3"), token=tok)
                if res[0] != 200:
                    self.assert_problem(res, (403, 422))
                    continue
                items, totals, cursor = [], set(), None
                while True:
                    params = {"q": qtext, "limit": "3"}
                    if cursor:
                        params["cursor"] = cursor
                    st, _, js = self.req("GET", "/api/v1/parties" + q(**params), token=tok)
                    self.assertEqual(st, 200, js)
                    totals.add((js["total"], js["total_capped"]))
                    items.extend(js["items"])
                    cursor = js["next"]
                    if not cursor:
                        break
                self.assertEqual(totals, {(len(items), False)}, (user, qtext))
                self.assertEqual(len({p["id"] for p in items}), len(items))
                checked += len(items) > 3
        self.assertGreater(checked, 6, "the demo data must give lists of several pages")

    def test_hidden_roles_are_not_counted_by_a_refused_filter(self):
        res = self.req("GET", "/api/v1/parties" + q(q="employee.salary>1", limit="1"),
                       token=self.tok["verkoop"])
        self.assert_problem(res, (403, 422))
        self.assertNotIn("total", res[2])


class TaskPagesTest(ApiTestCase):
    def test_every_open_task_is_reachable_with_group_totals(self):
        party = self.create_party()
        me = self.ok("GET", "/api/v1/session")["user"]["id"]
        made = []
        dues = ["2020-01-0%d" % d for d in range(1, 8)] + ["2030-01-0%d" % d for d in range(1, 6)]
        for i, due in enumerate(dues):
            a = self.ok("POST", "/api/v1/activities",
                        {"type": "task", "subject": "Taak %d %s" % (i, word(4)), "due": due,
                         "assignee": me, "parties": [party["id"]], "domain": "sales"},
                        status=201)
            made.append(a["id"])
        first = self.ok("GET", "/api/v1/tasks" + q(mine="1", limit="3"))
        self.assertEqual(first["counts"]["overdue"], 7)
        self.assertEqual(first["counts"]["upcoming"], 5)
        self.assertEqual(first["total"], 12)
        self.assertIs(first["total_capped"], False)
        self.assertEqual(len(first["overdue"]), 3)
        seen = [a["id"] for g in ("overdue", "today", "upcoming") for a in first[g]]
        for g in ("overdue", "upcoming"):
            cursor = first["next"][g]
            pages = 0
            while cursor:
                page = self.ok("GET", "/api/v1/tasks" + q(mine="1", limit="3", cursor=cursor))
                self.assertEqual(page["total"], 12)
                others = [x for x in ("overdue", "today", "upcoming") if x != g]
                self.assertEqual([page[x] for x in others], [[], []])
                seen.extend(a["id"] for a in page[g])
                cursor = page["next"][g]
                pages += 1
                self.assertLess(pages, 10)
        self.assertEqual(sorted(seen), sorted(made), "every task exactly once")
        self.problem("GET", "/api/v1/tasks" + q(mine="1", group="later"), status=422,
                     field="group")
        res = self.req("GET", "/api/v1/tasks" + q(mine="1", group="today",
                                                   cursor=first["next"]["overdue"]))
        self.assert_problem(res, (400, 422), field="cursor")


if __name__ == "__main__":
    unittest.main()
