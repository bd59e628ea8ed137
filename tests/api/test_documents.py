"""Documents on records: upload, list, download, preview, access per domain, erasure, the cap.

The content is kept once per SHA-256 in a folder next to the SQLite database
(<db>.files/ab/<sha256>) or as a PostgreSQL large object; these tests look in
the folder when the engine is SQLite.
"""

import hashlib
import json
import os
import struct
import subprocess
import unittest
import urllib.parse
import zlib

from harness import PG_URL, ApiTestCase, Server, describe, q, word


def png_bytes(w=40, h=30, rgb=(200, 30, 30)):
    """A real PNG of w x h pixels of one colour."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes(text="Hallo"):
    """A real one-page PDF (A4) with one line of text."""
    stream = ("BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text).encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def user_body(name, access):
    return {"name": name, "password": "pw-" + word(12), "access": access, "admin": False}


class DocumentsBase(ApiTestCase):
    """A server with a party and users of a few access levels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {}
        for name, access in (
            ("sales", {"sales": "write"}),
            ("hrfull", {"hr": "full"}),
            ("hrread", {"hr": "read", "sales": "read"}),
        ):
            body = user_body(name + "-" + word(4), access)
            st, _, js = cls.client.req("POST", "/api/v1/users", body)
            if st != 201:
                raise RuntimeError("user: %s %s" % (st, js))
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": body["name"], "password": body["password"],
                                        "bearer": True}, token=None)
            if st != 201:
                raise RuntimeError("login: %s %s" % (st, js))
            cls.tok[name] = js["token"]

    def party(self, name=None):
        return self.ok("POST", "/api/v1/parties",
                       {"kind": "organization", "name": name or "Docs " + word(6)}, status=201)["id"]

    def upload(self, record, data, ctype, name, domain=None, token=None, status=201):
        path = "/api/v1/documents" + q(record=record, **({"domain": domain} if domain else {}))
        headers = {"Content-Type": ctype, "X-Filename": urllib.parse.quote(name)}
        kw = {} if token is None else {"token": token}
        st, hdrs, raw = self.client.raw("POST", path, data, headers, **kw)
        if st != status:
            self.fail("expected %d%s" % (status, describe(self.client)))
        return json.loads(raw) if raw else None

    def content(self, doc_id, token=None, inline=False, status=200):
        path = "/api/v1/documents/%d/content" % doc_id + ("?inline=true" if inline else "")
        kw = {} if token is None else {"token": token}
        st, hdrs, raw = self.client.raw("GET", path, **kw)
        self.assertEqual(st, status, describe(self.client))
        return hdrs, raw

    def files_dir(self):
        return self.server.db + ".files"

    def psql(self, sql):
        r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.server.db,
                            "-c", sql], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def stored(self, sha):
        """The content is kept: a file (SQLite) or a large object (PostgreSQL)."""
        if not PG_URL:
            return os.path.exists(os.path.join(self.files_dir(), sha[:2], sha))
        assert all(c in "0123456789abcdef" for c in sha)
        return self.psql("SELECT count(*) FROM document_blobs b JOIN pg_largeobject_metadata m"
                         " ON m.oid = b.oid::oid WHERE b.sha256 = '%s'" % sha) == "1"

    def no_stray_contents(self):
        """Every large object belongs to a content row and every content row to a document."""
        if PG_URL:
            self.assertEqual(self.psql("SELECT (SELECT count(*) FROM pg_largeobject_metadata)"
                                       " - (SELECT count(*) FROM document_blobs)"), "0")
            self.assertEqual(self.psql("SELECT count(*) FROM document_blobs b WHERE NOT EXISTS"
                                       " (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)"),
                             "0")


class UploadDownload(DocumentsBase):
    def test_upload_list_download_byte_identical(self):
        pid = self.party()
        files = [
            (pdf_bytes(), "application/pdf", "Offerte 2026.pdf"),
            (png_bytes(), "image/png", "logo.png"),
            (b"regel een\nregel twee\n", "text/plain; charset=utf-8", "notities.txt"),
            (b"Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9e\n", "text/plain", "Ree\u0308le c\u00e9d\u00e9 \u00fc\u00df.txt"),
        ]
        docs = []
        for data, ctype, name in files:
            doc = self.upload("party:%d" % pid, data, ctype, name)
            self.assertEqual(doc["name"], name)
            self.assertEqual(doc["type"], ctype.split(";")[0])
            self.assertEqual(doc["size"], len(data))
            self.assertEqual(doc["sha256"], hashlib.sha256(data).hexdigest())
            self.assertEqual(doc["record"], "party:%d" % pid)
            self.assertEqual(doc["party"], pid)
            self.assertEqual(doc["domain"], "sales")  # admin: the first domain it may write
            docs.append(doc)
            hdrs, raw = self.content(doc["id"])
            self.assertEqual(raw, data)
            self.assertEqual(hdrs["X-Content-Type-Options"], "nosniff")
            cd = hdrs["Content-Disposition"]
            self.assertTrue(cd.startswith("attachment;"), cd)
            self.assertIn("filename*=UTF-8''" + urllib.parse.quote(name, safe=""), cd.replace("%20", "%20"))
            self.assertTrue(self.stored(doc["sha256"]))
        listed = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid))["items"]
        self.assertEqual([d["id"] for d in listed], [d["id"] for d in docs])
        one = self.ok("GET", "/api/v1/documents/%d" % docs[0]["id"])
        self.assertEqual(one, docs[0])

    def test_inline_only_for_images_and_pdf(self):
        pid = self.party()
        pdf = self.upload("party:%d" % pid, pdf_bytes("inline"), "application/pdf", "a.pdf")
        hdrs, _ = self.content(pdf["id"], inline=True)
        self.assertTrue(hdrs["Content-Disposition"].startswith("inline;"))
        self.assertEqual(hdrs["Content-Type"], "application/pdf")
        html = self.upload("party:%d" % pid, b"<script>alert(1)</script>", "text/html", "x.html")
        hdrs, raw = self.content(html["id"], inline=True)
        self.assertTrue(hdrs["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(hdrs["Content-Type"], "application/octet-stream")
        svg = self.upload("party:%d" % pid, b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                          "image/svg+xml", "x.svg")
        hdrs, _ = self.content(svg["id"], inline=True)
        self.assertTrue(hdrs["Content-Disposition"].startswith("attachment;"))

    def test_same_content_twice_is_kept_once(self):
        pid = self.party()
        data = b"twice " + word(20).encode()
        a = self.upload("party:%d" % pid, data, "text/plain", "a.txt")
        b = self.upload("party:%d" % pid, data, "text/plain", "b.txt")
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(a["sha256"], b["sha256"])
        if not PG_URL:
            folder = os.path.join(self.files_dir(), a["sha256"][:2])
            self.assertEqual([f for f in os.listdir(folder) if a["sha256"] in f], [a["sha256"]])
            self.assertEqual([f for f in os.listdir(folder) if f.startswith(".tmp")], [])
        # deleting one keeps the content for the other
        self.ok("DELETE", "/api/v1/documents/%d" % a["id"], status=204)
        self.assertEqual(self.content(b["id"])[1], data)
        self.assertTrue(self.stored(a["sha256"]))
        self.ok("DELETE", "/api/v1/documents/%d" % b["id"], status=204)
        self.problem("GET", "/api/v1/documents/%d" % b["id"], status=404)
        self.assertFalse(self.stored(a["sha256"]))
        self.no_stray_contents()

    def test_name_is_sanitized(self):
        pid = self.party()
        doc = self.upload("party:%d" % pid, b"x", "text/plain", "../../etc/pass\x01wd")
        self.assertEqual(doc["name"], "passwd")
        long = "\u00e9" * 200 + ".txt"  # 404 bytes
        doc = self.upload("party:%d" % pid, b"y", "text/plain", long)
        self.assertLessEqual(len(doc["name"].encode()), 255)
        self.assertTrue(doc["name"].startswith("\u00e9\u00e9"))
        doc = self.upload("party:%d" % pid, b"z", "text/plain", "")
        self.assertEqual(doc["name"], "document")

    def test_bad_input(self):
        pid = self.party()
        for record in ("party", "party:x", "planet:1", "party:0", ""):
            st, _, js = self.client.req("POST", "/api/v1/documents" + q(record=record), b"x",
                                        {"Content-Type": "text/plain"})
            self.assertEqual(st, 400, describe(self.client))
            self.assertEqual(js["errors"][0]["field"], "record")
        self.upload("party:999999", b"x", "text/plain", "a.txt", status=404)
        self.upload("deal:999999", b"x", "text/plain", "a.txt", status=404)
        st, _, js = self.client.req("POST", "/api/v1/documents" + q(record="party:%d" % pid),
                                    b"x", {"Content-Type": "nonsense"})
        self.assertEqual(st, 422, describe(self.client))
        self.assertEqual(js["errors"][0]["field"], "type")
        st, _, js = self.client.req("POST", "/api/v1/documents" + q(record="party:%d" % pid),
                                    b"", {"Content-Type": "text/plain"})
        self.assertEqual(st, 422, describe(self.client))
        self.assertEqual(js["errors"][0]["field"], "content")
        self.problem("GET", "/api/v1/documents" + q(record="bogus"), status=400, field="record")
        self.problem("GET", "/api/v1/documents" + q(record="party:999999"), status=404)
        self.assertEqual(self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid)),
                         {"items": []})


class Access(DocumentsBase):
    def test_hr_document_is_hidden_from_sales(self):
        pid = self.party()
        hr = self.upload("party:%d" % pid, b"sick note", "text/plain", "ziekmelding.txt",
                         domain="hr", token=self.tok["hrfull"])
        self.assertEqual(hr["domain"], "hr")
        sales = self.upload("party:%d" % pid, b"offer", "text/plain", "offerte.txt",
                            token=self.tok["sales"])
        self.assertEqual(sales["domain"], "sales")
        # sales: the hr document does not exist
        t = self.tok["sales"]
        self.problem("GET", "/api/v1/documents/%d" % hr["id"], status=404, token=t)
        self.content(hr["id"], token=t, status=404)
        self.problem("GET", "/api/v1/documents/%d/preview" % hr["id"], status=404, token=t)
        self.problem("DELETE", "/api/v1/documents/%d" % hr["id"], status=404, token=t)
        listed = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid), token=t)
        self.assertEqual([d["id"] for d in listed["items"]], [sales["id"]])
        # sales may not upload to hr
        self.upload("party:%d" % pid, b"x", "text/plain", "x.txt", domain="hr", token=t,
                    status=403)
        # hr read: sees and downloads, may neither upload nor delete
        r = self.tok["hrread"]
        listed = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid), token=r)
        self.assertEqual(sorted(d["id"] for d in listed["items"]), sorted([hr["id"], sales["id"]]))
        self.assertEqual(self.content(hr["id"], token=r)[1], b"sick note")
        self.upload("party:%d" % pid, b"x", "text/plain", "x.txt", domain="hr", token=r,
                    status=403)
        self.problem("DELETE", "/api/v1/documents/%d" % hr["id"], status=403, token=r)
        # hr full: only hr (it has no sales access)
        f = self.tok["hrfull"]
        listed = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid), token=f)
        self.assertEqual([d["id"] for d in listed["items"]], [hr["id"]])
        self.ok("DELETE", "/api/v1/documents/%d" % hr["id"], status=204, token=f)
        self.problem("GET", "/api/v1/documents/%d" % hr["id"], status=404, token=r)

    def test_record_domain_rules(self):
        pid = self.party()
        case = self.ok("POST", "/api/v1/cases", {"party": pid, "subject": "HR case", "domain": "hr"},
                       status=201)
        rec = "case:%d" % case["id"]
        doc = self.upload(rec, b"case file", "text/plain", "c.txt", token=self.tok["hrfull"])
        self.assertEqual(doc["domain"], "hr")
        self.assertEqual(doc["party"], pid)
        # the case is hidden from sales: the record does not exist for it
        self.problem("GET", "/api/v1/documents" + q(record=rec), status=404,
                     token=self.tok["sales"])
        self.upload(rec, b"x", "text/plain", "x.txt", token=self.tok["sales"], status=404)
        # another domain than the record's is refused
        st, _, js = self.client.req("POST", "/api/v1/documents" + q(record=rec, domain="sales"),
                                    b"x", {"Content-Type": "text/plain"})
        self.assertEqual(st, 422, describe(self.client))
        self.assertEqual(js["errors"][0]["field"], "domain")


class Preview(DocumentsBase):
    def test_preview_of_pdf_and_png_is_png(self):
        pid = self.party()
        for data, ctype in ((pdf_bytes("Voorbeeld"), "application/pdf"),
                            (png_bytes(1600, 200), "image/png")):
            doc = self.upload("party:%d" % pid, data, ctype, "p")
            st, hdrs, raw = self.client.raw("GET", "/api/v1/documents/%d/preview" % doc["id"])
            self.assertEqual(st, 200, describe(self.client))
            self.assertEqual(hdrs["Content-Type"], "image/png")
            self.assertTrue(raw.startswith(b"\x89PNG\r\n\x1a\n"))
            w, h = struct.unpack(">II", raw[16:24])
            self.assertLessEqual(w, 800)
            self.assertGreater(h, 0)
        txt = self.upload("party:%d" % pid, b"plain", "text/plain", "t.txt")
        self.problem("GET", "/api/v1/documents/%d/preview" % txt["id"], status=404)
        bad = self.upload("party:%d" % pid, b"not a png", "image/png", "b.png")
        self.problem("GET", "/api/v1/documents/%d/preview" % bad["id"], status=404)


class ErasureMergeExport(DocumentsBase):
    def deal(self, pid):
        return self.ok("POST", "/api/v1/deals", {"party": pid, "title": "Deal " + word()},
                       status=201)["id"]

    def test_erase_removes_documents_and_their_files(self):
        pid, other = self.party(), self.party()
        own = b"only of the erased party " + word(10).encode()
        shared = b"also of another party " + word(10).encode()
        a = self.upload("party:%d" % pid, own, "text/plain", "cv.txt", domain="hr")
        b = self.upload("deal:%d" % self.deal(pid), shared, "text/plain", "offer.txt")
        c = self.upload("party:%d" % other, shared, "text/plain", "copy.txt")
        export = self.ok("GET", "/api/v1/parties/%d/export" % pid)
        self.assertEqual(sorted(d["id"] for d in export["records"]["documents"]),
                         [a["id"], b["id"]])
        self.assertEqual(export["records"]["documents"][0]["name"], "cv.txt")
        self.assertTrue(self.stored(a["sha256"]))
        self.ok("POST", "/api/v1/parties/%d/erase" % pid)
        for d in (a, b):
            self.problem("GET", "/api/v1/documents/%d" % d["id"], status=404)
            self.content(d["id"], status=404)
        self.assertEqual(self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid)),
                         {"items": []})
        # the content another party's document uses stays
        self.assertEqual(self.content(c["id"])[1], shared)
        self.assertFalse(self.stored(a["sha256"]))
        self.assertTrue(self.stored(c["sha256"]))
        self.no_stray_contents()
        if not PG_URL:  # the folder holds no file of the erased party's own content
            names = [f for _, _, fs in os.walk(self.files_dir()) for f in fs]
            self.assertNotIn(a["sha256"], names)

    def test_merge_moves_documents_and_undo_takes_them_back(self):
        keeper, dup = self.party("Bewaard " + word()), self.party("Dubbel " + word())
        d = self.upload("party:%d" % dup, b"dup doc", "text/plain", "dup.txt")
        deal_doc = self.upload("deal:%d" % self.deal(dup), b"deal doc", "text/plain", "d.txt")
        merge = self.ok("POST", "/api/v1/parties/%d/merge" % keeper, {"from": [dup]})
        self.assertEqual(merge["moves"]["documents"], 2)
        items = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % keeper))["items"]
        self.assertEqual([x["id"] for x in items], [d["id"]])
        self.assertEqual(items[0]["record"], "party:%d" % keeper)
        self.assertEqual(self.ok("GET", "/api/v1/documents/%d" % deal_doc["id"])["party"], keeper)
        self.ok("POST", "/api/v1/merges/%d/undo" % merge["id"])
        items = self.ok("GET", "/api/v1/documents" + q(record="party:%d" % dup))["items"]
        self.assertEqual([x["id"] for x in items], [d["id"]])
        self.assertEqual(self.ok("GET", "/api/v1/documents" + q(record="party:%d" % keeper)),
                         {"items": []})


class UploadCap(DocumentsBase):
    """A server started with --max-upload 1000."""

    @classmethod
    def setUpClass(cls):  # the base's, with the server started with the cap
        cls.server = Server()
        try:
            cls.server.init().start(["--max-upload", "1000"])
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()
        cls.tok = {}

    def test_too_large_is_413_and_nothing_is_stored(self):
        pid = self.party()
        big = b"x" * 1001
        st, _, js = self.client.req("POST", "/api/v1/documents" + q(record="party:%d" % pid), big,
                                    {"Content-Type": "text/plain", "X-Filename": "big.txt"})
        self.assertEqual(st, 413, describe(self.client))
        self.assertEqual(js["code"], "too_large")
        self.assertEqual(self.ok("GET", "/api/v1/documents" + q(record="party:%d" % pid)),
                         {"items": []})
        self.assertFalse(self.stored(hashlib.sha256(big).hexdigest()))
        # exactly the cap is fine
        doc = self.upload("party:%d" % pid, b"y" * 1000, "text/plain", "ok.txt")
        self.assertEqual(doc["size"], 1000)


if __name__ == "__main__":
    unittest.main()
