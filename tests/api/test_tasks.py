"""Tasks people work from and their calendar feed: GET /api/v1/tasks?mine=1
grouped as overdue / today / upcoming on a fixed clock (XRM_NOW), and the
per-user iCalendar feed: a secret URL that works without a token, can be
revoked, and is RFC 5545 (CRLF, 75-octet folding, TEXT escaping, DTSTAMP,
UID), checked line by line here and parsed with python3-icalendar."""

import os
import sys
import unittest

from harness import ApiTestCase, Server, q, word

try:
    import icalendar
except ImportError:  # Debian's python3-icalendar, when python3 is not Debian's own
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import icalendar
    except ImportError:
        icalendar = None

NOW = "2027-01-15T09:00:00Z"  # 10:00 in Amsterdam (CET)


class ClockServer(Server):
    """A server whose clock stands still at the XRM_NOW of env."""

    def __init__(self, env, **kw):
        super().__init__(**kw)
        self.env = env

    def start(self, extra_args=()):
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            return super().start(extra_args)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class FakeClockTestCase(ApiTestCase):
    ENV = {"XRM_NOW": NOW, "XRM_AUTOMATION_INTERVAL": "0"}

    @classmethod
    def setUpClass(cls):
        cls.server = ClockServer(cls.ENV)
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()


class MyTasksTest(FakeClockTestCase):
    def task(self, pid, subject, due=None, **kw):
        body = {"type": "task", "domain": "sales", "subject": subject, "parties": [pid]}
        if due:
            body["due"] = due
        body.update(kw)
        return self.ok("POST", "/api/v1/activities", body, 201)

    def test_grouped_overdue_today_upcoming(self):
        p = self.create_party()
        t = {name: self.task(p["id"], name, due)["id"] for name, due in [
            ("gisteren", "2027-01-14"),
            ("vanochtend om 9", "2027-01-15T08:00:00Z"),  # 09:00 local, passed
            ("vandaag", "2027-01-15"),
            ("vanavond", "2027-01-15T20:00:00Z"),  # 21:00 local
            ("na middernacht", "2027-01-15T23:30:00Z"),  # 00:30 local on the 16th
            ("morgen", "2027-01-16"),
            ("ooit", None),
        ]}
        done = self.task(p["id"], "al gedaan", "2027-01-10")
        self.ok("PATCH", "/api/v1/activities/%d" % done["id"], {"done": True})
        other = self.ok("POST", "/api/v1/users", {"name": "collega" + word(4),
                                                  "password": "wachtwoord-123"}, 201)
        self.task(p["id"], "van een ander", "2027-01-01", assignee=other["id"])

        js = self.ok("GET", "/api/v1/tasks?mine=1")
        self.assertEqual((js["now"], js["date"]), (NOW, "2027-01-15"))
        got = {g: [a["subject"] for a in js[g]] for g in ("overdue", "today", "upcoming")}
        self.assertEqual(got["overdue"], ["gisteren", "vanochtend om 9"])
        self.assertEqual(got["today"], ["vandaag", "vanavond"])
        self.assertEqual(got["upcoming"], ["na middernacht", "morgen", "ooit"])
        self.assertEqual(js["counts"], {"overdue": 2, "today": 2, "upcoming": 3})
        for g in ("overdue", "today", "upcoming"):
            for a in js[g]:
                self.assertEqual((a["type"], a["done"]), ("task", False))
        self.assertIn(t["vandaag"], [a["id"] for a in js["today"]])

        capped = self.ok("GET", "/api/v1/tasks?mine=1&limit=1")
        self.assertEqual([len(capped[g]) for g in ("overdue", "today", "upcoming")], [1, 1, 1])
        self.assertEqual(capped["counts"], js["counts"])
        theirs = self.ok("GET", "/api/v1/tasks" + q(assignee=str(other["id"])))
        self.assertEqual([a["subject"] for a in theirs["overdue"]], ["van een ander"])
        self.problem("GET", "/api/v1/tasks?mine=yes", status=400, field="mine")


def unfold(text):
    return text.replace("\r\n ", "").replace("\r\n\t", "")


class CalendarFeedTest(FakeClockTestCase):
    SUBJECT = ("Overleg, planning; oven \\ installatie — een onderwerp dat zeker langer is dan "
               "vijfenzeventig octetten: ë, 漢字 en nog wat woorden erachter")
    BODY = "Regel één\nRegel twee, met komma; en puntkomma"

    def feed_url(self, token=None):
        kw = {} if token is None else {"token": token}
        return self.ok("POST", "/api/v1/calendar-feed", None, 201, **kw)["url"]

    def fetch(self, url):
        return self.client.raw("GET", url, token=None)

    def check_rfc5545(self, raw):
        """Line-level rules of RFC 5545 section 3.1, then a full parse."""
        self.assertTrue(raw.endswith(b"\r\n"), "the feed must end with CRLF")
        lines = raw.split(b"\r\n")[:-1]
        for ln in lines:
            self.assertNotIn(b"\n", ln, "bare LF in %r" % ln)
            self.assertNotIn(b"\r", ln, "bare CR in %r" % ln)
            self.assertLessEqual(len(ln), 75, "line longer than 75 octets: %r" % ln)
            ln.decode("utf-8")  # folding never splits a UTF-8 sequence
        text = unfold(raw.decode("utf-8"))
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertIn("\r\nVERSION:2.0\r\n", text)
        self.assertIn("\r\nPRODID:", text)
        for comp in text.split("BEGIN:")[2:]:
            props = [ln.split(":", 1)[0].split(";", 1)[0] for ln in comp.split("\r\n")]
            for needed in ("UID", "DTSTAMP"):
                self.assertEqual(props.count(needed), 1, "%s once in %r" % (needed, comp))
        if icalendar is None:
            self.fail("python3-icalendar is needed to check the feed (apt-get install "
                      "python3-icalendar)")
        cal = icalendar.Calendar.from_ical(raw)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        return cal

    def test_feed_is_rfc5545(self):
        p = self.create_party()
        meeting = self.ok("POST", "/api/v1/activities", {
            "type": "meeting", "domain": "sales", "subject": self.SUBJECT, "body": self.BODY,
            "parties": [p["id"]], "due": "2027-01-20T13:30:00Z", "assignee": 1}, 201)
        task = self.ok("POST", "/api/v1/activities", {
            "type": "task", "domain": "sales", "subject": "Offerte sturen, met bijlage",
            "parties": [p["id"]], "due": "2027-01-18"}, 201)
        timed = self.ok("POST", "/api/v1/activities", {
            "type": "task", "domain": "sales", "subject": "Terugbellen",
            "parties": [p["id"]], "due": "2027-01-16T08:15:00Z"}, 201)
        url = self.feed_url()
        self.assertRegex(url, r"^/api/v1/ical/[A-Za-z0-9_-]{43}\.ics$")
        st, hdrs, raw = self.fetch(url)
        self.assertEqual(st, 200, raw[:300])
        self.assertTrue(hdrs["Content-Type"].startswith("text/calendar"))
        cal = self.check_rfc5545(raw)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        ev = events["xrm-activity-%d@xrm" % meeting["id"]]
        # the party's name after the subject and in the description, a link back to its page
        self.assertEqual(str(ev["SUMMARY"]), self.SUBJECT + " \u2014 " + p["name"])
        link = str(ev["URL"])
        self.assertRegex(link, r"^https?://[^/]+/parties/%d$" % p["id"])
        self.assertEqual(str(ev["DESCRIPTION"]), self.BODY + "\n\n" + p["name"] + "\n" + link)
        self.assertEqual(ev.decoded("DTSTART").isoformat(), "2027-01-20T13:30:00+00:00")
        self.assertEqual(ev.decoded("DTEND").isoformat(), "2027-01-20T14:30:00+00:00")
        self.assertEqual(ev.decoded("DTSTAMP").isoformat(), "2027-01-15T09:00:00+00:00")
        te = events["xrm-activity-%d@xrm" % task["id"]]
        self.assertEqual(str(te["SUMMARY"]), "Offerte sturen, met bijlage \u2014 " + p["name"])
        self.assertEqual(te.decoded("DTSTART").isoformat(), "2027-01-18")
        self.assertEqual(te.decoded("DTEND").isoformat(), "2027-01-19")
        self.assertIn("xrm-activity-%d@xrm" % timed["id"], events)
        # the long subject really was folded, and escaped on the wire
        self.assertIn(b"\r\n ", raw)
        self.assertIn(b"Overleg\\, planning\\; oven \\\\ installatie", raw)
        self.assertIn(b"Regel \xc3\xa9\xc3\xa9n\\nRegel twee\\, met komma\\; en", raw)

        st, _, raw = self.fetch(url + "?tasks=vtodo")
        cal = self.check_rfc5545(raw)
        todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
        td = todos["xrm-activity-%d@xrm" % task["id"]]
        self.assertEqual(str(td["STATUS"]), "NEEDS-ACTION")
        self.assertEqual(td.decoded("DUE").isoformat(), "2027-01-18")
        self.assertEqual(todos["xrm-activity-%d@xrm" % timed["id"]].decoded("DUE").isoformat(),
                         "2027-01-16T08:15:00+00:00")
        self.assertEqual(len(cal.walk("VEVENT")), 1, "the meeting stays an event")

    def test_feed_links_to_the_deal_and_names_every_party(self):
        a = self.create_party(kind="organization", name="Jansen Bouw BV")
        b = self.create_party(kind="person", family_name="Pietersen")
        deal = self.ok("POST", "/api/v1/deals", {"party": a["id"], "title": "Nieuwe hal"}, 201)
        m = self.ok("POST", "/api/v1/deals/%d/activities" % deal["id"],
                    {"type": "meeting", "subject": "Bouwoverleg"}, 201)
        self.ok("PATCH", "/api/v1/activities/%d" % m["id"], {"due": "2027-01-21T09:00:00Z"})
        both = self.ok("POST", "/api/v1/activities", {
            "type": "meeting", "domain": "sales", "subject": "Kennismaking",
            "parties": [a["id"], b["id"]], "due": "2027-01-22T09:00:00Z"}, 201)
        st, _, raw = self.fetch(self.feed_url())
        self.assertEqual(st, 200)
        events = {str(e["UID"]): e for e in self.check_rfc5545(raw).walk("VEVENT")}
        ev = events["xrm-activity-%d@xrm" % m["id"]]
        self.assertEqual(str(ev["SUMMARY"]), "Bouwoverleg \u2014 Jansen Bouw BV")
        self.assertRegex(str(ev["URL"]), r"/deals/%d$" % deal["id"])
        ev = events["xrm-activity-%d@xrm" % both["id"]]
        self.assertEqual(str(ev["SUMMARY"]), "Kennismaking \u2014 Jansen Bouw BV, " + b["name"])
        self.assertRegex(str(ev["URL"]), r"/parties/%d$" % a["id"])

    def test_feed_is_the_users_own_and_revocable(self):
        name = "feeder" + word(4)
        user = self.ok("POST", "/api/v1/users", {"name": name, "password": "wachtwoord-123",
                                                 "access": {"sales": "write"}}, 201)
        tok = self.server.make_token(name)
        p = self.create_party()
        mine = self.ok("POST", "/api/v1/activities", {
            "type": "task", "domain": "sales", "subject": "Voor mij", "parties": [p["id"]],
            "due": "2027-01-17", "assignee": user["id"]}, 201)
        self.ok("POST", "/api/v1/activities", {
            "type": "task", "domain": "sales", "subject": "Voor de beheerder",
            "parties": [p["id"]], "due": "2027-01-17"}, 201)
        self.assertEqual(self.ok("GET", "/api/v1/calendar-feed", token=tok)["active"], False)
        url = self.feed_url(tok)
        info = self.ok("GET", "/api/v1/calendar-feed", token=tok)
        self.assertTrue(info["active"])
        self.assertNotIn("url", info, "the secret is shown once")
        st, _, raw = self.fetch(url)
        self.assertEqual(st, 200)
        uids = [str(e["UID"]) for e in self.check_rfc5545(raw).walk("VEVENT")]
        self.assertEqual(uids, ["xrm-activity-%d@xrm" % mine["id"]])
        # a new URL replaces the old one
        url2 = self.feed_url(tok)
        self.assertNotEqual(url, url2)
        self.assertEqual(self.fetch(url)[0], 404)
        self.assertEqual(self.fetch(url2)[0], 200)
        # revoked
        self.ok("DELETE", "/api/v1/calendar-feed", status=204, token=tok)
        self.assertEqual(self.fetch(url2)[0], 404)
        self.problem("DELETE", "/api/v1/calendar-feed", status=404, token=tok)
        for bad in ("/api/v1/ical/nothing.ics", "/api/v1/ical/" + "A" * 43 + ".ics",
                    "/api/v1/ical/" + url2.rsplit("/", 1)[1][:-4]):
            self.assertEqual(self.fetch(bad)[0], 404, bad)


if __name__ == "__main__":
    unittest.main()
