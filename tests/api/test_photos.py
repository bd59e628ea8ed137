"""A party's photo: GET, PUT and DELETE /api/v1/parties/{id}/photo.

The bytes come back exactly as they were sent, with their media type, an
ETag and no-sniffing; only JPEG, PNG, GIF and WebP are taken, and only when
the bytes are what the type says; 1 MB at most. Changing a photo needs the
right to change the party, is audited without the bytes, and shows in the
party's "photo" flag. Erasure removes it; a merge gives it to a survivor
that has none (and undo takes it back).
"""

import os
import sqlite3
import tempfile
import unittest

from demo_case import DemoTestCase
from harness import (ADMIN_PASSWORD, PG_URL, ApiTestCase, Server, drop_database, find_bin,
                     new_database, q, run_cli, sanitizer_report, word)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\x00IEND"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(255, -1, -1))
GIF = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 40
WEBP = b"RIFF" + (40).to_bytes(4, "little") + b"WEBPVP8 " + b"\x00" * 32


def photo_path(pid):
    return "/api/v1/parties/%d/photo" % pid


class PhotoTest(DemoTestCase):
    def put(self, pid, data, ctype, token=None, **kw):
        headers = {"Content-Type": ctype}
        if token is None:
            return self.req("PUT", photo_path(pid), data, headers, **kw)
        return self.req("PUT", photo_path(pid), data, headers, token=token, **kw)

    def customer(self):
        return self.create_party(family_name="Foto " + word(),
                                 roles=[{"type": "customer", "status": "active"}])

    def stored_rows(self, pid):
        """Rows of party_photos for pid (SQLite only; None on PostgreSQL)."""
        if PG_URL:
            return None
        con = sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM party_photos WHERE party_id = ?",
                               (pid,)).fetchone()[0]
        finally:
            con.close()

    def test_round_trip_keeps_the_bytes_and_type(self):
        for data, ctype in ((PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"),
                            (WEBP, "image/webp")):
            with self.subTest(ctype=ctype):
                pid = self.customer()["id"]
                self.assertFalse(self.get_party(pid)["photo"])
                st, _, party = self.put(pid, data, ctype)
                self.assertEqual(st, 200, "PUT %s: %r" % (ctype, party))
                self.assertTrue(party["photo"])
                st, hdrs, body = self.client.raw("GET", photo_path(pid))
                self.assertEqual(st, 200)
                self.assertEqual(body, data)
                self.assertEqual(hdrs["Content-Type"], ctype)
                self.assertEqual(hdrs["X-Content-Type-Options"], "nosniff")
                self.assertIn("private", hdrs["Cache-Control"])
                self.assertTrue(hdrs["ETag"].startswith('"'))
                # the ETag lets a client keep its copy
                st, _, body = self.client.raw("GET", photo_path(pid),
                                              headers={"If-None-Match": hdrs["ETag"]})
                self.assertEqual(st, 304)

    def test_replacing_changes_etag_and_party_version(self):
        pid = self.customer()["id"]
        v0 = self.get_party(pid)["version"]
        self.assertEqual(self.put(pid, PNG, "image/png")[0], 200)
        _, h1, _ = self.client.raw("GET", photo_path(pid))
        v1 = self.get_party(pid)["version"]
        self.assertEqual(self.put(pid, JPEG, "image/jpeg")[0], 200)
        st, h2, body = self.client.raw("GET", photo_path(pid))
        self.assertEqual(body, JPEG)
        self.assertNotEqual(h1["ETag"], h2["ETag"])
        self.assertLess(v0, v1)
        self.assertLess(v1, self.get_party(pid)["version"])

    def test_photo_flag_in_lists(self):
        name = "Lijstfoto " + word()
        with_photo = self.create_party(family_name=name + " a")["id"]
        without = self.create_party(family_name=name + " b")["id"]
        self.assertEqual(self.put(with_photo, GIF, "image/gif")[0], 200)
        items = {p["id"]: p for p in self.list_all("/api/v1/parties", q=name.split()[1])}
        self.assertIs(items[with_photo]["photo"], True)
        self.assertIs(items[without]["photo"], False)

    def test_no_photo_is_404(self):
        pid = self.customer()["id"]
        self.problem("GET", photo_path(pid), status=404)
        # removing what is not there changes nothing
        audit = self.ok("GET", "/api/v1/audit" + q(party=str(pid)))["items"]
        self.ok("DELETE", photo_path(pid), status=204)
        self.assertEqual(self.ok("GET", "/api/v1/audit" + q(party=str(pid)))["items"], audit)

    def test_other_media_types_are_415(self):
        pid = self.customer()["id"]
        for ctype in ("text/plain", "image/svg+xml", "application/octet-stream", "image/tiff"):
            with self.subTest(ctype=ctype):
                js = self.assert_problem(self.put(pid, PNG, ctype), 415)
                self.assertEqual(js["code"], "unsupported_media_type")
        st, _, _ = self.client.raw("PUT", photo_path(pid), PNG, {"Content-Type": None})
        self.assertEqual(st, 415)
        self.assertFalse(self.get_party(pid)["photo"])
        self.assertEqual(self.stored_rows(pid) or 0, 0)

    def test_bytes_that_are_not_the_type_are_refused(self):
        pid = self.customer()["id"]
        cases = ((JPEG, "image/png"), (PNG, "image/jpeg"), (b"<svg/>" * 10, "image/png"),
                 (b"RIFF\x10\x00\x00\x00AVI LIST" + b"\0" * 20, "image/webp"),
                 (b"MZ\x90\x00" + b"\0" * 60, "image/gif"))
        for data, ctype in cases:
            with self.subTest(ctype=ctype, start=data[:8]):
                js = self.assert_problem(self.put(pid, data, ctype), 422)
                self.assertEqual(js["code"], "photo_mismatch")
        self.assert_problem(self.put(pid, b"", "image/png"), 422)
        self.assertFalse(self.get_party(pid)["photo"])
        self.problem("GET", photo_path(pid), status=404)

    def test_larger_than_one_megabyte_is_413(self):
        pid = self.customer()["id"]
        big = PNG + b"\0" * (1024 * 1024)
        self.assert_problem(self.put(pid, big, "image/png"), 413)
        exact = PNG + b"\0" * (1024 * 1024 - len(PNG))
        self.assertEqual(self.put(pid, exact, "image/png")[0], 200)
        st, _, body = self.client.raw("GET", photo_path(pid))
        self.assertEqual(len(body), 1024 * 1024)

    def test_read_only_user_cannot_change_it(self):
        pid = self.customer()["id"]
        self.assertEqual(self.put(pid, PNG, "image/png")[0], 200)
        for user in ("hr-assistent", "hr"):  # hr: no write where this customer holds its role
            tok = self.server.make_token(user)
            with self.subTest(user=user):
                self.assert_problem(self.put(pid, JPEG, "image/jpeg", token=tok), 403)
                self.problem("DELETE", photo_path(pid), status=403, token=tok)
                # reading is for everyone who sees the party
                st, _, body = self.client.raw("GET", photo_path(pid), token=tok)
                self.assertEqual((st, body), (200, PNG))
        sales = self.server.make_token("verkoop")
        self.assertEqual(self.put(pid, JPEG, "image/jpeg", token=sales)[0], 200)
        self.ok("DELETE", photo_path(pid), status=204, token=sales)
        self.problem("GET", photo_path(pid), status=404)

    def test_a_party_that_does_not_exist_is_404(self):
        gone = self.customer()["id"] + 100000
        tok = self.server.make_token("verkoop")
        for token in (self.token, tok):
            self.problem("GET", photo_path(gone), status=404, token=token)
            self.assert_problem(self.put(gone, PNG, "image/png", token=token), 404)
            self.problem("DELETE", photo_path(gone), status=404, token=token)

    def test_changes_are_audited_without_the_bytes(self):
        pid = self.customer()["id"]
        self.assertEqual(self.put(pid, PNG, "image/png")[0], 200)
        self.ok("DELETE", photo_path(pid), status=204)
        items = self.ok("GET", "/api/v1/audit" + q(party=str(pid)))["items"]
        photo = [e for e in items if e["action"] == "update" and
                 "photo" in (e.get("after") or {})]
        self.assertEqual(len(photo), 2, items)
        set_, removed = sorted(photo, key=lambda e: e["id"])
        self.assertIsNone(set_["before"]["photo"])
        self.assertEqual(set_["after"]["photo"]["media_type"], "image/png")
        self.assertEqual(len(set_["after"]["photo"]["sha256"]), 64)
        self.assertEqual(removed["before"]["photo"]["media_type"], "image/png")
        self.assertIsNone(removed["after"]["photo"])
        self.assertNotIn("data", set_["after"]["photo"])

    def test_the_gdpr_export_holds_it(self):
        import base64
        pid = self.customer()["id"]
        self.assertNotIn("photo", self.ok("GET", "/api/v1/parties/%d/export" % pid))
        self.assertEqual(self.put(pid, WEBP, "image/webp")[0], 200)
        exp = self.ok("GET", "/api/v1/parties/%d/export" % pid)
        self.assertEqual(exp["photo"]["media_type"], "image/webp")
        self.assertEqual(base64.b64decode(exp["photo"]["data"]), WEBP)
        self.assertTrue(exp["party"]["photo"])

    def test_erasure_removes_it(self):
        pid = self.customer()["id"]
        self.assertEqual(self.put(pid, JPEG, "image/jpeg")[0], 200)
        self.ok("POST", "/api/v1/parties/%d/erase" % pid)
        self.problem("GET", photo_path(pid), status=404)
        self.assertFalse(self.get_party(pid)["photo"])
        if not PG_URL:
            self.assertEqual(self.stored_rows(pid), 0)

    def test_merge_gives_the_photo_to_a_survivor_without_one(self):
        name = "Samenvoegen " + word()
        survivor = self.create_party(family_name=name, emails=["a@example.test"])["id"]
        merged = self.create_party(family_name=name, emails=["a@example.test"], force=True)["id"]
        self.assertEqual(self.put(merged, GIF, "image/gif")[0], 200)
        js = self.ok("POST", "/api/v1/parties/%d/merge" % survivor, {"from": [merged]})
        st, _, body = self.client.raw("GET", photo_path(survivor))
        self.assertEqual((st, body), (200, GIF))
        self.assertTrue(self.get_party(survivor)["photo"])
        self.ok("POST", "/api/v1/merges/%d/undo" % js["id"])
        self.problem("GET", photo_path(survivor), status=404)
        st, _, body = self.client.raw("GET", photo_path(merged))
        self.assertEqual((st, body), (200, GIF))

    def test_merge_keeps_the_survivors_own_photo(self):
        name = "Eigenfoto " + word()
        survivor = self.create_party(family_name=name, emails=["b@example.test"])["id"]
        merged = self.create_party(family_name=name, emails=["b@example.test"], force=True)["id"]
        self.assertEqual(self.put(survivor, PNG, "image/png")[0], 200)
        self.assertEqual(self.put(merged, GIF, "image/gif")[0], 200)
        self.ok("POST", "/api/v1/parties/%d/merge" % survivor, {"from": [merged]})
        self.assertEqual(self.client.raw("GET", photo_path(survivor))[2], PNG)


class PhotoRetentionTest(ApiTestCase):
    """Retention takes the photo with the party's last role (an applicant turned down five
    weeks ago, see test_retention.py); a party that keeps a role keeps its photo."""

    NOW = "2027-01-15T09:00:00Z"

    def applicant(self, customer):
        roles = [{"type": "employee", "status": "rejected", "since": "2026-11-01",
                  "until": "2026-12-11"}]
        if customer:
            roles.append({"type": "customer", "status": "active", "since": "2025-05-01"})
        pid = self.create_party(family_name="Sollicitant " + word(), roles=roles)["id"]
        st, _, _ = self.client.raw("PUT", photo_path(pid), JPEG, {"Content-Type": "image/jpeg"})
        self.assertEqual(st, 200)
        return pid

    def test_the_photo_goes_with_the_last_role(self):
        only = self.applicant(customer=False)
        also_customer = self.applicant(customer=True)
        r = run_cli(self.server.binary, "retention", "run", "--db", self.server.db,
                    env_extra={"XRM_NOW": self.NOW})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("removed party %d: hr data" % only, r.stdout)
        self.assertIn("removed party %d: hr data" % also_customer, r.stdout)
        self.problem("GET", photo_path(only), status=404)
        self.assertFalse(self.get_party(only)["photo"])
        st, _, body = self.client.raw("GET", photo_path(also_customer))
        self.assertEqual((st, body), (200, JPEG))


class PhotoCopyTest(unittest.TestCase):
    """`xrm copy` carries photos byte for byte, between SQLite files and to and from
    PostgreSQL (when XRM_TEST_PG_URL is set)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="xrm-photo-")
        self.addCleanup(self.tmp.cleanup)
        self.bin = find_bin()

    def xrm(self, *args, env=None):
        r = run_cli(self.bin, *args, env_extra=env, timeout=300)
        for stream in (r.stdout, r.stderr):
            self.assertIsNone(sanitizer_report(stream), stream)
        self.assertEqual(r.returncode, 0, "xrm %s: %s" % (" ".join(args), r.stderr))
        return r

    def serve(self, db):
        srv = Server(workdir=self.tmp.name, db=db)
        srv.token = self.xrm("token", "create", "--db", db, "--user", "admin").stdout.strip()
        srv.start()
        self.addCleanup(srv.cleanup)
        return srv

    def stop(self, srv):
        rc, err = srv.stop()
        self.assertEqual(rc, 0, err)

    def photo_of(self, db, pid):
        srv = self.serve(db)
        c = srv.client()
        st, hdrs, body = c.raw("GET", photo_path(pid))
        st2, _, party = c.req("GET", "/api/v1/parties/%d" % pid)
        c.close()
        self.stop(srv)
        self.assertEqual(st, 200)
        self.assertTrue(party["photo"])
        return hdrs["Content-Type"], body

    def test_copy_keeps_photos(self):
        lite = os.path.join(self.tmp.name, "a.db")
        self.xrm("init", "--db", lite, env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})
        srv = self.serve(lite)
        c = srv.client()
        st, _, party = c.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Kopie"})
        self.assertEqual(st, 201)
        pid = party["id"]
        st, _, _ = c.raw("PUT", photo_path(pid), PNG, {"Content-Type": "image/png"})
        self.assertEqual(st, 200)
        c.close()
        self.stop(srv)
        copy = os.path.join(self.tmp.name, "b.db")
        r = self.xrm("copy", "--from", "sqlite:" + lite, "--to", copy)
        self.assertRegex(r.stdout, r"party_photos\s+1\s+[0-9a-f]{16}\s+ok")
        self.assertEqual(self.photo_of(copy, pid), ("image/png", PNG))
        if not PG_URL:
            return
        pg, name = new_database(self.tmp.name)
        self.addCleanup(drop_database, name)
        r = self.xrm("copy", "--from", "sqlite:" + lite, "--to", pg)
        self.assertRegex(r.stdout, r"party_photos\s+1\s+[0-9a-f]{16}\s+ok")
        self.assertEqual(self.photo_of(pg, pid), ("image/png", PNG))
        back = os.path.join(self.tmp.name, "c.db")
        self.xrm("copy", "--from", pg, "--to", back, "--quiet")
        self.assertEqual(self.photo_of(back, pid), ("image/png", PNG))


if __name__ == "__main__":
    unittest.main()
