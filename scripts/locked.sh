#!/usr/bin/env bash
# scripts/locked.sh BUILD COMMAND...: runs COMMAND holding BUILD/.make.lock, so that two `make`s in
# one clone (a second terminal) take turns instead of running Ninja, CMake or the tests in one
# build folder at once. The second says so and waits; the lock goes with the process (flock), so
# a make that was killed leaves nothing to clean up.
set -euo pipefail
build=$1
shift
mkdir -p "$build"
exec 9>"$build/.make.lock"
if ! flock --nonblock 9; then
  echo "make: another make is running in this clone (it holds $build/.make.lock); waiting for it to finish" >&2
  flock 9
fi
"$@"
