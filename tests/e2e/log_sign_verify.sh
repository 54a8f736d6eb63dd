#!/usr/bin/env bash
# Signing and verifying against chartprov's own transparency log (issue 17), with a real
# `chartprov log serve` (chartprov-log, SQLite) and sigstore-js:
#   sign --log writes a bundle whose entry verifies offline (chartprov and sigstore-js) against
#   the trusted root that lists the log; an altered entry and a root with another log key are
#   refused by both; a log that cannot be reached fails the sign and writes nothing; policy.yaml's
#   transparency_log: allows a listed log and denies another; --tlog-state keeps the checkpoint and
#   denies a second log with the same key and origin but other content (a split view); a .prov
#   logged with --log carries its entry in CHART.tgz.prov.tlog.json, checked for its chart.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
JS=${SIGSTORE_JS_DIR:-/opt/peers/node}
VB=$TEST_DATA/cosign/verify-bundle.mjs
jsverify() { SIGSTORE_JS_DIR=$JS node "$VB" "$@"; }
cd "$W"
require_log_helper
CHART=withschema-0.1.0.tgz
cp "$TEST_DATA/helm-release/charts/$CHART" .
"$C" key generate --algorithm ed25519 --uid "log <log@example.com>" --output log --no-passphrase >/dev/null
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
"$C" key generate --uid "CI <ci@example.com>" --output signer --no-passphrase >/dev/null
openssl pkey -in signer.key -pubout -out signer.pub 2>/dev/null

# serve_log NAME PORT: a log on 127.0.0.1:PORT (origin 127.0.0.1) with its own database.
serve_log() {
  "$LOGBIN" serve --listen "127.0.0.1:$2" --db "sqlite:$W/$1.db" --key log.key >"$1.out" 2>&1 &
  echo $! >"$1.pid"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$2/checkpoint" >/dev/null && return 0; sleep 0.1; done
  return 1
}
PA=$(free_port)
check "log serve starts (SQLite)" serve_log a "$PA"
URL=http://127.0.0.1:$PA

check "trusted-root create --tlog-url lists the log" \
  "$C" trusted-root create --tlog-url "$URL" --tlog-key log.pub --output root.json
check_exit 2 "an origin that is not the URL's host is refused" \
  "$C" trusted-root create --tlog-url "http://log.example.com" --tlog-key signer.pub --output x.json
LOGID=$(python3 -c 'import json;print(json.load(open("root.json"))["tlogs"][0]["logId"]["keyId"])')

check "sign --log writes a bundle with the log's entry" \
  "$C" sign "$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key log.pub
check_said "the sign names the log" "Logged in: $URL" out
check "verify --trusted-root: the entry verifies offline" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root root.json
check_said "one entry counted" "1 transparency log entries" out
check "sigstore-js verifies the bundle against the same trusted root" \
  jsverify --bundle "$CHART.sigstore.json" --key signer.pub --artifact "$CHART" --trusted-root root.json \
  --timestamp-threshold 0

python3 - "$CHART.sigstore.json" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
e = b["verificationMaterial"]["tlogEntries"][0]
body = base64.b64decode(e["canonicalizedBody"]).replace(b'"chart":"withschema"', b'"chart":"withschemb"')
e["canonicalizedBody"] = base64.b64encode(body).decode()
json.dump(b, open("altered.json", "w"))
PY
check_fails "an entry altered to name another chart is refused" \
  "$C" verify "$CHART" --key signer.pub --bundle altered.json --trusted-root root.json
check_said "for its reason" "the log entry is for chart withschemb 0.1.0, not withschema 0.1.0" err
check_fails "sigstore-js refuses the altered entry" \
  jsverify --bundle altered.json --key signer.pub --artifact "$CHART" --trusted-root root.json --timestamp-threshold 0

"$C" key generate --algorithm ed25519 --uid "other <o@example.com>" --output other --no-passphrase >/dev/null
openssl pkey -in other.key -pubout -out other.pub 2>/dev/null
"$C" trusted-root create --tlog-url "$URL" --tlog-key other.pub --output other-root.json >/dev/null
check_fails "a trusted root with another log key refuses the entry" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root other-root.json
check_said "its log is not in the root" "is not in the trusted root" err
check_fails "sigstore-js refuses it too" \
  jsverify --bundle "$CHART.sigstore.json" --key signer.pub --artifact "$CHART" --trusted-root other-root.json \
  --timestamp-threshold 0

"$C" log trusted-root --url "$URL" --key log.pub --valid-from 2099-01-01T00:00:00Z >late-root.json
check_fails "a trusted root whose log key starts after the entry refuses it" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root late-root.json
check_said "  saying when, and the likely cause" \
  "logged at 20[0-9-]+T[0-9:]+Z, outside the log key's validity \(from 2099-01-01T00:00:00Z\); was the trusted root made after the log started\?" err

mkdir down && cp "$CHART" down/
check_exit 2 "a log that cannot be reached fails the sign" \
  "$C" sign "down/$CHART" --key signer.key --format sigstore-bundle --log "http://127.0.0.1:$(free_port)"
check "and nothing is written" test ! -e "down/$CHART.sigstore.json"
check_exit 1 "--log-key of another key: the answer is refused" \
  "$C" sign "down/$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key other.pub
check_said "for its reason" "the checkpoint is not signed by the log key" err

cat >policy.yaml <<EOF2
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        transparency_log:
          logs: [$LOGID]
  staging:
    mode: enforce
    rules:
      - charts: "*"
        transparency_log:
          logs: [0011223344556677889900112233445566778899001122334455667788990011]
EOF2
check "policy: an entry in the listed log is allowed" \
  "$C" verify "$CHART" --env production --policy policy.yaml --key signer.pub --trusted-root root.json
check_fails "policy: an entry in an unlisted log is denied" \
  "$C" verify "$CHART" --env staging --policy policy.yaml --key signer.pub --trusted-root root.json
check_said "for its reason" "none of which this rule lists" err

check "--tlog-state: the first checkpoint is kept" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root root.json --tlog-state state.json
check "the state names the log's origin" grep -q '"127.0.0.1"' state.json
mkdir y && cp "$CHART" y/
"$C" sign "y/$CHART" --key signer.key --format sigstore-bundle --log "$URL" >/dev/null
check "--tlog-state: a newer checkpoint is proven consistent from the log's tiles" \
  "$C" verify "$CHART" --key signer.pub --bundle "y/$CHART.sigstore.json" --trusted-root root.json --tlog-state state.json
check "the state moved to the larger tree" python3 -c \
  'import json,sys; sys.exit(json.load(open("state.json"))["logs"]["127.0.0.1"]["size"] == "1")'
check "--tlog-state: the older checkpoint is proven a prefix" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root root.json --tlog-state state.json
# A second log with the same key and origin, other content: its checkpoint is another view.
PB=$(free_port)
check "a second log with the same key and origin starts" serve_log b "$PB"
for i in 1 2; do
  mkdir "x$i" && cp "$CHART" "x$i/"
  "$C" sign "x$i/$CHART" --key signer.key --format sigstore-bundle --log "http://127.0.0.1:$PB" >/dev/null 2>&1
done
check_fails "--tlog-state: a checkpoint of the other view is a split view" \
  "$C" verify "$CHART" --key signer.pub --bundle "x1/$CHART.sigstore.json" --trusted-root root.json \
  --tlog-state state.json
check_said "reason split view" "split view: log 127.0.0.1" err
kill "$(cat a.pid)" 2>/dev/null
check_fails "--tlog-state: the log down when a proof is needed: denied" \
  "$C" verify "$CHART" --key signer.pub --bundle "x2/$CHART.sigstore.json" --trusted-root root.json \
  --tlog-state state.json
check_said "for its reason" "cannot prove the checkpoint of log 127.0.0.1 consistent" err
echo "{" >bad-state.json
check_exit 2 "a corrupt state file is an input error" \
  "$C" verify "$CHART" --key signer.pub --bundle "$CHART.sigstore.json" --trusted-root root.json \
  --tlog-state bad-state.json

# A .prov logged too: its entry goes in a side file beside it.
mkdir prov && cp "$CHART" prov/
"$C" trusted-root create --tlog-url "http://127.0.0.1:$PB" --tlog-key log.pub --output root-b.json >/dev/null
check "sign --format prov --log writes the .prov and its entry" \
  "$C" sign "prov/$CHART" --key signer.key --format prov --log "http://127.0.0.1:$PB" --log-key log.pub
check "the side file is there" test -s "prov/$CHART.prov.tlog.json"
check "verify --trusted-root checks the .prov's entry" \
  "$C" verify "prov/$CHART" --key signer.pub --trusted-root root-b.json
check_said "one entry counted" "1 transparency log entries" out
check "the entry is a helmprov entry" python3 -c \
  'import json,sys; e=json.load(open(sys.argv[1])); sys.exit(e["kindVersion"]["kind"] != "helmprov")' \
  "prov/$CHART.prov.tlog.json"
python3 - "prov/$CHART.prov.tlog.json" <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1]))
body = base64.b64decode(e["canonicalizedBody"]).replace(b'"version":"0.1.0"', b'"version":"0.1.1"')
e["canonicalizedBody"] = base64.b64encode(body).decode()
json.dump(e, open(sys.argv[1] + ".altered", "w"))
PY
mv "prov/$CHART.prov.tlog.json.altered" "prov/$CHART.prov.tlog.json"
check_exit 1 "a side file altered to name another version is refused" \
  "$C" verify "prov/$CHART" --key signer.pub --trusted-root root-b.json
check_said "for its reason" "the log entry is for chart withschema 0.1.1, not withschema 0.1.0" err

kill "$(cat a.pid)" "$(cat b.pid)" 2>/dev/null
finish
