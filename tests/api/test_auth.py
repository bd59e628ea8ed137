"""Authentication and authorisation: bearer tokens, login sessions, token
management, users, admin-only routes."""

import unittest

from harness import ADMIN_PASSWORD, ApiTestCase, describe, word


class TokenAuthTest(ApiTestCase):
    def test_no_token_is_401_with_challenge(self):
        st, h, js = self.req("GET", "/api/v1/parties", token=None)
        self.assert_problem((st, h, js), 401)
        self.assertIn("Bearer", h.get("WWW-Authenticate", ""))

    def test_wrong_tokens_are_401(self):
        for tok in ("xrm_" + "A" * 43, "nonsense", self.token + "x", self.token[:-1],
                    self.token.upper()):
            with self.subTest(token=tok[:12]):
                self.problem("GET", "/api/v1/parties", status=401, token=tok)

    def test_wrong_scheme_is_401(self):
        for header in ("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", self.token,
                       "Token " + self.token):
            with self.subTest(header=header[:10]):
                self.problem("GET", "/api/v1/parties", status=401, token=None,
                             headers={"Authorization": header})

    def test_bearer_is_case_insensitive(self):
        st, _, _ = self.req("GET", "/api/v1/parties", token=None,
                            headers={"Authorization": "bearer " + self.token})
        self.assertEqual(st, 200, describe(self.client))

    def test_unauthenticated_write_changes_nothing(self):
        count = self.party_count()
        self.problem("POST", "/api/v1/parties", {"kind": "person", "family_name": "Inbreker"},
                     status=401, token="xrm_wrong")
        self.assertEqual(self.party_count(), count)


class SessionTest(ApiTestCase):
    def login(self, user, password, status=201):
        st, h, js = self.req("POST", "/api/v1/session",
                             {"user": user, "password": password, "bearer": True},
                             token=None)
        if isinstance(status, tuple):
            self.assertIn(st, status, describe(self.client))
        else:
            self.assertEqual(st, status, describe(self.client))
        return js

    def test_login_gives_a_working_token(self):
        st, _, js = self.req("POST", "/api/v1/session",
                             {"user": "admin", "password": ADMIN_PASSWORD, "bearer": True},
                             token=None)
        self.assertIn(st, (200, 201), describe(self.client))
        tok = js["token"]
        self.assertIsInstance(tok, str)
        self.assertNotEqual(tok, self.token)
        st, _, _ = self.req("GET", "/api/v1/parties", token=tok)
        self.assertEqual(st, 200, describe(self.client))
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Sessie"}, 201,
                    token=tok)
        self.assertEqual(self.get_party(p["id"])["family_name"], "Sessie")

    def test_wrong_password_is_401(self):
        st, h, js = self.req("POST", "/api/v1/session",
                             {"user": "admin", "password": ADMIN_PASSWORD + "x"}, token=None)
        self.assert_problem((st, h, js), 401)
        self.assertNotIn("token", js)

    def test_unknown_user_gets_the_same_answer(self):
        _, _, wrong_pw = self.req("POST", "/api/v1/session",
                                  {"user": "admin", "password": "not-it-at-all"}, token=None)
        st, h, js = self.req("POST", "/api/v1/session",
                             {"user": "nobody-" + word(), "password": "not-it-at-all"},
                             token=None)
        self.assert_problem((st, h, js), 401)
        self.assertEqual(js["detail"], wrong_pw["detail"],
                         "the answer tells whether a user exists")

    def test_login_needs_user_and_password(self):
        for body in ({"user": "admin"}, {"password": ADMIN_PASSWORD}, {"user": 1, "password": 2}):
            with self.subTest(body=body):
                st, h, js = self.req("POST", "/api/v1/session", body, token=None, invalid=True)
                self.assert_problem((st, h, js), (400, 422))
        self.problem("POST", "/api/v1/session", "{not json", status=400, token=None)

    def test_empty_password_is_refused(self):
        st, h, js = self.req("POST", "/api/v1/session", {"user": "admin", "password": ""},
                             token=None)
        self.assert_problem((st, h, js), (400, 401, 422))


class TokenManagementTest(ApiTestCase):
    def test_new_token_works_and_revoking_kills_it(self):
        h, made = self.ok_h("POST", "/api/v1/tokens", {"name": "integration"}, 201)
        tok, tid = made["token"], made["id"]
        self.assertIsInstance(tid, int)
        self.assertNotEqual(tok, self.token)
        self.assertEqual(self.req("GET", "/api/v1/parties", token=tok)[0], 200)
        st, _, body = self.client.raw("DELETE", "/api/v1/tokens/%d" % tid)
        self.assertEqual(st, 204, describe(self.client))
        self.problem("GET", "/api/v1/parties", status=401, token=tok)
        self.problem("POST", "/api/v1/parties", {"kind": "person", "family_name": "X"},
                     status=401, token=tok)
        # The other tokens still work.
        self.assertEqual(self.req("GET", "/api/v1/parties")[0], 200)

    def test_token_without_body(self):
        made = self.ok("POST", "/api/v1/tokens", status=201)
        self.assertEqual(self.req("GET", "/api/v1/parties", token=made["token"])[0], 200)

    def test_token_list_never_shows_secrets(self):
        made = self.ok("POST", "/api/v1/tokens", {"name": "lijst"}, 201)
        st, _, raw = self.client.raw("GET", "/api/v1/tokens")
        self.assertEqual(st, 200)
        self.assertNotIn(made["token"].encode(), raw)
        self.assertNotIn(self.token.encode(), raw)
        js = self.ok("GET", "/api/v1/tokens")
        self.assertIn(made["id"], [t["id"] for t in js["items"]])

    def test_revoke_missing_token_is_404(self):
        self.problem("DELETE", "/api/v1/tokens/99999999", status=404)

    def test_bad_token_request(self):
        self.problem("POST", "/api/v1/tokens", {"name": 5}, status=(400, 422), field="name")
        self.problem("POST", "/api/v1/tokens", {"nam": "x"}, status=422, field="nam")
        self.problem("POST", "/api/v1/tokens", {"name": "x" * 1000}, status=422, field="name")


class UserRoleTest(ApiTestCase):
    def make_user(self, admin=False):
        name = "user_" + word()
        pw = "secret-" + word()
        h, js = self.ok_h("POST", "/api/v1/users", {"name": name, "password": pw, "admin": admin},
                          201)
        self.assertEqual(js["name"], name)
        st, _, s = self.req("POST", "/api/v1/session",
                            {"user": name, "password": pw, "bearer": True}, token=None)
        self.assertIn(st, (200, 201), describe(self.client))
        return name, pw, s["token"]

    def volunteer_type(self):
        n = "vol_" + word()
        return {
            "name": n,
            "domain": "hr",
            "label": {"en": "Volunteer", "nl": "Vrijwilliger"},
            "statuses": ["active", "former"],
            "default_status": "active",
            "ended_statuses": ["former"],
            "attributes": [{"name": "shift", "type": "enum", "values": ["morning", "evening"],
                            "label": {"en": "Shift", "nl": "Dienst"}}],
        }

    def test_non_admin_gets_403_on_admin_routes(self):
        _, _, tok = self.make_user()
        t = self.volunteer_type()
        self.problem("POST", "/api/v1/role-types", t, status=403, token=tok)
        names = [x["name"] for x in self.role_types()]
        self.assertNotIn(t["name"], names, "a refused role type was created")
        self.problem("POST", "/api/v1/users", {"name": "sneaky_" + word(), "password": "x" * 12},
                     status=403, token=tok)
        self.problem("POST", "/api/v1/relationship-types",
                     {"name": "rival_" + word(), "label": {"en": "rival", "nl": "rivaal"}},
                     status=403, token=tok)

    def role_types(self):
        js = self.ok("GET", "/api/v1/role-types")
        return js["items"] if isinstance(js, dict) else js

    def test_non_admin_can_work_with_parties(self):
        name, _, tok = self.make_user()
        # A new user has no access to any domain: reading, not writing.
        self.problem("POST", "/api/v1/parties", {"kind": "person", "family_name": "Gewoon"},
                     status=403, token=tok)
        uid = [u for u in self.ok("GET", "/api/v1/users")["items"] if u["name"] == name][0]["id"]
        self.ok("PATCH", "/api/v1/users/%d" % uid, {"access": {"sales": "write"}})
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Gewoon"}, 201,
                    token=tok)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d" % p["id"], token=tok)["id"], p["id"])
        self.assertEqual(self.req("GET", "/api/v1/role-types", token=tok)[0], 200)

    def test_admin_created_by_admin_may_do_admin_things(self):
        _, _, tok = self.make_user(admin=True)
        self.ok("POST", "/api/v1/role-types", self.volunteer_type(), 201, token=tok)

    def test_users_route_needs_a_token(self):
        self.problem("POST", "/api/v1/users", {"name": "anon_" + word(), "password": "x" * 12},
                     status=401, token=None)

    def test_duplicate_user_is_409(self):
        name, _, _ = self.make_user()
        self.problem("POST", "/api/v1/users", {"name": name, "password": "another-password"},
                     status=409)

    def test_bad_user_input(self):
        self.problem("POST", "/api/v1/users", {"name": "kort_" + word(), "password": "short"},
                     status=422, field="password")
        self.problem("POST", "/api/v1/users", {"password": "long-enough-pw"}, status=(400, 422),
                     field="name")
        self.problem("POST", "/api/v1/users", {"name": "x_" + word(), "password": "long-enough",
                                                "colour": "red"}, status=422, field="colour")

    def test_non_admin_cannot_revoke_anothers_token(self):
        admin_tok = self.ok("POST", "/api/v1/tokens", {"name": "admin-own"}, 201)
        _, _, tok = self.make_user()
        st, _, _ = self.req("DELETE", "/api/v1/tokens/%d" % admin_tok["id"], token=tok)
        self.assertIn(st, (403, 404), describe(self.client))
        self.assertEqual(self.req("GET", "/api/v1/parties", token=admin_tok["token"])[0], 200,
                         "a user revoked another user's token")

    def test_user_sees_only_own_tokens(self):
        admin_tok = self.ok("POST", "/api/v1/tokens", {"name": "admin-only"}, 201)
        _, _, tok = self.make_user()
        js = self.ok("GET", "/api/v1/tokens", token=tok)
        self.assertNotIn(admin_tok["id"], [t["id"] for t in js["items"]])


if __name__ == "__main__":
    unittest.main()
