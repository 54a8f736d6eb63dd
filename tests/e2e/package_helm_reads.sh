#!/usr/bin/env bash
# `chartprov package` against real helm v4 on the vector charts: same file
# name and entry list as `helm package`, readable by `helm template` and
# `helm lint`, byte-reproducible, SOURCE_DATE_EPOCH honoured.
# Env (set by CTest): CHARTPROV, PEERS, TEST_DATA.
# Assumes the CLI shape `chartprov package <dir> -d <out dir>` (like helm).
set -uo pipefail
: "${CHARTPROV:?}" "${PEERS:?}" "${TEST_DATA:?}"
HELM=$PEERS/helm
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export HELM_CONFIG_HOME=$W/h/config HELM_CACHE_HOME=$W/h/cache HELM_DATA_HOME=$W/h/data KUBECONFIG=$W/none
unset SOURCE_DATE_EPOCH

if ! "$CHARTPROV" package --help >/dev/null 2>&1; then
  echo "SKIP: $CHARTPROV has no 'package' command yet"
  exit 0
fi

pass=0
fail=0
check() {  # check <description> <command...>
  local what=$1
  shift
  if "$@" >"$W/out" 2>&1; then
    pass=$((pass + 1))
    echo "ok   $what"
  else
    fail=$((fail + 1))
    echo "FAIL $what"
    sed 's/^/     /' "$W/out" | head -20
  fi
}

for chart in demo rich; do
  src=$TEST_DATA/helm/generated/chart/$chart
  mkdir -p "$W/ours/$chart" "$W/again/$chart" "$W/epoch/$chart" "$W/helm/$chart"
  check "$chart: chartprov package" "$CHARTPROV" package "$src" -d "$W/ours/$chart"
  check "$chart: helm package" "$HELM" package "$src" -d "$W/helm/$chart"
  ours=$(ls "$W/ours/$chart"/*.tgz 2>/dev/null | head -1)
  theirs=$(ls "$W/helm/$chart"/*.tgz 2>/dev/null | head -1)
  check "$chart: same file name as helm ($(basename "${theirs:-none}"))" \
    test -n "$ours" -a "$(basename "${ours:-x}")" = "$(basename "${theirs:-y}")"
  check "$chart: same entries in the same order as helm" \
    diff <(tar tzf "$ours") <(tar tzf "$theirs")
  check "$chart: helm template reads it" "$HELM" template rel "$ours"
  check "$chart: helm lint accepts it" "$HELM" lint "$ours"
  check "$chart: helm show chart names it" bash -c "'$HELM' show chart '$ours' | grep -qx 'name: $chart'"
  check "$chart: entries are 0644, uid/gid 0, no owner names" \
    bash -c "tar tvzf '$ours' | awk '\$1 != \"-rw-r--r--\" || \$2 != \"0/0\" { exit 1 }'"
  check "$chart: a second run gives the same bytes" \
    bash -c "'$CHARTPROV' package '$src' -d '$W/again/$chart' && cmp '$ours' '$W/again/$chart/$(basename "$ours")'"
  check "$chart: SOURCE_DATE_EPOCH sets every mtime" \
    bash -c "SOURCE_DATE_EPOCH=1700000000 '$CHARTPROV' package '$src' -d '$W/epoch/$chart' &&
             TZ=UTC tar tvzf '$W/epoch/$chart/$(basename "$ours")' | awk '\$4 != \"2023-11-14\" { exit 1 }'"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
