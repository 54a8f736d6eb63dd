#!/usr/bin/env bash
# Keyless Sigstore bundles (issue 16), every row of tests/data/sigstore-keyless/cases.tsv:
# third-party bundles from the Sigstore conformance suite and sigstore-python (Fulcio
# certificates, Rekor v1 and v2 entries, RFC 3161 timestamps, DSSE attestations), run through
# `chartprov verify-blob` with the row's trusted root and exact identity. A row expected to
# pass must exit 0; a row expected to fail must fail cleanly AND for the reason
# keyless_reasons.tsv gives it (so that a verifier refusing everything cannot pass).
# Rows where sigstore-js disagrees follow upstream's `expect` (cases.tsv says why).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
V=${TEST_DATA:-$REPO_ROOT/tests/data}/sigstore-keyless
REASONS=$E2E_DIR/keyless_reasons.tsv
cd "$V"

declare -A reason
while IFS=$'\t' read -r id re; do
  [ -n "$id" ] && [ "${id#\#}" = "$id" ] && reason[$id]=$re
done <"$REASONS"

rows=0
while IFS=$'\t' read -r -a f; do
  id=${f[0]} bundle=${f[1]} artifact=${f[2]} root=${f[3]} identity=${f[4]} issuer=${f[5]} expect=${f[6]}
  rows=$((rows + 1))
  args=(verify-blob --bundle "$bundle" --trusted-root "$root" --certificate-identity "$identity"
        --certificate-oidc-issuer "$issuer")
  [ "$artifact" != "-" ] && args=(verify-blob "$artifact" "${args[@]:1}")
  if [ "$expect" = pass ]; then
    check "$id: verified" "$C" "${args[@]}"
  else
    check_fails "$id: refused" "$C" "${args[@]}"
    if [ -n "${reason[$id]:-}" ]; then
      check_said "  $id: for its reason" "${reason[$id]}" err
    else
      _fail=$((_fail + 1)); echo "FAIL $id has no expected reason in keyless_reasons.tsv"
    fi
  fi
done < <(tail -n +2 cases.tsv)
# py/bundle_v3_no_signed_time.txt with the root its log entry belongs to: refused for having no signed time.
check_fails "no signed time (production root)" "$C" verify-blob artifacts/sigstore-python/bundle_v3_no_signed_time.txt \
  --bundle bundles/sigstore-python/bundle_v3_no_signed_time.txt.sigstore.json --trusted-root roots/production/trusted_root.json \
  --certificate-identity william@yossarian.net --certificate-oidc-issuer https://github.com/login/oauth
check_said "  says so" "no signed time" err

# The identity is matched whole: a regexp matching only a prefix does not pass, an anchored one does.
gha=(verify-blob artifacts/sigstore-python/bundle_v3_github.whl --bundle bundles/sigstore-python/bundle_v3_github.whl.sigstore
     --trusted-root roots/production/trusted_root.json --certificate-oidc-issuer https://token.actions.githubusercontent.com)
check_exit 1 "identity regexp covering only a prefix: refused" "$C" "${gha[@]}" --certificate-identity-regexp 'https://github\.com/trailofbits/'
check "identity regexp covering the whole subject: verified" "$C" "${gha[@]}" --certificate-identity-regexp 'https://github\.com/trailofbits/rfc8785\.py/\.github/workflows/release\.yml@refs/tags/v.*'
check_exit 1 "a Fulcio claim that differs (build-trigger): refused" "$C" "${gha[@]}" --certificate-identity-regexp '.*' --certificate-claim build-trigger=pull_request
check_said "  names the claim" "build-trigger" err
check_exit 2 "an unknown claim name: usage error" "$C" "${gha[@]}" --certificate-identity-regexp '.*' --certificate-claim repo=x
check_exit 2 "no identity for a certificate bundle: usage error" "$C" verify-blob artifacts/sigstore-python/bundle_v3_github.whl --bundle bundles/sigstore-python/bundle_v3_github.whl.sigstore --trusted-root roots/production/trusted_root.json
check "--json reports the identity and its claims" "$C" "${gha[@]}" --certificate-identity-regexp '.*' --json
check_said "  the source repository claim" '"source-repository-uri": "https://github.com/trailofbits/rfc8785.py"' out

# A root certificate carried in the bundle's chain is refused: roots come from the trusted root only.
python3 - "$W/with-root.json" <<'PY'
import json, sys
b = json.load(open("bundles/sigstore-conformance/happy-path-v0.2/bundle.sigstore.json"))
root = json.load(open("roots/production/trusted_root.json"))
anchor = root["certificateAuthorities"][-1]["certChain"]["certificates"][-1]
b["verificationMaterial"]["x509CertificateChain"]["certificates"].append(anchor)
json.dump(b, open(sys.argv[1], "w"))
PY
check_exit 1 "a bundle whose chain carries the root: refused" "$C" verify-blob artifacts/sigstore-conformance/a.txt \
  --bundle "$W/with-root.json" --trusted-root roots/production/trusted_root.json \
  --certificate-identity https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main \
  --certificate-oidc-issuer https://token.actions.githubusercontent.com
check_said "  says why" "the bundle carries a root certificate" err

[ "$rows" -eq 86 ] && { _pass=$((_pass + 1)); echo "PASS all 86 rows ran"; } ||
  { _fail=$((_fail + 1)); echo "FAIL ran $rows rows, cases.tsv has 86"; }

finish
