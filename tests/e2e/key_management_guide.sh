#!/usr/bin/env bash
# Runs every ```sh block of docs/KEY-MANAGEMENT.md, in order, as one script
# (bash -euo pipefail), so the operator guide cannot drift from what works.
set -u
. "$(dirname "$0")/lib.sh"
export CHARTPROV_PKCS11=${CHARTPROV_PKCS11:-$(dirname "$CHARTPROV")/chartprov-pkcs11}
mkdir -p "$W/bin" "$W/guide"
ln -s "$CHARTPROV" "$W/bin/chartprov"
ln -s "$H" "$W/bin/helm"
ln -s "$REPO_ROOT/scripts" "$W/guide/scripts"
awk '/^```sh$/ {on=1; next} /^```$/ {on=0; next} on' "$REPO_ROOT/docs/KEY-MANAGEMENT.md" > "$W/guide.sh"
blocks=$(grep -c '^```sh$' "$REPO_ROOT/docs/KEY-MANAGEMENT.md")
guide() { cd "$W/guide" && PATH="$W/bin:$PATH" bash -euo pipefail -x "$W/guide.sh"; }
CHECK_TIMEOUT=300 check "docs/KEY-MANAGEMENT.md: all $blocks command blocks run" guide
[ "$blocks" -ge 6 ] && { _pass=$((_pass + 1)); echo "PASS the guide has its command blocks ($blocks)"; } \
  || { _fail=$((_fail + 1)); echo "FAIL only $blocks command blocks found"; }
finish
