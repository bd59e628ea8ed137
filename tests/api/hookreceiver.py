"""A webhook receiver on 127.0.0.1 for the webhook tests, in a process of its own (so it
survives a kill -9 of xrm), as an integrator would write one:

- it checks X-Xrm-Signature (t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>) with the
  secret of the hook's path (401 when it does not verify or is missing), and refuses a t
  older than 300 s (400): a captured delivery replayed later is worthless;
- it answers 200 to a duplicate X-Xrm-Event-Id (the same event sent again after a crash)
  without taking it twice: each accepted delivery is recorded with "duplicate": true/false;
- fail_next(n, code, hook) answers the next n deliveries (to one hook, when named) with code
  (500 by default), hang_next(n, seconds, hook) holds them past xrm's 10 s timeout, clock_ahead(s) runs its clock s seconds ahead
  (to replay a captured delivery "later").

    rx = HookReceiver().start()
    rx.set_secret("a", secret)            # the hook at rx.url("a")
    ...
    rx.accepted("a")                       # [{"event_id", "event", "delivery", "body", ...}]
    rx.stop()

State lives in files in its directory: secrets.json, control.json (read on each request),
accepted.jsonl and refused.jsonl (one JSON line per delivery).
"""

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

MAX_AGE = 300


def _serve(directory):
    import http.server

    lock = threading.Lock()

    def load(name, default):
        try:
            with open(os.path.join(directory, name)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return default

    def append(name, obj):
        with open(os.path.join(directory, name), "a") as f:
            f.write(json.dumps(obj) + "\n")

    seen = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, code, text):
            data = text.encode()
            try:
                self.send_response(code)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # xrm gave up waiting (a hang) or was killed
                pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            name = self.path.strip("/").split("/")[-1]
            rec = {
                "hook": name,
                "event": self.headers.get("X-Xrm-Event"),
                "event_id": self.headers.get("X-Xrm-Event-Id"),
                "delivery": self.headers.get("X-Xrm-Delivery"),
                "signature": self.headers.get("X-Xrm-Signature"),
                "content_type": self.headers.get("Content-Type"),
                "user_agent": self.headers.get("User-Agent"),
                "body": body.decode("utf-8", "replace"),
            }
            with lock:
                ctl = load("control.json", {})
                fail, hang = ctl.get("fail", 0), ctl.get("hang", 0)
                if ctl.get("only") not in (None, name):  # aimed at another hook
                    fail = hang = 0
                elif fail > 0:
                    ctl["fail"] = fail - 1
                elif hang > 0:
                    ctl["hang"] = hang - 1
                with open(os.path.join(directory, "control.json"), "w") as f:
                    json.dump(ctl, f)
            if fail > 0:
                rec["refused"] = "told to fail"
                append("refused.jsonl", rec)
                return self.answer(ctl.get("code", 500), "failing on purpose")
            if hang > 0:
                rec["refused"] = "told to hang"
                append("refused.jsonl", rec)
                time.sleep(ctl.get("hang_seconds", 15))
                return self.answer(500, "too late")
            secret = load("secrets.json", {}).get(name)
            sig = rec["signature"] or ""
            parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
            try:
                t = int(parts.get("t", ""))
            except ValueError:
                t = None
            if secret is None or t is None or "v1" not in parts:
                rec["refused"] = "no signature"
                append("refused.jsonl", rec)
                return self.answer(401, "no signature")
            want = hmac.new(secret.encode(), str(t).encode() + b"." + body,
                            hashlib.sha256).hexdigest()
            if not hmac.compare_digest(want, parts["v1"]):
                rec["refused"] = "bad signature"
                append("refused.jsonl", rec)
                return self.answer(401, "bad signature")
            now = time.time() + ctl.get("ahead", 0)
            if now - t > MAX_AGE:
                rec["refused"] = "too old"
                append("refused.jsonl", rec)
                return self.answer(400, "timestamp too old")
            with lock:
                key = (name, rec["event_id"])
                rec["duplicate"] = key in seen
                seen.add(key)
                append("accepted.jsonl", rec)
            return self.answer(200, "ok")

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("listening %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


class HookReceiver:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="xrm-hooks-")
        self.proc = None
        self.port = None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), self.dir],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            raise RuntimeError("hook receiver did not start: %r" % line)
        self.port = int(line.split()[1])
        return self

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, name):
        return "http://127.0.0.1:%d/hooks/%s" % (self.port, name)

    def _update(self, name, **kv):
        path = os.path.join(self.dir, name)
        try:
            with open(path) as f:
                data = json.load(f)
        except (OSError, ValueError):
            data = {}
        data.update(kv)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f)
        os.replace(tmp, path)

    def set_secret(self, name, secret):
        self._update("secrets.json", **{name: secret})

    def fail_next(self, n, code=500, hook=None):
        """The next n deliveries (to hook only, when given) are answered with code."""
        self._update("control.json", fail=n, code=code, only=hook)

    def hang_next(self, n, seconds=15, hook=None):
        """The next n deliveries (to hook only, when given) get no answer for seconds."""
        self._update("control.json", hang=n, hang_seconds=seconds, only=hook)

    def clock_ahead(self, seconds):
        self._update("control.json", ahead=seconds)

    def _read(self, name):
        try:
            with open(os.path.join(self.dir, name)) as f:
                return [json.loads(l) for l in f if l.strip()]
        except OSError:
            return []

    def accepted(self, hook=None):
        return [r for r in self._read("accepted.jsonl") if hook is None or r["hook"] == hook]

    def refused(self, hook=None):
        return [r for r in self._read("refused.jsonl") if hook is None or r["hook"] == hook]

    def wait(self, pred, timeout=60, what="deliveries"):
        """Waits until pred(self) is true; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while not pred(self):
            if time.monotonic() > deadline:
                raise AssertionError("hook receiver: %s did not arrive in %d s; accepted %r"
                                     % (what, timeout, self.accepted()))
            time.sleep(0.1)

    def post(self, name, body, headers):
        """POSTs as xrm would (a replay of a captured delivery); returns the status."""
        req = urllib.request.Request(self.url(name), data=body.encode(), method="POST",
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code


if __name__ == "__main__":
    _serve(sys.argv[1])
