#!/usr/bin/env bash
# chartprov admission on release records that the real helm v4 makes here (`helm install
# --dry-run=client -o json` needs no cluster), encoded as Helm's storage drivers encode them
# (tests/data/helm-release/tools/encode-release.py) and sent over HTTPS as the API server sends
# them: the signed chart is admitted under the Secret and ConfigMap drivers, with user values and
# under another release name; a template changed after signing, different default values, an
# unsigned subchart added, a rollback to an unsigned revision and a signer that only a warn
# environment accepts, placed in a namespace bound to production, are denied.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_admission.sh"
C=$CHARTPROV
D=$TEST_DATA/helm-release
ENC=$D/tools/encode-release.py
cd "$W"

COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
mkdir src
cp "$D/charts/plain-0.1.0.tgz" src/
COSIGN_PASSWORD=pw "$C" sign src/plain-0.1.0.tgz --key ci.key --format cosign-blob >/dev/null
admission_certs
mkcert server ca -days 2
cp server.crt tls.crt
cp server.key tls.key
cat > policy.yaml <<'EOF'
version: 1
namespaces:
  - namespace: demo
    environment: production
  - namespace: strict
    environment: locked
environments:
  production:
    mode: enforce
    rules:
      - charts: ["*"]
        signers: ["*"]
  locked:  # production-grade, but only a key nobody holds may sign
    mode: enforce
    rules:
      - charts: ["*"]
        signers: ["00000000000000000000000000000000"]
EOF
start_admission adm --chart-source src
check "admission started" test -n "$PORT"

uid=0
record() {  # record NAME CHART NAMESPACE [--driver configmap] [helm args...]: NAME.json, a fresh record as a review
  local name=$1 chart=$2 ns=$3 driver=secret
  shift 3
  if [ "${1:-}" = --driver ]; then driver=$2; shift 2; fi
  uid=$((uid + 1))
  "$H" install "$name" "$chart" --namespace "$ns" --dry-run=client -o json "$@" >"$name.release.json" || return 1
  python3 "$ENC" encode "$name.release.json" --driver "$driver" --namespace "$ns" >"$name.object.json" || return 1
  wrap_review "$name.object.json" "$(printf '00000000-0000-0000-0000-%012d' "$uid")" >"$name.json"
}

record web src/plain-0.1.0.tgz demo
check "helm v4 made a record of the signed chart" test -s web.json
check "  which is admitted" verdict web.json true
record tuned src/plain-0.1.0.tgz demo --set replicaCount=3 --set image.tag=1.27
check "a record with user values (config, not chart content) is admitted" verdict tuned.json true
record viacm src/plain-0.1.0.tgz demo --driver configmap
check "a record under the configmap driver is admitted" verdict viacm.json true

record evil "$D/charts/variants/tampered/plain-0.1.0.tgz" demo
check "a template changed after signing is denied" verdict evil.json false
check_said "  naming the template" "templates/deployment.yaml differs" out
record drift "$D/charts/variants/valuesdrift/plain-0.1.0.tgz" demo
check "different default values are denied" verdict drift.json false
check_said "  naming the value" "default value .* differs" out

# An unsigned subchart vendored into the signed chart's name and version.
mkdir -p added && tar -xzf "$D/charts/plain-0.1.0.tgz" -C added
mkdir -p added/plain/charts && (cd added/plain/charts && "$H" create extra >/dev/null)
"$H" package added/plain -d added >/dev/null
record extra added/plain-0.1.0.tgz demo
check "an unsigned subchart added to the chart is denied" verdict extra.json false
check_said "  because its templates are not the verified chart's" "charts/extra/templates/.* not a template of the verified chart" out

# A rollback to an unsigned revision: Helm copies the old record's chart and manifest into a
# new revision (rollback.go); here revision 1 was the tampered chart.
record back "$D/charts/variants/tampered/plain-0.1.0.tgz" demo
python3 - back.release.json >rollback.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["version"] = 3
r["info"]["description"] = "Rollback to 1"
r["info"]["status"] = "pending-rollback"
json.dump(r, sys.stdout)
PY
python3 "$ENC" encode rollback.json --namespace demo >rollback-obj.json
wrap_review rollback-obj.json 00000000-0000-0000-0000-0000000000aa >rollback-review.json
check "a rollback to an unsigned revision is denied" verdict rollback-review.json false
check_said "  as revision 3 of the release" "release back" out
check "  (the record is revision 3)" grep -q '"sh.helm.release.v1.back.v3"' rollback-obj.json

record locked src/plain-0.1.0.tgz strict
check "a signer only another environment accepts: denied in the namespace bound to locked" verdict locked.json false
check_said "  as not verified there" "is not a verified chart" out
check "the store of locked refused the chart at start, saying why" grep -q "environment locked: 0 verified" adm.err

finish
