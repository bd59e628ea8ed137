#!/bin/bash
# The operations guide as a test (make test-cluster): runs the command blocks
# of docs/OPERATIONS.md in order, then tests/cluster/test_cluster.py on the
# PostgreSQL primary + replica, the two nodes and haproxy those blocks set up
# (reads from the replica, writes through either node, a node killed with
# kill -9 and one stopped with SIGTERM while GETs run through haproxy).
#
# A block runs when a marker comment comes right before it (the format is in
# tests/ops/extract.py):
#   <!-- ops-test: NAME [on=HOST] [requires=cmd:X,opt:CMD:--Y,route:Z] -->
#   <!-- ops-test: file PATH [on=HOST] -->   the block is that file's text
#   <!-- ops-test: skip (WHY) -->            counted, not run
# A block whose `requires` this binary lacks (another branch builds it) is
# counted as pending and not run. A block that fails (any command, set -e and
# pipefail) fails the step, printed with its name, its text as run and its
# output. Blocks share variables (each runs with `set -a`; the next one
# starts with what the last one exported).
#
# What the guide says and what runs here differ only by these rewrites
# (tests/ops/extract.py REWRITES) and stand-ins (the prelude below):
#   db1.internal, db2.internal -> 127.0.0.1:PORT (URLs, .pgpass), -h 127.0.0.1 -p PORT
#   10.0.0.11:8080, 10.0.0.12:8080 (the nodes) -> 127.0.0.1:free port
#   10.0.0.5:80, :443 (haproxy) -> 127.0.0.1:free port; xrm.example.com:443 too
#   any other 10.0.0.x -> 127.0.0.1; 10.0.0.0/24 -> 127.0.0.0/8
#   127.0.0.1:8080 (the SQLite server), :8443 (the TLS trial) -> free ports
#   /etc/postgresql/15/main, /var/lib/postgresql/15/main (on db1, db2)
#       -> T/db1/data, T/db2/data (config and data in one directory)
#   /etc/..., /var/..., /run/... -> T/etc/..., T/var/..., T/run/...
#   HOME -> T/home (the nodes' .pgpass); `xrm` -> the binary under test
# Stand-ins for what the guide runs on Debian machines:
#   "apt install postgresql" on db1 and db2: initdb + start, superuser
#       postgres, local (socket) connections trusted; nothing over TCP until
#       the guide's pg_hba.conf lines
#   sudo -u postgres CMD -> CMD as postgres (runuser when root) on that
#       host's socket; sudo -u xrm CMD -> CMD as this user
#   pg_ctlcluster 15 main start|stop|restart|reload -> pg_ctl on that host
#   the package's compiled-in /etc/xrm/xrm.conf -> XRM_CONFIG=T/etc/xrm/xrm.conf
#       in every block's environment; /usr/share/xrm/web -> the repository's web/
#   systemctl start|stop|restart xrm -> as xrm.service: packaging/xrm-first-start
#       (with this binary), then xrm serve in the background; stop: SIGTERM
#   systemctl start|reload|restart haproxy -> haproxy -D (-sf when running)
#   xrm serve ... (a node) -> runs in the background until the end, once it
#       printed "listening on"
# Binary: XRM_RELEASE_BIN (default build/xrm), built with libpq.
# XRM_OPS_TRACE=1 traces each block's commands with times into its output
# (T/log/block-NAME.out). XRM_OPS_KEEP=1 keeps the temporary directory (and stops nothing) to debug.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
t0=$(date +%s)

BIN=${XRM_RELEASE_BIN:-build/xrm}
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
XRM_RELEASE_BIN=$BIN
export XRM_RELEASE_BIN

scripts/pg.sh check || exit 1
missing=""
for c in haproxy curl openssl; do
    command -v $c >/dev/null 2>&1 || missing="$missing $c"
done
if [ -n "$missing" ]; then
    echo "test-ops: missing Debian packages:$missing (apt-get install -y$missing)" >&2
    exit 1
fi
if [ ! -x "$BIN" ]; then
    echo "test-ops: $BIN is missing (make build/xrm)" >&2
    exit 1
fi
pgbin=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { pgbin=$d; break; }
done

# In memory when there is a tmpfs: the databases are throwaway (fsync off), and
# on a busy disk writing and removing them took a third of the step's time.
tmp=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && tmp=/dev/shm
T=$(mktemp -d $tmp/xrm-ops-XXXXXX)
chmod 755 "$T"
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    [ "${XRM_OPS_KEEP:-}" = 1 ] && { echo "test-ops: kept $T" >&2; return; }
    c0=$(date +%s%N)
    for f in "$T"/run/*.pid; do
        [ -f "$f" ] && kill -KILL $(cat "$f") 2>/dev/null
    done
    for h in db1 db2; do
        [ -f "$T/$h/data/postmaster.pid" ] &&
            as_pg "$pgbin/pg_ctl" -D "$T/$h/data" -m immediate -w stop >/dev/null 2>&1
    done
    rm -rf "$T"
    echo "test-ops: clean-up $(( ($(date +%s%N) - c0) / 1000000 )) ms"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
P1=$(free_port) P2=$(free_port) N1=$(free_port) N2=$(free_port)
LB=$(free_port) LBH=$(free_port) SQ=$(free_port) TLSP=$(free_port)
mkdir -p "$T"/{bin,home,run/haproxy,log,blocks,etc/haproxy,var/lib/xrm}
ln -s "$BIN" "$T/bin/xrm"
sed "s|/usr/bin/xrm|$T/bin/xrm|g" packaging/xrm-first-start >"$T/bin/xrm-first-start"
chmod 755 "$T/bin/xrm-first-start"

# The machines db1 and db2 as Debian's postgresql package leaves them.
setup_pg() {
    h=$1 port=$2
    mkdir -p "$T/$h"
    [ "$(id -u)" = 0 ] && chown postgres "$T/$h"
    echo "$port" >"$T/$h/port"
    as_pg "$pgbin/initdb" -D "$T/$h/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$T/$h/setup.log" 2>&1 || { cat "$T/$h/setup.log" >&2; return 1; }
    printf 'local all all trust\nlocal replication all trust\n' >"$T/$h/data/pg_hba.conf"
    printf "include_dir = 'conf.d'\nfsync = off\nfull_page_writes = off\n" \
        >>"$T/$h/data/postgresql.conf"
    mkdir -p "$T/$h/data/conf.d"
    touch "$T/$h/log"
    [ "$(id -u)" = 0 ] && chown -R postgres "$T/$h"
    as_pg "$pgbin/pg_ctl" -D "$T/$h/data" -l "$T/$h/log" -w -t 60 \
        -o "-p $port -k $T/$h" start >/dev/null || { cat "$T/$h/log" >&2; return 1; }
}
setup_pg db1 "$P1" & s1=$!
setup_pg db2 "$P2" & s2=$!
wait $s1 || exit 1
wait $s2 || exit 1

# The stand-ins every block sees.
cat >"$T/prelude.sh" <<'EOF'
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
sudo() {
    local user=root
    while [ $# -gt 0 ]; do
        case $1 in
        -u) user=$2; shift 2 ;;
        -*) shift ;;
        *) break ;;
        esac
    done
    if [ "$user" = postgres ]; then
        as_pg env PGHOST="$T/$OPS_ON" PGPORT="$(cat "$T/$OPS_ON/port")" PGUSER=postgres "$@"
    else
        "$@"
    fi
}
pg_ctlcluster() {
    local d="$T/$OPS_ON"
    case $3 in
    start) as_pg "$PGBIN/pg_ctl" -D "$d/data" -l "$d/log" -w -t 60 \
        -o "-p $(cat "$d/port") -k $d" start >/dev/null || { cat "$d/log" >&2; return 1; } ;;
    stop) as_pg "$PGBIN/pg_ctl" -D "$d/data" -m fast -w -t 60 stop >/dev/null ;;
    restart) pg_ctlcluster "$1" "$2" stop && pg_ctlcluster "$1" "$2" start ;;
    reload) as_pg "$PGBIN/pg_ctl" -D "$d/data" reload >/dev/null ;;
    *) echo "pg_ctlcluster $3: not emulated" >&2; return 1 ;;
    esac
}
# xrm serve runs in the background (pid in T/run/xrm-PORT.pid) once it is listening.
ops_serve() {
    local listen=127.0.0.1:8080 prev="" a
    for a in "$@"; do
        case $prev in --listen | -l) listen=$a ;; esac
        case $a in --listen=*) listen=${a#--listen=} ;; esac
        prev=$a
    done
    local port=${OPS_PORT:-${listen##*:}} log="$T/log/xrm-${listen##*:}-$(date +%s%N).log" i
    "$T/bin/xrm" "$@" >"$log" 2>&1 &
    echo $! >"$T/run/xrm-$port.pid"
    for i in $(seq 600); do
        grep -q '^listening on' "$log" && return 0
        kill -0 "$(cat "$T/run/xrm-$port.pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "xrm $*: did not start:" >&2
    cat "$log" >&2
    return 1
}
ops_stop() {
    local f="$T/run/xrm-$1.pid" pid i
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$f"
    ! kill -0 "$pid" 2>/dev/null
}
xrm() {
    if [ "${1:-}" = serve ]; then ops_serve "$@"; else "$T/bin/xrm" "$@"; fi
}
systemctl() {
    local act=$1 unit=${2%.service}
    case $unit:$act in
    xrm:start) "$T/bin/xrm-first-start" && OPS_PORT=$SQ ops_serve serve ;;
    xrm:stop) ops_stop "$SQ" ;;
    xrm:restart) ops_stop "$SQ" && systemctl start xrm ;;
    haproxy:start | haproxy:reload | haproxy:restart)
        local pidf="$T/run/haproxy.pid"
        if [ -f "$pidf" ]; then
            haproxy -f "$T/etc/haproxy/haproxy.cfg" -D -p "$pidf" -sf $(cat "$pidf")
        else
            haproxy -f "$T/etc/haproxy/haproxy.cfg" -D -p "$pidf"
        fi ;;
    *) echo "systemctl $act $unit: not emulated" >&2; return 1 ;;
    esac
}
EOF

# The blocks, rewritten for this machine.
python3 tests/ops/extract.py docs/OPERATIONS.md "$T/blocks" T="$T" P1="$P1" P2="$P2" \
    N1="$N1" N2="$N2" LB="$LB" LBH="$LBH" SQ="$SQ" TLSP="$TLSP" WEB="$ROOT/web" || exit 1

has() {
    case $1 in
    cmd:*) "$BIN" "${1#cmd:}" --help >/dev/null 2>&1 ;;
    opt:*) r=${1#opt:}; "$BIN" "${r%%:*}" --help 2>&1 | grep -q -- "${r#*:}" ;;
    route:*) grep -aqF -- "${1#route:}" "$BIN" ;;
    *) echo "test-ops: unknown requirement $1" >&2; return 1 ;;
    esac
}

{
    echo "export PATH=\"$T/bin:$PATH\" HOME=\"$T/home\" T=\"$T\" PGBIN=\"$pgbin\""
    echo "export SQ=$SQ"
    echo "unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD"
    echo "export XRM_CONFIG=\"$T/etc/xrm/xrm.conf\""
} >"$T/state"

ran="" pending="" skipped=0 failed=""
while IFS="$(printf '\t')" read -r n kind name host reqs path; do
    case $kind in
    skip)
        skipped=$((skipped + 1))
        echo "test-ops: skip  $name"
        continue
        ;;
    file)
        mkdir -p "$(dirname "$path")"
        cp "$T/blocks/$n-file" "$path"
        echo "test-ops: file  $name"
        continue
        ;;
    esac
    lack=""
    if [ "$reqs" != - ]; then
        for r in $(echo "$reqs" | tr , ' '); do
            has "$r" || lack="$lack $r"
        done
    fi
    if [ -n "$lack" ]; then
        pending="$pending $name"
        echo "test-ops: pend  $name (this xrm lacks:$lack)"
        continue
    fi
    b0=$(date +%s%N)
    if bash -c 'set -a -e -o pipefail; . "$1"; . "$2"; OPS_ON=$3; cd "$HOME"; [ -n "${XRM_OPS_TRACE:-}" ] && PS4="+ \$(date +%T.%N) " && set -x; . "$4"; set +ax; export -p >"$2.new"' \
        ops "$T/prelude.sh" "$T/state" "$host" "$T/blocks/$n-$name.sh" >"$T/log/block-$name.out" 2>&1; then
        mv "$T/state.new" "$T/state"
        ran="$ran $name"
        echo "test-ops: ok    $name ($(( ($(date +%s%N) - b0) / 1000000 )) ms, on $host)"
    else
        echo "test-ops: FAILED block '$name' (on $host). As run:" >&2
        sed 's/^/    | /' "$T/blocks/$n-$name.sh" >&2
        echo "  output:" >&2
        sed 's/^/    > /' "$T/log/block-$name.out" >&2
        failed=$name
        break
    fi
done <"$T/blocks/manifest"

nr=$(echo $ran | wc -w) np=$(echo $pending | wc -w)
echo "test-ops: guide blocks: $nr ran, $np pending (${pending# }), $skipped skipped" \
    "($(( $(date +%s) - t0 )) s)"
[ -n "$failed" ] && exit 1

# tests/cluster on what the guide set up.
XRM_OPS_DIR=$T
XRM_OPS_NODES="node1=$N1,node2=$N2"
XRM_OPS_LB=$LB
XRM_CLUSTER_PRIMARY="postgres://xrm@127.0.0.1:$P1"
XRM_CLUSTER_REPLICA="postgres://xrm@127.0.0.1:$P2"
HOME=$T/home
export XRM_OPS_DIR XRM_OPS_NODES XRM_OPS_LB XRM_CLUSTER_PRIMARY XRM_CLUSTER_REPLICA HOME
python3 -m unittest -v tests/cluster/test_cluster.py
rc=$?
echo "test-ops: done in $(( $(date +%s) - t0 )) s"
exit $rc
