#!/usr/bin/env bash
# A signer is a key owner, not a key encoding (issue 14, findings 1 and 11): a `threshold: 2`
# rule is not met by one gpg certificate whose primary key and signing subkey both sign the
# .prov (real gpg signatures), nor by one key counted once through --keyring (the .prov, by
# OpenPGP fingerprint) and once through --key (the .sig, by SPKI key id); two certificates
# are two signers. With --keyring, a rule that names a signer by user id is refused: anyone
# can put any user id on a key.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
cat > two.yaml <<'EOF'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: "*"
        threshold: 2
EOF
"$H" create demo >/dev/null && "$H" package demo >/dev/null
CHART=demo-0.1.0.tgz

# (b) one key through --keyring and --key: the documented combination.
"$C" key generate --uid "CI <ci@test.invalid>" --output ci --no-passphrase >/dev/null
"$C" key export --pem --key ci.key --output ci.pub >/dev/null
mkdir b && cp "$CHART" b/
check "one key signs the .prov and the .sig" "$C" sign "b/$CHART" --key ci.key --format prov,cosign-blob
check "  each counts alone (threshold 1)" "$C" verify "b/$CHART" --env production --keyring ci.pub.gpg --key ci.pub
check_exit 1 "--keyring ci.pub.gpg --key ci.pub is one signer, not two" \
  "$C" verify "b/$CHART" --env production --policy two.yaml --keyring ci.pub.gpg --key ci.pub
check_said "  found 1" "needs 2 signer\(s\), found 1" err
kid=$(openssl pkey -pubin -in ci.pub -outform DER | sha256sum | cut -c1-64)  # SHA-256 of the SPKI
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: "*"\n        signers: ["%s", "%s"]\n        threshold: 2\n' "$(gpg_fpr ci.pub.gpg)" "$kid" > named.yaml
check_exit 1 "  also when the rule lists the key by fingerprint and by key id" \
  "$C" verify "b/$CHART" --env production --policy named.yaml --keyring ci.pub.gpg --key ci.pub
check "  the .prov carries the key id the .sig carries (--json)" python3 -c '
import json, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True).stdout
ids = {e["format"]: e["key_id"] for e in json.loads(out)["envelopes"]}
assert ids["prov"] and ids["prov"] == ids["cosign-blob"], ids
' "$C" verify "b/$CHART" --env production --keyring ci.pub.gpg --key ci.pub --json

# (a) a gpg certificate whose primary key and signing subkey both sign the .prov.
gpg_gen "Release <release@test.invalid>" ed25519
primary=$(gpg_home_fpr Release)
gpg_b --passphrase '' --quick-add-key "$primary" ed25519 sign never >/dev/null 2>&1
subkey=$(gpg --with-colons --list-keys Release | awk -F: '$1 == "fpr" { f = $10 } END { print f }')
gpg_gen "Security <security@test.invalid>" ed25519
other=$(gpg_home_fpr Security)
check "gpg made a signing subkey" test -n "$subkey" -a "$subkey" != "$primary"
gpg --export Release Security > pub.gpg
message_block "b/$CHART.prov" > block
clearsign() {  # clearsign DIR KEY...: DIR/CHART with a .prov signed by every KEY (gpg -u KEY!)
  local dir=$1 k args=()
  shift
  for k in "$@"; do args+=(-u "$k!"); done
  mkdir -p "$dir" && cp "$CHART" "$dir/"
  gpg_b --passphrase '' --yes --digest-algo SHA256 "${args[@]}" --clearsign -o "$dir/$CHART.prov" block 2>/dev/null
}
clearsign a "$primary" "$subkey"
check "gpg signed the .prov twice (primary and subkey)" test "$(gpg --verify "a/$CHART.prov" 2>&1 | grep -c 'Good signature')" -eq 2
check "  each signature is good (threshold 1)" "$C" verify "a/$CHART" --env production --keyring pub.gpg
check_exit 1 "a primary key and its subkey are one signer, not two" \
  "$C" verify "a/$CHART" --env production --policy two.yaml --keyring pub.gpg
check_said "  found 1" "needs 2 signer\(s\), found 1" err
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: "*"\n        signers: ["%s", "%s"]\n        threshold: 2\n' "$primary" "$subkey" > fprs.yaml
check_exit 1 "  also when the rule lists both fingerprints" \
  "$C" verify "a/$CHART" --env production --policy fprs.yaml --keyring pub.gpg
clearsign two "$primary" "$other"
check "two certificates are two signers" "$C" verify "two/$CHART" --env production --policy two.yaml --keyring pub.gpg

# Finding 11: with --keyring a user id is a claim; a rule that names one is refused.
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: "*"\n        signers: ["Release <release@test.invalid>"]\n' > by-name.yaml
check_exit 1 "with --keyring a rule naming a signer by user id is refused" \
  "$C" verify "a/$CHART" --env production --policy by-name.yaml --keyring pub.gpg
check_said "  and says why" "by name; with --keyring a name is a user id that any key can claim" err
# A second key with the same user id (--yes: gpg asks before it makes one).
gpg_b --passphrase '' --yes --quick-gen-key "Release <release@test.invalid>" ed25519 sign never >/dev/null 2>&1
gpg --export > all.gpg 2>/dev/null
impostor=$(gpg --with-colons --list-keys Release 2>/dev/null | awk -F: '$1 == "pub" { p = 1; next } $1 == "fpr" && p { print $10 } { p = 0 }' | grep -v "$primary")
clearsign imp "$impostor"
check "  a second key that claims the same user id signs: good" "$C" verify "imp/$CHART" --env production --keyring all.gpg
check_exit 1 "  (a key that claims the user id does not pass it)" \
  "$C" verify "imp/$CHART" --env production --policy by-name.yaml --keyring all.gpg
finish
