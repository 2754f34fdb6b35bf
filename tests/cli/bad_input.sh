#!/usr/bin/env bash
# bad_input.sh PROGRAM CHAPTER ARGS...: runs PROGRAM with bad ARGS into an output folder that
# already holds a results file, and checks the error policy: exit code 2, exactly one line on
# stderr naming the program and saying "error", nothing on stdout, the existing file untouched
# and no new file or folder created. In ARGS, @DIR@ stands for the scratch folder, which holds a
# plain file "blocker" (so --out @DIR@/blocker/x is an output folder that cannot be created).
# Bash's own builtins do the checks (a glob lists the folder, mapfile reads the streams): 115 cases
# run this script, and with find, sort, wc and grep it forked a dozen programs a case (82 ms
# against 53 ms a case; the program itself starts in about 16 ms).
set -u
shopt -s globstar dotglob nullglob
program=$1 chapter=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/out/results"
echo sentinel > "$dir/out/results/$chapter.json"
echo "a file where a folder is wanted" > "$dir/blocker"
before=("$dir"/**)
args=()
own_out=no
for a in "$@"; do
  [ "$a" = --out ] && own_out=yes   # the case names its own output folder
  args+=("${a//@DIR@/$dir}")
done
[ "$own_out" = yes ] || args=(--out "$dir/out" "${args[@]}")
"$program" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr"
rc=$?
mapfile -t err < "$dir/stderr"
fail() { echo "FAIL: $*"; echo "--- stderr:"; printf '%s\n' "${err[@]}"; exit 1; }
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
[ "${#err[@]}" -eq 1 ] || fail "stderr has ${#err[@]} lines, expected 1"
[[ ${err[0]} == "${program##*/}: error: "* ]] || fail "stderr does not start with '${program##*/}: error: '"
[ ! -s "$dir/stdout" ] || fail "unexpected output on stdout"
mapfile -t results < "$dir/out/results/$chapter.json"
[ "${results[*]}" = sentinel ] || fail "existing results file was changed"
created=()
for f in "$dir"/**; do
  [ "$f" = "$dir/stdout" ] || [ "$f" = "$dir/stderr" ] && continue
  seen=no
  for g in "${before[@]}"; do [ "$f" = "$g" ] && { seen=yes; break; }; done
  [ "$seen" = yes ] || created+=("${f#"$dir/"}")
done
[ "${#created[@]}" -eq 0 ] || fail "files created: ${created[*]}"
echo "ok: ${err[0]}"
