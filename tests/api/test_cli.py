"""The command line: help, exit codes scripts can trust, init / user / token,
and serve's start-up errors and clean stop on SIGTERM and SIGINT."""

import os
import re
import signal
import socket
import tempfile
import unittest

from harness import ADMIN_PASSWORD, Server, find_bin, run_cli, sanitizer_report

BIN = find_bin()
CORE_COMMANDS = ("serve", "init", "user", "token")

# Every test here works on a SQLite file of its own (--db in its temporary folder), whatever
# XRM_TEST_PG_URL says: scripts/test-pg.sh leaves it out instead of running it twice.
ENGINE_INDEPENDENT = True


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="xrm-cli-")
        self.addCleanup(self.tmp.cleanup)
        self.db = os.path.join(self.tmp.name, "xrm.db")

    def xrm(self, *args, env=None, timeout=120):
        r = run_cli(BIN, *args, env_extra=env, timeout=timeout)
        for stream in (r.stdout, r.stderr):
            m = sanitizer_report(stream)
            if m:
                self.fail("sanitizer report (%s) from xrm %s:\n%s" % (m, " ".join(args), stream))
        return r

    def init(self):
        r = self.xrm("init", "--db", self.db, env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def assert_fails_cleanly(self, r, what):
        self.assertNotEqual(r.returncode, 0, "%s: exit code 0" % what)
        self.assertLess(r.returncode, 128, "%s: killed by a signal? (%d)" % (what, r.returncode))
        self.assertTrue(r.stderr.strip(), "%s: no message on stderr" % what)


class HelpTest(CliTestCase):
    def commands(self):
        r = self.xrm("--help")
        self.assertEqual(r.returncode, 0)
        cmds = re.findall(r"^\s{2}([a-z][a-z-]*)\s{2,}\S", r.stdout, re.M)
        return cmds

    def test_help_exits_0_and_lists_commands(self):
        r = self.xrm("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("usage", r.stdout.lower())
        cmds = self.commands()
        for c in CORE_COMMANDS:
            self.assertIn(c, cmds, "xrm --help does not list %r" % c)

    def test_every_command_has_help(self):
        for cmd in self.commands():
            for flag in ("--help", "-h"):
                with self.subTest(cmd=cmd, flag=flag):
                    r = self.xrm(cmd, flag)
                    self.assertEqual(r.returncode, 0, "xrm %s %s: %s" % (cmd, flag, r.stderr))
                    self.assertIn("usage", r.stdout.lower())
                    self.assertIn(cmd, r.stdout)

    def test_subcommand_help_after_verb(self):
        for args in (("token", "create", "--help"), ("user", "add", "--help")):
            with self.subTest(args=args):
                r = self.xrm(*args)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("usage", r.stdout.lower())

    def test_version(self):
        r = self.xrm("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"\d+\.\d+")

    def test_unknown_command_one_line_error(self):
        r = self.xrm("frobnicate")
        self.assert_fails_cleanly(r, "unknown command")
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, "stderr is not one line: %r" % r.stderr)
        self.assertIn("frobnicate", lines[0])
        self.assertEqual(r.stdout, "")

    def test_no_command_fails(self):
        r = self.xrm()
        self.assert_fails_cleanly(r, "no command")

    def test_unknown_option_fails(self):
        for args in (("serve", "--db", self.db, "--bogus"), ("init", "--frob"),
                     ("token", "create", "--db", self.db, "--user", "admin", "--x")):
            with self.subTest(args=args):
                self.assert_fails_cleanly(self.xrm(*args), " ".join(args))

    def test_wrong_usage_is_exit_2_and_one_line(self):
        # Every subcommand parses its options the same way: a mistake in the
        # command line is exit status 2 and one line naming it, before any
        # database is opened or created.
        verbs = {"token": ["create"], "user": ["add"], "retention": ["run"],
                 "automation": ["run"], "partners": ["tiers"],  # partners: tier evaluation
                 "config": ["check"],  # configuration
                 "duplicates": ["scan"], "invoices": ["overdue"]}
        for cmd in self.commands():
            base = [cmd] + verbs.get(cmd, [])
            for extra, needle in ((["--no-such-option", "--db", self.db], "--no-such-option"),
                                  (["-Z"], "-Z"),
                                  (["--db"], "--db")):
                args = base + extra
                with self.subTest(args=args):
                    r = self.xrm(*args)
                    self.assertEqual(r.returncode, 2, "%s: %r" % (args, r.stderr))
                    lines = r.stderr.strip().splitlines()
                    self.assertEqual(len(lines), 1, "stderr is not one line: %r" % r.stderr)
                    self.assertIn(needle, lines[0])
                    self.assertEqual(r.stdout, "")
                    self.assertFalse(os.path.exists(self.db), "a wrong command line made a database")

    def test_help_lists_each_option(self):
        r = self.xrm("serve", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for opt in ("--db", "--listen", "--threads", "--web", "--write-workers", "--read-replica",
                    "--replica-window", "--response-cache", "--max-conn-per-ip",
                    "--idle-timeout", "--trusted-proxy", "--help"):
            self.assertIn(opt, r.stdout)

    def test_missing_db_option_fails(self):
        for args in (("serve",), ("init",), ("token", "create", "--user", "admin")):
            with self.subTest(args=args):
                self.assert_fails_cleanly(self.xrm(*args), " ".join(args))


class InitTest(CliTestCase):
    def test_init_then_again_fails(self):
        self.init()
        r = self.xrm("init", "--db", self.db, env={"XRM_ADMIN_PASSWORD": "other-password"})
        self.assert_fails_cleanly(r, "second init")
        # The first admin password still works: the database was not touched.
        srv = Server(workdir=self.tmp.name, db=self.db)
        srv.token = srv.make_token("admin")
        srv.start()
        try:
            c = srv.client(token=None)
            st, _, js = c.req("POST", "/api/v1/session",
                              {"user": "admin", "password": ADMIN_PASSWORD, "bearer": True})
            self.assertIn(st, (200, 201), js)
            st, _, js = c.req("POST", "/api/v1/session",
                              {"user": "admin", "password": "other-password", "bearer": True})
            self.assertEqual(st, 401)
            c.close()
        finally:
            rc, err = srv.stop()
            srv.cleanup()
        self.assertEqual(rc, 0, err)
        self.assertIsNone(sanitizer_report(err), err)

    def test_init_without_password_prints_a_working_one(self):
        env = {"XRM_ADMIN_PASSWORD": ""}
        r = self.xrm("init", "--db", self.db, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"password:\s*(\S+)", r.stdout)
        self.assertTrue(m, "no generated password in %r" % r.stdout)
        pw = m.group(1)
        self.assertGreaterEqual(len(pw), 12)
        srv = Server(workdir=self.tmp.name, db=self.db)
        srv.start()
        try:
            c = srv.client(token=None)
            st, _, js = c.req("POST", "/api/v1/session",
                              {"user": "admin", "password": pw, "bearer": True})
            self.assertIn(st, (200, 201), js)
            c.close()
        finally:
            rc, err = srv.stop()
            srv.cleanup()
        self.assertEqual(rc, 0, err)

    def test_init_in_missing_directory_fails(self):
        r = self.xrm("init", "--db", os.path.join(self.tmp.name, "no", "such", "dir", "x.db"),
                     env={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})
        self.assert_fails_cleanly(r, "init in a missing directory")


class TokenUserCliTest(CliTestCase):
    def test_token_create_prints_only_a_token(self):
        self.init()
        r = self.xrm("token", "create", "--db", self.db, "--user", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        self.assertRegex(lines[0], r"^\S{20,}$")

    def test_token_for_missing_user_fails(self):
        self.init()
        r = self.xrm("token", "create", "--db", self.db, "--user", "nobody")
        self.assert_fails_cleanly(r, "token for a missing user")
        self.assertEqual(r.stdout, "", "a token was printed for a missing user")

    def test_token_on_uninitialised_db_fails(self):
        r = self.xrm("token", "create", "--db", self.db, "--user", "admin")
        self.assert_fails_cleanly(r, "token on an empty database")
        self.assertEqual(r.stdout, "")

    def test_token_needs_create_verb(self):
        self.init()
        self.assert_fails_cleanly(self.xrm("token", "--db", self.db, "--user", "admin"),
                                  "token without verb")
        self.assert_fails_cleanly(self.xrm("token", "delete", "--db", self.db),
                                  "token with an unknown verb")

    def test_user_add_and_login(self):
        self.init()
        r = self.xrm("user", "add", "--db", self.db, "marieke",
                     env={"XRM_PASSWORD": "marieke-password"})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.xrm("user", "add", "--db", self.db, "marieke",
                     env={"XRM_PASSWORD": "marieke-password"})
        self.assert_fails_cleanly(r, "duplicate user")
        r = self.xrm("user", "add", "--db", self.db, "kortpw", env={"XRM_PASSWORD": "kort"})
        self.assert_fails_cleanly(r, "short password")
        srv = Server(workdir=self.tmp.name, db=self.db)
        srv.start()
        try:
            c = srv.client(token=None)
            st, _, js = c.req("POST", "/api/v1/session",
                              {"user": "marieke", "password": "marieke-password", "bearer": True})
            self.assertIn(st, (200, 201), js)
            self.assertTrue(js.get("token"))
            c.token = js["token"]
            st, _, _ = c.req("POST", "/api/v1/users", {"name": "x_" + "y", "password": "z" * 12})
            self.assertEqual(st, 403, "a user added without --admin may create users")
            st, _, _ = c.req("POST", "/api/v1/session",
                             {"user": "kortpw", "password": "kort", "bearer": True})
            self.assertEqual(st, 401)
            c.close()
        finally:
            rc, err = srv.stop()
            srv.cleanup()
        self.assertEqual(rc, 0, err)


class ServeTest(CliTestCase):
    def test_bad_listen_fails(self):
        self.init()
        for listen in ("bad", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:99999",
                       "127.0.0.1:-1", "127.0.0.1:http", "999.1.1.1:0", "not a host:0"):
            with self.subTest(listen=listen):
                r = self.xrm("serve", "--db", self.db, "--listen", listen, timeout=30)
                self.assert_fails_cleanly(r, "--listen %s" % listen)
                self.assertNotIn("listening on", r.stdout)

    def test_port_in_use_fails(self):
        self.init()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            port = s.getsockname()[1]
            r = self.xrm("serve", "--db", self.db, "--listen", "127.0.0.1:%d" % port, timeout=30)
            self.assert_fails_cleanly(r, "port in use")
        finally:
            s.close()

    def test_bad_threads_fails(self):
        self.init()
        for n in ("0", "-3", "many", "100000"):
            with self.subTest(threads=n):
                r = self.xrm("serve", "--db", self.db, "--listen", "127.0.0.1:0", "--threads", n,
                             timeout=30)
                self.assert_fails_cleanly(r, "--threads %s" % n)

    def stop_with(self, sig):
        self.init()
        srv = Server(workdir=self.tmp.name, db=self.db)
        srv.token = srv.make_token("admin")
        srv.start()
        try:
            c = srv.client()
            st, _, js = c.req("POST", "/api/v1/parties", {"kind": "person", "family_name": "Stop"})
            self.assertEqual(st, 201, js)
            # Leave a keep-alive connection open while the server stops.
            st, _, _ = c.req("GET", "/api/v1/parties")
            self.assertEqual(st, 200)
            rc, err = srv.stop(sig)
            c.close()
        finally:
            srv.cleanup()
        self.assertIsNone(sanitizer_report(err), err)
        self.assertEqual(rc, 0, "exit code after signal %d: %r\n%s" % (sig, rc, err))

    def test_sigterm_exits_0(self):
        self.stop_with(signal.SIGTERM)

    def test_sigint_exits_0(self):
        self.stop_with(signal.SIGINT)

    def test_restart_keeps_data(self):
        self.init()
        srv = Server(workdir=self.tmp.name, db=self.db)
        srv.token = srv.make_token("admin")
        srv.start()
        try:
            c = srv.client()
            st, _, p = c.req("POST", "/api/v1/parties",
                             {"kind": "organization", "name": "Blijft Bestaan", "kvk": "11223344"})
            self.assertEqual(st, 201, p)
            c.close()
            rc, err = srv.stop()
            self.assertEqual(rc, 0, err)
            srv.start()
            c = srv.client()
            st, _, got = c.req("GET", "/api/v1/parties/%d" % p["id"])
            self.assertEqual(st, 200)
            self.assertEqual(got["kvk"], "11223344")
            c.close()
            rc, err = srv.stop()
            self.assertEqual(rc, 0, err)
            self.assertIsNone(sanitizer_report(err), err)
        finally:
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
