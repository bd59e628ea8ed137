"""Relationships between parties: create, read from both sides, change, delete,
types, and input that must be refused without changing anything."""

import unittest

from harness import ApiTestCase, describe, etag, word


def items(js):
    return js["items"] if isinstance(js, dict) else js


class RelationshipTest(ApiTestCase):
    def pair(self):
        person = self.create_party(given_name="Lotte", family_name=word().capitalize())
        org = self.create_party(kind="organization", name=word().capitalize() + " Installaties")
        return person, org

    def rels_of(self, pid):
        return self.get_party(pid)["relationships"]

    def test_create_and_read_from_both_sides(self):
        person, org = self.pair()
        h, r = self.ok_h("POST", "/api/v1/relationships",
                         {"type": "works_at", "from": person["id"], "to": org["id"],
                          "since": "2021-04-01"}, 201)
        self.assertEqual(h.get("Location"), "/api/v1/relationships/%d" % r["id"])
        for k, v in (("type", "works_at"), ("from", person["id"]), ("to", org["id"]),
                     ("since", "2021-04-01"), ("until", None)):
            self.assertEqual(r[k], v, k)
        self.assertEqual(self.ok("GET", "/api/v1/relationships/%d" % r["id"]), r)
        mine = [x for x in self.rels_of(person["id"]) if x["id"] == r["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["type"], "works_at")
        self.assertEqual(mine[0]["party"], {"id": org["id"], "name": org["name"]})
        self.assertEqual(mine[0]["since"], "2021-04-01")
        theirs = [x for x in self.rels_of(org["id"]) if x["id"] == r["id"]]
        self.assertEqual(len(theirs), 1)
        self.assertEqual(theirs[0]["type"], "employs")
        self.assertEqual(theirs[0]["party"], {"id": person["id"], "name": person["name"]})

    def test_create_with_the_reverse_name(self):
        person, org = self.pair()
        self.ok("POST", "/api/v1/relationships",
                {"type": "employs", "from": org["id"], "to": person["id"]}, 201)
        self.assertEqual([x["type"] for x in self.rels_of(person["id"])], ["works_at"])
        self.assertEqual([x["type"] for x in self.rels_of(org["id"])], ["employs"])

    def test_symmetric_type(self):
        a = self.create_party()
        b = self.create_party()
        self.ok("POST", "/api/v1/relationships",
                {"type": "spouse_of", "from": a["id"], "to": b["id"]}, 201)
        self.assertEqual([x["type"] for x in self.rels_of(a["id"])], ["spouse_of"])
        self.assertEqual([x["type"] for x in self.rels_of(b["id"])], ["spouse_of"])

    def test_relationship_changes_both_parties_etags(self):
        person, org = self.pair()
        v1, v2 = person["version"], org["version"]
        self.ok("POST", "/api/v1/relationships",
                {"type": "contact_for", "from": person["id"], "to": org["id"]}, 201)
        h1, p = self.ok_h("GET", "/api/v1/parties/%d" % person["id"])
        h2, o = self.ok_h("GET", "/api/v1/parties/%d" % org["id"])
        self.assertNotEqual(h1["ETag"], etag(v1))
        self.assertNotEqual(h2["ETag"], etag(v2))

    def test_name_change_shows_on_the_other_side(self):
        person, org = self.pair()
        self.ok("POST", "/api/v1/relationships",
                {"type": "works_at", "from": person["id"], "to": org["id"]}, 201)
        self.ok("PATCH", "/api/v1/parties/%d" % org["id"], {"name": "Nieuwe Naam B.V."})
        self.assertEqual(self.rels_of(person["id"])[0]["party"]["name"], "Nieuwe Naam B.V.")

    def test_patch_and_if_match(self):
        person, org = self.pair()
        r = self.ok("POST", "/api/v1/relationships",
                    {"type": "works_at", "from": person["id"], "to": org["id"],
                     "since": "2020-01-01"}, 201)
        path = "/api/v1/relationships/%d" % r["id"]
        h, _ = self.ok_h("GET", path)
        self.assertEqual(h["ETag"], etag(r["version"]))
        got = self.ok("PATCH", path, {"until": "2023-12-31"}, headers={"If-Match": h["ETag"]})
        self.assertEqual(got["until"], "2023-12-31")
        self.assertEqual(got["version"], r["version"] + 1)
        before = self.ok("GET", path)
        self.problem("PATCH", path, {"until": "2024-12-31"}, status=412,
                     headers={"If-Match": h["ETag"]})
        self.problem("PATCH", path, {"until": "2019-01-01"}, status=422, field="until")
        self.problem("PATCH", path, {"to": person["id"]}, status=422, field="to")
        self.problem("PATCH", path, {"since": "2023-02-30"}, status=422, field="since")
        self.assertEqual(self.ok("GET", path), before)

    def test_delete(self):
        person, org = self.pair()
        r = self.ok("POST", "/api/v1/relationships",
                    {"type": "works_at", "from": person["id"], "to": org["id"]}, 201)
        path = "/api/v1/relationships/%d" % r["id"]
        self.ok("PATCH", path, {"note": "via de beurs"})
        self.problem("DELETE", path, status=412, headers={"If-Match": etag(1)})
        self.assertEqual(len(self.rels_of(person["id"])), 1)
        st, _, _ = self.client.raw("DELETE", path)
        self.assertEqual(st, 204, describe(self.client))
        self.problem("GET", path, status=404)
        self.assertEqual(self.rels_of(person["id"]), [])
        self.assertEqual(self.rels_of(org["id"]), [])

    def test_types_list_and_admin_adds_one(self):
        types = {t["name"]: t for t in items(self.ok("GET", "/api/v1/relationship-types"))}
        self.assertEqual(types["works_at"]["reverse"], "employs")
        for name in ("manager_of", "subsidiary_of", "referred_by", "contact_for",
                     "stakeholder_of", "spouse_of"):
            self.assertIn(name, types)
        name = "mentor_of_" + word(4)
        self.ok("POST", "/api/v1/relationship-types",
                {"name": name, "reverse": "mentored_by_" + name[-4:],
                 "label": {"en": "mentor of", "nl": "mentor van"},
                 "reverse_label": {"en": "mentored by", "nl": "begeleid door"}}, 201)
        a, b = self.create_party(), self.create_party()
        self.ok("POST", "/api/v1/relationships", {"type": name, "from": a["id"], "to": b["id"]},
                201)
        self.assertEqual([x["type"] for x in self.rels_of(b["id"])], ["mentored_by_" + name[-4:]])
        self.problem("POST", "/api/v1/relationship-types",
                     {"name": "works_at", "label": {"en": "x", "nl": "y"}}, status=(409, 422),
                     field="name")

    def test_overlapping_duplicate_is_refused(self):
        person, org = self.pair()
        body = {"type": "works_at", "from": person["id"], "to": org["id"], "since": "2020-01-01"}
        self.ok("POST", "/api/v1/relationships", body, 201)
        st, h, js = self.req("POST", "/api/v1/relationships", body)
        self.assert_problem((st, h, js), (409, 422))
        self.assertEqual(len(self.rels_of(person["id"])), 1)


class RelationshipBadInputTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        if not hasattr(type(self), "a"):
            type(self).a = self.create_party()
            type(self).b = self.create_party(kind="organization", name="Doel B.V.")

    def refused(self, body, status, field):
        before_a, before_b = self.get_party(self.a["id"]), self.get_party(self.b["id"])
        js = self.problem("POST", "/api/v1/relationships", body, status, field)
        self.assertEqual(self.get_party(self.a["id"]), before_a, "party 'from' changed")
        self.assertEqual(self.get_party(self.b["id"]), before_b, "party 'to' changed")
        return js

    def body(self, **kw):
        b = {"type": "works_at", "from": self.a["id"], "to": self.b["id"]}
        b.update(kw)
        return {k: v for k, v in b.items() if v is not ...}

    def test_missing_party_names_the_field(self):
        self.refused(self.body(to=99999999), 422, "to")
        self.refused(self.body(**{"from": 99999999}), 422, "from")

    def test_required_fields(self):
        self.refused(self.body(to=...), (400, 422), "to")
        self.refused(self.body(**{"from": ...}), (400, 422), "from")
        self.refused(self.body(type=...), (400, 422), "type")

    def test_wrong_types(self):
        self.refused(self.body(to=str(self.b["id"])), (400, 422), "to")
        self.refused(self.body(type=5), (400, 422), "type")
        self.refused(self.body(since=20200101), (400, 422), "since")

    def test_unknown_type(self):
        self.refused(self.body(type="enemy_of"), 422, "type")

    def test_party_related_to_itself(self):
        self.refused(self.body(to=self.a["id"]), 422, "to")

    def test_dates_out_of_range(self):
        for bad in ("2023-02-30", "1800-01-01", "2023-00-10", "2100-1-1", "morgen"):
            with self.subTest(since=bad):
                self.refused(self.body(since=bad), 422, "since")
        self.refused(self.body(until="2019-02-29"), 422, "until")
        self.refused(self.body(since="2022-01-01", until="2021-01-01"), 422, "until")

    def test_unknown_field_and_long_note(self):
        self.refused(self.body(colour="red"), 422, "colour")
        self.refused(self.body(note="x" * 100000), (413, 422), "note")

    def test_malformed(self):
        for raw in ("{", "[]", ""):
            with self.subTest(body=raw):
                self.assert_problem(self.req("POST", "/api/v1/relationships", raw), 400)


if __name__ == "__main__":
    unittest.main()
