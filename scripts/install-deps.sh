#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages chartprov builds, tests and fuzzes with.
#
# Idempotent, non-interactive, quiet: apt's output goes to $DEPS_LOG (default
# /var/log/chartprov-install-deps.log); prints one line; exits non-zero on any failure.
# When every package is already installed it only asks dpkg (well under a second) and
# runs no apt-get at all. Needs root when something is missing.
#
#   bash scripts/install-deps.sh          # (make deps)
set -euo pipefail

LOG=${DEPS_LOG:-/var/log/chartprov-install-deps.log}

PKGS=(
  # toolchain
  build-essential cmake ninja-build pkg-config g++ git ca-certificates
  # lld: links the static chartprov with its hot code together (tools/hot-symbols.txt)
  lld
  # scripts, demo and e2e tests
  python3 jq curl
  # clang: fuzz build (libFuzzer + sanitizer runtimes), format, tidy
  clang libclang-rt-14-dev libfuzzer-14-dev clang-format clang-tidy
  # libraries (DESIGN.md "Chosen dependencies")
  libssl-dev librnp-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsodium-dev zlib1g-dev libdeflate-dev
  libcurl4-openssl-dev libcpp-httplib-dev libsqlite3-dev libp11-kit-dev
  # the exec-signer example plugin and tests use the openssl tool
  openssl
  # the transparency log's stores and the decision-store sink (chartprov-log, dynamic): libpq;
  # postgresql-15 is the real server the tests start (scripts/postgres.sh), psql reads it back
  libpq-dev postgresql-15 postgresql-client-15
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev hyperfine
  # promtool: the metrics exposition is checked with Prometheus' own linter
  prometheus
  # packaging tests: buildah builds the FROM-scratch image (packaging/image), without a daemon;
  # python3-yaml reads the webhook chart's rendered manifests (packaging/helm)
  buildah python3-yaml
  # the transparency log's tests sign their submissions independently of chartprov (log_driver.py)
  python3-cryptography
)

die() {
  echo "install-deps.sh: $*" >&2
  if [ -s "$LOG" ]; then echo "--- last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; fi
  exit 1
}

# (Outputs are captured, not piped into grep -q: under pipefail an early grep exit is a SIGPIPE.)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]; }
candidate() { [[ $(apt-cache policy "$1" 2>/dev/null) =~ Candidate:\ [^\(] ]]; }

missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root (make deps) to install them"
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >>"$LOG" 2>&1 || die "apt-get update failed"
# Name every package that Debian does not offer, rather than let apt fail on the first one.
unknown=()
for p in "${missing[@]}"; do
  candidate "$p" || unknown+=("$p")
done
[ ${#unknown[@]} -eq 0 ] || die "no Debian package named: ${unknown[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 \
  || die "apt-get install ${missing[*]} failed"
for p in "${missing[@]}"; do installed "$p" || die "$p still not installed"; done
echo "deps: installed ${missing[*]} (log: $LOG)"
