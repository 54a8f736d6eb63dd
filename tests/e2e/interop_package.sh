#!/usr/bin/env bash
# `chartprov package` against `helm package` (v4) on the same chart directory: a
# `helm create` chart with a .helmignore of several pattern kinds and a vendored subchart
# in charts/ (with its own .helmignore). Same archive name, same entries, same file
# contents (Chart.yaml aside: kept verbatim by design, same metadata to helm); helm v4/v3
# lint and template read our archive and render what they render from helm's; runs give
# the same bytes; --sign writes a .prov that helm accepts; helm's "!pattern" quirk agrees.
# Env (set by CTest): CHARTPROV, CHARTPROV_RNP, PEERS.
source "$(dirname "$0")/lib.sh"

CHART=demo-0.1.0.tgz
mkdir -p "$W/src"
helm_create "$W/src" demo
helm_create "$W/src/demo/charts" sub
S=$W/src/demo
# A vendored subchart must be declared, or helm lint refuses the parent.
printf 'dependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n' >>"$S/Chart.yaml"
cat >>"$S/.helmignore" <<'EOF'
# added by interop_package.sh
*.bak
scratch/
/TODO.txt
docs/draft-*.md
templates/*.orig
EOF
echo 'sub-local.txt' >>"$S/charts/sub/.helmignore"
mkdir -p "$S/scratch" "$S/docs" "$S/files" "$S/nested"
echo 'ignored' >"$S/notes.bak"
echo 'ignored dir' >"$S/scratch/tmp.txt"
echo 'ignored at the root only' >"$S/TODO.txt"
echo 'not the root one' >"$S/nested/TODO.txt"
echo 'kept' >"$S/docs/guide.md"
echo 'ignored' >"$S/docs/draft-1.md"
echo 'ignored' >"$S/templates/configmap.yaml.orig"
printf '[main]\nkey = value\n' >"$S/files/config.ini"
echo 'only the subchart ignores this' >"$S/charts/sub/sub-local.txt"
echo 'ignored by the subchart' >"$S/charts/sub/values.bak"

# Comparisons that cannot pass on missing input.
same_entries() {  # same_entries A B [sort]: tar lists of A and B agree (as sets with "sort")
  tar tzf "$1" >"$W/list-a" && tar tzf "$2" >"$W/list-b" && test -s "$W/list-a" || return 1
  if [ "${3:-}" = sort ]; then diff <(sort "$W/list-a") <(sort "$W/list-b"); else diff "$W/list-a" "$W/list-b"; fi
}
same_bytes() {  # same_bytes A B: both exist and have the same SHA-256
  test -s "$1" -a -s "$2" && test "$(sha256sum <"$1")" = "$(sha256sum <"$2")"
}
in_archive() {  # in_archive TGZ ENTRY...: every ENTRY is in TGZ
  local list e; list=$(tar tzf "$1") || return 1; shift
  for e in "$@"; do grep -qxF -- "$e" <<<"$list" || { echo "missing: $e"; return 1; }; done
}
not_in_archive() {  # not_in_archive TGZ ERE: no entry of TGZ matches ERE
  local list; list=$(tar tzf "$1") && test -n "$list" || return 1
  ! grep -E -- "$2" <<<"$list"
}

mkdir -p "$W/helm" "$W/ours" "$W/again" "$W/signed" "$W/x-helm" "$W/x-ours"
check "helm v4 package" "$H" package "$S" -d "$W/helm"
check "chartprov package" "$CHARTPROV" package "$S" -d "$W/ours"
check "  writes the archive helm names $CHART" test -s "$W/ours/$CHART"
check "  and nothing else" test "$(ls -A "$W/ours")" = "$CHART"
check "same entry list as helm package (tar tzf | sort)" same_entries "$W/helm/$CHART" "$W/ours/$CHART" sort
check "same entry order as helm package" same_entries "$W/helm/$CHART" "$W/ours/$CHART"
check "  the .helmignore patterns took effect (no ignored file in the archive)" \
  not_in_archive "$W/ours/$CHART" 'notes\.bak|scratch/|^demo/TODO\.txt|draft-1\.md|\.orig$|values\.bak'
check "  and kept what they must keep" in_archive "$W/ours/$CHART" demo/Chart.yaml demo/nested/TODO.txt \
  demo/docs/guide.md demo/files/config.ini demo/charts/sub/Chart.yaml demo/charts/sub/templates/deployment.yaml
tar -xzf "$W/helm/$CHART" -C "$W/x-helm" 2>/dev/null
tar -xzf "$W/ours/$CHART" -C "$W/x-ours" 2>/dev/null
# Chart.yaml is the one file whose bytes differ by design: helm re-serialises it, chartprov
# packages the reviewed file verbatim. Helm must read the same metadata from both.
check "same file contents as helm package, Chart.yaml aside (diff -r)" \
  bash -c "test -s '$W/x-ours/demo/Chart.yaml' && diff -r -x Chart.yaml '$W/x-helm' '$W/x-ours'"
check "our Chart.yaml files are the source files, verbatim" \
  bash -c "cmp '$S/Chart.yaml' '$W/x-ours/demo/Chart.yaml' && cmp '$S/charts/sub/Chart.yaml' '$W/x-ours/demo/charts/sub/Chart.yaml'"
"$H" show chart "$W/helm/$CHART" >"$W/helm.chart" 2>/dev/null
check "helm show chart reads the same metadata from both archives" \
  bash -c "grep -q '^- condition: sub.enabled' '$W/helm.chart' && '$H' show chart '$W/ours/$CHART' | diff '$W/helm.chart' -"
check "helm v4 lint accepts helm's archive (reference)" "$H" lint "$W/helm/$CHART"

check "helm v4 lint accepts our archive" "$H" lint "$W/ours/$CHART"
check "helm v3 lint accepts our archive" "$H3" lint "$W/ours/$CHART"
check "helm v4 template renders our archive" "$H" template rel "$W/ours/$CHART"
cp "$OUT" "$W/ours.rendered"
check "  with the subchart in it" grep -q 'name: rel-sub' "$W/ours.rendered"
"$H" template rel "$W/helm/$CHART" >"$W/helm.rendered" 2>/dev/null
check "  exactly as it renders helm's archive" bash -c "test -s '$W/helm.rendered' && diff '$W/helm.rendered' '$W/ours.rendered'"
check "helm v3 template renders our archive" "$H3" template rel "$W/ours/$CHART"

check "a second chartprov package run" "$CHARTPROV" package "$S" -d "$W/again"
check "  gives the same bytes (sha256sum)" same_bytes "$W/ours/$CHART" "$W/again/$CHART"
find "$S" -exec touch -d '2031-02-03 04:05:06' {} +
mkdir -p "$W/touched"
check "a run after every source file's mtime changed" "$CHARTPROV" package "$S" -d "$W/touched"
check "  gives the same bytes still (mtimes are not taken from the sources)" same_bytes "$W/ours/$CHART" "$W/touched/$CHART"

# --sign: the .prov beside the archive, accepted by helm; the archive is the unsigned one.
export CHARTPROV_PASSWORD=package-pass
check "key generate (ecdsa-p256)" "$CHARTPROV" key generate --algorithm ecdsa-p256 \
  --uid "Packager <packager@chartprov.invalid>" --output "$W/packager"
check "chartprov package --sign" "$CHARTPROV" package "$S" --sign --key "$W/packager.key" -d "$W/signed"
check "  writes $CHART and $CHART.prov" test -s "$W/signed/$CHART" -a -s "$W/signed/$CHART.prov"
check "  the signed archive is the unsigned one, byte for byte" same_bytes "$W/ours/$CHART" "$W/signed/$CHART"
check "  helm v4 verify accepts it" "$H" verify "$W/signed/$CHART" --keyring "$W/packager.pub.gpg"
check "  helm v3 verify accepts it" "$H3" verify "$W/signed/$CHART" --keyring "$W/packager.pub.gpg"
check "  helm v4 install --dry-run=client --verify accepts it" \
  "$H" install rel "$W/signed/$CHART" --dry-run=client --verify --keyring "$W/packager.pub.gpg"
check "  gpgv accepts it" gpgv --keyring "$W/packager.pub.gpg" "$W/signed/$CHART.prov"
check "  chartprov verify accepts it" "$CHARTPROV" verify "$W/signed/$CHART" --keyring "$W/packager.pub.gpg"
check_exit 2 "package --sign without --key is a usage error" "$CHARTPROV" package "$S" --sign -d "$W/nokey"
check "  and writes no .prov" test ! -e "$W/nokey/$CHART.prov"

# Helm's negation rule: "!keep.bak" ignores every path that is NOT keep.bak (Chart.yaml
# included), so helm refuses the directory; chartprov must refuse it too, not package it.
cp -r "$S" "$W/negated"
echo '!keep.bak' >>"$W/negated/.helmignore"
mkdir -p "$W/neg-helm" "$W/neg-ours"
check_fails "a '!pattern' line in .helmignore: helm v4 package refuses the chart (reference)" "$H" package "$W/negated" -d "$W/neg-helm"
check_said "  (helm no longer sees Chart.yaml)" "Chart.yaml file is missing"
check_exit 2 "  chartprov package refuses it too" "$CHARTPROV" package "$W/negated" -d "$W/neg-ours"
check "  and writes no archive" test -z "$(ls -A "$W/neg-ours")"

finish
