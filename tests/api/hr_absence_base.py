"""Shared set-up of the HR absence tests: a server at a fixed clock (XRM_NOW),
users per HR access level and employees to record absences for."""

import datetime

from clock import ClockServer
from harness import ApiTestCase, word




def days(date, n):
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=n)).isoformat()


class AbsenceBase(ApiTestCase):
    NOW = "2026-03-16T09:00:00Z"  # a Monday
    USERS = {
        "hrfull": {"hr": "full"},
        "hrwrite": {"hr": "write"},
        "hrread": {"hr": "read"},
        "sales": {"sales": "write", "partners": "read"},
    }

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
        cls.tok, cls.uid = {}, {}
        for name, access in cls.USERS.items():
            login = name + "-" + word(6)
            pw = "pw-" + word(12)
            st, _, u = cls.client.req("POST", "/api/v1/users",
                                      {"name": login, "password": pw, "access": access})
            assert st == 201, u
            cls.uid[name] = u["id"]
            st, _, js = cls.client.req("POST", "/api/v1/session",
                                       {"user": login, "password": pw, "bearer": True},
                                       token=None)
            assert st == 201, js
            cls.tok[name] = js["token"]

    def dept(self, name):
        """The id of the department called name (made on first use); the employee role's
        `department` attribute holds a department id."""
        cache = type(self).__dict__.get("_depts")
        if cache is None:
            cache = {}
            setattr(type(self), "_depts", cache)
        if name not in cache:
            cache[name] = self.ok("POST", "/api/v1/departments", {"name": name}, 201)["id"]
        return cache[name]

    def employee(self, hours=40, start="2020-01-01", end=None, department="Sales", extra=None):
        attrs = {"hours_per_week": hours, "start_date": start,
                 "department": self.dept(department)}
        if end:
            attrs["end_date"] = end
        if extra is not None:
            attrs["extra_leave_hours"] = extra
        p = self.create_party(kind="person", given_name="Emp", family_name=word(8),
                              roles=[{"type": "employee", "attributes": attrs}])
        return p["id"]

    def absence(self, pid, kind="leave", status=201, token=None, **kw):
        body = {"party": pid, "kind": kind}
        body.update(kw)
        return self.ok("POST", "/api/v1/absences", body, status,
                       token=token if token else self.token)

    def as_(self, who, method, path, body=None, status=200):
        return self.ok(method, path, body, status=status, token=self.tok[who])
