#!/usr/bin/env bash
# We sign, they verify: for every key algorithm chartprov generates, a chart signed by
# `chartprov sign` is accepted by helm v4 (verify, template --verify, install --dry-run
# --verify, pull --verify from an HTTP chart repo and from an OCI registry), helm v3
# (except Ed25519, which helm v3 cannot read at all), gpg, gpgv, rnp and sq; and chartprov
# itself pins the signer by fingerprint. Each peer is also shown to refuse the wrong key,
# so a PASS means the peer really checked our signature.
# Env (set by CTest): CHARTPROV, CHARTPROV_RNP, PEERS.
source "$(dirname "$0")/lib.sh"

ALGS=(ecdsa-p256 rsa-3072 rsa-4096 ed25519)
export CHARTPROV_PASSWORD=we-sign-pass   # every generated key is encrypted with it

# One chart, packaged by helm v4 (the archive helm users have).
mkdir -p "$W/src" "$W/plain"
helm_create "$W/src" demo
check "helm package of a helm-created chart" "$H" package "$W/src/demo" -d "$W/plain"
CHART=demo-0.1.0.tgz

declare -A FPR
for alg in "${ALGS[@]}"; do
  k=$W/keys/$alg; mkdir -p "$W/keys" "$W/$alg"
  check "$alg: key generate" "$CHARTPROV" key generate --algorithm "$alg" \
    --uid "Interop $alg <$alg@chartprov.invalid>" --output "$k"
  check "$alg: private key file is 0600" test "$(stat -c %a "$k.key" 2>/dev/null)" = 600
  FPR[$alg]=$(gpg_fpr "$k.pub.gpg")
  check "$alg: gpg reads PREFIX.pub.gpg and PREFIX.pub.asc as the same key" \
    test -n "${FPR[$alg]}" -a "${FPR[$alg]}" = "$(gpg_fpr "$k.pub.asc")"
  cp "$W/plain/$CHART" "$W/$alg/"
  check "$alg: chartprov sign" "$CHARTPROV" sign "$W/$alg/$CHART" --key "$k.key"
  check "$alg: the archive is untouched by signing" cmp "$W/plain/$CHART" "$W/$alg/$CHART"
done

# A key made without a passphrase signs without CHARTPROV_PASSWORD.
check "key generate --no-passphrase" "$CHARTPROV" key generate --algorithm ecdsa-p256 \
  --uid "Open Key <open@chartprov.invalid>" --output "$W/keys/open" --no-passphrase
mkdir -p "$W/open"; cp "$W/plain/$CHART" "$W/open/"
check "unencrypted key signs with no passphrase around" \
  env -u CHARTPROV_PASSWORD "$CHARTPROV" sign "$W/open/$CHART" --key "$W/keys/open.key"
check "  helm v4 verifies it" "$H" verify "$W/open/$CHART" --keyring "$W/keys/open.pub.gpg"

for alg in "${ALGS[@]}"; do
  c=$W/$alg/$CHART k=$W/keys/$alg
  other=$W/keys/open.pub.gpg   # a valid keyring that does not hold the signer
  check "$alg: chartprov verify (binary keyring)" "$CHARTPROV" verify "$c" --keyring "$k.pub.gpg"
  check "$alg: chartprov verify (armored keyring)" "$CHARTPROV" verify "$c" --keyring "$k.pub.asc"

  check "$alg: helm v4 verify" "$H" verify "$c" --keyring "$k.pub.gpg"
  check_said "$alg:   helm names the signer's fingerprint" "Using Key With Fingerprint: ${FPR[$alg]}" out
  check_fails "$alg: helm v4 verify refuses another keyring" "$H" verify "$c" --keyring "$other"
  check_said "$alg:   as signed by an unknown key" "unknown entity" err
  check "$alg: helm v4 template --verify" "$H" template rel "$c" --verify --keyring "$k.pub.gpg"
  check "$alg: helm v4 install --dry-run=client --verify" \
    "$H" install rel "$c" --dry-run=client --verify --keyring "$k.pub.gpg"
  check_fails "$alg: helm v4 install --verify refuses another keyring" \
    "$H" install rel "$c" --dry-run=client --verify --keyring "$other"
  check_said "$alg:   as signed by an unknown key" "unknown entity" err

  if [ "$alg" = ed25519 ]; then
    check_fails "$alg: helm v3 refuses Ed25519 keyrings (documented limit)" "$H3" verify "$c" --keyring "$k.pub.gpg"
    check_said "$alg:   for the documented reason" "unsupported feature: public key type: 22"
  else
    check "$alg: helm v3 verify" "$H3" verify "$c" --keyring "$k.pub.gpg"
    check_fails "$alg: helm v3 verify refuses another keyring" "$H3" verify "$c" --keyring "$other"
    check_said "$alg:   as signed by an unknown key" "unknown entity" err
    check "$alg: helm v3 template --verify" "$H3" template rel "$c" --verify --keyring "$k.pub.gpg"
  fi

  check "$alg: gpg --import of PREFIX.pub.asc" gpg --batch --import "$k.pub.asc"
  check "$alg: gpg --verify" gpg --batch --verify "$c.prov"
  check_said "$alg:   gpg says Good signature" "Good signature from \"Interop $alg" err
  check "$alg: gpgv --keyring" gpgv --keyring "$k.pub.gpg" "$c.prov"
  check_fails "$alg: gpgv refuses another keyring" gpgv --keyring "$other" "$c.prov"
  check_said "$alg:   for want of the public key" "No public key" err
  check "$alg: rnp --verify" rnp --homedir "$W/rnp" --keyfile "$k.pub.gpg" --verify "$c.prov"
  check_fails "$alg: rnp refuses another key" rnp --homedir "$W/rnp" --keyfile "$other" --verify "$c.prov"
  check_said "$alg:   for want of the signer's key" "signer's key not found|NO PUBLIC KEY"
  check "$alg: sq verify --signer-cert" sq verify --signer-cert "$k.pub.gpg" "$c.prov"
  check_fails "$alg: sq refuses another cert" sq verify --signer-cert "$other" "$c.prov"
  check_said "$alg:   for want of the signer's cert" "NO PUBLIC KEY|No key to check"

  check "$alg: chartprov verify --signer <own fingerprint>" \
    "$CHARTPROV" verify "$c" --keyring "$k.pub.gpg" --signer "${FPR[$alg]}"
  check_exit 1 "$alg: chartprov verify --signer <another key's fingerprint>" \
    "$CHARTPROV" verify "$c" --keyring "$k.pub.gpg" --signer "$(gpg_fpr "$other")"
  check_exit 1 "$alg: chartprov verify with another keyring" "$CHARTPROV" verify "$c" --keyring "$other"
done

# ------------------------------------------------------------ helm pull --verify over HTTP
# One chart repository per algorithm (same chart name and version in each), served by
# python's http.server on loopback.
port=$(free_port)
for alg in "${ALGS[@]}"; do
  mkdir -p "$W/www/$alg"
  cp "$W/$alg/$CHART" "$W/$alg/$CHART.prov" "$W/www/$alg/"
  "$H" repo index "$W/www/$alg" --url "http://127.0.0.1:$port/$alg" >/dev/null 2>&1
done
if start_http "$W/www" "$port"; then
  for alg in "${ALGS[@]}"; do
    d=$W/pull-http/$alg; mkdir -p "$d" "$d-wrong"
    check "$alg: helm v4 pull --verify from an HTTP chart repo" \
      "$H" pull demo --repo "http://127.0.0.1:$port/$alg" --verify --keyring "$W/keys/$alg.pub.gpg" -d "$d"
    check "$alg:   pulled chart and provenance are ours, byte for byte" \
      bash -c "cmp '$d/$CHART' '$W/$alg/$CHART' && cmp '$d/$CHART.prov' '$W/$alg/$CHART.prov'"
    check_fails "$alg: helm v4 pull --verify with another keyring fails" \
      "$H" pull demo --repo "http://127.0.0.1:$port/$alg" --verify --keyring "$W/keys/open.pub.gpg" -d "$d-wrong"
    check_said "$alg:   as signed by an unknown key" "unknown entity" err
    if [ "$alg" != ed25519 ]; then
      mkdir -p "$d-v3"
      check "$alg: helm v3 pull --verify from an HTTP chart repo" \
        "$H3" pull demo --repo "http://127.0.0.1:$port/$alg" --verify --keyring "$W/keys/$alg.pub.gpg" -d "$d-v3"
    fi
  done
else
  check "HTTP chart repo started on 127.0.0.1:$port" false
fi

# ------------------------------------------------------------ helm push / pull --verify over OCI
port=$(free_port)
if start_registry "$W/registry" "$port"; then
  for alg in "${ALGS[@]}"; do
    ref=oci://127.0.0.1:$port/$alg
    d=$W/pull-oci/$alg; mkdir -p "$d" "$d-wrong"
    check "$alg: helm v4 push of the signed chart" "$H" push "$W/$alg/$CHART" "$ref" --plain-http
    check "$alg:   the pushed manifest has a provenance layer" bash -c "curl -fs \
      -H 'Accept: application/vnd.oci.image.manifest.v1+json' http://127.0.0.1:$port/v2/$alg/demo/manifests/0.1.0 |
      jq -e '[.layers[].mediaType] | index(\"application/vnd.cncf.helm.chart.provenance.v1.prov\") != null'"
    check "$alg: helm v4 pull --verify from the OCI registry" \
      "$H" pull "$ref/demo" --version 0.1.0 --plain-http --verify --keyring "$W/keys/$alg.pub.gpg" -d "$d"
    check "$alg:   pulled chart and provenance are ours, byte for byte" \
      bash -c "cmp '$d/$CHART' '$W/$alg/$CHART' && cmp '$d/$CHART.prov' '$W/$alg/$CHART.prov'"
    check "$alg:   chartprov verifies the pulled copy" \
      "$CHARTPROV" verify "$d/$CHART" --keyring "$W/keys/$alg.pub.gpg" --signer "${FPR[$alg]}"
    check_fails "$alg: helm v4 pull --verify from OCI with another keyring fails" \
      "$H" pull "$ref/demo" --version 0.1.0 --plain-http --verify --keyring "$W/keys/open.pub.gpg" -d "$d-wrong"
    check_said "$alg:   as signed by an unknown key" "unknown entity" err
    if [ "$alg" != ed25519 ]; then
      mkdir -p "$d-v3"
      check "$alg: helm v3 pull --verify from the OCI registry" \
        "$H3" pull "$ref/demo" --version 0.1.0 --plain-http --verify --keyring "$W/keys/$alg.pub.gpg" -d "$d-v3"
    fi
  done
  # A SemVer +build version: the archive name keeps the '+', the OCI tag turns it into '_'.
  B=demo-0.2.0+build.7.tgz
  mkdir -p "$W/build" "$W/pull-build"
  "$H" package --version 0.2.0+build.7 "$W/src/demo" -d "$W/build" >/dev/null 2>&1
  check "+build version: chartprov sign $B" "$CHARTPROV" sign "$W/build/$B" --key "$W/keys/rsa-3072.key"
  check "  helm v4 verify" "$H" verify "$W/build/$B" --keyring "$W/keys/rsa-3072.pub.gpg"
  check "  helm v3 verify" "$H3" verify "$W/build/$B" --keyring "$W/keys/rsa-3072.pub.gpg"
  check "  helm v4 push" "$H" push "$W/build/$B" "oci://127.0.0.1:$port/build" --plain-http
  check "  helm v4 pull --verify by the +build version" "$H" pull "oci://127.0.0.1:$port/build/demo" \
    --version 0.2.0+build.7 --plain-http --verify --keyring "$W/keys/rsa-3072.pub.gpg" -d "$W/pull-build"
  check "  chartprov verifies the pulled copy" "$CHARTPROV" verify "$W/pull-build/$B" --keyring "$W/keys/rsa-3072.pub.gpg"
else
  check "OCI registry started on 127.0.0.1:$port" false
fi

finish
