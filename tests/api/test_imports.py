"""Import jobs (POST /api/v1/imports): CSV, vCard and NDJSON files of
parties, checked row by row as POST /parties checks a party, run in the
background; upsert on match keys, dry run, on_error skip/abort, the error
report, access."""

import csv
import io
import json
import os
import tempfile
import time
import unittest

from harness import ApiTestCase, describe, q, run_cli, word

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "import")
DEMO_PASSWORD = "xrm-demo-2026"

TYPES = {".csv": "text/csv", ".vcf": "text/vcard", ".ndjson": "application/x-ndjson"}


def fixture(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


class ImportBase(ApiTestCase):
    def post_import(self, body, ctype="text/csv", token=None, status=202, **params):
        path = "/api/v1/imports" + (q(**params) if params else "")
        kw = {} if token is None else {"token": token}
        st, hdrs, raw = self.client.raw("POST", path, body=body,
                                        headers={"Content-Type": ctype}, **kw)
        self.assertEqual(st, status, describe(self.client))
        js = json.loads(raw) if raw else None
        if status == 202:
            self.assertEqual(hdrs.get("Location"), "/api/v1/imports/%d" % js["id"])
            self.assertIn(js["status"], ("queued", "running", "done"))
        return js

    def wait(self, job_id, token=None):
        """The job once it has ended (polling as a client would)."""
        kw = {} if token is None else {"token": token}
        for _ in range(600):
            js = self.ok("GET", "/api/v1/imports/%d" % job_id, **kw)
            if js["status"] in ("done", "failed"):
                return js
            self.assertLessEqual(js["done"], max(js["total"], js["done"]))
            time.sleep(0.05)
        self.fail("import %d did not end: %r" % (job_id, js))

    def run_import(self, body, ctype="text/csv", token=None, **params):
        job = self.post_import(body, ctype, token=token, **params)
        return self.wait(job["id"], token=token)

    def count(self):
        return len(self.list_all("/api/v1/parties"))


class FixturesTest(ImportBase):
    """Each real-world-shaped file imported twice: the second run updates."""

    FILES = [("google-contacts.csv", "email"), ("outlook.csv", "email"),
             ("nl-spreadsheet.csv", "email,kvk"), ("phone-3.0.vcf", "email"),
             ("android-2.1.vcf", "email"), ("contacts-4.0.vcf", "email")]

    def test_second_import_updates_instead_of_duplicating(self):
        for name, match in self.FILES:
            with self.subTest(file=name):
                body = fixture(name)
                ctype = TYPES[os.path.splitext(name)[1]]
                before = self.count()
                first = self.run_import(body, ctype, match=match)
                self.assertEqual(first["status"], "done", first)
                self.assertGreater(first["created"], 0, first)
                self.assertEqual(first["updated"], 0, first)
                self.assertEqual(first["done"], first["total"])
                self.assertEqual(first["created"] + first["errors"], first["done"], first)
                after_first = self.count()
                self.assertEqual(after_first, before + first["created"])
                second = self.run_import(body, ctype, match=match)
                self.assertEqual(second["status"], "done", second)
                self.assertEqual(second["created"], 0, second)
                self.assertEqual(second["updated"], first["created"], second)
                self.assertEqual(second["errors"], first["errors"])
                self.assertEqual(self.count(), after_first, "the second run duplicated")


class FixtureFieldsTest(ImportBase):
    """What the rows of the fixtures become (a server of its own)."""

    def test_google_row_becomes_a_party_as_typed_in(self):
        job = self.run_import(fixture("google-contacts.csv"), match="email")
        self.assertEqual(job["format"], "csv")
        self.assertEqual(job["separator"], ",")
        self.assertEqual(job["encoding"], "utf-8")
        cols = {c["header"]: c for c in job["columns"]}
        self.assertEqual(cols["First Name"]["field"], "given_name")
        self.assertEqual(cols["E-mail 1 - Value"]["field"], "email")
        self.assertIsNone(cols["Phonetic First Name"]["field"])
        self.assertEqual(cols["First Name"]["samples"][0], "Femke")
        found = self.ok("GET", "/api/v1/parties" + q(q="femke"))["items"]
        self.assertEqual(len(found), 1, found)
        p = self.get_party(found[0]["id"])
        self.assertEqual((p["kind"], p["given_name"], p["family_prefix"], p["family_name"]),
                         ("person", "Femke", "van", "Dijk"))
        self.assertIn({"label": "mobile", "value": "+31623456789"}, p["phones"])
        self.assertIn({"label": "home", "value": "femke.vandijk@example.com"}, p["emails"])
        self.assertEqual(p["addresses"][0]["postcode"], "1016 GV")
        self.assertEqual(p["addresses"][0]["house_number"], "263")
        self.assertEqual(p["custom"]["organization"], "Groenteboer Van Dijk B.V.")
        self.assertEqual(p["custom"]["note"], "Ontmoet op de Horecava")
        org = self.ok("GET", "/api/v1/parties" + q(q="zoë"))["items"]
        self.assertEqual([o["kind"] for o in org], ["organization"])

    def test_dutch_spreadsheet_roles_and_bad_rows(self):
        job = self.run_import(fixture("nl-spreadsheet.csv"), match="email")
        self.assertEqual((job["separator"], job["encoding"]), (";", "windows-1252"))
        bad = {(e["line"], e["field"]) for e in job["error_list"]}
        self.assertEqual(job["errors"], len({line for line, _ in bad}))
        for e in job["error_list"]:
            self.assertEqual(e["code"], "invalid", e)
        rene = self.ok("GET", "/api/v1/parties" + q(q="noël"))["items"]
        self.assertEqual(len(rene), 1)
        self.assertEqual([r["type"] for r in self.get_party(rene[0]["id"])["roles"]],
                         ["employee"])

    def test_vcard_keeps_note_x_fields_and_photo(self):
        job = self.run_import(fixture("contacts-4.0.vcf"), "text/vcard", match="email")
        self.assertEqual(job["errors"], 0, job)
        found = self.ok("GET", "/api/v1/parties" + q(q="willem-jan"))["items"]
        p = self.get_party(found[0]["id"])
        self.assertEqual((p["family_prefix"], p["family_name"]), ("van 't", "Hof"))
        self.assertEqual(p["custom"]["X-KVK"], "76543210")
        self.assertTrue(p["custom"]["photo"].startswith("data:image/jpeg;base64,/9j/"))
        self.assertEqual(sorted(p["tags"]), ["juridisch", "partners"])
        baken = self.ok("GET", "/api/v1/parties" + q(q="baken"))["items"]
        self.assertEqual(self.get_party(baken[0]["id"])["custom"]["note"],
                         "Hoofdlocatie\nTweede regel")


class RunModesTest(ImportBase):
    def csv_rows(self, rows, header="Voornaam;Achternaam;E-mail;Rol"):
        return ("\ufeff" + header + "\r\n" + "".join(";".join(r) + "\r\n" for r in rows)).encode()

    def test_dry_run_writes_nothing_and_counts_as_the_real_run(self):
        w = word()
        body = self.csv_rows([["Jan", w, w + "@example.nl", "klant"],
                              ["Piet", w + "b", "piet" + w + "@example.nl", "klant"],
                              ["Jan", w, w.upper() + "@Example.NL", "klant"],  # repeats row 2
                              ["Kees", w + "c", "geen-adres", "klant"]])
        before = self.count()
        audit = self.ok("GET", "/api/v1/audit" + q(limit="1"))["items"]
        dry = self.run_import(body, match="email", dry_run="true")
        self.assertEqual(dry["status"], "done", dry)
        self.assertTrue(dry["dry_run"])
        self.assertEqual(self.count(), before, "the dry run wrote parties")
        self.assertEqual(self.ok("GET", "/api/v1/audit" + q(limit="1"))["items"], audit)
        self.assertEqual((dry["created"], dry["updated"], dry["errors"]), (2, 1, 1), dry)
        real = self.run_import(body, match="email")
        for k in ("total", "done", "created", "updated", "skipped", "errors"):
            self.assertEqual(real[k], dry[k], k)
        self.assertEqual(real["error_list"], dry["error_list"])
        self.assertEqual(self.count(), before + 2)

    def test_row_repeated_without_match_is_a_duplicate_unless_forced(self):
        w = word()
        body = self.csv_rows([["Jan", w, w + "@example.nl", ""],
                              ["Jan", w, w + "@example.nl", ""]])
        before = self.count()
        job = self.run_import(body)
        self.assertEqual((job["created"], job["skipped"], job["errors"]), (1, 1, 0), job)
        dup = job["error_list"][0]
        self.assertEqual((dup["line"], dup["code"], dup["field"]), (3, "duplicate", "email"))
        self.assertEqual(self.count(), before + 1)
        forced = self.run_import(body, force="true")
        self.assertEqual((forced["created"], forced["skipped"]), (2, 0), forced)
        self.assertEqual(self.count(), before + 3)

    def test_abort_writes_nothing_when_one_row_is_bad(self):
        w = word()
        body = self.csv_rows([["Jan", w, w + "@example.nl", "klant"],
                              ["Piet", w + "b", "piet@", "klant"],
                              ["Kees", w + "c", "kees" + w + "@example.nl", "onbekend"]])
        before = self.count()
        job = self.run_import(body, on_error="abort")
        self.assertEqual(job["status"], "done", job)
        self.assertEqual(job["on_error"], "abort")
        self.assertEqual((job["created"], job["errors"]), (0, 2), job)
        self.assertEqual({e["line"] for e in job["error_list"]}, {3, 4})
        self.assertIn("nothing was imported", job["message"])
        self.assertEqual(self.count(), before)
        good = self.csv_rows([["Jan", w, w + "@example.nl", "klant"]])
        self.assertEqual(self.run_import(good, on_error="abort")["created"], 1)

    def test_skip_imports_the_rest_and_errors_csv_lists_each_bad_row(self):
        w = word()
        body = self.csv_rows([["Jan", w, w + "@example.nl", "klant"],
                              ["Piet", w + "b", "piet@", "klant"],
                              ["", "", "", ""],
                              ["Kees", w + "c", "kees" + w + "@example.nl", "klant"],
                              ["Els", w + "d", "els" + w + "@example.nl", "geen_rol"]])
        before = self.count()
        job = self.run_import(body)
        self.assertEqual((job["created"], job["errors"]), (2, 2), job)
        self.assertEqual(self.count(), before + 2)
        st, hdrs, raw = self.client.raw("GET", "/api/v1/imports/%d/errors.csv" % job["id"])
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/csv"))
        text = raw.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], ["line", "field", "code", "message"])
        self.assertEqual(sorted(int(r[0]) for r in rows[1:]), [3, 6])
        by_line = {int(r[0]): r for r in rows[1:]}
        self.assertEqual(by_line[3][1], "emails[0].value")
        self.assertEqual(by_line[3][2], "invalid")

    def test_mapping_for_an_odd_csv(self):
        w = word()
        body = ("Wie|Post|Bel|Onzin\n").replace("|", "\t") + \
            "\t".join([w + " B.V.", "info@" + w + ".example", "020-1234567", "x"]) + "\n"
        mapping = {"Wie": "name", "Post": "email", "Bel": "phone", "Onzin": ""}
        job = self.run_import(body.encode(), mapping=json.dumps(mapping),
                              dry_run="false")
        self.assertEqual((job["created"], job["errors"]), (1, 0), job)
        self.assertEqual(job["separator"], "\t")
        self.assertEqual([c["field"] for c in job["columns"]], ["name", "email", "phone", None])
        p = self.ok("GET", "/api/v1/parties" + q(q=w))["items"][0]
        full = self.get_party(p["id"])
        self.assertEqual(full["phones"][0]["value"], "+31201234567")
        self.assertNotIn("Onzin", json.dumps(full["custom"]))
        res = self.req("POST", "/api/v1/imports" + q(mapping=json.dumps({"Wie": "salaris"})),
                       body.encode(), headers={"Content-Type": "text/csv"})
        self.assert_problem(res, 422, "mapping")

    def test_ndjson_lines_with_upsert_on_kvk(self):
        w = word()
        lines = [{"kind": "organization", "name": w + " BV", "kvk": "12345670",
                  "tags": ["a"]},
                 "niet json",
                 {"kind": "organization", "name": w + " B.V.", "kvk": "12345670",
                  "tags": ["b"], "emails": ["info@" + w + ".example"]}]
        body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
        job = self.run_import(body.encode(), "application/x-ndjson", match="kvk")
        self.assertEqual((job["created"], job["updated"], job["errors"]), (1, 1, 1), job)
        self.assertEqual(job["error_list"][0]["line"], 2)
        p = self.ok("GET", "/api/v1/parties" + q(q=w))
        self.assertEqual(len(p["items"]), 1, p)
        full = self.get_party(p["items"][0]["id"])
        self.assertEqual(full["name"], w + " B.V.")
        self.assertEqual(sorted(full["tags"]), ["a", "b"])
        self.assertEqual(full["emails"][0]["value"], "info@" + w + ".example")

    def test_large_body_in_batches_and_idempotency_key(self):
        """A body of several chunks (spooled to a file by the server) in three batches; the
        same Idempotency-Key replays the job, with another file it is refused."""
        w = word()
        body = ("Voornaam;Achternaam\n" + "".join("Jan;%s%d\n" % (w, i) for i in range(2500)))
        body = body.encode()
        h = {"Content-Type": "text/csv", "Idempotency-Key": "imp-" + w}
        st, hd, raw = self.client.raw("POST", "/api/v1/imports", body=body, headers=h)
        self.assertEqual(st, 202, describe(self.client))
        first = json.loads(raw)
        st, hd2, raw = self.client.raw("POST", "/api/v1/imports", body=body, headers=h)
        self.assertEqual(st, 202, describe(self.client))
        self.assertEqual(json.loads(raw)["id"], first["id"])
        self.assertEqual(hd2["Location"], "/api/v1/imports/%d" % first["id"])
        job = self.wait(first["id"])
        self.assertEqual((job["total"], job["done"], job["created"]), (2500, 2500, 2500), job)
        jobs = len(self.ok("GET", "/api/v1/imports" + q(limit="100"))["items"])
        res = self.req("POST", "/api/v1/imports", body + b"Piet;Anders\n", headers=h)
        self.assert_problem(res, 422, "Idempotency-Key")
        self.assertEqual(len(self.ok("GET", "/api/v1/imports" + q(limit="100"))["items"]), jobs)

    def test_bad_requests(self):
        self.assert_problem(self.req("POST", "/api/v1/imports", "a;b\n1;2\n",
                                     headers={"Content-Type": "text/plain"}), 415)
        self.assert_problem(self.req("POST", "/api/v1/imports" + q(match="naam"), "a\n1\n",
                                     headers={"Content-Type": "text/csv"}), 422, "match")
        self.assert_problem(self.req("POST", "/api/v1/imports" + q(on_error="stop"), "a\n1\n",
                                     headers={"Content-Type": "text/csv"}), 400, "on_error")
        self.assert_problem(self.req("POST", "/api/v1/imports", "",
                                     headers={"Content-Type": "text/csv"}), 400, "body")
        self.assert_problem(self.req("GET", "/api/v1/imports/999999"), 404)


class ImportAccessTest(ImportBase):
    DEMO = True
    DEMO_USERS = ('verkoop', 'hr-assistent')

    def test_user_without_write_access_gets_403_and_nothing_changes(self):
        body = "Voornaam;Achternaam\nJan;%s\n" % word()
        before = self.count()
        audit = self.ok("GET", "/api/v1/audit" + q(limit="1"))["items"]
        jobs = self.ok("GET", "/api/v1/imports")["items"]
        res = self.req("POST", "/api/v1/imports", body, headers={"Content-Type": "text/csv"},
                       token=self.tok["hr-assistent"])
        self.assert_problem(res, 403)
        self.assertEqual(self.count(), before)
        self.assertEqual(self.ok("GET", "/api/v1/audit" + q(limit="1"))["items"], audit)
        self.assertEqual(self.ok("GET", "/api/v1/imports")["items"], jobs)

    def test_roles_need_write_in_their_domain(self):
        w = word()
        body = "Voornaam;Achternaam;Rol\nJan;%s;klant\nPiet;%s;partner\n" % (w, w + "b")
        job = self.run_import(body.encode(), token=self.tok["verkoop"])
        self.assertEqual((job["created"], job["errors"]), (1, 1), job)
        self.assertEqual(job["error_list"][0]["line"], 3)
        self.assertEqual(job["error_list"][0]["code"], "denied")
        self.assertEqual(len(self.ok("GET", "/api/v1/parties" + q(q=w + "b"))["items"]), 0)

    def test_someone_elses_job_is_404(self):
        job = self.run_import(b"Voornaam;Achternaam\nJan;Ander\n", dry_run="true")
        for path in ("/api/v1/imports/%d" % job["id"],
                     "/api/v1/imports/%d/errors.csv" % job["id"]):
            self.assert_problem(self.req("GET", path, token=self.tok["verkoop"]), 404)
        mine = self.ok("GET", "/api/v1/imports", token=self.tok["verkoop"])["items"]
        self.assertNotIn(job["id"], [j["id"] for j in mine])
        self.assertIn(job["id"], [j["id"] for j in self.ok("GET", "/api/v1/imports")["items"]])


class ImportCliTest(unittest.TestCase):
    def setUp(self):
        from harness import find_bin
        self.bin = find_bin()
        self.dir = tempfile.mkdtemp(prefix="xrm-import-")
        self.db = os.path.join(self.dir, "x.db")
        r = run_cli(self.bin, "init", "--db", self.db)
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_import_twice_summary_exit_status_and_errors_file(self):
        path = os.path.join(DATA, "google-contacts.csv")
        r = run_cli(self.bin, "import", path, "--db", self.db, "--match", "email")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("3 rows, 3 created, 0 updated, 0 skipped, 0 failed", r.stderr)
        r = run_cli(self.bin, "import", path, "--db", self.db, "--match", "email")
        self.assertIn("3 rows, 0 created, 3 updated", r.stderr)
        errors = os.path.join(self.dir, "errors.csv")
        bad = os.path.join(self.dir, "bad.csv")
        with open(bad, "w") as f:
            f.write("Naam;E-mail\nJan Jansen;jan@\nPiet Pieters;piet@example.nl\n")
        r = run_cli(self.bin, "import", bad, "--db", self.db, "--dry-run", "--errors", errors)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("dry run", r.stderr)
        self.assertIn("2 rows, 1 created", r.stderr)
        with open(errors, encoding="utf-8-sig") as f:
            rows = list(csv.reader(f, delimiter=";"))
        self.assertEqual(rows[1][0], "2")
        r = run_cli(self.bin, "import", bad, "--db", self.db, "--match", "naam")
        self.assertEqual(r.returncode, 2)

    def parties_named(self, family):
        """Parties whose family name is family, and those the search index finds by it."""
        import sqlite3
        db = sqlite3.connect(self.db)
        try:
            rows = db.execute("SELECT COUNT(*) FROM parties WHERE family_name = ?",
                              (family,)).fetchone()[0]
            found = db.execute("SELECT COUNT(*) FROM party_fts WHERE party_fts MATCH ?",
                               ('"%s"' % family,)).fetchone()[0]
        finally:
            db.close()
        return rows, found

    def test_batches_with_a_row_failing_at_write_keep_the_rest_searchable(self):
        # 2,500 rows: three batches; line 1502 names a role type that does
        # not exist, which fails after its party row was written.
        path = os.path.join(self.dir, "many.csv")
        with open(path, "w") as f:
            f.write("Voornaam;Achternaam;E-mail;Rol\n")
            for i in range(2500):
                family = "Zoekbaar" if i != 1500 else "Mislukt"
                f.write("Jan%d;%s;jan%d@zoek.example;%s\n"
                        % (i, family, i, "onbekend" if i == 1500 else "klant"))
        r = run_cli(self.bin, "import", path, "--db", self.db)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("2500 rows, 2499 created, 0 updated, 0 skipped, 1 failed", r.stderr)
        self.assertIn("line 1502: ", r.stderr)
        self.assertEqual(self.parties_named("Zoekbaar"), (2499, 2499))
        self.assertEqual(self.parties_named("Mislukt"), (0, 0))
        r = run_cli(self.bin, "check", "--db", self.db)
        self.assertIn("search index: ok (2499 parties)", r.stdout, r.stdout + r.stderr)
        # on_error=abort: the same file (other names and addresses) leaves nothing
        with open(path) as f:
            text = f.read().replace("Zoekbaar", "Anders").replace("@zoek.", "@anders.")
        with open(path, "w") as f:
            f.write(text)
        r = run_cli(self.bin, "import", path, "--db", self.db, "--on-error", "abort")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("2500 rows, 0 created, 0 updated, 0 skipped, 1 failed", r.stderr)
        self.assertEqual(self.parties_named("Anders"), (0, 0))
        r = run_cli(self.bin, "check", "--db", self.db)
        self.assertIn("search index: ok (2499 parties)", r.stdout, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
