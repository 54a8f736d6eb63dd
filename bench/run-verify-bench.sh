#!/usr/bin/env bash
# One `chartprov verify` process against the peers, on the same signed chart, in ONE hyperfine
# run: helm v4 verify, gpg --verify / gpgv / rnp --verify (signature only: they do not check the
# chart's digest), an empty static C program (the process floor), and chartprov's cold path
# (--no-cache: the RNP helper reads the keyring). Prints hyperfine's table and the ratios.
#
#   bash bench/run-verify-bench.sh [BUILD_DIR] [RESULTS_DIR]
#   RUNS=50 (hyperfine --runs), WARMUP=5, PEERS=/opt/peers/bin
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/verify-hyperfine.{json,md}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d); trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h CHARTPROV_CACHE_DIR=$T/cache GNUPGHOME=$T/g
mkdir -m 700 "$GNUPGHOME"
cc -O2 -static -o "$T/floor" "$ROOT/bench/process_floor.c"
C=$BUILD/chartprov
"$PEERS/helm" create "$T/demo" >/dev/null
for alg in ecdsa-p256 rsa-3072; do
  "$C" key generate --algorithm "$alg" --uid "Bench $alg <bench@test.invalid>" --output "$T/$alg" --no-passphrase >/dev/null
  mkdir -p "$T/$alg-out"
  "$C" package "$T/demo" --sign --key "$T/$alg.key" -d "$T/$alg-out" >/dev/null
  "$C" verify "$T/$alg-out/demo-0.1.0.tgz" --keyring "$T/$alg.pub.gpg" >/dev/null  # warms the keyring cache
done
gpg --batch --quiet --import "$T/ecdsa-p256.pub.gpg" 2>/dev/null
chart=$T/ecdsa-p256-out/demo-0.1.0.tgz ring=$T/ecdsa-p256.pub.gpg
rchart=$T/rsa-3072-out/demo-0.1.0.tgz rring=$T/rsa-3072.pub.gpg
# rnp 0.16 needs a newline after the END line, which Helm's layout lacks (peers/README.md);
# give it its own copy with one, so it measures a verify, not a parse error.
rprov=$T/rnp-copy.prov
{ cat "$chart.prov"; [ -z "$(tail -c1 "$chart.prov")" ] || echo; } >"$rprov"
# Every command must succeed once before it is timed (hyperfine -N also fails on a non-zero exit).
"$PEERS/helm" verify "$chart" --keyring "$ring" >/dev/null
gpgv --keyring "$ring" "$chart.prov" 2>/dev/null
rnp --keyfile "$ring" --verify "$rprov" 2>/dev/null
echo "chart: $(stat -c %s "$chart") bytes; $(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/verify-hyperfine.json" --export-markdown "$OUT/verify-hyperfine.md" \
  -n floor "$T/floor" \
  -n "chartprov verify (P-256)" "$C verify $chart --keyring $ring" \
  -n "chartprov verify (RSA-3072)" "$C verify $rchart --keyring $rring" \
  -n "chartprov verify --no-cache (P-256)" "$C verify $chart --keyring $ring --no-cache" \
  -n "helm verify (P-256)" "$PEERS/helm verify $chart --keyring $ring" \
  -n "gpg --verify (P-256, signature only)" "gpg --batch --verify $chart.prov" \
  -n "gpgv (P-256, signature only)" "gpgv --keyring $ring $chart.prov" \
  -n "rnp --verify (P-256, signature only)" "rnp --keyfile $ring --verify $rprov"
python3 - "$OUT/verify-hyperfine.json" <<'PY'
import json, sys
res = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
mean = {k: v["mean"] * 1000 for k, v in res.items()}
low = {k: v["min"] * 1000 for k, v in res.items()}
def row(label, other, inverse=True, target=""):
    for name, r in (("mean", mean), ("min", low)):
        cp = r["chartprov verify (P-256)"]
        ratio = r[other] / cp if inverse else cp / r[other]
        word = "faster" if inverse else "the floor"
        print(f"  {label:<16} {name:>4}: {ratio:5.1f}x {word:<9} ({r[other]:.2f} ms)  {target if name == 'mean' else ''}")
print()
print(f"chartprov verify (P-256, warm cache): mean {mean['chartprov verify (P-256)']:.2f} ms, min {low['chartprov verify (P-256)']:.2f} ms;"
      f" cold (--no-cache) mean {mean['chartprov verify --no-cache (P-256)']:.2f} ms")
row("vs helm verify", "helm verify (P-256)", target="target >= 15x faster")
row("vs process floor", "floor", inverse=False, target="target <= 2.5x the floor")
row("vs gpg --verify", "gpg --verify (P-256, signature only)")
row("vs gpgv", "gpgv (P-256, signature only)")
row("vs rnp --verify", "rnp --verify (P-256, signature only)")
PY
