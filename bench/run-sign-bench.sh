#!/usr/bin/env bash
# One `chartprov sign` process per signer kind, in ONE hyperfine run: a key file (in memory),
# a SoftHSM2 token through chartprov-pkcs11 (PKCS#11), and the example exec plugin
# (packaging/exec-signer, Python + openssl), all P-256; plus `helm package --sign` and
# `gpg --clearsign` with a GnuPG key as the peers. Throughput = 1 / mean.
#
#   bash bench/run-sign-bench.sh [BUILD_DIR] [RESULTS_DIR]      RUNS=30 WARMUP=3 PEERS=/opt/peers/bin
# Results: RESULTS_DIR (default BUILD_DIR/bench-results)/sign-hyperfine.{json,md}.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
OUT=${2:-$BUILD/bench-results}
PEERS=${PEERS:-/opt/peers/bin}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d); trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
export HELM_CONFIG_HOME=$T/h HELM_CACHE_HOME=$T/h HELM_DATA_HOME=$T/h CHARTPROV_CACHE_DIR=$T/cache GNUPGHOME=$T/g
mkdir -m 700 "$GNUPGHOME"
C=$BUILD/chartprov
export CHARTPROV_PKCS11=$BUILD/chartprov-pkcs11
cd "$T"
"$PEERS/helm" create demo >/dev/null && "$PEERS/helm" package demo >/dev/null
"$C" key generate --uid "Bench <bench@test.invalid>" --output file --no-passphrase >/dev/null
eval "$(bash "$ROOT/scripts/softhsm.sh" init "$T/hsm")"
export SOFTHSM2_CONF CHARTPROV_PKCS11_PIN=$PKCS11_PIN
uri="pkcs11:token=$PKCS11_TOKEN;object=ec-signing?module-path=$PKCS11_MODULE"
install -m 0755 "$ROOT/packaging/exec-signer/chartprov-file-signer" "$T/plugin"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/kms.pem" 2>/dev/null; chmod 600 "$T/kms.pem"
export CHARTPROV_SIGNER_KEY_FILE=$T/kms.pem
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Bench GPG <g@test.invalid>' nistp256 sign never 2>/dev/null
gpg --batch --pinentry-mode loopback --passphrase '' --export-secret-keys > "$T/sec.gpg"
mkdir -p "$T/hp"
# Each must work once before it is timed.
"$C" sign demo-0.1.0.tgz --key file.key >/dev/null
"$C" sign demo-0.1.0.tgz --key "$uri" --created 1764000000 >/dev/null
"$C" sign demo-0.1.0.tgz --key "exec:$T/plugin" --created 1764000000 >/dev/null
"$PEERS/helm" package --sign --key 'Bench GPG' --keyring "$T/sec.gpg" demo -d "$T/hp" >/dev/null
echo "$(nproc) cores;$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-); load: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/sign-hyperfine.json" --export-markdown "$OUT/sign-hyperfine.md" \
  -n "chartprov sign, key file" "$C sign $T/demo-0.1.0.tgz --key $T/file.key" \
  -n "chartprov sign, SoftHSM2 (PKCS#11)" "$C sign $T/demo-0.1.0.tgz --key $uri --created 1764000000" \
  -n "chartprov sign, exec plugin" "$C sign $T/demo-0.1.0.tgz --key exec:$T/plugin --created 1764000000" \
  -n "helm package --sign (GnuPG key)" "$PEERS/helm package --sign --key 'Bench GPG' --keyring $T/sec.gpg $T/demo -d $T/hp" \
  -n "gpg --clearsign" "gpg --batch --yes --local-user 'Bench GPG' --clearsign -o $T/x.asc $T/demo/Chart.yaml"
python3 - "$OUT/sign-hyperfine.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for r in rs:
    print(f'{r["command"]:40s} mean {r["mean"]*1000:8.2f} ms  min {r["min"]*1000:8.2f} ms  {1/r["mean"]:7.1f} signs/s')
PY
