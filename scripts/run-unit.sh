#!/bin/sh
# Runs each unit-test binary; fails when any test or sanitizer fails.
fail=0
total=0
# one-time caches of libraries that LeakSanitizer would report (see the file)
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
for t in "$@"; do
    total=$((total + 1))
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$t"; then
        echo "FAILED: $t"
        fail=$((fail + 1))
    fi
done
echo "unit test binaries: $total, failed: $fail"
[ "$fail" = 0 ]
