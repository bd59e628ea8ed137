#!/usr/bin/env python3
"""Capability benchmarks (issue 24, decision 5: every new capability is measured).

Each scenario runs `build/xrm serve` on a fresh SQLite database of its own in
bench/work/caps/ (127.0.0.1 only, stopped at the end, also on failure or
Ctrl-C) and records, beside its rates and latencies, the server's CPU seconds
(utime + stime from /proc/PID/stat) per phase and its peak RssAnon (sampled
every 0.1 s from /proc/PID/status; file pages mapped from the database are
not in it, see issue 24 decision 1):

  invoices  create + issue an invoice, render its PDF and its UBL, one client
            and 2, 4 and 8 concurrent clients
  orgchart  10,000 employees (bulk import, level by level so each line names
            its manager) in 110 departments; GET /api/v1/org-chart (the web
            app's org chart) and GET /api/v1/departments/{id}
  campaign  100,000 recipients (bulk import), a campaign to all of them, sent
            by the server's outbox into a local SMTP sink (asyncio, below)
  carddav   10,000 cards: a full sync (sync-collection + addressbook-multiget)
            and an incremental one after 100 changes; `vdirsyncer sync` too
            when it is installed
  webhooks  a receiver (http.server in a thread), a hook on party.created,
            N party writes: deliveries/s and delivery latency

The import scenario is bench/import.sh (make bench-import).

Usage: bench/capabilities.py [--smoke] [--only NAME[,NAME]] [--report-only]
Each scenario leaves bench/work/caps/<name>.json; the report
bench/results/<date>-capabilities[-smoke].md is made from the JSON files
present, so a scenario can be run again on its own.
"""

import argparse
import asyncio
import base64
import datetime
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
XRM = os.path.join(ROOT, "build", "xrm")
WORK = os.path.join(BENCH, "work", "caps")
ADMIN_PASSWORD = "bench-caps-2026"
D = "{DAV:}"
CLK_TCK = os.sysconf("SC_CLK_TCK")

SIZES = {
    "full": {"invoices_seq": 300, "invoices_conc": 400, "conc": (2, 4, 8),
             "employees": 10000, "orgchart_gets": 20, "recipients": 100000,
             "cards": 10000, "card_changes": 100, "hooks": 2000,
             "hooks_paced": 600, "hooks_rate": 20},
    "smoke": {"invoices_seq": 5, "invoices_conc": 8, "conc": (2, 4),
              "employees": 200, "orgchart_gets": 3, "recipients": 50,
              "cards": 60, "card_changes": 5, "hooks": 20,
              "hooks_paced": 10, "hooks_rate": 20},
}

PROCS = []  # every process this script started, stopped by cleanup()


def log(msg):
    print("[caps %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def pct(values, p):
    """The p-th percentile (nearest rank) of values, or None."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]


def lat_summary(secs):
    ms = [s * 1000 for s in secs]
    return {"n": len(ms), "p50_ms": pct(ms, 50), "p90_ms": pct(ms, 90), "p99_ms": pct(ms, 99),
            "max_ms": max(ms) if ms else None}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cleanup():
    for p in reversed(PROCS):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    PROCS.clear()


def on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


# ------------------------------------------------------------------ the server

class Server:
    """`xrm serve` on 127.0.0.1:0 with a fresh database in directory d."""

    def __init__(self, d, env=None, extra=()):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        self.dir = d
        self.db = os.path.join(d, "xrm.db")
        environ = dict(os.environ, XRM_ADMIN_PASSWORD=ADMIN_PASSWORD,
                       XRM_AUTOMATION_INTERVAL="0", **(env or {}))
        subprocess.run([XRM, "init", "--db", self.db], env=environ, check=True,
                       stdout=subprocess.DEVNULL)
        self.token = subprocess.run(
            [XRM, "token", "create", "--db", self.db, "--user", "admin"], env=environ,
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        self.log = open(os.path.join(d, "serve.log"), "wb")
        self.proc = subprocess.Popen([XRM, "serve", "--db", self.db, "--listen", "127.0.0.1:0",
                                      *extra], stdout=subprocess.PIPE, stderr=self.log,
                                     env=environ)
        PROCS.append(self.proc)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on http://([^:\s]+):(\d+)", line)
        if not m:
            raise RuntimeError("xrm serve did not start: %r; see %s" % (line, self.log.name))
        self.host, self.port = m.group(1), int(m.group(2))
        self.pid = self.proc.pid
        self.peak_anon_kb = 0
        self._stop_sampler = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self):
        while not self._stop_sampler.is_set():
            self.peak_anon_kb = max(self.peak_anon_kb, self.status_kb("RssAnon"))
            self._stop_sampler.wait(0.1)

    def status_kb(self, field):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def cpu(self):
        """utime + stime of the server in seconds."""
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def memory(self):
        return {"peak_rss_anon_mb": round(self.peak_anon_kb / 1024, 1),
                "rss_file_mb": round(self.status_kb("RssFile") / 1024, 1),
                "vm_hwm_mb": round(self.status_kb("VmHWM") / 1024, 1)}

    def client(self):
        return Client(self.host, self.port, self.token)

    def stop(self):
        self._stop_sampler.set()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc in PROCS:
            PROCS.remove(self.proc)
        self.proc.stdout.close()
        self.log.close()


class Client:
    """One keep-alive HTTP/1.1 connection with the bearer token."""

    def __init__(self, host, port, token, auth=None):
        self.host, self.port = host, port
        self.auth = auth or "Bearer " + token
        self.conn = http.client.HTTPConnection(host, port, timeout=600)

    def req(self, method, path, body=None, ctype="application/json", headers=None):
        h = {"Authorization": self.auth}
        if body is not None:
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            if isinstance(body, str):
                body = body.encode()
            h["Content-Type"] = ctype
        h.update(headers or {})
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
                if attempt:
                    raise

    def ok(self, method, path, body=None, status=(200, 201, 204), **kw):
        st, data = self.req(method, path, body, **kw)
        if st not in ((status,) if isinstance(status, int) else status):
            raise RuntimeError("%s %s: %d %s" % (method, path, st, data[:500]))
        return json.loads(data) if data and data[:1] in (b"{", b"[") else data

    def close(self):
        self.conn.close()


def bulk_import(c, lines, batch=2000):
    """POSTs party lines to the bulk path; the new ids in order, and the parties/s."""
    ids = []
    t0 = time.perf_counter()
    for i in range(0, len(lines), batch):
        body = "".join(json.dumps(x) + "\n" for x in lines[i:i + batch])
        out = c.ok("POST", "/api/v1/import/parties", body, ctype="application/x-ndjson")
        ids += out["ids"]
    secs = time.perf_counter() - t0
    return ids, len(lines) / secs if secs else 0


GIVEN = ["Jan", "Anna", "Pieter", "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess",
         "Bram", "Fleur", "Ruben", "Lotte", "Thijs", "Noor", "Jesse", "Eva", "Lars", "Iris"]
FAMILY = ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
          "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
          "Hendriks", "van Leeuwen", "Dekker", "Brouwer"]
CITIES = [("Utrecht", "3511"), ("Amsterdam", "1012"), ("Rotterdam", "3011"), ("Den Haag", "2511"),
          ("Groningen", "9711"), ("Zwolle", "8011"), ("Arnhem", "6811"), ("Breda", "4811")]


def person(i, tag=None, roles=None, address=False):
    given, family = GIVEN[i % 20], FAMILY[(i // 20) % 20]
    p = {"kind": "person", "given_name": given, "family_name": "%s %d" % (family, i),
         "emails": [{"label": "work", "value": "p%d@example.test" % i}],
         "phones": [{"label": "mobile", "value": "06 %08d" % (10000000 + i)}]}
    if address:
        city, pc = CITIES[i % len(CITIES)]
        p["addresses"] = [{"label": "home", "street": "Dorpsstraat",
                           "house_number": str(1 + i % 300),
                           "postcode": "%s AB" % pc, "city": city, "country": "NL"}]
    if tag:
        p["tags"] = [tag]
    if roles:
        p["roles"] = roles
    return p


def cpu_delta(srv, t0cpu):
    return round(srv.cpu() - t0cpu, 2)


def run_clients(n_clients, total, make_client, work):
    """Runs work(client, i) for i in range(total) over n_clients threads;
    (wall seconds, [per-call result])."""
    results = [None] * total
    errors = []
    nxt = [0]
    lock = threading.Lock()

    def worker():
        c = make_client()
        try:
            while True:
                with lock:
                    i = nxt[0]
                    nxt[0] += 1
                if i >= total:
                    return
                results[i] = work(c, i)
        except Exception as e:  # noqa: BLE001 -- reported below
            errors.append(e)
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(n_clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise errors[0]
    return wall, results


# ------------------------------------------------------------------ 1. invoices

# The company and the invoice lines of the billing tests (tests/api/billing_base.py):
# the EN 16931 checks and the PDF layout are exercised on the same data.
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
from billing_base import COMPANY, LINES  # noqa: E402


def scenario_invoices(sz):
    srv = Server(os.path.join(WORK, "invoices"))
    try:
        c = srv.client()
        c.ok("PUT", "/api/v1/settings/company", COMPANY)
        total = sz["invoices_seq"] + sz["invoices_conc"] * len(sz["conc"])
        parties, _ = bulk_import(c, [person(i, address=True) for i in range(total)])
        res = {"rows": []}

        def one(cl, pid):
            t0 = time.perf_counter()
            inv = cl.ok("POST", "/api/v1/invoices", {"party": pid, "lines": LINES}, 201)
            out = cl.ok("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 200)
            t1 = time.perf_counter()
            st, pdf = cl.req("GET", "/api/v1/invoices/%d.pdf" % inv["id"])
            t2 = time.perf_counter()
            st2, xml = cl.req("GET", "/api/v1/invoices/%d.xml" % inv["id"])
            t3 = time.perf_counter()
            if st != 200 or not pdf.startswith(b"%PDF") or st2 != 200 \
                    or out["number"].encode() not in xml:
                raise RuntimeError("invoice %d: pdf %d, xml %d" % (inv["id"], st, st2))
            return (t1 - t0, t2 - t1, t3 - t2, len(pdf), len(xml))

        # one client, then 2, 4 and 8 at once, each on customers of its own
        used = 0
        phases = [(1, sz["invoices_seq"])] + [(k, sz["invoices_conc"]) for k in sz["conc"]]
        for clients, n in phases:
            mine = parties[used:used + n]
            used += n
            la = loadavg()
            cpu0 = srv.cpu()
            wall, rs = run_clients(clients, n, srv.client, lambda cl, i: one(cl, mine[i]))
            cpu = srv.cpu() - cpu0
            issue = [r[0] for r in rs]
            pdf = [r[1] for r in rs]
            ubl = [r[2] for r in rs]
            res["rows"].append({
                "clients": clients, "invoices": n, "wall_s": round(wall, 2), "loadavg": la,
                "cycles_per_s": n / wall,
                "issue": lat_summary(issue), "pdf": lat_summary(pdf), "ubl": lat_summary(ubl),
                # the rate of each step if it ran alone at this concurrency:
                # requests over the time the clients spent in it
                "issue_per_s": n * clients / sum(issue), "pdf_per_s": n * clients / sum(pdf),
                "ubl_per_s": n * clients / sum(ubl),
                "cpu_s": round(cpu, 2), "cpu_ms_per_invoice": cpu / n * 1000,
                "pdf_bytes": statistics.median(r[3] for r in rs),
                "ubl_bytes": statistics.median(r[4] for r in rs)})
            log("invoices, %d client(s): %d in %.1f s" % (clients, n, wall))
        # PDF and UBL alone (already issued invoices, re-rendered), 1 and 4 clients
        issued = c.ok("GET", "/api/v1/invoices?limit=200")["items"]
        ids = [x["id"] for x in issued if x.get("number")]
        for ext in ("pdf", "xml"):
            for clients in (1, 4):
                reps = max(len(ids), 1) * (1 if sz is SIZES["smoke"] else 2)
                la = loadavg()
                cpu0 = srv.cpu()

                def get(cl, i, ext=ext):
                    t0 = time.perf_counter()
                    st, _ = cl.req("GET", "/api/v1/invoices/%d.%s" % (ids[i % len(ids)], ext))
                    if st != 200:
                        raise RuntimeError("GET %s: %d" % (ext, st))
                    return time.perf_counter() - t0
                wall, rs = run_clients(clients, reps, srv.client, get)
                res.setdefault("render", []).append({
                    "what": "PDF" if ext == "pdf" else "UBL", "clients": clients, "n": reps,
                    "per_s": reps / wall, "lat": lat_summary(rs), "loadavg": la,
                    "cpu_ms_each": (srv.cpu() - cpu0) / reps * 1000})
        res["memory"] = srv.memory()
        return res
    finally:
        srv.stop()


# ------------------------------------------------------------------ 2. org chart

def scenario_orgchart(sz):
    srv = Server(os.path.join(WORK, "orgchart"))
    try:
        c = srv.client()
        n = sz["employees"]
        cpu0 = srv.cpu()
        t0 = time.perf_counter()
        tops = [c.ok("POST", "/api/v1/departments", {"name": "Divisie %d" % i}, 201)["id"]
                for i in range(10)]
        subs = [c.ok("POST", "/api/v1/departments",
                     {"name": "Afdeling %d" % j, "parent": tops[j // 10]}, 201)["id"]
                for j in range(100)]
        dept_secs = time.perf_counter() - t0
        # levels: 1 director, 10 division heads, 100 team leads, the rest in
        # two levels below them (about 10 and the remainder)
        sizes = [1, 10, 100]
        rest = n - sum(sizes)
        l3 = min(1000, rest // 10) if rest > 0 else 0
        sizes += [l3, rest - l3]
        levels = []
        k = 0
        t0 = time.perf_counter()
        imported = 0
        for lv, count in enumerate(sizes):
            lines = []
            for i in range(count):
                attrs = {"job_title": ["directeur", "divisiehoofd", "teamleider", "senior",
                                       "medewerker"][lv]}
                if lv == 0:
                    attrs["department"] = tops[0]
                elif lv == 1:
                    attrs["department"] = tops[i]
                    attrs["manager"] = levels[0][0]
                elif lv == 2:
                    attrs["department"] = subs[i]
                    attrs["manager"] = levels[1][i // 10]
                else:
                    above = levels[lv - 1]
                    boss = i % len(above)
                    attrs["department"] = subs[boss % 100]
                    attrs["manager"] = above[boss]
                lines.append(person(k, roles=[{"type": "employee", "status": "active",
                                               "attributes": attrs}]))
                k += 1
            ids, _ = bulk_import(c, lines) if lines else ([], 0)
            levels.append(ids)
            imported += len(ids)
        import_secs = time.perf_counter() - t0
        for i, d in enumerate(tops):
            c.ok("PATCH", "/api/v1/departments/%d" % d, {"manager": levels[1][i]})
        for j, d in enumerate(subs):
            c.ok("PATCH", "/api/v1/departments/%d" % d, {"manager": levels[2][j]})
        load_cpu = srv.cpu() - cpu0
        res = {"employees": imported, "departments": len(tops) + len(subs),
               "dept_create_s": round(dept_secs, 2), "import_s": round(import_secs, 2),
               "import_per_s": imported / import_secs, "load_cpu_s": round(load_cpu, 2),
               "levels": sizes, "rows": []}
        log("orgchart: %d employees imported in %.1f s" % (imported, import_secs))
        chart = c.ok("GET", "/api/v1/org-chart")
        placed = 0

        def count(node):
            return len(node["members"]) + sum(count(ch) for ch in node["children"])
        placed = sum(count(x) for x in chart["items"])
        res["chart_members"] = placed
        res["chart_unplaced"] = len(chart["unplaced"])
        for what, path in (("whole org chart", "/api/v1/org-chart"),
                           ("a division's record (no subtree route)",
                            "/api/v1/departments/%d" % tops[3]),
                           ("a team's record (no subtree route)",
                            "/api/v1/departments/%d" % subs[42]),
                           ("department list", "/api/v1/departments")):
            lat = []
            la = loadavg()
            cpu0 = srv.cpu()
            size = 0
            for _ in range(sz["orgchart_gets"]):
                t0 = time.perf_counter()
                st, body = c.req("GET", path)
                lat.append(time.perf_counter() - t0)
                if st != 200:
                    raise RuntimeError("GET %s: %d" % (path, st))
                size = len(body)
            res["rows"].append({"what": what, "path": path, "bytes": size, "lat": lat_summary(lat),
                                "per_s": len(lat) / sum(lat), "loadavg": la,
                                "cpu_ms_each": (srv.cpu() - cpu0) / len(lat) * 1000})
        res["memory"] = srv.memory()
        return res
    finally:
        srv.stop()


# ------------------------------------------------------------------ 3. campaign

class SinkProtocol(asyncio.Protocol):
    """A minimal SMTP receiver (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA,
    RSET, NOOP, QUIT) that counts the messages it accepts and drops them."""

    stats = {"messages": 0, "bytes": 0, "first": 0.0, "last": 0.0, "connections": 0}

    def connection_made(self, transport):
        self.t = transport
        self.buf = b""
        self.data = None
        SinkProtocol.stats["connections"] += 1
        self.t.write(b"220 bench-sink ESMTP\r\n")

    def data_received(self, chunk):
        self.buf += chunk
        while True:
            if self.data is not None:
                end = self.buf.find(b"\r\n.\r\n")
                if end < 0:
                    if self.buf.startswith(b".\r\n"):
                        end = -2
                    else:
                        return
                n = end + 2 if end >= 0 else 0
                self.data += n
                self.buf = self.buf[end + 5:] if end >= 0 else self.buf[3:]
                s = SinkProtocol.stats
                now = time.time()
                s["messages"] += 1
                s["bytes"] += self.data
                s["first"] = s["first"] or now
                s["last"] = now
                self.data = None
                self.t.write(b"250 2.0.0 queued\r\n")
                continue
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                return
            line, self.buf = self.buf[:nl], self.buf[nl + 2:]
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.t.write(b"250-bench-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                             b"250 SIZE 52428800\r\n")
            elif verb == b"HELO":
                self.t.write(b"250 bench-sink\r\n")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.t.write(b"250 2.1.0 ok\r\n")
            elif verb == b"DATA":
                self.data = 0
                self.t.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.t.write(b"221 bye\r\n")
                self.t.close()
                return
            else:
                self.t.write(b"502 5.5.2 not implemented\r\n")


def smtp_sink_main(status_path):
    """The sink process: prints its port, writes its counts to status_path every 0.2 s."""
    async def run():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(SinkProtocol, "127.0.0.1", 0)
        print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
        while True:
            await asyncio.sleep(0.2)
            tmp = status_path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(SinkProtocol.stats, f)
            os.replace(tmp, status_path)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    asyncio.run(run())


class Sink:
    def __init__(self, d):
        self.status = os.path.join(d, "sink.json")
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--smtp-sink",
                                      self.status], stdout=subprocess.PIPE, text=True)
        PROCS.append(self.proc)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            raise RuntimeError("SMTP sink did not start: %r" % line)
        self.port = int(line.split()[1])

    def stats(self):
        try:
            with open(self.status) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {"messages": 0, "bytes": 0, "first": 0, "last": 0, "connections": 0}

    def cpu(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)
        if self.proc in PROCS:
            PROCS.remove(self.proc)
        self.proc.stdout.close()


def scenario_campaign(sz):
    d = os.path.join(WORK, "campaign")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    sink = Sink(d)
    srv = None
    try:
        # the server's directory is made by Server(); the sink's status file lives beside it
        srv = Server(os.path.join(d, "server"), env={
            "XRM_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port,
            "XRM_MAIL_FROM": "nieuws@example.test", "XRM_PUBLIC_URL": "https://crm.example.test"})
        c = srv.client()
        n = sz["recipients"]
        cust = [{"type": "customer", "status": "active"}]
        t0 = time.perf_counter()
        _, import_rate = bulk_import(c, [person(i, tag="nieuwsbrief", roles=cust)
                                         for i in range(n)])
        log("campaign: %d recipients imported at %.0f/s" % (n, import_rate))
        seg = c.ok("POST", "/api/v1/segments", {"name": "Nieuwsbrief december",
                                                 "query": "tag:nieuwsbrief"}, 201)["id"]
        camp = c.ok("POST", "/api/v1/campaigns", {
            "name": "Decembernieuws", "segment": seg, "domain": "sales",
            "subject": "Nieuws voor {{name}} - één keer per maand",
            "body": "{{salutation}}\n\nHet nieuws van december, {{first_name}}.\n\n"
                    "Afmelden: {{unsubscribe_url}}\n"}, 201)
        la = loadavg()
        cpu0 = srv.cpu()
        sink_cpu0 = sink.cpu()
        t0 = time.perf_counter()
        wall0 = time.time()
        sent = c.ok("POST", "/api/v1/campaigns/%d/send" % camp["id"], None, 200)
        send_req_s = time.perf_counter() - t0
        cpu_send = srv.cpu() - cpu0
        log("campaign: send answered in %.1f s (sent %s, skipped %s)"
            % (send_req_s, sent.get("sent"), sent.get("skipped")))
        want = sent["sent"]
        rss_samples = []
        last_change, last_n = time.perf_counter(), -1
        while True:
            st = sink.stats()
            rss_samples.append(srv.status_kb("RssAnon"))
            if st["messages"] >= want:
                break
            if st["messages"] != last_n:
                last_n, last_change = st["messages"], time.perf_counter()
            elif time.perf_counter() - last_change > 120:
                raise RuntimeError("campaign: the sink stopped at %d of %d" % (last_n, want))
            time.sleep(0.5)
        st = sink.stats()
        total_s = st["last"] - wall0
        cpu = srv.cpu() - cpu0
        report = c.ok("GET", "/api/v1/campaigns/%d" % camp["id"])["report"]
        return {"recipients": n, "import_per_s": import_rate, "sent": want,
                "skipped": sent.get("skipped"), "send_request_s": round(send_req_s, 2),
                "send_request_cpu_s": round(cpu_send, 2),
                "delivered": st["messages"], "sink_connections": st["connections"],
                "mean_message_bytes": st["bytes"] / max(st["messages"], 1),
                "deliver_s": round(st["last"] - st["first"], 1), "total_s": round(total_s, 1),
                "messages_per_s": want / total_s if total_s else None,
                "delivery_phase_per_s": (want - 1) / (st["last"] - st["first"])
                if st["last"] > st["first"] else None,
                "cpu_s": round(cpu, 1), "cpu_ms_per_message": cpu / max(want, 1) * 1000,
                "sink_cpu_s": round(sink.cpu() - sink_cpu0, 1), "loadavg_start": la,
                "loadavg_end": loadavg(), "report": report,
                "rss_anon_mb_during": {"median": statistics.median(rss_samples) / 1024,
                                       "max": max(rss_samples) / 1024},
                "memory": srv.memory()}
    finally:
        if srv:
            srv.stop()
        sink.stop()


# ------------------------------------------------------------------ 4. CardDAV

PROP_ETAG = (b'<?xml version="1.0" encoding="utf-8"?>'
             b'<d:sync-collection xmlns:d="DAV:"><d:sync-token>%s</d:sync-token>'
             b'<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>')


def multiget_body(hrefs):
    parts = [b'<?xml version="1.0" encoding="utf-8"?>'
             b'<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
             b'<d:prop><d:getetag/><c:address-data/></d:prop>']
    for h in hrefs:
        parts.append(b"<d:href>%s</d:href>" % h.encode())
    parts.append(b"</c:addressbook-multiget>")
    return b"".join(parts)


def dav_sync(dc, coll, token, batch=500):
    """sync-collection from token (b"" for the first), then addressbook-multiget of the
    changed cards in batches; (new token, cards fetched, deleted, requests, bytes)."""
    st, data = dc.req("REPORT", coll, PROP_ETAG % token, ctype="application/xml",
                      headers={"Depth": "1"})
    if st != 207:
        raise RuntimeError("sync-collection: %d %s" % (st, data[:300]))
    root = ET.fromstring(data)
    hrefs, deleted = [], 0
    for r in root.findall(D + "response"):
        href = r.find(D + "href").text
        status = r.find(D + "status")
        if status is not None and "404" in status.text:
            deleted += 1
        elif href.endswith(".vcf"):
            hrefs.append(href)
    new_token = root.find(D + "sync-token").text.encode()
    nbytes, reqs, cards = len(data), 1, 0
    for i in range(0, len(hrefs), batch):
        st, data = dc.req("REPORT", coll, multiget_body(hrefs[i:i + batch]),
                          ctype="application/xml", headers={"Depth": "1"})
        if st != 207:
            raise RuntimeError("multiget: %d %s" % (st, data[:300]))
        cards += data.count(b"BEGIN:VCARD")
        nbytes += len(data)
        reqs += 1
    return new_token, cards, deleted, reqs, nbytes


def vdirsyncer_conf(d, srv):
    os.makedirs(os.path.join(d, "contacts"))
    os.makedirs(os.path.join(d, "status"))
    conf = os.path.join(d, "vdirsyncer.conf")
    with open(conf, "w") as f:
        f.write('[general]\nstatus_path = "%s/status/"\n\n'
                '[pair xrm]\na = "xrm_local"\nb = "xrm_remote"\ncollections = ["all"]\n'
                'conflict_resolution = "b wins"\nmetadata = []\n\n'
                '[storage xrm_local]\ntype = "filesystem"\npath = "%s/contacts/"\n'
                'fileext = ".vcf"\n\n'
                '[storage xrm_remote]\ntype = "carddav"\nurl = "http://%s:%d/dav/"\n'
                'username = "admin"\npassword = "%s"\n'
                % (d, d, srv.host, srv.port, ADMIN_PASSWORD))
    return conf


def vdirsyncer(conf, d, *args):
    t0 = time.perf_counter()
    r = subprocess.run(["vdirsyncer", "-c", conf, *args], input="y\n" * 20, capture_output=True,
                       text=True, timeout=3600, env=dict(os.environ, HOME=d))
    if r.returncode != 0:
        raise RuntimeError("vdirsyncer %s: %s %s" % (args, r.stdout[-2000:], r.stderr[-2000:]))
    return time.perf_counter() - t0


def scenario_carddav(sz):
    srv = Server(os.path.join(WORK, "carddav"))
    try:
        c = srv.client()
        n, changes = sz["cards"], sz["card_changes"]
        ids, _ = bulk_import(c, [person(i, address=True, roles=[{"type": "customer",
                                                                  "status": "active"}])
                                 for i in range(n)])
        auth = "Basic " + base64.b64encode(("admin:" + ADMIN_PASSWORD).encode()).decode()
        dc = Client(srv.host, srv.port, None, auth=auth)
        coll = "/dav/addressbooks/admin/all/"
        res = {"cards": n, "changes": changes, "rows": []}

        def timed(what, token):
            la = loadavg()
            cpu0 = srv.cpu()
            t0 = time.perf_counter()
            tok, cards, deleted, reqs, nbytes = dav_sync(dc, coll, token)
            secs = time.perf_counter() - t0
            res["rows"].append({"what": what, "cards": cards, "requests": reqs,
                                "bytes": nbytes, "secs": secs,
                                "cards_per_s": cards / secs, "loadavg": la,
                                "cpu_s": round(srv.cpu() - cpu0, 2)})
            log("carddav %s: %d cards in %.2f s" % (what, cards, secs))
            return tok

        tok = timed("initial full sync", b"")
        step = max(1, n // changes)
        for k in range(changes):
            c.ok("PATCH", "/api/v1/parties/%d" % ids[k * step],
                 {"phones": [{"label": "mobile", "value": "06 %08d" % (20000000 + k)}]})
        tok = timed("incremental sync after %d changes" % changes, tok)
        timed("incremental sync, nothing changed", tok)
        if shutil.which("vdirsyncer"):
            vd = os.path.join(WORK, "carddav", "vdir")
            conf = vdirsyncer_conf(vd, srv)
            vdirsyncer(conf, vd, "discover")
            for what in ("vdirsyncer sync, first", "vdirsyncer sync after %d changes" % changes):
                if what.startswith("vdirsyncer sync after"):
                    for k in range(changes):
                        c.ok("PATCH", "/api/v1/parties/%d" % ids[k * step + 1],
                             {"phones": [{"label": "mobile",
                                          "value": "06 %08d" % (30000000 + k)}]})
                la = loadavg()
                cpu0 = srv.cpu()
                secs = vdirsyncer(conf, vd, "sync")
                files = len(os.listdir(os.path.join(vd, "contacts", "all")))
                cards = files if "first" in what else changes
                res["rows"].append({"what": what, "cards": cards, "files": files,
                                    "secs": secs, "cards_per_s": cards / secs, "loadavg": la,
                                    "cpu_s": round(srv.cpu() - cpu0, 2)})
                log("carddav %s: %.1f s, %d files" % (what, secs, files))
        else:
            res["vdirsyncer"] = "not installed"
        dc.close()
        res["memory"] = srv.memory()
        return res
    finally:
        srv.stop()


# ------------------------------------------------------------------ 5. webhooks

def scenario_webhooks(sz):
    arrivals = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            now = time.perf_counter()
            try:
                ev = json.loads(body)
                key = ev.get("data", {}).get("id") or ev.get("id")
            except ValueError:
                key = None
            with lock:
                arrivals.setdefault(key, now)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    rx = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rx.daemon_threads = True
    rt = threading.Thread(target=rx.serve_forever, daemon=True)
    rt.start()
    srv = Server(os.path.join(WORK, "webhooks"))
    try:
        c = srv.client()
        hook = c.ok("POST", "/api/v1/webhooks", {
            "url": "http://127.0.0.1:%d/hooks/bench" % rx.server_address[1],
            "events": ["party.created"], "domains": []}, 201)
        res = {"rows": []}
        base = [0]

        def burst(n, rate=None):
            """n parties created one after the other (at rate per second when given);
            waits for every delivery."""
            sent = {}
            la = loadavg()
            cpu0 = srv.cpu()
            t0 = time.perf_counter()
            for i in range(n):
                if rate:
                    wait = t0 + i / rate - time.perf_counter()
                    if wait > 0:
                        time.sleep(wait)
                ts = time.perf_counter()
                p = c.ok("POST", "/api/v1/parties", person(base[0] + i), 201)
                sent[p["id"]] = ts
            base[0] += n
            writes_s = time.perf_counter() - t0
            deadline = time.perf_counter() + 600
            while True:
                with lock:
                    got = sum(1 for k in sent if k in arrivals)
                if got >= n or time.perf_counter() > deadline:
                    break
                time.sleep(0.05)
            if got < n:
                sample = next(iter(arrivals), None)
                raise RuntimeError("webhooks: %d of %d deliveries matched (a key: %r)"
                                   % (got, n, sample))
            with lock:
                lat = [arrivals[k] - sent[k] for k in sent]
                last = max(arrivals[k] for k in sent)
            total = last - t0
            cpu = srv.cpu() - cpu0
            res["rows"].append({
                "writes": n, "paced_per_s": rate, "writes_s": round(writes_s, 2),
                "writes_per_s": n / writes_s, "total_s": round(total, 2),
                "deliveries_per_s": n / total, "lat": lat_summary(lat), "loadavg": la,
                "cpu_s": round(cpu, 2), "cpu_ms_per_write_and_delivery": cpu / n * 1000})
            log("webhooks: %d writes%s, all delivered after %.1f s" % (
                n, " at %d/s" % rate if rate else "", total))

        # as fast as one client writes (deliveries queue up), then at a pace
        # the worker keeps up with: the latency of a delivery without a queue
        burst(sz["hooks"])
        burst(sz["hooks_paced"], sz["hooks_rate"])
        deliveries = c.ok("GET", "/api/v1/webhooks/%d/deliveries?limit=1" % hook["id"])
        res["delivery_sample"] = deliveries["items"][:1]
        res["memory"] = srv.memory()
        return res
    finally:
        srv.stop()
        rx.shutdown()
        rx.server_close()


SCENARIOS = {"invoices": scenario_invoices, "orgchart": scenario_orgchart,
             "campaign": scenario_campaign, "carddav": scenario_carddav,
             "webhooks": scenario_webhooks}


# ------------------------------------------------------------------ report

def machine_line():
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
    with open("/proc/meminfo") as f:
        mem = int(re.search(r"^MemTotal:\s*(\d+)", f.read(), re.M).group(1)) / 1024 / 1024
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return ("%s, %d cores, %.0f GB RAM, Linux %s, SQLite, xrm %s (build/xrm, release)"
            % (m.group(1).strip() if m else "?", os.cpu_count(), mem, os.uname().release, commit))


def f0(x):
    return "-" if x is None else "{:,.0f}".format(x)


def f1(x):
    return "-" if x is None else "{:,.1f}".format(x)


def f2(x):
    return "-" if x is None else "{:,.2f}".format(x)


def lat_cols(lat):
    return "%s / %s / %s" % (f1(lat["p50_ms"]), f1(lat["p90_ms"]), f1(lat["p99_ms"]))


def mem_cols(m):
    return "%s MB (file-mapped %s MB)" % (f1(m["peak_rss_anon_mb"]), f1(m["rss_file_mb"]))


def ran(r):
    """The heading's note of when a scenario ran (they may come from different runs)."""
    return " (run started %s; this scenario took %s s)" % (r.get("ran_at", "?"),
                                                           f0(r.get("secs")))


def report(mode, results, machine, started, cmd):
    L = ["# Capability benchmarks %s%s" % (started, " (smoke: tiny sizes, not figures)"
                                          if mode == "smoke" else ""), ""]
    L.append("Command: `%s`. Machine: %s. **The machine is shared** (five helpers and a lead "
             "build, test and benchmark at the same time): wall-clock rates are noisy; the "
             "1-minute load average is given beside each, and the server's CPU seconds "
             "(utime + stime from /proc) resist the load better. Memory: peak RssAnon of "
             "the server (sampled every 0.1 s), file-mapped pages beside it (issue 24, "
             "decision 1). The clients are Python (http.client, one keep-alive connection "
             "each) on the same 2 cores, so latencies include their cost." % (cmd, machine))
    L.append("")
    r = results.get("invoices")
    if r:
        L += ["## 1. Quotes and invoices" + ran(r), "",
              "A fresh database with the company's details and one customer (address) per "
              "invoice. A cycle is `POST /api/v1/invoices` (3 lines: 21%, 9%, exempt) + "
              "`POST /api/v1/invoices/{id}/issue`, then `GET /api/v1/invoices/{id}.pdf` and "
              "`GET /api/v1/invoices/{id}.xml` (UBL). Latencies are p50 / p90 / p99 in ms; "
              "a step's rate is its requests over the time the clients spent in it.", "",
              "| clients | invoices | cycles/s | issued/s | PDFs/s | UBL/s | issue p50/p90/p99 "
              "| PDF p50/p90/p99 | UBL p50/p90/p99 | server CPU ms per cycle | load |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |"]
        for x in r["rows"]:
            L.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |" % (
                x["clients"], x["invoices"], f1(x["cycles_per_s"]), f1(x["issue_per_s"]),
                f1(x["pdf_per_s"]), f1(x["ubl_per_s"]), lat_cols(x["issue"]),
                lat_cols(x["pdf"]), lat_cols(x["ubl"]), f1(x["cpu_ms_per_invoice"]),
                x["loadavg"]))
        L += ["", "Rendering alone (issued invoices rendered again):", "",
              "| document | clients | requests | per s | p50/p90/p99 ms | server CPU ms each "
              "| load |", "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
        for x in r.get("render", []):
            L.append("| %s | %d | %d | %s | %s | %s | %.2f |" % (
                x["what"], x["clients"], x["n"], f1(x["per_s"]), lat_cols(x["lat"]),
                f2(x["cpu_ms_each"]), x["loadavg"]))
        x = r["rows"][0]
        L += ["", "PDF %s bytes, UBL %s bytes (median). Server peak RssAnon %s." % (
            f0(x["pdf_bytes"]), f0(x["ubl_bytes"]), mem_cols(r["memory"])), ""]
    r = results.get("orgchart")
    if r:
        L += ["## 2. Org chart of %s employees" % f0(r["employees"]) + ran(r), "",
              "%d departments (10 divisions of 10 teams, `POST /api/v1/departments`, %.1f s); "
              "%s employees through the bulk path (`POST /api/v1/import/parties`, one request "
              "per level of %s, each line an employee role with its department and "
              "manager) in %.1f s, %s employees/s; the departments' managers set with PATCH; "
              "server CPU for all of it %.1f s. The chart holds %s members (%s unplaced). "
              "The web app's org chart (web/js/views/org-chart.js) reads `GET "
              "/api/v1/org-chart`, the whole tree (departments, their managers and members); "
              "the API has no subtree route (the chart takes no parameter), so no subtree "
              "is timed; the other rows are a department's own record (`GET "
              "/api/v1/departments/{id}`: no members) and the department list, for scale." % (
                  r["departments"], r["dept_create_s"], f0(r["employees"]),
                  " / ".join(str(s) for s in r["levels"]), r["import_s"],
                  f0(r["import_per_s"]), r["load_cpu_s"], f0(r["chart_members"]),
                  f0(r["chart_unplaced"])), "",
              "| request | bytes | requests | per s (1 client) | p50/p90/p99 ms | server CPU ms "
              "each | load |", "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
        for x in r["rows"]:
            L.append("| %s `%s` | %s | %d | %s | %s | %s | %.2f |" % (
                x["what"], x["path"], f0(x["bytes"]), x["lat"]["n"], f1(x["per_s"]),
                lat_cols(x["lat"]), f1(x["cpu_ms_each"]), x["loadavg"]))
        L += ["", "Server peak RssAnon %s." % mem_cols(r["memory"]), ""]
    r = results.get("campaign")
    if r:
        L += ["## 3. Campaign to %s recipients" % f0(r["recipients"]) + ran(r), "",
              "%s persons with an e-mail address, an active customer role (so may_email "
              "holds) and a tag, through the bulk path (%s parties/s); a segment `tag:...`, "
              "a campaign with the placeholders of the tests, `POST "
              "/api/v1/campaigns/{id}/send`; the server's outbox worker sends each mail "
              "(one SMTP connection per mail, libcurl) to a local SMTP sink "
              "(an asyncio receiver in bench/capabilities.py, its own process, counting "
              "and dropping what it gets). Time is from the send request to the sink's "
              "last message." % (f0(r["recipients"]), f0(r["import_per_s"])), "",
              "| recipients | send request | delivered | total s | messages/s | delivery "
              "phase msg/s | server CPU s | CPU ms per message | sink CPU s | RssAnon during "
              "(median / max) | load start / end |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
              "| %s | %.1f s (CPU %.1f s) | %s | %s | %s | %s | %s | %s | %s | %s / %s MB | "
              "%.2f / %.2f |" % (
                  f0(r["recipients"]), r["send_request_s"], r["send_request_cpu_s"],
                  f0(r["delivered"]), f1(r["total_s"]), f1(r["messages_per_s"]),
                  f1(r["delivery_phase_per_s"]), f1(r["cpu_s"]), f2(r["cpu_ms_per_message"]),
                  f1(r["sink_cpu_s"]), f1(r["rss_anon_mb_during"]["median"]),
                  f1(r["rss_anon_mb_during"]["max"]), r["loadavg_start"], r["loadavg_end"]),
              "", "Mean message %s bytes; campaign report afterwards: %s. Server peak RssAnon "
              "%s." % (f0(r["mean_message_bytes"]),
                       {k: r["report"].get(k) for k in ("recipients", "sent", "bounced",
                                                        "queued", "skipped")}
                       if r.get("report") else None, mem_cols(r["memory"])), ""]
    r = results.get("carddav")
    if r:
        L += ["## 4. CardDAV sync of %s cards" % f0(r["cards"]) + ran(r), "",
              "The admin's `all` address book (`/dav/addressbooks/admin/all/`, Basic auth) "
              "over %s persons with an address, e-mail and phone. The script's own client: "
              "`REPORT sync-collection` (getetag) from no token, then `REPORT "
              "addressbook-multiget` of the listed cards, 500 per request; the incremental "
              "sync starts from the token of the previous one after %d parties were "
              "changed through the API (a phone number). vdirsyncer (Debian) rows: a real "
              "`vdirsyncer sync` of the same address book into an empty folder, then after "
              "%d more changes." % (f0(r["cards"]), r["changes"], r["changes"]), "",
              "| sync | cards | requests | seconds | cards/s | server CPU s | load |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for x in r["rows"]:
            L.append("| %s | %s | %s | %s | %s | %s | %.2f |" % (
                x["what"], f0(x["cards"]), x.get("requests", "-"), f2(x["secs"]),
                f0(x["cards_per_s"]), f2(x["cpu_s"]), x["loadavg"]))
        if r.get("vdirsyncer"):
            L.append("\nvdirsyncer: %s." % r["vdirsyncer"])
        L += ["", "Server peak RssAnon %s." % mem_cols(r["memory"]), ""]
    r = results.get("webhooks")
    if r:
        L += ["## 5. Webhook throughput" + ran(r), "",
              "A receiver on 127.0.0.1 (http.server, a thread of the script, answers 200), one "
              "hook on `party.created`; parties created one by one (`POST /api/v1/parties`, "
              "1 client): first as fast as the client goes (the deliveries queue up, so this "
              "row is the delivery worker's throughput and the latency is mostly queueing), "
              "then paced below that rate (the latency of a delivery without a queue). "
              "Latency: from sending the write to the delivery's arrival; deliveries/s: "
              "writes over the time from the first write to the last delivery.", "",
              "| writes | paced at | writes/s | all delivered after s | deliveries/s | "
              "latency p50/p90/p99 ms | max ms | server CPU ms per write + delivery | load |",
              "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"]
        for x in r["rows"]:
            L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %.2f |" % (
                f0(x["writes"]), "%d/s" % x["paced_per_s"] if x["paced_per_s"] else "-",
                f1(x["writes_per_s"]), f2(x["total_s"]), f1(x["deliveries_per_s"]),
                lat_cols(x["lat"]), f1(x["lat"]["max_ms"]),
                f2(x["cpu_ms_per_write_and_delivery"]), x["loadavg"]))
        L += ["", "Server peak RssAnon %s." % mem_cols(r["memory"]), ""]
    L += ["## 6. Import", "",
          "`xrm import` of a CSV file is measured by bench/import.sh (`make bench-import`, "
          "results/<date>-import.md).", ""]
    L += readme_section(results, started)
    return "\n".join(L)


def readme_section(results, started):
    """The block for bench/README.md (pasted by hand: bench/README.md is shared)."""
    L = ["## README section", "",
         "(For bench/README.md; the figures are those above.)", "", "~~~markdown",
         "## Capabilities", "",
         "```sh",
         "make bench-caps                    # bench/capabilities.py, about 20-30 minutes",
         "bench/capabilities.py --smoke      # the script itself, tiny sizes, under a minute",
         "bench/capabilities.py --only campaign,webhooks   # some scenarios again",
         "```", "",
         "Each scenario starts `build/xrm serve` (127.0.0.1, SQLite) on a fresh database of "
         "its own in `bench/work/caps/`, loads what it needs through the API (the bulk path "
         "where there is one) and records, beside its rates and latency percentiles, the "
         "server's CPU seconds (/proc utime + stime) and its peak RssAnon (file-mapped pages "
         "beside it). Every server, the SMTP sink and the webhook receiver are stopped at "
         "the end, also on failure or Ctrl-C. Results: `results/<date>-capabilities.md`; "
         "each scenario also leaves `bench/work/caps/full/<name>.json`, and the report is "
         "made from the JSON files present (`--report-only`).", "",
         "| scenario | what | headline (%s, shared machine, see the results file) |"
         % started[:10], "| --- | --- | --- |"]
    r = results.get("invoices")
    if r:
        one = r["rows"][0]
        best = max(r["rows"], key=lambda x: x["cycles_per_s"])
        pdf = [x for x in r.get("render", []) if x["what"] == "PDF" and x["clients"] == 1]
        ubl = [x for x in r.get("render", []) if x["what"] == "UBL" and x["clients"] == 1]
        L.append("| invoices | create + issue an invoice, its PDF, its UBL; 1, 2, 4, 8 clients "
                 "| %s cycles/s at 1 client, %s at %d; issue p99 %s ms; PDF alone %s/s "
                 "(%s ms CPU each), UBL alone %s/s |" % (
                     f1(one["cycles_per_s"]), f1(best["cycles_per_s"]), best["clients"],
                     f1(one["issue"]["p99_ms"]), f1(pdf[0]["per_s"]) if pdf else "-",
                     f1(pdf[0]["cpu_ms_each"]) if pdf else "-",
                     f0(ubl[0]["per_s"]) if ubl else "-"))
    r = results.get("orgchart")
    if r:
        whole = r["rows"][0]
        L.append("| org chart | %s employees (bulk path, with managers) in %d departments; "
                 "`GET /api/v1/org-chart` | %s KB, p50 %s ms, p99 %s ms, %s ms server CPU "
                 "each |" % (f0(r["employees"]), r["departments"], f0(whole["bytes"] / 1024),
                             f0(whole["lat"]["p50_ms"]), f0(whole["lat"]["p99_ms"]),
                             f0(whole["cpu_ms_each"])))
    r = results.get("campaign")
    if r:
        L.append("| campaign | %s recipients, sent by the outbox into a local SMTP sink "
                 "(asyncio, in the script) | send request %.0f s; %s messages/s end to end; "
                 "RssAnon up to %s MB |" % (
                     f0(r["recipients"]), r["send_request_s"], f1(r["messages_per_s"]),
                     f0(r["memory"]["peak_rss_anon_mb"])))
    r = results.get("carddav")
    if r:
        full = r["rows"][0]
        inc = r["rows"][1]
        vd = [x for x in r["rows"] if x["what"].startswith("vdirsyncer sync, first")]
        L.append("| CardDAV | %s cards: sync-collection + addressbook-multiget, then after "
                 "%d changes; `vdirsyncer sync` | full %.1f s (%s cards/s), incremental %.2f s%s |"
                 % (f0(r["cards"]), r["changes"], full["secs"], f0(full["cards_per_s"]),
                    inc["secs"], ("; vdirsyncer first sync %.0f s" % vd[0]["secs"]) if vd else ""))
    r = results.get("webhooks")
    if r:
        fast, paced = r["rows"][0], r["rows"][-1]
        L.append("| webhooks | party writes, a hook on party.created, a local receiver | "
                 "%s deliveries/s (%s writes as fast as possible); at %d writes/s latency "
                 "p50 %s ms, p99 %s ms |" % (
                     f1(fast["deliveries_per_s"]), f0(fast["writes"]), paced["paced_per_s"] or 0,
                     f1(paced["lat"]["p50_ms"]), f1(paced["lat"]["p99_ms"])))
    L.append("| import | `xrm import` of CSV rows | `make bench-import` (bench/import.sh) |")
    L += ["~~~", ""]
    return L


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, checks the script")
    ap.add_argument("--only", help="comma-separated scenarios: " + ",".join(SCENARIOS))
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--smtp-sink", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.smtp_sink:
        return smtp_sink_main(a.smtp_sink)
    mode = "smoke" if a.smoke else "full"
    global WORK
    WORK = os.path.join(WORK, mode)
    os.makedirs(WORK, exist_ok=True)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    names = a.only.split(",") if a.only else list(SCENARIOS)
    for n in names:
        if n not in SCENARIOS:
            ap.error("unknown scenario %r" % n)
    if not os.access(XRM, os.X_OK):
        sys.exit("build/xrm is missing: make build/xrm")
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    failed = []
    try:
        if not a.report_only:
            for n in names:
                log("%s (%s)" % (n, mode))
                t0 = time.perf_counter()
                try:
                    res = SCENARIOS[n](SIZES[mode])
                except Exception as e:  # noqa: BLE001 -- one failure does not stop the rest
                    log("%s FAILED: %s" % (n, e))
                    failed.append(n)
                    continue
                res["ran_at"] = started
                res["secs"] = round(time.perf_counter() - t0, 1)
                with open(os.path.join(WORK, n + ".json"), "w") as f:
                    json.dump(res, f, indent=1)
                log("%s done in %.0f s" % (n, res["secs"]))
    finally:
        cleanup()
    results = {}
    for n in SCENARIOS:
        p = os.path.join(WORK, n + ".json")
        if os.path.exists(p):
            with open(p) as f:
                results[n] = json.load(f)
    cmd = "bench/capabilities.py" + (" --smoke" if a.smoke else "")
    md = report(mode, results, machine_line(), started, cmd)
    out = os.path.join(BENCH, "results", "%s-capabilities%s.md" % (
        started[:10], "-smoke" if a.smoke else ""))
    if a.smoke:
        out = os.path.join(WORK, "capabilities-smoke.md")
    with open(out, "w") as f:
        f.write(md + "\n")
    log("report: %s" % out)
    if failed:
        sys.exit("failed: " + ", ".join(failed))


if __name__ == "__main__":
    main()
