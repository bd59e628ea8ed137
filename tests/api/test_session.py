"""Browser sessions: the HttpOnly SameSite=Strict cookie, the CSRF token that
every state-changing cookie request needs, a bearer token only on request,
logout of every token of a login, login rate limiting (429 with
Retry-After, per user name and client address, and per address), and that no
response or log line holds a password, token or session id."""

import http.cookies
import unittest

from harness import ADMIN_PASSWORD, ApiTestCase, describe, word


def cookie_of(headers):
    """(name, value, attributes lower-cased) of the Set-Cookie header, or None."""
    raw = headers.get("Set-Cookie")
    if not raw:
        return None
    parts = [p.strip() for p in raw.split(";")]
    name, _, value = parts[0].partition("=")
    return name, value, [p.lower() for p in parts[1:]]


class SessionCookieTest(ApiTestCase):
    def make_user(self, access=None):
        name = "sess_" + word()
        pw = "pw-" + word(12)
        self.ok("POST", "/api/v1/users",
                {"name": name, "password": pw, "access": access or {"sales": "write"}},
                status=201)
        return name, pw

    def login(self, name, pw, headers=None, **extra):
        body = {"user": name, "password": pw}
        body.update(extra)
        st, h, js = self.req("POST", "/api/v1/session", body, headers=headers, token=None)
        self.assertEqual(st, 201, describe(self.client))
        return h, js

    def with_cookie(self, method, path, value, body=None, csrf=None):
        headers = {"Cookie": "xrm_session=" + value}
        if csrf:
            headers["X-CSRF-Token"] = csrf
        return self.req(method, path, body, headers=headers, token=None)

    def test_login_sets_a_strict_http_only_cookie(self):
        name, pw = self.make_user()
        h, js = self.login(name, pw)
        c = cookie_of(h)
        self.assertIsNotNone(c, "no Set-Cookie")
        cname, value, attrs = c
        self.assertEqual(cname, "xrm_session")
        self.assertTrue(value.startswith("xrm_"))
        for a in ("httponly", "samesite=strict", "path=/"):
            self.assertIn(a, attrs)
        self.assertNotIn("secure", attrs, "plain http on localhost gets no Secure flag")
        self.assertIsInstance(js["csrf"], str)
        self.assertEqual(js["user"]["name"], name)
        self.assertEqual(js["user"]["access"]["sales"], "write")
        # A browser login gets no bearer token: nothing a page script could read.
        self.assertNotIn("token", js)
        self.assertNotIn(value, str(js))
        # Behind a TLS proxy the cookie is Secure.
        h, _ = self.login(name, pw, headers={"X-Forwarded-Proto": "https"})
        self.assertIn("secure", cookie_of(h)[2])
        _, js = self.login(name, pw, bearer=False)
        self.assertNotIn("token", js)
        # An API client that asks for one gets a bearer token: another credential than the cookie.
        h, js = self.login(name, pw, bearer=True)
        self.assertTrue(js["token"].startswith("xrm_"))
        self.assertNotEqual(js["token"], cookie_of(h)[1])
        self.assertEqual(self.req("GET", "/api/v1/session", token=js["token"])[2]["auth"], "bearer")

    def test_cookie_requests_need_the_csrf_token_to_change_data(self):
        name, pw = self.make_user()
        h, js = self.login(name, pw, bearer=True)
        value, csrf = cookie_of(h)[1], js["csrf"]
        st, _, _ = self.with_cookie("GET", "/api/v1/parties", value)
        self.assertEqual(st, 200, "reads need no CSRF token")
        body = {"kind": "person", "family_name": "Koekje"}
        count = self.party_count()
        for bad in (None, "", csrf[:-1] + ("A" if csrf[-1] != "A" else "B"), csrf + "x"):
            with self.subTest(csrf=bad):
                res = self.with_cookie("POST", "/api/v1/parties", value, body, csrf=bad)
                self.assert_problem(res, 403)
        self.assertEqual(self.party_count(), count, "a refused request changed data")
        st, _, p = self.with_cookie("POST", "/api/v1/parties", value, body, csrf=csrf)
        self.assertEqual(st, 201, describe(self.client))
        st, _, _ = self.with_cookie("PATCH", "/api/v1/parties/%d" % p["id"], value,
                                    {"family_name": "Koek"})
        self.assertEqual(st, 403)
        # Bearer tokens need none.
        self.ok("PATCH", "/api/v1/parties/%d" % p["id"], {"family_name": "Koek"},
                token=js["token"])
        # The session tells the web app who it is, and its CSRF token again.
        st, _, me = self.with_cookie("GET", "/api/v1/session", value)
        self.assertEqual(st, 200)
        self.assertEqual(me["user"]["name"], name)
        self.assertEqual(me["csrf"], csrf)
        self.assertEqual(me["auth"], "cookie")

    def test_logout(self):
        name, pw = self.make_user()
        h, js = self.login(name, pw, bearer=True)
        value, csrf = cookie_of(h)[1], js["csrf"]
        res = self.with_cookie("DELETE", "/api/v1/session", value)
        self.assert_problem(res, 403)
        self.assertEqual(self.req("GET", "/api/v1/parties", token=js["token"])[0], 200)
        st, h2, _ = self.with_cookie("DELETE", "/api/v1/session", value, csrf=csrf)
        self.assertEqual(st, 204, describe(self.client))
        c = cookie_of(h2)
        self.assertEqual(c[1], "")
        self.assertIn("max-age=0", c[2])
        self.assert_problem(self.with_cookie("GET", "/api/v1/parties", value), 401)
        # Logout revokes every token that login created: its bearer token too.
        self.problem("GET", "/api/v1/parties", status=401, token=js["token"])
        # And the other way round: logging out with the bearer token ends the cookie session.
        h, js = self.login(name, pw, bearer=True)
        value = cookie_of(h)[1]
        st, _, _ = self.req("DELETE", "/api/v1/session", token=js["token"])
        self.assertEqual(st, 204)
        self.problem("GET", "/api/v1/parties", status=401, token=js["token"])
        self.assert_problem(self.with_cookie("GET", "/api/v1/parties", value), 401)
        # Logging out of one login leaves the user's other logins alone.
        h1, js1 = self.login(name, pw, bearer=True)
        h2, js2 = self.login(name, pw, bearer=True)
        st, _, _ = self.req("DELETE", "/api/v1/session", token=js1["token"])
        self.assertEqual(st, 204)
        self.assertEqual(self.req("GET", "/api/v1/parties", token=js2["token"])[0], 200)
        self.assertEqual(self.with_cookie("GET", "/api/v1/parties", cookie_of(h2)[1])[0], 200)
        self.assert_problem(self.with_cookie("GET", "/api/v1/parties", cookie_of(h1)[1]), 401)

    def test_a_new_password_ends_sessions(self):
        name, pw = self.make_user()
        h, js = self.login(name, pw, bearer=True)
        u = [x for x in self.ok("GET", "/api/v1/users")["items"] if x["name"] == name][0]
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"password": "a-new-password"})
        self.assert_problem(self.with_cookie("GET", "/api/v1/parties", cookie_of(h)[1]), 401)
        self.problem("GET", "/api/v1/parties", status=401, token=js["token"])
        self.login(name, "a-new-password")

    def test_no_secret_in_any_answer_or_log(self):
        name, pw = self.make_user()
        h, js = self.login(name, pw, bearer=True)
        value = cookie_of(h)[1]
        answers = []
        for body in ('{"user": "%s", "password": %s}' % (name, pw),  # not JSON: pw unquoted
                     {"user": name, "password": pw + "x"},
                     {"user": name, "password": pw, "colour": "red"},
                     {"user": name, "password": 12}):
            st, _, raw = self.client.raw("POST", "/api/v1/session", body, token=None,
                                         invalid=True)  # bad input on purpose
            self.assertIn(st, (400, 401, 422))
            answers.append(raw)
        for path in ("/api/v1/tokens", "/api/v1/session", "/api/v1/audit?user=me"):
            st, _, raw = self.client.raw("GET", path, token=js["token"])
            self.assertEqual(st, 200, path)
            answers.append(raw)
        st, _, raw = self.client.raw("GET", "/api/v1/audit", token=None,
                                     headers={"Authorization": "Bearer " + js["token"] + "x"})
        answers.append(raw)
        for raw in answers:
            for secret in (pw, value, js["token"]):
                self.assertNotIn(secret.encode(), raw)
        log = self.server.stderr()
        for secret in (pw, value, js["token"], js["csrf"], ADMIN_PASSWORD):
            self.assertNotIn(secret, log)


class LoginLimitTest(ApiTestCase):
    def test_failed_logins_per_user_are_slowed(self):
        name, pw = "lim_" + word(), "right-password"
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw}, status=201)
        for _ in range(5):
            self.problem("POST", "/api/v1/session", {"user": name, "password": "wrong-pw"},
                         status=401, token=None)
        for attempt in ({"user": name, "password": "wrong-pw"}, {"user": name, "password": pw}):
            st, h, js = self.req("POST", "/api/v1/session", attempt, token=None)
            self.assert_problem((st, h, js), 429)
            self.assertGreater(int(h["Retry-After"]), 0)
            self.assertNotIn("token", js)
        # Another user from the same address is not held up by this one.
        st, _, _ = self.req("POST", "/api/v1/session",
                            {"user": "admin", "password": ADMIN_PASSWORD}, token=None)
        self.assertEqual(st, 201)
        # Unknown names are counted the same way (no telling which names exist).
        ghost = "ghost_" + word()
        for _ in range(5):
            self.problem("POST", "/api/v1/session", {"user": ghost, "password": "x" * 9},
                         status=401, token=None)
        self.problem("POST", "/api/v1/session", {"user": ghost, "password": "x" * 9},
                     status=429, token=None)


class AddressLimitTest(ApiTestCase):
    def test_failed_logins_per_address_are_slowed(self):
        for i in range(20):
            self.problem("POST", "/api/v1/session",
                         {"user": "spray_%d_%s" % (i, word()), "password": "Welkom01!"},
                         status=401, token=None)
        st, h, js = self.req("POST", "/api/v1/session",
                             {"user": "admin", "password": ADMIN_PASSWORD}, token=None)
        self.assert_problem((st, h, js), 429)
        self.assertGreater(int(h["Retry-After"]), 0)
        # Tokens keep working: only password logins are held up.
        self.assertEqual(self.req("GET", "/api/v1/parties")[0], 200)


if __name__ == "__main__":
    unittest.main()
