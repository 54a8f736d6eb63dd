#!/usr/bin/env bash
# Regenerates tools/hot-symbols.txt: the functions that one `chartprov verify` (and one
# verify-repo) executes, hottest first. The static link hands the list to lld
# (--symbol-ordering-file), which places those functions together at the start of .text, so a
# short verify faults in a few 64 KiB windows of code instead of ~70 spread over 7 MB (each
# fault of a file-backed page costs ~3 us here: a fifth of one verify). See docs/PERFORMANCE.md.
#
#   bash scripts/gen-hot-symbols.sh [BUILD_DIR]
#
# Needs valgrind (callgrind), BUILD_DIR/chartprov and PEERS/helm (bench/gen-charts.sh). Stale
# entries are harmless: lld skips names it does not find (--no-warn-symbol-ordering), a function
# missing from the list is merely placed elsewhere. Rerun after large changes to the verify path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
C=$BUILD/chartprov
OUT=$ROOT/tools/hot-symbols.txt
command -v valgrind >/dev/null || { echo "gen-hot-symbols: needs valgrind" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CHARTPROV_CACHE_DIR=$T/cache
profile() {  # profile NAME CMD...: one callgrind run, mangled names
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$T/cg.$1" "${@:2}" >/dev/null 2>&1 || true
}
for alg in ecdsa-p256 rsa-3072 ed25519; do
  bash "$ROOT/bench/gen-charts.sh" "$C" "$T/$alg" 3 "$alg" >/dev/null
  ring=$T/$alg/key.pub.gpg chart=$T/$alg/repo/bench-1.0.1.tgz
  "$C" verify "$chart" --keyring "$ring" >/dev/null  # fills the keyring cache, as a warm verify finds it
  profile "verify-$alg" "$C" verify "$chart" --keyring "$ring"
  profile "json-$alg" "$C" verify "$chart" --keyring "$ring" --json
  profile "repo-$alg" "$C" verify-repo "$T/$alg/repo" --keyring "$ring" --jobs 1
done
# The deploy gate: a trust root and the production policy.
"$C" key generate --uid "Root <root@hot.invalid>" --output "$T/root" --no-passphrase >/dev/null
"$C" trust init --output "$T/td" --root-key "$T/root.key" >/dev/null
"$C" trust add-key --trust-dir "$T/td" --key "$T/ecdsa-p256/key.pub.gpg" --owner ci --charts '*' --envs '*' >/dev/null
"$C" trust sign --trust-dir "$T/td" --root-key "$T/root.key" >/dev/null
"$C" trust update --trust-dir "$T/td" --from "$T/td/staged.json" >/dev/null
profile gate "$C" verify "$T/ecdsa-p256/repo/bench-1.0.1.tgz" --env production --trust-dir "$T/td"
# Every function any run executed, by its self cost summed over the runs (ties by name).
python3 - "$T" "$OUT" <<'PY'
import glob, re, sys
cost = {}
for f in glob.glob(sys.argv[1] + "/cg.*"):
    names, fn, after_call = {}, None, False
    for line in open(f, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3):
                names[m.group(2)] = m.group(3)
            name = names.get(m.group(2))
            cost.setdefault(name, 0)
            if m.group(1) == "fn":
                fn = name
            continue
        if line.startswith("calls="):
            after_call = True  # the next cost line is the call's inclusive cost, not fn's own
            continue
        if fn and line[:1] in "0123456789+-*":
            parts = line.split()
            if not after_call and len(parts) >= 2 and parts[1].isdigit():
                cost[fn] += int(parts[1])
            after_call = False
out = []
for name, c in cost.items():
    if not name:
        continue
    name = re.sub(r"'\d+$", "", name)
    if name.startswith("0x") or name.startswith("(below main)"):
        continue
    out.append((c, name))
best = {}
for c, name in out:
    best[name] = max(best.get(name, 0), c)
with open(sys.argv[2], "w") as w:
    for name, _ in sorted(best.items(), key=lambda x: (-x[1], x[0])):
        w.write(name + "\n")
PY
echo "$OUT: $(wc -l <"$OUT") functions"
