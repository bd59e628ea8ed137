"""xrm backup, restore, check and migrate (issue 23), on SQLite and, when
XRM_TEST_PG_URL is set, on PostgreSQL.

One server per class. BackupTest takes a backup while threads keep creating
parties through the API, restores it into a new database and checks it;
the other tests work on copies of that restored database, so they need no
server of their own.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (PG_URL, ApiTestCase, drop_database, find_bin, new_database, run_cli,
                     sanitizer_report, word)

WRITERS = 4
NEWER = "the database's schema is version 9999, newer than this xrm"


def psql(url, sql):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("psql %r failed: %s" % (sql, r.stderr))
    return r.stdout


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class BackupTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bin = find_bin()
        cls.tmp = tempfile.TemporaryDirectory(prefix="xrm-backup-")
        cls.pg_names = []

    @classmethod
    def tearDownClass(cls):
        try:
            for name in cls.pg_names:
                drop_database(name)
            cls.tmp.cleanup()
        finally:
            super().tearDownClass()

    def cli(self, *args, env=None):
        r = run_cli(self.bin, *args, env_extra=env)
        m = sanitizer_report(r.stderr)
        if m:
            self.fail("sanitizer report (%s) from xrm %s:\n%s" % (m, args[0], r.stderr))
        return r

    def new_db(self):
        """A fresh target: a file name that does not exist, or a new empty PostgreSQL database."""
        if not PG_URL:
            fd, path = tempfile.mkstemp(dir=self.tmp.name, suffix=".db")
            os.close(fd)
            os.unlink(path)
            return path
        url, name = new_database(self.tmp.name)
        self.pg_names.append(name)
        return url

    def party_ids(self, db):
        if PG_URL:
            return {int(x) for x in psql(db, "SELECT id FROM parties").split()}
        con = sqlite3.connect(db)
        try:
            return {r[0] for r in con.execute("SELECT id FROM parties")}
        finally:
            con.close()

    def backup_under_load(self):
        """(backup file, ids acknowledged before the backup started, every id acknowledged)."""
        stop = threading.Event()
        acked = []  # (monotonic time the answer arrived, id)
        lock = threading.Lock()
        errors = []

        def writer(n):
            client = self.server.client()
            try:
                i = 0
                while not stop.is_set():
                    st, _, js = client.req("POST", "/api/v1/parties",
                                           {"kind": "person", "given_name": "Load%d" % n,
                                            "family_name": "Writer%d" % i})
                    i += 1
                    if st != 201:
                        errors.append(st)
                        return
                    with lock:
                        acked.append((time.monotonic(), js["id"]))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
            finally:
                client.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        while True:  # writes are flowing before the backup starts
            with lock:
                if len(acked) >= 40 or errors:
                    break
            time.sleep(0.01)
        backup = os.path.join(self.tmp.name, "load.backup")
        started = time.monotonic()
        r = self.cli("backup", "--db", self.server.db, backup)
        took = time.monotonic() - started
        with lock:
            during = sum(1 for at, _ in acked if at > started)
        stop.set()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^backup: %s \(\d+ bytes, schema version \d+\)\n$"
                         % backup.replace(".", r"\."))
        before = {i for at, i in acked if at <= started}
        print("\n  backup under load: %.2f s, %d parties acknowledged before it, %d during it"
              % (took, len(before), during))
        return backup, before, {i for _, i in acked}

    def test_backup_under_write_load_restores_every_acknowledged_party(self):
        backup, before, every = self.backup_under_load()
        target = self.new_db()
        t0 = time.monotonic()
        r = self.cli("restore", backup, "--db", target)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("restored %s to %s" % (backup, target), r.stdout)
        restore_s = time.monotonic() - t0
        t0 = time.monotonic()
        r = self.cli("check", "--db", target)
        print("  restore: %.2f s, check: %.2f s" % (restore_s, time.monotonic() - t0))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for line in ("integrity: ", "foreign keys: ok", "search index: ok", "schema version: ok"):
            self.assertIn(line, r.stdout)
        ids = self.party_ids(target)
        # every party acknowledged before the backup started is in it, and nothing else than
        # parties the server created (a consistent snapshot: no party half there)
        self.assertEqual(before - ids, set())
        self.assertGreaterEqual(len(ids), len(before))
        self.assertEqual(ids - every, set())
        # a second backup into the same file is refused, and the file is kept
        digest = sha256(backup)
        r = self.cli("backup", "--db", self.server.db, backup)
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists", r.stderr)
        self.assertEqual(sha256(backup), digest)

    @unittest.skipUnless(PG_URL, "PostgreSQL")
    def test_pg_dump_gets_the_password_in_its_environment_not_its_arguments(self):
        fake = os.path.join(self.tmp.name, "bin")
        os.makedirs(fake, exist_ok=True)
        seen = os.path.join(self.tmp.name, "pg_dump.seen")
        with open(os.path.join(fake, "pg_dump"), "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s\necho \"PGPASSWORD=$PGPASSWORD\" >> %s\n"
                    "while [ $# -gt 0 ]; do [ \"$1\" = --file ] && echo dump > \"$2\"; shift; done\n"
                    % (seen, seen))
        os.chmod(os.path.join(fake, "pg_dump"), 0o755)
        user_at = self.server.db.index("@")
        url = self.server.db[:user_at] + ":s3cr3t-pw" + self.server.db[user_at:]
        out = os.path.join(self.tmp.name, "fake.backup")
        r = self.cli("backup", "--db", url, out,
                     env={"PATH": fake + os.pathsep + os.environ.get("PATH", "")})
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(seen) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[-1], "PGPASSWORD=s3cr3t-pw")
        self.assertFalse([a for a in lines[:-1] if "s3cr3t" in a], lines)
        self.assertIn("--format=custom", lines)
        self.assertTrue(os.path.exists(out))

    def test_restore_refuses_a_database_in_use(self):
        backup = os.path.join(self.tmp.name, "in-use.backup")
        r = self.cli("backup", "--db", self.server.db, backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        before = self.ok("GET", "/api/v1/parties?limit=1")
        # the server's own database: it is running (SQLite: its lock), it is not empty (PG)
        r = self.cli("restore", backup, "--db", self.server.db, "--force")
        self.assertEqual(r.returncode, 1)
        self.assertIn("in use" if not PG_URL else "not empty", r.stderr)
        self.assertEqual(self.ok("GET", "/api/v1/parties?limit=1"), before)
        if not PG_URL:
            return
        # PostgreSQL: an empty database with another session open is in use too
        target = self.new_db()
        other = subprocess.Popen(["psql", "-X", "-q", "-d", target, "-c", "SELECT pg_sleep(60)"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            name = target.rsplit("/", 1)[1]
            for _ in range(500):
                if psql(PG_URL + "/postgres", "SELECT COUNT(*) FROM pg_stat_activity"
                        " WHERE datname = '%s'" % name).strip() != "0":
                    break
                time.sleep(0.01)
            r = self.cli("restore", backup, "--db", target)
            self.assertEqual(r.returncode, 1)
            self.assertIn("in use", r.stderr)
        finally:
            other.kill()
            other.wait()
        self.assertEqual(psql(target, "SELECT COUNT(*) FROM pg_class WHERE relkind = 'r' AND"
                                      " relnamespace = current_schema()::regnamespace").strip(),
                         "0")

    @unittest.skipIf(PG_URL, "SQLite files")
    def test_restore_over_an_existing_database_needs_force(self):
        backup = os.path.join(self.tmp.name, "force.backup")
        self.assertEqual(self.cli("backup", "--db", self.server.db, backup).returncode, 0)
        target = self.new_db()
        self.assertEqual(self.cli("restore", backup, "--db", target).returncode, 0)
        con = sqlite3.connect(target)
        con.execute("DELETE FROM party_fts")  # a change that must survive a refused restore
        con.commit()
        con.close()
        digest = sha256(target)
        r = self.cli("restore", backup, "--db", target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--force", r.stderr)
        self.assertEqual(sha256(target), digest)
        r = self.cli("restore", backup, "--db", target, "--force")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.cli("check", "--db", target).returncode, 0)
        # not a database at all
        junk = os.path.join(self.tmp.name, "junk.backup")
        with open(junk, "wb") as f:
            f.write(b"not a database" * 100)
        r = self.cli("restore", junk, "--db", self.new_db())
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a SQLite database", r.stderr)

    def restored_copy(self):
        """A new database like one restored from a backup of the server's (with parties).
        The backup and restore run once per class; later calls copy the result."""
        cls = type(self)
        if getattr(cls, "restored", None) is None:
            w = word()
            self.ok("POST", "/api/v1/parties", {"kind": "organization", "name": "Kopie %s" % w,
                                                "emails": [{"value": "info@%s.nl" % w}]}, 201)
            backup = os.path.join(self.tmp.name, "copy.backup")
            self.assertEqual(self.cli("backup", "--db", self.server.db, backup).returncode, 0)
            target = self.new_db()
            r = self.cli("restore", backup, "--db", target)
            self.assertEqual(r.returncode, 0, r.stderr)
            cls.restored = target
        target = self.new_db()
        if PG_URL:
            name = target.rsplit("/", 1)[1]
            psql(PG_URL + "/postgres", "DROP DATABASE %s" % name)
            psql(PG_URL + "/postgres", "CREATE DATABASE %s TEMPLATE %s"
                 % (name, cls.restored.rsplit("/", 1)[1]))
        else:
            shutil.copyfile(cls.restored, target)
            if os.path.isdir(cls.restored + ".files"):
                shutil.copytree(cls.restored + ".files", target + ".files")
        return target

    def sql(self, db, *statements):
        if PG_URL:
            psql(db, "SET session_replication_role = replica; " + "; ".join(statements))
            return
        con = sqlite3.connect(db)
        con.execute("PRAGMA foreign_keys=OFF")
        for s in statements:
            con.execute(s)
        con.commit()
        con.close()

    def test_check_names_the_failing_check(self):
        db = self.restored_copy()
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(len(r.stdout.splitlines()), 5, r.stdout)
        # a party without its search row
        self.sql(db, "DELETE FROM party_fts WHERE rowid = (SELECT MAX(id) FROM parties)")
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("search index: FAILED: 1 parties without their index row", r.stdout)
        self.assertIn("foreign keys: ok", r.stdout)
        # a search row with other text than the party's, and one of no party
        db = self.restored_copy()
        self.sql(db, "UPDATE party_fts SET body = 'stale' WHERE rowid = (SELECT MIN(id) FROM"
                     " parties WHERE sort_name <> '~erased')")
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("1 with other text", r.stdout)
        # a foreign key naming a missing party
        db = self.restored_copy()
        self.sql(db, "INSERT INTO party_tags (party_id, tag) VALUES (987654321, 'orphan')")
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"foreign keys: FAILED: 1 rows of \"?party_tags\"?")
        self.assertIn("search index: ok", r.stdout)

    def test_newer_schema_is_refused_by_every_command_changing_nothing(self):
        db = self.restored_copy()
        self.sql(db, "INSERT INTO schema_migrations (version, name, applied_at)"
                     " VALUES (9999, 'from-the-future', '2030-01-01T00:00:00Z')")
        digest = None if PG_URL else sha256(db)
        out = os.path.join(self.tmp.name, "never.backup")
        commands = [("serve", "--db", db, "--listen", "127.0.0.1:0"), ("check", "--db", db),
                    ("migrate", "--db", db, "--dry-run"), ("backup", "--db", db, out),
                    ("export", "--db", db, "--format", "csv")]
        if not PG_URL:
            commands.append(("restore", db, "--db", self.new_db()))
        for args in commands:
            r = self.cli(*args)
            self.assertEqual(r.returncode, 1, "%s: %s" % (args, r.stdout + r.stderr))
            self.assertIn(NEWER, r.stderr, args)
        self.assertFalse(os.path.exists(out))
        if digest:
            self.assertEqual(sha256(db), digest)
            self.assertFalse(os.path.exists(db + "-wal") and os.path.getsize(db + "-wal"))
        else:
            self.assertEqual(psql(db, "SELECT MAX(version) FROM schema_migrations").strip(),
                             "9999")

    def test_migrate_lists_then_applies_the_pending_migration(self):
        db = self.restored_copy()
        r = self.cli("migrate", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^schema version \d+ \(up to date\)\n$")
        # the database as the xrm before migration 33 left it: no webhook tables, no row 33
        # (33 only adds those tables)
        self.sql(db, "DROP TABLE webhook_deliveries", "DROP TABLE webhooks",
                 "DELETE FROM schema_migrations WHERE version = 33")
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertIn("schema version: FAILED: version", r.stdout)
        self.assertIn("1 migrations pending", r.stdout)
        r = self.cli("migrate", "--db", db, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 pending migrations:\n  33 webhooks\n", r.stdout)
        self.assertIn("dry run: nothing applied", r.stdout)
        r = self.cli("migrate", "--db", db, "--dry-run")  # still pending: nothing was applied
        self.assertIn("  33 webhooks\n", r.stdout)
        r = self.cli("migrate", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("(1 migrations applied)", r.stdout)
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout)


    @unittest.skipIf(PG_URL, "record text ids in party order are SQLite's (migration 34)")
    def test_migrate_puts_record_text_in_party_order(self):
        """Migration 34 renumbers the record text of an older database party by party
        (what a search page walks, newest party first); check names rows out of place."""
        w = word()
        pids = [self.ok("POST", "/api/v1/parties", {"kind": "organization",
                                                    "name": "Orde %s %d" % (w, i)}, 201)["id"]
                for i in range(3)]
        for i, pid in enumerate(pids * 3):
            self.ok("POST", "/api/v1/activities", {"type": "note", "domain": "sales",
                                                   "subject": "Notitie " + w,
                                                   "body": "regel %d" % i, "parties": [pid]}, 201)
        backup = os.path.join(self.tmp.name, "order-%s.backup" % w)
        self.assertEqual(self.cli("backup", "--db", self.server.db, backup).returncode, 0)
        db = self.new_db()
        self.assertEqual(self.cli("restore", backup, "--db", db).returncode, 0)

        def rows():
            con = sqlite3.connect(db)
            try:
                return (sorted(con.execute("SELECT kind, record_id, party_id, domain, type, body"
                                           " FROM record_text").fetchall()),
                        con.execute("SELECT COUNT(*) FROM record_fts WHERE record_fts MATCH ?",
                                    (w,)).fetchone()[0])
            finally:
                con.close()
        before = rows()
        self.assertEqual(before[1], 9)
        # as the xrm before migration 34 left it: rows numbered in the order they were
        # written (here the parties interleaved), no row 34
        self.sql(db, "DELETE FROM schema_migrations WHERE version = 34",
                 "CREATE TABLE old_text AS SELECT * FROM record_text",
                 "DELETE FROM record_text",
                 "INSERT INTO record_text (tenant, kind, record_id, party_id, domain, type, body)"
                 " SELECT tenant, kind, record_id, party_id, domain, type, body FROM old_text"
                 " ORDER BY record_id",
                 "DROP TABLE old_text")
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stdout, r"search index: FAILED: .* [1-9]\d* record text rows out of "
                                   r"their party's place")
        r = self.cli("migrate", "--db", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("34 record-text-order", r.stdout)
        r = self.cli("check", "--db", db)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(rows(), before)

    def test_documents_contents_come_back_with_the_restore(self):
        """A document's bytes are in the backup (beside it for SQLite, in the dump for
        PostgreSQL) and in the restored database; check reads every content back."""
        pid = self.ok("POST", "/api/v1/parties", {"kind": "organization",
                                                  "name": "Archief %s" % word()}, 201)["id"]
        data = ("Offerte %s\n" % word()).encode() * 200
        st, _, raw = self.client.raw("POST", "/api/v1/documents?record=party:%d" % pid, data,
                                     {"Content-Type": "text/plain", "X-Filename": "offerte.txt"})
        self.assertEqual(st, 201, raw)
        digest = hashlib.sha256(data).hexdigest()
        backup = os.path.join(self.tmp.name, "docs-%s.backup" % word())
        r = self.cli("backup", "--db", self.server.db, backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        if not PG_URL:
            with open(os.path.join(backup + ".files", digest[:2], digest), "rb") as f:
                self.assertEqual(f.read(), data)
        target = self.new_db()
        r = self.cli("restore", backup, "--db", target)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cli("check", "--db", target)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stdout, r"documents: ok \(\d+ contents\)")
        if PG_URL:
            return
        content = os.path.join(target + ".files", digest[:2], digest)
        with open(content, "rb") as f:
            self.assertEqual(f.read(), data)
        # a content that went missing, or changed, is named by check
        with open(content, "wb") as f:
            f.write(b"changed")
        r = self.cli("check", "--db", target)
        self.assertEqual(r.returncode, 1)
        self.assertIn("documents: FAILED: the content %s... is changed" % digest[:16], r.stdout)
        os.unlink(content)
        r = self.cli("check", "--db", target)
        self.assertIn("documents: FAILED: the content %s... is missing" % digest[:16], r.stdout)


if __name__ == "__main__":
    unittest.main()
