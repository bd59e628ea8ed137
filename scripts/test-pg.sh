#!/bin/sh
# Runs the storage conformance suite (SQLite and PostgreSQL) and the whole API
# suite (tests/api) on a throwaway PostgreSQL cluster, started here in a
# temporary directory on a free loopback port and stopped at the end, also
# when a test fails or the run is interrupted. Installs nothing: it says what
# is missing. Binaries: XRM_BIN (default build/san/xrm), XRM_RELEASE_BIN
# (build/xrm), XRM_CONFORMANCE_BIN (build/san/tests/store/test-conformance),
# all built with libpq (make ... with libpq in the Makefile's PKGS).
# PG_JOBS: how many API test processes run at once (default 2).
set -u
cd "$(dirname "$0")/.."

XRM_BIN=${XRM_BIN:-build/san/xrm}
XRM_RELEASE_BIN=${XRM_RELEASE_BIN:-build/xrm}
CONF=${XRM_CONFORMANCE_BIN:-build/san/tests/store/test-conformance}
export XRM_BIN XRM_RELEASE_BIN

scripts/pg.sh check || exit 1
for b in "$XRM_BIN" "$XRM_RELEASE_BIN" "$CONF"; do
    if [ ! -x "$b" ]; then
        echo "test-pg: $b is missing (make build/san/xrm build/xrm $CONF)" >&2
        exit 1
    fi
done

dir=$(mktemp -d /tmp/xrm-pgtest-XXXXXX)
trap 'scripts/pg.sh stop "$dir"' EXIT
trap 'exit 130' INT TERM HUP
echo "test-pg: starting PostgreSQL in $dir"
scripts/pg.sh start "$dir" || exit 1
XRM_TEST_PG_URL=$(scripts/pg.sh url "$dir")
export XRM_TEST_PG_URL

# A binary built without libpq has a stub driver: say so instead of failing every test.
probe=$("$XRM_RELEASE_BIN" init --db "$XRM_TEST_PG_URL/xrm_no_such_db" 2>&1)
case "$probe" in
*"without PostgreSQL"*)
    echo "test-pg: $XRM_RELEASE_BIN was built without libpq: $probe" >&2
    exit 1
    ;;
esac

fail=0
echo "== storage conformance on SQLite and PostgreSQL ($XRM_TEST_PG_URL)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$CONF" || fail=1
echo "== API suite on PostgreSQL ($XRM_TEST_PG_URL)"
# Its modules in PG_JOBS processes, each server on a database of its own.
# A module that says `ENGINE_INDEPENDENT = True` never uses the database the
# harness gives it (e.g. the configuration tests: a SQLite file of their own).
skip=""
for m in $(grep -l '^ENGINE_INDEPENDENT = True' tests/api/test_*.py); do
    skip="$skip --exclude $(basename "$m" .py)"
done
# shellcheck disable=SC2086
python3 scripts/run-unittest.py -j"${PG_JOBS:-2}" --label api-pg -s tests/api $skip || fail=1
if [ "$fail" = 0 ]; then
    echo "test-pg: all passed"
else
    echo "test-pg: FAILED"
fi
exit $fail
