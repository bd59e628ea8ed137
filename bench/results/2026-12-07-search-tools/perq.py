import os, subprocess, sys, time, urllib.request, urllib.parse
BIN, DB, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
toks = dict(l.split() for l in open("/tmp/sl-tokens.txt"))
qs = sys.argv[4].split("|")
p = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", f"127.0.0.1:{PORT}", "--response-cache", "off"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, XRM_AUTOMATION_INTERVAL="0"))
time.sleep(2.5)
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
def get(tok, path):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Authorization": "Bearer " + tok})
    try:
        with urllib.request.urlopen(req) as r: return r.status
    except urllib.error.HTTPError as e: return e.code
try:
    for qt in qs:
        path = "/api/v1/parties?q=" + urllib.parse.quote(qt) + ("&limit=50" if ":" in qt else "&limit=20")
        for u in toks: get(toks[u], path)  # warm
        c0 = cpu(); n = 0
        for rep in range(2):
            for u in toks: get(toks[u], path); n += 1
        print(f"{(cpu() - c0) / n * 1000:8.1f} ms CPU/request  {qt}", flush=True)
finally:
    p.terminate()
