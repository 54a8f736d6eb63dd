#!/usr/bin/env bash
# ctest check-layers-selftest: scripts/check-layers.py on a tiny tree (fixture/) that breaks
# every rule once (an upward include, an include cycle, an include cycle between two folders,
# a link missing each way, an include that is no file), so the check cannot silently pass: it
# must exit 1 with exactly the lines of expected.txt.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(python3 "$here/../../scripts/check-layers.py" "$here/fixture" 2>/dev/null)
rc=$?
if [ "$rc" != 1 ]; then
  echo "check-layers-selftest: the check exited $rc on the fixture, not 1" >&2
  exit 1
fi
if ! diff -u "$here/expected.txt" <(printf '%s\n' "$out"); then
  echo "check-layers-selftest: the check's lines differ from expected.txt (above)" >&2
  exit 1
fi
echo "check-layers-selftest: the fixture's $(wc -l <"$here/expected.txt") violations found"
