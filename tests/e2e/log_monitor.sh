#!/usr/bin/env bash
# chartprov log monitor against a real `chartprov log serve` (SQLite): the log key from the trust
# root's embedded Sigstore trusted root (and --log-key/--origin instead); an entry by a listed key
# within its charts (no alert), by an unlisted key for a watched chart and by a listed key outside
# its charts (alerts, to a webhook and as Alertmanager alerts: tests/e2e/http_receiver.py); the
# state kept across --once runs (nothing read or said twice); a log restarted on another database
# with the same key and URL (a split view, the state kept); a damaged state refused; the loop
# stopped by SIGTERM.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
export CHARTPROV_LOG=${CHARTPROV_LOG:-$(dirname "$C")/chartprov-log}
export CHARTPROV_TRUST_STATE=$W/trust-state.json
cd "$W"


"$C" key generate --algorithm ed25519 --uid "Log <log@test.invalid>" --output log --no-passphrase >/dev/null
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out team.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out rogue.pem 2>/dev/null
openssl pkey -in team.pem -pubout -out team.pub 2>/dev/null
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
ORIGIN=127.0.0.1
PORT=$(free_port)
URL=http://$ORIGIN:$PORT

# submit KEY CHART VERSION: one hashedrekord entry, signed by KEY (PEM), for CHART VERSION.
cat >submit.py <<'PY'
import base64, hashlib, json, sys, urllib.request
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
url, keyfile, chart, version = sys.argv[1:5]
key = serialization.load_pem_private_key(open(keyfile, "rb").read(), None)
archive = f"{chart}-{version} archive bytes".encode()
b64 = lambda b: base64.b64encode(b).decode()
spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
req = {"hashedRekordRequestV002": {"digest": b64(hashlib.sha256(archive).digest()),
       "signature": {"content": b64(key.sign(archive, ec.ECDSA(hashes.SHA256()))),
                     "verifier": {"publicKey": {"rawBytes": b64(spki)}, "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}},
       "chartprov": {"chart": chart, "version": version, "envelope": "sigstore-bundle"}}
r = urllib.request.urlopen(urllib.request.Request(url + "/api/v2/log/entries", json.dumps(req).encode(),
                                                  {"Content-Type": "application/json"}))
assert r.status in (200, 201), r.status
PY
submit() { python3 submit.py "$URL" "$@"; }

# The log's entry in a Sigstore trusted_root.json (what `chartprov log trusted-root` prints):
# baseUrl the log's URL, its Ed25519 key, logId SHA-256(origin || 0x0A || 0x01 || key).
cat >trusted_root.py <<'PY'
import base64, hashlib, json, sys
from cryptography.hazmat.primitives import serialization
url, origin, pub = sys.argv[1:4]
key = serialization.load_pem_public_key(open(pub, "rb").read())
raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
b64 = lambda b: base64.b64encode(b).decode()
print(json.dumps({"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
  "tlogs": [{"baseUrl": url, "hashAlgorithm": "SHA2_256",
             "publicKey": {"rawBytes": b64(spki), "keyDetails": "PKIX_ED25519",
                           "validFor": {"start": "2020-01-01T00:00:00Z"}},
             "logId": {"keyId": b64(hashlib.sha256(origin.encode() + b"\n\x01" + raw).digest())}}],
  "certificateAuthorities": [], "ctlogs": [], "timestampAuthorities": []}))
PY
"$C" log trusted-root --url "$URL" --key log.pub >trusted_root.json
python3 trusted_root.py "$URL" "$ORIGIN" log.pub >independent_root.json
check "log trusted-root names the log as an independent computation does" python3 -c '
import json, sys
ours, theirs = (json.load(open(f))["tlogs"] for f in sys.argv[1:3])
assert len(ours) == 1, ours
for k in ("baseUrl", "hashAlgorithm", "logId"):
    assert ours[0][k] == theirs[0][k], (k, ours[0][k], theirs[0][k])
for k in ("rawBytes", "keyDetails"):
    assert ours[0]["publicKey"][k] == theirs[0]["publicKey"][k], k
' trusted_root.json independent_root.json

"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key team.pub --owner team-web --charts 'web' --envs '*' >/dev/null
"$C" trust set-sigstore-root --trust-dir td trusted_root.json >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null

start_log() {  # start_log NAME DB: returns once it listens; LOG_PID is its PID
  "$C" log serve --listen "$ORIGIN:$PORT" --db "sqlite:$W/$2" --key log.key --origin "$ORIGIN" \
    >"$1.out" 2>"$1.err" &
  LOG_PID=$!
  _pids+=("$LOG_PID")
  local _
  for _ in $(seq 1 100); do
    grep -q 'listening on' "$1.out" 2>/dev/null && return 0
    kill -0 "$LOG_PID" 2>/dev/null || break
    sleep 0.1
  done
  sed 's/^/    /' "$1.err" | head -5
  return 1
}
receiver() {  # receiver NAME: records to NAME.jsonl; sets URL_NAME
  local name=$1 port
  port=$(free_port)
  : >"$name.jsonl"
  python3 "$E2E_DIR/http_receiver.py" "$port" "$W/$name.jsonl" >"$W/$name.log" 2>&1 &
  _pids+=("$!")
  wait_http "http://127.0.0.1:$port/" || echo "receiver $name did not start"
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
}
receiver hooks
receiver alerts
monitor() {  # monitor STATE [options]: one round with both receivers and the audit log
  local state=$1
  shift
  "$C" log monitor --log "$URL" --trust-dir td --state "$state" --once --webhook "$URL_hooks/events" \
    --alert-webhook "$URL_alerts/api/v2/alerts" --audit-log audit.jsonl --metrics-textfile monitor.prom "$@"
}
cat >metrics.py <<'PY'
import re, sys
# metrics.py SERIES=VALUE...: each chartprov_log_monitor_* series of monitor.prom has that value.
series = {}
for line in open("monitor.prom"):
    m = re.match(r'^(chartprov_log_monitor_\w+)\{(.*)\} (\d+)$', line)
    if m:
        series[m.group(1) + "{" + m.group(2) + "}"] = int(m.group(3))
for want in sys.argv[1:]:
    name, value = want.rsplit("=", 1)
    if value == "recent":
        import time
        assert time.time() - 120 < series[name] <= time.time() + 1, (name, series)
    else:
        assert series.get(name) == int(value), (name, value, series)
PY
m() {  # m NAME RESULT|REASON: one series of the log $URL
  local label=${2:-}
  case "$1" in
  rounds) echo "chartprov_log_monitor_rounds_total{log=\"$URL\",result=\"$label\"}" ;;
  alerts) echo "chartprov_log_monitor_alerts_total{log=\"$URL\",reason=\"$label\"}" ;;
  *) echo "chartprov_log_monitor_$1{log=\"$URL\"}" ;;
  esac
}

check "log serve starts" start_log log1 log1.db
check "an entry by the listed key for its chart" submit team.pem web 0.1.0
check "the first round reads it: no alert (exit 0)" monitor state.json
check_said "  one entry read, allowed" "entries 0 to 1 read, 1 allowed, 0 unwatched, 0 alerts" out
check "  the state file is written" test -s state.json
check "  nothing was posted" test ! -s hooks.jsonl

check "an entry by an unlisted key for a watched chart" submit rogue.pem web 0.2.0
check "an entry by the listed key outside its charts" submit team.pem payments 1.0.0
check "an entry by an unlisted key for a chart nobody watches" submit rogue.pem scratch 0.0.1
check_exit 1 "the next round alerts (exit 1)" monitor state.json
check_said "  on the unlisted signer" "^ALERT log_unlisted_signer entry 1: key [0-9a-f]{64}, which the trust root does not list, signed chart \"web\" 0.2.0" out
check_said "  on the key outside its charts" "^ALERT log_key_outside_charts entry 2: key [0-9a-f]{64} \(team-web\) signed chart \"payments\" 1.0.0" out
check_said "  and reads only the new entries" "entries 1 to 4 read, 0 allowed, 1 unwatched, 2 alerts" out
cat >events.py <<'PY'
import json, sys
hooks = [json.loads(json.loads(l)["body"]) for l in open("hooks.jsonl")]
assert [e["reason_code"] for e in hooks] == ["log_unlisted_signer", "log_key_outside_charts"], hooks
e = hooks[0]
assert e["kind"] == "monitor" and e["decision"] == "deny" and e["name"] == "web" and e["version"] == "0.2.0", e
assert e["log"] == sys.argv[1] and e["log_index"] == 1 and e["chart"] == sys.argv[1] + "#1", e
assert e["digest"].startswith("sha256:") and e["signers"][0].startswith("key "), e
alerts = [json.loads(json.loads(l)["body"]) for l in open("alerts.jsonl")]
assert [a[0]["labels"]["alertname"] for a in alerts] == ["ChartprovLogUnlistedSigner", "ChartprovLogKeyOutsideCharts"], alerts
labels = alerts[0][0]["labels"]
assert labels["severity"] == "critical" and labels["chart"] == "web" and labels["log"] == sys.argv[1], labels
assert alerts[0][0]["annotations"]["reason_code"] == "log_unlisted_signer", alerts
assert all(json.loads(l)["path"] == "/api/v2/alerts" for l in open("alerts.jsonl"))
PY
check "  the webhook got monitor events, Alertmanager got named alerts" python3 events.py "$URL"
check "  the audit log holds them, chained" "$C" audit verify audit.jsonl
check "the round after: nothing new, nothing said twice (exit 0)" monitor state.json
check_said "  " "entries 4 to 4 read, 0 allowed, 0 unwatched, 0 alerts" out
check "  no more posts" test "$(wc -l <hooks.jsonl)" -eq 2
check "  the metrics textfile counts the rounds, alerts and entries" python3 metrics.py \
  "$(m rounds ok)=2" "$(m rounds alert)=1" "$(m alerts log_unlisted_signer)=1" \
  "$(m alerts log_key_outside_charts)=1" "$(m entries_total)=4" "$(m tree_size)=4" \
  "$(m last_proven_timestamp_seconds)=recent"
if [ -x /usr/bin/promtool ]; then
  check "  promtool accepts it" bash -c "tail -n +2 monitor.prom | /usr/bin/promtool check metrics"
fi
check "--watch makes the unwatched chart's entry an alert" bash -c "
  \"$C\" log monitor --log $URL --trust-dir td --state fresh.json --once --watch 'scr*' >watch.out; test \$? -eq 1 &&
  grep -q 'ALERT log_unlisted_signer entry 3' watch.out"
check_exit 1 "--log-key and --origin instead of the trust root's log: the same findings" \
  "$C" log monitor --log "$URL" --trust-dir td --state other.json --once --log-key log.pub --origin "$ORIGIN"
check_said "  " "entries 0 to 4 read, 1 allowed, 1 unwatched, 2 alerts" out
check_exit 1 "--verify-signatures (an audit): every signature verifies, the same findings" \
  "$C" log monitor --log "$URL" --trust-dir td --state audit.json --once --verify-signatures
check_said "  " "entries 0 to 4 read, 1 allowed, 1 unwatched, 2 alerts" out
check_exit 1 "a checkpoint the given key did not sign is an alert" \
  "$C" log monitor --log "$URL" --trust-dir td --state other2.json --once --log-key team.pub --origin "$ORIGIN"
check_said "  " "ALERT log_bad_checkpoint: the log's checkpoint is not signed by the log's key" out

# --- a log restarted with another database, same key and URL: a split view ------------------
kill -TERM "$LOG_PID"
wait "$LOG_PID" 2>/dev/null
check_exit 1 "the log down is an alert (log_unreachable)" monitor state.json
check_said "  " "^ALERT log_unreachable: " out
check "  counted as an alert round; the tree size stays the last proven" python3 metrics.py \
  "$(m rounds alert)=2" "$(m alerts log_unreachable)=1" "$(m tree_size)=4"
cp state.json state.before
check "the log restarts on an empty database" start_log log2 log2.db
check "  and logs one entry" submit team.pem web 0.3.0
check_exit 1 "the monitor sees a smaller tree: split view" monitor state.json
check_said "  " "^ALERT log_split_view: the log signed a tree of 1 entries after one of 4" out
check "  the state is not advanced" cmp state.json state.before
check "  the alert is critical" python3 -c '
import json
a = json.loads([json.loads(l) for l in open("alerts.jsonl")][-1]["body"])[0]
assert a["labels"]["alertname"] == "ChartprovLogSplitView" and a["labels"]["severity"] == "critical", a'
for v in 0.4.0 0.5.0 0.6.0; do submit team.pem web $v; done
check_exit 1 "the same size with other entries: split view too" monitor state.json
check_said "  " "^ALERT log_split_view: the log signed two different trees of 4 entries" out

# --- the state file ---------------------------------------------------------------------------
echo '{"version": 1' >broken.json
check_exit 2 "a damaged state file is an input error, never a fresh start" monitor broken.json
check_said "  " "broken.json: monitor state: not a JSON object" err
check "  and is left as it was" bash -c "test \"\$(cat broken.json)\" = '{\"version\": 1'"
check "  and counted as an error round" python3 metrics.py "$(m rounds error)=1"
check_exit 2 "a state of another log is refused" \
  "$C" log monitor --log "$URL" --trust-dir td --state state.json --once --log-key log.pub --origin other.example
check_exit 2 "a log the trust root does not list is refused" \
  "$C" log monitor --log "http://127.0.0.1:1" --trust-dir td --state x.json --once
check_said "  " "the trust root lists no log at http://127.0.0.1:1" err

# --- the loop ---------------------------------------------------------------------------------
"$C" log monitor --log "$URL" --trust-dir td --state loop.json --interval 1 >loop.out 2>loop.err &
MON=$!
_pids+=("$MON")
sleep 2.5
kill -TERM "$MON"
wait "$MON"
check "the loop stops on SIGTERM (exit 0)" test $? -eq 0
check "  after a round every second" test "$(grep -c '^log ' loop.out)" -ge 2
check "  saying so" grep -q "SIGTERM: stopping" loop.err

finish
