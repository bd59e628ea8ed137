#!/usr/bin/env python3
"""The xrm benchmark driver, run by bench/run.sh (make bench / make bench-quick).

Loads (or reuses) data sets through xrm's import API with bench/work/gen-load,
starts `xrm serve` on a copy of each, drives it with wrk and bench/xrm.lua,
measures the limits beside it (nginx serving a static file of the party
response's size; the same SQL run directly by bench/work/sqlbench), and
writes bench/results/<date>.md (and, for full runs, the summary in
bench/README.md). See bench/README.md for what each scenario means.

Every server this starts listens on 127.0.0.1 only; its pid is kept in
bench/work/pids while it runs, so run.sh's trap can stop it if this dies.
"""

import argparse
import datetime
import hashlib
import json
import math
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

import queries

# Paths are relative to the repository root, where main() changes to, so that
# command lines stay short (and free of the checkout's path).
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = "bench"
WORK = os.path.join(BENCH, "work")
DATA = os.path.join(BENCH, "data")
RESULTS = os.path.join(BENCH, "results")
README = os.path.join(BENCH, "README.md")
XRM = os.environ.get("XRM_BIN", os.path.join("build", "xrm"))
GEN = os.path.join(WORK, "gen-load")
SQLBENCH = os.path.join(WORK, "sqlbench")
LUA = os.path.join(BENCH, "xrm.lua")
PIDFILE = os.path.join(WORK, "pids")
ADMIN_PASSWORD = "bench-admin-password"
SEED = 42
# Party lines per import request (gen-load --batch; about 5,000 relationship or
# activity lines). Larger requests load faster, up to the 16 MiB limit; see
# README.md.
LOAD_BATCH = 2000

MODES = {
    # sizes: data sets (the last is the main one, where every scenario runs)
    # secs: each wrk run; one_secs: the 1-connection latency runs; sweep: thread-count runs
    "quick": dict(sizes=[10_000], secs=5, warm=1, one_secs=2, sweep_secs=2, sweep_warm=0,
                  sweep=["mix"], sql_secs=2, startups=3, auto_secs=30, skip=["360-pair"]),
    "full": dict(sizes=[10_000, 100_000, 1_000_000], secs=15, warm=3, one_secs=5,
                 sweep_secs=6, sweep_warm=1, sweep=["read", "write", "mix"], sql_secs=8,
                 startups=5, auto_secs=900),
    # a self-test of the harness itself: two tiny sizes, short runs
    "smoke": dict(sizes=[2_000, 5_000], secs=2, warm=1, one_secs=1, sweep_secs=1,
                  sweep_warm=0, sweep=["read", "write", "mix"], sql_secs=1, startups=2,
                  auto_secs=20),
}
THREAD_CHOICES = [2, 8, 16]
WRK_THREADS = 2
WRK_CONNS = 64
# The headline scenarios are multi-user (issue 24): 50 users with their own
# tokens and access, thousands of texts, Zipf party ids (bench/queries.py).
MAIN_SCENARIOS = ["read", "360", "360-pair", "search", "search-box", "list", "write", "mix",
                  "floor"]
# The single-user rows of before (one admin, 36 prefixes, 2 list texts, uniform
# ids): the response cache answers most of their searches and lists.
SINGLE_SCENARIOS = ["read-1u", "search-1u", "list-1u", "mix-1u"]
GROWTH_SCENARIOS = ["read", "search", "list"]
UNCACHED_SCENARIOS = ["search", "search-box", "list", "mix"]
SQL_SCENARIOS = {"read": "read", "360": "view", "360-pair": "pair", "search": "search",
                 "list": "list"}
MIX_SHARES = {"read": 0.80, "search": 0.10, "list": 0.05, "write": 0.05}
# The token GET /metrics wants (the response cache's hit and miss counters).
METRICS_TOKEN = "bench-metrics-" + hashlib.sha256(os.urandom(16)).hexdigest()[:16]
REQUESTS = None  # the multi-user file of the size being run (queries.write_requests_file)
MEM_SAMPLE_S = 0.5

TARGETS = {
    "load": 25_000,  # parties/s through the HTTP bulk path (issue 24, decision 4)
    "import": 50_000,  # rows/s through `xrm import` (bench/import.sh)
    "read_vs_nginx": 0.5,
    "p99_ms": 10.0,  # multi-user search and list
    "mix_vs_parts": 0.8,
    "writes": 5_000,  # durable activity creations/s
    "rss_anon_mb": 200,  # RssAnon (issue 24, decision 1); RssFile reported beside
    "startup_ms": 200,
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def human(n):
    return f"{n / 1000:.0f}k" if n < 1_000_000 else f"{n / 1_000_000:g}M"


# ------------------------------------------------------------------ processes

def pid_add(pid, pidfile=PIDFILE):
    with open(pidfile, "a") as f:
        f.write(f"{pid}\n")


def pid_remove(pid, pidfile=PIDFILE):
    try:
        with open(pidfile) as f:
            pids = [p for p in f.read().split() if p != str(pid)]
        with open(pidfile, "w") as f:
            f.write("".join(p + "\n" for p in pids))
    except FileNotFoundError:
        pass


def proc_status_kb(pid, keys=("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem")):
    """Sizes from /proc/PID/status in KiB ({} once the process is gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in keys:
                    out[k] = int(v.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return out


def vm_hwm_kb(pid):
    return proc_status_kb(pid).get("VmHWM", 0)


class MemSampler:
    """Peak RssAnon and RssFile of a process, read every MEM_SAMPLE_S seconds."""

    def __init__(self, pid):
        self.pid, self.peak_anon, self.peak_file, self.samples = pid, 0, 0, 0
        self.stop_ev = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_ev.is_set():
            st = proc_status_kb(self.pid)
            if not st:
                return
            self.peak_anon = max(self.peak_anon, st.get("RssAnon", 0))
            self.peak_file = max(self.peak_file, st.get("RssFile", 0))
            self.samples += 1
            self.stop_ev.wait(MEM_SAMPLE_S)

    def stop(self):
        """Stops sampling; returns the end and peak figures in MB."""
        st = proc_status_kb(self.pid)
        self.stop_ev.set()
        self.thread.join()
        mb = {k: v / 1024 for k, v in st.items()}
        return {"rss_anon_mb": mb.get("RssAnon", 0), "rss_file_mb": mb.get("RssFile", 0),
                "rss_shmem_mb": mb.get("RssShmem", 0), "vm_hwm_mb": mb.get("VmHWM", 0),
                "peak_rss_anon_mb": max(self.peak_anon, st.get("RssAnon", 0)) / 1024,
                "peak_rss_file_mb": max(self.peak_file, st.get("RssFile", 0)) / 1024,
                "samples": self.samples}


class Server:
    """One `xrm serve` on 127.0.0.1:0; started measures exec-to-"listening on"."""

    def __init__(self, db, threads=None, log_path=None, scheduler=False, env=None, extra=()):
        args = [XRM, "serve", "--db", db, "--listen", "127.0.0.1:0",
                "--metrics-token", METRICS_TOKEN, *extra]
        if threads:
            args += ["--threads", str(threads)]
        self.log = open(log_path or os.path.join(WORK, "serve.log"), "ab")
        t0 = time.perf_counter()
        # The automation scheduler's first pass starts with the server and
        # would create a check-in task for every idle customer of a freshly
        # loaded data set, alongside the scenarios; they run without it and
        # automation_pass() measures the pass on its own.
        environ = dict(os.environ, **(env or {}))
        if scheduler:
            environ.pop("XRM_AUTOMATION_INTERVAL", None)
        else:
            environ["XRM_AUTOMATION_INTERVAL"] = "0"
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log,
                                     env=environ)
        pid_add(self.proc.pid)
        line = b""
        deadline = t0 + 60
        while not line.endswith(b"\n"):
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                self.stop()
                raise RuntimeError("xrm serve did not say 'listening on' within 60 s")
            b = os.read(self.proc.stdout.fileno(), 1)
            if not b:
                self.stop()
                raise RuntimeError(f"xrm serve exited ({self.proc.wait()}); see {self.log.name}")
            line += b
        self.startup_ms = (time.perf_counter() - t0) * 1000
        m = re.search(rb"listening on http://([^:\s]+):(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError(f"unexpected first line from xrm serve: {line!r}")
        self.url = f"http://{m.group(1).decode()}:{int(m.group(2))}"
        self.pid = self.proc.pid

    def hwm_mb(self):
        return vm_hwm_kb(self.pid) / 1024

    def stop(self):
        hwm = self.hwm_mb() if self.proc.poll() is None else 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        pid_remove(self.proc.pid)
        self.proc.stdout.close()
        self.log.close()
        return hwm


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """Debian's nginx with a private config in bench/work/nginx, serving one file."""

    def __init__(self, body):
        d = os.path.abspath(os.path.join(WORK, "nginx"))  # nginx wants absolute paths
        shutil.rmtree(d, ignore_errors=True)
        for sub in ("www", "tmp", "logs"):
            os.makedirs(os.path.join(d, sub))
        with open(os.path.join(d, "www", "party.json"), "wb") as f:
            f.write(body)
        os.chmod(d, 0o755)
        self.port = free_port()
        conf = os.path.join(d, "nginx.conf")
        t = os.path.join(d, "tmp")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 2;
daemon off;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    client_body_temp_path {t}/body;
    proxy_temp_path {t}/proxy;
    fastcgi_temp_path {t}/fastcgi;
    uwsgi_temp_path {t}/uwsgi;
    scgi_temp_path {t}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {d}/www;
        location / {{ }}
    }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", d],
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(d, "logs", "stderr.log"), "wb"))
        pid_add(self.proc.pid)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not start; see {d}/logs/")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        pid_remove(self.proc.pid)


def run(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def xrm_token(db):
    return run([XRM, "token", "create", "--db", db, "--user", "admin"]).strip().splitlines()[-1]


def http_get(url, token, path):
    """A plain GET (python's urllib would add its own cost; this is only for checks)."""
    import urllib.request
    req = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


LOADAVGS = []


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except OSError:
        return 0.0


def rcache_counts(url):
    """(hits, misses) of the response cache from GET /metrics, or None."""
    try:
        _, body = http_get(url, METRICS_TOKEN, "/metrics")
    except Exception:  # an nginx url, or a server without the counters
        return None
    c = {}
    for name in ("hits", "misses"):
        m = re.search(rb"^xrm_response_cache_" + name.encode() + rb"_total(?:\{[^}]*\})? (\d+)",
                      body, re.M)
        if not m:
            return None
        c[name] = int(m.group(1))
    return c["hits"], c["misses"]


def wrk(url, scenario, token, lo, hi, secs, conns=WRK_CONNS, lua=LUA):
    LOADAVGS.append(loadavg())
    before = rcache_counts(url) if "/127.0.0.1:" in url and scenario != "static" else None
    out = run(["wrk", f"-t{min(WRK_THREADS, conns)}", f"-c{conns}", f"-d{secs}s",
               "--timeout", "30s",
               "-s", lua, url, "--", scenario, str(lo), str(hi)],
              env=dict(os.environ, BENCH_TOKEN=token, BENCH_REQUESTS=REQUESTS or ""))
    m = re.search(r"^BENCHJSON (.*)$", out, re.M)
    if not m:
        raise RuntimeError(f"wrk printed no BENCHJSON line:\n{out}")
    r = json.loads(m.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors_total"] = sum(r["errors"].values())
    r["loadavg"] = LOADAVGS[-1]
    after = rcache_counts(url) if before else None
    if before and after:
        h, mi = after[0] - before[0], after[1] - before[1]
        r["rcache"] = {"hits": h, "misses": mi, "ratio": h / (h + mi) if h + mi else None}
    return r


def sqlbench(db, scenario, lo, hi, secs):
    out = run([SQLBENCH, "--db", db, "--scenario", scenario, "--seconds", str(secs),
               "--threads", "2", "--min-id", str(lo), "--max-id", str(hi)])
    return json.loads(out)


# ------------------------------------------------------------------ machine

def machine_info():
    info = {"nproc": os.cpu_count()}
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
        info["cpu"] = m.group(1).strip() if m else "unknown"
    with open("/proc/meminfo") as f:
        m = re.search(r"^MemTotal:\s*(\d+)", f.read(), re.M)
        info["ram_gb"] = int(m.group(1)) / 1024 / 1024 if m else 0
    df = run(["df", "-T", "-B1", BENCH]).splitlines()[-1].split()
    info["disk"] = f"{df[0]} {df[1]}, {int(df[2]) / 1e9:.0f} GB"
    info["kernel"] = os.uname().release
    info["sqlite"] = sqlite3.sqlite_version
    try:
        info["commit"] = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).strip()
        if run(["git", "-C", ROOT, "status", "--porcelain", "--", "src"]).strip():
            info["commit"] += " + uncommitted changes in src/"
    except (subprocess.CalledProcessError, FileNotFoundError):
        info["commit"] = "unknown"
    info["wrk"] = (subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
                   .split()[1])
    info["nginx"] = subprocess.run(["nginx", "-v"], capture_output=True,
                                   text=True).stderr.strip().split("/")[-1]
    info["fsync_per_s"] = fsync_rate()
    try:
        with open("/proc/loadavg") as f:
            info["loadavg"] = f.read().split()[0]
    except OSError:
        info["loadavg"] = "?"
    return info


def fsync_rate(secs=1.0):
    """4 KiB write + fdatasync in a loop, one thread: the disk's durable commit rate."""
    path = os.path.join(WORK, "fsync-test")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        n, t0, buf = 0, time.perf_counter(), b"x" * 4096
        while time.perf_counter() - t0 < secs:
            os.pwrite(fd, buf, (n % 256) * 4096)
            os.fdatasync(fd)
            n += 1
        return n / (time.perf_counter() - t0)
    finally:
        os.close(fd)
        os.unlink(path)


# ------------------------------------------------------------------ data sets

def schema_of(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                           "ORDER BY type, name").fetchall()
        ver = con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    finally:
        con.close()
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16], ver


def binary_schema():
    """Schema of a database made by this xrm binary."""
    db = os.path.join(WORK, "schema-check.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    run([XRM, "init", "--db", db], env=dict(os.environ, XRM_ADMIN_PASSWORD=ADMIN_PASSWORD))
    h = schema_of(db)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    return h


def counts(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        c = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
             for t in ("parties", "roles", "relationships", "activities")}
        c["min_id"], c["max_id"] = con.execute("SELECT MIN(id), MAX(id) FROM parties").fetchone()
    finally:
        con.close()
    return c


def generator_fingerprint():
    """What the generator makes (not how its source is laid out): a hash of a sample."""
    out = subprocess.run([GEN, "--parties", "20000", "--seed", str(SEED), "--sample", "300"],
                         check=True, capture_output=True).stdout
    return hashlib.sha256(out).hexdigest()[:16]


PHASE_LINE = re.compile(r"^\s+(parties|relationships|activities)\s+(\d+) lines in ([\d.]+) s")


# The HR departments gen-load's employees belong to: the employee role's
# department attribute holds a department id, so they are made first, in
# this order (ids 1 to 10 in a new database; keep equal to bench/gen-load.c).
DEPARTMENTS = ["Sales", "IT", "Finance", "HR", "Operations", "Marketing", "Klantenservice",
               "Inkoop", "Directie", "Logistiek"]


def http_json(url, token, method, path, body=None):
    """A JSON request with urllib (set-up only, never measured): (status, decoded body)."""
    import urllib.error
    import urllib.request
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: HTTP {e.code}: {e.read()[:300]!r}") from None


def make_departments(db, token, d):
    srv = Server(db, log_path=os.path.join(d, "load-serve.log"))
    try:
        for i, name in enumerate(DEPARTMENTS, 1):
            _, dep = http_json(srv.url, token, "POST", "/api/v1/departments", {"name": name})
            if dep.get("id") != i:
                raise RuntimeError(f"department {name} got id {dep.get('id')}, not {i}")
    finally:
        srv.stop()


def load_with_retries(n, db, token, d, max_attempts=10):
    """
    Runs gen-load against a server on db until the load is complete. When
    both are stopped from outside (it happened, on a shared machine), the
    next attempt continues from gen-load's progress log. The rates add up
    the phases each attempt finished (the part of a phase cut short by a stop
    is neither counted in lines nor in time).
    """
    totals = {ph: [0, 0.0] for ph in ("parties", "relationships", "activities")}
    hwm, summary = 0.0, None
    for attempt in range(1, max_attempts + 1):
        srv = Server(db, log_path=os.path.join(d, "load-serve.log"))
        try:
            p = subprocess.Popen([GEN, "--parties", str(n), "--seed", str(SEED), "--batch",
                                  str(LOAD_BATCH), "--progress",
                                  os.path.join(d, "progress.log")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=dict(os.environ, XRM_TOKEN=token, BENCH_URL=srv.url))
            for line in p.stderr:
                sys.stderr.write(line)
                m = PHASE_LINE.match(line)
                if m:
                    totals[m.group(1)][0] += int(m.group(2))
                    totals[m.group(1)][1] += float(m.group(3))
            out = p.stdout.read()
            rc = p.wait()
        finally:
            hwm = max(hwm, srv.stop())
        if rc == 0:
            summary = json.loads(out)
            break
        if rc > 0 or attempt == max_attempts:
            raise RuntimeError(f"gen-load failed (exit {rc})")
        log(f"gen-load and the server were stopped from outside (signal {-rc}); "
            f"continuing the load, attempt {attempt + 1}")
    for ph, (lines, secs) in totals.items():
        summary[ph]["lines"], summary[ph]["seconds"] = lines, secs
        summary[ph]["per_second"] = lines / secs if secs else 0.0
    summary["seconds"] = sum(secs for _, secs in totals.values())
    return summary, hwm, attempt


def migrate_dataset(n, db, meta, meta_path, have, schema):
    """Applies the pending migrations to data set n; None when it then has the schema of
    a new database made by this binary, else why it must be loaded again."""
    log(f"data set {human(n)}: migrating from schema version {have} to {schema[1]}")
    t0 = time.time()
    run([XRM, "migrate", "--db", db])
    secs = time.time() - t0
    if list(schema_of(db)) != list(schema):
        return "the migrated data set's schema differs from a new database's"
    log(f"data set {human(n)}: migrated in {secs:.0f} s")
    meta["schema"] = list(schema)
    meta.setdefault("migrations", []).append(
        {"from": have, "to": schema[1], "seconds": round(secs, 1),
         "at": datetime.datetime.now().isoformat(timespec="seconds")})
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    return None


def ensure_dataset(n, schema, gen_hash):
    d = os.path.join(DATA, str(n))
    db = os.path.join(d, "db.sqlite")
    meta_path = os.path.join(d, "meta.json")
    if os.path.exists(meta_path) and os.path.exists(db):
        with open(meta_path) as f:
            meta = json.load(f)
        why = None
        if meta.get("generator") != gen_hash or meta.get("seed") != SEED:
            why = "the generator changed"
        elif meta.get("batch") != LOAD_BATCH:
            why = "the load batch size changed"
        elif list(schema_of(db)) != list(schema):
            # The same data with an older schema: `xrm migrate` brings it up to date
            # (as an operator upgrades), instead of loading it again (72 min at 1M).
            have = schema_of(db)[1] or 0
            if have < schema[1]:
                why = migrate_dataset(n, db, meta, meta_path, have, schema)
            else:
                why = "the data set's schema differs"
        if not why:
            log(f"data set {human(n)}: reusing {db} (loaded {meta['loaded_at']})")
            meta["reused"] = True
            return db, meta
        log(f"data set {human(n)}: regenerating ({why})")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    log(f"data set {human(n)}: loading {n} parties through the import API")
    run([XRM, "init", "--db", db], env=dict(os.environ, XRM_ADMIN_PASSWORD=ADMIN_PASSWORD))
    token = xrm_token(db)
    make_departments(db, token, d)
    load, hwm, attempts = load_with_retries(n, db, token, d)
    c = counts(db)
    if c["max_id"] - c["min_id"] + 1 != c["parties"]:
        raise RuntimeError("party ids are not contiguous; the scenarios pick ids from a range")
    meta = {
        "parties": n, "seed": SEED, "schema": list(schema), "generator": gen_hash,
        "batch": LOAD_BATCH,
        "loaded_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "load": load, "load_rss_mb": hwm, "counts": c, "load_attempts": attempts,
        "db_bytes": sum(os.path.getsize(db + s) for s in ("", "-wal")
                        if os.path.exists(db + s)),
    }
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    meta["reused"] = False
    return db, meta


def working_copy(db, n):
    dst = os.path.join(WORK, f"run-{n}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.unlink(dst + suffix)
    for suffix in ("", "-wal"):
        if os.path.exists(db + suffix):
            shutil.copyfile(db + suffix, dst + suffix)
    return dst


# ------------------------------------------------------------------ runs

def check_responses(url, token, lo, hi):
    """Each kind of request once with urllib: fails loudly on a wrong status."""
    mid = (lo + hi) // 2
    for path in (f"/api/v1/parties/{mid}", f"/api/v1/parties/{mid}/timeline?limit=20",
                 f"/api/v1/parties/{mid}/view", "/api/v1/parties?q=jan&limit=20",
                 "/api/v1/parties?q=role%3Acustomer%20role%3Apartner&limit=50",
                 "/api/v1/parties?q=role%3Acustomer%20role%3Apartner%20partner.tier%3Agold"
                 "&limit=50"):
        status, body = http_get(url, token, path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        json.loads(body)


def party_body(url, token, lo, hi):
    """A real party response of median size, for nginx to serve."""
    bodies = []
    step = max(1, (hi - lo) // 50)
    for i in range(lo, hi + 1, step):
        bodies.append(http_get(url, token, f"/api/v1/parties/{i}")[1])
    bodies.sort(key=len)
    return bodies[len(bodies) // 2]


def log_run(scn, r):
    rc = r.get("rcache")
    log(f"  {scn:9s} {r['rps']:9.0f} req/s  p50 {r['latency_us']['p50'] / 1000:7.2f} ms"
        f"  p99 {r['latency_us']['p99'] / 1000:7.2f} ms"
        f"  max {r['latency_us']['max'] / 1000:7.2f} ms"
        + (f"  cache hits {rc['ratio']:.0%}" if rc and rc["ratio"] is not None else "")
        + f"  load {r['loadavg']:.1f}"
        + (f"  ERRORS {r['errors']}" if r["errors_total"] else ""))


def run_size(n, db, meta, cfg, main, res):
    global REQUESTS
    lo, hi = meta["counts"]["min_id"], meta["counts"]["max_id"]
    copy = working_copy(db, n)
    token = xrm_token(copy)
    out = {"n": n, "lo": lo, "hi": hi}
    REQUESTS = os.path.join(WORK, f"requests-{n}.txt")
    out["requests"] = queries.write_requests_file(REQUESTS, meta["users"], lo, hi,
                                                  os.path.join(BENCH, "gen-load.c"))
    rq = out["requests"]
    log(f"  multi-user: {rq['users']} users, {rq['search_texts']:,} search and "
        f"{rq['list_texts']:,} list texts, {rq['distinct_ids']:,} distinct ids in "
        f"{rq['id_samples']:,} Zipf draws (hottest party {rq['top1_share']:.1%}, top 10 "
        f"{rq['top10_share']:.1%})")

    startups = []
    for _ in range(cfg["startups"]):
        s = Server(copy)
        startups.append(s.startup_ms)
        s.stop()
    out["startup_ms"] = {"median": statistics.median(startups), "max": max(startups),
                         "all": startups}
    log(f"  start-up on {human(n)}: median {out['startup_ms']['median']:.1f} ms")

    threads = None
    if main:
        sweep = []
        for t in THREAD_CHOICES:
            s = Server(copy, threads=t)
            row = {"threads": t}
            try:
                if cfg["sweep_warm"]:
                    wrk(s.url, "read", token, lo, hi, cfg["sweep_warm"])
                for scn in cfg["sweep"]:
                    r = wrk(s.url, scn, token, lo, hi, cfg["sweep_secs"])
                    row[scn] = r["rps"]
                    row[scn + "_errors"] = r["errors_total"]
            finally:
                row["rss_mb"] = s.stop()
            log(f"  --threads {t}: " + ", ".join(f"{k} {row[k]:.0f}/s" for k in cfg["sweep"]))
            sweep.append(row)
        threads = max(sweep, key=lambda r: r["mix"])["threads"]
        out["sweep"] = sweep
        log(f"  best --threads: {threads}")
    else:
        threads = res.get("threads")
    out["threads"] = threads

    # The server as shipped (response cache on): the multi-user scenarios, the
    # single-user rows of before, and the 1-connection latency; its memory is
    # sampled all along (RssAnon is the target, decision 1 of issue 24).
    s = Server(copy, threads=threads)
    mem = MemSampler(s.pid)
    scen, one = {}, {}
    try:
        check_responses(s.url, token, lo, hi)
        if main:
            res["party_body"] = party_body(s.url, token, lo, hi)
        wrk(s.url, "read", token, lo, hi, cfg["warm"])
        for scn in ([s for s in MAIN_SCENARIOS + SINGLE_SCENARIOS if s not in cfg.get("skip", ())]
                    if main else GROWTH_SCENARIOS):
            r = wrk(s.url, scn, token, lo, hi, cfg["secs"])
            scen[scn] = r
            log_run(scn, r)
        for scn in GROWTH_SCENARIOS:
            r = wrk(s.url, scn, token, lo, hi, cfg["one_secs"], conns=1)
            one[scn] = r
            log(f"  {scn:7s} at 1 connection: p50 {r['latency_us']['p50'] / 1000:.2f} ms"
                f"  p99 {r['latency_us']['p99'] / 1000:.2f} ms")
        out["one_conn"] = one
    finally:
        out["mem"] = mem.stop()
        out["rss_mb"] = s.stop()
    out["scenarios"] = scen
    m = out["mem"]
    log(f"  memory at the end: RssAnon {m['rss_anon_mb']:.1f} MB (peak {m['peak_rss_anon_mb']:.1f}"
        f" MB, {m['samples']} samples), RssFile {m['rss_file_mb']:.1f} MB, "
        f"VmHWM {m['vm_hwm_mb']:.1f} MB")
    # The multi-user search, list and mix once more with the response cache
    # off: how much (little) the cache still does for them.
    unc = {}
    if main:
        s = Server(copy, threads=threads, extra=("--response-cache", "off"))
        try:
            wrk(s.url, "read", token, lo, hi, cfg["warm"])
            for scn in UNCACHED_SCENARIOS:
                r = wrk(s.url, scn, token, lo, hi, cfg["secs"])
                unc[scn] = r
                log_run(scn + " (no response cache)", r)
        finally:
            s.stop()
    out["uncached"] = unc

    sql = {}
    for scn in ([s for s in SQL_SCENARIOS if s not in cfg.get("skip", ())] if main
                else GROWTH_SCENARIOS):
        sql[scn] = sqlbench(copy, SQL_SCENARIOS[scn], lo, hi, cfg["sql_secs"])
        r = sql[scn]
        log(f"  sql {scn:7s} {r['per_second']:9.0f} op/s   p50 {r['latency_us']['p50'] / 1000:7.2f}"
            f" ms  p99 {r['latency_us']['p99'] / 1000:7.2f} ms")
    out["sql"] = sql
    if main:
        out["sql_drift"] = sql_drift(copy, token, lo, hi)
        out["automation"] = automation_pass(copy, token, cfg["auto_secs"])
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(copy + suffix):
            os.unlink(copy + suffix)
    return out


# Statements the server runs once per connection or from caches, not per request.
SQL_IGNORE = re.compile(r"^(PRAGMA|BEGIN|COMMIT|ROLLBACK|RELEASE|SAVEPOINT|\(null\))|'main'\.|"
                        r"FROM tokens t JOIN users u|FROM rules WHERE tenant = 1 ORDER BY id$|"
                        r"FROM role_types WHERE tenant = 1 ORDER BY id$")


def sql_drift(db, token, lo, hi):
    """
    The statements the server runs for a few requests of each read scenario
    (recorded by bench/work/sqltrace.so) against the ones sqlbench runs:
    (server only, sqlbench only). Empty lists: sqlbench is in step.
    """
    trace = os.path.join(WORK, "sqltrace.log")
    if os.path.exists(trace):
        os.unlink(trace)
    srv = Server(db, threads=1, env={"LD_PRELOAD": os.path.abspath(
        os.path.join(WORK, "sqltrace.so")), "SQLTRACE_FILE": trace})
    try:
        start = os.path.getsize(trace) if os.path.exists(trace) else 0
        step = max(1, (hi - lo) // 7)
        for i in range(lo + step, hi, step):
            for path in (f"/api/v1/parties/{i}", f"/api/v1/parties/{i}/view",
                         f"/api/v1/parties/{i}/timeline?limit=20"):
                http_get(srv.url, token, path)
        for q in ("jan", "role%3Acustomer%20role%3Apartner",
                  "role%3Acustomer%20role%3Apartner%20partner.tier%3Agold"):
            http_get(srv.url, token, f"/api/v1/parties?q={q}&limit=50")
    finally:
        srv.stop()
    with open(trace) as f:
        f.seek(start)
        server = {line[4:].rstrip("\n") for line in f if line.startswith("SQL ")}
    server = {q for q in server if not SQL_IGNORE.search(q)}
    mine = set(run([SQLBENCH, "--list-sql"]).splitlines())
    # sqlbench lists every size of the page statements' padded IN lists; the sizes the sample
    # did not need came up in another size, so only other statements count as not come up.
    ran = {re.sub(r"\(\?(, \?)*\)", "(?)", q) for q in server}
    drift = {"server_only": sorted(server - mine),
             "sqlbench_only": sorted(q for q in mine - server
                                     if re.sub(r"\(\?(, \?)*\)", "(?)", q) not in ran)}
    if drift["server_only"]:
        log(f"  sqlbench is out of step: the server ran {len(drift['server_only'])} statements "
            "it does not")
    else:
        log("  sqlbench runs every statement the server ran")
    return drift


def automation_pass(db, token, timeout):
    """
    The automation scheduler's first pass, which starts with the server: how
    long it takes on this data set and what it fires (follow-up tasks for idle
    customers, written 128 to a commit). Runs last: it changes the copy.
    """
    srv = Server(db, scheduler=True)
    t0 = time.perf_counter()
    out = {"finished": False, "anon_mb": 0.0}
    try:
        while time.perf_counter() - t0 < timeout:
            # the peak RSS (VmHWM) counts the database pages mapped (mmap, the whole file);
            # the memory the pass itself holds is its anonymous memory
            anon = proc_status_kb(srv.pid).get("RssAnon", 0) / 1024
            out["anon_mb"] = max(out["anon_mb"], anon)
            st = json.loads(http_get(srv.url, token, "/api/v1/automations/status")[1])
            if st.get("runs", 0) >= 1:
                last = st.get("last_run") or {}
                out.update(finished=True, fired=last.get("fired"), renewed=last.get("renewed"))
                break
            time.sleep(0.25)
        out["seconds"] = time.perf_counter() - t0
    finally:
        out["rss_mb"] = srv.stop()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out["fired_rows"] = con.execute("SELECT COUNT(*) FROM automation_fired").fetchone()[0]
    finally:
        con.close()
    log(f"  automation pass: {'finished' if out['finished'] else 'not finished'} after "
        f"{out['seconds']:.1f} s, {out['fired_rows']} fired, peak RSS {out['rss_mb']:.1f} MB, "
        f"peak RssAnon {out['anon_mb']:.1f} MB")
    return out


def run_nginx(body, cfg, lo, hi):
    ng = Nginx(body)
    try:
        wrk(ng.url, "static", "x", lo, hi, cfg["warm"])
        r = wrk(ng.url, "static", "x", lo, hi, cfg["secs"])
    finally:
        ng.stop()
    log(f"  nginx static {len(body)} B: {r['rps']:.0f} req/s  p99 "
        f"{r['latency_us']['p99'] / 1000:.2f} ms")
    return r


# ------------------------------------------------------------------ report

def ms(us):
    return f"{us / 1000:.2f}"


def ratio(a, b):
    return f"{a / b:.2f}" if b else "–"


def ok(flag):
    return "yes" if flag else "**no**"


def growth_trend(ps, sizes):
    """flat / ~log n / faster, from the first and last p50 of the growth sizes."""
    if len(ps) < 2 or not ps[0]:
        return "–"
    r = ps[-1] / ps[0]
    logr = math.log(sizes[-1]) / math.log(sizes[0])
    if r <= 1.25:
        return f"flat (x{r:.2f})"
    if r <= logr * 1.25:
        return f"~log n (x{r:.2f}; log n grows x{logr:.2f})"
    return f"**grows faster than log n** (x{r:.2f}; log n grows x{logr:.2f})"


def hits(r):
    rc = r.get("rcache")
    return f"{rc['ratio']:.1%}" if rc and rc["ratio"] is not None else "–"


def hit_note(r):
    rc = r.get("rcache")
    return (f" (response cache hits {rc['ratio']:.1%})" if rc and rc["ratio"] is not None
            else "")


def mix_prediction(sc):
    """The rate the mix's parts predict: 1 / sum(share / rate)."""
    if not all(k in sc and sc[k]["rps"] for k in MIX_SHARES):
        return None
    return 1 / sum(share / sc[k]["rps"] for k, share in MIX_SHARES.items())


def import_result():
    """rows/s (and rows per CPU second) of the latest bench/import.sh results file."""
    files = sorted(f for f in os.listdir(RESULTS) if re.search(r"import.*\.md$", f))
    for name in reversed(files):
        with open(os.path.join(RESULTS, name)) as f:
            lines = f.read().splitlines()
        for k, line in enumerate(lines):
            if line.startswith("|") and "rows/s" in line and k + 2 < len(lines):
                head = [c.strip() for c in line.strip("|").split("|")]
                vals = [c.strip() for c in lines[k + 2].strip("|").split("|")]
                row = dict(zip(head, vals))
                try:
                    out = {"file": "bench/results/" + name,
                           "rate": float(row["rows/s"].replace(",", ""))}
                    if row.get("rows per CPU second"):
                        out["per_cpu"] = float(row["rows per CPU second"].replace(",", ""))
                    return out
                except (KeyError, ValueError):
                    break
    return None


def report(mode, cfg, info, loads, runs, nginx, body_len, started):
    main = runs[-1]
    sc, sq = main["scenarios"], main["sql"]
    n = main["n"]
    date = started.strftime("%Y-%m-%d")
    L = []
    L.append(f"# xrm benchmark, {date} ({mode})\n")
    L.append(f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']:.1f} GB RAM, "
             f"disk {info['disk']} ({info['fsync_per_s']:.0f} fsync/s for 4 KiB writes), "
             f"Linux {info['kernel']}, SQLite {info['sqlite']}, wrk {info['wrk']}, "
             f"nginx {info['nginx']}; xrm {info['commit']}. Load average (1 min) at start "
             f"{info['loadavg']}, {min(LOADAVGS):.2f} to {max(LOADAVGS):.2f} before the wrk runs "
             "(the benchmark alone keeps it near 2 to 3; more means other work shared the "
             "CPUs). "
             f"wrk runs {WRK_THREADS} threads and {WRK_CONNS} connections "
             f"on the same machine as the server; runs last {cfg['secs']} s after a "
             f"{cfg['warm']} s warm-up.\n")

    L.append("## Targets\n")
    L.append(f"At {n:,} parties, --threads {main['threads']}; the scenarios are multi-user "
             f"({main['requests']['users']} users with their own tokens and access, "
             f"{main['requests']['search_texts']:,} search and {main['requests']['list_texts']:,} "
             "list texts, Zipf party ids; see bench/README.md), with the response cache on as "
             "shipped.\n")
    L.append("| target | measured | met |")
    L.append("| --- | --- | --- |")
    big = loads[-1]
    load_rate = big["load"]["parties"]["per_second"]
    rss = big.get("load_rss_mb")
    L.append(f"| load >= {TARGETS['load']:,} parties/s (HTTP bulk path) | {load_rate:,.0f} "
             f"parties/s"
             f"{' (from the load on ' + big['loaded_at'] + ')' if big['reused'] else ''}"
             f"{f'; server peak RSS during the load {rss:,.0f} MB' if rss else ''} | "
             f"{ok(load_rate >= TARGETS['load'])} |")
    imp = import_result()
    if imp:
        L.append(f"| import >= {TARGETS['import']:,} rows/s (`xrm import`) | {imp['rate']:,.0f} "
                 f"rows/s{'; ' + format(imp['per_cpu'], ',.0f') + ' rows per CPU second' if imp.get('per_cpu') else ''}"
                 f" (bench/import.sh, {imp['file']}) | "
                 f"{ok(imp['rate'] >= TARGETS['import'])} |")
    else:
        L.append(f"| import >= {TARGETS['import']:,} rows/s (`xrm import`) | no results file "
                 "of bench/import.sh (`make bench-import`) | – |")
    for scn in ("read", "360"):
        r = sc[scn]["rps"] / nginx["rps"]
        s = sq.get(scn)
        # The storage limit beside it: the same statements with no HTTP, JSON or auth at all.
        lim = (f"; storage limit (the same SQL alone, bench/sqlbench) {s['per_second']:,.0f} "
               f"op/s = {s['per_second'] / nginx['rps']:.2f} x" if s else "")
        L.append(f"| {scn} >= 0.5 x nginx static | {sc[scn]['rps']:,.0f} req/s = {r:.2f} x "
                 f"{nginx['rps']:,.0f}{lim} | {ok(r >= TARGETS['read_vs_nginx'])} |")
    for scn in [s for s in ("search", "search-box", "list") if s in sc]:
        p99 = sc[scn]["latency_us"]["p99"] / 1000
        u = main.get("uncached", {}).get(scn)
        L.append(f"| multi-user {scn} p99 < {TARGETS['p99_ms']:g} ms | {p99:.2f} ms at "
                 f"{sc[scn]['rps']:,.0f} req/s{hit_note(sc[scn])}"
                 + (f"; with the response cache off {u['latency_us']['p99'] / 1000:.2f} ms"
                    if u else "") + f"; single user, cached: "
                 + (f"{sc[scn + '-1u']['latency_us']['p99'] / 1000:.2f} ms"
                    f"{hit_note(sc[scn + '-1u'])}" if scn + "-1u" in sc else "–")
                 + f" | {ok(p99 < TARGETS['p99_ms'])} |")
    mp = mix_prediction(sc)
    if mp:
        L.append(f"| mix >= {TARGETS['mix_vs_parts']} x its parts | {sc['mix']['rps']:,.0f} "
                 f"req/s = {sc['mix']['rps'] / mp:.2f} x {mp:,.0f} (1 / (0.8 / read + 0.1 / "
                 f"search + 0.05 / list + 0.05 / write)) | "
                 f"{ok(sc['mix']['rps'] >= TARGETS['mix_vs_parts'] * mp)} |")
    w = sc["write"]["rps"]
    L.append(f"| writes >= {TARGETS['writes']:,}/s (durable) | {w:,.0f}/s | "
             f"{ok(w >= TARGETS['writes'])} |")
    m = main["mem"]
    L.append(f"| RssAnon < {TARGETS['rss_anon_mb']} MB | {m['rss_anon_mb']:.1f} MB at the end of "
             f"the scenarios, peak {m['peak_rss_anon_mb']:.1f} MB (read every "
             f"{MEM_SAMPLE_S:g} s); beside it RssFile {m['rss_file_mb']:.1f} MB (peak "
             f"{m['peak_rss_file_mb']:.1f} MB, file pages mapped from the database and the "
             f"binary), VmHWM {m['vm_hwm_mb']:.1f} MB | "
             f"{ok(m['peak_rss_anon_mb'] < TARGETS['rss_anon_mb'])} |")
    st = main["startup_ms"]
    L.append(f"| start-up < {TARGETS['startup_ms']} ms | {st['median']:.1f} ms median, "
             f"{st['max']:.1f} ms max of {len(st['all'])} | "
             f"{ok(st['max'] < TARGETS['startup_ms'])} |")
    L.append("")
    if len(runs) > 1:
        L.append("At each size (multi-user, response cache on):\n")
        L.append("| parties | read req/s | read / nginx | search p99 | list p99 | "
                 "search cache hits | list cache hits |")
        L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in runs:
            x = r["scenarios"]
            L.append(f"| {r['n']:,} | {x['read']['rps']:,.0f} | "
                     f"{ratio(x['read']['rps'], nginx['rps'])} | "
                     f"{ms(x['search']['latency_us']['p99'])} | "
                     f"{ms(x['list']['latency_us']['p99'])} | {hits(x['search'])} | "
                     f"{hits(x['list'])} |")
        L.append("")

    L.append(f"## Scenarios at {n:,} parties\n")
    L.append(f"xrm with --threads {main['threads']}, response cache on (as shipped); rows "
             "without a suffix are multi-user, '1u' rows are the single-user scenarios of "
             "before (one admin, 36 prefixes, 2 list texts, uniform ids). nginx: a static file "
             f"of {body_len:,} bytes (a real party response of median size); SQL: the same "
             "statements run directly on the same file by bench/sqlbench (2 threads, "
             "read-only; uniform ids and the single-user texts). cache hits: the share of "
             "cacheable GETs the response cache answered (GET /metrics); load: the 1-minute "
             "load average when the run started. Latencies in ms.\n")
    L.append("| scenario | xrm req/s | p50 | p99 | max | errors | cache hits | load | "
             "nginx req/s | xrm / nginx | SQL op/s | SQL p50 | SQL p99 | xrm / SQL |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
             "---: | ---: | ---: |")

    def row(label, r, s=None, per_op=None):
        lat = r["latency_us"]
        return (f"| {label} | {r['rps']:,.0f} | {ms(lat['p50'])} | {ms(lat['p99'])} | "
                f"{ms(lat['max'])} | {r['errors_total']} | {hits(r)} | "
                f"{r.get('loadavg', 0):.1f} | {nginx['rps']:,.0f} | "
                f"{ratio(r['rps'], nginx['rps'])} | "
                + (f"{s['per_second']:,.0f} | {ms(s['latency_us']['p50'])} | "
                   f"{ms(s['latency_us']['p99'])} | {ratio(per_op, s['per_second'])} |"
                   if s else "– | – | – | – |"))
    for scn in [s for s in MAIN_SCENARIOS if s in sc]:
        r = sc[scn]
        per_op = r["rps"] / 2 if scn == "360-pair" else r["rps"]  # two requests per view
        L.append(row(scn, r, sq.get(scn), per_op))
    for scn, r in main.get("uncached", {}).items():
        L.append(row(f"{scn}, response cache off", r))
    for scn in [s for s in SINGLE_SCENARIOS if s in sc]:
        L.append(row(f"{scn} (single user)", sc[scn]))
    for scn in GROWTH_SCENARIOS:
        r = main["one_conn"][scn]
        lat = r["latency_us"]
        L.append(f"| {scn}, 1 connection | {r['rps']:,.0f} | {ms(lat['p50'])} | "
                 f"{ms(lat['p99'])} | {ms(lat['max'])} | {r['errors_total']} | {hits(r)} | "
                 f"{r.get('loadavg', 0):.1f} | | | | | | |")
    L.append(f"| nginx static | {nginx['rps']:,.0f} | {ms(nginx['latency_us']['p50'])} | "
             f"{ms(nginx['latency_us']['p99'])} | {ms(nginx['latency_us']['max'])} | "
             f"{nginx['errors_total']} | | {nginx.get('loadavg', 0):.1f} | | | | | | |")
    L.append("")
    if mp:
        L.append(f"Mix: its parts predict 1 / (0.8 / {sc['read']['rps']:,.0f} + 0.1 / "
                 f"{sc['search']['rps']:,.0f} + 0.05 / {sc['list']['rps']:,.0f} + 0.05 / "
                 f"{sc['write']['rps']:,.0f}) = {mp:,.0f} req/s; measured "
                 f"{sc['mix']['rps']:,.0f} = {sc['mix']['rps'] / mp:.2f} x.")
    m = main["mem"]
    L.append(f"Memory of the server that ran the scenarios above (/proc/PID/status at their "
             f"end): RssAnon {m['rss_anon_mb']:.1f} MB (peak {m['peak_rss_anon_mb']:.1f} MB "
             f"in {m['samples']} samples every {MEM_SAMPLE_S:g} s), RssFile "
             f"{m['rss_file_mb']:.1f} MB (peak {m['peak_rss_file_mb']:.1f} MB), RssShmem "
             f"{m['rss_shmem_mb']:.1f} MB, VmHWM {m['vm_hwm_mb']:.1f} MB (all three together).")
    rq = main["requests"]
    L.append(f"Multi-user requests: {rq['users']} users, {rq['search_texts']:,} search texts, "
             f"{rq['list_texts']:,} list texts, party ids from {rq['id_samples']:,} Zipf "
             f"(s = {queries.ZIPF_S}) draws over the range ({rq['distinct_ids']:,} distinct; "
             f"the hottest party gets {rq['top1_share']:.1%} of the reads, the top 10 "
             f"{rq['top10_share']:.1%}).")
    L.append("")
    L.append(f"Writes: {w:,.0f} activities/s, each acknowledged after its commit is on disk "
             f"(WAL, synchronous=FULL, group commit); the disk does {info['fsync_per_s']:,.0f} "
             f"fsync/s alone, so {w / info['fsync_per_s']:.1f} writes per fsync. "
             "360 is GET /parties/{id}/view; 360-pair is the earlier stand-in (GET "
             "/parties/{id} then its timeline): it counts two requests per view and its SQL "
             "ratio compares views. floor is GET /api/v1/session: authenticated, reads no "
             "party data; what xrm's HTTP layer and authentication cost alone, the most any "
             "scenario could reach.\n")
    drift = main.get("sql_drift")
    if drift is not None:
        if drift["server_only"]:
            L.append("**sqlbench is out of step with the server**, so the SQL columns are not "
                     "the server's exact work. Statements the server ran that sqlbench does not:"
                     "\n")
            # a list of many parameters (a page's ids) is shortened to its length
            L += ["- `" + re.sub(r"\?(?:, \?){7,}", lambda m: f"?, ... ({m.group(0).count('?')})",
                                 q) + "`" for q in drift["server_only"]]
            L.append("")
        else:
            L.append("sqlbench runs every statement the server ran for a sample of these "
                     "requests (recorded with bench/sqltrace.so)"
                     + (f"; {len(drift['sqlbench_only'])} of its statements did not come up "
                        "in the sample (they need data the sampled parties lack, such as open "
                        "tasks)" if drift["sqlbench_only"] else "") + ".\n")
    au = main.get("automation")
    if au:
        L.append(f"Automation scheduler: its first pass (it starts with the server) "
                 + (f"took {au['seconds']:.1f} s" if au["finished"]
                    else f"had not finished after {au['seconds']:.0f} s")
                 + f" on this data set and fired {au['fired_rows']:,} automations (follow-up "
                 f"tasks, written 128 to a durable commit); peak RSS {au['rss_mb']:.1f} MB, "
                 + (f"of which anonymous memory at most {au['anon_mb']:.1f} MB (read every "
                    "0.25 s; the rest is database pages mapped). " if "anon_mb" in au else "")
                 + "The scenarios run with XRM_AUTOMATION_INTERVAL=0.\n")

    if "sweep" in main:
        L.append("## Worker threads\n")
        cols = [c for c in ("read", "write", "mix") if c in main["sweep"][0]]
        L.append("| --threads | " + " | ".join(f"{c} req/s" for c in cols) + " | peak RSS MB |")
        L.append("| ---: | " + " | ".join("---:" for _ in cols) + " | ---: |")
        for row in main["sweep"]:
            L.append(f"| {row['threads']} | " + " | ".join(f"{row[c]:,.0f}" for c in cols)
                     + f" | {row['rss_mb']:.1f} |")
        L.append(f"\nChosen: {main['threads']} (best mix).\n")

    L.append("## Growth\n")
    sizes = [r["n"] for r in runs]
    L.append("Multi-user, response cache on (it hits little). Latency under load "
             "(64 connections) is mostly queueing (about connections / "
             "throughput); the 1-connection latency is the time one request takes, and the "
             "trend is judged on its p50.\n")
    L.append("| scenario | parties | req/s (64 conn) | p50 | p99 | p50, 1 conn | p99, 1 conn | "
             "SQL p50 | SQL p99 |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    trends = []
    for scn in GROWTH_SCENARIOS:
        p50s = []
        for r in runs:
            x, o, q = r["scenarios"][scn], r["one_conn"][scn], r["sql"][scn]
            p50s.append(o["latency_us"]["p50"])
            L.append(f"| {scn} | {r['n']:,} | {x['rps']:,.0f} | {ms(x['latency_us']['p50'])} | "
                     f"{ms(x['latency_us']['p99'])} | {ms(o['latency_us']['p50'])} | "
                     f"{ms(o['latency_us']['p99'])} | {ms(q['latency_us']['p50'])} | "
                     f"{ms(q['latency_us']['p99'])} |")
        trends.append(f"{scn}: {growth_trend(p50s, sizes)}")
    if len(sizes) > 1:
        L.append(f"\nTrend of the 1-connection p50 from {human(sizes[0])} to {human(sizes[-1])}: "
                 + "; ".join(trends) + ".\n")
    else:
        L.append("\n(One size only in this mode; `make bench` runs 10k, 100k and 1M.)\n")
    L.append("## Data sets and load\n")
    L.append("| parties | roles | relationships | activities | DB size | parties/s | "
             "relationships/s | activities/s | load time | loaded |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for m in loads:
        c, ld = m["counts"], m["load"]
        L.append(f"| {c['parties']:,} | {c['roles']:,} | {c['relationships']:,} | "
                 f"{c['activities']:,} | {m['db_bytes'] / 1e6:,.0f} MB | "
                 f"{ld['parties']['per_second']:,.0f} | "
                 f"{ld['relationships']['per_second']:,.0f} | "
                 f"{ld['activities']['per_second']:,.0f} | {ld['seconds']:,.0f} s | "
                 f"{m['loaded_at']}{' (reused)' if m['reused'] else ''} |")
    L.append("")
    L.append("Start-up (exec to 'listening on', warm page cache): " + ", ".join(
        f"{human(r['n'])} {r['startup_ms']['median']:.1f} ms" for r in runs) + ".\n")
    return "\n".join(L)


def update_readme(md, path, mode):
    with open(README) as f:
        text = f.read()
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0:
        log("bench/README.md has no results markers; not updated")
        return
    body = md.split("\n", 1)[1]  # drop the title
    rel = os.path.relpath(path, BENCH)
    new = (f"{start}\n_Latest {mode} run; all numbers in [{rel}]({rel})._\n\n"
           + body.replace("\n## ", "\n### ") + f"\n{end}")
    with open(README, "w") as f:
        f.write(text[:i] + new + text[j + len(end):])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=sorted(MODES))
    args = ap.parse_args()
    cfg = dict(MODES[args.mode])
    if os.environ.get("BENCH_SIZES"):  # e.g. BENCH_SIZES=10000,100000 bench/run.sh quick
        cfg["sizes"] = [int(x) for x in os.environ["BENCH_SIZES"].split(",")]
    os.chdir(ROOT)
    started = datetime.datetime.now()
    os.makedirs(RESULTS, exist_ok=True)
    # A private copy: a rebuild of build/xrm during a long run must not mix binaries.
    # No "xrm" in the names on our command lines: a broad `pkill -f xrm` elsewhere on
    # the machine (it happened) must not end an hour-long load.
    global XRM
    src, XRM = XRM, os.path.join(WORK, "server-under-test")
    shutil.copy2(src, XRM)
    log(f"xrm benchmark ({args.mode}), binary {src} (sha256 {sha256_file(XRM)[:12]})")
    info = machine_info()
    log(f"machine: {info['nproc']} CPUs {info['cpu']}, {info['ram_gb']:.1f} GB, "
        f"{info['disk']}, {info['fsync_per_s']:.0f} fsync/s, load {info['loadavg']}")
    schema = binary_schema()
    gen_hash = generator_fingerprint()

    loads, dbs = [], []
    for n in cfg["sizes"]:
        db, meta = ensure_dataset(n, schema, gen_hash)
        meta["users"] = queries.ensure_users(XRM, db, os.path.dirname(db), log)
        loads.append(meta)
        dbs.append(db)
        ld = meta["load"]
        log(f"  load: {ld['parties']['per_second']:,.0f} parties/s, "
            f"{ld['relationships']['per_second']:,.0f} relationships/s, "
            f"{ld['activities']['per_second']:,.0f} activities/s")

    res, runs = {}, []
    order = list(range(len(cfg["sizes"])))
    main_i = order[-1]
    # the main size first: it picks the thread count the growth runs use
    for i in [main_i] + order[:-1]:
        n = cfg["sizes"][i]
        log(f"scenarios at {human(n)} parties")
        r = run_size(n, dbs[i], loads[i], cfg, i == main_i, res)
        if i == main_i:
            res["threads"] = r["threads"]
        runs.append(r)
    runs.sort(key=lambda r: r["n"])

    log("limit: nginx")
    body = res["party_body"]
    nginx = run_nginx(body, cfg, runs[-1]["lo"], runs[-1]["hi"])

    md = report(args.mode, cfg, info, loads, runs, nginx, len(body), started)
    name = started.strftime("%Y-%m-%d") + ("" if args.mode == "full" else "-" + args.mode)
    path = os.path.join(RESULTS, name + ".md")
    with open(path, "w") as f:
        f.write(md)
    with open(os.path.join(WORK, name + ".json"), "w") as f:
        json.dump({"info": info, "loads": loads, "runs": runs, "nginx": nginx}, f, indent=1)
    if args.mode == "full" or os.environ.get("BENCH_UPDATE_README"):
        update_readme(md, path, args.mode)
    print(md)
    log(f"results: {path} ({(datetime.datetime.now() - started).total_seconds():.0f} s)")


if __name__ == "__main__":
    main()
