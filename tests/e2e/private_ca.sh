#!/usr/bin/env bash
# Signing with your own CA, no Fulcio (issue 16 part 4; docs/KEY-MANAGEMENT.md "Signing with your own
# CA"), with a CA made by the real openssl CLI (lib.sh ca_*):
#   sign --certificate (--certificate-chain) writes a v0.3 bundle carrying the leaf; a key file and
#     a SoftHSM2 key both sign; trusted-root create lists the CA;
#   verify-blob with the right identity and issuer DN passes; refused: an expired leaf, a serverAuth
#     leaf, an intermediate the trusted root does not list, a leaf from another CA, the wrong
#     identity or issuer, a tampered chart; sign refuses what would not verify, writing nothing;
#   a trust root lists the CA's identity and trusted root, and verify --trust-dir counts the
#     bundle for it (with and without --env), not one from another CA;
#   sigstore-js reads the trusted root and the bundle, and refuses the bundle for want of a timestamp.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_PKCS11=${CHARTPROV_PKCS11:-$(dirname "$CHARTPROV")/chartprov-pkcs11}
C=$CHARTPROV
JS=${SIGSTORE_JS_DIR:-/opt/peers/node/node_modules/sigstore}
ID=https://ci.example.com/pipelines/charts
ISSUER="CN=Example Signing CA,O=Example Corp"
cd "$W"

"$H" create demo >/dev/null && "$H" package demo >/dev/null && cp demo-0.1.0.tgz pristine.tgz
written() { [ -e "$1" ]; }
fresh() { rm -f demo-0.1.0.tgz.sigstore.json demo-0.1.0.tgz.sig demo-0.1.0.tgz.prov; cp pristine.tgz demo-0.1.0.tgz; }

# ---------------------------------------------------------------- the CA (openssl)
"$C" key generate --output signer --no-passphrase --uid "CI <ci@example.com>" >/dev/null
"$C" key generate --output other --no-passphrase --uid "Other <other@example.com>" >/dev/null
ca_root root "Example Root CA"
ca_intermediate int "Example Signing CA" root
ca_root other-root "Other Root CA"
ca_leaf leaf int signer.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID,email:ci@example.com"
ca_leaf tls int signer.key "/O=Example Corp/CN=chart-signer" serverAuth "URI:$ID"
ca_leaf expired int signer.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID" 20200101000000Z 20200201000000Z
ca_leaf foreign other-root other.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID"
cat int.pem root.pem >chain.pem
check "openssl made the CA: the leaf verifies to the root through the intermediate" \
  openssl verify -CAfile root.pem -untrusted int.pem leaf.pem

check "trusted-root create lists the CA (intermediate, root)" \
  "$C" trusted-root create --certificate-chain chain.pem --output trusted_root.json
check "trusted-root create with the root alone (the intermediate not listed)" \
  "$C" trusted-root create --certificate-chain root.pem --output root-only.json
check_exit 2 "trusted-root create refuses a chain that starts with the signing certificate" \
  sh -c "cat leaf.pem chain.pem > full.pem && '$C' trusted-root create --certificate-chain full.pem --output x.json"
check_said "  naming it" "certificate 1 \(CN=chart-signer,O=Example Corp\) is not a CA certificate" err
check_exit 2 "and one in the wrong order" \
  sh -c "cat root.pem int.pem > reversed.pem && '$C' trusted-root create --certificate-chain reversed.pem --output x.json"
check_exit 2 "and does not overwrite without --force" \
  "$C" trusted-root create --certificate-chain chain.pem --output trusted_root.json

# ---------------------------------------------------------------- sign
fresh
check "sign --certificate --certificate-chain --format sigstore-bundle" \
  "$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem --certificate-chain chain.pem --format sigstore-bundle
check_said "  names the certificate's subject" "^Certificate: CN=chart-signer,O=Example Corp$" out
carries_leaf() {  # carries_leaf BUNDLE CERT.pem: a v0.3 bundle whose verification material is CERT alone, as DER
  python3 - "$1" "$(openssl x509 -in "$2" -outform der | base64 -w0)" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
assert b["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json", b["mediaType"]
assert b["verificationMaterial"] == {"certificate": {"rawBytes": sys.argv[2]}}, b["verificationMaterial"]
PY
}
check "  the bundle is v0.3 and carries the leaf alone, as DER" carries_leaf demo-0.1.0.tgz.sigstore.json leaf.pem
cp demo-0.1.0.tgz.sigstore.json good.sigstore.json

BUNDLE=demo-0.1.0.tgz.sigstore.json ROOT=trusted_root.json
vb() { "$C" verify-blob demo-0.1.0.tgz --bundle "$BUNDLE" --trusted-root "$ROOT" "$@"; }
check "verify-blob with the identity and the issuer DN" vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
check_said "  the identity is the SAN URI" "^Identity: $ID$" out
check_said "  the issuer is the intermediate's DN" "^Issuer: $ISSUER$" out
check "  --json" vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER" --json
check_said "  with the identity and issuer" "\"identity\": \"$ID\"" out
check "  an issuer regexp" vb --certificate-identity "$ID" --certificate-oidc-issuer-regexp "CN=Example Signing CA,.*"
if "$C" verify --help 2>/dev/null | grep -q -- "--certificate-identity"; then
  check "verify CHART (its .sigstore.json beside it) with the identity" \
    "$C" verify demo-0.1.0.tgz --trusted-root trusted_root.json --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
  check_exit 1 "  and refuses another identity" \
    "$C" verify demo-0.1.0.tgz --trusted-root trusted_root.json --certificate-identity ci@example.com --certificate-oidc-issuer "$ISSUER"
else
  skip "verify CHART --certificate-identity: not in this build's verify"
fi

check_exit 1 "refused: the SAN email instead of the URI (the URI is the identity)" \
  vb --certificate-identity ci@example.com --certificate-oidc-issuer "$ISSUER"
check_exit 1 "refused: another issuer" vb --certificate-identity "$ID" --certificate-oidc-issuer "CN=Other Root CA,O=Example Corp"
ROOT=root-only.json
check_exit 1 "refused: a trusted root that lists only the root, not the intermediate" \
  vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
ROOT=trusted_root.json
check_said "  the certificate does not chain" "does not chain to the certificate authority" err
printf 'x' >>demo-0.1.0.tgz
check_exit 1 "refused: a tampered chart" vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
fresh

# Bundles sign refuses to make: the good bundle with another leaf of the same key swapped in
# (the signature still verifies with its key; only the certificate differs).
swap() {  # swap CERT.pem OUT: good.sigstore.json carrying CERT.pem
  python3 - "$1" "$2" <<'PY'
import base64, json, subprocess, sys
der = subprocess.run(["openssl", "x509", "-in", sys.argv[1], "-outform", "der"], check=True, capture_output=True).stdout
b = json.load(open("good.sigstore.json"))
b["verificationMaterial"]["certificate"]["rawBytes"] = base64.b64encode(der).decode()
json.dump(b, open(sys.argv[2], "w"))
PY
}
swap expired.pem expired.sigstore.json && swap tls.pem tls.sigstore.json
BUNDLE=good.sigstore.json
check "  (the good bundle they are made from verifies)" vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
BUNDLE=expired.sigstore.json
check_exit 1 "refused: an expired leaf" vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
check_said "  as not valid now" "the signing certificate is not valid at" err
BUNDLE=tls.sigstore.json
check_exit 1 "refused: a leaf for serverAuth only (no codeSigning EKU)" \
  vb --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
check_said "  as not for code signing" "not for code signing" err
BUNDLE=demo-0.1.0.tgz.sigstore.json

# A leaf from another CA: its own key signs, the trusted root does not list its CA.
check "sign with another CA's leaf (sign checks no CA without --certificate-chain)" \
  "$C" sign demo-0.1.0.tgz --key other.key --certificate foreign.pem --format sigstore-bundle
check_exit 1 "refused: a leaf from another CA" vb --certificate-identity "$ID" --certificate-oidc-issuer "CN=Other Root CA,O=Example Corp"
check_said "  it does not chain" "does not chain to the certificate authority" err
fresh

# sign refuses before signing, and writes nothing.
for c in expired:"expired at 2020-02-01T00:00:00Z" tls:"not for code signing" foreign:"not the signing key"; do
  check_exit 2 "sign refuses the ${c%%:*} leaf" \
    "$C" sign demo-0.1.0.tgz --key signer.key --certificate "${c%%:*}.pem" --format cosign-blob,sigstore-bundle
  check_said "  ${c#*:}" "${c#*:}" err
done
check_exit 2 "sign refuses a chain the leaf does not chain to" \
  "$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem --certificate-chain other-root.pem --format sigstore-bundle
check_exit 2 "sign refuses a chain without its root" \
  "$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem --certificate-chain int.pem --format sigstore-bundle
check_exit 2 "sign refuses --certificate without sigstore-bundle" \
  "$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem
if written demo-0.1.0.tgz.sigstore.json || written demo-0.1.0.tgz.sig || written demo-0.1.0.tgz.prov; then
  _fail=$((_fail + 1)); echo "FAIL a refused sign wrote an envelope"
else
  _pass=$((_pass + 1)); echo "PASS   no refused sign wrote anything"
fi

# ---------------------------------------------------------------- a key in an HSM (SoftHSM2)
if eval "$(bash "$REPO_ROOT/scripts/softhsm.sh" init "$W/hsm" 2>/dev/null)"; then
  export SOFTHSM2_CONF
  ca_leaf hsm int "pub:$EC_PUB_PEM" "/O=Example Corp/CN=hsm-signer" codeSigning "URI:$ID/hsm"
  check "sign --key pkcs11: --certificate (the CA certified the token's public key)" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
    "$C" sign demo-0.1.0.tgz --key "$EC_KEY_URI?module-path=$PKCS11_MODULE" --certificate hsm.pem \
    --certificate-chain chain.pem --format sigstore-bundle
  check "  verify-blob" vb --certificate-identity "$ID/hsm" --certificate-oidc-issuer "$ISSUER"
  check_exit 2 "  the token's key with the key file's certificate is refused" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
    "$C" sign demo-0.1.0.tgz --key "$EC_KEY_URI?module-path=$PKCS11_MODULE" --certificate leaf.pem --format sigstore-bundle
  fresh
else
  skip "SoftHSM2 token (scripts/softhsm.sh init failed)"
fi

# ---------------------------------------------------------------- the trust root
"$C" key generate --output trustroot --no-passphrase --uid "Root <root@example.com>" >/dev/null
"$C" trust init --output td --root-key trustroot.key >/dev/null
check "trust add-identity: the CA's signer, by SAN and issuer DN" \
  "$C" trust add-identity --trust-dir td --owner release-ci --identity "$ID" --issuer "$ISSUER" --charts '*'
check "trust set-sigstore-root: the trusted root trusted-root create wrote" \
  "$C" trust set-sigstore-root --trust-dir td trusted_root.json
check "  signed and accepted" sh -c "'$C' trust sign --trust-dir td --root-key trustroot.key && '$C' trust update --trust-dir td --from td/staged.json"
check_said "  with the identity" "identity $ID \(issuer $ISSUER\) owner=release-ci" out
fresh
"$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem --format sigstore-bundle >/dev/null
check "verify --trust-dir: the bundle counts for the listed identity" "$C" verify demo-0.1.0.tgz --trust-dir td
check_said "  as release-ci's" "Verified sigstore-bundle: .*release-ci" out
check "verify --trust-dir --env production: allowed" "$C" verify demo-0.1.0.tgz --trust-dir td --env production
check_said "  signed by release-ci, named by SAN and issuer DN" "signed by: release-ci \($ID \(issuer $ISSUER\)\)" out
fresh
"$C" sign demo-0.1.0.tgz --key other.key --certificate foreign.pem --format sigstore-bundle >/dev/null
check_exit 1 "verify --trust-dir: a leaf from another CA with the same SAN is refused" "$C" verify demo-0.1.0.tgz --trust-dir td
check_exit 1 "  and denied for production" "$C" verify demo-0.1.0.tgz --trust-dir td --env production
fresh

# ---------------------------------------------------------------- sigstore-js
# sigstore-js (@sigstore/verify 3.x) checks a certificate chain once per verified timestamp and
# needs at least one (timestampThreshold 1): a private CA's bundle without a log entry or an
# RFC 3161 timestamp is refused before its chain is looked at. It reads both files, though.
if [ -f "$JS/package.json" ]; then
  fresh
  "$C" sign demo-0.1.0.tgz --key signer.key --certificate leaf.pem --format sigstore-bundle >/dev/null
  check_exit 1 "sigstore-js refuses the bundle: no timestamp (its default verifier needs one)" env SIGSTORE_JS_DIR="$JS" \
    node "$TEST_DATA/sigstore-keyless/verify.mjs" --bundle demo-0.1.0.tgz.sigstore.json --trusted-root trusted_root.json \
    --artifact demo-0.1.0.tgz --identity "$ID"
  check_said "  after reading the bundle and the trusted root" "^FAIL TIMESTAMP_ERROR: expected 1 timestamps, got 0$" out
else
  skip "sigstore-js (not at $JS)"
fi

finish
