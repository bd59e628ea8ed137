"""WebDAV protocol of CardDAV and CalDAV at /dav/ (http/dav.c), in raw HTTP.

Discovery from the server URL alone (/.well-known, current-user-principal,
the home sets), PROPFIND at every level, OPTIONS, authentication (Basic with
a password or an API token, Bearer; wrong password 401; another user's paths
403), GET/PUT/DELETE with ETag preconditions, the REPORTs (multiget, query,
sync-collection before and after changes made through the JSON API), and the
refusals: Depth infinity, XML with a DTD or entities, bodies over the caps,
an unknown sync token.
"""

import base64
import http.client
import os
import unittest
import xml.etree.ElementTree as ET

from harness import ApiTestCase, run_cli, word

D = "{DAV:}"
CARD = "{urn:ietf:params:xml:ns:carddav}"
CAL = "{urn:ietf:params:xml:ns:caldav}"
CS = "{http://calendarserver.org/ns/}"
ADMIN_PASSWORD = "admin-password-for-tests"
DEMO_PASSWORD = os.environ.get("XRM_DEMO_PASSWORD") or "xrm-demo-2026"

PROPFIND_DISCOVERY = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"
            xmlns:cal="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:current-user-principal/><d:principal-URL/><card:addressbook-home-set/>
    <cal:calendar-home-set/><d:resourcetype/><d:displayname/></d:prop>
</d:propfind>"""

PROPFIND_COLLECTION = b"""<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"
            xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cal="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:resourcetype/><d:displayname/><d:getetag/><cs:getctag/><d:sync-token/>
    <d:supported-report-set/><card:supported-address-data/>
    <cal:supported-calendar-component-set/><d:no-such-property/></d:prop>
</d:propfind>"""


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def todo(uid, summary):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//xrm tests//EN\r\nBEGIN:VTODO\r\n"
        "UID:%s\r\nDTSTAMP:20261207T080000Z\r\nSUMMARY:%s\r\nDUE;VALUE=DATE:20261210\r\n"
        "END:VTODO\r\nEND:VCALENDAR\r\n" % (uid, summary)
    ).encode()


def sync_body(token, props=b"<d:getetag/>"):
    tok = b"<d:sync-token/>" if token is None else b"<d:sync-token>" + token.encode() + b"</d:sync-token>"
    return (b'<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">' + tok +
            b"<d:sync-level>1</d:sync-level><d:prop>" + props + b"</d:prop></d:sync-collection>")


class DavProtocolTest(ApiTestCase):
    DEMO = True

    # -- plumbing -------------------------------------------------------------

    def dav(self, method, path, body=None, headers=None, user="admin", password=None,
            auth=True):
        """(status, headers, body bytes) of one request on a connection of its own."""
        h = {}
        if auth:
            if password is None:
                password = ADMIN_PASSWORD if user == "admin" else DEMO_PASSWORD
            h["Authorization"] = basic(user, password)
        if body is not None:
            h["Content-Type"] = "application/xml; charset=utf-8"
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def multistatus(self, method, path, body=None, depth="0", user="admin", headers=None):
        h = {"Depth": depth} if depth is not None else {}
        h.update(headers or {})
        st, hdrs, data = self.dav(method, path, body, h, user=user)
        self.assertEqual(st, 207, "%s %s: %d %s" % (method, path, st, data[:800]))
        self.assertTrue(hdrs["Content-Type"].startswith("application/xml"))
        return ET.fromstring(data)

    @staticmethod
    def responses(ms):
        """{href: {"status": line or None, "props": {tag: element} of the 200 propstat,
        "missing": set of tags in a 404 propstat}}"""
        out = {}
        for r in ms.findall(D + "response"):
            href = r.find(D + "href").text
            e = {"status": None, "props": {}, "missing": set()}
            st = r.find(D + "status")
            if st is not None:
                e["status"] = st.text
            for ps in r.findall(D + "propstat"):
                code = ps.find(D + "status").text
                for p in ps.find(D + "prop"):
                    if " 200 " in code:
                        e["props"][p.tag] = p
                    else:
                        e["missing"].add(p.tag)
            out[href] = e
        return out

    def href_of(self, prop):
        return prop.find(D + "href").text

    def sync(self, path, token, user="admin", props=b"<d:getetag/>"):
        """(changed {href: etag}, removed {href}, new token) of a sync-collection."""
        ms = self.multistatus("REPORT", path, sync_body(token, props), depth="0", user=user)
        changed, removed = {}, set()
        for href, e in self.responses(ms).items():
            if e["status"] and " 404 " in e["status"]:
                removed.add(href)
            else:
                et = e["props"].get(D + "getetag")
                changed[href] = et.text if et is not None else None
        return changed, removed, ms.find(D + "sync-token").text

    def new_task(self, subject):
        party = self.ok("GET", "/api/v1/parties?limit=1")["items"][0]
        body = {"type": "task", "domain": "sales", "subject": subject, "due": "2026-12-20",
                "parties": [party["id"]]}
        return self.ok("POST", "/api/v1/activities", body, status=201)

    # -- discovery --------------------------------------------------------------

    def test_well_known_redirects_to_dav(self):
        for path in ("/.well-known/carddav", "/.well-known/caldav"):
            for method, body in (("GET", None), ("PROPFIND", PROPFIND_DISCOVERY)):
                st, h, _ = self.dav(method, path, body, auth=False)
                self.assertEqual(st, 301, path)
                self.assertTrue(h["Location"].endswith("/dav/"), h["Location"])
        # a client given only the server's address asks its root
        st, h, _ = self.dav("PROPFIND", "/", PROPFIND_DISCOVERY, {"Depth": "0"})
        self.assertEqual(st, 301)
        self.assertTrue(h["Location"].endswith("/dav/"), h["Location"])
        st, h, _ = self.dav("GET", "/", auth=False)
        self.assertNotEqual(st, 301, "GET / stays the web app")

    def test_discovery_from_the_root_alone(self):
        """What vdirsyncer and Thunderbird do: the root names the principal, the principal
        the homes, the homes list the collections."""
        root = self.responses(self.multistatus("PROPFIND", "/dav/", PROPFIND_DISCOVERY,
                                               user="verkoop"))["/dav/"]
        principal = self.href_of(root["props"][D + "current-user-principal"])
        self.assertEqual(principal, "/dav/principals/verkoop/")
        p = self.responses(self.multistatus("PROPFIND", principal, PROPFIND_DISCOVERY,
                                            user="verkoop"))[principal]
        self.assertIsNotNone(p["props"][D + "resourcetype"].find(D + "principal"))
        self.assertEqual(self.href_of(p["props"][D + "principal-URL"]), principal)
        cards = self.href_of(p["props"][CARD + "addressbook-home-set"])
        cals = self.href_of(p["props"][CAL + "calendar-home-set"])
        self.assertEqual(cards, "/dav/addressbooks/verkoop/")
        self.assertEqual(cals, "/dav/calendars/verkoop/")
        # the root and the homes name the homes too (clients ask wherever they are)
        self.assertEqual(self.href_of(root["props"][CARD + "addressbook-home-set"]), cards)
        books = self.responses(self.multistatus("PROPFIND", cards, PROPFIND_COLLECTION, "1",
                                                user="verkoop"))
        all_book = books[cards + "all/"]
        self.assertIsNotNone(all_book["props"][D + "resourcetype"].find(CARD + "addressbook"))
        self.assertTrue(all_book["props"][D + "displayname"].text)
        self.assertIn(D + "no-such-property", all_book["missing"])
        calendars = self.responses(self.multistatus("PROPFIND", cals, PROPFIND_COLLECTION, "1",
                                                    user="verkoop"))
        comps = {}
        for name in ("tasks", "meetings"):
            c = calendars[cals + name + "/"]
            self.assertIsNotNone(c["props"][D + "resourcetype"].find(CAL + "calendar"))
            comps[name] = [e.get("name") for e in
                           c["props"][CAL + "supported-calendar-component-set"]]
            token = c["props"][D + "sync-token"].text
            self.assertEqual(c["props"][CS + "getctag"].text, token)
            reports = {r[0][0].tag for r in c["props"][D + "supported-report-set"]}
            self.assertEqual(reports, {CAL + "calendar-multiget", CAL + "calendar-query",
                                       D + "sync-collection"})
        self.assertEqual(comps, {"tasks": ["VTODO"], "meetings": ["VEVENT"]})

    def test_propfind_depth_one_of_a_collection_lists_members_with_etags(self):
        ms = self.responses(self.multistatus("PROPFIND", "/dav/calendars/admin/tasks/",
                                             PROPFIND_COLLECTION, "1"))
        members = {h: e for h, e in ms.items() if h.endswith(".ics")}
        self.assertTrue(members, "the demo's admin has tasks")
        for href, e in members.items():
            self.assertTrue(href.startswith("/dav/calendars/admin/tasks/"))
            etag = e["props"][D + "getetag"].text
            self.assertTrue(etag.startswith('"') and etag.endswith('"'), etag)
            st, h, body = self.dav("GET", href)
            self.assertEqual(st, 200)
            self.assertEqual(h["ETag"], etag)
            self.assertIn(b"BEGIN:VTODO", body)
            break

    def test_options_names_the_dav_classes(self):
        st, h, _ = self.dav("OPTIONS", "/dav/")
        self.assertEqual(st, 200)
        classes = {c.strip() for c in h["DAV"].split(",")}
        self.assertTrue({"1", "3", "addressbook", "calendar-access"} <= classes, h["DAV"])
        self.assertIn("PROPFIND", h["Allow"])
        self.assertIn("REPORT", h["Allow"])

    # -- authentication -----------------------------------------------------------

    def test_basic_with_password_token_and_bearer(self):
        path = "/dav/principals/verkoop/"
        st, _, _ = self.dav("PROPFIND", path, PROPFIND_DISCOVERY, {"Depth": "0"}, user="verkoop")
        self.assertEqual(st, 207)
        token = self.server.make_token("verkoop")
        st, _, _ = self.dav("PROPFIND", path, PROPFIND_DISCOVERY, {"Depth": "0"},
                            user="verkoop", password=token)
        self.assertEqual(st, 207, "an API token as the Basic password")
        st, _, _ = self.dav("PROPFIND", path, PROPFIND_DISCOVERY,
                            {"Depth": "0", "Authorization": "Bearer " + token}, auth=False)
        self.assertEqual(st, 207)
        # a token only works with its own user's name
        st, _, _ = self.dav("PROPFIND", "/dav/principals/hr/", PROPFIND_DISCOVERY,
                            {"Depth": "0"}, user="hr", password=token)
        self.assertEqual(st, 401)

    def test_wrong_password_and_no_credentials_are_401_with_basic_challenge(self):
        for kwargs in ({"user": "verkoop", "password": "not-the-password"}, {"auth": False}):
            st, h, body = self.dav("PROPFIND", "/dav/", PROPFIND_DISCOVERY, {"Depth": "0"},
                                   **kwargs)
            self.assertEqual(st, 401)
            self.assertEqual(h["WWW-Authenticate"], 'Basic realm="xrm", charset="UTF-8"')
            self.assertNotIn(b"not-the-password", body)

    def test_another_users_paths_are_403(self):
        for path in ("/dav/principals/hr/", "/dav/addressbooks/hr/", "/dav/addressbooks/hr/all/",
                     "/dav/calendars/hr/tasks/", "/dav/calendars/admin/tasks/x.ics"):
            st, _, _ = self.dav("PROPFIND", path, PROPFIND_DISCOVERY, {"Depth": "0"},
                                user="verkoop")
            self.assertEqual(st, 403, path)
        st, _, _ = self.dav("GET", "/dav/calendars/admin/tasks/xrm-activity-1.ics",
                            user="verkoop")
        self.assertEqual(st, 403)
        st, _, _ = self.dav("PUT", "/dav/calendars/admin/tasks/new.ics", todo("x@y", "x"),
                            {"Content-Type": "text/calendar"}, user="verkoop")
        self.assertEqual(st, 403)

    def test_password_change_token_revoke_and_disable_end_access_at_once(self):
        """A remembered Basic login holds only until something changes (dav.h)."""
        name, pw = "dav-%s" % word(), "Pw-%s-%s" % (word(), word())
        u = self.ok("POST", "/api/v1/users",
                    {"name": name, "password": pw, "access": {"sales": "read"}}, status=201)
        path = "/dav/principals/%s/" % name

        def propfind(password=None, headers=None, auth=True):
            h = {"Depth": "0"}
            h.update(headers or {})
            return self.dav("PROPFIND", path, PROPFIND_DISCOVERY, h, user=name,
                            password=password, auth=auth)[0]

        self.assertEqual(propfind(pw), 207)
        self.assertEqual(propfind(pw), 207, "again, from memory")
        new_pw = pw + "-new"
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"password": new_pw})
        self.assertEqual(propfind(pw), 401, "the old password stops at once")
        self.assertEqual(propfind(new_pw), 207)
        bearer = self.server.make_token(name)
        made = self.ok("POST", "/api/v1/tokens", {"name": "phone"}, status=201, token=bearer)
        self.assertEqual(propfind(made["token"]), 207, "an app password")
        self.ok("DELETE", "/api/v1/tokens/%d" % made["id"], status=204, token=bearer)
        self.assertEqual(propfind(made["token"]), 401, "a revoked app password")
        self.ok("PATCH", "/api/v1/users/%d" % u["id"], {"disabled": True})
        self.assertEqual(propfind(new_pw), 401, "a disabled user")

    # -- refusals -------------------------------------------------------------------

    def test_propfind_depth_infinity_is_refused(self):
        for depth in ("infinity", None):
            h = {"Depth": depth} if depth else {}
            st, _, body = self.dav("PROPFIND", "/dav/addressbooks/admin/", PROPFIND_DISCOVERY, h)
            self.assertEqual(st, 403, depth)
            err = ET.fromstring(body)
            self.assertEqual(err.tag, D + "error")
            self.assertIsNotNone(err.find(D + "propfind-finite-depth"))

    def test_xml_with_a_dtd_or_entities_is_refused(self):
        evil = (b'<?xml version="1.0"?><!DOCTYPE d:propfind [<!ENTITY x SYSTEM '
                b'"file:///etc/passwd">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&x;'
                b"</d:displayname></d:prop></d:propfind>")
        st, _, body = self.dav("PROPFIND", "/dav/", evil, {"Depth": "0"})
        self.assertEqual(st, 400)
        self.assertNotIn(b"root:", body)
        self.assertIn(b"DOCTYPE", body)
        bomb = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
                b'"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d:sync-collection xmlns:d="DAV:">'
                b"<d:sync-token>&b;</d:sync-token></d:sync-collection>")
        st, _, _ = self.dav("REPORT", "/dav/calendars/admin/tasks/", bomb, {"Depth": "0"})
        self.assertEqual(st, 400)
        st, _, _ = self.dav("PROPFIND", "/dav/", b"<d:propfind xmlns:d='DAV:'><d:prop>",
                            {"Depth": "0"})
        self.assertEqual(st, 400, "not well-formed")

    def test_bodies_over_the_caps_are_413(self):
        big_xml = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop>' +
                   b"<d:displayname/>" * 70000 + b"</d:prop></d:propfind>")
        self.assertGreater(len(big_xml), 1024 * 1024)
        st, _, _ = self.dav("PROPFIND", "/dav/", big_xml, {"Depth": "0"})
        self.assertEqual(st, 413)
        big_put = b"X" * (2 * 1024 * 1024 + 1)
        st, _, _ = self.dav("PUT", "/dav/calendars/admin/tasks/big.ics", big_put,
                            {"Content-Type": "text/calendar"})
        self.assertEqual(st, 413)

    def test_collections_cannot_be_made_moved_or_changed(self):
        for method in ("MKCOL", "MKCALENDAR", "PROPPATCH", "MOVE", "COPY"):
            st, _, body = self.dav(method, "/dav/calendars/admin/tasks/")
            self.assertEqual(st, 403, method)
            self.assertIn(b"not supported", body)

    # -- resources ------------------------------------------------------------------

    def test_put_get_delete_with_etag_preconditions(self):
        href = "/dav/calendars/admin/tasks/proto-%s.ics" % word()
        uid = "proto-%s@example.org" % word()
        cal = {"Content-Type": "text/calendar; charset=utf-8"}
        st, _, body = self.dav("PUT", href, todo(uid, "Bel Jan terug"),
                               dict(cal, **{"If-None-Match": "*"}))
        self.assertEqual(st, 201, body)
        st, _, _ = self.dav("PUT", href, todo(uid, "Bel Jan terug"),
                            dict(cal, **{"If-None-Match": "*"}))
        self.assertEqual(st, 412, "If-None-Match: * on an existing object")
        st, h, body = self.dav("GET", href)
        self.assertEqual(st, 200)
        self.assertIn(b"Bel Jan terug", body)
        etag = h["ETag"]
        self.assertTrue(etag.startswith('"'))
        st, _, _ = self.dav("GET", href, headers={"If-None-Match": etag})
        self.assertEqual(st, 304)
        st, _, _ = self.dav("PUT", href, todo(uid, "Bel Jan morgen"),
                            dict(cal, **{"If-Match": '"stale"'}))
        self.assertEqual(st, 412, "a stale If-Match")
        st, _, _ = self.dav("PUT", href, todo(uid, "Bel Jan morgen"),
                            dict(cal, **{"If-Match": etag}))
        self.assertEqual(st, 204)
        st, h, body = self.dav("GET", href)
        self.assertIn(b"Bel Jan morgen", body)
        self.assertNotEqual(h["ETag"], etag)
        st, _, _ = self.dav("DELETE", href, headers={"If-Match": etag})
        self.assertEqual(st, 412, "DELETE with the old ETag")
        st, _, _ = self.dav("DELETE", href, headers={"If-Match": h["ETag"]})
        self.assertEqual(st, 204)
        st, _, _ = self.dav("GET", href)
        self.assertEqual(st, 404)
        st, _, _ = self.dav("PUT", href, todo(uid, "x"), dict(cal, **{"If-Match": "*"}))
        self.assertEqual(st, 412, "If-Match: * on a missing object")

    def test_put_of_the_wrong_media_type_is_415(self):
        st, _, _ = self.dav("PUT", "/dav/calendars/admin/tasks/x.ics", b"{}",
                            {"Content-Type": "application/json"})
        self.assertEqual(st, 415)

    def test_calendar_multiget(self):
        t = self.new_task("Multiget %s" % word())
        href = "/dav/calendars/admin/tasks/xrm-activity-%d.ics" % t["id"]
        missing = "/dav/calendars/admin/tasks/no-such-object.ics"
        body = ('<?xml version="1.0"?><c:calendar-multiget xmlns:d="DAV:" '
                'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/>'
                "</d:prop><d:href>%s</d:href><d:href>http://example.org%s</d:href>"
                "</c:calendar-multiget>" % (href, missing)).encode()
        rs = self.responses(self.multistatus("REPORT", "/dav/calendars/admin/tasks/", body, "1"))
        self.assertIn(t["subject"], rs[href]["props"][CAL + "calendar-data"].text)
        self.assertTrue(rs[href]["props"][D + "getetag"].text.startswith('"'))
        gone = [e for h, e in rs.items() if h.endswith("no-such-object.ics")]
        self.assertEqual(len(gone), 1)
        self.assertIn(" 404 ", gone[0]["status"])

    def test_calendar_query_by_component(self):
        def query(comp):
            body = ('<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" '
                    'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/>'
                    '<c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR">'
                    '<c:comp-filter name="%s"><c:time-range start="20000101T000000Z"/>'
                    "</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>" % comp)
            return self.responses(self.multistatus("REPORT", "/dav/calendars/admin/tasks/",
                                                   body.encode(), "1"))
        todos = query("VTODO")
        self.assertTrue(todos)
        for e in todos.values():
            self.assertIn("BEGIN:VTODO", e["props"][CAL + "calendar-data"].text)
        self.assertEqual(query("VEVENT"), {})

    def test_unknown_report_is_refused(self):
        body = b'<?xml version="1.0"?><d:expand-property xmlns:d="DAV:"/>'
        st, _, data = self.dav("REPORT", "/dav/calendars/admin/tasks/", body, {"Depth": "0"})
        self.assertEqual(st, 403)
        self.assertIsNotNone(ET.fromstring(data).find(D + "supported-report"))

    # -- sync-collection --------------------------------------------------------------

    def test_sync_collection_after_changes_through_the_json_api(self):
        path = "/dav/calendars/admin/tasks/"
        t = self.new_task("Sync %s" % word())
        href = path + "xrm-activity-%d.ics" % t["id"]
        changed, removed, token = self.sync(path, None)
        self.assertIn(href, changed)
        self.assertEqual(removed, set())
        self.assertTrue(token.startswith("http://xrm.invalid/sync/"))
        # nothing changed: nothing to report, the same token
        changed2, removed2, token2 = self.sync(path, token)
        self.assertEqual((changed2, removed2, token2), ({}, set(), token))
        self.ok("PATCH", "/api/v1/activities/%d" % t["id"], {"subject": "Sync changed"},
                headers={"If-Match": '"%d"' % t["version"]})
        changed3, removed3, token3 = self.sync(path, token)
        self.assertEqual(set(changed3), {href})
        self.assertNotEqual(changed3[href], changed[href], "a new ETag")
        self.assertEqual(removed3, set())
        self.assertNotEqual(token3, token)
        cur = self.ok("GET", "/api/v1/activities/%d" % t["id"])
        self.ok("DELETE", "/api/v1/activities/%d" % t["id"], status=204,
                headers={"If-Match": '"%d"' % cur["version"]})
        changed4, removed4, token4 = self.sync(path, token3)
        self.assertEqual(changed4, {})
        self.assertEqual(removed4, {href})
        # the older token still answers with the difference since then
        changed5, removed5, _ = self.sync(path, token)
        self.assertEqual(removed5, {href})
        # getctag follows the token
        rs = self.responses(self.multistatus("PROPFIND", path, PROPFIND_COLLECTION, "0"))
        self.assertEqual(rs[path]["props"][CS + "getctag"].text, token4)

    def test_sync_collection_with_data(self):
        path = "/dav/calendars/admin/tasks/"
        t = self.new_task("Sync data %s" % word())
        changed, _, _ = self.sync(path, None, props=b"<d:getetag/><c:calendar-data "
                                  b"xmlns:c='urn:ietf:params:xml:ns:caldav'/>")
        self.assertIn(path + "xrm-activity-%d.ics" % t["id"], changed)

    def test_invalid_sync_token_is_403_valid_sync_token(self):
        for token in ("http://xrm.invalid/sync/0123456789abcdef0123456789abcdef", "garbage"):
            st, _, body = self.dav("REPORT", "/dav/calendars/admin/tasks/", sync_body(token),
                                   {"Depth": "0"})
            self.assertEqual(st, 403)
            self.assertIsNotNone(ET.fromstring(body).find(D + "valid-sync-token"))

    def test_a_sync_token_is_the_users_own(self):
        _, _, token = self.sync("/dav/calendars/admin/tasks/", None)
        st, _, body = self.dav("REPORT", "/dav/calendars/verkoop/tasks/", sync_body(token),
                               {"Depth": "0"}, user="verkoop")
        self.assertEqual(st, 403)
        self.assertIsNotNone(ET.fromstring(body).find(D + "valid-sync-token"))

    # -- address books (the carddav kind) ------------------------------------------------

    def new_party(self, given, family):
        body = {"kind": "person", "given_name": given, "family_name": family,
                "emails": [{"value": "%s.%s@example.org" % (given.lower(), family.lower())}]}
        return self.ok("POST", "/api/v1/parties", body, status=201)

    def test_address_book_sync_after_party_changes(self):
        path = "/dav/addressbooks/admin/all/"
        p = self.new_party("Proto", "Sync%s" % word())
        changed, _, token = self.sync(path, None)
        self.assertTrue(changed, "the demo's parties are cards")
        self.assertTrue(all(h.startswith(path) and h.endswith(".vcf") for h in changed))
        self.ok("PATCH", "/api/v1/parties/%d" % p["id"], {"given_name": "Protos"},
                headers={"If-Match": '"%d"' % p["version"]})
        changed2, removed2, token2 = self.sync(path, token)
        self.assertEqual(len(changed2), 1, changed2)
        (href,) = changed2
        st, _, card = self.dav("GET", href)
        self.assertEqual(st, 200)
        self.assertIn(b"Protos", card)
        self.assertEqual(removed2, set())
        cur = self.ok("GET", "/api/v1/parties/%d" % p["id"])
        self.ok("DELETE", "/api/v1/parties/%d" % p["id"], status=204,
                headers={"If-Match": '"%d"' % cur["version"]})
        changed3, removed3, _ = self.sync(path, token2)
        self.assertEqual(changed3, {})
        self.assertEqual(removed3, {href}, "an archived party is removed from the book")

    def test_addressbook_query_text_match(self):
        family = "Query%s" % word()
        self.new_party("Proto", family)
        body = ('<?xml version="1.0"?><card:addressbook-query xmlns:d="DAV:" '
                'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/>'
                '<card:address-data/></d:prop><card:filter><card:prop-filter name="FN">'
                '<card:text-match collation="i;unicode-casemap" match-type="contains">%s'
                "</card:text-match></card:prop-filter></card:filter></card:addressbook-query>"
                % family.lower()).encode()
        rs = self.responses(self.multistatus("REPORT", "/dav/addressbooks/admin/all/", body, "1"))
        self.assertEqual(len(rs), 1, list(rs))
        (e,) = rs.values()
        self.assertIn(family, e["props"][CARD + "address-data"].text)


if __name__ == "__main__":
    unittest.main()
