"""Lifecycle of `xrm serve`: the graceful stop on SIGTERM and HTTPS (--tls-cert, --tls-key).

Each test starts its own server (SQLite): a stop ends it.

- A SIGTERM while a 5 MB document upload is still arriving: the listening
  socket closes at once (a new connection is refused), an idle keep-alive
  connection still gets its answer (GET /readyz: 503 "draining") and is closed,
  the upload gets its 201 and the document is there after a restart, and the
  process exits 0.
- An upload that stalls holds the stop no longer than --shutdown-timeout, and a
  second SIGTERM ends the wait at once; both still exit 0.
- With a self-signed certificate the server answers https:// only, and a
  login's session cookie is Secure; a missing key file stops the start (exit 1)
  with a message naming it.
"""

import hashlib
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import unittest

from harness import ADMIN_PASSWORD, Server, run_cli, sanitizer_report

UPLOAD = 5 * 1024 * 1024
WAIT = 60  # seconds a step may take at most under the sanitizers (never a timing assert)


def wait_for(cond, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.srv = Server()
        self.addCleanup(self.srv.cleanup)
        self.srv.init()

    def start(self, *args):
        self.srv.start(extra_args=args)
        return self.srv

    def stop_rc(self, timeout=WAIT):
        """Waits for the signalled server to end; returns its exit code and stderr."""
        try:
            rc = self.srv.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("the server did not stop within %d s\n%s" % (timeout, self.srv.stderr()))
        _, err = self.srv.stop()
        self.assertIsNone(sanitizer_report(err), err)
        return rc, err

    def party(self):
        c = self.srv.client()
        st, _, js = c.req("POST", "/api/v1/parties", {"kind": "organization", "name": "Stop Co"})
        self.assertEqual(st, 201)
        c.close()
        return js["id"]

    def begin_upload(self, pid, name):
        """Sends the headers of a 5 MB document upload and waits for the server's
        "100 Continue" (so the request has begun there); returns the open socket."""
        s = socket.create_connection((self.srv.host, self.srv.port), timeout=WAIT)
        head = (
            "POST /api/v1/documents?record=party:%d HTTP/1.1\r\n"
            "Host: %s:%d\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/octet-stream\r\nX-Filename: %s\r\n"
            "Content-Length: %d\r\nExpect: 100-continue\r\n\r\n"
            % (pid, self.srv.host, self.srv.port, self.srv.token, name, UPLOAD)
        )
        s.sendall(head.encode())
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(1)
            self.assertTrue(chunk, "connection closed before 100 Continue: %r" % got)
            got += chunk
        self.assertTrue(got.startswith(b"HTTP/1.1 100"), got)
        return s

    def count(self, pattern, text):
        """The number in the log line that matches pattern (a request just answered
        may still count: its completion is noted after its last byte was sent)."""
        m = re.search(pattern, text)
        self.assertIsNotNone(m, text)
        return int(m.group(1))

    def draining(self):
        return "draining" in self.srv.stderr()

    def assert_refused(self):
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection((self.srv.host, self.srv.port), timeout=WAIT).close()

    def test_sigterm_lets_a_slow_upload_finish(self):
        self.start()
        pid = self.party()
        data = bytes(range(256)) * (UPLOAD // 256)
        up = self.begin_upload(pid, "slow.bin")
        up.sendall(data[: 1024 * 1024])
        # a keep-alive connection, idle during the stop
        idle = http.client.HTTPConnection(self.srv.host, self.srv.port, timeout=WAIT)
        idle.request("GET", "/healthz")
        self.assertEqual(idle.getresponse().read() and 200, 200)

        self.srv.proc.send_signal(signal.SIGTERM)
        wait_for(self.draining, "the 'draining' log line")
        self.assert_refused()
        # a request on a connection opened before the stop is answered, and the
        # connection closed after it
        idle.request("GET", "/readyz")
        r = idle.getresponse()
        raw = r.read()
        self.assertEqual(r.status, 503, raw)
        self.assertEqual(json.loads(raw), {"ready": False, "reason": "draining"})
        self.assertEqual(r.getheader("Connection", "").lower(), "close")
        idle.close()

        # the rest of the body over about two seconds
        rest = data[1024 * 1024 :]
        step = len(rest) // 8
        for i in range(0, len(rest), step):
            up.sendall(rest[i : i + step])
            time.sleep(0.25)
        resp = http.client.HTTPResponse(up)
        resp.begin()
        body = resp.read()
        up.close()
        self.assertEqual(resp.status, 201, body)
        doc = json.loads(body)
        self.assertEqual(resp.getheader("Connection", "").lower(), "close")

        rc, err = self.stop_rc()
        self.assertEqual(rc, 0, err)
        self.assertGreaterEqual(self.count(r"draining (\d+) requests", err), 1)
        self.assertIn("stopped cleanly in", err)

        # the document is there, byte for byte, after a restart
        self.start()
        c = self.srv.client()
        st, _, got = c.raw("GET", "/api/v1/documents/%d/content" % doc["id"])
        self.assertEqual(st, 200)
        self.assertEqual(hashlib.sha256(got).hexdigest(), hashlib.sha256(data).hexdigest())
        c.close()

    def test_a_stalled_upload_holds_the_stop_only_until_the_timeout(self):
        self.start("--shutdown-timeout", "1")
        up = self.begin_upload(self.party(), "stalled.bin")
        up.sendall(b"x" * 65536)  # and nothing more
        self.srv.proc.send_signal(signal.SIGTERM)
        rc, err = self.stop_rc()
        up.close()
        self.assertEqual(rc, 0, err)
        self.assertGreaterEqual(self.count(r"draining (\d+) requests", err), 1)
        self.assertGreaterEqual(self.count(r"stopping with (\d+) requests unfinished", err), 1)
        self.assertIn("stopped cleanly in", err)

    def test_a_second_signal_stops_at_once(self):
        self.start("--shutdown-timeout", "3600")
        up = self.begin_upload(self.party(), "stalled.bin")
        up.sendall(b"x" * 65536)
        self.srv.proc.send_signal(signal.SIGTERM)
        wait_for(self.draining, "the 'draining' log line")
        self.srv.proc.send_signal(signal.SIGINT)
        rc, err = self.stop_rc()
        up.close()
        self.assertEqual(rc, 0, err)
        self.assertIn("again: stopping now", err)
        self.assertIn("stopped cleanly in", err)

    def test_bad_shutdown_timeout_is_refused(self):
        r = run_cli(self.srv.binary, "serve", "--db", self.srv.db, "--listen", "127.0.0.1:0",
                    "--shutdown-timeout", "0")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--shutdown-timeout", r.stderr)


class TlsTest(unittest.TestCase):
    """One server with a self-signed certificate for 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.dir = cls.srv.workdir
        cls.cert = os.path.join(cls.dir, "cert.pem")
        cls.key = os.path.join(cls.dir, "key.pem")
        r = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
             "subjectAltName=IP:127.0.0.1", "-keyout", cls.key, "-out", cls.cert],
            capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            cls.srv.cleanup()
            raise RuntimeError("openssl req failed: " + r.stderr)
        cls.srv.init()
        cls.srv.start(extra_args=("--tls-cert", cls.cert, "--tls-key", cls.key))

    @classmethod
    def tearDownClass(cls):
        rc, err = cls.srv.stop()
        cls.srv.cleanup()
        if rc != 0 or sanitizer_report(err):
            raise AssertionError("server did not stop cleanly (%r):\n%s" % (rc, err))

    def https(self):
        ctx = ssl.create_default_context(cafile=self.cert)
        return http.client.HTTPSConnection(self.srv.host, self.srv.port, context=ctx,
                                           timeout=WAIT)

    def test_https_with_the_certificate(self):
        self.assertEqual(self.srv.scheme, "https")
        c = self.https()
        c.request("GET", "/healthz")
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.read())["status"], "ok")
        c.close()

    def test_login_cookie_is_secure(self):
        c = self.https()
        c.request("POST", "/api/v1/session",
                  json.dumps({"user": "admin", "password": ADMIN_PASSWORD}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        self.assertEqual(r.status, 201)
        attrs = [p.strip().lower() for p in r.getheader("Set-Cookie").split(";")]
        self.assertIn("secure", attrs)
        self.assertIn("httponly", attrs)
        c.close()

    def test_plain_http_gets_no_answer(self):
        c = http.client.HTTPConnection(self.srv.host, self.srv.port, timeout=WAIT)
        with self.assertRaises((http.client.HTTPException, OSError)):
            c.request("GET", "/healthz")
            c.getresponse().read()
        c.close()
        self.assertTrue(self.srv.alive())

    def test_a_missing_key_stops_the_start(self):
        missing = os.path.join(self.dir, "nokey.pem")
        r = run_cli(self.srv.binary, "serve", "--db", self.srv.db, "--listen", "127.0.0.1:0",
                    "--tls-cert", self.cert, "--tls-key", missing)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--tls-key: cannot read '%s'" % missing, r.stderr)
        self.assertNotIn("listening", r.stdout)
        r = run_cli(self.srv.binary, "serve", "--db", self.srv.db, "--listen", "127.0.0.1:0",
                    "--tls-cert", self.cert)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--tls-cert and --tls-key go together", r.stderr)
        r = run_cli(self.srv.binary, "serve", "--db", self.srv.db, "--listen", "127.0.0.1:0",
                    "--tls-cert", self.key, "--tls-key", self.cert)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("TLS", r.stderr)


if __name__ == "__main__":
    unittest.main()
