#!/usr/bin/env bash
# Measures how well Triage groups reports into incidents: runs the labelled evaluation set through the real grouper
# on the real PostgreSQL (started by ops/infra.sh when missing) and prints precision and recall and every pair it got
# wrong. The same run is one of the tests of ops/test.sh, with floors; here it is printed. See ops/eval/README.md.
set -euo pipefail
source "$(dirname "$0")/../env.sh"

"$IX_ROOT/ops/infra.sh" >/dev/null
export IX_TEST_POSTGRES="Host=$IX_PG_HOST;Port=$IX_PG_PORT;Username=$IX_PG_USER;Password=$IX_PG_PASSWORD;SSL Mode=$IX_PG_SSL;Database=postgres"
mkdir -p "$IX_LOGS"
rm -f "$IX_RUN/eval/grouping.txt"
set +e
dotnet test "$IX_ROOT/tests/IncidentExchange.Triage.Tests" --nologo -v quiet \
  --filter "FullyQualifiedName~GroupingEvaluationTests" >"$IX_LOGS/eval-grouping.log" 2>&1
status=$?
set -e
if [[ -f "$IX_RUN/eval/grouping.txt" ]]; then
  cat "$IX_RUN/eval/grouping.txt"
else
  cat "$IX_LOGS/eval-grouping.log"
fi
exit "$status"
