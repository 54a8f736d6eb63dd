#!/usr/bin/env bash
# demo.sh - chartprov's main job in one go, narrated: make a signing key, sign a chart while
# packaging it, verify it with chartprov and with real helm, then tamper with it and watch
# verification fail with the reason. Exits non-zero as soon as a step does not behave.
#
#   bash scripts/demo.sh [BUILD_DIR]     # default build (make demo builds it and the peers)
#   KEEP=1 bash scripts/demo.sh          # keep the work directory (its path is printed)
#
# Needs BUILD_DIR/chartprov and /opt/peers/bin/helm (make peers). Everything happens in a fresh
# temporary directory; helm's and gpg's state is kept there too.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
CP=$BUILD/chartprov
HELM=${HELM:-/opt/peers/bin/helm}

[ -x "$CP" ] || { echo "demo: no $CP (run: make build)" >&2; exit 2; }
[ -x "$HELM" ] || { echo "demo: no $HELM (run: make peers)" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/chartprov-demo.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "(work directory kept: $T)"; else rm -rf "$T"; fi; }
trap cleanup EXIT
export HELM_CONFIG_HOME=$T/helm/config HELM_CACHE_HOME=$T/helm/cache HELM_DATA_HOME=$T/helm/data
export HELM_REGISTRY_CONFIG=$T/helm/registry.json KUBECONFIG=$T/no-kubeconfig
export GNUPGHOME=$T/gnupg CHARTPROV_CACHE_DIR=$T/cache
mkdir -m 700 "$GNUPGHOME"
# The passphrase that encrypts the demo key at rest (a real one comes from a secret store).
export CHARTPROV_PASSWORD=demo-passphrase-not-secret

step=0
header() { step=$((step + 1)); printf '\n== %d. %s\n' "$step" "$*"; }
# show CMD...: print the command as one would type it, with $T, chartprov and helm short.
show() {
  local a line='$' plain='^[][A-Za-z0-9_./:=@%+,$-]+$'
  for a in "$@"; do
    case $a in "$CP") a=chartprov ;; "$HELM") a=helm ;; *) a=${a//$T/\$T} ;; esac
    [[ $a =~ $plain ]] || a="'$a'"
    line+=" $a"
  done
  echo "$line"
}
fail() { echo "demo FAILED: $*" >&2; exit 1; }
run() { show "$@"; "$@" || fail "exit status $?: $*"; }   # show CMD, run it, stop the demo on failure
# expect_exit N CMD...: show and run CMD, its output to the terminal and to $T/last.out; fail
# unless it exits with status N.
expect_exit() {
  local want=$1 got=0
  shift
  show "$@"
  "$@" >"$T/last.out" 2>&1 || got=$?
  cat "$T/last.out"
  [ "$got" = "$want" ] || fail "exit status $got, expected $want: $*"
  echo "(exit status $got, as expected)"
}
contains() { grep -qiF -- "$1" "$T/last.out" || fail "the output above does not mention '$1'"; }

echo "chartprov demo (binary $CP, helm $("$HELM" version --template '{{.Version}}'); work dir \$T=$T)"

header "Generate an ECDSA P-256 signing key (encrypted with \$CHARTPROV_PASSWORD)"
run "$CP" key generate --algorithm ecdsa-p256 --uid "Demo Signer <demo@example.invalid>" --output "$T/demo"
for f in demo.key demo.pub.gpg demo.pub.asc; do [ -s "$T/$f" ] || fail "key generate did not write $f"; done
(cd "$T" && ls -l demo.key demo.pub.gpg demo.pub.asc)
mode=$(stat -c %a "$T/demo.key")
[ "$mode" = 600 ] || fail "demo.key has mode $mode, expected 600"
echo "demo.key is private (mode $mode); demo.pub.gpg is the binary keyring helm reads"
fpr=""
if command -v gpg >/dev/null; then
  fpr=$(gpg --batch --with-colons --show-keys "$T/demo.pub.gpg" 2>/dev/null | awk -F: '/^fpr:/ {print $10; exit}')
  [ -n "$fpr" ] || fail "gpg cannot read demo.pub.gpg"
  echo "gpg reads the public key: fingerprint $fpr"
fi

header "Create a chart with helm"
run "$HELM" create "$T/mychart"
run ls "$T/mychart"

header "Package and sign it"
run "$CP" package "$T/mychart" --sign --key "$T/demo.key" --destination "$T/out"
TGZ=$T/out/mychart-0.1.0.tgz
[ -s "$TGZ" ] || fail "no $TGZ"
[ -s "$TGZ.prov" ] || fail "no $TGZ.prov"
(cd "$T/out" && ls -l)
echo "--- mychart-0.1.0.tgz.prov:"
cat "$TGZ.prov"
[ -z "$(tail -c 1 "$TGZ.prov")" ] || echo    # helm writes no newline after the armor
echo "---"

header "Verify it with chartprov"
digest=$(sha256sum "$TGZ" | cut -d' ' -f1)
expect_exit 0 "$CP" verify "$TGZ" --keyring "$T/demo.pub.gpg"
for word in "Demo Signer" mychart 0.1.0 "$digest"; do contains "$word"; done
if [ -n "$fpr" ]; then
  tr -d ' :' <"$T/last.out" | grep -qiF "$fpr" || fail "the output above does not show the fingerprint $fpr"
fi

header "Verify it with helm (helm accepts chartprov's .prov)"
expect_exit 0 "$HELM" verify "$TGZ" --keyring "$T/demo.pub.gpg"

header "Tamper with the chart: same name, one value changed in values.yaml, re-packed by helm"
mkdir -p "$T/unpacked" "$T/tampered"
tar -xzf "$TGZ" -C "$T/unpacked"
sed -i '0,/^replicaCount: 1$/s//replicaCount: 2/' "$T/unpacked/mychart/values.yaml"
grep -q '^replicaCount: 2$' "$T/unpacked/mychart/values.yaml" || fail "could not edit values.yaml"
run "$HELM" package "$T/unpacked/mychart" --destination "$T/tampered"
run cp "$TGZ.prov" "$T/tampered/"
echo "original sha256 $digest"
echo "tampered sha256 $(sha256sum "$T/tampered/mychart-0.1.0.tgz" | cut -d' ' -f1)"

header "chartprov refuses the tampered chart, and says why"
expect_exit 1 "$CP" verify "$T/tampered/mychart-0.1.0.tgz" --keyring "$T/demo.pub.gpg"
contains "sha256 mismatch"

header "The same as JSON, for machines (stdout only)"
show "$CP" verify "$T/tampered/mychart-0.1.0.tgz" --keyring "$T/demo.pub.gpg" --json
got=0
"$CP" verify "$T/tampered/mychart-0.1.0.tgz" --keyring "$T/demo.pub.gpg" --json >"$T/last.out" || got=$?
if command -v jq >/dev/null; then
  jq . "$T/last.out" || fail "--json output is not JSON"
  jq -e '.verified == false and any(.reasons[]; test("sha256 mismatch"))' "$T/last.out" >/dev/null \
    || fail "--json does not say verified: false with a sha256 mismatch reason"
else
  cat "$T/last.out"
fi
[ "$got" = 1 ] || fail "exit status $got, expected 1"
echo "(exit status $got, as expected)"
contains "sha256 mismatch"

header "helm refuses it too"
show "$HELM" verify "$T/tampered/mychart-0.1.0.tgz" --keyring "$T/demo.pub.gpg"
if "$HELM" verify "$T/tampered/mychart-0.1.0.tgz" --keyring "$T/demo.pub.gpg" 2>&1; then
  fail "helm accepted the tampered chart"
fi

printf '\ndemo passed: signed, verified by chartprov and helm, tampering caught\n'
