#!/usr/bin/env bash
# chartprov serve: /healthz, /metrics and POST /v1/verify against a real trust root and policy;
# allow, deny and warn decisions (chart files and oci:// on a loopback registry), each recorded
# in the metrics and the audit log; concurrent keep-alive load loses no count; malformed,
# oversized, wrong-method and path-traversal requests get a 4xx and the server keeps serving;
# a broken policy on SIGHUP makes /healthz 503 until a good one is loaded; SIGTERM stops it.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"

"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output stranger >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key ci.pub --owner platform-ci --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
mkdir charts outside
(cd charts && for c in web api; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done)
check "web is signed by the listed key" env COSIGN_PASSWORD=pw "$C" sign charts/web-0.1.0.tgz --key ci.key
check "api is signed by a key the trust root does not list" \
  env COSIGN_PASSWORD=pw "$C" sign charts/api-0.1.0.tgz --key stranger.key --format cosign-blob
cp charts/web-0.1.0.tgz* outside/
ln -s ../outside/web-0.1.0.tgz charts/escape.tgz
cat > policy.yaml <<'EOF'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [platform-ci]
  staging:
    mode: warn
    rules:
      - charts: "*"
        signers: [platform-ci]
EOF

check_exit 2 "a non-loopback address is refused without --allow-remote" \
  "$C" serve --listen 0.0.0.0:0 --trust-dir td --chart-root charts
check_said "  and says why" "not a loopback address" err
check_exit 2 "a host name is refused (numeric addresses only)" "$C" serve --listen localhost:0 --trust-dir td --chart-root charts
check_exit 2 "a broken policy stops the start" "$C" serve --listen 127.0.0.1:0 --trust-dir td --chart-root charts --policy missing.yaml

# A loopback registry with web pushed by helm (its .prov as a layer), for oci:// requests.
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$C")/chartprov-oci}
RPORT=$(free_port)
start_registry "$W/registry" "$RPORT" || { echo "FAIL registry did not start"; exit 1; }
check "helm push web (with its .prov)" "$H" push charts/web-0.1.0.tgz "oci://127.0.0.1:$RPORT/charts" --plain-http
check "helm push api (no .prov)" "$H" push charts/api-0.1.0.tgz "oci://127.0.0.1:$RPORT/charts" --plain-http

# Port 0: the server picks a free port and prints it.
"$C" serve --listen 127.0.0.1:0 --trust-dir td --policy policy.yaml --env production --chart-root charts \
  --allow-registry "127.0.0.1:$RPORT" --plain-http --audit-log audit.jsonl >serve.out 2>serve.err &
SERVER=$!
_pids+=("$SERVER")
for _ in $(seq 1 100); do grep -q 'listening on' serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' serve.out)
check "serve prints the address it listens on" test -n "$PORT"
U=http://127.0.0.1:${PORT:-1}

post() {  # post BODY: POST /v1/verify, the answer's JSON to stdout, exit 0 when HTTP 200
  local code
  code=$(curl -s -o "$W/.body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$1" "$U/v1/verify")
  cat "$W/.body"
  [ "$code" = 200 ]
}
status() {  # status EXPECTED CURL-ARGS...: the HTTP status of a request is EXPECTED
  local want=$1 code
  shift
  code=$(curl -s -o "$W/.body" -w '%{http_code}' "$@")
  cat "$W/.body"
  [ "$code" = "$want" ] || { echo "HTTP $code, want $want" >&2; return 1; }
}
raw() {  # raw BYTES: sends BYTES on a fresh connection, prints the status line of the answer
  python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.split(b"\r\n", 1)[0].decode())
PY
}
healthy() { [ "$(curl -s "$U/healthz")" = ok ]; }

check "GET /healthz is ok" status 200 "$U/healthz"
check_said "  (the body says ok)" "^ok$" out
check "an allowed chart: 200 with the decision" post '{"chart": "web-0.1.0.tgz"}'
check "  allowed, verdict allow, in the default environment" \
  jq -e '.allowed == true and .verdict == "allow" and .environment == "production" and .mode == "enforce"' "$W/.body"
check "  with the chart, the rule, the signer and the envelopes" \
  jq -e '.chart.name == "web" and .chart.version == "0.1.0" and (.chart.digest | startswith("sha256:"))
         and (.rule | test("policy.yaml")) and (.signers | length) == 1
         and ([.envelopes[] | select(.status == "good")] | length) == 2 and .reason_code == ""' "$W/.body"
check "a chart signed by an unlisted key: denied" post '{"chart": "api-0.1.0.tgz", "environment": "production"}'
check "  allowed false, a reason and its code" \
  jq -e '.allowed == false and .verdict == "deny" and .blocks == true and (.reasons | length) > 0 and .reason_code != ""' "$W/.body"
check "the same chart in staging: a warning, not a block" post '{"chart": "api-0.1.0.tgz", "environment": "staging"}'
check "  verdict warn" jq -e '.verdict == "warn" and .blocks == false' "$W/.body"
check "the same chart in \"Staging\" (differs from a policy section only by case): denied" post '{"chart": "api-0.1.0.tgz", "environment": "Staging"}'
check "  blocks, and says why" jq -e '.verdict == "deny" and .blocks == true and (.reasons[0] | test("differs only by case"))' "$W/.body"

# Malformed requests: each a 4xx (or 501), and the server keeps answering.
check "path traversal in chart: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{"chart": "../outside/web-0.1.0.tgz"}' "$U/v1/verify"
check_said "  names the reason" "may not contain '..'" out
check "an absolute path: 400" status 400 -X POST -H 'Content-Type: application/json' --data "{\"chart\": \"$W/outside/web-0.1.0.tgz\"}" "$U/v1/verify"
check "a symlink out of the chart root: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{"chart": "escape.tgz"}' "$U/v1/verify"
check_said "  names the reason" "leads out of the chart root" out
check "an oci:// registry not allowed: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{"chart": "oci://127.0.0.1:1/charts/web", "version": "0.1.0"}' "$U/v1/verify"
check "a body that is not JSON: 400" status 400 -X POST -H 'Content-Type: application/json' --data 'garbage' "$U/v1/verify"
check "an unknown field: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{"chart": "web-0.1.0.tgz", "enviroment": "dev"}' "$U/v1/verify"
check "no chart: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{}' "$U/v1/verify"
check "an environment that is not a name: 400" status 400 -X POST -H 'Content-Type: application/json' --data '{"chart": "web-0.1.0.tgz", "environment": "a b"}' "$U/v1/verify"
check "not JSON content: 415" status 415 -X POST --data '{"chart": "web-0.1.0.tgz"}' "$U/v1/verify"
check "GET /v1/verify: 405" status 405 "$U/v1/verify"
check "DELETE /healthz: 405" status 405 -X DELETE "$U/healthz"
check "an unknown path: 404" status 404 "$U/nope"
head -c 100000 /dev/zero | tr '\0' a >big.json
check "an oversized body: 413" status 413 -X POST -H 'Content-Type: application/json' --data-binary @big.json "$U/v1/verify"
check "a chunked upload: 501" status 501 -X POST -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data '{}' "$U/v1/verify"
check "garbage bytes: 400" raw 'GARBAGE\r\n\r\n'
check_said "  (status line)" "^HTTP/1.1 400 " out
check "a request line of 10000 bytes: 414" raw "GET /$(head -c 10000 /dev/zero | tr '\0' a) HTTP/1.1\r\nHost: x\r\n\r\n"
check_said "  (status line)" "^HTTP/1.1 414 " out
check "HTTP/2.0 on the wire: 505" raw 'GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n'
check_said "  (status line)" "^HTTP/1.1 505 " out
check "no Host in HTTP/1.1: 400" raw 'GET /healthz HTTP/1.1\r\n\r\n'
check_said "  (status line)" "^HTTP/1.1 400 " out
check "after all that, the server still answers" healthy
check "and still decides" post '{"chart": "web-0.1.0.tgz"}'
check "  (allowed)" jq -e '.allowed == true' "$W/.body"

# Keep-alive: several requests over one connection (curl reuses it).
check "two requests over one keep-alive connection" bash -c "curl -sv '$U/healthz' '$U/healthz' 2>&1 | grep -q 'Re-using existing connection'"

# Metrics: every decision counted, by environment, decision and reason.
check "GET /metrics" status 200 "$U/metrics"
check_said "  HELP and TYPE lines" "^# TYPE chartprov_verifications_total counter$" out
check_said "  two allows in production" '^chartprov_verifications_total\{env="production",decision="allow",reason=""\} 2$' out
check_said "  one deny in production" '^chartprov_verifications_total\{env="production",decision="deny",reason="[a-z-]+"\} 1$' out
check_said "  one warning in staging" '^chartprov_verifications_total\{env="staging",decision="warn",reason="[a-z-]+"\} 1$' out
check_said "  the histogram counts the three production decisions" '^chartprov_verify_duration_seconds_count\{env="production"\} 3$' out
if [ -x /usr/bin/promtool ]; then
  cp "$OUT" metrics.txt
  check "promtool accepts the exposition" bash -c "/usr/bin/promtool check metrics <metrics.txt"
  # The example alert rules in docs/OPERATIONS.md are valid rules over these metrics.
  sed -n '/^# chartprov-alerts.yml/,/^```$/p' "$REPO_ROOT/docs/OPERATIONS.md" | sed '$d' >alerts.yml
  check "the documented alert rules pass promtool check rules" /usr/bin/promtool check rules alerts.yml
  check_said "  (all seven)" "SUCCESS: 7 rules found" any
else
  skip "promtool check metrics (Debian package prometheus not installed)"
fi


# Events: every decision went to the audit log, and it chains.
check "the audit log holds the five decisions and is intact" "$C" audit verify audit.jsonl
check_said "  five records" ", 5 records" out

# Concurrent decisions: 200 over 4 keep-alive connections (bench/serve_load), every one an
# allow, every one counted.
allows() { curl -s "$U/metrics" | sed -n 's/^chartprov_verifications_total{env="production",decision="allow",reason=""} //p'; }
before=$(allows)
if c++ -O1 -std=c++20 -pthread -o serve_load "$REPO_ROOT/bench/serve_load.cpp" 2>/dev/null; then
  check "200 decisions over 4 connections, all 200" ./serve_load --port "$PORT" --connections 4 --requests 200 \
    --body '{"chart": "web-0.1.0.tgz"}'
  check "  all counted as allows" test "$(allows)" -eq "$((before + 200))"
else
  skip "concurrent load (no C++ compiler for bench/serve_load.cpp)"
fi

# oci://: only the allowed registry; the decision is the same as for files.
check "oci:// on the allowed registry: allowed" post "{\"chart\": \"oci://127.0.0.1:$RPORT/charts/web\", \"version\": \"0.1.0\"}"
check "  by the .prov layer, signed by the listed key" \
  jq -e '.allowed == true and .chart.name == "web" and ([.envelopes[] | select(.status == "good" and .format == "prov")] | length) == 1' "$W/.body"
check "oci:// without any signature: denied" post "{\"chart\": \"oci://127.0.0.1:$RPORT/charts/api:0.1.0\"}"
check "  (allowed false, with reasons)" jq -e '.allowed == false and (.reasons | length) > 0' "$W/.body"
check "an oci:// reference that does not parse: 400" status 400 -X POST -H 'Content-Type: application/json' --data "{\"chart\": \"oci://127.0.0.1:$RPORT\"}" "$U/v1/verify"

# SIGHUP: a broken policy keeps the old one in force and makes /healthz say so.
cp policy.yaml policy.good
echo "environments: [" >policy.yaml
kill -HUP "$SERVER"
for _ in $(seq 1 50); do healthy || break; sleep 0.1; done
check "after a failed reload, /healthz is 503" status 503 "$U/healthz"
check_said "  with the reason" "reload failed" out
check "  and the previous policy still decides" post '{"chart": "web-0.1.0.tgz"}'
cp policy.good policy.yaml
kill -HUP "$SERVER"
for _ in $(seq 1 50); do healthy && break; sleep 0.1; done
check "a good reload makes it healthy again" status 200 "$U/healthz"

# The trust material is looked at again (at most every 5 s): a removed root.json is unhealthy.
mv td/root.json td/root.json.away
for _ in $(seq 1 100); do healthy || break; sleep 0.1; done
check "without its root.json, /healthz is 503" status 503 "$U/healthz"
check_said "  naming the trust material" "trust material" out
check "  and a decision is a deny, not an error page" post '{"chart": "web-0.1.0.tgz"}'
check "  (allowed false)" jq -e '.allowed == false' "$W/.body"
mv td/root.json.away td/root.json
for _ in $(seq 1 100); do healthy && break; sleep 0.1; done
check "with root.json back, healthy again" status 200 "$U/healthz"

# SIGTERM: a graceful stop, exit 0.
kill -TERM "$SERVER"
rc=0
wait "$SERVER" || rc=$?
check "SIGTERM stops the server with exit 0" test "$rc" -eq 0
check "  and it says so" grep -q "stopped" serve.err
check "nothing listens any more" bash -c "! curl -s --max-time 2 '$U/healthz'"
finish
