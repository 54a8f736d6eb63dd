#!/usr/bin/env bash
# Certificate-backed bundles in chartprov's own log (issue 17), with a CA made by the real openssl
# CLI (lib.sh ca_*) and a real `chartprov log serve`:
#   sign --certificate --log writes a bundle whose entry names the certificate and the chart;
#   verify and verify-blob check it against a trusted root listing both the CA and the log; an
#   entry altered to name another chart is refused for that reason; the monitor-facing entry names
#   the certificate, not a bare key.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
ID=https://ci.example.com/pipelines/charts
ISSUER="CN=Example Signing CA,O=Example Corp"
cd "$W"
require_log_helper
CHART=withschema-0.1.0.tgz
cp "$TEST_DATA/helm-release/charts/$CHART" .
"$C" key generate --output signer --no-passphrase --uid "CI <ci@example.com>" >/dev/null
"$C" key generate --algorithm ed25519 --output log --no-passphrase --uid "log <log@example.com>" >/dev/null
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
ca_root root "Example Root CA"
ca_intermediate int "Example Signing CA" root
ca_leaf leaf int signer.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID"
cat int.pem root.pem >chain.pem

PL=$(free_port)
URL=http://127.0.0.1:$PL
"$LOGBIN" serve --listen "127.0.0.1:$PL" --db "sqlite:$W/log.db" --key log.key >log.out 2>&1 &
echo $! >log.pid
for _ in $(seq 50); do curl -sf "$URL/checkpoint" >/dev/null && break; sleep 0.1; done

check "trusted-root create lists the CA and the log" \
  "$C" trusted-root create --certificate-chain chain.pem --tlog-url "$URL" --tlog-key log.pub --output root.json
check "sign --certificate --log writes the bundle with its entry" \
  "$C" sign "$CHART" --key signer.key --certificate leaf.pem --certificate-chain chain.pem \
  --format sigstore-bundle --log "$URL" --log-key log.pub
names_certificate() {
  python3 - "$CHART.sigstore.json" <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]
body = json.loads(base64.b64decode(e["canonicalizedBody"]))
v = body["spec"]["hashedRekordV002"]["signature"]["verifier"]
sys.exit(0 if "x509Certificate" in v and "publicKey" not in v and body["chartprov"]["chart"] == "withschema" else 1)
PY
}
check "the logged entry names the certificate, not a bare key" names_certificate
vb() { "$C" verify-blob "$CHART" --bundle "$1" --trusted-root root.json --certificate-identity "$ID" \
  --certificate-oidc-issuer "$ISSUER"; }
check "verify-blob: the certificate and the log entry verify" vb "$CHART.sigstore.json"
check "verify --certificate-identity: the chart's bundle verifies with its entry" \
  "$C" verify "$CHART" --trusted-root root.json --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
python3 - "$CHART.sigstore.json" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
e = b["verificationMaterial"]["tlogEntries"][0]
e["canonicalizedBody"] = base64.b64encode(
    base64.b64decode(e["canonicalizedBody"]).replace(b'"chart":"withschema"', b'"chart":"withschemb"')).decode()
json.dump(b, open("altered.json", "w"))
PY
mkdir alt && cp "$CHART" alt/ && cp altered.json "alt/$CHART.sigstore.json"
check_exit 1 "verify: an entry altered to name another chart is refused" \
  "$C" verify "alt/$CHART" --trusted-root root.json --certificate-identity "$ID" --certificate-oidc-issuer "$ISSUER"
check_said "for its reason" "the log entry is for chart withschemb 0.1.0, not withschema 0.1.0" err

kill "$(cat log.pid)" 2>/dev/null
finish
