#!/bin/sh
# A throwaway PostgreSQL cluster for tests, in a temporary directory, on a
# free loopback port, run by a non-root user (postgres when started as root).
#
#   scripts/pg.sh start DIR [replica-of PRIMARY_DIR]   initdb (or pg_basebackup) + start
#   scripts/pg.sh stop DIR                             stop (fast) and remove DIR
#   scripts/pg.sh url DIR [DBNAME]                     postgres://xrm@127.0.0.1:PORT[/DBNAME]
#   scripts/pg.sh check                                exit 1 naming what is missing
#
# DIR must not exist yet (start creates it). The cluster trusts loopback
# connections of user xrm (it is a throwaway) and runs with fsync off.
# The port is in DIR/port; the server log in DIR/log (set-up output: DIR/setup.log).
set -e

bindir=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then
        bindir=$d
        break
    fi
done

check() {
    missing=""
    [ -n "$bindir" ] || missing="$missing postgresql"
    command -v psql >/dev/null 2>&1 || missing="$missing postgresql-client"
    command -v python3 >/dev/null 2>&1 || missing="$missing python3"
    if [ -n "$missing" ]; then
        echo "pg.sh: missing Debian packages:$missing (apt-get install -y$missing)" >&2
        return 1
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg.sh: running as root needs the user 'postgres' (made by the postgresql package)" >&2
        return 1
    fi
}

# Runs a PostgreSQL program as a non-root user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    dir=$1
    check
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    if [ "$2" = replica-of ]; then
        primary=$3
        pport=$(cat "$primary/port")
        as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pport" -U xrm -D "$dir/data" \
            -X stream -R -c fast >"$dir/setup.log" 2>&1 || { cat "$dir/setup.log" >&2; exit 1; }
    else
        as_pg "$bindir/initdb" -D "$dir/data" -U xrm --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$dir/setup.log" 2>&1 || { cat "$dir/setup.log" >&2; exit 1; }
        cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 200
shared_buffers = 64MB
EOF
        echo "host replication xrm 127.0.0.1/32 trust" >>"$dir/data/pg_hba.conf"
    fi
    touch "$dir/log"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/log"
    # Try a few ports: another process may take the one we picked.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        echo "$port" >"$dir/port"
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
            -o "-p $port -k $dir" start >/dev/null 2>&1; then
            return 0
        fi
    done
    cat "$dir/log" >&2
    echo "pg.sh: cannot start PostgreSQL in $dir" >&2
    exit 1
}

stop() {
    dir=$1
    [ -d "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bindir" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
            as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "$1" in
start) start "$2" "$3" "$4" ;;
stop) stop "$2" ;;
url)
    port=$(cat "$2/port")
    echo "postgres://xrm@127.0.0.1:$port${3:+/$3}"
    ;;
check) check ;;
*)
    echo "usage: scripts/pg.sh start DIR [replica-of PRIMARY_DIR] | stop DIR | url DIR [DB] | check" >&2
    exit 2
    ;;
esac
