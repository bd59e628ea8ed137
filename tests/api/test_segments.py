"""Segments: saved queries with CRUD and validation, their members as a paginated
list and as CSV (RFC 4180), and segments as a condition of treatment rules."""

import csv
import io
import unittest

from demo_case import DemoTestCase
from harness import etag, q, word


class SegmentCrudTest(DemoTestCase):
    def test_create_read_update_delete(self):
        name = "Strategische klanten " + word()
        hdrs, s = self.ok_h("POST", "/api/v1/segments",
                            {"name": name, "query": "role:customer priority:high",
                             "description": "klanten die extra zorg krijgen"}, status=201)
        self.assertEqual(hdrs["Location"], "/api/v1/segments/%d" % s["id"])
        for key in ("id", "name", "query", "description", "version", "created_at",
                    "updated_at", "created_by"):
            self.assertIn(key, s)
        self.assertEqual(s["query"], "role:customer priority:high")
        got = self.ok("GET", "/api/v1/segments/%d" % s["id"])
        self.assertEqual(got, s)
        self.assertIn(s["id"], [x["id"] for x in self.ok("GET", "/api/v1/segments")["items"]])
        upd = self.ok("PATCH", "/api/v1/segments/%d" % s["id"], {"query": "role:press"},
                      headers={"If-Match": etag(s["version"])})
        self.assertEqual(upd["query"], "role:press")
        self.assertEqual(upd["name"], name)
        self.assertEqual(upd["version"], s["version"] + 1)
        self.problem("PATCH", "/api/v1/segments/%d" % s["id"], {"query": "role:partner"},
                     headers={"If-Match": etag(s["version"])}, status=412)
        self.problem("DELETE", "/api/v1/segments/%d" % s["id"],
                     headers={"If-Match": etag(s["version"])}, status=412)
        self.ok("DELETE", "/api/v1/segments/%d" % s["id"], status=204)
        self.problem("GET", "/api/v1/segments/%d" % s["id"], status=404)
        self.problem("GET", "/api/v1/segments/%d/members" % s["id"], status=404)

    def test_validation(self):
        n = word()
        self.ok("POST", "/api/v1/segments", {"name": n, "query": ""}, status=201)
        self.problem("POST", "/api/v1/segments", {"name": n, "query": "role:press"}, status=409)
        self.problem("POST", "/api/v1/segments", {"query": "role:press"}, field="name")
        self.problem("POST", "/api/v1/segments", {"name": word()}, field="query")
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": 5}, status=400,
                     field="query")
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "role:"}, status=400,
                     field="query")
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "supplier.x>3"},
                     status=422, field="query")
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "may:sms"},
                     status=422, field="query")
        self.problem("POST", "/api/v1/segments", {"name": word(), "query": "", "size": 3},
                     field="size")


class MembersTest(DemoTestCase):
    def segment(self, query):
        return self.ok("POST", "/api/v1/segments", {"name": word(), "query": query}, status=201)

    def test_members_are_the_query_results(self):
        s = self.segment("role:customer")
        members = self.list_all("/api/v1/segments/%d/members" % s["id"])
        self.assertEqual([p["id"] for p in members],
                         [p["id"] for p in self.list_all("/api/v1/parties", q="role:customer")])
        self.assertGreater(len(members), 50)
        paged = self.list_all("/api/v1/segments/%d/members" % s["id"], limit=7)
        self.assertEqual([p["id"] for p in paged], [p["id"] for p in members])
        for p in members:
            self.assertIn("treatment", p)
            self.assertIn("roles", p)
        self.problem("GET", "/api/v1/segments/%d/members" % s["id"] + q(cursor="x"),
                     status=400, field="cursor")

    def test_members_follow_the_data(self):
        t = word()
        s = self.segment("tag:" + t)
        self.assertEqual(self.list_all("/api/v1/segments/%d/members" % s["id"]), [])
        p = self.create_party(tags=[t])
        self.assertEqual([x["id"] for x in self.list_all("/api/v1/segments/%d/members" % s["id"])],
                         [p["id"]])

    def test_csv_export(self):
        t = word()
        tricky = self.create_party(kind="organization", name='Bakkerij "De Korf", Utrecht',
                                   tags=[t, "zz-" + t],
                                   emails=["info@%s.nl" % t],
                                   addresses=[{"street": "Oudegracht", "house_number": "12",
                                               "postcode": "3511AB", "city": "Utrecht"}],
                                   roles=[{"type": "customer"}, {"type": "employee"}])
        formula = self.create_party(kind="organization", name="=HYPERLINK(1)", tags=[t])
        s = self.segment("tag:" + t)
        st, hdrs, raw = self.client.raw("GET", "/api/v1/segments/%d/members.csv" % s["id"])
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/csv"))
        # The export writer (test_export.py): Dutch Excel, BOM, ';', CRLF, text cells ="...".
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        text = raw[3:].decode("utf-8")
        self.assertTrue(text.endswith("\r\n"))
        self.assertNotIn("\n", text.replace("\r\n", ""), "every line ends in CRLF")
        self.assertIn('"Bakkerij ""De Korf"", Utrecht"', text)
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
        self.assertEqual(list(rows[0]), ["id", "uid", "kind", "name", "given_name",
                                         "family_prefix", "family_name", "email", "phone",
                                         "street", "house_number", "postcode", "city", "country",
                                         "kvk", "vat", "iban", "website", "roles", "tags",
                                         "external_id", "priority", "badges", "health"])
        by_id = {r["id"]: r for r in rows}
        self.assertEqual(set(by_id), {'="%d"' % tricky["id"], '="%d"' % formula["id"]})
        row = by_id['="%d"' % tricky["id"]]
        self.assertEqual(row["name"], 'Bakkerij "De Korf", Utrecht')
        self.assertEqual(row["email"], "info@%s.nl" % t)
        self.assertEqual(row["postcode"], '="3511 AB"')
        self.assertEqual(row["city"], "Utrecht")
        self.assertEqual(row["tags"], "%s, zz-%s" % (t, t))
        self.assertEqual(row["roles"], "customer, employee")
        self.assertEqual(row["badges"], "Staff")
        self.assertEqual(row["priority"], "normal")
        self.assertEqual(row["health"], "watch")  # an active customer never contacted
        # A cell a spreadsheet would run as a formula is a text cell: shown, never run.
        self.assertEqual(by_id['="%d"' % formula["id"]]["name"], '="=HYPERLINK(1)"')
        # Dutch headers and badges.
        st, _, raw = self.client.raw("GET", "/api/v1/segments/%d/members.csv" % s["id"]
                                     + q(lang="nl"))
        rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(raw[3:].decode(), newline=""),
                                                   delimiter=";")}
        self.assertEqual(rows['="%d"' % tricky["id"]]["Badges"], "Personeel")
        self.problem("GET", "/api/v1/segments/%d/members.csv" % s["id"] + q(lang="fr"),
                     field="lang")
        self.problem("GET", "/api/v1/segments/999999/members.csv", status=404)

    def test_csv_of_a_big_segment_has_every_member(self):
        s = self.segment("")
        st, _, raw = self.client.raw("GET", "/api/v1/segments/%d/members.csv" % s["id"])
        self.assertEqual(st, 200)
        rows = list(csv.DictReader(io.StringIO(raw[3:].decode(), newline=""), delimiter=";"))
        self.assertEqual(len(rows), self.party_count())
        self.assertGreater(len(rows), 200)


class SegmentRuleTest(DemoTestCase):
    """A rule may use segment membership as a condition."""

    def test_rule_on_a_segment(self):
        t = word()
        inside = self.create_party(tags=[t], addresses=[{"city": "Amersfoort"}])
        outside = self.create_party(tags=[t], addresses=[{"city": "Zeist"}])
        seg = self.ok("POST", "/api/v1/segments",
                      {"name": "Amersfoort " + t, "query": "tag:%s city:amersfoort" % t},
                      status=201)
        rule = self.ok("POST", "/api/v1/rules", {
            "name": "Local " + t, "when": {"segment": seg["id"]},
            "then": {"badges": [{"en": "Local", "nl": "Lokaal"}]}}, status=201)
        self.assertIn("Local " + t, self.get_party(inside["id"])["treatment"]["because"])
        self.assertEqual(self.get_party(outside["id"])["treatment"]["because"], [])
        self.assertEqual(self.ids("badge:lokaal tag:" + t), {inside["id"]})
        # Changing the segment changes the treatment at once.
        self.ok("PATCH", "/api/v1/segments/%d" % seg["id"],
                {"query": "tag:%s city:zeist" % t})
        self.assertEqual(self.get_party(inside["id"])["treatment"]["because"], [])
        self.assertIn("Local " + t, self.get_party(outside["id"])["treatment"]["because"])
        self.assertEqual(self.ids("badge:lokaal tag:" + t), {outside["id"]})
        # Simulation evaluates it too.
        sim = self.ok("POST", "/api/v1/rules/simulate",
                      {"id": rule["id"], "enabled": False})
        self.assertEqual([i["party"]["id"] for i in sim["items"]], [outside["id"]])
        # A segment in use keeps the rule's limits and cannot go.
        js = self.problem("PATCH", "/api/v1/segments/%d" % seg["id"],
                          {"query": "priority:high"}, field="query")
        self.assertIn("Local " + t, js["errors"][0]["message"])
        js = self.problem("DELETE", "/api/v1/segments/%d" % seg["id"], status=409)
        self.assertIn("Local " + t, js["detail"])
        self.ok("DELETE", "/api/v1/rules/%d" % rule["id"], status=204)
        self.ok("DELETE", "/api/v1/segments/%d" % seg["id"], status=204)

    def test_rule_cannot_use_a_treatment_segment(self):
        seg = self.ok("POST", "/api/v1/segments",
                      {"name": word(), "query": "priority:high"}, status=201)
        self.problem("POST", "/api/v1/rules", {"name": word(), "when": {"segment": seg["id"]},
                                               "then": {"priority": "top"}},
                     field="when.segment")


if __name__ == "__main__":
    unittest.main()
