#!/usr/bin/env bash
# Both directions against the real peers:
#   we sign   -> helm v4, helm v3, gpgv, rnp, sq, helm template/install --verify accept;
#   they sign -> helm package --sign (v4, v3) and gpg --clearsign .prov verify with chartprov,
#                with binary, armored and GnuPG-home keyrings; tampering, SHA-1, RSA-1024 refused;
#   GnuPG keys -> chartprov sign --keyring / --gnupg-home (helm's own key format).
set -u
: "${CHARTPROV:?}" "${PEERS:=/opt/peers/bin}"
T=$(mktemp -d); trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
export GNUPGHOME=$T/g HELM_CONFIG_HOME=$T/h/c HELM_CACHE_HOME=$T/h/k HELM_DATA_HOME=$T/h/d KUBECONFIG=$T/none
export CHARTPROV_CACHE_DIR=$T/cache CHARTPROV_PASSWORD=interop-pass
mkdir -m 700 "$GNUPGHOME"
pass=0 fail=0
ok() { local d=$1; shift; if "$@" >"$T/out" 2>&1; then pass=$((pass+1)); echo "PASS $d"; else fail=$((fail+1)); echo "FAIL $d"; sed 's/^/    /' "$T/out" | head -5; fi; }
refused() { local d=$1 want=$2; shift 2; "$@" >"$T/out" 2>&1; local rc=$?
  if [ "$rc" = "$want" ]; then pass=$((pass+1)); echo "PASS $d (exit $rc)"; else fail=$((fail+1)); echo "FAIL $d: exit $rc, want $want"; sed 's/^/    /' "$T/out" | head -5; fi; }
H=$PEERS/helm H3=$PEERS/helm3

"$H" create "$T/demo" >/dev/null

# ---------------------------------------------------------------- we sign, they verify
for alg in ecdsa-p256 rsa-3072 rsa-4096 ed25519; do
  k=$T/k-$alg; out=$T/out-$alg; mkdir -p "$out"
  ok "$alg: key generate" "$CHARTPROV" key generate --algorithm "$alg" --uid "Interop $alg <$alg@test.invalid>" --output "$k"
  ok "$alg: package --sign" "$CHARTPROV" package "$T/demo" --sign --key "$k.key" -d "$out"
  c=$out/demo-0.1.0.tgz
  ok "$alg: chartprov verify" "$CHARTPROV" verify "$c" --keyring "$k.pub.gpg"
  ok "$alg: chartprov verify (armored keyring)" "$CHARTPROV" verify "$c" --keyring "$k.pub.asc"
  ok "$alg: helm v4 verify" "$H" verify "$c" --keyring "$k.pub.gpg"
  ok "$alg: helm template --verify" "$H" template rel "$c" --verify --keyring "$k.pub.gpg"
  ok "$alg: helm install --dry-run=client --verify" "$H" install rel "$c" --dry-run=client --verify --keyring "$k.pub.gpg"
  if [ "$alg" = ed25519 ]; then
    refused "$alg: helm v3 cannot use Ed25519 keyrings (documented)" 1 "$H3" verify "$c" --keyring "$k.pub.gpg"
  else
    ok "$alg: helm v3 verify" "$H3" verify "$c" --keyring "$k.pub.gpg"
  fi
  ok "$alg: gpgv" gpgv --keyring "$k.pub.gpg" "$c.prov"
  ok "$alg: rnp --verify" rnp --keyfile "$k.pub.gpg" --verify "$c.prov"
  ok "$alg: sq verify" sq verify --signer-cert "$k.pub.gpg" "$c.prov"
done
# helm pull --verify from a chart repository served over HTTP on loopback.
repo=$T/repo; mkdir -p "$repo"; cp "$T/out-rsa-3072/demo-0.1.0.tgz" "$T/out-rsa-3072/demo-0.1.0.tgz.prov" "$repo/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$H" repo index "$repo" --url "http://127.0.0.1:$port" >/dev/null
(cd "$repo" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) & web=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/index.yaml" >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$T/pulled"
ok "helm pull --verify over HTTP accepts our .prov" "$H" pull demo --repo "http://127.0.0.1:$port" --verify --keyring "$T/k-rsa-3072.pub.gpg" -d "$T/pulled"
ok "  and chartprov verifies the pulled copy" "$CHARTPROV" verify "$T/pulled/demo-0.1.0.tgz" --keyring "$T/k-rsa-3072.pub.gpg" --prov "$repo/demo-0.1.0.tgz.prov"
kill "$web" 2>/dev/null; wait "$web" 2>/dev/null
fpr=$("$CHARTPROV" verify "$T/out-ecdsa-p256/demo-0.1.0.tgz" --keyring "$T/k-ecdsa-p256.pub.gpg" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signer"]["fingerprint"])')
other=$("$CHARTPROV" verify "$T/out-rsa-3072/demo-0.1.0.tgz" --keyring "$T/k-rsa-3072.pub.gpg" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signer"]["fingerprint"])')
ok "pinned signer accepted" "$CHARTPROV" verify "$T/out-ecdsa-p256/demo-0.1.0.tgz" --keyring "$T/k-ecdsa-p256.pub.gpg" --signer "$fpr"
refused "other pinned signer refused" 1 "$CHARTPROV" verify "$T/out-ecdsa-p256/demo-0.1.0.tgz" --keyring "$T/k-ecdsa-p256.pub.gpg" --signer "$other"

# ---------------------------------------------------------------- they sign, we verify
gen() { gpg --batch --pinentry-mode loopback --passphrase "${3:-}" --quick-gen-key "$1" "$2" sign never >/dev/null 2>&1; }
gen 'Helm RSA <rsa@test.invalid>' rsa3072
gen 'Helm P256 <p256@test.invalid>' nistp256
gen 'Helm Ed <ed@test.invalid>' ed25519
gen 'Weak RSA <weak@test.invalid>' rsa1024
gpg --export > "$T/pub.gpg"; gpg --armor --export > "$T/pub.asc"
gpg --batch --pinentry-mode loopback --passphrase '' --export-secret-keys > "$T/sec.gpg"
for who in 'Helm RSA' 'Helm P256' 'Helm Ed'; do
  d=$T/h4-${who// /_}; mkdir -p "$d"
  "$H" package --sign --key "$who" --keyring "$T/sec.gpg" "$T/demo" -d "$d" >/dev/null 2>&1
  ok "helm v4 package --sign ($who) -> chartprov verify" "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
  ok "helm v4 ($who) -> chartprov verify with armored keyring" "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.asc"
  ok "helm v4 ($who) -> chartprov verify with the GnuPG home (kbx)" "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$GNUPGHOME"
done
for who in 'Helm RSA'; do  # helm v3 cannot sign with ECDSA keys
  d=$T/h3-${who// /_}; mkdir -p "$d"
  "$H3" package --sign --key "$who" --keyring "$T/sec.gpg" "$T/demo" -d "$d" >/dev/null 2>&1
  ok "helm v3 package --sign ($who) -> chartprov verify" "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
done
# gpg --clearsign of the same message block, SHA-256 and SHA-1.
d=$T/h4-Helm_RSA
awk 'f==0 && /^$/ {f=1; next} f==1 && /^-----BEGIN PGP SIGNATURE-----$/ {exit} f==1 {print}' "$d/demo-0.1.0.tgz.prov" > "$T/block"
mkdir -p "$T/gs" "$T/g1"; cp "$d/demo-0.1.0.tgz" "$T/gs/"; cp "$d/demo-0.1.0.tgz" "$T/g1/"
gpg --batch --yes --local-user 'Helm RSA' --digest-algo SHA256 --clearsign -o "$T/gs/demo-0.1.0.tgz.prov" "$T/block" 2>/dev/null
gpg --batch --yes --local-user 'Helm RSA' --digest-algo SHA1 --clearsign -o "$T/g1/demo-0.1.0.tgz.prov" "$T/block" 2>/dev/null
ok "gpg --clearsign SHA256 -> chartprov verify" "$CHARTPROV" verify "$T/gs/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
refused "gpg --clearsign SHA1 refused" 1 "$CHARTPROV" verify "$T/g1/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
d=$T/weak; mkdir -p "$d"
"$H" package --sign --key 'Weak RSA' --keyring "$T/sec.gpg" "$T/demo" -d "$d" >/dev/null 2>&1
refused "RSA-1024 signature refused (helm accepts it)" 1 "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
# Tamper: same name, one changed file inside.
d=$T/tamper; mkdir -p "$d/x"; cp "$T/h4-Helm_P256/demo-0.1.0.tgz.prov" "$d/"
tar -xzf "$T/h4-Helm_P256/demo-0.1.0.tgz" -C "$d/x"; echo "evil: true" >> "$d/x/demo/values.yaml"
tar -czf "$d/demo-0.1.0.tgz" -C "$d/x" demo
refused "tampered chart refused" 1 "$CHARTPROV" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
cp "$T/out" "$T/tamper.err"
ok "tamper reason names the digest" grep -q "sha256 mismatch" "$T/tamper.err"
ok "--json says verified=false" bash -c "\"$CHARTPROV\" verify \"$d/demo-0.1.0.tgz\" --keyring \"$T/pub.gpg\" --json 2>/dev/null | python3 -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j[\"verified\"] is False and j[\"reasons\"] else 1)'"
refused "helm v4 refuses the tampered chart too" 1 "$H" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"

# ---------------------------------------------------------------- sign with GnuPG keys (helm users' keys)
gen 'Locked Key <locked@test.invalid>' nistp256 locked-pass
gpg --batch --pinentry-mode loopback --passphrase '' --export-secret-keys 'Helm RSA' > "$T/sec-rsa.gpg"
gpg --batch --pinentry-mode loopback --passphrase locked-pass --export-secret-keys 'Locked Key' > "$T/sec-locked.gpg"
gpg --export > "$T/pub.gpg"
printf 'locked-pass\n' > "$T/locked.pass"; printf 'nope\n' > "$T/wrong.pass"
chmod 600 "$T"/sec*.gpg "$T"/*.pass  # secret inputs: owner only
for src in keyring home; do
  d=$T/gsign-$src; mkdir -p "$d"; cp "$T/h4-Helm_RSA/demo-0.1.0.tgz" "$d/"
  if [ $src = keyring ]; then args=(--keyring "$T/sec-rsa.gpg"); else args=(--gnupg-home "$GNUPGHOME"); fi
  ok "sign --$src --key 'Helm RSA'" env -u CHARTPROV_PASSWORD "$CHARTPROV" sign "$d/demo-0.1.0.tgz" "${args[@]}" --key 'Helm RSA'
  ok "  helm v4 accepts it" "$H" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
  ok "  gpgv accepts it" gpgv --keyring "$T/pub.gpg" "$d/demo-0.1.0.tgz.prov"
done
d=$T/locked; mkdir -p "$d"; cp "$T/h4-Helm_RSA/demo-0.1.0.tgz" "$d/"
ok "sign with a passphrase-protected gpg key (--passphrase-file)" "$CHARTPROV" sign "$d/demo-0.1.0.tgz" --keyring "$T/sec-locked.gpg" --key 'Locked Key' --passphrase-file "$T/locked.pass"
ok "  helm v4 accepts it" "$H" verify "$d/demo-0.1.0.tgz" --keyring "$T/pub.gpg"
rm -f "$d/demo-0.1.0.tgz.prov"
refused "wrong passphrase is an input error" 2 "$CHARTPROV" sign "$d/demo-0.1.0.tgz" --keyring "$T/sec-locked.gpg" --key 'Locked Key' --passphrase-file "$T/wrong.pass"
ok "  and leaves no .prov behind" test ! -e "$d/demo-0.1.0.tgz.prov"
refused "ambiguous --key is an input error" 2 "$CHARTPROV" sign "$d/demo-0.1.0.tgz" --keyring "$T/sec.gpg" --key 'Helm'
refused "unknown --key is an input error" 2 "$CHARTPROV" sign "$d/demo-0.1.0.tgz" --keyring "$T/sec.gpg" --key 'Nobody'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
