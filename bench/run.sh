#!/bin/sh
# The benchmark entry point: `bench/run.sh quick` (make bench-quick, about a
# minute: 10k parties, 5 s runs) or `bench/run.sh full` (make bench: 10k, 100k
# and 1M parties; the first full run loads the 1M data set, which takes long).
# `bench/run.sh smoke` checks the harness itself in about half a minute.
# Builds the C helpers into bench/work/, then runs bench/bench.py. Every
# server started is recorded in bench/work/pids and stopped on exit.
set -eu
mode=${1:-quick}
case "$mode" in
quick | full | smoke) ;;
*)
    echo "usage: bench/run.sh quick|full|smoke" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
scripts/deps.sh bench
mkdir -p bench/work bench/data bench/results
[ -x "${XRM_BIN:-build/xrm}" ] || {
    echo "bench: ${XRM_BIN:-build/xrm} is missing; run make build/xrm" >&2
    exit 1
}

cflags="-std=c17 -O2 -g -Wall -Wextra -Wshadow -Wno-format-truncation -pthread"
gcc $cflags -o bench/work/gen-load bench/gen-load.c
gcc $cflags -o bench/work/sqlbench bench/sqlbench.c -lsqlite3
gcc $cflags -shared -fPIC -o bench/work/sqltrace.so bench/sqltrace.c -ldl -lsqlite3

pids=bench/work/pids
: >"$pids"
cleanup() {
    if [ -s "$pids" ]; then
        while read -r pid; do
            kill "$pid" 2>/dev/null || true
        done <"$pids"
        : >"$pids"
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

python3 bench/bench.py "$mode"
