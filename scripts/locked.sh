#!/usr/bin/env bash
# scripts/locked.sh BUILD [--cpu-record FILE] COMMAND...: runs COMMAND holding BUILD/.make.lock, so
# that two `make`s in one clone (a second terminal) take turns instead of running Ninja, CMake or
# the tests in one build folder at once. The second says so and waits; the lock goes with the
# process (flock), so a make that was killed leaves nothing to clean up. With --cpu-record, the CPU
# seconds COMMAND used (user + sys, its processes and theirs) go to FILE (make bench reports them
# for the first make; CPU seconds compare between machines better than wall time).
set -euo pipefail
build=$1
shift
record=""
if [[ ${1:-} == --cpu-record ]]; then
  record=$2
  shift 2
fi
mkdir -p "$build"
exec 9>"$build/.make.lock"
if ! flock --nonblock 9; then
  echo "make: another make is running in this clone (it holds $build/.make.lock); waiting for it to finish" >&2
  flock 9
fi
"$@"
if [[ -n $record ]]; then
  # bash's `times`: this shell's user and sys, then its children's ("1m2.345s 0m5.000s").
  # Redirected, not piped: a pipe would run `times` in a subshell, which has no children.
  times > "$record.times"
  awk 'NR == 2 {
    split($1, u, /[ms]/); split($2, s, /[ms]/)
    printf "%.2f %.2f\n", u[1] * 60 + u[2], s[1] * 60 + s[2] }' "$record.times" > "$record.tmp"
  rm -f "$record.times"
  mv "$record.tmp" "$record"
fi
