#!/usr/bin/env bash
# Witnessed checkpoints (issue 17), with a real `chartprov log witness` and a real
# `chartprov log serve --witness`:
#   the log asks the witness to cosign each checkpoint before it answers, so the bundle that
#   `sign --log` writes carries the cosignature; policy.yaml's witnesses: allows 1 of 1 and
#   denies 2 of 2; with the witness down the log still logs, and the entry it answers with is
#   not cosigned, which the same policy denies; the witness keeps its state across a restart
#   and refuses to cosign another log under the same key and origin (a fork).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
require_log_helper
CHART=withschema-0.1.0.tgz
cp "$TEST_DATA/helm-release/charts/$CHART" .
for k in log witness other-witness; do
  "$C" key generate --algorithm ed25519 --uid "$k <$k@example.com>" --output "$k" --no-passphrase >/dev/null
done
openssl pkey -in log.key -pubout -out log.pub 2>/dev/null
"$C" key generate --uid "CI <ci@example.com>" --output signer --no-passphrase >/dev/null
openssl pkey -in signer.key -pubout -out signer.pub 2>/dev/null

# start_witness NAME PORT KEY: a witness of the log at 127.0.0.1 (origin 127.0.0.1), its files KEY.*.
start_witness() {
  "$C" log witness --listen "127.0.0.1:$2" --key "$3.key" --name "$1" --log "127.0.0.1=log.pub" \
    --state "$W/$3.state.json" >"$3.out" 2>"$3.err" &
  echo $! >"$3.pid"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
  return 1
}
# serve_log NAME PORT WITNESS...: a log with its own database, asking each witness (URL=VKEY).
serve_log() {
  local name=$1 port=$2
  shift 2
  local args=()
  for w in "$@"; do args+=(--witness "$w"); done
  "$LOGBIN" serve --listen "127.0.0.1:$port" --db "sqlite:$W/$name.db" --key log.key "${args[@]}" \
    >"$name.out" 2>"$name.err" &
  echo $! >"$name.pid"
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/checkpoint" >/dev/null && return 0; sleep 0.1; done
  return 1
}
PW=$(free_port)
check "log witness starts" start_witness witness.example/w1 "$PW" witness
check "it prints its vkey" grep -qE " as witness\.example/w1\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$" witness.out
VKEY=$(sed -n 's/.* as //p' witness.out)
OTHER=$(python3 - other-witness.key <<'PY'
import base64, hashlib, subprocess, sys
der = subprocess.run(["openssl", "pkey", "-in", sys.argv[1], "-pubout", "-outform", "DER"],
                     capture_output=True, check=True).stdout
raw = der[-32:]
name = b"witness.example/w2"
kid = hashlib.sha256(name + b"\n\x04" + raw).digest()[:4]
material = base64.b64encode(bytes([4]) + raw).decode()
print(name.decode() + "+" + kid.hex() + "+" + material)
PY
)
PL=$(free_port)
URL=http://127.0.0.1:$PL
check "log serve starts with the witness" serve_log a "$PL" "http://127.0.0.1:$PW=$VKEY"
"$C" trusted-root create --tlog-url "$URL" --tlog-key log.pub --output root.json >/dev/null

check "sign --log: the log answers once the witness has cosigned" \
  "$C" sign "$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key log.pub
carries_cosignature() {
  python3 - "$CHART.sigstore.json" <<'PY'
import json, sys
cp = json.load(open(sys.argv[1]))["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"]
sys.exit(0 if "\n\u2014 witness.example/w1 " in cp else 1)
PY
}
check "the bundle's checkpoint carries the witness's cosignature" carries_cosignature
check "the log serves the cosigned checkpoint" sh -c "curl -sf $URL/checkpoint | grep -q '^— witness.example/w1 '"
check "the witness saved the size it cosigned" grep -q '"size": 1' witness.state.json

cat >policy.yaml <<EOF2
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: "*"
        transparency_log:
          witnesses:
            threshold: 1
            keys:
              - "$VKEY"
  staging:
    mode: enforce
    rules:
      - charts: "*"
        transparency_log:
          witnesses:
            threshold: 2
            keys:
              - "$VKEY"
              - "$OTHER"
EOF2
check "policy: 1 of 1 witnesses cosigned: allowed" \
  "$C" verify "$CHART" --env production --policy policy.yaml --key signer.pub --trusted-root root.json
check_exit 1 "policy: 2 of 2 witnesses asked, one cosigned: denied" \
  "$C" verify "$CHART" --env staging --policy policy.yaml --key signer.pub --trusted-root root.json
check_said "for its reason" "witness.example/w2" err

kill "$(cat witness.pid)"
wait "$(cat witness.pid)" 2>/dev/null
mkdir down && cp "$CHART" down/
check "with the witness down the log still logs" \
  "$C" sign "down/$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key log.pub
check "and says which witness did not cosign" grep -q "witness witness.example/w1: " a.err
check "  and counts it in /metrics" sh -c \
  "curl -sf $URL/metrics | grep -qx 'chartprov_log_witness_failures_total{witness=\"witness.example/w1\"} 1'"
check_exit 1 "policy: that entry's checkpoint is not cosigned: denied" \
  "$C" verify "down/$CHART" --env production --policy policy.yaml --key signer.pub --trusted-root root.json

check "the witness restarts from its saved state" start_witness witness.example/w1 "$PW" witness
mkdir again && cp "$CHART" again/
check "the next checkpoint is cosigned again, proven from the size the witness kept" \
  "$C" sign "again/$CHART" --key signer.key --format sigstore-bundle --log "$URL" --log-key log.pub
check "policy: allowed again" \
  "$C" verify "again/$CHART" --env production --policy policy.yaml --key signer.pub --trusted-root root.json

# A fork: another database under the same key and origin, grown past the witness's size.
kill "$(cat a.pid)"
wait "$(cat a.pid)" 2>/dev/null
PF=$(free_port)
check "a forked log (same key, other database) starts with the same witness" \
  serve_log fork "$PF" "http://127.0.0.1:$PW=$VKEY"
for i in 1 2 3 4; do
  mkdir "f$i" && cp "$CHART" "f$i/"
  "$C" sign "f$i/$CHART" --key signer.key --format sigstore-bundle --log "http://127.0.0.1:$PF" >/dev/null 2>&1
done
check "the witness refuses to cosign the fork" grep -qE "witness witness.example/w1: HTTP (409|422)" fork.err
check_exit 1 "policy: the fork's entries are denied" \
  "$C" verify "f4/$CHART" --env production --policy policy.yaml --key signer.pub --trusted-root root.json

kill "$(cat fork.pid)" "$(cat witness.pid)" 2>/dev/null
finish
