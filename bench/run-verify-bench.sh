#!/usr/bin/env bash
# One `chartprov verify` process against the peers, on the same signed chart, in ONE hyperfine
# run: helm v4 verify, gpgv (signature only), rnp --verify (signature only) and an empty static
# C program (the process floor). Prints hyperfine's table and the ratios.
#
#   bash bench/run-verify-bench.sh [BUILD_DIR] [RESULTS_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
RUNS=${RUNS:-100}
mkdir -p "$OUT"
T=$(mktemp -d); trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h CHARTPROV_CACHE_DIR=$T/cache GNUPGHOME=$T/g
mkdir -m 700 "$GNUPGHOME"
cc -O2 -static -o "$T/floor" "$ROOT/bench/process_floor.c"
C=$BUILD/chartprov
"$PEERS/helm" create "$T/demo" >/dev/null
for alg in ecdsa-p256 rsa-3072; do
  "$C" key generate --algorithm "$alg" --uid "Bench $alg <bench@test.invalid>" --output "$T/$alg" --no-passphrase >/dev/null
  mkdir -p "$T/$alg-out"
  "$C" package "$T/demo" --sign --key "$T/$alg.key" -d "$T/$alg-out" >/dev/null
  "$C" verify "$T/$alg-out/demo-0.1.0.tgz" --keyring "$T/$alg.pub.gpg" >/dev/null  # warms the keyring cache
done
gpg --batch --quiet --import "$T/ecdsa-p256.pub.gpg" 2>/dev/null
chart=$T/ecdsa-p256-out/demo-0.1.0.tgz ring=$T/ecdsa-p256.pub.gpg
rchart=$T/rsa-3072-out/demo-0.1.0.tgz rring=$T/rsa-3072.pub.gpg
echo "chart: $(stat -c %s "$chart") bytes; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$OUT/verify-hyperfine.json" --export-markdown "$OUT/verify-hyperfine.md" \
  -n floor "$T/floor" \
  -n "chartprov verify (P-256)" "$C verify $chart --keyring $ring" \
  -n "chartprov verify (RSA-3072)" "$C verify $rchart --keyring $rring" \
  -n "chartprov verify --no-cache (P-256)" "$C verify $chart --keyring $ring --no-cache" \
  -n "helm verify (P-256)" "$PEERS/helm verify $chart --keyring $ring" \
  -n "gpg --verify (P-256, signature only)" "gpg --batch --verify $chart.prov" \
  -n "gpgv (P-256, signature only)" "gpgv --keyring $ring $chart.prov" \
  -n "rnp --verify (P-256, signature only)" "rnp --keyfile $ring --verify $chart.prov"
python3 - "$OUT/verify-hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
cp = r["chartprov verify (P-256)"]
print()
print(f"chartprov verify (P-256, warm cache): {cp:.2f} ms")
print(f"  vs process floor      {cp / r['floor']:.2f}x the floor ({r['floor']:.2f} ms)   target <= 2.5x")
print(f"  vs helm verify        {r['helm verify (P-256)'] / cp:.1f}x faster ({r['helm verify (P-256)']:.1f} ms)   target >= 15x")
print(f"  vs gpg --verify        {r['gpg --verify (P-256, signature only)'] / cp:.1f}x faster")
print(f"  vs gpgv               {r['gpgv (P-256, signature only)'] / cp:.1f}x faster")
print(f"  vs rnp --verify       {r['rnp --verify (P-256, signature only)'] / cp:.1f}x faster")
PY
