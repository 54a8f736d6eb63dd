#!/usr/bin/env bash
# `chartprov serve` under a bounded closed-loop load on loopback (bench/serve_load.cpp): GET
# /healthz (the HTTP floor: parser, worker pool, keep-alive) and POST /v1/verify on a chart with
# a .prov and a cosign .sig under a trust root and a policy (one decide() per request), over 1 and
# N keep-alive connections. Prints throughput and p50/p90/p99 latency for each, and, for scale,
# the same decision as one `chartprov verify --env` process (hyperfine, when installed).
#
#   bash bench/run-serve-bench.sh [BUILD_DIR] [RESULTS_DIR]
#   REQUESTS=2000 (per run), CONNECTIONS=4, WORKERS=4, PEERS=/opt/peers/bin
#   SERVE_TMPDIR=/dev/shm: the server's TMPDIR (decide() stages each chart there, fsynced)
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/serve-load.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
REQUESTS=${REQUESTS:-2000}
CONNECTIONS=${CONNECTIONS:-4}
WORKERS=${WORKERS:-4}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h CHARTPROV_CACHE_DIR=$T/cache HOME=$T
C=$BUILD/chartprov

# The load generator: built by the bench build (build/bench/serve_load), else compiled here.
LOAD=$BUILD/bench/serve_load
if [ ! -x "$LOAD" ]; then
  LOAD=$T/serve_load
  c++ -O2 -std=c++20 -pthread -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion \
    -o "$LOAD" "$ROOT/bench/serve_load.cpp"
fi

# A trust root with one CI key; a chart signed by it (.prov + .sig); a policy.
"$C" key generate --uid "Bench root <root@bench.invalid>" --output "$T/root" --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output "$T/ci" >/dev/null
"$C" trust init --output "$T/td" --root-key "$T/root.key" >/dev/null
"$C" trust add-key --trust-dir "$T/td" --key "$T/ci.pub" --owner ci --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir "$T/td" --root-key "$T/root.key" >/dev/null
"$C" trust update --trust-dir "$T/td" --from "$T/td/staged.json" >/dev/null
mkdir "$T/charts"
"$PEERS/helm" create "$T/demo" >/dev/null
"$PEERS/helm" package "$T/demo" -d "$T/charts" >/dev/null
COSIGN_PASSWORD=pw "$C" sign "$T/charts/demo-0.1.0.tgz" --key "$T/ci.key" >/dev/null
cat >"$T/policy.yaml" <<'EOF'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [ci]
EOF

env TMPDIR="${SERVE_TMPDIR:-${TMPDIR:-/tmp}}" "$C" serve --listen 127.0.0.1:0 --trust-dir "$T/td" --policy "$T/policy.yaml" --env production \
  --chart-root "$T/charts" --workers "$WORKERS" >"$T/serve.out" 2>"$T/serve.err" &
SERVER=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' "$T/serve.out")
[ -n "$PORT" ] || { echo "run-serve-bench.sh: serve did not start" >&2; cat "$T/serve.err" >&2; exit 1; }
BODY='{"chart":"demo-0.1.0.tgz"}'
# The decision must be an allow before it is timed.
curl -fsS -X POST -H 'Content-Type: application/json' --data "$BODY" "http://127.0.0.1:$PORT/v1/verify" \
  | grep -q '"allowed":true' || { echo "run-serve-bench.sh: the bench chart is not allowed" >&2; exit 1; }

{
  echo "# chartprov serve load: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), workers $WORKERS, server TMPDIR ${SERVE_TMPDIR:-${TMPDIR:-/tmp}}"
  for conns in 1 "$CONNECTIONS"; do
    echo "## GET /healthz, $REQUESTS requests, $conns connection(s)"
    "$LOAD" --port "$PORT" --connections "$conns" --requests "$REQUESTS" --method GET --path /healthz
    echo "## POST /v1/verify (allow), $REQUESTS requests, $conns connection(s)"
    "$LOAD" --port "$PORT" --connections "$conns" --requests "$REQUESTS" --body "$BODY"
  done
  if command -v hyperfine >/dev/null; then
    echo "## the same decision as one process: chartprov verify --env production (hyperfine)"
    hyperfine -N --runs 50 --warmup 5 --style basic \
      "$C verify $T/charts/demo-0.1.0.tgz --trust-dir $T/td --policy $T/policy.yaml --env production" 2>&1 \
      | sed -n 's/^ *Time (mean ± σ): *//p; s/^ *Range (min … max): *//p'
  fi
} | tee "$OUT/serve-load.txt"
