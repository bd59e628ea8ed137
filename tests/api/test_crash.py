"""Durability: every write the server acknowledged survives a SIGKILL.

Runs the release binary (XRM_RELEASE_BIN, default build/xrm): N parties are
created (sequentially and from several threads at once, some then changed),
the server is killed with SIGKILL while writes are still in flight, restarted
on the same database, and every acknowledged party must be there with its
data, findable, and the database must take new writes.
"""

import threading
import time
import unittest

from harness import Server, find_bin, q, sanitizer_report, word

N = 200
THREADS = 8


def party_body(i, w):
    kind = "organization" if i % 3 == 0 else "person"
    b = {
        "kind": kind,
        "emails": [{"label": "work", "value": "p%d.%s@crash-test.nl" % (i, w)}],
        "kvk": "%08d" % (10000000 + i),
        "tags": ["crash", "c%d" % i],
        "custom": {"i": i, "note": "schrijfactie %d" % i},
        "addresses": [{"label": "work", "street": "Dijk", "house_number": str(i),
                       "postcode": "8011 AB", "city": "Zwolle"}],
    }
    if kind == "organization":
        b["name"] = "%s Crash %d B.V." % (w.capitalize(), i)
    else:
        b["given_name"] = w.capitalize()
        b["family_name"] = "Crash%d" % i
    return b


class CrashTest(unittest.TestCase):
    def setUp(self):
        self.srv = Server(binary=find_bin("XRM_RELEASE_BIN", "build/xrm"))
        self.addCleanup(self.srv.cleanup)
        self.srv.init().start()
        self.word = word()
        self.acked = {}  # id -> expected {field: value}
        self.lock = threading.Lock()

    def expect(self, pid, body):
        exp = {k: body[k] for k in ("kind", "kvk", "tags", "custom")}
        exp["emails"] = [e["value"] for e in body["emails"]]
        if body["kind"] == "organization":
            exp["name"] = body["name"]
        else:
            exp["family_name"] = body["family_name"]
        with self.lock:
            self.acked[pid] = exp

    def writer(self, start, step, stop, errors):
        c = self.srv.client()
        i = start
        try:
            while not stop.is_set():
                body = party_body(i, self.word)
                try:
                    st, _, js = c.req("POST", "/api/v1/parties", body)
                except Exception:
                    return  # the server is gone: this write was never acknowledged
                if st != 201:
                    errors.append("POST #%d -> %d %r" % (i, st, js))
                    return
                self.expect(js["id"], body)
                i += step
        finally:
            c.close()

    def test_acknowledged_writes_survive_sigkill(self):
        c = self.srv.client()
        # Phase 1: sequential creates, every fifth then changed.
        for i in range(N // 2):
            body = party_body(i, self.word)
            st, _, js = c.req("POST", "/api/v1/parties", body)
            self.assertEqual(st, 201, js)
            if i % 5 == 0:
                body = dict(body, tags=["crash", "c%d" % i, "changed"])
                st, _, js2 = c.req("PATCH", "/api/v1/parties/%d" % js["id"],
                                   {"tags": body["tags"]})
                self.assertEqual(st, 200, js2)
            self.expect(js["id"], body)
        c.close()

        # Phase 2: concurrent creates; kill while they are still running.
        stop, errors = threading.Event(), []
        threads = [threading.Thread(target=self.writer, args=(N // 2 + k, THREADS, stop, errors))
                   for k in range(THREADS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 300
        while len(self.acked) < N + 20 and time.monotonic() < deadline and not errors:
            time.sleep(0.005)
        self.srv.kill()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(self.acked), N, "too few writes acknowledged before the kill")

        # Restart on the same database: everything acknowledged is there.
        self.srv.start()
        c = self.srv.client()
        missing, wrong = [], []
        for pid, exp in sorted(self.acked.items()):
            st, _, got = c.req("GET", "/api/v1/parties/%d" % pid)
            if st != 200:
                missing.append((pid, st))
                continue
            have = {k: got.get(k) for k in exp}
            have["emails"] = [e["value"] for e in got.get("emails", [])]
            if have != exp:
                wrong.append((pid, exp, have))
        self.assertEqual(missing, [], "acknowledged parties lost after SIGKILL")
        self.assertEqual(wrong, [], "acknowledged parties changed after SIGKILL")

        # The list and the search index agree with the rows.
        listed, cursor = set(), None
        while True:
            path = "/api/v1/parties" + q(q="tag:crash", limit="500",
                                         **({"cursor": cursor} if cursor else {}))
            st, _, js = c.req("GET", path)
            self.assertEqual(st, 200, js)
            listed.update(p["id"] for p in js["items"])
            cursor = js["next"]
            if not cursor:
                break
        self.assertEqual(set(self.acked) - listed, set(), "acknowledged parties not listed")
        for pid in sorted(self.acked)[:: max(1, len(self.acked) // 20)]:
            exp = self.acked[pid]
            st, _, js = c.req("GET", "/api/v1/parties" + q(q="tag:c%d" % exp["custom"]["i"]))
            self.assertEqual(st, 200, js)
            self.assertIn(pid, [p["id"] for p in js["items"]])
        st, _, js = c.req("GET", "/api/v1/parties" + q(q="tag:changed", limit="500"))
        self.assertEqual(st, 200)
        changed = {pid for pid, e in self.acked.items() if "changed" in e["tags"]}
        self.assertEqual({p["id"] for p in js["items"]}, changed)

        # The database takes new writes.
        st, _, p = c.req("POST", "/api/v1/parties",
                         {"kind": "person", "family_name": "Nadien", "tags": ["after"]})
        self.assertEqual(st, 201, p)
        self.assertNotIn(p["id"], self.acked)
        some = min(self.acked)
        st, _, js = c.req("PATCH", "/api/v1/parties/%d" % some, {"custom": {"after": True}})
        self.assertEqual(st, 200, js)
        st, _, js = c.req("GET", "/api/v1/parties/%d" % some)
        self.assertEqual(js["custom"], {"after": True})
        st, _, js = c.req("GET", "/api/v1/parties" + q(q="tag:after"))
        self.assertEqual([x["id"] for x in js["items"]], [p["id"]])
        c.close()
        self.assertTrue(self.srv.make_token("admin"))
        rc, err = self.srv.stop()
        self.assertIsNone(sanitizer_report(err), err)
        self.assertEqual(rc, 0, err)


if __name__ == "__main__":
    unittest.main()
