"""A server whose clock stands still at the XRM_NOW of its env (the fake clock)."""

import os

from harness import ApiTestCase, Server, word


class ClockServer(Server):
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


class ClockTestCase(ApiTestCase):
    """An ApiTestCase on a server at NOW, with users made by the administrator."""

    NOW = "2026-12-06T09:00:00Z"

    @classmethod
    def setUpClass(cls):
        cls.server = ClockServer({"XRM_NOW": cls.NOW, "XRM_AUTOMATION_INTERVAL": "0"})
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    def user(self, access):
        """A new user with access; returns its bearer token."""
        name = "u_" + word()
        pw = "pw-" + word(12)
        self.ok("POST", "/api/v1/users", {"name": name, "password": pw, "access": access}, 201)
        js = self.ok("POST", "/api/v1/session", {"user": name, "password": pw, "bearer": True},
                     201, token=None)
        return js["token"]


class MailTestCase(ClockTestCase):
    """A ClockTestCase whose server sends through its own SMTP sink (smtpsink.py, cls.sink).

    MAIL_ENV: more environment for the server (XRM_MAIL_FROM, XRM_PUBLIC_URL, ...);
    SMTP = False starts it without XRM_SMTP_URL, so mails stay queued in the outbox.
    """

    MAIL_ENV = {}
    SMTP = True

    @classmethod
    def setUpClass(cls):
        from smtpsink import SmtpSink

        cls.sink = SmtpSink().start()
        env = dict({"XRM_NOW": cls.NOW, "XRM_AUTOMATION_INTERVAL": "0"}, **cls.MAIL_ENV)
        if cls.SMTP:
            env["XRM_SMTP_URL"] = cls.sink.url
        cls.server = ClockServer(env)
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            cls.sink.stop()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.sink.stop()
