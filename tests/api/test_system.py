"""GET /api/v1/system (issue 23): the administrators' overview of the
running server that the web app's Admin → System screen shows. One server
for the class; a sales user (not an administrator) is refused.
"""

import json
import unittest

from harness import PG_URL, ApiTestCase


class SystemTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        st, _, _ = cls.client.req(
            "POST",
            "/api/v1/users",
            {"name": "verkoop", "password": "verkoop-wachtwoord-1", "display_name": "Verkoop",
             "access": {"sales": "write"}},
        )
        assert st == 201, st
        cls.sales_token = cls.server.make_token("verkoop")

    def test_admin_gets_every_field(self):
        js = self.ok("GET", "/api/v1/system")
        self.assertIsInstance(js["version"], str)
        self.assertTrue(js["version"])
        self.assertEqual(js["engine"], "postgresql" if PG_URL else "sqlite")
        self.assertIsInstance(js["schema_version"], int)
        self.assertGreater(js["schema_version"], 0)
        self.assertRegex(js["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIsInstance(js["uptime_seconds"], int)
        self.assertGreaterEqual(js["uptime_seconds"], 0)
        self.assertEqual(js["status"], "ok")
        checks = js["checks"]
        self.assertEqual(checks["database"], "ok")
        self.assertEqual(checks["storage"], "ok")
        self.assertIn(checks["disk"], ("ok", "n/a"))
        self.assertNotIn("replica", checks)
        # The same checks as GET /healthz computes.
        health = self.ok("GET", "/healthz", token=None)
        self.assertEqual(checks, health["checks"])
        for k in ("mail", "webhook"):
            self.assertIsInstance(js["outbox"][k], int)
            self.assertGreaterEqual(js["outbox"][k], 0)
        self.assertIsInstance(js["requests"]["total"], int)
        self.assertIsInstance(js["requests"]["errors_5xx"], int)
        self.assertGreater(js["memory"]["rss"], 0)
        self.assertGreater(js["memory"]["anon"], 0)
        self.assertLessEqual(js["memory"]["anon"], js["memory"]["rss"])
        if PG_URL:
            self.assertNotIn("database", js)
            self.assertNotIn("disk", js)
        else:
            self.assertGreater(js["database"]["size"], 0)
            self.assertGreater(js["disk"]["size"], 0)
            self.assertGreater(js["disk"]["free"], 0)
        # Nothing secret: no path of the database, no token.
        text = json.dumps(js)
        self.assertNotIn(self.server.db, text)
        self.assertNotIn(self.token, text)

    def test_request_counter_moves(self):
        first = self.ok("GET", "/api/v1/system")["requests"]["total"]
        self.ok("GET", "/api/v1/users")
        second = self.ok("GET", "/api/v1/system")["requests"]["total"]
        self.assertGreaterEqual(second, first + 2)

    def test_not_for_sales(self):
        st, _, js = self.req("GET", "/api/v1/system", token=self.sales_token)
        self.assertEqual(st, 403)
        self.assertNotIn("version", js or {})


if __name__ == "__main__":
    unittest.main()
