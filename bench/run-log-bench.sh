#!/usr/bin/env bash
# Appends per second to chartprov's transparency log (issue 17's target: >= 2,000/s on
# PostgreSQL on 2 cores): bench/log_append_bench (the sequencer in process, concurrent
# submitters each waiting for a durable acknowledgement, batches of 256) on SQLite and on a
# private PostgreSQL 15 this script starts (scripts/postgres.sh, fsync and synchronous commit
# on) and stops by PID.
#
#   bash bench/run-log-bench.sh [BUILD_DIR] [RESULTS_DIR]
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/log-append.json and the console table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
EXE=$BUILD/bench/log_append_bench
[ -x "$EXE" ] || { echo "no $EXE: ninja -C $BUILD log_append_bench" >&2; exit 1; }
mkdir -p "$OUT"
# A directory the postgres user can reach when this runs as root (postgres.sh runs the server as it).
PGDIR=$(mktemp -d /tmp/chartprov-log-bench-pg.XXXXXX)
chmod 0755 "$PGDIR"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { bash "$ROOT/scripts/postgres.sh" stop "$PGDIR/data" >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap stop EXIT
bash "$ROOT/scripts/postgres.sh" start "$PGDIR/data" "$PGPORT" >/dev/null
CHARTPROV_BENCH_PG=$(bash "$ROOT/scripts/postgres.sh" url "$PGDIR/data") \
  "$EXE" --benchmark_out="$OUT/log-append.json" --benchmark_out_format=json </dev/null
echo "results: $OUT/log-append.json"
