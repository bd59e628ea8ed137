"""The official EN 16931 validation of UBL invoices fetched over the API.

    from ubl import assert_valid_ubl
    assert_valid_ubl(self, [xml_bytes, ...])

writes the documents to a temporary directory and runs scripts/check-ubl.sh
over all of them in one JVM (Saxon-HE with the EN 16931 UBL XSLT); the test
fails with every fatal failed assertion (rule id and text) in its message.
Warnings do not fail. When java is missing (scripts/deps.sh test installs
it) the calling test is skipped with a message saying so.
"""

import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, "scripts", "check-ubl.sh")


def java_missing():
    """A reason to skip, or None when Java and Saxon-HE are there."""
    if shutil.which("java") is None:
        return "java is missing: scripts/deps.sh test installs default-jre-headless"
    jar = os.environ.get("XRM_SAXON_JAR", "/usr/share/java/Saxon-HE.jar")
    if not os.path.exists(jar):
        return "Saxon-HE is missing (%s): scripts/deps.sh test installs libsaxonhe-java" % jar
    return None


def validate_ubl(xml_list):
    """(ok, report text) of the validation of every document in xml_list (bytes or str)."""
    with tempfile.TemporaryDirectory(prefix="xrm-ubl-") as tmp:
        paths = []
        for i, xml in enumerate(xml_list, 1):
            path = os.path.join(tmp, "doc-%03d.xml" % i)
            with open(path, "wb") as f:
                f.write(xml.encode("utf-8") if isinstance(xml, str) else xml)
            paths.append(path)
        res = subprocess.run([CHECK] + paths, capture_output=True, text=True, timeout=600)
        return res.returncode == 0, (res.stdout + res.stderr).strip()


def assert_valid_ubl(testcase, xml_list):
    """Fails testcase unless every document passes EN 16931 without a fatal assertion."""
    xml_list = list(xml_list)
    testcase.assertTrue(xml_list, "assert_valid_ubl: no documents given")
    reason = java_missing()
    if reason:
        testcase.skipTest(reason)
    ok, report = validate_ubl(xml_list)
    testcase.assertTrue(ok, "EN 16931 validation failed:\n" + report)
    return report
