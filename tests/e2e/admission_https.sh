#!/usr/bin/env bash
# chartprov admission over HTTPS, with curl as the API server's stand-in: every AdmissionReview of
# tests/data/helm-release (real records of helm v4 and v3) sent as kube-apiserver sends them
# (POST /validate?timeout=10s, JSON, the CA bundle) gets its expected.tsv verdict with the uid
# echoed; an UPDATE that swaps the chart, a namespace bound to no environment, a warn-mode
# namespace and a chart that exists only unsigned; /healthz, /readyz, /metrics; every judged
# review (not a dry run) in the audit log with the Kubernetes user; bad requests get a 4xx and the
# server keeps serving; TLS: no plain HTTP, no TLS 1.1, an untrusted or expired certificate is
# refused by the client, a rotated certificate is served without a restart, a broken rotation
# keeps the old one, client certificates when asked for; SIGHUP picks up new charts; SIGTERM stops.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_admission.sh"
C=$CHARTPROV
D=$TEST_DATA/helm-release
cd "$W"

# --- keys, charts, certificates -------------------------------------------------------------
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
mkdir src
for c in plain parent withschema; do
  cp "$D/charts/$c-0.1.0.tgz" src/
  COSIGN_PASSWORD=pw "$C" sign "src/$c-0.1.0.tgz" --key ci.key --format cosign-blob >/dev/null
done
mkdir src2  # withschema without its signature: exists only unsigned
cp "$D/charts/plain-0.1.0.tgz" "$D/charts/withschema-0.1.0.tgz" src2/
COSIGN_PASSWORD=pw "$C" sign src2/plain-0.1.0.tgz --key ci.key --format cosign-blob >/dev/null

admission_certs
ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key -out other-ca.crt -days 3 -subj /CN=other-ca
mkcert first ca -days 2
mkcert second ca -days 2
mkcert client ca -days 2
mkcert stranger other-ca -days 2
# Expired a day ago (its notAfter is a day before its notBefore).
ossl x509 -req -in second.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out expired.crt -extfile ext.cnf -days -1
cp second.key expired.key
check "openssl made the certificates" test -s first.crt -a -s second.crt -a -s expired.crt -a -s stranger.crt

cat > policy.yaml <<'EOF'
version: 1
namespaces:
  - namespace: demo
    environment: production
  - namespace: "stage-*"
    environment: staging
environments:
  production:
    mode: enforce
    rules:
      - charts: ["*"]
        signers: ["*"]
  staging:
    mode: warn
    rules:
      - charts: ["*"]
        signers: ["*"]
EOF

# --- refused starts ---------------------------------------------------------------------------
check_exit 2 "no --tls-cert: a usage error" "$C" admission --listen 127.0.0.1:0 --tls-key first.key --key ci.pub \
  --chart-source src
check_exit 2 "an expired certificate stops the start" "$C" admission --listen 127.0.0.1:0 --tls-cert expired.crt \
  --tls-key expired.key --key ci.pub --policy policy.yaml --chart-source src
check_said "  and says when it expired" "certificate expired at" err
cp first.key loose.key
chmod 644 loose.key
check_exit 2 "a key file others can read stops the start" "$C" admission --listen 127.0.0.1:0 --tls-cert first.crt \
  --tls-key loose.key --key ci.pub --policy policy.yaml --chart-source src
check_said "  and says why" "accessible by others" err
check_exit 2 "a key that is not the certificate's stops the start" "$C" admission --listen 127.0.0.1:0 \
  --tls-cert first.crt --tls-key second.key --key ci.pub --policy policy.yaml --chart-source src
check_said "  and says why" "does not belong to the certificate" err
check_exit 2 "a chart source that is not a directory stops the start" "$C" admission --listen 127.0.0.1:0 \
  --tls-cert first.crt --tls-key first.key --key ci.pub --policy policy.yaml --chart-source missing

check_exit 2 "no helm to render with stops the start" "$C" admission --listen 127.0.0.1:0 --tls-cert first.crt \
  --tls-key first.key --key ci.pub --policy policy.yaml --chart-source src --helm "$W/no-helm"

# --- the server -------------------------------------------------------------------------------
cp first.crt tls.crt
cp first.key tls.key
start_admission adm --chart-source src --audit-log audit.jsonl
check "admission prints the address it listens on" test -n "$PORT"
check "  and the certificate it serves" grep -q "certificate CN=first" adm.out

while IFS=$'\t' read -r file want why; do
  [ "$file" = review ] && continue
  check "$file: allowed=$want (${why:0:60})" verdict "$D/reviews/$file" "$want"
done <"$D/expected.tsv"

check "the tampered subchart (row 13) is denied by the manifest check" \
  verdict "$D/reviews/13-create-install-tampered-subchart-helm4.json" false
check_said "  naming the subchart's template" "charts/sub/templates/deployment.yaml" out

# An UPDATE that swaps the chart: the old object trusted, the new one tampered.
python3 - "$D/reviews/26-update-install-pending-to-deployed-helm4.json" "$D/reviews/10-create-install-tampered-template-helm4.json" >swap.json <<'PY'
import json, sys
upd, bad = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
obj = bad["request"]["object"]
obj["metadata"]["name"] = upd["request"]["object"]["metadata"]["name"]
obj["metadata"]["labels"] = upd["request"]["object"]["metadata"]["labels"]
upd["request"]["object"] = obj
upd["request"]["uid"] = "11111111-2222-3333-4444-555555555555"
json.dump(upd, sys.stdout)
PY
check "an UPDATE that swaps the chart for a tampered one is denied" verdict swap.json false

retarget() {  # retarget FILE NAMESPACE: the review moved to another namespace
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ns = sys.argv[2]
r["request"]["namespace"] = ns
for k in ("object", "oldObject"):
    if r["request"].get(k):
        r["request"][k]["metadata"]["namespace"] = ns
json.dump(r, sys.stdout)
PY
}
retarget "$D/reviews/01-create-install-plain-helm4.json" nowhere >unbound.json
check "a namespace no binding names is denied" verdict unbound.json false
check_said "  saying so" "bound to no environment" out
retarget "$D/reviews/10-create-install-tampered-template-helm4.json" stage-1 >warned.json
check "a tampered release in a warn namespace is allowed" verdict warned.json true
check "  with a warning" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))["response"]
assert any("mode warn" in w and "differs" in w for w in r["warnings"]), r' "$W/.answer"

# --- the record of every decision ----------------------------------------------------------------
# (check runs commands with stdin from /dev/null: the script goes in a file.)
cat >audit_check.py <<'PY'
import json, sys
events = [json.loads(l)["event"] for l in open(sys.argv[1])]
decisions = [e for e in events if e.get("kind") == "decision"]
charts = [e["chart"] for e in decisions]
assert not any("dryrun" in c for c in charts), charts
assert not any(c.endswith("/my-app-secret") or "non-helm" in c for c in charts), charts
denied = [e for e in decisions if e["decision"] == "deny"]
assert any(e["name"] == "plain" and e["environment"] == "production" and e["digest"] == "" for e in denied), denied
allowed = [e for e in decisions if e["decision"] == "allow"]
assert allowed and all(e["digest"].startswith("sha256:") for e in allowed), allowed
assert all(e["actor"].get("kubernetes_user") for e in decisions), decisions[0]
assert any(e["decision"] == "warn" and e["environment"] == "staging" for e in decisions)
print(len(decisions), "decisions")
PY
check "the audit log records judged reviews, not dry runs or other objects" python3 audit_check.py audit.jsonl
check_said "  (it read them)" "^[0-9]+ decisions" out
check "/metrics counts a manifest denial apart" bash -c "curl -s --cacert ca.crt $U/metrics | grep -F 'chartprov_verifications_total{env=\"production\",decision=\"deny\",reason=\"manifest\"}'"
check "/metrics counts the decisions" bash -c "curl -s --cacert ca.crt $U/metrics | grep -F 'chartprov_verifications_total{env=\"production\",decision=\"deny\",reason=\"release\"}'"

# --- probes and bad requests --------------------------------------------------------------------
status() {  # status EXPECTED CURL-ARGS...: the HTTP status of a request is EXPECTED
  local want=$1 code
  shift
  code=$(curl -s --cacert ca.crt -o "$W/.body" -w '%{http_code}' "$@")
  cat "$W/.body"
  [ "$code" = "$want" ] || { echo "HTTP $code, want $want" >&2; return 1; }
}
check "GET /healthz: 200" status 200 "$U/healthz"
check "GET /readyz: 200" status 200 "$U/readyz"
check "GET /validate: 405" status 405 "$U/validate"
check "POST /validate without JSON content type: 415" status 415 --data-binary @"$D/reviews/01-create-install-plain-helm4.json" "$U/validate"
check "POST /validate of garbage: 400" status 400 -H 'Content-Type: application/json' --data-binary 'not json' "$U/validate"
check "POST /validate without a uid: 400" status 400 -H 'Content-Type: application/json' \
  --data-binary '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}' "$U/validate"
head -c 9000000 /dev/zero | tr '\0' ' ' >big.json
check "a body over 8 MiB: 413" status 413 -H 'Content-Type: application/json' --data-binary @big.json "$U/validate"
check "an unknown path: 404" status 404 "$U/nothing"
check "  and the server still answers" verdict "$D/reviews/01-create-install-plain-helm4.json" true

# --- TLS ----------------------------------------------------------------------------------------
check_fails "plain HTTP on the TLS port gets no answer" curl -s -f --max-time 5 "http://127.0.0.1:$PORT/healthz"
check_fails "a client that does not trust the CA refuses the server" curl -s -f --max-time 5 "$U/healthz"
check_fails "TLS 1.1 is refused" curl -s -f --max-time 5 --cacert ca.crt --tlsv1.1 --tls-max 1.1 "$U/healthz"
check "TLS 1.2 is served" curl -s -f --max-time 5 --cacert ca.crt --tlsv1.2 --tls-max 1.2 "$U/healthz"
check "TLS 1.3 is served" curl -s -f --max-time 5 --cacert ca.crt --tlsv1.3 "$U/healthz"
served_cn() { echo | openssl s_client -connect "127.0.0.1:$PORT" -CAfile ca.crt 2>/dev/null | openssl x509 -noout -subject; }
wait_cn() {  # wait_cn CN: up to ~5 s for the server to serve CN
  for _ in $(seq 1 50); do served_cn | grep -q "CN *= *$1" && return 0; sleep 0.1; done
  served_cn
  return 1
}
check "the first certificate is served" wait_cn first
# A broken rotation (the key of another certificate) keeps the old certificate.
cp second.crt tls.crt.new && mv tls.crt.new tls.crt
check "a rotation whose key does not match keeps the old certificate" bash -c "sleep 1.5; $(declare -f served_cn); PORT=$PORT; served_cn | grep -q 'CN *= *first'"
check "  and the log says so" grep -q "cannot be loaded; the previous certificate stays" adm.err
check "  and the server is still ready" status 200 "$U/readyz"
# The key arrives: the new certificate is served, without a restart.
cp second.key tls.key.new && chmod 600 tls.key.new && mv tls.key.new tls.key
check "the rotated certificate is served without a restart" wait_cn second
check "  and the log says so" grep -q "TLS certificate reloaded: CN=second" adm.err
check "  and decisions go on" verdict "$D/reviews/01-create-install-plain-helm4.json" true
# An expired certificate as the rotation: refused, the valid one stays.
cp expired.crt tls.crt.new && mv tls.crt.new tls.crt
check "a rotation to an expired certificate keeps the valid one" bash -c "sleep 1.5; $(declare -f served_cn); PORT=$PORT; served_cn | grep -q 'CN *= *second'"
check "  and the log says it expired" grep -q "certificate expired at" adm.err
cp second.crt tls.crt.new && mv tls.crt.new tls.crt

# --- SIGHUP and SIGTERM -------------------------------------------------------------------------
cp "$D/charts/sub-0.1.0.tgz" src/
COSIGN_PASSWORD=pw "$C" sign src/sub-0.1.0.tgz --key ci.key --format cosign-blob >/dev/null
kill -HUP "$SERVER"
check "SIGHUP rebuilds the stores with the new chart" bash -c 'for _ in $(seq 1 50); do grep -q "4 verified chart" adm.err && exit 0; sleep 0.1; done; exit 1'
kill -TERM "$SERVER"
check "SIGTERM stops it" bash -c "for _ in \$(seq 1 100); do kill -0 $SERVER 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
check "  and it says so" grep -q "chartprov admission: stopped" adm.err

# --- a chart that exists only unsigned; client certificates ------------------------------------
cp first.crt tls.crt && cp first.key tls.key
start_admission adm2 --chart-source src2 --client-ca ca.crt
check "the unsigned chart is refused by the store" grep -q "withschema-0.1.0.tgz" adm2.err
check_fails "with --client-ca, a client without a certificate is refused" \
  curl -s -f --max-time 5 --cacert ca.crt "$U/healthz"
check_fails "  and one with a certificate of another CA" \
  curl -s -f --max-time 5 --cacert ca.crt --cert stranger.crt --key stranger.key "$U/healthz"
check "  and one with a certificate of the CA is served" \
  curl -s -f --max-time 5 --cacert ca.crt --cert client.crt --key client.key "$U/healthz"
verdict_cert() {
  curl -s --cacert ca.crt --cert client.crt --key client.key -H 'Content-Type: application/json' \
    --data-binary "@$1" "$U/validate?timeout=10s" >"$W/.answer"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["response"]; assert str(r["allowed"]).lower()==sys.argv[2], r; print(r.get("status",{}).get("message",""))' "$W/.answer" "$2"
}
check "a release of a chart that exists only unsigned is denied" \
  verdict_cert "$D/reviews/05-create-install-withschema-helm4.json" false
check_said "  as not verified" "withschema" out
check "a release of the signed chart is allowed" verdict_cert "$D/reviews/01-create-install-plain-helm4.json" true

# --- a chart repository as the source: mirrored at start, and again on a miss ---------------------
kill -TERM "$SERVER"
mkdir repo
cp src/plain-0.1.0.tgz* repo/
"$H" repo index repo
HPORT=$(free_port)
start_http repo "$HPORT"
cp first.crt tls.crt && cp first.key tls.key
start_admission adm3 --chart-source "http://127.0.0.1:$HPORT/" --miss-refresh-interval 1
check "a repository source is mirrored into the store" grep -q "production: 1 verified chart" adm3.err
check "a release of its chart is allowed" verdict "$D/reviews/01-create-install-plain-helm4.json" true
check "a chart the repository does not have is denied" verdict "$D/reviews/05-create-install-withschema-helm4.json" false
cp src/withschema-0.1.0.tgz* repo/
cp "$D/charts/sub-0.1.0.tgz" repo/  # published unsigned: the mirror quarantines it
"$H" repo index repo
sleep 1.1
check "once published and signed, a miss fetches that chart and allows it" \
  verdict "$D/reviews/05-create-install-withschema-helm4.json" true
check "  that one chart, fetched for the review" grep -q "fetched and verified withschema 0.1.0" adm3.err
check "a tampered release of a repository chart is still denied" \
  verdict "$D/reviews/10-create-install-tampered-template-helm4.json" false

# --- an OCI registry path as the source: each chart pulled and verified on its first review -----
kill -TERM "$SERVER"
RPORT=$(free_port)
if start_registry "$W/registry" "$RPORT"; then
  R=127.0.0.1:$RPORT
  check "helm push the plain chart" "$H" push src/plain-0.1.0.tgz "oci://$R/charts" --plain-http
  check "  and sign it there with the cosign key" env COSIGN_PASSWORD=pw "$C" sign "oci://$R/charts/plain:0.1.0" \
    --key ci.key --plain-http
  check "helm push withschema, not signed" "$H" push src/withschema-0.1.0.tgz "oci://$R/charts" --plain-http
  start_admission adm4 --chart-source "oci://$R/charts" --plain-http --miss-refresh-interval 1
  check "a registry source starts with empty stores" grep -q "production: 0 verified chart" adm4.err
  check "the first review of a signed chart pulls it and admits the release" \
    verdict "$D/reviews/01-create-install-plain-helm4.json" true
  check "  the log says so" grep -q "fetched and verified plain 0.1.0" adm4.err
  check "a tampered release of that chart is denied" verdict "$D/reviews/10-create-install-tampered-template-helm4.json" false
  check "a chart pushed without a signature is denied" verdict "$D/reviews/05-create-install-withschema-helm4.json" false
  check "a chart the registry does not have is denied" verdict "$D/reviews/04-create-install-parent-vendored-subchart-helm4.json" false
else
  skip "no docker-registry to serve an OCI registry source"
fi

finish
