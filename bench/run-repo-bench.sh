#!/usr/bin/env bash
# Whole-repository verification against the crypto limit and the peers, in ONE run:
#   1. three repositories of N signed 5 KB charts (ECDSA P-256, RSA-3072, Ed25519; bench/gen-charts.sh)
#   2. `chartprov verify-repo --jobs 1` and `--jobs 2` on each (hyperfine), as charts/s; and, on the
#      same charts without their .prov, what the archive checks alone cost (--jobs 1)
#   3. the crypto limit on this machine: `openssl speed` verify rate (1 and 2 processes) and
#      SHA-256 throughput on blocks of the chart's size, combined per chart:
#        limit = 1 / (1/verify_rate + chart_bytes/sha256_rate)
#   4. one process per chart: a loop of `helm verify`, `gpg --verify`, and `chartprov verify` over
#      the first LOOP charts
#   5. one chart: `chartprov verify` vs `helm verify` vs an empty static process (hyperfine)
#   6. streaming: max RSS (/usr/bin/time -v) of `chartprov verify` and `verify-repo` on a ~100 MB chart
#
#   bash bench/run-repo-bench.sh [BUILD_DIR] [RESULTS_DIR]
#   N=1000 charts per repository, RUNS=10, LOOP=100, SECONDS_SPEED=3, PEERS=/opt/peers/bin,
#   WORK=DIR keeps the generated repositories between runs (default: a temp dir, removed).
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/repo-bench.{json,md}; the table is printed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
N=${N:-1000} RUNS=${RUNS:-10} LOOP=${LOOP:-100} SECONDS_SPEED=${SECONDS_SPEED:-3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
C=$BUILD/chartprov
T=$(mktemp -d)
WORK=${WORK:-$T/work}
trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
export CHARTPROV_CACHE_DIR=$T/cache GNUPGHOME=$T/g HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h
mkdir -m 700 "$GNUPGHOME"
cc -O2 -static -o "$T/floor" "$ROOT/bench/process_floor.c"
R=$OUT/repo-bench.tsv
: >"$R"
note() { printf '%s\t%s\n' "$1" "$2" >>"$R"; }

echo "machine: $(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
note load_before "$(cut -d' ' -f1 /proc/loadavg)"
ALGS="ecdsa-p256 rsa-3072 ed25519"
for alg in $ALGS; do
  BIG_MB=$([ "$alg" = ecdsa-p256 ] && echo 95 || true) PEERS=$PEERS bash "$ROOT/bench/gen-charts.sh" "$C" "$WORK/$alg" "$N" "$alg" >/dev/null
  "$C" verify-repo "$WORK/$alg/repo" --keyring "$WORK/$alg/key.pub.gpg" >/dev/null  # every chart verifies; warms the keyring cache
done
size=$(stat -c %s "$WORK/ecdsa-p256/repo/bench-1.0.0.tgz")
note chart_bytes "$size"

# 2. verify-repo, 1 and 2 jobs.
for alg in $ALGS; do
  for j in 1 2; do
    hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$T/vr-$alg-$j.json" \
      "$C verify-repo $WORK/$alg/repo --keyring $WORK/$alg/key.pub.gpg --jobs $j" >/dev/null
    python3 - "$T/vr-$alg-$j.json" "$N" "$alg" "$j" >>"$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
n = int(sys.argv[2])
print(f"verify_repo_{sys.argv[3]}_j{sys.argv[4]}_mean\t{n / r['mean']:.0f}")
print(f"verify_repo_{sys.argv[3]}_j{sys.argv[4]}_best\t{n / r['min']:.0f}")
# charts per CPU-second (user + system of all threads): what the work costs, whatever the load
print(f"verify_repo_{sys.argv[3]}_j{sys.argv[4]}_per_cpu_s\t{n / (r['user'] + r['system']):.0f}")
PY
  done
done

# 2b. The same charts without their .prov (hard links): verify-repo then does everything but the
# signature (read, SHA-256, gunzip, tar and Chart.yaml checks, index.yaml comparison) and calls
# each chart unsigned (exit 1). What the archive checks cost, measured apart.
for alg in $ALGS; do
  rm -rf "$WORK/$alg-nosig" && mkdir -p "$WORK/$alg-nosig/repo"
  ln "$WORK/$alg/repo/"*.tgz "$WORK/$alg/repo/index.yaml" "$WORK/$alg-nosig/repo/"
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$T/vr-$alg-nosig.json" \
    "$C verify-repo $WORK/$alg-nosig/repo --keyring $WORK/$alg/key.pub.gpg --jobs 1" >/dev/null
  python3 - "$T/vr-$alg-nosig.json" "$N" "$alg" >>"$R" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"verify_repo_{sys.argv[3]}_unsigned_j1_per_cpu_s\t{int(sys.argv[2]) / (r['user'] + r['system']):.0f}")
PY
done

# 3. The crypto limit: openssl speed, one and two processes.
speed() {  # speed MULTI ALGO -> verifies/s (the last column of the algorithm's line)
  openssl speed -seconds "$SECONDS_SPEED" -multi "$1" "$2" 2>/dev/null | awk -v a="$3" '$0 ~ a { v = $NF } END { print v }'
}
for m in 1 2; do
  note "openssl_verify_ecdsa-p256_x$m" "$(speed "$m" ecdsap256 'nistp256')"
  note "openssl_verify_rsa-3072_x$m" "$(speed "$m" rsa3072 '^rsa 3072')"
  note "openssl_verify_ed25519_x$m" "$(speed "$m" ed25519 'Ed25519')"
  # SHA-256 throughput on blocks of the chart's size (bytes/s, from the k/s column)
  sha=$(openssl speed -seconds "$SECONDS_SPEED" -multi "$m" -evp sha256 -bytes "$size" 2>/dev/null | awk '/^sha256|^SHA2-256/ { v = $NF } END { sub("k", "", v); print v * 1000 }')
  note "openssl_sha256_bytes_per_s_x$m" "$sha"
done

# 4. One process per chart, over the first LOOP charts of the P-256 repository.
gpg --batch --quiet --import "$WORK/ecdsa-p256/key.pub.gpg" 2>/dev/null
files=()
for i in $(seq 0 $((LOOP - 1))); do files+=("$WORK/ecdsa-p256/repo/bench-1.0.$i.tgz"); done
loop_rate() {  # loop_rate NAME CMD...: runs CMD FILE for each file, notes charts/s
  local name=$1 start end f
  shift
  start=$(date +%s.%N)
  for f in "${files[@]}"; do "$@" "$f" >/dev/null 2>&1 || { echo "$name failed on $f" >&2; return 1; }; done
  end=$(date +%s.%N)
  note "loop_${name}" "$(python3 -c "print(f'{$LOOP / ($end - $start):.1f}')")"
}
loop_rate chartprov_verify_process "$C" verify --keyring "$WORK/ecdsa-p256/key.pub.gpg"
loop_rate helm_verify "$PEERS/helm" verify --keyring "$WORK/ecdsa-p256/key.pub.gpg"
gpg_verify() { gpg --batch --verify "$1.prov" 2>/dev/null; }
loop_rate gpg_verify gpg_verify

# 5. One chart: chartprov verify against helm verify and the process floor.
one=$WORK/ecdsa-p256/repo/bench-1.0.0.tgz ring=$WORK/ecdsa-p256/key.pub.gpg
hyperfine -N --warmup 5 --runs 50 --export-json "$T/one.json" -n floor "$T/floor" \
  -n chartprov "$C verify $one --keyring $ring" -n helm "$PEERS/helm verify $one --keyring $ring" >/dev/null
python3 - "$T/one.json" >>"$R" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"one_{r['command']}_mean_ms\t{r['mean'] * 1000:.2f}")
    print(f"one_{r['command']}_min_ms\t{r['min'] * 1000:.2f}")
    print(f"one_{r['command']}_cpu_ms\t{(r['user'] + r['system']) * 1000:.2f}")
PY

# 6. Streaming: the ~100 MB chart.
big=$(ls "$WORK"/ecdsa-p256/big/*.tgz)
note big_chart_bytes "$(stat -c %s "$big")"
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ { print $NF }'; }
note big_verify_max_rss_kb "$(rss "$C" verify "$big" --keyring "$ring")"
note big_verify_repo_max_rss_kb "$(rss "$C" verify-repo "$WORK/ecdsa-p256/big" --keyring "$ring")"
note repo_verify_max_rss_kb "$(rss "$C" verify-repo "$WORK/ecdsa-p256/repo" --keyring "$ring" --jobs 2)"
note load_after "$(cut -d' ' -f1 /proc/loadavg)"

python3 - "$R" "$OUT/repo-bench.json" "$OUT/repo-bench.md" "$N" <<'PY'
import json, sys
v = {}
for line in open(sys.argv[1]):
    k, x = line.rstrip("\n").split("\t")
    try:
        v[k] = float(x)
    except ValueError:
        v[k] = x
json.dump(v, open(sys.argv[2], "w"), indent=2)
n = int(sys.argv[4]); size = v["chart_bytes"]
lines = [f"Repositories of {n} charts of {int(size)} bytes; load {v['load_before']} before, {v['load_after']} after.", "",
         "Crypto limit per core = 1 / (1/verify_rate + chart_bytes/sha256_rate), from `openssl speed` (which divides by CPU time).",
         "",
         "| algorithm | crypto limit, 1 core | verify-repo per CPU-second (-j1 / -j2) | of the limit | -j1 wall mean / best | -j2 wall mean / best | crypto limit, 2 cores (openssl -multi 2) | -j2 best / 2-core limit |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
ceilings = ["", "With the archive checks: verify-repo over the same charts without their .prov does all but the signature.", "",
            "| algorithm | archive checks alone, per CPU-second (per chart) | signature verify (openssl speed) | both, 1 core: the ceiling | verify-repo -j1 of that |",
            "|---|---:|---:|---:|---:|"]
for alg in ["ecdsa-p256", "rsa-3072", "ed25519"]:
    lim = {}
    for m in (1, 2):
        ver = v[f"openssl_verify_{alg}_x{m}"]; sha = v[f"openssl_sha256_bytes_per_s_x{m}"]
        lim[m] = 1 / (1 / ver + size / sha)
    j1m, j1b, j1c = v[f"verify_repo_{alg}_j1_mean"], v[f"verify_repo_{alg}_j1_best"], v[f"verify_repo_{alg}_j1_per_cpu_s"]
    j2m, j2b, j2c = v[f"verify_repo_{alg}_j2_mean"], v[f"verify_repo_{alg}_j2_best"], v[f"verify_repo_{alg}_j2_per_cpu_s"]
    lines.append(f"| {alg} | {lim[1]:.0f} charts/s | {j1c:.0f} / {j2c:.0f} | {100 * j1c / lim[1]:.0f} % / {100 * j2c / lim[1]:.0f} % "
                 f"| {j1m:.0f} / {j1b:.0f} | {j2m:.0f} / {j2b:.0f} | {lim[2]:.0f} | {100 * j2b / lim[2]:.0f} % |")
    # The archive checks, measured apart (the same charts without .prov), on top of the signature alone.
    arch = v[f"verify_repo_{alg}_unsigned_j1_per_cpu_s"]
    ceiling = 1 / (1 / v[f"openssl_verify_{alg}_x1"] + 1 / arch)
    ceilings.append(f"| {alg} | {arch:.0f} charts/s ({1e6 / arch:.1f} us) | {1e6 / v[f'openssl_verify_{alg}_x1']:.1f} us "
                    f"| {ceiling:.0f} charts/s = {100 * ceiling / lim[1]:.0f} % of the crypto limit | {100 * j1c / ceiling:.0f} % |")
lines += ceilings
lines += ["", "| one process per chart (P-256) | charts/s |", "|---|---:|"]
for k, label in [("loop_chartprov_verify_process", "chartprov verify"), ("loop_helm_verify", "helm verify"), ("loop_gpg_verify", "gpg --verify (signature only)")]:
    lines.append(f"| {label} | {v[k]:.1f} |")
lines += ["", "| one chart | mean ms | min ms | CPU ms |", "|---|---:|---:|---:|"]
for c in ["floor", "chartprov", "helm"]:
    lines.append(f"| {c} | {v[f'one_{c}_mean_ms']:.2f} | {v[f'one_{c}_min_ms']:.2f} | {v[f'one_{c}_cpu_ms']:.2f} |")
cp, hm, fl = (v["one_chartprov_min_ms"], v["one_helm_min_ms"], v["one_floor_min_ms"])
lines.append(f"\nchartprov verify vs helm verify: {hm / cp:.1f}x faster (minima), {v['one_helm_mean_ms'] / v['one_chartprov_mean_ms']:.1f}x (means); "
             f"vs the floor: {cp / fl:.1f}x (minima), {v['one_chartprov_cpu_ms'] / v['one_floor_cpu_ms']:.1f}x (CPU)")
lines.append(f"verify-repo (2 jobs, P-256) vs a helm verify loop: {v['verify_repo_ecdsa-p256_j2_mean'] / v['loop_helm_verify']:.0f}x")
lines.append(f"\n~100 MB chart ({int(v['big_chart_bytes'])} bytes): max RSS verify {v['big_verify_max_rss_kb'] / 1024:.1f} MiB, "
             f"verify-repo {v['big_verify_repo_max_rss_kb'] / 1024:.1f} MiB; verify-repo of the {n}-chart repository, 2 jobs: {v['repo_verify_max_rss_kb'] / 1024:.1f} MiB")
open(sys.argv[3], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
