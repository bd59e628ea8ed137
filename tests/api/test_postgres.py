"""The PostgreSQL engine end to end (runs when XRM_TEST_PG_URL is set, as
scripts/test-pg.sh does; skipped otherwise): every command with
--db postgres://..., the same answers as SQLite for the same data, `xrm copy`
in both directions verified and refusing a database in use, clean failures
for unreachable servers and wrong replica settings."""

import os
import tempfile
import time
import unittest

from harness import (
    ADMIN_PASSWORD,
    PG_URL,
    Server,
    drop_database,
    find_bin,
    new_database,
    q,
    run_cli,
    sanitizer_report,
)

BIN = find_bin()
QUERIES = ("", "vries", "role:customer", "role:employee -role:customer", "city:Utrecht",
           "\"de vries\"", "bouw", "role:supplier supplier.preferred:true", "jan",
           "-bouw role:partner")


def all_items(client, path):
    items, cursor = [], None
    for _ in range(1000):
        p = {"limit": "37"}
        if cursor:
            p["cursor"] = cursor
        st, _, js = client.req("GET", path + ("&" if "?" in path else "?") + q(**p)[1:])
        if st != 200:
            raise AssertionError("GET %s -> %d %r" % (path, st, js))
        items.extend(js["items"])
        cursor = js["next"]
        if not cursor:
            return items
    raise AssertionError("pagination of %s does not end" % path)


@unittest.skipUnless(PG_URL, "XRM_TEST_PG_URL is not set (scripts/test-pg.sh sets it)")
class PostgresCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="xrm-pg-")
        self.addCleanup(self.tmp.cleanup)
        self.dbs = []

    def tearDown(self):
        for name in self.dbs:
            drop_database(name)

    def new_pg(self):
        url, name = new_database(self.tmp.name)
        self.dbs.append(name)
        return url

    def xrm(self, *args, env=None, ok=True):
        r = run_cli(BIN, *args, env_extra=env, timeout=300)
        for stream in (r.stdout, r.stderr):
            m = sanitizer_report(stream)
            if m:
                self.fail("sanitizer report (%s) from xrm %s:\n%s" % (m, " ".join(args), stream))
        if ok:
            self.assertEqual(r.returncode, 0, "xrm %s: %s" % (" ".join(args), r.stderr))
        return r

    def init(self, db):
        self.xrm("init", "--db", db, env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})

    def serve(self, db):
        srv = Server(workdir=self.tmp.name, db=db)
        srv.token = self.xrm("token", "create", "--db", db, "--user", "admin").stdout.strip()
        srv.start()
        self.addCleanup(srv.cleanup)
        return srv

    def stop(self, srv):
        rc, err = srv.stop()
        self.assertEqual(rc, 0, err)
        self.assertIsNone(sanitizer_report(err), err)

    def snapshot(self, srv):
        """What a client sees of the data: parties for each query, roles, timelines."""
        c = srv.client()
        out = {}
        for query in QUERIES:
            path = "/api/v1/parties" + (q(q=query) if query else "")
            out[query] = [(p["id"], p["uid"], p["name"], p["version"]) for p in all_items(c, path)]
        ids = [p[0] for p in out[""]][:25]
        for pid in ids:
            st, _, js = c.req("GET", "/api/v1/parties/%d" % pid)
            self.assertEqual(st, 200)
            out["party %d" % pid] = js
            out["timeline %d" % pid] = all_items(c, "/api/v1/parties/%d/timeline" % pid)
        out["activities"] = all_items(c, "/api/v1/activities")[:100]
        c.close()
        return out

    def test_commands_work_with_a_url(self):
        db = self.new_pg()
        r = self.xrm("init", "--db", db, env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})
        self.assertIn("admin", r.stdout)
        r = self.xrm("init", "--db", db, env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD}, ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already initialised", r.stderr)
        self.xrm("user", "add", "--db", db, "marieke", env={"XRM_PASSWORD": "marieke-wachtwoord"})
        self.xrm("demo", "--db", db)
        srv = self.serve(db)
        c = srv.client()
        st, _, js = c.req("GET", "/healthz")
        self.assertEqual((st, js["engine"]), (200, "postgresql"))
        st, _, js = c.req("POST", "/api/v1/session",
                          {"user": "marieke", "password": "marieke-wachtwoord", "bearer": True},
                          token=None)
        self.assertIn(st, (200, 201), js)
        st, _, js = c.req("GET", "/api/v1/parties" + q(q="vries"))
        self.assertEqual(st, 200)
        self.assertTrue(js["items"], "demo data has a De Vries")
        c.close()
        self.stop(srv)

    def test_same_answers_as_sqlite_after_copy(self):
        # One fixed clock for both servers: what they make on start (automations) matches.
        os.environ["XRM_NOW"] = "2026-06-01T10:00:00Z"
        self.addCleanup(os.environ.pop, "XRM_NOW", None)
        lite = os.path.join(self.tmp.name, "demo.db")
        self.init(lite)
        self.xrm("demo", "--db", lite)
        pg = self.new_pg()
        r = self.xrm("copy", "--from", "sqlite:" + lite, "--to", pg)
        self.assertRegex(r.stdout, r"parties\s+\d+\s+[0-9a-f]{16}\s+ok")
        self.assertNotIn("MISMATCH", r.stdout)
        # What each server writes itself after the copy (the automations' tasks)
        # carries that server's own write time; everything else must be equal.
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
        a = self.serve(lite)
        b = self.serve(pg)
        sa, sb = self.snapshot(a), self.snapshot(b)
        for snap in (sa, sb):
            for key, val in snap.items():
                if key == "activities" or key.startswith("timeline "):
                    for item in val:
                        if item.get("created_at", "") >= started:
                            item.pop("created_at")
                            item.pop("updated_at", None)
        for key in sa:
            self.assertEqual(sa[key], sb[key], "answers differ for %r" % key)
        # New rows get new ids on both, after the copied ones.
        body = {"kind": "person", "family_name": "Nakomer"}
        ca, cb = a.client(), b.client()
        ida = ca.req("POST", "/api/v1/parties", body)[2]["id"]
        idb = cb.req("POST", "/api/v1/parties", body)[2]["id"]
        self.assertEqual(ida, idb)
        ca.close()
        cb.close()
        self.stop(a)
        self.stop(b)
        # And back to SQLite: the same again.
        back = os.path.join(self.tmp.name, "back.db")
        self.xrm("copy", "--from", pg, "--to", back, "--quiet")
        c, d = self.serve(back), self.serve(pg)
        self.assertEqual(self.snapshot(c)[""], self.snapshot(d)[""])
        self.stop(c)
        self.stop(d)

    def test_copy_refuses_a_database_in_use(self):
        lite = os.path.join(self.tmp.name, "a.db")
        self.init(lite)
        pg = self.new_pg()
        self.init(pg)
        r = self.xrm("copy", "--from", lite, "--to", pg, ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("in use", r.stderr)
        r = self.xrm("copy", "--from", lite, ok=False)
        self.assertEqual(r.returncode, 2)

    def test_unreachable_server_fails_cleanly(self):
        r = self.xrm("init", "--db", "postgres://xrm@127.0.0.1:1/none",
                     env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD}, ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot connect to PostgreSQL", r.stderr)

    def test_replica_must_be_postgres(self):
        pg = self.new_pg()
        self.init(pg)
        r = self.xrm("serve", "--db", pg, "--listen", "127.0.0.1:0", "--read-replica",
                     os.path.join(self.tmp.name, "x.db"), ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("read replica", r.stderr)
        # A primary is not a replica: reads there could be of another database.
        r = self.xrm("serve", "--db", pg, "--listen", "127.0.0.1:0", "--read-replica", pg,
                     ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a streaming replica", r.stderr)


if __name__ == "__main__":
    unittest.main()
