"""The list of import jobs (GET /api/v1/imports): newest first, page by
page with the cursor, each job once, and a job on its list page the same as
on its own page (GET /api/v1/imports/{id}), which adds its errors."""

import unittest

from harness import q, word
from test_imports import ImportBase


class ImportListTest(ImportBase):
    def test_pages_newest_first_each_job_once(self):
        made = []
        for _ in range(3):
            line = '{"kind": "organization", "name": "Lijst %s B.V."}\n' % word()
            made.append(self.run_import(line.encode(), "application/x-ndjson",
                                        dry_run="true")["id"])
        seen, cursor = [], None
        while True:
            page = self.ok("GET", "/api/v1/imports" + q(limit="2", **({"cursor": cursor}
                                                                      if cursor else {})))
            self.assertLessEqual(len(page["items"]), 2)
            for job in page["items"]:
                one = self.ok("GET", "/api/v1/imports/%d" % job["id"])
                one.pop("error_list")  # the job's own page adds its first errors
                self.assertEqual(job, one)
            seen += [j["id"] for j in page["items"]]
            cursor = page["next"]
            if not cursor:
                break
        self.assertEqual(seen, sorted(seen, reverse=True))
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(seen[:3], sorted(made, reverse=True))


if __name__ == "__main__":
    unittest.main()
