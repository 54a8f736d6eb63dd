#!/usr/bin/env bash
# cosign v3's signature form in a real OCI registry (issue 16): Debian's docker-registry on
# loopback, which has no referrers API, so the referrers tag sha256-<hex> is what is written
# and read; charts pushed by real `helm push`, the registry read back with skopeo and curl.
#   sign oci:// (default): a Sigstore bundle as an OCI 1.1 referrer manifest, listed in the
#     referrers tag (its shape as cosign writes it; its bundle verified by sigstore-js against
#     the manifest bytes); no .sig tag; verify passes;
#   re-signing adds nothing, a second key adds a referrer and keeps the first, another tool's
#     referrer already in the tag is kept as it was;
#   --oci-signature both / legacy: the .sig tag too / only; deleting either form leaves the other;
#   refusals: a referrer listed for another digest, a tampered bundle, a referrers tag that holds
#     no index (verify fails, sign leaves it alone), more bundle referrers than verify reads.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
: "${TEST_DATA:=$REPO_ROOT/tests/data}"
C=$CHARTPROV
cd "$W"
port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL registry did not start"; exit 1; }
R=127.0.0.1:$port
API=http://$R/v2/charts/demo

COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
COSIGN_PASSWORD=pw2 "$C" key generate --format cosign --output other >/dev/null
"$H" create demo >/dev/null
for v in 0.1.0 0.2.0 0.3.0 0.4.0 0.5.0 0.6.0; do
  sed -i "s/^version: .*/version: $v/" demo/Chart.yaml
  "$C" package demo -d charts >/dev/null
  check "helm push demo $v" "$H" push "charts/demo-$v.tgz" "oci://$R/charts" --plain-http
done
ref="oci://$R/charts/demo"

# digest_of V: the manifest digest of demo:V, as the registry serves it.
digest_of() { curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/$1" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'; }
d1=$(digest_of 0.1.0)
tag1=${d1/:/-}
check "this registry has no referrers API (404)" test "$(curl -s -o /dev/null -w '%{http_code}' "$API/referrers/$d1")" = 404

check "sign oci:// (cosign v3's form, the default)" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.1.0" --key cosign.key --plain-http
check_said "  a referrer listed in the referrers tag" "^Referrer: $R/charts/demo@sha256:[0-9a-f]{64} \(1 Sigstore bundle referrer; listed in the referrers tag $tag1\)" out
ref1=$(sed -n 's/^Referrer: [^@]*@\(sha256:[0-9a-f]*\) .*/\1/p' "$OUT")
check "skopeo reads the referrers tag" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag1"
cp "$OUT" index1.json
cat >index_lists_ours.py <<'PY'
import json, sys
idx = json.load(open(sys.argv[1]))
assert idx["schemaVersion"] == 2 and idx["mediaType"] == "application/vnd.oci.image.index.v1+json", idx
(d,) = idx["manifests"]
assert d["digest"] == sys.argv[2], d
assert d["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert d["artifactType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
assert d["annotations"]["dev.sigstore.bundle.content"] == "dsse-envelope"
assert d["annotations"]["dev.sigstore.bundle.predicateType"] == "https://sigstore.dev/cosign/sign/v1"
PY
check "  an image index listing our referrer with its artifactType and annotations" python3 index_lists_ours.py index1.json "$ref1"
check "skopeo reads the referrer manifest by digest" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo@$ref1"
cp "$OUT" referrer1.json
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/$d1" -o manifest1.json
cat >referrer_shape.py <<'PY'
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
bundle = "application/vnd.dev.sigstore.bundle.v0.3+json"
assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json" and m["artifactType"] == bundle
assert m["config"] == {"mediaType": "application/vnd.oci.empty.v1+json", "size": 2,
                       "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(), "artifactType": bundle}, m["config"]
(l,) = m["layers"]
assert l["mediaType"] == bundle
assert l["annotations"]["org.opencontainers.image.title"] == l["digest"].replace(":", "-") + ".sigstore.json"
assert m["subject"]["digest"] == sys.argv[2] and m["subject"]["size"] == os.path.getsize(sys.argv[3]), m["subject"]
assert m["subject"]["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert m["annotations"]["org.opencontainers.image.created"].endswith("Z")
print(l["digest"])
PY
check "  cosign v3's shape: empty config, one bundle layer, the chart's manifest as subject" python3 referrer_shape.py referrer1.json "$d1" manifest1.json
bundle1=$(tail -n 1 "$OUT")
check "curl fetches the bundle blob" curl -sf "$API/blobs/$bundle1" -o bundle1.json
cat >statement_names_digest.py <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
assert b["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
st = json.loads(base64.b64decode(b["dsseEnvelope"]["payload"]))
assert b["dsseEnvelope"]["payloadType"] == "application/vnd.in-toto+json"
assert st["predicateType"] == "https://sigstore.dev/cosign/sign/v1"
assert st["subject"][0]["digest"]["sha256"] == sys.argv[2].split(":")[1], st
PY
check "  its DSSE statement names the chart's manifest digest" python3 statement_names_digest.py bundle1.json "$d1"
JS=${SIGSTORE_JS_DIR:-/opt/peers/node}
if [ -d "$JS/node_modules/@sigstore/verify" ]; then
  check "sigstore-js verifies the pushed bundle against the manifest bytes" env SIGSTORE_JS_DIR="$JS" \
    node "$TEST_DATA/cosign/verify-bundle.mjs" --bundle bundle1.json --key cosign.pub --artifact manifest1.json
  check_fails "  and not with another key" env SIGSTORE_JS_DIR="$JS" \
    node "$TEST_DATA/cosign/verify-bundle.mjs" --bundle bundle1.json --key other.pub --artifact manifest1.json
else
  skip "sigstore-js verifies the pushed bundle (no sigstore-js in $JS: make peers)"
fi
check_fails "no legacy .sig tag was written" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag1.sig"
check "verify oci:// --key reads the referrer" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub
check_said "  one good signature" "cosign signatures: 1 good" out
check_exit 1 "a key that never signed is refused" "$C" verify "$ref" --version 0.1.0 --plain-http --key other.pub

check "signing again adds nothing" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.1.0" --key cosign.key --plain-http
check_said "  this key's bundle was there" "^Referrer: this key's bundle was already there \(1 Sigstore bundle referrer\)" out
check "  the referrers tag is unchanged" bash -c "skopeo inspect --raw --tls-verify=false 'docker://$R/charts/demo:$tag1' | cmp - index1.json"
check "a second key signs" env COSIGN_PASSWORD=pw2 "$C" sign "$ref" --version 0.1.0 --key other.key --plain-http
check_said "  two referrers now" "\(2 Sigstore bundle referrers; listed in the referrers tag $tag1\)" out
skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag1" >index2.json 2>/dev/null
cat >first_entry_kept.py <<'PY'
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
assert len(after["manifests"]) == 2 and after["manifests"][0] == before["manifests"][0], after
PY
check "  the first is kept, as it was" python3 first_entry_kept.py index1.json index2.json
check "  either key verifies" "$C" verify "$ref" --version 0.1.0 --plain-http --key other.pub
check "  (the first too)" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub

# Another tool's referrer (an SBOM, as oras attach would push it) is already in the tag of 0.2.0.
d2=$(digest_of 0.2.0)
tag2=${d2/:/-}
size2=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/$d2" | wc -c)
put_blob() {  # put_blob FILE: a monolithic upload; prints the digest
  local dg loc
  dg=sha256:$(sha256sum "$1" | cut -d' ' -f1)
  loc=$(curl -si -X POST "$API/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1) == "location" { print $2 }')
  case $loc in http*) ;; *) loc=http://$R$loc ;; esac
  case $loc in *\?*) loc="$loc&digest=$dg" ;; *) loc="$loc?digest=$dg" ;; esac
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" "$loc" >/dev/null && echo "$dg"
}
put_manifest() {  # put_manifest REF TYPE FILE
  curl -sf -X PUT -H "Content-Type: $2" --data-binary "@$3" "$API/manifests/$1" >/dev/null
}
printf '{}' >empty.json
printf '{"spdxVersion":"SPDX-2.3","name":"demo"}' >sbom.json
e=$(put_blob empty.json) && s=$(put_blob sbom.json)
python3 - "$e" "$s" "$(wc -c <sbom.json)" "$d2" "$size2" >sbom-manifest.json <<'PY'
import json, sys
e, s, ssize, d, dsize = sys.argv[1:6]
print(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/spdx+json",
  "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": e, "size": 2},
  "layers": [{"mediaType": "application/spdx+json", "digest": s, "size": int(ssize)}],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": d, "size": int(dsize)}},
  separators=(",", ":")), end="")
PY
sbomd=sha256:$(sha256sum sbom-manifest.json | cut -d' ' -f1)
python3 - "$sbomd" "$(wc -c <sbom-manifest.json)" >foreign-index.json <<'PY'
import json, sys
print(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sys.argv[1],
                 "size": int(sys.argv[2]), "artifactType": "application/spdx+json",
                 "annotations": {"org.example.tool": "sbom-attach"},
                 "platform": {"architecture": "amd64", "os": "linux"}}]}), end="")
PY
check "another tool pushes an SBOM referrer and lists it in the referrers tag" bash -c \
  "$(declare -f put_manifest); API='$API'; put_manifest '$sbomd' application/vnd.oci.image.manifest.v1+json sbom-manifest.json &&
   put_manifest '$tag2' application/vnd.oci.image.index.v1+json foreign-index.json"
check "sign oci:// with that tag in place" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.2.0" --key cosign.key --plain-http
check_said "  adds its referrer to the tag" "\(1 Sigstore bundle referrer; listed in the referrers tag $tag2\)" out
skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag2" >index-foreign-after.json 2>/dev/null
cat >foreign_entry_kept.py <<'PY'
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
assert len(after["manifests"]) == 2, after
assert after["manifests"][0] == before["manifests"][0], after
assert after["manifests"][1]["artifactType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
PY
check "  the other tool's entry is kept exactly" python3 foreign_entry_kept.py foreign-index.json index-foreign-after.json
check "  and verify passes" "$C" verify "$ref" --version 0.2.0 --plain-http --key cosign.pub

# Both forms; each one alone is enough.
d3=$(digest_of 0.3.0)
tag3=${d3/:/-}
check "sign --oci-signature both" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.3.0" --key cosign.key --plain-http --oci-signature both
check_said "  the .sig tag" "^Signature: $R/charts/demo:$tag3\.sig \(1 signature\)" out
check_said "  and the referrer" "^Referrer: .*listed in the referrers tag $tag3\)" out
check "verify reads both" "$C" verify "$ref" --version 0.3.0 --plain-http --key cosign.pub
check_said "  two good signatures" "cosign signatures: 2 good" out
check "skopeo deletes the legacy .sig tag" skopeo delete --tls-verify=false "docker://$R/charts/demo:$tag3.sig"
check_fails "  (gone)" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag3.sig"
check "verify still passes by the referrer" "$C" verify "$ref" --version 0.3.0 --plain-http --key cosign.pub
check_said "  one good signature" "cosign signatures: 1 good" out
d4=$(digest_of 0.4.0)
tag4=${d4/:/-}
check "sign --oci-signature legacy (cosign v2's form only)" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.4.0" --key cosign.key --plain-http --oci-signature legacy
check_fails "  no referrers tag" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$tag4"
check "  verify passes by the .sig tag" "$C" verify "$ref" --version 0.4.0 --plain-http --key cosign.pub
check_exit 2 "an unknown --oci-signature is a usage error" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.4.0" --key cosign.key --plain-http --oci-signature newest
check_exit 2 "--oci-signature with a chart file is a usage error" env COSIGN_PASSWORD=pw "$C" sign charts/demo-0.4.0.tgz --key cosign.key --oci-signature legacy

# A referrer listed under another manifest's tag: its subject and statement name 0.1.0.
d5=$(digest_of 0.5.0)
tag5=${d5/:/-}
check "the referrers tag of 0.5.0 made to list 0.1.0's referrer" bash -c \
  "$(declare -f put_manifest); API='$API'; put_manifest '$tag5' application/vnd.oci.image.index.v1+json index1.json"
check_exit 1 "verify of 0.5.0 refuses the referrer for another digest" "$C" verify "$ref" --version 0.5.0 --plain-http --key cosign.pub
check_said "  and says why" "the referrer's subject is $d1, not $d5" err

# A referrers tag that holds no index: verify fails, sign never overwrites it.
d6=$(digest_of 0.6.0)
tag6=${d6/:/-}
check "the referrers tag of 0.6.0 made to hold the chart's manifest" bash -c \
  "$(declare -f put_manifest); API='$API'; put_manifest '$tag6' application/vnd.oci.image.manifest.v1+json manifest1.json"
check_exit 2 "sign refuses to overwrite it" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.6.0" --key cosign.key --plain-http
check_said "  and says why" "the referrers tag $tag6 is not an image index" err
check "  the tag is as it was" bash -c "curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' '$API/manifests/$tag6' | cmp - manifest1.json"
check "  (the legacy form still signs)" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.6.0" --key cosign.key --plain-http --oci-signature legacy
check_exit 1 "verify fails on the unreadable referrers tag, even with a good .sig" "$C" verify "$ref" --version 0.6.0 --plain-http --key cosign.pub
check_said "  and says why" "the referrers tag $tag6 is not an image index" err

# More Sigstore bundle referrers than a verification reads (oci::kMaxBundleReferrers = 64).
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$API/manifests/$ref1" -o referrer1.raw
cat >push_65_referrers.py <<'PY'
import hashlib, json, sys, urllib.request
api, tag, base = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
def put(ref, body, media_type):
    req = urllib.request.Request(f"{api}/manifests/{ref}", data=body, method="PUT", headers={"Content-Type": media_type})
    urllib.request.urlopen(req).read()
entries = []
for i in range(65):
    body = json.dumps(dict(base, annotations=dict(base["annotations"], **{"org.example.n": str(i)})),
                      separators=(",", ":")).encode()
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    put(digest, body, "application/vnd.oci.image.manifest.v1+json")
    entries.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": len(body),
                    "artifactType": "application/vnd.dev.sigstore.bundle.v0.3+json"})
put(tag, json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                     "manifests": entries}).encode(), "application/vnd.oci.image.index.v1+json")
PY
check "65 bundle referrers listed in 0.5.0's referrers tag" python3 push_65_referrers.py "$API" "$tag5" referrer1.raw
check_exit 1 "verify refuses more bundle referrers than it reads" "$C" verify "$ref" --version 0.5.0 --plain-http --key cosign.pub
check_said "  and says so" "more than 64 Sigstore bundle referrers" err
check_exit 2 "sign refuses them too" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.5.0" --key cosign.key --plain-http
check_said "  and says so" "more than 64 Sigstore bundle referrers" err

# A bundle changed in the registry's storage: its bytes no longer match the digest listed.
hex=${bundle1#sha256:}
blob=$W/registry/data/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data
cat >tamper_bundle.py <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b'"sig":"') + 10
b[i] = ord("A") if b[i] != ord("A") else ord("B")
open(p, "wb").write(bytes(b))
PY
check "the first key's bundle of 0.1.0 tampered with on the registry's disk" python3 tamper_bundle.py "$blob"
check_exit 1 "verify --key of the tampered bundle's key fails" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub
check_said "  and says why" "does not match its digest" err
check "the other key's referrer still verifies" "$C" verify "$ref" --version 0.1.0 --plain-http --key other.pub
finish
