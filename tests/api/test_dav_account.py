"""The DAV account of a user: GET /api/v1/dav and the synced-segment marks.

What the "Phone and calendar" page shows: the server address, the user's
CardDAV and CalDAV addresses and user name, the address books (all parties,
and one per synced segment) and calendars, and every segment the user may
read with whether it is synced. PUT /api/v1/dav/segments/{id} marks one,
DELETE unmarks it; a segment the user may not read does not exist (404).
"""

import unittest

from demo_case import DemoTestCase
from harness import ApiTestCase, word

DEMO_USERS = ("verkoop", "hr", "hr-assistent", "inkoop", "partners", "communicatie")


class DavAccountTest(DemoTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = {u: cls.server.make_token(u) for u in DEMO_USERS}

    def base(self):
        return "http://%s:%d" % (self.server.host, self.server.port)

    def account(self, user, **kw):
        return self.ok("GET", "/api/v1/dav", token=self.tok[user], **kw)

    def segment(self, user, shared=True):
        return self.ok("POST", "/api/v1/segments",
                       {"name": "Seg " + user + " " + word(), "query": "role:customer",
                        "shared": shared}, 201, token=self.tok[user])

    def test_every_demo_user_gets_their_addresses(self):
        base = self.base()
        for user in DEMO_USERS:
            with self.subTest(user=user):
                js = self.account(user)
                self.assertEqual(js["username"], user)
                self.assertEqual(js["url"], base + "/dav/")
                self.assertEqual(js["carddav"], "%s/dav/addressbooks/%s/" % (base, user))
                self.assertEqual(js["caldav"], "%s/dav/calendars/%s/" % (base, user))
                books = js["address_books"]
                self.assertEqual(books[0]["name"], "all")
                self.assertEqual(books[0]["url"], js["carddav"] + "all/")
                self.assertIsNone(books[0]["segment"])
                cals = {c["name"]: c["url"] for c in js["calendars"]}
                self.assertEqual(cals, {"tasks": js["caldav"] + "tasks/",
                                        "meetings": js["caldav"] + "meetings/"})
                # the segments are exactly the ones the user may read
                readable = {s["id"] for s in self.ok("GET", "/api/v1/segments",
                                                     token=self.tok[user])["items"]}
                self.assertEqual({s["id"] for s in js["segments"]}, readable)
                self.assertTrue(readable, "the demo has shared segments")

    def test_display_names_follow_the_language(self):
        js = self.ok("GET", "/api/v1/dav", headers={"Accept-Language": "nl"},
                     token=self.tok["verkoop"])
        self.assertEqual(js["address_books"][0]["displayname"], "Alle relaties")
        self.assertEqual({c["displayname"] for c in js["calendars"]}, {"Taken", "Afspraken"})
        js = self.ok("GET", "/api/v1/dav", headers={"Accept-Language": "en"},
                     token=self.tok["verkoop"])
        self.assertEqual(js["address_books"][0]["displayname"], "All parties")

    def test_mark_and_unmark(self):
        seg = self.segment("verkoop")
        path = "/api/v1/dav/segments/%d" % seg["id"]
        js = self.ok("PUT", path, token=self.tok["verkoop"])
        self.ok("PUT", path, token=self.tok["verkoop"])  # twice is once
        js = self.account("verkoop")
        self.assertEqual([s["synced"] for s in js["segments"] if s["id"] == seg["id"]], [True])
        books = [b for b in js["address_books"] if b["segment"] and
                 b["segment"]["id"] == seg["id"]]
        self.assertEqual(len(books), 1)
        self.assertEqual(books[0]["name"], "segment-%d" % seg["id"])
        self.assertEqual(books[0]["segment"], {"id": seg["id"], "name": seg["name"]})
        self.assertEqual(books[0]["displayname"], seg["name"])
        self.assertEqual(books[0]["url"], js["carddav"] + "segment-%d/" % seg["id"])
        # marks are the user's own: another user sees the shared segment unsynced
        other = self.account("inkoop")
        self.assertEqual([s["synced"] for s in other["segments"] if s["id"] == seg["id"]],
                         [False])
        self.assertNotIn("segment-%d" % seg["id"], [b["name"] for b in other["address_books"]])
        self.ok("DELETE", path, status=204, token=self.tok["verkoop"])
        self.ok("DELETE", path, status=204, token=self.tok["verkoop"])
        js = self.account("verkoop")
        self.assertEqual([s["synced"] for s in js["segments"] if s["id"] == seg["id"]], [False])
        self.assertNotIn("segment-%d" % seg["id"], [b["name"] for b in js["address_books"]])

    def test_another_users_private_segment_is_404(self):
        mine = self.segment("verkoop", shared=False)
        path = "/api/v1/dav/segments/%d" % mine["id"]
        for user in ("inkoop", "hr", "communicatie"):
            with self.subTest(user=user):
                self.assertNotIn(mine["id"], [s["id"] for s in self.account(user)["segments"]])
                self.problem("PUT", path, status=404, token=self.tok[user])
                self.problem("DELETE", path, status=404, token=self.tok[user])
        self.problem("PUT", "/api/v1/dav/segments/%d" % (mine["id"] + 100000), status=404,
                     token=self.tok["verkoop"])
        # the owner may sync it
        self.ok("PUT", path, token=self.tok["verkoop"])
        self.assertIn(mine["id"], [s["id"] for s in self.account("verkoop")["segments"]
                                   if s["synced"]])

    def test_a_segment_made_private_leaves_the_others_address_books(self):
        seg = self.segment("verkoop")
        path = "/api/v1/dav/segments/%d" % seg["id"]
        self.ok("PUT", path, token=self.tok["inkoop"])
        self.assertIn("segment-%d" % seg["id"],
                      [b["name"] for b in self.account("inkoop")["address_books"]])
        self.ok("PATCH", "/api/v1/segments/%d" % seg["id"], {"shared": False},
                token=self.tok["verkoop"])
        js = self.account("inkoop")
        self.assertNotIn(seg["id"], [s["id"] for s in js["segments"]])
        self.assertNotIn("segment-%d" % seg["id"], [b["name"] for b in js["address_books"]])

    def test_a_deleted_segment_is_no_address_book(self):
        seg = self.segment("verkoop")
        self.ok("PUT", "/api/v1/dav/segments/%d" % seg["id"], token=self.tok["verkoop"])
        self.ok("DELETE", "/api/v1/segments/%d" % seg["id"], status=204,
                token=self.tok["verkoop"])
        js = self.account("verkoop")
        self.assertNotIn("segment-%d" % seg["id"], [b["name"] for b in js["address_books"]])

    def test_the_host_the_browser_used(self):
        js = self.ok("GET", "/api/v1/dav", headers={"Host": "crm.example.test:8443"},
                     token=self.tok["hr"])
        self.assertEqual(js["url"], "http://crm.example.test:8443/dav/")
        self.assertEqual(js["carddav"], "http://crm.example.test:8443/dav/addressbooks/hr/")
        # a Host that is no plain host name is not put into a link
        js = self.ok("GET", "/api/v1/dav", headers={"Host": "evil.test/x?<script>"},
                     token=self.tok["hr"])
        self.assertNotIn("evil", js["url"])
        self.assertTrue(js["url"].endswith("/dav/"))

    def test_needs_a_login(self):
        self.problem("GET", "/api/v1/dav", status=401, token=None)


class PublicUrlTest(ApiTestCase):
    """With --public-url the addresses start there, whatever Host the request names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.close()
        cls.server.stop()
        cls.server.start(["--public-url", "https://xrm.example.test/"])
        cls.client = cls.server.client()

    def test_public_url_wins(self):
        js = self.ok("GET", "/api/v1/dav", headers={"Host": "other.test"})
        self.assertEqual(js["url"], "https://xrm.example.test/dav/")
        self.assertEqual(js["carddav"], "https://xrm.example.test/dav/addressbooks/admin/")
        self.assertEqual(js["caldav"], "https://xrm.example.test/dav/calendars/admin/")


if __name__ == "__main__":
    unittest.main()
