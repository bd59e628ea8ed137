"""The response cache: repeated lists and searches are answered from memory,
but never stale and never to another user.

A cached answer (header X-Xrm-Cache: hit) must equal what the server would
compute; a write through the API, a write by another process on the same
database file, and another user asking the same URL must all get a fresh
answer. PostgreSQL servers never cache (the engine cannot say whether
another node wrote), and `serve --response-cache off` turns it off.
"""

import json
import sqlite3
import threading
import unittest

from harness import ADMIN_PASSWORD, PG_URL, ApiTestCase, Server, describe, etag, q, word
from test_access import AccessBase

CACHE = "X-Xrm-Cache"
JSON = "application/json; charset=utf-8"


def same_headers(h):
    """The headers of an answer that a hit and a miss must share: all but the
    date, X-Xrm-Cache and X-Request-Id (each request's own)."""
    return sorted((k.lower(), v) for k, v in h.items()
                  if k.lower() not in ("date", "x-xrm-cache", "x-request-id"))


@unittest.skipIf(PG_URL, "the response cache is SQLite only")
class CachedReadsTest(ApiTestCase):
    def get(self, path, token=None):
        kw = {} if token is None else {"token": token}
        st, h, raw = self.client.raw("GET", path, **kw)
        self.assertEqual(st, 200, describe(self.client))
        return h, raw

    def test_a_repeated_search_is_a_hit_with_the_same_answer(self):
        name = word(10)
        for i in range(3):
            self.create_party(kind="person", given_name="Anna%d" % i, family_name=name)
        path = "/api/v1/parties" + q(q=name, limit="2")
        h1, raw1 = self.get(path)
        h2, raw2 = self.get(path)
        self.assertEqual(h1.get(CACHE), "miss")
        self.assertEqual(h2.get(CACHE), "hit")
        self.assertEqual(raw1, raw2)
        self.assertEqual(len(json.loads(raw2)["items"]), 2)
        # Another page (another query argument) is another entry.
        h3, raw3 = self.get("/api/v1/parties" + q(q=name, limit="3"))
        self.assertEqual(h3.get(CACHE), "miss")
        self.assertEqual(len(json.loads(raw3)["items"]), 3)

    def test_a_hit_is_answered_as_the_miss_was(self):
        """The web app reads a body only when its Content-Type says JSON; hits
        without one (707e732) left the search box and the party page with
        null. A hit carries the miss's headers and bytes, whether the user
        sends a bearer token or the browser's session cookie, and for HEAD."""
        name = word(10)
        for i in range(3):
            self.create_party(kind="person", given_name="Bea%d" % i, family_name=name)
        st, h, _ = self.req("POST", "/api/v1/session",
                            {"user": "admin", "password": ADMIN_PASSWORD, "bearer": False},
                            token=None)
        self.assertEqual(st, 201, describe(self.client))
        session = h.get("Set-Cookie").split(";")[0]
        ways = {
            "bearer": {},
            "cookie": {"token": None, "headers": {"Cookie": session, "Accept": "application/json"}},
        }
        for limit, (way, kw) in enumerate(ways.items(), start=2):
            path = "/api/v1/parties" + q(q=name, limit=str(limit))
            answers = []
            for method in ("GET", "GET", "HEAD", "GET"):
                st, h, raw = self.client.raw(method, path, **kw)
                self.assertEqual(st, 200, describe(self.client))
                answers.append((method, h, raw))
            (_, h1, raw1), rest = answers[0], answers[1:]
            self.assertEqual(h1.get(CACHE), "miss", way)
            self.assertEqual(h1.get("Content-Type"), JSON, way)
            self.assertEqual(h1.get("Content-Length"), str(len(raw1)), way)
            self.assertEqual(len(json.loads(raw1)["items"]), limit, way)
            for method, h, raw in rest:
                what = "%s %s (%s)" % (method, path, way)
                self.assertEqual(h.get(CACHE), "hit", what)
                self.assertEqual(same_headers(h), same_headers(h1), what)
                self.assertEqual(raw, b"" if method == "HEAD" else raw1, what)

    def test_query_arguments_cannot_pass_for_others(self):
        """Decoded arguments may hold any byte: a search for a text with the
        cache key's separators in it (%01, %02) is not the answer to the
        arguments that text spells, nor the other way round."""
        name = word(10)
        for i in range(3):
            self.create_party(kind="person", given_name="Cas%d" % i, family_name=name)
        for limit in ("2", "3"):
            plain = "/api/v1/parties" + q(q=name, limit=limit)
            odd = "/api/v1/parties" + q(q=name + "\x01limit\x02" + limit)
            # Limit 2: the odd search is asked first; limit 3: the plain one.
            order = (odd, plain) if limit == "2" else (plain, odd)
            for path in order:
                h, raw = self.get(path)
                self.assertEqual(h.get(CACHE), "miss", path)
                items = json.loads(raw)["items"]
                self.assertEqual(len(items), int(limit) if path == plain else 0, path)

    def test_a_write_is_seen_by_the_next_read(self):
        tag = word(12)
        p = self.create_party(kind="organization", name="Oud " + tag)
        path = "/api/v1/parties" + q(q=tag)
        self.get(path)
        h, _ = self.get(path)
        self.assertEqual(h.get(CACHE), "hit")
        new = "Nieuw " + tag
        self.ok("PATCH", "/api/v1/parties/%d" % p["id"], {"name": new},
                headers={"If-Match": etag(p["version"])})
        h, raw = self.get(path)
        self.assertEqual(h.get(CACHE), "miss")
        items = json.loads(raw)["items"]
        self.assertEqual([(x["id"], x["name"], x["version"]) for x in items],
                         [(p["id"], new, p["version"] + 1)])

    def test_a_write_by_another_process_is_seen(self):
        tag = word(12)
        p = self.create_party(kind="organization", name="Buiten " + tag)
        path = "/api/v1/parties" + q(q=tag)
        self.get(path)
        h, _ = self.get(path)
        self.assertEqual(h.get(CACHE), "hit")
        con = sqlite3.connect(self.server.db, timeout=30)
        try:
            con.execute("UPDATE parties SET name = 'Elders Gewijzigd' WHERE id = ?", (p["id"],))
            con.commit()
        finally:
            con.close()
        h, raw = self.get(path)
        self.assertEqual(h.get(CACHE), "miss")
        self.assertEqual(json.loads(raw)["items"][0]["name"], "Elders Gewijzigd")

    def test_single_reads_are_not_cached(self):
        p = self.create_party(kind="organization", name="Los " + word())
        for path in ("/api/v1/parties/%d" % p["id"], "/api/v1/parties/%d/view" % p["id"]):
            for _ in range(2):
                h, _ = self.get(path)
                self.assertIsNone(h.get(CACHE), path)

    def test_no_reader_sees_an_older_version_than_acknowledged(self):
        """Six connections read a party and a search of it while it is written
        30 times; no answer may be older than the last write acknowledged
        before that request was sent (read-your-writes across connections)."""
        tag = word(12)
        p = self.create_party(kind="organization", name="Race " + tag)
        paths = ["/api/v1/parties/%d" % p["id"], "/api/v1/parties" + q(q=tag)]
        acked = [p["version"]]
        stop = threading.Event()
        stale, seen, failures = [], [0], []

        def reader(n):
            c = self.server.client()
            try:
                while not stop.is_set():
                    floor = acked[0]
                    path = paths[n % 2]
                    st, _, raw = c.raw("GET", path)
                    if st != 200:
                        failures.append((path, st))
                        return
                    js = json.loads(raw)
                    v = js["version"] if "version" in js else js["items"][0]["version"]
                    seen[0] += 1
                    if v < floor:
                        stale.append((path, v, floor))
                    n += 1
            finally:
                c.close()

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        try:
            version = p["version"]
            for i in range(30):
                got = self.ok("PATCH", paths[0], {"name": "Race %s %d" % (tag, i)},
                              headers={"If-Match": etag(version)})
                version = got["version"]
                acked[0] = version
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(failures, [])
        self.assertEqual(stale, [], "answers older than an acknowledged write")
        self.assertGreater(seen[0], 30)

    def test_errors_are_not_cached(self):
        path = "/api/v1/parties" + q(q="naam:(")
        for _ in range(2):
            st, h, _ = self.client.raw("GET", path)
            self.assertEqual(st, 400, describe(self.client))
            self.assertEqual(h.get(CACHE), "miss")


@unittest.skipIf(PG_URL, "the response cache is SQLite only")
class CacheIsPerUserTest(AccessBase):
    """Sales asks, on the same connection, what admin has just had cached."""

    def test_sales_never_gets_the_admins_cached_salary(self):
        p, emp = self.staff_customer()
        salary = str(emp["attributes"]["salary"])
        for target in ("/api/v1/parties" + q(q="role:employee"),
                       "/api/v1/parties" + q(q="role:employee role:customer", limit="500")):
            st, _, raw = self.client.raw("GET", target)
            st, h, raw = self.client.raw("GET", target)
            self.assertEqual(h.get(CACHE), "hit", target)
            self.assertIn(b"salary", raw, target)
            st, h, raw = self.client.raw("GET", target, token=self.tok["verkoop"])
            self.assertEqual(st, 200, describe(self.client))
            self.assertEqual(h.get(CACHE), "miss", target)
            self.assertNotIn(b"salary", raw, target)
            self.assertNotIn(salary.encode(), raw, target)


class CacheOffTest(unittest.TestCase):
    def test_off_and_postgresql_never_answer_from_the_cache(self):
        srv = Server()
        try:
            srv.init().start([] if PG_URL else ["--response-cache", "off"])
            c = srv.client()
            for _ in range(2):
                st, h, _ = c.raw("GET", "/api/v1/parties")
                self.assertEqual(st, 200)
                self.assertIsNone(h.get(CACHE))
            c.close()
            rc, _ = srv.stop()
            self.assertEqual(rc, 0)
        finally:
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
