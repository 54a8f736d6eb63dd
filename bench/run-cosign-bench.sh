#!/usr/bin/env bash
# cosign envelopes, one verification per process, in ONE hyperfine run (issue 3):
#   chartprov verify --key --signature (cosign-blob .sig) and --bundle (key-only), against
#   sigstore-js (`node verify-bundle.mjs`, the peer the issue names) on the same files,
#   `openssl dgst -verify` (signature only) and the empty static process (the floor).
#
#   bash bench/run-cosign-bench.sh [BUILD_DIR] [RESULTS_DIR]     RUNS=30 WARMUP=3 PEERS=/opt/peers/bin
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/cosign-hyperfine.{json,md}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
JS=${SIGSTORE_JS_DIR:-/opt/peers/node}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h
C=$BUILD/chartprov
D=$ROOT/tests/data/cosign
VB=$D/verify-bundle.mjs
cd "$T"
cc -O2 -static -o floor "$ROOT/bench/process_floor.c"
"$PEERS/helm" create demo >/dev/null && "$PEERS/helm" package demo >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
COSIGN_PASSWORD=pw "$C" sign demo-0.1.0.tgz --key cosign.key --format cosign-blob,sigstore-bundle >/dev/null
base64 -d demo-0.1.0.tgz.sig > sig.der
A=$D/upstream/sigstore-conformance/a.txt
B=$D/upstream/sigstore-conformance/managed-key-happy-path/bundle.sigstore.json
K=$D/upstream/sigstore-conformance/managed-key-happy-path/key.pub
ROOTJSON=$D/upstream/sigstore-js/trusted_root.json
# (chartprov verify takes charts only, so the log-and-timestamp path is measured as a function
# in bench/bundle_verify_bench.cpp; sigstore-js runs it here as a process.)
export SIGSTORE_JS_DIR=$JS
# Every command must succeed once before it is timed.
"$C" verify demo-0.1.0.tgz --key cosign.pub --signature demo-0.1.0.tgz.sig >/dev/null
"$C" verify demo-0.1.0.tgz --key cosign.pub --bundle demo-0.1.0.tgz.sigstore.json >/dev/null
SIGSTORE_JS_DIR=$JS node "$VB" --bundle demo-0.1.0.tgz.sigstore.json --key cosign.pub --artifact demo-0.1.0.tgz >/dev/null
SIGSTORE_JS_DIR=$JS node "$VB" --bundle "$B" --key "$K" --artifact "$A" --trusted-root "$ROOTJSON" >/dev/null
openssl dgst -sha256 -verify cosign.pub -signature sig.der demo-0.1.0.tgz >/dev/null
echo "$(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/cosign-hyperfine.json" --export-markdown "$OUT/cosign-hyperfine.md" \
  -n floor "$T/floor" \
  -n "chartprov verify --signature (.sig)" "$C verify $T/demo-0.1.0.tgz --key $T/cosign.pub --signature $T/demo-0.1.0.tgz.sig" \
  -n "chartprov verify --bundle (key-only)" "$C verify $T/demo-0.1.0.tgz --key $T/cosign.pub --bundle $T/demo-0.1.0.tgz.sigstore.json" \
  -n "node verify-bundle.mjs (key-only)" "node $VB --bundle $T/demo-0.1.0.tgz.sigstore.json --key $T/cosign.pub --artifact $T/demo-0.1.0.tgz" \
  -n "node verify-bundle.mjs (log + timestamp, trusted root)" "node $VB --bundle $B --key $K --artifact $A --trusted-root $ROOTJSON" \
  -n "openssl dgst -verify (.sig, signature only)" "openssl dgst -sha256 -verify $T/cosign.pub -signature $T/sig.der $T/demo-0.1.0.tgz"
python3 - "$OUT/cosign-hyperfine.json" <<'PY'
import json, sys
rs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
for name, r in rs.items():
    print(f'{name:58s} mean {r["mean"]*1000:8.2f} ms  min {r["min"]*1000:8.2f} ms')
js = rs["node verify-bundle.mjs (key-only)"]["mean"]
for name in ("chartprov verify --signature (.sig)", "chartprov verify --bundle (key-only)"):
    print(f'{name}: {js / rs[name]["mean"]:.1f}x faster than sigstore-js (key-only, means)')
PY
