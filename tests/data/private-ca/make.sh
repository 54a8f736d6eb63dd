#!/usr/bin/env bash
# make.sh - (re)makes this directory's private CA with the openssl CLI (OpenSSL 3.0).
# Every key here is a TEST key, published on purpose: never use it for anything else.
#
#   root.pem            "Example Root CA", self-signed, P-256, 20 years
#   int.pem             "Example Signing CA", issued by root.pem (CA, pathlen 0), 10 years
#   chain.pem           int.pem then root.pem: what --certificate-chain and trusted-root create take
#   chain-text.pem      the same chain as `openssl x509 -text` prints it (text before each block)
#   leaf.pem            issued by int.pem for leaf.key: codeSigning EKU, SAN URI + email, 10 years
#   leaf-email.pem      the same key, SAN email only
#   leaf-dn.pem         the same key, no SAN (subject DN only)
#   leaf-tls.pem        the same key, serverAuth EKU only
#   leaf-expired.pem    the same key, valid in January 2020 only
#   leaf-future.pem     the same key, valid in January 2040 only
#   leaf-anonymous.pem  the same key, an empty subject and no SAN: no identity at all
#   other-root.pem      "Other Root CA", self-signed
#   other-leaf.pem      issued by other-root.pem for other-leaf.key, codeSigning
#   leaf.key, other-leaf.key  the signing keys as chartprov key files (unencrypted
#                       PKCS#8 after chartprov's three header lines; openssl pkey reads them)
#   *.ca.key            the CA keys (PKCS#8)
set -euo pipefail
cd "$(dirname "$0")"
rm -rf db && mkdir db && : > db/index.txt && echo 1000 > db/serial
trap 'rm -rf db ./*.csr ./*.ext ./*.p8 ca.cnf' EXIT

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
chartprov_key() {  # chartprov_key OUT CREATED UID: a new P-256 key as a chartprov key file
  ec_key "$1.p8"
  { printf 'Chartprov-Key: 1\nOpenPGP-Created: %s\nUser-ID: %s\n' "$2" "$3"; cat "$1.p8"; } > "$1"
  chmod 600 "$1"
}
ext() {  # ext FILE LINES...: an extension file
  local f=$1; shift
  printf '%s\n' "$@" > "$f"
}

# Roots.
for r in root:"Example Root CA" other-root:"Other Root CA"; do
  name=${r%%:*} cn=${r#*:}
  ec_key "$name.ca.key"
  openssl req -x509 -new -key "$name.ca.key" -out "$name.pem" -days 7300 -subj "/O=Example Corp/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
done

# The intermediate.
ec_key int.ca.key
openssl req -new -key int.ca.key -out int.csr -subj "/O=Example Corp/CN=Example Signing CA"
ext int.ext "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
  "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid"
openssl x509 -req -in int.csr -CA root.pem -CAkey root.ca.key -set_serial 2 -days 3650 -extfile int.ext -out int.pem
cat int.pem root.pem > chain.pem
{ openssl x509 -in int.pem -text; openssl x509 -in root.pem -text; } > chain-text.pem

# Leaves.
chartprov_key leaf.key 1796611266 "CI Signer <ci@example.com>"
chartprov_key other-leaf.key 1796611266 "Other Signer <other@example.com>"
openssl req -new -key leaf.key -out leaf.csr -subj "/O=Example Corp/CN=chart-signer"
openssl req -new -key other-leaf.key -out other-leaf.csr -subj "/O=Example Corp/CN=other-signer"
openssl req -new -key leaf.key -out anonymous.csr -subj "/"
base=("basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "subjectKeyIdentifier=hash"
  "authorityKeyIdentifier=keyid")
ext leaf.ext "${base[@]}" "extendedKeyUsage=codeSigning" \
  "subjectAltName=URI:https://ci.example.com/pipelines/charts,email:ci@example.com"
ext leaf-email.ext "${base[@]}" "extendedKeyUsage=codeSigning" "subjectAltName=email:ci@example.com"
ext leaf-dn.ext "${base[@]}" "extendedKeyUsage=codeSigning"
ext leaf-tls.ext "${base[@]}" "extendedKeyUsage=serverAuth" "subjectAltName=URI:https://ci.example.com/pipelines/charts"
ext other-leaf.ext "${base[@]}" "extendedKeyUsage=codeSigning" "subjectAltName=URI:https://ci.example.com/pipelines/charts"
serial=10
issue() {  # issue OUT EXT CSR CA: a 10-year leaf
  serial=$((serial + 1))
  openssl x509 -req -in "$3" -CA "$4.pem" -CAkey "$4.ca.key" -set_serial "$serial" -days 3650 -extfile "$2" -out "$1"
}
issue leaf.pem leaf.ext leaf.csr int
issue leaf-email.pem leaf-email.ext leaf.csr int
issue leaf-dn.pem leaf-dn.ext leaf.csr int
issue leaf-tls.pem leaf-tls.ext leaf.csr int
issue other-leaf.pem other-leaf.ext other-leaf.csr other-root
issue leaf-anonymous.pem leaf-dn.ext anonymous.csr int

# Fixed validity periods: openssl ca (x509 -req has -days only).
cat > ca.cnf <<'CNF'
[ca]
default_ca = int
[int]
database = db/index.txt
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
organizationName = optional
commonName = supplied
CNF
openssl ca -batch -notext -config ca.cnf -cert int.pem -keyfile int.ca.key -startdate 20200101000000Z \
  -enddate 20200201000000Z -in leaf.csr -extfile leaf.ext -out leaf-expired.pem 2>/dev/null
openssl ca -batch -notext -config ca.cnf -cert int.pem -keyfile int.ca.key -startdate 20400101000000Z \
  -enddate 20400201000000Z -in leaf.csr -extfile leaf.ext -out leaf-future.pem 2>/dev/null
