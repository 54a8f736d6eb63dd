#!/usr/bin/env bash
# verify --key: which envelopes count (issue 3), and the OpenPGP side of a cosign key:
#   defaults: every envelope beside the chart (.sig, .sigstore.json, .prov) must verify with the
#   key, except a .prov another key signed (reported, not counted); at least one must verify;
#   explicit --signature/--bundle/--prov: exactly those; the .prov is checked by key material;
#   --json gives each envelope's verdict; exit codes 0/1/2;
#   key export --openpgp: stable fingerprint from the creation time stored in our cosign.key,
#   --created required (and said why) for a key cosign made; gpg imports the certificate and
#   helm v4 accepts the .prov with it.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
"$H" create demo >/dev/null && "$H" package demo >/dev/null && cp demo-0.1.0.tgz pristine.tgz
export COSIGN_PASSWORD=pw

check "key generate --format cosign (a)" "$C" key generate --format cosign --output a
check "key generate --format cosign (b)" "$C" key generate --format cosign --output b --algorithm ecdsa-p384
[ "$(stat -c %a a.pub)" = 644 ] && { _pass=$((_pass + 1)); echo "PASS cosign.pub is 0644"; } || { _fail=$((_fail + 1)); echo "FAIL cosign.pub mode"; }
grep -q '^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----$' a.key && { _pass=$((_pass + 1)); echo "PASS cosign.key has cosign's current label"; } || { _fail=$((_fail + 1)); echo "FAIL label"; }

mkdir one && cp pristine.tgz one/demo-0.1.0.tgz
check "sign with a (default formats: .prov and .sig)" "$C" sign one/demo-0.1.0.tgz --key a.key
check "verify --key a.pub: .sig and .prov both checked by the key" "$C" verify one/demo-0.1.0.tgz --key a.pub
check_said "  the .prov by key material" "Verified prov" out
check "  --json" "$C" verify one/demo-0.1.0.tgz --key a.pub --json
cp "$OUT" report.json
check "  lists both verdicts" python3 -c "import json,sys; j=json.load(open('report.json')); e={x['format']:x['verified'] for x in j['envelopes']}; sys.exit(0 if j['verified'] and e=={'prov':True,'cosign-blob':True} else 1)"
check_exit 1 "verify --key b.pub (another key): refused" "$C" verify one/demo-0.1.0.tgz --key b.pub
check_said "  the .sig does not verify with it" "cosign-blob .*does not verify" err
mkdir onlyprov && cp pristine.tgz onlyprov/demo-0.1.0.tgz && cp mixed/demo-0.1.0.tgz.prov onlyprov/ 2>/dev/null
check "sign only a .prov with b" "$C" sign onlyprov/demo-0.1.0.tgz --key b.key --format prov
check_exit 1 "verify --key a.pub with only b's .prov beside the chart: nothing counts" "$C" verify onlyprov/demo-0.1.0.tgz --key a.pub
check_said "  and says so" "no envelope beside the chart is signed by this key" err

# Mixed signers: the .sig by a, the .prov by b.
mkdir mixed && cp pristine.tgz mixed/demo-0.1.0.tgz
check "sign the .prov with b" "$C" sign mixed/demo-0.1.0.tgz --key b.key --format prov
check "sign the .sig with a" "$C" sign mixed/demo-0.1.0.tgz --key a.key --format cosign-blob
check "verify --key a.pub: the .sig counts, b's .prov is reported and not counted" "$C" verify mixed/demo-0.1.0.tgz --key a.pub
check_said "  says so" "Not counted prov" out
check_exit 1 "verify --key a.pub --prov (b's, given explicitly): refused" "$C" verify mixed/demo-0.1.0.tgz --key a.pub --prov mixed/demo-0.1.0.tgz.prov
check "verify --key b.pub --prov: b's .prov alone" "$C" verify mixed/demo-0.1.0.tgz --key b.pub --prov mixed/demo-0.1.0.tgz.prov
check_exit 1 "verify --key b.pub (defaults): a's .sig beside it does not verify" "$C" verify mixed/demo-0.1.0.tgz --key b.pub

# Tampering.
cp -r one tam && chmod u+w tam/demo-0.1.0.tgz && printf 'x' >> tam/demo-0.1.0.tgz
check_exit 1 "tampered chart: refused" "$C" verify tam/demo-0.1.0.tgz --key a.pub
check_said "  the .prov digest differs" "sha256 mismatch" err
# Change the digest's first hex digit to another one (a fixed replacement would be a no-op 1 time in 16).
cp -r one tprov && python3 - tprov/demo-0.1.0.tgz.prov <<'PY'
import re, sys
p = sys.argv[1]; t = open(p).read()
t = re.sub(r"(demo-0\.1\.0\.tgz: sha256:)(.)", lambda m: m.group(1) + ("1" if m.group(2) == "0" else "0"), t, count=1)
open(p, "w").write(t)
PY
check_exit 1 "edited .prov: refused" "$C" verify tprov/demo-0.1.0.tgz --key a.pub --prov tprov/demo-0.1.0.tgz.prov
check_exit 2 "missing --signature file: input error" "$C" verify one/demo-0.1.0.tgz --key a.pub --signature nope.sig
check_exit 2 "EC PUBLIC KEY label: input error" "$C" verify one/demo-0.1.0.tgz --key "$TEST_DATA/cosign/generated/keys/chartprov-p256.ec-public-key-label.pub"
check_said "  as cosign says" "unknown Public key PEM file type" err

# OpenPGP: stable fingerprint, gpg, helm.
check "key export --openpgp (a)" "$C" key export --openpgp --key a.key --uid "A <a@test.invalid>" --output pgp1
f1=$(grep -o '[0-9A-F]\{40\}' "$OUT" | head -1)
check "  again" "$C" key export --openpgp --key a.key --uid "A <a@test.invalid>" --output pgp2 --force
f2=$(grep -o '[0-9A-F]\{40\}' "$OUT" | head -1)
[ -n "$f1" ] && [ "$f1" = "$f2" ] && { _pass=$((_pass + 1)); echo "PASS the fingerprint is stable ($f1)"; } || { _fail=$((_fail + 1)); echo "FAIL fingerprints $f1 / $f2"; }
check "gpg imports the exported certificate" gpg --batch --import pgp1.pub.asc
check "  and knows the fingerprint" gpg --batch --list-keys "$f1"
check "helm v4 verifies the .prov signed with the cosign key" "$H" verify one/demo-0.1.0.tgz --keyring pgp1.pub.gpg
cp "$TEST_DATA/cosign/upstream/cosign/pemsigstorekey.key" up.key && chmod 600 up.key
check_exit 2 "a key cosign made: export needs --created" env COSIGN_PASSWORD=hello "$C" key export --openpgp --key up.key --uid "U <u@test.invalid>" --output up
check_said "  and says why" "creat" err
check "  with --created" env COSIGN_PASSWORD=hello "$C" key export --openpgp --key up.key --uid "U <u@test.invalid>" --output up --created 2026-01-01T00:00:00Z

# key export --pem: cosign.pub from any key file; a chartprov key signs a .sig that verifies with it.
check "key export --pem of a cosign key gives back its cosign.pub" "$C" key export --pem --key a.key --output a2.pub
check "  byte for byte" cmp a.pub a2.pub
check "a chartprov key" env CHARTPROV_PASSWORD=cp "$C" key generate --uid "P <p@test.invalid>" --output cp
check "  key export --pem" env CHARTPROV_PASSWORD=cp "$C" key export --pem --key cp.key --output cp.pub
mkdir cpk && cp pristine.tgz cpk/demo-0.1.0.tgz
check "  signs .prov and .sig" env CHARTPROV_PASSWORD=cp "$C" sign cpk/demo-0.1.0.tgz --key cp.key
check "  verify --key cp.pub checks both" "$C" verify cpk/demo-0.1.0.tgz --key cp.pub
check "  openssl agrees on the .sig" sh -c "base64 -d cpk/demo-0.1.0.tgz.sig > cpk/sig.der && openssl dgst -sha256 -verify cp.pub -signature cpk/sig.der cpk/demo-0.1.0.tgz"
check_exit 2 "key export without a form is a usage error" "$C" key export --key a.key --output x
finish
