"""The HTTP server under abuse: an Idempotency-Key reused for another request,
login throttling per name and client address (and behind a trusted proxy),
the per-address connection cap and the timeout for idle and half-sent
requests, a full disk (507, /healthz degraded until a write works again),
non-JSON bodies on JSON routes (415) and requests framed twice
(Content-Length with Transfer-Encoding: 400)."""

import http.client
import json
import os
import socket
import sqlite3
import time
import unittest

from harness import ADMIN_PASSWORD, PG_URL, ApiTestCase, Server, describe, word

OTHER = "127.0.0.2"  # a second loopback address: another client on the same machine


class EnvServer(Server):
    """A server started with extra environment variables."""

    def __init__(self, env=None, **kw):
        super().__init__(**kw)
        self.env = env or {}

    def start(self, extra_args=()):
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            return super().start(extra_args)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class HardeningCase(ApiTestCase):
    serve_args = ()
    serve_env = {}

    @classmethod
    def setUpClass(cls):
        cls.server = EnvServer(cls.serve_env)
        try:
            cls.prepare(cls.server.init())
            cls.server.start(cls.serve_args)
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    @classmethod
    def prepare(cls, server):
        """Runs between `xrm init` and `xrm serve`."""

    def connect(self, source=None, timeout=10):
        """An HTTPConnection from source address (default 127.0.0.1)."""
        return http.client.HTTPConnection(
            self.server.host, self.server.port, timeout=timeout,
            source_address=(source, 0) if source else None)

    def get(self, conn, path="/healthz", headers=None):
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()

    def login_from(self, source, user, password, forwarded=None):
        """(status, headers, body) of a login sent from source, with X-Forwarded-For."""
        conn = self.connect(source)
        h = {"Content-Type": "application/json"}
        if forwarded:
            h["X-Forwarded-For"] = forwarded
        try:
            conn.request("POST", "/api/v1/session",
                         json.dumps({"user": user, "password": password}), h)
            r = conn.getresponse()
            body = r.read()
            return r.status, r.headers, json.loads(body) if body else None
        finally:
            conn.close()

    def make_user(self):
        name, pw = "hard_" + word(), "pw-" + word(12)
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw,
                                          "access": {"sales": "write"}}, status=201)
        return name, pw

    def refused(self, sock):
        """True when the server closes sock without answering a request on it."""
        try:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            return sock.recv(1024) == b""
        except (ConnectionResetError, BrokenPipeError):
            return True


class IdempotencyTest(HardeningCase):
    def test_same_key_same_request_replays(self):
        key = "k-" + word()
        body = {"kind": "person", "family_name": "Eenmaal" + word()}
        h1, a = self.ok_h("POST", "/api/v1/parties", body, 201, headers={"Idempotency-Key": key})
        h2, b = self.ok_h("POST", "/api/v1/parties", body, 201, headers={"Idempotency-Key": key})
        self.assertEqual(a["id"], b["id"])
        self.assertEqual(h1["Location"], h2["Location"])
        self.assertEqual(len(self.search(body["family_name"])), 1)

    def test_same_key_on_another_request_is_refused(self):
        key = "k-" + word()
        first = {"kind": "person", "family_name": "Eerste" + word()}
        p = self.ok("POST", "/api/v1/parties", first, 201, headers={"Idempotency-Key": key})
        count = self.party_count()
        audit = len(self.ok("GET", "/api/v1/audit?limit=500")["items"])
        other = {"kind": "person", "family_name": "Tweede" + word()}
        js = self.problem("POST", "/api/v1/parties", other, status=422,
                          field="Idempotency-Key", headers={"Idempotency-Key": key})
        self.assertEqual(js["code"], "idempotency_key_reused")
        self.assertIn("another request", js["detail"])
        # another path with the same key and body
        js = self.problem("POST", "/api/v1/parties/%d/roles" % p["id"], first, status=422,
                          headers={"Idempotency-Key": key})
        self.assertEqual(js["code"], "idempotency_key_reused")
        # nothing of the refused requests was carried out
        self.assertEqual(self.party_count(), count)
        self.assertEqual(self.search(other["family_name"]), [])
        self.assertEqual(len(self.ok("GET", "/api/v1/audit?limit=500")["items"]), audit)
        # the first request still replays
        again = self.ok("POST", "/api/v1/parties", first, 201, headers={"Idempotency-Key": key})
        self.assertEqual(again["id"], p["id"])


class LoginThrottleTest(HardeningCase):
    def test_a_stranger_cannot_lock_out_a_user_elsewhere(self):
        name, pw = self.make_user()
        for _ in range(5):
            st, _, _ = self.login_from("127.0.0.1", name, "wrong-" + word())
            self.assertEqual(st, 401)
        # the attacker keeps getting 429, even with the right password
        for attempt in ("wrong-again", pw):
            st, h, js = self.login_from("127.0.0.1", name, attempt)
            self.assertEqual(st, 429)
            self.assertGreater(int(h["Retry-After"]), 0)
            self.assertEqual(js["code"], "login_throttled")
            self.assertNotIn("token", js)
        # the user, logging in from another address, gets in
        st, h, js = self.login_from(OTHER, name, pw)
        self.assertEqual(st, 201, js)
        self.assertIn("xrm_session=", h["Set-Cookie"])
        st, _, _ = self.login_from("127.0.0.1", name, pw)
        self.assertEqual(st, 429, "a success elsewhere does not lift the attacker's lock")

    def test_forwarded_for_from_an_untrusted_peer_is_ignored(self):
        name, pw = self.make_user()
        for i in range(5):
            st, _, _ = self.login_from(OTHER, name, "wrong", forwarded="10.1.1.%d" % i)
            self.assertEqual(st, 401)
        # a made-up X-Forwarded-For does not give the attacker a fresh address
        st, _, _ = self.login_from(OTHER, name, pw, forwarded="10.1.1.99")
        self.assertEqual(st, 429)


class ProxyTest(HardeningCase):
    """Behind a trusted reverse proxy (here 127.0.0.2): its X-Forwarded-For names the
    client, and it may hold more connections than the cap."""

    serve_args = ("--trusted-proxy", "10.255.0.1," + OTHER, "--max-conn-per-ip", "2")

    def test_login_limits_follow_the_forwarded_client(self):
        name, pw = self.make_user()
        for _ in range(5):
            st, _, _ = self.login_from(OTHER, name, "wrong", forwarded="198.51.100.7")
            self.assertEqual(st, 401)
        st, h, _ = self.login_from(OTHER, name, pw, forwarded="198.51.100.7")
        self.assertEqual(st, 429)
        # a client's own X-Forwarded-For stands left of what the proxy adds: not believed
        st, _, _ = self.login_from(OTHER, name, pw, forwarded="203.0.113.5, 198.51.100.7")
        self.assertEqual(st, 429)
        # the same user behind the same proxy from another client address gets in
        st, _, js = self.login_from(OTHER, name, pw, forwarded="198.51.100.8")
        self.assertEqual(st, 201, js)

    def test_the_proxy_is_exempt_from_the_cap(self):
        conns = [self.connect(OTHER) for _ in range(6)]
        try:
            for c in conns:
                self.assertEqual(self.get(c)[0], 200)
            for c in conns:  # all still open and answering
                self.assertEqual(self.get(c)[0], 200)
        finally:
            for c in conns:
                c.close()

    def test_a_bad_proxy_list_stops_the_server(self):
        srv = Server(db=self.server.db)
        try:
            with self.assertRaises(RuntimeError) as ctx:
                srv.start(("--trusted-proxy", "not-an-address"))
            self.assertIn("trusted proxy 'not-an-address'", str(ctx.exception))
        finally:
            if srv.proc:  # the pipes of the process that would not start
                srv.proc.stdout.close()
                srv._stderr_file.close()
            srv.cleanup()


class ConnectionCapTest(HardeningCase):
    """XRM_MAX_CONN_PER_IP=4: the fifth connection of one address is refused, while
    another client still gets answers."""

    serve_env = {"XRM_MAX_CONN_PER_IP": "4"}

    def test_one_address_cannot_hold_every_connection(self):
        self.client.close()  # the test's own connections are the only ones of 127.0.0.1
        held = [self.connect() for _ in range(4)]
        try:
            for c in held:  # each answered, so the server has taken it
                self.assertEqual(self.get(c)[0], 200)
            extra = socket.create_connection((self.server.host, self.server.port), timeout=10)
            try:
                self.assertTrue(self.refused(extra), "a fifth connection was served")
            finally:
                extra.close()
            other = self.connect(OTHER)
            self.assertEqual(self.get(other)[0], 200, "another client is refused too")
            other.close()
            for c in held:  # the held ones still work
                self.assertEqual(self.get(c)[0], 200)
            # once one closes, the address may connect again
            held.pop().close()
            deadline = time.monotonic() + 10
            while True:
                c = self.connect()
                try:
                    if self.get(c)[0] == 200:
                        break
                except (ConnectionError, http.client.HTTPException):
                    pass
                finally:
                    c.close()
                self.assertLess(time.monotonic(), deadline, "the address stays refused")
                time.sleep(0.1)
        finally:
            for c in held:
                c.close()


class IdleTimeoutTest(HardeningCase):
    serve_args = ("--idle-timeout", "1")

    def wait_closed(self, sock):
        """True when the server closes sock by itself (within 20 s)."""
        sock.settimeout(20)
        try:
            while True:
                data = sock.recv(4096)
                if not data:
                    return True
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def test_half_sent_and_idle_connections_are_closed(self):
        count = self.party_count()
        half = socket.create_connection((self.server.host, self.server.port), timeout=10)
        idle = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            half.sendall(b"POST /api/v1/parties HTTP/1.1\r\nHost: x\r\n"
                         b"Authorization: Bearer " + self.token.encode() +
                         b"\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n"
                         b'{"kind": "person", ')
            self.assertTrue(self.wait_closed(half), "a half-sent request is kept open")
            self.assertTrue(self.wait_closed(idle), "an idle connection is kept open")
        finally:
            half.close()
            idle.close()
        self.assertEqual(self.party_count(), count)
        self.assertEqual(self.req("GET", "/healthz")[0], 200)


class ContentTypeTest(HardeningCase):
    def send(self, method, path, body, ctype, token=True):
        h = {"Content-Type": ctype}
        return self.req(method, path, body, headers=h, token=self.token if token else None)

    def test_non_json_bodies_are_refused_on_json_routes(self):
        count = self.party_count()
        body = json.dumps({"kind": "person", "family_name": "Formulier" + word()})
        for ctype in ("text/plain", "application/x-www-form-urlencoded", "text/json",
                      "multipart/form-data; boundary=x", "application/jsonx"):
            with self.subTest(ctype=ctype):
                js = self.assert_problem(self.send("POST", "/api/v1/parties", body, ctype), 415)
                self.assertEqual(js["code"], "unsupported_media_type")
        self.assertEqual(self.party_count(), count)
        # a login form posted from another site (text/plain needs no preflight)
        st, h, js = self.send("POST", "/api/v1/session",
                              json.dumps({"user": "admin", "password": ADMIN_PASSWORD}),
                              "text/plain", token=False)
        self.assert_problem((st, h, js), 415)
        self.assertNotIn("Set-Cookie", h)
        # JSON in its spellings is taken
        p = self.send("POST", "/api/v1/parties", body, "application/json; charset=utf-8")
        self.assertEqual(p[0], 201, describe(self.client))
        st, _, _ = self.send("PATCH", "/api/v1/parties/%d" % p[2]["id"],
                             json.dumps({"family_name": "Samengevoegd"}),
                             "application/merge-patch+json")
        self.assertEqual(st, 200, describe(self.client))
        # the import routes read NDJSON and take it as before
        line = json.dumps({"kind": "person", "family_name": "Import" + word()}) + "\n"
        st, _, js = self.send("POST", "/api/v1/import/parties", line, "application/x-ndjson")
        self.assertEqual(st, 201, describe(self.client))

    def test_content_length_with_transfer_encoding_is_400(self):
        count = self.party_count()
        body = b'{"kind": "person", "family_name": "Dubbel"}'
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            s.sendall(b"POST /api/v1/parties HTTP/1.1\r\nHost: x\r\n"
                      b"Authorization: Bearer " + self.token.encode() +
                      b"\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data[:200])
        head, _, rest = data.partition(b"\r\n\r\n")
        self.assertIn(b"application/problem+json", head)
        self.assertIn(b"ambiguous_framing", rest)
        self.assertEqual(self.party_count(), count)
        self.assertEqual(self.search("Dubbel"), [])


@unittest.skipIf(PG_URL, "the page cap is SQLite's (PostgreSQL maps SQLSTATE 53100)")
class StorageFullTest(HardeningCase):
    """The database capped a few pages above its size (XRM_SQLITE_MAX_PAGES) after a
    filler table, as a disk that is nearly full; an operator then frees the filler."""

    @classmethod
    def prepare(cls, server):
        db = sqlite3.connect(server.db)
        db.execute("CREATE TABLE test_filler (b BLOB)")
        for _ in range(40):
            db.execute("INSERT INTO test_filler VALUES (zeroblob(16000))")
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.close()
        server.env = {"XRM_SQLITE_MAX_PAGES": str(pages + 6)}

    def create(self, name):
        return self.req("POST", "/api/v1/parties", {
            "kind": "person", "family_name": name,
            "custom": {"note": "x" * 3000}})

    def test_a_full_disk_is_507_and_health_degraded_until_writes_work(self):
        health = self.req("GET", "/healthz", token=None)
        self.assertEqual(health[0], 200)
        self.assertEqual(health[2]["checks"]["storage"], "ok")
        made, full = [], None
        for i in range(200):
            name = "Vol%d%s" % (i, word())
            res = self.create(name)
            if res[0] == 201:
                made.append(name)
                continue
            full = (res, name)
            break
        self.assertIsNotNone(full, "the capped database never filled up")
        self.assertTrue(made, "not even one write fitted")
        (st, h, js), name = full
        self.assert_problem((st, h, js), 507)
        self.assertEqual(js["code"], "storage_full")
        self.assertEqual(js["title"], "Storage full")
        self.assertIn("nothing was written", js["detail"])
        # nothing of it was written, and reads still work
        self.assertEqual(self.search(name), [])
        self.assertEqual(len(self.search(made[0])), 1)
        st, _, js = self.req("GET", "/healthz", token=None)
        self.assertEqual(st, 503)
        self.assertEqual(js["status"], "degraded")
        self.assertEqual(js["checks"]["storage"], "full")
        # still full: still 507, still degraded
        self.assertEqual(self.create("Nogmaals" + word())[0], 507)
        self.assertEqual(self.req("GET", "/healthz", token=None)[0], 503)
        # the operator frees space
        db = sqlite3.connect(self.server.db, timeout=30)
        db.execute("DELETE FROM test_filler")
        db.commit()
        db.close()
        st, _, p = self.create(name)
        self.assertEqual(st, 201, describe(self.client))
        self.assertEqual(self.search(name), [p["id"]])
        st, _, js = self.req("GET", "/healthz", token=None)
        self.assertEqual(st, 200)
        self.assertEqual(js["status"], "ok")
        self.assertEqual(js["checks"]["storage"], "ok")


if __name__ == "__main__":
    unittest.main()
