#!/usr/bin/env bash
# Argo CD's Config Management Plugin (packaging/argocd/plugin.yaml), run as Argo CD's cmp-server
# runs it: the generate and discover commands are read from plugin.yaml (not copied here) and
# executed as argv (cmpserver/plugin/plugin.go runCommand) in the Application's source directory,
# with the sidecar's environment plus the request's (ARGOCD_APP_*, KUBE_VERSION,
# KUBE_API_VERSIONS, ARGOCD_ENV_* from the Application's plugin env). The sidecar's PATH holds
# only chartprov, helm and sh, as in the image: the scripts may use shell builtins and nothing else.
#   a signed chart renders, and stdout is exactly `helm template` of it with Argo CD's name,
#   namespace, Kubernetes version, API versions and CRDs (with values files too; under busybox sh
#   as the sidecar has it, when busybox is installed); a chart whose template changed after
#   signing, an unsigned chart, a foreign signer (trust root): exit non-zero, empty stdout, the
#   denial on stderr, helm not run; values that start with `-`, values files outside the
#   directory, an environment chosen by the Application: refused; oci:// from a registry;
#   discover matches a signed chart or an oci:// CHART, not an empty or unsigned directory;
#   the kustomize component puts plugin.yaml byte for byte where the cmp-server reads it.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
export CHARTPROV_OCI=${CHARTPROV_OCI:-$(dirname "$CHARTPROV")/chartprov-oci}
C=$CHARTPROV
PLUGIN=$REPO_ROOT/packaging/argocd/plugin.yaml
cd "$W" || exit 2
unset CHARTPROV_ENV CHARTPROV_ALERT_WEBHOOK CHARTPROV_HELM HELM_BIN

# --- the plugin's commands, from plugin.yaml: each as NUL-separated argv ---------------------
cat >read_plugin.py <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc["apiVersion"] == "argoproj.io/v1alpha1" and doc["kind"] == "ConfigManagementPlugin", doc.get("kind")
assert doc["metadata"]["name"] == "chartprov"
for which, cmd in (("generate", doc["spec"]["generate"]), ("discover", doc["spec"]["discover"]["find"])):
    argv = list(cmd.get("command") or []) + list(cmd.get("args") or [])   # plugin.go runCommand
    assert argv and all(isinstance(a, str) for a in argv), which
    with open(f"{sys.argv[2]}.{which}", "wb") as f:
        f.write(b"".join(a.encode() + b"\0" for a in argv))
EOF
check "plugin.yaml is a ConfigManagementPlugin with generate and discover.find commands" python3 read_plugin.py "$PLUGIN" "$W/plugin"

# The sidecar: PATH has chartprov, a helm that notes that it ran, and sh (the shell the test
# machine has; busybox below). Nothing else: no ls, find, cat.
sidecar_bin() {  # sidecar_bin DIR SH
  mkdir -p "$1"
  ln -sf "$C" "$1/chartprov"
  printf '#!/bin/bash\ntouch %q\nexec %q "$@"\n' "$W/helm-ran" "$H" >"$1/helm"
  chmod +x "$1/helm"
  ln -sf "$2" "$1/sh"
}
sidecar_bin "$W/sidecar/bin" "$(readlink -f /bin/sh)"
mkdir -p "$W/sidecar/home" "$W/sidecar/tmp"
SIDEBIN=$W/sidecar/bin
SIDECAR=(HOME="$W/sidecar/home" TMPDIR="$W/sidecar/tmp" CHARTPROV_RNP="$CHARTPROV_RNP" CHARTPROV_OCI="$CHARTPROV_OCI"
  CHARTPROV_CACHE_DIR="$CHARTPROV_CACHE_DIR" XDG_STATE_HOME="$XDG_STATE_HOME" XDG_CACHE_HOME="$XDG_CACHE_HOME"
  XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" KUBECONFIG="$KUBECONFIG"
  HELM_CONFIG_HOME="$HELM_CONFIG_HOME" HELM_CACHE_HOME="$HELM_CACHE_HOME" HELM_DATA_HOME="$HELM_DATA_HOME"
  CHARTPROV_ENV=production)
TRUST=(CHARTPROV_KEYRING="$W/ci.pub.gpg")
EXTRA=()
# What the repo-server sends for one Application (repository.go newEnv, getPluginEnvs).
REV=0123456789abcdef0123456789abcdef01234567
APIS=v1,apps/v1,batch/v1,networking.k8s.io/v1,example.com/v1
KUBE=1.30.4
REQUEST=(ARGOCD_APP_NAME=web ARGOCD_APP_NAMESPACE=shop ARGOCD_APP_PROJECT_NAME=default
  "ARGOCD_APP_REVISION=$REV" "ARGOCD_APP_REVISION_SHORT=${REV:0:7}" "ARGOCD_APP_REVISION_SHORT_8=${REV:0:8}"
  ARGOCD_APP_SOURCE_REPO_URL=https://git.test.invalid/platform/deploy.git ARGOCD_APP_SOURCE_PATH=apps/web
  ARGOCD_APP_SOURCE_TARGET_REVISION=main "KUBE_VERSION=$KUBE" "KUBE_API_VERSIONS=$APIS" ARGOCD_APP_PARAMETERS=null)

# plugin DIR generate|discover [NAME=VALUE...]: the plugin's command, in DIR, with the sidecar's
# environment, the request's, and NAME=VALUE (an Application's plugin env, or a changed variable).
plugin() {
  local dir=$1 which=$2 argv
  shift 2
  mapfile -d '' -t argv <"$W/plugin.$which"
  rm -f "$W/helm-ran"
  (cd "$dir" && exec env -i PATH="$SIDEBIN" "${SIDECAR[@]}" "${TRUST[@]}" "${EXTRA[@]}" "${REQUEST[@]}" "$@" "${argv[@]}")
}
same_as() {  # same_as FILE: the last command's stdout is exactly FILE (and not empty)
  if [ -s "$1" ] && cmp -s "$1" "$OUT"; then
    _pass=$((_pass + 1)); echo "PASS   stdout is exactly helm template's output"
  else
    _fail=$((_fail + 1)); echo "FAIL   stdout differs from helm template's output"; diff "$1" "$OUT" | head -n 8
  fi
}
said_nothing() {  # said_nothing DESC: the last command's stdout is empty (no match, for discover)
  if [ ! -s "$OUT" ]; then _pass=$((_pass + 1)); echo "PASS $1"; else _fail=$((_fail + 1)); echo "FAIL $1"; _show; fi
}
denied() {  # denied: empty stdout, and helm never ran
  if [ ! -s "$OUT" ] && [ ! -e "$W/helm-ran" ]; then
    _pass=$((_pass + 1)); echo "PASS   stdout empty, helm not run"
  else
    _fail=$((_fail + 1)); echo "FAIL   stdout or helm ran"; _show
  fi
}

# --- charts ----------------------------------------------------------------------------------
# demo: helm create + a template that shows what Argo CD passes, and a CRD (--include-crds).
"$C" key generate --uid "Argo CI <ci@test.invalid>" --output ci --no-passphrase >/dev/null
"$C" key generate --uid "Stranger <x@test.invalid>" --output stranger --no-passphrase >/dev/null
"$H" create demo >/dev/null
cat >demo/templates/argo.yaml <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-argo
data:
  marker: {{ .Values.marker | quote }}
  release: {{ .Release.Name | quote }}
  namespace: {{ .Release.Namespace | quote }}
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  example-api: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}
EOF
mkdir -p demo/crds
printf 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n' >demo/crds/widgets.yaml
echo 'marker: verified' >>demo/values.yaml
"$C" package demo --sign --key ci.key -d signed >/dev/null
SIGNED=$W/signed/demo-0.1.0.tgz
# tampered: a template changed after signing, beside the original .prov.
mkdir -p evil tampered unsigned foreign
tar -xzf "$SIGNED" -C evil
sed -i 's/^  marker: .*/  marker: "evil"/' evil/demo/templates/argo.yaml
"$H" package evil/demo -d tampered >/dev/null
cp signed/demo-0.1.0.tgz.prov tampered/
"$H" package demo -d unsigned >/dev/null
"$C" package demo --sign --key stranger.key -d foreign >/dev/null

# The Application's source directory, as the cmp-server unpacks it (a temp dir, the repo's path).
appdir() {  # appdir NAME FILE...: a fresh app directory holding FILEs
  local d=$W/cmp/_cmp_server/$1/apps/web
  shift
  mkdir -p "$d"
  [ $# -eq 0 ] || cp "$@" "$d/"
  echo "$d"
}
APP=$(appdir signed "$SIGNED" "$SIGNED.prov")
printf 'marker: prod\n' >"$APP/values-prod.yaml"
mkdir -p "$APP/more" && printf 'replicaCount: 3\n' >"$APP/more/extra.yaml"
printf 'marker: outside\n' >"$W/cmp/_cmp_server/signed/apps/outside.yaml"
# What Argo CD's own Helm source would render (util/helm/cmd.go template).
ref() { "$H" template "$@" --namespace shop --kube-version "$KUBE" --api-versions "$APIS" --include-crds; }
ref web "$SIGNED" >want.yaml
(cd "$APP" && ref web "$SIGNED" -f values-prod.yaml -f more/extra.yaml) >want-values.yaml
ref shop-web "$SIGNED" >want-renamed.yaml

# --- allowed ---------------------------------------------------------------------------------
check "generate: the signed chart in the app directory" plugin "$APP" generate
same_as want.yaml
check_said "  Argo CD's Kubernetes version reached helm" '^  kube: "v1\.30\.4"$' out
check_said "  its API versions" '^  example-api: "true"$' out
check_said "  its destination namespace" '^  namespace: "shop"$' out
check_said "  the CRD is in (--include-crds, as Argo CD's Helm)" '^kind: CustomResourceDefinition$' out
check_said "  the gate said ALLOW on stderr" '^ALLOW demo 0\.1\.0 for production \(mode enforce\)$' err
check "  stdout is YAML only" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$OUT"
check "values files (plugin env VALUES_FILES), in order" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=values-prod.yaml,more/extra.yaml
same_as want-values.yaml
check_said "  the value came through" '^  marker: "prod"$' out
check "an app in another namespace (NAMESPACE_NAME): the release is NAME, as in Argo CD's Helm" plugin "$APP" generate ARGOCD_APP_NAME=team-a_web
same_as want.yaml
check "RELEASE_NAME names the release" plugin "$APP" generate ARGOCD_ENV_RELEASE_NAME=shop-web
same_as want-renamed.yaml
check "CHART names the chart" plugin "$APP" generate ARGOCD_ENV_CHART=demo-0.1.0.tgz
same_as want.yaml
check "the Application may repeat the sidecar's environment" plugin "$APP" generate ARGOCD_ENV_CHARTPROV_ENV=production
same_as want.yaml

# --- denied: non-zero, empty stdout, the reason on stderr, helm not run -----------------------
TAMPERED=$(appdir tampered tampered/demo-0.1.0.tgz tampered/demo-0.1.0.tgz.prov)
check_exit 1 "generate: a template changed after signing" plugin "$TAMPERED" generate
denied
check_said "  DENY on stderr" '^chartprov: DENY demo 0\.1\.0 for production \(mode enforce\)$' err
check_said "  because the .prov signed other bytes" 'sha256 mismatch for demo-0\.1\.0\.tgz' err
UNSIGNED=$(appdir unsigned unsigned/demo-0.1.0.tgz)
check_exit 1 "generate: an unsigned chart" plugin "$UNSIGNED" generate
denied
check_said "  DENY on stderr, helm was not run" '^chartprov: helm was not run$' err
FOREIGN=$(appdir foreign foreign/demo-0.1.0.tgz foreign/demo-0.1.0.tgz.prov)
check_exit 1 "generate: signed by a key that is not trusted" plugin "$FOREIGN" generate
denied

# --- refused before anything runs (exit 2) -----------------------------------------------------
for bad in "ARGOCD_ENV_RELEASE_NAME=--post-renderer=/bin/true" "ARGOCD_ENV_CHART=--repo=https://charts.test.invalid" \
  "ARGOCD_ENV_VALUES_FILES=values-prod.yaml,--post-renderer=/bin/true" "ARGOCD_APP_NAME=-web" \
  "KUBE_VERSION=--kubeconfig=/etc/passwd"; do
  check_exit 2 "a value that starts with '-': ${bad%%=*}" plugin "$APP" generate "$bad"
  denied
  check_said "  refused as such" "must not start with '-'" err
done
check_exit 2 "a values file outside the app directory (..)" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=../outside.yaml
denied
check_exit 2 "an absolute values file" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=/etc/hostname
denied
check_exit 2 "a values file that is not there (a URL, for one)" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=https://x.test.invalid/v.yaml
denied
check_exit 2 "an empty item in VALUES_FILES" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=values-prod.yaml,,more/extra.yaml
denied
check_exit 2 "CHART outside the app directory" plugin "$APP" generate ARGOCD_ENV_CHART=../demo-0.1.0.tgz
denied
check_exit 2 "the Application cannot choose a laxer environment" plugin "$UNSIGNED" generate ARGOCD_ENV_CHARTPROV_ENV=staging
denied
check_said "  and is told whose choice it is" "the environment is the sidecar's CHARTPROV_ENV \(production\)" err
TWO=$(appdir two "$SIGNED" "$SIGNED.prov")
cp foreign/demo-0.1.0.tgz "$TWO/other-0.1.0.tgz"
check_exit 2 "two charts and no CHART" plugin "$TWO" generate
denied
EMPTY=$(appdir empty)
FAKESIG=$(appdir fakesig unsigned/demo-0.1.0.tgz)
mkdir "$FAKESIG/demo-0.1.0.tgz.prov"
check_exit 2 "no chart at all" plugin "$EMPTY" generate
denied

# --- discover ----------------------------------------------------------------------------------
check "discover: a directory with a signed chart" plugin "$APP" discover
check_said "  matches (non-empty stdout)" '^demo-0\.1\.0\.tgz$' out
check "discover: an empty directory" plugin "$EMPTY" discover
said_nothing "  does not match (empty stdout)"
check "discover: an unsigned chart only" plugin "$UNSIGNED" discover
said_nothing "  does not match"
check "discover: a chart beside a file that only looks like a signature (a directory)" plugin "$FAKESIG" discover
said_nothing "  does not match"
check "discover: an empty directory with CHART=oci://..." plugin "$EMPTY" discover ARGOCD_ENV_CHART=oci://registry.test.invalid/charts/demo:0.1.0
check_said "  matches" '^oci://registry\.test\.invalid/charts/demo:0\.1\.0$' out

# --- the trust root from a ConfigMap, pinned as repo-server-patch.yaml's init container does -------
"$C" key generate --uid "Root <r@test.invalid>" --output root --no-passphrase >/dev/null
"$C" trust init --output td --root-key root.key --threshold 1 >/dev/null 2>&1
"$C" trust add-key --trust-dir td --key ci.pub.gpg --owner platform-ci --charts demo --envs production >/dev/null 2>&1
"$C" trust sign --trust-dir td --root-key root.key >/dev/null 2>&1
"$C" trust update --trust-dir td --from td/staged.json >/dev/null 2>&1
digest=$("$C" trust show --trust-dir td 2>/dev/null | awk '$1 == "digest" { print $2; exit }')
# Laid out as Kubernetes mounts a ConfigMap: root.json -> ..data/root.json -> ..TIMESTAMP/root.json
mkdir -p cm-trust/..2026_01_01_00_00_00.1 sidecar-state
cp td/root.json cm-trust/..2026_01_01_00_00_00.1/
ln -s ..2026_01_01_00_00_00.1 cm-trust/..data
ln -s ..data/root.json cm-trust/root.json
check "trust init --pin by digest into the sidecar's state (the init container's command)" "$C" trust init --pin \
  --trust-dir "$W/cm-trust" --digest "$digest" --trust-state "$W/sidecar-state/trust-state.json"
TRUST=(CHARTPROV_TRUST_DIR="$W/cm-trust" CHARTPROV_TRUST_STATE="$W/sidecar-state/trust-state.json")
check "generate with the trust root: the signed chart" plugin "$APP" generate
same_as want.yaml
check_said "  signed by the listed key's owner" '^  signed by: .*platform-ci' err
check_exit 1 "  a chart signed by a key the trust root does not list" plugin "$FOREIGN" generate
denied
TRUST=(CHARTPROV_KEYRING="$W/ci.pub.gpg")

# --- oci:// ------------------------------------------------------------------------------------
rport=$(free_port)
if start_registry "$W/registry" "$rport"; then
  R=127.0.0.1:$rport
  check "helm push the signed chart (its .prov goes along)" "$H" push "$SIGNED" "oci://$R/charts" --plain-http
  "$H" push unsigned/demo-0.1.0.tgz "oci://$R/unsigned" --plain-http >/dev/null 2>&1
  EXTRA=(CHARTPROV_PLAIN_HTTP=true)
  OCIAPP=$(appdir oci)
  printf 'marker: prod\n' >"$OCIAPP/values-prod.yaml"
  check "generate: CHART=oci://...:0.1.0, values from the app directory" plugin "$OCIAPP" generate \
    "ARGOCD_ENV_CHART=oci://$R/charts/demo:0.1.0" ARGOCD_ENV_VALUES_FILES=values-prod.yaml
  (cd "$APP" && ref web "$SIGNED" -f values-prod.yaml) >want-oci.yaml
  same_as want-oci.yaml
  check_exit 1 "generate: an oci:// chart pushed without a signature" plugin "$OCIAPP" generate \
    "ARGOCD_ENV_CHART=oci://$R/unsigned/demo:0.1.0"
  denied
  EXTRA=()
else
  _fail=$((_fail + 1)); echo "FAIL registry did not start"
fi

# --- the sidecar's own shell: busybox, builtins only ------------------------------------------
if command -v busybox >/dev/null; then
  mkdir -p "$W/bb" && cp "$(command -v busybox)" "$W/bb/busybox"
  sidecar_bin "$W/sidecar-bb/bin" "$W/bb/busybox"
  SIDEBIN=$W/sidecar-bb/bin
  check "busybox sh: generate, values files" plugin "$APP" generate ARGOCD_ENV_VALUES_FILES=values-prod.yaml,more/extra.yaml
  same_as want-values.yaml
  check_exit 1 "busybox sh: the tampered chart" plugin "$TAMPERED" generate
  denied
  check_exit 2 "busybox sh: a value that starts with '-'" plugin "$APP" generate ARGOCD_ENV_RELEASE_NAME=--debug
  denied
  check "busybox sh: discover" plugin "$APP" discover
  check_said "  matches" '^demo-0\.1\.0\.tgz$' out
  SIDEBIN=$W/sidecar/bin
else
  skip "busybox sh, the shell the sidecar gets (apt-get install busybox-static)"
fi

# --- the scripts, linted; the kustomize component ----------------------------------------------
if command -v shellcheck >/dev/null; then
  for which in generate discover; do
    mapfile -d '' -t argv <"$W/plugin.$which"
    printf '%s\n' "${argv[2]}" >"$W/$which.sh"
    check "shellcheck -s sh: the $which script" shellcheck -s sh "$W/$which.sh"
  done
else
  skip "shellcheck of the plugin's scripts"
fi
if command -v kubectl >/dev/null; then
  mkdir -p kz/base kz/overlay
  cp -r "$REPO_ROOT/packaging/argocd" kz/overlay/chartprov
  cat >kz/base/deploy.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: argocd-repo-server
spec:
  selector: {matchLabels: {app: repo-server}}
  template:
    metadata: {labels: {app: repo-server}}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:latest
          volumeMounts:
            - {name: var-files, mountPath: /var/run/argocd}
            - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}
            - {name: tmp, mountPath: /tmp}
      volumes:
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
        - {name: tmp, emptyDir: {}}
EOF
  printf 'resources: [deploy.yaml]\n' >kz/base/kustomization.yaml
  printf 'resources: [../base]\ncomponents: [chartprov]\n' >kz/overlay/kustomization.yaml
  check "kubectl kustomize: Argo CD's repo-server with the component" kubectl kustomize kz/overlay
  cp "$OUT" kz/out.yaml
  cat >kz/check.py <<'EOF'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
plugin = open(sys.argv[2]).read()
cm = [d for d in docs if d["kind"] == "ConfigMap"]
dep = [d for d in docs if d["kind"] == "Deployment"][0]["spec"]["template"]["spec"]
assert len(cm) == 1 and cm[0]["data"]["plugin.yaml"] == plugin, "plugin.yaml differs in the ConfigMap"
side = [c for c in dep["containers"] if c["name"] == "chartprov"][0]
assert side["command"] == ["/var/run/argocd/argocd-cmp-server"], side["command"]
sc = side["securityContext"]
assert sc["runAsNonRoot"] is True and sc["runAsUser"] == 999 and sc["readOnlyRootFilesystem"] is True
assert sc["allowPrivilegeEscalation"] is False and sc["capabilities"]["drop"] == ["ALL"]
mounts = {m["mountPath"]: m for m in side["volumeMounts"]}
cfg = mounts["/home/argocd/cmp-server/config/plugin.yaml"]
vols = {v["name"]: v for v in dep["volumes"]}
assert cfg["subPath"] == "plugin.yaml" and vols[cfg["name"]]["configMap"]["name"] == cm[0]["metadata"]["name"]
assert mounts["/var/run/argocd"]["name"] == "var-files" and mounts["/home/argocd/cmp-server/plugins"]["name"] == "plugins"
assert mounts["/tmp"]["name"] != "tmp", "the sidecar must not share the repo-server's /tmp"
env = {e["name"]: e.get("value") for e in side["env"]}
assert env["CHARTPROV_ENV"] and "/cmp-tools" in env["PATH"].split(":")
shcopy = [c for c in dep["initContainers"] if c["name"] == "chartprov-cmp-sh"][0]
assert shcopy["command"][-1] == "/cmp-tools/sh" and mounts["/cmp-tools"]["readOnly"] is True
pin = [c for c in dep["initContainers"] if c["name"] == "chartprov-trust-pin"][0]
state = env["CHARTPROV_TRUST_STATE"]
assert state in pin["command"] and env["CHARTPROV_TRUST_DIR"] in pin["command"]
EOF
  check "  the sidecar as Argo CD documents it, plugin.yaml byte for byte at its path" python3 kz/check.py kz/out.yaml "$PLUGIN"
else
  skip "kubectl kustomize of packaging/argocd (no kubectl)"
fi

finish
