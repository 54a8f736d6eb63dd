#!/usr/bin/env bash
# The deploy gate with real helm v4 (and v3 as a plugin): `chartprov helm install|upgrade|template`.
#   allows a signed chart (helm's output is there, stdout stays clean YAML), refuses a tampered,
#   unsigned or foreign-signed chart in production without running helm, warns in staging and
#   runs helm; oci:// from a local registry; a directory, a repository name, a URL, --repo and
#   --dependency-update are refused; helm renders the verified copy even when the original file is
#   replaced after the check; helm's exit code comes back; decisions reach the audit log and an
#   alert, and an alert that cannot be delivered under --fail-if-alert-fails stops helm; every
#   flag of `helm install|upgrade|template --help` (v4 and v3) is split as helm splits it; the helm
#   plugin (v4 format, and the legacy format under helm v3) gates `helm chartprov ...`.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
C=$CHARTPROV
cd "$W"
unset CHARTPROV_ENV CHARTPROV_ALERT_WEBHOOK HELM_BIN

# A helm that records how the gate ran it, can replace the original chart first (SWAP_FROM ->
# SWAP_TO: what a racing attacker would do after the check), then runs the real helm.
mkdir -p bin
cat >bin/recording-helm <<EOF
#!/usr/bin/env bash
printf '%s\n' "\$@" >"$W/helm-argv"
if [ -n "\${SWAP_FROM:-}" ]; then cp "\$SWAP_FROM" "\$SWAP_TO"; fi
if [ -n "\${FAKE_HELM_EXIT:-}" ]; then exit "\$FAKE_HELM_EXIT"; fi
exec "$H" "\$@"
EOF
chmod +x bin/recording-helm
export CHARTPROV_HELM=$W/bin/recording-helm
fresh() { rm -f "$W/helm-argv"; }  # before each check: did helm run this time?
helm_ran() {
  if [ -e "$W/helm-argv" ]; then _pass=$((_pass + 1)); echo "PASS   helm ran"; else _fail=$((_fail + 1)); echo "FAIL   helm did not run"; fi
}
keep() { cp "$OUT" "$W/last.out"; cp "$ERR" "$W/last.err"; }  # the last check's output, for checks on it
no_output() {
  if [ ! -s "$OUT" ]; then _pass=$((_pass + 1)); echo "PASS   no output"; else _fail=$((_fail + 1)); echo "FAIL   output"; _show; fi
}
helm_did_not_run() {
  if [ ! -e "$W/helm-argv" ] && [ ! -s "$OUT" ]; then
    _pass=$((_pass + 1)); echo "PASS   helm did not run (no output)"
  else
    _fail=$((_fail + 1)); echo "FAIL   helm ran"; _show
  fi
}

# Charts: demo (values marker: verified) signed by ci; the same name and version with marker
# "evil" beside the original .prov (tampered); unsigned; signed by another key.
"$C" key generate --uid "Gate CI <ci@test.invalid>" --output ci --no-passphrase >/dev/null
"$C" key generate --uid "Stranger <x@test.invalid>" --output stranger --no-passphrase >/dev/null
"$H" create demo >/dev/null
cat >demo/templates/marker.yaml <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: marker
data:
  marker: {{ .Values.marker | quote }}
  helm: {{ .Capabilities.HelmVersion.Version | quote }}
  namespace: {{ .Release.Namespace | quote }}
EOF
echo 'marker: verified' >>demo/values.yaml
"$C" package demo --sign --key ci.key -d signed >/dev/null
mkdir -p evil/src tampered unsigned foreign
cp -r demo evil/src/demo && sed -i 's/^marker: verified$/marker: evil/' evil/src/demo/values.yaml
"$H" package evil/src/demo -d evil >/dev/null
cp evil/demo-0.1.0.tgz tampered/ && cp signed/demo-0.1.0.tgz.prov tampered/
"$H" package demo -d unsigned >/dev/null
"$C" package demo --sign --key stranger.key -d foreign >/dev/null
SIGNED=$W/signed/demo-0.1.0.tgz
GATE=(--env production --keyring ci.pub.gpg)

# --- allowed: helm runs on the verified copy --------------------------------------------------
fresh
check "template: a signed chart in production" "$C" helm template rel signed/demo-0.1.0.tgz "${GATE[@]}"
check_said "  helm rendered it" "^# Source: demo/templates/marker.yaml" out
check_said "  from the verified chart" "marker: \"verified\"" out
check_said "  the gate said ALLOW on stderr" "^ALLOW demo 0.1.0 for production \(mode enforce\)$" err
check_said "  with the digest of what helm got" "^  digest: sha256:" err
keep
check "  stdout is YAML only (every document parses)" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' last.out
check_exit 1 "  and nothing of chartprov is in it" grep -q chartprov last.out
copy=$(sed -n 3p "$W/helm-argv")
check "  helm got a private copy, not the path given" test "$copy" != "signed/demo-0.1.0.tgz" -a "$(basename "$copy")" = demo-0.1.0.tgz
case $copy in */chartprov-gate-*/demo-0.1.0.tgz) _pass=$((_pass + 1)); echo "PASS   in the gate's private directory" ;;
  *) _fail=$((_fail + 1)); echo "FAIL   copy path $copy" ;; esac
check "  which is gone afterwards" test ! -e "$(dirname "$copy")"
fresh
check "install --dry-run=client: a signed chart in production" "$C" helm install web signed/demo-0.1.0.tgz --dry-run=client "${GATE[@]}"
check_said "  helm's install output" "^STATUS: pending-install" out
check_said "  of the verified chart" "marker: \"verified\"" out
fresh
check "gate flags anywhere, --flag=value forms, CHARTPROV_ENV, -g" env CHARTPROV_ENV=production "$C" helm --keyring=ci.pub.gpg install -g --dry-run=client -n gated "$SIGNED"
check_said "  helm saw its own flags" "^NAMESPACE: gated" out
# Issue 14 finding 8: before the command cobra reads flags by its own rules, not pflag's.
check "real helm: 'helm --atomic template install CHART' runs install (cobra takes template as --atomic's value)" \
  "$H" --atomic template install "$SIGNED" --dry-run=client
check_said "  (an install named template)" "^STATUS: pending-install" out
fresh
check_exit 2 "the gate refuses helm flags before the command" "$C" helm --atomic template install "$SIGNED" --dry-run=client "${GATE[@]}"
helm_did_not_run
check_said "  and says where they go" "helm flag --atomic before the helm command" err
fresh
check_exit 2 "  a global flag too (-n NS before install)" "$C" helm -n gated install web "$SIGNED" --dry-run=client "${GATE[@]}"
helm_did_not_run
check "the trust root works the same way (cosign key listed for production)" bash -c "
  COSIGN_PASSWORD=pw '$C' key generate --format cosign --output cosign >/dev/null &&
  '$C' key generate --uid 'Root <r@test.invalid>' --output root --no-passphrase >/dev/null &&
  '$C' trust init --output td --root-key root.key --threshold 1 >/dev/null &&
  '$C' trust add-key --trust-dir td --key cosign.pub --owner platform-ci --charts 'demo' --envs production >/dev/null &&
  '$C' trust sign --trust-dir td --root-key root.key >/dev/null && '$C' trust update --trust-dir td --from td/staged.json >/dev/null &&
  mkdir -p tr && cp unsigned/demo-0.1.0.tgz tr/ && COSIGN_PASSWORD=pw '$C' sign tr/demo-0.1.0.tgz --key cosign.key --format prov,cosign-blob >/dev/null &&
  '$C' verify tr/demo-0.1.0.tgz --trust-dir td --env production >/dev/null"
fresh
check "  template --trust-dir: allowed" "$C" helm template rel tr/demo-0.1.0.tgz --env production --trust-dir td
check_said "  by the key's owner" "^  signed by: .*platform-ci" err
fresh
mkdir -p trtampered && cp evil/demo-0.1.0.tgz trtampered/ && cp tr/demo-0.1.0.tgz.sig trtampered/
fresh
check_exit 1 "  the evil chart beside that .sig is denied (trust root)" "$C" helm template rel trtampered/demo-0.1.0.tgz --env production --trust-dir td
helm_did_not_run
fresh
check "  --key cosign.pub: allowed" "$C" helm template rel tr/demo-0.1.0.tgz --env production --key cosign.pub
fresh
check_exit 1 "  --key cosign.pub: the evil chart beside that .sig is denied" "$C" helm template rel trtampered/demo-0.1.0.tgz --env production --key cosign.pub
helm_did_not_run
printf 'version: 1\nenvironments:\n  staging:\n    mode: enforce\n    rules:\n      - charts: "*"\n' >staging-enforce.yaml
check_exit 1 "  the same key does not count for staging (enforced by a policy file)" "$C" helm template rel tr/demo-0.1.0.tgz --env staging --trust-dir td \
  --policy staging-enforce.yaml
helm_did_not_run

# --- denied in production: helm does not run --------------------------------------------------
fresh
check_exit 1 "a tampered chart (another chart beside the original .prov)" "$C" helm template rel tampered/demo-0.1.0.tgz "${GATE[@]}"
helm_did_not_run
check_said "  DENY, in the one wording every decision uses" "^chartprov: DENY demo 0.1.0 for production \(mode enforce\)$" err
check_said "  helm was not run" "^chartprov: helm was not run$" err
check_said "  because the .prov signed another chart" "sha256 mismatch for demo-0.1.0.tgz" err
fresh
check_exit 1 "an unsigned chart" "$C" helm install web unsigned/demo-0.1.0.tgz --dry-run=client "${GATE[@]}"
helm_did_not_run
check_said "  with its reason" "^  - " err
fresh
check_exit 1 "a chart signed by a key that is not trusted" "$C" helm template rel foreign/demo-0.1.0.tgz "${GATE[@]}"
helm_did_not_run
fresh
check_exit 1 "upgrade --install of the tampered chart" "$C" helm upgrade --install web tampered/demo-0.1.0.tgz "${GATE[@]}"
helm_did_not_run
fresh
check_exit 1 "the prod alias enforces too" "$C" helm template rel unsigned/demo-0.1.0.tgz --env prod --keyring ci.pub.gpg
helm_did_not_run

# What cannot be verified is refused in enforce mode, with the reason.
fresh
check_exit 1 "a chart directory" "$C" helm template rel demo "${GATE[@]}"
helm_did_not_run
check_said "  says only a packaged chart or oci:// can be verified" "\"demo\" is a chart directory: only a packaged chart \(.tgz\) or an oci:// reference can be verified" err
fresh
check_exit 1 "a repository chart name" "$C" helm install web bitnami/nginx "${GATE[@]}"
helm_did_not_run
check_said "  says so" "\"bitnami/nginx\" is a chart name helm would look up in a repository" err
fresh
check_exit 1 "an https:// chart URL" "$C" helm install web https://charts.example/demo-0.1.0.tgz "${GATE[@]}"
helm_did_not_run
check_said "  says only oci:// URLs" "only oci:// references can be verified" err
fresh
check_exit 1 "--repo with a signed .tgz (helm v4 would look the name up in the repository)" "$C" helm template rel "$SIGNED" --repo http://127.0.0.1:9/ "${GATE[@]}"
helm_did_not_run
check_said "  says why" "--repo makes helm look the chart up" err
fresh
check_exit 1 "--dependency-update (unverified subcharts)" "$C" helm install web "$SIGNED" --dependency-update --dry-run=client "${GATE[@]}"
helm_did_not_run
fresh
check_exit 2 "no --env and no CHARTPROV_ENV" "$C" helm template rel "$SIGNED" --keyring ci.pub.gpg
helm_did_not_run
check_said "  says --env is required" "--env ENV \(or CHARTPROV_ENV\) is required" err
fresh
check_exit 2 "a missing chart file" "$C" helm template rel missing-0.1.0.tgz "${GATE[@]}"
helm_did_not_run
fresh
check_exit 2 "an unknown bare helm flag cannot be split safely" "$C" helm template rel "$SIGNED" --no-such-flag "${GATE[@]}"
helm_did_not_run
check_said "  and says how to write it" "write it as --no-such-flag=VALUE" err
fresh
check_exit 2 "helm commands other than install, upgrade, template and rollback" "$C" helm uninstall web "${GATE[@]}"
helm_did_not_run
check "chartprov helm --help" "$C" helm install --help
check_said "  shows the gate's usage" "Usage: chartprov helm \(install\|upgrade\|template\)" out

# --- helm rollback (issue 14): it redeploys a stored release, which chartprov cannot verify ------
fresh
check_exit 1 "rollback in production: denied, helm not run" "$C" helm rollback web 1 --env production --keyring ci.pub.gpg --audit-log rollback-audit.jsonl
helm_did_not_run
check_said "  says why and what to do instead" "helm rollback redeploys the chart stored in release web's revision 1, which chartprov cannot verify: deploy the signed chart again with chartprov helm upgrade web CHART.tgz" err
check "  and records the deny" python3 -c '
import json
e = json.loads(open("rollback-audit.jsonl").read().splitlines()[-1])["event"]
assert e["decision"] == "deny" and e["chart"] == "helm rollback web 1" and e["environment"] == "production", e'
fresh
check_exit 1 "rollback without a revision, no policy file: denied in any environment" "$C" helm rollback web --env staging --keyring ci.pub.gpg
helm_did_not_run
check_said "  (the previous revision)" "release web's previous revision" err
printf 'version: 1\nenvironments:\n  dev:\n    mode: warn\n    rules:\n      - charts: "*"\n' >dev-warn.yaml
fresh
check_exit 1 "rollback where the policy warns: helm runs (real helm: no cluster here, so it fails)" \
  "$C" helm rollback web 1 --env dev --policy dev-warn.yaml --keyring ci.pub.gpg
helm_ran
check_said "  after a warning" "WARNING: helm rollback web 1 would be denied in dev \(mode warn: not blocking\)" err
check "  helm got rollback web 1" test "$(tr '\n' ' ' <"$W/helm-argv")" = "rollback web 1 "

# --- environment names (issue 14): without a policy every environment enforces ----------------
for env in Production prod-eu staging; do
  fresh
  check_exit 1 "no policy file: --env $env enforces (an unsigned chart)" "$C" helm template rel unsigned/demo-0.1.0.tgz --env "$env" --keyring ci.pub.gpg
  helm_did_not_run
done
fresh
check_exit 2 "--env 'production ' (a trailing space) is a usage error" "$C" helm template rel unsigned/demo-0.1.0.tgz --env 'production ' --keyring ci.pub.gpg
helm_did_not_run
check_said "  naming the spaces" "has surrounding spaces" err

# --- warn and off, granted by name in a policy: helm runs -------------------------------------
printf 'version: 1\nenvironments:\n  staging:\n    mode: warn\n    rules:\n      - charts: "*"\n' >staging-warn.yaml
fresh
check_exit 2 "--env Staging, when the policy names staging (warn), is a usage error" "$C" helm template rel unsigned/demo-0.1.0.tgz \
  --env Staging --policy staging-warn.yaml --keyring ci.pub.gpg
helm_did_not_run
check_said "  naming the section" "differs only by case from \"staging\"" err
fresh
check "staging (warn): an unsigned chart" "$C" helm template rel unsigned/demo-0.1.0.tgz --env staging --policy staging-warn.yaml --keyring ci.pub.gpg
helm_ran
check_said "  helm rendered it" "marker: \"verified\"" out
check_said "  with a loud warning" "chartprov: WARNING: demo 0.1.0 would be denied in staging \(mode warn: not blocking\)" err
fresh
check "staging (warn): a chart directory goes to helm as given" "$C" helm template rel demo --env staging --policy staging-warn.yaml --keyring ci.pub.gpg
helm_ran
check_said "  warned" "WARNING: demo would be denied in staging" err
check "  helm got the directory" grep -qx demo "$W/helm-argv"
printf 'version: 1\nenvironments:\n  dev:\n    mode: off\n    rules:\n      - charts: "*"\n  production:\n    mode: enforce\n    rules:\n      - charts: "*"\n' >policy.yaml
fresh
check "off: an unsigned chart, quietly" "$C" helm template rel unsigned/demo-0.1.0.tgz --env dev --policy policy.yaml --keyring ci.pub.gpg
helm_ran
keep
check_exit 1 "  no warning" grep -q WARNING last.err
fresh
check_exit 1 "a policy file's production still enforces" "$C" helm template rel unsigned/demo-0.1.0.tgz --env production --policy policy.yaml --keyring ci.pub.gpg
helm_did_not_run

# --- --json: the decision on stderr or in a file, stdout stays helm's ---------------------------
fresh
check "--json --json-file" "$C" helm template rel "$SIGNED" "${GATE[@]}" --json --json-file decision.json
check_said "  stderr has the decision as JSON" '^\{.*"decision":"allow"' err
keep
check "  the file too, with the chart's digest" python3 -c 'import json,sys; d=json.load(open("decision.json")); assert d["decision"]=="allow" and d["chart"]["digest"].startswith("sha256:") and d["environment"]=="production", d'
check "  stdout is YAML only" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' last.out
fresh
check_exit 1 "--json-file on a deny" "$C" helm template rel tampered/demo-0.1.0.tgz "${GATE[@]}" --json-file deny.json
check "  records the deny and its reasons" python3 -c 'import json; d=json.load(open("deny.json")); assert d["decision"]=="deny" and d["reasons"] and d["mode"]=="enforce", d'

# --- the copy helm sees is the verified one -----------------------------------------------------
# The recording helm replaces the original file with the evil chart before running the real
# helm: had helm been given the original path, it would render "evil".
cp "$SIGNED" keep.tgz
fresh
check "the original replaced after the check" env SWAP_FROM="$W/evil/demo-0.1.0.tgz" SWAP_TO="$SIGNED" "$C" helm template rel "$SIGNED" "${GATE[@]}"
check_said "  helm still rendered the verified content" "marker: \"verified\"" out
keep
check "  (it was replaced)" cmp -s "$SIGNED" evil/demo-0.1.0.tgz
check_exit 1 "  and not the replacement" grep -q 'marker: "evil"' last.out
cp keep.tgz "$SIGNED"
fresh
check_exit 7 "helm's exit code is the gate's" env FAKE_HELM_EXIT=7 "$C" helm template rel "$SIGNED" "${GATE[@]}"
fresh
check_exit 1 "helm's own failure comes back too (an unknown --show-only template)" "$C" helm template rel "$SIGNED" -s templates/none.yaml "${GATE[@]}"
helm_ran
check "helm's --verify checks the copy's .prov with the gate's keyring" "$C" helm template rel "$SIGNED" --verify "${GATE[@]}"
check "  (the keyring was passed on)" grep -qx -- --keyring "$W/helm-argv"

# --- events ---------------------------------------------------------------------------------------
fresh
check "an allow goes to the audit log" "$C" helm template rel "$SIGNED" "${GATE[@]}" --audit-log audit.jsonl
check_exit 1 "a deny too" "$C" helm template rel tampered/demo-0.1.0.tgz "${GATE[@]}" --audit-log audit.jsonl
check_exit 1 "an unverifiable chart too" "$C" helm template rel demo "${GATE[@]}" --audit-log audit.jsonl
check "the audit log verifies: three records" "$C" audit verify audit.jsonl
check "  allow, deny, deny" python3 -c '
import json
d = [json.loads(l)["event"] for l in open("audit.jsonl")]
assert [e["decision"] for e in d] == ["allow", "deny", "deny"], d
assert d[0]["environment"] == "production" and d[0]["name"] == "demo" and d[0]["digest"].startswith("sha256:"), d[0]'
echo "a file, not a directory" >notadir
fresh
check_exit 2 "an audit log that cannot be written: an allow does not deploy" "$C" helm template rel "$SIGNED" "${GATE[@]}" --audit-log notadir/audit.jsonl
helm_did_not_run
check_said "  says so" "the decision could not be recorded: " err
check_said "  and helm was not run" "^chartprov: helm was not run$" err
port=$(free_port)
python3 "$E2E_DIR/http_receiver.py" "$port" alerts.jsonl >"$W/receiver.log" 2>&1 &
_pids+=("$!")
wait_http "http://127.0.0.1:$port/"
fresh
check "staging (warn) sends an alert, and helm runs" "$C" helm template rel unsigned/demo-0.1.0.tgz --env staging --policy staging-warn.yaml --keyring ci.pub.gpg \
  --alert-webhook "http://127.0.0.1:$port/api/v2/alerts" --fail-if-alert-fails
helm_ran
check "  the alert arrived" grep -q 'staging' alerts.jsonl
dead=$(free_port)
fresh
check_exit 2 "an alert that cannot be delivered under --fail-if-alert-fails stops helm" "$C" helm template rel unsigned/demo-0.1.0.tgz \
  --env staging --policy staging-warn.yaml --keyring ci.pub.gpg --alert-webhook "http://127.0.0.1:$dead/api/v2/alerts" --alert-retries 0 --fail-if-alert-fails
helm_did_not_run
fresh
check "  without --fail-if-alert-fails it is reported and helm runs" "$C" helm template rel unsigned/demo-0.1.0.tgz \
  --env staging --policy staging-warn.yaml --keyring ci.pub.gpg --alert-webhook "http://127.0.0.1:$dead/api/v2/alerts" --alert-retries 0
helm_ran
check_said "  (reported)" "chartprov: event: " err

fresh
check "--events-stderr and --metrics-textfile" "$C" helm template rel "$SIGNED" "${GATE[@]}" --events-stderr --metrics-textfile gate.prom
check_said "  the event is a JSON line on stderr" '^\{.*"kind":"decision"' err
keep
check "  stdout is YAML only" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' last.out
check "  the metrics textfile counts the allow" grep -Eq '^chartprov_verifications_total\{.*env="production".*decision="allow".*\} 1$' gate.prom

# --- a gate told to stop (SIGTERM) passes it to helm and still removes its copy ---------------------
cat >bin/slow-helm <<EOF
#!/usr/bin/env bash
printf '%s\n' "\$@" >"$W/helm-argv"
exec sleep 60
EOF
chmod +x bin/slow-helm
fresh
CHARTPROV_HELM=$W/bin/slow-helm "$C" helm template rel "$SIGNED" "${GATE[@]}" >/dev/null 2>&1 &
gate_pid=$!
for _ in $(seq 1 200); do [ -s "$W/helm-argv" ] && break; sleep 0.05; done
copy=$(sed -n 3p "$W/helm-argv" 2>/dev/null)
check "SIGTERM: helm is running on the private copy" test -f "$copy"
kill -TERM "$gate_pid"
wait "$gate_pid"
rc=$?
check "  the gate exits with helm's fate (128 + SIGTERM)" test "$rc" -eq 143
check "  and the private copy is gone" test ! -e "$(dirname "$copy")"

# --- oci:// -----------------------------------------------------------------------------------------
rport=$(free_port)
if start_registry "$W/registry" "$rport"; then
  R=127.0.0.1:$rport
  check "helm push the signed chart (with its .prov)" "$H" push "$SIGNED" "oci://$R/charts" --plain-http
  fresh
  check "oci:// --version: allowed" "$C" helm template rel "oci://$R/charts/demo" --version 0.1.0 --plain-http "${GATE[@]}"
  check_said "  helm rendered it" "marker: \"verified\"" out
  check "  helm got a local copy, and no --version" bash -c "grep -q '/chartprov-gate-.*/demo-0.1.0.tgz\$' '$W/helm-argv' && ! grep -q -- '--version\|oci://' '$W/helm-argv'"
  fresh
  check "oci:// with the tag in the reference, install --dry-run=client" "$C" helm install web "oci://$R/charts/demo:0.1.0" --plain-http --dry-run=client "${GATE[@]}"
  check_said "  helm installed it" "^STATUS: pending-install" out
  # The CI flow of docs/CI.md: push, sign the manifest with the cosign key the trust root lists.
  check "helm push + chartprov sign oci:// with the listed cosign key" bash -c "
    '$H' push tr/demo-0.1.0.tgz 'oci://$R/trusted' --plain-http >/dev/null 2>&1 &&
    COSIGN_PASSWORD=pw '$C' sign 'oci://$R/trusted/demo:0.1.0' --key cosign.key --plain-http"
  fresh
  check "oci:// --trust-dir: allowed by the listed key's cosign signature" "$C" helm template rel "oci://$R/trusted/demo" --version 0.1.0 --plain-http --env production --trust-dir td
  check_said "  helm rendered it" "marker: \"verified\"" out
  fresh
  check_exit 1 "oci:// --trust-dir: the chart signed only by a key the trust root does not list" "$C" helm template rel "oci://$R/charts/demo" --version 0.1.0 --plain-http --env production --trust-dir td
  helm_did_not_run
  "$H" push unsigned/demo-0.1.0.tgz "oci://$R/unsigned" --plain-http >/dev/null 2>&1
  fresh
  check_exit 1 "oci:// pushed without a .prov: denied in production" "$C" helm template rel "oci://$R/unsigned/demo" --version 0.1.0 --plain-http "${GATE[@]}"
  helm_did_not_run
  fresh
  check_exit 2 "oci:// with a version that is not there (an input error: a deny too)" "$C" helm template rel "oci://$R/charts/demo" --version 9.9.9 --plain-http "${GATE[@]}"
  helm_did_not_run
else
  _fail=$((_fail + 1)); echo "FAIL registry did not start"
fi

# --- every flag helm lists is split as helm splits it ----------------------------------------------
# For each flag of `helm <cmd> --help` (v4 and v3): a flag that takes a value is given "demo" (a
# directory) as its value, then RELEASE and "other"; one that does not is followed by RELEASE and
# "demo". The gate refuses in both cases without running helm, and its reason names the chart it
# found: "other" (a repository name) and "demo" (a directory). A wrong table gives another chart,
# a wrong count of arguments, or "unknown helm flag".
for helm in "$H" "$H3"; do
  for cmd in install upgrade template; do
    "$helm" "$cmd" --help | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"^\s+(?:-\w, )?--([\w-]+)(?: (\S+))?\s{2,}", line)
    if not m or m.group(1) == "help":
        continue
    t = m.group(2) or ""
    print(m.group(1), "value" if t and "[=" not in t else "novalue")' >"flags-$cmd"
    bad=0
    n=0
    while read -r flag kind; do
      [ "$flag" = keyring ] && continue  # the gate's own (its trust source), given below already
      n=$((n + 1))
      if [ "$kind" = value ]; then
        args=(--"$flag" demo rel other) want='"other" is a chart name'
      else
        args=(--"$flag" rel demo) want='"demo" is a chart directory'
      fi
      "$C" helm "$cmd" "${args[@]}" --env production --keyring ci.pub.gpg >/dev/null 2>flag.err
      rc=$?
      if [ "$rc" -ne 1 ] || ! grep -q "$want" flag.err; then
        bad=$((bad + 1)); echo "      $(basename "$helm") $cmd --$flag ($kind): exit $rc: $(head -c 200 flag.err)"
      fi
    done <"flags-$cmd"
    check "$(basename "$helm") $cmd: all $n flags of --help split as helm does" test "$bad" -eq 0 -a "$n" -gt 20
  done
done
# rollback has no chart: RELEASE [REVISION]. A value flag is given "5" (a wrong split makes three
# positionals, a usage error); a bool is followed by RELEASE and REVISION (a wrong split takes
# "rel" as its value and names release "3").
for helm in "$H" "$H3"; do
  "$helm" rollback --help | python3 -c '
import re, sys
for line in sys.stdin:
    if line.startswith("Global Flags"):
        break
    m = re.match(r"^\s+(?:-\w, )?--([\w-]+)(?: (\S+))?\s{2,}", line)
    if not m or m.group(1) == "help":
        continue
    t = m.group(2) or ""
    print(m.group(1), "value" if t and "[=" not in t else "novalue")' >flags-rollback
  bad=0
  n=0
  while read -r flag kind; do
    n=$((n + 1))
    if [ "$kind" = value ]; then args=(--"$flag" 5 rel 3); else args=(--"$flag" rel 3); fi
    "$C" helm rollback "${args[@]}" --env production --keyring ci.pub.gpg >/dev/null 2>flag.err
    rc=$?
    if [ "$rc" -ne 1 ] || ! grep -q "release rel's revision 3" flag.err; then
      bad=$((bad + 1)); echo "      $(basename "$helm") rollback --$flag ($kind): exit $rc: $(head -c 200 flag.err)"
    fi
  done <flags-rollback
  check "$(basename "$helm") rollback: all $n flags of --help split as helm does" test "$bad" -eq 0 -a "$n" -gt 7
done
check_exit 1 "  (the check itself catches a wrong split: a bool given a separate value)" \
  bash -c "'$C' helm install --atomic true rel demo --env production --keyring ci.pub.gpg 2>&1 | grep -q 'chart directory'"

# --- the helm plugin ---------------------------------------------------------------------------------
# helm v4 with the v4 plugin format; helm v3 with the legacy format (each in its own data home).
export PATH=$(dirname "$C"):$PATH
unset CHARTPROV_HELM  # the plugin runs the helm that started it ($HELM_BIN)
check "helm v4 plugin install packaging/helm-plugin" "$H" plugin install "$REPO_ROOT/packaging/helm-plugin"
check "  helm plugin list shows it" "$H" plugin list
check_said "  as chartprov, apiVersion v1" "^chartprov[[:space:]]+0\.1\.0[[:space:]]+cli/v1[[:space:]]+v1" out
check "helm chartprov template: a signed chart in production" "$H" chartprov template rel "$SIGNED" "${GATE[@]}"
check_said "  rendered by helm v4" "helm: \"v4\." out
check_said "  the verified chart" "marker: \"verified\"" out
check_exit 1 "helm chartprov template: the tampered chart is denied" "$H" chartprov template rel tampered/demo-0.1.0.tgz "${GATE[@]}"
no_output
check_said "  and the reason" "DENY demo 0.1.0 for production" err
check "helm chartprov install -n NS --dry-run=client (helm v4 hands -n over as HELM_NAMESPACE)" \
  "$H" chartprov install web "$SIGNED" -n gated --dry-run=client "${GATE[@]}"
check_said "  in that namespace" "^NAMESPACE: gated" out
export HELM_DATA_HOME=$W/helm3-data
check "helm v3 plugin install packaging/helm-plugin/helm3" "$H3" plugin install "$REPO_ROOT/packaging/helm-plugin/helm3"
check "helm3 chartprov template: a signed chart in production" "$H3" chartprov template rel "$SIGNED" "${GATE[@]}"
check_said "  rendered by helm v3" "helm: \"v3\." out
check_exit 1 "helm3 chartprov template: an unsigned chart is denied" "$H3" chartprov template rel unsigned/demo-0.1.0.tgz "${GATE[@]}"
no_output
check "helm3 chartprov in staging: warned, rendered" "$H3" chartprov template rel unsigned/demo-0.1.0.tgz --env staging --policy staging-warn.yaml --keyring ci.pub.gpg
check_said "  warned" "WARNING" err
check_said "  rendered" "marker: \"verified\"" out

check "helm3 chartprov template -n NS (helm v3 hands -n over as HELM_NAMESPACE too)" "$H3" chartprov template rel "$SIGNED" -n gated "${GATE[@]}"
check_said "  rendered in that namespace" 'namespace: "gated"' out
check "the CI examples (packaging/ci) are YAML" python3 -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' \
  "$REPO_ROOT/packaging/ci/github-actions.yml" "$REPO_ROOT/packaging/ci/gitlab-ci.yml"

finish
