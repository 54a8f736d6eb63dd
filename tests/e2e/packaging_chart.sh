#!/usr/bin/env bash
# The admission webhook's Helm chart (issue 15), packaging/helm/chartprov-admission:
#   helm lint --strict (v4 and v3) with real values; helm template, each object read back with
#   PyYAML: 2 replicas, the PDB, the Service 443 -> 8443, the webhook (failurePolicy Fail,
#   sideEffects NoneOnDryRun, v1 reviews, /validate, CREATE+UPDATE of secrets and configmaps, no
#   namespace left out, the CA bundle), the container's arguments exactly the command's contract,
#   the locked-down securityContext, probes over HTTPS, the TLS Secret mode, the NetworkPolicy;
#   the cert-manager variant and the --key variant; the refusals of values that cannot work;
#   the matchConditions expression, run by a CEL evaluator over every release record real helm
#   wrote (tests/data/helm-release) and the AdmissionReview vectors: every record and every
#   record-like object reaches the webhook, ordinary Secrets and ConfigMaps do not, no error;
#   helm package, chartprov sign, verify by chartprov and by helm; a tampered package is refused.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
CHART=$REPO_ROOT/packaging/helm/chartprov-admission
VECTORS=${TEST_DATA:-$REPO_ROOT/tests/data}/helm-release
cd "$W" || exit 1

if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "FAIL python3 has no yaml module (Debian: python3-yaml; make deps)"; exit 1
fi

# Real values: an image by digest, a trust root pinned by digest, one chart source, TLS from a
# Secret with its CA, a policy that binds namespaces to environments.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
  -subj /CN=chartprov-admission-ca -days 2 >/dev/null 2>&1
IMG_DIGEST=sha256:$(printf 'image' | sha256sum | cut -d' ' -f1)
ROOT_DIGEST=sha256:$(printf 'root' | sha256sum | cut -d' ' -f1)
cat >values.yaml <<EOF
image:
  repository: registry.example.com/platform/chartprov
  digest: "$IMG_DIGEST"
trust:
  configMap: chartprov-trust
  rootDigest: "$ROOT_DIGEST"
chartSources:
  - name: mirror
    volume: {persistentVolumeClaim: {claimName: chart-mirror, readOnly: true}}
  - name: released
    volume: {image: {reference: registry.example.com/platform/chart-mirror:2025-06, pullPolicy: IfNotPresent}}
tls:
  secretName: chartprov-admission-tls
  caBundle: "$(base64 -w0 ca.crt)"
environment: staging
extraArgs: [--events-stderr]
policy:
  content: |
    version: 1
    namespaces:
      - namespace: "prod-*"
        environment: production
      - namespace: "*"
        environment: staging
    environments:
      production:
        mode: enforce
      staging:
        mode: warn
EOF
check "the policy in the values is one chartprov accepts" python3 -c '
import sys, yaml; open("policy.yaml", "w").write(yaml.safe_load(open("values.yaml"))["policy"]["content"])'
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output pk >/dev/null
"$H" create probe >/dev/null && "$H" package probe >/dev/null && COSIGN_PASSWORD=pw "$C" sign probe-0.1.0.tgz --key pk.key >/dev/null
check "  (chartprov verify --policy reads it)" "$C" verify probe-0.1.0.tgz --key pk.pub --policy policy.yaml --env staging

check "helm v4 lint --strict with real values" "$H" lint --strict "$CHART" -f values.yaml
check "helm v3 lint --strict with real values" "$H3" lint --strict "$CHART" -f values.yaml
check "helm template with real values (Kubernetes 1.31)" "$H" template admission "$CHART" -f values.yaml \
  --namespace chartprov --kube-version 1.31.0
cp "$OUT" rendered.yaml

# Every assertion on the rendered objects, in one file (check runs commands with stdin from
# /dev/null: a heredoc would not reach python3).
cat >assert_rendered.py <<'PY'
import base64, json, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
variant = sys.argv[2]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
def one(kind):
    (o,) = by_kind[kind]
    return o
ns = "chartprov"
full = "admission-chartprov-admission"
labels = {"app.kubernetes.io/name": "chartprov-admission", "app.kubernetes.io/instance": "admission"}

dep = one("Deployment")
spec = dep["spec"]; pod = spec["template"]["spec"]
assert dep["metadata"]["namespace"] == ns
assert spec["replicas"] == 2, spec["replicas"]
assert spec["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}
assert spec["selector"]["matchLabels"] == labels
assert pod["automountServiceAccountToken"] is False
assert pod["securityContext"] == {"runAsNonRoot": True, "runAsUser": 65532, "runAsGroup": 65532,
                                  "fsGroup": 65532, "seccompProfile": {"type": "RuntimeDefault"}}, pod["securityContext"]
assert pod["terminationGracePeriodSeconds"] == 30
tsc = pod["topologySpreadConstraints"]
assert {(t["topologyKey"], t["whenUnsatisfiable"]) for t in tsc} == {
    ("kubernetes.io/hostname", "DoNotSchedule"), ("topology.kubernetes.io/zone", "ScheduleAnyway")}, tsc
assert all(t["labelSelector"]["matchLabels"] == labels for t in tsc)
locked = {"runAsNonRoot": True, "runAsUser": 65532, "runAsGroup": 65532, "privileged": False,
          "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
          "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}
(c,) = pod["containers"]
assert c["securityContext"] == locked, c["securityContext"]
assert c["image"] == "registry.example.com/platform/chartprov@" + sys.argv[3], c["image"]
assert c.get("command") is None   # the image's entrypoint, chartprov
want = ["admission", "--listen", "0.0.0.0:8443",
        "--tls-cert", "/etc/chartprov/tls/tls.crt", "--tls-key", "/etc/chartprov/tls/tls.key"]
if variant == "key":
    want += ["--key", "/etc/chartprov/trust/ci.pub"]
else:
    want += ["--trust-dir", "/etc/chartprov/trust", "--policy", "/etc/chartprov/policy/policy.yaml",
             "--env", "staging"]
want += ["--kube-version", "v1.31.0", "--chart-source", "/var/lib/chartprov/charts/mirror"]
if variant == "plain":
    want += ["--chart-source", "/var/lib/chartprov/charts/released", "--events-stderr"]
assert c["args"] == want, c["args"]
assert c["ports"] == [{"name": "https", "containerPort": 8443, "protocol": "TCP"}]
for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
    assert c[probe]["httpGet"] == {"path": path, "port": "https", "scheme": "HTTPS"}, c[probe]
assert c["lifecycle"] == {"preStop": {"sleep": {"seconds": 5}}}
assert c["resources"]["requests"] and c["resources"]["limits"]["memory"]
env = {e["name"]: e["value"] for e in c["env"]}
assert env["CHARTPROV_TRUST_STATE"] == "/var/lib/chartprov/state/trust/trust-state.json"
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
for path in ("/etc/chartprov/tls", "/etc/chartprov/trust", "/var/lib/chartprov/charts/mirror"):
    assert mounts[path].get("readOnly") is True, path
assert "subPath" not in json.dumps(c["volumeMounts"]), "subPath freezes rotated certificates"
tls = vols[mounts["/etc/chartprov/tls"]["name"]]["secret"]
assert tls["defaultMode"] == 0o400, tls
assert tls["secretName"] == (full + "-tls" if variant == "certmanager" else "chartprov-admission-tls"), tls
assert vols["charts-mirror"]["persistentVolumeClaim"] == {"claimName": "chart-mirror", "readOnly": True}
assert mounts["/tmp"]["name"] == "tmp" and "emptyDir" in vols["tmp"]
if variant == "key":
    assert "initContainers" not in pod
    assert vols["trust"]["secret"]["secretName"] == "chartprov-keys"
    assert "policy" not in vols
else:
    (ic,) = pod["initContainers"]
    assert ic["args"] == ["trust", "init", "--pin", "--trust-dir", "/etc/chartprov/trust", "--digest", sys.argv[4]], ic["args"]
    assert ic["securityContext"] == locked
    assert {e["name"]: e["value"] for e in ic["env"]} == {"CHARTPROV_TRUST_STATE": env["CHARTPROV_TRUST_STATE"]}
    assert {m["name"] for m in ic["volumeMounts"]} == {"trust", "state", "tmp"}
    assert vols["trust"]["configMap"]["name"] == "chartprov-trust"

if variant == "plain":
    cm = one("ConfigMap")
    pol = yaml.safe_load(cm["data"]["policy.yaml"])
    assert pol["namespaces"][0] == {"namespace": "prod-*", "environment": "production"}, pol
    assert vols["policy"]["configMap"]["name"] == cm["metadata"]["name"]
    assert vols["charts-released"]["image"]["reference"].endswith("chart-mirror:2025-06")

sa = one("ServiceAccount")
assert sa["automountServiceAccountToken"] is False
assert pod["serviceAccountName"] == sa["metadata"]["name"]
assert "Role" not in by_kind and "ClusterRole" not in by_kind and "RoleBinding" not in by_kind

svc = one("Service")
assert svc["metadata"]["name"] == full and svc["metadata"]["namespace"] == ns
assert svc["spec"]["selector"] == labels
assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "targetPort": "https", "protocol": "TCP"}]

pdb = one("PodDisruptionBudget")
assert pdb["apiVersion"] == "policy/v1"
assert pdb["spec"] == {"minAvailable": 1, "selector": {"matchLabels": labels}}, pdb["spec"]

np = one("NetworkPolicy")
assert np["spec"]["podSelector"] == {"matchLabels": labels}
assert sorted(np["spec"]["policyTypes"]) == ["Egress", "Ingress"]
assert np["spec"]["ingress"] == [{"ports": [{"protocol": "TCP", "port": 8443}]}], np["spec"]["ingress"]
assert np["spec"]["egress"] == [], np["spec"]["egress"]

vwc = one("ValidatingWebhookConfiguration")
(wh,) = vwc["webhooks"]
assert wh["failurePolicy"] == "Fail"
assert wh["sideEffects"] == "NoneOnDryRun"
assert wh["admissionReviewVersions"] == ["v1"]
assert wh["timeoutSeconds"] == 10
assert wh["matchPolicy"] == "Equivalent"
assert wh["clientConfig"]["service"] == {"name": full, "namespace": ns, "path": "/validate", "port": 443}
assert wh["rules"] == [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                        "resources": ["secrets", "configmaps"], "scope": "Namespaced"}], wh["rules"]
assert wh["namespaceSelector"] == {}, wh["namespaceSelector"]
assert "objectSelector" not in wh
(mc,) = wh["matchConditions"]
assert mc["name"] == "helm-release-record"
json.dump(mc["expression"], open("expression.json", "w"))
annotations = vwc["metadata"].get("annotations") or {}
if variant == "certmanager":
    assert "caBundle" not in wh["clientConfig"]
    assert annotations == {"cert-manager.io/inject-ca-from": ns + "/" + full}, annotations
    certs = {c["metadata"]["name"]: c for c in by_kind["Certificate"]}
    serving = certs[full]
    assert serving["spec"]["secretName"] == full + "-tls"
    assert serving["spec"]["dnsNames"] == [full + "." + ns + ".svc", full + "." + ns + ".svc.cluster.local"]
    assert serving["spec"]["issuerRef"] == {"kind": "Issuer", "name": full + "-ca", "group": "cert-manager.io"}
    assert certs[full + "-ca"]["spec"]["isCA"] is True
    issuers = {i["metadata"]["name"]: i["spec"] for i in by_kind["Issuer"]}
    assert issuers == {full + "-selfsigned": {"selfSigned": {}}, full + "-ca": {"ca": {"secretName": full + "-ca"}}}, issuers
else:
    assert annotations == {}
    assert base64.b64decode(wh["clientConfig"]["caBundle"]) == open("ca.crt", "rb").read()
    assert "Certificate" not in by_kind and "Issuer" not in by_kind
print("ok", variant, sorted(by_kind))
PY
check "  2 replicas, PDB, Service 443->8443, the webhook (Fail, rules, CA), the contract's args, securityContext, NetworkPolicy" \
  python3 assert_rendered.py rendered.yaml plain "$IMG_DIGEST" "$ROOT_DIGEST"
check_said "  (every kind read)" "ok plain \['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ValidatingWebhookConfiguration'\]" out

check "helm template with cert-manager (a CA it makes, the caBundle injected)" "$H" template admission "$CHART" -f values.yaml \
  --namespace chartprov --kube-version 1.31.0 --set tls.certManager.enabled=true --set tls.secretName= --set tls.caBundle= \
  --set-json 'chartSources=[{"name":"mirror","volume":{"persistentVolumeClaim":{"claimName":"chart-mirror","readOnly":true}}}]' \
  --set extraArgs=null
cp "$OUT" rendered-cm.yaml
check "  serving Certificate for SERVICE.NAMESPACE.svc, self-signed root -> CA Issuer, inject-ca-from, no caBundle" \
  python3 assert_rendered.py rendered-cm.yaml certmanager "$IMG_DIGEST" "$ROOT_DIGEST"

check "helm template with cosign keys (--key) from a Secret" "$H" template admission "$CHART" -f values.yaml \
  --namespace chartprov --kube-version 1.31.0 --set trust.mode=key --set trust.configMap= --set trust.secret=chartprov-keys \
  --set 'trust.keyFiles={ci.pub}' --set policy.content= --set environment= --set extraArgs=null \
  --set-json 'chartSources=[{"name":"mirror","volume":{"persistentVolumeClaim":{"claimName":"chart-mirror","readOnly":true}}}]'
cp "$OUT" rendered-key.yaml
check "  one --key, no init container, no --policy" \
  python3 assert_rendered.py rendered-key.yaml key "$IMG_DIGEST" "$ROOT_DIGEST"

# Values that cannot work are refused when rendering, with the reason.
refused() {  # refused DESC PATTERN HELM-ARGS...: helm template fails and names PATTERN
  local what=$1 pat=$2
  shift 2
  check_exit 1 "refused: $what" "$H" template admission "$CHART" -f values.yaml --namespace chartprov --kube-version 1.31.0 "$@"
  check_said "  says: $pat" "$pat" err
}
refused "no image" "image.repository is required" --set image.repository=
refused "an image digest that is no sha256 digest" "is not sha256: and 64 hex digits" --set image.digest=latest
refused "a trust root without its pinned digest" "trust.rootDigest is required" --set trust.rootDigest=
refused "no trust material" "trust.configMap or trust.secret is required" --set trust.configMap=
refused "--keyring (no chartprov-rnp in the image)" "trust.mode must be trustDir or key" --set trust.mode=keyring
refused "no chart source" "chartSources is required" --set chartSources=null
refused "two --key files (admission takes one key; several go in a trust root)" "takes one --key" \
  --set trust.mode=key --set 'trust.keyFiles={ci.pub,release.pub}'
refused "a chart source name that is not a DNS label" "must be a DNS label" --set-json 'chartSources=[{"name":"Mirror_1","volume":{"emptyDir":{}}}]'
refused "no TLS Secret without cert-manager" "tls.secretName is required" --set tls.secretName=
refused "a caBundle that is no certificate" "must be base64 of a PEM certificate" --set tls.caBundle=bm90IGEgY2VydA==
refused "a PDB that would block every drain" "must be below replicaCount" --set replicaCount=1
refused "a timeout beyond the API server's 30 s" "must be 1..30" --set webhook.timeoutSeconds=31
refused "matchConditions on Kubernetes 1.27" "needs Kubernetes 1.28 or newer" --kube-version 1.27.9
check "matchConditions=false renders for Kubernetes 1.27 (the fallback)" "$H" template admission "$CHART" -f values.yaml \
  --namespace chartprov --kube-version 1.27.9 --set webhook.matchConditions=false
cp "$OUT" rendered-127.yaml
check "  without matchConditions, and without the 1.30 preStop sleep" python3 -c '
import sys, yaml
d = {o["kind"]: o for o in yaml.safe_load_all(open(sys.argv[1])) if o}
assert "matchConditions" not in d["ValidatingWebhookConfiguration"]["webhooks"][0]
assert "lifecycle" not in d["Deployment"]["spec"]["template"]["spec"]["containers"][0]' rendered-127.yaml

# The scoping: the matchConditions expression, run by a CEL evaluator (cel-spec conformant), on
# what real helm writes and on the AdmissionReview vectors. Kubernetes runs it before calling the
# webhook; an evaluation error would deny (failurePolicy Fail), so none may occur.
CEL_MODULES=${PEERS%/bin}/node/node_modules
if command -v node >/dev/null && [ -d "$CEL_MODULES/@bufbuild/cel" ]; then
  cat >cel_scope.js <<'JS'
const fs = require("fs"), path = require("path");
const { run } = require("@bufbuild/cel");
const [exprFile, vectors, out] = process.argv.slice(2);
const expr = JSON.parse(fs.readFileSync(exprFile, "utf8"));
const toCel = (v) => Array.isArray(v) ? v.map(toCel)
  : (v !== null && typeof v === "object") ? new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)])) : v;
const lines = [];
const judge = (name, object, want) => {
  let got;
  try { got = run(expr, { object: toCel(object) }); } catch (e) { got = "error: " + e.message; }
  lines.push(`${got === want ? "ok" : "WRONG"}\t${name}\twant ${want}\tgot ${got}`);
};
// Every Secret and ConfigMap body real helm v4 and v3 POSTed or PUT (install, upgrade, rollback,
// the configmap driver): each is a record and must reach the webhook.
const cap = path.join(vectors, "releases", "captured");
for (const f of fs.readdirSync(cap).filter((f) => /^\d+-.*-(POST|PUT)-.*\.json$/.test(f) && !f.endsWith(".release.json")))
  judge("captured/" + f, JSON.parse(fs.readFileSync(path.join(cap, f), "utf8")), true);
// The AdmissionReview vectors: ordinary objects (16, 17: a chart's ConfigMap labelled managed-by
// Helm) must not reach it; every other CREATE or UPDATE carries a record and must.
const rev = path.join(vectors, "reviews");
for (const f of fs.readdirSync(rev).filter((f) => f.endsWith(".json"))) {
  const r = JSON.parse(fs.readFileSync(path.join(rev, f), "utf8")).request;
  if (r.operation !== "CREATE" && r.operation !== "UPDATE") continue;   // DELETE is not in the rules
  judge("reviews/" + f, r.object, !/^1[67]-/.test(f));
}
// What Helm reads although a label or type selector would miss it (FORMAT.md section 2).
const meta = (name, labels) => (labels ? { name, namespace: "demo", labels } : { name, namespace: "demo" });
judge("an Opaque Secret named like a record, no labels (helm get reads it by name)",
  { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: meta("sh.helm.release.v1.web.v1"), data: {} }, true);
judge("an Opaque Secret with owner=helm under another name (helm history reads it by label)",
  { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: meta("web-history", { owner: "helm", name: "web" }), data: {} }, true);
judge("a Secret of type helm.sh/release.v1 with neither",
  { apiVersion: "v1", kind: "Secret", type: "helm.sh/release.v1", metadata: meta("odd"), data: {} }, true);
judge("a ConfigMap named like a record, no labels",
  { apiVersion: "v1", kind: "ConfigMap", metadata: meta("sh.helm.release.v1.web.v3"), data: {} }, true);
// Ordinary objects: no call, and no evaluation error on missing fields.
judge("a Secret without labels or type", { apiVersion: "v1", kind: "Secret", metadata: meta("plain") }, false);
judge("a ConfigMap with other labels", { apiVersion: "v1", kind: "ConfigMap", metadata: meta("cfg", { owner: "team-a" }), data: {} }, false);
judge("a Secret named sh.helm.release.v2.x (another prefix)", { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: meta("sh.helm.release.v2.x") }, false);
judge("a service-account token Secret", { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/service-account-token", metadata: meta("tok", { app: "x" }) }, false);
judge("a TLS Secret cert-manager writes", { apiVersion: "v1", kind: "Secret", type: "kubernetes.io/tls", metadata: meta("chartprov-admission-tls", { "controller.cert-manager.io/fao": "true" }) }, false);
fs.writeFileSync(out, lines.join("\n") + "\n");
process.exit(lines.every((l) => l.startsWith("ok")) ? 0 : 1);
JS
  python3 -c 'import json,sys,yaml
d = {o["kind"]: o for o in yaml.safe_load_all(open(sys.argv[1])) if o}
json.dump(d["ValidatingWebhookConfiguration"]["webhooks"][0]["matchConditions"][0]["expression"], open("expression.json", "w"))' rendered.yaml
  check "matchConditions: every record reaches the webhook, ordinary objects do not, no evaluation error" \
    env NODE_PATH="$CEL_MODULES" node cel_scope.js expression.json "$VECTORS" cel.tsv
  check "  judged every captured helm write and every review" bash -c \
    "[ \$(grep -c '^ok	captured/' cel.tsv) -ge 20 ] && [ \$(grep -c '^ok	reviews/' cel.tsv) -ge 25 ] && ! grep -v '^ok' cel.tsv"
  [ "$_fail" -eq 0 ] || grep -v '^ok' cel.tsv | head -n 5 | sed 's/^/      /'
  # The same run fails on a scoping that only looks at the label: it is not a vacuous check.
  python3 -c 'import json; json.dump("has(object.metadata.labels) && \x27owner\x27 in object.metadata.labels && object.metadata.labels[\x27owner\x27] == \x27helm\x27", open("label-only.json", "w"))'
  check_exit 1 "  a label-only selection fails the same run (it misses records Helm reads)" \
    env NODE_PATH="$CEL_MODULES" node cel_scope.js label-only.json "$VECTORS" cel-label.tsv
else
  skip "matchConditions run by a CEL evaluator (no node, or no @bufbuild/cel under $CEL_MODULES: make peers)"
fi

# Sign the chart as a release would: helm package, chartprov sign; both verifiers accept it.
"$C" key generate --uid "Chart Release <release@test.invalid>" --output rel --no-passphrase >/dev/null
"$C" key generate --uid "Someone Else <else@test.invalid>" --output other --no-passphrase >/dev/null
mkdir -p dist
check "helm package the chart" "$H" package "$CHART" -d dist
pkg=dist/chartprov-admission-0.1.0.tgz
check "chartprov sign it" "$C" sign "$pkg" --key rel.key
check "  a .prov beside it" test -s "$pkg.prov"
check "chartprov verify --keyring" "$C" verify "$pkg" --keyring rel.pub.gpg
check_said "  names the chart" "chartprov-admission 0.1.0" out
check "helm v4 verify" "$H" verify "$pkg" --keyring rel.pub.gpg
check "helm v3 verify" "$H3" verify "$pkg" --keyring rel.pub.gpg
check_exit 1 "chartprov verify with another key is refused" "$C" verify "$pkg" --keyring other.pub.gpg
check "helm template --verify renders the signed package" "$H" template admission "$pkg" --verify --keyring rel.pub.gpg \
  -f values.yaml --namespace chartprov --kube-version 1.31.0

# Tampered after signing: failurePolicy turned to Ignore (the webhook made skippable).
mkdir tamper && tar -xzf "$pkg" -C tamper
sed -i 's/failurePolicy: Fail/failurePolicy: Ignore/' tamper/chartprov-admission/templates/validatingwebhookconfiguration.yaml
mkdir -p evil && (cd tamper && tar -czf ../evil/chartprov-admission-0.1.0.tgz chartprov-admission)
cp "$pkg.prov" evil/
check "  (the tampered package really says Ignore)" bash -c "tar -xzOf evil/chartprov-admission-0.1.0.tgz chartprov-admission/templates/validatingwebhookconfiguration.yaml | grep -q 'failurePolicy: Ignore'"
check_exit 1 "chartprov verify refuses the tampered package" "$C" verify evil/chartprov-admission-0.1.0.tgz --keyring rel.pub.gpg
check_fails "helm verify refuses it too" "$H" verify evil/chartprov-admission-0.1.0.tgz --keyring rel.pub.gpg

finish
