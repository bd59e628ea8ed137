#!/bin/sh
# Fails when a C file differs from what clang-format (the binding style) makes of it.
files=$(find src tests bench -name '*.[ch]' -not -path 'bench/work/*' -not -path 'bench/data/*' 2>/dev/null)
[ -z "$files" ] && exit 0
bad=0
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "format: $f differs from .clang-format (run: make format)"
        bad=1
    fi
done
[ "$bad" = 0 ] && echo "format-check: ok"
exit $bad
