#!/usr/bin/env bash
# The log's time judges a trust root's key (issue 17): a key revoked after it signed still counts
# for what it signed before, when chartprov's own log proves when that was. The same bundle under a
# trust root that does not list the log has no time anyone vouches for: the key is judged now, and
# the revoked key is refused. The first trust root embeds the trusted root that lists the log
# (trust set-sigstore-root).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
require_log_helper
export CHARTPROV_TRUST_STATE=$W/trust-state.json
CHART=withschema-0.1.0.tgz
mkdir logged
cp "$TEST_DATA/helm-release/charts/$CHART" logged/
"$C" key generate --algorithm ed25519 --output log --no-passphrase --uid "log <log@example.com>" >/dev/null
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
"$C" key generate --output signer --no-passphrase --uid "CI <ci@example.com>" >/dev/null
openssl pkey -in signer.key -pubout -out signer.pub 2>/dev/null
"$C" key generate --output root1 --no-passphrase --uid "root <root@example.com>" >/dev/null

PL=$(free_port)
URL=http://127.0.0.1:$PL
"$LOGBIN" serve --listen "127.0.0.1:$PL" --db "sqlite:$W/log.db" --key log.key >log.out 2>&1 &
echo $! >log.pid
for _ in $(seq 50); do curl -sf "$URL/checkpoint" >/dev/null && break; sleep 0.1; done
"$C" log trusted-root --url "$URL" --key log.pub --valid-from 2020-01-01T00:00:00Z >root.json

# accept DIR: version N+1 signed by the root key and accepted.
accept() { "$C" trust sign --trust-dir "$1" --root-key root1.key >/dev/null && "$C" trust update --trust-dir "$1" --from "$1/staged.json"; }
check "trust init (with the log)" "$C" trust init --output td --root-key root1.key
check "trust init (without)" "$C" trust init --output plain --root-key root1.key
check "add-key: the signer, any chart" "$C" trust add-key --trust-dir td --key signer.pub --owner ci --charts '*'
check "  (without)" "$C" trust add-key --trust-dir plain --key signer.pub --owner ci --charts '*'
check "set-sigstore-root: the trusted root that lists the log" "$C" trust set-sigstore-root --trust-dir td root.json
check "version 2 signed and accepted" accept td
check "  (without)" accept plain

check "sign --log: the bundle's entry carries the log's time" \
  "$C" sign "logged/$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key log.pub
check "it counts before the revocation, under the root with the log" "$C" verify "logged/$CHART" --trust-dir td
check "  and under the root without" "$C" verify "logged/$CHART" --trust-dir plain

sleep 2
KEYID=$(openssl pkey -pubin -in signer.pub -outform der | sha256sum | cut -d' ' -f1)
check "revoke-key now (after the signing)" "$C" trust revoke-key --trust-dir td "$KEYID"
check "  (without)" "$C" trust revoke-key --trust-dir plain "$KEYID"
check "version 3 signed and accepted" accept td
check "  (without)" accept plain
check "the signature still counts: the log proves it came before the revocation" \
  "$C" verify "logged/$CHART" --trust-dir td
check_exit 1 "without the log listed the time is unknown: judged now, the key is revoked" \
  "$C" verify "logged/$CHART" --trust-dir plain
check_said "for its reason" "revoked" err

kill "$(cat log.pid)" 2>/dev/null
finish
