"""CardDAV address books with real clients (domain/dav/carddav.c behind http/dav.c).

vdirsyncer (Debian) syncs the "all" address book both ways with a local vdir
folder: contacts made, edited and deleted on either side arrive on the other,
a delete from the client archives the party (it is still there, archived),
syncing again makes no duplicates, and a photo made locally comes back with
the same bytes. khard (Debian) lists and shows the synced contacts. A sales
user's address book holds no HR-only data (no salary, no HR role named) and
no applicant; HR's holds the applicant. vCard 3.0 when asked; a new card
that is a party already is refused naming that party; a synced segment is an
address book of its members.
"""

import base64
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from harness import ApiTestCase, q, run_cli, word

ADMIN_PASSWORD = "admin-password-for-tests"
DEMO_PASSWORD = os.environ.get("XRM_DEMO_PASSWORD") or "xrm-demo-2026"
D = "{DAV:}"

# A JPEG of 1x1 pixel.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////"
    "////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAA"
    "AAAAP/aAAgBAQABPxA=")


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def unfold(text):
    return re.sub(r"\r?\n[ \t]", "", text)


def props(text, name):
    """The values of every property `name` (parameters ignored) of a vCard text."""
    out = []
    for line in unfold(text).splitlines():
        head, _, value = line.partition(":")
        if head.split(";")[0].upper() == name:
            out.append(value)
    return out


def photo_bytes(text):
    """The bytes of a card's PHOTO (4.0 data: URI or 3.0 ENCODING=b), or None."""
    for line in unfold(text).splitlines():
        head, _, value = line.partition(":")
        if head.split(";")[0].upper() != "PHOTO":
            continue
        if value.startswith("data:"):
            value = value.split(",", 1)[1]
        return base64.b64decode(value)
    return None


def card(uid, given, family, email, extra=()):
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//xrm tests//phone//EN", "UID:" + uid,
             "FN:%s %s" % (given, family), "N:%s;%s;;;" % (family, given),
             "EMAIL;TYPE=HOME:" + email]
    lines += list(extra)
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


class Vdir:
    """A vdirsyncer pair (the server's address book <-> a local folder) and khard on the folder."""

    def __init__(self, test, user, password, collection="all"):
        self.test = test
        self.collection = collection
        self.dir = tempfile.mkdtemp(prefix="xrm-vdir-")
        self.local = os.path.join(self.dir, "contacts")
        os.makedirs(self.local)
        os.makedirs(os.path.join(self.dir, "status"))
        srv = test.server
        self.conf = os.path.join(self.dir, "vdirsyncer.conf")
        with open(self.conf, "w") as f:
            f.write(
                '[general]\nstatus_path = "%s/status/"\n\n'
                '[pair xrm]\na = "xrm_local"\nb = "xrm_remote"\ncollections = ["%s"]\n'
                'conflict_resolution = "b wins"\nmetadata = []\n\n'
                '[storage xrm_local]\ntype = "filesystem"\npath = "%s/"\nfileext = ".vcf"\n\n'
                '[storage xrm_remote]\ntype = "carddav"\nurl = "http://%s:%d/dav/"\n'
                'username = "%s"\npassword = "%s"\n'
                % (self.dir, collection, self.local, srv.host, srv.port, user, password))
        self.khard_conf = os.path.join(self.dir, "khard.conf")
        with open(self.khard_conf, "w") as f:
            f.write(
                "[addressbooks]\n[[xrm]]\npath = %s/%s/\n\n"
                "[general]\ndebug = no\ndefault_action = list\neditor = /bin/true\n"
                "merge_editor = /bin/true\n\n"
                "[contact table]\ndisplay = formatted_name\ngroup_by_addressbook = no\n"
                "reverse = no\nshow_nicknames = no\nshow_uids = yes\nsort = last_name\n"
                "localize_dates = yes\npreferred_phone_number_type = pref, cell, home\n"
                "preferred_email_address_type = pref, work, home\n\n"
                "[vcard]\nprivate_objects = Jabber, Skype\npreferred_version = 3.0\n"
                "search_in_source_files = no\nskip_unparsable = no\n"
                % (self.local, collection))
        self.run("discover")

    def run(self, *args):
        env = dict(os.environ, HOME=self.dir)
        r = subprocess.run(["vdirsyncer", "-c", self.conf] + list(args), input="y\n" * 20,
                           capture_output=True, text=True, timeout=900, env=env)
        if r.returncode != 0:
            self.test.fail("vdirsyncer %s failed (%d):\n%s\n%s\nserver: %s" % (
                " ".join(args), r.returncode, r.stdout[-3000:], r.stderr[-3000:],
                self.test.server.stderr()[-3000:]))
        return r.stdout + r.stderr

    def sync(self):
        return self.run("sync")

    def folder(self):
        return os.path.join(self.local, self.collection)

    def files(self):
        """{file name: card text} of the local folder."""
        out = {}
        for name in sorted(os.listdir(self.folder())):
            if name.endswith(".vcf"):
                with open(os.path.join(self.folder(), name), encoding="utf-8") as f:
                    out[name] = f.read()
        return out

    def file_with(self, needle):
        """(name, text) of the one local card containing needle."""
        found = [(n, t) for n, t in self.files().items() if needle in t]
        self.test.assertEqual(len(found), 1, "cards with %r: %s" % (needle, [n for n, _ in found]))
        return found[0]

    def write(self, name, text):
        with open(os.path.join(self.folder(), name), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def khard(self, *args):
        env = dict(os.environ, HOME=self.dir)
        r = subprocess.run(["khard", "-c", self.khard_conf] + list(args), capture_output=True,
                           text=True, timeout=120, env=env)
        self.test.assertEqual(r.returncode, 0, "khard %s: %s %s" % (args, r.stdout, r.stderr))
        return r.stdout

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class DavCardsBase(ApiTestCase):
    def dav(self, method, path, body=None, headers=None, user="admin", password=None):
        """(status, headers, body bytes) of one request on a connection of its own."""
        if password is None:
            password = ADMIN_PASSWORD if user == "admin" else DEMO_PASSWORD
        h = {"Authorization": basic(user, password)}
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def vdir(self, user="admin", password=None, collection="all"):
        if password is None:
            password = ADMIN_PASSWORD if user == "admin" else DEMO_PASSWORD
        v = Vdir(self, user, password, collection)
        self.addCleanup(v.cleanup)
        return v

    def parties(self, query, token=None):
        """Every party of the list for query (not archived), every page."""
        out, cursor = [], None
        while True:
            params = {"limit": "500"}
            if query:
                params["q"] = query
            if cursor:
                params["cursor"] = cursor
            page = self.ok("GET", "/api/v1/parties" + q(**params), token=token or self.token)
            out += page["items"]
            cursor = page.get("next")
            if not cursor:
                return out

    def members(self, collection, user="admin"):
        """{href: etag} of a PROPFIND Depth 1 of an address book."""
        body = (b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>'
                b'</d:prop></d:propfind>')
        st, _, data = self.dav("PROPFIND", "/dav/addressbooks/%s/%s/" % (user, collection), body,
                               {"Depth": "1", "Content-Type": "application/xml"}, user=user)
        self.assertEqual(st, 207, data[:500])
        out = {}
        for r in ET.fromstring(data).findall(D + "response"):
            href = r.find(D + "href").text
            if href.endswith(".vcf"):
                out[href] = r.find(".//" + D + "getetag").text
        return out


class CardSyncTest(DavCardsBase):
    """Two-way sync of the admin's "all" address book (no demo: every party is the test's)."""

    def test_two_way_sync_with_vdirsyncer_and_khard(self):
        t = word()
        anna = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": "Anna", "family_prefix": "van",
            "family_name": "Wijk" + t, "emails": ["anna@%s.example" % t],
            "phones": [{"label": "mobile", "value": "+31612345678"}], "tags": ["beurs"],
            "roles": [{"type": "customer"}, {"type": "supplier"}]}, status=201)
        bakker = self.ok("POST", "/api/v1/parties", {
            "kind": "organization", "name": "Bakkerij %s B.V." % t,
            "emails": ["info@bakkerij-%s.example" % t]}, status=201)
        v = self.vdir()
        v.sync()
        files = v.files()
        self.assertEqual(len(files), len(self.parties(None)), "one card per party")
        self.assertIn(anna["uid"] + ".vcf", files)
        a = files[anna["uid"] + ".vcf"]
        self.assertEqual(props(a, "FN"), ["Anna van Wijk" + t])
        self.assertEqual(props(a, "N"), ["van Wijk%s;Anna;;;" % t])
        self.assertEqual(props(a, "X-XRM-FAMILY-PREFIX"), ["van"])
        self.assertEqual(props(a, "NOTE"), ["Customer\\, Supplier"])
        self.assertEqual(props(a, "UID"), [anna["uid"]])
        self.assertEqual(props(a, "CATEGORIES"), ["beurs"])
        self.assertEqual(props(files[bakker["uid"] + ".vcf"], "ORG"), ["Bakkerij %s B.V." % t])

        # made on the phone, with a photo: a party; the photo comes back byte for byte
        uid = "phone-" + t
        v.write(uid + ".vcf", card(uid, "Piet", "Jansen" + t, "piet@%s.example" % t,
                                   ["TEL;TYPE=CELL:+31 6 11223344",
                                    "PHOTO;ENCODING=b;TYPE=JPEG:" + base64.b64encode(JPEG).decode()]))
        v.sync()
        (piet,) = self.parties("jansen" + t)
        self.assertEqual([e["value"] for e in piet["emails"]], ["piet@%s.example" % t])
        st, hdrs, data = self.req_raw("GET", "/api/v1/parties/%d/photo" % piet["id"])
        self.assertEqual((st, data), (200, JPEG))
        for _ in range(2):  # the server's version comes down once, then nothing changes
            v.sync()
        files = v.files()
        self.assertEqual(len(files), len(self.parties(None)), "no duplicates after syncs")
        self.assertEqual(len(self.parties("jansen" + t)), 1)
        name, text = v.file_with("UID:" + uid)
        self.assertEqual(photo_bytes(text), JPEG, "the photo survives the round trip")

        # khard lists and shows what was synced
        listed = v.khard("list")
        self.assertIn("Anna van Wijk" + t, listed)
        self.assertIn("Piet Jansen" + t, listed)
        self.assertIn("Bakkerij %s B.V." % t, listed)
        shown = v.khard("show", "Jansen" + t)
        self.assertIn("piet@%s.example" % t, shown)
        shown = v.khard("show", "Wijk" + t)
        self.assertIn("Customer, Supplier", shown)

        # edited on the phone: the party changes, the photo stays
        v.write(name, text.replace("piet@%s.example" % t, "piet@nieuw-%s.example" % t))
        v.sync()
        piet = self.ok("GET", "/api/v1/parties/%d" % piet["id"])
        self.assertEqual([e["value"] for e in piet["emails"]], ["piet@nieuw-%s.example" % t])
        self.assertTrue(piet["photo"])
        st, _, data = self.req_raw("GET", "/api/v1/parties/%d/photo" % piet["id"])
        self.assertEqual((st, data), (200, JPEG))

        # edited in xrm: the phone gets it
        self.ok("PATCH", "/api/v1/parties/%d" % anna["id"],
                {"phones": [{"label": "mobile", "value": "+31687654321"}]})
        v.sync()
        self.assertIn("+31687654321", v.files()[anna["uid"] + ".vcf"])

        # deleted on the phone: archived, never erased
        os.remove(os.path.join(v.folder(), anna["uid"] + ".vcf"))
        v.sync()
        got = self.ok("GET", "/api/v1/parties/%d" % anna["id"])
        self.assertTrue(got["archived"])
        self.assertEqual(got["name"], "Anna van Wijk" + t)

        # deleted (archived) in xrm: gone from the phone
        self.ok("DELETE", "/api/v1/parties/%d" % bakker["id"], status=204)
        v.sync()
        files = v.files()
        self.assertNotIn(bakker["uid"] + ".vcf", files)
        self.assertNotIn(anna["uid"] + ".vcf", files)

        # and again: nothing moves, nothing doubles
        out = v.sync() + v.sync()
        self.assertNotIn("Copying", out)
        self.assertNotIn("Deleting", out)
        files = v.files()
        self.assertEqual(len(files), len(self.parties(None)))
        uids = [props(x, "UID")[0] for x in files.values()]
        self.assertEqual(len(uids), len(set(uids)), "no UID twice")

    def req_raw(self, method, path):
        return self.client.raw(method, path, token=self.token)

    def test_vcard_3_on_request(self):
        t = word()
        p = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": "Kees", "family_name": "Drie" + t,
            "phones": [{"label": "mobile", "value": "+31611112222"}]}, status=201)
        path = "/dav/addressbooks/admin/all/%s.vcf" % p["uid"]
        st, h4, v4 = self.dav("GET", path)
        self.assertEqual(st, 200)
        self.assertIn(b"\r\nVERSION:4.0\r\n", v4)
        st, h3, v3 = self.dav("GET", path, headers={"Accept": "text/vcard; version=3.0"})
        self.assertEqual(st, 200)
        text = v3.decode()
        self.assertEqual(props(text, "VERSION"), ["3.0"])
        self.assertIn("TEL;TYPE=voice,cell,pref:+31611112222", unfold(text))
        self.assertNotIn("KIND", text)
        self.assertEqual(props(text, "FN"), ["Kees Drie" + t])

    def test_new_card_that_is_a_party_is_refused_naming_it(self):
        t = word()
        p = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": "Els", "family_name": "Dubbel" + t,
            "emails": ["els@%s.example" % t]}, status=201)
        body = card("dup-" + t, "Els", "Dubbel" + t, "els@%s.example" % t).encode()
        before = len(self.parties(None))
        st, _, data = self.dav("PUT", "/dav/addressbooks/admin/all/dup-%s.vcf" % t, body,
                               {"Content-Type": "text/vcard", "If-None-Match": "*"})
        self.assertEqual(st, 409, data)
        self.assertIn(("Els Dubbel" + t).encode(), data)
        self.assertIn(str(p["id"]).encode(), data)
        self.assertEqual(len(self.parties(None)), before, "nothing written")
        st, _, _ = self.dav("GET", "/dav/addressbooks/admin/all/dup-%s.vcf" % t)
        self.assertEqual(st, 404)

    def test_segment_address_book(self):
        t = word()
        inside = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "family_name": "Lid" + t, "tags": ["seg" + t]}, status=201)
        outside = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "family_name": "Buiten" + t}, status=201)
        seg = self.ok("POST", "/api/v1/segments", {"name": "Seg " + t, "query": "tag:seg" + t},
                      status=201)
        coll = "segment-%d" % seg["id"]
        st, _, _ = self.dav("PROPFIND", "/dav/addressbooks/admin/%s/" % coll, None, {"Depth": "0"})
        self.assertEqual(st, 404, "not synced yet")
        self.ok("PUT", "/api/v1/dav/segments/%d" % seg["id"])
        hrefs = self.members(coll)
        self.assertEqual(sorted(hrefs), ["/dav/addressbooks/admin/%s/%s.vcf" % (coll, inside["uid"])])
        st, _, data = self.dav("GET", "/dav/addressbooks/admin/%s/%s.vcf" % (coll, inside["uid"]))
        self.assertEqual(st, 200)
        self.assertIn(("Lid" + t).encode(), data)
        st, _, _ = self.dav("GET", "/dav/addressbooks/admin/%s/%s.vcf" % (coll, outside["uid"]))
        self.assertEqual(st, 404, "a party outside the segment is not in its address book")
        # the same card, the same ETag, in both address books
        self.assertEqual(list(hrefs.values()),
                         [self.members("all")["/dav/addressbooks/admin/all/%s.vcf" % inside["uid"]]])


class CardAccessTest(DavCardsBase):
    """The demo: what sales and HR find in their address books."""
    DEMO = True
    DEMO_USERS = ('verkoop', 'hr')

    def test_sales_sees_no_hr_data_and_no_applicant(self):
        t = word()
        applicant = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "family_name": "Sollicitant" + t,
            "roles": [{"type": "employee", "status": "applicant"}]},
            status=201, token=self.tok["hr"])
        employees = [p for p in self.parties("role:employee")
                     if any(r.get("attributes", {}).get("salary") for r in p["roles"])]
        self.assertTrue(employees, "the demo has employees with a salary")
        salaries = {str(r["attributes"]["salary"]) for p in employees for r in p["roles"]
                    if r.get("attributes", {}).get("salary")}

        sales = self.vdir("verkoop")
        sales.sync()
        files = sales.files()
        self.assertGreater(len(files), 10)
        text = "\n".join(files.values())
        self.assertNotIn("Sollicitant" + t, text, "an applicant is no contact of sales")
        self.assertNotIn(applicant["uid"], text)
        for line in unfold(text).splitlines():
            head = line.split(":")[0].split(";")[0].upper()
            if head in ("NOTE", "X-XRM-ROLES"):
                for hr_word in ("Employee", "employee", "Applicant", "applicant"):
                    self.assertNotIn(hr_word, line, "an HR role named to sales: " + line)
            for s in salaries:
                self.assertNotIn("salary", line.lower())
                if head not in ("TEL", "UID", "REV", "X-XRM-KVK", "X-XRM-IBAN", "X-XRM-VAT",
                                "ADR", "EMAIL", "URL", "PHOTO"):
                    self.assertNotIn(s, line, "a salary in a sales card: " + line)
        # every employee is still a contact (a colleague), without the HR role
        for p in employees[:3]:
            self.assertIn(p["uid"] + ".vcf", files)
            self.assertEqual(props(files[p["uid"] + ".vcf"], "NOTE"), [],
                             "sales may not read HR: no role named")
        # sales' cards are those of sales' party list, less the applicants
        listed = {p["uid"] for p in self.parties(None, token=self.tok["verkoop"])}
        uids = {props(x, "UID")[0] for x in files.values()}
        self.assertTrue(uids <= listed)
        self.assertIn(applicant["uid"], listed - uids)

        hr = self.vdir("hr")
        hr.sync()
        name, text = hr.file_with("Sollicitant" + t)
        self.assertEqual(props(text, "UID"), [applicant["uid"]])
        self.assertEqual(props(text, "NOTE"), ["Employee"])
        # a new sync of sales after a change that shows nothing new: nothing moves
        out = sales.sync()
        self.assertNotIn("Sollicitant" + t, out)

    def test_phone_writes_need_write_access(self):
        """A phone edits or deletes a card only where the user may change the party."""
        t = word()
        customer = self.ok("POST", "/api/v1/parties", {
            "kind": "person", "given_name": "Klaas", "family_name": "Klant" + t,
            "roles": [{"type": "customer"}]}, status=201)
        path_of = "/dav/addressbooks/%s/all/" + customer["uid"] + ".vcf"
        # hr-assistent reads HR only: the customer's card is there, read-only
        st, h, data = self.dav("GET", path_of % "hr-assistent", user="hr-assistent")
        self.assertEqual(st, 200, data[:300])
        etag = h["ETag"]
        edited = data.replace(("Klant" + t).encode(), ("Gewijzigd" + t).encode())
        self.assertNotEqual(edited, data)
        st, _, body = self.dav("PUT", path_of % "hr-assistent", edited,
                               {"Content-Type": "text/vcard", "If-Match": etag},
                               user="hr-assistent")
        self.assertEqual(st, 403, body)
        st, _, body = self.dav("DELETE", path_of % "hr-assistent", None, {"If-Match": etag},
                               user="hr-assistent")
        self.assertEqual(st, 403, body)
        after = self.ok("GET", "/api/v1/parties/%d" % customer["id"])
        self.assertEqual(after["family_name"], "Klant" + t, "nothing changed")
        self.assertEqual(after["version"], customer["version"])
        st, _, _ = self.dav("GET", path_of % "admin")
        self.assertEqual(st, 200, "not archived")
        # sales may change it: the same edit from verkoop's phone lands
        st, h, data = self.dav("GET", path_of % "verkoop", user="verkoop")
        st, _, body = self.dav("PUT", path_of % "verkoop",
                               data.replace(("Klant" + t).encode(), ("Gewijzigd" + t).encode()),
                               {"Content-Type": "text/vcard", "If-Match": h["ETag"]},
                               user="verkoop")
        self.assertIn(st, (201, 204), body)
        self.assertEqual(self.ok("GET", "/api/v1/parties/%d" % customer["id"])["family_name"],
                         "Gewijzigd" + t)


if __name__ == "__main__":
    unittest.main()
