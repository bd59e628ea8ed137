#!/bin/bash
# A/B: bench/work/ab.sh OLD NEW ROUNDS SECS SCENARIOS...; servers on copies /tmp/sl-a.sqlite (old) and /tmp/sl-b.sqlite (new)
OLD=$1; NEW=$2; ROUNDS=$3; SECS=$4; shift 4
export BENCH_TOKENS=$(awk '{print $2}' /tmp/sl-tokens.txt | paste -sd,)
for r in $(seq $ROUNDS); do
 for which in old new; do
  if [ $which = old ]; then B=$OLD; DB=/tmp/sl-a.sqlite; else B=$NEW; DB=/tmp/sl-b.sqlite; fi
  XRM_AUTOMATION_INTERVAL=0 $B serve --db $DB --listen 127.0.0.1:18760 --response-cache off >/dev/null 2>&1 &
  P=$!; sleep 2
  for scn in "$@"; do
   wrk -t2 -c8 -d2s -s bench/results/2026-12-07-search-tools/multi.lua http://127.0.0.1:18760 -- $scn 1 >/dev/null
   t0=$(awk '{print $14+$15}' /proc/$P/stat)
   out=$(wrk -t2 -c64 -d${SECS}s --timeout 10s -s bench/results/2026-12-07-search-tools/multi.lua http://127.0.0.1:18760 -- $scn $r | grep RESULT)
   t1=$(awk '{print $14+$15}' /proc/$P/stat)
   req=$(echo "$out" | sed 's/.*req=\([0-9]*\).*/\1/')
   echo "round=$r $which $scn $out cpu_s_per_1000=$(echo "scale=2; ($t1-$t0)/100*1000/$req" | bc) load1=$(cut -d' ' -f1 /proc/loadavg)"
  done
  kill $P; wait $P 2>/dev/null
 done
done
