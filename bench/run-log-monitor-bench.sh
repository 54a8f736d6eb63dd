#!/usr/bin/env bash
# `chartprov log monitor --once` catching up on a real `chartprov log serve` (SQLite) over
# loopback HTTP: ENTRIES hashedrekord entries submitted by tests/e2e/log_driver.py (16 threads),
# then one round from an empty state, twice (the second with the server's page cache warm).
# Prints the wall and CPU time of each round and entries per second. The in-process figure for
# 2^20 entries is bench/log_monitor_bench.cpp's (a million appends over HTTP take minutes here).
#
#   bash bench/run-log-monitor-bench.sh [BUILD_DIR] [RESULTS_DIR]      ENTRIES=100000
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/log-monitor.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
ENTRIES=${ENTRIES:-100000}
DRIVER=$ROOT/tests/e2e/log_driver.py
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ ! -f "$DRIVER" ] || ! "$BUILD/chartprov" log monitor --help >/dev/null 2>&1; then
  echo "log-monitor bench: needs chartprov log serve and log monitor, and $DRIVER" | tee "$OUT/log-monitor.txt"
  exit 0
fi
T=$(mktemp -d)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
export CHARTPROV_TRUST_STATE=$T/trust-state.json CHARTPROV_OCI=$BUILD/chartprov-oci CHARTPROV_LOG=$BUILD/chartprov-log
C=$BUILD/chartprov
cd "$T"
"$C" key generate --algorithm ed25519 --uid "Log <log@bench.invalid>" --output log --no-passphrase >/dev/null
"$C" key generate --uid "Root <root@bench.invalid>" --output root --no-passphrase >/dev/null
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
"$C" log serve --listen "127.0.0.1:$PORT" --db "sqlite:$T/log.db" --key log.key --origin 127.0.0.1 >serve.out 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q 'listening on' serve.out 2>/dev/null && break; sleep 0.1; done
python3 "$DRIVER" make "$ENTRIES" requests.jsonl web- >/dev/null
start=$(date +%s.%N)
python3 "$DRIVER" submit "$URL" --requests requests.jsonl --acks acks.jsonl --threads 16 >/dev/null
submitted=$(date +%s.%N)
{
  echo "log monitor catch-up over HTTP: $ENTRIES entries ($(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg))"
  echo "  appended in $(python3 -c "print(f'{$submitted - $start:.1f}')") s"
  for round in cold warm; do
    rm -f state.json
    /usr/bin/time -f "%e %U %S" -o time.txt "$C" log monitor --log "$URL" --trust-dir td --state state.json --once \
      --log-key log.pub --origin 127.0.0.1 >round.out
    read -r wall user sys <time.txt
    echo "  $round round: $(tail -n 1 round.out | sed 's/^log [^:]*: //')"
    python3 -c "print(f'    {$wall:.2f} s wall, {$user + $sys:.2f} s CPU (monitor and helper): {$ENTRIES / $wall:,.0f} entries/s wall, {$ENTRIES / ($user + $sys):,.0f} entries/s of CPU')"
  done
} | tee "$OUT/log-monitor.txt"
