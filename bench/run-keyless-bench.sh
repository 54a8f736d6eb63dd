#!/usr/bin/env bash
# Keyless Sigstore bundles (issue 16), in one run:
#   1. hyperfine: one `chartprov verify-blob` process per bundle against sigstore-js on the
#      same files -- the sigstore CLI (`sigstore verify`, @sigstore/cli, the peer the issue
#      names) on the production-root rows, offline through a local TUF cache
#      (bench/sigstore-tuf-cache.mjs), and `node verify.mjs` (@sigstore/verify of sigstore 4,
#      the vectors' runner) on every row -- and the empty static process (the floor);
#   2. bench/keyless_bench (Google Benchmark): verify_certificate_bundle in-process and its parts;
#   3. `openssl speed` ECDSA P-256 / P-384 and Ed25519 verify rates: the cost of the signature
#      checks alone, beside the in-process cost per bundle.
# Rows (tests/data/sigstore-keyless/cases.tsv):
#   rekor_v1  conf/happy-path-v0.3               Rekor v1 (SET + inclusion proof + checkpoint)
#   rekor_v2  conf/rekor2-happy-path             Rekor v2 (checkpoint) + RFC 3161 TSA, staging root
#   dsse      conf/happy-path-intoto-in-dsse-v3  DSSE in-toto, Rekor v1 dsse entry
# A missing peer or tool, or a command that does not verify, stops the run (no silent skips).
#
#   bash bench/run-keyless-bench.sh [BUILD_DIR] [RESULTS_DIR]
#   RUNS=30 WARMUP=3 PEERS=/opt/peers/bin SIGSTORE_JS_DIR=/opt/peers/node/node_modules/sigstore
#   SECONDS_SPEED=3 MIN_TIME=0.5 (Google Benchmark --benchmark_min_time)
# Results in RESULTS_DIR (default BUILD_DIR/bench-results): keyless-hyperfine.{json,md},
# keyless-bench.json, keyless-openssl-speed.txt, keyless-summary.md (bench/keyless_summary.py).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
SECONDS_SPEED=${SECONDS_SPEED:-3}
MIN_TIME=${MIN_TIME:-0.5}
export SIGSTORE_JS_DIR=${SIGSTORE_JS_DIR:-/opt/peers/node/node_modules/sigstore}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)

die() { echo "run-keyless-bench: $*" >&2; exit 1; }
C=$BUILD/chartprov
GB=$BUILD/bench/keyless_bench
CLI=$PEERS/sigstore
[ -x "$C" ] || die "no $C: build chartprov first"
[ -x "$GB" ] || die "no $GB: ninja -C $BUILD keyless_bench"
[ -x "$CLI" ] || die "no sigstore CLI at $CLI: run make peers"
[ -f "$SIGSTORE_JS_DIR/package.json" ] || die "no sigstore-js at $SIGSTORE_JS_DIR: run make peers"
for tool in hyperfine node openssl cc python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

D=$ROOT/tests/data/sigstore-keyless
A=$D/artifacts/sigstore-conformance/a.txt
ID=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
ISS=https://token.actions.githubusercontent.com
declare -A CASE=([rekor_v1]=happy-path-v0.3 [rekor_v2]=rekor2-happy-path [dsse]=happy-path-intoto-in-dsse-v3)
ROWS=(rekor_v1 rekor_v2 dsse)
CLI_ROWS=(rekor_v1 dsse) # production root; the CLI's TUF cache holds one trusted root
bundle() { echo "$D/bundles/sigstore-conformance/${CASE[$1]}/bundle.sigstore.json"; }
troot() {
  local r
  r=$(awk -F'\t' -v id="conf/${CASE[$1]}" '$1 == id { print $4 }' "$D/cases.tsv")
  [ -n "$r" ] || die "conf/${CASE[$1]} is not in cases.tsv"
  echo "$D/$r"
}
for r in "${CLI_ROWS[@]}"; do
  [ "$(troot "$r")" = "$D/roots/production/trusted_root.json" ] || die "$r is not a production-root row"
done

T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cc -O2 -static -o "$T/floor" "$ROOT/bench/process_floor.c"
node "$ROOT/bench/sigstore-tuf-cache.mjs" "$D/roots/production/trusted_root.json" "$T/tuf" >/dev/null

declare -a CMDS
add() { CMDS+=(-n "$1" "$2"); }
add floor "$T/floor"
for r in "${ROWS[@]}"; do
  add "chartprov $r" "$C verify-blob $A --bundle $(bundle "$r") --trusted-root $(troot "$r") --certificate-identity $ID --certificate-oidc-issuer $ISS"
done
for r in "${CLI_ROWS[@]}"; do
  add "sigstore-cli $r" "$CLI verify $(bundle "$r") --blob-file $A --certificate-identity-uri $ID --certificate-issuer $ISS --tuf-cache-path $T/tuf --tuf-force-cache"
done
for r in "${ROWS[@]}"; do
  add "verify.mjs $r" "node $D/verify.mjs --bundle $(bundle "$r") --trusted-root $(troot "$r") --artifact $A --identity $ID --issuer $ISS"
done
# Every command must verify once before it is timed (and a wrong identity must fail:
# proof that the peers really check it).
for ((i = 1; i < ${#CMDS[@]}; i += 3)); do
  read -r -a argv <<<"${CMDS[i + 1]}"
  "${argv[@]}" >/dev/null 2>&1 || die "${CMDS[i]} does not verify: ${CMDS[i + 1]}"
done
if "$CLI" verify "$(bundle rekor_v1)" --blob-file "$A" --certificate-identity-uri https://example.com/other \
  --certificate-issuer "$ISS" --tuf-cache-path "$T/tuf" --tuf-force-cache >/dev/null 2>&1; then
  die "the sigstore CLI accepted a wrong identity"
fi

echo "$(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "chartprov $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); node $(node --version);" \
  "sigstore CLI: $("$CLI" --version);" \
  "verify.mjs: sigstore $(node -p "require('$SIGSTORE_JS_DIR/package.json').version")"

# 1. Whole processes, one hyperfine run.
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" \
  --export-json "$OUT/keyless-hyperfine.json" --export-markdown "$OUT/keyless-hyperfine.md" "${CMDS[@]}"
echo "load after hyperfine: $(cut -d' ' -f1-3 /proc/loadavg)"

# 2. In-process (CPU time is what to read on a shared machine).
"$GB" --benchmark_min_time="$MIN_TIME" --benchmark_out="$OUT/keyless-bench.json" --benchmark_out_format=json

# 3. The signature checks alone.
openssl speed -seconds "$SECONDS_SPEED" ecdsap256 ecdsap384 ed25519 2>/dev/null | tee "$OUT/keyless-openssl-speed.txt"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$ROOT/bench/keyless_summary.py" "$OUT"
