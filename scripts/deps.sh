#!/bin/sh
# Installs the Debian packages that `make run` or `make test` need.
# As root it runs apt-get itself; otherwise it prints the exact command.
set -e
want="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libpq-dev libcsv-dev"
# PDF (Cairo + Pango, SVG logos by librsvg), UBL (libxml2), ZIP (libzip)
want="$want libcairo2-dev libpango1.0-dev librsvg2-dev libxml2-dev libzip-dev fonts-dejavu-core"
# Mail: SMTP and IMAP (libcurl, GnuTLS), MIME messages (GMime); PDF previews (poppler-glib)
want="$want libcurl4-gnutls-dev libgmime-3.0-dev libpoppler-glib-dev"
# CalDAV: iCalendar objects from calendar clients (libical)
want="$want libical-dev"
# Man pages from the binary's --help (make man, make install, the Debian package)
want="$want help2man"
case "$1" in
test)
    want="$want libcmocka-dev python3 python3-icalendar python3-jsonschema clang-format clang libclang-rt-14-dev"
    want="$want python3-fastjsonschema" # the API tests check every answer against the OpenAPI document
    want="$want curl chromium postgresql haproxy"
    # PDF text (pdftotext) and the official EN 16931 UBL rules (Saxon-HE on Java)
    want="$want poppler-utils default-jre-headless libsaxonhe-java"
    want="$want python3-aiosmtpd dovecot-imapd" # a local SMTP server and IMAP mailbox
    want="$want khard" # exports: vCard files read by an address book (tests/api/test_export.py)
    want="$want vdirsyncer khal" # CardDAV and CalDAV clients (tests/api/test_dav_*.py)
    want="$want prometheus" # promtool checks GET /metrics (tests/api/test_observability.py)
    want="$want openssl" # self-signed TLS certificates (tests/api/test_lifecycle.py)
    # A NodeSource nodejs brings its own npm, which conflicts with Debian's.
    command -v node >/dev/null 2>&1 || want="$want nodejs"
    command -v npm >/dev/null 2>&1 || want="$want npm"
    # The Debian package (package-check): build it, verify its unit (systemd-analyze)
    want="$want debhelper dpkg-dev fakeroot systemd"
    ;;
bench) want="$want wrk nginx-light curl python3 sqlite3" ;;
esac
missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || apt-get update
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "missing packages; run: sudo apt-get install -y$missing" >&2
    exit 1
fi
