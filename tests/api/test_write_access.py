"""Every write checks access: the attacks of a user who lacks the right.

Two parts:

- RouteWalkTest walks every write route of the route table (as the OpenAPI
  document, generated from it, lists them) as a user with no access to any
  domain and as one with read access everywhere. Each request carries a body
  that an administrator's identical request (sent afterwards) must succeed
  with, so a refusal is the access check and not a validation error. Every
  attempt must be refused (403, or 404 for what the user may not see) and
  change nothing: neither the audit trail nor any table of the database. A
  write route added later without an attack here fails the walk by name.
- The tests after it play the access rules one by one with the demo's
  users: party base data, relationships and their domains, consent,
  segments and their owners, and the `can` hints of a party.
"""

import hashlib
import json
import os
import sqlite3
import unittest

from harness import PG_URL, ApiTestCase, describe, q, run_cli, word
from ubl import supplier_invoice  # purchase invoices

NDJSON = {"Content-Type": "application/x-ndjson"}

# Routes whose writes touch only the caller's own things (its session, its
# tokens, its calendar feed, its own segments): any signed-in user may use
# them. The walk still sends the ones that take an id at someone else's.
SELF = {
    "POST /api/v1/session": "logging in",
    "DELETE /api/v1/session": "logging out",
    "POST /api/v1/tokens": "a token of one's own",
    "POST /api/v1/calendar-feed": "one's own calendar feed",
    "DELETE /api/v1/calendar-feed": "one's own calendar feed",
    "POST /api/v1/segments": "a segment of one's own",
    # settings page: one's own password (needs the current one)
    "POST /api/v1/session/password": "one's own password",
    # quotes and invoices: the customer's accept link, public (its secret token is the right)
    "POST /api/v1/public/quotes/{name}/accept": "the customer's own accept link",
    # e-mail sending: a template rendered for a party the caller may read (writes nothing)
    "POST /api/v1/mail-templates/{id}/preview": "a read: the template rendered for one party",
    # campaigns: the recipient's own one-click unsubscribe link, public (its secret token)
    "POST /api/v1/public/unsubscribe/{name}": "the recipient's own unsubscribe link",
    # CardDAV: which segments one syncs (a segment one may not read is 404)
    "PUT /api/v1/dav/segments/{id}": "one's own synced address books",
    "DELETE /api/v1/dav/segments/{id}": "one's own synced address books",
}

# Tables that change without a write by the user: token bookkeeping and the
# idempotency records of requests.
VOLATILE = {"tokens", "idempotency"}


def today_plus(days):
    import datetime

    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


class WriteAccessBase(ApiTestCase):
    DEMO = True
    DEMO_USERS = ('verkoop', 'hr', 'hr-assistent', 'inkoop', 'partners', 'communicatie')

    @classmethod
    def setUpClass(cls):
        # No automation run may write while the walk compares snapshots.
        old = os.environ.get("XRM_AUTOMATION_INTERVAL")
        os.environ["XRM_AUTOMATION_INTERVAL"] = "0"
        # mail received: nor may the mail poller (it notes each poll on its mailbox)
        old_poll = os.environ.get("XRM_MAIL_POLL_SECONDS")
        os.environ["XRM_MAIL_POLL_SECONDS"] = "0"
        try:
            super().setUpClass()
        finally:
            if old is None:
                del os.environ["XRM_AUTOMATION_INTERVAL"]
            else:
                os.environ["XRM_AUTOMATION_INTERVAL"] = old
            if old_poll is None:
                del os.environ["XRM_MAIL_POLL_SECONDS"]
            else:
                os.environ["XRM_MAIL_POLL_SECONDS"] = old_poll
        for name, access in (("nobody", {}),
                             ("reader", {d: "read" for d in
                                         ("sales", "hr", "partners", "purchasing", "pr")})):
            cls.client.req("POST", "/api/v1/users", {"name": name + "_" + word(5),
                                                     "password": "pw-" + word(12),
                                                     "access": access})
            made = cls.client.last
            if made[2] != 201:
                raise RuntimeError("could not create user %s: %r" % (name, made))
            cls.tok[name] = cls.server.make_token(json.loads(made[3])["name"])

    # -- what "changed nothing" means ----------------------------------------

    def newest_audit(self):
        js = self.ok("GET", "/api/v1/audit" + q(limit="1"))
        return js["items"][0]["id"] if js["items"] else 0

    def db_files(self):
        """Size and modification time of the database file and its write-ahead log,
        and the header of the log's index (-shm: its change counter and frame
        count move with every commit)."""
        out = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.server.db + suffix)
                out.append((st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                out.append(None)
        try:
            with open(self.server.db + "-shm", "rb") as f:
                out.append(f.read(48))
        except FileNotFoundError:
            out.append(None)
        return tuple(out)

    def db_digest(self):
        """A digest of every table's rows (SQLite only; None on PostgreSQL).

        Every commit writes to the database file or its log, so while neither
        changed (size and modification time) the last digest still holds and
        is not computed again: the walk hashes the database only after the
        requests that wrote something."""
        if PG_URL:
            return None
        files = self.db_files()
        cached = getattr(self, "_digest_cache", None)
        if cached and cached[0] == files:
            return cached[1]
        digest = self.compute_digest()
        self._digest_cache = (files, digest)
        return digest

    def compute_digest(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.server.db, uri=True)
        try:
            h = hashlib.sha256()
            names = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            for name in names:
                if name in VOLATILE or name.startswith("party_fts"):
                    continue
                h.update(name.encode())
                for row in con.execute('SELECT * FROM "%s" ORDER BY 1' % name):
                    h.update(repr(row).encode())
            return h.hexdigest()
        finally:
            con.close()

    def snapshot(self):
        return self.newest_audit(), self.db_digest()

    def assert_refused(self, who, method, path, body=None, headers=None, status=(403, 404)):
        """The request of `who` is refused with a problem and changes nothing."""
        before = self.snapshot()
        res = self.req(method, path, body, headers, token=self.tok[who])
        self.assert_problem(res, status)
        self.assertEqual(self.snapshot(), before,
                         "%s's refused %s %s changed data" % (who, method, path))

    # -- demo parties -----------------------------------------------------------

    def parties(self, query):
        return self.list_all("/api/v1/parties", q=query)

    def with_roles(self, query, only=None):
        """A party of query (with exactly the role types `only`, when given)."""
        for p in self.parties(query):
            types = sorted({r["type"] for r in p["roles"]})
            if only is None or types == sorted(only):
                return self.get_party(p["id"])
        self.fail("the demo has no party for %r with roles %r" % (query, only))


class RouteWalkTest(WriteAccessBase):
    """Every write route, tried by users without the right to write."""

    def fixtures(self):
        """Records for the routes to aim at, made by the administrator."""
        f = {}
        f["person"] = self.create_party(family_name="Doel " + word())["id"]
        f["employee"] = self.create_party(family_name="Medewerker " + word(),
                                          roles=[{"type": "employee",
                                                  "since": "2020-01-01"}])["id"]
        f["org"] = self.create_party(kind="organization")["id"]
        cust = self.create_party(family_name="Klant " + word(),
                                 roles=[{"type": "customer", "status": "active"}])
        f["customer"] = cust["id"]
        f["role"] = cust["roles"][0]["id"]
        f["rel"] = self.ok("POST", "/api/v1/relationships",
                           {"type": "works_at", "from": f["person"], "to": f["org"]}, 201)["id"]
        f["activity"] = self.ok("POST", "/api/v1/activities",
                                {"type": "note", "domain": "sales", "subject": "Notitie",
                                 "parties": [f["customer"]]}, 201)["id"]
        f["rule"] = self.ok("POST", "/api/v1/rules",
                            {"name": "Regel " + word(), "when": {"tags": ["walk"]},
                             "then": {"priority": "high"}}, 201)["id"]
        f["segment"] = self.ok("POST", "/api/v1/segments",
                               {"name": "Segment " + word(), "query": "tag:walk"}, 201)["id"]
        f["user"] = self.ok("POST", "/api/v1/users",
                            {"name": "doel_" + word(), "password": "pw-" + word(12),
                             "access": {"sales": "read"}}, 201)["id"]
        f["token"] = self.ok("POST", "/api/v1/tokens", {"name": "walk"}, 201)["id"]
        f["retention"] = self.ok("GET", "/api/v1/retention/rules")["items"][0]["id"]
        f["pipeline"] = self.ok("POST", "/api/v1/pipelines", {
            "name": "Pijplijn " + word(),
            "stages": [{"name": "Open", "probability": 20}, {"name": "Rond", "kind": "won"},
                       {"name": "Mis", "kind": "lost"}]}, 201)["id"]
        f["deal"] = self.ok("POST", "/api/v1/deals",
                            {"party": f["customer"], "title": "Deal " + word()}, 201)["id"]
        f["automation"] = self.ok("POST", "/api/v1/automations", {
            "name": "Auto " + word(), "trigger": {"type": "role_started", "role": "partner"},
            "actions": [{"type": "create_task", "subject": "Inwerken", "due_days": 1}]},
            201)["id"]
        f["case"] = self.ok("POST", "/api/v1/cases",
                            {"party": f["customer"], "subject": "Vraag " + word()}, 201)["id"]
        f["agreement"] = self.ok("POST", "/api/v1/agreements",
                                 {"party": f["customer"], "kind": "customer_contract",
                                  "start": today_plus(-10)}, 201)["id"]
        # HR absence: leave (one to change, two requests), a sick report, the Poortwachter table
        absence = lambda **kw: self.ok("POST", "/api/v1/absences",  # noqa: E731
                                       dict({"party": f["employee"], "kind": "leave"}, **kw),
                                       201)["id"]
        f["absence"] = absence(**{"from": today_plus(20), "until": today_plus(21)})
        f["absence_req"] = absence(**{"from": today_plus(30), "until": today_plus(30)})
        f["absence_req2"] = absence(**{"from": today_plus(31), "until": today_plus(31)})
        f["sick"] = absence(kind="sick", **{"from": today_plus(-3)})
        f["pw_steps"] = self.ok("GET", "/api/v1/poortwachter-steps")["items"]
        # Merge: a survivor and its duplicate, and a merge to undo
        f["keeper"] = self.create_party(family_name="Blijft " + word())["id"]
        f["dup"] = self.create_party(family_name="Dubbel " + word())["id"]
        pair = [self.create_party(family_name="Twee " + word())["id"] for _ in range(2)]
        f["merge"] = self.ok("POST", "/api/v1/parties/%d/merge" % pair[0],
                             {"from": [pair[1]]})["id"]
        # HR: on- and offboarding checklists, vacancies and applicants
        f["template"] = self.ok("POST", "/api/v1/checklist-templates", {
            "name": "Sjabloon " + word(), "kind": "onboarding", "auto_start": False,
            "items": [{"title": "Sleutel", "who": "hr", "offset_days": 0}]}, 201)["id"]
        f["checklist"] = self.ok("POST", "/api/v1/checklists",
                                 {"party": f["employee"], "template": f["template"]}, 201)["id"]
        f["vacancy"] = self.ok("POST", "/api/v1/vacancies", {"title": "Vacature " + word()},
                               201)["id"]
        f["applicant"] = self.create_party(family_name="Sollicitant " + word(), roles=[{
            "type": "employee", "status": "applicant",
            "attributes": {"vacancy": f["vacancy"], "stage": "new"}}])["roles"][0]["id"]
        f["empty_vacancy"] = self.ok("POST", "/api/v1/vacancies", {"title": "Leeg " + word()},
                                     201)["id"]
        return f

    # suppliers and public relations: their records, made here, and their write routes
    def srm_attacks(self, f):
        sup = self.create_party(kind="organization", name="Lev " + word() + " B.V.",
                                roles=[{"type": "supplier"}])["id"]
        ev = {"party": sup, "period": "2026-01", "quality": 3, "delivery": 3, "price": 3,
              "communication": 3}
        e = self.ok("POST", "/api/v1/supplier-evaluations", ev, 201)["id"]
        j = self.ok("POST", "/api/v1/projects", {"name": "Project " + word()}, 201)["id"]
        gone = self.ok("POST", "/api/v1/projects", {"name": "Weg " + word()}, 201)["id"]
        sh = self.ok("POST", "/api/v1/projects/%d/stakeholders" % j,
                     {"party": f["person"], "influence": 2, "interest": 2}, 201)["id"]
        media = self.ok("POST", "/api/v1/segments", {"name": "Media " + word(),
                                                     "query": "tag:walk-media"}, 201)["id"]
        self.create_party(family_name="Pers " + word(), tags=["walk-media"])
        release = self.ok("POST", "/api/v1/activities", {
            "type": "press_release", "domain": "pr", "subject": "Bericht",
            "parties": [f["org"]], "segment": media}, 201)["id"]
        # purchase invoices: one to change, another file to upload
        pi = self.ok("POST", "/api/v1/purchase-invoices", supplier_invoice("W-" + word())[0], 201,
                     headers={"Content-Type": "application/xml"})["id"]
        return {
            "POST /api/v1/purchase-invoices": ("/api/v1/purchase-invoices",
                                               supplier_invoice("W-" + word())[0],
                                               {"Content-Type": "application/xml"}),
            "PATCH /api/v1/purchase-invoices/{id}": ("/api/v1/purchase-invoices/%d" % pi,
                                                     {"status": "approved"}, None),
            "POST /api/v1/activities/{id}/send": ("/api/v1/activities/%d/send" % release, None,
                                                  None),
            "POST /api/v1/supplier-evaluations": ("/api/v1/supplier-evaluations", ev, None),
            "PATCH /api/v1/supplier-evaluations/{id}": ("/api/v1/supplier-evaluations/%d" % e,
                                                        {"quality": 5}, None),
            "DELETE /api/v1/supplier-evaluations/{id}": ("/api/v1/supplier-evaluations/%d" % e,
                                                         None, None),
            "POST /api/v1/projects": ("/api/v1/projects", {"name": "Nieuw " + word()}, None),
            "PATCH /api/v1/projects/{id}": ("/api/v1/projects/%d" % j, {"postcode": "3511 AB"},
                                            None),
            "DELETE /api/v1/projects/{id}": ("/api/v1/projects/%d" % gone, None, None),
            "POST /api/v1/projects/{id}/stakeholders": (
                "/api/v1/projects/%d/stakeholders" % j,
                {"party": f["org"], "influence": 4, "interest": 4}, None),
            "POST /api/v1/projects/{id}/stakeholders/bulk": (
                "/api/v1/projects/%d/stakeholders/bulk" % j, {"q": "tag:walk-buren"}, None),
            "PATCH /api/v1/stakeholders/{id}": ("/api/v1/stakeholders/%d" % sh,
                                                {"stance": "critic"}, None),
            "DELETE /api/v1/stakeholders/{id}": ("/api/v1/stakeholders/%d" % sh, None, None),
        }

    def ledger_attacks(self, f):
        """billing after the invoice: an issued, open invoice to send a reminder for."""
        from ledger_base import COMPANY

        self.ok("PUT", "/api/v1/settings/company", COMPANY)
        c = self.create_party(family_name="Debiteur " + word(), addresses=[{
            "street": "Dorpsstraat", "house_number": "1", "postcode": "1234 AB",
            "city": "Utrecht", "country": "NL"}])["id"]
        inv = self.ok("POST", "/api/v1/invoices", {"party": c, "lines": [
            {"description": "Werk", "quantity": 1, "unit_price": 10000, "vat": "21"}]}, 201)
        self.ok("POST", "/api/v1/invoices/%d/issue" % inv["id"], None, 200)
        return {
            "POST /api/v1/invoices/{id}/reminders": ("/api/v1/invoices/%d/reminders" % inv["id"],
                                                     None, None),
            "POST /api/v1/invoices/overdue-scan": ("/api/v1/invoices/overdue-scan", None, None),
        }

    def attacks(self, f):
        """{"METHOD pattern": (path, body, headers)}: each would succeed for an admin."""
        ndjson = lambda *lines: "".join(json.dumps(x) + "\n" for x in lines)  # noqa: E731
        return {
            "POST /api/v1/users": ("/api/v1/users", {"name": "nieuw_" + word(),
                                                     "password": "pw-" + word(12)}, None),
            "PATCH /api/v1/users/{id}": ("/api/v1/users/%d" % f["user"],
                                         {"access": {"sales": "write"}}, None),
            "DELETE /api/v1/tokens/{id}": ("/api/v1/tokens/%d" % f["token"], None, None),
            "POST /api/v1/parties": ("/api/v1/parties", {"kind": "person",
                                                         "family_name": "Nieuw"}, None),
            "PATCH /api/v1/parties/{id}": ("/api/v1/parties/%d" % f["employee"],
                                           {"emails": [{"label": "werk",
                                                        "value": "x@example.nl"}],
                                            "iban": "NL91ABNA0417164300"}, None),
            "DELETE /api/v1/parties/{id}": ("/api/v1/parties/%d" % f["employee"], None, None),
            "POST /api/v1/parties/{id}/roles": ("/api/v1/parties/%d/roles" % f["person"],
                                                {"type": "supplier"}, None),
            "PATCH /api/v1/roles/{id}": ("/api/v1/roles/%d" % f["role"],
                                         {"since": "2019-01-01"}, None),
            "DELETE /api/v1/roles/{id}": ("/api/v1/roles/%d" % f["role"], None, None),
            "POST /api/v1/role-types": ("/api/v1/role-types", {
                "name": "vol_" + word(), "domain": "hr",
                "label": {"en": "Volunteer", "nl": "Vrijwilliger"},
                "statuses": ["active", "former"], "default_status": "active",
                "ended_statuses": ["former"], "attributes": []}, None),
            "POST /api/v1/relationship-types": ("/api/v1/relationship-types", {
                "name": "mentor_" + word(5), "reverse": "mentee_" + word(5),
                "label": {"en": "mentor of", "nl": "mentor van"},
                "reverse_label": {"en": "mentee of", "nl": "mentee van"}}, None),
            "POST /api/v1/relationships": ("/api/v1/relationships",
                                           {"type": "contact_for", "from": f["person"],
                                            "to": f["org"]}, None),
            "PATCH /api/v1/relationships/{id}": ("/api/v1/relationships/%d" % f["rel"],
                                                 {"note": "gewijzigd"}, None),
            "DELETE /api/v1/relationships/{id}": ("/api/v1/relationships/%d" % f["rel"],
                                                  None, None),
            "POST /api/v1/activities": ("/api/v1/activities",
                                        {"type": "note", "domain": "sales", "subject": "x",
                                         "parties": [f["customer"]]}, None),
            "PATCH /api/v1/activities/{id}": ("/api/v1/activities/%d" % f["activity"],
                                              {"subject": "gewijzigd"}, None),
            "DELETE /api/v1/activities/{id}": ("/api/v1/activities/%d" % f["activity"],
                                               None, None),
            "POST /api/v1/import/parties": ("/api/v1/import/parties",
                                            ndjson({"kind": "person", "family_name": "Import"}),
                                            NDJSON),
            "POST /api/v1/import/relationships": (
                "/api/v1/import/relationships",
                ndjson({"type": "spouse_of", "from": f["person"], "to": f["employee"]}), NDJSON),
            "POST /api/v1/import/activities": (
                "/api/v1/import/activities",
                ndjson({"type": "note", "domain": "sales", "subject": "Import",
                        "parties": [f["customer"]]}), NDJSON),
            # import jobs: the file is the body
            "POST /api/v1/imports": ("/api/v1/imports", "Voornaam;Achternaam\nJan;Import\n",
                                     {"Content-Type": "text/csv"}),
            "POST /api/v1/rules": ("/api/v1/rules", {"name": "Nieuw " + word(),
                                                     "when": {"tags": ["x"]},
                                                     "then": {"priority": "low"}}, None),
            "POST /api/v1/rules/simulate": ("/api/v1/rules/simulate",
                                            {"name": "Proef", "when": {"tags": ["x"]},
                                             "then": {"priority": "low"}}, None),
            "PATCH /api/v1/rules/{id}": ("/api/v1/rules/%d" % f["rule"], {"enabled": False},
                                         None),
            "DELETE /api/v1/rules/{id}": ("/api/v1/rules/%d" % f["rule"], None, None),
            "PATCH /api/v1/segments/{id}": ("/api/v1/segments/%d" % f["segment"],
                                            {"query": "tag:other"}, None),
            "DELETE /api/v1/segments/{id}": ("/api/v1/segments/%d" % f["segment"], None, None),
            "POST /api/v1/parties/{id}/consents": ("/api/v1/parties/%d/consents" % f["customer"],
                                                   {"purpose": "newsletter", "granted": True,
                                                    "source": "web form"}, None),
            "POST /api/v1/parties/{id}/erase": ("/api/v1/parties/%d/erase" % f["person"], None,
                                                None),
            "PATCH /api/v1/retention/rules/{id}": ("/api/v1/retention/rules/%d" % f["retention"],
                                                   {"days": 400}, None),
            "POST /api/v1/retention/run": ("/api/v1/retention/run", None, None),
            "POST /api/v1/pipelines": ("/api/v1/pipelines", {
                "name": "Nieuw " + word(),
                "stages": [{"name": "Open", "probability": 10}, {"name": "Rond", "kind": "won"},
                           {"name": "Mis", "kind": "lost"}]}, None),
            "PATCH /api/v1/pipelines/{id}": ("/api/v1/pipelines/%d" % f["pipeline"],
                                             {"name": "Hernoemd " + word()}, None),
            "DELETE /api/v1/pipelines/{id}": ("/api/v1/pipelines/%d" % f["pipeline"], None,
                                              None),
            "POST /api/v1/deals": ("/api/v1/deals", {"party": f["customer"],
                                                     "title": "Nieuw"}, None),
            "PATCH /api/v1/deals/{id}": ("/api/v1/deals/%d" % f["deal"], {"title": "Anders"},
                                         None),
            "DELETE /api/v1/deals/{id}": ("/api/v1/deals/%d" % f["deal"], None, None),
            # deals: a note or call on a deal
            "POST /api/v1/deals/{id}/activities": ("/api/v1/deals/%d/activities" % f["deal"],
                                                   {"subject": "Gebeld"}, None),
            "POST /api/v1/automations": ("/api/v1/automations", {
                "name": "Nieuw " + word(), "trigger": {"type": "role_started",
                                                       "role": "customer"},
                "actions": [{"type": "add_tag", "tag": "nieuw"}]}, None),
            "POST /api/v1/automations/run": ("/api/v1/automations/run", None, None),
            "PATCH /api/v1/automations/{id}": ("/api/v1/automations/%d" % f["automation"],
                                               {"enabled": False}, None),
            "DELETE /api/v1/automations/{id}": ("/api/v1/automations/%d" % f["automation"],
                                                None, None),
            "POST /api/v1/cases": ("/api/v1/cases", {"party": f["customer"],
                                                     "subject": "Nieuw"}, None),
            "PATCH /api/v1/cases/{id}": ("/api/v1/cases/%d" % f["case"], {"priority": "high"},
                                         None),
            "DELETE /api/v1/cases/{id}": ("/api/v1/cases/%d" % f["case"], None, None),
            "POST /api/v1/cases/{id}/messages": ("/api/v1/cases/%d/messages" % f["case"],
                                                 {"body": "Antwoord"}, None),
            "POST /api/v1/agreements": ("/api/v1/agreements", {"party": f["customer"],
                                                               "kind": "customer_contract",
                                                               "start": today_plus(-1)}, None),
            "PATCH /api/v1/agreements/{id}": ("/api/v1/agreements/%d" % f["agreement"],
                                              {"notice_days": 60}, None),
            "DELETE /api/v1/agreements/{id}": ("/api/v1/agreements/%d" % f["agreement"], None,
                                               None),
            # HR absence
            "POST /api/v1/absences": ("/api/v1/absences",
                                      {"party": f["employee"], "kind": "leave",
                                       "from": today_plus(40), "until": today_plus(40)}, None),
            "PATCH /api/v1/absences/{id}": ("/api/v1/absences/%d" % f["absence"], {"hours": 4},
                                            None),
            "DELETE /api/v1/absences/{id}": ("/api/v1/absences/%d" % f["absence"], None, None),
            "POST /api/v1/absences/{id}/approve": (
                "/api/v1/absences/%d/approve" % f["absence_req"], None, None),
            "POST /api/v1/absences/{id}/reject": (
                "/api/v1/absences/%d/reject" % f["absence_req2"], None, None),
            "POST /api/v1/absences/{id}/recover": ("/api/v1/absences/%d/recover" % f["sick"],
                                                   {"date": today_plus(0)}, None),
            "PUT /api/v1/poortwachter-steps": ("/api/v1/poortwachter-steps",
                                               {"items": f["pw_steps"]}, None),
            # Merge
            "POST /api/v1/parties/{id}/merge": ("/api/v1/parties/%d/merge" % f["keeper"],
                                                {"from": [f["dup"]]}, None),
            "POST /api/v1/merges/{id}/undo": ("/api/v1/merges/%d/undo" % f["merge"], None, None),
            # HR, the organisation: departments and dated employment entries
            **self.org_attacks(f),
        }

    def org_attacks(self, f):
        """HR, the organisation: a department made here for the walk to aim at."""
        dept = self.ok("POST", "/api/v1/departments", {"name": "Doel " + word()}, 201)["id"]
        return {
            "POST /api/v1/departments": ("/api/v1/departments", {"name": "Nieuw " + word()},
                                         None),
            "PATCH /api/v1/departments/{id}": ("/api/v1/departments/%d" % dept,
                                               {"cost_centre": "900"}, None),
            "DELETE /api/v1/departments/{id}": ("/api/v1/departments/%d" % dept, None, None),
            "POST /api/v1/parties/{id}/employment": ("/api/v1/parties/%d/employment"
                                                     % f["employee"],
                                                     {"effective": today_plus(30),
                                                      "job_title": "Teamleider"}, None),
            # HR: on- and offboarding checklists, vacancies and applicants
            "POST /api/v1/checklist-templates": ("/api/v1/checklist-templates", {
                "name": "Nieuw " + word(), "kind": "offboarding",
                "items": [{"title": "Pas innemen", "who": "it"}]}, None),
            "PATCH /api/v1/checklist-templates/{id}": (
                "/api/v1/checklist-templates/%d" % f["template"], {"name": "Ander " + word()},
                None),
            "DELETE /api/v1/checklist-templates/{id}": (
                "/api/v1/checklist-templates/%d" % f["template"], None, None),
            "POST /api/v1/checklists": ("/api/v1/checklists", {"party": f["employee"],
                                                               "template": f["template"]}, None),
            "POST /api/v1/checklists/{id}/items": ("/api/v1/checklists/%d/items" % f["checklist"],
                                                   {"n": 1, "done": True}, None),
            "POST /api/v1/vacancies": ("/api/v1/vacancies", {"title": "Monteur"}, None),
            "PATCH /api/v1/vacancies/{id}": ("/api/v1/vacancies/%d" % f["vacancy"],
                                             {"hours": 32}, None),
            "DELETE /api/v1/vacancies/{id}": ("/api/v1/vacancies/%d" % f["empty_vacancy"], None,
                                              None),
            "POST /api/v1/applicants/{id}/stage": ("/api/v1/applicants/%d/stage" % f["applicant"],
                                                   {"stage": "interview"}, None),
            # partners: commissions, tiers and their proposals
            **self.partner_attacks(f),
            # billing after the invoice: reminders, the overdue scan
            **self.ledger_attacks(f),
            # e-mail sending
            **self.mail_attacks(f),
            # campaigns
            **self.campaign_attacks(f),
        }

    # e-mail sending: a mail to a customer, templates (admins), an outbox mail to retry
    def mail_attacks(self, f):
        to = self.create_party(family_name="Lezer " + word(),
                               emails=[{"label": "werk", "value": word(8) + "@walk.test"}])["id"]
        mail = {"to": [to], "domain": "sales", "subject": "Hallo", "body": "Tekst"}
        queued = self.ok("POST", "/api/v1/emails", mail, 201)["items"][0]["outbox"]
        builtin = self.ok("GET", "/api/v1/mail-templates?key=general&lang=nl")["items"][0]["id"]
        tmpl = {"key": "walk_" + word(5).lower(), "lang": "nl", "name": "Walk",
                "subject": "Onderwerp", "body": "{{salutation}}"}
        gone = self.ok("POST", "/api/v1/mail-templates", tmpl, 201)["id"]
        return {
            "POST /api/v1/emails": ("/api/v1/emails", mail, None),
            "POST /api/v1/mail-templates": ("/api/v1/mail-templates",
                                            dict(tmpl, key="walk_" + word(5).lower()), None),
            "PATCH /api/v1/mail-templates/{id}": ("/api/v1/mail-templates/%d" % builtin,
                                                  {"name": "Algemeen (aangepast)"}, None),
            "DELETE /api/v1/mail-templates/{id}": ("/api/v1/mail-templates/%d" % gone, None,
                                                   None),
            "POST /api/v1/outbox/{id}/retry": ("/api/v1/outbox/%d/retry" % queued, None, None),
        }

    # campaigns: drafts to change, delete and send
    def campaign_attacks(self, f):
        seg = self.ok("POST", "/api/v1/segments", {"name": "Nieuwsbrief " + word(),
                                                   "query": "tag:walk-nieuwsbrief"}, 201)["id"]
        self.create_party(family_name="Lezer " + word(), tags=["walk-nieuwsbrief"])
        body = {"name": "Nieuwsbrief " + word(), "segment": seg, "subject": "Nieuws",
                "body": "Tekst", "domain": "pr"}
        edit, gone, send = (self.ok("POST", "/api/v1/campaigns", body, 201)["id"]
                            for _ in range(3))
        return {
            "POST /api/v1/campaigns": ("/api/v1/campaigns", body, None),
            "PATCH /api/v1/campaigns/{id}": ("/api/v1/campaigns/%d" % edit, {"subject": "Anders"},
                                             None),
            "DELETE /api/v1/campaigns/{id}": ("/api/v1/campaigns/%d" % gone, None, None),
            "POST /api/v1/campaigns/{id}/send": ("/api/v1/campaigns/%d/send" % send, None, None),
        }

    def partner_attacks(self, f):
        """partners: a commission line, a tier proposal and a tier level to aim at."""
        p = self.create_party(kind="organization", roles=[{
            "type": "partner", "status": "active",
            "attributes": {"tier": "gold", "commission_pct": 10}}])["id"]
        c = self.create_party(family_name="Klant " + word())["id"]
        d = self.ok("POST", "/api/v1/deals", {"party": c, "title": "Via partner",
                                              "partner": p, "amount": 10000}, 201)["id"]
        self.ok("PATCH", "/api/v1/deals/%d" % d, {"status": "won"})
        line = self.ok("GET", "/api/v1/commissions" + q(partner=str(p)))["items"][0]["id"]
        ev = self.ok("POST", "/api/v1/partner-tiers/evaluate")
        prop = [x for x in ev["items"] if x["party"] == p][0]["id"]
        silver = self.ok("GET", "/api/v1/partner-tiers")["items"][1]
        return {
            "PATCH /api/v1/commissions/{id}": ("/api/v1/commissions/%d" % line,
                                               {"status": "approved"}, None),
            "PATCH /api/v1/partner-tiers/{id}": ("/api/v1/partner-tiers/%d" % silver["id"],
                                                 {"min_certified": silver["min_certified"]},
                                                 None),
            "POST /api/v1/partner-tiers/evaluate": ("/api/v1/partner-tiers/evaluate", None,
                                                    None),
            "PATCH /api/v1/tier-proposals/{id}": ("/api/v1/tier-proposals/%d" % prop,
                                                  {"status": "accepted"}, None),
            # suppliers and public relations
            **self.srm_attacks(f),
            # quotes and invoices
            **self.billing_attacks(f),
            # documents on records
            **self.docs_attacks(f),
            # mail received
            **self.mail_in_attacks(f),
            # party photos
            **self.photo_attacks(f),
            # webhooks
            **self.webhook_attacks(f),
        }

    # party photos: the customer's photo set and removed (a change of the party's base data)
    def photo_attacks(self, f):
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
        path = "/api/v1/parties/%d/photo" % f["customer"]
        return {
            "PUT /api/v1/parties/{id}/photo": (path, png, {"Content-Type": "image/png"}),
            "DELETE /api/v1/parties/{id}/photo": (path, None, None),
        }

    # webhooks: disabled ones (the worker never touches their deliveries during the walk)
    def webhook_attacks(self, f):
        new = {"url": "http://127.0.0.1:9/walk", "events": ["*"], "enabled": False}
        hook = self.ok("POST", "/api/v1/webhooks", new, 201)["id"]
        gone = self.ok("POST", "/api/v1/webhooks", new, 201)["id"]
        ping = self.ok("POST", "/api/v1/webhooks/%d/test" % hook, None, 201)["id"]
        return {
            "POST /api/v1/webhooks": ("/api/v1/webhooks", new, None),
            "PATCH /api/v1/webhooks/{id}": ("/api/v1/webhooks/%d" % hook, {"enabled": False},
                                            None),
            "DELETE /api/v1/webhooks/{id}": ("/api/v1/webhooks/%d" % gone, None, None),
            "POST /api/v1/webhooks/{id}/deliveries/{id2}/replay": (
                "/api/v1/webhooks/%d/deliveries/%d/replay" % (hook, ping), None, None),
            "POST /api/v1/webhooks/{id}/replay": ("/api/v1/webhooks/%d/replay" % hook,
                                                  {"status": "dead"}, None),
            "POST /api/v1/webhooks/{id}/test": ("/api/v1/webhooks/%d/test" % hook, None, None),
        }

    # mail received: mailboxes (one polling a real Dovecot), mail in review to assign and discard
    def mail_in_attacks(self, f):
        from imapserver import ImapServer

        imap = ImapServer().start()
        self.addCleanup(imap.stop)
        new = {"name": "Walk " + word(), "domain": "sales"}
        box = self.ok("POST", "/api/v1/mailboxes", dict(new, imap_url=imap.url,
                                                        username=imap.user,
                                                        password=imap.password), 201)["id"]
        gone = self.ok("POST", "/api/v1/mailboxes", dict(new, name="Weg " + word()), 201)["id"]
        rfc822 = {"Content-Type": "message/rfc822"}

        def message():
            return ("From: onbekend-%s@elders.test\r\nSubject: Vraag\r\n"
                    "Message-ID: <%s@walk.test>\r\n\r\nTekst\r\n" % (word(), word(16))).encode()

        def review():
            st, _, js = self.client.req("POST", "/api/v1/mailboxes/%d/messages" % box,
                                        message(), rfc822)
            self.assertEqual(st, 201, describe(self.client))
            return js["review"]

        r_assign, r_discard = review(), review()
        return {
            "POST /api/v1/mailboxes": ("/api/v1/mailboxes", dict(new, name="Nieuw " + word()),
                                       None),
            "PATCH /api/v1/mailboxes/{id}": ("/api/v1/mailboxes/%d" % box, {"enabled": True},
                                             None),
            "DELETE /api/v1/mailboxes/{id}": ("/api/v1/mailboxes/%d" % gone, None, None),
            "POST /api/v1/mailboxes/{id}/poll": ("/api/v1/mailboxes/%d/poll" % box, None, None),
            "POST /api/v1/mailboxes/{id}/messages": ("/api/v1/mailboxes/%d/messages" % box,
                                                     message(), rfc822),
            "POST /api/v1/mail-review/{id}/assign": ("/api/v1/mail-review/%d/assign" % r_assign,
                                                     {"party": f["customer"]}, None),
            "POST /api/v1/mail-review/{id}/discard": (
                "/api/v1/mail-review/%d/discard" % r_discard, None, None),
        }

    # documents on records: a document of the customer to delete, a file to upload
    def docs_attacks(self, f):
        rec = "party:%d" % f["customer"]
        st, _, js = self.client.req("POST", "/api/v1/documents?record=" + rec, b"weg",
                                    {"Content-Type": "text/plain", "X-Filename": "weg.txt"})
        self.assertEqual(st, 201, describe(self.client))
        return {
            "POST /api/v1/documents": ("/api/v1/documents?record=%s&domain=sales" % rec,
                                       b"nieuw", {"Content-Type": "text/plain",
                                                  "X-Filename": "nieuw.txt"}),
            "DELETE /api/v1/documents/{id}": ("/api/v1/documents/%d" % js["id"], None, None),
        }

    # quotes and invoices: company settings, quotes and invoices made here, their write routes
    def billing_attacks(self, f):
        company = {"legal_name": "Walk B.V.", "street": "Laan", "house_number": "1",
                   "postcode": "3511 AB", "city": "Utrecht", "kvk": "12345678",
                   "vat": "NL000099998B57", "iban": "NL91ABNA0417164300"}
        self.ok("PUT", "/api/v1/settings/company", company)
        buyer = self.create_party(kind="organization", name="Koper " + word() + " B.V.",
                                  addresses=[{"street": "Weg", "house_number": "2",
                                              "postcode": "1234 AB", "city": "Delft"}])["id"]
        lines = [{"description": "Werk", "quantity": 1, "unit_price": 10000, "vat": "21"}]
        body = {"party": buyer, "lines": lines}
        quote = lambda: self.ok("POST", "/api/v1/quotes", body, 201)["id"]  # noqa: E731
        invoice = lambda: self.ok("POST", "/api/v1/invoices", body, 201)["id"]  # noqa: E731
        q_edit, q_gone, q_send, q_accept, q_decline = (quote() for _ in range(5))
        for qid in (q_accept, q_decline):
            self.ok("POST", "/api/v1/quotes/%d/send" % qid)
        i_edit, i_gone, i_issue, i_credit, i_pay = (invoice() for _ in range(5))
        for iid in (i_credit, i_pay):
            self.ok("POST", "/api/v1/invoices/%d/issue" % iid)
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
        return {
            "PUT /api/v1/settings/company": ("/api/v1/settings/company", company, None),
            "PUT /api/v1/settings/company/logo": ("/api/v1/settings/company/logo", png,
                                                  {"Content-Type": "image/png"}),
            "DELETE /api/v1/settings/company/logo": ("/api/v1/settings/company/logo", None,
                                                     None),
            "POST /api/v1/quotes": ("/api/v1/quotes", body, None),
            "PATCH /api/v1/quotes/{id}": ("/api/v1/quotes/%d" % q_edit, {"note": "x"}, None),
            "DELETE /api/v1/quotes/{id}": ("/api/v1/quotes/%d" % q_gone, None, None),
            "POST /api/v1/quotes/{id}/send": ("/api/v1/quotes/%d/send" % q_send, None, None),
            "POST /api/v1/quotes/{id}/accept": ("/api/v1/quotes/%d/accept" % q_accept, None,
                                                None),
            "POST /api/v1/quotes/{id}/decline": ("/api/v1/quotes/%d/decline" % q_decline, None,
                                                 None),
            "POST /api/v1/invoices": ("/api/v1/invoices", body, None),
            "PATCH /api/v1/invoices/{id}": ("/api/v1/invoices/%d" % i_edit, {"note": "x"}, None),
            "DELETE /api/v1/invoices/{id}": ("/api/v1/invoices/%d" % i_gone, None, None),
            "POST /api/v1/invoices/{id}/issue": ("/api/v1/invoices/%d/issue" % i_issue, None,
                                                 None),
            "POST /api/v1/invoices/{id}/credit": ("/api/v1/invoices/%d/credit" % i_credit, None,
                                                  None),
            "POST /api/v1/invoices/{id}/payments": ("/api/v1/invoices/%d/payments" % i_pay,
                                                    {"amount": 100, "date": today_plus(0)},
                                                    None),
        }

    def write_routes(self):
        doc = self.ok("GET", "/api/v1/openapi.json")
        return ["%s %s" % (m.upper(), p) for p, ops in doc["paths"].items() for m in ops
                if m in ("post", "put", "patch", "delete")]

    def test_no_write_succeeds_without_the_right(self):
        routes = self.write_routes()
        self.assertGreater(len(routes), 40, "the OpenAPI document lists the write routes")
        f = self.fixtures()
        attacks = self.attacks(f)
        missing = [r for r in routes if r not in attacks and r not in SELF]
        self.assertEqual(missing, [], "write routes without an attack in this walk: add one "
                                      "(and an access check to the route)")
        for who in ("nobody", "reader"):
            for route in routes:
                if route not in attacks:
                    continue
                method = route.split(" ", 1)[0]
                path, body, headers = attacks[route]
                with self.subTest(user=who, route=route):
                    self.assert_refused(who, method, path, body, headers)
        # The same requests from an administrator succeed, so the refusals above
        # were the access checks and not bad requests. Deletes go last.
        order = sorted((r for r in routes if r in attacks),
                       key=lambda r: (r.startswith("DELETE") or r.endswith("/erase"), r))
        for route in order:
            method = route.split(" ", 1)[0]
            path, body, headers = attacks[route]
            with self.subTest(admin=route):
                st, _, _ = self.req(method, path, body, headers)
                self.assertIn(st, (200, 201, 202, 204), "admin %s%s" % (route,
                                                                       describe(self.client)))

    def test_own_things_of_others_are_out_of_reach(self):
        """The personal routes that take an id refuse someone else's."""
        admin_token = self.ok("POST", "/api/v1/tokens", {"name": "van admin"}, 201)
        seg = self.ok("POST", "/api/v1/segments", {"name": "Van admin " + word(),
                                                   "query": "tag:x"}, 201)
        for who in ("nobody", "reader", "verkoop"):
            with self.subTest(user=who):
                self.assert_refused(who, "DELETE", "/api/v1/tokens/%d" % admin_token["id"])
                self.assert_refused(who, "PATCH", "/api/v1/segments/%d" % seg["id"],
                                    {"query": "tag:y"})
                self.assert_refused(who, "DELETE", "/api/v1/segments/%d" % seg["id"])


class PartyBaseDataTest(WriteAccessBase):
    """Create, change and archive of a party's base data."""

    def test_read_only_user_writes_nothing_to_parties(self):
        emp = self.with_roles("role:employee role:customer")
        plain = self.with_roles("role:customer", only=["customer"])
        for pid in (emp["id"], plain["id"]):
            path = "/api/v1/parties/%d" % pid
            self.assert_refused("hr-assistent", "DELETE", path)
            self.assert_refused("hr-assistent", "PATCH", path,
                                {"emails": [{"label": "werk", "value": "boef@example.nl"}]})
            self.assert_refused("hr-assistent", "PATCH", path, {"iban": "NL91ABNA0417164300"})
            self.assert_refused("hr-assistent", "PATCH", path, {"archived": True})
        self.assert_refused("hr-assistent", "POST", "/api/v1/parties",
                            {"kind": "person", "family_name": "Nep"})
        self.assert_refused("hr-assistent", "POST", "/api/v1/import/parties",
                            '{"kind": "person", "family_name": "Nep"}\n', NDJSON)
        self.assert_refused("nobody", "POST", "/api/v1/parties",
                            {"kind": "person", "family_name": "Nep"})

    def test_sales_cannot_archive_an_employee_but_edits_its_customer(self):
        emp = self.with_roles("role:employee role:customer")
        path = "/api/v1/parties/%d" % emp["id"]
        self.assert_refused("verkoop", "DELETE", path)
        self.assert_refused("verkoop", "PATCH", path, {"archived": True})
        seen = self.ok("GET", path, token=self.tok["verkoop"])
        self.assertEqual(seen["can"], {"update": True, "archive": False})
        # It holds a customer role, so sales may correct its contact details.
        upd = self.ok("PATCH", path, {"tags": emp["tags"] + ["klant-en-collega"]},
                      token=self.tok["verkoop"])
        self.assertIn("klant-en-collega", upd["tags"])
        # HR (full) may not archive it either: it is also an active customer.
        self.assert_refused("hr", "DELETE", path)
        self.assertEqual(self.ok("GET", path, token=self.tok["hr"])["can"],
                         {"update": True, "archive": False})
        self.assertEqual(self.get_party(emp["id"])["can"], {"update": True, "archive": True})

    def test_change_needs_write_where_the_party_holds_a_role(self):
        customer = self.with_roles("role:customer", only=["customer"])
        path = "/api/v1/parties/%d" % customer["id"]
        # Purchasing reads sales but writes only purchasing.
        self.assert_refused("inkoop", "PATCH", path, {"tags": ["inkoop-was-hier"]})
        self.assert_refused("inkoop", "DELETE", path)
        self.assertEqual(self.ok("GET", path, token=self.tok["inkoop"])["can"],
                         {"update": False, "archive": False})
        # A party without roles: any writer may change and archive it.
        loose = self.create_party(family_name="Los " + word())
        lpath = "/api/v1/parties/%d" % loose["id"]
        self.ok("PATCH", lpath, {"tags": ["inkoop"]}, token=self.tok["inkoop"])
        self.assertEqual(self.ok("GET", lpath, token=self.tok["inkoop"])["can"],
                         {"update": True, "archive": True})
        self.ok("DELETE", lpath, status=204, token=self.tok["inkoop"])
        # Sales writes sales: archives a customer-only party (and restores it).
        self.ok("DELETE", path, status=204, token=self.tok["verkoop"])
        self.ok("PATCH", path, {"archived": False}, token=self.tok["verkoop"])

    def test_roles_embedded_in_a_new_party_need_their_domain(self):
        self.assert_refused("verkoop", "POST", "/api/v1/parties",
                            {"kind": "person", "family_name": "Sollicitant",
                             "roles": [{"type": "employee"}]})
        p = self.ok("POST", "/api/v1/parties", {"kind": "person", "family_name": "Klant",
                                                "roles": [{"type": "customer"}]},
                    status=201, token=self.tok["verkoop"])
        self.assertEqual([r["type"] for r in p["roles"]], ["customer"])


class RelationshipAccessTest(WriteAccessBase):
    """manager_of is HR's; works_at and the like are common."""

    def test_types_carry_their_domain(self):
        types = {t["name"]: t for t in self.ok("GET", "/api/v1/relationship-types")["items"]}
        self.assertEqual(types["manager_of"]["domain"], "hr")
        self.assertIsNone(types["works_at"]["domain"])
        self.assertIsNone(types["family_of"]["domain"])
        made = self.ok("POST", "/api/v1/relationship-types", {
            "name": "buddy_" + word(5), "label": {"en": "buddy of", "nl": "buddy van"},
            "domain": "hr"}, 201)
        self.assertEqual(made["domain"], "hr")
        self.problem("POST", "/api/v1/relationship-types", {
            "name": "x_" + word(5), "label": {"en": "x", "nl": "x"}, "domain": "kantine"},
            status=422, field="domain")

    def test_hr_links_are_hr_only(self):
        a = self.create_party(family_name="Chef " + word())["id"]
        b = self.create_party(family_name="Medewerker " + word())["id"]
        body = {"type": "manager_of", "from": a, "to": b}
        self.assert_refused("verkoop", "POST", "/api/v1/relationships", body)
        self.assert_refused("hr-assistent", "POST", "/api/v1/relationships", body)
        rel = self.ok("POST", "/api/v1/relationships", body, 201, token=self.tok["hr"])
        self.assertEqual(rel["domain"], "hr")
        path = "/api/v1/relationships/%d" % rel["id"]
        # Sales does not see it: a single read is a 404, the party lists none.
        self.problem("GET", path, status=404, token=self.tok["verkoop"])
        for pid in (a, b):
            seen = self.ok("GET", "/api/v1/parties/%d" % pid, token=self.tok["verkoop"])
            self.assertEqual(seen["relationships"], [])
            hr = self.ok("GET", "/api/v1/parties/%d" % pid, token=self.tok["hr-assistent"])
            self.assertEqual([r["id"] for r in hr["relationships"]], [rel["id"]])
        self.assert_refused("verkoop", "PATCH", path, {"note": "weg"}, status=404)
        self.assert_refused("verkoop", "DELETE", path, status=404)
        self.assert_refused("hr-assistent", "DELETE", path, status=403)
        self.ok("DELETE", path, status=204, token=self.tok["hr"])

    def test_common_links_need_write_somewhere(self):
        p = self.create_party(family_name="Contact " + word())["id"]
        org = self.create_party(kind="organization")["id"]
        body = {"type": "works_at", "from": p, "to": org}
        self.assert_refused("hr-assistent", "POST", "/api/v1/relationships", body)
        rel = self.ok("POST", "/api/v1/relationships", body, 201, token=self.tok["inkoop"])
        self.assertIsNone(rel["domain"])
        path = "/api/v1/relationships/%d" % rel["id"]
        self.assertEqual(self.ok("GET", path, token=self.tok["hr-assistent"])["id"], rel["id"])
        self.assert_refused("hr-assistent", "DELETE", path, status=403)
        self.ok("DELETE", path, status=204, token=self.tok["verkoop"])


class ConsentAndSegmentTest(WriteAccessBase):
    def test_consent_needs_sales_or_pr(self):
        p = self.with_roles("role:customer", only=["customer"])
        path = "/api/v1/parties/%d/consents" % p["id"]
        body = {"purpose": "newsletter", "granted": True, "source": "beurs"}
        for who in ("hr-assistent", "hr", "inkoop", "partners"):
            with self.subTest(user=who):
                self.assert_refused(who, "POST", path, body, status=403)
        self.ok("POST", path, body, 201, token=self.tok["communicatie"])
        self.ok("POST", path, dict(body, granted=False), 201, token=self.tok["verkoop"])

    def test_segments_belong_to_their_owner(self):
        mine = self.ok("POST", "/api/v1/segments", {"name": "Mijn klanten " + word(),
                                                    "query": "role:customer", "shared": False},
                       201, token=self.tok["verkoop"])
        self.assertFalse(mine["shared"])
        self.assertIsInstance(mine["owner"], int)
        shared = self.ok("POST", "/api/v1/segments", {"name": "Voor iedereen " + word(),
                                                      "query": "role:partner"},
                         201, token=self.tok["verkoop"])
        self.assertTrue(shared["shared"], "segments are shared unless said otherwise")
        listed = [s["id"] for s in self.ok("GET", "/api/v1/segments",
                                           token=self.tok["hr"])["items"]]
        self.assertNotIn(mine["id"], listed, "a private segment is its owner's")
        self.assertIn(shared["id"], listed)
        self.problem("GET", "/api/v1/segments/%d" % mine["id"], status=404,
                     token=self.tok["hr"])
        self.problem("GET", "/api/v1/segments/%d/members" % mine["id"], status=404,
                     token=self.tok["hr"])
        for who in ("hr", "hr-assistent", "communicatie"):
            with self.subTest(user=who):
                self.assert_refused(who, "PATCH", "/api/v1/segments/%d" % shared["id"],
                                    {"query": "role:supplier"}, status=403)
                self.assert_refused(who, "DELETE", "/api/v1/segments/%d" % shared["id"],
                                    status=403)
                self.assert_refused(who, "DELETE", "/api/v1/segments/%d" % mine["id"],
                                    status=404)
        self.ok("PATCH", "/api/v1/segments/%d" % mine["id"], {"shared": True},
                token=self.tok["verkoop"])
        self.ok("GET", "/api/v1/segments/%d" % mine["id"], token=self.tok["hr"])
        self.ok("DELETE", "/api/v1/segments/%d" % shared["id"], status=204)  # admin


if __name__ == "__main__":
    unittest.main()
