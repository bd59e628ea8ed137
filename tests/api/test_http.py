"""HTTP behaviour: ETag / If-None-Match / If-Match, archiving with DELETE,
Idempotency-Key, 404 / 405, HEAD, health, list limits and cursor pagination."""

import base64
import json
import socket
import threading
import unittest

from harness import ApiTestCase, describe, etag, q, word


def in_threads(server, n, fn):
    """Runs fn(client, k) in n threads at once, each on its own connection; returns results."""
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(k):
        c = server.client()
        try:
            barrier.wait(timeout=30)
            results[k] = fn(c, k)
        except Exception as e:  # reported by the caller
            results[k] = e
        finally:
            c.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


class ConditionalRequestTest(ApiTestCase):
    def test_etag_is_quoted_version(self):
        p = self.create_party()
        h, got = self.ok_h("GET", "/api/v1/parties/%d" % p["id"])
        self.assertEqual(h["ETag"], etag(got["version"]))
        self.assertEqual(got["version"], 1)

    def test_if_none_match_gives_304(self):
        p = self.create_party()
        path = "/api/v1/parties/%d" % p["id"]
        h, _ = self.ok_h("GET", path)
        st, h2, body = self.client.raw("GET", path, headers={"If-None-Match": h["ETag"]})
        self.assertEqual(st, 304, describe(self.client))
        self.assertEqual(body, b"", "a 304 has no body")
        # After a change the old ETag no longer matches.
        self.ok("PATCH", path, {"tags": ["changed"]})
        st, h3, got = self.req("GET", path, headers={"If-None-Match": h["ETag"]})
        self.assertEqual(st, 200, describe(self.client))
        self.assertEqual(h3["ETag"], etag(2))
        self.assertEqual(got["tags"], ["changed"])

    def test_patch_with_fresh_if_match_bumps_version(self):
        p = self.create_party(given_name="Fleur", family_name="Mulder")
        path = "/api/v1/parties/%d" % p["id"]
        h, _ = self.ok_h("GET", path)
        h2, got = self.ok_h("PATCH", path, {"given_name": "Floor"}, headers={"If-Match": h["ETag"]})
        self.assertEqual(got["version"], p["version"] + 1)
        self.assertEqual(got["name"], "Floor Mulder")
        self.assertEqual(h2["ETag"], etag(got["version"]))
        h3, again = self.ok_h("GET", path)
        self.assertEqual(h3["ETag"], etag(p["version"] + 1))
        self.assertEqual(again["given_name"], "Floor")
        self.assertGreaterEqual(again["updated_at"], p["updated_at"])
        self.assertEqual(again["created_at"], p["created_at"])

    def test_weak_and_star_if_match(self):
        p = self.create_party()
        path = "/api/v1/parties/%d" % p["id"]
        self.ok("PATCH", path, {"tags": ["a"]}, headers={"If-Match": 'W/"1"'})
        self.ok("PATCH", path, {"tags": ["b"]}, headers={"If-Match": "*"})
        self.assertEqual(self.get_party(p["id"])["version"], 3)

    def test_patch_with_stale_if_match_is_412(self):
        p = self.create_party(given_name="Sem", family_name="Kok")
        path = "/api/v1/parties/%d" % p["id"]
        self.ok("PATCH", path, {"given_name": "Sam"}, headers={"If-Match": etag(1)})
        before = self.get_party(p["id"])
        self.problem("PATCH", path, {"given_name": "Tim"}, status=412,
                     headers={"If-Match": etag(1)})
        self.assertEqual(self.get_party(p["id"]), before)

    def test_unreadable_if_match_is_400(self):
        p = self.create_party()
        path = "/api/v1/parties/%d" % p["id"]
        self.problem("PATCH", path, {"tags": ["x"]}, status=400, field="If-Match",
                     headers={"If-Match": "yesterday"})
        self.assertEqual(self.get_party(p["id"])["version"], 1)

    def test_delete_with_stale_if_match_is_412(self):
        w = word()
        p = self.create_party(family_name=w.capitalize())
        path = "/api/v1/parties/%d" % p["id"]
        self.ok("PATCH", path, {"tags": ["x"]})
        self.problem("DELETE", path, status=412, headers={"If-Match": etag(1)})
        got = self.get_party(p["id"])
        self.assertFalse(got["archived"])
        self.assertIn(p["id"], self.search(w))
        self.assertIn(p["id"], self.party_ids())


class ConcurrencyTest(ApiTestCase):
    def test_concurrent_patches_with_one_etag_one_wins(self):
        p = self.create_party(given_name="Race", family_name="Conditie")
        path = "/api/v1/parties/%d" % p["id"]

        def patch(c, k):
            return c.req("PATCH", path, {"given_name": "Winnaar%d" % k},
                         headers={"If-Match": etag(1)})[0]

        statuses = in_threads(self.server, 8, patch)
        self.assertEqual(sorted(statuses), [200] + [412] * 7, statuses)
        got = self.get_party(p["id"])
        self.assertEqual(got["version"], 2)
        self.assertRegex(got["given_name"], r"^Winnaar\d$")

    def test_concurrent_retries_with_one_idempotency_key(self):
        key = "race-" + word(16)
        count = self.party_count()
        body = {"kind": "organization", "name": "Race " + word()}

        def post(c, k):
            st, _, js = c.req("POST", "/api/v1/parties", body, headers={"Idempotency-Key": key})
            return st, js["id"] if st == 201 else js

        res = in_threads(self.server, 8, post)
        self.assertTrue(all(isinstance(r, tuple) and r[0] == 201 for r in res), res)
        self.assertEqual(len({r[1] for r in res}), 1, "retries created different parties")
        self.assertEqual(self.party_count(), count + 1)

    def test_concurrent_creates_all_land(self):
        tag = word()
        count = self.party_count()

        def create(c, k):
            ids = []
            for i in range(10):
                st, _, js = c.req("POST", "/api/v1/parties",
                                  {"kind": "person", "family_name": "Par%d" % i, "tags": [tag]})
                if st != 201:
                    return "status %d: %r" % (st, js)
                ids.append(js["id"])
            return ids

        res = in_threads(self.server, 8, create)
        for r in res:
            self.assertIsInstance(r, list, r)
        ids = [i for r in res for i in r]
        self.assertEqual(len(set(ids)), 80)
        self.assertEqual(sorted(self.party_ids("tag:" + tag)), sorted(ids))
        self.assertEqual(self.party_count(), count + 80)


class RobustnessTest(ApiTestCase):
    def test_huge_url_is_refused_and_server_lives(self):
        try:
            st, _, _ = self.client.raw("GET", "/api/v1/parties?q=" + "a" * 100000)
            self.assertGreaterEqual(st, 400)
            self.assertLess(st, 500)
        except (ConnectionError, OSError):
            self.client.close()  # closing the connection is an acceptable answer
        self.assertEqual(self.req("GET", "/healthz")[0], 200)

    def test_huge_header_is_refused_and_server_lives(self):
        try:
            st, _, _ = self.client.raw("GET", "/api/v1/parties", headers={"X-Big": "b" * 100000})
            self.assertGreaterEqual(st, 400)
            self.assertLess(st, 500)
        except (ConnectionError, OSError):
            self.client.close()
        self.assertEqual(self.req("GET", "/healthz")[0], 200)

    def test_garbage_on_the_socket(self):
        for junk in (b"\x00\x01\x02garbage\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                     b"POST /api/v1/parties HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                     b"POST /api/v1/parties HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"zz\r\n", b"GET /healthz HTTP/1.1\r\n"):
            with self.subTest(junk=junk[:20]):
                s = socket.create_connection((self.server.host, self.server.port), timeout=10)
                s.settimeout(2)  # an incomplete request may simply be waited on
                try:
                    s.sendall(junk)
                    s.shutdown(socket.SHUT_WR)
                    try:
                        s.recv(65536)
                    except OSError:
                        pass
                finally:
                    s.close()
                self.assertEqual(self.req("GET", "/healthz")[0], 200)

    def test_client_hanging_up_mid_body(self):
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        s.sendall(b"POST /api/v1/parties HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + self.token.encode() + b"\r\nContent-Length: 1000\r\n\r\n{\"kind\":")
        s.close()
        self.assertEqual(self.req("GET", "/healthz")[0], 200)


class ArchiveTest(ApiTestCase):
    def test_delete_archives(self):
        w = word()
        p = self.create_party(family_name=w.capitalize(), tags=[w])
        path = "/api/v1/parties/%d" % p["id"]
        count = self.party_count()
        st, _, body = self.client.raw("DELETE", path, headers={"If-Match": etag(1)})
        self.assertEqual(st, 204, describe(self.client))
        self.assertEqual(body, b"")
        self.assertEqual(self.party_count(), count - 1)
        self.assertNotIn(p["id"], self.party_ids())
        self.assertNotIn(p["id"], self.search(w))
        self.assertNotIn(p["id"], self.search("tag:" + w))
        got = self.get_party(p["id"])
        self.assertTrue(got["archived"])
        self.assertEqual(got["family_name"], w.capitalize())

    def test_archived_party_can_be_restored(self):
        w = word()
        p = self.create_party(family_name=w.capitalize())
        path = "/api/v1/parties/%d" % p["id"]
        self.ok("DELETE", path, status=204)
        got = self.ok("PATCH", path, {"archived": False})
        self.assertFalse(got["archived"])
        self.assertIn(p["id"], self.search(w))

    def test_delete_twice_is_harmless(self):
        p = self.create_party()
        path = "/api/v1/parties/%d" % p["id"]
        self.ok("DELETE", path, status=204)
        st, _, _ = self.req("DELETE", path)
        self.assertIn(st, (204, 404), describe(self.client))
        self.assertTrue(self.get_party(p["id"])["archived"])


class IdempotencyTest(ApiTestCase):
    def test_same_post_twice_creates_one_party(self):
        key = "create-" + word(16)
        body = {"kind": "person", "given_name": "Idem", "family_name": word().capitalize()}
        count = self.party_count()
        h1, first = self.ok_h("POST", "/api/v1/parties", body, 201,
                              headers={"Idempotency-Key": key})
        h2, second = self.ok_h("POST", "/api/v1/parties", body, 201,
                               headers={"Idempotency-Key": key})
        self.assertEqual(second["id"], first["id"])
        self.assertEqual(second, first)
        self.assertEqual(h2.get("Location"), h1.get("Location"))
        self.assertEqual(self.party_count(), count + 1)

    def test_replay_ignores_a_changed_body(self):
        key = "create-" + word(16)
        count = self.party_count()
        first = self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Een"},
                        201, headers={"Idempotency-Key": key})
        st, _, second = self.req("POST", "/api/v1/parties",
                                 {"kind": "person", "family_name": "Twee"},
                                 headers={"Idempotency-Key": key})
        # Either a replay of the first answer or a refusal; never a second party.
        if st == 201:
            self.assertEqual(second["id"], first["id"])
        else:
            self.assertIn(st, (409, 422), describe(self.client))
        self.assertEqual(self.party_count(), count + 1)

    def test_different_keys_create_different_parties(self):
        count = self.party_count()
        body = {"kind": "person", "family_name": "Dubbel"}
        a = self.ok("POST", "/api/v1/parties", body, 201, headers={"Idempotency-Key": word(16)})
        b = self.ok("POST", "/api/v1/parties", body, 201, headers={"Idempotency-Key": word(16)})
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(self.party_count(), count + 2)

    def test_key_reused_on_another_path_is_422(self):
        key = "reuse-" + word(16)
        self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Sleutel"}, 201,
                headers={"Idempotency-Key": key})
        js = self.ok("GET", "/api/v1/tokens")
        tokens_before = len(js["items"])
        self.problem("POST", "/api/v1/tokens", {"name": "x"}, status=422, field="Idempotency-Key",
                     headers={"Idempotency-Key": key})
        self.assertEqual(len(self.ok("GET", "/api/v1/tokens")["items"]), tokens_before)

    def test_failed_request_is_replayed_as_failure(self):
        key = "bad-" + word(16)
        count = self.party_count()
        bad = {"kind": "person", "family_name": "X", "iban": "NL00"}
        self.problem("POST", "/api/v1/parties", bad, 422, "iban", headers={"Idempotency-Key": key})
        self.problem("POST", "/api/v1/parties", bad, 422, "iban", headers={"Idempotency-Key": key})
        self.assertEqual(self.party_count(), count)

    def test_key_too_long_is_400(self):
        count = self.party_count()
        self.problem("POST", "/api/v1/parties", {"kind": "person", "family_name": "Lang"}, 400,
                     "Idempotency-Key", headers={"Idempotency-Key": "k" * 500})
        self.assertEqual(self.party_count(), count)


class RoutingTest(ApiTestCase):
    def test_405_with_allow(self):
        for method, path, allowed in (
            ("PUT", "/api/v1/parties", {"GET", "POST"}),
            ("DELETE", "/api/v1/parties", {"GET", "POST"}),
            ("POST", "/api/v1/parties/1", {"GET", "PATCH", "DELETE"}),
            ("PUT", "/api/v1/parties/1", {"GET", "PATCH", "DELETE"}),
        ):
            with self.subTest(method=method, path=path):
                st, h, js = self.req(method, path, {"kind": "person", "family_name": "X"})
                self.assert_problem((st, h, js), 405)
                allow = {m.strip() for m in (h.get("Allow") or "").split(",")}
                self.assertTrue(allowed <= allow, "Allow %r lacks %r" % (h.get("Allow"), allowed))
                self.assertNotIn(method, allow)

    def test_unknown_path_is_404_problem(self):
        for path in ("/api/v1/nothing", "/api/v1/parties/abc", "/api/v1/parties/0",
                     "/api/v1/parties/-1", "/api/v1/parties/1/nothing", "/api/v2/parties",
                     "/api/v1/parties/99999999999999999999999"):
            with self.subTest(path=path):
                self.problem("GET", path, status=404)
        self.problem("GET", "/api/v1/nothing", status=404, token=None)

    def test_healthz_needs_no_token(self):
        st, h, js = self.req("GET", "/healthz", token=None)
        self.assertEqual(st, 200)
        self.assertEqual(js.get("status"), "ok")
        self.assertTrue(h.get("Content-Type", "").startswith("application/json"))

    def test_head_healthz_has_no_body(self):
        st, h, body = self.client.raw("HEAD", "/healthz", token=None)
        self.assertEqual(st, 200)
        self.assertEqual(body, b"")
        # The connection is still usable afterwards (no stray body bytes).
        self.assertEqual(self.req("GET", "/healthz", token=None)[0], 200)

    def test_head_on_party(self):
        p = self.create_party()
        st, h, body = self.client.raw("HEAD", "/api/v1/parties/%d" % p["id"])
        self.assertEqual(st, 200)
        self.assertEqual(body, b"")
        self.assertEqual(h.get("ETag"), etag(1))

    def test_json_content_type_and_location(self):
        h, p = self.ok_h("POST", "/api/v1/parties", {"kind": "person", "family_name": "Type"}, 201)
        self.assertTrue(h["Content-Type"].startswith("application/json"), h["Content-Type"])
        self.assertEqual(h["Location"], "/api/v1/parties/%d" % p["id"])

    def test_empty_body_on_post_is_400(self):
        count = self.party_count()
        self.problem("POST", "/api/v1/parties", status=400)
        self.problem("POST", "/api/v1/parties", "", status=400)
        self.assertEqual(self.party_count(), count)

    def test_login_body_over_its_cap_is_413(self):
        self.problem("POST", "/api/v1/session",
                     {"user": "admin", "password": "x" * 10000}, status=413, token=None)

    def test_many_requests_on_one_connection(self):
        for _ in range(50):
            self.assertEqual(self.req("GET", "/healthz")[0], 200)
        self.assertTrue(self.client.used, "the server closed the keep-alive connection")

    def test_openapi_document(self):
        st, h, js = self.req("GET", "/api/v1/openapi.json", token=None)
        self.assertEqual(st, 200)
        self.assertIsInstance(js, dict)


class ListLimitTest(ApiTestCase):
    def test_bad_limits_are_400(self):
        for limit in ("0", "501", "-1", "abc", "1.5", "99999999999999999999"):
            with self.subTest(limit=limit):
                self.problem("GET", "/api/v1/parties" + q(limit=limit), status=400, field="limit")

    def test_limits_at_the_edges(self):
        for _ in range(3):
            self.create_party()
        self.assertEqual(len(self.ok("GET", "/api/v1/parties?limit=1")["items"]), 1)
        self.assertEqual(len(self.ok("GET", "/api/v1/parties?limit=2")["items"]), 2)
        js = self.ok("GET", "/api/v1/parties?limit=500")
        self.assertIsNone(js["next"])

    def test_default_limit_is_50(self):
        while self.party_count() < 60:
            self.create_party()
        js = self.ok("GET", "/api/v1/parties")
        self.assertEqual(len(js["items"]), 50)
        self.assertIsNotNone(js["next"])

    def test_garbage_cursor_is_400(self):
        other = base64.urlsafe_b64encode(json.dumps({"a": 1}).encode()).decode().rstrip("=")
        wrong_shape = base64.urlsafe_b64encode(b'["x"]').decode().rstrip("=")
        for cursor in ("garbage!!", "AAAA", other, wrong_shape, "%00", "x" * 5000):
            with self.subTest(cursor=cursor[:20]):
                self.problem("GET", "/api/v1/parties" + q(cursor=cursor), status=400,
                             field="cursor")

    def test_cursor_of_another_query_is_400(self):
        w = word()
        for i in range(3):
            self.create_party(given_name=w.capitalize(), family_name="Q%d" % i)
        js = self.ok("GET", "/api/v1/parties" + q(q=w, limit="1"))
        self.assertIsNotNone(js["next"])
        # A free-text cursor used on the name-ordered list (no q).
        self.problem("GET", "/api/v1/parties" + q(cursor=js["next"], limit="1"), status=400,
                     field="cursor")


class PaginationTest(ApiTestCase):
    """Walk every page: no duplicates, no gaps, in order."""

    N = 25

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.word = word()
        cls.tag = word()
        cls.created = []
        c = cls.client
        names = ["%s%s" % (chr(ord("a") + i % 26), word(5)) for i in range(cls.N)]
        for i, n in enumerate(names):
            body = {"kind": "person", "given_name": cls.word.capitalize(),
                    "family_name": n.capitalize(), "tags": [cls.tag]}
            st, _, js = c.req("POST", "/api/v1/parties", body)
            if st != 201:
                raise AssertionError("setup: %s" % describe(c))
            cls.created.append(js)
        # Others that must not show up under the tag or word.
        for _ in range(5):
            c.req("POST", "/api/v1/parties", {"kind": "organization", "name": word().capitalize()})

    def walk(self, limit, **params):
        pages, seen, cursor = 0, [], None
        while True:
            p = dict(params, limit=str(limit))
            if cursor:
                p["cursor"] = cursor
            js = self.ok("GET", "/api/v1/parties" + q(**p))
            pages += 1
            self.assertLessEqual(len(js["items"]), limit)
            seen.extend(js["items"])
            cursor = js["next"]
            if not cursor:
                break
            self.assertEqual(len(js["items"]), limit, "a page before the last is not full")
            self.assertLess(pages, 1000)
        return pages, seen

    def test_name_order_walk(self):
        pages, items = self.walk(7, q="tag:" + self.tag)
        ids = [i["id"] for i in items]
        self.assertEqual(len(ids), len(set(ids)), "duplicates across pages")
        self.assertEqual(sorted(ids), sorted(p["id"] for p in self.created), "gaps or strangers")
        self.assertEqual(pages, 4)
        fams = [i["family_name"].lower() for i in items]
        self.assertEqual(fams, sorted(fams), "not in name order")

    def test_free_text_walk(self):
        pages, items = self.walk(7, q=self.word)
        ids = [i["id"] for i in items]
        self.assertEqual(len(ids), len(set(ids)), "duplicates across pages")
        self.assertEqual(sorted(ids), sorted(p["id"] for p in self.created), "gaps or strangers")
        self.assertEqual(pages, 4)

    def test_whole_list_walk(self):
        everything = self.ok("GET", "/api/v1/parties?limit=500")["items"]
        self.assertEqual(len(everything), self.N + 5)
        _, items = self.walk(7)
        ids = [i["id"] for i in items]
        self.assertEqual(ids, [i["id"] for i in everything])

    def test_walk_survives_changes(self):
        """Archiving an item already seen does not shift the next page."""
        first = self.ok("GET", "/api/v1/parties" + q(q="tag:" + self.tag, limit="7"))
        self.assertEqual(len(first["items"]), 7)
        victim = first["items"][0]["id"]
        self.ok("DELETE", "/api/v1/parties/%d" % victim, status=204)
        try:
            second = self.ok("GET", "/api/v1/parties" + q(q="tag:" + self.tag, limit="7",
                                                          cursor=first["next"]))
            want = [p["id"] for p in sorted(self.created,
                                            key=lambda p: (p["family_name"].lower(), p["id"]))]
            self.assertEqual([i["id"] for i in second["items"]], want[7:14])
        finally:
            self.ok("PATCH", "/api/v1/parties/%d" % victim, {"archived": False})


if __name__ == "__main__":
    unittest.main()
