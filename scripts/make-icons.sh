#!/bin/sh
# Makes the web app's PNG icons (web/icons/*.png, for the manifest and
# apple-touch-icon) from their SVG sources with rsvg-convert (Debian package
# librsvg2-bin). The PNGs are committed, so building and serving never need
# it; run this after changing web/icons/icon.svg or maskable.svg.
# usage: scripts/make-icons.sh
set -eu
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null 2>&1 ||
    { echo "make-icons: rsvg-convert not found; apt-get install librsvg2-bin" >&2; exit 1; }
for size in 192 512; do
    rsvg-convert -w "$size" -h "$size" -o "web/icons/icon-$size.png" web/icons/icon.svg
done
rsvg-convert -w 512 -h 512 -o web/icons/maskable-512.png web/icons/maskable.svg
rsvg-convert -w 180 -h 180 -o web/icons/apple-touch-icon.png web/icons/maskable.svg
ls -l web/icons/*.png
