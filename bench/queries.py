"""
The multi-user side of the benchmark, used by bench/bench.py: the office of
50 users, the search and list texts they type, and the party ids they open.

- users(): 50 users with their own API token and per-domain access, made
  with `xrm user add` and `xrm token create` on a data set's database and
  kept beside it in users.json, so later runs reuse them (and every working
  copy of the database knows the tokens).
- search_texts() / list_texts(): thousands of different texts, all valid in
  the query language (src/domain/base/query.h): prefixes of 2 to 5 letters
  of the Dutch given names, family names, cities and trade words that
  bench/gen-load.c generates (parsed from its source, so they stay in step),
  pairs of them, role combinations, attribute terms, tags, cities. Each text
  names the domains a user must be able to read to use it (an attribute term
  of a domain the user may not read is refused with 403).
- zipf_ids(): party ids drawn from a Zipf distribution (s = 1.1) over the
  loaded range, the ranks scattered over the ids by a seeded permutation: a
  few parties are hot, as in a real office.
- write_requests_file(): all of it in one text file that bench/xrm.lua reads
  in init() (one line per item, fields separated by single spaces).
"""

import bisect
import json
import os
import random
import re
import subprocess
import urllib.parse

USERS_FILE = "users.json"
DOMAINS = ["sales", "hr", "partners", "purchasing", "pr"]
ZIPF_S = 1.1
ID_SAMPLES = 200_000

# The office: (group, how many, access per user index within the group).
# Levels: none, read, write, full (full also shows sensitive attributes).
def _office():
    out = []

    def add(group, n, fn):
        for i in range(n):
            out.append((f"{group}-{i + 1:02d}", group, fn(i)))

    # sales: all write sales; most read partners, some read pr or purchasing
    add("sales", 20, lambda i: dict(sales="write", **({"partners": "read"} if i % 4 else {}),
                                    **({"pr": "read"} if i % 5 == 0 else {}),
                                    **({"purchasing": "read"} if i % 7 == 0 else {})))
    # HR: three with full access (salaries), five with write
    add("hr", 8, lambda i: dict(hr="full" if i < 3 else "write",
                                **({"sales": "read"} if i == 7 else {})))
    add("purchasing", 6, lambda i: dict(purchasing="write", sales="read",
                                        **({"partners": "read"} if i < 2 else {})))
    add("partners", 6, lambda i: dict(partners="write", sales="read"))
    add("pr", 5, lambda i: dict(pr="write", **({"sales": "read"} if i < 3 else {})))
    add("admin", 5, lambda i: None)  # --admin: full access everywhere
    return out


OFFICE = _office()
assert len(OFFICE) == 50


def _run(args):
    return subprocess.run(args, check=True, text=True, capture_output=True).stdout


def make_users(xrm, db):
    """Creates the office's users and one API token each in db; returns the list."""
    users = []
    for name, group, access in OFFICE:
        args = [xrm, "user", "add", "--db", db, f"bench-{name}"]
        if access is None:
            args.append("--admin")
        else:
            args += ["--access", ",".join(f"{d}={lvl}" for d, lvl in access.items())]
        _run(args)
        token = _run([xrm, "token", "create", "--db", db, "--user", f"bench-{name}",
                      "--name", "bench"]).strip().splitlines()[-1]
        users.append({"name": f"bench-{name}", "group": group, "admin": access is None,
                      "access": access or {d: "full" for d in DOMAINS}, "token": token})
    return users


def ensure_users(xrm, db, d, log=lambda m: None):
    """users.json beside db (made once per data set; the tokens live in db)."""
    path = os.path.join(d, USERS_FILE)
    if os.path.exists(path):
        with open(path) as f:
            users = json.load(f)
        if [u["name"] for u in users] == [f"bench-{n}" for n, _, _ in OFFICE]:
            return users
        raise RuntimeError(f"{path} does not match the office in bench/queries.py; "
                           "load the data set again")
    log(f"  making {len(OFFICE)} users with their own tokens")
    users = make_users(xrm, db)
    with open(path + ".tmp", "w") as f:
        json.dump(users, f, indent=1)
    os.replace(path + ".tmp", path)
    return users


def write_domain(u):
    """The domain a user's activities go to: the first one the user may write."""
    for d in DOMAINS:
        if u["access"].get(d) in ("write", "full"):
            return d
    return "sales"


def readable(u):
    return [d for d in DOMAINS if u["access"].get(d, "none") != "none"]


# ------------------------------------------------------------------ vocabulary

def _strings(block):
    return re.findall(r'"((?:[^"\\]|\\.)*)"', block)


def vocabulary(gen_load_c):
    """The words bench/gen-load.c puts into parties, from its source."""
    with open(gen_load_c, encoding="utf-8") as f:
        src = f.read()

    def array(name):
        m = re.search(r"static const char \*const " + name + r"\[\] = \{(.*?)\};", src, re.S)
        if not m:
            raise RuntimeError(f"bench/gen-load.c has no array {name}")
        return _strings(m.group(1))

    def struct_array(name):
        m = re.search(r"static const struct \w+ " + name + r"\[\] = \{(.*?)\n\};", src, re.S)
        if not m:
            raise RuntimeError(f"bench/gen-load.c has no array {name}")
        return m.group(1)

    fam = re.findall(r'\{"([^"]*)",\s*"([^"]*)"\}', struct_array("families"))
    cities = re.findall(r'\{"([^"]+)",\s*\d+', struct_array("cities"))
    return {
        "given": array("given_m") + array("given_f"),
        "family": [n for _, n in fam],
        "family_prefixed": [f"{p} {n}" for p, n in fam if p],
        "city": cities,
        "street": array("streets"),
        "trade": array("org_trades") + array("org_words") + array("org_adjs"),
        "segment": sorted(set(array("segments"))),
        "job": array("job_titles"),
        "contract": sorted(set(array("contract_types"))),
        "partner_type": sorted(set(array("partner_types"))),
        "supplier_category": sorted(set(array("supplier_categories"))),
        "beat": sorted(set(array("beats"))),
        "tag": sorted(set(array("tags_person") + array("tags_org"))),
    }


def _prefixes(words, lo=2, hi=5):
    out = set()
    for w in words:
        for part in w.lower().split():
            part = part.strip("'-.")
            for k in range(lo, min(hi, len(part)) + 1):
                p = part[:k]
                if re.fullmatch(r"[a-zà-ÿ]+", p):
                    out.add(p)
    return sorted(out)


def _q(text):
    return urllib.parse.quote(text, safe="")


def search_texts(v, seed=42):
    """[(domains needed, text)]: free words as people type them into the search box."""
    rnd = random.Random(seed)
    given = _prefixes(v["given"])
    family = _prefixes(v["family"])
    city = _prefixes(v["city"])
    trade = _prefixes(v["trade"])
    street = _prefixes(v["street"], 3, 5)
    texts = set(given) | set(family) | set(city) | set(trade) | set(street)
    # whole names, as typed
    texts |= {n.lower() for n in v["given"] + v["family"]}
    texts |= {f'"{n.lower()}"' for n in v["family_prefixed"]}
    # a given name (or its start) and a family name start: "jan dij", "pieter de v"
    for _ in range(2500):
        g = rnd.choice(v["given"]).lower()
        f = rnd.choice(family)
        texts.add(f"{g[:rnd.randint(2, len(g))]} {f}")
    # a name start and a city start: "bak utr"
    for _ in range(1000):
        texts.add(f"{rnd.choice(family)} {rnd.choice(city)}")
    # a trade word and a city: "bouwbedrijf ams"
    for _ in range(500):
        texts.add(f"{rnd.choice(v['trade']).lower()} {rnd.choice(city)}")
    return [((), t) for t in sorted(texts)]


def list_texts(v):
    """[(domains needed, text)]: filters people combine (roles, attributes, tags, cities)."""
    L = []
    roles = {"customer": "sales", "employee": "hr", "partner": "partners",
             "supplier": "purchasing", "press": "pr", "stakeholder": "pr"}
    for r1, d1 in roles.items():
        L.append(((d1,), f"role:{r1}"))
        for r2, d2 in roles.items():
            if r1 < r2:
                L.append(((d1, d2), f"role:{r1} role:{r2}"))
                L.append(((d1, d2), f"role:{r1} -role:{r2}"))
        for k in ("person", "organisation"):
            L.append(((d1,), f"role:{r1} kind:{k}"))
    attrs = [("partners", "partner.tier", ["gold", "silver", "bronze", "strategic"]),
             ("partners", "partner.partner_type", v["partner_type"]),
             ("sales", "customer.segment", v["segment"]),
             # Comparisons (supplier.rating>=4, customer.satisfaction>=8) are left out
             # for now: on 2026-12-07 one took 3 to 27 s at 10k parties (reported in
             # issue 24), which would make every list figure about them alone.
             ("sales", "customer.satisfaction", ["8", "9", "10"]),
             ("purchasing", "supplier.rating", ["3", "4", "5"]),
             ("purchasing", "supplier.category", v["supplier_category"]),
             ("purchasing", "supplier.preferred", ["true"]),
             ("pr", "press.beat", v["beat"]),
             ("pr", "stakeholder.stance", ["supportive", "neutral", "opposed"]),
             ("pr", "stakeholder.influence", ["high", "low"]),
             ("hr", "employee.contract_type", v["contract"])]
    for dom, key, values in attrs:
        for val in values:
            term = (f"{key}{val}" if key.endswith(("=", "<", ">"))
                    else f"{key}:{_quote_term(val)}")
            role = key.split(".")[0]
            L.append(((dom,), term))
            L.append(((dom,), f"role:{role} {term}"))
            for c in v["city"][:12]:
                L.append(((dom,), f"{term} city:{_quote_term(c)}"))
    for dom, st in (("sales", "customer=active"), ("sales", "customer=prospect"),
                    ("sales", "customer=lead"), ("hr", "employee=active"),
                    ("partners", "partner=active")):
        L.append(((dom,), f"status:{st}"))
    for t in v["tag"]:
        L.append(((), f"tag:{t}"))
        L.append((("sales",), f"role:customer tag:{t}"))
    for c in v["city"]:
        L.append(((), f"city:{_quote_term(c)}"))
        for r1, d1 in roles.items():
            L.append(((d1,), f"role:{r1} city:{_quote_term(c)}"))
    for h in ("email", "phone", "address", "website"):
        L.append(((), f"kind:organisation has:{h}"))
        L.append((("sales",), f"role:customer has:{h}"))
    for m in ("email", "call"):
        L.append((("sales",), f"role:customer may:{m}"))
    # Dutch as typed by Dutch users
    nl_dom = {"klant": "sales", "partner": "partners", "leverancier": "purchasing",
              "pers": "pr", "medewerker": "hr"}
    for nl in ("rol:klant", "rol:klant rol:partner", "rol:leverancier", "rol:pers",
               "soort:organisatie rol:klant", "rol:klant -rol:medewerker"):
        doms = [nl_dom[w.split(":")[1]] for w in nl.split() if w.lstrip("-").startswith("rol:")]
        L.append((tuple(doms), nl))
    return sorted(set((tuple(sorted(set(d))), t) for d, t in L))


def _quote_term(v):
    return f'"{v}"' if " " in v else v


# ------------------------------------------------------------------ party ids

def zipf_ids(lo, hi, count=ID_SAMPLES, s=ZIPF_S, seed=42):
    """count ids in [lo, hi] with rank k drawn with probability ~ 1 / k^s."""
    n = hi - lo + 1
    rnd = random.Random(seed)
    cum, acc = [], 0.0
    for k in range(1, n + 1):
        acc += k ** -s
        cum.append(acc)
    # rank -> id: a seeded permutation, so the hot parties are scattered over the range
    perm = list(range(lo, hi + 1))
    rnd.shuffle(perm)
    return [perm[min(bisect.bisect_left(cum, rnd.random() * acc), n - 1)]
            for _ in range(count)]


def write_requests_file(path, users, lo, hi, gen_load_c):
    """The file bench/xrm.lua reads: users, ids, search texts, list texts."""
    v = vocabulary(gen_load_c)
    searches, lists = search_texts(v), list_texts(v)
    ids = zipf_ids(lo, hi)
    with open(path + ".tmp", "w") as f:
        for u in users:
            f.write(f"u {u['token']} {write_domain(u)} {','.join(readable(u)) or '-'}\n")
        for i in ids:
            f.write(f"i {i}\n")
        for doms, t in searches:
            f.write(f"s {','.join(doms) or '-'} {_q(t)}\n")
        for doms, t in lists:
            f.write(f"l {','.join(doms) or '-'} {_q(t)}\n")
    os.replace(path + ".tmp", path)
    hot = {}
    for i in ids:
        hot[i] = hot.get(i, 0) + 1
    top = sorted(hot.values(), reverse=True)
    return {"users": len(users), "search_texts": len(searches), "list_texts": len(lists),
            "id_samples": len(ids), "distinct_ids": len(hot),
            "top1_share": top[0] / len(ids), "top10_share": sum(top[:10]) / len(ids)}
