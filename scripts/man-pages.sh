#!/bin/sh
# Writes the man pages of xrm into DIR: xrm(1) and one xrm-COMMAND(1) per command
# that `xrm --help` lists, each made by help2man from the binary's own --help, so
# a page never says other than the binary. Usage: scripts/man-pages.sh BINARY DIR
set -eu
bin=$(realpath "$1")
out=$2
command -v help2man >/dev/null 2>&1 || {
    echo "man-pages: help2man is missing (scripts/deps.sh run installs it)" >&2
    exit 1
}
version=$("$bin" --version | sed -n 's/^xrm //p')
[ -n "$version" ] || { echo "man-pages: '$bin --version' printed no version" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/bin"
# The commands: the indented lines between "commands:" and the next blank line.
cmds=$("$bin" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ] || { echo "man-pages: '$bin --help' lists no commands" >&2; exit 1; }
# help2man reads "Usage:" and "Options:" as the SYNOPSIS and OPTIONS sections; the
# binary writes them lower case. A wrapper per page runs the binary (so the page's
# name is xrm-COMMAND) and capitalises those headings, nothing else.
wrapper() { # NAME ARGS...
    name=$1
    shift
    printf '#!/bin/sh\n"%s" %s "$@" | sed -e %s -e %s -e %s\n' "$bin" "$*" \
        "'s/^usage:/Usage:/'" "'s/^options:\$/Options:/'" "'s/^commands:\$/Commands:/'" \
        >"$out/bin/$name"
    chmod +x "$out/bin/$name"
}
see_also() { # NAME: every page but NAME
    printf '[SEE ALSO]\n'
    for p in xrm $(printf 'xrm-%s\n' $cmds); do
        [ "$p" = "$1" ] || printf '.BR %s (1)\n' "$p"
    done | sed '$!s/$/ ,/'
}
page() { # NAME SUMMARY ARGS...
    name=$1
    summary=$2
    shift 2
    wrapper "$name" "$@"
    see_also "$name" >"$out/bin/$name.h2m"
    help2man --no-info --version-string="$version" --name="$summary" \
        --include="$out/bin/$name.h2m" --output="$out/$name.1" "$out/bin/$name"
}
page xrm "manage every relationship of a business" 
for c in $cmds; do
    summary=$("$bin" --help | sed -n "s/^  $c  *//p")
    page "xrm-$c" "$summary" "$c"
done
rm -rf "${out:?}/bin"
echo "man-pages: $(ls "$out" | wc -l) pages in $out"
