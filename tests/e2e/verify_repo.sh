#!/usr/bin/env bash
# verify-repo over Helm repository directories indexed by real `helm repo index`:
#   a repository of charts signed with ECDSA P-256, RSA-3072 and Ed25519 keys in one keyring
#   verifies (table, --json, --jobs 1 and 2 alike); with a cosign key (.sig, bundle); with a
#   trust root (--trust-dir, --env);
#   each failure named against its chart, the others still verified, exit 1: a tampered chart,
#   a digest in index.yaml that is not the archive's, an unsigned chart, a chart listed but
#   missing, a .tgz not listed, a url that leaves the repository (the file outside is not read),
#   a chart listed under another name;
#   input errors (exit 2): garbage or missing index.yaml, no trust material, two of them.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"

# Three signing keys in one keyring (binary OpenPGP keyrings concatenate).
for alg in ecdsa-p256 rsa-3072 ed25519; do
  "$C" key generate --algorithm "$alg" --uid "Repo $alg <$alg@test.invalid>" --output "$alg" --no-passphrase >/dev/null
done
cat ecdsa-p256.pub.gpg rsa-3072.pub.gpg ed25519.pub.gpg >ring.gpg
"$H" create demo >/dev/null
"$H" create other >/dev/null

# make_repo DIR: 3 versions of demo (one per key) + 2 of other, all signed, indexed by helm.
make_repo() {
  local d=$1 v alg i=0
  mkdir -p "$d"
  for v in 0.1.0 0.2.0 0.3.0; do
    alg=$(echo ecdsa-p256 rsa-3072 ed25519 | cut -d' ' -f$((i % 3 + 1))); i=$((i + 1))
    sed -i "s/^version: .*/version: $v/" demo/Chart.yaml
    "$C" package demo --sign --key "$alg.key" -d "$d" >/dev/null || return 1
  done
  for v in 1.0.0 1.1.0; do
    sed -i "s/^version: .*/version: $v/" other/Chart.yaml
    "$C" package other --sign --key ecdsa-p256.key -d "$d" >/dev/null || return 1
  done
  "$H" repo index "$d"
}
check "a repository: 5 signed charts, indexed by helm repo index" make_repo good

check "verify-repo --keyring: every chart verifies" "$C" verify-repo good --keyring ring.gpg
check_said "  summary" "^5 charts: 5 verified, 0 failed, 0 unsigned" out
check "  --all lists each one with its signer" "$C" verify-repo good --keyring ring.gpg --all
check_said "  (demo 0.2.0)" "^demo +0\.2\.0 +verified +signer [0-9A-F]{40}" out
check "  no progress bar when stderr is not a terminal" bash -c "! grep -q \$'\\r' '$ERR'"
if command -v script >/dev/null; then
  check "on a terminal: a progress bar" script -qec "'$C' verify-repo good --keyring ring.gpg --jobs 1" progress.txt
  check "  redrawn in place, counting to the end" python3 -c '
import re, sys
t = open(sys.argv[1], "rb").read().decode()
bars = re.findall(r"\r\[[#.]+\] (\d+)/5 charts, (\d+) failed", t)
assert bars and bars[-1] == ("5", "0"), (bars, t[:300])' progress.txt
else
  skip "the progress bar on a terminal (needs script from util-linux)"
fi
check "--json" "$C" verify-repo good --keyring ring.gpg --json
cp "$OUT" report.json
check "  is one JSON object with the counts and 5 verified charts" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verified"] is True and j["summary"] == {"charts": 5, "verified": 5, "failed": 0, "unsigned": 0}, j["summary"]
assert sorted(c["file"] for c in j["charts"]) == ["demo-0.1.0.tgz", "demo-0.2.0.tgz", "demo-0.3.0.tgz", "other-1.0.0.tgz", "other-1.1.0.tgz"]
assert all(c["result"] == "verified" and c["digest"].startswith("sha256:") for c in j["charts"])' report.json
check "--jobs 1" "$C" verify-repo good --keyring ring.gpg --jobs 1 --json
cp "$OUT" jobs1.json
check "--jobs 2 gives the same report" "$C" verify-repo good --keyring ring.gpg --jobs 2 --json
cp "$OUT" jobs2.json
check "  (identical)" cmp jobs1.json jobs2.json
check_fails "a keyring with the P-256 key only: the RSA and Ed25519 charts fail, the rest verify" \
  "$C" verify-repo good --keyring ecdsa-p256.pub.gpg
check_said "  counted" "^5 charts: 3 verified, 2 failed, 0 unsigned" out
check_said "  naming the unknown key" "demo +0\.2\.0 +failed .*(unknown|not in the keyring|no public key)" out

# Each failure, one at a time, on a fresh copy.
fresh() { rm -rf r && cp -a good r; }

fresh
printf 'x' >>r/demo-0.2.0.tgz
check_exit 1 "a tampered chart fails" "$C" verify-repo r --keyring ring.gpg
check_said "  with the digest mismatch against the .prov and index.yaml" "demo +0\.2\.0 +failed .*index.yaml lists digest" out
check_said "  the others verify" "^5 charts: 4 verified, 1 failed" out

fresh
d=$(sha256sum r/other-1.0.0.tgz | cut -c1-64)
case $d in 1*) nd=2${d#?} ;; *) nd=1${d#?} ;; esac  # always a different digest
sed -i "s/$d/$nd/" r/index.yaml
check_exit 1 "a digest in index.yaml that is not the archive's" "$C" verify-repo r --keyring ring.gpg
check_said "  fails that chart only" "other +1\.0\.0 +failed +index.yaml lists digest sha256:[0-9a-f]{64}, the archive's is" out
check_said "  (the .prov still verifies: 4 others fine)" "^5 charts: 4 verified, 1 failed" out

fresh
sed -i 's/^version: .*/version: 9.0.0/' demo/Chart.yaml
"$H" package demo -d r >/dev/null && "$H" repo index r
check_exit 1 "an unsigned chart" "$C" verify-repo r --keyring ring.gpg
check_said "  is reported unsigned" "demo +9\.0\.0 +unsigned +no \.prov beside the chart" out
check_said "  counted apart" "^6 charts: 5 verified, 0 failed, 1 unsigned" out

fresh
rm r/other-1.1.0.tgz
check_exit 1 "a chart listed in index.yaml but missing" "$C" verify-repo r --keyring ring.gpg
check_said "  is named" "other +1\.1\.0 +failed +listed in index.yaml but not in the repository" out

fresh
mkdir r/extra && cp good/demo-0.1.0.tgz good/demo-0.1.0.tgz.prov r/extra/
check_exit 1 "a .tgz that index.yaml does not list" "$C" verify-repo r --keyring ring.gpg
check_said "  is named by its path" "extra/demo-0\.1\.0\.tgz .*failed .*not listed in index.yaml" out

fresh
mkdir outside && cp good/demo-0.1.0.tgz good/demo-0.1.0.tgz.prov outside/
sed -i 's|- demo-0.1.0.tgz|- ../outside/demo-0.1.0.tgz|' r/index.yaml
check_exit 1 "a url that leaves the repository (../)" "$C" verify-repo r --keyring ring.gpg --json
cp "$OUT" traversal.json
check "  is refused without reading the file outside" python3 -c '
import json, sys
c = [c for c in json.load(open(sys.argv[1]))["charts"] if c["version"] == "0.1.0"][0]
assert c["result"] == "failed" and c["digest"] == "", c
assert "not a file of this repository" in c["reasons"][0], c' traversal.json
fresh
sed -i 's|- demo-0.1.0.tgz|- /etc/passwd|' r/index.yaml
check_exit 1 "an absolute path as url" "$C" verify-repo r --keyring ring.gpg
check_said "  is refused" "not a file of this repository" out

fresh
sed -i 's/^  other:$/  renamed:/' r/index.yaml
check_exit 1 "charts listed under another name" "$C" verify-repo r --keyring ring.gpg
check_said "  fail" 'listed under "renamed" but named "other"' out

fresh
ln -sf ../good/demo-0.3.0.tgz r/demo-0.3.0.tgz.link && mv r/demo-0.3.0.tgz.link r/demo-0.3.0.tgz
check_exit 1 "a chart that is a symbolic link" "$C" verify-repo r --keyring ring.gpg
check_said "  is refused" "demo +0\.3\.0 +failed +is a symbolic link" out

# Input errors.
fresh
printf 'apiVersion: v1\nentries: [not, a, map]\n' >r/index.yaml
check_exit 2 "a garbage index.yaml is an input error" "$C" verify-repo r --keyring ring.gpg
check_said "  saying so" "index.yaml: entries is not a mapping" err
head -c 3000 /dev/urandom >r/index.yaml
check_exit 2 "random bytes as index.yaml" "$C" verify-repo r --keyring ring.gpg
rm r/index.yaml
check_exit 2 "no index.yaml" "$C" verify-repo r --keyring ring.gpg
check_said "  saying so" "no index.yaml" err
check_exit 2 "no trust material" "$C" verify-repo good
check_exit 2 "two kinds of trust material" "$C" verify-repo good --keyring ring.gpg --trust-dir td
check_exit 2 "an unreadable keyring" "$C" verify-repo good --keyring nope.gpg

# A cosign key: .sig and bundles.
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
rm -rf k && mkdir k && cp good/*.tgz good/index.yaml k/
for f in k/*.tgz; do COSIGN_PASSWORD=pw "$C" sign "$f" --key cosign.key --format cosign-blob,sigstore-bundle >/dev/null; done
check "verify-repo --key (cosign .sig and bundle beside each chart)" "$C" verify-repo k --key cosign.pub
check_said "  all 5" "^5 charts: 5 verified" out
rm k/other-1.0.0.tgz.sig k/other-1.0.0.tgz.sigstore.json
check_exit 1 "  one chart left without envelopes is unsigned" "$C" verify-repo k --key cosign.pub
check_said "  (named)" "other +1\.0\.0 +unsigned" out

# A trust root: the cosign key may sign demo-* for production only.
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key cosign.pub --owner ci --charts 'demo' --envs production >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
rm -f k/other-*
"$H" repo index k
check "verify-repo --trust-dir --env production" "$C" verify-repo k --trust-dir td --env production
check_said "  3 verified" "^3 charts: 3 verified" out
check_exit 1 "  --env staging: the key does not count there" "$C" verify-repo k --trust-dir td --env staging
check_said "  (why)" "does not count for environment staging" out


# Over HTTP: the index, each chart and its envelopes are downloaded (chartprov-oci http-get).
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$C")/chartprov-oci}
rm -rf served && cp -a good served
port=$(free_port)
start_http "$W/served" "$port" || echo "FAIL http server"
check "verify-repo http://.../ (a served repository)" "$C" verify-repo "http://127.0.0.1:$port/" --keyring ring.gpg
check_said "  all 5" "^5 charts: 5 verified" out
check "  .../index.yaml names the same repository" "$C" verify-repo "http://127.0.0.1:$port/index.yaml" --keyring ring.gpg --jobs 1
check_said "  (all 5)" "^5 charts: 5 verified" out
printf 'x' >>served/other-1.1.0.tgz
rm served/demo-0.1.0.tgz
check_exit 1 "  a tampered chart and a missing one on the server" "$C" verify-repo "http://127.0.0.1:$port" --keyring ring.gpg
check_said "  the tampered one fails on its digest" "other +1\.1\.0 +failed .*index.yaml lists digest" out
check_said "  the missing one: HTTP 404" "demo +0\.1\.0 +failed +listed in index.yaml but cannot be downloaded: HTTP 404" out
check_said "  the others verify" "^5 charts: 3 verified, 2 failed" out
# An envelope the server will not hand over whole (over the largest envelope reader's cap, 8 MiB)
# is not an absent one: the chart fails, it does not pass as unsigned.
big=$(cd served && ls *.tgz.prov | grep -v -e '^demo-0\.1\.0' -e '^other-1\.1\.0' | head -n 1)
head -c $((9 << 20)) /dev/zero >"served/$big"
check_exit 1 "  an oversized .prov on the server" "$C" verify-repo "http://127.0.0.1:$port" --keyring ring.gpg
check_said "  fails its chart, named" "failed +\.prov beside the chart cannot be downloaded: " out
check_said "  (2 verified now)" "^5 charts: 2 verified, 3 failed" out
check_exit 2 "  no index.yaml there" "$C" verify-repo "http://127.0.0.1:$port/nothing/" --keyring ring.gpg
check_said "  (404)" "HTTP 404" err

# --env: the environment's policy decides each chart (decide(), as verify --env).
check "verify-repo --keyring --env production (built-in policy)" "$C" verify-repo good --keyring ring.gpg --env production
check_said "  all 5" "^5 charts: 5 verified" out
cat >policy.yaml <<'YAML'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "demo"
        threshold: 2
      - charts: "other"
YAML
check_exit 1 "a policy asking two signers of demo: its charts are denied" "$C" verify-repo good --keyring ring.gpg --env production --policy policy.yaml
check_said "  other verifies, demo does not" "^5 charts: 2 verified, 3 failed" out
check_said "  (the reason)" "demo +0\.1\.0 +failed .*(threshold|2)" out
check_exit 2 "--policy without --env" "$C" verify-repo good --keyring ring.gpg --policy policy.yaml
check_exit 2 "a broken policy file" "$C" verify-repo good --keyring ring.gpg --env production --policy nope.yaml

finish
