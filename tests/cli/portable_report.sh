#!/usr/bin/env bash
# portable_report.sh SOURCE BUILD SHARED: the report names no folder of the machine that built it:
# neither the project's absolute path nor the shared folder's appears in the report's generated
# parts (BUILD/paper/*.tex), in its text (pdftotext, line breaks removed) or in any committed file.
set -u
source=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
shared=$(cd "$3" 2>/dev/null && pwd -P || echo "$3")
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$source/paper/report.pdf" ] || fail "no paper/report.pdf (run make first)"
text=$(pdftotext "$source/paper/report.pdf" - | tr -d '\n')
for dir in "$source" "$build" "$shared" "$(cd "$source" && pwd -P)"; do
  [ ${#dir} -gt 1 ] || continue
  ! grep -lF "$dir/" "$build"/paper/*.tex || fail "the report's generated parts name $dir"
  case $text in *"$dir/"*) fail "the report's text names $dir" ;; esac
  hits=$(git -C "$source" grep -lF "$dir/" 2>/dev/null)
  [ -z "$hits" ] || fail "committed files name $dir: $hits"
done
echo "no absolute path of this machine in the report or the committed files"
