"""Search finds what people remember: free words of the party search also
match the text of the party's records (notes, calls, e-mails, meetings,
tickets, deals, agreements), as prefixes, but only records of domains the
reader may read; each matching party says where the word was found, with the
words around it. The index follows every write: edits, deletes, erasure.
Runs on SQLite and, with XRM_TEST_PG_URL (scripts/test-pg.sh), PostgreSQL."""

import datetime
import json
import unittest

from harness import ApiTestCase, q, run_cli, word

DEMO_PASSWORD = "xrm-demo-2026"


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


class FullTextTest(ApiTestCase):
    DEMO = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name in ("verkoop", "hr", "hr-assistent"):
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": name, "password": DEMO_PASSWORD,
                                        "bearer": True}, token=None)
            if st != 201:
                raise RuntimeError("login of %s failed: %s %s" % (name, st, js))
            cls.tok[name] = js["token"]

    def find(self, query, user=None):
        """The items of a party search (as user, else admin)."""
        tok = self.tok[user] if user else self.token
        return self.ok("GET", "/api/v1/parties" + q(q=query, limit="100"), token=tok)["items"]

    def ids(self, query, user=None):
        return [p["id"] for p in self.find(query, user)]

    def item(self, query, pid, user=None):
        got = [p for p in self.find(query, user) if p["id"] == pid]
        self.assertEqual(len(got), 1, "party %d not found by %r as %s" % (pid, query, user))
        return got[0]

    def note(self, pid, text, domain="sales", kind="note", subject=None):
        return self.ok("POST", "/api/v1/activities", {
            "type": kind, "domain": domain, "subject": subject or "Notitie " + word(4),
            "body": text, "parties": [pid]}, status=201)

    def customer(self, **kw):
        return self.create_party(roles=[{"type": "customer"}], **kw)

    def test_sales_finds_a_customer_by_a_word_of_its_note_and_a_prefix(self):
        stem = "kr" + word(6)
        full = stem + "renovatie"
        p = self.customer(family_name="Bakker" + word(4).capitalize())
        n = self.note(p["id"], "Belde over de %s van de achterkamer; offerte volgt volgende "
                               "week, na de vakantie van de aannemer." % full)
        for query in (full, stem + "reno", full.upper()):
            it = self.item(query, p["id"], "verkoop")
            self.assertEqual(len(it["found"]), 1, it.get("found"))
            f = it["found"][0]
            self.assertEqual((f["kind"], f["id"], f["type"], f["domain"]),
                             ("activity", n["id"], "note", "sales"))
            self.assertIn(full, f["excerpt"])
            self.assertIn("achterkamer", f["excerpt"])
        # Words combine with the other terms of the query language.
        self.assertIn(p["id"], self.ids("role:customer " + stem + "reno", "verkoop"))
        self.assertNotIn(p["id"], self.ids("role:supplier " + stem + "reno", "verkoop"))
        self.assertNotIn(p["id"], self.ids(stem + "reno -" + p["family_name"], "verkoop"))
        # One word in the name, one in the note: both must match, in either place.
        self.assertEqual(self.ids(p["family_name"] + " " + full, "verkoop"), [p["id"]])
        self.assertEqual(self.ids(p["family_name"] + " " + full + " zz" + word(6), "verkoop"), [])
        # A party found by its name carries no "found".
        self.assertNotIn("found", self.item(p["family_name"], p["id"], "verkoop"))
        # An excluded word drops the parties whose records hold it.
        other = self.customer(family_name=p["family_name"] + "s")
        self.assertIn(other["id"], self.ids(p["family_name"][:8], "verkoop"))
        self.assertNotIn(p["id"], self.ids(p["family_name"][:8] + " -" + full, "verkoop"))
        self.assertIn(other["id"], self.ids(p["family_name"][:8] + " -" + full, "verkoop"))

    def test_one_or_two_letters_search_names_not_records(self):
        """A word of one or two letters is the start of a name being typed: it does
        not reach the records' text (hundreds of thousands of words); three do."""
        tail = word(6)
        by_note = self.customer(family_name="Notitiehouder" + word(4).capitalize())
        self.note(by_note["id"], "Gesprek over qx%s en de planning." % tail)
        by_name = self.customer(family_name="Qx" + tail)
        self.assertNotIn(by_note["id"], self.ids("qx"))
        self.assertIn(by_name["id"], self.ids("qx"))
        self.assertNotIn("found", self.item("qx", by_name["id"]))
        it = self.item("qx" + tail[0], by_note["id"])
        self.assertEqual(len(it["found"]), 1, it)
        self.assertIn(by_name["id"], self.ids("qx" + tail[0]))
        # a phrase searches the records whatever its words
        self.assertIn(by_note["id"], self.ids('"qx%s en"' % tail))

    def test_an_excerpt_is_short_and_centred_on_the_match(self):
        w = "zq" + word(8)
        p = self.customer()
        long_text = " ".join("woord%d" % i for i in range(200))
        self.note(p["id"], long_text + " " + w + " " + long_text)
        ex = self.item(w, p["id"])["found"][0]["excerpt"]
        self.assertIn(w, ex)
        self.assertTrue(ex.startswith("…") and ex.endswith("…"), ex)
        self.assertLessEqual(len(ex), 130)

    def test_an_hr_note_is_found_only_by_hr(self):
        w = "hrw" + word(7)
        p = self.customer(family_name="Visser" + word(4).capitalize())
        self.ok("POST", "/api/v1/parties/%d/roles" % p["id"],
                {"type": "employee", "attributes": {"job_title": "monteur"}}, status=201)
        hr = self.note(p["id"], "Verzuimgesprek: %s, terugkeer besproken." % w, domain="hr")
        self.assertEqual(self.find(w, "verkoop"), [])
        # Found by name, the party's answer holds nothing of the HR note.
        st, _, raw = self.client.raw("GET", "/api/v1/parties" + q(q=p["family_name"] + " " +
                                                                   w[:5]),
                                     token=self.tok["verkoop"])
        self.assertEqual(st, 200)
        self.assertNotIn(w, raw.decode("utf-8"))
        self.assertNotIn("Verzuimgesprek", raw.decode("utf-8"))
        st, _, raw = self.client.raw("GET", "/api/v1/parties" + q(q=p["family_name"]),
                                     token=self.tok["verkoop"])
        self.assertNotIn(w, raw.decode("utf-8"))
        for user in ("hr", "hr-assistent"):
            f = self.item(w, p["id"], user)["found"]
            self.assertEqual([(x["id"], x["domain"]) for x in f], [(hr["id"], "hr")])
            self.assertIn(w, f[0]["excerpt"])
        # And the other way round: a sales note's word finds nothing for HR's assistant.
        s = "sw" + word(7)
        self.note(p["id"], "Klant wil " + s, domain="sales")
        self.assertEqual(self.find(s, "hr-assistent"), [])
        self.assertEqual(self.ids(s, "verkoop"), [p["id"]])

    def test_edits_and_deletes_of_a_note_follow_in_the_index(self):
        old, new = "ow" + word(7), "nw" + word(7)
        p = self.customer()
        n = self.note(p["id"], "Eerst " + old)
        self.assertEqual(self.ids(old), [p["id"]])
        self.ok("PATCH", "/api/v1/activities/%d" % n["id"], {"body": "Daarna " + new})
        self.assertEqual(self.ids(old), [])
        self.assertEqual(self.ids(new), [p["id"]])
        self.assertIn(new, self.item(new, p["id"])["found"][0]["excerpt"])
        # The subject counts too.
        subj = "sj" + word(7)
        self.ok("PATCH", "/api/v1/activities/%d" % n["id"], {"subject": "Over " + subj})
        self.assertEqual(self.ids(subj), [p["id"]])
        # Moved into HR: gone for sales.
        self.ok("PATCH", "/api/v1/activities/%d" % n["id"], {"domain": "hr"})
        self.assertEqual(self.ids(new, "verkoop"), [])
        self.assertEqual(self.ids(new, "hr"), [p["id"]])
        self.ok("DELETE", "/api/v1/activities/%d" % n["id"], status=204)
        self.assertEqual(self.ids(new), [])
        self.assertEqual(self.ids(subj), [])

    def test_tickets_deals_and_agreements_are_found(self):
        p = self.customer()
        wc, wd, wa, wm = ("tc" + word(7), "td" + word(7), "ta" + word(7), "tm" + word(7))
        c = self.ok("POST", "/api/v1/cases", {"party": p["id"], "subject": "Lekkage",
                                              "description": "Lekkage bij de " + wc}, 201)
        d = self.ok("POST", "/api/v1/deals", {"party": p["id"], "title": "Dakkapel " + wd}, 201)
        a = self.ok("POST", "/api/v1/agreements", {
            "party": p["id"], "kind": "customer_contract", "title": "Onderhoud " + wa,
            "start": day(-10)}, 201)
        for w, kind, rid, typ in ((wc, "case", c["id"], "case"), (wd, "deal", d["id"], "deal"),
                                  (wa, "agreement", a["id"], "customer_contract")):
            f = self.item(w, p["id"], "verkoop")["found"]
            self.assertEqual([(x["kind"], x["id"], x["type"], x["domain"]) for x in f],
                             [(kind, rid, typ, "sales")])
        # A ticket's messages are found, and an edited title replaces the old one.
        self.ok("POST", "/api/v1/cases/%d/messages" % c["id"],
                {"body": "We komen langs voor " + wm}, status=201)
        self.assertIn(p["id"], self.ids(wm, "verkoop"))
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"title": "Dakkapel groot"})
        self.assertEqual(self.ids(wd), [])
        self.assertEqual(self.ids("dakkapel groot"), [p["id"]])
        # A word in several records: several entries, each record once.
        both = "tb" + word(7)
        self.note(p["id"], both + " eerste")
        self.note(p["id"], both + " tweede")
        self.assertEqual(len(self.item(both, p["id"])["found"]), 2)

    def test_erasure_takes_the_text_out_of_the_index(self):
        family = "Zwaardemaker" + word(5).capitalize()
        w = "er" + word(7)
        p = self.customer(given_name="Wilhelmina", family_name=family)
        other = self.customer()
        self.ok("POST", "/api/v1/activities", {
            "type": "meeting", "domain": "sales", "subject": "Overleg " + w,
            "body": "Wilhelmina %s was erbij." % family, "parties": [p["id"], other["id"]]},
            status=201)
        self.note(p["id"], "Alleen over haar: " + w + "x")
        self.assertEqual(sorted(self.ids(family)), sorted([p["id"], other["id"]]))
        self.ok("POST", "/api/v1/parties/%d/erase" % p["id"])
        # The shared meeting stays with the other party, without her name.
        self.assertEqual(self.ids(family), [])
        self.assertEqual(self.ids(w), [other["id"]])
        self.assertEqual(self.ids(w + "x"), [])
        for it in self.find(w):
            self.assertNotIn(family, str(it.get("found")))

    def test_a_page_of_many_matches_has_the_rows_of_all_of_them(self):
        """A search page stops gathering when it is full (on SQLite the matches of
        each word are walked newest party first, in step): the pages must hold
        exactly what gathering every match gives, in the same order, with the
        same total and cursors, for every reader, whatever mix of common and
        rare words, many matching records per party, excluded words and
        filters the query has."""
        tag = "wk" + word(6)
        common, rare = tag + "gewoon", tag + "zeldzaam"
        ps = [self.customer(family_name="Walk" + word(5).capitalize()) for _ in range(30)]
        ids = [p["id"] for p in ps]
        for i, p in enumerate(ps):
            # every third party has many records with the common word
            for _ in range(18 if i % 3 == 0 else 1):
                self.note(p["id"], "Gesprek over %s zaken." % common)
        for i in (2, 25):  # the rare word in the name
            self.ok("PATCH", "/api/v1/parties/%d" % ids[i],
                    {"family_name": ps[i]["family_name"] + " " + rare},
                    headers={"If-Match": '"%d"' % ps[i]["version"]})
        self.note(ids[10], "Verzuim, " + rare, domain="hr")  # only readers of hr find it
        self.note(ids[17], "Klant vraagt naar " + rare)
        newest_first = lambda idx: sorted((ids[i] for i in idx), reverse=True)
        both = "%s %s" % (common, rare)
        self.assertEqual(self.ids(both), newest_first([2, 10, 17, 25]))
        self.assertEqual(self.ids(both, "verkoop"), newest_first([2, 17, 25]))
        self.assertEqual(self.ids(rare + " " + common, "verkoop"), newest_first([2, 17, 25]))
        # hr reads no sales notes: only the names match the common word's... nothing
        self.assertEqual(self.ids(both, "hr"), [])
        self.assertEqual(self.ids(rare, "hr"), newest_first([2, 10, 25]))
        self.assertEqual(self.ids(common), newest_first(range(30)))
        self.assertEqual(self.ids("%s -%s" % (common, rare)),
                         newest_first(set(range(30)) - {2, 10, 17, 25}))
        self.assertEqual(self.ids("%s role:supplier" % common), [])
        self.assertEqual(self.ids("%s kind:person %s" % (common, rare)),
                         newest_first([2, 10, 17, 25]))
        # pages and the total: one row per page, then seven per page
        for query, want in ((both, newest_first([2, 10, 17, 25])),
                            (common, newest_first(range(30)))):
            for limit in (1, 7):
                got, cursor, first = [], None, None
                while True:
                    page = self.ok("GET", "/api/v1/parties" + q(
                        q=query, limit=str(limit), **({"cursor": cursor} if cursor else {})))
                    first = first or page
                    got += [p["id"] for p in page["items"]]
                    cursor = page["next"]
                    if not cursor:
                        break
                self.assertEqual(got, want, (query, limit))
                self.assertEqual(first["total"], len(want), (query, limit))

    def test_a_rare_word_beside_a_common_one_probes_the_common_records(self):
        """Past a party with hundreds of matching records the common word's records are
        no longer walked but probed per candidate of the rare word: the same parties,
        with the reader's domains, newest first."""
        tag = "pr" + word(6)
        common, rare = tag + "vaak", tag + "zelden"
        z = self.customer(family_name="Zelden " + rare)
        y = self.customer(family_name="Ypsilon " + rare)
        w = self.customer(family_name="Wessel " + rare)
        x = self.customer(family_name="Xander" + word(4))
        self.note(y["id"], "Afspraak over %s levering." % common)
        self.note(w["id"], "Verzuimgesprek, %s." % common, domain="hr")
        lines = "".join(json.dumps({"type": "note", "domain": "sales", "subject": "Notitie %d" % i,
                                    "body": "Weer %s zaken." % common, "parties": [x["id"]]})
                        + "\n" for i in range(300))
        st, _, raw = self.client.raw("POST", "/api/v1/import/activities", lines.encode(),
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(st, 201, raw[:300])
        both = "%s %s" % (common, rare)
        self.assertEqual(self.ids(both), [w["id"], y["id"]])
        self.assertEqual(self.ids(both, "verkoop"), [y["id"]])
        self.assertEqual(self.ids(rare + " " + common, "verkoop"), [y["id"]])
        self.assertEqual(self.ids(both, "hr"), [w["id"]])
        self.assertEqual(self.ids(common, "verkoop"), [x["id"], y["id"]])
        page = self.ok("GET", "/api/v1/parties" + q(q=both, limit="1"))
        self.assertEqual(([p["id"] for p in page["items"]], page["total"]), ([w["id"]], 2))
        page = self.ok("GET", "/api/v1/parties" + q(q=both, limit="1", cursor=page["next"]))
        self.assertEqual([p["id"] for p in page["items"]], [y["id"]])
        self.assertIsNone(page["next"])
        self.assertNotIn(z["id"], self.ids(both))

    def test_merge_moves_the_text_to_the_survivor(self):
        w = "mg" + word(7)
        name = "Smit" + word(5).capitalize()
        a = self.customer(family_name=name, emails=[name.lower() + "@example.nl"])
        b = self.customer(family_name=name, emails=[name.lower() + "@example.nl"], force=True)
        self.note(b["id"], "Notitie over " + w)
        self.assertEqual(self.ids(w), [b["id"]])
        self.ok("POST", "/api/v1/parties/%d/merge" % a["id"], {"from": [b["id"]]})
        self.assertEqual(self.ids(w), [a["id"]])


if __name__ == "__main__":
    unittest.main()
