"""A real IMAP server on 127.0.0.1 for the mail tests: Debian's Dovecot.

ImapServer() writes its own dovecot.conf into a temporary folder and starts
/usr/sbin/dovecot -F in its own process, as the current user (no root):
imap only on a free port, no TLS, one user from a passwd-file with a plain
password, mail in a Maildir in the same folder, base_dir and state in the
folder too. add(raw) puts a message into the user's INBOX (by IMAP APPEND,
so Dovecot assigns the UID); url is what a mailbox's imap_url says.

    imap = ImapServer().start()
    imap.add(b"From: a@b.nl\\r\\nSubject: x\\r\\n\\r\\nhallo\\r\\n")
    ... POST /api/v1/mailboxes {"imap_url": imap.url, "username": imap.user,
                                "password": imap.password, ...}
    imap.stop()
"""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time

DOVECOT = "/usr/sbin/dovecot"

_CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = xrm-test-{port}
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
mail_location = maildir:{dir}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
  user = {login}
}}
service anvil {{
  chroot =
  user = {user}
}}
service auth {{
  user = {user}
}}
service auth-worker {{
  user = {user}
}}
service imap {{
  user = {user}
}}
service stats {{
  user = {user}
}}
service log {{
  user = {user}
}}
service config {{
  user = {user}
}}
service dict {{
  user = {user}
}}
service dict-async {{
  user = {user}
}}
service director {{
  user = {user}
}}
service indexer {{
  user = {user}
}}
service indexer-worker {{
  user = {user}
}}
service ipc {{
  user = {user}
}}
"""


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ImapServer:
    def __init__(self, user="xrm-test", password="geheim-imap-1"):
        self.user = user
        self.password = password
        self.dir = None
        self.proc = None
        self.port = None

    @property
    def url(self):
        return "imap://127.0.0.1:%d/INBOX" % self.port

    def start(self):
        import grp
        import pwd
        self.dir = tempfile.mkdtemp(prefix="xrm-imap-")
        for d in ("run", "state", "mail", "home"):
            os.makedirs(os.path.join(self.dir, d))
        self.port = _free_port()
        if os.getuid() == 0:
            # Dovecot runs no login or mail process as root: Debian's own users then
            me = pwd.getpwnam("dovecot")
            login = "dovenull"
            for root, dirs, files in os.walk(self.dir):
                for d in dirs:
                    os.chown(os.path.join(root, d), me.pw_uid, me.pw_gid)
            os.chown(self.dir, me.pw_uid, me.pw_gid)
        else:
            me = pwd.getpwuid(os.getuid())
            login = me.pw_name
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            f.write("%s:{PLAIN}%s::::::\n" % (self.user, self.password))
        with open(os.path.join(self.dir, "dovecot.conf"), "w") as f:
            f.write(_CONF.format(dir=self.dir, port=self.port, user=me.pw_name, login=login,
                                 group=grp.getgrgid(me.pw_gid).gr_name,
                                 uid=me.pw_uid, gid=me.pw_gid))
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", os.path.join(self.dir, "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("dovecot did not start: %s\n%s" % (
                    self.proc.stderr.read().decode(errors="replace"), self.log()))
            try:
                c = imaplib.IMAP4("127.0.0.1", self.port)
                c.login(self.user, self.password)
                c.logout()
                return self
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        self.stop()
        raise AssertionError("dovecot did not answer on port %d" % self.port)

    def log(self):
        try:
            with open(os.path.join(self.dir, "dovecot.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def _conn(self):
        c = imaplib.IMAP4("127.0.0.1", self.port)
        c.login(self.user, self.password)
        return c

    def add(self, raw, folder="INBOX"):
        """APPENDs one message (bytes or str); returns its UID."""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        c = self._conn()
        try:
            typ, data = c.append(folder, None, None, raw)
            assert typ == "OK", data
            # APPENDUID <uidvalidity> <uid>
            text = data[0].decode() if data and data[0] else ""
            uid = int(text.split("APPENDUID", 1)[1].split()[1].rstrip("]")) \
                if "APPENDUID" in text else None
            return uid
        finally:
            c.logout()

    def flags(self, uid, folder="INBOX"):
        """The flags of message uid (e.g. to see it was not marked \\Seen)."""
        c = self._conn()
        try:
            c.select(folder)
            typ, data = c.uid("FETCH", str(uid), "(FLAGS)")
            return data[0].decode() if data and data[0] else ""
        finally:
            c.logout()

    def recreate(self, folder="INBOX"):
        """Empties the mailbox under a new UIDVALIDITY (deletes and creates the folder)."""
        c = self._conn()
        try:
            if folder == "INBOX":
                c.select(folder)
                c.store("1:*", "+FLAGS", "\\Deleted")
                c.expunge()
                c.close()
                # INBOX cannot be deleted: a new UIDVALIDITY by removing the index
                shutil.rmtree(os.path.join(self.dir, "mail", self.user), ignore_errors=True)
            else:
                c.delete(folder)
                c.create(folder)
        finally:
            c.logout()

    def stop(self):
        if self.proc:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(5)
            if self.proc.stderr:
                self.proc.stderr.close()
            self.proc = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
