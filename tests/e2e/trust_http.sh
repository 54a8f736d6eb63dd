#!/usr/bin/env bash
# trust update --from URL: a signed trust root fetched over HTTP from a real local server is
# judged exactly as a file is (threshold, +1, expiry); an endless document is cut off while it
# downloads; plain http:// is refused except to loopback; a certificate nobody trusts is refused.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
for i in 1 2; do "$C" key generate --uid "Root $i <r$i@test.invalid>" --output "root$i" --no-passphrase >/dev/null; done
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
"$C" trust init --output td --root-key root1.key --root-key root2.key --threshold 2 >/dev/null
cp td/root.json v1.json
"$C" trust add-key --trust-dir td --key ci.pub --owner platform-ci --charts '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root1.key >/dev/null
mkdir srv
cp td/staged.json srv/one-signature.json
"$C" trust sign --trust-dir td --root-key root2.key >/dev/null
cp td/staged.json srv/v2.json
cp v1.json srv/v1.json
port=$(free_port)
python3 "$E2E_DIR/http_receiver.py" "$port" srv/requests.jsonl >/dev/null 2>&1 &
_pids+=("$!")
wait_http "http://127.0.0.1:$port/" || echo "the receiver did not start"
U=http://127.0.0.1:$port

check_exit 1 "a version signed by 1 of 2 root keys, downloaded, is refused" "$C" trust update --trust-dir td --from "$U/files/one-signature.json"
check_said "  for its signatures" "2 are needed" err
check_fails "a missing document is refused" "$C" trust update --trust-dir td --from "$U/files/nothere.json"
check_said "  with the HTTP status" "HTTP 404" err
check_fails "an endless document is refused" "$C" trust update --trust-dir td --from "$U/endless"
check_said "  while it downloads, at 1 MiB" "larger than 1048576 bytes" err
check "the signed version 2 over http://127.0.0.1 is accepted" "$C" trust update --trust-dir td --from "$U/files/v2.json"
check_said "  as version 2" "trust root version 2," out
check "  and is now the accepted root" "$C" trust show --trust-dir td
check_said "  (with its signer)" "owner=platform-ci" out
check_exit 1 "rollback to version 1 over HTTP is refused" "$C" trust update --trust-dir td --from "$U/files/v1.json"
check_said "  by name" "rollback" err
check_exit 2 "plain http:// to another host is refused before any connection" "$C" trust update --trust-dir td --from "http://trust.example.invalid/root.json"
check_said "  and says to use https" "only to 127.0.0.1 or localhost; use https://" err
check_exit 2 "credentials in the URL are never printed" "$C" trust update --trust-dir td --from "http://alice:s3cret@trust.example.invalid/root.json"
check "  (not in the message)" bash -c "! grep -q s3cret '$ERR'"

# https:// with a certificate this machine does not trust: refused by the TLS check.
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.crt -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
  tport=$(free_port)
  python3 "$E2E_DIR/http_receiver.py" "$tport" srv/tls-requests.jsonl --tls tls.crt tls.key >/dev/null 2>&1 &
  _pids+=("$!")
  for _ in $(seq 1 50); do curl -sk -o /dev/null "https://127.0.0.1:$tport/" && break; sleep 0.1; done
  check_fails "https:// with a self-signed certificate is refused" "$C" trust update --trust-dir td --from "https://127.0.0.1:$tport/files/v2.json"
  check_said "  by the certificate check" "certificate|SSL" err
else
  skip "openssl cannot make a test certificate"
fi
finish
