#!/usr/bin/env bash
# figure_dpi.sh FIGURES DPI PDFINFO: every figure PDF the build declared has its PNG, and the PNG is
# the PDF's page at DPI dots per inch: width and height in pixels = points / 72 * DPI (pdftoppm
# rounds up; within one pixel), and it records DPI as its print resolution (its pHYs chunk: DPI /
# 0.0254 pixels per metre). The PNG's size is read from its IHDR chunk (bytes 16-23).
set -u
figures=$1 dpi=$2 pdfinfo=$3
n=0
fail() { echo "FAIL: $*"; exit 1; }
for pdf in "$figures"/*.pdf; do
  [ -e "$pdf" ] || fail "no figure PDFs in $figures (run make first)"
  png=${pdf%.pdf}.png
  [ -f "$png" ] || fail "$png is missing"
  read -r wpt hpt < <("$pdfinfo" "$pdf" | awk '/^Page size:/ { print $3, $5 }')
  read -r wpx hpx < <(od -An -tu1 -j16 -N8 "$png" |
    awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
  awk -v w="$wpt" -v h="$hpt" -v W="$wpx" -v H="$hpx" -v d="$dpi" 'BEGIN {
      ew = w / 72 * d; eh = h / 72 * d
      exit !(W >= ew - 1 && W <= ew + 1 && H >= eh - 1 && H <= eh + 1) }' ||
    fail "$png is $wpx x $hpx pixels; $pdf is $wpt x $hpt pt, so $dpi dpi is $(awk -v w="$wpt" -v h="$hpt" -v d="$dpi" 'BEGIN { printf "%.1f x %.1f", w / 72 * d, h / 72 * d }')"
  at=$(grep -obUa pHYs "$png" | head -n 1 | cut -d: -f1)
  [ -n "$at" ] || fail "$png records no resolution (no pHYs chunk)"
  per_metre=$(od -An -tu1 -j$((at + 4)) -N4 "$png" |
    awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
  [ "$per_metre" = "$(awk -v d="$dpi" 'BEGIN { printf "%d", d / 0.0254 + 0.5 }')" ] ||
    fail "$png records $per_metre pixels per metre, not $dpi dpi"
  n=$((n + 1))
done
echo "$n figures, each PNG at $dpi dpi and recording it"
