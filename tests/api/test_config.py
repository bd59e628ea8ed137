"""Configuration: every option from the command line, the environment (XRM_<NAME>)
or the config file (--config FILE, XRM_CONFIG), in that order of precedence;
`xrm config check` shows each of serve's settings with its source; a wrong file or
value is one clear line and exit 1."""

import http.client
import os
import select
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import ADMIN_PASSWORD, find_bin, run_cli, sanitizer_env, sanitizer_report

BIN = find_bin()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Its own SQLite file, whatever XRM_TEST_PG_URL says: scripts/test-pg.sh leaves it out.
ENGINE_INDEPENDENT = True


class ConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="xrm-config-")
        cls.db = os.path.join(cls.tmp.name, "xrm.db")
        r = run_cli(BIN, "init", "--db", cls.db, env_extra={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD})
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def xrm(self, *args, env=None):
        # no XRM_ setting of the caller's environment leaks into these tests
        clean = {k: "" for k in os.environ if k.startswith("XRM_") and k != "XRM_BIN"}
        clean.update(env or {})
        r = run_cli(BIN, *args, env_extra=clean)
        for stream in (r.stdout, r.stderr):
            m = sanitizer_report(stream)
            if m:
                self.fail("sanitizer report (%s) from xrm %s:\n%s" % (m, " ".join(args), stream))
        return r

    def conf(self, text):
        fd, path = tempfile.mkstemp(suffix=".conf", dir=self.tmp.name)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        return path

    def serve(self, *args, env=None):
        """Starts xrm serve; returns the port of its 'listening on' line (and stops it)."""
        full = sanitizer_env()
        for k in list(full):
            if k.startswith("XRM_"):
                del full[k]
        full.update(env or {})
        proc = subprocess.Popen([BIN, "serve", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=full)
        try:
            fd, buf, deadline = proc.stdout.fileno(), b"", time.monotonic() + 60
            while b"\n" not in buf and time.monotonic() < deadline:
                if select.select([fd], [], [], 0.2)[0]:
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        break
                    buf += chunk
                elif proc.poll() is not None:
                    break
            line = buf.decode().split("\n")[0]
            self.assertTrue(line.startswith("listening on http://"),
                            "no 'listening on' line: %r, stderr %s"
                            % (buf, proc.stderr.read().decode() if proc.poll() is not None else ""))
            host, _, port = line[len("listening on http://"):].rpartition(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request("GET", "/healthz")
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()
            return int(port)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
            self.assertIsNone(sanitizer_report(err.decode("utf-8", "replace")), err)

    def check_lines(self, r):
        """config check's output as {name: (value, source)}."""
        out = {}
        for line in r.stdout.splitlines():
            if line.startswith("#") or " = " not in line:
                continue
            name, _, rest = line.partition(" = ")
            value, _, src = rest.rpartition("(")
            out[name.strip()] = (value.strip(), src.rstrip(")"))
        return out

    # -- serve from the environment and the file -----------------------------

    def test_environment_sets_db_and_listen(self):
        port = free_port()
        got = self.serve(env={"XRM_DB": self.db, "XRM_LISTEN": "127.0.0.1:%d" % port})
        self.assertEqual(got, port)

    def test_config_file_sets_db_and_listen(self):
        port = free_port()
        path = self.conf("# xrm settings\n\ndb = %s\nlisten = \"127.0.0.1:%d\"\n" % (self.db, port))
        self.assertEqual(self.serve("--config", path), port)

    def test_command_line_beats_environment_beats_file(self):
        p_file, p_env, p_cmd = free_port(), free_port(), free_port()
        path = self.conf("db = %s\nlisten = 127.0.0.1:%d\n" % (self.db, p_file))
        env = {"XRM_CONFIG": path, "XRM_LISTEN": "127.0.0.1:%d" % p_env}
        self.assertEqual(self.serve("--listen", "127.0.0.1:%d" % p_cmd, env=env), p_cmd)
        r = self.xrm("config", "check", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.check_lines(r)
        self.assertEqual(lines["listen"], ("127.0.0.1:%d" % p_env, "environment XRM_LISTEN"))
        self.assertEqual(lines["db"], (self.db, "config %s:1" % path))

    # -- xrm config check ------------------------------------------------------

    def test_check_prints_every_setting_with_its_source(self):
        path = self.conf("db = %s\n# a comment\nthreads = 3\nformat = csv\n" % self.db)
        r = self.xrm("config", "check", "--config", path, env={
            "XRM_IDLE_TIMEOUT": "45",
            "XRM_SMTP_URL": "smtp://mailer:s3cret-pw@mail.example.test:587",
            "XRM_READ_REPLICA": "postgres://xrm:replica-pw@10.0.0.2/xrm",
        })
        # format is an option of xrm export: no error for serve's check
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.check_lines(r)
        self.assertEqual(lines["threads"], ("3", "config %s:3" % path))
        self.assertEqual(lines["idle-timeout"], ("45", "environment XRM_IDLE_TIMEOUT"))
        self.assertEqual(lines["listen"], ("127.0.0.1:8080", "default"))
        self.assertEqual(lines["smtp"][1], "environment XRM_SMTP_URL")
        self.assertNotIn("s3cret-pw", r.stdout)
        self.assertNotIn("replica-pw", r.stdout)
        self.assertIn("***", lines["read-replica"][0])
        self.assertIn("10.0.0.2", lines["read-replica"][0])
        for name in ("db", "listen", "threads", "write-workers", "max-upload", "public-url"):
            self.assertIn(name, lines)

    def test_check_names_each_problem(self):
        path = self.conf("db = %s\nthreads = lots\nidle-timeout = 0\nlisten = nowhere\n" % self.db)
        r = self.xrm("config", "check", "--config", path)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.splitlines()
        self.assertEqual(len(err), 3, r.stderr)
        self.assertIn("--threads", err[0])
        self.assertIn("%s:2" % path, err[0])
        self.assertIn("%s:3" % path, err[1])
        self.assertIn("HOST:PORT", err[2])
        # serve refuses the same value, naming where it came from
        r = self.xrm("serve", env={"XRM_DB": self.db, "XRM_THREADS": "0"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("environment XRM_THREADS", r.stderr)
        # no database anywhere
        r = self.xrm("config", "check")
        self.assertEqual(r.returncode, 1)
        self.assertIn("db is not set", r.stderr)

    def test_wrong_file_is_one_line_and_exit_1(self):
        for text, want in (
            ("db = x.db\n\nlsiten = 127.0.0.1:80\n", "unknown setting 'lsiten'"),
            ("db = x.db\nlisten 127.0.0.1:80\n", "'='"),
            ("db = \"x.db\n", "closing"),
        ):
            path = self.conf(text)
            for args in (("config", "check", "--config", path),
                         ("serve", "--config", path),
                         ("token", "create", "--user", "admin", "--config", path)):
                r = self.xrm(*args)
                self.assertEqual(r.returncode, 1, (args, r.stderr))
                self.assertIn(want, r.stderr)
                self.assertIn(path, r.stderr)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        path = self.conf("db = x.db\n\nlsiten = 127.0.0.1:80\n")
        self.assertIn("line 3", self.xrm("config", "check", "--config", path).stderr)
        missing = os.path.join(self.tmp.name, "missing.conf")
        for env, args in (({}, ("--config", missing)), ({"XRM_CONFIG": missing}, ())):
            r = self.xrm("config", "check", *args, env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn("missing.conf", r.stderr)
        # XRM_CONFIG empty: no file at all
        r = self.xrm("config", "check", env={"XRM_CONFIG": "", "XRM_DB": self.db})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("config file: none", r.stdout)

    # -- other commands ----------------------------------------------------------

    def test_db_from_environment_or_file_for_any_command(self):
        r = self.xrm("token", "create", "--user", "admin", env={"XRM_DB": self.db})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(len(r.stdout.strip()), 20)
        path = self.conf("db = %s\n" % self.db)
        r = self.xrm("token", "create", "--user", "admin", env={"XRM_CONFIG": path})
        self.assertEqual(r.returncode, 0, r.stderr)
        # flags: XRM_JSON=yes is --json
        r = self.xrm("retention", "run", "--dry-run", env={"XRM_DB": self.db, "XRM_JSON": "yes"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.lstrip().startswith(("{", "[")), r.stdout)
        r = self.xrm("retention", "run", "--dry-run", env={"XRM_DB": self.db, "XRM_JSON": "perhaps"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("XRM_JSON", r.stderr)
        # still a wrong command line without any --db: exit 2, not 1
        r = self.xrm("token", "create", "--user", "admin")
        self.assertEqual(r.returncode, 2)

    def test_help_shows_config(self):
        for cmd in ("serve", "token", "config"):
            r = self.xrm(cmd, "--help")
            self.assertEqual(r.returncode, 0)
            self.assertIn("--config FILE", r.stdout)

    def test_old_environment_names_still_work(self):
        r = self.xrm("config", "check", env={"XRM_DB": self.db, "XRM_TRUSTED_PROXIES": "10.9.8.7"})
        self.assertEqual(self.check_lines(r)["trusted-proxy"],
                         ("10.9.8.7", "environment XRM_TRUSTED_PROXIES"))
        # serve reads it: a bad proxy address stops the start
        r = self.xrm("serve", "--listen", "127.0.0.1:0",
                     env={"XRM_DB": self.db, "XRM_TRUSTED_PROXIES": "not-an-address"})
        self.assertEqual(r.returncode, 1)
        self.assertIn("trusted proxy 'not-an-address'", r.stderr)


if __name__ == "__main__":
    unittest.main()
