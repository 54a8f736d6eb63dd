#!/usr/bin/env bash
# They sign, we verify: .prov files made by helm v4, helm v3 (`helm package --sign` with
# gpg-made keys) and by `gpg --clearsign` are accepted by `chartprov verify` with every
# keyring form a GnuPG user has (binary export, armored export, the GnuPG home, its
# pubring.kbx); and what chartprov must refuse is refused with exit 1 and a reason:
# a tampered archive, SHA-1 signatures, RSA-1024 keys, expired and revoked keys.
# Where helm accepts what we refuse, the script shows helm accepting it, so the refusal is
# chartprov's policy and not a broken fixture.
# Env (set by CTest): CHARTPROV, CHARTPROV_RNP, PEERS.
source "$(dirname "$0")/lib.sh"

CHART=demo-0.1.0.tgz
mkdir -p "$W/src"
helm_create "$W/src" demo

# Keys as a Helm user makes them: gpg 2.2, primary key with the sign flag.
gpg_gen 'Helm RSA <rsa@chartprov.invalid>' rsa3072
gpg_gen 'Helm P256 <p256@chartprov.invalid>' nistp256
gpg_gen 'Helm Ed25519 <ed@chartprov.invalid>' ed25519
gpg_gen 'Weak RSA <weak@chartprov.invalid>' rsa1024
# Valid for one day from 2020-01-01: it signs then, and has been expired since.
gpg_b --passphrase '' --faked-system-time 20200101T000000! \
  --quick-gen-key 'Expired Key <expired@chartprov.invalid>' rsa3072 sign 1d >/dev/null 2>&1
gpg_gen 'Revoked Key <revoked@chartprov.invalid>' nistp256
gpg_gen 'Bystander <bystander@chartprov.invalid>' nistp256
gpg --export 'Bystander' >"$W/bystander.gpg"
gpg --export --export-options export-minimal 'Helm RSA' 'Helm P256' 'Helm Ed25519' 'Weak RSA' >"$W/pub.gpg"
gpg --armor --export 'Helm RSA' 'Helm P256' 'Helm Ed25519' 'Weak RSA' >"$W/pub.asc"
gpg_b --passphrase '' --export-secret-keys >"$W/sec.gpg"
# Helm v3 (x/crypto/openpgp) cannot read a keyring that holds an Ed25519 key at all (it
# errors or silently loses the keys around it): its users keep RSA/ECDSA-only keyrings.
gpg_b --passphrase '' --export-secret-keys 'Helm RSA' 'Helm P256' >"$W/sec-v3.gpg"
gpg --export 'Helm RSA' 'Helm P256' >"$W/pub-v3.gpg"
check "gpg made the test keys" test -s "$W/pub.gpg" -a -s "$W/sec.gpg" -a -s "$W/bystander.gpg"

# ------------------------------------------------------------ helm package --sign, then chartprov verify
declare -A KEY=([rsa]='Helm RSA' [p256]='Helm P256' [ed25519]='Helm Ed25519')
for tool in helm4 helm3; do
  bin=$H sec=$W/sec.gpg pub=$W/pub.gpg
  [ "$tool" = helm3 ] && bin=$H3 sec=$W/sec-v3.gpg pub=$W/pub-v3.gpg
  for k in rsa p256 ed25519; do
    [ "$tool" = helm3 ] && [ "$k" = ed25519 ] && continue   # helm v3 has no EdDSA (documented)
    d=$W/$tool-$k; mkdir -p "$d"
    check "$tool package --sign with '${KEY[$k]}'" "$bin" package --sign --key "${KEY[$k]}" --keyring "$sec" "$W/src/demo" -d "$d"
    c=$d/$CHART
    check "  $tool verify accepts its own .prov (reference)" "$bin" verify "$c" --keyring "$pub"
    check "  chartprov verify --keyring pub.gpg (binary)" "$CHARTPROV" verify "$c" --keyring "$W/pub.gpg"
    check "  chartprov verify --keyring pub.asc (armored)" "$CHARTPROV" verify "$c" --keyring "$W/pub.asc"
    check "  chartprov verify --keyring \$GNUPGHOME" "$CHARTPROV" verify "$c" --keyring "$GNUPGHOME"
    check "  chartprov verify --keyring \$GNUPGHOME/pubring.kbx" "$CHARTPROV" verify "$c" --keyring "$GNUPGHOME/pubring.kbx"
    check "  chartprov verify --signer <gpg's fingerprint>" \
      "$CHARTPROV" verify "$c" --keyring "$W/pub.gpg" --signer "$(gpg_home_fpr "${KEY[$k]}")"
    check_exit 1 "  chartprov verify with a keyring that lacks the signer" \
      "$CHARTPROV" verify "$c" --keyring "$W/bystander.gpg"
  done
done

# x/crypto/openpgp (helm v3) writes non-minimal MPIs in about half of its RSA signatures;
# gpg and helm accept them, so must we: a few more samples than the one above.
for i in 1 2 3 4; do
  d=$W/helm3-rsa-$i; mkdir -p "$d"
  "$H3" package --sign --key 'Helm RSA' --keyring "$W/sec-v3.gpg" "$W/src/demo" -d "$d" >/dev/null 2>&1
  check "helm3 RSA signature sample $i -> chartprov verify" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg"
done

# ------------------------------------------------------------ gpg --clearsign of helm's message block
ref=$W/helm4-rsa/$CHART
message_block "$ref.prov" >"$W/block"
check "helm's message block extracted (names the archive)" grep -q "^  $CHART: sha256:[0-9a-f]\{64\}\$" "$W/block"
clearsign() {  # clearsign DIR KEY DIGEST [gpg options...]: DIR/CHART(.prov) signed by gpg
  local dir=$1 key=$2 digest=$3; shift 3
  mkdir -p "$dir"; cp "$ref" "$dir/"
  gpg_b --passphrase '' --yes --local-user "$key" --digest-algo "$digest" "$@" \
    --clearsign -o "$dir/$CHART.prov" "$W/block" 2>/dev/null
}
for k in rsa p256 ed25519; do
  for digest in SHA256 SHA512; do
    d=$W/gpg-$k-$digest
    clearsign "$d" "${KEY[$k]}" "$digest"
    check "gpg --clearsign --digest-algo $digest (${KEY[$k]}) -> chartprov verify" \
      "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg"
    check "  helm v4 agrees" "$H" verify "$d/$CHART" --keyring "$W/pub.gpg"
  done
done

d=$W/gpg-sha1; clearsign "$d" 'Helm RSA' SHA1
check "helm v4 accepts a SHA-1 signature (so the fixture is valid)" "$H" verify "$d/$CHART" --keyring "$W/pub.gpg"
check_exit 1 "chartprov refuses the SHA-1 signature" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg"
check_said "  and says it is about SHA-1" "SHA-?1" err

# ------------------------------------------------------------ tampered archive, same name
d=$W/tampered; mkdir -p "$d/x"
cp "$W/helm4-p256/$CHART.prov" "$d/"
tar -xzf "$W/helm4-p256/$CHART" -C "$d/x"
echo "injected: true" >>"$d/x/demo/values.yaml"
tar -czf "$d/$CHART" -C "$d/x" demo
check_exit 1 "chartprov refuses a re-packed archive with a changed file" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg"
check_said "  stderr says sha256 mismatch" "sha256 mismatch" err
check_exit 1 "  --json run exits 1 too" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg" --json
cp "$OUT" "$W/tampered.json"
check "  --json output is one JSON object with verified == false and a reason" \
  jq -e -s 'length == 1 and (.[0] | .verified == false and (.reasons | length) > 0)' "$W/tampered.json"
check_fails "  helm v4 refuses it as well" "$H" verify "$d/$CHART" --keyring "$W/pub.gpg"
check "--json of a good chart says verified == true and names gpg's fingerprint" \
  "$CHARTPROV" verify "$W/helm4-p256/$CHART" --keyring "$W/pub.gpg" --json
cp "$OUT" "$W/good.json"
# shellcheck disable=SC2016  # $f is jq's
check "  (parsed)" jq -e -s --arg f "$(gpg_home_fpr 'Helm P256')" \
  'length == 1 and (.[0] | .verified == true and (.signer.fingerprint | ascii_upcase) == $f)' "$W/good.json"

# ------------------------------------------------------------ weak key
d=$W/weak; mkdir -p "$d"
check "helm v4 package --sign with an RSA-1024 key" "$H" package --sign --key 'Weak RSA' --keyring "$W/sec.gpg" "$W/src/demo" -d "$d"
check "  helm v4 accepts the RSA-1024 signature (so the fixture is valid)" "$H" verify "$d/$CHART" --keyring "$W/pub.gpg"
check_exit 1 "  chartprov refuses the RSA-1024 key" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/pub.gpg"
check_said "  and says why (1024 bits)" "1024" err

# ------------------------------------------------------------ expired key
# Signed on 2020-01-01 01:00, while the key was valid; expired on 2020-01-02.
gpg --export 'Expired Key' >"$W/expired.gpg"
d=$W/expired; clearsign "$d" 'Expired Key' SHA256 --faked-system-time 20200101T010000!
check "gpg made a signature while the key was valid" \
  gpg --batch --faked-system-time 20200101T020000! --verify "$d/$CHART.prov"
check "  gpgv still accepts it today (GnuPG judges the key at signing time; Helm does not)" gpgv --keyring "$W/expired.gpg" "$d/$CHART.prov"
check_fails "helm v4 refuses the expired key (reference)" "$H" verify "$d/$CHART" --keyring "$W/expired.gpg"
check_exit 1 "chartprov refuses the expired key" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/expired.gpg"
check_said "  and says it expired" "[Ee]xpired" err

# ------------------------------------------------------------ revoked key
# Sign while the key is good, then import gpg's own revocation certificate for it.
d=$W/revoked; mkdir -p "$d"
check "helm v4 package --sign with the key to be revoked" \
  "$H" package --sign --key 'Revoked Key' --keyring "$W/sec.gpg" "$W/src/demo" -d "$d"
gpg --export 'Revoked Key' >"$W/before-revocation.gpg"
check "  chartprov accepts it before the revocation" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/before-revocation.gpg"
rfpr=$(gpg_home_fpr 'Revoked Key')
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$rfpr.rev" >"$W/revocation.asc"
check "gpg imports the key's revocation certificate" gpg --batch --import "$W/revocation.asc"
gpg --export 'Revoked Key' >"$W/revoked.gpg"
check "  gpg now lists the key as revoked" bash -c "gpg --with-colons --show-keys '$W/revoked.gpg' | grep -q '^pub:r:'"
check_fails "helm v4 refuses the revoked key (reference)" "$H" verify "$d/$CHART" --keyring "$W/revoked.gpg"
check_exit 1 "chartprov refuses the revoked key" "$CHARTPROV" verify "$d/$CHART" --keyring "$W/revoked.gpg"
check_said "  and says it is revoked" "[Rr]evoked" err
check_exit 1 "chartprov refuses it through the GnuPG home as well" "$CHARTPROV" verify "$d/$CHART" --keyring "$GNUPGHOME"

finish
