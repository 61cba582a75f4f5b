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

export IX_TEST_POSTGRES="Host=$IX_PG_HOST;Port=$IX_PG_PORT;Username=$IX_PG_USER;Password=$IX_PG_PASSWORD;Database=postgres"
export IX_EDGE_URL="$IX_PUBLIC_URL"
log="$IX_LOGS/test.log"
set +e
dotnet test "$IX_ROOT/IncidentExchange.sln" -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed"
exit "$status"
