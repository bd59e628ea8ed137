#!/bin/sh
# Browser tests of the web app (web/): installs playwright-core from the
# lockfile when missing, creates a demo database in a temporary folder, starts
# `build/xrm serve` on a free port, runs tests/web/*.test.mjs with node's test
# runner against Debian's Chromium, and stops the server whatever happens.
# Screenshots (full-page PNGs of every screen at 1280 and 390 px, which no test compares) go to
# build/screenshots/ only with XRM_SHOTS=1; without it the same accessibility and
# no-sideways-scrolling checks run, and the run is shorter.
# usage: scripts/test-web.sh [tests/web/x.test.mjs ...]   (env: XRM_BIN, CHROMIUM, XRM_SHOTS)
# Without arguments every tests/web/*.test.mjs runs; WEB_JOBS files at once
# (default 1: lists.test.mjs compares a dashboard count with a list total read
# later, which another file creating a party in between breaks; WEB_JOBS=2 runs
# two files side by side, each with its own Chromium, on the one server).
set -eu
cd "$(dirname "$0")/.."
bin=${XRM_BIN:-build/xrm}
chromium=${CHROMIUM:-/usr/bin/chromium}

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "test-web: $1 not found; $2" >&2; exit 1; }
}
need node "install Debian's nodejs and npm"
need npm "install Debian's npm"
[ -x "$chromium" ] || { echo "test-web: $chromium not found; install Debian's chromium" >&2; exit 1; }
[ -x "$bin" ] || { echo "test-web: $bin not found; run make build/xrm" >&2; exit 1; }

# The npm packages as pinned in package-lock.json (scripts/npm-deps.sh).
scripts/npm-deps.sh test-web

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xrm-web.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [ -n "${smtp_pid:-}" ]; then # e-mail: the SMTP sink
        kill "$smtp_pid" 2>/dev/null || true
        wait "$smtp_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

password="web-test-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
XRM_ADMIN_PASSWORD=$password "$bin" init --db "$tmp/web.db" >/dev/null
"$bin" demo --db "$tmp/web.db" >/dev/null
# e-mail: a real SMTP sink for the server's outbox (Debian's python3-aiosmtpd keeping every
# mail in $tmp/Maildir; tests/web/mail.test.mjs reads it through XRM_WEB_MAILDIR). Skipped
# when aiosmtpd is not installed: mails then stay queued in the outbox.
smtp_pid=""
if /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    smtp_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:"$smtp_port" -c aiosmtpd.handlers.Mailbox "$tmp/Maildir" >"$tmp/smtp.log" 2>&1 &
    smtp_pid=$!
    export XRM_SMTP_URL="smtp://127.0.0.1:$smtp_port" XRM_MAIL_FROM="xrm-test@example.nl" XRM_WEB_MAILDIR="$tmp/Maildir"
fi
# webhooks: retries after 1 s and dead after 20 s instead of 24 h, so tests/web/webhooks.test.mjs
# can show a dead delivery and send it again (a receiver that answers 2xx is unaffected).
XRM_WEBHOOK_RETRY_SECONDS=${XRM_WEBHOOK_RETRY_SECONDS:-1} XRM_WEBHOOK_WINDOW_SECONDS=${XRM_WEBHOOK_WINDOW_SECONDS:-20} \
    "$bin" serve --db "$tmp/web.db" --listen 127.0.0.1:0 --web "$PWD/web" >"$tmp/serve.log" 2>&1 &
pid=$!

url=""
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$url" ]; then
    echo "test-web: xrm serve did not start:" >&2
    cat "$tmp/serve.log" >&2
    exit 1
fi
echo "test-web: xrm serving $url"

mkdir -p build/screenshots
rm -f build/screenshots/*.png
[ $# -gt 0 ] || set -- tests/web/*.test.mjs
status=0
# TZ: the company's time zone for the tests' own dates too (lib.mjs TZ: the browsers')
XRM_WEB_URL=$url XRM_WEB_USER=admin XRM_WEB_PASSWORD=$password \
    XRM_SCREENSHOTS=build/screenshots CHROMIUM=$chromium \
    TZ=Europe/Amsterdam node --test --test-concurrency="${WEB_JOBS:-1}" "$@" || status=$?
if [ $status -ne 0 ]; then
    echo "test-web: failed; last lines of the server log:" >&2
    tail -n 20 "$tmp/serve.log" >&2
fi
if [ "${XRM_SHOTS:-}" = 1 ]; then
    echo "test-web: screenshots in build/screenshots/ ($(ls build/screenshots | wc -l) files)"
fi
exit $status
