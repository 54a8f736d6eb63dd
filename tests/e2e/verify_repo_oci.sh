#!/usr/bin/env bash
# verify-repo oci://HOST/REPO/NAME: every tag of a chart repository in a real OCI registry
# (Debian's docker-registry on loopback), pushed by real `helm push`:
#   --keyring: the .prov layer of each tag (a tag pushed without .prov is unsigned);
#   --key: cosign signatures of each manifest (chartprov sign oci://), the cosign signature
#     tags themselves are not taken for charts; --env: the policy's decision per tag;
#   a tag moved to another chart fails; an unknown repository is an input error.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
C=$CHARTPROV
cd "$W"
port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL registry did not start"; exit 1; }
R=127.0.0.1:$port
"$C" key generate --uid "OCI CI <oci@test.invalid>" --output ci --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
"$H" create demo >/dev/null
for v in 0.1.0 0.2.0 0.3.0; do
  sed -i "s/^version: .*/version: $v/" demo/Chart.yaml
  "$C" package demo --sign --key ci.key -d signed >/dev/null
done
sed -i "s/^version: .*/version: 0.4.0/" demo/Chart.yaml
"$H" package demo -d unsigned >/dev/null
for v in 0.1.0 0.2.0 0.3.0; do check "helm push demo $v (with .prov)" "$H" push "signed/demo-$v.tgz" "oci://$R/charts" --plain-http; done
check "helm push demo 0.4.0 (no .prov)" "$H" push unsigned/demo-0.4.0.tgz "oci://$R/charts" --plain-http

check_exit 1 "verify-repo oci:// --keyring: every tag" "$C" verify-repo "oci://$R/charts/demo" --plain-http --keyring ci.pub.gpg
check_said "  3 verified, the tag without .prov unsigned" "^4 charts: 3 verified, 0 failed, 1 unsigned" out
check_said "  (named)" "demo +0\.4\.0 +unsigned" out
check_exit 1 "  --json" "$C" verify-repo "oci://$R/charts/demo" --plain-http --keyring ci.pub.gpg --json --jobs 1
cp "$OUT" oci.json
check "  lists each tag with its chart digest" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
got = {c["version"]: c["result"] for c in j["charts"]}
assert got == {"0.1.0": "verified", "0.2.0": "verified", "0.3.0": "verified", "0.4.0": "unsigned"}, got
assert all(c["digest"].startswith("sha256:") for c in j["charts"])' oci.json

for v in 0.1.0 0.2.0; do check "sign oci:// demo $v with the cosign key" env COSIGN_PASSWORD=pw "$C" sign "oci://$R/charts/demo:$v" --key cosign.key --plain-http; done
check_exit 1 "verify-repo oci:// --key: cosign signatures of each manifest" "$C" verify-repo "oci://$R/charts/demo" --plain-http --key cosign.pub
check_said "  2 verified, 2 unsigned; the signature tags are not charts" "^4 charts: 2 verified, 0 failed, 2 unsigned" out

"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
"$C" trust init --output td --root-key root.key --threshold 1 >/dev/null
"$C" trust add-key --trust-dir td --key cosign.pub --owner ci --charts demo >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null && "$C" trust update --trust-dir td --from td/staged.json >/dev/null
check_exit 1 "verify-repo oci:// --trust-dir without --env: a listed key must have signed each tag" "$C" verify-repo "oci://$R/charts/demo" --plain-http --trust-dir td
check_said "  the 2 cosign-signed tags verified (the .prov keyring key is not listed)" "^4 charts: 2 verified" out
check "verify oci:// --trust-dir without --env: a tag the listed key signed" "$C" verify "oci://$R/charts/demo" --version 0.1.0 --plain-http --trust-dir td
check_said "  allowed, with no environment" "ALLOW demo 0.1.0 for no environment" out
check_exit 1 "  a tag it did not sign is denied" "$C" verify "oci://$R/charts/demo" --version 0.3.0 --plain-http --trust-dir td

check_exit 1 "verify-repo oci:// --keyring --env production (built-in policy)" "$C" verify-repo "oci://$R/charts/demo" --plain-http --keyring ci.pub.gpg --env production
check_said "  the 3 signed tags allowed" "^4 charts: 3 verified, 1 failed" out

# A tag moved to another chart: 0.3.0 now holds other-0.3.0 (its own name, its own .prov).
"$H" create other >/dev/null && sed -i "s/^version: .*/version: 0.3.0/" other/Chart.yaml
"$C" package other --sign --key ci.key -d other-out >/dev/null
"$H" push other-out/other-0.3.0.tgz "oci://$R/charts" --plain-http >/dev/null 2>&1
skopeo copy --src-tls-verify=false --dest-tls-verify=false "docker://$R/charts/other:0.3.0" "docker://$R/charts/demo:0.3.0" >/dev/null 2>&1 ||
  oras cp --from-plain-http --to-plain-http "$R/charts/other:0.3.0" "$R/charts/demo:0.3.0" >/dev/null 2>&1
if command -v skopeo >/dev/null || command -v oras >/dev/null; then
  check_exit 1 "a tag moved to another chart fails" "$C" verify-repo "oci://$R/charts/demo" --plain-http --keyring ci.pub.gpg
  check_said "  named" "0\.3\.0 +failed .*(named other|reference names demo)" out
else
  skip "a tag moved to another chart (needs skopeo or oras)"
fi
check_exit 2 "an unknown repository is an input error" "$C" verify-repo "oci://$R/charts/nothing" --plain-http --keyring ci.pub.gpg
check_exit 2 "a reference with a tag is refused" "$C" verify-repo "oci://$R/charts/demo:0.1.0" --plain-http --keyring ci.pub.gpg
check_exit 2 "a missing trust directory is an input error" "$C" verify-repo "oci://$R/charts/demo" --plain-http --trust-dir nope
finish
