#!/usr/bin/env bash
# verify --env/--policy: every envelope found is judged against the trust material (trust root,
# keyring or key; files and oci://), then the environment's policy decides: k-of-n signers by
# owner, unmatched charts, modes enforce/warn/off, max_age, tampering, bad policy files with
# their line, the built-in default (every environment enforces), environment names that would
# dodge enforcement (issue 14: case, spaces, look-alike letters).
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
cd "$W"
"$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
"$C" key generate --uid "Helm Signer <helm@test.invalid>" --output helmkey --no-passphrase >/dev/null
for k in release security stranger; do COSIGN_PASSWORD=pw "$C" key generate --format cosign --output "$k" >/dev/null; done
"$C" trust init --output td --root-key root.key >/dev/null
"$C" trust add-key --trust-dir td --key release.pub --owner release-team --charts '*' --envs '*' >/dev/null
"$C" trust add-key --trust-dir td --key security.pub --owner security-team --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir td --root-key root.key >/dev/null
check "a trust root with two signers" "$C" trust update --trust-dir td --from td/staged.json
for c in web-a api other old-b; do "$H" create "$c" >/dev/null && "$H" package "$c" >/dev/null; done
cat > policy.yaml <<'EOF'
version: 1
environments:
  production:
    mode: enforce
    rules:
      - charts: ["web-*", api]
        signers: [release-team, security-team]
        threshold: 2
      - charts: "old-*"
        max_age: 1s
  staging:
    mode: warn
    rules:
      - charts: "*"
  dev:
    mode: off
  "*":
    mode: enforce
EOF

# k of n: one owner is not two.
COSIGN_PASSWORD=pw "$C" sign web-a-0.1.0.tgz --key release.key >/dev/null
check_exit 1 "one of two required signers: denied in production" "$C" verify web-a-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check_said "  with the rule and the count" "rule policy.yaml:6 charts \[web-\*, api\] needs 2 signer\(s\), found 1" err
check_said "  as a DENY" "DENY web-a 0.1.0 for production" err
COSIGN_PASSWORD=pw "$C" sign web-a-0.1.0.tgz --key security.key --format sigstore-bundle >/dev/null
check "the second signer (a Sigstore bundle) makes two: allowed" "$C" verify web-a-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check_said "  naming both" "signed by: release-team .*" out
check_said "  (the second)" "signed by: security-team" out
check "--json gives the decision and every envelope" "$C" verify web-a-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --json
cp "$OUT" allow.json
check "  (checked field by field)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["decision"] == "allow" and d["allowed"] and d["environment"] == "production" and d["mode"] == "enforce", d
assert len(d["signers"]) == 2 and d["chart"]["name"] == "web-a" and d["chart"]["digest"].startswith("sha256:"), d
assert sorted(e["format"] for e in d["envelopes"]) == ["cosign-blob", "prov", "sigstore-bundle"], d
assert all(e["status"] == "good" for e in d["envelopes"]), d
' allow.json

# Tampering: no signature counts any more.
cp web-a-0.1.0.tgz web-a.keep
printf 'x' >> web-a-0.1.0.tgz
check_exit 1 "a tampered chart is denied" "$C" verify web-a-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --json
cp "$OUT" tampered.json
check "  for bad signatures (reason_code)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["decision"] == "deny" and d["reason_code"] in ("bad-signature", "archive"), d
' tampered.json
mv web-a.keep web-a-0.1.0.tgz

# A stranger's signature is not a signer; charts no rule names are denied in enforce.
COSIGN_PASSWORD=pw "$C" sign api-0.1.0.tgz --key stranger.key --format cosign-blob >/dev/null
check_exit 1 "a key the trust root does not list does not count" "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check_said "  and says so" "no signature by a key the trust root lists" err
COSIGN_PASSWORD=pw "$C" sign other-0.1.0.tgz --key release.key >/dev/null
check_exit 1 "a chart no rule matches is denied in enforce mode" "$C" verify other-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check_said "  and says so" "matches chart \"other\", and unmatched charts are denied" err

# Modes: warn reports and lets through; off does not look.
check_exit 0 "staging warns about the same chart" "$C" verify api-0.1.0.tgz --env staging --policy policy.yaml --trust-dir td
check_said "  loudly" "WARNING: api 0.1.0 would be denied in staging" err
check_exit 0 "dev is off" "$C" verify api-0.1.0.tgz --env dev --policy policy.yaml --trust-dir td
check_said "  and says nothing is checked" "mode off" out
check_exit 0 "CHARTPROV_ENV names the environment when --env is not given" env CHARTPROV_ENV=staging "$C" verify api-0.1.0.tgz --policy policy.yaml --trust-dir td
check_said "  (staging)" "would be denied in staging" err
check_exit 2 "no environment at all is a usage error" env -u CHARTPROV_ENV "$C" verify api-0.1.0.tgz --policy policy.yaml --trust-dir td
check_said "  and says so" "no environment" err

# Every decision is an event: the audit log keeps the verdict, the mode and the reason code.
check_exit 0 "a warning is recorded" "$C" verify api-0.1.0.tgz --env staging --policy policy.yaml --trust-dir td --audit-log audit.jsonl
check_exit 1 "a deny is recorded" "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --audit-log audit.jsonl
check "  as warn and deny, with mode and reason code" python3 -c '
import json
ev = [json.loads(l)["event"] for l in open("audit.jsonl")]
assert [(e["decision"], e["mode"], e["environment"]) for e in ev] == [("warn", "warn", "staging"), ("deny", "enforce", "production")], ev
assert ev[1]["reason_code"] == "untrusted-signer" and ev[1]["name"] == "api" and ev[1]["digest"].startswith("sha256:"), ev
'
check "  and the chain holds" "$C" audit verify audit.jsonl
# Issue 14: each record names who asked (the user, the CI job, an OIDC subject when given).
check_exit 1 "a deny from a GitHub Actions job is recorded with its actor" env GITHUB_ACTIONS=true GITHUB_ACTOR=octocat \
  GITHUB_REPOSITORY=org/deploy GITHUB_RUN_ID=4242 GITHUB_WORKFLOW=release CHARTPROV_OIDC_SUBJECT=repo:org/deploy:ref:refs/heads/main \
  "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --audit-log audit.jsonl
check_exit 1 "  and one from a GitLab CI job" env -u GITHUB_ACTIONS GITLAB_CI=true GITLAB_USER_LOGIN=alice CI_PROJECT_PATH=grp/app CI_JOB_ID=77 \
  CI_JOB_NAME=deploy "$C" verify api-0.1.0.tgz --env production --policy policy.yaml --trust-dir td --audit-log audit.jsonl
check "  the audit log names them" python3 -c '
import json, os, pwd
ev = [json.loads(l)["event"] for l in open("audit.jsonl")]
me = pwd.getpwuid(os.geteuid()).pw_name
assert ev[0]["actor"]["user"] == me and ev[0]["actor"]["uid"] == os.geteuid(), ev[0]
assert ev[-2]["actor"]["ci"] == {"system": "github-actions", "user": "octocat", "repository": "org/deploy", "run_id": "4242", "workflow": "release"}, ev[-2]
assert ev[-2]["actor"]["oidc_subject"] == "repo:org/deploy:ref:refs/heads/main", ev[-2]
assert ev[-1]["actor"]["ci"] == {"system": "gitlab-ci", "user": "alice", "repository": "grp/app", "run_id": "77", "workflow": "deploy"}, ev[-1]
assert "oidc_subject" not in ev[-1]["actor"], ev[-1]
'
check "  and the chain still holds" "$C" audit verify audit.jsonl

# max_age: a signature older than the rule allows does not count.
COSIGN_PASSWORD=pw "$C" sign old-b-0.1.0.tgz --key release.key --format prov >/dev/null
sleep 2
check_exit 1 "a signature older than max_age is denied" "$C" verify old-b-0.1.0.tgz --env production --policy policy.yaml --trust-dir td
check_said "  and says why" "older than max_age" err

# Bad policy files: exit 2, with the file and line.
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: "*"\n        treshold: 2\n' > typo.yaml
check_exit 2 "a typo in the policy is an error, not a weaker policy" "$C" verify web-a-0.1.0.tgz --env production --policy typo.yaml --trust-dir td
check_said "  with its line" "typo.yaml:7: unknown rule key \"treshold\"" err
check_exit 2 "a missing policy file" "$C" verify web-a-0.1.0.tgz --env production --policy missing.yaml --trust-dir td
{ printf 'version: 1\nnamespaces:\n  - namespace: "prod-*"\n    environment: prodution\n'; sed 1d policy.yaml; } > badbinding.yaml
check_exit 2 "a namespace bound to an environment the policy lacks is refused" "$C" verify web-a-0.1.0.tgz --env production --policy badbinding.yaml --trust-dir td
check_said "  with its line" "badbinding.yaml:3: namespace \"prod-\*\" is bound to environment prodution" err
{ printf 'version: 1\nnamespaces:\n  - namespace: "prod-*"\n    environment: production\n'; sed 1d policy.yaml; } > binding.yaml
check "a policy with a valid namespace binding still decides by --env" "$C" verify web-a-0.1.0.tgz --env production --policy binding.yaml --trust-dir td
check_exit 2 "--signer does not apply with a policy" "$C" verify web-a-0.1.0.tgz --env production --trust-dir td --signer 0123456789ABCDEF0123456789ABCDEF01234567

# The default policy with a keyring (the .prov, OpenPGP) and with a key (cosign envelopes).
"$H" create kr >/dev/null && "$H" package kr >/dev/null
"$C" sign kr-0.1.0.tgz --key helmkey.key --format prov >/dev/null
check "the default policy, a keyring: production allows a good .prov" "$C" verify kr-0.1.0.tgz --env production --keyring helmkey.pub.gpg
check_said "  by its user id" "Helm Signer <helm@test.invalid>" out
check_exit 1 "  another keyring: denied" "$C" verify kr-0.1.0.tgz --env production --keyring root.pub.gpg
check_exit 1 "  and in staging too: without a policy file every environment enforces" "$C" verify kr-0.1.0.tgz --env staging --keyring root.pub.gpg
check_said "  (a DENY)" "DENY kr 0.1.0 for staging" err

# Issue 14 finding 4: no environment name dodges enforcement.
"$H" create plain >/dev/null && "$H" package plain >/dev/null  # unsigned
for env in Production PRODUCTION prod-eu staging; do
  check_exit 1 "no policy file: an unsigned chart is denied for --env $env" "$C" verify plain-0.1.0.tgz --env "$env" --keyring helmkey.pub.gpg
done
check_exit 1 "  and the gate, for CHARTPROV_ENV=Production" env CHARTPROV_ENV=Production "$C" helm template rel plain-0.1.0.tgz --keyring helmkey.pub.gpg
check_exit 2 "--env 'production ' (a trailing space) is a usage error" "$C" verify plain-0.1.0.tgz --env 'production ' --keyring helmkey.pub.gpg
check_said "  naming the spaces" "has surrounding spaces" err
check_exit 2 "  the gate with CHARTPROV_ENV=' production' too" env CHARTPROV_ENV=' production' "$C" helm template rel plain-0.1.0.tgz --keyring helmkey.pub.gpg
check_said "  (spaces)" "has surrounding spaces" err
check_exit 2 "--env Dev, when the policy names dev (off), is a usage error" "$C" verify api-0.1.0.tgz --env Dev --policy policy.yaml --trust-dir td
check_said "  naming the section" "differs only by case from \"dev\"" err
check_exit 2 "  CHARTPROV_ENV=DEV too" env CHARTPROV_ENV=DEV "$C" verify api-0.1.0.tgz --policy policy.yaml --trust-dir td
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n  "pr\xd0\xbeduction":\n    mode: off\n' > cyrillic.yaml
check_exit 2 "a policy environment named with a Cyrillic o is refused" "$C" verify plain-0.1.0.tgz --env production --policy cyrillic.yaml --keyring helmkey.pub.gpg
check_said "  with its line" "cyrillic.yaml:5: environment name" err
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n  "*":\n    mode: off\n' > star-off.yaml
check_exit 2 "a \"*\" section in mode off is refused (off is granted by name)" "$C" verify plain-0.1.0.tgz --env prod-eu --policy star-off.yaml --keyring helmkey.pub.gpg
check_said "  with its line" "star-off.yaml:5: the \"\*\" environment must be in mode enforce" err
check "a key: production allows web-a's cosign envelopes" "$C" verify web-a-0.1.0.tgz --env production --key release.pub
check_exit 1 "  the wrong key: denied" "$C" verify kr-0.1.0.tgz --env production --key release.pub
fpr=$("$C" verify kr-0.1.0.tgz --keyring helmkey.pub.gpg --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["signer"]["fingerprint"])')
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: kr\n        signers: ["%s"]\n' "$fpr" > pinned.yaml
check "a policy can pin an OpenPGP fingerprint" "$C" verify kr-0.1.0.tgz --env production --policy pinned.yaml --keyring helmkey.pub.gpg
printf 'version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: kr\n        signers: ["0123456789abcdef0123"]\n' > pinned-other.yaml
check_exit 1 "  and another fingerprint is not it" "$C" verify kr-0.1.0.tgz --env production --policy pinned-other.yaml --keyring helmkey.pub.gpg

# oci://: the .prov layer helm push stored, judged the same way.
port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL the registry did not start"; exit 1; }
check "helm push (with .prov)" "$H" push kr-0.1.0.tgz "oci://127.0.0.1:$port/charts" --plain-http
check "verify oci:// --env production --keyring" "$C" verify "oci://127.0.0.1:$port/charts/kr" --version 0.1.0 --plain-http --env production --keyring helmkey.pub.gpg --output pulled.tgz
check "  saves the chart it judged" cmp pulled.tgz kr-0.1.0.tgz
check_exit 1 "  another keyring: denied, nothing saved" "$C" verify "oci://127.0.0.1:$port/charts/kr" --version 0.1.0 --plain-http --env production --keyring root.pub.gpg --output denied.tgz
check "  (no file)" test ! -e denied.tgz
# oci:// with the trust root: the .prov layer and cosign signatures of the manifest by listed keys.
check "helm push web-a (its .prov by release-team)" "$H" push web-a-0.1.0.tgz "oci://127.0.0.1:$port/charts" --plain-http
check "verify oci:// --trust-dir, default policy: allowed" "$C" verify "oci://127.0.0.1:$port/charts/web-a" --version 0.1.0 --plain-http --env production --trust-dir td
check_said "  by the .prov layer" "Verified prov: .*\(\.prov layer\) \(key .*release-team\)" out
check_exit 1 "  the two-signer policy: one is not enough" "$C" verify "oci://127.0.0.1:$port/charts/web-a" --version 0.1.0 --plain-http --env production --trust-dir td --policy policy.yaml
check "security-team signs the manifest with cosign" env COSIGN_PASSWORD=pw "$C" sign "oci://127.0.0.1:$port/charts/web-a:0.1.0" --key security.key --plain-http
check "  now two signers: allowed" "$C" verify "oci://127.0.0.1:$port/charts/web-a" --version 0.1.0 --plain-http --env production --trust-dir td --policy policy.yaml
check_said "  (the cosign signature counted)" "Verified oci-cosign: .*security-team" out
finish
