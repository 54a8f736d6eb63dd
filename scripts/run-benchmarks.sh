#!/usr/bin/env bash
# run-benchmarks.sh - run every Google Benchmark executable of a build (bench/<name>_bench.cpp
# -> BUILD_DIR/bench/<name>_bench), printing the console table and keeping JSON results in
# BUILD_DIR/bench-results/<name>.json.
#
#   bash scripts/run-benchmarks.sh [BUILD_DIR]        # default build (make bench)
#   BENCH_FILTER=regex     passed as --benchmark_filter
#   BENCH_ARGS="..."       further benchmark flags, e.g. --benchmark_min_time=0.05
#
# Comparisons with helm/gpg through hyperfine belong to the benchmarks themselves or to
# docs/PERFORMANCE.md's recipe; this only runs what bench/ defines.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/bench-results
read -r -a extra <<<"${BENCH_ARGS:-}"
[ -z "${BENCH_FILTER:-}" ] || extra+=("--benchmark_filter=$BENCH_FILTER")

shopt -s nullglob
exes=("$BUILD"/bench/*_bench)
if [ ${#exes[@]} -eq 0 ]; then
  echo "no benchmarks yet: add bench/<name>_bench.cpp (see bench/CMakeLists.txt)"
  exit 0
fi
mkdir -p "$OUT"
for exe in "${exes[@]}"; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe")
  echo "== $name"
  "$exe" --benchmark_out="$OUT/${name%_bench}.json" --benchmark_out_format=json "${extra[@]}" </dev/null
done
echo "results: $OUT/*.json"
