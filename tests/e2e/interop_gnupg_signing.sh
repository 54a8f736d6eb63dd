#!/usr/bin/env bash
# Signing with the keys Helm users already have: `chartprov sign --keyring SECRING --key NAME`
# (helm's own --keyring/--key, unprotected and passphrase-protected gpg keys) and
# `chartprov sign --gnupg-home DIR --key NAME` (a GnuPG 2.1+ home: pubring.kbx +
# private-keys-v1.d). Every .prov is checked by helm v4 (which must name the expected
# key's fingerprint), gpgv and chartprov itself; bad passphrases and ambiguous or unknown
# names are input errors (exit 2) that leave no .prov behind.
# Env (set by CTest): CHARTPROV, CHARTPROV_RNP, PEERS.
source "$(dirname "$0")/lib.sh"

CHART=demo-0.1.0.tgz
PASS_LOCKED='correct horse battery'
mkdir -p "$W/src" "$W/plain"
helm_create "$W/src" demo
"$H" package "$W/src/demo" -d "$W/plain" >/dev/null
check "helm packaged the chart to sign" test -s "$W/plain/$CHART"

gpg_gen 'Plain Signer <plain@chartprov.invalid>' rsa3072
gpg_gen 'Locked Signer <locked@chartprov.invalid>' nistp256 "$PASS_LOCKED"
gpg_gen 'Edwards Signer <ed@chartprov.invalid>' ed25519
gpg_gen 'Team Alpha <alpha@team.invalid>' nistp256
gpg_gen 'Team Beta <beta@team.invalid>' nistp256
gpg_gen 'ci' nistp256            # helm's rule: an exact user id beats a substring match,
gpg_gen 'ci-legacy' nistp256     # so --key ci means this key, not 'ci-legacy'
# A key whose secret part lives elsewhere: in this home it is public only.
mkdir -m 700 "$W/elsewhere"
GNUPGHOME=$W/elsewhere gpg_gen 'Public Only <public@chartprov.invalid>' nistp256
GNUPGHOME=$W/elsewhere gpg --export >"$W/public-only.gpg"
gpgconf --homedir "$W/elsewhere" --kill all >/dev/null 2>&1
gpg --batch --import "$W/public-only.gpg" >/dev/null 2>&1

declare -A FPR
for n in 'Plain Signer' 'Locked Signer' 'Edwards Signer' 'Team Alpha' 'ci-legacy'; do FPR[$n]=$(gpg_home_fpr "$n"); done
FPR[ci]=$(gpg --with-colons --list-keys '=ci' 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
gpg --export >"$W/pub.gpg"
gpg_b --passphrase '' --export-secret-keys 'Plain Signer' >"$W/sec-plain.gpg"
gpg_b --passphrase "$PASS_LOCKED" --export-secret-keys 'Locked Signer' >"$W/sec-locked.gpg"
gpg_b --passphrase "$PASS_LOCKED" --export-secret-keys >"$W/sec-all.gpg"
printf '%s\n' "$PASS_LOCKED" >"$W/locked.pass"
printf 'not the passphrase\n' >"$W/wrong.pass"
cp "$W/pub.gpg" "$W/pub-600.gpg"
chmod 600 "$W"/sec-*.gpg "$W"/*.pass "$W/pub-600.gpg"  # secret inputs: owner only (finding 9 below)
check "gpg made the keys and keyrings" test -n "${FPR[ci]}" -a -s "$W/sec-all.gpg" -a -s "$W/sec-locked.gpg"
check "  the exported locked key is still passphrase-protected" \
  bash -c "gpg --list-packets '$W/sec-locked.gpg' | grep -q 'protected'"

fresh() {  # fresh NAME: a directory holding only the unsigned chart; prints its chart path
  mkdir -p "$W/$1"; cp "$W/plain/$CHART" "$W/$1/"; echo "$W/$1/$CHART"
}

accepted() {  # accepted DESC CHART FPR: helm v4 (naming FPR), gpgv and chartprov accept CHART.prov
  local what=$1 c=$2 fpr=$3
  check "  $what: helm v4 verify" "$H" verify "$c" --keyring "$W/pub.gpg"
  check_said "  $what:   helm names the expected key" "Using Key With Fingerprint: $fpr" out
  check "  $what: gpgv" gpgv --keyring "$W/pub.gpg" "$c.prov"
  check "  $what: chartprov verify --signer" "$CHARTPROV" verify "$c" --keyring "$W/pub.gpg" --signer "$fpr"
}

# ------------------------------------------------------------ --keyring SECRING --key NAME (helm's flags)
c=$(fresh kr-plain)
check "--keyring: unprotected RSA key, no passphrase anywhere" "$CHARTPROV" sign "$c" --keyring "$W/sec-plain.gpg" --key 'Plain Signer'
accepted "unprotected" "$c" "${FPR[Plain Signer]}"
check "  helm v3 verifies it too" "$H3" verify "$c" --keyring "$W/sec-plain.gpg"

c=$(fresh kr-select)
check "--keyring: a keyring of many keys, --key picks one by name" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key 'Plain Signer'
accepted "picked by name" "$c" "${FPR[Plain Signer]}"

c=$(fresh kr-fpr)
check "--keyring: --key <fingerprint>" "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key "${FPR[Team Alpha]}"
accepted "picked by fingerprint" "$c" "${FPR[Team Alpha]}"

c=$(fresh kr-keyid)
check "--keyring: --key <long key id>" "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key "${FPR[Team Alpha]: -16}"
accepted "picked by key id" "$c" "${FPR[Team Alpha]}"

c=$(fresh kr-exact)
check "--keyring: --key ci (an exact user id beats 'ci-legacy')" "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key ci
accepted "exact user id" "$c" "${FPR[ci]}"
mkdir -p "$W/helm-exact"
check "  helm v4 package --sign --key ci picks the same key (reference)" \
  "$H" package --sign --key ci --keyring "$W/sec-all.gpg" "$W/src/demo" -d "$W/helm-exact"
check "  (helm names it)" "$H" verify "$W/helm-exact/$CHART" --keyring "$W/pub.gpg"
check_said "  (same fingerprint)" "Using Key With Fingerprint: ${FPR[ci]}" out

c=$(fresh kr-locked)
check "--keyring: protected key with --passphrase-file" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer' --passphrase-file "$W/locked.pass"
accepted "passphrase file" "$c" "${FPR[Locked Signer]}"

c=$(fresh kr-locked-env)
check "--keyring: protected key with CHARTPROV_PASSWORD" \
  env CHARTPROV_PASSWORD="$PASS_LOCKED" "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer'
accepted "CHARTPROV_PASSWORD" "$c" "${FPR[Locked Signer]}"

c=$(fresh kr-locked-stdin)
# shellcheck disable=SC2016  # expanded by the inner bash
check "--keyring: protected key with --passphrase-file - (stdin)" \
  bash -c 'printf "%s\n" "$0" | "$1" sign "$2" --keyring "$3" --key "Locked Signer" --passphrase-file -' \
  "$PASS_LOCKED" "$CHARTPROV" "$c" "$W/sec-locked.gpg"
accepted "stdin" "$c" "${FPR[Locked Signer]}"

c=$(fresh kr-wrong)
check_exit 2 "--keyring: wrong passphrase is an input error" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer' --passphrase-file "$W/wrong.pass"
check "  and leaves no .prov behind" test ! -e "$c.prov"
check "  and no temporary file either" test "$(ls -A "$W/kr-wrong")" = "$CHART"
c=$(fresh kr-nopass)
check_exit 2 "--keyring: protected key, no passphrase given, no terminal" \
  setsid -w "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer'
check "  and leaves no .prov behind" test ! -e "$c.prov"

c=$(fresh kr-keep)
printf 'previous provenance\n' >"$c.prov"
check_exit 2 "--keyring: a failed signing (wrong passphrase) over an existing .prov" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer' --passphrase-file "$W/wrong.pass"
check "  leaves the existing .prov as it was" grep -qx 'previous provenance' "$c.prov"

c=$(fresh kr-ambiguous)
check_exit 2 "--keyring: ambiguous --key Team (two keys match)" "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key Team
check "  and leaves no .prov behind" test ! -e "$c.prov"
check_exit 2 "--keyring: unknown --key" "$CHARTPROV" sign "$c" --keyring "$W/sec-all.gpg" --key 'Nobody Here'
check_exit 2 "--keyring: a public keyring cannot sign" "$CHARTPROV" sign "$c" --keyring "$W/pub-600.gpg" --key 'Plain Signer'
check "  and leaves no .prov behind" test ! -e "$c.prov"

# ------------------------------------------------------------ --gnupg-home DIR --key NAME
c=$(fresh home-plain)
check "--gnupg-home: unprotected RSA key" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Plain Signer'
accepted "home, unprotected" "$c" "${FPR[Plain Signer]}"

c=$(fresh home-ed)
check "--gnupg-home: unprotected Ed25519 key" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Edwards Signer'
accepted "home, Ed25519" "$c" "${FPR[Edwards Signer]}"

c=$(fresh home-exact)
check "--gnupg-home: --key ci (exact user id)" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key ci
accepted "home, exact user id" "$c" "${FPR[ci]}"

# The wrong passphrase first, then the right one, then the wrong one again: gpg-agent must
# not let a cached unlock stand in for the passphrase given.
c=$(fresh home-wrong)
check_exit 2 "--gnupg-home: wrong passphrase is an input error" \
  "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Locked Signer' --passphrase-file "$W/wrong.pass"
check "  and leaves no .prov behind" test ! -e "$c.prov"
c=$(fresh home-locked)
check "--gnupg-home: protected key with --passphrase-file" \
  "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Locked Signer' --passphrase-file "$W/locked.pass"
accepted "home, passphrase file" "$c" "${FPR[Locked Signer]}"
c=$(fresh home-wrong-after)
check_exit 2 "--gnupg-home: a wrong passphrase right after the good one still fails (no agent cache)" \
  "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Locked Signer' --passphrase-file "$W/wrong.pass"
check "  and leaves no .prov behind" test ! -e "$c.prov"

c=$(fresh home-ambiguous)
check_exit 2 "--gnupg-home: ambiguous --key Team" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key Team
check "  and leaves no .prov behind" test ! -e "$c.prov"
check_exit 2 "--gnupg-home: unknown --key" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Nobody Here'
check_exit 2 "--gnupg-home: a key with no secret part here" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Public Only'
mkdir -m 700 "$W/nohome"
check_exit 2 "--gnupg-home: a directory that is no GnuPG home" "$CHARTPROV" sign "$c" --gnupg-home "$W/nohome" --key 'Plain Signer'
check "  and still no .prov behind" test ! -e "$c.prov"

# ------------------------------------------------------------ one rule for every secret input (issue 14)
# A world-readable unprotected secret keyring was accepted while a 0644 .key was refused.
cp "$W/sec-plain.gpg" "$W/sec-open.gpg" && chmod 644 "$W/sec-open.gpg"
c=$(fresh perm-keyring)
check_exit 2 "--keyring: a secret keyring readable by others (0644) is refused" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-open.gpg" --key 'Plain Signer'
check_said "  as a private key file is, with the fix" "secret keyring .*sec-open.gpg is accessible by group or others \(mode 0644\); run: chmod 600" err
check "  and leaves no .prov behind" test ! -e "$c.prov"
chmod 640 "$W/sec-open.gpg"
check_exit 2 "  readable by the group (0640) too" "$CHARTPROV" sign "$c" --keyring "$W/sec-open.gpg" --key 'Plain Signer'
cp "$W/locked.pass" "$W/open.pass" && chmod 644 "$W/open.pass"
check_exit 2 "--passphrase-file readable by others is refused" \
  "$CHARTPROV" sign "$c" --keyring "$W/sec-locked.gpg" --key 'Locked Signer' --passphrase-file "$W/open.pass"
check_said "  naming it" "passphrase file .*open.pass is accessible by group or others" err
check "  and leaves no .prov behind" test ! -e "$c.prov"
chmod 755 "$GNUPGHOME"
check_exit 2 "--gnupg-home open to others (0755) is refused" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Plain Signer'
check_said "  naming it" "GnuPG home .* is accessible by group or others \(mode 0755\); run: chmod 700" err
chmod 700 "$GNUPGHOME"
check "  and the same home at 0700 signs" "$CHARTPROV" sign "$c" --gnupg-home "$GNUPGHOME" --key 'Plain Signer'

finish
