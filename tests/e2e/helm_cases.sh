#!/usr/bin/env bash
# Every row of tests/data/helm/cases.tsv through the built binary: exit code
# 0 for "ok", 1 for "fail" (2 where the input itself is unusable), and the
# --json output agrees with the exit code.
set -u
: "${CHARTPROV:?}" "${TEST_DATA:?}"
cd "$TEST_DATA/helm" || exit 1
export CHARTPROV_CACHE_DIR; CHARTPROV_CACHE_DIR=$(mktemp -d)
trap 'rm -rf "$CHARTPROV_CACHE_DIR"' EXIT
pass=0 fail=0
while IFS=$'\t' read -r name chart prov keyring expected _; do
  [ "$name" = case ] && continue
  args=(verify "$chart" --keyring "$keyring")
  [ "$prov" != - ] && args+=(--prov "$prov")
  "$CHARTPROV" "${args[@]}" >/dev/null 2>"$CHARTPROV_CACHE_DIR/err"; rc=$?
  case "$name" in
    keyring-missing|neg-not-tgz-extension) want=2 ;;
    *) if [ "$expected" = ok ]; then want=0; else want=1; fi ;;
  esac
  json_ok=1
  if [ "$want" -ne 2 ]; then
    verified=$("$CHARTPROV" "${args[@]}" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["verified"])')
    { [ "$want" = 0 ] && [ "$verified" = True ]; } || { [ "$want" = 1 ] && [ "$verified" = False ]; } || json_ok=0
  fi
  if [ "$rc" = "$want" ] && [ "$json_ok" = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $name: exit $rc (want $want), json_ok=$json_ok: $(head -3 "$CHARTPROV_CACHE_DIR/err")"
  fi
done < cases.tsv
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
