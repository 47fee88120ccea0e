#!/usr/bin/env bash
# Regenerates every app icon from icons/source.svg (needs rsvg-convert, ImageMagick and
# png2icns: apt install librsvg2-bin imagemagick icnsutils). Icons must be RGBA PNGs.
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert -w "$1" -h "$1" source.svg -o "tmp-$1.png" && convert "tmp-$1.png" "PNG32:$2" && rm "tmp-$1.png"; }
render 32 32x32.png
render 128 128x128.png
render 256 128x128@2x.png
render 512 icon.png
for s in 16 24 32 48 64 256; do rsvg-convert -w $s -h $s source.svg -o "ico-$s.png"; done
convert ico-16.png ico-24.png ico-32.png ico-48.png ico-64.png ico-256.png icon.ico
rm ico-*.png
render 1024 icon-1024.png
png2icns icon.icns icon.png 128x128.png 32x32.png >/dev/null
rm icon-1024.png
echo "icons written: $(ls *.png *.ico *.icns | tr '\n' ' ')"
