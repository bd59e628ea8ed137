"""CalDAV: a user's tasks and meetings in a real calendar client.

vdirsyncer (Debian) syncs the tasks (VTODO) and meetings (VEVENT) calendars
of the demo user `verkoop` both ways with local vdir folders, found by
discovery from the server address alone; khal (Debian) reads and writes the
local meetings. Checked through the JSON API: a meeting made in khal becomes
a meeting in xrm, a VTODO completed locally completes the task, a task
edited in xrm arrives locally, deletes go both ways, a re-sync makes no
duplicates, another user's tasks never appear, and a read-only user cannot
complete a task (403 on PUT)."""

import base64
import datetime
import glob
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from demo_case import DemoTestCase
from harness import q, word

DEMO_PASSWORD = "xrm-demo-2026"
TOOLS = ("vdirsyncer", "khal")


def basic(user, password=DEMO_PASSWORD):
    raw = ("%s:%s" % (user, password)).encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")


def unfold(text):
    return re.sub(r"\r?\n[ \t]", "", text)


class CalDavCalendarTest(DemoTestCase):
    @classmethod
    def setUpClass(cls):
        missing = [t for t in TOOLS if shutil.which(t) is None]
        if missing:
            raise unittest.SkipTest("needs %s (scripts/deps.sh test)" % ", ".join(missing))
        super().setUpClass()
        users = cls.client.req("GET", "/api/v1/users")[2]
        users = users["items"] if isinstance(users, dict) else users
        cls.uid = {u["name"]: u["id"] for u in users}
        cls.sales_token = cls.server.make_token("verkoop")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="xrm-caldav-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.local = os.path.join(self.tmp, "cal")
        for c in ("tasks", "meetings"):
            os.makedirs(os.path.join(self.local, c))
        self.base = "http://%s:%d" % (self.server.host, self.server.port)

    # -- clients ------------------------------------------------------------

    def vdirsyncer_conf(self, user="verkoop", password=DEMO_PASSWORD):
        path = os.path.join(self.tmp, "vdirsyncer.conf")
        with open(path, "w") as f:
            f.write(textwrap.dedent("""\
                [general]
                status_path = "{tmp}/status/"

                [pair xrm]
                a = "local"
                b = "remote"
                collections = ["from b"]
                conflict_resolution = "b wins"

                [storage local]
                type = "filesystem"
                path = "{local}/"
                fileext = ".ics"

                [storage remote]
                type = "caldav"
                url = "{base}/"
                username = "{user}"
                password = "{password}"
                """).format(tmp=self.tmp, local=self.local, base=self.base, user=user,
                            password=password))
        return path

    def vdirsyncer(self, *args, conf=None):
        conf = conf or self.vdirsyncer_conf()
        r = subprocess.run(["vdirsyncer", "-c", conf, *args], capture_output=True, text=True,
                           input="y\n" * 10, timeout=300)
        if r.returncode != 0:
            self.fail("vdirsyncer %s failed (%d):\n%s\n%s\nserver:\n%s" % (
                " ".join(args), r.returncode, r.stdout[-3000:], r.stderr[-5000:],
                self.server.stderr()[-3000:]))
        return r.stdout + r.stderr

    def sync(self, conf=None):
        self.vdirsyncer("discover", conf=conf)
        return self.vdirsyncer("sync", conf=conf)

    def khal(self, *args):
        conf = os.path.join(self.tmp, "khal.conf")
        with open(conf, "w") as f:
            f.write(textwrap.dedent("""\
                [calendars]
                [[meetings]]
                path = {local}/meetings
                type = calendar
                [[tasks]]
                path = {local}/tasks
                type = calendar

                [sqlite]
                path = {tmp}/khal.db

                [locale]
                timeformat = %H:%M
                dateformat = %Y-%m-%d
                longdateformat = %Y-%m-%d
                datetimeformat = %Y-%m-%d %H:%M
                longdatetimeformat = %Y-%m-%d %H:%M
                local_timezone = Europe/Amsterdam
                default_timezone = Europe/Amsterdam

                [default]
                default_calendar = meetings
                """).format(local=self.local, tmp=self.tmp))
        env = dict(os.environ, TZ="Europe/Amsterdam", HOME=self.tmp)
        r = subprocess.run(["khal", "-c", conf, *args], capture_output=True, text=True,
                           timeout=120, env=env)
        if r.returncode != 0:
            self.fail("khal %s failed (%d):\n%s\n%s" % (" ".join(args), r.returncode, r.stdout,
                                                       r.stderr))
        return r.stdout

    def files(self, coll):
        """{UID: (path, unfolded text)} of the local folder of coll."""
        out = {}
        for p in glob.glob(os.path.join(self.local, coll, "*.ics")):
            with open(p, encoding="utf-8") as f:
                text = unfold(f.read())
            m = re.search(r"^UID:(.*?)\r?$", text, re.M)
            self.assertIsNotNone(m, "no UID in %s" % p)
            self.assertNotIn(m.group(1), out, "two local files with UID %s" % m.group(1))
            out[m.group(1)] = (p, text)
        return out

    def dav(self, method, path, body=None, user="verkoop", password=DEMO_PASSWORD,
            headers=None):
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
        h = {"Authorization": basic(user, password)}
        if body is not None:
            h["Content-Type"] = "text/calendar; charset=utf-8"
        h.update(headers or {})
        conn.request(method, path, body=body.encode("utf-8") if body is not None else None,
                     headers=h)
        res = conn.getresponse()
        data = res.read()
        conn.close()
        return res.status, dict(res.getheaders()), data.decode("utf-8", "replace")

    # -- data ---------------------------------------------------------------

    @staticmethod
    def day(n):
        return (datetime.datetime.now(datetime.timezone.utc).date() +
                datetime.timedelta(days=n)).isoformat()

    def activity(self, **body):
        body.setdefault("domain", "sales")
        return self.ok("POST", "/api/v1/activities", body, 201)

    def user_activities(self, user, type_):
        """Subjects of the activities of type_ assigned to user, with their ids (JSON API)."""
        out = {}
        for a in self.list_all("/api/v1/activities", type=type_):
            if a.get("assignee") == self.uid[user]:
                out.setdefault(a["subject"], []).append(a["id"])
        return out

    # -- the tests ----------------------------------------------------------

    def test_two_way_sync_with_vdirsyncer_and_khal(self):
        p = self.create_party(kind="organization", name="Kalender " + word(5).capitalize() + " BV")
        tag = word(6)
        task = self.activity(type="task", subject="Bellen " + tag, parties=[p["id"]],
                             due=self.day(3), assignee=self.uid["verkoop"],
                             body="Over de offerte")
        meeting = self.activity(type="meeting", subject="Overleg " + tag, parties=[p["id"]],
                                due=self.day(2) + "T09:00:00Z", assignee=self.uid["verkoop"])
        theirs = self.activity(type="task", domain="hr", subject="Van HR " + tag,
                               parties=[p["id"]], due=self.day(3), assignee=self.uid["hr"])
        self.sync()

        tasks, meetings = self.files("tasks"), self.files("meetings")
        t_uid, m_uid = "xrm-activity-%d@xrm" % task["id"], "xrm-activity-%d@xrm" % meeting["id"]
        self.assertIn(t_uid, tasks)
        self.assertIn(m_uid, meetings)
        text = tasks[t_uid][1]
        self.assertIn("BEGIN:VTODO", text)
        self.assertIn("SUMMARY:Bellen %s \u2014 %s" % (tag, p["name"]), text)
        self.assertIn("STATUS:NEEDS-ACTION", text)
        self.assertIn("DESCRIPTION:Over de offerte", text)
        self.assertRegex(text, r"URL(;VALUE=URI)?:http://[^/]+/parties/%d" % p["id"])
        self.assertIn("DTSTART:%sT090000Z" % self.day(2).replace("-", ""), meetings[m_uid][1])
        # another user's task never shows, in neither calendar
        for c in ("tasks", "meetings"):
            for _, t in self.files(c).values():
                self.assertNotIn("Van HR " + tag, t)
                self.assertNotIn("xrm-activity-%d@" % theirs["id"], t)

        # khal lists the meeting
        listed = self.khal("list", self.day(0), "7d")
        self.assertIn("Overleg " + tag, listed)

        # a meeting made in khal becomes a meeting in xrm, assigned to the user, no parties
        self.khal("new", "-a", "meetings", self.day(4), "14:00", "15:00", "Lunch " + tag)
        self.sync()
        made = self.user_activities("verkoop", "meeting").get("Lunch " + tag)
        self.assertIsNotNone(made, "the meeting made in khal is not in xrm")
        self.assertEqual(len(made), 1)
        m2 = self.ok("GET", "/api/v1/activities/%d" % made[0])
        self.assertEqual(m2["parties"], [])
        self.assertEqual(m2["domain"], "sales")
        # 14:00 in Amsterdam, winter or summer
        self.assertIn(m2["due"], (self.day(4) + "T13:00:00Z", self.day(4) + "T12:00:00Z"))
        lunch = [u for u, (_, t) in self.files("meetings").items() if "Lunch " + tag in t]
        self.assertEqual(len(lunch), 1, "the local meeting keeps its own UID, once")
        self.assertFalse(lunch[0].startswith("xrm-activity-"))

        # completing the VTODO locally completes the task in xrm
        path, _ = self.files("tasks")[t_uid]
        with open(path, encoding="utf-8", newline="") as f:
            raw = f.read()
        self.assertIn("STATUS:NEEDS-ACTION", raw)
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        raw = raw.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:" + stamp)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(raw)
        self.sync()
        done = self.ok("GET", "/api/v1/activities/%d" % task["id"])
        self.assertTrue(done["done"], "completing the VTODO did not complete the task")
        self.assertEqual(done["subject"], "Bellen " + tag, "the party names came back as subject")
        self.assertEqual(done["body"], "Over de offerte")

        # a task edited in xrm arrives locally
        self.ok("PATCH", "/api/v1/activities/%d" % task["id"],
                {"subject": "Terugbellen " + tag, "done": False})
        self.sync()
        text = self.files("tasks")[t_uid][1]
        self.assertIn("SUMMARY:Terugbellen %s \u2014 %s" % (tag, p["name"]), text)
        self.assertIn("STATUS:NEEDS-ACTION", text)

        # no duplicates after more syncs, on either side
        before_local = {c: sorted(self.files(c)) for c in ("tasks", "meetings")}
        before_xrm = (self.user_activities("verkoop", "task"),
                      self.user_activities("verkoop", "meeting"))
        self.sync()
        self.sync()
        self.assertEqual({c: sorted(self.files(c)) for c in ("tasks", "meetings")}, before_local)
        self.assertEqual((self.user_activities("verkoop", "task"),
                          self.user_activities("verkoop", "meeting")), before_xrm)

        # deleting: locally (the meeting made in khal) and in xrm (the meeting from xrm)
        os.remove(self.files("meetings")[lunch[0]][0])
        self.ok("DELETE", "/api/v1/activities/%d" % meeting["id"], status=204)
        self.sync()
        self.problem("GET", "/api/v1/activities/%d" % made[0], status=404)
        self.assertNotIn(m_uid, self.files("meetings"))
        self.assertNotIn(lunch[0], self.files("meetings"))
        self.assertIn(t_uid, self.files("tasks"))

    def test_read_only_user_cannot_complete_a_task(self):
        p = self.create_party()
        tag = word(6)
        task = self.activity(type="task", domain="hr", subject="Dossier " + tag,
                             parties=[p["id"]], due=self.day(5),
                             assignee=self.uid["hr-assistent"])
        path = "/dav/calendars/hr-assistent/tasks/xrm-activity-%d.ics" % task["id"]
        st, hdrs, text = self.dav("GET", path, user="hr-assistent")
        self.assertEqual(st, 200, text)
        self.assertIn("STATUS:NEEDS-ACTION", text)
        completed = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED")
        st, _, body = self.dav("PUT", path, completed, user="hr-assistent")
        self.assertEqual(st, 403, body)
        self.assertFalse(self.ok("GET", "/api/v1/activities/%d" % task["id"])["done"])
        # nor delete it
        st, _, body = self.dav("DELETE", path, user="hr-assistent")
        self.assertEqual(st, 403, body)
        self.ok("GET", "/api/v1/activities/%d" % task["id"])
        # nor make one (read access only: no domain to write in)
        new = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VTODO\r\n"
               "UID:ro-%s@test\r\nSUMMARY:Nieuw %s\r\nEND:VTODO\r\nEND:VCALENDAR\r\n" % (tag, tag))
        st, _, body = self.dav("PUT", "/dav/calendars/hr-assistent/tasks/ro-%s.ics" % tag, new,
                               user="hr-assistent")
        self.assertEqual(st, 403, body)

    def test_put_checks_etag_component_and_body(self):
        tag = word(6)
        task = self.activity(type="task", subject="Etag " + tag, parties=[self.create_party()["id"]],
                             due=self.day(1), assignee=self.uid["verkoop"])
        path = "/dav/calendars/verkoop/tasks/xrm-activity-%d.ics" % task["id"]
        st, hdrs, text = self.dav("GET", path)
        self.assertEqual(st, 200, text)
        etag = hdrs.get("ETag") or hdrs.get("Etag")
        self.assertTrue(etag)
        # a stale If-Match: 412, nothing changed
        st, _, body = self.dav("PUT", path, text.replace("Etag " + tag, "Anders"),
                               headers={"If-Match": '"c0000"'})
        self.assertEqual(st, 412, body)
        # a VEVENT in the tasks calendar, garbage, two components: refused, nothing changed
        ev = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:e-%s\r\n"
              "DTSTART:20270101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n" % tag)
        for bad in (ev, "geen agenda", text.replace("END:VCALENDAR",
                                                    "BEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\n"
                                                    "END:VCALENDAR")):
            st, _, body = self.dav("PUT", path, bad)
            self.assertIn(st, (400, 403, 409, 415, 422), body)
        self.assertEqual(self.ok("GET", "/api/v1/activities/%d" % task["id"])["subject"],
                         "Etag " + tag)
        # the current ETag: the change is made
        st, _, body = self.dav("PUT", path, text.replace("SUMMARY:Etag " + tag, "SUMMARY:Nieuw " + tag),
                               headers={"If-Match": etag})
        self.assertIn(st, (200, 204), body)
        self.assertEqual(self.ok("GET", "/api/v1/activities/%d" % task["id"])["subject"],
                         "Nieuw " + tag)
        # a new object from a phone: a task of the user's own, in X-XRM-DOMAIN's domain if they
        # may write there (verkoop writes sales only: purchasing is refused)
        todo = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n"
                "UID:%s\r\nSUMMARY:Eigen %s\r\nDUE;VALUE=DATE:20270110\r\n%sEND:VTODO\r\n"
                "END:VCALENDAR\r\n")
        own = "/dav/calendars/verkoop/tasks/own-%s.ics" % tag
        st, _, body = self.dav("PUT", own, todo % ("u1-" + tag, tag, "X-XRM-DOMAIN:purchasing\r\n"))
        self.assertEqual(st, 403, body)
        st, _, body = self.dav("PUT", own, todo % ("u1-" + tag, tag, "STATUS:NEEDS-ACTION\r\n"),
                               headers={"If-None-Match": "*"})
        self.assertEqual(st, 201, body)
        made = self.user_activities("verkoop", "task")["Eigen " + tag]
        a = self.ok("GET", "/api/v1/activities/%d" % made[0])
        self.assertEqual((a["parties"], a["domain"], a["due"], a["done"]),
                         ([], "sales", "2027-01-10", False))
        st, _, text = self.dav("GET", own)
        self.assertEqual(st, 200)
        self.assertIn("UID:u1-" + tag, unfold(text))
        # the same name again with If-None-Match: 412; the name in the other calendar or the
        # UID under another name: 409; nothing new in xrm
        st, _, body = self.dav("PUT", own, todo % ("u1-" + tag, tag, ""),
                               headers={"If-None-Match": "*"})
        self.assertEqual(st, 412, body)
        st, _, body = self.dav("PUT", "/dav/calendars/verkoop/meetings/own-%s.ics" % tag,
                               ev.replace("UID:e-", "UID:e2-"))
        self.assertEqual(st, 409, body)
        st, _, body = self.dav("PUT", "/dav/calendars/verkoop/tasks/other-%s.ics" % tag,
                               todo % ("u1-" + tag, tag, ""))
        self.assertEqual(st, 409, body)
        self.assertEqual(len(self.user_activities("verkoop", "task")["Eigen " + tag]), 1)
        # another user's object: not found
        st, _, _ = self.dav("GET", path, user="inkoop")
        self.assertIn(st, (403, 404))
        st, _, _ = self.dav("GET", "/dav/calendars/inkoop/tasks/xrm-activity-%d.ics" % task["id"],
                            user="inkoop")
        self.assertEqual(st, 404)


if __name__ == "__main__":
    unittest.main()
