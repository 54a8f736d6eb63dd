#!/usr/bin/env bash
# Regenerates tools/hot-symbols.txt: the functions that one `chartprov verify` (and one
# verify-repo) executes, hottest first, then the data objects it touches. The static link hands the list to lld
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
# The data one verify reads and writes (every load and store, valgrind's lackey): tables, strings,
# .data and .bss objects are ordered the same way within their own sections.
valgrind --tool=lackey --trace-mem=yes --log-file="$T/mem.trace" \
  "$C" verify "$T/ecdsa-p256/repo/bench-1.0.1.tgz" --keyring "$T/ecdsa-p256/key.pub.gpg" >/dev/null 2>&1 || true
nm -nS --defined-only "$C" >"$T/nm.txt"
# Every function a run executed. First those of the plain verify (P-256 and RSA: what a
# deployment runs), hottest first, so that path's code is the most compact; then the rest
# (Ed25519, --json, verify-repo, the gate) by their cost. Ties by name.
python3 - "$T" "$OUT" <<'PY'
import glob, os, re, sys

def functions(path):  # name -> self cost (Ir) in one callgrind output
    cost, names, fn, after_call = {}, {}, None, False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3):
                names[m.group(2)] = re.sub(r"'\d+$", "", m.group(3))
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
    return {n: c for n, c in cost.items() if n and not n.startswith("0x") and not n.startswith("(below main)")}

primary, rest = {}, {}
for f in sorted(glob.glob(sys.argv[1] + "/cg.*")):
    into = primary if os.path.basename(f) in ("cg.verify-ecdsa-p256", "cg.verify-rsa-3072") else rest
    for n, c in functions(f).items():
        into[n] = into.get(n, 0) + c
order = [n for n, _ in sorted(primary.items(), key=lambda x: (-x[1], x[0]))]
order += [n for n, _ in sorted(((n, c) for n, c in rest.items() if n not in primary), key=lambda x: (-x[1], x[0]))]

# glibc picks its string functions by CPU at start-up, and valgrind's CPU is not this one: every
# variant of a family that ran (__memmove_avx_unaligned_erms -> __memmove_*) goes with it.
symbols = []  # (address, size, name, kind) from nm -nS
for line in open(sys.argv[1] + "/nm.txt"):
    p = line.split()
    if len(p) == 4:
        symbols.append((int(p[0], 16), int(p[1], 16), p[3], p[2]))
variant = re.compile(r"^(__(?:mem|str|stp|wmem|wcs|raw)[a-z]*)_(?:sse2|ssse3|sse4|avx|evex|erms)")
families = {m.group(1) for n in order if (m := variant.match(n))}
if families & {"__memcpy", "__memmove", "__mempcpy"}:  # one implementation under three names
    families |= {"__memcpy", "__memmove", "__mempcpy"}
seen = set(order)
for _, _, n, kind in symbols:
    m = variant.match(n)
    if kind in "tT" and m and m.group(1) in families and n not in seen:
        order.append(n)
        seen.add(n)

# Data objects by the first access to them (a named object; string literals are merged anyway).
import bisect
data = [s for s in symbols if s[3] in "rRdDbB"]
starts = [s[0] for s in data]
trace = sys.argv[1] + "/mem.trace"
if os.path.exists(trace):
    for line in open(trace, errors="replace"):
        if line[:2] not in (" L", " S", " M"):
            continue
        a = int(line[3:].split(",")[0], 16)
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and data[i][0] <= a < data[i][0] + max(data[i][1], 1) and data[i][2] not in seen:
            order.append(data[i][2])
            seen.add(data[i][2])
with open(sys.argv[2], "w") as w:
    for n in order:
        w.write(n + "\n")
PY
echo "$OUT: $(wc -l <"$OUT") functions"
