#!/usr/bin/env bash
# Builds and runs every test project, then prints one closing line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
config=${CONFIG:-Release}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build FaaS.sln -c "$config" -nologo -v quiet || exit 1
# One test assembly at a time: the timing-sensitive end-to-end tests stay reliable on a 2-core machine.
dotnet test FaaS.sln -m:1 -c "$config" --no-build -nologo --logger "trx" --results-directory "$results" --logger "console;verbosity=minimal"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${n:-0}))
done
# The failures again at the end, where a CI log's tail shows them.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    python3 - "$trx" <<'PY' 2>/dev/null || grep -o 'testName="[^"]*" [^>]*outcome="Failed"' "$trx"
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
    msg = r.find(".//t:Message", ns)
    text = (msg.text or "").strip().splitlines() if msg is not None else []
    print("  " + r.get("testName") + (": " + " | ".join(text)[:600] if text else ""))
PY
  done
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit $status
