"""GDPR/AVG: the data-subject export (everything held on a party as one JSON
document) and erasure, after which no table, index, full-text entry, audit
entry or write-ahead-log frame holds the person's name, e-mail address or
phone number (the database file and its -wal are read byte by byte), while
the party row, its roles, activities and the audit trail stay as
anonymous aggregates."""

import os
import random
import sqlite3
import unittest

from harness import PG_URL, ApiTestCase, q, word


class ExportTest(ApiTestCase):
    def test_export_holds_everything(self):
        p = self.create_party(family_name="Export" + word(), emails=["ex@example.nl"], roles=[
            {"type": "employee", "attributes": {"job_title": "monteur", "salary": 310000}},
            {"type": "customer"}])
        pid = p["id"]
        self.ok("POST", "/api/v1/activities", {"type": "note", "domain": "hr",
                                               "subject": "Jaargesprek", "parties": [pid]},
                status=201)
        self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                {"purpose": "newsletter", "source": "beurs"}, status=201)
        exp = self.ok("GET", "/api/v1/parties/%d/export" % pid)
        self.assertEqual(exp["format"], "xrm-gdpr-export/1")
        self.assertTrue(exp["complete"])
        self.assertEqual(exp["party"]["id"], pid)
        self.assertEqual(exp["party"]["emails"][0]["value"], "ex@example.nl")
        emp = [r for r in exp["party"]["roles"] if r["type"] == "employee"][0]
        self.assertEqual(emp["attributes"]["salary"], 310000)
        self.assertEqual([a["subject"] for a in exp["activities"]], ["Jaargesprek"])
        self.assertEqual(exp["consents"][0]["purpose"], "newsletter")
        self.assertIn("create", [e["action"] for e in exp["audit"]])
        self.assertRegex(exp["exported_at"], r"^\d{4}-")
        # The export itself is audited.
        trail = self.ok("GET", "/api/v1/audit" + q(party=str(pid)))["items"]
        self.assertEqual(trail[0]["action"], "export")
        self.problem("GET", "/api/v1/parties/999999999/export", status=404)


class EraseTest(ApiTestCase):
    GIVEN = "Wilhelmina"
    FAMILY = "Zwaardemaker"
    EMAIL = "w.zwaardemaker@voorbeeldmail.nl"
    PHONE = "06 4812 3397"
    PHONE_E164 = "+31648123397"

    def person(self):
        suffix = word(5)
        family = self.FAMILY + suffix.capitalize()
        email = "w." + family.lower() + "@voorbeeldmail.nl"
        p = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": self.GIVEN, "family_name": family,
            "emails": [email], "phones": [self.PHONE],
            "addresses": [{"street": "Lindengracht", "house_number": "12",
                           "postcode": "3511 AB", "city": "Utrecht"}],
            "iban": "NL91ABNA0417164300",
            "roles": [{"type": "employee", "attributes": {"job_title": "planner",
                                                         "salary": 420000}},
                      {"type": "customer", "attributes": {"segment": "particulier"}}],
        }, status=201, headers={"Idempotency-Key": "erase-" + suffix})
        return p, family, email

    def test_erase_leaves_no_trace(self):
        p, family, email = self.person()
        pid = p["id"]
        other = self.create_party(family_name="Buurman" + word())
        self.ok("PATCH", "/api/v1/parties/%d" % pid, {"tags": ["vip"]})
        self.ok("POST", "/api/v1/activities", {
            "type": "call", "domain": "sales", "subject": "Gebeld met %s %s" % (self.GIVEN, family),
            "body": "Terugbellen op %s of mailen naar %s" % (self.PHONE, email),
            "parties": [pid]}, status=201)
        shared = self.ok("POST", "/api/v1/activities", {
            "type": "meeting", "domain": "sales", "subject": "Overleg met de buurman",
            "body": "%s %s was erbij." % (self.GIVEN, family), "parties": [pid, other["id"]]},
            status=201)
        mention = self.ok("POST", "/api/v1/activities", {
            "type": "note", "domain": "sales", "subject": "Doorverwezen",
            "body": "Contact via %s" % email, "parties": [other["id"]]}, status=201)
        self.ok("POST", "/api/v1/relationships", {"type": "spouse_of", "from": pid,
                                                  "to": other["id"],
                                                  "note": "getrouwd met " + family},
                status=201)
        self.ok("POST", "/api/v1/parties/%d/consents" % pid,
                {"purpose": "marketing_email", "source": "web form",
                 "wording": "ja"}, status=201)
        audit_before = len(self.list_all("/api/v1/audit", party=str(pid)))
        self.assertIn(pid, self.search(family))

        # Only an administrator may erase.
        name, pw = "dpo_" + word(), "not-an-admin-pw"
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw,
                                          "access": {"sales": "full", "hr": "full"}},
                status=201)
        tok = self.ok("POST", "/api/v1/session",
                      {"user": name, "password": pw, "bearer": True}, status=201,
                      token=None)["token"]
        self.problem("POST", "/api/v1/parties/%d/erase" % pid, status=403, token=tok)

        if not PG_URL:
            self.assertTrue(self.files_hold(family.encode()), "the grep would not see it")
        res = self.ok("POST", "/api/v1/parties/%d/erase" % pid)
        self.assertTrue(res["erased"])
        self.assertTrue(res["flushed"])
        self.assert_no_trace(family, email)

        # What stays: the anonymous party, its roles (without attributes), activities
        # (without texts), the audit trail.
        after = self.get_party(pid)
        self.assertEqual(after["name"], "[erased]")
        self.assertTrue(after["erased"])
        self.assertTrue(after["archived"])
        self.assertEqual(after["emails"], [])
        self.assertEqual(after["phones"], [])
        self.assertIsNone(after["iban"])
        self.assertFalse(after["may_email"])
        self.assertEqual(after["contactability"]["call"]["reason"], "erased")
        self.assertEqual(sorted(r["type"] for r in after["roles"]), ["customer", "employee"])
        self.assertTrue(all(r["attributes"] == {} for r in after["roles"]))
        tl = self.list_all("/api/v1/parties/%d/timeline" % pid)
        self.assertEqual(len(tl), 2)
        own = [a for a in tl if a["type"] == "call"][0]
        self.assertEqual(own["subject"], "[erased]")
        self.assertIsNone(own["body"])
        sh = self.ok("GET", "/api/v1/activities/%d" % shared["id"])
        self.assertEqual(sh["subject"], "Overleg met de buurman", "the other party's part stays")
        self.assertNotIn(family, sh["body"])
        self.assertNotIn(email, self.ok("GET", "/api/v1/activities/%d" % mention["id"])["body"])
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d/consents" % pid)["history"], [])
        trail = self.list_all("/api/v1/audit", party=str(pid))
        self.assertGreaterEqual(len(trail), audit_before + 1)
        self.assertEqual(trail[0]["action"], "erase")
        self.assertEqual(self.search(family), [])
        # Erasing again is harmless.
        self.ok("POST", "/api/v1/parties/%d/erase" % pid)
        self.problem("POST", "/api/v1/parties/999999999/erase", status=404)

    def files_hold(self, needle):
        found = False
        for suffix in ("", "-wal"):
            if os.path.exists(self.server.db + suffix):
                with open(self.server.db + suffix, "rb") as f:
                    found = found or needle in f.read()
        return found

    def assert_no_trace(self, family, email):
        # Everything the API shows.
        for path in ("/api/v1/audit?limit=500", "/api/v1/activities?limit=500",
                     "/api/v1/parties?limit=500"):
            st, _, raw = self.client.raw("GET", path)
            self.assertEqual(st, 200)
            for needle in (family, email, self.PHONE_E164):
                self.assertNotIn(needle.encode(), raw, "%s shows %s" % (path, needle))
        if PG_URL:
            return
        # Every byte of the database and its write-ahead log.
        needles = [family, family.lower(), email, email.lower(), self.PHONE_E164,
                   self.PHONE_E164[1:], "0648123397", self.PHONE,
                   family + ", " + self.GIVEN]
        for suffix in ("", "-wal"):
            path = self.server.db + suffix
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            for needle in needles:
                self.assertFalse(needle.encode() in data,
                                 "%s still holds %r" % (os.path.basename(path), needle))


class EraseHistoryTest(ApiTestCase):
    """Erasure after a rename: the earlier given name, e-mail and phone go too, from the audit
    trail's before/after and from free text, not only the values the party holds at the end."""

    def phone(self):
        return "06" + "".join(random.choice("0123456789") for _ in range(8))

    @staticmethod
    def variants(phone):
        e164 = "+31" + phone[1:]
        return [phone, e164, e164[1:]]

    def test_erase_after_rename_leaves_no_old_value(self):
        old_given = "Oudnaam" + word(6)
        new_given = "Nieuwnaam" + word(6)
        family = "Historie" + word(6).capitalize()
        old_email = "oud.%s@voorbeeldmail.nl" % word(8)
        new_email = "nieuw.%s@voorbeeldmail.nl" % word(8)
        old_phone, new_phone = self.phone(), self.phone()
        p = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": old_given, "family_name": family,
            "emails": [old_email], "phones": [old_phone],
            "roles": [{"type": "customer"}]}, status=201)
        pid = p["id"]
        other = self.create_party(family_name="Collega" + word())
        # Free text that names the old values: on the party's own and on a shared activity.
        self.ok("POST", "/api/v1/activities", {
            "type": "call", "domain": "sales", "subject": "Gebeld met " + old_given,
            "body": "Bereikbaar op %s en %s" % (old_phone, old_email), "parties": [pid]},
            status=201)
        shared = self.ok("POST", "/api/v1/activities", {
            "type": "meeting", "domain": "sales", "subject": "Overleg",
            "body": "%s (%s) was erbij" % (old_given, old_email),
            "parties": [pid, other["id"]]}, status=201)
        # The rename: the old values now live only in the audit trail and in texts.
        self.ok("PATCH", "/api/v1/parties/%d" % pid, {
            "given_name": new_given, "emails": [new_email], "phones": [new_phone]})
        self.ok("PATCH", "/api/v1/activities/%d" % shared["id"],
                {"body": "%s (%s) was erbij, nu %s" % (old_given, old_email, new_given)})
        trail = self.list_all("/api/v1/audit", party=str(pid))
        self.assertIn(old_given, str(trail), "the grep would not see the old name")

        self.ok("POST", "/api/v1/parties/%d/erase" % pid)

        needles = [old_given, new_given, old_email, new_email, family]
        needles += self.variants(old_phone) + self.variants(new_phone)
        st, _, raw = self.client.raw("GET", "/api/v1/audit" + q(party=str(pid), limit="500"))
        self.assertEqual(st, 200)
        text = raw.decode("utf-8").lower()
        for n in needles:
            self.assertNotIn(n.lower(), text, "the audit trail of the party still shows %s" % n)
        sh = self.ok("GET", "/api/v1/activities/%d" % shared["id"])
        self.assertEqual(sh["subject"], "Overleg", "the other party's part stays")
        for n in needles:
            self.assertNotIn(n.lower(), sh["body"].lower())
        # The trail keeps its entries.
        after = self.list_all("/api/v1/audit", party=str(pid))
        self.assertGreaterEqual(len(after), len(trail) + 1)
        if PG_URL:
            return
        # Every text column of every table of the database file.
        con = sqlite3.connect(self.server.db, timeout=30)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")]
            found = []
            for t in tables:
                for row in con.execute('SELECT * FROM "%s"' % t.replace('"', '""')):
                    for v in row:
                        if isinstance(v, bytes):
                            v = v.decode("utf-8", "replace")
                        if not isinstance(v, str):
                            continue
                        low = v.lower()
                        found += [(t, n) for n in needles if n.lower() in low]
        finally:
            con.close()
        self.assertEqual(found, [], "the database still holds these values")


if __name__ == "__main__":
    unittest.main()
