#!/bin/sh
# Import benchmark: N CSV rows (default 1,000,000) of Dutch-looking persons
# and organisations, generated deterministically (bench/gen-import-csv.py),
# imported with `xrm import` into a fresh database; reports rows per second
# and the peak memory (maximum resident set size, /usr/bin/time -v) into
# bench/results/<date>-import.md. Usage: bench/import.sh [ROWS]
set -eu
ROWS=${1:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$HERE/work/import
BIN=$ROOT/build/xrm
mkdir -p "$WORK" "$HERE/results"
CSV=$WORK/parties-$ROWS.csv
[ -s "$CSV" ] || python3 "$HERE/gen-import-csv.py" "$ROWS" >"$CSV"
rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
XRM_ADMIN_PASSWORD=bench-import-2026 "$BIN" init --db "$WORK/bench.db" >/dev/null
start=$(date +%s.%N)
/usr/bin/time -v "$BIN" import "$CSV" --db "$WORK/bench.db" 2>"$WORK/time.log" || true
end=$(date +%s.%N)
summary=$(grep '^import ' "$WORK/time.log" | tail -1)
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.log")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.log")
share=$(awk -F': ' '/Percent of CPU/ {print $2}' "$WORK/time.log")
parties=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM parties")
secs=$(echo "$end - $start" | bc -l)
rate=$(echo "$ROWS / $secs" | bc)
size=$(du -h "$CSV" | cut -f1)
out=$HERE/results/$(date -u +%Y-%m-%d)-import.md
{
    echo "# Import benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "\`xrm import\` of $ROWS CSV rows ($size, ';'-separated, Dutch headers) into a new"
    echo "SQLite database on $(nproc) cores."
    echo
    echo "| rows | seconds | rows/s | CPU seconds | rows per CPU second | CPU share | peak RSS | parties after |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    printf '| %s | %.1f | %s | %.0f | %.0f | %s | %s MB | %s |\n' "$ROWS" "$secs" "$rate" "$cpu" \
        "$(echo "$ROWS / $cpu" | bc -l)" "$share" "$((rss / 1024))" "$parties"
    echo
    echo "xrm said: $summary"
} >"$out"
cat "$out"
