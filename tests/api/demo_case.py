"""A test case base for treatment (rules, query language, segments, 360° view):
the server runs on a database with the demo data set loaded (`xrm demo`), and
a few helpers read what the tests check against: every party with its roles
and treatment, which roles a party holds, and a second, non-admin user."""

from harness import ApiTestCase, q


class DemoTestCase(ApiTestCase):
    """One fresh server per class, on a database holding the demo data."""

    DEMO = True

    # -- reading the demo --------------------------------------------------

    def all_parties(self, query=None):
        """Every party (list items: roles, treatment, health), by id."""
        params = {"q": query} if query is not None else {}
        return {p["id"]: p for p in self.list_all("/api/v1/parties", **params)}

    def ids(self, query, limit=500):
        """The ids of every match of query (all pages)."""
        return {p["id"] for p in self.list_all("/api/v1/parties", limit=limit, q=query)}

    @staticmethod
    def holds(party, rtype):
        """The party holds an active (not ended) role of rtype."""
        return any(r["type"] == rtype and r.get("active", True) for r in party["roles"])

    @staticmethod
    def role(party, rtype):
        for r in party["roles"]:
            if r["type"] == rtype:
                return r
        return None

    @staticmethod
    def badge_texts(party, lang="nl"):
        return [b[lang] for b in party["treatment"]["badges"]]

    def demo_party(self, name):
        longest = max(name.replace(".", " ").split(), key=len)
        js = self.ok("GET", "/api/v1/parties" + q(q=longest, limit="500"))
        hits = [p for p in js["items"] if p["name"] == name]
        self.assertEqual(len(hits), 1, "demo party %r not found once: %r" % (name, js["items"]))
        return self.get_party(hits[0]["id"])

    def rule_by_name(self, name):
        rules = self.ok("GET", "/api/v1/rules")["items"]
        hits = [r for r in rules if r["name"] == name]
        self.assertEqual(len(hits), 1, "rule %r: %r" % (name, [r["name"] for r in rules]))
        return hits[0]

    def user_token(self, name):
        """A token of a new non-admin user."""
        self.ok("POST", "/api/v1/users", {"name": name, "password": "password-" + name},
                status=201)
        return self.server.make_token(name)
