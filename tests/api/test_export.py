"""Exports of parties: GET /api/v1/parties/export.csv, .vcf and .ndjson, the
segment members CSV, and `xrm export`.

A CSV opens as columns in Excel with Dutch settings (UTF-8 with BOM, ';',
CRLF; phone, postcode and id-like cells as ="..." text cells, so a phone
keeps its '+'); a vCard file is read by an address book (khard, on a vdir
of one card per file as vdirsyncer keeps it); NDJSON is one party of the
API per line. Every export holds only what its reader may see, as the
party list does: an applicant is not in sales' export, an HR salary is in
no export of a user without full HR access. The CLI runs as the system and
sees everything. A vCard or CSV export imported into a fresh database
(POST /api/v1/imports) gives the same parties.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import (ApiDocument, ApiTestCase, Server, describe, q, run_cli, sanitizer_report,
                     word)

CSV_EN = ["id", "uid", "kind", "name", "given_name", "family_prefix", "family_name", "email",
          "phone", "street", "house_number", "postcode", "city", "country", "kvk", "vat", "iban",
          "website", "roles", "tags", "external_id"]
CSV_NL = ["ID", "UID", "Soort", "Naam", "Voornaam", "Tussenvoegsel", "Achternaam", "E-mail",
          "Telefoon", "Straat", "Huisnummer", "Postcode", "Plaats", "Land", "KvK-nummer",
          "BTW-nummer", "IBAN", "Website", "Rol", "Tags", "Extern ID"]
BOM = b"\xef\xbb\xbf"


def text_cell(cell):
    """The text of a ="..." cell (what Excel shows), or the cell itself."""
    m = re.fullmatch(r'="(.*)"', cell, re.S)
    return m.group(1).replace('""', '"') if m else cell


def read_csv(raw):
    """(header, rows as dicts of shown text) of a Dutch-Excel CSV answer."""
    assert raw.startswith(BOM), raw[:20]
    text = raw[len(BOM):].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    return header, [{h: text_cell(c) for h, c in zip(header, r)} for r in rows[1:]]


def vcards(raw):
    """The cards of a vCard file, each as its unfolded lines."""
    text = raw.decode("utf-8").replace("\r\n ", "")
    cards = re.findall(r"BEGIN:VCARD\r\n(.*?)END:VCARD\r\n", text, re.S)
    return [c.split("\r\n")[:-1] for c in cards]


def card_value(lines, name):
    """Values of property name (any parameters) in a card's lines."""
    out = []
    for ln in lines:
        head, _, value = ln.partition(":")
        if head.split(";")[0] == name:
            out.append(value)
    return out


class ExportBase(ApiTestCase):
    """A server with the demo data set and a token per demo user."""
    DEMO = True
    DEMO_USERS = ('verkoop', 'hr', 'hr-assistent')

    def export(self, ext, token=None, **params):
        """The raw bytes of an export (must answer 200), and its headers."""
        path = "/api/v1/parties/export.%s" % ext + (q(**params) if params else "")
        st, hdrs, raw = self.client.raw("GET", path, token=token or self.token)
        self.assertEqual(st, 200, describe(self.client))
        return raw, hdrs

    def ids_as(self, token, query=None):
        """Ids of the party list as the holder of token (every page)."""
        ids, cursor = [], None
        while True:
            p = {"limit": "500"}
            if query:
                p["q"] = query
            if cursor:
                p["cursor"] = cursor
            js = self.ok("GET", "/api/v1/parties" + q(**p), token=token)
            ids += [x["id"] for x in js["items"]]
            cursor = js["next"]
            if not cursor:
                return ids

    def staff_salary(self):
        """An employee with a salary (admin's view): (party, salary)."""
        for p in self.list_all("/api/v1/parties", q="role:employee"):
            for r in self.get_party(p["id"])["roles"]:
                if r["type"] == "employee" and "salary" in r["attributes"]:
                    return p, r["attributes"]["salary"]
        self.fail("the demo has no employee with a salary")

    def applicant(self):
        """A person whose only role is an HR application, created by HR."""
        name = "Sollicitant" + word()
        p = self.ok("POST", "/api/v1/parties",
                    {"kind": "person", "family_name": name,
                     "roles": [{"type": "employee", "status": "applicant"}]},
                    status=201, token=self.tok["hr"])
        return p, name.lower()


class CsvExportTest(ExportBase):

    def dutch_party(self, t):
        return self.create_party(
            kind="person", given_name="Zoë", family_prefix="van der", family_name="Bérg-Ĳssel",
            emails=["zoe@%s.nl" % t], phones=[{"label": "mobile", "value": "+31612345678"}],
            addresses=[{"street": "Oudegracht", "house_number": "12a", "postcode": "3511AB",
                        "city": "Utrecht"}],
            iban="NL91ABNA0417164300", tags=[t, "zz" + t], roles=[{"type": "customer"}])

    def test_csv_opens_as_columns_in_dutch_excel(self):
        t = word()
        p = self.dutch_party(t)
        self.create_party(kind="organization", name="Ander " + t)  # not tagged: q leaves it out
        raw, hdrs = self.export("csv", q="tag:" + t, headers="nl")
        self.assertTrue(hdrs["Content-Type"].startswith("text/csv"), hdrs["Content-Type"])
        self.assertRegex(hdrs["Content-Disposition"],
                         r'^attachment; filename="xrm-parties-\d{4}-\d\d-\d\d\.csv"$')
        self.assertTrue(raw.startswith(BOM))
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "every line ends in CRLF")
        # Python's csv with ';' reads the Dutch header row as the contract lists it.
        header, rows = read_csv(raw)
        self.assertEqual(header, CSV_NL)
        self.assertEqual([r["ID"] for r in rows], [str(p["id"])], "q filters")
        row = rows[0]
        self.assertEqual(row["UID"], p["uid"])
        self.assertEqual(row["Soort"], "person")
        self.assertEqual(row["Voornaam"], "Zoë")
        self.assertEqual(row["Tussenvoegsel"], "van der")
        self.assertEqual(row["Achternaam"], "Bérg-Ĳssel")  # accents intact
        self.assertEqual(row["Naam"], p["name"])
        self.assertEqual(row["E-mail"], "zoe@%s.nl" % t)
        self.assertEqual(row["Postcode"], "3511 AB")
        self.assertEqual(row["Huisnummer"], "12a")
        self.assertEqual(row["Plaats"], "Utrecht")
        self.assertEqual(row["IBAN"], "NL91ABNA0417164300")
        self.assertEqual(row["Rol"], "customer")
        self.assertEqual(row["Tags"], "%s, zz%s" % (t, t))
        # The phone keeps its '+': a text cell ="+31...", not a number.
        text = raw.decode("utf-8")
        self.assertIn('"=""+31612345678"""', text)
        cells = next(r for r in csv.reader(io.StringIO(text[1:], newline=""), delimiter=";")
                     if r[0] == '="%d"' % p["id"])
        self.assertEqual(cells[CSV_NL.index("Telefoon")], '="+31612345678"')
        self.assertEqual(cells[CSV_NL.index("Postcode")], '="3511 AB"')
        # English headers by default.
        raw, _ = self.export("csv", q="tag:" + t)
        self.assertEqual(read_csv(raw)[0], CSV_EN)

    def test_a_formula_is_shown_never_run(self):
        t = word()
        p = self.create_party(kind="organization", name="=HYPERLINK(\"http://x\")", tags=[t])
        raw, _ = self.export("csv", q="tag:" + t)
        cells = list(csv.reader(io.StringIO(raw[3:].decode(), newline=""), delimiter=";"))[1]
        self.assertEqual(cells[CSV_EN.index("name")], '="=HYPERLINK(""http://x"")"')
        self.assertEqual(text_cell(cells[CSV_EN.index("name")]), p["name"])

    def test_every_party_across_pages(self):
        # More parties than one page (500) holds: the answer streams page after page.
        t = word()
        lines = "".join(json.dumps({"kind": "person", "family_name": "Bulk%s%d" % (t, i),
                                    "tags": [t]}) + "\n" for i in range(450))
        st, _, raw = self.client.raw("POST", "/api/v1/import/parties", lines,
                                     headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(st, 201, raw[:300])
        ids = self.party_ids()
        self.assertGreater(len(ids), 500)
        raw, _ = self.export("csv")
        got = [int(r["id"]) for r in read_csv(raw)[1]]
        self.assertEqual(len(got), len(set(got)), "no party twice")
        self.assertEqual(sorted(got), sorted(ids))
        raw, _ = self.export("ndjson")
        self.assertEqual(sorted(json.loads(x)["id"] for x in raw.splitlines()), sorted(ids))

    def test_bad_parameters(self):
        count = self.party_count()
        self.problem("GET", "/api/v1/parties/export.csv" + q(q='"open'), status=400, field="q")
        self.problem("GET", "/api/v1/parties/export.csv" + q(q="kind:robot"), status=422,
                     field="q")
        self.problem("GET", "/api/v1/parties/export.csv" + q(headers="fr"), status=400,
                     field="headers")
        self.problem("GET", "/api/v1/parties/export.vcf" + q(segment="x"), status=400,
                     field="segment")
        self.problem("GET", "/api/v1/parties/export.ndjson" + q(segment="999999"), status=404)
        self.problem("GET", "/api/v1/parties/export.xlsx", status=404)
        # export.csv is not a party id: no write route answers on it.
        st, hdrs, _ = self.client.raw("PATCH", "/api/v1/parties/export.csv", {"name": "x"})
        self.assertEqual(st, 405, describe(self.client))
        self.assertEqual(hdrs["Allow"], "GET, HEAD")
        self.problem("DELETE", "/api/v1/parties/export.vcf", status=405)
        self.assertEqual(self.party_count(), count)
        self.problem("GET", "/api/v1/parties/export.csv", status=401, token=None)


class AccessExportTest(ExportBase):
    """Each export holds what its reader may see, in every format."""

    def test_an_applicant_is_not_in_sales_export(self):
        # Every user sees every party (DESIGN.md), but an application only with HR read.
        p, name = self.applicant()
        raw, _ = self.export("csv", q=name)
        self.assertEqual([r["roles"] for r in read_csv(raw)[1]], ["employee"], "admin's view")
        for ext in ("csv", "vcf", "ndjson"):
            raw, _ = self.export(ext, q=name, token=self.tok["hr-assistent"])
            self.assertIn(b"employee", raw, "HR read sees the application (%s)" % ext)
            raw, _ = self.export(ext, token=self.tok["verkoop"], q=name)
            self.assertIn(p["uid"].encode(), raw, ext)
            self.assertNotIn(b"employee", raw, ext)
            self.assertNotIn(b"applicant", raw, ext)
            # nor can sales find the applicants by their role
            raw, _ = self.export(ext, token=self.tok["verkoop"], q="role:employee")
            self.assertNotIn(p["uid"].encode(), raw, ext)
        raw, _ = self.export("csv", token=self.tok["verkoop"], q=name)
        self.assertEqual([(r["id"], r["roles"]) for r in read_csv(raw)[1]], [(str(p["id"]), "")])
        # The whole export of sales is sales' party list, no more, no less.
        raw, _ = self.export("csv", token=self.tok["verkoop"], q="role:employee")
        got = sorted(int(r["id"]) for r in read_csv(raw)[1])
        self.assertEqual(got, sorted(self.ids_as(self.tok["verkoop"], "role:employee")))
        self.assertLess(len(got), len(self.party_ids("role:employee")))

    def test_sales_sees_no_hr_role_in_any_format(self):
        p, name = self.applicant()
        self.ok("POST", "/api/v1/parties/%d/roles" % p["id"], {"type": "customer"}, status=201)
        raw, _ = self.export("csv", token=self.tok["verkoop"], q=name)
        rows = read_csv(raw)[1]
        self.assertEqual([r["id"] for r in rows], [str(p["id"])])
        self.assertEqual(rows[0]["roles"], "customer")
        raw, _ = self.export("ndjson", token=self.tok["verkoop"], q=name)
        party = json.loads(raw)
        self.assertEqual([r["type"] for r in party["roles"]], ["customer"])
        self.assertNotIn(b"applicant", raw)
        raw, _ = self.export("vcf", token=self.tok["verkoop"], q=name)
        self.assertEqual(card_value(vcards(raw)[0], "X-XRM-ROLES"), ["customer"])
        # HR sees both roles.
        raw, _ = self.export("ndjson", token=self.tok["hr"], q=name)
        self.assertEqual(sorted(r["type"] for r in json.loads(raw)["roles"]),
                         ["customer", "employee"])

    def test_a_salary_only_with_full_hr_access(self):
        emp, salary = self.staff_salary()
        query = "role:employee"
        raw, _ = self.export("ndjson", token=self.tok["hr"], q=query)
        self.assertIn(b'"salary"', raw, "HR with full access sees salaries")
        for who in ("verkoop", "hr-assistent"):
            for ext in ("csv", "vcf", "ndjson"):
                raw, _ = self.export(ext, token=self.tok[who], q=query)
                self.assertNotIn(b"salary", raw, (who, ext))
                self.assertNotIn(str(salary).encode(), raw, (who, ext))
            raw, _ = self.export("ndjson", token=self.tok[who])
            self.assertNotIn(b"salary", raw, who)

    def test_segment_export_and_members_csv(self):
        t = word()
        a = self.create_party(kind="organization", name="Segment " + t, tags=[t],
                              roles=[{"type": "customer"}])
        self.create_party(kind="organization", name="Other " + t, tags=["x" + t])
        seg = self.ok("POST", "/api/v1/segments", {"name": "Export " + t, "query": "tag:" + t},
                      status=201)
        raw, hdrs = self.export("csv", segment=str(seg["id"]))
        self.assertRegex(hdrs["Content-Disposition"],
                         r'filename="xrm-segment-%d-\d{4}-\d\d-\d\d\.csv"' % seg["id"])
        self.assertEqual([r["id"] for r in read_csv(raw)[1]], [str(a["id"])])
        # segment and q together: both must hold.
        raw, _ = self.export("csv", segment=str(seg["id"]), q="kind:person")
        self.assertEqual(read_csv(raw)[1], [])
        # The members CSV: the same writer, with the treatment columns, Dutch on request.
        st, hdrs, raw = self.client.raw("GET", "/api/v1/segments/%d/members.csv?lang=nl"
                                        % seg["id"])
        self.assertEqual(st, 200, describe(self.client))
        header, rows = read_csv(raw)
        self.assertEqual(header, CSV_NL + ["Prioriteit", "Badges", "Gezondheid"])
        self.assertEqual([r["ID"] for r in rows], [str(a["id"])])
        self.assertEqual(rows[0]["Prioriteit"], "normal")
        # A private segment of someone else is not found, as when read.
        mine = self.ok("POST", "/api/v1/segments",
                       {"name": "HR " + t, "query": "tag:" + t, "shared": False},
                       status=201, token=self.tok["hr"])
        raw, _ = self.export("csv", token=self.tok["hr"], segment=str(mine["id"]))
        self.assertEqual([r["id"] for r in read_csv(raw)[1]], [str(a["id"])])
        self.problem("GET", "/api/v1/parties/export.csv" + q(segment=str(mine["id"])),
                     status=404, token=self.tok["verkoop"])
        self.problem("GET", "/api/v1/segments/%d/members.csv" % mine["id"], status=404,
                     token=self.tok["verkoop"])


class VcardExportTest(ExportBase):

    def test_every_person_once_and_khard_reads_them(self):
        t = word()
        p = self.create_party(kind="person", given_name="Jan", family_prefix="van der",
                              family_name="Bérg", tags=[t, "zz" + t],
                              phones=[{"label": "mobile", "value": "+31612345678"},
                                      {"label": "work", "value": "+31301234567"}],
                              emails=[{"label": "home", "value": "jan@%s.nl" % t}],
                              addresses=[{"street": "Oudegracht", "house_number": "12",
                                          "postcode": "3511AB", "city": "Utrecht"}],
                              roles=[{"type": "customer"}])
        raw, hdrs = self.export("vcf")
        self.assertTrue(hdrs["Content-Type"].startswith("text/vcard"), hdrs["Content-Type"])
        self.assertRegex(hdrs["Content-Disposition"], r'filename="xrm-parties-[0-9-]+\.vcf"')
        cards = vcards(raw)
        parties = {x["uid"]: x for x in self.list_all("/api/v1/parties")}
        uids = [card_value(c, "UID")[0] for c in cards]
        self.assertEqual(len(uids), len(set(uids)), "every party once")
        self.assertEqual(set(uids), set(parties))
        for c in cards:
            self.assertEqual(c[0], "VERSION:4.0")
            party = parties[card_value(c, "UID")[0]]
            self.assertEqual(card_value(c, "KIND") == ["org"], party["kind"] == "organization")
            self.assertEqual(card_value(c, "FN"), [party["name"].replace(",", "\\,")
                                                    .replace(";", "\\;")])
        jan = next(c for c in cards if card_value(c, "UID") == [p["uid"]])
        self.assertEqual(card_value(jan, "N"), ["van der Bérg;Jan;;;"])
        self.assertEqual(card_value(jan, "X-XRM-FAMILY-PREFIX"), ["van der"])
        self.assertIn("TEL;TYPE=voice,cell;PREF=1:+31612345678", jan)
        self.assertIn("TEL;TYPE=work:+31301234567", jan)
        self.assertIn("EMAIL;TYPE=home;PREF=1:jan@%s.nl" % t, jan)
        self.assertIn("ADR;TYPE=work;PREF=1:;;Oudegracht 12;Utrecht;;3511 AB;NL", jan)
        self.assertEqual(card_value(jan, "CATEGORIES"), ["%s,zz%s" % (t, t)])
        self.assertEqual(card_value(jan, "X-XRM-ROLES"), ["customer"])
        self.assert_khard_reads(raw, parties)

    @unittest.skipUnless(shutil.which("khard"), "khard is not installed (scripts/deps.sh test)")
    def assert_khard_reads(self, raw, parties):
        """khard lists every card of the export once, by uid and name (a vdir: one card a file)."""
        with tempfile.TemporaryDirectory() as home:
            vdir = os.path.join(home, "contacts")
            os.mkdir(vdir)
            text = raw.decode("utf-8")
            for card in re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", text, re.S):
                uid = re.search(r"\r\nUID:([^\r]*)\r\n", card).group(1)
                with open(os.path.join(vdir, uid + ".vcf"), "w", encoding="utf-8",
                          newline="") as f:
                    f.write(card)
            conf = os.path.join(home, "khard.conf")
            with open(conf, "w") as f:
                f.write("[addressbooks]\n[[xrm]]\npath = %s\n\n[general]\ndefault_action = list\n"
                        % vdir)
            r = subprocess.run(["khard", "-c", conf, "list", "--parsable"], capture_output=True,
                               text=True, timeout=120, env=dict(os.environ, HOME=home))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("rror", r.stderr)
            listed = [ln.split("\t") for ln in r.stdout.splitlines() if ln.strip()]
            self.assertEqual(sorted(x[0] for x in listed), sorted(parties))
            for uid, name, book in listed:
                self.assertEqual(book, "xrm")
                self.assertEqual(name, parties[uid]["name"])

    def test_sales_vcards_are_sales_parties(self):
        raw, _ = self.export("vcf", token=self.tok["verkoop"])
        uids = sorted(card_value(c, "UID")[0] for c in vcards(raw))
        seen = self.ok("GET", "/api/v1/parties" + q(limit="500"), token=self.tok["verkoop"])
        self.assertEqual(uids, sorted(x["uid"] for x in seen["items"]))


class NdjsonExportTest(ExportBase):

    def test_one_valid_party_per_line(self):
        raw, hdrs = self.export("ndjson")
        self.assertTrue(hdrs["Content-Type"].startswith("application/x-ndjson"))
        self.assertTrue(raw.endswith(b"\n"))
        lines = raw.decode("utf-8").split("\n")[:-1]
        ApiDocument.load(self.server.host, self.server.port)
        validator = ApiDocument._validator("#/components/schemas/Party")
        ids = []
        for ln in lines:
            party = json.loads(ln)
            err = validator(party)
            self.assertIsNone(err, "%s: %s" % (err, ln[:300]))
            ids.append(party["id"])
        # the validator itself: a field the document does not list, or one of the
        # wrong type, is caught (at its path)
        party = json.loads(lines[0])
        patch = {"title": "x"}  # DealPatch gives amount and currency defaults
        ApiDocument._validator("#/components/schemas/DealPatch")(patch)
        self.assertEqual(patch, {"title": "x"}, "the validator must not add defaults")
        self.assertEqual(validator(dict(party, unlisted=1))[0], "")
        self.assertEqual(validator(dict(party, id="7"))[0], "id")
        self.assertIsNotNone(validator(dict(party, roles=[{"type": 5}])))
        self.assertEqual(sorted(ids), sorted(self.party_ids()))
        # As the list shows it: the same JSON as the party list's item.
        first = self.ok("GET", "/api/v1/parties" + q(limit="1"))["items"][0]
        self.assertEqual(json.loads(lines[0]), first)


class CliExportTest(ExportBase):

    def test_cli_export_sees_everything(self):
        p, name = self.applicant()
        emp, salary = self.staff_salary()
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "all.csv")
            r = run_cli(self.server.binary, "export", "--db", self.server.db, "--format", "csv",
                        "--headers", "nl", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "")
            with open(out, "rb") as f:
                header, rows = read_csv(f.read())
            self.assertEqual(header, CSV_NL)
            self.assertEqual(sorted(int(x["ID"]) for x in rows), sorted(self.party_ids()))
            self.assertIn(str(p["id"]), [x["ID"] for x in rows], "the system sees applicants")
            self.assertIn("exported %d parties" % len(rows), r.stderr)
        # To stdout, with a query; NDJSON shows the salary to the system.
        r = run_cli(self.server.binary, "export", "--db", self.server.db, "--format", "ndjson",
                    "--q", "role:employee")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = [json.loads(x) for x in r.stdout.splitlines()]
        self.assertEqual(sorted(x["id"] for x in got), sorted(self.party_ids("role:employee")))
        self.assertIn('"salary": %d' % salary, json.dumps(got))
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "one.vcf")
            r = run_cli(self.server.binary, "export", "--db", self.server.db, "--format",
                        "vcard", "--q", name, "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, "rb") as f:
                cards = vcards(f.read())
        self.assertEqual([card_value(c, "UID") for c in cards], [[p["uid"]]])
        self.assertEqual(card_value(cards[0], "X-XRM-ROLES"), ["employee"])
        # Wrong usage: exit 2, nothing written.
        for args in (("--format", "xlsx"), ("--format", "csv", "--headers", "fr"),
                     ("--format", "csv", "--segment", "abc")):
            r = run_cli(self.server.binary, "export", "--db", self.server.db, *args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertEqual(r.stdout, "")
        r = run_cli(self.server.binary, "export", "--db", self.server.db, "--format", "csv",
                    "--q", '"open')
        self.assertEqual(r.returncode, 1)
        self.assertIn("q", r.stderr)
        self.assertEqual(r.stdout, "")


class RoundTripTest(ExportBase):
    """An export imported into a fresh database (POST /api/v1/imports) gives the same parties."""

    BASE = ("kind", "name", "given_name", "family_prefix", "family_name", "tags")

    def import_fresh(self, body, ctype):
        """Imports body into a new database of its own: (the job, its parties after)."""
        fresh = Server()
        try:
            fresh.init().start()
            c = fresh.client()
            st, _, js = c.req("POST", "/api/v1/imports", body, headers={"Content-Type": ctype})
            self.assertEqual(st, 202, describe(c))
            for _ in range(1200):
                st, _, js = c.req("GET", "/api/v1/imports/%d" % js["id"])
                if js["status"] in ("done", "failed"):
                    break
                time.sleep(0.05)
            self.assertEqual(js["status"], "done", js)
            self.assertEqual(js["errors"], 0, js["error_list"])
            st, _, raw = c.raw("GET", "/api/v1/parties/export.ndjson")
            self.assertEqual(st, 200, describe(c))
            c.close()
            rc, err = fresh.stop()
            self.assertIsNone(sanitizer_report(err), err[-3000:])
            self.assertEqual(rc, 0, err[-3000:])
            return js, [json.loads(x) for x in raw.splitlines()]
        finally:
            fresh.cleanup()

    @staticmethod
    def shape(p, fields, addresses):
        """What a party's export file carries, to compare before and after."""
        s = {k: p.get(k) for k in fields}
        s["emails"] = [x["value"] for x in p["emails"]]
        s["phones"] = [x["value"] for x in p["phones"]]
        s["websites"] = [x["value"] for x in p["websites"]]
        s["addresses"] = [{k: a.get(k) for k in ("street", "house_number", "postcode", "city",
                                                 "country")} for a in p["addresses"][:addresses]]
        return json.dumps(s, sort_keys=True, ensure_ascii=False)

    def test_vcard_export_reimported(self):
        t = word()
        self.create_party(kind="person", given_name="Zoë", family_prefix="van der",
                          family_name="Bérg", tags=[t],
                          phones=[{"label": "mobile", "value": "+31612345678"}],
                          emails=["zoe@%s.nl" % t],
                          addresses=[{"street": "Oudegracht", "house_number": "12a",
                                      "postcode": "3511AB", "city": "Utrecht"}])
        raw, _ = self.export("vcf")
        before = [json.loads(x) for x in self.export("ndjson")[0].splitlines()]
        job, after = self.import_fresh(raw, "text/vcard")
        self.assertEqual(job["created"], len(before))
        self.assertEqual(sorted(self.shape(p, self.BASE, 9) for p in after),
                         sorted(self.shape(p, self.BASE, 9) for p in before))

    def test_csv_export_reimported(self):
        # The CSV holds one e-mail, phone, website and address of each party, and its roles.
        t = word()
        self.create_party(kind="organization", name="Extern " + t, external_id="AFAS-" + t,
                          kvk="12345678", roles=[{"type": "supplier"}])
        raw, _ = self.export("csv", headers="nl")
        self.assertIn(("AFAS-" + t).encode(), raw)
        before = [json.loads(x) for x in self.export("ndjson")[0].splitlines()]
        job, after = self.import_fresh(raw, "text/csv")
        self.assertEqual(job["created"], len(before))
        fields = self.BASE + ("kvk", "vat", "iban", "external_id")

        def shape(p):
            s = json.loads(self.shape(p, fields, 1))
            for k in ("emails", "phones", "websites"):
                s[k] = s[k][:1]
            s["roles"] = sorted({r["type"] for r in p["roles"]})
            return json.dumps(s, sort_keys=True, ensure_ascii=False)

        self.assertEqual(sorted(map(shape, after)), sorted(map(shape, before)))


if __name__ == "__main__":
    unittest.main()
