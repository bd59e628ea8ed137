"""The web app's files as an installable, offline-capable app: the manifest
with its media type and icons, the service worker and the offline page
(checked on every load, not kept for five minutes), the icons as PNG of the
sizes the manifest names, the Content-Security-Policy of the pages letting
the worker and the manifest come from the server itself; and the OpenAPI
document naming Accept-Language on every operation and Content-Language on
its problem answers, which the server then sends.
"""

import json
import struct
import unittest

from harness import ApiTestCase


class StaticTest(ApiTestCase):
    def get(self, path, status=200):
        st, hdrs, body = self.client.raw("GET", path, token=None)
        self.assertEqual(st, status, "%s -> %s" % (path, st))
        return hdrs, body

    def test_manifest(self):
        hdrs, body = self.get("/manifest.webmanifest")
        self.assertEqual(hdrs["Content-Type"], "application/manifest+json")
        self.assertEqual(hdrs["X-Content-Type-Options"], "nosniff")
        self.assertEqual(hdrs["Cache-Control"], "no-cache")
        m = json.loads(body)
        self.assertEqual(m["start_url"], "/")
        self.assertEqual(m["display"], "standalone")
        self.assertTrue(m["theme_color"].startswith("#"))
        sizes = {i["sizes"]: i for i in m["icons"]}
        self.assertLessEqual({"192x192", "512x512", "any"}, set(sizes))
        for icon in m["icons"]:
            ih, data = self.get(icon["src"])
            self.assertEqual(ih["Content-Type"], icon["type"], icon["src"])
            if icon["type"] == "image/png":
                self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
                w, h = struct.unpack(">II", data[16:24])
                self.assertEqual("%dx%d" % (w, h), icon["sizes"], icon["src"])

    def test_service_worker_and_offline_page(self):
        hdrs, body = self.get("/sw.js")
        self.assertTrue(hdrs["Content-Type"].startswith("text/javascript"))
        self.assertEqual(hdrs["Cache-Control"], "no-cache")
        self.assertIn(b"/offline.html", body)
        hdrs, body = self.get("/offline.html")
        self.assertTrue(hdrs["Content-Type"].startswith("text/html"))
        self.assertEqual(hdrs["Cache-Control"], "no-cache")
        self.assertIn(b'id="offline-title"', body)
        # other files may be kept a while; the page (an app URL) never
        self.assertEqual(self.get("/app.css")[0]["Cache-Control"], "public, max-age=300")
        self.assertEqual(self.get("/parties/12")[0]["Cache-Control"], "no-cache")

    def test_pages_allow_worker_and_manifest_from_self_only(self):
        for path in ("/", "/offline.html", "/tasks"):
            csp = self.get(path)[0]["Content-Security-Policy"]
            directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
            # worker-src and manifest-src fall back to script-src / default-src
            self.assertEqual(directives.get("worker-src", directives["script-src"]), "'self'")
            self.assertEqual(directives.get("manifest-src", directives["default-src"]), "'self'")
        hdrs, body = self.get("/")
        self.assertIn(b'rel="manifest" href="/manifest.webmanifest"', body)

    def test_openapi_names_the_languages(self):
        doc = self.ok("GET", "/api/v1/openapi.json")
        ops = [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items()]
        self.assertGreater(len(ops), 50)
        for p, m, op in ops:
            names = [(x.get("name"), x.get("in")) for x in op.get("parameters", [])]
            self.assertIn(("Accept-Language", "header"), names, "%s %s" % (m, p))
        header = doc["components"]["headers"]["ContentLanguage"]
        self.assertEqual(header["schema"]["enum"], ["en", "nl"])
        for name, resp in doc["components"]["responses"].items():
            self.assertEqual(resp["headers"]["Content-Language"]["$ref"],
                             "#/components/headers/ContentLanguage", name)
        # and the server does what the document says
        for lang, want in (("nl-NL,nl;q=0.9", "nl"), ("en-GB", "en")):
            st, hdrs, _ = self.req("GET", "/api/v1/parties/987654",
                                   headers={"Accept-Language": lang})
            self.assertEqual(st, 404)
            self.assertEqual(hdrs["Content-Language"], want)


if __name__ == "__main__":
    unittest.main()
