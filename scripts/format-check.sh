#!/bin/sh
# Fails when a C file differs from what clang-format (the binding style) makes of it.
# One clang-format process checks every file (a process per file costs ~15x the CPU).
files=$(find src tests bench -name '*.[ch]' -not -path 'bench/work/*' -not -path 'bench/data/*' 2>/dev/null | sort)
[ -z "$files" ] && exit 0
out=$(clang-format --dry-run --Werror $files 2>&1)
rc=$?
if [ $rc = 0 ]; then
    echo "format-check: ok"
    exit 0
fi
bad=$(printf '%s\n' "$out" | sed -n 's/^\([^:]*\.[ch]\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if [ -z "$bad" ]; then
    # clang-format failed otherwise (a file it cannot read, a bad .clang-format): say so.
    printf '%s\n' "$out" | tail -n 30
    echo "format-check: clang-format failed (exit code $rc)"
    exit 1
fi
for f in $bad; do
    echo "format: $f differs from .clang-format (run: make format)"
done
exit 1
