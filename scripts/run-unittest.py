#!/usr/bin/env python3
"""Runs a unittest suite's modules in parallel worker processes.

    scripts/run-unittest.py [-j N] [-s DIR] [-p PATTERN] [--times FILE] [--label LABEL]
                            [--exclude MODULE ...] [module ...]

Discovers DIR/PATTERN (default tests/api, test_*.py) like
`python3 -m unittest discover -s DIR -p PATTERN`, then runs every module as
its own `python3 -m unittest -v MODULE` in DIR, N at a time (default 2, or
XRM_TEST_JOBS). A module's whole output (the -v lines, failures and
tracebacks in full) is printed in one block when the module ends, so blocks
never interleave. The end is unittest's own closing lines over all modules,
"Ran N tests in Xs" and "OK (skipped=K)" or "FAILED (...)", after a list of
the modules that failed. The exit status is 1 when any module failed, errored,
was interrupted or printed no "Ran" line, and 0 only when every module passed.

The processes share one set-up cache (XRM_TEST_CACHE_DIR, see
tests/api/harness.py), removed at the end. Modules start longest first: each run writes the modules' wall times to
--times (default build/test-times/LABEL.json); without it, the
larger file first.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RAN = re.compile(r"^Ran (\d+) tests? in ([0-9.]+)s$", re.M)
RESULT = re.compile(r"^(OK|FAILED)(?: \((.*)\))?$", re.M)


def parse_counts(text):
    """(ran, {'failures': n, 'errors': n, 'skipped': n, ...}, ok) from unittest's last lines."""
    ran = RAN.findall(text)
    res = RESULT.findall(text)
    if not ran or not res:
        return None
    n = int(ran[-1][0])
    word, detail = res[-1]
    counts = {}
    for part in filter(None, (detail or "").split(", ")):
        k, _, v = part.partition("=")
        counts[k.strip()] = int(v)
    return n, counts, word == "OK"


def clear_cache(start, cache):
    """Removes the set-up cache (with the harness's PostgreSQL template databases)."""
    if os.path.exists(os.path.join(start, "harness.py")):
        subprocess.run(
            [sys.executable, "-c", "import sys, harness; harness.clear_cache(sys.argv[1])", cache],
            cwd=start,
            stdin=subprocess.DEVNULL,
        )
    if os.path.isdir(cache):
        import shutil

        shutil.rmtree(cache, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("XRM_TEST_JOBS", "2")))
    ap.add_argument("-s", "--start", default="tests/api")
    ap.add_argument("-p", "--pattern", default="test_*.py")
    ap.add_argument("--times", default=None)
    ap.add_argument("--label", default=None, help="prefix of the progress lines")
    ap.add_argument("--exclude", action="append", default=[],
                    help="leave this module out (may be given more than once)")
    ap.add_argument("modules", nargs="*")
    args = ap.parse_args()

    start = args.start if os.path.isabs(args.start) else os.path.join(ROOT, args.start)
    label = args.label or os.path.relpath(start, ROOT)
    if args.modules:
        mods = [m[:-3] if m.endswith(".py") else m for m in args.modules]
    else:
        import fnmatch

        mods = sorted(
            f[:-3]
            for f in os.listdir(start)
            if fnmatch.fnmatch(f, args.pattern) and f.endswith(".py")
        )
    mods = [m for m in mods if m not in {e[:-3] if e.endswith(".py") else e for e in args.exclude}]
    if not mods:
        print("%s: no test module matches %s in %s" % (label, args.pattern, start))
        return 1

    times_path = args.times or os.path.join(
        ROOT, "build", "test-times", re.sub(r"[^A-Za-z0-9_.-]+", "-", label) + ".json"
    )
    try:
        with open(times_path) as f:
            known = json.load(f)
    except (OSError, ValueError):
        known = {}

    # Longest first; a module with no recorded time is estimated from its size.
    sizes = {m: os.path.getsize(os.path.join(start, m + ".py")) for m in mods}
    timed = [m for m in mods if m in known]
    rate = sum(known[m] for m in timed) / max(1, sum(sizes[m] for m in timed)) if timed else 1.0
    queue = sorted(mods, key=lambda m: known.get(m, sizes[m] * rate), reverse=True)

    # One set-up cache for every process (tests/api/harness.py: init and demo once).
    own_cache = None
    if "XRM_TEST_CACHE_DIR" not in os.environ:
        import tempfile

        own_cache = tempfile.mkdtemp(prefix="xrm-test-cache-")
        os.environ["XRM_TEST_CACHE_DIR"] = own_cache

    jobs = max(1, min(args.jobs, len(queue)))
    lock = threading.Lock()
    out = sys.stdout
    results = {}  # module -> (rc, counts or None, seconds)
    running = {}  # module -> Popen
    stopping = threading.Event()
    t0 = time.monotonic()
    print("%s: %d modules in %d processes" % (label, len(queue), jobs), flush=True)

    def worker():
        while not stopping.is_set():
            with lock:
                if not queue:
                    return
                mod = queue.pop(0)
            t = time.monotonic()
            p = subprocess.Popen(
                [sys.executable, "-m", "unittest", "-v", mod],
                cwd=start,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            with lock:
                running[mod] = p
            data = p.stdout.read()
            # CPU seconds of the module's process and every process it waited
            # for (its servers and CLI runs): unlike the wall time, not
            # stretched by other work on the machine.
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = rc = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            secs = time.monotonic() - t
            text = data.decode("utf-8", "replace")
            counts = parse_counts(text)
            with lock:
                running.pop(mod, None)
                results[mod] = (rc, counts, secs, cpu)
                status = "ok" if rc == 0 and counts and counts[2] else "FAILED"
                out.write("===== %s (%.1fs, cpu %.1fs, %s) =====\n" % (mod, secs, cpu, status))
                out.write(text)
                if not text.endswith("\n"):
                    out.write("\n")
                out.flush()

    def on_signal(signum, frame):
        stopping.set()
        with lock:
            for p in running.values():
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(jobs)]
    for th in threads:
        th.start()
    try:
        for th in threads:
            while th.is_alive():
                th.join(0.5)
    except KeyboardInterrupt:
        stopping.set()
        with lock:
            for p in running.values():
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for th in threads:
            th.join(30)
        print("%s: interrupted" % label, flush=True)
        return 130
    finally:
        if own_cache:
            clear_cache(start, own_cache)

    wall = time.monotonic() - t0
    total = 0
    agg = {}
    failed = []
    for mod in mods:
        if mod not in results:
            failed.append((mod, "did not run"))
            continue
        rc, counts, secs, _ = results[mod]
        if counts is None:
            failed.append((mod, "exit code %d and no unittest result line" % rc))
            continue
        n, c, ok = counts
        total += n
        for k, v in c.items():
            agg[k] = agg.get(k, 0) + v
        if rc != 0 or not ok:
            failed.append((mod, "exit code %d, %s" % (rc, ", ".join("%s=%d" % kv for kv in c.items()))))

    try:
        os.makedirs(os.path.dirname(times_path), exist_ok=True)
        merged = dict(known)
        merged.update({m: round(r[2], 1) for m, r in results.items()})
        with open(times_path, "w") as f:
            json.dump(merged, f, indent=1, sort_keys=True)
    except OSError:
        pass

    print("-" * 70)
    slow = sorted(results.items(), key=lambda kv: -kv[1][2])[:5]
    print("%s: slowest modules: %s" % (label, ", ".join("%s %.0fs" % (m, r[2]) for m, r in slow)))
    hungry = sorted(results.items(), key=lambda kv: -kv[1][3])[:8]
    print("%s: CPU %.0fs in all; most: %s" % (
        label, sum(r[3] for r in results.values()),
        ", ".join("%s %.0fs" % (m, r[3]) for m, r in hungry)))
    for mod, why in failed:
        print("%s: FAILED module %s: %s" % (label, mod, why))
    print()
    print("Ran %d tests in %.3fs" % (total, wall))
    print()
    detail = ", ".join("%s=%d" % (k, agg[k]) for k in sorted(agg) if agg[k])
    if failed:
        if not detail:
            detail = "modules=%d" % len(failed)
        print("FAILED (%s)" % detail)
    else:
        print("OK" + (" (%s)" % detail if detail else ""))
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
