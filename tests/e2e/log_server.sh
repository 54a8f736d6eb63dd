#!/usr/bin/env bash
# chartprov log serve: the transparency log on SQLite and on a real PostgreSQL 15, driven from
# outside (tests/e2e/log_driver.py): entries submitted by many threads, every acknowledgement
# checked against the signed checkpoint, the tiles and the entry bundles; kill -9 of the log
# during appends, and PostgreSQL stopped in immediate mode under load, lose no acknowledged entry
# and duplicate none; two front-ends on one PostgreSQL make one tree; malformed and oversized
# submissions are refused while the log keeps serving; SIGTERM stops it.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
export CHARTPROV_LOG=${CHARTPROV_LOG:-$(dirname "$C")/chartprov-log}
D="python3 $E2E_DIR/log_driver.py"
PG="$REPO_ROOT/scripts/postgres.sh"
cd "$W"

"$C" key generate --algorithm ed25519 --uid "Log <log@test.invalid>" --output log --no-passphrase >/dev/null
ORIGIN=log.test.invalid

_logs=()  # name -> pid, for stop_log
start_log() {  # start_log NAME PORT DB [extra options]: returns once it listens; LOG_PID is its PID
  local name=$1 port=$2 db=$3
  shift 3
  "$C" log serve --listen "127.0.0.1:$port" --db "$db" --key log.key --origin "$ORIGIN" "$@" \
    >"$name.out" 2>"$name.err" &
  LOG_PID=$!
  _pids+=("$LOG_PID")
  local _
  for _ in $(seq 1 100); do
    grep -q 'listening on' "$name.out" 2>/dev/null && return 0
    kill -0 "$LOG_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "  $name did not start:"; sed 's/^/    /' "$name.err" | head -5
  return 1
}

pg_pid() { head -n 1 "$1/postmaster.pid"; }
reap() { wait "$1"; }
wait_acks() {  # wait_acks ACKS N: until N submissions are acknowledged (at most 30 s), so a kill lands mid-load
  local _
  for _ in $(seq 1 300); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
}
mid_load() {  # mid_load ACKS N: some of N submissions are acknowledged, not all
  local n
  n=$(wc -l <"$1" 2>/dev/null || echo 0)
  echo "$n of $2 acknowledged"
  [ "$n" -gt 0 ] && [ "$n" -lt "$2" ]
}  # reap PID: its exit status (a function: check runs it in this shell)

# --- SQLite: the contract's command, writes, reads, refusals ---------------------------------
P1=$(free_port)
U1=http://127.0.0.1:$P1
check_exit 2 "listening on every address without --origin is a usage error" \
  "$C" log serve --listen 0.0.0.0:0 --db "sqlite:$W/never.db" --key log.key
check_said "  naming the option" "--origin NAME is needed when the log listens on every address" err
check "  and creates no database" test ! -e "$W/never.db"
cp log.key loose.key && chmod 0644 loose.key
check_exit 2 "a log key readable by others is refused" \
  "$C" log serve --listen 127.0.0.1:0 --db "sqlite:$W/never.db" --key loose.key --origin "$ORIGIN"
check_said "  for that reason, not for a passphrase" "loose.key is accessible by group or others \(mode 0644\)" err
check "log serve starts on SQLite" start_log s1 "$P1" "sqlite:$W/log.db"
check "the PID started is the server's (chartprov execs chartprov-log)" \
  bash -c "readlink /proc/$LOG_PID/exe | grep -q 'chartprov-log\$'"
check "it says where it listens, under which origin" grep -q "listening on http://127.0.0.1:$P1 (origin $ORIGIN" s1.out
check "an empty log has a signed checkpoint of size 0" $D check "$U1" --key log.key --origin $ORIGIN --expect 0
check "60 requests are made" $D make 60 r1.jsonl web-
check "60 submissions from 8 threads are acknowledged" $D submit "$U1" --requests r1.jsonl --acks a1.jsonl --threads 8
check "every ack is in the tree once; checkpoint, tiles, bundles and proofs agree" \
  $D check "$U1" --key log.key --origin $ORIGIN --acks a1.jsonl --expect 60
check "resubmitting all of them answers 200 with the entries logged" $D resubmit "$U1" --requests r1.jsonl
check "  and adds nothing" $D check "$U1" --key log.key --origin $ORIGIN --acks a1.jsonl --expect 60
check_exit 22 "malformed JSON is 400" curl -fsS -o /dev/null -d 'not json' "$U1/api/v2/log/entries"
check_said "  with a JSON error" "400" err
check "  whose body names the refusal" bash -c "curl -sS -d '{\"x\":1}' $U1/api/v2/log/entries | grep -q 'submission: request has an unknown member'"
check "a bad signature is 400" bash -c "head -n1 r1.jsonl | sed 's/\"content\":\"M/\"content\":\"N/' \
  | curl -sS -o /dev/null -w '%{http_code}' -d @- $U1/api/v2/log/entries | grep -qx 400"
head -c 70000 /dev/zero | tr '\0' a >big.json
check "an oversized submission is 413" bash -c "curl -sS -o /dev/null -w '%{http_code}' --data-binary @big.json \
  $U1/api/v2/log/entries | grep -qx 413"
check "GET on the write API is 405" bash -c "curl -sS -o /dev/null -w '%{http_code}' $U1/api/v2/log/entries | grep -qx 405"
check "a tile outside the tree is 404" bash -c "curl -sS -o /dev/null -w '%{http_code}' $U1/tile/0/001 | grep -qx 404"
check "a malformed tile path is 400" bash -c "curl -sS -o /dev/null -w '%{http_code}' $U1/tile/0/1 | grep -qx 400"
check "the log keeps serving after the refusals" $D check "$U1" --key log.key --origin $ORIGIN --expect 60
metric() {  # metric URL SERIES: the value of one series of the log's /metrics
  curl -fsS "$1/metrics" | awk -v s="$2" '$1 == s { print $2 }'
}
export -f metric
check "/metrics counts the submissions by result" bash -c "
  test \"\$(metric $U1 'chartprov_log_submissions_total{result=\"logged\"}')\" = 60 &&
  test \"\$(metric $U1 'chartprov_log_submissions_total{result=\"duplicate\"}')\" = 60 &&
  test \"\$(metric $U1 'chartprov_log_submissions_total{result=\"refused\"}')\" = 3 &&
  test \"\$(metric $U1 'chartprov_log_submissions_total{result=\"failed\"}')\" = 0 &&
  test \"\$(metric $U1 'chartprov_log_batches_total{result=\"failed\"}')\" = 0 &&
  test \"\$(metric $U1 chartprov_log_tree_size)\" = 60 || { curl -fsS $U1/metrics >&2; false; }"
if [ -x /usr/bin/promtool ]; then
  check "  promtool accepts them" bash -c "curl -fsS $U1/metrics | /usr/bin/promtool check metrics"
  # The rules in docs/TRANSPARENCY-LOG.md "Metrics and alerts" are valid rules over them.
  sed -n '/^### Metrics and alerts/,/^## /p' "$REPO_ROOT/docs/TRANSPARENCY-LOG.md" |
    sed -n '/^```yaml$/,/^```$/p' | sed '1d;$d' >log-rules.yml
  check "  the documented alert rules pass promtool check rules" /usr/bin/promtool check rules log-rules.yml
  check_said "  (all three)" "SUCCESS: 3 rules found" any
fi
check "the checkpoint verifies with openssl too (Ed25519 over its body)" bash -c "
  curl -fsS $U1/checkpoint >cp.txt
  python3 - <<'PY'
import base64
t = open('cp.txt').read()
body, _, sigs = t.partition('\n\n')
open('cp.body', 'w').write(body + '\n')
open('cp.sig', 'wb').write(base64.b64decode(sigs.split(' ')[2])[4:])
PY
  openssl pkey -in log.key -pubout -out log.pem 2>/dev/null
  openssl pkeyutl -verify -pubin -inkey log.pem -rawin -in cp.body -sigfile cp.sig >/dev/null"
kill -TERM "$LOG_PID"
check "SIGTERM stops it cleanly" reap "$LOG_PID"

# --- SQLite: kill -9 during appends ----------------------------------------------------------
check "the log restarts on its database" start_log s2 "$P1" "sqlite:$W/log.db"
check "3000 more requests are made" $D make 3000 r2.jsonl api-
$D submit "$U1" --requests r2.jsonl --acks a2.jsonl --threads 32 --deadline 90 >submit2.out 2>submit2.err &
SUB=$!
wait_acks a2.jsonl 100
kill -9 "$LOG_PID"
check "the kill came during the appends (some acknowledged, not all)" mid_load a2.jsonl 3000
sleep 0.5
check "after kill -9 the log restarts on its database" start_log s3 "$P1" "sqlite:$W/log.db"
check "every submission is acknowledged in the end (the clients retry)" reap "$SUB"
check "every acknowledged entry is in the tree exactly once; the root is the checkpoint's" \
  $D check "$U1" --key log.key --origin $ORIGIN --acks a1.jsonl --acks a2.jsonl --expect 3060
check "resubmitting all 3000 adds no duplicate" $D resubmit "$U1" --requests r2.jsonl
check "  the tree still has 3060 entries" $D check "$U1" --key log.key --origin $ORIGIN --expect 3060
kill -TERM "$LOG_PID"; wait "$LOG_PID" 2>/dev/null

# --- PostgreSQL ------------------------------------------------------------------------------
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  skip "PostgreSQL 15 is not installed (make deps)"
  finish
  exit
fi
# As root the server runs as user postgres, which must reach its data directory: under a private
# TMPDIR (CI's is 0700) it cannot, so the data goes to a private directory under /var/tmp.
PGDIR=$W/pg
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$W"; then
  PGBASE=$(mktemp -d /var/tmp/chartprov-pg.XXXXXX)
  chmod 0755 "$PGBASE"
  PGDIR=$PGBASE/pg
fi
PGPORT=$(free_port)
check "a private PostgreSQL 15 starts" "$PG" start "$PGDIR" "$PGPORT"
_pg_stop() { "$PG" stop "$PGDIR" >/dev/null 2>&1; [ -z "${PGBASE:-}" ] || rm -rf "$PGBASE"; }
trap '_pg_stop; cleanup' EXIT
PGURL=$("$PG" url "$PGDIR")
P2=$(free_port)
U2=http://127.0.0.1:$P2
check "log serve starts on PostgreSQL" start_log p1 "$P2" "$PGURL"
check "200 requests are made" $D make 200 r3.jsonl pg-
check "they are acknowledged" $D submit "$U2" --requests r3.jsonl --acks a3.jsonl --threads 16
check "the PostgreSQL log checks out" $D check "$U2" --key log.key --origin $ORIGIN --acks a3.jsonl --expect 200

check "2000 requests for kill -9" $D make 2000 r4.jsonl pgk-
$D submit "$U2" --requests r4.jsonl --acks a4.jsonl --threads 32 --deadline 90 >submit4.out 2>submit4.err &
SUB=$!
wait_acks a4.jsonl 100
kill -9 "$LOG_PID"
check "the kill came during the appends" mid_load a4.jsonl 2000
sleep 0.5
check "after kill -9 the log restarts on PostgreSQL" start_log p2 "$P2" "$PGURL"
check "every submission is acknowledged in the end" reap "$SUB"
check "acknowledged entries present once, root = checkpoint" \
  $D check "$U2" --key log.key --origin $ORIGIN --acks a3.jsonl --acks a4.jsonl --expect 2200

check "2000 requests for a PostgreSQL crash" $D make 2000 r5.jsonl pgc-
$D submit "$U2" --requests r5.jsonl --acks a5.jsonl --threads 32 --deadline 120 >submit5.out 2>submit5.err &
SUB=$!
wait_acks a5.jsonl 100
PGPID=$(pg_pid "$PGDIR")
kill -QUIT "$PGPID"  # immediate shutdown: pg_ctl stop -m immediate
check "PostgreSQL stopped during the appends" mid_load a5.jsonl 2000
for _ in $(seq 1 100); do kill -0 "$PGPID" 2>/dev/null || break; sleep 0.1; done
sleep 1
check "  /readyz says the log is not ready while its store is down" bash -c \
  "curl -sS -o /dev/null -w '%{http_code}' $U2/readyz | grep -qx 503"
check "  /healthz still answers: the process serves" bash -c "curl -fsS $U2/healthz | grep -qx ok"
check "PostgreSQL restarts after an immediate stop under load" "$PG" start "$PGDIR" "$PGPORT"
check "every submission is acknowledged in the end (the log reconnects)" reap "$SUB"
check "  and /readyz is ready again" bash -c "curl -fsS $U2/readyz | grep -qx ready"
check "acknowledged entries present once, root = checkpoint, after the crash" \
  $D check "$U2" --key log.key --origin $ORIGIN --acks a3.jsonl --acks a4.jsonl --acks a5.jsonl --expect 4200
check "resubmitting all adds no duplicate" $D resubmit "$U2" --requests r5.jsonl
check "  /metrics shows the batches that failed while PostgreSQL was down" bash -c "
  test \"\$(metric $U2 'chartprov_log_batches_total{result=\"failed\"}')\" -gt 0 &&
  test \"\$(metric $U2 'chartprov_log_submissions_total{result=\"failed\"}')\" -gt 0 &&
  test \"\$(metric $U2 chartprov_log_tree_size)\" = 4200"

# --- two front-ends on one PostgreSQL --------------------------------------------------------
P3=$(free_port)
U3=http://127.0.0.1:$P3
check "a second front-end starts on the same database" start_log p3 "$P3" "$PGURL"
check "1000 requests for two front-ends" $D make 1000 r6.jsonl two-
check "concurrent writers on both front-ends are acknowledged" \
  $D submit "$U2" "$U3" --requests r6.jsonl --acks a6.jsonl --threads 32
check "front-end 1: one tree; every ack (from either) verifies against it" \
  $D check "$U2" --key log.key --origin $ORIGIN --acks a6.jsonl --expect 5200
check "front-end 2 serves the same tree" $D check "$U3" --key log.key --origin $ORIGIN --acks a6.jsonl --expect 5200
check "both serve the same checkpoint" bash -c "[ \"\$(curl -fsS $U2/checkpoint)\" = \"\$(curl -fsS $U3/checkpoint)\" ]"

finish
