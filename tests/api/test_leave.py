"""The leave balance: statutory hours (4 x weekly hours, pro rata the
employment, expiring 1 July of the next year), extra hours (the employee
role's extra_leave_hours, expiring after 5 years), taken / planned /
requested, leave over a year boundary counted per year, and the 1 July
expiry on a fake clock (XRM_NOW). Table-driven."""

import unittest

from hr_absence_base import AbsenceBase


def leave(frm, until, status="approved", hours=None):
    return (frm, until, status, hours)


# name: (employee attributes, absences, year, expected fields)
CASES = {
    "carry-over used first, planned after 1 July from this year": (
        dict(hours=40),
        [leave("2026-02-02", "2026-02-06"), leave("2026-08-03", "2026-08-07")],
        2026,
        dict(statutory_hours=160, extra_hours=0, carried_over=160, taken=40, planned=40,
             requested=0, remaining=240, expired=0, as_of="2026-03-16",
             expiring=[{"date": "2026-06-30", "hours": 120},
                       {"date": "2027-06-30", "hours": 120}]),
    ),
    "taken up to today, planned after it, requests apart": (
        dict(hours=40, start="2026-01-01"),
        [leave("2026-03-12", "2026-03-18"), leave("2026-04-01", "2026-04-01", "requested"),
         leave("2026-04-02", "2026-04-02", "rejected")],
        2026,
        dict(statutory_hours=160, carried_over=0, taken=24, planned=16, requested=8,
             remaining=120),
    ),
    "pro rata for a start within the year": (
        dict(hours=40, start="2026-07-01", extra=40),
        [],
        2026,
        # 184 of 365 days: 160 x 184 / 365 = 80.66, 40 x 184 / 365 = 20.16
        dict(statutory_hours=80.66, extra_hours=20.16, remaining=100.82, taken=0),
    ),
    "pro rata for an end within the year": (
        dict(hours=32, start="2024-01-01", end="2026-06-30"),
        [leave("2025-01-06", "2025-01-10")],
        2026,
        # 181 of 365 days of 128 hours; 2025's 128 hours were used by 32 in January 2025
        # (from 2024's, which expired on 1 July 2025), so 128 are carried over
        dict(statutory_hours=63.47, carried_over=128, remaining=191.47),
    ),
    "leave over the year boundary, seen from the first year": (
        dict(hours=40, start="2026-01-01"),
        [leave("2026-12-28", "2027-01-08")],
        2026,
        # ten working days, 80 hours: Monday 28 to Thursday 31 December in 2026 (32 hours)
        dict(taken=0, planned=32, remaining=128),
    ),
    "leave over the year boundary, seen from the next year": (
        dict(hours=40, start="2026-01-01"),
        [leave("2026-12-28", "2027-01-08")],
        2027,
        # a later year: as of the day before it, everything planned; the six days of 2027
        # (48 hours) come from 2026's left-over 128 (expiring first)
        dict(as_of="2026-12-31", carried_over=128, taken=0, planned=48, statutory_hours=160,
             remaining=240, expiring=[{"date": "2027-06-30", "hours": 80},
                                      {"date": "2028-06-30", "hours": 160}]),
    ),
    "extra hours last five years": (
        dict(hours=0, start="2019-01-01", extra=20),
        [],
        2026,
        # 2021 to 2026 count (2021's expire at the end of 2026); 2020's expired on 1 January
        dict(extra_hours=20, remaining=120, expiring=[
            {"date": "2026-12-31", "hours": 20}, {"date": "2027-12-31", "hours": 20},
            {"date": "2028-12-31", "hours": 20}, {"date": "2029-12-31", "hours": 20},
            {"date": "2030-12-31", "hours": 20}, {"date": "2031-12-31", "hours": 20}]),
    ),
    "more leave than hours gives a negative balance": (
        dict(hours=8, start="2026-01-01"),
        [leave("2026-02-02", "2026-02-13", hours=48)],
        2026,
        dict(statutory_hours=32, taken=48, remaining=-16),
    ),
}


class LeaveBalanceTest(AbsenceBase):
    NOW = "2026-03-16T09:00:00Z"

    def run_case(self, attrs, absences, year):
        pid = self.employee(hours=attrs["hours"], start=attrs.get("start", "2020-01-01"),
                            end=attrs.get("end"), extra=attrs.get("extra"))
        for frm, until, status, hours in absences:
            body = {"from": frm, "until": until}
            if hours is not None:
                body["hours"] = hours
            a = self.absence(pid, "leave", **body)
            if status != "requested":
                self.ok("POST", "/api/v1/absences/%d/%s" %
                        (a["id"], "approve" if status == "approved" else "reject"))
        return pid, self.as_("hrread", "GET", "/api/v1/parties/%d/leave?year=%d" % (pid, year))

    def test_table(self):
        for name, (attrs, absences, year, expect) in CASES.items():
            with self.subTest(name):
                pid, got = self.run_case(attrs, absences, year)
                self.assertEqual((got["party"], got["year"]), (pid, year))
                for k, v in expect.items():
                    if isinstance(v, float):
                        self.assertAlmostEqual(got[k], v, places=2, msg=k)
                    else:
                        self.assertEqual(got[k], v, k)

    def test_not_an_employee_and_bad_year(self):
        p = self.create_party(kind="person", given_name="No", family_name="Contract")
        self.ok("GET", "/api/v1/parties/%d/leave" % p["id"], status=404)
        pid = self.employee()
        self.problem("GET", "/api/v1/parties/%d/leave?year=20" % pid, status=400, field="year")
        got = self.ok("GET", "/api/v1/parties/%d/leave" % pid)
        self.assertEqual(got["year"], 2026)


class JulyExpiryTest(AbsenceBase):
    """The statutory hours of 2025 are there on 30 June 2026 and gone on 1 July."""

    CLOCKS = {"2026-06-30": dict(remaining=320, expired=0, carried_over=160),
              "2026-07-01": dict(remaining=160, expired=160, carried_over=160)}
    NOW = None

    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    def tearDown(self):
        pass

    def test_first_of_july(self):
        for day, expect in self.CLOCKS.items():
            with self.subTest(day):
                cls = type("At" + day.replace("-", ""), (AbsenceBase,),
                           {"NOW": day + "T09:00:00Z", "runTest": lambda s: None})
                cls.setUpClass()
                try:
                    t = cls()
                    pid = t.employee(hours=40, start="2024-01-01")
                    got = t.as_("hrread", "GET", "/api/v1/parties/%d/leave?year=2026" % pid)
                    for k, v in expect.items():
                        self.assertEqual(got[k], v, k)
                finally:
                    cls.tearDownClass()


if __name__ == "__main__":
    unittest.main()
