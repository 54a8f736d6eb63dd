#!/usr/bin/env bash
# Key management end to end (issue 4) with the real peers:
#   HSM (SoftHSM2 via scripts/softhsm.sh): key export --openpgp + sign --key pkcs11:... for EC and RSA
#     -> chartprov, helm v4, helm v3, gpgv, rnp, sq accept the .prov; wrong PIN refused;
#   exec signer (packaging/exec-signer/chartprov-file-signer) -> helm v4 accepts; a lying plugin refused;
#   keys.json: allowed_charts, rotate (old charts keep verifying, old key can no longer sign),
#     revoke (from a date / as compromised), verify --key-history;
#   backup/restore: K of N shares rebuild the same key, fewer or mixed shares refused, nothing written.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_PKCS11=${CHARTPROV_PKCS11:-$(dirname "$CHARTPROV")/chartprov-pkcs11}
C=$CHARTPROV
cd "$W"

"$H" create demo >/dev/null && "$H" package demo >/dev/null
"$H" create web >/dev/null && "$H" package web >/dev/null
cp demo-0.1.0.tgz pristine.tgz

# ---------------------------------------------------------------- PKCS#11 (SoftHSM2)
eval "$(bash "$REPO_ROOT/scripts/softhsm.sh" init "$W/hsm")"
export SOFTHSM2_CONF
for kind in EC RSA; do
  var=${kind}_KEY_URI
  uri="${!var};x-note=1?module-path=$PKCS11_MODULE"
  uri=${uri/;type=private;x-note=1/;type=private}
  d=$W/hsm-$kind; mkdir -p "$d"; cp pristine.tgz "$d/demo-0.1.0.tgz"
  check "$kind: key export --openpgp from the token" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
    "$C" key export --openpgp --key "$uri" --uid "HSM $kind <hsm-$kind@test.invalid>" --output "$d/hsm" --key-history "$d/keys.json"
  check "$kind: sign --key pkcs11:" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
    "$C" sign "$d/demo-0.1.0.tgz" --key "$uri" --key-history "$d/keys.json"
  check_said "$kind: the PIN is not printed" "Signer: pkcs11:" out
  if grep -q "$PKCS11_PIN" "$OUT" "$ERR"; then echo "FAIL $kind: PIN printed"; _fail=$((_fail + 1)); fi
  check "$kind: chartprov verify" "$C" verify "$d/demo-0.1.0.tgz" --keyring "$d/hsm.pub.gpg"
  check "$kind: helm v4 verify" "$H" verify "$d/demo-0.1.0.tgz" --keyring "$d/hsm.pub.gpg"
  check "$kind: helm v3 verify" "$H3" verify "$d/demo-0.1.0.tgz" --keyring "$d/hsm.pub.gpg"
  check "$kind: gpgv" gpgv --keyring "$d/hsm.pub.gpg" "$d/demo-0.1.0.tgz.prov"
  check "$kind: rnp --verify" rnp --keyfile "$d/hsm.pub.gpg" --verify "$d/demo-0.1.0.tgz.prov"
  check "$kind: sq verify" sq verify --signer-cert "$d/hsm.pub.gpg" "$d/demo-0.1.0.tgz.prov"
  check "$kind: the key is in keys.json" "$C" key list --key-history "$d/keys.json" --json
  check_said "$kind: listed with its fingerprint" "\"source\":\"history\".*\"status\":\"active\"|\"status\":\"active\"" out
done
check_exit 1 "a wrong PIN is refused" env CHARTPROV_PKCS11_PIN=000000 "$C" sign "$W/hsm-EC/demo-0.1.0.tgz" \
  --key "$EC_KEY_URI?module-path=$PKCS11_MODULE" --created 1764000000
check_said "  and says so" "CKR_PIN_INCORRECT" err
check_exit 2 "a URI without module-path is a usage error" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" "$C" sign "$W/hsm-EC/demo-0.1.0.tgz" \
  --key "$EC_KEY_URI" --created 1764000000
check_exit 2 "an HSM key without a known creation time is refused" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
  "$C" sign "$W/hsm-EC/demo-0.1.0.tgz" --key "$EC_KEY_URI?module-path=$PKCS11_MODULE"
# P-384 on the token (made with the token's own tool) signs too.
pkcs11-tool --module "$PKCS11_MODULE" --token-label "$PKCS11_TOKEN" --login --pin "$PKCS11_PIN" \
  --keypairgen --key-type EC:secp384r1 --label ec384 --id 03 >/dev/null 2>&1
mkdir -p "$W/hsm-384"; cp pristine.tgz "$W/hsm-384/demo-0.1.0.tgz"
u384="pkcs11:token=$PKCS11_TOKEN;object=ec384?module-path=$PKCS11_MODULE"
check "P-384: key export + sign on the token" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" bash -c \
  "'$C' key export --openpgp --key '$u384' --uid 'HSM 384 <h@test.invalid>' --output '$W/hsm-384/k' --created 1764000000 &&
   '$C' sign '$W/hsm-384/demo-0.1.0.tgz' --key '$u384' --created 1764000000"
check "P-384: helm v4 verify" "$H" verify "$W/hsm-384/demo-0.1.0.tgz" --keyring "$W/hsm-384/k.pub.gpg"
check "P-384: gpgv" gpgv --keyring "$W/hsm-384/k.pub.gpg" "$W/hsm-384/demo-0.1.0.tgz.prov"

# Rotation on the token: the successor is generated there, the old key retires.
d=$W/hsm-EC; euri="$EC_KEY_URI?module-path=$PKCS11_MODULE"
sleep 1
check "token rotate: successor generated on the token" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
  "$C" key rotate --key "$euri" --key-history "$d/keys.json" --output "$d/hsm-2" --new-object ec-signing-2 --uid "HSM 2 <h2@test.invalid>"
check_said "  and named" "object=ec-signing-2" out
cp pristine.tgz "$d/next.tgz" 2>/dev/null; mkdir -p "$d/next"; cp pristine.tgz "$d/next/demo-0.1.0.tgz"
check "token rotate: the successor signs" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
  "$C" sign "$d/next/demo-0.1.0.tgz" --key "pkcs11:token=$PKCS11_TOKEN;object=ec-signing-2?module-path=$PKCS11_MODULE" --key-history "$d/keys.json"
check "token rotate: helm verifies with the successor's certificate" "$H" verify "$d/next/demo-0.1.0.tgz" --keyring "$d/hsm-2.pub.gpg"
cat "$d/hsm.pub.gpg" "$d/hsm-2.pub.gpg" > "$d/both.gpg"
check "token rotate: the chart signed before still verifies" "$C" verify "$d/demo-0.1.0.tgz" --keyring "$d/both.gpg" --key-history "$d/keys.json"
check_exit 1 "token rotate: the retired token key can no longer sign" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
  "$C" sign "$d/next/demo-0.1.0.tgz" --key "$euri" --key-history "$d/keys.json"
check_exit 2 "exec: keys are not rotated by chartprov (the KMS makes them)" "$C" key rotate --key exec:/bin/true --output x

check "key list --token shows both token keys" env CHARTPROV_PKCS11_PIN="$PKCS11_PIN" \
  "$C" key list --token "pkcs11:token=$PKCS11_TOKEN?module-path=$PKCS11_MODULE"
check_said "  ec-signing and rsa-signing" "object=ec-signing" out
check_said "  with algorithms" "rsa-3072" out

# ---------------------------------------------------------------- exec signer
mkdir -p ex && cp pristine.tgz ex/demo-0.1.0.tgz
install -m 0755 "$REPO_ROOT/packaging/exec-signer/chartprov-file-signer" "$W/file-signer"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ex/kms.pem 2>/dev/null && chmod 600 ex/kms.pem
export CHARTPROV_SIGNER_KEY_FILE=$W/ex/kms.pem
check "exec: key export --openpgp" "$C" key export --openpgp --key "exec:$W/file-signer" --uid "KMS <kms@test.invalid>" \
  --output ex/kms --created 2026-01-01T00:00:00Z
check "exec: sign --key exec:" "$C" sign ex/demo-0.1.0.tgz --key "exec:$W/file-signer" --created 2026-01-01T00:00:00Z
check "exec: helm v4 verify" "$H" verify ex/demo-0.1.0.tgz --keyring ex/kms.pub.gpg
check "exec: gpgv" gpgv --keyring "$W/ex/kms.pub.gpg" ex/demo-0.1.0.tgz.prov
printf '#!/bin/sh\nreq=$(cat)\ncase "$req" in *public-key*) echo "$req" | %s;; *) echo "$req" | CHARTPROV_SIGNER_KEY_FILE=%s %s;; esac\n' \
  "$W/file-signer" "$W/hsm/nonexistent" "$W/file-signer" > "$W/liar"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ex/other.pem 2>/dev/null && chmod 600 ex/other.pem
sed -i "s|$W/hsm/nonexistent|$W/ex/other.pem|" "$W/liar"; chmod 755 "$W/liar"
cp pristine.tgz ex/liar-check.tgz 2>/dev/null
check_exit 1 "exec: a plugin that signs with another key is refused" "$C" sign ex/demo-0.1.0.tgz --key "exec:$W/liar" --created 1764000000
check_said "  because its signature does not verify" "does not verify with its public key" err
chmod 775 "$W/liar"
check_exit 2 "exec: a group-writable plugin is refused before it runs" "$C" sign ex/demo-0.1.0.tgz --key "exec:$W/liar" --created 1764000000
unset CHARTPROV_SIGNER_KEY_FILE

# ---------------------------------------------------------------- keys.json: scope, rotation, revocation
mkdir -p kh && cd kh
check "generate the first key" "$C" key generate --uid "CI <ci@test.invalid>" --output ci-1 --no-passphrase
check "export it into the history" "$C" key export --openpgp --key ci-1.key --output ci-1-cert --key-history keys.json
python3 - <<'PY'
import json; d = json.load(open("keys.json")); d["keys"][0]["allowed_charts"] = ["demo", "api-*"]; json.dump(d, open("keys.json", "w"), indent=2)
PY
cp ../pristine.tgz demo-0.1.0.tgz; cp ../web-0.1.0.tgz .
check "sign an allowed chart" "$C" sign demo-0.1.0.tgz --key ci-1.key --key-history keys.json
check_exit 1 "signing a chart outside allowed_charts is refused" "$C" sign web-0.1.0.tgz --key ci-1.key --key-history keys.json
check_said "  naming the allowed globs" "allowed: demo, api-\*" err
check "verify --key-history (active key)" "$C" verify demo-0.1.0.tgz --keyring ci-1.pub.gpg --key-history keys.json
sleep 1
check "rotate" "$C" key rotate --key ci-1.key --key-history keys.json --output ci-2 --no-passphrase
check_said "  prints what to publish" "Publish now" out
cat ci-1.pub.gpg ci-2.pub.gpg > both.gpg
check "a chart signed before the rotation still verifies" "$C" verify demo-0.1.0.tgz --keyring both.gpg --key-history keys.json
check_exit 1 "the retired key can no longer sign" "$C" sign demo-0.1.0.tgz --key ci-1.key --key-history keys.json
check_said "  and names the successor" "retired; sign with its successor" err
cp ../pristine.tgz demo-0.1.0.tgz
check "the successor signs (allowed_charts carried over)" "$C" sign demo-0.1.0.tgz --key ci-2.key --key-history keys.json
check_exit 1 "the successor is bound by the same allowed_charts" "$C" sign web-0.1.0.tgz --key ci-2.key --key-history keys.json
check "verify the successor's signature" "$C" verify demo-0.1.0.tgz --keyring both.gpg --key-history keys.json
id2=$(python3 -c 'import json; print(json.load(open("keys.json"))["keys"][1]["id"])')
check "revoke the successor as compromised" "$C" key revoke "$id2" --key-history keys.json --reason "leaked in CI logs" --compromised
check_exit 1 "its signatures no longer verify with the history" "$C" verify demo-0.1.0.tgz --keyring both.gpg --key-history keys.json
check_said "  because it was compromised" "compromised" err
check "without the history helm-style verification still passes (the history is what revokes)" \
  "$C" verify demo-0.1.0.tgz --keyring both.gpg
chmod g+w keys.json
check_exit 2 "a group-writable key history is refused" "$C" verify demo-0.1.0.tgz --keyring both.gpg --key-history keys.json
chmod g-w keys.json
cd "$W"

# ---------------------------------------------------------------- backup and restore
mkdir -p bk && cd bk
export CHARTPROV_PASSWORD=backup-test-pass
check "generate an encrypted key" "$C" key generate --uid "Backup <b@test.invalid>" --output k
check "split it 3 of 5" "$C" key backup --key k.key --shares 5 --threshold 3 --output share
[ "$(stat -c %a share-1)" = 600 ] && { _pass=$((_pass + 1)); echo "PASS shares are mode 0600"; } || { _fail=$((_fail + 1)); echo "FAIL share mode"; }
check "restore from shares 5, 2, 4" "$C" key restore share-5 share-2 share-4 --output restored.key
cp ../pristine.tgz demo-0.1.0.tgz
check "the restored key signs" "$C" sign demo-0.1.0.tgz --key restored.key
check "  and the original certificate verifies it (same key, same fingerprint)" "$C" verify demo-0.1.0.tgz --keyring k.pub.gpg
check_exit 2 "two shares of a 3-of-5 backup are not enough" "$C" key restore share-1 share-2 --output less.key
check_said "  and the message says how many" "need 3 shares" err
[ ! -e less.key ] && { _pass=$((_pass + 1)); echo "PASS nothing written"; } || { _fail=$((_fail + 1)); echo "FAIL less.key written"; }
python3 - share-3 <<'PY'  # one character of the base64 body changed (always to a different one)
import sys
lines = open(sys.argv[1]).read().split("\n")
lines[4] = ("B" if lines[4][0] == "A" else "A") + lines[4][1:]
open(sys.argv[1], "w").write("\n".join(lines))
PY
check_exit 2 "a corrupted share is refused" "$C" key restore share-1 share-3 share-4 --output bad.key
check "a second backup of the same key" "$C" key backup --key k.key --shares 3 --threshold 2 --output other
check_exit 2 "shares of two backups are not mixed" "$C" key restore share-1 other-2 --output mixed.key
check_said "  and the message says so" "different backups" err
chmod 644 share-5
check_exit 2 "a share readable by others is refused, as a key file is" "$C" key restore share-5 share-2 share-4 --output open.key --force
check_said "  naming it" "key share share-5 is accessible by group or others" err
chmod 600 share-5
chmod 644 k.key
check_exit 2 "a group-readable key file is refused for backup" "$C" key backup --key k.key --shares 3 --threshold 2 --output x --force
unset CHARTPROV_PASSWORD

finish
