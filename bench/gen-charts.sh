#!/usr/bin/env bash
# Makes a Helm repository of N signed charts for the repository benchmarks:
#   bash bench/gen-charts.sh CHARTPROV OUT N ALGORITHM
# ALGORITHM: ecdsa-p256 | rsa-3072 | ed25519 (chartprov key generate). Writes
#   OUT/key.{key,pub.gpg,pub.asc}   a fresh key, no passphrase (benchmarks only)
#   OUT/repo/bench-1.0.I.tgz{,.prov} for I in 0..N-1: `helm create` (5,2xx bytes packaged), signed
#   OUT/repo/index.yaml             by `helm repo index` (PEERS/helm), as a real repository has
# Big charts (streaming and RSS): BIG_MB=95 adds OUT/big/big-1.0.0.tgz{,.prov}, 19 files of random
# bytes (each under Helm's 5 MiB per-file limit, 95 MiB in all: a ~100 MB .tgz), and its index.
set -euo pipefail
C=$1 OUT=$2 N=$3 ALG=$4
PEERS=${PEERS:-/opt/peers/bin}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$OUT/repo"
OUT=$(cd "$OUT" && pwd)
export HELM_CONFIG_HOME=$OUT/.helm HELM_CACHE_HOME=$OUT/.helm HELM_DATA_HOME=$OUT/.helm
[ -f "$OUT/key.key" ] || "$C" key generate --algorithm "$ALG" --uid "Bench $ALG <bench@test.invalid>" \
  --output "$OUT/key" --no-passphrase >/dev/null
# One chart directory per worker (package reads Chart.yaml, which each worker edits).
for w in $(seq 0 $((JOBS - 1))); do
  [ -d "$OUT/src$w/bench" ] || { mkdir -p "$OUT/src$w" && (cd "$OUT/src$w" && "$PEERS/helm" create bench >/dev/null); }
done
gen_range() {  # gen_range WORKER: every JOBS-th chart starting at WORKER
  local w=$1 i
  for ((i = w; i < N; i += JOBS)); do
    [ -f "$OUT/repo/bench-1.0.$i.tgz.prov" ] && continue
    sed -i "s/^version: .*/version: 1.0.$i/" "$OUT/src$w/bench/Chart.yaml"
    "$C" package "$OUT/src$w/bench" --sign --key "$OUT/key.key" -d "$OUT/repo" >/dev/null
  done
}
for w in $(seq 0 $((JOBS - 1))); do gen_range "$w" & done
wait
"$PEERS/helm" repo index "$OUT/repo"
if [ -n "${BIG_MB:-}" ]; then
  mkdir -p "$OUT/big"
  if [ ! -f "$OUT/big/big-1.0.0.tgz.prov" ]; then
    rm -rf "$OUT/bigsrc" && mkdir -p "$OUT/bigsrc" && (cd "$OUT/bigsrc" && "$PEERS/helm" create big >/dev/null)
    mkdir -p "$OUT/bigsrc/big/files"
    files=$(( (BIG_MB + 4) / 5 ))
    for f in $(seq 1 "$files"); do head -c $((5 * 1024 * 1024 - 4096)) /dev/urandom >"$OUT/bigsrc/big/files/blob-$f.bin"; done
    "$C" package "$OUT/bigsrc/big" --sign --key "$OUT/key.key" -d "$OUT/big" >/dev/null
    "$PEERS/helm" repo index "$OUT/big"
  fi
fi
echo "$OUT/repo: $(ls "$OUT/repo" | grep -c '\.tgz$') charts ($ALG), keyring $OUT/key.pub.gpg"
