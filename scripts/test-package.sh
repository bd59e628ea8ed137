#!/bin/sh
# package-check: the Debian package, end to end, as an operator meets it.
#  1. builds it (dpkg-buildpackage -b) in a copy of this tree under /tmp, so the
#     .deb and its companions never land beside the repository;
#  2. lintian with XRM_LINTIAN=1 (it takes 12 to 55 s here): its findings are
#     printed, they do not fail;
#  3. installs it here (dpkg -i); a package a previous run left is purged first
#     (an xrm installed otherwise is left alone, and the check fails);
#  4. systemd-analyze verify on the installed unit;
#  5. starts the service as the unit does (PID 1 is not systemd here): its
#     ExecStartPre and ExecStart as user xrm, with its Environment= lines and
#     those of a drop-in /etc/systemd/system/xrm.service.d/ (`systemctl edit xrm`)
#     that sets XRM_LISTEN=127.0.0.1:0, so parallel tests never clash on a port;
#  6. GET /healthz, the web app, a login as admin with the password the first
#     start wrote to /var/lib/xrm/initial-admin-password;
#  7. SIGTERM: serve exits 0;
#  8. dpkg --purge: nothing is left (binary, /etc/xrm, /var/lib/xrm, user xrm).
# Needs root (it installs a package) and debhelper, help2man (scripts/deps.sh test).
set -u
cd "$(dirname "$0")/.." || exit 1
repo=$(pwd)
t0=$(date +%s)
pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "package-check: ok: $*"
}
bad() {
    fail=$((fail + 1))
    echo "package-check: FAILED: $*"
}
lintian_report() {
    [ -n "$lintian_pid" ] || return 0
    wait "$lintian_pid"
    lintian_pid=
    if [ -s "$tmp/lintian.out" ]; then
        echo "package-check: lintian ($(cat "$tmp/lintian.secs") s) says (not failing on it):"
        sed 's/^/    /' "$tmp/lintian.out"
    else
        echo "package-check: lintian ($(cat "$tmp/lintian.secs") s): no findings"
    fi
}
finish() {
    lintian_report
    echo "package-check: $(($(date +%s) - t0)) s"
    echo "package-check: $pass passed, $fail failed"
    [ "$fail" = 0 ]
    exit
}

if [ "$(id -u)" != 0 ]; then
    echo "package-check: needs root (it installs the package with dpkg)" >&2
    exit 1
fi
for c in dpkg-buildpackage dh help2man setpriv curl; do
    if ! command -v $c >/dev/null 2>&1; then
        echo "package-check: $c is missing (scripts/deps.sh test installs it)" >&2
        exit 1
    fi
done
# One package-check at a time on this machine: the package is installed system-wide.
exec 9>/tmp/xrm-package-check.lock
if ! flock -w 900 9; then
    echo "package-check: another package-check holds /tmp/xrm-package-check.lock" >&2
    exit 1
fi

tmp=$(mktemp -d /tmp/xrm-package-XXXXXX)
pid=
lintian_pid=
keep_installed=
dropin=/etc/systemd/system/xrm.service.d/package-check.conf
# The http://HOST:PORT a server started as PID prints in OUT, waiting up to 10 s
# (empty when it did not, or when the server died first).
listening_url() { # OUT PID
    for _ in $(seq 1 100); do
        u=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$1" | head -n 1)
        [ -n "$u" ] && { echo "$u"; return; }
        kill -0 "$2" 2>/dev/null || return
        sleep 0.1
    done
}

cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    [ -n "$lintian_pid" ] && kill "$lintian_pid" 2>/dev/null
    rm -f "$dropin"
    rmdir /etc/systemd/system/xrm.service.d 2>/dev/null
    if [ -z "$keep_installed" ] && dpkg-query -W -f='${Status}' xrm 2>/dev/null | grep -q installed; then
        dpkg --purge xrm >/dev/null 2>&1
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- 1. build, in a copy: the tree's files (tracked and new, not ignored) and,
# to save a full rebuild, the release objects. The package defines
# XRM_DEFAULT_CONFIG; the copy's build/defines is set to that value (so make does
# not rebuild every object) and the sources that use the macro are touched, so
# exactly they are compiled with it.
defines='-DXRM_DEFAULT_CONFIG=\"/etc/xrm/xrm.conf\"'
src=$tmp/xrm
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z -co --exclude-standard | tar -C "$repo" --null -T - -cf - 2>/dev/null |
        tar -C "$src" -xf -
else
    tar -C "$repo" --exclude=./build --exclude=./node_modules --exclude=./debian/xrm \
        --exclude='./debian/.debhelper' -cf - . | tar -C "$src" -xf -
fi
if [ -d build/rel ]; then
    mkdir -p "$src/build"
    cp -a build/rel "$src/build/"
    printf '%s\n' "$defines" >"$src/build/defines"
    touch -d @0 "$src/build/defines"
    (cd "$src" && grep -rl XRM_DEFAULT_CONFIG src | xargs -r touch)
fi
echo "package-check: dpkg-buildpackage in $src"
t=$(date +%s)
if (cd "$src" && DEB_BUILD_OPTIONS="parallel=2 noautodbgsym" dpkg-buildpackage -b -us -uc -nc) \
    >"$tmp/build.log" 2>&1; then
    ok "dpkg-buildpackage -b ($(($(date +%s) - t)) s)"
else
    tail -40 "$tmp/build.log"
    bad "dpkg-buildpackage -b (log above)"
    finish
fi
deb=$(ls "$tmp"/xrm_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
    bad "no xrm_*.deb in $tmp"
    finish
fi
echo "package-check: $(basename "$deb"): $(dpkg-deb -c "$deb" | wc -l) entries"

# make install's tree (debian/rules ran it into debian/xrm): serve, given no
# --web and no config file, finds the web app in BINDIR/../share/xrm/web.
stage=$src/debian/xrm
XRM_CONFIG='' XRM_ADMIN_PASSWORD=stage-password "$stage/usr/bin/xrm" init --db "$tmp/stage.db" >/dev/null 2>&1
XRM_CONFIG='' "$stage/usr/bin/xrm" serve --db "$tmp/stage.db" --listen 127.0.0.1:0 \
    >"$tmp/stage.out" 2>"$tmp/stage.err" 9>&- &
pid=$!
url=$(listening_url "$tmp/stage.out" "$pid")
if [ -n "$url" ] && curl -sf "$url/" | grep -qi '<html'; then
    ok "make install's tree: serve finds its web app in ../share/xrm/web"
else
    cat "$tmp/stage.out" "$tmp/stage.err"
    bad "make install's tree: no web app from ../share/xrm/web ($url)"
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid"
pid=

# --- 2. lintian, in the background while the rest runs: findings are
# reported at the end, they do not fail
if [ "${XRM_LINTIAN:-0}" = 1 ] && command -v lintian >/dev/null 2>&1; then
    (
        t=$(date +%s)
        lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' \
            >"$tmp/lintian.out"
        echo "$(($(date +%s) - t))" >"$tmp/lintian.secs"
    ) &
    lintian_pid=$!
fi
[ -z "$lintian_pid" ] && echo "package-check: lintian not run (XRM_LINTIAN=1 runs it)"

# --- 3. install; a package a previous run left is purged first
# (only one package-check installed: its marker is in /var/lib/xrm; an xrm
# someone installed for real is never touched)
marker=/var/lib/xrm/.installed-by-package-check
if dpkg-query -W -f='${Status}' xrm 2>/dev/null | grep -q installed; then
    if [ ! -e "$marker" ]; then
        bad "the xrm package is installed on this machine, not by package-check: not touching it"
        keep_installed=1
        finish
    fi
    echo "package-check: purging the xrm package a previous run left"
    # the serve a killed run left (its pid is kept beside the marker)
    old_pid=$(cat /var/lib/xrm/.package-check.pid 2>/dev/null)
    if [ -n "$old_pid" ] && [ "$(readlink "/proc/$old_pid/exe" 2>/dev/null)" = /usr/bin/xrm ]; then
        kill -KILL "$old_pid"
        for _ in $(seq 1 50); do
            [ -e "/proc/$old_pid/exe" ] && [ -n "$(readlink "/proc/$old_pid/exe")" ] || break
            sleep 0.1
        done
    fi
    dpkg --purge xrm >/dev/null
fi
if dpkg -i "$deb" >"$tmp/install.log" 2>&1; then
    ok "dpkg -i $(basename "$deb")"
else
    cat "$tmp/install.log"
    bad "dpkg -i"
    finish
fi
touch "$marker"
sed -n '/^xrm: /p' "$tmp/install.log"
for f in /usr/bin/xrm /usr/share/xrm/web/index.html /etc/xrm/xrm.conf \
    /usr/share/man/man1/xrm.1.gz /usr/share/man/man1/xrm-serve.1.gz \
    /lib/systemd/system/xrm.service /usr/libexec/xrm/xrm-first-start; do
    [ -e "$f" ] || bad "not installed: $f"
done
# a man page for every command `xrm --help` lists
for c in $(/usr/bin/xrm --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
    [ -e "/usr/share/man/man1/xrm-$c.1.gz" ] || bad "no man page xrm-$c(1)"
done
if dpkg-query -W -f='${Conffiles}' xrm | grep -q ' /etc/xrm/xrm.conf '; then
    ok "/etc/xrm/xrm.conf is a conffile"
else
    bad "/etc/xrm/xrm.conf is no conffile"
fi
pwfile=/var/lib/xrm/initial-admin-password
if getent passwd xrm >/dev/null && [ "$(stat -c '%U %a' /var/lib/xrm/xrm.db 2>/dev/null)" = "xrm 600" ] &&
    [ "$(stat -c '%U %a' "$pwfile" 2>/dev/null)" = "xrm 600" ]; then
    ok "user xrm; the first start made /var/lib/xrm/xrm.db and $pwfile (0600, xrm)"
else
    bad "user xrm, /var/lib/xrm/xrm.db and $pwfile (0600, owner xrm): $(ls -la /var/lib/xrm 2>&1)"
fi

# An upgrade (here: the same .deb again) keeps the operator's edit of the
# conffile, the database and the initial password.
echo "# an operator's edit" >>/etc/xrm/xrm.conf
pw_before=$(cat "$pwfile" 2>/dev/null)
if dpkg -i "$deb" >"$tmp/reinstall.log" 2>&1 && grep -q "^# an operator's edit" /etc/xrm/xrm.conf &&
    [ -s /var/lib/xrm/xrm.db ] && [ "$(cat "$pwfile" 2>/dev/null)" = "$pw_before" ]; then
    ok "installed again over itself: conffile edit, database and password kept"
else
    cat "$tmp/reinstall.log"
    bad "installing again over itself lost the conffile edit, the database or the password"
fi

# --- 4. the unit, offline
if systemd-analyze verify /lib/systemd/system/xrm.service >"$tmp/verify.log" 2>&1; then
    ok "systemd-analyze verify xrm.service"
else
    sed 's/^/    /' "$tmp/verify.log"
    bad "systemd-analyze verify xrm.service"
fi

# --- 5. start it as the unit does, with an operator's drop-in for the port
mkdir -p "$(dirname "$dropin")"
printf '[Service]\nEnvironment=XRM_LISTEN=127.0.0.1:0\n' >"$dropin"
unit_get() { # KEY: its values in the unit, then in its drop-ins
    cat /lib/systemd/system/xrm.service /etc/systemd/system/xrm.service.d/*.conf 2>/dev/null |
        sed -n "s/^$1=//p"
}
user=$(unit_get User)
group=$(unit_get Group)
workdir=$(unit_get WorkingDirectory)
pre=$(unit_get ExecStartPre)
start=$(unit_get ExecStart)
env=$(unit_get Environment | tr '\n' ' ')
# What the service will run with: /etc/xrm/xrm.conf (the compiled-in default
# file) and the drop-in's XRM_LISTEN over it.
setpriv --reuid="$user" --regid="$group" --init-groups --reset-env \
    env $env /usr/bin/xrm config check >"$tmp/check.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q '^db  *= /var/lib/xrm/xrm.db  *(config /etc/xrm/xrm.conf:' "$tmp/check.out" &&
    grep -q '^listen  *= 127.0.0.1:0  *(environment XRM_LISTEN)' "$tmp/check.out"; then
    ok "xrm config check as $user: db from /etc/xrm/xrm.conf, listen from the drop-in"
else
    sed 's/^/    /' "$tmp/check.out"
    bad "xrm config check as $user (exit $rc)"
fi
echo "package-check: as $user:$group in $workdir: $pre; $start (env $env)"
# A removed database: ExecStartPre creates it anew, as on the first start.
rm -f /var/lib/xrm/xrm.db /var/lib/xrm/xrm.db-wal /var/lib/xrm/xrm.db-shm "$pwfile"
(
    exec 9>&- # the lock is not the service's: a serve a killed run leaves must not hold it
    cd "$workdir" || exit 1
    # shellcheck disable=SC2086 # the unit's command lines split on spaces
    exec setpriv --reuid="$user" --regid="$group" --init-groups --reset-env --no-new-privs \
        env $env sh -c "$pre && exec $start"
) >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
echo "$pid" >/var/lib/xrm/.package-check.pid
url=$(listening_url "$tmp/serve.out" "$pid")
if [ -z "$url" ]; then
    cat "$tmp/serve.out" "$tmp/serve.err"
    bad "the service did not print 'listening on http://...'"
    finish
fi
ok "the service listens on $url (XRM_LISTEN from the drop-in)"
grep -q "^xrm: created /var/lib/xrm/xrm.db" "$tmp/serve.out" &&
    [ -s "$pwfile" ] && ok "ExecStartPre created the missing database and $pwfile" ||
    bad "ExecStartPre did not create the database: $(cat "$tmp/serve.out")"
# the subshell execs setpriv, env, sh, and sh execs serve: $pid is serve
if [ "$(stat -c %U "/proc/$pid" 2>/dev/null)" = "$user" ] &&
    [ "$(readlink "/proc/$pid/exe")" = /usr/bin/xrm ]; then
    ok "/usr/bin/xrm serve runs as user $user"
else
    bad "process $pid is not /usr/bin/xrm of user $user"
fi

# --- 6. health, the web app, a login with the initial password
health=$(curl -s -w ' %{http_code}' "$url/healthz")
case "$health" in
*'"status":"ok"'*' 200' | *'"status": "ok"'*' 200') ok "GET /healthz: 200, status ok" ;;
*) bad "GET /healthz: $health" ;;
esac
if curl -sf "$url/" | grep -qi '<html'; then
    ok "GET /: the web app from /usr/share/xrm/web"
else
    bad "GET /: no web app"
fi
pw=$(cat "$pwfile")
body=$(printf '{"user":"admin","password":"%s","bearer":true}' "$pw")
code=$(curl -s -o "$tmp/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "$body" "$url/api/v1/session")
if [ "$code" = 200 ] || [ "$code" = 201 ]; then
    ok "login as admin with the initial password ($code)"
else
    bad "login as admin: $code $(cat "$tmp/login.json")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"user":"admin","password":"not-the-password"}' "$url/api/v1/session")
[ "$code" = 401 ] && ok "a wrong password is refused (401)" || bad "a wrong password: $code"

# --- 7. SIGTERM (systemd's KillSignal) to serve: exit 0
if [ -n "$pid" ]; then
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    pid=
    if [ "$rc" = 0 ]; then
        ok "SIGTERM: serve exited 0"
    else
        tail -5 "$tmp/serve.err"
        bad "SIGTERM: serve exited $rc"
    fi
fi

# --- 8. purge: nothing left
rm -f "$dropin"
rmdir "$(dirname "$dropin")" 2>/dev/null
if dpkg --purge xrm >"$tmp/purge.log" 2>&1; then
    ok "dpkg --purge xrm"
else
    cat "$tmp/purge.log"
    bad "dpkg --purge xrm"
fi
left=""
for f in /usr/bin/xrm /usr/share/xrm /etc/xrm /var/lib/xrm /usr/libexec/xrm \
    /lib/systemd/system/xrm.service /etc/systemd/system/multi-user.target.wants/xrm.service \
    /usr/share/man/man1/xrm.1.gz; do
    [ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done
getent passwd xrm >/dev/null && left="$left user:xrm"
getent group xrm >/dev/null && left="$left group:xrm"
[ -z "$left" ] && ok "nothing left after the purge" || bad "left after the purge:$left"
finish
