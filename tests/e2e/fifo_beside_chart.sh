#!/usr/bin/env bash
# Issue 14, finding 3: a named pipe where an envelope belongs (CHART.tgz.sig, .prov,
# .sigstore.json) once blocked open() forever, hanging verify and the deploy gate and wedging
# every serve worker so that /healthz stopped answering. With real FIFOs (no writer ever
# comes): verify answers at once with a refusal, and serve keeps deciding and answering
# /healthz after more such requests than it has workers.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
CHECK_TIMEOUT=20  # a hang fails the check (exit 124) instead of stalling the run
cd "$W"

COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
mkdir charts
(cd charts && for c in web api pipe; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done)
check "web is signed" env COSIGN_PASSWORD=pw "$C" sign charts/web-0.1.0.tgz --key ci.key

for envelope in sig prov sigstore.json; do
  rm -f charts/api-0.1.0.tgz.*
  mkfifo "charts/api-0.1.0.tgz.$envelope"
  check_exit 1 "verify with a FIFO as .$envelope: refused at once" "$C" verify charts/api-0.1.0.tgz --key ci.pub
  check_said "  names it" "api-0.1.0.tgz.$envelope is not a regular file" err
  check_exit 2 "verify --env production with a FIFO as .$envelope: refused at once" \
    "$C" verify charts/api-0.1.0.tgz --key ci.pub --env production
done
rm -f charts/api-0.1.0.tgz.*
mkfifo charts/pipe-0.1.0.tgz.sig charts/pipe-0.1.0.tgz.prov charts/pipe-0.1.0.tgz.sigstore.json

"$C" serve --listen 127.0.0.1:0 --key ci.pub --env production --chart-root charts --workers 2 \
  >serve.out 2>serve.err &
SERVER=$!
_pids+=("$SERVER")
for _ in $(seq 1 100); do grep -q 'listening on' serve.out 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\) .*|\1|p' serve.out)
check "serve started" test -n "$PORT"
U=http://127.0.0.1:${PORT:-1}

export U
post() {  # post BODY [OUT]: prints the HTTP status of POST /v1/verify (10 s at most), the answer to OUT
  curl -s -m 10 -o "${2:-$W/.body}" -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    --data-binary "$1" "$U/v1/verify"
}
export -f post
# More requests for the piped chart than there are workers, all at once.
for i in 1 2 3 4 5 6; do post '{"chart": "pipe-0.1.0.tgz"}' "answer.$i" >"status.$i" & done
wait_posts() { for i in 1 2 3 4 5 6; do while [ ! -s "status.$i" ]; do sleep 0.2; done; done; }
export -f wait_posts
check "every request about the piped chart is answered" timeout 15 bash -c wait_posts
check "  none of them allowed" bash -c '! grep -l "\"allowed\": *true" answer.* 2>/dev/null | grep -q .'
check "  none of them timed out" bash -c '! grep -qx 000 status.*'
check "  the answer names the FIFO" grep -q "is not a regular file" answer.1
check "/healthz still answers ok" bash -c "[ \"\$(curl -s -m 5 '$U/healthz')\" = ok ]"
check "and a signed chart is still allowed" \
  bash -c "[ \"\$(post '{\"chart\": \"web-0.1.0.tgz\"}' '$W/web.json')\" = 200 ] && jq -e '.allowed == true' '$W/web.json'"

finish
