"""User administration as the admin screens and the settings page use it:
an administrator resets a password and disables and enables a user (a
disabled user cannot log in; nobody may disable their own account, in
English and Dutch), and a signed-in user changes their own password with
POST /session/password (the current one must be right, a wrong one counts
as a failed login and changes nothing, their other logins end, this one and
API tokens stay, the audit trail says "changed" and never holds a password)."""

import json
import unittest

from harness import ApiTestCase, word

LOGIN = "/api/v1/session"
OWN = "/api/v1/session/password"


class UserAdminTest(ApiTestCase):
    def make_user(self, access=None):
        name = "adm_" + word()
        pw = "pw-" + word(12)
        u = self.ok("POST", "/api/v1/users",
                    {"name": name, "password": pw, "access": access or {"sales": "read"}},
                    status=201)
        return u, name, pw

    def login(self, name, pw, status=201):
        st, _, js = self.req("POST", LOGIN, {"user": name, "password": pw, "bearer": True},
                             token=None)
        self.assertEqual(st, status, js)
        return js

    def me(self):
        return self.ok("GET", LOGIN)["user"]

    def test_nobody_disables_their_own_account(self):
        me = self.me()
        p = self.problem("PATCH", "/api/v1/users/%d" % me["id"], {"disabled": True},
                         status=409, field="disabled")
        self.assertEqual(p["errors"][0].get("code"), "disable_self")
        self.assertIn("own account", p["errors"][0]["message"])
        p = self.problem("PATCH", "/api/v1/users/%d" % me["id"], {"disabled": True},
                         status=409, field="disabled", headers={"Accept-Language": "nl"})
        self.assertIn("eigen account", p["errors"][0]["message"])
        # nothing changed: the admin still works and is not disabled
        u = self.ok("GET", "/api/v1/users/%d" % me["id"])
        self.assertFalse(u.get("disabled"))
        # other changes to oneself still work (and disabled: false is no refusal)
        self.ok("PATCH", "/api/v1/users/%d" % me["id"], {"display_name": "Beheer", "disabled": False})

    def test_reset_disable_enable(self):
        u, name, pw = self.make_user()
        self.login(name, pw)
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"password": "nieuw-wachtwoord-1"})
        self.login(name, pw, status=401)
        self.login(name, "nieuw-wachtwoord-1")
        tok = self.login(name, "nieuw-wachtwoord-1")["token"]
        d = self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"disabled": True})
        self.assertTrue(d["disabled"])
        self.login(name, "nieuw-wachtwoord-1", status=401)
        self.problem("GET", "/api/v1/parties", status=401, token=tok)
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"disabled": False})
        self.login(name, "nieuw-wachtwoord-1")

    def test_own_password(self):
        u, name, pw = self.make_user()
        this = self.login(name, pw)["token"]
        other = self.login(name, pw)["token"]
        api_tok = self.ok("POST", "/api/v1/tokens", {"name": "excel"}, status=201, token=this)
        # wrong current password: a field error, not 401, and nothing changes
        p = self.problem("POST", OWN, {"current_password": "fout-" + word(), "password": "x" * 12},
                         status=422, field="current_password", token=this)
        self.assertEqual(p["errors"][0].get("code"), "wrong_password")
        self.ok("GET", "/api/v1/parties?limit=1", token=this)
        self.ok("GET", "/api/v1/parties?limit=1", token=other)
        self.login(name, pw)
        # too short: refused, old password still holds
        self.problem("POST", OWN, {"current_password": pw, "password": "kort"}, status=422,
                     field="password", token=this)
        self.problem("POST", OWN, {"current_password": pw}, status=422, field="password",
                     token=this)
        self.problem("POST", OWN, {"current_password": pw, "password": "y" * 12, "admin": True},
                     status=422, field="admin", token=this)
        self.login(name, pw)
        # right: this login and the API token stay, the other login ends
        st, _, _ = self.req("POST", OWN, {"current_password": pw, "password": "eigen-nieuw-12"},
                            token=this)
        self.assertEqual(st, 204)
        self.ok("GET", "/api/v1/parties?limit=1", token=this)
        self.ok("GET", "/api/v1/parties?limit=1", token=api_tok["token"])
        self.problem("GET", "/api/v1/parties?limit=1", status=401, token=other)
        self.login(name, pw, status=401)
        self.login(name, "eigen-nieuw-12")
        # audited as a change of the user, without any password in it
        trail = self.ok("GET", "/api/v1/audit?entity=user&entity_id=%d" % u["id"])["items"]
        self.assertTrue(any(e["action"] == "update" and (e.get("after") or {}).get("password")
                            == "changed" for e in trail), trail)
        text = json.dumps(trail)
        for secret in (pw, "eigen-nieuw-12"):
            self.assertNotIn(secret, text)
        self.assertNotIn("eigen-nieuw-12", self.server.stderr())

    def test_own_password_needs_a_login(self):
        self.problem("POST", OWN, {"current_password": "a" * 10, "password": "b" * 10},
                     status=401, token=None)


if __name__ == "__main__":
    unittest.main()
