#!/usr/bin/env bash
# Installs the Debian packages the pipeline needs, if any are missing. As root it runs apt-get;
# otherwise it prints the exact command to run and fails. Used by `make` (target deps).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ clang lld make pkg-config git
  # numerics: Armadillo on OpenBLAS/LAPACK
  libarmadillo-dev libopenblas-dev liblapack-dev libfftw3-dev libpng-dev
  # tests, JSON, command lines
  doctest-dev nlohmann-json3-dev libcli11-dev
  # figures and report: pgfplots, latexmk, PNG rendering
  texlive-latex-base texlive-latex-recommended texlive-pictures texlive-fonts-recommended
  lmodern latexmk poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
$cmd
