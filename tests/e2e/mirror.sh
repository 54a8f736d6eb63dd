#!/usr/bin/env bash
# mirror SRC DEST: a trusted internal mirror of a Helm repository directory.
#   Only the charts that verify are copied (with their .prov), under a fresh index.yaml that real
#   helm v4 uses as a repository (helm repo add over HTTP, helm pull --verify with the keyring);
#   the others (tampered, unsigned, signed by an unknown key, not listed, listed but missing,
#   url leaving the repository) are in the quarantine with a .reasons file each;
#   the mirror verifies again with verify-repo; DEST must be new or empty and nothing is written
#   on an input error (no partial directories left behind).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"

"$C" key generate --uid "Mirror CI <ci@test.invalid>" --output ci --no-passphrase >/dev/null
"$C" key generate --uid "Stranger <x@test.invalid>" --output stranger --no-passphrase >/dev/null
"$H" create demo >/dev/null
"$H" create other >/dev/null
mkdir src
for v in 0.1.0 0.2.0 0.3.0; do
  sed -i "s/^version: .*/version: $v/" demo/Chart.yaml
  "$C" package demo --sign --key ci.key -d src >/dev/null
done
"$C" package other --sign --key stranger.key -d src >/dev/null   # other-0.1.0: an unknown signer
sed -i "s/^version: .*/version: 0.4.0/" demo/Chart.yaml
"$H" package demo -d src >/dev/null                               # demo-0.4.0: unsigned
sed -i "s/^version: .*/version: 0.5.0/" demo/Chart.yaml
"$C" package demo --sign --key ci.key -d src >/dev/null
"$H" repo index src
printf 'x' >>src/demo-0.2.0.tgz                                   # tampered after indexing
rm src/demo-0.5.0.tgz                                             # listed, missing
mkdir -p outside && cp src/demo-0.1.0.tgz outside/evil-0.1.0.tgz
cat >>src/index.yaml.extra <<'YAML'
  evil:
  - name: evil
    version: 0.1.0
    digest: 0000000000000000000000000000000000000000000000000000000000000000
    urls:
    - ../outside/evil-0.1.0.tgz
YAML
python3 - src/index.yaml <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("entries:\n", "entries:\n" + open(p + ".extra").read(), 1)
open(p, "w").write(s)
PY
rm src/index.yaml.extra
mkdir src/stray && cp src/demo-0.1.0.tgz src/demo-0.1.0.tgz.prov src/stray/   # not listed

check_exit 1 "mirror: some charts quarantined (exit 1), the mirror written" "$C" mirror src m --keyring ci.pub.gpg
check_said "  summary" "^8 charts: 2 mirrored to .*/m, 6 quarantined in .*/m\.quarantine" out
check "  the mirror holds exactly the verified charts, their .prov and index.yaml" bash -c \
  '[ "$(cd m && ls | tr "\n" " ")" = "demo-0.1.0.tgz demo-0.1.0.tgz.prov demo-0.3.0.tgz demo-0.3.0.tgz.prov index.yaml " ]'
check "  byte for byte the source's" cmp m/demo-0.3.0.tgz src/demo-0.3.0.tgz
for f in demo-0.2.0.tgz other-0.1.0.tgz demo-0.4.0.tgz demo-0.5.0.tgz evil-0.1.0.tgz stray_demo-0.1.0.tgz; do
  check "  quarantine: $f.reasons" test -s "m.quarantine/$f.reasons"
done
check "  the tampered chart is kept in the quarantine for inspection" cmp m.quarantine/demo-0.2.0.tgz src/demo-0.2.0.tgz
check "  its reasons: the digest" grep -q "index.yaml lists digest" m.quarantine/demo-0.2.0.tgz.reasons
check "  the unsigned one: no .prov" grep -q "result: unsigned" m.quarantine/demo-0.4.0.tgz.reasons
check "  the stranger's: an unknown key" grep -Eiq "reason: .*(unknown|not in the keyring|no public key)" m.quarantine/other-0.1.0.tgz.reasons
check "  the missing one" grep -q "not in the repository" m.quarantine/demo-0.5.0.tgz.reasons
check "  the url outside: refused, the file outside never copied" bash -c \
  'grep -q "not a file of this repository" m.quarantine/evil-0.1.0.tgz.reasons && [ ! -e m.quarantine/evil-0.1.0.tgz ]'
check "  the stray copy: not listed" grep -q "not listed in index.yaml" m.quarantine/stray_demo-0.1.0.tgz.reasons
check "no staging directories left" bash -c '! ls -a | grep -q partial'

check "verify-repo of the mirror: everything verifies" "$C" verify-repo m --keyring ci.pub.gpg
check_said "  2 charts" "^2 charts: 2 verified" out

port=$(free_port)
start_http "$W/m" "$port" || echo "FAIL http server"
check "helm v4: repo add the mirror" "$H" repo add mirror "http://127.0.0.1:$port"
check "helm v4: search finds both versions" "$H" search repo mirror/demo --versions
check_said "  0.3.0" "mirror/demo[[:space:]]+0\.3\.0" out
check_said "  and 0.1.0" "mirror/demo[[:space:]]+0\.1\.0" out
mkdir pulled pulled2
check "helm v4: pull --verify with the keyring, from the mirror" "$H" pull mirror/demo --version 0.3.0 --verify --keyring ci.pub.gpg -d pulled
check "  the chart pulled is the signed one" cmp pulled/demo-0.3.0.tgz src/demo-0.3.0.tgz
check_fails "helm v4: the quarantined version is not in the mirror" "$H" pull mirror/demo --version 0.2.0 -d pulled2

# DEST must be new or empty, and an error writes nothing.
check_exit 2 "mirror into a non-empty DEST is refused" "$C" mirror src m --keyring ci.pub.gpg
check_said "  saying so" "is not empty" err
mkdir empty
check_exit 1 "an empty DEST directory is fine" "$C" mirror src empty --keyring ci.pub.gpg --quarantine q2
check "  (written, with the quarantine where asked)" test -s empty/index.yaml -a -s q2/demo-0.2.0.tgz.reasons
check_exit 2 "an unreadable keyring: nothing written" "$C" mirror src m3 --keyring nope.gpg
check "  no DEST, no quarantine, no staging" bash -c '[ ! -e m3 ] && [ ! -e m3.quarantine ] && ! ls -a | grep -q partial'
printf 'garbage: [\n' >bad-index.yaml && mkdir badsrc && cp bad-index.yaml badsrc/index.yaml
check_exit 2 "a garbage index.yaml: nothing written" "$C" mirror badsrc m4 --keyring ci.pub.gpg
check "  no DEST" test ! -e m4 -a ! -e m4.quarantine
check_exit 2 "DEST inside the source is refused" "$C" mirror src src/m5 --keyring ci.pub.gpg

# From a URL: the same repository served over HTTP, downloaded into the staging and verified there.
port2=$(free_port)
start_http "$W/src" "$port2" || echo "FAIL http server"
check_exit 1 "mirror http://.../ (some quarantined)" "$C" mirror "http://127.0.0.1:$port2/" web --keyring ci.pub.gpg
check_said "  the listed charts only (no directory listing over HTTP)" "^7 charts: 2 mirrored to .*/web, 5 quarantined" out
check "  the same verified charts as from the directory" bash -c '[ "$(cd web && ls | tr "\n" " ")" = "$(cd m && ls | tr "\n" " ")" ]'
check "  byte for byte" cmp web/demo-0.3.0.tgz src/demo-0.3.0.tgz
check "  the download failure is a reason" grep -q "cannot be downloaded: HTTP 404" web.quarantine/demo-0.5.0.tgz.reasons
check "  the tampered download is in the quarantine" cmp web.quarantine/demo-0.2.0.tgz src/demo-0.2.0.tgz
check "verify-repo of the URL-made mirror" "$C" verify-repo web --keyring ci.pub.gpg

rm -rf src/stray src/demo-0.2.0.tgz* src/other-* src/demo-0.4.0.tgz
"$H" repo index src
check "a source where everything verifies: exit 0" "$C" mirror src m6 --keyring ci.pub.gpg --json
cp "$OUT" m6.json
check "  --json counts" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["summary"] == {"charts": 2, "mirrored": 2, "quarantined": 0}, j["summary"]' m6.json
check "  an empty quarantine" bash -c '[ -z "$(ls m6.quarantine)" ]'

# Under an environment's policy: the policy decides what is mirrored.
fpr=$("$C" verify src/demo-0.1.0.tgz --keyring ci.pub.gpg --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signatures"][0]["fingerprint"])')
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: demo\n        signers: ["%s"]\n' "$fpr" > signer.yaml
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: "web-*"\n' > other-charts.yaml
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: demo\n        signers: ["%s"]\n        max_age: 1s\n' "$fpr" > too-old.yaml
check "mirror --env production --policy: the signer the rule names, all mirrored" "$C" mirror src m7 --keyring ci.pub.gpg --env production --policy signer.yaml
check_said "  summary" "^2 charts: 2 mirrored" out
check_exit 1 "a policy whose rules match no chart here: all quarantined (enforce denies unmatched)" "$C" mirror src m8 --keyring ci.pub.gpg --env production --policy other-charts.yaml
check_said "  summary" "^2 charts: 0 mirrored to .*, 2 quarantined" out
check "  the reason is the policy's" grep -qi "no rule" m8.quarantine/demo-0.1.0.tgz.reasons
sleep 2
check_exit 1 "a rule's max_age: signatures older than it are quarantined" "$C" mirror src m9 --keyring ci.pub.gpg --env production --policy too-old.yaml
check "  the reason says so" grep -qiE "old|age" m9.quarantine/demo-0.3.0.tgz.reasons
check_exit 2 "--policy without --env is a usage error" "$C" mirror src m10 --keyring ci.pub.gpg --policy signer.yaml
check "  nothing written" test ! -e m10 -a ! -e m10.quarantine

finish
