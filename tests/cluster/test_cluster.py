"""Scale-out on PostgreSQL: two stateless `xrm serve` nodes on one primary,
reading from a streaming replica where the user cannot notice, behind haproxy.

Run by scripts/test-ops.sh after the blocks of docs/OPERATIONS.md set up what
the guide describes: the primary and the replica (XRM_CLUSTER_PRIMARY /
XRM_CLUSTER_REPLICA, server URLs; the password in HOME's .pgpass), the
database xrm with its admin, the two nodes (XRM_OPS_NODES "node1=PORT,...",
their pids in XRM_OPS_DIR/run/xrm-PORT.pid) and haproxy with TLS on
XRM_OPS_LB (its stats socket in XRM_OPS_DIR/run/haproxy/admin.sock, its
certificate in XRM_OPS_DIR/etc/haproxy/xrm.crt). It checks:
- a write through either node is visible through the other at once, to the
  writer and to another user (never an older version);
- right after a user's own write, that user's reads go to the primary; other
  reads are served by the replica;
- with writers running through haproxy, SIGKILL of one node loses no
  acknowledged write, and haproxy keeps serving through the other;
- GETs through haproxy in a loop lose none while one node is killed with
  SIGKILL and the other stopped with SIGTERM (haproxy retries them);
and prints the requests each node served and the reads the replica served.
"""

import glob
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api"))

from harness import ApiDocument, Client, find_bin, q, word  # noqa: E402

BIN = find_bin("XRM_RELEASE_BIN", "build/xrm")
PRIMARY = os.environ.get("XRM_CLUSTER_PRIMARY", "")
REPLICA = os.environ.get("XRM_CLUSTER_REPLICA", "")
DIR = os.environ.get("XRM_OPS_DIR", "")
NODES = [tuple(x.split("=")) for x in os.environ.get("XRM_OPS_NODES", "").split(",") if x]
LB_PORT = int(os.environ.get("XRM_OPS_LB", "0"))
DB = "xrm"
WRITERS = 6
KILL_AFTER = 2.0  # seconds of writing through haproxy before a node is killed
WRITE_FOR = 5.0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def xrm(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([BIN, *args], capture_output=True, text=True, env=e, timeout=120)
    if r.returncode != 0:
        raise RuntimeError("xrm %s: %s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def request(port, method, path, token=None, body=None):
    """One request on a fresh connection: (status, parsed body)."""
    c = Client("127.0.0.1", port, token)
    try:
        st, _, js = c.req(method, path, body)
        return st, js
    finally:
        c.close()


def wait_for(pred, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if pred():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def alive(pid):
    """The process runs (a zombie nobody reaped yet counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Node:
    """A node the guide started (its pid file and command line), restarted as it was."""

    def __init__(self, name, port):
        self.name = name
        self.port = int(port)
        self.proc = None
        self.pidfile = os.path.join(DIR, "run", "xrm-%d.pid" % self.port)
        self.starts = 0
        # Its log: the guide's start wrote T/log/xrm-PORT-*.log; each start of ours a new file.
        logs = sorted(glob.glob(os.path.join(DIR, "log", "xrm-%d-*.log" % self.port)))
        self.log = logs[-1] if logs else None
        with open(self.pidfile) as f:
            self.pid = int(f.read())
        with open("/proc/%d/cmdline" % self.pid, "rb") as f:
            self.argv = [a.decode() for a in f.read().split(b"\0")[:-1]]

    def start(self):
        self.starts += 1
        self.log = os.path.join(DIR, "log", "%s-%d.log" % (self.name, self.starts))
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        with open(self.pidfile, "w") as f:
            f.write("%d\n" % self.pid)  # for the script's clean-up if this one dies
        wait_for(lambda: request(self.port, "GET", "/healthz")[0] == 200,
                 what="node %s" % self.name)

    def stop(self, sig=signal.SIGTERM):
        """Signals the node and waits for it to exit; its exit code when known."""
        rc = None
        if self.proc:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
            rc = self.proc.wait(timeout=60)
        elif self.pid and alive(self.pid):
            os.kill(self.pid, sig)
            wait_for(lambda: not alive(self.pid), timeout=60, what="%s to exit" % self.name)
        self.proc, self.pid = None, 0
        return rc

    def client(self, token):
        return Client("127.0.0.1", self.port, token)

    def log_text(self):
        """What the node's last process logged."""
        with open(self.log, errors="replace") as f:
            return f.read()

    def reads(self):
        js = request(self.port, "GET", "/healthz")[1]
        return js["reads"]["primary"], js["reads"]["replica"]


class TLSClient(Client):
    """Client over HTTPS (haproxy terminates TLS with the guide's certificate)."""

    CTX = None

    def _connect(self):
        if TLSClient.CTX is None:
            TLSClient.CTX = ssl.create_default_context(
                cafile=os.path.join(DIR, "etc", "haproxy", "xrm.crt"))
            TLSClient.CTX.check_hostname = False
        import http.client
        self.conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                context=TLSClient.CTX)
        self.used = False


class Haproxy:
    """The haproxy the guide configured and started."""

    def __init__(self):
        self.port = LB_PORT
        self.sock = os.path.join(DIR, "run", "haproxy", "admin.sock")

    def client(self, token):
        return TLSClient("127.0.0.1", self.port, token)

    def stats(self):
        """{server name: (requests, status)} from the stats socket."""
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.sock)
        s.sendall(b"show stat\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        lines = data.decode().splitlines()
        head = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            row = dict(zip(head, line.split(",")))
            if row.get("pxname") == "xrm_nodes" and row.get("svname") not in ("BACKEND", None):
                out[row["svname"]] = (int(row.get("req_tot") or row.get("stot") or 0),
                                      row.get("status"))
        return out


@unittest.skipUnless(PRIMARY and REPLICA and DIR and NODES, "run by scripts/test-ops.sh")
class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The guide made the database, its admin, the nodes and haproxy.
        # lezer writes parties too (sales=write); kijker only reads.
        for u, access in (("lezer", "sales=write"), ("kijker", "sales=read")):
            xrm("user", "add", "--db", PRIMARY + "/" + DB, u, "--access", access,
                env={"XRM_PASSWORD": u + "-wachtwoord"})
        cls.admin = xrm("token", "create", "--db", PRIMARY + "/" + DB, "--user", "admin")
        cls.reader = xrm("token", "create", "--db", PRIMARY + "/" + DB, "--user", "lezer")
        cls.viewer = xrm("token", "create", "--db", PRIMARY + "/" + DB, "--user", "kijker")
        # The replica has the database once it has replayed its creation.
        wait_for(lambda: subprocess.run(
            ["psql", "-X", "-q", "-d", REPLICA + "/" + DB, "-c", "SELECT 1 FROM users"],
            capture_output=True).returncode == 0, what="the replica")
        cls.nodes = [Node(name, port) for name, port in NODES]
        ApiDocument.load("127.0.0.1", cls.nodes[0].port)  # request schemas, not through TLS
        cls.lb = Haproxy()
        cls.served = {}  # node name -> (requests through haproxy, reads primary, replica)

    @classmethod
    def tearDownClass(cls):
        cls.report()  # scripts/test-ops.sh stops the nodes and haproxy

    @classmethod
    def report(cls):
        try:
            stats = cls.lb.stats()
        except OSError:
            stats = {}
        print("\n%-8s %-8s %14s %16s %16s" % ("node", "status", "via haproxy", "reads primary",
                                            "reads replica"))
        total = [0, 0, 0]
        for n in cls.nodes:
            reqs, status = stats.get(n.name, (0, "?"))
            try:
                p, r = n.reads()
                if n.name in cls.served:  # restarted: add what it served before
                    p += cls.served[n.name][0]
                    r += cls.served[n.name][1]
            except (OSError, TypeError, KeyError):
                p, r = cls.served.get(n.name, (0, 0))
            total = [total[0] + reqs, total[1] + p, total[2] + r]
            print("%-8s %-8s %14d %16d %16d" % (n.name, status, reqs, p, r))
        print("%-8s %-8s %14d %16d %16d" % ("total", "", *total))
        sys.stdout.flush()

    def test_1_writes_visible_through_the_other_node(self):
        """Write through one node, read through the other at once: never stale."""
        a, b = self.nodes
        users = [(self.admin, "admin"), (self.reader, "lezer")]
        for i in range(60):
            wnode, rnode = (a, b) if i % 2 == 0 else (b, a)
            wtok = users[i % 2][0]
            rtok = users[(i // 2) % 2][0]  # the writer or the other user
            w = wnode.client(wtok)
            st, _, p = w.req("POST", "/api/v1/parties",
                             {"kind": "person", "family_name": "Zicht%d" % i})
            self.assertEqual(st, 201, p)
            st, _, p2 = w.req("PATCH", "/api/v1/parties/%d" % p["id"], {"tags": ["v2"]})
            self.assertEqual(st, 200, p2)
            r = rnode.client(rtok)
            st, _, got = r.req("GET", "/api/v1/parties/%d" % p["id"])
            self.assertEqual(st, 200, "party %d written via %s, read via %s" %
                             (p["id"], wnode.name, rnode.name))
            self.assertEqual(got["version"], p2["version"], "stale read via %s" % rnode.name)
            self.assertEqual(got["tags"], ["v2"])
            st, _, found = r.req("GET", "/api/v1/parties" + q(q="zicht%d" % i))
            self.assertEqual([x["id"] for x in found["items"]], [p["id"]])
            w.close()
            r.close()

    def test_2_own_writes_read_on_primary_others_on_replica(self):
        a = self.nodes[0]
        w = a.client(self.admin)
        st, _, p = w.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Eigen"})
        self.assertEqual(st, 201)
        time.sleep(0.2)  # even once the replica has it, the writer stays on the primary
        p0, r0 = a.reads()
        st, _, _ = w.req("GET", "/api/v1/parties/%d" % p["id"])
        self.assertEqual(st, 200)
        p1, r1 = a.reads()
        self.assertEqual((p1 - p0, r1 - r0), (1, 0), "the writer's next read is on the primary")
        # Another user's reads go to the replica (once it has replayed the write).
        rd = a.client(self.reader)
        for _ in range(50):
            st, _, got = rd.req("GET", "/api/v1/parties/%d" % p["id"])
            self.assertEqual(st, 200)
            if a.reads()[1] > r1:
                break
            time.sleep(0.01)
        self.assertGreater(a.reads()[1], r1, "no read of another user went to the replica")
        w.close()
        rd.close()

    def test_3_killing_a_node_loses_no_acknowledged_write(self):
        acked, errors = {}, []
        lock = threading.Lock()
        stop = threading.Event()
        tag = word()

        def writer(k):
            c = self.lb.client(self.admin if k % 2 else self.reader)
            i = 0
            while not stop.is_set():
                name = "Dood%s%d_%d" % (tag, k, i)
                try:
                    st, _, js = c.req("POST", "/api/v1/parties",
                                      {"kind": "person", "family_name": name})
                except OSError as e:  # in flight on the killed node: not acknowledged
                    errors.append(repr(e))
                    c.close()
                    continue
                if st == 201:
                    with lock:
                        acked[js["id"]] = name
                else:
                    errors.append(st)
                # A read right after the write, through haproxy (any node).
                try:
                    c.req("GET", "/api/v1/parties" + q(q="dood" + tag, limit="5"))
                except OSError:
                    c.close()
                i += 1
            c.close()

        views = {"ok": 0, "stale": 0}

        def viewer():
            """A user who only reads (through haproxy): the replica's share of the work."""
            c = self.lb.client(self.viewer)
            seen = 0
            while not stop.is_set():
                try:
                    st, _, js = c.req("GET", "/api/v1/parties" + q(q="dood" + tag, limit="1"))
                except OSError:
                    c.close()
                    continue
                if st == 200:
                    views["ok"] += 1
                    # Newest first: the newest id seen never goes back.
                    top = js["items"][0]["id"] if js["items"] else 0
                    if top < seen:
                        views["stale"] += 1
                    seen = max(seen, top)
            c.close()

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
        threads += [threading.Thread(target=viewer) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(KILL_AFTER)
        victim = self.nodes[0]
        ClusterTest.served[victim.name] = victim.reads()
        before = len(acked)
        victim.stop(signal.SIGKILL)
        killed_at = time.monotonic()
        time.sleep(WRITE_FOR - KILL_AFTER)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        after_kill = len(acked) - before
        print("\nwrites acknowledged: %d (%d after node1 was killed), failed in flight: %d;"
              " reads of a read-only user: %d" % (len(acked), after_kill, len(errors), views["ok"]))
        self.assertEqual(views["stale"], 0, "a reader saw older data than before")
        self.assertGreater(after_kill, 10, "haproxy kept serving after the kill")
        self.assertLess(len(errors), 50, errors[:10])
        # Every acknowledged write is there, through haproxy (the surviving node).
        c = self.lb.client(self.admin)
        for pid, name in sorted(acked.items()):
            st, _, js = c.req("GET", "/api/v1/parties/%d" % pid)
            self.assertEqual((st, js.get("family_name")), (200, name), "acknowledged %d" % pid)
        st, _, js = c.req("GET", "/api/v1/parties" + q(q="dood" + tag, limit="500"))
        found = {p["id"] for p in js["items"]}
        missing = set(acked) - found
        self.assertFalse(missing and len(acked) <= 500, "search misses %s" % sorted(missing)[:10])
        c.close()
        self.assertLess(time.monotonic() - killed_at, 60)
        # The killed node comes back and serves again.
        victim.start()
        wait_for(lambda: self.lb.stats().get(victim.name, (0, ""))[1] == "UP",
                 what="haproxy to see %s up" % victim.name)
        st, _ = request(victim.port, "GET", "/api/v1/parties" + q(limit="1"), self.reader)
        self.assertEqual(st, 200)


    def test_4_no_get_lost_when_a_node_dies_or_stops(self):
        """GETs through haproxy in a loop: none fails while node1 is killed
        (SIGKILL) and, once it is back, node2 stopped (SIGTERM)."""
        c = self.lb.client(self.admin)
        st, _, p = c.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Blijf"})
        self.assertEqual(st, 201)
        c.close()
        counts = {"ok": 0}
        failures = []
        lock = threading.Lock()
        stop = threading.Event()

        def reader(k):
            c = self.lb.client(self.viewer if k % 2 else self.reader)
            paths = ["/api/v1/parties" + q(limit="5"), "/api/v1/parties/%d" % p["id"]]
            i = 0
            while not stop.is_set():
                path = paths[i % 2]
                i += 1
                try:
                    st, _, _ = c.req("GET", path)
                except OSError as e:
                    c.close()
                    with lock:
                        failures.append("GET %s: %r" % (path, e))
                    continue
                with lock:
                    if st == 200:
                        counts["ok"] += 1
                    else:
                        failures.append("GET %s: %d" % (path, st))
            c.close()

        def up(node):
            wait_for(lambda: self.lb.stats().get(node.name, (0, ""))[1] == "UP", timeout=30,
                     what="haproxy to see %s up" % node.name)

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            first, second = self.nodes
            first.stop(signal.SIGKILL)
            killed = counts["ok"]
            time.sleep(3.0)  # haproxy marks it down after two failed checks (2 s apart)
            after_kill = counts["ok"] - killed
            first.start()
            up(first)
            time.sleep(0.5)
            rc = second.stop(signal.SIGTERM)
            term_log = second.log_text()
            stopped = counts["ok"]
            time.sleep(2.0)
            after_term = counts["ok"] - stopped
            second.start()
            up(second)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        print("\nGETs through haproxy: %d answered (%d in the 3 s after kill -9 of %s, %d after"
              " SIGTERM of %s), %d failed" % (counts["ok"], after_kill, first.name, after_term,
                                              second.name, len(failures)))
        self.assertEqual(failures, [], "GETs lost")
        self.assertIn(rc, (0, None), "exit status after SIGTERM")  # None: the guide started it
        self.assertIn("stopped cleanly", term_log, "SIGTERM is a graceful stop")
        self.assertGreater(after_kill, 10, "haproxy served after the kill")
        self.assertGreater(after_term, 10, "haproxy served after the SIGTERM")


if __name__ == "__main__":
    unittest.main(verbosity=2)
