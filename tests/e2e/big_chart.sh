#!/usr/bin/env bash
# Streaming: a ~100 MB chart (19 files of random bytes, each under Helm's 5 MiB per-file limit)
# verifies in bounded memory. Max RSS of the child (getrusage, not a time) must stay under
# 16 MiB for verify --keyring (.prov), verify --key (cosign .sig, P-256), verify --trust-dir (.prov),
# verify --trust-dir and --env with a .prov and a .sig (decide() copies the chart while hashing it)
# and verify-repo; a byte
# changed at the end of the big chart is still caught.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
"$C" key generate --uid "Big <big@test.invalid>" --output k --no-passphrase >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output cosign >/dev/null
# Under ASan (make asan) memory is shadowed and every byte is slow: a smaller chart, and RSS not judged.
files=19 sanitized=
if grep -qa __asan_init "$C"; then files=3 sanitized=1; fi
"$H" create big >/dev/null
mkdir -p big/files
for f in $(seq 1 "$files"); do head -c $((5 * 1024 * 1024 - 4096)) /dev/urandom >"big/files/blob-$f.bin"; done
check "package --sign a ~100 MB chart" "$C" package big --sign --key k.key -d repo
[ -n "$sanitized" ] || check "  it is over 95 MB" test "$(stat -c %s repo/big-0.1.0.tgz)" -gt 95000000
check "cosign .sig of it" env COSIGN_PASSWORD=pw "$C" sign repo/big-0.1.0.tgz --key cosign.key --format cosign-blob
"$H" repo index repo
# Warm the keyring cache: the measured runs are chartprov alone, not the RNP helper's first read.
mkdir empty && printf 'apiVersion: v1\nentries: {}\n' >empty/index.yaml && "$C" verify-repo empty --keyring k.pub.gpg >/dev/null

# max_rss CMD...: runs CMD, prints the child's max RSS in KiB; exits with CMD's status.
max_rss() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
PY
}
# under_16mib: the last max_rss result (read before check truncates OUT).
under_16mib() {
  local kib
  kib=$(cat "$OUT")
  if [ -n "$sanitized" ]; then skip "  max RSS under 16 MiB (a sanitizer build: $kib KiB)"; return; fi
  check "  in less than 16 MiB ($kib KiB)" test "$kib" -lt 16384
}
check "verify --keyring of the big chart" max_rss "$C" verify repo/big-0.1.0.tgz --keyring k.pub.gpg
under_16mib
check "verify --key (.sig, P-256) of the big chart" max_rss "$C" verify repo/big-0.1.0.tgz --key cosign.pub
under_16mib
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key k.pub.gpg --owner ci --charts '*' >/dev/null
"$C" trust add-key --trust-dir td --key cosign.pub --owner ci-cosign --charts '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
"$C" trust update --trust-dir td --from td/staged.json >/dev/null
mkdir provonly && ln repo/big-0.1.0.tgz repo/big-0.1.0.tgz.prov provonly/
check "verify --trust-dir (.prov) of the big chart" max_rss "$C" verify provonly/big-0.1.0.tgz --trust-dir td
under_16mib
check "verify --env production (.prov; the policy's decision, on a private copy) of the big chart" max_rss "$C" verify provonly/big-0.1.0.tgz --keyring k.pub.gpg --env production
under_16mib
check "verify --trust-dir (.prov and .sig: the .sig by its digest) of the big chart" max_rss "$C" verify repo/big-0.1.0.tgz --trust-dir td
under_16mib
check "verify --env production --trust-dir (.prov and .sig) of the big chart" max_rss "$C" verify repo/big-0.1.0.tgz --trust-dir td --env production
under_16mib
check "verify-repo of the repository holding it" max_rss "$C" verify-repo repo --keyring k.pub.gpg
under_16mib
cp repo/big-0.1.0.tgz tampered.tgz
printf '\001' | dd of=tampered.tgz bs=1 seek=$(($(stat -c %s tampered.tgz) - 30)) conv=notrunc 2>/dev/null
mkdir t && mv tampered.tgz t/big-0.1.0.tgz && cp repo/big-0.1.0.tgz.prov t/
check_fails "a byte changed near the end is caught" "$C" verify t/big-0.1.0.tgz --keyring k.pub.gpg
check_said "  by the digest" "sha256 mismatch" err
finish
