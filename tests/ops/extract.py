"""Extracts the marked blocks of docs/OPERATIONS.md for scripts/test-ops.sh.

    python3 tests/ops/extract.py DOC OUTDIR KEY=VALUE...

A block is a fenced block (```lang ... ```) right after a marker comment:

    <!-- ops-test: NAME [on=HOST] [requires=REQ,REQ...] -->   run it (```sh)
    <!-- ops-test: file PATH [on=HOST] -->                     write it to PATH
    <!-- ops-test: skip (WHY) -->                              counted, not run

Every ```sh block must have a marker, so that no command of the guide is
left untested without a reason. HOST (db1, db2, node1, node2, lb) picks which
stand-in machine a block runs on; REQ is cmd:NAME (an xrm command),
opt:CMD:--OPTION (an option in `xrm CMD --help`), or route:TEXT (a string the
binary contains), for blocks that document what another branch builds.

Writes OUTDIR/NN-NAME.sh (or the file's text), and OUTDIR/manifest (one line
per block: NN<TAB>kind<TAB>name<TAB>host<TAB>requires<TAB>path) where kind is
run, file or skip. The rewrites (REWRITES below, listed for readers at the top
of scripts/test-ops.sh) turn the guide's machines and paths into the test's;
KEY=VALUE gives T (the temporary directory) and the ports.
"""

import os
import re
import sys

MARK = re.compile(r"^<!--\s*ops-test:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^```(\S*)\s*$")
PATH_START = r"(?<![\w/.$-])"  # a path that starts here, not inside another path


def rewrites(v, host):
    """(pattern, replacement) in order; v holds T and the ports."""
    t = v["T"]
    pg = {"db1": v["P1"], "db2": v["P2"]}
    rules = []
    # The PostgreSQL hosts: db1/db2 are loopback on their own ports.
    for name, port in (("db1", pg["db1"]), ("db2", pg["db2"])):
        rules += [
            (r"%s\.internal:5432" % name, "127.0.0.1:%s" % port),  # .pgpass
            (r"-h %s\.internal" % name, "-h 127.0.0.1 -p %s" % port),  # libpq tools
            (r"%s\.internal" % name, "127.0.0.1:%s" % port),  # URLs
        ]
    rules += [
        # The nodes, the proxy and the SQLite server's ports.
        (r"10\.0\.0\.11:8080", "127.0.0.1:%s" % v["N1"]),
        (r"10\.0\.0\.12:8080", "127.0.0.1:%s" % v["N2"]),
        (r"10\.0\.0\.5:80\b", "127.0.0.1:%s" % v["LBH"]),
        (r"10\.0\.0\.5:443\b", "127.0.0.1:%s" % v["LB"]),
        (r"xrm\.example\.com:443:10\.0\.0\.5", "xrm.example.com:%s:127.0.0.1" % v["LB"]),
        (r"https://xrm\.example\.com/", "https://xrm.example.com:%s/" % v["LB"]),
        (r"10\.0\.0\.0/24", "127.0.0.0/8"),
        (r"10\.0\.0\.[0-9]+", "127.0.0.1"),
        (r"127\.0\.0\.1:8080\b", "127.0.0.1:%s" % v["SQ"]),
        (r":8443\b", ":%s" % v["TLSP"]),
    ]
    # Debian's PostgreSQL layout of this host: config and data in one directory.
    if host in pg:
        for d in ("/etc/postgresql/15/main", "/var/lib/postgresql/15/main"):
            rules.append((PATH_START + re.escape(d), "%s/%s/data" % (t, host)))
    rules.append((PATH_START + re.escape("/usr/share/xrm/web"), v["WEB"]))
    # Every other absolute path of the guide moves into T.
    for d in ("/etc/", "/var/", "/run/"):
        rules.append((PATH_START + re.escape(d), "%s%s" % (t, d)))
    return rules


def rewrite(text, v, host):
    for pat, rep in rewrites(v, host):
        text = re.sub(pat, lambda _m, r=rep: r, text)
    return text


def main():
    doc, out = sys.argv[1], sys.argv[2]
    v = dict(a.split("=", 1) for a in sys.argv[3:])
    os.makedirs(out, exist_ok=True)
    lines = open(doc, encoding="utf-8").read().split("\n")
    manifest, errors, names = [], [], set()
    pending = None  # the marker waiting for its block
    i, n = 0, 0
    while i < len(lines):
        line = lines[i]
        m = MARK.match(line)
        if m:
            if pending:
                errors.append("line %d: marker without a block: %s" % (pending[1], pending[0]))
            pending = (m.group(1), i + 1)
            i += 1
            continue
        f = FENCE.match(line)
        if f and f.group(1):
            lang, start = f.group(1), i + 1
            j = i + 1
            while j < len(lines) and not FENCE.match(lines[j]):
                j += 1
            body = "\n".join(lines[i + 1:j]) + "\n"
            i = j + 1
            if not pending:
                if lang == "sh":
                    errors.append("line %d: a ```sh block without an ops-test marker" % start)
                continue
            spec, pending = pending[0], None
            n += 1
            words = spec.split()
            opts = dict(w.split("=", 1) for w in words[1:] if "=" in w)
            host = opts.get("on", "node1")
            if words[0] == "skip":
                manifest.append((n, "skip", spec[4:].strip(" ()") or "?", "-", "-", "-"))
                continue
            if words[0] == "file":
                path = rewrite(words[1], v, host)
                with open(os.path.join(out, "%02d-file" % n), "w") as fh:
                    fh.write(rewrite(body, v, host))
                manifest.append((n, "file", words[1], host, "-", path))
                continue
            name = words[0]
            if lang != "sh":
                errors.append("line %d: block %s is ```%s, not ```sh" % (start, name, lang))
                continue
            if name in names:
                errors.append("line %d: a second block named %s" % (start, name))
            names.add(name)
            with open(os.path.join(out, "%02d-%s.sh" % (n, name)), "w") as fh:
                fh.write(rewrite(body, v, host))
            manifest.append((n, "run", name, host, opts.get("requires", "-"), "-"))
            continue
        if line.startswith("```"):  # an unlabelled block: not a command
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            i = j + 1
            continue
        i += 1
    if pending:
        errors.append("line %d: marker without a block: %s" % (pending[1], pending[0]))
    with open(os.path.join(out, "manifest"), "w") as fh:
        for row in manifest:
            fh.write("%02d\t%s\t%s\t%s\t%s\t%s\n" % row)
    for e in errors:
        print("%s: %s" % (doc, e), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
