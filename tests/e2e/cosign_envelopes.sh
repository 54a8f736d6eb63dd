#!/usr/bin/env bash
# cosign keys and envelopes with the real peers (issue 3):
#   we write -> cosign's format checked independently: the key decrypts with tests/data/cosign/tools
#   (python + libsodium), the .sig verifies with `openssl dgst`, the bundle with sigstore-js
#   (verify-bundle.mjs, which adds cosign's checks back) -- for P-256, P-384 and RSA keys;
#   one key, several envelopes: the .prov from the same cosign key verifies with helm v4/v3 and
#   gpgv after `key export --openpgp`;
#   refusals: tampered chart, other key, wrong/unsupplied password, loose key file permissions,
#   garbled envelopes, unknown --format, GnuPG keys with cosign formats.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
JS=${SIGSTORE_JS_DIR:-/opt/peers/node}
VB=$TEST_DATA/cosign/verify-bundle.mjs
cd "$W"
"$H" create demo >/dev/null && "$H" package demo >/dev/null && cp demo-0.1.0.tgz pristine.tgz

jsverify() { SIGSTORE_JS_DIR=$JS node "$VB" "$@"; }
pydecrypt() {  # pydecrypt KEY PASSWORD: the independent cosign key reader decrypts it to PKCS#8
  python3 - "$1" "$2" <<'PY'
import sys
sys.path.insert(0, sys.argv[0] and __import__("os").environ["TEST_DATA"] + "/cosign/tools")
import cosign_key as ck
label, _, der = ck.decrypt(open(sys.argv[1]).read(), sys.argv[2].encode())
assert label == "ENCRYPTED SIGSTORE PRIVATE KEY", label
assert der[:2] == b"\x30\x81" or der[:2] == b"\x30\x82", "not PKCS#8 DER"
print("decrypted", len(der), "bytes of PKCS#8")
PY
}
export TEST_DATA

for alg in ecdsa-p256 ecdsa-p384 rsa-3072; do
  d=$W/$alg; mkdir -p "$d"; cp pristine.tgz "$d/demo-0.1.0.tgz"
  check "$alg: key generate --format cosign" env COSIGN_PASSWORD="pw-$alg" "$C" key generate --format cosign --algorithm "$alg" --output "$d/cosign"
  [ "$(stat -c %a "$d/cosign.key")" = 600 ] && { _pass=$((_pass + 1)); echo "PASS $alg: cosign.key is 0600"; } || { _fail=$((_fail + 1)); echo "FAIL $alg: cosign.key mode"; }
  check "$alg: the independent reader decrypts our cosign.key" pydecrypt "$d/cosign.key" "pw-$alg"
  check "$alg: sign --format prov,cosign-blob,sigstore-bundle" env COSIGN_PASSWORD="pw-$alg" \
    "$C" sign "$d/demo-0.1.0.tgz" --key "$d/cosign.key" --format prov,cosign-blob,sigstore-bundle
  check "$alg: chartprov verify --key (.sig and bundle found next to the chart)" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub"
  check_said "$alg:   both envelopes" "Verified sigstore-bundle" out
  if [ "$alg" = rsa-3072 ]; then dg=-sha256; elif [ "$alg" = ecdsa-p384 ]; then dg=-sha384; else dg=-sha256; fi
  base64 -d "$d/demo-0.1.0.tgz.sig" > "$d/sig.der"
  check "$alg: openssl verifies the .sig over the chart bytes" openssl dgst "$dg" -verify "$d/cosign.pub" -signature "$d/sig.der" "$d/demo-0.1.0.tgz"
  [ -n "$(tail -c1 "$d/demo-0.1.0.tgz.sig")" ] && { _pass=$((_pass + 1)); echo "PASS $alg: .sig has no trailing newline (as cosign --output-signature)"; } || { _fail=$((_fail + 1)); echo "FAIL $alg: .sig newline"; }
  check "$alg: sigstore-js accepts our bundle" jsverify --bundle "$d/demo-0.1.0.tgz.sigstore.json" --key "$d/cosign.pub" --artifact "$d/demo-0.1.0.tgz" --strict-hint
  check "$alg: key export --openpgp from the cosign key" env COSIGN_PASSWORD="pw-$alg" \
    "$C" key export --openpgp --key "$d/cosign.key" --uid "Cosign $alg <c@test.invalid>" --output "$d/pgp"
  check "$alg: helm v4 verifies the .prov signed with the cosign key" "$H" verify "$d/demo-0.1.0.tgz" --keyring "$d/pgp.pub.gpg"
  check "$alg: helm v3 too" "$H3" verify "$d/demo-0.1.0.tgz" --keyring "$d/pgp.pub.gpg"
  check "$alg: gpgv too" gpgv --keyring "$d/pgp.pub.gpg" "$d/demo-0.1.0.tgz.prov"
  check "$alg: --keyring and --key together check all three" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub" --keyring "$d/pgp.pub.gpg"
  cp "$d/demo-0.1.0.tgz" "$d/keep.tgz"; printf 'x' >> "$d/demo-0.1.0.tgz"
  check_exit 1 "$alg: a tampered chart is refused" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub"
  check_fails "$alg: and sigstore-js refuses it too" jsverify --bundle "$d/demo-0.1.0.tgz.sigstore.json" --key "$d/cosign.pub" --artifact "$d/demo-0.1.0.tgz"
  mv "$d/keep.tgz" "$d/demo-0.1.0.tgz"
done

d=$W/ecdsa-p256; o=$W/ecdsa-p384
check_exit 1 "another key is refused" "$C" verify "$d/demo-0.1.0.tgz" --key "$o/cosign.pub"
check_exit 1 "a signature file of another chart is refused" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub" --signature "$TEST_DATA/cosign/generated/blob/test-0.1.0.tgz.sig"
printf 'not base64 at all' > "$W/garbled.sig"
check_exit 1 "a garbled .sig is refused" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub" --signature "$W/garbled.sig"
head -c 100 "$d/demo-0.1.0.tgz.sigstore.json" > "$W/trunc.json"
check_exit 1 "a truncated bundle is refused" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.pub" --bundle "$W/trunc.json"
check_said "  with a reason" "bundle: bundle is not valid JSON" err
check_exit 2 "--key must be a public key, not the private key" "$C" verify "$d/demo-0.1.0.tgz" --key "$d/cosign.key"
mkdir -p nothing && cp pristine.tgz nothing/demo-0.1.0.tgz
check_exit 1 "no envelope next to the chart is a failure" "$C" verify nothing/demo-0.1.0.tgz --key "$d/cosign.pub"
check_exit 2 "--signature without --key is a usage error" "$C" verify "$d/demo-0.1.0.tgz" --signature "$d/demo-0.1.0.tgz.sig"
check_exit 2 "a wrong COSIGN_PASSWORD is refused (an input error: the key cannot be read)" env COSIGN_PASSWORD=nope "$C" sign nothing/demo-0.1.0.tgz --key "$d/cosign.key"
check_said "  as cosign says it" "decryption failed" err
[ ! -e nothing/demo-0.1.0.tgz.sig ] && { _pass=$((_pass + 1)); echo "PASS   and nothing was written"; } || { _fail=$((_fail + 1)); echo "FAIL a .sig was written"; }
check "an empty COSIGN_PASSWORD is a real (empty) password" env COSIGN_PASSWORD= "$C" key generate --format cosign --output "$W/empty"
check "  and signs" env COSIGN_PASSWORD= "$C" sign nothing/demo-0.1.0.tgz --key "$W/empty.key" --format cosign-blob
check "  default formats with a cosign key: .prov and .sig" env COSIGN_PASSWORD= "$C" sign nothing/demo-0.1.0.tgz --key "$W/empty.key"
[ -e nothing/demo-0.1.0.tgz.prov ] && [ -e nothing/demo-0.1.0.tgz.sig ] && [ ! -e nothing/demo-0.1.0.tgz.sigstore.json ] \
  && { _pass=$((_pass + 1)); echo "PASS   wrote exactly .prov and .sig"; } || { _fail=$((_fail + 1)); echo "FAIL default formats"; }
chmod 644 "$W/empty.key"
check_exit 2 "a group-readable cosign.key is refused" env COSIGN_PASSWORD= "$C" sign nothing/demo-0.1.0.tgz --key "$W/empty.key"
check_exit 2 "an unknown --format is a usage error" "$C" sign nothing/demo-0.1.0.tgz --key "$d/cosign.key" --format prov,sbom
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'G <g@test.invalid>' nistp256 sign never >/dev/null 2>&1
gpg --batch --pinentry-mode loopback --passphrase '' --export-secret-keys > "$W/sec.gpg"
chmod 600 "$W/sec.gpg"
check_exit 2 "a GnuPG key with --format cosign-blob is a usage error" "$C" sign nothing/demo-0.1.0.tgz --keyring "$W/sec.gpg" --key G --format cosign-blob
check "a GnuPG key still signs the .prov" "$C" sign nothing/demo-0.1.0.tgz --keyring "$W/sec.gpg" --key G
# cosign's own key (from the vectors) signs with chartprov and the result verifies.
cp "$TEST_DATA/cosign/upstream/cosign/pemsigstorekey.key" "$W/upstream.key"; chmod 600 "$W/upstream.key"
check "a key made by cosign signs (cosign-blob)" env COSIGN_PASSWORD=hello "$C" sign nothing/demo-0.1.0.tgz --key "$W/upstream.key" --format cosign-blob,sigstore-bundle
check "  and verifies with its cosign.pub" "$C" verify nothing/demo-0.1.0.tgz --key "$TEST_DATA/cosign/generated/keys/upstream-cosign-pemsigstorekey.pub"
check_exit 2 "  its .prov needs an OpenPGP creation time (cosign stores none)" env COSIGN_PASSWORD=hello "$C" sign nothing/demo-0.1.0.tgz --key "$W/upstream.key" --format prov
check "  which --created supplies" env COSIGN_PASSWORD=hello "$C" sign nothing/demo-0.1.0.tgz --key "$W/upstream.key" --format prov --created 1764000000
finish
