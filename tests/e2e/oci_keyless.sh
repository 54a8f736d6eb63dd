#!/usr/bin/env bash
# Keyless (certificate) signatures of an OCI chart (issue 16), judged through decide(): a team's
# own CA made here with openssl (a root, code-signing leaves with a URI SAN and Fulcio's OIDC
# issuer extension) and a Sigstore trusted root that lists only that CA (no log, no timestamp
# authority: the certificate must be valid now). Each chart version of a real registry (Debian's
# docker-registry, no referrers API: the referrers tag) gets one referrer in cosign v3's form whose
# bundle carries the leaf and a DSSE statement naming the manifest digest, signed by the leaf's key.
#   verify oci:// --trusted-root --certificate-identity/--certificate-oidc-issuer: the pinned
#     identity passes; another identity, a certificate of an unlisted CA, a statement naming
#     another digest and no certificate referrer at all are refused, each for its reason;
#   verify oci:// --trust-dir (identities and the Sigstore root in the trust root): the listed
#     identity passes for its chart and environment; another chart's identity, another
#     environment, an unlisted identity and an unlisted CA are refused, each for its reason.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
C=$CHARTPROV
cd "$W"
port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL registry did not start"; exit 1; }
R=127.0.0.1:$port
API=http://$R/v2/charts/demo
ISSUER=https://ci.acme.test
RELEASE=https://ci.acme.test/acme/charts/release@refs/tags/v1
FORK=https://ci.acme.test/fork/charts/release@refs/tags/v1

# The CAs and leaves (valid now; the leaves for two days).
printf '[ca_ext]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n' >ca.cnf
for ca in ca other-ca; do
  openssl ecparam -name prime256v1 -genkey -noout -out $ca.key
  openssl req -new -x509 -key $ca.key -subj "/O=Acme/CN=$ca" -days 30 -config ca.cnf -extensions ca_ext -out $ca.pem
done
leaf() {  # leaf NAME CA SAN: a code-signing leaf naming SAN, issuer $ISSUER
  printf '[leaf_ext]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = codeSigning\nsubjectAltName = URI:%s\n1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:%s\n' "$3" "$ISSUER" >"$1.cnf"
  openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
  openssl req -new -key "$1.key" -subj "/O=Acme" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 -extfile "$1.cnf" \
    -extensions leaf_ext -out "$1.pem" 2>/dev/null
}
leaf release ca "$RELEASE"
leaf fork ca "$FORK"
leaf outsider other-ca "$RELEASE"
check "the CA and its leaves were made" test -s release.pem -a -s fork.pem -a -s outsider.pem
python3 - ca.pem >trusted_root.json <<'PY'
import base64, json, ssl, sys
der = ssl.PEM_cert_to_DER_cert(open(sys.argv[1]).read())
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": [],
  "certificateAuthorities": [{"subject": {"organization": "Acme", "commonName": "ca"}, "uri": "https://ca.acme.test",
    "certChain": {"certificates": [{"rawBytes": base64.b64encode(der).decode()}]},
    "validFor": {"start": "2020-01-01T00:00:00Z"}}],
  "ctlogs": [], "timestampAuthorities": []}))
PY

# referrer.py KEY CERT VERSION [STATEMENT_DIGEST]: signs the in-toto statement cosign v3 signs for
# demo:VERSION's manifest (or naming STATEMENT_DIGEST) with KEY (openssl), puts CERT in a v0.3
# bundle, pushes the bundle as a referrer and lists it in the referrers tag.
cat >referrer.py <<'PY'
import base64, hashlib, json, ssl, subprocess, sys, urllib.error, urllib.request
key, cert, version = sys.argv[1:4]
api = sys.argv[5]
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json"
def get(ref, accept):
    req = urllib.request.Request(f"{api}/manifests/{ref}", headers={"Accept": accept})
    with urllib.request.urlopen(req) as r:
        return r.read()
def put_blob(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    req = urllib.request.Request(f"{api}/blobs/uploads/", method="POST")
    with urllib.request.urlopen(req) as r:
        loc = r.headers["Location"]
    if not loc.startswith("http"):
        loc = api.split("/v2/")[0] + loc
    loc += ("&" if "?" in loc else "?") + "digest=" + d
    urllib.request.urlopen(urllib.request.Request(loc, data=data, method="PUT",
                           headers={"Content-Type": "application/octet-stream"})).read()
    return {"digest": d, "size": len(data)}
def put_manifest(ref, media_type, data):
    urllib.request.urlopen(urllib.request.Request(f"{api}/manifests/{ref}", data=data, method="PUT",
                           headers={"Content-Type": media_type})).read()
manifest = get(version, OCI_MANIFEST)
digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
named = sys.argv[4] if sys.argv[4] else digest
statement = json.dumps({"_type": "https://in-toto.io/Statement/v1",
    "subject": [{"digest": {"sha256": named.split(":")[1]}, "annotations": {}}],
    "predicateType": "https://sigstore.dev/cosign/sign/v1", "predicate": {}}, separators=(",", ":")).encode()
ptype = b"application/vnd.in-toto+json"
pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(statement), statement)
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=pae, capture_output=True, check=True).stdout
der = ssl.PEM_cert_to_DER_cert(open(cert).read())
bundle = json.dumps({"mediaType": BUNDLE,
    "verificationMaterial": {"certificate": {"rawBytes": base64.b64encode(der).decode()}, "tlogEntries": []},
    "dsseEnvelope": {"payload": base64.b64encode(statement).decode(), "payloadType": ptype.decode(),
                     "signatures": [{"sig": base64.b64encode(sig).decode(), "keyid": ""}]}}).encode()
empty = put_blob(b"{}")
layer = put_blob(bundle)
referrer = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": BUNDLE,
    "config": {"mediaType": "application/vnd.oci.empty.v1+json", **empty},
    "layers": [{"mediaType": BUNDLE, **layer}],
    "subject": {"mediaType": OCI_MANIFEST, "digest": digest, "size": len(manifest)}}, separators=(",", ":")).encode()
rd = "sha256:" + hashlib.sha256(referrer).hexdigest()
put_manifest(rd, OCI_MANIFEST, referrer)
tag = digest.replace(":", "-")
try:
    index = json.loads(get(tag, OCI_INDEX))
except urllib.error.HTTPError:
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}
index["manifests"].append({"mediaType": OCI_MANIFEST, "digest": rd, "size": len(referrer), "artifactType": BUNDLE,
    "annotations": {"dev.sigstore.bundle.content": "dsse-envelope",
                    "dev.sigstore.bundle.predicateType": "https://sigstore.dev/cosign/sign/v1"}})
put_manifest(tag, OCI_INDEX, json.dumps(index).encode())
print(rd)
PY

"$H" create demo >/dev/null
for v in 0.1.0 0.2.0 0.3.0 0.4.0 0.5.0; do
  sed -i "s/^version: .*/version: $v/" demo/Chart.yaml
  "$C" package demo -d charts >/dev/null
  check "helm push demo $v" "$H" push "charts/demo-$v.tgz" "oci://$R/charts" --plain-http
done
ref="oci://$R/charts/demo"
check "0.1.0: signed by the release identity" python3 referrer.py release.key release.pem 0.1.0 "" "$API"
check "0.2.0: signed by the fork's identity" python3 referrer.py fork.key fork.pem 0.2.0 "" "$API"
check "0.3.0: signed by a leaf of a CA the root does not list" python3 referrer.py outsider.key outsider.pem 0.3.0 "" "$API"
d1=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/0.1.0" | sha256sum | cut -d' ' -f1)
check "0.4.0: a release-identity statement naming 0.1.0's manifest" python3 referrer.py release.key release.pem 0.4.0 "sha256:$d1" "$API"
d4=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/0.4.0" | sha256sum | cut -d' ' -f1)
# 0.5.0: no signature at all.

pin=(--plain-http --trusted-root trusted_root.json --certificate-identity "$RELEASE" --certificate-oidc-issuer "$ISSUER")
check "verify oci:// with the pinned identity: 0.1.0 passes" "$C" verify "$ref" --version 0.1.0 "${pin[@]}"
check_exit 1 "another identity of the same CA is refused" "$C" verify "$ref" --version 0.2.0 "${pin[@]}"
check_said "  naming who signed" "the certificate names $FORK \(issuer $ISSUER\), not" err
check_exit 1 "a certificate of an unlisted CA is refused" "$C" verify "$ref" --version 0.3.0 "${pin[@]}"
check_said "  for its chain" "the signing certificate does not chain to the certificate authority" err
cp "$ERR" outsider-pin.err
check "  (not for its identity: it names the pinned one)" bash -c '! grep -q "not identity\|, not " outsider-pin.err'
check_exit 1 "a statement that names another manifest is refused" "$C" verify "$ref" --version 0.4.0 "${pin[@]}"
check_said "  for its subject" "the in-toto statement does not name sha256:$d4 as a subject" err
check_exit 1 "no certificate referrer at all is refused" "$C" verify "$ref" --version 0.5.0 "${pin[@]}"
check_said "  as such" "no referrer of the manifest holds a certificate-signed bundle" err
check "--json names the identity" "$C" verify "$ref" --version 0.1.0 "${pin[@]}" --json
check_said "  and the evidence's format" "oci-cosign" out

# A trust root: the release identity for demo in production; the fork's for other charts only.
for i in 1 2; do "$C" key generate --uid "Root $i <r$i@test.invalid>" --output "root$i" --no-passphrase >/dev/null; done
check "trust init" "$C" trust init --output td --root-key root1.key --root-key root2.key --threshold 2
check "add-identity: release, demo, production" "$C" trust add-identity --trust-dir td --owner release-ci \
  --identity "$RELEASE" --issuer "$ISSUER" --charts demo --envs production
check "add-identity: the fork, for other charts" "$C" trust add-identity --trust-dir td --owner fork-ci \
  --identity "$FORK" --issuer "$ISSUER" --charts 'other-*'
check "set-sigstore-root: the private CA's root" "$C" trust set-sigstore-root --trust-dir td trusted_root.json
check "root 1 signs" "$C" trust sign --trust-dir td --root-key root1.key
check "root 2 signs" "$C" trust sign --trust-dir td --root-key root2.key
check "the trust root is accepted" "$C" trust update --trust-dir td --from td/staged.json
td=(--plain-http --trust-dir td)
check "verify --trust-dir --env production: the release identity passes" "$C" verify "$ref" --version 0.1.0 "${td[@]}" --env production
check "verify --trust-dir (no environment): passes" "$C" verify "$ref" --version 0.1.0 "${td[@]}"
check_exit 1 "another environment is refused" "$C" verify "$ref" --version 0.1.0 "${td[@]}" --env staging
check_said "  by the identity's scope" "identity .* \(release-ci\) does not count for environment staging" err
check_exit 1 "an identity listed only for other charts is refused" "$C" verify "$ref" --version 0.2.0 "${td[@]}" --env production
check_said "  by its charts" "\(fork-ci\) may not sign chart \"demo\"" err
check_exit 1 "a certificate of an unlisted CA is refused" "$C" verify "$ref" --version 0.3.0 "${td[@]}" --env production
check_said "  for its chain" "the signing certificate does not chain to the certificate authority" err
cp "$ERR" outsider-td.err
check "  for its chain, not for an identity" bash -c '! grep -q "release-ci" outsider-td.err'
check_exit 1 "a statement naming another manifest is refused" "$C" verify "$ref" --version 0.4.0 "${td[@]}" --env production
check_said "  for its subject" "the in-toto statement does not name sha256:$d4 as a subject" err
check_exit 1 "an unsigned chart is refused" "$C" verify "$ref" --version 0.5.0 "${td[@]}" --env production
finish
