#!/usr/bin/env bash
# png_tool.sh SB_PNG: the figures' PNG encoder (tools/png.cpp) as make runs it, a PPM on standard
# input. A good PPM gives a PNG (its signature, its size in IHDR); a PPM cut short, a bad --dpi, an
# unknown option or no --out gives exit code 2, one line on stderr naming the tool, and leaves an
# existing PNG as it was with no temporary file beside it.
set -u
tool=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; [ -f "$dir/stderr" ] && { echo "--- stderr:"; cat "$dir/stderr"; }; exit 1; }

printf 'P6\n2 1\n255\n\377\000\000\000\000\377' | "$tool" --dpi 300 --out "$dir/good.png" 2>"$dir/stderr" ||
  fail "a good PPM was refused"
[ "$(od -An -tx1 -N8 "$dir/good.png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG signature"
[ "$(od -An -tu1 -j16 -N8 "$dir/good.png" | tr -s ' ' | sed 's/^ //')" = "0 0 0 2 0 0 0 1" ] ||
  fail "IHDR does not say 2 x 1 pixels"

echo sentinel > "$dir/fig.png"
good='P6\n2 1\n255\n\377\000\000\000\000\377'
for case in "cut-short" "bad-dpi" "unknown-option" "no-out"; do
  case $case in
    cut-short) printf 'P6\n2 1\n255\n\377\000' | "$tool" --out "$dir/fig.png" ;;
    bad-dpi) printf "$good" | "$tool" --dpi 0 --out "$dir/fig.png" ;;
    unknown-option) printf "$good" | "$tool" --out "$dir/fig.png" --quality 9 ;;
    no-out) printf "$good" | "$tool" --dpi 300 ;;
  esac >"$dir/stdout" 2>"$dir/stderr"
  rc=$?
  [ "$rc" -eq 2 ] || fail "$case: exit code $rc, expected 2"
  [ "$(wc -l < "$dir/stderr")" -eq 1 ] || fail "$case: stderr has $(wc -l < "$dir/stderr") lines"
  grep -q '^sb_png: error: ' "$dir/stderr" || fail "$case: stderr does not start with 'sb_png: error: '"
  [ ! -s "$dir/stdout" ] || fail "$case: output on stdout"
  [ "$(cat "$dir/fig.png")" = sentinel ] || fail "$case: the existing PNG was changed"
  [ "$(ls "$dir" | grep -c tmp)" -eq 0 ] || fail "$case: a temporary file was left: $(ls "$dir")"
  echo "ok: $case: $(cat "$dir/stderr")"
done
