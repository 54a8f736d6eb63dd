#!/usr/bin/env bash
# The decision store (issue 17): `--events-postgres URL` puts every decision into the table
# chartprov_events of a real PostgreSQL 15 (the CTest fixture "postgres",
# tests/logstore/postgres_fixture.sh), through the chartprov-log helper; read back with psql.
# An unreachable database is reported on stderr, never with its password, and changes no
# verdict: a deny stays a deny, an allow an allow.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
export CHARTPROV_LOG=${CHARTPROV_LOG:-$(dirname "$C")/chartprov-log}
: "${CHARTPROV_TEST_PG_URL_FILE:?run through ctest: the fixture postgres names the server}"
SERVER=$(cat "$CHARTPROV_TEST_PG_URL_FILE")
cd "$W"

# A database of our own on the fixture's server, dropped at the end.
DBNAME="e2e_events_$$"
psql -q "$SERVER" -c "CREATE DATABASE $DBNAME" >/dev/null || { echo "FAIL: cannot create $DBNAME"; exit 1; }
trap 'psql -q "$SERVER" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1; cleanup' EXIT
DB="${SERVER%/*}/$DBNAME"
q() { psql -X -A -t -q "$DB" -c "$1"; }

"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output release >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key release.pub --owner release-team --charts '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
for c in web api; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done
COSIGN_PASSWORD=pw "$C" sign web-0.1.0.tgz --key release.key >/dev/null
cat > policy.yaml <<'YAML'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        signers: [release-team]
YAML
verify() { "$C" verify "$1-0.1.0.tgz" --env production --policy policy.yaml --trust-dir td "${@:2}"; }

# ------------------------------------------------------------------ decisions land in the table
check "allow, recorded in PostgreSQL" verify web --events-postgres "$DB"
check_exit 1 "deny, recorded in PostgreSQL" verify api --events-postgres "$DB"
check "  the table was created and holds both decisions" \
  test "$(q "SELECT count(*) FROM chartprov_events WHERE kind = 'decision'")" = 2
check "  the allow: chart, version, environment, mode, signer, digest" \
  test "$(q "SELECT name || ' ' || version || ' ' || environment || ' ' || mode || ' ' || array_length(signers, 1)
             || ' ' || (digest LIKE 'sha256:%') FROM chartprov_events WHERE decision = 'allow'")" = \
       "web 0.1.0 production enforce 1 true"
DIGEST=$(sha256sum web-0.1.0.tgz | cut -d' ' -f1)
check "  the allow's digest is the chart's sha256" \
  test "$(q "SELECT digest FROM chartprov_events WHERE decision = 'allow'")" = "sha256:$DIGEST"
check "  the deny names its chart and a reason" \
  test "$(q "SELECT name || ' ' || reason_code || ' ' || (array_length(reasons, 1) >= 1) FROM chartprov_events
             WHERE decision = 'deny'")" != ""
check "  actor (jsonb) and host are the process's" \
  test "$(q "SELECT actor->>'user' || ' ' || host FROM chartprov_events WHERE decision = 'allow'")" = \
       "$(id -un) $(hostname)"
check "  time is a timestamptz close to now" \
  test "$(q "SELECT abs(extract(epoch FROM now() - time)) < 300 FROM chartprov_events WHERE decision = 'allow'")" = t
check "  event (jsonb) is the whole event, as webhooks get it" \
  test "$(q "SELECT event->>'tool' LIKE 'chartprov %' AND event->>'name' = 'web' FROM chartprov_events
             WHERE decision = 'allow'")" = t
# signers name the trust root's owner and the key id's first 16 hex digits (as the event does).
KEYID=$("$C" key list | awk '/release\.key/ {f = 1} f && /key id/ {print $3; exit}')
check "  the signer is the release key: its owner and key id" \
  test "$(q "SELECT signers[1] FROM chartprov_events WHERE decision = 'allow'")" = "release-team (${KEYID:0:16})"
check "  \"who deployed what, verified by which key\": one query" \
  test "$(q "SELECT count(*) FROM chartprov_events WHERE decision = 'allow'
             AND EXISTS (SELECT 1 FROM unnest(signers) s WHERE s LIKE '%(${KEYID:0:16})')")" = 1

# ------------------------------------------------------------------ the environment variable
check "CHARTPROV_EVENTS_POSTGRES when --events-postgres is not given" \
  env CHARTPROV_EVENTS_POSTGRES="$DB" "$C" verify web-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check "  a third row" test "$(q "SELECT count(*) FROM chartprov_events")" = 3
check_exit 2 "a bad URL is a usage error (exit 2)" verify web --events-postgres "mysql://db/x"

# ------------------------------------------------------------------ an unreachable database
DEAD="postgresql://chartprov:hunter2-secret@127.0.0.1:$(free_port)/chartprov?connect_timeout=3"
check_exit 1 "an unreachable decision store does not turn a deny into an allow" verify api --events-postgres "$DEAD"
check_said "  it is reported, named without its password" \
  '^chartprov: event: decision store postgresql://\*\*\*@127\.0\.0\.1:[0-9]+/chartprov\?\*\*\*: .*cannot connect' err
cat "$OUT" "$ERR" >dead.said
check_fails "  the password is never printed" grep -q hunter2-secret dead.said
check "an unreachable decision store does not turn an allow into a deny" verify web --events-postgres "$DEAD"
check_said "  reported" 'decision store .*cannot connect' err
check "the other store still gets the event when one is down" \
  verify web --events-postgres "$DEAD" --events-postgres "$DB"
check "  a fourth row" test "$(q "SELECT count(*) FROM chartprov_events")" = 4
check "a missing helper is reported, the verdict kept" \
  env CHARTPROV_LOG="$W/no-such-helper" "$C" verify web-0.1.0.tgz --env production --policy policy.yaml \
  --trust-dir td --events-postgres "$DB"
check_said "  reported" 'decision store .*chartprov-log|decision store .*no-such-helper' err

finish
