#!/usr/bin/env bash
# Issue 14, finding 2: chartprov must not judge a chart by a name or version that helm does not
# use. For each way helm's YAML and JSON libraries read Chart.yaml differently from a plain YAML
# parser (docs/CHART-YAML.md), the REAL helm v4 and v3 are shown to read another name or version
# than demo 0.1.0 from the chart directory and from an archive of it (made with tar, as an
# attacker would: helm package rewrites Chart.yaml), and chartprov package, sign and verify (of
# a valid cosign signature over that archive) refuse it. Ordinary charts (CRLF and a leading
# byte order mark included) still package under helm's file name, sign and verify.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"

COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
# A second key that signs as cosign sign-blob does (base64 DER ECDSA over SHA-256), with openssl.
openssl ecparam -genkey -name prime256v1 -noout -out raw.pem 2>/dev/null
openssl ec -in raw.pem -pubout -out raw.pub 2>/dev/null

# make_chart DIR BYTES: a chart directory whose Chart.yaml is BYTES (printf escapes).
make_chart() {
  mkdir -p "$1/templates"
  printf "$2" >"$1/Chart.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' >"$1/templates/cm.yaml"
}

# helm_reads HELM CHART: "NAME VERSION" as that helm reads the chart (directory or archive).
helm_reads() {
  "$1" show chart "$2" 2>/dev/null | awk '/^name:/ { n = $2 } /^version:/ { v = $2 } END { print n " " v }'
}

export -f helm_reads

base='apiVersion: v2\nname: demo\nversion: 0.1.0\n'
while IFS='|' read -r case extra; do
  make_chart "$case/demo" "$base$extra"
  for h in "$H" "$H3"; do
    check "$case: $(basename "$h") reads another name or version than demo 0.1.0" \
      bash -c "[ \"\$(helm_reads '$h' '$case/demo')\" != 'demo 0.1.0' ] && [ -n \"\$(helm_reads '$h' '$case/demo')\" ]"
  done
  # The archive as an attacker makes it: the raw Chart.yaml, signed with a valid key.
  tgz=$case/demo-0.1.0.tgz
  tar -C "$case" --format=ustar --owner=0 --group=0 -czf "$tgz" demo/Chart.yaml demo/templates/cm.yaml
  openssl dgst -sha256 -sign raw.pem "$tgz" | base64 -w0 >"$tgz.sig"
  for h in "$H" "$H3"; do
    check "$case: $(basename "$h") reads the archive so too" \
      bash -c "[ \"\$(helm_reads '$h' '$tgz')\" != 'demo 0.1.0' ] && [ -n \"\$(helm_reads '$h' '$tgz')\" ]"
  done
  mkdir -p "$case/ours"
  check_exit 2 "$case: chartprov package refuses the chart" "$C" package "$case/demo" -d "$case/ours"
  check_said "$case:   and names Chart.yaml" "Chart.yaml" err
  check_fails "$case: chartprov sign refuses the archive" env COSIGN_PASSWORD=pw "$C" sign "$tgz" --key ci.key
  check_said "$case:   because of Chart.yaml" "Chart.yaml" err
  check_fails "$case: chartprov verify refuses the signed archive" "$C" verify "$tgz" --key raw.pub
  check_said "$case:   because of Chart.yaml" "Chart.yaml" err
  check_fails "$case: the deploy gate's decision refuses it" "$C" verify "$tgz" --key raw.pub --env production
done <<'CASES'
line-separator|# note\xe2\x80\xa8name: payments\n
paragraph-separator|description: a\xe2\x80\xa9version: 9.9.9\n
next-line|# x\xc2\x85version: 9.9.9\n
lone-cr|# x\rname: payments\n
long-s-key|ver\xc5\xbfion: 9.9.9\n
binary-key|!!binary bmFtZQ==: payments\n
CASES


# Ordinary charts: the same name for both, and chartprov's archive has helm's file name.
make_chart plain/demo "$base"'description: caf\xc3\xa9\n'
make_chart crlf/demo 'apiVersion: v2\r\nname: demo\r\nversion: 0.1.0\r\n'
make_chart bom/demo '\xef\xbb\xbf'"$base"
for case in plain crlf bom; do
  mkdir -p "$case/ours" "$case/helms"
  check "$case: helm reads demo 0.1.0" bash -c "[ \"\$(helm_reads '$H' '$case/demo')\" = 'demo 0.1.0' ]"
  check "$case: chartprov package" "$C" package "$case/demo" -d "$case/ours"
  check "$case: helm package" "$H" package "$case/demo" -d "$case/helms"
  check "$case: the same file name as helm's" \
    bash -c "[ \"\$(ls '$case/ours')\" = \"\$(ls '$case/helms')\" ] && [ \"\$(ls '$case/ours')\" = demo-0.1.0.tgz ]"
  check "$case: sign" env COSIGN_PASSWORD=pw "$C" sign "$case/ours/demo-0.1.0.tgz" --key ci.key
  check "$case: verify" "$C" verify "$case/ours/demo-0.1.0.tgz" --key ci.pub
done

finish
