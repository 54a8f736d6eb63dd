# lib.sh - shared helpers for the tests/e2e/interop_*.sh scripts (source it, don't run it).
#
# Gives every script:
#   W                   a private temp dir, removed on exit (with every server started below)
#   GNUPGHOME, HELM_*,  isolated state: nothing is read from or written to the real home,
#   HOME, KUBECONFIG,   helm sees no cluster, chartprov keeps its keyring cache under $W
#   CHARTPROV_CACHE_DIR
#   H, H3               helm v4 and helm v3 from $PEERS
#   check DESC CMD...          PASS if CMD exits 0
#   check_fails DESC CMD...    PASS if CMD exits 1..125 (a failure, not a crash or a timeout)
#   check_exit N DESC CMD...   PASS if CMD exits exactly N
#   check_said DESC RE [out|err]  PASS if the last checked command printed RE (grep -E)
#   OUT / ERR           stdout / stderr of the last checked command (files)
#   free_port, start_http DIR, start_registry, gpg_gen, gpg_fpr, skip, finish
# E2E_VERBOSE=1 also shows the stderr of passing checks (to see that they pass for the
# right reason). Every command runs under a timeout (CHECK_TIMEOUT seconds, default 60) so a hung peer
# fails the check instead of the whole run.
set -u
: "${CHARTPROV:?CHARTPROV must name the chartprov binary}"
: "${PEERS:=/opt/peers/bin}"
: "${CHECK_TIMEOUT:=60}"
export CHARTPROV_RNP=${CHARTPROV_RNP:-$(dirname "$CHARTPROV")/chartprov-rnp}
# H and H3 are for the scripts that source this file.
H=$PEERS/helm
# shellcheck disable=SC2034
H3=$PEERS/helm3
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)

W=$(mktemp -d "${TMPDIR:-/tmp}/chartprov-e2e.XXXXXX")
OUT=$W/.out
ERR=$W/.err
_pids=()          # background servers we started (killed by PID on exit)
_registries=()    # registry dirs started through registry.sh

cleanup() {
  local p d
  for p in "${_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for d in "${_registries[@]}"; do _registry_stop "$d" >/dev/null 2>&1; done
  gpgconf --homedir "$GNUPGHOME" --kill all >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME=$W/home
export GNUPGHOME=$W/gnupg
export HELM_CONFIG_HOME=$W/helm/config HELM_CACHE_HOME=$W/helm/cache HELM_DATA_HOME=$W/helm/data
export HELM_REGISTRY_CONFIG=$W/helm/registry.json HELM_REPOSITORY_CONFIG=$W/helm/repositories.yaml
export HELM_REPOSITORY_CACHE=$W/helm/repository
export KUBECONFIG=$W/no-kubeconfig
export CHARTPROV_CACHE_DIR=$W/chartprov-cache
export XDG_CACHE_HOME=$W/xdg-cache XDG_CONFIG_HOME=$W/xdg-config XDG_DATA_HOME=$W/xdg-data
export XDG_STATE_HOME=$W/xdg-state  # chartprov's trust state (the trust root versions accepted)
unset CHARTPROV_PASSWORD SOURCE_DATE_EPOCH HELM_KUBECONTEXT CHARTPROV_TRUST_STATE
mkdir -p "$HOME"
mkdir -m 700 "$GNUPGHOME"

_pass=0
_fail=0
_skip=0

_show() {  # the tail of what the failing command said
  { sed 's/^/      out: /' "$OUT"; sed 's/^/      err: /' "$ERR"; } | head -n 12
}

# _run CMD...: runs CMD (a function directly, anything else under timeout), output to OUT/ERR.
_run() {
  if [ "$(type -t "$1")" = function ]; then
    "$@" >"$OUT" 2>"$ERR" </dev/null
  else
    timeout -k 5 "$CHECK_TIMEOUT" "$@" >"$OUT" 2>"$ERR" </dev/null
  fi
}

_verbose() {  # E2E_VERBOSE=1: show what every checked command printed on stderr
  [ -n "${E2E_VERBOSE:-}" ] && sed 's/^/      err: /' "$ERR" | head -n 6
  return 0
}

check() {  # check DESC CMD...: passes when CMD exits 0
  local what=$1 rc
  shift
  _run "$@"; rc=$?
  if [ "$rc" -eq 0 ]; then
    _pass=$((_pass + 1)); echo "PASS $what"; _verbose
  else
    _fail=$((_fail + 1)); echo "FAIL $what (exit $rc, want 0)"; _show
  fi
  return 0
}

check_fails() {  # check_fails DESC CMD...: passes when CMD fails cleanly (exit 1..125)
  local what=$1 rc
  shift
  _run "$@"; rc=$?
  if [ "$rc" -ge 1 ] && [ "$rc" -le 125 ] && [ "$rc" -ne 124 ]; then
    _pass=$((_pass + 1)); echo "PASS $what (exit $rc)"; _verbose
  else
    _fail=$((_fail + 1)); echo "FAIL $what (exit $rc, want a clean failure)"; _show
  fi
  return 0
}

check_exit() {  # check_exit N DESC CMD...: passes when CMD exits exactly N
  local want=$1 what=$2 rc
  shift 2
  _run "$@"; rc=$?
  if [ "$rc" -eq "$want" ]; then
    _pass=$((_pass + 1)); echo "PASS $what (exit $rc)"; _verbose
  else
    _fail=$((_fail + 1)); echo "FAIL $what (exit $rc, want $want)"; _show
  fi
  return 0
}

check_said() {  # check_said DESC PATTERN [out|err]: the last checked command printed PATTERN (grep -E)
  local what=$1 pat=$2 files
  case ${3:-any} in out) files=("$OUT") ;; err) files=("$ERR") ;; *) files=("$OUT" "$ERR") ;; esac
  if cat "${files[@]}" | grep -Eq -- "$pat"; then
    _pass=$((_pass + 1)); echo "PASS $what"
  else
    _fail=$((_fail + 1)); echo "FAIL $what (no /$pat/ in ${3:-output})"; _show
  fi
  return 0
}

skip() {  # skip DESC: a check that could not run here, said out loud
  _skip=$((_skip + 1)); echo "SKIP $1"
}

finish() {  # prints the summary; the script's exit status
  [ "$_skip" -eq 0 ] || echo "($_skip skipped)"
  echo "$_pass passed, $_fail failed"
  [ "$_fail" -eq 0 ]
}

free_port() {  # a TCP port on 127.0.0.1 that was free a moment ago
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {  # wait_http URL: up to ~10 s for URL to answer 200
  local _
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  return 1
}

start_http() {  # start_http DIR PORT: serve DIR read-only on 127.0.0.1:PORT until exit
  local dir=$1 port=$2
  (cd "$dir" && exec python3 -m http.server "$port" --bind 127.0.0.1) >"$W/http-$port.log" 2>&1 &
  _pids+=("$!")
  wait_http "http://127.0.0.1:$port/"
}

# OCI registry: the repository's scripts/registry.sh (CNCF distribution, plain HTTP,
# loopback only); the same thing inline if the script is not there.
_registry_stop() {
  local d=$1
  if [ -f "$REPO_ROOT/scripts/registry.sh" ]; then
    bash "$REPO_ROOT/scripts/registry.sh" stop "$d"
  elif [ -f "$d/registry.pid" ]; then
    kill "$(cat "$d/registry.pid")" 2>/dev/null
  fi
}

start_registry() {  # start_registry DIR PORT: returns 0 once GET /v2/ answers
  local d=$1 port=$2
  mkdir -p "$d"
  _registries+=("$d")
  if [ -f "$REPO_ROOT/scripts/registry.sh" ]; then
    bash "$REPO_ROOT/scripts/registry.sh" start "$d" "$port" >/dev/null
    return
  fi
  command -v docker-registry >/dev/null || return 1
  mkdir -p "$d/data"
  cat >"$d/config.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $d/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: chartprov-e2e-only}
EOF
  nohup docker-registry serve "$d/config.yml" >"$d/registry.log" 2>&1 </dev/null &
  echo "$!" >"$d/registry.pid"
  wait_http "http://127.0.0.1:$port/v2/"
}

# GnuPG helpers (in the isolated GNUPGHOME).
gpg_b() { gpg --batch --no-tty --pinentry-mode loopback "$@"; }

gpg_gen() {  # gpg_gen UID ALGO [PASSPHRASE] [EXPIRE]: a primary key with only the sign flag
  gpg_b --passphrase "${3:-}" --quick-gen-key "$1" "$2" sign "${4:-never}" >/dev/null 2>&1
}

gpg_fpr() {  # gpg_fpr KEYFILE: fingerprint of the (first) primary key in an exported key file
  gpg --with-colons --show-keys "$1" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'
}

gpg_home_fpr() {  # gpg_home_fpr NAME: fingerprint of the key NAME in GNUPGHOME
  gpg --with-colons --list-keys "$1" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }'
}

# The text Helm signed: the lines between the cleartext header's blank line and the
# signature armor (dash-escaping undone), as a file to feed to gpg --clearsign.
message_block() {  # message_block PROV > FILE
  awk 'state == 0 && /^$/ { state = 1; next }
       state == 1 && /^-----BEGIN PGP SIGNATURE-----$/ { exit }
       state == 1 { sub(/^- /, ""); print }' "$1"
}

# helm create NAME in DIR with isolated helm dirs; quiet.
helm_create() { (cd "$1" && "$H" create "$2" >/dev/null); }

# A private X.509 CA made with the openssl CLI (P-256; files in the current directory):
#   ca_root NAME CN                    NAME.pem, self-signed (key NAME.ca.key), 10 years
#   ca_intermediate NAME CN ISSUER     NAME.pem, a CA (pathlen 0) issued by ISSUER.pem, 5 years
#   ca_leaf OUT ISSUER KEY SUBJ EKU [SAN] [START END]
#                                      OUT.pem issued by ISSUER.pem for KEY (a private key file
#                                      openssl reads, or pub:PUBKEY.pem for a key held elsewhere,
#                                      e.g. in an HSM), extendedKeyUsage EKU, subjectAltName SAN
#                                      (e.g. URI:https://ci.example/x,email:ci@example.com);
#                                      30 days from now, or START..END (YYYYMMDDHHMMSSZ)
ca_root() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.ca.key" 2>/dev/null &&
    openssl req -x509 -new -key "$1.ca.key" -out "$1.pem" -days 3650 -subj "/O=Example Corp/CN=$2" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
ca_intermediate() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.ca.key" 2>/dev/null &&
    openssl req -new -key "$1.ca.key" -subj "/O=Example Corp/CN=$2" -out "$1.csr" 2>/dev/null &&
    printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$1.ext" &&
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.ca.key" -CAcreateserial -days 1825 \
      -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
ca_leaf() {
  local out=$1 issuer=$2 key=$3 subj=$4 eku=$5 san=${6:-} start=${7:-} end=${8:-} csr_key=$3 force=()
  if [ "${key#pub:}" != "$key" ]; then  # the CSR is signed by a throwaway key; the certificate gets KEY
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out.throwaway.key" 2>/dev/null
    csr_key=$out.throwaway.key force=(-force_pubkey "${key#pub:}")
  fi
  openssl req -new -key "$csr_key" -subj "$subj" -out "$out.csr" 2>/dev/null || return 1
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=$eku" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" >"$out.ext"
  [ -z "$san" ] || echo "subjectAltName=$san" >>"$out.ext"
  if [ -z "$start" ]; then
    openssl x509 -req -in "$out.csr" "${force[@]}" -CA "$issuer.pem" -CAkey "$issuer.ca.key" -CAcreateserial \
      -days 30 -extfile "$out.ext" -out "$out.pem" 2>/dev/null
    return
  fi
  # Fixed dates need `openssl ca` (x509 -req has -days only), with a throwaway database.
  mkdir -p "$out.db" && : >"$out.db/index.txt" && echo 1000 >"$out.db/serial"
  printf '%s\n' "[ca]" "default_ca=c" "[c]" "database=$out.db/index.txt" "new_certs_dir=$out.db" \
    "serial=$out.db/serial" "default_md=sha256" "policy=p" "unique_subject=no" "[p]" "commonName=supplied" \
    "organizationName=optional" >"$out.cnf"
  openssl ca -batch -notext -config "$out.cnf" -cert "$issuer.pem" -keyfile "$issuer.ca.key" -startdate "$start" \
    -enddate "$end" -in "$out.csr" -extfile "$out.ext" -out "$out.pem" >/dev/null 2>&1
}

# ------------------------------------------------------------------------------------------
# Run directly (CTest runs every tests/e2e/*.sh, this file too), it tests its own helpers:
# a check that cannot fail, or a failure that is not counted, would make every script lie.
# shellcheck disable=SC2016,SC2317  # the single-quoted scripts are for the child bash
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  self=${BASH_SOURCE[0]}
  child() {  # child 'SCRIPT': runs SCRIPT in a fresh bash that sources this file
    bash -c "source \"\$1\"; $1" child "$self"
  }
  check "a passing check, a clean failure, an exact exit code and a grep all count as passed" \
    child 'check t echo hello; check_said s "^hello\$"; check_fails f false; check_exit 3 e sh -c "exit 3"; finish'
  check_said "  the summary says 4 passed, 0 failed" '^4 passed, 0 failed$' out
  check_exit 1 "a failing check makes the script exit 1" child 'check t false; check t true; finish'
  check_said "  with a FAIL line" '^FAIL t \(exit 1, want 0\)' out
  check_said "  and the summary says 1 passed, 1 failed" '^1 passed, 1 failed$' out
  check_exit 1 "a crash (SIGSEGV) is no clean failure" child 'check_fails c sh -c "kill -SEGV \$\$"; finish'
  check_exit 1 "a wrong exit code fails check_exit" child 'check_exit 2 e sh -c "exit 1"; finish'
  check_exit 1 "check_said fails when the text is absent" child 'check t echo hello; check_said s bye; finish'
  check_exit 1 "a hung command is stopped by the timeout and fails" \
    child 'CHECK_TIMEOUT=1; check slow sleep 30; finish'
  check "the peers' state is private to the run" \
    child 'for d in "$GNUPGHOME" "$HELM_CONFIG_HOME" "$HELM_CACHE_HOME" "$HELM_DATA_HOME" "$HOME" "$CHARTPROV_CACHE_DIR"; do
             case $d in "$W"/*) ;; *) exit 1 ;; esac
           done'
  # A child that starts an HTTP server and exits: its temp dir and its server must be gone.
  probe=$W/probe
  TMPDIR_PROBE=$probe bash -c 'source "$1"; p=$(free_port); start_http "$W" "$p" && echo "$W ${_pids[0]}" >"$TMPDIR_PROBE"' child "$self"
  read -r child_w child_pid <"$probe" 2>/dev/null
  check "on exit, the temp dir is removed" test -n "${child_w:-}" -a ! -e "${child_w:-/}"
  check "  and the HTTP server it started is stopped" bash -c "sleep 0.2; ! kill -0 '${child_pid:-1}' 2>/dev/null"
  finish
  exit
fi

# The transparency log's server, chartprov-log (issue 17), beside chartprov unless $CHARTPROV_LOG.
LOGBIN=${CHARTPROV_LOG:-$(dirname "$CHARTPROV")/chartprov-log}
require_log_helper() {  # a script that needs the log server fails here when the helper is missing
  [ -x "$LOGBIN" ] && return 0
  check "the chartprov-log helper is at $LOGBIN (every build makes it)" test -x "$LOGBIN"
  finish
  exit 1
}
