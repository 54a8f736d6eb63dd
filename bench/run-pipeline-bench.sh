#!/usr/bin/env bash
# The one verification pipeline (issue 13), old binary against new, in ONE run:
#   1. one chart: `chartprov verify CHART --keyring K`, old and new side by side
#   2. a repository of N signed `helm create` charts (RSA-3072, bench/gen-charts.sh):
#      `verify-repo --keyring K` and `verify-repo --keyring K --env production`, old and new;
#      the policy mode's cost is the ratio env/plain of each binary
#   3. `serve --keyring K --env production` answering a warm POST /v1/verify, old and new
#      (bench/serve_load, 1 connection), and the files each server opens while it answers
#      (strace): the new one opens the chart and its .prov, never the trust material
#
#   bash bench/run-pipeline-bench.sh OLD_BUILD_DIR NEW_BUILD_DIR [RESULTS_DIR]
#   N=300 charts, RUNS=10 (verify-repo rounds), VERIFY_RUNS=200 (verify rounds), REQUESTS=2000,
#   PEERS=/opt/peers/bin,
#   WORK=DIR keeps the generated repository between runs.
# Results: RESULTS_DIR (default NEW_BUILD_DIR/bench-results)/pipeline-bench.{tsv,md}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
OUT=${3:-$NEW/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
N=${N:-300} RUNS=${RUNS:-10} VERIFY_RUNS=${VERIFY_RUNS:-200} REQUESTS=${REQUESTS:-2000}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d)
WORK=${WORK:-$T/work}
SERVERS=()
cleanup() {
  for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
export CHARTPROV_CACHE_DIR=$T/cache HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h
R=$OUT/pipeline-bench.tsv
: >"$R"
note() { printf '%s\t%s\n' "$1" "$2" >>"$R"; }

LOAD=$NEW/bench/serve_load
if [ ! -x "$LOAD" ]; then
  LOAD=$T/serve_load
  c++ -O2 -std=c++20 -pthread -o "$LOAD" "$ROOT/bench/serve_load.cpp"
fi

echo "machine: $(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
note load_before "$(cut -d' ' -f1 /proc/loadavg)"
PEERS=$PEERS bash "$ROOT/bench/gen-charts.sh" "$NEW/chartprov" "$WORK" "$N" rsa-3072 >/dev/null
REPO=$WORK/repo K=$WORK/key.pub.gpg CHART=$WORK/repo/bench-1.0.0.tgz
for b in "$OLD" "$NEW"; do  # every chart verifies under both; warms the keyring cache
  "$b/chartprov" verify-repo "$REPO" --keyring "$K" >/dev/null
  "$b/chartprov" verify-repo "$REPO" --keyring "$K" --env production >/dev/null
done

# Interleaved rounds (bench/interleave.py): old and new take turns, so the load of a shared
# machine falls on both alike. Per command: best and median wall time, best CPU time.
stat() {  # stat JSON INDEX FIELD
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[int(sys.argv[2])][sys.argv[3]])' "$1" "$2" "$3"
}

# 1. One chart, one process.
python3 "$ROOT/bench/interleave.py" "$VERIFY_RUNS" 5 \
  "$OLD/chartprov verify $CHART --keyring $K" "$NEW/chartprov verify $CHART --keyring $K" >"$T/verify.json"
for i in 0 1; do
  which=old; [ "$i" = 1 ] && which=new
  for f in best median cpu_best; do
    note "verify_${which}_${f}_ms" "$(python3 -c "print(f'{$(stat "$T/verify.json" $i $f)*1000:.3f}')")"
  done
done

# 2. The repository, plain and under a policy, both binaries in the same rounds.
python3 "$ROOT/bench/interleave.py" "$RUNS" 1 \
  "$OLD/chartprov verify-repo $REPO --keyring $K" \
  "$OLD/chartprov verify-repo $REPO --keyring $K --env production" \
  "$NEW/chartprov verify-repo $REPO --keyring $K" \
  "$NEW/chartprov verify-repo $REPO --keyring $K --env production" >"$T/repo.json"
i=0
for name in old_plain old_env new_plain new_env; do
  for f in best median cpu_best; do
    note "verify_repo_${name}_${f}_charts_per_s" "$(python3 -c "print(f'{$N/$(stat "$T/repo.json" $i $f):.0f}')")"
  done
  i=$((i + 1))
done

# 3. serve: warm POST /v1/verify.
BODY='{"chart":"bench-1.0.0.tgz"}'
for which in old new; do
  b=$OLD; [ "$which" = new ] && b=$NEW
  "$b/chartprov" serve --listen 127.0.0.1:0 --keyring "$K" --env production --chart-root "$REPO" --workers 2 \
    >"$T/serve-$which.out" 2>"$T/serve-$which.err" &
  pid=$!
  SERVERS+=("$pid")
  for _ in $(seq 1 100); do grep -q 'listening on' "$T/serve-$which.out" 2>/dev/null && break; sleep 0.1; done
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' "$T/serve-$which.out")
  curl -fsS -X POST -H 'Content-Type: application/json' --data "$BODY" "http://127.0.0.1:$port/v1/verify" \
    | grep -q '"allowed":true' || { echo "run-pipeline-bench.sh: serve ($which) did not allow the chart" >&2; exit 1; }
  "$LOAD" --port "$port" --connections 1 --requests "$REQUESTS" --body "$BODY" >"$T/load-$which.txt"
  note "serve_${which}_load" "$(tr '\n' ' ' <"$T/load-$which.txt")"
  # What one warm request opens: strace the server through 20 requests.
  strace -f -qq -e trace=openat -o "$T/strace-$which.txt" -p "$pid" &
  st=$!
  sleep 0.5
  "$LOAD" --port "$port" --connections 1 --requests 20 --body "$BODY" >/dev/null
  sleep 0.2
  kill -INT "$st" 2>/dev/null || true
  wait "$st" 2>/dev/null || true
  note "serve_${which}_opens_per_request_keyring" \
    "$(python3 -c "print($(grep -c -e 'key.pub.gpg' -e '/cache/' "$T/strace-$which.txt" || true)/20)")"
  note "serve_${which}_opens_per_request_all" "$(python3 -c "print($(grep -c 'openat(' "$T/strace-$which.txt" || true)/20)")"
  kill "$pid" && wait "$pid" 2>/dev/null || true
done
note load_after "$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$R" "$OUT/pipeline-bench.md" <<'PY'
import sys
v = dict(l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1]))
f = lambda k: float(v[k])
lines = ["| measure (best / median of the rounds; CPU: best) | old | new | new / old |", "|---|---|---|---|"]
for m in ("best", "median", "cpu_best"):
    o, n = f(f"verify_old_{m}_ms"), f(f"verify_new_{m}_ms")
    lines.append(f"| `verify CHART --keyring K`, ms ({m}) | {o:.3f} | {n:.3f} | {n / o:.2f} |")
for m in ("best", "median", "cpu_best"):
    for name, label in (("plain", "`verify-repo --keyring K`"), ("env", "`verify-repo --keyring K --env production`")):
        o, n = f(f"verify_repo_old_{name}_{m}_charts_per_s"), f(f"verify_repo_new_{name}_{m}_charts_per_s")
        lines.append(f"| {label}, charts/s ({m}) | {o:.0f} | {n:.0f} | {n / o:.2f} |")
    o = f(f"verify_repo_old_plain_{m}_charts_per_s") / f(f"verify_repo_old_env_{m}_charts_per_s")
    n = f(f"verify_repo_new_plain_{m}_charts_per_s") / f(f"verify_repo_new_env_{m}_charts_per_s")
    lines.append(f"| `--env` cost: plain / env ({m}) | {o:.2f}x | {n:.2f}x | |")
lines += [
    f"| serve: files opened per warm /v1/verify (of them the keyring or its cache) | {v['serve_old_opens_per_request_all']} ({v['serve_old_opens_per_request_keyring']}) | {v['serve_new_opens_per_request_all']} ({v['serve_new_opens_per_request_keyring']}) | |",
    f"| serve, 1 connection, old | {v['serve_old_load']} | | |",
    f"| serve, 1 connection, new | {v['serve_new_load']} | | |",
    f"| load average before / after | {v['load_before']} / {v['load_after']} | | |",
]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
