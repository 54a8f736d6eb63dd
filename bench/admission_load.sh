#!/usr/bin/env bash
# `chartprov admission` under a bounded load on loopback (issue 15's performance targets), with
# bench/admission_load.cpp as the API server's stand-in: HTTPS with the CA checked, keep-alive,
# POST /validate?timeout=10s, a fresh uid per request, every answer checked.
#
#   bash bench/admission_load.sh [BUILD_DIR] [RESULTS_DIR]
#   DURATION=10     seconds of measured load per step
#   CLIENTS="1 8 32" the concurrent clients of the closed-loop steps (one keep-alive connection
#                   each, the next request sent when the last answer arrived: saturation)
#   RATES="1000 2000" the open-loop steps: 32 clients at this many requests/s in all
#   WORKERS=32      the server's --workers (connections served at once; a connection beyond
#                   them waits for a free worker: one step runs 32 clients against the default 8)
#   WARMUP=20       requests per client before the clock starts
#   N_CHARTS=1000   charts in the big store (app::kMaxStoredCharts is 1000)
#   WORK=DIR        keep the generated charts there (signing 1000 charts takes a minute or two)
#   PEERS=/opt/peers/bin (helm, for `helm create`)
#
# What it does, in order:
#  1. a cosign key (ci), a CA and a P-256 server certificate for 127.0.0.1 (openssl), the signed
#     charts of tests/data/helm-release/charts, a policy binding namespace demo to production;
#  2. the warm decision: `chartprov admission --workers $WORKERS` with those charts, loaded by
#     CLIENTS clients in turn (closed loop), then 32 clients at each of RATES (open loop), with
#     reviews 01 (allowed), 10 (denied), 26 (an UPDATE, allowed), round-robin; the server's CPU
#     time per request from /proc/PID/stat; then 32 clients against the default --workers 8;
#  3. the store build and memory: the server started with an empty chart source and with
#     N_CHARTS signed charts (N_CHARTS - 1 `helm create` charts of distinct names, plus plain-0.1.0
#     that the reviews are about): the time from start to listening, a SIGHUP rebuild, and
#     VmRSS/VmHWM (/proc/PID/status) after start, after a 32-client load and after the rebuild;
#     and the start again with the server's TMPDIR on /dev/shm (decide() writes each chart's
#     verified copy there).
# Every server is stopped by its PID. Results: RESULTS_DIR (default BUILD_DIR/bench-results)/
# admission-load.txt and admission-load-*.json.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-1 8 32}
RATES=${RATES:-1000 2000}
WORKERS=${WORKERS:-32}
WARMUP=${WARMUP:-20}
N_CHARTS=${N_CHARTS:-1000}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d)
WORK=${WORK:-$T/work}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
SERVER=
stop_server() {
  if [ -n "$SERVER" ]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  SERVER=
}
cleanup() {
  stop_server
  rm -rf "$T"
}
trap cleanup EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h CHARTPROV_CACHE_DIR=$T/cache HOME=$T
export COSIGN_PASSWORD=pw
C=$BUILD/chartprov
D=$ROOT/tests/data/helm-release

# The load generator: built by the bench build (build/bench/admission_load), else compiled here.
LOAD=$BUILD/bench/admission_load
if [ ! -x "$LOAD" ]; then
  LOAD=$T/admission_load
  c++ -O2 -std=c++20 -pthread -Wall -Wextra -Werror -o "$LOAD" "$ROOT/bench/admission_load.cpp" -lssl -lcrypto
fi

# --- 1. key, certificates, charts, policy --------------------------------------------------------
[ -f "$WORK/ci.key" ] || "$C" key generate --format cosign --output "$WORK/ci" >/dev/null
cd "$T"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 2 \
  -subj /CN=bench-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.csr -subj /CN=bench 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -extfile ext.cnf -days 2 2>/dev/null
chmod 600 tls.key
mkdir small empty
for c in plain parent withschema; do
  cp "$D/charts/$c-0.1.0.tgz" small/
  "$C" sign "small/$c-0.1.0.tgz" --key "$WORK/ci.key" --format cosign-blob >/dev/null
done
cat >policy.yaml <<'EOF'
version: 1
namespaces:
  - namespace: demo
    environment: production
environments:
  production:
    mode: enforce
    rules:
      - charts: ["*"]
        signers: ["*"]
EOF

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }  # calc EXPRESSION
secs() { printf '%.3f' "$1"; }                   # seconds, to the millisecond
per_chart_us() { printf '%.0f' "$(calc "($1) * 1000000 / $N_CHARTS")"; }
# start_server SOURCE LOG [WORKERS [TMPDIR]]: starts the server, waits for it to listen; sets
# SERVER, PORT, STARTED_S (seconds from the start to the "listening" line).
start_server() {
  local source=$1 log=$2 workers=${3:-$WORKERS} tmp=${4:-${TMPDIR:-/tmp}} t0
  t0=$(now)
  TMPDIR=$tmp "$C" admission --listen 127.0.0.1:0 --tls-cert tls.crt --tls-key tls.key --key "$WORK/ci.pub" \
    --policy policy.yaml --chart-source "$source" --workers "$workers" --helm "$PEERS/helm" >"$log.out" 2>"$log.err" &
  SERVER=$!
  for _ in $(seq 1 6000); do
    grep -q 'listening on' "$log.out" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.01
  done
  STARTED_S=$(calc "$(now) - $t0")
  PORT=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$log.out")
  [ -n "$PORT" ] || { echo "admission_load.sh: the server did not start" >&2; cat "$log.err" >&2; exit 1; }
  STARTED_CPU=$(calc "$(cpu_ticks) / $TICK")  # CPU seconds the start took, whatever else runs
}
# rss: VmRSS and VmHWM of the server, in MiB.
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MiB  ", $1, $2 / 1024}' "/proc/$SERVER/status"; }
# cpu_ticks: user + system clock ticks of the server so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
# busy_ticks: clock ticks all CPUs spent on anything but idle and iowait, machine-wide.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
TICK=$(getconf CLK_TCK)
REVIEWS=(--review "$D/reviews/01-create-install-plain-helm4.json:true"
  --review "$D/reviews/10-create-install-tampered-template-helm4.json:false"
  --review "$D/reviews/26-update-install-pending-to-deployed-helm4.json:true")
# load LABEL CLIENTS [ARGS...]: one measured run, with the server's CPU per request. ARGS go to
# admission_load (--rate R, --review ...); without a --review, the three of REVIEWS.
load() {
  local label=$1 clients=$2 c0 c1 b0 b1 n client_cpu elapsed
  shift 2
  local args=("$@")
  [[ " ${args[*]} " == *" --review "* ]] || args+=("${REVIEWS[@]}")
  c0=$(cpu_ticks)
  b0=$(busy_ticks)
  "$LOAD" --port "$PORT" --ca ca.crt --clients "$clients" --duration "$DURATION" --warmup "$WARMUP" \
    --label "$label" --json "$OUT/admission-load-$label.json" "${args[@]}"
  c1=$(cpu_ticks)
  b1=$(busy_ticks)
  read -r n client_cpu elapsed < <(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["requests"], j["client_cpu_seconds"], j["seconds"])' "$OUT/admission-load-$label.json")
  # What the rest of the machine ran meanwhile: busy time less the server's and the client's.
  echo "  other processes: $(printf '%.2f' "$(calc "(($b1 - $b0) - ($c1 - $c0)) / $TICK / $elapsed - $client_cpu / $elapsed")") cores on average (load average $(cut -d' ' -f1 /proc/loadavg))"
  # (includes the warm-up requests' share, WARMUP x clients, a few percent at most)
  echo "  server CPU $(secs "$(calc "($c1 - $c0) / $TICK")") s: $(printf '%.0f' "$(calc "($c1 - $c0) * 1000000 / $TICK / ($n + $WARMUP * $clients)")") us per request"
}

# Everything below goes to the terminal and the results file (in this shell: the EXIT trap sees SERVER).
exec > >(tee "$OUT/admission-load.txt") 2>&1
echo "# chartprov admission load: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server --workers $WORKERS, client and server on the same $(nproc) cores; $DURATION s per step, $WARMUP warm-up requests per client; TMPDIR ${TMPDIR:-/tmp}"

# --- 2. the warm decision ----------------------------------------------------------------------
start_server small warm
echo "## warm decisions, store of 3 charts (started in $(secs "$STARTED_S") s; $(rss))"
for n in $CLIENTS; do load "warm-$n" "$n"; done
for r in $RATES; do load "warm-32-at-$r" 32 --rate "$r"; done
echo "  after the load: $(rss)"
stop_server
if [ "$WORKERS" != 8 ]; then
  start_server small default-workers 8
  echo "## 32 clients, the default --workers 8 (24 connections wait in the queue for a worker)"
  load warm-32-workers-8 32
  stop_server
fi

# --- 3. store build and memory: empty, then N_CHARTS charts --------------------------------------
start_server empty empty
EMPTY_S=$STARTED_S
EMPTY_CPU=$STARTED_CPU
echo "## empty chart source: started in $(secs "$EMPTY_S") s, $(secs "$EMPTY_CPU") s of CPU; $(rss)"
load empty-32 32 --review "$D/reviews/01-create-install-plain-helm4.json:false" \
  --review "$D/reviews/26-update-install-pending-to-deployed-helm4.json:false"
echo "  after the load: $(rss)"
stop_server

mkdir -p "$WORK/charts"
if [ "$(ls "$WORK/charts" | grep -c '\.tgz\.sig$' || true)" -lt "$N_CHARTS" ]; then
  t0=$(now)
  [ -d "$WORK/base" ] || (cd "$WORK" && "$PEERS/helm" create base >/dev/null)
  cp "$D/charts/plain-0.1.0.tgz" "$WORK/charts/"
  "$C" sign "$WORK/charts/plain-0.1.0.tgz" --key "$WORK/ci.key" --format cosign-blob >/dev/null
  gen() {  # gen WORKER JOBS: charts WORKER, WORKER+JOBS, ... (a chart directory per worker)
    local w=$1 jobs=$2 i name
    rm -rf "$WORK/src$w" && cp -r "$WORK/base" "$WORK/src$w"
    for ((i = w + 1; i < N_CHARTS; i += jobs)); do
      name=$(printf 'bench%04d' "$i")
      [ -f "$WORK/charts/$name-1.0.$i.tgz.sig" ] && continue
      sed -i "s/^name: .*/name: $name/; s/^version: .*/version: 1.0.$i/" "$WORK/src$w/Chart.yaml"
      "$C" package "$WORK/src$w" -d "$WORK/charts" >/dev/null
      "$C" sign "$WORK/charts/$name-1.0.$i.tgz" --key "$WORK/ci.key" --format cosign-blob >/dev/null
    done
  }
  pids=()
  for w in $(seq 0 $(($(nproc) - 1))); do
    gen "$w" "$(nproc)" &
    pids+=($!)
  done
  wait "${pids[@]}"  # (a bare wait would also wait for the tee below the exec)
  echo "## generated $N_CHARTS signed charts in $(secs "$(calc "$(now) - $t0")") s"
fi
echo "## $(ls "$WORK/charts" | grep -c '\.tgz$') charts of $(du -sh "$WORK/charts" | cut -f1) ($(ls "$WORK/charts" | grep -c '\.sig$') signed)"
start_server "$WORK/charts" big
echo "## $N_CHARTS charts: started in $(secs "$STARTED_S") s, $(secs "$STARTED_CPU") s of CPU (empty: $(secs "$EMPTY_S") s, $(secs "$EMPTY_CPU") s): $(per_chart_us "$STARTED_S - $EMPTY_S") us per chart to build the store, $(per_chart_us "$STARTED_CPU - $EMPTY_CPU") us of CPU; $(rss)"
grep -m1 'verified chart' big.err | sed 's/^/  /'
load big-32 32
echo "  after the load: $(rss)"
t0=$(now)
c0=$(cpu_ticks)
kill -HUP "$SERVER"
for _ in $(seq 1 6000); do [ "$(grep -c 'verified chart' big.err)" -ge 2 ] && break; sleep 0.01; done
HUP_S=$(calc "$(now) - $t0")
HUP_CPU=$(calc "($(cpu_ticks) - $c0) / $TICK")
echo "## SIGHUP rebuild of $N_CHARTS charts: $(secs "$HUP_S") s, $(secs "$HUP_CPU") s of CPU ($(per_chart_us "$HUP_S") us per chart, $(per_chart_us "$HUP_CPU") us of CPU); $(rss)"
load big-32-after-hup 32
echo "  after the load: $(rss)"
stop_server
# decide() writes each chart's verified copy under TMPDIR: the same build with TMPDIR on tmpfs.
if [ -d /dev/shm ]; then
  start_server "$WORK/charts" big-shm "$WORKERS" /dev/shm
  echo "## $N_CHARTS charts, server TMPDIR /dev/shm: started in $(secs "$STARTED_S") s, $(secs "$STARTED_CPU") s of CPU: $(per_chart_us "$STARTED_S - $EMPTY_S") us per chart, $(per_chart_us "$STARTED_CPU - $EMPTY_CPU") us of CPU; $(rss)"
  stop_server
fi
