#!/bin/sh
# The official EN 16931 validation of UBL invoices and credit notes:
#   scripts/check-ubl.sh FILE...
# runs the compiled Schematron (EN16931-UBL-validation.xslt) with Saxon-HE
# over all FILEs in one JVM, prints every failed assertion (id and text;
# flag="fatal" as FATAL, others as warning) and exits non-zero when any file
# has a fatal one. The rules live in XRM_EN16931_DIR, by default
# ../shared/vendor/en16931-ubl next to the repository (falls back to
# /work/shared/vendor/en16931-ubl for a clone elsewhere).
set -eu
[ $# -gt 0 ] || { echo "usage: scripts/check-ubl.sh FILE..." >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=${XRM_EN16931_DIR:-$(dirname "$REPO")/shared/vendor/en16931-ubl}
[ -f "$DIR/EN16931-UBL-validation.xslt" ] || DIR=/work/shared/vendor/en16931-ubl
XSLT=$DIR/EN16931-UBL-validation.xslt
[ -f "$XSLT" ] || { echo "check-ubl: no $XSLT (set XRM_EN16931_DIR)" >&2; exit 2; }
SAXON=${XRM_SAXON_JAR:-/usr/share/java/Saxon-HE.jar}
command -v java >/dev/null || { echo "check-ubl: java is missing (scripts/deps.sh test installs it)" >&2; exit 2; }
[ -f "$SAXON" ] || { echo "check-ubl: no $SAXON (libsaxonhe-java)" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/in" "$TMP/out"
# Saxon's directory mode: one JVM for all files (names kept, numbered against clashes)
n=0
for f in "$@"; do
    n=$((n + 1))
    cp "$f" "$TMP/in/$(printf %04d "$n")-$(basename "$f")"
    printf '%s\n' "$f" >>"$TMP/names"
done
if ! java -cp "$SAXON" net.sf.saxon.Transform -s:"$TMP/in" -xsl:"$XSLT" -o:"$TMP/out" \
    >"$TMP/saxon.log" 2>&1; then
    cat "$TMP/saxon.log" >&2
    echo "check-ubl: Saxon failed (a file that is not XML?)" >&2
    exit 1
fi
python3 - "$TMP" <<'PY'
import os, sys, xml.etree.ElementTree as ET
tmp = sys.argv[1]
names = open(os.path.join(tmp, "names"), encoding="utf-8").read().splitlines()
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
fatal_files = 0
warnings = 0
for i, name in enumerate(names, 1):
    src = sorted(f for f in os.listdir(os.path.join(tmp, "in")) if f.startswith("%04d-" % i))[0]
    report = os.path.join(tmp, "out", src)
    if not os.path.exists(report):
        print("FATAL %s: no validation report" % name)
        fatal_files += 1
        continue
    fatal = 0
    for fa in ET.parse(report).getroot().iter(SVRL + "failed-assert"):
        text = " ".join("".join(fa.find(SVRL + "text").itertext()).split()) if fa.find(SVRL + "text") is not None else ""
        flag = fa.get("flag", "fatal")
        if flag == "fatal":
            fatal += 1
            print("FATAL %s: %s %s (at %s)" % (name, fa.get("id"), text, fa.get("location")))
        else:
            warnings += 1
            print("warning %s: %s %s" % (name, fa.get("id"), text))
    if fatal:
        fatal_files += 1
print("check-ubl: %d file(s), %d with fatal errors, %d warning(s)" % (len(names), fatal_files, warnings))
sys.exit(1 if fatal_files else 0)
PY
