import json, os, re, subprocess, sys, time, urllib.request, urllib.parse
OLD, NEW = sys.argv[1], sys.argv[2]
toks = [l.split() for l in open("/tmp/sl-tokens.txt")]
def start(binary, db, port):
    p = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}", "--response-cache", "off"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, XRM_AUTOMATION_INTERVAL="0"))
    time.sleep(2.5)
    return p
def get(port, tok, path):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": "Bearer " + tok})
    try:
        with urllib.request.urlopen(req) as r: return r.status, r.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
qs = ["role:customer role:partner", "role:customer role:partner partner.tier:gold", "role:customer",
      "role:supplier role:customer", "role:partner partner.tier:silver", "role:press", "role:employee",
      "tag:vip", "role:customer tag:mkb", "role:customer city:Utrecht", "kind:person role:press",
      "rol:klant role:partner", "status:employee=applicant", "role:employee -role:customer",
      "-role:customer", "role:stakeholder stakeholder.stance:opposed", "tag:vip role:press",
      "role:nosuchtype", "partner.tier:gold", "", "kind:organization", "city:Ede",
      "jan", "ja", "bak", "bakke", "visser", "dij role:customer", "utrecht role:partner", "ver", "zz"]
old = start(OLD, "/tmp/sl-a.sqlite", 18751); new = start(NEW, "/tmp/sl-b.sqlite", 18752)
n = diff = 0
try:
    for user, tok in toks:
        for q in qs:
            for extra in ("&limit=50", "&limit=20", "&limit=50&sort=-city"):
                path = "/api/v1/parties?q=" + urllib.parse.quote(q) + extra
                for page in range(2):
                    a, b = get(18751, tok, path), get(18752, tok, path)
                    n += 1
                    # request ids differ in errors; compare bodies without them
                    ba = re.sub(rb'"request_id":"[^"]*"', b'', a[1]); bb = re.sub(rb'"request_id":"[^"]*"', b'', b[1])
                    if a[0] != b[0] or ba != bb:
                        diff += 1
                        print("DIFF", user, path, a[0], b[0], ba[:200], bb[:200])
                    if a[0] != 200: break
                    nxt = json.loads(a[1]).get("next")
                    if not nxt: break
                    path = path + "&cursor=" + urllib.parse.quote(nxt) if "cursor=" not in path else path
finally:
    old.terminate(); new.terminate()
print(f"compared {n} responses, {diff} differ")
