#!/usr/bin/env bash
# The trust root from the command line (issue 5, first part): init with three root keys and a
# threshold of two, stage a signing key, one signature is not enough, two are; an older version
# (rollback) and a tampered document are refused; root keys rotate under the old threshold; every
# verifier keeps the highest version it accepted (a root.json copied back is refused) and a fresh
# host pins its first root by digest.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
for i in 1 2 3 4; do "$C" key generate --uid "Root $i <r$i@test.invalid>" --output "root$i" --no-passphrase >/dev/null; done
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
"$H" create web-early >/dev/null && "$H" package web-early >/dev/null
check "a chart signed before its key is in the trust root" env COSIGN_PASSWORD=pw "$C" sign web-early-0.1.0.tgz --key ci.key
check "trust init with three root keys, threshold 2" "$C" trust init --output td --root-key root1.key --root-key root2.key --root-key root3.key --threshold 2
check_said "  version 1" "version 1, expires .*, 2 of 3 root keys" out
cp td/root.json v1.json
check "add-key stages a signing key" "$C" trust add-key --trust-dir td --key ci.pub --owner platform-ci --charts 'web-*' --envs production
check "one root signature" "$C" trust sign --trust-dir td --root-key root1.key
check_exit 1 "is not a threshold" "$C" trust update --trust-dir td --from td/staged.json
check_said "  and says how many are needed" "signed by 1 of the trusted root keys; 2 are needed" err
check_exit 2 "the same root key cannot sign twice" "$C" trust sign --trust-dir td --root-key root1.key
check "a second root signature" "$C" trust sign --trust-dir td --root-key root3.key
cp td/staged.json v2.json
python3 - <<'PY'
import json
d = json.load(open("v2.json")); d["signed"]["signing_keys"][0]["allowed_charts"] = ["*"]
json.dump(d, open("v2-tampered.json", "w"))
PY
check_exit 1 "a tampered copy of the signed version is refused" "$C" trust update --trust-dir td --from v2-tampered.json
# Issue 14 finding 6: a 400,000-level document crashed trust update (SIGSEGV, exit 139).
python3 -c 'import sys; n = 400000; sys.stdout.write("{\"signed\":" + "[" * n + "]" * n + "}")' >deep.json
check_exit 2 "a 400,000-level document is refused, not a crash" "$C" trust update --trust-dir td --from deep.json
check_said "  at the nesting bound" "nests deeper than 128 levels" err
check "the signed version is accepted" "$C" trust update --trust-dir td --from v2.json
check_said "  as version 2" "trust root version 2," out
check_said "  with the signer" "signer .* owner=platform-ci charts=web-\* envs=production" out

# Issue 14 finding 5: every verifier keeps the highest version it has accepted, with its digest
# (TUF), so a root.json copied back is refused by every load, not only by trust update.
cp td/root.json v2-accepted.json
check "the state records version 2 (0600)" python3 -c '
import json, os, stat
p = os.environ["XDG_STATE_HOME"] + "/chartprov/trust-state.json"
s = json.load(open(p))
assert [(r["version"], r["trust_dir"].endswith("/td")) for r in s["roots"]] == [(2, True)], s
assert stat.S_IMODE(os.stat(p).st_mode) == 0o600, oct(os.stat(p).st_mode)'
cp v1.json td/root.json
check_exit 2 "root.json copied back to version 1: verify refuses it" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
check_said "  as a rollback" "is older than version 2, which this host has accepted: a rollback is refused" err
check_exit 2 "  the gate too, and helm does not run" "$C" helm template rel web-early-0.1.0.tgz --trust-dir td --env production
check_exit 2 "  trust show too" "$C" trust show --trust-dir td
# The same version with other content, validly signed by the roots of version 1.
mkdir td-alt && cp v1.json td-alt/root.json
"$C" trust add-key --trust-dir td-alt --key ci.pub --owner someone-else --charts '*' >/dev/null
"$C" trust sign --trust-dir td-alt --root-key root1.key >/dev/null && "$C" trust sign --trust-dir td-alt --root-key root2.key >/dev/null
cp td-alt/staged.json td/root.json
check_exit 2 "another version 2 (other content, validly signed) is refused" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
check_said "  as not the version accepted" "is not the version 2 this host has accepted" err
cp v2-accepted.json td/root.json
check "the accepted version 2 back: verify works again" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
# A fresh host (no state) pins its first root explicitly, by digest.
check "trust show prints the digest to pin" "$C" trust show --trust-dir td
digest=$(sed -n 's/^  digest  //p' "$OUT")
fresh_host=(env XDG_STATE_HOME="$W/fresh-host")
check_exit 2 "a fresh host refuses a root it never pinned" "${fresh_host[@]}" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
check_said "  and says how to pin it" "is not pinned on this host: check its digest, then run chartprov trust init --pin --trust-dir td --digest $digest" err
check_exit 2 "  trust init --pin with another digest pins nothing" "${fresh_host[@]}" "$C" trust init --pin --trust-dir td --digest "sha256:$(printf '0%.0s' $(seq 64))"
check_exit 2 "  (still unpinned)" "${fresh_host[@]}" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
check "  trust init --pin --digest (the right one)" "${fresh_host[@]}" "$C" trust init --pin --trust-dir td --digest "$digest"
check "  then verify works" "${fresh_host[@]}" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
cp v1.json td/root.json
check_exit 2 "  trust init --pin of an older root on a pinned host is a rollback too" "${fresh_host[@]}" "$C" trust init --pin --trust-dir td
cp v2-accepted.json td/root.json
# A service keeps its own state: --trust-state / CHARTPROV_TRUST_STATE.
check_exit 2 "--trust-state: a service's own state starts empty" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production --trust-state svc/state.json
check "  trust init --pin --trust-state pins there" "$C" trust init --pin --trust-dir td --digest "$digest" --trust-state svc/state.json
check "  verify --trust-state uses it" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production --trust-state svc/state.json
check "  CHARTPROV_TRUST_STATE is the same setting" env CHARTPROV_TRUST_STATE="$W/svc/state.json" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
chmod 666 svc/state.json
check_exit 2 "  a state file others may write is refused" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production --trust-state svc/state.json
check_said "  (it could roll every root back)" "is writable by group or others" err
chmod 600 svc/state.json
check_exit 1 "rollback to version 1 is refused" "$C" trust update --trust-dir td --from v1.json
check_said "  by name" "rollback" err
check "show" "$C" trust show --trust-dir td
check "the chart signed before the key was listed counts, .prov included" "$C" verify web-early-0.1.0.tgz --trust-dir td --env production
check_said "  (its .prov too)" "Verified prov: .* platform-ci" out

# verify --trust-dir: only listed keys, within their charts and environments, count.
"$H" create web-frontend >/dev/null && "$H" package web-frontend >/dev/null
"$H" create api >/dev/null && "$H" package api >/dev/null
check "the listed key signs web-frontend (.prov + .sig)" env COSIGN_PASSWORD=pw "$C" sign web-frontend-0.1.0.tgz --key ci.key
check "verify --trust-dir --env production" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env production
check_said "  names the key's owner" "Verified cosign-blob: .* platform-ci" out
check_said "  the .prov counts too (checked by key material)" "Verified prov: .* platform-ci" out
check_exit 1 "the key does not count for staging: denied (without a policy file every environment enforces)" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env staging
check_said "  and says so" "DENY web-frontend 0.1.0 for staging" err
check_said "  with the reason" "does not count for environment staging" err
printf 'version: 1\nenvironments:\n  staging:\n    mode: enforce\n    rules:\n      - charts: "*"\n' > staging-enforce.yaml
check_exit 1 "with a policy that enforces staging, it is denied" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env staging --policy staging-enforce.yaml
check_said "  and says so" "DENY web-frontend 0.1.0 for staging" err
check "the same key signs api" env COSIGN_PASSWORD=pw "$C" sign api-0.1.0.tgz --key ci.key
check_exit 1 "but may not sign api (allowed_charts web-*)" "$C" verify api-0.1.0.tgz --trust-dir td --env production
check_said "  and says so" "may not sign chart \"api\"" err
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output stranger >/dev/null
mv web-frontend-0.1.0.tgz.prov web.prov.keep
COSIGN_PASSWORD=pw "$C" sign web-frontend-0.1.0.tgz --key stranger.key --format cosign-blob >/dev/null
check_exit 1 "a key the trust root does not list does not count" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env production --json
mv web.prov.keep web-frontend-0.1.0.tgz.prov
check_said "  (json names the reason)" "no signature by a key the trust root lists" out
COSIGN_PASSWORD=pw "$C" sign web-frontend-0.1.0.tgz --key ci.key >/dev/null
# Every decision goes to the hash-chained audit log; any edit is found.
check "a decision is recorded" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env production --audit-log audit.jsonl
check_exit 1 "a deny is recorded too" "$C" verify api-0.1.0.tgz --trust-dir td --env production --audit-log audit.jsonl
check_exit 2 "and an input error, as a deny" "$C" verify missing-0.1.0.tgz --trust-dir td --audit-log audit.jsonl
check "audit verify: intact, three records" "$C" audit verify audit.jsonl
check_said "  with its head" "Head: [0-9a-f]{64}" out
head=$(sed -n 's/^Head: //p' "$OUT")
python3 - <<'PY'
import json
lines = open("audit.jsonl").read().splitlines()
assert [json.loads(l)["event"]["decision"] for l in lines] == ["allow", "deny", "deny"], lines
lines[1] = lines[1].replace('"deny"', '"allow"')
open("audit-edited.jsonl", "w").write("\n".join(lines) + "\n")
open("audit-cut.jsonl", "w").write("\n".join(open("audit.jsonl").read().splitlines()[:2]) + "\n")
lines = open("audit.jsonl").read().splitlines()
lines[-1] = lines[-1].replace('"deny"', '"allow"')
open("audit-last-edited.jsonl", "w").write("\n".join(lines) + "\n")
PY
check_exit 1 "an edited decision is found" "$C" audit verify audit-edited.jsonl
check_said "  at that line (its own hash)" "line 2: its own hash" err
check_exit 1 "an edited last decision is found too" "$C" audit verify audit-last-edited.jsonl
check_said "  at the last line" "line 3: its own hash" err
check "a cut log still chains" "$C" audit verify audit-cut.jsonl
check_said "  (two records)" "2 records" out
check_exit 1 "but not to the recorded head" "$C" audit verify audit-cut.jsonl --expect-head "$head"
# Issue 14 finding 10: the last line re-sealed (deny -> allow, its own hash recomputed) looks
# intact in the file alone; the head recorded elsewhere (audit head) catches it.
check "audit head prints SEQ:HASH" "$C" audit head audit.jsonl
check_said "  (line 3, the head audit verify printed)" "^3:$head\$" out
anchor=$(cat "$OUT")
python3 - <<'PY'
import hashlib
lines = open("audit.jsonl").read().splitlines()
body = lines[-1][:lines[-1].index(',"hash":"')] + "}"
body = body.replace('"decision":"deny"', '"decision":"allow"')
lines[-1] = body[:-1] + ',"hash":"' + hashlib.sha256(body.encode()).hexdigest() + '"}'
open("audit-resealed.jsonl", "w").write("\n".join(lines) + "\n")
PY
check "a re-sealed last line: the file alone still chains (SHA-256 has no key)" "$C" audit verify audit-resealed.jsonl
check_exit 1 "  but not to the anchored head" "$C" audit verify audit-resealed.jsonl --head "$anchor"
check_said "  and says so" "the anchored head 3:$head is not in the chain" err
check_exit 1 "  and audit head refuses an edited log" "$C" audit head audit-edited.jsonl
check "the log grown after the anchor still contains it" bash -c "cp audit.jsonl audit-grown.jsonl &&
  '$C' verify web-frontend-0.1.0.tgz --trust-dir td --env production --audit-log audit-grown.jsonl >/dev/null &&
  '$C' audit verify audit-grown.jsonl --head '$anchor'"
check_said "  one record after it" "Anchored head: line 3 \(1 records after it\)" out
check_exit 1 "  a cut log does not" "$C" audit verify audit-cut.jsonl --head "$anchor"
check_exit 2 "  a malformed anchor is a usage error" "$C" audit verify audit.jsonl --head "3:nothex"
check_exit 2 "--trust-dir with --keyring is a usage error" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --keyring root1.pub.gpg
check "rotate-root: root 4 replaces root 2" bash -c "'$C' key export --pem --key root4.key --output r4.pub >/dev/null && \
  '$C' key export --pem --key root1.key --output r1.pub >/dev/null && '$C' key export --pem --key root3.key --output r3.pub >/dev/null && \
  '$C' trust rotate-root --trust-dir td --new-root-key r1.pub --new-root-key r3.pub --new-root-key r4.pub --threshold 2"
check "  signed by root 1 and root 4" bash -c "'$C' trust sign --trust-dir td --root-key root1.key && '$C' trust sign --trust-dir td --root-key root4.key"
check_exit 1 "  is not enough: only one of them was a root before" "$C" trust update --trust-dir td --from td/staged.json
check "  root 3 signs too" "$C" trust sign --trust-dir td --root-key root3.key
check "  accepted" "$C" trust update --trust-dir td --from td/staged.json
check_said "  version 3" "version 3" out
id=$(python3 -c 'import json; print(json.load(open("td/root.json"))["signed"]["signing_keys"][0]["key_id"])')
check "revoke-key stages a revocation" "$C" trust revoke-key "$id" --trust-dir td
check "  root 2, no longer a root, cannot make it count" bash -c "'$C' trust sign --trust-dir td --root-key root2.key && '$C' trust sign --trust-dir td --root-key root4.key; ! '$C' trust update --trust-dir td --from td/staged.json"
check "  roots 1 and 3 can" bash -c "rm -f td/staged.json && '$C' trust revoke-key '$id' --trust-dir td --at 2020-01-01T00:00:00Z >/dev/null && '$C' trust sign --trust-dir td --root-key root1.key >/dev/null && '$C' trust sign --trust-dir td --root-key root3.key >/dev/null && '$C' trust update --trust-dir td --from td/staged.json"
check_exit 1 "revoked from before it signed, its signatures no longer count" "$C" verify web-frontend-0.1.0.tgz --trust-dir td --env production
check_said "  and say why" "was revoked at" err
# A signing key counts only inside its validity window, at the time the signature was made.
"$C" trust init --output tw --root-key root1.key --threshold 1 >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output old >/dev/null
COSIGN_PASSWORD=pw "$C" key generate --format cosign --output new >/dev/null
check "a key valid until 2020 and one valid from 2099 are listed" bash -c "'$C' trust add-key --trust-dir tw --key old.pub --owner old --charts '*' --envs '*' --not-after 2020-01-01T00:00:00Z >/dev/null && \
  '$C' trust add-key --trust-dir tw --key new.pub --owner new --charts '*' --envs '*' --not-before 2099-01-01T00:00:00Z >/dev/null && \
  '$C' trust sign --trust-dir tw --root-key root1.key >/dev/null && '$C' trust update --trust-dir tw --from tw/staged.json"
"$H" create win >/dev/null && "$H" package win >/dev/null
COSIGN_PASSWORD=pw "$C" sign win-0.1.0.tgz --key old.key --format cosign-blob >/dev/null
check_exit 1 "a signature made after its key's not_after does not count" "$C" verify win-0.1.0.tgz --trust-dir tw --env production
check_said "  and says so" "had expired \(2020-01-01T00:00:00Z\)" err
COSIGN_PASSWORD=pw "$C" sign win-0.1.0.tgz --key new.key --format cosign-blob >/dev/null
check_exit 1 "a signature made before its key's not_before does not count" "$C" verify win-0.1.0.tgz --trust-dir tw --env production
check_said "  and says so" "was not yet valid" err

# A key with an OpenPGP certificate: the trust root carries it, and export-keyring gives helm and gpg
# a keyring of exactly the active listed keys.
"$C" key generate --uid "Release <rel@test.invalid>" --output rel --no-passphrase >/dev/null
"$C" key generate --uid "Gone <gone@test.invalid>" --output gone --no-passphrase >/dev/null
check "an OpenPGP key and one that will be revoked are listed" bash -c "'$C' trust add-key --trust-dir tw --key rel.pub.asc --owner release --charts '*' --envs production >/dev/null && \
  '$C' trust add-key --trust-dir tw --key gone.pub.gpg --owner gone --charts '*' >/dev/null && \
  '$C' trust sign --trust-dir tw --root-key root1.key >/dev/null && '$C' trust update --trust-dir tw --from tw/staged.json"
check "  root.json holds their certificates, armored" python3 -c '
import json
keys = json.load(open("tw/root.json"))["signed"]["signing_keys"]
certs = [k for k in keys if "openpgp_certificate" in k]
assert len(certs) == 2 and all(k["openpgp_certificate"].startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----") for k in certs), keys'
check "  show names their fingerprints" "$C" trust show --trust-dir tw
check_said "  (release)" "owner=release .* openpgp=[0-9A-F]{40}" out
gone=$(python3 -c 'import json; print([k["key_id"] for k in json.load(open("tw/root.json"))["signed"]["signing_keys"] if k["owner"] == "gone"][0])')
check "the second is revoked" bash -c "'$C' trust revoke-key $gone --trust-dir tw >/dev/null && '$C' trust sign --trust-dir tw --root-key root1.key >/dev/null && '$C' trust update --trust-dir tw --from tw/staged.json"
check "export-keyring --env production" "$C" trust export-keyring --trust-dir tw -o ring.gpg --env production
check_said "  one certificate: the revoked key and the keys without one are left out" "Wrote 1 OpenPGP certificate" out
"$H" create relchart >/dev/null && "$C" package relchart --sign --key rel.key >/dev/null
"$C" package relchart --sign --key gone.key -d gonedir >/dev/null
check "helm verify accepts the release key's chart with the exported keyring" "$H" verify relchart-0.1.0.tgz --keyring ring.gpg
check_fails "  and not the revoked key's" "$H" verify gonedir/relchart-0.1.0.tgz --keyring ring.gpg
check "gpg reads it too" gpg --batch --no-default-keyring --keyring "$W/ring.gpg" --homedir "$W" --list-keys
check_said "  the release key" "Release <rel@test.invalid>" out
check_exit 2 "an existing keyring is not overwritten without --force" "$C" trust export-keyring --trust-dir tw -o ring.gpg
check "  with --force it is" "$C" trust export-keyring --trust-dir tw -o ring.gpg --force
python3 - <<'PY'
import json
d = json.load(open("tw/root.json"))
k = [k for k in d["signed"]["signing_keys"] if k["owner"] == "release"][0]
other = [k for k in d["signed"]["signing_keys"] if k["owner"] == "gone"][0]
k["openpgp_certificate"] = other["openpgp_certificate"]
json.dump(d, open("swapped-cert.json", "w"))
PY
check_exit 2 "a document whose certificate is another key's is refused" "$C" trust update --trust-dir tw --from swapped-cert.json
check_said "  and says so" "openpgp_certificate is not the key" err

check_exit 2 "an endless document is refused unread" bash -c "head -c 2000000 /dev/zero | tr '\\0' ' ' > huge.json; '$C' trust update --trust-dir td --from huge.json"
check_exit 2 "init refuses an existing trust directory" "$C" trust init --output td --root-key root1.key
finish
