"""A real SMTP server on 127.0.0.1 for the mail tests: Debian's aiosmtpd.

SmtpSink() starts Debian's /usr/bin/python3 -m aiosmtpd in its own process (so it survives a
kill -9 of xrm) with the Mailbox handler, which keeps every message it
accepts in a Maildir; messages() reads them back as email.message objects
(policy=default: headers decoded, get_content() gives str bodies).

    sink = SmtpSink().start()
    server.start(["--smtp", sink.url])
    ...
    msgs = sink.wait_for(2)          # at least 2 messages, or AssertionError
    sink.stop()

fail_next(n, code) makes the next n transactions answer `code` at DATA
(a temporary failure 451 by default), for retry tests: it starts the server
with a small handler module that reads the count from a file.
"""

import email
import email.policy
import mailbox
import os
import shutil
import socket
import subprocess
import tempfile
import time

_HANDLER = r'''
import mailbox, os
from aiosmtpd.handlers import Mailbox

class Handler(Mailbox):
    def __init__(self, args):
        self.dir, self.ctl = args.split(",", 1)
        super().__init__(self.dir)

    async def handle_DATA(self, server, session, envelope):
        try:
            with open(self.ctl) as f:
                n, code = f.read().split()
            n = int(n)
        except (OSError, ValueError):
            n, code = 0, "451"
        if n > 0:
            with open(self.ctl, "w") as f:
                f.write("%d %s" % (n - 1, code))
            return "%s test sink refuses this one" % code
        # keep the envelope recipients beside the message
        envelope.original_content = envelope.original_content or envelope.content
        msg = envelope.content
        if isinstance(msg, str):
            msg = msg.encode("utf-8")
        rcpt = ",".join(envelope.rcpt_tos).encode()
        self.mailbox.add(b"X-Sink-Rcpt: " + rcpt + b"\r\nX-Sink-From: "
                         + (envelope.mail_from or "").encode() + b"\r\n" + msg)
        return "250 OK"

def from_cli(parser, *args):
    return Handler(args[0])
'''


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class SmtpSink:
    def __init__(self, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="xrm-smtp-")
        self._own_dir = workdir is None
        self.maildir = os.path.join(self.dir, "Maildir")
        self.ctl = os.path.join(self.dir, "fail")
        self.proc = None
        self.port = None

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def start(self):
        with open(os.path.join(self.dir, "xrm_sink_handler.py"), "w") as f:
            f.write(_HANDLER)
        with open(self.ctl, "w") as f:
            f.write("0 451")
        self.port = _free_port()
        env = dict(os.environ, PYTHONPATH=self.dir)
        self._err = open(os.path.join(self.dir, "err"), "wb")
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "xrm_sink_handler.Handler", "%s,%s" % (self.maildir, self.ctl)],
            env=env, stdout=subprocess.DEVNULL, stderr=self._err)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError("aiosmtpd did not start: %s" % open(os.path.join(self.dir, "err")).read())

    def fail_next(self, n, code="451"):
        with open(self.ctl, "w") as f:
            f.write("%d %s" % (n, code))

    def messages(self):
        """Every accepted message, oldest first (email.message.EmailMessage)."""
        if not os.path.isdir(self.maildir):
            return []
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        out = []
        for key in box.keys():
            path = os.path.join(self.maildir, box._lookup(key))
            with open(path, "rb") as f:
                out.append((os.path.getmtime(path), path, f.read()))
        out.sort()
        return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in out]

    def wait_for(self, n, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.messages()
            if len(msgs) >= n or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(msgs) >= n, "expected %d mails, the sink has %d" % (n, len(msgs))
        return msgs

    def stop(self):
        if getattr(self, "_err", None):
            self._err.close()
            self._err = None
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
