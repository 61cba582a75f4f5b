#!/usr/bin/env bash
# The one test command: starts the platform as ops/start.sh does (installing what is missing), prepares the Node
# SignalR and OAuth test clients, and runs every test project of the solution: unit and API tests on the real PostgreSQL, and
# end-to-end tests through the edge with the official SignalR client and Debian's Chromium. The platform stays up afterwards
# (ops/stop.sh stops it). Extra arguments go to dotnet test (e.g. --filter).
set -euo pipefail
source "$(dirname "$0")/env.sh"

"$IX_ROOT/ops/start.sh"
if ! command -v chromium >/dev/null; then
  echo "[test] installing Chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
for client in signalr-client oauth-client; do
  ( cd "$IX_ROOT/tests/IncidentExchange.EndToEnd.Tests/$client" && npm install --no-audit --no-fund --loglevel=error ) >/dev/null
done

export IX_TEST_POSTGRES="Host=$IX_PG_HOST;Port=$IX_PG_PORT;Username=$IX_PG_USER;Password=$IX_PG_PASSWORD;SSL Mode=$IX_PG_SSL;Database=postgres"
export IX_EDGE_URL="$IX_PUBLIC_URL"
log="$IX_LOGS/test.log"
set +e
# Two runs: every test project but the end-to-end one (in parallel), then the end-to-end tests on their own. The unit
# and API tests create and drop a database per fixture, and a CREATE or DROP DATABASE during the end-to-end backup
# test's pg_basebackup can leave a backup PostgreSQL 15 cannot replay ("could not open file .../pg_filenode.map").
filter="$IX_RUN/tests-but-end-to-end.slnf"
mkdir -p "$IX_RUN"
{
  printf '{ "solution": { "path": "%s", "projects": [' "$IX_ROOT/IncidentExchange.sln"
  find "$IX_ROOT/tests" -name '*.Tests.csproj' ! -name 'IncidentExchange.EndToEnd.Tests.csproj' -printf '%P\n' | sort |
    sed 's#^#"tests/#; s#$#"#' | paste -sd,
  printf '] } }\n'
} >"$filter"
dotnet test "$filter" -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
dotnet test "$IX_ROOT/tests/IncidentExchange.EndToEnd.Tests" -c Release --no-build --nologo "$@" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

# One closing line for the whole run, summed over the test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed"
exit "$status"
