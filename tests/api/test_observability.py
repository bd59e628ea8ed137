"""Observability (issue 23): request ids, the JSON access log, a 500's cause
in the log, libmicrohttpd's own messages as JSON, GET /metrics (Prometheus
text format, checked by promtool), /healthz and /readyz.

One server for the whole class, with the access log on and TMPDIR pointing
at a directory the 500 test removes (an upload then cannot be spooled: a
real 500, no test-only switch).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from harness import PG_URL, ApiTestCase, Server


def log_lines(text):
    """The JSON lines of a server's stderr."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def samples(text):
    """{(name, frozenset(labels)): value} of a Prometheus text page."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        assert m, "not a sample line: %r" % line
        labels = frozenset(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        out[(m.group(1), labels)] = float(m.group(3))
    return out


class ObservabilityTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.spool = os.path.join(cls.server.workdir, "spool")
        os.mkdir(cls.spool)
        try:
            cls.server.init().start(["--access-log", "on"], env_extra={"TMPDIR": cls.spool})
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    def log_until(self, pred, what):
        """The first log line for which pred holds (the line is written as the answer is
        queued, so it may trail the response by a moment)."""
        for _ in range(50):
            for line in log_lines(self.server.stderr()):
                if pred(line):
                    return line
            time.sleep(0.05)
        self.fail("no log line %s in:\n%s" % (what, self.server.stderr()[-3000:]))

    def metrics(self):
        st, hdrs, raw = self.client.raw("GET", "/metrics", token=None)
        self.assertEqual(st, 200)
        self.assertTrue(hdrs["Content-Type"].startswith("text/plain; version=0.0.4"))
        return raw.decode()

    # -- request ids and the access log ------------------------------------

    def test_request_id_is_echoed_and_logged(self):
        rid = "obs-test.echo_1"
        st, hdrs, _ = self.client.raw("GET", "/api/v1/parties?limit=1&q=x",
                                      headers={"X-Request-Id": rid})
        self.assertEqual(st, 200)
        self.assertEqual(hdrs["X-Request-Id"], rid)
        line = self.log_until(lambda l: l.get("msg") == "request" and l.get("request_id") == rid,
                              "for request %s" % rid)
        self.assertEqual(line["level"], "info")
        self.assertEqual(line["method"], "GET")
        self.assertEqual(line["path"], "/api/v1/parties", "no query string in the log")
        self.assertEqual(line["route"], "/api/v1/parties")
        self.assertEqual(line["status"], 200)
        self.assertGreater(line["bytes"], 0)
        self.assertGreaterEqual(line["ms"], 0)
        self.assertEqual(line["client"], "127.0.0.1")
        self.assertIsInstance(line["user"], int)
        self.assertIn("time", line)

    def test_request_id_generated_or_replaced(self):
        for sent in (None, "bad id with spaces", "x" * 65, "a/b"):
            headers = {"X-Request-Id": sent} if sent else None
            st, hdrs, _ = self.client.raw("GET", "/healthz", headers=headers, token=None)
            got = hdrs["X-Request-Id"]
            self.assertRegex(got, r"^[0-9a-f]{16}$", "sent %r" % sent)
        _, h1, _ = self.client.raw("GET", "/healthz", token=None)
        _, h2, _ = self.client.raw("GET", "/healthz", token=None)
        self.assertNotEqual(h1["X-Request-Id"], h2["X-Request-Id"])

    def test_problem_carries_request_id(self):
        rid = "problem-id-42"
        st, hdrs, raw = self.client.raw("GET", "/api/v1/parties/999999999",
                                        headers={"X-Request-Id": rid})
        self.assertEqual(st, 404)
        body = json.loads(raw)
        self.assertEqual(body["request_id"], rid)
        self.assertEqual(body["code"], "not_found")
        line = self.log_until(lambda l: l.get("request_id") == rid and l.get("msg") == "request",
                              "for the 404")
        self.assertEqual(line["route"], "/api/v1/parties/{id}", "the pattern, not the path")
        # a path no route has: route "none"
        rid2 = "no-route-1"
        st, _, raw = self.client.raw("GET", "/api/v1/no-such-thing", headers={"X-Request-Id": rid2})
        self.assertEqual(st, 404)
        self.assertEqual(json.loads(raw)["request_id"], rid2)
        line = self.log_until(lambda l: l.get("request_id") == rid2 and l.get("msg") == "request",
                              "for the unrouted 404")
        self.assertEqual(line["route"], "none")

    def test_500_is_logged_with_its_cause(self):
        shutil.rmtree(self.spool)  # uploads can no longer be spooled
        try:
            rid = "five-hundred-1"
            st, _, raw = self.client.raw(
                "POST", "/api/v1/imports", body="name\nAcme\n",
                headers={"Content-Type": "text/csv", "X-Request-Id": rid})
            self.assertEqual(st, 500)
            body = json.loads(raw)
            self.assertEqual(body["request_id"], rid)
            line = self.log_until(
                lambda l: l.get("request_id") == rid and l.get("level") == "error",
                "at error for the 500")
            self.assertEqual(line["status"], 500)
            self.assertIn("temporary file", line["cause"])
            self.assertIn("rc", line)
        finally:
            os.mkdir(self.spool)

    def test_libmicrohttpd_message_is_json(self):
        # A header larger than a connection's memory: libmicrohttpd answers 431 itself and
        # says so in a message of its own.
        before = len(self.server.stderr())
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000
                      + b"\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        self.assertTrue(data.startswith(b"HTTP/1.1 431"), data[:100])
        for _ in range(50):
            new = self.server.stderr()[before:]
            mhd = [l for l in log_lines(new) if l.get("msg", "").startswith("libmicrohttpd: ")]
            if mhd:
                break
            time.sleep(0.05)
        self.assertTrue(mhd, "no libmicrohttpd line in:\n%s" % new)
        self.assertEqual(mhd[0]["level"], "warn")
        for line in new.splitlines():
            if line.strip():
                self.assertTrue(line.startswith("{"), "a line not JSON: %r" % line)

    # -- metrics ------------------------------------------------------------

    def test_metrics_pass_promtool(self):
        self.client.raw("GET", "/api/v1/parties?limit=1")
        self.client.raw("GET", "/index.html", token=None)
        text = self.metrics()
        promtool = shutil.which("promtool")
        if not promtool:
            self.skipTest("promtool missing (scripts/deps.sh test installs package prometheus)")
        r = subprocess.run([promtool, "check", "metrics"], input=text.encode(),
                           capture_output=True, timeout=60)
        # a format error fails it (rc 1), and so does a lint problem (rc 3)
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode() + text[:3000])

    def test_request_moves_its_counter(self):
        key = ("xrm_http_requests_total",
               frozenset({("route", "/api/v1/parties/{id}"), ("method", "GET"),
                          ("status", "404")}))
        before = samples(self.metrics()).get(key, 0)
        for _ in range(3):
            st, _, _ = self.client.raw("GET", "/api/v1/parties/888888888")
            self.assertEqual(st, 404)
        after = samples(self.metrics())
        self.assertEqual(after.get(key, 0), before + 3)
        names = {n for n, _ in after}
        for name in ("xrm_http_connections", "xrm_db_seconds_total", "xrm_db_statements_total",
                     "xrm_write_queue_depth", "xrm_response_cache_hits_total",
                     "xrm_response_cache_misses_total", "xrm_process_resident_memory_bytes",
                     "xrm_process_resident_anon_bytes", "xrm_build_info", "xrm_up",
                     "xrm_outbox_depth", "xrm_write_group_size_bucket",
                     "xrm_http_request_duration_seconds_bucket"):
            self.assertIn(name, names)
        self.assertEqual(after[("xrm_up", frozenset())], 1)
        self.assertGreater(after[("xrm_process_resident_memory_bytes", frozenset())], 0)
        self.assertGreater(after[("xrm_db_statements_total", frozenset())], 0)
        self.assertGreaterEqual(after[("xrm_http_connections", frozenset())], 1)

    def test_histogram_buckets_are_cumulative(self):
        self.client.raw("GET", "/api/v1/parties?limit=2")
        s = samples(self.metrics())
        route = ("route", "/api/v1/parties")
        buckets = sorted(
            ((float("inf") if dict(l)["le"] == "+Inf" else float(dict(l)["le"])), v)
            for (n, l), v in s.items()
            if n == "xrm_http_request_duration_seconds_bucket" and route in l)
        self.assertGreater(len(buckets), 5)
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts), "each bucket holds the ones below it")
        self.assertEqual(buckets[-1][0], float("inf"))
        count = s[("xrm_http_request_duration_seconds_count", frozenset({route}))]
        self.assertEqual(buckets[-1][1], count)

    def test_metrics_token(self):
        workdir = os.path.join(self.server.workdir, "second")
        os.makedirs(workdir, exist_ok=True)
        srv = Server(db=self.server.db, workdir=workdir)  # the same database, its own stderr
        srv.token = self.token
        srv.start(["--metrics-token", "s3cret-metrics"])
        try:
            c = srv.client(token=None)
            st, _, _ = c.raw("GET", "/metrics")
            self.assertEqual(st, 401)
            st, _, _ = c.raw("GET", "/metrics", headers={"Authorization": "Bearer wrong"})
            self.assertEqual(st, 401)
            st, _, raw = c.raw("GET", "/metrics",
                               headers={"Authorization": "Bearer s3cret-metrics"})
            self.assertEqual(st, 200)
            self.assertIn(b"xrm_up 1", raw)
            c.close()
        finally:
            rc, err = srv.stop()
            self.assertEqual(rc, 0, err[-3000:])

    # -- health -------------------------------------------------------------

    def test_readyz_and_healthz(self):
        js = self.ok("GET", "/readyz", token=None)
        self.assertEqual(js, {"ready": True})
        h = self.ok("GET", "/healthz", token=None)
        self.assertEqual(h["status"], "ok")
        self.assertEqual(h["checks"]["database"], "ok")
        self.assertNotIn("replica", h["checks"], "no replica configured")
        if PG_URL:
            self.assertEqual(h["checks"]["disk"], "n/a")
        else:
            self.assertEqual(h["checks"]["disk"], "ok")
            self.assertGreater(h["disk"]["free"], 0)
            self.assertGreaterEqual(h["disk"]["size"], h["disk"]["free"])


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_SH = os.path.join(ROOT, "scripts", "pg.sh")


@unittest.skipUnless(PG_URL, "a read replica needs PostgreSQL (run with XRM_TEST_PG_URL)")
class ReplicaHealthTest(unittest.TestCase):
    """/healthz names the replica's state; a replica gone away is "down": the
    status degraded, the answer still 200 (reads fall back to the primary).
    A primary and a streaming replica of its own (scripts/pg.sh)."""

    def pg(self, *args):
        r = subprocess.run(["sh", PG_SH, *args], capture_output=True, text=True, timeout=180)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout.strip()

    def health(self, client):
        st, _, raw = client.raw("GET", "/healthz", token=None)
        return st, json.loads(raw)

    def test_replica_down_is_degraded(self):
        tmp = tempfile.mkdtemp(prefix="xrm-obs-pg-")
        os.chmod(tmp, 0o755)  # the clusters run as user postgres when we are root
        primary, replica = os.path.join(tmp, "p"), os.path.join(tmp, "r")
        srv = None
        try:
            self.pg("start", primary)
            subprocess.run(["psql", "-X", "-q", "-d", self.pg("url", primary, "postgres"),
                            "-c", "CREATE DATABASE xrm"], check=True, capture_output=True)
            self.pg("start", replica, "replica-of", primary)
            workdir = os.path.join(tmp, "w")
            os.mkdir(workdir)
            srv = Server(db=self.pg("url", primary, "xrm"), workdir=workdir)
            srv.init().start(["--read-replica", self.pg("url", replica, "xrm")])
            c = srv.client(token=None)
            for _ in range(100):  # the replica replays the schema
                st, h = self.health(c)
                if h["checks"].get("replica") == "ok":
                    break
                time.sleep(0.1)
            self.assertEqual((st, h["status"], h["checks"]["replica"]), (200, "ok", "ok"))
            self.pg("stop", replica)
            for _ in range(100):  # the last probe's answer is kept for up to 2 s
                st, h = self.health(c)
                if h["checks"].get("replica") != "ok":
                    break
                time.sleep(0.1)
            self.assertEqual(st, 200, h)
            self.assertEqual(h["checks"]["replica"], "down")
            self.assertEqual(h["status"], "degraded")
            self.assertEqual(h["checks"]["disk"], "n/a")
            c.close()
        finally:
            if srv:
                rc, err = srv.stop()
                self.assertEqual(rc, 0, err[-3000:])
            for d in (replica, primary):
                if os.path.exists(d):
                    subprocess.run(["sh", PG_SH, "stop", d], capture_output=True, timeout=120)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
