#!/usr/bin/env bash
# Bad input gets a clear error, never a crash, and loses nothing:
#   exit 2 for usage/input errors with one error line on stderr, exit 1 for a failed verification;
#   no signal deaths or uncaught exceptions; existing files (keys, .prov) survive a failed run;
#   no half-written outputs (*.tmp-*) are left behind; --json stays valid JSON when verify fails.
set -u
: "${CHARTPROV:?}" "${PEERS:=/opt/peers/bin}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export CHARTPROV_CACHE_DIR=$T/cache CHARTPROV_PASSWORD=errors-pass
export HELM_CONFIG_HOME=$T/h/c HELM_CACHE_HOME=$T/h/k HELM_DATA_HOME=$T/h/d
pass=0 fail=0
ok() { local d=$1; shift; if "$@" >"$T/out" 2>&1; then pass=$((pass+1)); echo "PASS $d"; else fail=$((fail+1)); echo "FAIL $d"; sed 's/^/    /' "$T/out" | head -5; fi; }
bad() { fail=$((fail+1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; sed 's/^/    stderr: /' "$T/err" | head -5; }
# refused DESC WANT_RC PATTERN CMD...: exit WANT_RC (or "1|2"), stderr matches PATTERN (grep -Ei,
# "" = any), no crash; for exit 2 exactly one error line (CLI11's "Run 'chartprov --help'" hint aside).
refused() { local d=$1 want=$2 pat=$3; shift 3; "$@" >"$T/stdout" 2>"$T/err"; local rc=$?
  local lines; lines=$(grep -vc "^Run 'chartprov --help' for usage\.$" "$T/err")
  if ! [[ "$rc" =~ ^($want)$ ]]; then bad "$d: exit $rc, want $want"
  elif grep -Eiq 'internal error|terminate called|segmentation|sanitizer|core dumped' "$T/err"; then bad "$d: crash-like stderr"
  elif [ "$lines" -lt 1 ]; then bad "$d: no error message on stderr"
  elif [ "$rc" = 2 ] && [ "$lines" != 1 ]; then bad "$d: $lines lines on stderr, want one"
  elif [ -n "$pat" ] && ! grep -Eiq -- "$pat" "$T/err"; then bad "$d: stderr lacks /$pat/"
  else pass=$((pass+1)); echo "PASS $d (exit $rc)"; fi; }
check() { local d=$1; shift; if "$@"; then pass=$((pass+1)); echo "PASS $d"; else fail=$((fail+1)); echo "FAIL $d"; fi; }
sums() { sha256sum "$@" 2>/dev/null; }
no_tmp() { ! find "$1" -name '*.tmp-*' | grep -q .; }
C=$CHARTPROV

# ---------------------------------------------------------------- fixtures
"$PEERS/helm" create "$T/demo" >/dev/null
mkdir -p "$T/charts"
ok "fixture: key generate" "$C" key generate --uid "Errors <errors@test.invalid>" --output "$T/k"
ok "fixture: package --sign" "$C" package "$T/demo" --sign --key "$T/k.key" -d "$T/charts"
CH=$T/charts/demo-0.1.0.tgz PROV=$T/charts/demo-0.1.0.tgz.prov KR=$T/k.pub.gpg
ok "fixture: verify succeeds" "$C" verify "$CH" --keyring "$KR"

# ---------------------------------------------------------------- key generate
before=$(sums "$T/k.key" "$T/k.pub.gpg" "$T/k.pub.asc")
refused "key generate over existing PREFIX files" 2 "exist|force" "$C" key generate --uid "X <x@test.invalid>" --output "$T/k"
check "  the old key files are unchanged" test "$before" = "$(sums "$T/k.key" "$T/k.pub.gpg" "$T/k.pub.asc")"
cp "$T/k.key" "$T/k2.key"; cp "$T/k.pub.gpg" "$T/k2.pub.gpg"; cp "$T/k.pub.asc" "$T/k2.pub.asc"
ok "key generate --force overwrites" "$C" key generate --uid "X <x@test.invalid>" --output "$T/k2" --force
check "  the files changed" test "$before" != "$(sums "$T/k2.key" "$T/k2.pub.gpg" "$T/k2.pub.asc")"
mkdir -p "$T/kg"
refused "key generate with an empty passphrase" 2 "passphrase" env CHARTPROV_PASSWORD= "$C" key generate --uid "X <x@test.invalid>" --output "$T/kg/empty"
check "  nothing written" test -z "$(ls -A "$T/kg")"
ok "key generate --no-passphrase" env -u CHARTPROV_PASSWORD "$C" key generate --uid "X <x@test.invalid>" --output "$T/kg/plain" --no-passphrase
check "  the key is an unencrypted PKCS#8 key" grep -q "BEGIN PRIVATE KEY" "$T/kg/plain.key"
rm -f "$T"/kg/*
refused "key generate --algorithm dsa-1024" 2 "algorithm|dsa" "$C" key generate --uid "X <x@test.invalid>" --output "$T/kg/a" --algorithm dsa-1024
refused "key generate without --uid" 2 "uid" "$C" key generate --output "$T/kg/b"
refused "key generate with a newline in the uid" 2 "uid|user id|newline|one line" "$C" key generate --uid $'X <x@test.invalid>\nInjected: yes' --output "$T/kg/c"
check "  no files left by the refused key generations" test -z "$(ls -A "$T/kg")"
check "the .key is mode 0600" test "$(stat -c %a "$T/k.key")" = 600
ok "openssl pkey reads the encrypted .key" openssl pkey -in "$T/k.key" -passin pass:errors-pass -noout
refused "openssl pkey refuses a wrong passphrase (the key really is encrypted)" 1 "" openssl pkey -in "$T/k.key" -passin pass:nope -noout

# ---------------------------------------------------------------- sign
S=$T/sign; mkdir -p "$S"; cp "$CH" "$S/"; SC=$S/demo-0.1.0.tgz
cp "$T/k.key" "$T/loose.key"; chmod 0640 "$T/loose.key"
refused "sign with a key file of mode 0640" 2 "chmod 600" "$C" sign "$SC" --key "$T/loose.key"
check "  no .prov written" test ! -e "$SC.prov"
refused "sign with a wrong CHARTPROV_PASSWORD" 2 "wrong passphrase" env CHARTPROV_PASSWORD=nope "$C" sign "$SC" --key "$T/k.key"
check "  no .prov written" test ! -e "$SC.prov"
refused "sign with no passphrase available (no env, no tty)" 2 "CHARTPROV_PASSWORD" \
  env -u CHARTPROV_PASSWORD setsid "$C" sign "$SC" --key "$T/k.key" </dev/null
check "  no .prov written" test ! -e "$SC.prov"
printf 'precious provenance\n' > "$SC.prov"; pbefore=$(sums "$SC.prov")
refused "sign fails (wrong passphrase) over an existing .prov" 2 "wrong passphrase" env CHARTPROV_PASSWORD=nope "$C" sign "$SC" --key "$T/k.key"
check "  the existing .prov is unchanged" test "$pbefore" = "$(sums "$SC.prov")"
refused "sign fails (key mode 0640) over an existing .prov" 2 "chmod 600" "$C" sign "$SC" --key "$T/loose.key"
check "  the existing .prov is unchanged" test "$pbefore" = "$(sums "$SC.prov")"
check "  no temporary files left in the chart's directory" no_tmp "$S"
cp "$CH" "$S/other-0.1.0.tgz"
refused "sign a chart renamed to other-0.1.0.tgz" 2 "must be named" "$C" sign "$S/other-0.1.0.tgz" --key "$T/k.key"
check "  no .prov written" test ! -e "$S/other-0.1.0.tgz.prov"
head -c 4096 /dev/urandom > "$S/x-1.0.0.tgz"
refused "sign a garbage x-1.0.0.tgz" 2 "" "$C" sign "$S/x-1.0.0.tgz" --key "$T/k.key"
check "  no .prov written" test ! -e "$S/x-1.0.0.tgz.prov"
refused "sign a missing chart" 2 "missing-0.1.0.tgz" "$C" sign "$S/missing-0.1.0.tgz" --key "$T/k.key"
check "  no temporary files left after the failed signs" no_tmp "$S"

# ---------------------------------------------------------------- verify
V=$T/v; mkdir -p "$V"
# vrefused DESC WANT PATTERN CHART [ARGS...]: as refused, then again with --json: stdout one JSON
# object with verified=false or an "error" field.
vrefused() { local d=$1 want=$2 pat=$3; shift 3
  refused "verify: $d" "$want" "$pat" "$C" verify "$@"
  "$C" verify "$@" --json >"$T/json" 2>/dev/null
  if python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(0 if isinstance(o,dict) and (o.get("verified") is False or "error" in o) else 1)' "$T/json" 2>/dev/null
  then pass=$((pass+1)); echo "PASS   --json: valid JSON, not verified"
  else fail=$((fail+1)); echo "FAIL   --json: stdout is not a JSON object with verified=false or error"; head -c 300 "$T/json" | sed 's/^/    /'; echo; fi; }
vrefused "missing chart" 2 "nope-0.1.0.tgz" "$V/nope-0.1.0.tgz" --keyring "$KR"
mkdir -p "$V/dir-0.1.0.tgz"
vrefused "a directory as the chart" 2 "" "$V/dir-0.1.0.tgz" --keyring "$KR"
cp "$CH" "$V/demo-0.1.0.tar.gz"; cp "$PROV" "$V/demo-0.1.0.tar.gz.prov"
vrefused "a .tar.gz chart" 2 "tgz" "$V/demo-0.1.0.tar.gz" --keyring "$KR"
vrefused "missing keyring" 2 "nokeys" "$CH" --keyring "$V/nokeys.gpg"
{ printf "not a keyring"; head -c 2000 /dev/urandom; } > "$V/garbage.gpg"  # bit 7 of the first byte clear: never a packet
vrefused "garbage keyring" 2 "" "$CH" --keyring "$V/garbage.gpg"
mkdir -p "$V/np"; cp "$CH" "$V/np/"
vrefused "missing .prov" 1 "prov" "$V/np/demo-0.1.0.tgz" --keyring "$KR"
mkdir -p "$V/ep"; cp "$CH" "$V/ep/"; : > "$V/ep/demo-0.1.0.tgz.prov"
vrefused "empty .prov" 1 "" "$V/ep/demo-0.1.0.tgz" --keyring "$KR"
mkdir -p "$V/bp"; cp "$CH" "$V/bp/"; { cat "$PROV"; head -c 2097152 /dev/zero | tr '\0' 'A'; } > "$V/bp/demo-0.1.0.tgz.prov"
vrefused "a 2 MiB .prov" "1|2" "too large" "$V/bp/demo-0.1.0.tgz" --keyring "$KR"
vrefused "--signer not hex" 2 "signer|fingerprint|hex" "$CH" --keyring "$KR" --signer ZZZZ9F49AEDD7617823E18A1A198A1AAF719E7ZZ
vrefused "--signer too short" 2 "signer|fingerprint" "$CH" --keyring "$KR" --signer A1A198A1AAF719E7
mkdir -p "$V/tr"; head -c $(( $(stat -c %s "$CH") / 2 )) "$CH" > "$V/tr/demo-0.1.0.tgz"; cp "$PROV" "$V/tr/"
vrefused "truncated .tgz with the original .prov" 1 "" "$V/tr/demo-0.1.0.tgz" --keyring "$KR"

# Hostile archives, each signed with our key so that only the archive check can refuse them.
mkdir -p "$V/hostile"
python3 - "$V/hostile" <<'EOF'
import gzip, io, os, sys, tarfile, zlib
d = sys.argv[1]
chart = b"apiVersion: v2\nname: %s\nversion: 0.1.0\n"
def add(t, name, data):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644; t.addfile(i, io.BytesIO(data))
def write(name, build, raw=None):
    path = os.path.join(d, name + "-0.1.0.tgz")
    if raw is not None:
        open(path, "wb").write(raw); return
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        add(t, name + "/Chart.yaml", chart % name.encode())
        build(t)
    open(path, "wb").write(gzip.compress(buf.getvalue(), 9, mtime=0))
def evil(t): add(t, "evil/../evil", b"pwned\n")
def link(t):
    i = tarfile.TarInfo("link/templates/passwd"); i.type = tarfile.SYMTYPE; i.linkname = "/etc/passwd"; t.addfile(i)
write("evil", evil); write("link", link)
# Tar bomb: Chart.yaml, then a 300 MB file of zeros, streamed through zlib so it stays small.
cy = chart % b"bomb"; ci = tarfile.TarInfo("bomb/Chart.yaml"); ci.size = len(cy); ci.mode = 0o644
head = ci.tobuf(tarfile.USTAR_FORMAT) + cy + bytes(-len(cy) % 512)
i = tarfile.TarInfo("bomb/templates/zeros"); i.size = 300 * 1024 * 1024; i.mode = 0o644
z = zlib.compressobj(9, zlib.DEFLATED, 31)
out = [z.compress(head), z.compress(i.tobuf(tarfile.USTAR_FORMAT))]
block = bytes(1 << 20)
for _ in range(300): out.append(z.compress(block))
out.append(z.compress(bytes(1024))); out.append(z.flush())
write("bomb", None, b"".join(out))
EOF
check "the tar bomb is small on disk" test "$(stat -c %s "$V/hostile/bomb-0.1.0.tgz")" -lt 1048576
for n in evil link bomb; do
  f=$V/hostile/$n-0.1.0.tgz
  python3 - "$f" "$n" <<'EOF'
import hashlib, sys
f, n = sys.argv[1], sys.argv[2]
h = hashlib.sha256(open(f, "rb").read()).hexdigest()
open(f + ".msg", "w").write(
    "apiVersion: v2\nname: %s\nversion: 0.1.0\n\n...\nfiles:\n  %s-0.1.0.tgz: sha256:%s\n" % (n, n, h))
EOF
done
# Clear-sign the messages with gpg using a throwaway key exported into a keyring for chartprov.
export GNUPGHOME=$T/g; mkdir -m 700 "$GNUPGHOME"; trap 'gpgconf --homedir "$T/g" --kill all 2>/dev/null; rm -rf "$T"' EXIT
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Hostile <h@test.invalid>' nistp256 sign never >/dev/null 2>&1
gpg --export > "$V/hostile.gpg"
for n in evil link bomb; do
  gpg --batch --yes --digest-algo SHA256 --clearsign -o "$V/hostile/$n-0.1.0.tgz.prov" "$V/hostile/$n-0.1.0.tgz.msg" 2>/dev/null
done
vrefused "an archive with a ../evil entry" 1 'evil/\.\./evil|\.\.' "$V/hostile/evil-0.1.0.tgz" --keyring "$V/hostile.gpg"
vrefused "an archive with a symlink entry" 1 'link/templates/passwd' "$V/hostile/link-0.1.0.tgz" --keyring "$V/hostile.gpg"
vrefused "a tar bomb (300 MB of zeros)" 1 'ratio|size|large|limit' "$V/hostile/bomb-0.1.0.tgz" --keyring "$V/hostile.gpg"

# ---------------------------------------------------------------- package
P=$T/pkg; D=$T/pkgout; mkdir -p "$P" "$D"
mkdir -p "$P/nochart/templates"
refused "package a dir without Chart.yaml" 2 "Chart.yaml" "$C" package "$P/nochart" -d "$D"
cp -r "$T/demo" "$P/badver"; sed -i 's/^version: .*/version: one.two/' "$P/badver/Chart.yaml"
refused "package with a non-SemVer version" 2 "version" "$C" package "$P/badver" -d "$D"
cp -r "$T/demo" "$P/link"; ln -s /etc/passwd "$P/link/templates/passwd"
refused "package a chart holding a symlink to /etc/passwd" 2 "passwd|link" "$C" package "$P/link" -d "$D"
refused "package --sign with a key of mode 0640" 2 "chmod 600" "$C" package "$T/demo" -d "$D" --sign --key "$T/loose.key"
refused "package --sign with a wrong passphrase" 2 "wrong passphrase" env CHARTPROV_PASSWORD=nope "$C" package "$T/demo" -d "$D" --sign --key "$T/k.key"
check "  nothing at all left in the destination after the failures" test -z "$(ls -A "$D")"
check "  no temporary files left in the destination" no_tmp "$D"
cp "$CH" "$PROV" "$D/"; pair=$(sums "$D/demo-0.1.0.tgz" "$D/demo-0.1.0.tgz.prov")
sed -i 's/^appVersion: .*/appVersion: "9.9.9"/' "$P/badver/Chart.yaml"; sed -i 's/^version: .*/version: 0.1.0/' "$P/badver/Chart.yaml"
refused "package --sign (wrong passphrase) over an existing signed pair" 2 "wrong passphrase" env CHARTPROV_PASSWORD=nope "$C" package "$T/demo" -d "$D" --sign --key "$T/k.key"
refused "package --sign (key mode 0640) of a changed chart over the pair" 2 "chmod 600" "$C" package "$P/badver" -d "$D" --sign --key "$T/loose.key"
check "  the existing signed pair is unchanged" test "$pair" = "$(sums "$D/demo-0.1.0.tgz" "$D/demo-0.1.0.tgz.prov")"
check "  no staging or temporary files left in the destination" test "$(ls -A "$D" | wc -l)" = 2
ok "  and the pair still verifies" "$C" verify "$D/demo-0.1.0.tgz" --keyring "$KR"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
