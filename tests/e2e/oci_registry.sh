#!/usr/bin/env bash
# Charts and signatures in a real OCI registry (issue 3): Debian's docker-registry on loopback
# (scripts/registry.sh), charts pushed by real `helm push` (v4 and v3), read back with skopeo.
#   verify oci:// --keyring: the .prov layer that helm push stores; --output = the verified bytes
#     (identical to what `helm pull` gets); a chart pushed without .prov is refused;
#   sign oci:// --oci-signature legacy + verify oci:// --key: cosign's legacy .sig tag, as skopeo
#     reads it back; re-signing adds nothing, a second key adds a layer, any signer's key verifies
#     (cosign v3's referrer form, sign's default: oci_referrers.sh);
#   refusals: a key that never signed, a tag moved to another chart, a chart under another name,
#     an unknown tag, nothing saved on failure; hostile Docker config / credentials flags.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
C=$CHARTPROV
cd "$W"
port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL registry did not start"; exit 1; }
R=127.0.0.1:$port

# A chartprov key signs the .prov (helm push stores it as a layer) and a cosign key the manifest.
"$C" key generate --uid "OCI CI <oci@test.invalid>" --output ci --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
COSIGN_PASSWORD=pw2 "$C" key generate --format cosign --output other >/dev/null
"$H" create demo >/dev/null
check "package --sign (chart + .prov)" "$C" package demo --sign --key ci.key -d signed
check "helm v4 push (with .prov)" "$H" push signed/demo-0.1.0.tgz "oci://$R/charts" --plain-http
ref="oci://$R/charts/demo"
check "verify oci:// --keyring (the .prov layer)" "$C" verify "$ref" --version 0.1.0 --plain-http --keyring ci.pub.gpg --output out.tgz
check_said "  names the signer" "Signed by: OCI CI" out
check "  --output holds exactly the pushed chart" cmp out.tgz signed/demo-0.1.0.tgz
mkdir -p pulled
check "helm pull of the same reference" "$H" pull "$ref" --version 0.1.0 --plain-http -d pulled
check "  gives the same bytes as chartprov saved" cmp out.tgz pulled/demo-0.1.0.tgz
check "verify oci:// with the tag in the reference and --json" "$C" verify "$ref:0.1.0" --plain-http --keyring ci.pub.gpg --json
check_said "  json says verified" '"verified": true' out
fpr=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["signer"]["fingerprint"])' <"$OUT")
check "verify oci:// --signer with the .prov's signer" "$C" verify "$ref:0.1.0" --plain-http --keyring ci.pub.gpg --signer "$fpr"
check_exit 1 "verify oci:// --signer pinning another key is refused" "$C" verify "$ref:0.1.0" --plain-http --keyring ci.pub.gpg \
  --signer 0123456789ABCDEF0123456789ABCDEF01234567 --output pinned.tgz
[ ! -e pinned.tgz ] && { _pass=$((_pass + 1)); echo "PASS   nothing saved"; } || { _fail=$((_fail + 1)); echo "FAIL --output written on failure"; }
check_exit 2 "verify oci:// --signer that is not a fingerprint is a usage error" "$C" verify "$ref:0.1.0" --plain-http --keyring ci.pub.gpg --signer ZZ
check_exit 1 "verify --key before anyone signed with cosign" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub
check_said "  says no signature was found" "no cosign signature" err

check "sign oci:// with a cosign key, cosign's legacy form" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.1.0" --key cosign.key --plain-http --oci-signature legacy
digest=$("$C" verify "$ref" --version 0.1.0 --plain-http --keyring ci.pub.gpg --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["manifest_digest"])')
sigtag=${digest/:/-}.sig
check "skopeo reads the .sig manifest we pushed" skopeo inspect --raw --tls-verify=false "docker://$R/charts/demo:$sigtag"
python3 - "$OUT" "$digest" <<'PY' && { _pass=$((_pass + 1)); echo "PASS   one simple-signing layer with cosign's signature annotation"; } || { _fail=$((_fail + 1)); echo "FAIL   .sig manifest shape"; }
import json, sys
m = json.load(open(sys.argv[1]))
assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
(l,) = m["layers"]
assert l["mediaType"] == "application/vnd.dev.cosign.simplesigning.v1+json"
assert "dev.cosignproject.cosign/signature" in l["annotations"]
PY
check "skopeo copies the signature payload out" skopeo copy --src-tls-verify=false "docker://$R/charts/demo:$sigtag" "dir:$W/sigdir"
payload=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][0]["digest"].split(":")[1])' "$W/sigdir/manifest.json")
check "  the payload names the chart's manifest digest" grep -q "\"docker-manifest-digest\":\"$digest\"" "$W/sigdir/$payload"
check "verify oci:// --key" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub
check "verify oci:// --key and --keyring together" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub --keyring ci.pub.gpg
check "signing again adds nothing" env COSIGN_PASSWORD=pw "$C" sign "$ref:0.1.0" --key cosign.key --plain-http --oci-signature legacy
check_said "  still one signature" "\(1 signature; this one was already there\)" out
check "a second key signs too" env COSIGN_PASSWORD=pw2 "$C" sign "$ref" --version 0.1.0 --key other.key --plain-http --oci-signature legacy
check_said "  two signatures now" "\(2 signatures\)" out
check "  and either key verifies" "$C" verify "$ref" --version 0.1.0 --plain-http --key other.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkey -pubout > stranger.pub
check_exit 1 "a key that never signed is refused" "$C" verify "$ref" --version 0.1.0 --plain-http --key stranger.pub

# helm v3 pushes the same way; a chart without .prov cannot pass --keyring.
"$H" create plain >/dev/null && "$H3" package plain -d unsigned >/dev/null
check "helm v3 push (no .prov)" "$H3" push unsigned/plain-0.1.0.tgz "oci://$R/charts" --plain-http
check_exit 1 "verify --keyring of a chart pushed without .prov is refused" "$C" verify "oci://$R/charts/plain" --version 0.1.0 --plain-http --keyring ci.pub.gpg --output nothing.tgz
check_said "  and says why" "without a .prov layer" err
[ ! -e nothing.tgz ] && { _pass=$((_pass + 1)); echo "PASS   nothing saved"; } || { _fail=$((_fail + 1)); echo "FAIL --output written on failure"; }
check "  its cosign signature verifies once signed" bash -c "COSIGN_PASSWORD=pw '$C' sign 'oci://$R/charts/plain:0.1.0' --key cosign.key --plain-http && '$C' verify 'oci://$R/charts/plain' --version 0.1.0 --plain-http --key cosign.pub"

# The tag moves to another chart: the old signature names the old digest.
sed -i 's/^description:.*/description: swapped/' demo/Chart.yaml
"$C" package demo --sign --key ci.key -d swapped >/dev/null
check "push another chart under the same tag" "$H" push swapped/demo-0.1.0.tgz "oci://$R/charts" --plain-http
check_exit 1 "verify --key refuses the moved tag" "$C" verify "$ref" --version 0.1.0 --plain-http --key cosign.pub --output moved.tgz
[ ! -e moved.tgz ] && { _pass=$((_pass + 1)); echo "PASS   nothing saved"; } || { _fail=$((_fail + 1)); echo "FAIL --output written on failure"; }
check "the old manifest by digest still verifies" "$C" verify "$ref@$digest" --plain-http --key cosign.pub

# The chart must be the one the reference names.
check "skopeo copies the chart under another name" skopeo copy --src-tls-verify=false --dest-tls-verify=false \
  "docker://$R/charts/demo@$digest" "docker://$R/charts/evil:0.1.0"
check_exit 1 "a chart served under another name is refused" "$C" verify "oci://$R/charts/evil" --version 0.1.0 --plain-http --keyring ci.pub.gpg
check_said "  and says so" "the chart is named demo" err

check_exit 2 "an unknown tag is an input error" "$C" verify "$ref" --version 9.9.9 --plain-http --keyring ci.pub.gpg
check_exit 2 "a reference without a version is a usage error" "$C" verify "$ref" --plain-http --keyring ci.pub.gpg
check_exit 2 "--username without --password-stdin is refused" "$C" verify "$ref" --version 0.1.0 --plain-http --keyring ci.pub.gpg --username u
check_exit 2 "HTTPS against a plain-HTTP registry fails cleanly" "$C" verify "$ref" --version 0.1.0 --keyring ci.pub.gpg
mkdir -p "$HOME/.docker" && echo '{"auths":{"'"$R"'":{"auth":"!!!"}}}' > "$HOME/.docker/config.json"
check_exit 2 "a garbled Docker config is an input error" "$C" verify "$ref" --version 0.1.0 --plain-http --keyring ci.pub.gpg
echo '{"auths":{"'"$R"'":{"auth":"'"$(printf 'user:pass' | base64)"'"}}}' > "$HOME/.docker/config.json"
check "credentials from the Docker config are used (this registry ignores them)" "$C" verify "$ref@$digest" --plain-http --key cosign.pub
rm -f "$HOME/.docker/config.json"

# A registry that wants a password (htpasswd, Basic auth; distribution 2.8 allows it on loopback HTTP).
if hash=$(/usr/bin/python3 -c "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH)))" 2>/dev/null) \
   && [ -n "$hash" ]; then
  aport=$(free_port); mkdir -p "$W/areg/data"; echo "ci:$hash" > "$W/areg/htpasswd"
  cat > "$W/areg/config.yml" <<CFG
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $W/areg/data}}
http: {addr: 127.0.0.1:$aport, secret: chartprov-e2e-only}
auth: {htpasswd: {realm: chartprov-test, path: $W/areg/htpasswd}}
CFG
  docker-registry serve "$W/areg/config.yml" >"$W/areg/log" 2>&1 </dev/null & _pids+=("$!")
  for _ in $(seq 50); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$aport/v2/")" = 401 ] && break; sleep 0.1; done
  A=127.0.0.1:$aport
  export HELM_REGISTRY_CONFIG=$W/helm-registry.json
  check "helm registry login (Basic)" bash -c "echo s3cret | '$H' registry login $A --username ci --password-stdin --plain-http"
  check "helm push to the password-protected registry" "$H" push signed/demo-0.1.0.tgz "oci://$A/charts" --plain-http
  check_exit 2 "verify without credentials is refused" "$C" verify "oci://$A/charts/demo" --version 0.1.0 --plain-http --keyring ci.pub.gpg
  check_said "  and says how to give them" "needs a user name and password" err
  check "verify with --username --password-stdin" bash -c "echo s3cret | '$C' verify 'oci://$A/charts/demo' --version 0.1.0 --plain-http --keyring ci.pub.gpg --username ci --password-stdin"
  check_exit 2 "a wrong password is refused" bash -c "echo wrong | '$C' verify 'oci://$A/charts/demo' --version 0.1.0 --plain-http --keyring ci.pub.gpg --username ci --password-stdin"
  check_said "  as access denied" "access denied \(401\)" err
  mkdir -p "$W/dockercfg" && cp "$W/helm-registry.json" "$W/dockercfg/config.json"
  check "sign oci:// with the credentials helm saved (read as a Docker config)" env DOCKER_CONFIG="$W/dockercfg" COSIGN_PASSWORD=pw \
    "$C" sign "oci://$A/charts/demo:0.1.0" --key cosign.key --plain-http
  check "verify oci:// --key with them" env DOCKER_CONFIG="$W/dockercfg" "$C" verify "oci://$A/charts/demo" --version 0.1.0 --plain-http --key cosign.pub
  if grep -q s3cret "$OUT" "$ERR"; then _fail=$((_fail + 1)); echo "FAIL the password was printed"; fi
else
  skip "Basic auth against a password-protected registry (no bcrypt in /usr/bin/python3's crypt)"
fi
finish
