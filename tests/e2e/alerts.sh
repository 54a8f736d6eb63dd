#!/usr/bin/env bash
# Events and alerts (app/events/events.hpp) end to end, against real local HTTP receivers
# (tests/e2e/http_receiver.py) and, when installed, a real Alertmanager: every decision of the
# deploy gate (`chartprov helm template`) and of `verify --env`
# and every sign goes to the webhooks and the audit log; deny and warn post an Alertmanager
# alert (allow none); retries, the per-attempt timeout, --fail-if-alert-fails,
# CHARTPROV_ALERT_WEBHOOK, and URLs with credentials that are never printed.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
export CHARTPROV_HELM=$H
cd "$W"

"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output release >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key release.pub --owner release-team --charts '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
for c in web api; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done
cat > policy.yaml <<'YAML'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [release-team]
  staging:
    mode: warn
    rules:
      - charts: "*"
        signers: [release-team]
YAML

# receiver NAME [receiver flags]: starts a receiver recording to NAME.jsonl; sets URL_NAME.
receiver() {
  local name=$1 port
  shift
  port=$(free_port)
  : >"$name.jsonl"
  python3 "$E2E_DIR/http_receiver.py" "$port" "$W/$name.jsonl" "$@" >"$W/$name.log" 2>&1 &
  _pids+=("$!")
  wait_http "http://127.0.0.1:$port/" || echo "receiver $name did not start"
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
}
posts() { wc -l <"$1.jsonl" | tr -d ' '; }
gate() { "$C" helm template rel "$@" --policy policy.yaml --trust-dir td; }

# ------------------------------------------------------------------ sign events
receiver hooks
check "sign with a webhook, the audit log and stderr" env COSIGN_PASSWORD=pw "$C" sign web-0.1.0.tgz --key release.key \
  --webhook "$URL_hooks/events" --audit-log audit.jsonl --events-stderr
check_said "  the event is one JSON line on stderr" '^\{"kind":"sign",.*"decision":"signed"' err
# (check runs its command with stdin from /dev/null: a script goes in a file, not a heredoc.)
cat >"$W/sign_event.py" <<'PY'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
assert len(posts) == 1 and posts[0]["path"] == "/events", posts
assert posts[0]["content_type"] == "application/json", posts
e = json.loads(posts[0]["body"])
assert list(e) == ["kind", "time", "environment", "chart", "name", "version", "digest", "signers", "decision",
                   "mode", "reasons", "reason_code", "actor", "host", "tool", "audit_head"], e
# the head the event's audit line made, a copy of the chain's end outside the log
import hashlib
last = open("audit.jsonl", "rb").read().splitlines()[-1]
assert e["audit_head"] == hashlib.sha256(last).hexdigest(), (e["audit_head"], last)
assert e["kind"] == "sign" and e["decision"] == "signed" and e["name"] == "web" and e["version"] == "0.1.0", e
assert e["digest"].startswith("sha256:") and len(e["signers"]) == 1 and e["tool"].startswith("chartprov "), e
assert e["time"].endswith("Z"), e
PY
check "  the webhook got the sign event" python3 "$W/sign_event.py" "$W/hooks.jsonl"
check_fails "a failed sign" env COSIGN_PASSWORD=pw "$C" sign missing-0.1.0.tgz --key release.key --webhook "$URL_hooks/events" --audit-log audit.jsonl
check "  is an event too, with its reason" python3 -c '
import json, sys
e = json.loads([json.loads(l) for l in open(sys.argv[1])][-1]["body"])
assert e["kind"] == "sign" and e["decision"] == "failed" and e["reasons"] and "missing-0.1.0.tgz" in e["reasons"][0], e
' "$W/hooks.jsonl"
check "the audit log holds both, chained" "$C" audit verify audit.jsonl
check_said "  (two records)" "2 records" out
check_exit 2 "an unwritable audit log fails the sign (an unrecorded sign is not a sign)" \
  env COSIGN_PASSWORD=pw "$C" sign web-0.1.0.tgz --key release.key --audit-log "$W/no-such-dir/audit.jsonl"
check_said "  and says why" "event: .*audit log" err
check_exit 2 "a webhook that is not http(s) is a usage error" "$C" sign web-0.1.0.tgz --key release.key --webhook "ftp://127.0.0.1/x"
check_exit 2 "--alert-retries above 10 is a usage error" "$C" sign web-0.1.0.tgz --key release.key --alert-retries 11
check_exit 2 "--alert-timeout 0 is a usage error" "$C" sign web-0.1.0.tgz --key release.key --alert-timeout 0
check_exit 2 "a bad URL in CHARTPROV_ALERT_WEBHOOK is a usage error" \
  env CHARTPROV_ALERT_WEBHOOK="$URL_hooks/a,file:///etc/passwd" "$C" sign web-0.1.0.tgz --key release.key

# ------------------------------------------------------------------ decisions and alerts
receiver am
check_exit 1 "deny in enforce (production, unsigned api)" gate api-0.1.0.tgz --env production \
  --alert-webhook "$URL_am/api/v2/alerts" --webhook "$URL_am/events"
cat >"$W/deny_alert.py" <<'PY'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
assert sorted(p["path"] for p in posts) == ["/api/v2/alerts", "/events"], posts
event = json.loads(next(p for p in posts if p["path"] == "/events")["body"])
assert event["kind"] == "decision" and event["decision"] == "deny" and event["mode"] == "enforce", event
assert event["environment"] == "production" and event["name"] == "api" and event["reasons"], event
alerts = json.loads(next(p for p in posts if p["path"] == "/api/v2/alerts")["body"])
assert isinstance(alerts, list) and len(alerts) == 1, alerts
a = alerts[0]
assert a["labels"] == {"alertname": "ChartprovDeploymentDenied", "severity": "critical", "environment": "production",
                       "chart": "api", "version": "0.1.0"}, a
for reason in event["reasons"]:
    assert reason in a["annotations"]["description"], (reason, a)
assert event["digest"] in a["annotations"]["description"] and a["annotations"]["digest"] == event["digest"], a
assert "denied" in a["annotations"]["summary"] and a["startsAt"].endswith("Z"), a
PY
check "  posted the event and one critical Alertmanager alert" python3 "$W/deny_alert.py" "$W/am.jsonl"
: >am.jsonl
check "warn (staging, unsigned api): helm runs" gate api-0.1.0.tgz --env staging --alert-webhook "$URL_am/api/v2/alerts"
check "  and a warning alert was posted" python3 -c '
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
assert len(posts) == 1, posts
a = json.loads(posts[0]["body"])[0]
assert a["labels"]["alertname"] == "ChartprovDeploymentWarned" and a["labels"]["severity"] == "warning", a
assert a["labels"]["environment"] == "staging" and "warn mode" in a["annotations"]["summary"], a
' "$W/am.jsonl"
: >am.jsonl
check "allow (production, signed web)" gate web-0.1.0.tgz --env production --alert-webhook "$URL_am/api/v2/alerts" --webhook "$URL_am/events"
check "  posted the event and no alert" python3 -c '
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
assert [p["path"] for p in posts] == ["/events"], posts
assert json.loads(posts[0]["body"])["decision"] == "allow", posts
' "$W/am.jsonl"
: >am.jsonl
check "CHARTPROV_ALERT_WEBHOOK (comma-separated) when no --alert-webhook is given" \
  env CHARTPROV_ALERT_WEBHOOK="$URL_am/one,$URL_am/two" "$C" helm template rel api-0.1.0.tgz --env staging --policy policy.yaml --trust-dir td
check "  both got the alert" python3 -c '
import json, sys
assert sorted(json.loads(l)["path"] for l in open(sys.argv[1])) == ["/one", "/two"]' "$W/am.jsonl"

# ------------------------------------------------------------------ retries, timeout, failure
receiver flaky --fail 2
check "an alert receiver failing twice (HTTP 500)" gate api-0.1.0.tgz --env staging --alert-webhook "$URL_flaky/api/v2/alerts" --alert-retries 3
check "  got the alert on the third attempt" test "$(posts flaky)" = 3
check "  and nothing was reported" bash -c "! grep -q 'event:' '$ERR'"
receiver down --fail 1000
check "warn with an alert receiver that always fails: helm still runs" \
  gate api-0.1.0.tgz --env staging --alert-webhook "http://alice:s3cret@${URL_down#http://}/api/v2/alerts?token=t0k3n" --alert-retries 2
check_said "  the failure is reported" "event: alert webhook http://\*\*\*@127.0.0.1:[0-9]+/api/v2/alerts\?\*\*\*: HTTP 500 \(3 attempts\)" err
cat "$OUT" "$ERR" >down-said.txt
check "  without the URL's password or token" bash -c "! grep -Eq 's3cret|t0k3n' down-said.txt"
check "  after 1 + 2 attempts" test "$(posts down)" = 3
check "  which went as Basic auth" python3 -c '
import json, sys, base64
p = json.loads(open(sys.argv[1]).readline())
assert base64.b64decode(p["authorization"].split()[1]) == b"alice:s3cret", p' "$W/down.jsonl"
: >down.jsonl
check_exit 2 "--fail-if-alert-fails: the same warn now stops helm" \
  gate api-0.1.0.tgz --env staging --alert-webhook "$URL_down/api/v2/alerts" --alert-retries 1 --fail-if-alert-fails
check_said "  saying so" "fail-if-alert-fails" err
check "  after 2 attempts" test "$(posts down)" = 2
receiver refusing --fail 1000 --status 400
check "a 400 answer" gate api-0.1.0.tgz --env staging --alert-webhook "$URL_refusing/api/v2/alerts" --alert-retries 3
check "  is not retried" test "$(posts refusing)" = 1
receiver hung --hang
check_exit 2 "an alert receiver that never answers: each attempt times out" \
  gate api-0.1.0.tgz --env staging --alert-webhook "$URL_hung/api/v2/alerts" --alert-timeout 0.5 --alert-retries 1 --fail-if-alert-fails
check_said "  (a timeout)" "[Tt]imeout" err
check "  after 2 attempts" test "$(posts hung)" = 2

# ------------------------------------------------------------------ verify --env
: >am.jsonl
check_exit 1 "verify --env production: deny" "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --alert-webhook "$URL_am/a"
check "verify --env staging: warn" "$C" verify api-0.1.0.tgz --env staging --policy policy.yaml --trust-dir td --alert-webhook "$URL_am/a"
check "verify --env production: allow" "$C" verify web-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --alert-webhook "$URL_am/a"
check "  one critical and one warning alert, none for the allow" python3 -c '
import json, sys
alerts = [json.loads(json.loads(l)["body"])[0]["labels"] for l in open(sys.argv[1])]
assert [(a["alertname"], a["severity"], a["environment"]) for a in alerts] == [
    ("ChartprovDeploymentDenied", "critical", "production"), ("ChartprovDeploymentWarned", "warning", "staging")], alerts
' "$W/am.jsonl"
check_exit 1 "verify --env with --metrics-textfile and --events-stderr" "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td \
  --metrics-textfile decisions.prom --events-stderr
check_said "  the event on stderr says deny, enforce" '^\{"kind":"decision",.*"decision":"deny","mode":"enforce"' err
check "  the decision is counted in the textfile" grep -Eq '^chartprov_verifications_total\{env="production",decision="deny",reason="[a-z-]+"\} 1$' decisions.prom
check "verify without --env records through the same sinks (the audit log)" "$C" verify web-0.1.0.tgz --key release.pub --audit-log verify-audit.jsonl
check "  one decision, chained" "$C" audit verify verify-audit.jsonl
check_said "  (one record)" "1 record" out

# ------------------------------------------------------------------ a real Alertmanager
AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -n "$AM" ]; then
  amport=$(free_port)
  mkdir -p am
  printf 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n' >am/config.yml
  "$AM" --config.file=am/config.yml --storage.path=am/data --web.listen-address="127.0.0.1:$amport" \
    --cluster.listen-address= >am/log 2>&1 &
  _pids+=("$!")
  for _ in 1 2 3; do wait_http "http://127.0.0.1:$amport/-/ready" && break; done  # up to ~30 s on a busy machine
  if curl -fs -o /dev/null "http://127.0.0.1:$amport/-/ready"; then
    check_exit 1 "a deny posted to a real Alertmanager" gate api-0.1.0.tgz --env production \
      --alert-webhook "http://127.0.0.1:$amport/api/v2/alerts" --fail-if-alert-fails
    check "  is active there (GET /api/v2/alerts)" bash -c "curl -fsS 'http://127.0.0.1:$amport/api/v2/alerts' >am/alerts.json"
    check "  with our labels and reasons" python3 -c '
import json, sys
alerts = json.load(open(sys.argv[1]))
ours = [a for a in alerts if a["labels"].get("alertname") == "ChartprovDeploymentDenied"]
assert len(ours) == 1, alerts
a = ours[0]
assert a["labels"]["severity"] == "critical" and a["labels"]["chart"] == "api" and a["labels"]["environment"] == "production", a
assert a["status"]["state"] == "active" and a["annotations"]["description"].startswith("- "), a
' am/alerts.json
  else
    check "Alertmanager starts on loopback" false
  fi
else
  skip "no Alertmanager installed (Debian: prometheus-alertmanager)"
fi
finish
