"""Test harness for the xrm HTTP API tests (Python 3.11 standard library and jsonschema).

Each TestCase class gets its own server on a fresh database: setUpClass creates
a temporary directory, runs `xrm init` and `xrm token create`, starts
`xrm serve --listen 127.0.0.1:0` and reads the `listening on http://HOST:PORT`
line. tearDownClass sends SIGTERM and fails when the server does not exit 0 or
when its stderr holds a sanitizer report. After every test the server must
still be running with a clean stderr, so a crash is blamed on the test that
caused it.

The binary comes from XRM_BIN (default build/san/xrm, relative to the current
directory or else to the repository root).

Every JSON answer a Client receives is validated against the server's OpenAPI
document (ApiDocument): the schema for its route and status, so an answer with
a field the document does not list fails the test that received it.

The engine is SQLite (a file in the temporary directory) unless XRM_TEST_PG_URL
names a PostgreSQL server (postgres://USER@HOST:PORT, a user who may create
databases): then every server gets a fresh database there, dropped at cleanup
(scripts/test-pg.sh sets this up).

Set-up cache: `xrm init` (with the admin token) and `xrm demo` are the slow part
of a server's set-up under the sanitizers, more so on PostgreSQL. A Server on a
database the harness chose starts from a copy of one that the same binary made
with the same XRM_* environment: a copied SQLite file, or a PostgreSQL
database created WITH TEMPLATE. `xrm demo --db DB` through run_cli on such a
database that nothing has touched since (no other command, not started) is
answered the same way from a copy of a demo database made once that UTC day
(the demo's "today"), with the returncode, stdout and stderr of that real run.
The copies live in XRM_TEST_CACHE_DIR (scripts/run-unittest.py shares one
between its processes and removes it) or else in a directory of this process.
XRM_TEST_CACHE=0 runs init and demo for every server.
"""

import atexit
import fcntl
import hashlib
import http.client
import json
import marshal
import os
import random
import re
import select
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADMIN_PASSWORD = "admin-password-for-tests"
START_TIMEOUT = 60
STOP_TIMEOUT = 60
SANITIZER_MARKERS = (
    "ERROR: AddressSanitizer",
    "runtime error:",
    "LeakSanitizer",
    "ERROR: ThreadSanitizer",
    "SUMMARY: UndefinedBehaviorSanitizer",
)


PG_URL = os.environ.get("XRM_TEST_PG_URL", "").rstrip("/")


def _psql(sql):
    r = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", PG_URL + "/postgres", "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if r.returncode != 0:
        raise RuntimeError("psql %r failed: %s" % (sql, r.stderr))


def new_database(workdir):
    """(target for --db, PostgreSQL database name or None) of a fresh, empty database."""
    if not PG_URL:
        return os.path.join(workdir, "xrm.db"), None
    name = "xrm_" + "".join(random.choice(string.ascii_lowercase) for _ in range(12))
    _psql("CREATE DATABASE %s" % name)
    return PG_URL + "/" + name, name


def drop_database(name):
    if name:
        _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)


# -- set-up cache (see the module's docstring) --------------------------------

_CACHE_ON = os.environ.get("XRM_TEST_CACHE", "1") != "0"
# Variables that name binaries or steer the tests, not what init or demo make.
_CACHE_ENV_IGNORED = {
    "XRM_BIN", "XRM_RELEASE_BIN", "XRM_CONFORMANCE_BIN", "XRM_TEST_PG_URL", "XRM_TEST_CACHE",
    "XRM_TEST_CACHE_DIR", "XRM_TEST_JOBS", "XRM_API_VALIDATE",
}
_cache_dir = None
_PRISTINE = {}  # db -> (Server, init cache key): fresh from a cached init, untouched since
_SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _cache_root():
    global _cache_dir
    if _cache_dir is None:
        shared = os.environ.get("XRM_TEST_CACHE_DIR")
        if shared:
            os.makedirs(shared, exist_ok=True)
            _cache_dir = shared
        else:
            _cache_dir = tempfile.mkdtemp(prefix="xrm-api-cache-")
            atexit.register(clear_cache, _cache_dir)
    return _cache_dir


def clear_cache(root):
    """Drops the PostgreSQL template databases a cache made and removes its directory."""
    if PG_URL and os.path.isdir(root):
        for f in sorted(os.listdir(root)):
            if f.endswith(".json"):
                try:
                    with open(os.path.join(root, f)) as fh:
                        name = json.load(fh).get("pg")
                    drop_database(name)
                except (OSError, ValueError, RuntimeError):
                    pass
    shutil.rmtree(root, ignore_errors=True)


def _cache_key(*parts):
    env = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith("XRM_") and k not in _CACHE_ENV_IGNORED
    )
    text = "\0".join([*map(str, parts), PG_URL, repr(env)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _binary_id(binary):
    st = os.stat(binary)
    return "%s:%d:%d" % (os.path.realpath(binary), st.st_mtime_ns, st.st_size)


def _cached(key, make):
    """The meta dict of cache entry key; make(path stem) makes it once, under a lock
    shared by every process of the run. A make that raises leaves no entry."""
    root = _cache_root()
    stem = os.path.join(root, key)
    with open(stem + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(stem + ".json"):
            with open(stem + ".json") as f:
                return json.load(f)
        meta = make(stem)
        with open(stem + ".tmp", "w") as f:
            json.dump(meta, f)
        os.replace(stem + ".tmp", stem + ".json")
        return meta


def _template_db(stem):
    """(target for --db, PostgreSQL database name or None) of a new cache database."""
    if not PG_URL:
        os.makedirs(stem, exist_ok=True)
        return os.path.join(stem, "xrm.db"), None
    name = "xrm_tpl_" + os.path.basename(stem)
    _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
    _psql("CREATE DATABASE %s" % name)
    return PG_URL + "/" + name, name


def _copy_db(meta, db, pg_name):
    """Makes database db (PostgreSQL: pg_name) a copy of the cache entry meta."""
    if meta.get("pg"):
        r = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", PG_URL + "/postgres",
             "-c", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % pg_name,
             # FILE_COPY copies the files (the cluster runs with fsync off); the
             # default, WAL_LOG, writes every block of the template to the WAL
             "-c", "CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY" % (pg_name, meta["pg"])],
            capture_output=True, text=True, timeout=120,
        )
        if r.returncode != 0:
            raise RuntimeError("copying database %s failed: %s" % (meta["pg"], r.stderr))
        return
    for suffix in _SQLITE_SUFFIXES:
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
        if os.path.exists(meta["db"] + suffix):
            shutil.copyfile(meta["db"] + suffix, db + suffix)


class _Default:
    def __repr__(self):
        return "DEFAULT"


DEFAULT = _Default()  # "use the class's token" (token=None sends no Authorization)


def find_bin(env="XRM_BIN", default="build/san/xrm"):
    """The binary named by env (or default), relative to cwd or the repo root."""
    path = os.environ.get(env) or default
    if os.path.isabs(path):
        return path
    if os.path.exists(path):
        return os.path.abspath(path)
    return os.path.join(ROOT, path)


def sanitizer_env():
    env = dict(os.environ)
    asan = "detect_leaks=1:halt_on_error=1:abort_on_error=0"
    ubsan = "print_stacktrace=1:halt_on_error=1"
    env["ASAN_OPTIONS"] = asan + (":" + env["ASAN_OPTIONS"] if env.get("ASAN_OPTIONS") else "")
    env["UBSAN_OPTIONS"] = ubsan + (
        ":" + env["UBSAN_OPTIONS"] if env.get("UBSAN_OPTIONS") else ""
    )
    # one-time caches of libraries (fontconfig, for the PDF renderer): tests/lsan.supp
    lsan = "suppressions=%s:print_suppressions=0" % os.path.join(ROOT, "tests", "lsan.supp")
    env["LSAN_OPTIONS"] = lsan + (":" + env["LSAN_OPTIONS"] if env.get("LSAN_OPTIONS") else "")
    return env


def sanitizer_report(text):
    """The sanitizer marker found in text, or None."""
    for m in SANITIZER_MARKERS:
        if m in text:
            return m
    return None


def run_cli(binary, *args, env_extra=None, timeout=120, input_text=None):
    """Runs `xrm args...`; returns CompletedProcess with text stdout/stderr.
    `demo --db DB` on a database fresh from a cached init is a cached copy."""
    if "--db" in args[:-1] and _PRISTINE:
        db = args[args.index("--db") + 1]
        fresh = _PRISTINE.pop(db, None)  # any command may change it
        if (fresh and args == ("demo", "--db", db) and env_extra is None and input_text is None
                and binary == fresh[0].binary):
            return fresh[0]._demo_from_cache(fresh[1])[0]
    return _run_cli(binary, *args, env_extra=env_extra, timeout=timeout, input_text=input_text)


def _run_cli(binary, *args, env_extra=None, timeout=120, input_text=None):
    env = sanitizer_env()
    if env_extra:
        env.update(env_extra)
    return subprocess.run(
        [binary, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        input=input_text,
    )


def q(**params):
    """A URL query string ("?a=b&c=d") with proper encoding of every value."""
    return "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def word(n=8):
    """A random lowercase word, unique enough to search for in a shared database."""
    return "".join(random.choice(string.ascii_lowercase) for _ in range(n))


class Server:
    """One xrm server process on its own database in a temporary directory."""

    def __init__(self, binary=None, workdir=None, db=None):
        self.binary = binary or find_bin()
        self._tmp = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="xrm-api-")
            workdir = self._tmp.name
        self.workdir = workdir
        self._pg_name = None
        self._fresh = db is None  # the harness chose the database: init may copy a cached one
        if db is None:
            db, self._pg_name = new_database(workdir)
        self.db = db
        self.proc = None
        self.host = None
        self.port = None
        self.token = None
        self.stdout_lines = []
        self.scheme = None  # "http", or "https" with --tls-cert
        self._stderr_path = None
        self._stderr_file = None
        self._reader = None
        self.starts = 0

    # -- set-up -------------------------------------------------------------

    def init(self):
        if not os.path.exists(self.binary):
            raise RuntimeError(
                "xrm binary %s does not exist (build it: make build/san/xrm build/xrm)"
                % self.binary
            )
        fresh, self._fresh = self._fresh and self.starts == 0, False
        if not (fresh and _CACHE_ON):
            self.token = self._init(self.db)
            return self
        key = _cache_key("init", _binary_id(self.binary))

        def make(stem):
            db, name = _template_db(stem)
            try:
                return {"db": db, "pg": name, "token": self._init(db)}
            except Exception:
                drop_database(name)
                raise

        meta = _cached(key, make)
        _copy_db(meta, self.db, self._pg_name)
        self.token = meta["token"]
        _PRISTINE[self.db] = (self, key)
        return self

    def _init(self, db):
        """Runs `xrm init` and `xrm token create --user admin` on db; returns the token."""
        r = _run_cli(
            self.binary, "init", "--db", db, env_extra={"XRM_ADMIN_PASSWORD": ADMIN_PASSWORD}
        )
        if r.returncode != 0:
            raise RuntimeError("xrm init failed (%d): %s" % (r.returncode, r.stderr))
        self._check_cli_stderr("init", r.stderr)
        return self._token(db, "admin")

    def _demo_from_cache(self, init_key, users=()):
        """`xrm demo` on this server's database fresh from the cached init init_key:
        a copy of the demo database made once (today, the demo's "today"), with
        a token for each of users made on it. Returns (CompletedProcess, tokens)."""
        key = _cache_key("demo", init_key, time.strftime("%Y-%m-%d", time.gmtime()), *users)
        failed = []

        def make(stem):
            db, name = _template_db(stem)
            try:
                _copy_db(_cached(init_key, None), db, name)
                r = _run_cli(self.binary, "demo", "--db", db)
                if r.returncode == 0:
                    self._check_cli_stderr("demo", r.stderr)
                tokens = {u: self._token(db, u) for u in users} if r.returncode == 0 else {}
            except Exception:
                drop_database(name)
                raise
            if r.returncode != 0:
                drop_database(name)
                failed.append(r)
                raise RuntimeError("xrm demo failed")
            return {"db": db, "pg": name, "returncode": r.returncode, "stdout": r.stdout,
                    "stderr": r.stderr, "tokens": tokens}

        try:
            meta = _cached(key, make)
        except RuntimeError:
            if failed:
                return failed[0], {}  # the caller reports it as it would without the cache
            raise
        _copy_db(meta, self.db, self._pg_name)
        return subprocess.CompletedProcess(
            [self.binary, "demo", "--db", self.db], meta["returncode"], meta["stdout"],
            meta["stderr"],
        ), dict(meta["tokens"])

    def load_demo(self, users=()):
        """`xrm demo` on this (not yet started) server's database, then a token for
        each of users; returns {user: token}. From the set-up cache when the
        database is fresh from a cached init."""
        if self.alive():
            raise RuntimeError("load_demo before start: the server reads the demo at start")
        fresh = _PRISTINE.pop(self.db, None)
        if fresh and fresh[0] is self:
            r, tokens = self._demo_from_cache(fresh[1], tuple(users))
        else:
            r = _run_cli(self.binary, "demo", "--db", self.db)
            tokens = None
        if r.returncode != 0:
            raise RuntimeError("xrm demo failed (%d): %s" % (r.returncode, r.stderr))
        self._check_cli_stderr("demo", r.stderr)
        if tokens is None:
            tokens = {u: self._token(self.db, u) for u in users}
        return tokens

    def make_token(self, user):
        _PRISTINE.pop(self.db, None)
        return self._token(self.db, user)

    def _token(self, db, user):
        r = _run_cli(self.binary, "token", "create", "--db", db, "--user", user)
        if r.returncode != 0:
            raise RuntimeError("xrm token create failed (%d): %s" % (r.returncode, r.stderr))
        self._check_cli_stderr("token create", r.stderr)
        tok = r.stdout.strip()
        if not tok or "\n" in tok or " " in tok:
            raise RuntimeError("xrm token create printed more than a token: %r" % r.stdout)
        return tok

    def _check_cli_stderr(self, what, err):
        m = sanitizer_report(err)
        if m:
            raise RuntimeError("sanitizer report (%s) from xrm %s:\n%s" % (m, what, err))

    def start(self, extra_args=(), env_extra=None):
        """Starts `xrm serve` and waits for its `listening on` line.

        The access log (one line per request) is off unless extra_args turn
        it on: the suites make many requests and read stderr after each test.
        """
        self.starts += 1
        _PRISTINE.pop(self.db, None)
        self._stderr_path = os.path.join(self.workdir, "stderr-%d.txt" % self.starts)
        self._stderr_file = open(self._stderr_path, "wb")
        self.stdout_lines = []
        if not any(str(a).startswith("--access-log") for a in extra_args):
            extra_args = ("--access-log", "off", *extra_args)
        env = sanitizer_env()
        env.update(env_extra or {})
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:0", *extra_args],
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            env=env,
        )
        deadline = time.monotonic() + START_TIMEOUT
        buf = b""
        line = None
        fd = self.proc.stdout.fileno()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                buf += chunk
                if b"\n" in buf:
                    line, _, rest = buf.partition(b"\n")
                    line = line.decode("utf-8", "replace").strip()
                    self.stdout_lines.append(line)
                    buf = rest
                    if line.startswith(("listening on http://", "listening on https://")):
                        break
                    line = None
            elif self.proc.poll() is not None:
                break
        if not line:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(
                "xrm serve did not print 'listening on http://HOST:PORT' (stdout %r, rc %s)\n%s"
                % (buf, self.proc.returncode, self.stderr())
            )
        self.scheme, _, hostport = line[len("listening on ") :].partition("://")
        host, _, port = hostport.rpartition(":")
        self.host, self.port = host, int(port)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        return self

    def _drain(self):
        for raw in self.proc.stdout:
            self.stdout_lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    # -- state --------------------------------------------------------------

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stderr(self):
        if not self._stderr_path or not os.path.exists(self._stderr_path):
            return ""
        with open(self._stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def client(self, token=DEFAULT):
        return Client(self.host, self.port, self.token if token is DEFAULT else token)

    # -- tear-down ----------------------------------------------------------

    def stop(self, sig=signal.SIGTERM):
        """Sends sig, waits; returns (exit code, stderr)."""
        if self.proc is None:
            return None, ""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout: did not stop within %ds of signal %d" % (STOP_TIMEOUT, sig)
        if self._reader:
            self._reader.join(timeout=5)
        self.proc.stdout.close()
        self._stderr_file.close()
        err = self.stderr()
        self.proc = None
        return rc, err

    def kill(self):
        """SIGKILL: no chance to clean up (crash test)."""
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        _PRISTINE.pop(self.db, None)
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except Exception:
                pass
            self.proc = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        if self._pg_name:
            drop_database(self._pg_name)
            self._pg_name = None


def _fastjsonschema():
    """Debian's python3-fastjsonschema, or None. It lives in Debian's
    dist-packages, which a python3 of its own (pyenv, a venv) does not search."""
    try:
        import fastjsonschema
        return fastjsonschema
    except ImportError:
        pass
    debian = "/usr/lib/python3/dist-packages"
    if not os.path.isdir(os.path.join(debian, "fastjsonschema")):
        return None
    sys.path.append(debian)
    try:
        import fastjsonschema
        return fastjsonschema
    except ImportError:
        return None
    finally:
        sys.path.remove(debian)


def _drop_formats(schema):
    """schema without its "format" annotations (JSON Schema 2020-12 does not assert them)."""
    if isinstance(schema, dict):
        return {k: _drop_formats(v) for k, v in schema.items()
                if not (k == "format" and isinstance(v, str))}
    if isinstance(schema, list):
        return [_drop_formats(v) for v in schema]
    return schema


class ApiDocument:
    """The server's OpenAPI document (GET /api/v1/openapi.json), read once per
    process: every JSON answer a Client receives is validated against the
    schema the document gives for its route and status (draft 2020-12), so a
    field an answer gains without its schema fails the test that saw it.
    Set XRM_API_VALIDATE=0 to turn this off (when debugging a server change)."""

    _doc = None
    _ops = None
    _validators = {}
    _validators_lock = threading.Lock()
    _components_clean = None
    _doc_digest = None

    @classmethod
    def load(cls, host, port):
        if cls._doc is not None:
            return
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            conn.request("GET", "/api/v1/openapi.json")
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status != 200:
            raise AssertionError("GET /api/v1/openapi.json answered %d" % resp.status)
        doc = json.loads(body)
        ops = []
        for pattern, item in doc["paths"].items():
            rx = "^" + re.sub(r"\\\{id[0-9]*\\\}", "[1-9][0-9]*", re.escape(pattern))
            rx = rx.replace(r"\{name\}", "[^/]+") + "$"
            for method, op in item.items():
                ops.append((method.upper(), pattern, re.compile(rx), op))
        cls._ops = ops
        cls._doc = doc

    @classmethod
    def operation(cls, method, path):
        """(pattern, operation) of the route for method and path, or (None, None)."""
        path = path.split("?", 1)[0]
        for m, pattern, rx, op in cls._ops:
            if m == method and rx.match(path):
                return pattern, op
        return None, None

    @classmethod
    def _validator(cls, ref):
        """A function body -> None, or (path, message) of the first mismatch."""
        with cls._validators_lock:  # tests may send from several threads at once
            v = cls._validators.get(ref)
            if v is None:
                v = cls._fast_validator(ref) or cls._slow_validator(ref)
                cls._validators[ref] = v
        return v

    @classmethod
    def _slow_validator(cls, ref):
        import jsonschema  # Debian's python3-jsonschema (scripts/deps.sh test)

        # The wrapper holds the components, so "#/components/..." resolves in it.
        val = jsonschema.Draft202012Validator({"$ref": ref, "components": cls._doc["components"]})

        def first_error(body):
            err = next(iter(val.iter_errors(body)), None)
            if err is None:
                return None
            return "/".join(str(x) for x in err.absolute_path), err.message

        return first_error

    @classmethod
    def _fast_validator(cls, ref):
        """The same check compiled to Python by fastjsonschema (Debian's
        python3-fastjsonschema; about 15 times faster than jsonschema), or None
        when it is not installed. The document uses only keywords that draft 7
        reads as draft 2020-12 does ($ref without siblings, type, properties,
        required, additionalProperties, items, enum, anyOf, minimum, maximum,
        maxLength, pattern); "format" is left out, as jsonschema does not assert
        it either. The compiled code is kept in the set-up cache, so each run
        compiles a schema once for all its processes."""
        fjs = _fastjsonschema()
        if fjs is None:
            return None
        if cls._components_clean is None:
            cls._components_clean = _drop_formats(cls._doc["components"])
            cls._doc_digest = hashlib.sha256(
                json.dumps(cls._doc, sort_keys=True).encode()).hexdigest()
        key = hashlib.sha256(
            ("%s\0%s\0%s\0%s\0nodefault" % (cls._doc_digest, ref, fjs.VERSION, sys.version)
             ).encode()
        ).hexdigest()[:24]
        path = os.path.join(_cache_root(), "schema-%s.marshal" % key)
        code = None
        try:
            with open(path, "rb") as f:
                code = marshal.load(f)
        except (OSError, ValueError, EOFError, TypeError):
            source = fjs.compile_to_code({
                "$schema": "http://json-schema.org/draft-07/schema#", "$ref": ref,
                "components": cls._components_clean,
            }, use_default=False)  # check only: never add a default to the body
            code = compile(source, "<schema %s>" % ref, "exec")
            tmp = "%s.%d.%d.tmp" % (path, os.getpid(), threading.get_ident())
            with open(tmp, "wb") as f:
                marshal.dump(code, f)
            os.replace(tmp, path)
        ns = {}
        exec(code, ns)
        validate = ns["validate"]

        def first_error(body):
            try:
                validate(body)
            except fjs.JsonSchemaValueException as e:
                at = (e.name or "data")[len("data"):].lstrip(".")
                return at, e.message
            return None

        return first_error

    @classmethod
    def check(cls, method, path, status, ctype, payload):
        """Raises AssertionError when a JSON answer does not match its schema."""
        if method == "HEAD" or not payload or status == 304:
            return
        media = ctype.split(";", 1)[0].strip()
        if media not in ("application/json", "application/problem+json"):
            return
        pattern, op = cls.operation(method, path)
        where = "%s %s -> %d" % (method, pattern or path, status)
        schema = None
        if op is not None and status < 300 and "?" in path:
            # A parameter the server acted on is one the document lists.
            known = {p["name"] for p in op.get("parameters", []) if p.get("in") == "query"}
            for name in urllib.parse.parse_qs(path.split("?", 1)[1], keep_blank_values=True):
                if name not in known:
                    raise AssertionError("%s: query parameter '%s' is not in the OpenAPI document"
                                         % (where, name))
        if op is not None:
            answer = op["responses"].get(str(status))
            if answer is None and media == "application/problem+json":
                answer = op["responses"].get("default")
            if answer is None:
                raise AssertionError("%s: status %d is not in the OpenAPI document" % (where, status))
            if "$ref" in answer:
                answer = cls._doc["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
            content = answer.get("content", {}).get(media)
            if content is None:
                raise AssertionError("%s: the document has no %s answer" % (where, media))
            schema = content["schema"].get("$ref")
        elif media == "application/problem+json":
            schema = "#/components/schemas/Problem"  # no route: 404 or 405
        else:
            raise AssertionError("%s: a JSON answer for a path with no route" % where)
        if schema is None:
            return
        try:
            body = json.loads(payload)
        except ValueError:
            raise AssertionError("%s: the answer is not JSON" % where)
        err = cls._validator(schema)(body)
        if err is not None:
            at, message = err
            raise AssertionError(
                "%s: the answer does not match %s at '%s': %s\n  body: %s"
                % (where, schema, at, message[:300], payload[:800].decode("utf-8", "replace"))
            )


    # -- request bodies ------------------------------------------------------

    @classmethod
    def check_request(cls, method, path, body):
        """Raises AssertionError when a JSON body a test sends does not match the
        request schema of its route (or the route takes no body). Tests that send
        bad input on purpose say so with invalid=True (problem() with 400 or 422
        says so itself)."""
        pattern, op = cls.operation(method, path)
        where = "%s %s" % (method, pattern or path)
        if op is None:
            return  # no route: the answer (404 or 405) is checked instead
        rb = op.get("requestBody")
        if rb is None:
            raise AssertionError("%s: the route takes no body, but the test sends one: %s"
                                 % (where, json.dumps(body)[:300]))
        content = rb.get("content", {}).get("application/json")
        if content is None:
            return  # a text body (an import file)
        schema = content["schema"].get("$ref")
        if schema is None:
            return
        err = cls._validator(schema)(body)
        if err is not None:
            at, message = err
            raise AssertionError(
                "%s: the request body does not match %s at '%s': %s\n  body: %s\n"
                "  (a test that sends bad input on purpose passes invalid=True)"
                % (where, schema, at, message[:300], json.dumps(body)[:800])
            )


_VALIDATE = os.environ.get("XRM_API_VALIDATE", "1") != "0"


class Client:
    """A keep-alive HTTP client for one server; not shared between threads."""

    def __init__(self, host, port, token=None, timeout=60):
        self.host, self.port, self.token, self.timeout = host, port, token, timeout
        self.conn = None
        self.used = False
        self.last = None  # (method, path, status, raw body) of the last exchange

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn = None
        self.used = False

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.used = False

    def raw(self, method, path, body=None, headers=None, token=DEFAULT, invalid=False):
        """Returns (status, headers, raw bytes). A JSON body (a dict or list) is
        checked against its route's request schema first, unless invalid=True
        (bad input sent on purpose); bytes and str bodies are sent as they are."""
        if _VALIDATE and not invalid and isinstance(body, (dict, list)):
            ApiDocument.load(self.host, self.port)
            ApiDocument.check_request(method, path, body)
        h = {}
        tok = self.token if token is DEFAULT else token
        if tok:
            h["Authorization"] = "Bearer " + tok
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            elif isinstance(body, str):
                data = body.encode("utf-8")
            else:
                data = json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        for attempt in (0, 1):
            if self.conn is None:
                self._connect()
            reused = self.used
            try:
                self.conn.request(method, path, body=data, headers=h)
                resp = self.conn.getresponse()
                payload = resp.read()
            except (
                http.client.RemoteDisconnected,
                http.client.CannotSendRequest,
                http.client.ResponseNotReady,
                ConnectionResetError,
                BrokenPipeError,
            ):
                self.close()
                if attempt == 0 and reused:
                    continue  # the server closed an idle keep-alive connection
                raise
            self.used = True
            if resp.will_close:
                self.close()
            self.last = (method, path, resp.status, payload)
            if _VALIDATE:
                ApiDocument.load(self.host, self.port)
                ApiDocument.check(
                    method, path, resp.status, resp.headers.get("Content-Type", ""), payload
                )
            return resp.status, resp.headers, payload
        raise AssertionError("unreachable")

    def req(self, method, path, body=None, headers=None, token=DEFAULT, invalid=False):
        """Returns (status, headers, parsed JSON body or None)."""
        status, hdrs, payload = self.raw(method, path, body, headers, token, invalid)
        parsed = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = None
        return status, hdrs, parsed


def describe(client):
    if not client.last:
        return ""
    method, path, status, payload = client.last
    text = payload.decode("utf-8", "replace")
    if len(text) > 1500:
        text = text[:1500] + "...(%d bytes)" % len(payload)
    return "\n  request:  %s %s\n  response: %s %s" % (method, path, status, text)


class ApiTestCase(unittest.TestCase):
    """Base class: one fresh server per TestCase class, admin token in cls.token."""

    server = None
    maxDiff = 4000
    DEMO = False  # load the demo data set before the server starts (set-up cache)
    DEMO_USERS = ()  # demo users who get a token in cls.tok (with DEMO)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server()
        try:
            cls.server.init()
            if cls.DEMO:
                cls.tok = cls.server.load_demo(cls.DEMO_USERS)
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        srv = cls.server
        try:
            cls.client.close()
            rc, err = srv.stop()
            m = sanitizer_report(err)
            if m:
                raise AssertionError("sanitizer report (%s) in server stderr:\n%s" % (m, err))
            if rc != 0:
                raise AssertionError(
                    "server exit code after SIGTERM is %r, not 0; stderr:\n%s" % (rc, err[-4000:])
                )
        finally:
            srv.cleanup()
            super().tearDownClass()

    def tearDown(self):
        err = self.server.stderr()
        m = sanitizer_report(err)
        if m:
            self.fail("sanitizer report (%s) in server stderr:\n%s" % (m, err[-6000:]))
        if not self.server.alive():
            self.fail(
                "the server died (exit code %s); stderr:\n%s"
                % (self.server.proc.returncode if self.server.proc else "?", err[-6000:])
            )

    # -- requests -----------------------------------------------------------

    def req(self, method, path, body=None, headers=None, token=DEFAULT, invalid=False):
        """invalid=True: the body is bad on purpose (not checked against the schema)."""
        return self.client.req(method, path, body, headers, token, invalid)

    def ok(self, method, path, body=None, status=200, headers=None, token=DEFAULT,
           invalid=False):
        """Sends a request that must answer `status`; returns the parsed body."""
        st, _, js = self.req(method, path, body, headers, token, invalid)
        if st != status:
            self.fail("expected %d%s" % (status, describe(self.client)))
        return js

    def ok_h(self, method, path, body=None, status=200, headers=None, token=DEFAULT,
             invalid=False):
        """As ok, returning (headers, body)."""
        st, hdrs, js = self.req(method, path, body, headers, token, invalid)
        if st != status:
            self.fail("expected %d%s" % (status, describe(self.client)))
        return hdrs, js

    def problem(self, method, path, body=None, status=422, field=None, headers=None,
                token=DEFAULT, invalid=None):
        """Sends a request that must fail with a problem+json `status`; returns the problem.
        A body expected to be refused as invalid (400 or 422) is not checked against the
        request schema unless invalid=False; any other status checks it (a 403 or 409
        must come from a body the document allows)."""
        if invalid is None:
            refused = status if isinstance(status, tuple) else (status,)
            invalid = any(st in (400, 422) for st in refused)
        res = self.req(method, path, body, headers, token, invalid)
        return self.assert_problem(res, status, field)

    def assert_problem(self, res, status, field=None):
        st, hdrs, js = res
        ctx = describe(self.client)
        if isinstance(status, tuple):
            self.assertIn(st, status, "wrong status" + ctx)
        else:
            self.assertEqual(st, status, "wrong status" + ctx)
        ctype = hdrs.get("Content-Type", "")
        self.assertTrue(
            ctype.startswith("application/problem+json"),
            "Content-Type %r is not application/problem+json%s" % (ctype, ctx),
        )
        self.assertIsInstance(js, dict, "problem body is not a JSON object" + ctx)
        self.assertEqual(js.get("status"), st, "problem 'status'" + ctx)
        self.assertIsInstance(js.get("title"), str, "problem 'title'" + ctx)
        self.assertTrue(js.get("title"), "problem 'title' is empty" + ctx)
        self.assertIsInstance(js.get("detail"), str, "problem 'detail'" + ctx)
        self.assertTrue(js.get("detail"), "problem 'detail' is empty" + ctx)
        self.assertIsInstance(js.get("errors"), list, "problem 'errors'" + ctx)
        for e in js["errors"]:
            self.assertIsInstance(e.get("field"), str, "errors[].field" + ctx)
            self.assertIsInstance(e.get("message"), str, "errors[].message" + ctx)
            self.assertTrue(e["message"], "errors[].message is empty" + ctx)
        if field is not None:
            self.assert_error_field(js, field, ctx)
        return js

    def assert_error_field(self, problem, field, ctx=""):
        """field names errors[].field exactly, or a prefix of it ("roles[0]" matches
        "roles[0].type"); a tuple accepts any of several names."""
        names = [e.get("field", "") for e in problem.get("errors", [])]
        wanted = field if isinstance(field, tuple) else (field,)

        def hit(n):
            return any(n == w or n.startswith(w + ".") or n.startswith(w + "[") for w in wanted)

        self.assertTrue(
            any(hit(n) for n in names),
            "errors[].field %r does not name %r%s" % (names, field, ctx),
        )

    # -- parties ------------------------------------------------------------

    def create_party(self, body=None, force=False, **fields):
        """A new party; force=True creates it even when it duplicates one exactly."""
        b = dict(body or {})
        b.update(fields)
        b.setdefault("kind", "person")
        if b["kind"] == "person" and not any(
            k in b for k in ("name", "family_name", "given_name")
        ):
            b["family_name"] = word().capitalize()
        if b["kind"] == "organization" and "name" not in b:
            b["name"] = word().capitalize() + " B.V."
        path = "/api/v1/parties?force=true" if force else "/api/v1/parties"
        return self.ok("POST", path, b, status=201)

    def list_all(self, path, limit=500, **params):
        """Every item of a cursor-paginated list, checking that pages end."""
        items = []
        cursor = None
        for _ in range(10000):
            p = dict(params)
            p["limit"] = str(limit)
            if cursor:
                p["cursor"] = cursor
            js = self.ok("GET", path + q(**p))
            self.assertIn("items", js)
            self.assertIn("next", js)
            items.extend(js["items"])
            cursor = js["next"]
            if not cursor:
                return items
        self.fail("pagination of %s does not end" % path)

    def party_ids(self, query=None):
        params = {"q": query} if query is not None else {}
        return [p["id"] for p in self.list_all("/api/v1/parties", **params)]

    def party_count(self):
        return len(self.party_ids())

    def search(self, query, limit=500):
        """Ids on the first page of GET /api/v1/parties?q=query (must answer 200)."""
        js = self.ok("GET", "/api/v1/parties" + q(q=query, limit=str(limit)))
        return [p["id"] for p in js["items"]]

    def get_party(self, pid):
        return self.ok("GET", "/api/v1/parties/%d" % pid)

    def assert_unchanged(self, before_count, pid=None, before=None):
        """The party list still has before_count parties; party pid still equals before."""
        self.assertEqual(self.party_count(), before_count, "the party list changed")
        if pid is not None:
            now = self.get_party(pid)
            self.assertEqual(now, before, "party %d changed" % pid)


def etag(version):
    return '"%d"' % version
