#!/usr/bin/env bash
# run-fuzz-smoke.sh - run every libFuzzer target of a fuzz build for a short while, each from a
# seed corpus taken from tests/data, and fail if any target crashes, leaks, times out or
# trips a sanitizer.
#
#   bash scripts/run-fuzz-smoke.sh [BUILD_DIR]     # default build-asan (make fuzz builds it)
#   FUZZ_SECONDS=15   seconds per target (default 15)
#   FUZZ_RUNS=N       run N inputs per target instead of a time limit
#   FUZZ_ONLY=name    run only the targets whose name contains this
#   FUZZ_JOBS=N       run N targets at a time (default: the number of CPUs; each libFuzzer run
#                     uses one core, so N = cores keeps each target's time and inputs as with one)
#
# Seeds for target <name> (built from fuzz/<name>_fuzz.cpp), first match wins:
#   1. a line `// fuzz-seeds: GLOB...` in fuzz/<name>_fuzz.cpp (file-name globs under tests/data)
#   2. the table in seed_globs() below, by words in the target's name
# plus every file in fuzz/corpus/<name>/ if that exists. Files over 256 KiB are left out. The
# corpus is copied to BUILD_DIR/fuzz-corpus/<name> (libFuzzer adds new inputs there, never to
# tests/data); crash inputs are kept in BUILD_DIR/fuzz-artifacts/ with the log's tail printed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build-asan}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SECONDS_PER=${FUZZ_SECONDS:-15}
RUNS=${FUZZ_RUNS:-}
ONLY=${FUZZ_ONLY:-}
DATA=$ROOT/tests/data
MAX_SEED=$((256 * 1024))

[ -d "$BUILD/fuzz" ] || { echo "run-fuzz-smoke.sh: no $BUILD/fuzz (build with: make fuzz)" >&2; exit 2; }

# seed_globs NAME: file-name globs for a target, by the words in its name.
seed_globs() {
  local src=$ROOT/fuzz/$1_fuzz.cpp line
  line=$(sed -n 's|^// *fuzz-seeds: *||p;T;q' "$src" 2>/dev/null || true)
  if [ -n "$line" ]; then echo "$line"; return; fi
  case $1 in
    *json* | *bundle* | *trust* | *policy* | *manifest*) echo '*.json' ;;
    *archive* | *tar* | *gzip* | *package*) echo '*.tgz' ;;
    *yaml*) echo 'Chart.yaml *.yaml' ;;
    *prov* | *cleartext* | *clearsign*) echo '*.prov' ;;
    *armor*) echo '*.asc *.prov' ;;
    *keyfile* | *private*) echo '*.key' ;;
    *keyring* | *cert*) echo '*.gpg *.asc' ;;
    *openpgp* | *packet* | *pgp*) echo '*.gpg' ;;
    *cosign* | *sig*) echo '*.sig *.pub' ;;
    *pem* | *spki*) echo '*.pub *.pem' ;;
    *) echo '' ;;
  esac
}

# make_corpus NAME DIR: copy the seeds into DIR (content-addressed names, so no clashes; DIR
# may hold inputs from earlier runs), print how many seeds there are.
make_corpus() {
  local name=$1 dir=$2 globs g f
  mkdir -p "$dir"
  globs=$(seed_globs "$name")
  {
    for g in $globs; do find "$DATA" -type f -name "$g" -size -$((MAX_SEED / 1024 + 1))k; done
    if [ -d "$ROOT/fuzz/corpus/$name" ]; then find "$ROOT/fuzz/corpus/$name" -type f; fi
  } | sort -u | while IFS= read -r f; do
    [ "$(stat -c %s "$f")" -le "$MAX_SEED" ] || continue
    h=$(sha1sum "$f" | cut -c1-16)
    cp "$f" "$dir/seed-$h"
    echo "$h"
  done | sort -u | wc -l
}

targets=()
for exe in "$BUILD"/fuzz/*_fuzz; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe" _fuzz)
  [ -z "$ONLY" ] || [[ $name == *"$ONLY"* ]] || continue
  targets+=("$name")
done
[ ${#targets[@]} -gt 0 ] || { echo "run-fuzz-smoke.sh: no fuzz targets in $BUILD/fuzz" >&2; exit 1; }

if [ -n "$RUNS" ]; then limit=(-runs="$RUNS"); what="$RUNS runs"; else
  limit=(-max_total_time="$SECONDS_PER"); what="${SECONDS_PER}s"; fi
mkdir -p "$BUILD/fuzz-artifacts" "$BUILD/fuzz-logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# run_target NAME: one libFuzzer run; writes its report line(s) to BUILD/fuzz-logs/NAME.result
# and succeeds only when the target ran clean.
run_target() {
  local name=$1 corpus=$BUILD/fuzz-corpus/$1 log=$BUILD/fuzz-logs/$1.log result=$BUILD/fuzz-logs/$1.result
  local seeds before execs size
  seeds=$(make_corpus "$name" "$corpus")
  before=$(find "$corpus" -type f | wc -l)
  # -timeout: one input taking this long is a bug (a hang); -rss_limit_mb: so is this much memory.
  if "$BUILD/fuzz/${name}_fuzz" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$BUILD/fuzz-artifacts/$name-" "$corpus" >"$log" 2>&1 </dev/null; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    size=$(find "$corpus" -type f | wc -l)
    printf 'ok    %-24s %s, %s inputs run, %s seeds, corpus %s -> %s\n' "$name" "$what" "${execs:-?}" "$seeds" \
      "$before" "$size" >"$result"
  else
    {
      printf 'FAIL  %-24s (log %s)\n' "$name" "$log"
      grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written|^    #[0-9]' "$log" | head -n 25 | sed 's/^/      /'
    } >"$result"
    return 1
  fi
}

# FUZZ_JOBS targets at a time; reports are printed in the targets' order once all have run.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run-fuzz-smoke.sh: FUZZ_JOBS must be a positive number" >&2; exit 2; }
running=0
for name in "${targets[@]}"; do
  rm -f "$BUILD/fuzz-logs/$name.result"
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  run_target "$name" &
  running=$((running + 1))
done
wait || true

ok=0
bad=()
for name in "${targets[@]}"; do
  result=$BUILD/fuzz-logs/$name.result
  if [ -f "$result" ]; then cat "$result"; else printf 'FAIL  %-24s (no result: the runner died)\n' "$name"; fi
  if [ -f "$result" ] && [[ $(head -c 2 "$result") == ok ]]; then ok=$((ok + 1)); else bad+=("$name"); fi
done
echo "fuzz smoke: ${#targets[@]} targets, $ok clean, ${#bad[@]} failing${bad:+ (${bad[*]})}"
[ ${#bad[@]} -eq 0 ]
