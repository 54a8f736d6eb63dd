#!/usr/bin/env bash
# Keyless signers and the Sigstore trusted root in the trust root (issue 16), from the command
# line: add-identity (exact and regexp, with Fulcio claims), set-sigstore-root with the
# production trusted_root.json, signed by a threshold and accepted; trust show prints them; bad
# patterns, unknown claims and malformed trusted roots are refused before anything is staged;
# a change to the identities or to the Sigstore root that the roots did not sign is refused;
# revoke-identity and clear-sigstore-root go through the same thresholds.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
: "${TEST_DATA:=$REPO_ROOT/tests/data}"
ROOTS=$TEST_DATA/sigstore-keyless/roots
PRODUCTION=$ROOTS/production/trusted_root.json
# The conformance suite's signer and GitHub's issuer (tests/data/sigstore-keyless/cases.tsv).
BEACON=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
GITHUB=https://token.actions.githubusercontent.com
cd "$W"
for i in 1 2 3; do "$C" key generate --uid "Root $i <r$i@test.invalid>" --output "root$i" --no-passphrase >/dev/null; done
check "trust init with three root keys, threshold 2" "$C" trust init --output td --root-key root1.key --root-key root2.key --root-key root3.key --threshold 2
check "show: a new root" "$C" trust show --trust-dir td
cp "$OUT" show-v1.txt
check "  lists no identity and no Sigstore root" bash -c '! grep -Eq "identity|sigstore" show-v1.txt'

# Staging: each refusal leaves staged.json as it was (or absent).
check "add-identity: an exact identity, issuer and claim" "$C" trust add-identity --trust-dir td --owner conformance-ci \
  --identity "$BEACON" --issuer "$GITHUB" --claim source-repository-ref=refs/heads/main --charts 'web-*' --envs production
check_said "  says how to sign it" "Staged the next version in td/staged.json" out
staged=$(sha256sum td/staged.json)
unchanged() { [ "$(sha256sum td/staged.json)" = "$staged" ]; }
check_exit 2 "a regular expression that does not compile is refused" "$C" trust add-identity --trust-dir td --owner o \
  --identity-regexp '(' --issuer "$GITHUB" --charts '*'
check_said "  with the reason" "\"identity_regexp\": the regular expression \"\(\" does not compile" err
check_exit 2 "an unknown claim is refused" "$C" trust add-identity --trust-dir td --owner o --identity "$BEACON" \
  --issuer "$GITHUB" --claim repo=sigstore-conformance --charts '*'
check_said "  by name" "\"repo\" is not a Fulcio claim" err
check_exit 2 "a claim without a value is refused" "$C" trust add-identity --trust-dir td --owner o --identity "$BEACON" \
  --issuer "$GITHUB" --claim source-repository-ref --charts '*'
check_said "  as a usage error" "--claim: give NAME=VALUE" err
check_exit 2 "an identity without its issuer is refused" "$C" trust add-identity --trust-dir td --owner o --identity "$BEACON" --charts '*'
check_said "  (any OIDC provider could issue it)" "--issuer or --issuer-regexp" err
check_exit 2 "--identity and --identity-regexp together are refused" "$C" trust add-identity --trust-dir td --owner o \
  --identity "$BEACON" --identity-regexp '.*' --issuer "$GITHUB" --charts '*'
check_exit 2 "the same signer twice is refused, whatever its charts" "$C" trust add-identity --trust-dir td --owner other \
  --identity "$BEACON" --issuer "$GITHUB" --claim source-repository-ref=refs/heads/main --charts '*'
check_said "  as already listed" "this identity is already listed \(owner conformance-ci\)" err
check_exit 2 "a malformed trusted root is refused (a tlog validFor without start)" "$C" trust set-sigstore-root --trust-dir td \
  "$ROOTS/sigstore-conformance/trust-root-tlog-missing-validity-start_fail/trusted_root.json"
check_said "  naming the file" "trust-root-tlog-missing-validity-start_fail/trusted_root.json" err
printf '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": [' >cut.json
check_exit 2 "a file that is not JSON is refused" "$C" trust set-sigstore-root --trust-dir td cut.json
check_exit 2 "a missing file is refused" "$C" trust set-sigstore-root --trust-dir td missing.json
check "  none of them changed staged.json" unchanged

check "add-identity: a pattern (any address of one domain) and a claim pattern" "$C" trust add-identity --trust-dir td \
  --owner release-team --identity-regexp '[a-z.]+@trailofbits\.com' --issuer https://accounts.google.com \
  --claim-regexp 'build-trigger=push|tag' --charts '*' --not-after 2030-01-01T00:00:00Z
check "set-sigstore-root with the production trusted_root.json" "$C" trust set-sigstore-root --trust-dir td "$PRODUCTION"
staged_holds_both() {
  python3 - "$PRODUCTION" <<'PY'
import json, sys
s = json.load(open("td/staged.json"))["signed"]
assert s["version"] == 2, s["version"]
assert s["sigstore_trusted_root"] == json.load(open(sys.argv[1])), "embedded root differs from the file"
ids = s["signing_identities"]
assert [i["owner"] for i in ids] == ["conformance-ci", "release-team"], ids
assert ids[0]["claims"] == {"source-repository-ref": "refs/heads/main"} and ids[0]["allowed_environments"] == ["production"], ids[0]
assert ids[1]["identity_regexp"] == "[a-z.]+@trailofbits\\.com" and ids[1]["claims_regexp"] == {"build-trigger": "push|tag"}, ids[1]
assert ids[1]["not_after"] == "2030-01-01T00:00:00Z" and ids[1]["allowed_environments"] == ["*"], ids[1]
PY
}
check "the staged document holds both, as written" staged_holds_both

check "one root signature" "$C" trust sign --trust-dir td --root-key root1.key
check_exit 1 "is not a threshold" "$C" trust update --trust-dir td --from td/staged.json
check_said "  and says how many are needed" "signed by 1 of the trusted root keys; 2 are needed" err
check "a second root signature" "$C" trust sign --trust-dir td --root-key root2.key
cp td/staged.json v2.json
# Signatures over v2 pasted onto a v2 that widens a signer, or swaps the Sigstore root for another real one.
python3 - "$ROOTS/staging/trusted_root.json" <<'PY'
import json, sys
d = json.load(open("v2.json"))
d["signed"]["signing_identities"][0]["identity_regexp"] = ".*"
del d["signed"]["signing_identities"][0]["identity"]
json.dump(d, open("v2-wider.json", "w"))
d = json.load(open("v2.json"))
d["signed"]["sigstore_trusted_root"] = json.load(open(sys.argv[1]))
json.dump(d, open("v2-other-root.json", "w"))
PY
check_exit 1 "a signed version with a widened identity is refused" "$C" trust update --trust-dir td --from v2-wider.json
check_said "  (the signatures do not cover it)" "signed by 0 of the trusted root keys; 2 are needed" err
check_exit 1 "a signed version with another Sigstore root is refused" "$C" trust update --trust-dir td --from v2-other-root.json
check_said "  (the signatures do not cover it)" "signed by 0 of the trusted root keys; 2 are needed" err
check "the signed version is accepted" "$C" trust update --trust-dir td --from v2.json
check_said "  as version 2" "Accepted trust root version 2," out
check "trust show prints the identities and the Sigstore root" "$C" trust show --trust-dir td
check_said "  the exact one, with its claim and scope" "identity $BEACON \(issuer $GITHUB, source-repository-ref refs/heads/main\) owner=conformance-ci charts=web-\* envs=production$" out
check_said "  the pattern" "identity /\[a-z.\]\+@trailofbits\\\\.com/ \(issuer https://accounts.google.com, build-trigger /push\|tag/\) owner=release-team charts=\* envs=\*$" out
# The digest printed is the SHA-256 of the canonical JSON (sorted keys, no whitespace) of the file.
want=$(python3 -c 'import hashlib, json, sys
c = json.dumps(json.load(open(sys.argv[1])), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
print("sha256:" + hashlib.sha256(c.encode()).hexdigest())' "$PRODUCTION")
check_said "  the Sigstore root by the digest of its canonical form" "^  sigstore trusted_root.json $want \(canonical\)$" out

# Version 3: a change nobody signed is refused; revoke-identity names one signer.
check "add-identity: the same subject with another ref" "$C" trust add-identity --trust-dir td --owner conformance-ci \
  --identity "$BEACON" --issuer "$GITHUB" --claim source-repository-ref=refs/heads/release --charts 'web-*'
check_exit 1 "an unsigned change to the identities is refused" "$C" trust update --trust-dir td --from td/staged.json
check_said "  with no root signature" "signed by 0 of the trusted root keys; 2 are needed" err
check_exit 2 "revoke-identity by owner and identity alone is ambiguous now" "$C" trust revoke-identity --trust-dir td \
  --owner conformance-ci --identity "$BEACON"
check_said "  and says how to choose" "2 signing identities of conformance-ci match; name one with --issuer" err
check_exit 2 "revoke-identity of an identity nobody listed" "$C" trust revoke-identity --trust-dir td \
  --owner conformance-ci --identity someone@example.com
check_said "  is refused" "no signing identity of conformance-ci with that identity" err
check "revoke-identity with its claim" "$C" trust revoke-identity --trust-dir td --owner conformance-ci \
  --identity "$BEACON" --claim source-repository-ref=refs/heads/main --at 2026-01-01T00:00:00Z
check "clear-sigstore-root" "$C" trust clear-sigstore-root --trust-dir td
check_exit 2 "clearing it twice is refused" "$C" trust clear-sigstore-root --trust-dir td
check_said "  (nothing to clear)" "the staged trust root carries no Sigstore trusted root" err
check "root 1 signs" "$C" trust sign --trust-dir td --root-key root1.key
check "root 3 signs" "$C" trust sign --trust-dir td --root-key root3.key
check "version 3 is accepted" "$C" trust update --trust-dir td --from td/staged.json
check "trust show" "$C" trust show --trust-dir td
check_said "  the revoked identity" "source-repository-ref refs/heads/main\) owner=conformance-ci charts=web-\* envs=production REVOKED at 2026-01-01T00:00:00Z$" out
check_said "  the new one, active" "source-repository-ref refs/heads/release\) owner=conformance-ci charts=web-\* envs=\*$" out
cp "$OUT" show-v3.txt
check "  no Sigstore root any more" bash -c '! grep -q "sigstore trusted_root.json" show-v3.txt'
check_exit 1 "version 2 again is a rollback" "$C" trust update --trust-dir td --from v2.json
check_said "  by name" "rollback" err
finish
