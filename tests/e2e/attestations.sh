#!/usr/bin/env bash
# Build-provenance attestations (issue 16 part 3), with real helm and sigstore-js:
#   chartprov attest with a cosign key and a SLSA provenance v1 predicate (the GitHub Actions
#   provenance of tests/data/sigstore-keyless with the builder, repository, ref and workflow set
#   here); sigstore-js verifies the bundle with the key and the chart; verify --env under a policy
#   that requires the attestation, with --key and with --trust-dir: allowed; another builder,
#   another ref, no attestation, an attestation copied from another chart, a tampered predicate:
#   each denied for its reason (reason_code attestation); a rule without attestations: ignores
#   them; the deploy gate (helm template) runs helm only for the attested chart, serve answers the
#   same decision; an attestation signed with a private CA's certificate (openssl) is judged by the
#   identity it names (a trust root's); attest's own refusals (overwrite, predicate shape, type,
#   GnuPG keys, a misnamed chart, a certificate of another key).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
JS=${SIGSTORE_JS_DIR:-/opt/peers/node}
VB=$TEST_DATA/cosign/verify-bundle.mjs
PROVENANCE=$TEST_DATA/sigstore-keyless/bundles/sigstore-conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json
cd "$W"
unset CHARTPROV_ENV
export CHARTPROV_HELM=$H  # the deploy gate runs the real helm
export COSIGN_PASSWORD=pw

jsverify() { SIGSTORE_JS_DIR=$JS node "$VB" "$@"; }
REPO=https://github.com/acme/charts
WORKFLOW=.github/workflows/release.yml
BUILDER="$REPO/$WORKFLOW@refs/tags/v0.1.0"
# predicate OUT BUILDER REF: the real provenance's predicate, built by BUILDER from $REPO at REF.
predicate() {
  python3 - "$PROVENANCE" "$@" <<'PY'
import base64, json, sys
bundle, out, builder, ref = sys.argv[1:5]
p = json.loads(base64.b64decode(json.load(open(bundle))["dsseEnvelope"]["payload"]))["predicate"]
p["runDetails"]["builder"]["id"] = builder
w = p["buildDefinition"]["externalParameters"]["workflow"]
w.update(repository="https://github.com/acme/charts", ref=ref, path=".github/workflows/release.yml")
json.dump(p, open(out, "w"), indent=2)
PY
}
# field FILE EXPR: prints a field of a JSON decision (python expression over d)
field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

"$C" key generate --format cosign --output release >/dev/null
"$C" key generate --format cosign --output stranger >/dev/null
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key release.pub --owner release-team --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
check "a trust root listing the release key" "$C" trust update --trust-dir td --from td/staged.json
for c in web api; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done
for c in web api; do "$C" sign "$c-0.1.0.tgz" --key release.key --format cosign-blob >/dev/null; done
predicate good.json "$BUILDER" refs/tags/v0.1.0
predicate other-builder.json "https://github.com/attacker/charts/$WORKFLOW@refs/tags/v0.1.0" refs/tags/v0.1.0
predicate branch.json "$REPO/$WORKFLOW@refs/heads/main" refs/heads/main

# --- attest -----------------------------------------------------------------------------------
check "attest web with the release key and a SLSA provenance predicate" "$C" attest web-0.1.0.tgz --predicate good.json --key release.key
check_said "  names the chart and its digest" "^Attested web 0.1.0 \(sha256:[0-9a-f]{64}\)$" out
check_said "  and the file" "^Wrote: web-0.1.0.tgz.attestation.sigstore.json$" out
KEYID=$(sed -n 's/^Key id: //p' "$OUT")
check "sigstore-js verifies the bundle with the key and the chart as artifact" \
  jsverify --bundle web-0.1.0.tgz.attestation.sigstore.json --key release.pub --artifact web-0.1.0.tgz --strict-hint
check_fails "  and refuses it for another chart" \
  jsverify --bundle web-0.1.0.tgz.attestation.sigstore.json --key release.pub --artifact api-0.1.0.tgz
check "  the statement: in-toto v1, one subject (the chart file, its sha256), the predicate as given" python3 -c '
import base64, hashlib, json, sys
b = json.load(open("web-0.1.0.tgz.attestation.sigstore.json"))
assert b["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json", b
env = b["dsseEnvelope"]
assert env["payloadType"] == "application/vnd.in-toto+json", env
st = json.loads(base64.b64decode(env["payload"]))
assert st["_type"] == "https://in-toto.io/Statement/v1", st
assert st["subject"] == [{"name": "web-0.1.0.tgz", "digest": {"sha256": hashlib.sha256(open("web-0.1.0.tgz", "rb").read()).hexdigest()}}], st
assert st["predicateType"] == "https://slsa.dev/provenance/v1", st
assert st["predicate"] == json.load(open("good.json")), st
'
check "attest api too (for the copy below)" "$C" attest api-0.1.0.tgz --predicate good.json --key release.key

cat > policy.yaml <<EOF
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [SIGNER]
        attestations:
          - predicate_type: https://slsa.dev/provenance/v1
            builder_id: $BUILDER
            source_repository: $REPO
            source_ref_regexp: refs/tags/v.*
            workflow: $WORKFLOW
  staging:
    mode: enforce
    rules:
      - charts: "*"
        signers: [SIGNER]
EOF
sed "s/SIGNER/\"$KEYID\"/" policy.yaml > policy-key.yaml
sed "s/SIGNER/release-team/" policy.yaml > policy-td.yaml
BY_KEY=(--env production --policy policy-key.yaml --key release.pub)
BY_TD=(--env production --policy policy-td.yaml --trust-dir td)

# --- allowed ------------------------------------------------------------------------------------
check "verify --key: the attested chart is allowed in production" "$C" verify web-0.1.0.tgz "${BY_KEY[@]}"
check_said "  the attestation verified" "^  Verified attestation: web-0.1.0.tgz.attestation.sigstore.json \(https://slsa.dev/provenance/v1, key ${KEYID:0:16}\)$" out
check_said "  built by the builder" "^    builder: $BUILDER$" out
check_said "  from the repository at the tag" "^    source: $REPO refs/tags/v0.1.0 \($WORKFLOW\)$" out
check "verify --trust-dir: allowed too" "$C" verify web-0.1.0.tgz "${BY_TD[@]}" --json
cp "$OUT" td-allow.json
check "  the JSON names the attestation's signer and facts" python3 -c '
import json, sys
d = json.load(open("td-allow.json"))
assert d["decision"] == "allow", d
[a] = d["attestations"]
assert a["status"] == "good" and a["owner"] == "release-team" and a["predicate_type"] == "https://slsa.dev/provenance/v1", a
assert a["builder_id"] == sys.argv[1] and a["source_repository"] == "https://github.com/acme/charts", a
assert a["source_ref"] == "refs/tags/v0.1.0" and a["workflow"] == ".github/workflows/release.yml", a
' "$BUILDER"

# --- denied, each for its reason ----------------------------------------------------------------
deny() {  # deny DESC REASON-RE VERIFY-ARGS...: exit 1, reason_code attestation, the reason said
  local what=$1 re=$2
  shift 2
  check_exit 1 "$what" "$C" verify web-0.1.0.tgz "$@" --json
  cp "$OUT" deny.json
  check "  reason_code attestation" test "$(field deny.json 'd["reason_code"]')" = attestation
  check "  and the reason" python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
assert any(re.search(sys.argv[2], r) for r in d["reasons"]), d["reasons"]
' deny.json "$re"
}
"$C" attest web-0.1.0.tgz --predicate other-builder.json --key release.key --force >/dev/null
deny "another builder: denied (--key)" 'builder id "https://github.com/attacker/charts/.*" is not "https://github.com/acme/charts/' "${BY_KEY[@]}"
deny "  and by the trust root" 'builder id "https://github.com/attacker/charts/' "${BY_TD[@]}"
# The builder as required, the ref a branch: the ref is the difference named.
python3 -c '
import json, sys; p = json.load(open("branch.json")); p["runDetails"]["builder"]["id"] = sys.argv[1]
json.dump(p, open("branch-only.json", "w"))' "$BUILDER"
"$C" attest web-0.1.0.tgz --predicate branch-only.json --key release.key --force >/dev/null
deny "another ref (a branch, not a tag): denied" 'source ref "refs/heads/main" does not match /refs/tags/v\.\*/' "${BY_KEY[@]}"
rm web-0.1.0.tgz.attestation.sigstore.json
deny "no attestation: denied" 'needs an attestation https://slsa.dev/provenance/v1 \(builder_id .*\): the chart has none' "${BY_KEY[@]}"
check "  a rule without attestations: allowed (staging)" "$C" verify web-0.1.0.tgz --env staging --policy policy-key.yaml --key release.pub
cp api-0.1.0.tgz.attestation.sigstore.json web-0.1.0.tgz.attestation.sigstore.json
deny "an attestation copied from another chart: denied" 'the attestation names another digest' "${BY_KEY[@]}"
deny "  by the trust root too" 'the attestation names another digest' "${BY_TD[@]}"
check "  a rule without attestations allows" "$C" verify web-0.1.0.tgz --env staging --policy policy-key.yaml --key release.pub
check_said "  and shows it as not counted" "Not counted attestation: web-0.1.0.tgz.attestation.sigstore.json \(the attestation names another digest" out
"$C" attest web-0.1.0.tgz --predicate good.json --key release.key --force >/dev/null
check "  attested again: allowed" "$C" verify web-0.1.0.tgz "${BY_KEY[@]}"
cp web-0.1.0.tgz.attestation.sigstore.json good.attestation
# Tampered: the signed statement's branch changed to a tag, the signature kept.
"$C" attest web-0.1.0.tgz --predicate branch-only.json --key release.key --force >/dev/null
python3 - <<'PY'
import base64, json
b = json.load(open("web-0.1.0.tgz.attestation.sigstore.json"))
st = base64.b64decode(b["dsseEnvelope"]["payload"]).replace(b"refs/heads/main", b"refs/tags/v9.9.9")
b["dsseEnvelope"]["payload"] = base64.b64encode(st).decode()
json.dump(b, open("web-0.1.0.tgz.attestation.sigstore.json", "w"))
PY
deny "a tampered predicate: denied (--key)" 'the DSSE signature does not verify with the key' "${BY_KEY[@]}"
deny "  and by the trust root" 'no signature by a key the trust root lists' "${BY_TD[@]}"
check_fails "  sigstore-js refuses it too" jsverify --bundle web-0.1.0.tgz.attestation.sigstore.json --key release.pub --artifact web-0.1.0.tgz
"$C" attest web-0.1.0.tgz --predicate good.json --key stranger.key --force >/dev/null
deny "an attestation by a key the trust root does not list: denied" 'no signature by a key the trust root lists' "${BY_TD[@]}"
"$C" attest web-0.1.0.tgz --predicate good.json --key release.key --force --type https://example.com/review/v1 >/dev/null
deny "another predicate type: denied" 'its predicate type is https://example.com/review/v1' "${BY_KEY[@]}"
cp good.attestation web-0.1.0.tgz.attestation.sigstore.json

# --- the deploy gate ----------------------------------------------------------------------------
check "the gate: helm template runs for the attested chart" "$C" helm template rel web-0.1.0.tgz "${BY_KEY[@]}"
check_said "  helm rendered it" "^# Source: web/templates/" out
rm web-0.1.0.tgz.attestation.sigstore.json
check_exit 1 "  without the attestation it is denied and helm does not run" "$C" helm template rel web-0.1.0.tgz "${BY_KEY[@]}"
check_said "  (the reason)" "the chart has none" err
check "  (no output from helm)" test ! -s "$OUT"
cp good.attestation web-0.1.0.tgz.attestation.sigstore.json

# --- serve: the same decision, sources relative to the chart root ------------------------------------
mkdir charts && cp web-0.1.0.tgz web-0.1.0.tgz.sig web-0.1.0.tgz.attestation.sigstore.json charts/
"$C" serve --listen 127.0.0.1:0 --trust-dir td --policy policy-td.yaml --env production --chart-root charts \
  >serve.out 2>serve.err &
_pids+=("$!")
for _ in $(seq 1 100); do grep -q 'listening on' serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' serve.out)
check "serve: POST /v1/verify of the attested chart" curl -sf -o served.json -X POST -H 'Content-Type: application/json' \
  --data '{"chart": "web-0.1.0.tgz"}' "http://127.0.0.1:${PORT:-1}/v1/verify"
check "  allowed, the attestation named relative to the chart root" python3 -c '
import json
d = json.load(open("served.json"))
assert d["allowed"] and d["reason_code"] == "", d
[a] = d["attestations"]
assert a["source"] == "web-0.1.0.tgz.attestation.sigstore.json" and a["status"] == "good", a
'
rm charts/web-0.1.0.tgz.attestation.sigstore.json
check "  without it: denied" curl -sf -o served.json -X POST -H 'Content-Type: application/json' \
  --data '{"chart": "web-0.1.0.tgz"}' "http://127.0.0.1:${PORT:-1}/v1/verify"
check "  (reason_code attestation)" test "$(field served.json 'd["reason_code"]')" = attestation

# --- a private CA's certificate signs the attestation: judged by the identity it names ------------
ID=https://ci.example.com/pipelines/charts
ISSUER="CN=Example Signing CA,O=Example Corp"
"$C" key generate --output casigner --no-passphrase --uid "CI <ci@example.com>" >/dev/null
ca_root caroot "Example Root CA"
ca_intermediate caint "Example Signing CA" caroot
ca_root otherroot "Other Root CA"
ca_leaf caleaf caint casigner.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID"
ca_leaf foreign otherroot casigner.key "/O=Example Corp/CN=chart-signer" codeSigning "URI:$ID"
cat caint.pem caroot.pem >cachain.pem
"$C" trusted-root create --certificate-chain cachain.pem --output ca_trusted_root.json >/dev/null
"$C" trust init --output td2 --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td2 --key release.pub --owner release-team --charts '*' --envs '*' >/dev/null
"$C" trust add-identity --trust-dir td2 --owner build-ci --identity "$ID" --issuer "$ISSUER" --charts '*' >/dev/null
"$C" trust set-sigstore-root --trust-dir td2 ca_trusted_root.json >/dev/null
"$C" trust sign --trust-dir td2 --root-key root.key >/dev/null
check "a trust root listing the release key, the CI identity and the CA's trusted root" \
  "$C" trust update --trust-dir td2 --from td2/staged.json
cat > policy-ca.yaml <<EOF
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [release-team]
        attestations:
          - predicate_type: https://slsa.dev/provenance/v1
            source_ref_regexp: refs/tags/v.*
            signers:
              - identity: $ID
                issuer: "$ISSUER"
EOF
BY_CA=(--env production --policy policy-ca.yaml --trust-dir td2)
mkdir ca && cp web-0.1.0.tgz web-0.1.0.tgz.sig ca/  # the chart signed by the release key alone (no bundle)
check "attest --certificate --certificate-chain: signed by the CA's leaf" \
  "$C" attest ca/web-0.1.0.tgz --predicate good.json --key casigner.key --certificate caleaf.pem --certificate-chain cachain.pem
check_said "  names the certificate" "^Certificate: CN=chart-signer,O=Example Corp$" out
check "  the bundle carries the leaf alone, as DER" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
assert b["verificationMaterial"] == {"certificate": {"rawBytes": sys.argv[2]}}, b["verificationMaterial"]
assert b["dsseEnvelope"]["payloadType"] == "application/vnd.in-toto+json", b
' ca/web-0.1.0.tgz.attestation.sigstore.json "$(openssl x509 -in caleaf.pem -outform der | base64 -w0)"
check "verify --trust-dir: the CA-signed attestation meets a requirement naming the identity" \
  "$C" verify ca/web-0.1.0.tgz "${BY_CA[@]}" --json
cp "$OUT" ca-allow.json
check "  (good, build-ci's, the SLSA facts)" python3 -c '
import json
d = json.load(open("ca-allow.json"))
assert d["decision"] == "allow", d
[a] = d["attestations"]
assert a["status"] == "good" and a["owner"] == "build-ci" and a["source_ref"] == "refs/tags/v0.1.0", a
'
"$C" attest ca/web-0.1.0.tgz --predicate good.json --key release.key --force >/dev/null
check_exit 1 "an attestation by the release key does not meet it" "$C" verify ca/web-0.1.0.tgz "${BY_CA[@]}"
check_said "  (not a signer the requirement accepts)" "signed by release-team .*who is not a signer this requirement accepts" err
"$C" attest ca/web-0.1.0.tgz --predicate good.json --key casigner.key --certificate foreign.pem --force >/dev/null
check_exit 1 "nor one by a leaf of another CA with the same SAN" "$C" verify ca/web-0.1.0.tgz "${BY_CA[@]}"
check_exit 2 "attest refuses a certificate of another key" \
  "$C" attest ca/web-0.1.0.tgz --predicate good.json --key release.key --certificate caleaf.pem --force
check_said "  and says so" "the certificate's public key is not the signing key" err
check_exit 2 "attest refuses --certificate-chain alone" \
  "$C" attest ca/web-0.1.0.tgz --predicate good.json --key casigner.key --certificate-chain cachain.pem --force

# --- attest refuses -----------------------------------------------------------------------------
check_exit 2 "attest does not overwrite without --force" "$C" attest web-0.1.0.tgz --predicate good.json --key release.key
check_said "  and says so" "exists; refusing to overwrite \(--force\)" err
check "  (the file is unchanged)" cmp good.attestation web-0.1.0.tgz.attestation.sigstore.json
mkdir fresh && cp web-0.1.0.tgz fresh/
echo '[1, 2]' > list.json
check_exit 2 "a predicate that is not a JSON object is refused" "$C" attest fresh/web-0.1.0.tgz --predicate list.json --key release.key
check_said "  and says so" "the predicate is not a JSON object" err
echo '{"buildDefinition": {}}' > nobuilder.json
check_exit 2 "SLSA provenance without a builder is refused" "$C" attest fresh/web-0.1.0.tgz --predicate nobuilder.json --key release.key
check_said "  and says so" "the predicate is not SLSA provenance v1: .*runDetails.builder.id" err
check_exit 2 "a predicate type that is not a URI is refused" "$C" attest fresh/web-0.1.0.tgz --predicate good.json --key release.key --type "slsa provenance"
check_exit 2 "a GnuPG key is refused" "$C" attest fresh/web-0.1.0.tgz --predicate good.json --keyring secring.gpg --key x
cp web-0.1.0.tgz fresh/renamed.tgz
check_exit 2 "a chart not named NAME-VERSION.tgz is refused" "$C" attest fresh/renamed.tgz --predicate good.json --key release.key
check_said "  and says so" "must be named web-0.1.0.tgz" err
check "  and none of these wrote an attestation" test -z "$(ls fresh/*.attestation.sigstore.json 2>/dev/null)"
finish
