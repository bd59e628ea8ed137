"""Background jobs: one scheduler in `xrm serve` runs the registered jobs daily
or monthly (03:00 Dutch time; monthly on the 1st) and keeps each job's last run,
so a restart does not run a monthly job again in the same month.

The fixed clock (XRM_NOW) moves from one server start to the next on the same
database: a job seen for the first time is planned at its next moment and does
not run at start-up; a run missed while the server was down runs once when it
is up again; GET /api/v1/jobs (administrators) shows name, period, last run,
result, next run.
"""

import time
import unittest

from clock import ClockServer
from harness import ApiTestCase, q, word

PW = "pw-jobs-1234567"
WAIT_S = 60


class Jobs(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ClockServer({"XRM_NOW": "2027-01-20T10:00:00Z",
                                  "XRM_AUTOMATION_INTERVAL": "0"})
        try:
            cls.server.init().start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.token = cls.server.token
        cls.client = cls.server.client()

    def restart(self, now):
        self.client.close()
        rc, err = self.server.stop()
        self.assertEqual(rc, 0, "xrm serve stops cleanly with its scheduler: " + err[-2000:])
        self.server.env["XRM_NOW"] = now
        self.server.start()
        type(self).client = self.server.client()

    def user(self, access):
        name = "u_" + word()
        self.ok("POST", "/api/v1/users", {"name": name, "password": PW, "access": access}, 201)
        return self.ok("POST", "/api/v1/session", {"user": name, "password": PW, "bearer": True},
                       201, token=None)["token"]

    def jobs(self):
        return {j["name"]: j for j in self.ok("GET", "/api/v1/jobs")["items"]}

    def wait_run(self, name, at):
        """The job's row once its run at `at` is kept (the scheduler runs in the background)."""
        deadline = time.monotonic() + WAIT_S
        while True:
            j = self.jobs()[name]
            if j["last_run"] == at and not j["running"]:
                return j
            if time.monotonic() > deadline:
                self.fail("job %s did not run at %s: %r\n%s"
                          % (name, at, j, self.server.stderr()[-3000:]))
            time.sleep(0.2)

    def pending(self, party):
        return self.ok("GET", "/api/v1/tier-proposals"
                       + q(status="pending", party=str(party)))["items"]

    def test_monthly_tier_evaluation_runs_once_a_month(self):
        seller = self.user({"sales": "write", "partners": "read"})
        mgr = self.user({"partners": "write", "sales": "read"})
        self.problem("GET", "/api/v1/jobs", status=403, token=seller)

        # 20 January: the jobs are planned, nothing ran at start-up.
        jobs = self.jobs()
        self.assertEqual(jobs["partner-tiers"]["period"], "monthly")
        self.assertIsNone(jobs["partner-tiers"]["last_run"])
        self.assertIsNone(jobs["partner-tiers"]["result"])
        self.assertEqual(jobs["partner-tiers"]["next_run"], "2027-02-01T02:00:00Z",
                         "the 1st at 03:00 Dutch winter time")
        self.assertEqual(jobs["retention"]["period"], "daily")
        self.assertEqual(jobs["retention"]["next_run"], "2027-01-21T02:00:00Z")

        # A bronze partner that qualifies for silver: no proposal until the evaluation runs.
        levels = self.ok("GET", "/api/v1/partner-tiers")["items"]
        silver = [l for l in levels if l["tier"] == "silver"][0]
        p = self.create_party(kind="organization",
                              roles=[{"type": "partner", "status": "active",
                                      "attributes": {"tier": "bronze"}}])["id"]
        c = self.create_party()
        d = self.ok("POST", "/api/v1/deals",
                    {"party": c["id"], "title": "T " + word(3),
                     "amount": silver["min_revenue"] + 100, "partner": p}, status=201)
        self.ok("PATCH", "/api/v1/deals/%d" % d["id"], {"status": "won"})
        for _ in range(silver["min_certified"]):
            person = self.create_party(tags=["certified"])
            self.ok("POST", "/api/v1/relationships",
                    {"type": "works_at", "from": person["id"], "to": p}, status=201)
        self.assertEqual(self.pending(p), [])

        # 1 February, after 03:00: the monthly run happens once, by itself.
        self.restart("2027-02-01T09:00:00Z")
        j = self.wait_run("partner-tiers", "2027-02-01T09:00:00Z")
        self.assertEqual(j["result"], "ok")
        self.assertEqual(j["next_run"], "2027-03-01T02:00:00Z")
        self.assertIn('"proposals":', j["message"])
        self.assertIsInstance(j["duration_ms"], int)
        props = self.pending(p)
        self.assertEqual([(x["from_tier"], x["to_tier"]) for x in props], [("bronze", "silver")])
        self.assertIn("job partner-tiers ok", self.server.stderr(), "each run is logged")
        # The missed daily retention run (21 January) ran once too.
        self.wait_run("retention", "2027-02-01T09:00:00Z")
        # The proposal is decided: a second evaluation this month would propose again.
        self.ok("PATCH", "/api/v1/tier-proposals/%d" % props[0]["id"], {"status": "rejected"},
                token=mgr)

        # 20 February: a restart does not run the monthly job again; the daily one runs.
        self.restart("2027-02-20T09:00:00Z")
        self.wait_run("retention", "2027-02-20T09:00:00Z")
        j = self.jobs()["partner-tiers"]
        self.assertEqual(j["last_run"], "2027-02-01T09:00:00Z")
        self.assertEqual(j["next_run"], "2027-03-01T02:00:00Z")
        self.assertEqual(self.pending(p), [])

        # 1 March: the next month's run.
        self.restart("2027-03-01T09:00:00Z")
        j = self.wait_run("partner-tiers", "2027-03-01T09:00:00Z")
        self.assertEqual(j["result"], "ok")
        self.assertEqual(j["next_run"], "2027-04-01T01:00:00Z", "03:00 Dutch summer time")


if __name__ == "__main__":
    unittest.main()
