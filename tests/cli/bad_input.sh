#!/usr/bin/env bash
# bad_input.sh PROGRAM CHAPTER ARGS...: runs PROGRAM with bad ARGS into an output folder that
# already holds a results file, and checks the error policy: exit code 2, exactly one line on
# stderr naming the program and saying "error", nothing on stdout, the existing file untouched
# and no new file or folder created. In ARGS, @DIR@ stands for the scratch folder, which holds a
# plain file "blocker" (so --out @DIR@/blocker/x is an output folder that cannot be created).
set -u
program=$1 chapter=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/out/results"
echo sentinel > "$dir/out/results/$chapter.json"
echo "a file where a folder is wanted" > "$dir/blocker"
before=$(cd "$dir" && find . | sort)
args=()
own_out=no
for a in "$@"; do
  [ "$a" = --out ] && own_out=yes   # the case names its own output folder
  args+=("${a//@DIR@/$dir}")
done
[ "$own_out" = yes ] || args=(--out "$dir/out" "${args[@]}")
"$program" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr"
rc=$?
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$dir/stderr"; exit 1; }
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
[ "$(wc -l < "$dir/stderr")" -eq 1 ] || fail "stderr has $(wc -l < "$dir/stderr") lines, expected 1"
grep -q "^$(basename "$program"): error: " "$dir/stderr" || fail "stderr does not start with '$(basename "$program"): error: '"
[ ! -s "$dir/stdout" ] || fail "unexpected output on stdout"
[ "$(cat "$dir/out/results/$chapter.json")" = sentinel ] || fail "existing results file was changed"
message=$(cat "$dir/stderr")
rm -f "$dir/stdout" "$dir/stderr"
after=$(cd "$dir" && find . | sort)
[ "$before" = "$after" ] || fail "files created: $(diff <(echo "$before") <(echo "$after") | grep '^>' | tr '\n' ' ')"
echo "ok: $message"
