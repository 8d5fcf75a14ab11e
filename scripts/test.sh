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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit $status
