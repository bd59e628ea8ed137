"""Messages in the reader's language: the same bad request answered in Dutch
to Accept-Language nl and in English to en or no Accept-Language, with the
same status, code, fields and field codes in both; problem titles too, and
Content-Language says which. Concurrent requests in both languages on the
server's shared I/O threads and write workers (whose writes one of them
commits for all) each get their own language. A failed keyed POST is not
replayed in the first attempt's language. The CLI stays English.
"""

import json
import threading
import time
import unittest

from harness import ApiTestCase, describe, run_cli, word

NL = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-US,en;q=0.9"}
NONE = {}


class MessagesTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, js = cls.client.req("POST", "/api/v1/parties",
                                   {"kind": "person", "family_name": "Taal" + word()})
        if st != 201:
            raise RuntimeError("cannot create a party: %s %s" % (st, js))
        cls.party = js

    def both(self, method, path, body=None, status=422, token=None, field=None):
        """The problem in Dutch, in English and without Accept-Language, after
        checking that they agree on all but the words: {"nl": js, "en": js, "none": js}."""
        out = {}
        for name, headers in (("nl", NL), ("en", EN), ("none", NONE)):
            kw = {} if token is None else {"token": token}
            res = self.req(method, path, body, headers=headers, **kw)
            js = self.assert_problem(res, status, field)
            lang = res[1].get("Content-Language")
            self.assertEqual(lang, "nl" if name == "nl" else "en",
                             "Content-Language of %s%s" % (name, describe(self.client)))
            out[name] = js
        nl, en, none = out["nl"], out["en"], out["none"]
        for js in (nl, en, none):  # each request has an id of its own
            self.assertRegex(js.pop("request_id"), r"^[0-9a-f]{16}$")
        self.assertEqual(none, en, "no Accept-Language answers English")
        self.assertEqual(nl["code"], en["code"])
        self.assertEqual(nl["status"], en["status"])
        self.assertEqual([(e["field"], e.get("code")) for e in nl["errors"]],
                         [(e["field"], e.get("code")) for e in en["errors"]])
        self.assertNotEqual(nl["detail"], en["detail"], "the Dutch detail is English")
        if nl["status"] != 409:  # "Conflict" is Dutch too
            self.assertNotEqual(nl["title"], en["title"], "the Dutch title is English")
        for a, b in zip(nl["errors"], en["errors"]):
            self.assertNotEqual(a["message"], b["message"], "a Dutch field message is English")
        return out

    def test_kvk_of_three_digits(self):
        p = self.both("POST", "/api/v1/parties",
                      {"kind": "organization", "name": "Drie Cijfers B.V.", "kvk": "123"},
                      field="kvk")
        self.assertEqual(p["nl"]["errors"][0]["message"], "een KvK-nummer heeft precies 8 cijfers")
        self.assertEqual(p["nl"]["detail"], "KvK-nummer: een KvK-nummer heeft precies 8 cijfers")
        self.assertEqual(p["nl"]["title"], "Ongeldige invoer")
        self.assertEqual(p["en"]["errors"][0]["message"], "a KvK number has exactly 8 digits")
        self.assertEqual(p["en"]["detail"], "field 'kvk': a KvK number has exactly 8 digits")
        self.assertEqual(p["en"]["title"], "Unprocessable Content")

    def test_person_without_names(self):
        p = self.both("POST", "/api/v1/parties", {"kind": "person"}, field="family_name")
        self.assertEqual(p["nl"]["errors"][0]["message"],
                         "een persoon heeft een achternaam of voornaam nodig")
        self.assertEqual(p["en"]["errors"][0]["message"],
                         "a person needs a family name or given name")

    def test_several_field_errors(self):
        p = self.both("POST", "/api/v1/parties",
                      {"kind": "person", "family_name": "Veld", "emails": ["geen-adres"],
                       "addresses": [{"postcode": "12"}], "vat": "NL12"})
        msgs = {e["field"]: e["message"] for e in p["nl"]["errors"]}
        self.assertEqual(msgs["emails[0]"], "'geen-adres' is geen geldig e-mailadres")
        self.assertEqual(msgs["addresses[0].postcode"],
                         "'12' is geen Nederlandse postcode zoals '1234 AB'")
        self.assertEqual(msgs["vat"], "'NL12' is geen geldig btw-id")

    def test_unknown_role_type(self):
        p = self.both("POST", "/api/v1/parties/%d/roles" % self.party["id"],
                      {"type": "no_such_type_" + word()})
        self.assertIn("onbekend roltype", p["nl"]["errors"][0]["message"])
        self.assertIn("unknown role type", p["en"]["errors"][0]["message"])

    def test_wrong_password(self):
        p = self.both("POST", "/api/v1/session", {"user": "admin", "password": "not-the-password"},
                      status=401, token=None)
        self.assertEqual(p["nl"]["detail"], "onjuiste gebruikersnaam of wachtwoord")
        self.assertEqual(p["nl"]["title"], "Niet aangemeld")
        self.assertEqual(p["en"]["detail"], "wrong user name or password")

    def test_not_found(self):
        p = self.both("GET", "/api/v1/parties/987654321", status=404)
        self.assertEqual(p["nl"]["detail"], "relatie 987654321 bestaat niet")
        self.assertEqual(p["nl"]["title"], "Niet gevonden")
        self.assertEqual(p["en"]["detail"], "no party 987654321")
        p = self.both("GET", "/api/v1/no-such-resource", status=404)
        self.assertEqual(p["nl"]["detail"], "deze pagina of dit adres bestaat niet")

    def test_query_language_errors(self):
        p = self.both("GET", "/api/v1/parties?q=kind:robot")
        self.assertEqual(p["nl"]["errors"][0]["message"],
                         "onbekende waarde voor kind: 'robot' (gebruik person of organization) "
                         "op positie 1")

    def test_constraint_rule_speaks_the_reader_language(self):
        """A constraint's own message is given in both languages; the 409 uses the reader's."""
        st, _, js = self.req("POST", "/api/v1/rules", {
            "name": "Geen leverancier in dienst " + word(), "kind": "constraint",
            "when": {"all_roles": ["supplier", "employee"]},
            "then": {"message": {"en": "a supplier may not also be an employee",
                                 "nl": "een leverancier mag geen medewerker zijn"}}})
        self.assertEqual(st, 201, describe(self.client))
        try:
            name = word().capitalize()
            p = self.both("POST", "/api/v1/parties", {
                "kind": "person", "family_name": name,
                "roles": [{"type": "supplier"}, {"type": "employee"}]}, status=409)
            self.assertEqual(p["nl"]["detail"], "regel '%s' staat dit niet toe: een leverancier "
                             "mag geen medewerker zijn" % js["name"])
            self.assertEqual(p["en"]["detail"], "rule '%s' forbids this: a supplier may not also "
                             "be an employee" % js["name"])
            self.assertEqual(self.search(name), [])
        finally:
            self.ok("DELETE", "/api/v1/rules/%d" % js["id"], status=204)

    def test_accept_language_choice(self):
        cases = [
            ("nl", "nl"), ("nl-BE", "nl"), ("NL-nl", "nl"), ("en;q=0.5, nl;q=0.8", "nl"),
            ("fr-FR, fr;q=0.9, nl;q=0.4", "nl"), ("nl;q=0.2, en", "en"), ("de", "en"),
            ("nl;q=0", "en"), ("*", "en"), ("", "en"),
        ]
        for header, want in cases:
            with self.subTest(header=header):
                st, h, js = self.req("GET", "/api/v1/parties/987654321",
                                     headers={"Accept-Language": header})
                self.assertEqual(st, 404, describe(self.client))
                self.assertEqual(h.get("Content-Language"), want)
                detail = ("relatie 987654321 bestaat niet" if want == "nl"
                          else "no party 987654321")
                self.assertEqual(js["detail"], detail)

    def test_successes_carry_no_language(self):
        h, js = self.ok_h("GET", "/api/v1/parties/%d" % self.party["id"], headers=NL)
        self.assertIsNone(h.get("Content-Language"))
        self.assertEqual(js["id"], self.party["id"])

    def test_failed_keyed_post_is_answered_in_the_retry_language(self):
        key = "taal-" + word(12)
        count = self.party_count()
        bad = {"kind": "organization", "name": "Sleutel B.V.", "kvk": "123"}
        first = self.problem("POST", "/api/v1/parties", bad, 422, "kvk",
                             headers=dict(NL, **{"Idempotency-Key": key}))
        self.assertEqual(first["errors"][0]["message"], "een KvK-nummer heeft precies 8 cijfers")
        again = self.problem("POST", "/api/v1/parties", bad, 422, "kvk",
                             headers=dict(EN, **{"Idempotency-Key": key}))
        self.assertEqual(again["errors"][0]["message"], "a KvK number has exactly 8 digits")
        self.assertEqual(self.party_count(), count)
        # a success under the key is stored and replayed as before
        good = dict(bad, kvk="12345678")
        h1, a = self.ok_h("POST", "/api/v1/parties", good, 201,
                          headers=dict(NL, **{"Idempotency-Key": key}))
        h2, b = self.ok_h("POST", "/api/v1/parties", good, 201,
                          headers=dict(EN, **{"Idempotency-Key": key}))
        self.assertEqual(a, b)
        self.assertEqual(self.party_count(), count + 1)

    def test_concurrent_requests_keep_their_own_language(self):
        """Threads send bad requests in Dutch and English at once, reads (on
        the I/O threads) and writes (on the workers, committed in groups, one
        request's thread running the others' writes); every answer must be in
        the language its request asked for."""
        pid = self.party["id"]
        kinds = [
            ("GET", "/api/v1/parties/987654321", None, 404,
             {"nl": "relatie 987654321 bestaat niet", "en": "no party 987654321"}, "detail"),
            ("POST", "/api/v1/parties", {"kind": "organization", "name": "X", "kvk": "1"}, 422,
             {"nl": "een KvK-nummer heeft precies 8 cijfers",
              "en": "a KvK number has exactly 8 digits"}, "field"),
            ("POST", "/api/v1/parties/%d/roles" % pid, {"type": "zzz_unknown"}, 422,
             {"nl": "onbekend roltype 'zzz_unknown'", "en": "unknown role type 'zzz_unknown'"},
             "field"),
            ("PATCH", "/api/v1/parties/%d" % pid, {"family_name": "Oud"}, 412, None, "detail"),
        ]
        wrong = []
        errors = []

        def run(n):
            client = self.server.client()
            try:
                for i in range(24):
                    lang = "nl" if (n + i) % 2 else "en"
                    method, path, body, status, want, where = kinds[(n * 7 + i) % len(kinds)]
                    headers = NL if lang == "nl" else EN
                    if method == "PATCH":
                        headers = dict(headers, **{"If-Match": '"999999"'})
                    st, h, js = client.req(method, path, body, headers=headers)
                    if st != status or not isinstance(js, dict):
                        errors.append("%s %s -> %s %s" % (method, path, st, js))
                        continue
                    text = js["detail"] if where == "detail" else js["errors"][0]["message"]
                    if want is None:  # the stale If-Match: "relatie ... versie" / "party ... version"
                        want = {"nl": text if "versie" in text else None,
                                "en": text if "version" in text else None}
                    if text != want[lang] or h.get("Content-Language") != lang:
                        wrong.append((lang, method, path, h.get("Content-Language"), text))
            except Exception as e:  # reported below, not lost in the thread
                errors.append(repr(e))
            finally:
                client.close()

        threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(wrong, [], "answers in the wrong language")
        # and afterwards each thread is back to English
        st, h, js = self.req("GET", "/api/v1/parties/987654321")
        self.assertEqual((st, js["detail"]), (404, "no party 987654321"))

    def import_errors(self, lang_headers):
        """The row errors of a CSV import started with lang_headers."""
        w = word()
        body = ("\ufeffVoornaam;Achternaam;E-mail\r\nKees;%s;geen-adres\r\n" % w).encode()
        st, h, raw = self.client.raw("POST", "/api/v1/imports", body=body,
                                     headers=dict(lang_headers, **{"Content-Type": "text/csv"}))
        self.assertEqual(st, 202, describe(self.client))
        job = json.loads(raw)
        for _ in range(600):
            js = self.ok("GET", "/api/v1/imports/%d" % job["id"])
            if js["status"] in ("done", "failed"):
                return js["error_list"]
            time.sleep(0.05)
        self.fail("import %d did not end" % job["id"])

    def test_import_job_reports_in_the_language_it_was_started_in(self):
        """An import runs on a thread of its own, later: its row errors are in
        the language of the request that started it."""
        nl, en = self.import_errors(NL), self.import_errors(EN)
        self.assertEqual([(e["line"], e["field"]) for e in nl],
                         [(e["line"], e["field"]) for e in en])
        self.assertEqual(nl[0]["message"], "'geen-adres' is geen geldig e-mailadres")
        self.assertEqual(en[0]["message"], "'geen-adres' is not a valid e-mail address")

    def test_cli_stays_english(self):
        r = run_cli(self.server.binary, "token", "create", "--db", self.server.db, "--user",
                    "nobody_" + word(), env_extra={"LANG": "nl_NL.UTF-8",
                                                   "LANGUAGE": "nl", "LC_ALL": "nl_NL.UTF-8"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no user", r.stderr)
        self.assertNotIn("bestaat niet", r.stderr)


if __name__ == "__main__":
    unittest.main()
