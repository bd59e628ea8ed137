#!/bin/sh
# `make run`: create the database with demo data when missing, then serve.
# usage: scripts/run.sh BIN DB PORT
set -e
bin=$1 db=$2 port=$3
if [ ! -f "$db" ]; then
    pw=${XRM_ADMIN_PASSWORD:-$(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')}
    XRM_ADMIN_PASSWORD=$pw "$bin" init --db "$db" >/dev/null
    "$bin" demo --db "$db"
    umask 077
    printf '%s\n' "$pw" > "$db.admin-password"
    echo "created $db with demo data"
fi
echo "xrm: http://127.0.0.1:$port/  (health: http://127.0.0.1:$port/healthz)"
if [ -f "$db.admin-password" ]; then
    echo "login: admin / $(cat "$db.admin-password")   (password kept in $db.admin-password)"
else
    echo "login: admin / the password you set for $db"
fi
exec "$bin" serve --db "$db" --listen "127.0.0.1:$port"
