# lib_admission.sh - what the `chartprov admission` tests share (source it after lib.sh, in $W).
#
#   admission_certs              ca.crt/ca.key, and NAME.crt/NAME.key for `mkcert NAME CA ARGS...`
#   mkcert NAME CA ARGS...       a server (and client) certificate for 127.0.0.1 signed by CA
#   start_admission LOG ARGS...  starts `chartprov admission` on tls.crt/tls.key with --key ci.pub
#                                --policy policy.yaml --helm $H and ARGS; sets SERVER (PID), PORT and U
#   review FILE                  POSTs FILE to $U/validate?timeout=10s as the API server does
#   verdict FILE WANT            the answer is allowed=WANT with the request's uid echoed
#   wrap_review SECRET.json UID  an AdmissionReview CREATE of a record object (stdout)
ossl() { openssl "$@" 2>/dev/null; }

mkcert() {
  local name=$1 ca=$2
  shift 2
  ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name"
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >ext.cnf
  ossl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -out "$name.crt" -extfile ext.cnf "$@"
  chmod 600 "$name.key"
}

admission_certs() {
  ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 3 -subj /CN=test-ca
}

start_admission() {
  local log=$1 _
  shift
  "$CHARTPROV" admission --listen 127.0.0.1:0 --tls-cert tls.crt --tls-key tls.key --key ci.pub --policy policy.yaml \
    --helm "$H" "$@" >"$log.out" 2>"$log.err" &
  SERVER=$!
  _pids+=("$SERVER")
  for _ in $(seq 1 100); do grep -q 'listening on' "$log.out" 2>/dev/null && break; sleep 0.1; done
  PORT=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$log.out")
  U=https://127.0.0.1:${PORT:-1}
}

review() {
  local code
  code=$(curl -s --cacert ca.crt -o "$W/.body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$1" "$U/validate?timeout=10s")
  cat "$W/.body"
  [ "$code" = 200 ] || { echo "HTTP $code" >&2; return 1; }
}

verdict() {
  review "$1" >"$W/.answer" || return 1
  python3 - "$1" "$2" "$W/.answer" <<'PY'
import json, sys
sent = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[3]))
r = got["response"]
assert got["apiVersion"] == "admission.k8s.io/v1" and got["kind"] == "AdmissionReview", got
assert r["uid"] == sent["request"]["uid"], ("uid", r["uid"])
assert str(r["allowed"]).lower() == sys.argv[2], ("allowed", r["allowed"], r.get("status"))
if not r["allowed"]:
    assert r["status"]["code"] == 403 and r["status"]["message"].startswith("chartprov: "), r
print(r.get("status", {}).get("message", "allowed"))
PY
}

wrap_review() {
  python3 - "$1" "$2" <<'PY'
import json, sys
obj = json.load(open(sys.argv[1]))
md = obj["metadata"]
json.dump({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
    "uid": sys.argv[2], "kind": {"group": "", "version": "v1", "kind": obj["kind"]},
    "resource": {"group": "", "version": "v1", "resource": obj["kind"].lower() + "s"},
    "name": md["name"], "namespace": md["namespace"], "operation": "CREATE",
    "userInfo": {"username": "system:serviceaccount:ci:deployer"},
    "object": obj, "oldObject": None, "dryRun": False}}, sys.stdout)
PY
}
