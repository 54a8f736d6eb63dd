#!/usr/bin/env bash
# Expiry is said ahead of time (issue 14): a trust root or a key that counted, expiring within
# the warning window (default 30 days, --expiry-warning DAYS, 0 = never), raises a warning on
# stderr, an "expiry" event after the decision (audit log, --events-stderr, webhooks, an
# Alertmanager alert of its own) and chartprov_expiry_warnings_total{env,kind}; in verify, in
# the deploy gate and in serve. The decision itself does not change.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
"$H" create demo >/dev/null && "$H" package demo >/dev/null
CHART=demo-0.1.0.tgz

# A keyring key that expires in 10 days.
"$C" key generate --uid "Soon <soon@test.invalid>" --output soon --no-passphrase --expires 10d >/dev/null
"$C" sign "$CHART" --key soon.key --format prov >/dev/null
check "verify: a key that expires in 10 days still counts" \
  "$C" verify "$CHART" --env production --keyring soon.pub.gpg --audit-log audit.jsonl --metrics-textfile m.prom
check_said "  and is warned about" "WARNING: key [0-9a-f]{16} \(Soon <soon@test.invalid>\) expires at .*, in (9|10) days" err
check "  an expiry event follows the decision in the audit log" python3 -c '
import json
ev = [json.loads(l)["event"] for l in open("audit.jsonl")]
assert [e["kind"] for e in ev] == ["decision", "expiry"], ev
assert ev[1]["decision"] == "warn" and ev[1]["reason_code"] == "expiry" and ev[1]["name"] == "demo", ev
assert "expires at" in ev[1]["reasons"][0], ev
'
check "  and the chain holds" "$C" audit verify audit.jsonl
check "  the metric counts it" grep -q '^chartprov_expiry_warnings_total{env="production",kind="signing-key"} 1$' m.prom
check "--expiry-warning 5: not yet" "$C" verify "$CHART" --env production --keyring soon.pub.gpg --expiry-warning 5 --events-stderr
check "  (no warning, no expiry event)" bash -c '! grep -q "expires at" "$0"' "$ERR"
check "--expiry-warning 0: never" "$C" verify "$CHART" --env production --keyring soon.pub.gpg --expiry-warning 0
check "  (no warning)" bash -c '! grep -q WARNING "$0"' "$ERR"
check_exit 2 "--expiry-warning takes days, 0 to 3650" "$C" verify "$CHART" --env production --keyring soon.pub.gpg --expiry-warning -1

# The deploy gate says it too, and helm runs.
check "gate: helm template runs" env CHARTPROV_HELM="$H" "$C" helm template rel "$CHART" --env production --keyring soon.pub.gpg
check_said "  with the warning" "WARNING: key [0-9a-f]{16} .* expires at" err

# A trust root that expires in 20 days.
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
"$C" trust init --output td --root-key root.key --expires 20d >/dev/null
"$C" trust add-key --trust-dir td --key ci.pub --owner platform-ci --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
mkdir charts && cp "$CHART" charts/ && COSIGN_PASSWORD=pw "$C" sign "charts/$CHART" --key ci.key --format cosign-blob >/dev/null
check "verify --trust-dir: a trust root that expires in 20 days" "$C" verify "charts/$CHART" --env production --trust-dir td --events-stderr
check_said "  is warned about" "WARNING: trust root v[0-9]+ expires at .*, in (19|20) days" err
check_said "  as an expiry event" '"kind":"expiry"' err

# serve: the answer lists the warnings, /metrics counts them.
"$C" serve --listen 127.0.0.1:0 --trust-dir td --env production --chart-root charts >serve.out 2>serve.err &
_pids+=("$!")
for _ in $(seq 1 100); do grep -q 'listening on' serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' serve.out)
check "serve started" test -n "$PORT"
check "serve: the answer carries the warning" bash -c '
curl -sf -X POST -H "Content-Type: application/json" --data "{\"chart\": \"'"$CHART"'\"}" "http://127.0.0.1:$0/v1/verify" |
  python3 -c "import json,sys; a = json.load(sys.stdin); assert a[\"allowed\"] and \"expires at\" in a[\"warnings\"][0], a"' "${PORT:-1}"
check "  /metrics counts it" bash -c 'curl -sf "http://127.0.0.1:$0/metrics" | grep -q "^chartprov_expiry_warnings_total{env=\"production\",kind=\"trust-root\"} 1$"' "${PORT:-1}"
finish
