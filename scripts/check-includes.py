#!/usr/bin/env python3
"""Include check: no cycle between modules, no include that goes up a layer.

Reads every `#include "..."` in src/ and fails (exit 1, naming the files)
when
  (a) modules include each other in a cycle (a module is a .c/.h pair plus
      its -db.c/-db.h, or its -private.h: domain/party/party.c, party.h,
      party-db.c and party-db.h are one module), or
  (b) a file includes one of a higher layer, or of a sibling layer (two
      layers of the same rank may not include each other).

LAYERS below is the one written statement of what may call what: a layer
may include its own files and those of every layer of a LOWER rank. The
layer of a file is the longest prefix in the table that its path (under
src/) starts with.
"""

import os
import re
import sys

# (path prefix under src/, rank, what it is). Lowest first.
LAYERS = [
    ("core/", 0, "errors, memory, buffers, JSON, validators, clocks, log"),
    ("store/", 1, "storage interface, engine drivers, migrations, catalog"),
    ("io/", 1, "file formats: CSV, vCard, iCalendar, text (sibling of store; the domain reads and writes them)"),
    ("domain/base/", 2, "context, access, audit, page batches, SQL builder, query language"),
    ("domain/users/", 3, "users, tokens, sessions, login limits"),
    ("domain/party/", 4, "parties, roles, relationships, activities, import, 360 view"),
    ("domain/rules/", 5, "treatment rules, segments, customer health"),
    ("domain/records/", 6, "deals, pipelines, cases, agreements, tasks, automations"),
    ("domain/privacy/", 6, "consent, GDPR, retention (sibling of records)"),
    ("domain/hr/", 7, "HR: departments, employment history, absence, checklists, recruitment"),
    ("domain/partners/", 7, "partners: deal partner, commissions, tiers with criteria and proposals"),
    # suppliers and public relations
    ("domain/srm/", 7, "suppliers: evaluations, rating history, preferred per category, scorecard"),
    ("domain/pr/", 7, "public relations: projects, stakeholders and their grid, press releases"),
    # quotes, invoices, payments, reminders, the accountant's export
    ("domain/billing/", 7, "billing: company settings, quotes, invoices, VAT, numbering, payments, reminders"),
    # documents on records, then e-mail (which attaches documents)
    ("domain/docs/", 8, "documents: uploads on parties and records, content-addressed storage"),
    ("domain/mail/", 9, "e-mail: outbox, templates, campaigns, mailboxes, threading"),
    ("domain/webhooks/", 9, "webhooks: subscriptions, the delivery outbox (sibling of mail)"),
    ("domain/exchange/", 10, "data in and out: import jobs, exports (sibling of hooks.c and merge)"),
    ("domain/merge/", 10, "merging duplicate parties and undoing a merge"),
    ("domain/", 10, "hooks.c: plugs the feature modules into party decoration and query terms"),
    ("domain/dav/", 11, "CardDAV and CalDAV collections: address books, calendars, sync tokens"),
    ("demo/", 12, "the demo data set"),
    ("http/", 13, "HTTP server, routes, handlers, the WebDAV protocol"),
    ("cli/", 14, "subcommands"),
    ("main.c", 15, "the entry point"),
]

# Module edges (from, to) left out of the cycle check, each with its reason.
# An entry here is a debt: remove it with the cycle it excuses.
# Known cycles excused for now, each with why and until when (none today).
CYCLE_ALLOW = []
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    best = None
    for prefix, rank, _ in LAYERS:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, rank)
    return best


def module_of(path):
    """domain/party/party-db.c -> domain/party/party; store/store-private.h -> store/store."""
    return re.sub(r"(-db|-private)?\.[ch]$", "", path)


def read_includes(src):
    edges = []  # (file, included file), paths relative to src
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src)
            with open(full, encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if os.path.exists(os.path.join(src, inc)):
                    edges.append((rel, inc))
    return edges


def layer_errors(edges):
    errors = []
    for f, inc in edges:
        lf, li = layer_of(f), layer_of(inc)
        if lf is None or li is None:
            errors.append(f"{f}: no layer in LAYERS for {f if lf is None else inc}")
        elif li[1] > lf[1]:
            errors.append(f"{f} includes {inc}: layer {li[0]} is above {lf[0]}")
        elif li[1] == lf[1] and li[0] != lf[0]:
            errors.append(f"{f} includes {inc}: layers {lf[0]} and {li[0]} are siblings")
    return errors


def stale_allows(edges):
    """Entries of CYCLE_ALLOW whose include is gone: they would excuse a future cycle."""
    present = {(module_of(f), module_of(inc)) for f, inc in edges}
    return [e for e in CYCLE_ALLOW if e not in present]


def cycles(edges):
    """Per strongly connected set of modules, the distinct shortest cycles through each."""
    allow = set(CYCLE_ALLOW)
    graph, why = {}, {}
    for f, inc in edges:
        a, b = module_of(f), module_of(inc)
        if a == b or (a, b) in allow:
            continue
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
        why.setdefault((a, b), f"{f} -> {inc}")
    # Tarjan's strongly connected components (iterative).
    index, low, on, stack, comps, n = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = n[0]
        n[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = n[0]
                    n[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.add(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        comps.append(comp)
    out = []
    for comp in comps:
        seen = set()
        for start in sorted(comp):
            path = cycle_path(graph, comp, start)
            key = frozenset(path)
            if key not in seen:
                seen.add(key)
                out.append([why[e] for e in path])
    return out


def cycle_path(graph, comp, start):
    """A shortest cycle through module start of comp, as its edges."""
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & comp):
            if w == start:
                path = [(v, start)]
                while prev[v] is not None:
                    path.append((prev[v], v))
                    v = prev[v]
                return list(reversed(path))
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return []


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    edges = read_includes(src)
    bad = False
    for e in layer_errors(edges):
        print(f"include-check: upward: {e}")
        bad = True
    for path in cycles(edges):
        print("include-check: cycle: " + "; ".join(path))
        bad = True
    for a, b in stale_allows(edges):
        print(f"include-check: CYCLE_ALLOW entry ({a}, {b}) excuses no include: remove it")
        bad = True
    if bad:
        print("include-check: FAILED (layers and their order: LAYERS in scripts/check-includes.py)")
        return 1
    print(f"include-check: ok ({len(edges)} includes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
