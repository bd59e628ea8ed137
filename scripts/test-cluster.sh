#!/bin/sh
# Scale-out test: a PostgreSQL primary and a streaming replica (pg_basebackup)
# on loopback, two `xrm serve` nodes reading from the replica where the user
# cannot notice, and Debian's haproxy in front (tests/cluster/test_cluster.py
# starts the nodes and haproxy). Everything runs in a temporary directory and
# is stopped at the end, also when a test fails. Installs nothing: it says
# what is missing. Binary: XRM_RELEASE_BIN (default build/xrm), built with libpq.
set -u
cd "$(dirname "$0")/.."

XRM_RELEASE_BIN=${XRM_RELEASE_BIN:-build/xrm}
export XRM_RELEASE_BIN

scripts/pg.sh check || exit 1
if ! command -v haproxy >/dev/null 2>&1; then
    echo "test-cluster: missing Debian package: haproxy (apt-get install -y haproxy)" >&2
    exit 1
fi
if [ ! -x "$XRM_RELEASE_BIN" ]; then
    echo "test-cluster: $XRM_RELEASE_BIN is missing (make build/xrm)" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/xrm-cluster-XXXXXX)
chmod 755 "$dir"
cleanup() {
    # The test stops what it started; these catch what a killed test left.
    for f in "$dir"/node*.pid "$dir/haproxy.pid"; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    scripts/pg.sh stop "$dir/replica"
    scripts/pg.sh stop "$dir/primary"
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "test-cluster: primary in $dir/primary"
scripts/pg.sh start "$dir/primary" || exit 1
echo "test-cluster: streaming replica in $dir/replica (pg_basebackup)"
scripts/pg.sh start "$dir/replica" replica-of "$dir/primary" || exit 1

XRM_CLUSTER_PRIMARY=$(scripts/pg.sh url "$dir/primary")
XRM_CLUSTER_REPLICA=$(scripts/pg.sh url "$dir/replica")
XRM_CLUSTER_DIR=$dir
export XRM_CLUSTER_PRIMARY XRM_CLUSTER_REPLICA XRM_CLUSTER_DIR
python3 -m unittest -v tests/cluster/test_cluster.py
