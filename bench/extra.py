#!/usr/bin/env python3
"""Two measurements beside the main benchmark (bench/bench.py):

  python3 bench/extra.py engines     # SQLite and PostgreSQL side by side (issue 8)
  python3 bench/extra.py treatment   # what treatment rules add to a 50-party list (issue 5)
  python3 bench/extra.py all         # both (the default)

engines: the 10k data set (bench/data/10000/db.sqlite, made by `make bench`;
built here in bench/work/extra/ when it is missing) is copied with
`xrm copy` into a throwaway PostgreSQL 15 cluster (scripts/pg.sh, with
fsync and full_page_writes turned back on, so writes are as durable as on
SQLite), and `xrm serve` runs on each engine. The main scenarios run with
wrk -t2 -c64, alternating engines scenario by scenario; report:
bench/results/<date>-engines.md.

treatment: on a copy of the same SQLite data set, the 50-party list
(GET /api/v1/parties?q=role:customer&limit=50) runs with the shipped
treatment rules enabled and with every rule disabled (PATCH
/api/v1/rules/{id} {"enabled": false}, re-enabled after), alternating, at
64 connections and at 1; then the same request under
`valgrind --tool=callgrind` gives instruction counts that do not depend on
the machine's load; report: bench/results/<date>-treatment.md.

Every server listens on 127.0.0.1 only and is stopped at the end, also on
failure or a signal (SIGINT, SIGTERM, SIGHUP). Scratch files live in
bench/work/extra/ (pids of running servers in bench/work/extra/pids), the
PostgreSQL cluster in a /tmp/xrm-extra-pg-* directory that is removed at the
end. --smoke makes every run short (1 s) and writes its reports to
bench/work/extra/ instead of bench/results/, for testing this script.

Reused from bench/bench.py: constants and small helpers (counts, ms,
loadavg, vm_hwm_kb). Not reused: its Server, which records pids in
bench/work/pids (the file run.sh's trap of a running `make bench` reads and
rewrites), and its wrk runner, which is tied to bench/xrm.lua (no /view
scenario, the list half with partner.tier:gold); the equivalents here are
small, and the wrk script (bench/work/extra/extra.lua, written at start) has
the same request shapes and the same BENCHJSON output as bench/xrm.lua.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import bench  # noqa: E402  (helpers and constants only; see the docstring)

BENCH = "bench"
EXTRA = os.path.join(BENCH, "work", "extra")
RESULTS = os.path.join(BENCH, "results")
DATASET = os.path.join(BENCH, "data", "10000", "db.sqlite")
DATASET_META = os.path.join(BENCH, "data", "10000", "meta.json")
OWN_DATASET = os.path.join(EXTRA, "data-10000", "db.sqlite")
XRM_SRC = os.environ.get("XRM_BIN", os.path.join("build", "xrm"))
# A private copy (a rebuild during the run must not mix binaries); no "xrm" in
# the name, as in bench.py, so a broad `pkill -f xrm` elsewhere misses it.
XRM = os.path.join(EXTRA, "server-extra")
LUA = os.path.join(EXTRA, "extra.lua")
PIDFILE = os.path.join(EXTRA, "pids")
PG_SH = os.path.join("scripts", "pg.sh")
PG_DB = "xrm_bench"
THREADS = 2  # what bench.py's sweep picked on this 2-CPU machine (bench/results/*-quick.md)
WRK_THREADS, WRK_CONNS = 2, 64
TREAT_PATH = "/api/v1/parties?q=role%3Acustomer&limit=50"
ENGINE_SCENARIOS = [
    ("read", "GET /api/v1/parties/{id}"),
    ("360", "GET /api/v1/parties/{id}/view"),
    ("search", "GET /api/v1/parties?q=<3-letter prefix>&limit=20"),
    ("list", "GET /api/v1/parties?q=role:customer role:partner&limit=50"),
    ("write", "POST /api/v1/activities (durable)"),
]
ONE_CONN = ["read", "360", "search", "list"]

LUA_TEXT = r"""-- wrk script of bench/extra.py (written by it; same shapes as bench/xrm.lua).
--   BENCH_TOKEN=T wrk -t2 -c64 -d5s -s extra.lua URL -- SCENARIO MIN_ID MAX_ID
-- SCENARIO: read | 360 (/view) | search | list | treat | write
local prefixes = {
  "jan", "dij", "bak", "vis", "mee", "mul", "gro", "bos", "pet", "hen", "lee", "dek",
  "bro", "wil", "smi", "ber", "kui", "ver", "mar", "san", "ann", "tho", "kee", "joh",
  "pie", "lot", "fem", "emm", "jon", "haa", "hui", "wit", "sop", "lis", "eva", "ing"}
local subjects = {"Terugbelverzoek", "Offerte besproken", "Vraag over factuur",
                  "Kennismakingsgesprek", "Klacht over levering", "Afspraak bevestigd"}
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end
function init(args)
  scenario = args[1] or "read"
  lo = tonumber(args[2] or "1")
  hi = tonumber(args[3] or "1")
  math.randomseed(7919 * (tid or 1) + 17)
  local token = os.getenv("BENCH_TOKEN") or ""
  get_headers = {["Authorization"] = "Bearer " .. token}
  post_headers = {["Authorization"] = "Bearer " .. token,
                  ["Content-Type"] = "application/json"}
end
function request()
  if scenario == "read" then
    return wrk.format("GET", "/api/v1/parties/" .. math.random(lo, hi), get_headers)
  elseif scenario == "360" then
    return wrk.format("GET", "/api/v1/parties/" .. math.random(lo, hi) .. "/view", get_headers)
  elseif scenario == "search" then
    return wrk.format("GET", "/api/v1/parties?q=" .. prefixes[math.random(#prefixes)] ..
                      "&limit=20", get_headers)
  elseif scenario == "list" then
    return wrk.format("GET", "/api/v1/parties?q=role%3Acustomer%20role%3Apartner&limit=50",
                      get_headers)
  elseif scenario == "treat" then
    return wrk.format("GET", "/api/v1/parties?q=role%3Acustomer&limit=50", get_headers)
  elseif scenario == "write" then
    local body = string.format(
      '{"type":"%s","domain":"sales","subject":"%s","body":"Benchmark","parties":[%d]}',
      math.random(2) == 1 and "note" or "call", subjects[math.random(#subjects)],
      math.random(lo, hi))
    return wrk.format("POST", "/api/v1/activities", post_headers, body)
  end
  error("unknown scenario " .. tostring(scenario))
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""

log = bench.log
ms = bench.ms
CLEANUPS = []  # callables run in reverse order at the end, also on failure
BENCH_SEEN = []  # was `bench.py full` running at each measurement?


def run(args, **kw):
    try:
        return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"{' '.join(args)} failed ({e.returncode}):\n{e.stderr}") from None


def bench_running():
    """Is bench/bench.py (any mode: make bench, make bench-quick, smoke) running?"""
    r = subprocess.run(["pgrep", "-f", r"bench\.py (full|quick|smoke)"], capture_output=True,
                       text=True)
    return bool(r.stdout.split())


def rm_db(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)


def copy_db(src, dst):
    """The file and its WAL, as bench.py's working_copy does (no server runs on src);
    checked against the counts of the original (a data set reloaded meanwhile fails)."""
    want = bench.counts(src)
    rm_db(dst)
    for suffix in ("", "-wal"):
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)
    got = bench.counts(dst)
    if got != want:
        raise RuntimeError(f"copy of {src} differs from it ({got} != {want}); reloaded?")
    return dst


# ------------------------------------------------------------------ processes

def pid_add(pid):
    bench.pid_add(pid, PIDFILE)


def pid_remove(pid):
    bench.pid_remove(pid, PIDFILE)


class Server:
    """One `xrm serve --listen 127.0.0.1:0` (optionally under a wrapper such as valgrind)."""

    def __init__(self, db, log_path, threads=THREADS, prefix=(), wait=60):
        args = list(prefix) + [XRM, "serve", "--db", db, "--listen", "127.0.0.1:0",
                               "--threads", str(threads)]
        self.log = open(log_path, "ab")
        env = dict(os.environ, XRM_AUTOMATION_INTERVAL="0")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, env=env)
        self.pid = self.proc.pid
        pid_add(self.pid)
        CLEANUPS.append(self.stop)
        line, deadline = b"", time.monotonic() + wait
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                self.stop()
                raise RuntimeError(f"xrm serve did not say 'listening on' in {wait} s; "
                                   f"see {log_path}")
            b = os.read(self.proc.stdout.fileno(), 1)
            if not b:
                self.stop()
                raise RuntimeError(f"xrm serve exited ({self.proc.wait()}); see {log_path}")
            line += b
        m = re.search(rb"listening on http://(127\.0\.0\.1):(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError(f"unexpected first line from xrm serve: {line!r}")
        self.url = f"http://127.0.0.1:{int(m.group(2))}"

    def stop(self, timeout=30):
        """SIGTERM (a clean stop; callgrind writes its profile then), SIGKILL after timeout."""
        hwm = 0.0
        if self.proc.poll() is None:
            hwm = bench.vm_hwm_kb(self.pid) / 1024
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        pid_remove(self.pid)
        if not self.proc.stdout.closed:
            self.proc.stdout.close()
        if not self.log.closed:
            self.log.close()
        return hwm


class PgCluster:
    """scripts/pg.sh's throwaway cluster (a /tmp directory, a free loopback port)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="xrm-extra-pg-")
        CLEANUPS.append(self.stop)
        run(["sh", PG_SH, "start", self.dir])
        self.base = run(["sh", PG_SH, "url", self.dir]).strip()
        self.url = f"{self.base}/{PG_DB}"
        self.psql("postgres", f"CREATE DATABASE {PG_DB}")
        # pg.sh runs with fsync and full_page_writes off (fine for tests); a benchmark
        # that compares durable writes with SQLite's synchronous=FULL wants them on.
        # Both take effect on a reload.
        self.psql("postgres", "ALTER SYSTEM SET fsync = on")
        self.psql("postgres", "ALTER SYSTEM SET full_page_writes = on")
        self.psql("postgres", "SELECT pg_reload_conf()")
        time.sleep(0.5)
        self.settings = {k: self.psql("postgres", f"SHOW {k}").strip()
                         for k in ("server_version", "fsync", "full_page_writes",
                                   "synchronous_commit", "shared_buffers", "wal_level")}

    def psql(self, db, sql):
        return run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                    f"{self.base}/{db}", "-c", sql])

    def count_statements(self, fn):
        """Statements PostgreSQL runs while fn() runs (log_min_duration_statement = 0)."""
        self.psql("postgres", "ALTER SYSTEM SET log_min_duration_statement = 0")
        self.psql("postgres", "SELECT pg_reload_conf()")
        time.sleep(0.5)
        logf = os.path.join(self.dir, "log")
        pat = re.compile(r"LOG:  duration: [\d.]+ ms  (?:execute|statement)")
        try:
            with open(logf, errors="replace") as f:
                before = len(pat.findall(f.read()))
            fn()
            time.sleep(0.3)
            with open(logf, errors="replace") as f:
                return len(pat.findall(f.read())) - before
        finally:
            self.psql("postgres", "ALTER SYSTEM RESET log_min_duration_statement")
            self.psql("postgres", "SELECT pg_reload_conf()")
            time.sleep(0.5)

    def stop(self):
        if self.dir and os.path.isdir(self.dir):
            subprocess.run(["sh", PG_SH, "stop", self.dir], capture_output=True)
            shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


# ------------------------------------------------------------------ HTTP and wrk

def http(url, token, method, path, body=None, headers=None):
    h = {"Authorization": f"Bearer {token}"}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body).encode()
    h.update(headers or {})
    req = urllib.request.Request(url + path, data=body, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def http_ok(url, token, method, path, body=None, headers=None):
    status, data = http(url, token, method, path, body, headers)
    if status // 100 != 2:
        raise RuntimeError(f"{method} {path}: HTTP {status}: {data[:300]!r}")
    return json.loads(data) if data else None


def wrk(url, scenario, token, lo, hi, secs, conns=WRK_CONNS):
    """bench.wrk with this file's script; notes whether bench.py ran beside it."""
    BENCH_SEEN.append(bench_running())
    return bench.wrk(url, scenario, token, lo, hi, secs, conns, lua=LUA)


def fmt_run(r):
    lat = r["latency_us"]
    return (f"{r['rps']:8.0f} req/s  p50 {ms(lat['p50']):>7} ms  p99 {ms(lat['p99']):>7} ms"
            + (f"  ERRORS {r['errors']}" if r["errors_total"] else ""))


# ------------------------------------------------------------------ data set

def token_for(db):
    return run([XRM, "token", "create", "--db", db, "--user", "admin"]).strip().splitlines()[-1]


def gen_load_binary():
    built = os.path.join(BENCH, "work", "gen-load")
    if os.path.exists(built):
        return built
    own = os.path.join(EXTRA, "gen-load")
    run(["gcc", "-std=c17", "-O2", "-Wall", "-pthread", "-o", own,
         os.path.join(BENCH, "gen-load.c")])
    return own


def dataset(n):
    """bench/data/10000/db.sqlite when make bench made it; else one built here the same way."""
    # meta.json is written after the load completes: without it, a `make bench` may be
    # loading the set right now
    if n == 10_000 and os.path.exists(DATASET) and os.path.exists(DATASET_META):
        return DATASET, "bench/data/10000 (made by `make bench`)"
    db = OWN_DATASET if n == 10_000 else os.path.join(EXTRA, f"data-{n}", "db.sqlite")
    if os.path.exists(db + ".done"):
        return db, f"{os.path.dirname(db)} (built by bench/extra.py)"
    os.makedirs(os.path.dirname(db), exist_ok=True)
    rm_db(db)
    log(f"building a {n}-party data set in {db} (xrm init + gen-load through the import API)")
    run([XRM, "init", "--db", db], env=dict(os.environ, XRM_ADMIN_PASSWORD=bench.ADMIN_PASSWORD))
    token = token_for(db)
    srv = Server(db, os.path.join(os.path.dirname(db), "load-serve.log"))
    try:
        subprocess.run([gen_load_binary(), "--parties", str(n), "--seed", str(bench.SEED),
                        "--batch", str(bench.LOAD_BATCH)], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, XRM_TOKEN=token, BENCH_URL=srv.url))
    finally:
        srv.stop()
    open(db + ".done", "w").close()
    return db, f"{os.path.dirname(db)} (built by bench/extra.py)"


# ------------------------------------------------------------------ machine

def machine():
    info = {"nproc": os.cpu_count(), "kernel": os.uname().release}
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
        info["cpu"] = m.group(1).strip() if m else "unknown"
    with open("/proc/meminfo") as f:
        m = re.search(r"^MemTotal:\s*(\d+)", f.read(), re.M)
        info["ram_gb"] = int(m.group(1)) / 1024 / 1024 if m else 0
    try:
        info["commit"] = run(["git", "rev-parse", "--short", "HEAD"]).strip()
        if run(["git", "status", "--porcelain", "--", "src"]).strip():
            info["commit"] += " + uncommitted changes in src/"
    except RuntimeError:
        info["commit"] = "unknown"
    with open(XRM, "rb") as f:
        info["binary_sha"] = hashlib.sha256(f.read()).hexdigest()[:12]
    info["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    info["loadavg"] = bench.loadavg()
    info["bench_running_at_start"] = bench_running()
    info["started"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return info


def machine_line(info):
    return (f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']:.1f} GB RAM, Linux "
            f"{info['kernel']}, wrk {info['wrk']}; xrm {info['commit']} (binary sha256 "
            f"{info['binary_sha']}), `xrm serve --threads {THREADS}`, "
            "XRM_AUTOMATION_INTERVAL=0. wrk runs on the same machine as the server. "
            f"Started {info['started']}; load average (1 min) {info['loadavg']:.2f} at the "
            f"start, {min(bench.LOADAVGS):.2f} to {max(bench.LOADAVGS):.2f} before the wrk runs.")


def concurrency_note():
    if not BENCH_SEEN:
        return ""
    if all(BENCH_SEEN):
        return ("**bench/bench.py was running during every measurement here**: its load "
                "shares the 2 CPUs, so rates are lower and noisier than on an idle machine; "
                "the ratios, taken from runs close in time, are the fairer numbers.")
    if any(BENCH_SEEN):
        k = sum(BENCH_SEEN)
        return (f"**bench/bench.py was running during {k} of {len(BENCH_SEEN)} wrk runs** "
                "here; those share the CPUs with it.")
    return ("No other benchmark was running (`pgrep -f 'bench\\.py (full|quick|smoke)'` "
            "found none before any wrk run).")


# ------------------------------------------------------------------ engines

def engines(cfg, info):
    src, src_desc = dataset(10_000)
    c = bench.counts(src)
    lo, hi = c["min_id"], c["max_id"]
    db = copy_db(src, os.path.join(EXTRA, "engines.sqlite"))
    log(f"engines: {src} -> {db}; PostgreSQL cluster via {PG_SH}")
    pg = PgCluster()
    log(f"  PostgreSQL {pg.settings['server_version']} at {pg.url}")
    t0 = time.monotonic()
    copy_out = run([XRM, "copy", "--quiet", "--from", f"sqlite:{db}", "--to", pg.url])
    copy_s = time.monotonic() - t0
    log(f"  xrm copy: {copy_s:.1f} s")
    pg.psql(PG_DB, "VACUUM ANALYZE")
    pg_bytes = int(pg.psql(PG_DB, f"SELECT pg_database_size('{PG_DB}')").strip())
    sq_bytes = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))

    engines_ = [("sqlite", db), ("postgresql", pg.url)]
    tokens = {name: token_for(d) for name, d in engines_}
    servers = {}
    res = {name: {} for name, _ in engines_}
    one = {name: {} for name, _ in engines_}
    rss = {}
    try:
        for name, d in engines_:
            servers[name] = Server(d, os.path.join(EXTRA, f"engines-{name}.log"))
            s, t = servers[name], tokens[name]
            mid = (lo + hi) // 2
            for path in (f"/api/v1/parties/{mid}", f"/api/v1/parties/{mid}/view",
                         "/api/v1/parties?q=jan&limit=20",
                         "/api/v1/parties?q=role%3Acustomer%20role%3Apartner&limit=50"):
                http_ok(s.url, t, "GET", path)
            wrk(s.url, "read", t, lo, hi, cfg["warm"])  # warm caches and connections
        # How many statements one request of each kind runs on PostgreSQL (each one a
        # round trip over loopback TCP; on SQLite a library call).
        mid = (lo + hi) // 2
        pgs, pgt = servers["postgresql"], tokens["postgresql"]
        probes = {
            "read": ("GET", f"/api/v1/parties/{mid}", None),
            "360": ("GET", f"/api/v1/parties/{mid}/view", None),
            "search": ("GET", "/api/v1/parties?q=jan&limit=20", None),
            "list": ("GET", "/api/v1/parties?q=role%3Acustomer%20role%3Apartner&limit=50", None),
            "write": ("POST", "/api/v1/activities",
                      {"type": "note", "domain": "sales", "subject": "Probe", "body": "x",
                       "parties": [mid]}),
        }
        stmts = {}
        for scn, (method, path, body) in probes.items():
            stmts[scn] = pg.count_statements(
                lambda: http_ok(pgs.url, pgt, method, path, body))
            if method == "POST":  # the same row on SQLite, so both hold the same data
                http_ok(servers["sqlite"].url, tokens["sqlite"], method, path, body)
        log("  PostgreSQL statements per request: "
            + ", ".join(f"{k} {v}" for k, v in stmts.items()))
        # Scenario by scenario, SQLite then PostgreSQL: the two runs of a row are
        # close in time. The write runs come last (they add activities).
        for scn, _ in ENGINE_SCENARIOS:
            for name, _ in engines_:
                r = wrk(servers[name].url, scn, tokens[name], lo, hi, cfg["secs"])
                res[name][scn] = r
                log(f"  {scn:7s} {name:10s} {fmt_run(r)}")
            if scn == ONE_CONN[-1]:
                for s1 in ONE_CONN:
                    for name, _ in engines_:
                        r = wrk(servers[name].url, s1, tokens[name], lo, hi, cfg["one_secs"],
                                conns=1)
                        one[name][s1] = r
                        log(f"  {s1:7s} {name:10s} 1 conn {fmt_run(r)}")
    finally:
        for name, s in servers.items():
            rss[name] = s.stop()
        pg.stop()
    return dict(src=src, src_desc=src_desc, counts=c, res=res, one=one, rss=rss, stmts=stmts,
                pg=pg.settings, copy_s=copy_s, copy_out=copy_out, pg_bytes=pg_bytes,
                sq_bytes=sq_bytes)


def engines_report(cfg, info, e):
    date = info["started"][:10]
    L = [f"# xrm on SQLite and PostgreSQL, {date}{' (smoke run)' if cfg['smoke'] else ''}\n"]
    L.append(machine_line(info) + "\n")
    L.append(concurrency_note() + "\n")
    c = e["counts"]
    L.append(f"Data: {c['parties']:,} parties, {c['roles']:,} roles, {c['relationships']:,} "
             f"relationships, {c['activities']:,} activities from {e['src_desc']}; a copy "
             f"({e['sq_bytes'] / 1e6:.0f} MB) for SQLite, and that copy copied into PostgreSQL "
             f"with `xrm copy` ({e['copy_s']:.1f} s, verified per table; "
             f"{e['pg_bytes'] / 1e6:.0f} MB after `VACUUM ANALYZE`).\n")
    p = e["pg"]
    L.append(f"PostgreSQL {p['server_version']} on the same machine (scripts/pg.sh: a "
             f"throwaway cluster on a loopback TCP port, shared_buffers {p['shared_buffers']}), "
             f"with fsync={p['fsync']}, full_page_writes={p['full_page_writes']}, "
             f"synchronous_commit={p['synchronous_commit']} (pg.sh turns the first two off; "
             "they are turned back on here so a write is acknowledged only when durable, as "
             "on SQLite with WAL and synchronous=FULL). xrm opens one connection per worker "
             f"thread plus one for writes ({THREADS + 1}).\n")
    L.append(f"## Main scenarios, wrk -t{WRK_THREADS} -c{WRK_CONNS}, {cfg['secs']} s each\n")
    L.append("Latencies in ms. Each row's two runs are back to back (SQLite first); the ratio "
             "is PostgreSQL req/s over SQLite req/s.\n")
    L.append("| scenario | request | SQLite req/s | p50 | p99 | PostgreSQL req/s | p50 | p99 | "
             "ratio PG/SQLite | errors S/PG | PG statements per request |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for scn, what in ENGINE_SCENARIOS:
        a, b = e["res"]["sqlite"][scn], e["res"]["postgresql"][scn]
        L.append(f"| {scn} | {what} | {a['rps']:,.0f} | {ms(a['latency_us']['p50'])} | "
                 f"{ms(a['latency_us']['p99'])} | {b['rps']:,.0f} | "
                 f"{ms(b['latency_us']['p50'])} | {ms(b['latency_us']['p99'])} | "
                 f"{b['rps'] / a['rps']:.2f} | {a['errors_total']} / {b['errors_total']} | "
                 f"{e['stmts'].get(scn, '–')} |")
    L.append("")
    L.append(f"## One connection, {cfg['one_secs']} s each\n")
    L.append("One request at a time (wrk -t1 -c1): what a request costs without queueing.\n")
    L.append("| scenario | SQLite req/s | p50 | p99 | PostgreSQL req/s | p50 | p99 | "
             "ratio PG/SQLite | p50 difference per PG statement |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for scn in ONE_CONN:
        a, b = e["one"]["sqlite"][scn], e["one"]["postgresql"][scn]
        k = e["stmts"].get(scn)
        per = (f"{(b['latency_us']['p50'] - a['latency_us']['p50']) / k:.0f} µs"
               if k else "–")
        L.append(f"| {scn} | {a['rps']:,.0f} | {ms(a['latency_us']['p50'])} | "
                 f"{ms(a['latency_us']['p99'])} | {b['rps']:,.0f} | "
                 f"{ms(b['latency_us']['p50'])} | {ms(b['latency_us']['p99'])} | "
                 f"{b['rps'] / a['rps']:.2f} | {per} |")
    L.append("")
    L.append(f"Peak RSS of the xrm server (VmHWM): SQLite {e['rss']['sqlite']:.1f} MB, "
             f"PostgreSQL {e['rss']['postgresql']:.1f} MB (PostgreSQL's own processes "
             "not counted).\n")
    L.append("## Notes\n")
    L.append("- PG statements per request: counted once per kind with PostgreSQL's "
             "log_min_duration_statement = 0 (off again for the runs): `execute` and "
             "`statement` lines in its log for one request (read and 360 of the middle "
             "party, search `jan`, the list query, one activity). Each is a round trip "
             "between xrm and PostgreSQL; SQLite answers the same statements in-process. "
             "The last column of the one-connection table divides the p50 difference by "
             "that count: the cost of one round trip on this machine, which at one "
             "connection includes waking the PostgreSQL backend and the xrm thread.")
    L.append("- PostgreSQL's backends run on the same 2 CPUs as xrm and wrk, and every query "
             "is a loopback round trip instead of a library call; on SQLite the whole "
             "request stays in one process. A separate database machine would take the "
             "backends' CPU off the xrm machine (not measured here).")
    L.append("- The 360 row is one request per view (`/view`), unlike bench.py's two-request "
             "stand-in. The list row is the plain `role:customer role:partner` query "
             "(bench.py adds `partner.tier:gold` to half of its list requests).")
    L.append("- Writes: each POST is acknowledged after its commit is durable on both "
             "engines (SQLite: WAL, synchronous=FULL, group commit; PostgreSQL: fsync on, "
             "synchronous_commit on; xrm serialises writes with one advisory lock and "
             "batches concurrent ones into one commit).")
    L.append("")
    L.append("## How to run\n")
    L.append("```sh\npython3 bench/extra.py engines     # this report; "
             "python3 bench/extra.py all runs both\n```\n")
    L.append("By hand, the same steps:\n")
    L.append("```sh\n"
             "cp bench/data/10000/db.sqlite /tmp/e.sqlite\n"
             "dir=$(mktemp -d /tmp/xrm-pg-XXXXXX); scripts/pg.sh start $dir\n"
             "URL=$(scripts/pg.sh url $dir)\n"
             "psql $URL/postgres -c 'CREATE DATABASE xrm_bench'\n"
             "psql $URL/postgres -c 'ALTER SYSTEM SET fsync = on' "
             "-c 'ALTER SYSTEM SET full_page_writes = on' -c 'SELECT pg_reload_conf()'\n"
             "build/xrm copy --from sqlite:/tmp/e.sqlite --to $URL/xrm_bench\n"
             "psql $URL/xrm_bench -c 'VACUUM ANALYZE'\n"
             "XRM_AUTOMATION_INTERVAL=0 build/xrm serve --db /tmp/e.sqlite "
             "--listen 127.0.0.1:0 --threads 2 &\n"
             "XRM_AUTOMATION_INTERVAL=0 build/xrm serve --db $URL/xrm_bench "
             "--listen 127.0.0.1:0 --threads 2 &\n"
             "BENCH_TOKEN=$(build/xrm token create --db ... --user admin | tail -1) \\\n"
             f"  wrk -t2 -c64 -d{cfg['secs']}s --timeout 30s -s bench/work/extra/extra.lua "
             "http://127.0.0.1:PORT -- SCENARIO 1 10000\n"
             "scripts/pg.sh stop $dir\n```\n")
    return "\n".join(L)


# ------------------------------------------------------------------ treatment

def rules_of(url, token):
    return http_ok(url, token, "GET", "/api/v1/rules")["items"]


def set_rules(url, token, ids, enabled):
    """PATCH {"enabled": ...} with If-Match of each rule's current version."""
    for r in rules_of(url, token):
        if r["id"] in ids and r["enabled"] != enabled:
            http_ok(url, token, "PATCH", f"/api/v1/rules/{r['id']}", {"enabled": enabled},
                    {"If-Match": f"\"{r['version']}\""})
    now = {r["id"]: r["enabled"] for r in rules_of(url, token)}
    if any(now[i] != enabled for i in ids):
        raise RuntimeError(f"rules not {'enabled' if enabled else 'disabled'}: {now}")


def page_stats(url, token):
    """Bytes of the list page and how many of its parties a rule matched."""
    status, body = http(url, token, "GET", TREAT_PATH)
    if status != 200:
        raise RuntimeError(f"GET {TREAT_PATH}: HTTP {status}")
    items = json.loads(body)["items"]
    matched = sum(1 for p in items if (p.get("treatment") or {}).get("because"))
    return {"bytes": len(body), "items": len(items), "matched": matched}


def median_run(runs):
    return {"rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["latency_us"]["p50"] for r in runs),
            "p99": statistics.median(r["latency_us"]["p99"] for r in runs),
            "all": [r["rps"] for r in runs],
            "errors": sum(r["errors_total"] for r in runs)}


def treatment_wrk(cfg, src, lo, hi):
    db = copy_db(src, os.path.join(EXTRA, "treatment.sqlite"))
    token = token_for(db)
    s = Server(db, os.path.join(EXTRA, "treatment-serve.log"))
    ids, out = [], {}
    try:
        shipped = rules_of(s.url, token)
        ids = [r["id"] for r in shipped if r["enabled"]]
        out["rules"] = [(r["id"], r["name"], r["kind"], r["enabled"]) for r in shipped]
        out["page_on"] = page_stats(s.url, token)
        set_rules(s.url, token, ids, False)
        out["page_off"] = page_stats(s.url, token)
        set_rules(s.url, token, ids, True)
        wrk(s.url, "treat", token, lo, hi, cfg["warm"])
        for conns in (WRK_CONNS, 1):
            runs = {True: [], False: []}
            for i in range(cfg["rounds"]):
                # on/off, off/on, on/off: a drift in the machine's speed hits both alike
                for enabled in ((True, False) if i % 2 == 0 else (False, True)):
                    set_rules(s.url, token, ids, enabled)
                    wrk(s.url, "treat", token, lo, hi, 1, conns=conns)  # reload the rule cache
                    r = wrk(s.url, "treat", token, lo, hi, cfg["treat_secs"], conns=conns)
                    runs[enabled].append(r)
                    log(f"  {conns:2d} conn, rules {'on ' if enabled else 'off'} round {i + 1}: "
                        f"{fmt_run(r)}")
            out[conns] = {"on": median_run(runs[True]), "off": median_run(runs[False])}
    finally:
        try:
            if ids and s.proc.poll() is None:
                set_rules(s.url, token, ids, True)
                out["restored"] = True
        finally:
            s.stop()
    return out


CG_FUNCS = ["xrm_party_list", "xrm_rule_decorate", "xrm_rule_treatment", "xrm_health_of",
            "snap_load", "on_request"]


def cg_parse(path):
    """callgrind_annotate --inclusive=yes --tree=caller: inclusive Ir per function and per caller."""
    # Run from / : started in the source tree, callgrind_annotate (3.19) lists some
    # functions twice, under a relative and an absolute file name, splitting their callers.
    out = run(["callgrind_annotate", "--inclusive=yes", "--tree=caller", "--threshold=100",
               "--auto=no", os.path.abspath(path)], cwd="/")
    total = int(re.search(r"^\s*([\d,]+) \S*\s*PROGRAM TOTALS", out, re.M).group(1).replace(",", ""))
    line_re = re.compile(r"^\s*([\d,]+) \([^)]*\)\s+([<*])\s+(\S+?)(?: \(([\d,]+)x\))?(?: \[|$)")
    funcs, callers = {}, []
    for line in out.splitlines():
        m = line_re.match(line)
        if not m:
            if not line.strip():
                callers = []
            continue
        cost = int(m.group(1).replace(",", ""))
        name = m.group(3).rsplit(":", 1)[-1]
        if m.group(2) == "<":
            callers.append((name, cost, int((m.group(4) or "0").replace(",", ""))))
        else:
            # Code inlined from a header shows as a second entry under the header's file
            # name (e.g. /usr/include/jansson.h:on_request); keep the function's own entry,
            # the largest.
            if cost > funcs.get(name, {"incl": -1})["incl"]:
                funcs[name] = {"incl": cost, "callers": {}}
                for cn, cc, _ in callers:
                    funcs[name]["callers"][cn] = funcs[name]["callers"].get(cn, 0) + cc
            callers = []
    return total, funcs


def curl_list(url, token, n):
    for _ in range(n):
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                            "-H", f"Authorization: Bearer {token}", url + TREAT_PATH],
                           capture_output=True, text=True, timeout=300)
        if r.stdout != "200":
            raise RuntimeError(f"curl GET {TREAT_PATH}: {r.stdout} {r.stderr}")


def treatment_callgrind(cfg, src):
    """20 identical list requests under callgrind, rules on, then (same server) rules off."""
    db = copy_db(src, os.path.join(EXTRA, "callgrind.sqlite"))
    token = token_for(db)
    for f in glob.glob(os.path.join(EXTRA, "callgrind.out*")):
        os.unlink(f)
    out_tmpl = os.path.join(EXTRA, "callgrind.out.%p")
    s = Server(db, os.path.join(EXTRA, "callgrind-serve.log"), threads=1,
               prefix=["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_tmpl}"],
               wait=300)
    n = cfg["cg_requests"]
    files = {}
    try:
        ids = [r["id"] for r in rules_of(s.url, token) if r["enabled"]]
        for label, enabled in (("on", True), ("off", False)):
            set_rules(s.url, token, ids, enabled)
            curl_list(s.url, token, 1)  # warm: rule cache, statements, lazy binding
            run(["callgrind_control", "--zero", str(s.pid)])
            curl_list(s.url, token, n)
            before = set(glob.glob(os.path.join(EXTRA, "callgrind.out*")))
            run(["callgrind_control", f"--dump=rules-{label}", str(s.pid)])
            for _ in range(300):
                new = set(glob.glob(os.path.join(EXTRA, "callgrind.out*"))) - before
                if new:
                    break
                time.sleep(0.1)
            if not new:
                raise RuntimeError("callgrind wrote no dump")
            time.sleep(0.5)  # let it finish writing
            files[label] = sorted(new)[0]
        set_rules(s.url, token, ids, True)
    finally:
        s.stop(timeout=120)
    res = {"files": files, "n": n}
    for label, path in files.items():
        total, funcs = cg_parse(path)
        for k in ("xrm_party_list", "xrm_rule_decorate", "xrm_health_of"):
            if not funcs.get(k, {}).get("callers"):
                raise RuntimeError(f"{path}: no callers of {k} parsed from callgrind_annotate")
        res[label] = {"total": total, "funcs": {k: funcs[k] for k in CG_FUNCS if k in funcs}}
    return res


def treatment(cfg, info):
    src, src_desc = dataset(10_000)
    c = bench.counts(src)
    lo, hi = c["min_id"], c["max_id"]
    log(f"treatment: {TREAT_PATH} on a copy of {src}")
    w = treatment_wrk(cfg, src, lo, hi)
    log("treatment: callgrind")
    cg = treatment_callgrind(cfg, src)
    return dict(src=src, src_desc=src_desc, counts=c, wrk=w, cg=cg)


def pct(a, b):
    return f"{(a / b - 1) * 100:+.1f}%"


def treatment_report(cfg, info, t):
    date = info["started"][:10]
    w, cg = t["wrk"], t["cg"]
    L = [f"# What treatment rules cost a 50-party list, {date}"
         f"{' (smoke run)' if cfg['smoke'] else ''}\n"]
    L.append("Issue 5's \"Done means\": treatment adds under 10% to a 50-party list request.\n")
    L.append(machine_line(info) + "\n")
    L.append(concurrency_note() + "\n")
    c = t["counts"]
    L.append(f"Data: {c['parties']:,} parties ({t['src_desc']}), a fresh copy per "
             f"measurement. Request: `GET {TREAT_PATH}` (`q=role:customer&limit=50`). "
             f"Rules as shipped: "
             + ", ".join(f"{name} ({kind}{'' if en else ', disabled'})"
                         for _, name, kind, en in w["rules"])
             + f". With them on, {w['page_on']['matched']} of the page's "
             f"{w['page_on']['items']} parties match a rule ({w['page_on']['bytes']:,} bytes); "
             f"with every rule disabled, {w['page_off']['matched']} "
             f"({w['page_off']['bytes']:,} bytes). Disabling a rule does not remove the health "
             "block (computed beside the treatment in xrm_rule_decorate), and the treatment "
             "block is still built (empty: priority normal, no badges), so the on/off "
             "difference below is the evaluation of the rules and what their matches add "
             "to the response; the callgrind share further down counts all of "
             "xrm_rule_decorate except health.\n")
    L.append("## Under load (wall clock)\n")
    L.append(f"wrk, {cfg['treat_secs']} s per run, rules on and off alternating "
             f"({cfg['rounds']} runs each, order on/off, off/on, ...; a 1 s run after each "
             "switch reloads the rule cache), medians; latencies in ms. Overhead: req/s off "
             "/ req/s on - 1 (the extra time per request), and p50 on / p50 off - 1.\n")
    L.append("| connections | rules | req/s (median) | p50 | p99 | req/s of each run | errors |")
    L.append("| ---: | --- | ---: | ---: | ---: | --- | ---: |")
    for conns in (WRK_CONNS, 1):
        for label, key in (("on (shipped)", "on"), ("all disabled", "off")):
            m = w[conns][key]
            L.append(f"| {conns} | {label} | {m['rps']:,.0f} | {ms(m['p50'])} | {ms(m['p99'])} | "
                     + ", ".join(f"{x:,.0f}" for x in m["all"]) + f" | {m['errors']} |")
        on, off = w[conns]["on"], w[conns]["off"]
        L.append(f"| {conns} | **overhead** | **{pct(off['rps'], on['rps'])}** | "
                 f"{pct(on['p50'], off['p50'])} | {pct(on['p99'], off['p99'])} | | |")
    L.append("")
    L.append("## Instructions (callgrind; independent of the machine's load)\n")
    n = cg["n"]
    on, off = cg["on"], cg["off"]
    f = on["funcs"]
    plist = f["xrm_party_list"]["incl"]
    deco = f.get("xrm_rule_decorate", {}).get("incl", 0)
    health = f.get("xrm_health_of", {}).get("callers", {}).get("xrm_rule_decorate", 0)
    health_all = f.get("xrm_health_of", {}).get("incl", 0)
    treat = f.get("xrm_rule_treatment", {}).get("incl", 0)
    snap = f.get("snap_load", {}).get("incl", 0)
    rules_ir = deco - health
    L.append(f"`xrm serve --threads 1` under `valgrind --tool=callgrind`, rules as shipped; "
             f"one warm-up request, counters zeroed, then {n} identical requests with curl, "
             "dumped; then every rule disabled, one warm-up request, zeroed, the same "
             f"{n} requests, dumped. Inclusive instruction counts (Ir) of the {n} requests, "
             "from `callgrind_annotate --inclusive=yes --tree=caller`:\n")
    L.append(f"Profiles: `{cg['files']['on']}` (rules on), `{cg['files']['off']}` (off).\n")
    L.append(f"| function (inclusive) | Ir, {n} requests | Ir per request | "
             "share of xrm_party_list |")
    L.append("| --- | ---: | ---: | ---: |")

    def row(name, v):
        L.append(f"| {name} | {v:,} | {v / n:,.0f} | {v / plist * 100:.2f}% |")
    row("xrm_party_list", plist)
    row("xrm_rule_decorate (treatment + health)", deco)
    row("xrm_health_of, called from xrm_rule_decorate", health)
    row("**xrm_rule_decorate - xrm_health_of: treatment**", rules_ir)
    row("of which xrm_rule_treatment", treat)
    if snap:
        row("snap_load (rule cache reload)", snap)
    L.append("")
    if health_all != health:
        L.append(f"(xrm_health_of has other callers too: {health_all:,} Ir in all; only the "
                 "part called from xrm_rule_decorate is subtracted.)\n")
    of = off["funcs"]
    plist_off = of["xrm_party_list"]["incl"]
    req_on = on["funcs"].get("on_request", {}).get("incl", on["total"])
    req_off = off["funcs"].get("on_request", {}).get("incl", off["total"])
    L.append("Cross-check, the same requests with every rule disabled (what the "
             "wall-clock comparison above measures):\n")
    L.append("| | rules on, Ir per request | all disabled | on / off - 1 |")
    L.append("| --- | ---: | ---: | ---: |")
    L.append(f"| xrm_party_list (inclusive) | {plist / n:,.0f} | {plist_off / n:,.0f} | "
             f"{pct(plist, plist_off)} |")
    def rules_part(fs):
        d = fs.get("xrm_rule_decorate", {}).get("incl", 0)
        return d - fs.get("xrm_health_of", {}).get("callers", {}).get("xrm_rule_decorate", 0)
    r_on, r_off = rules_part(f), rules_part(of)
    L.append(f"| xrm_rule_decorate - xrm_health_of | {r_on / n:,.0f} | {r_off / n:,.0f} | "
             f"{pct(r_on, r_off) if r_off else '–'} |")
    L.append(f"| on_request (the whole request: routing, auth, list, JSON out) | "
             f"{req_on / n:,.0f} | {req_off / n:,.0f} | {pct(req_on, req_off)} |")
    L.append(f"| whole process (after zeroing) | {on['total'] / n:,.0f} | "
             f"{off['total'] / n:,.0f} | {pct(on['total'], off['total'])} |")
    L.append("")
    share = rules_ir / plist * 100
    verdict = "under" if share < 10 else "**not under**"
    L.append(f"**Result**: treatment (xrm_rule_decorate without xrm_health_of) is "
             f"{share:.1f}% of xrm_party_list's "
             f"instructions ({rules_ir / n:,.0f} of {plist / n:,.0f} Ir per request), "
             f"{verdict} the 10% of issue 5; with rules on, a request runs "
             f"{pct(req_on, req_off)} instructions in on_request (this includes writing the "
             "treatment into the JSON response) and the wall-clock overhead at 64 "
             f"connections is {pct(w[WRK_CONNS]['off']['rps'], w[WRK_CONNS]['on']['rps'])}.\n")
    L.append("## How to run\n")
    L.append("```sh\npython3 bench/extra.py treatment    # this report\n```\n")
    L.append("The callgrind measurement by hand:\n")
    L.append("```sh\n"
             "cp bench/data/10000/db.sqlite /tmp/t.sqlite\n"
             "T=$(build/xrm token create --db /tmp/t.sqlite --user admin | tail -1)\n"
             "XRM_AUTOMATION_INTERVAL=0 valgrind --tool=callgrind "
             "--callgrind-out-file=/tmp/cg.out.%p \\\n"
             "  build/xrm serve --db /tmp/t.sqlite --listen 127.0.0.1:0 --threads 1 &  "
             "# prints the port\n"
             f"U='http://127.0.0.1:PORT{TREAT_PATH}'\n"
             "curl -s -o /dev/null -H \"Authorization: Bearer $T\" \"$U\"   # warm-up\n"
             "callgrind_control --zero PID\n"
             f"for i in $(seq {n}); do curl -s -o /dev/null -H \"Authorization: Bearer $T\" "
             "\"$U\"; done\n"
             "callgrind_control --dump=rules-on PID\n"
             "callgrind_annotate --inclusive=yes --tree=caller /tmp/cg.out.PID.1 | "
             "grep -E 'xrm_party_list|xrm_rule_decorate|xrm_rule_treatment|xrm_health_of'\n"
             "# rules off: PATCH /api/v1/rules/{id} {\"enabled\": false} with "
             "If-Match: \"<version>\" for each, then warm-up, --zero, the loop, --dump again\n"
             "kill PID\n```\n")
    L.append("Wall clock: `BENCH_TOKEN=$T wrk -t2 -c64 -d8s --timeout 30s -s "
             "bench/work/extra/extra.lua http://127.0.0.1:PORT -- treat 1 10000` (and -t1 -c1), "
             "with the rules on and off in turn.\n")
    return "\n".join(L)


# ------------------------------------------------------------------ main

def cleanup():
    while CLEANUPS:
        f = CLEANUPS.pop()
        try:
            f()
        except Exception as e:  # keep stopping the rest
            log(f"cleanup: {e}")


def on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def write_report(cfg, info, name, md, raw):
    with open(os.path.join(EXTRA, f"{info['started'][:10]}-{name}.json"), "w") as f:
        json.dump({"cfg": cfg, "info": info, "raw": raw}, f, indent=1, default=str)
    d = EXTRA if cfg["smoke"] else RESULTS
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{info['started'][:10]}-{name}.md")
    with open(path, "w") as f:
        f.write(md)
    log(f"report: {path}")
    print(md)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", nargs="?", default="all", choices=["engines", "treatment", "all"])
    ap.add_argument("--smoke", action="store_true",
                    help="1 s runs, 1 round, 3 callgrind requests; reports go to "
                         "bench/work/extra/ (a test of this script)")
    args = ap.parse_args()
    if args.smoke:
        cfg = dict(secs=1, warm=1, one_secs=1, treat_secs=1, rounds=1, cg_requests=3)
    else:
        cfg = dict(secs=5, warm=2, one_secs=3, treat_secs=8, rounds=3, cg_requests=20)
    cfg["smoke"] = args.smoke
    os.chdir(ROOT)
    os.makedirs(EXTRA, exist_ok=True)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    with open(LUA, "w") as f:
        f.write(LUA_TEXT)
    shutil.copy2(XRM_SRC, XRM)
    open(PIDFILE, "w").close()
    info = machine()
    log(f"bench/extra.py {args.what}{' (smoke)' if args.smoke else ''}: binary {XRM_SRC} "
        f"(sha256 {info['binary_sha']}), load {info['loadavg']:.2f}"
        + ("; bench/bench.py is running" if info["bench_running_at_start"] else ""))
    try:
        if args.what in ("engines", "all"):
            e = engines(cfg, info)
            write_report(cfg, info, "engines", engines_report(cfg, info, e), e)
        if args.what in ("treatment", "all"):
            BENCH_SEEN.clear()
            bench.LOADAVGS.clear()
            t = treatment(cfg, info)
            write_report(cfg, info, "treatment", treatment_report(cfg, info, t), t)
    except KeyboardInterrupt as e:
        log(f"interrupted ({e or 'SIGINT'}); stopping servers")
        return 130
    finally:
        cleanup()
        for sfx in ("engines.sqlite", "treatment.sqlite", "callgrind.sqlite"):
            rm_db(os.path.join(EXTRA, sfx))
    return 0


if __name__ == "__main__":
    sys.exit(main())
