#!/usr/bin/env bash
# Checks that two nodes' records agree: each export's hashes, chain and signatures, then what one node sent against
# what the other received, envelope by envelope and receipt by receipt. Prints the verdict per link and exits 0 when
# they agree, 1 when they do not (naming the first entry that differs), 2 on wrong use.
# Export each node's record first (an auditor's or admin's token of that node):
#   curl -fsS -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/gateway/record > us-record.json
# Usage: ops/verify-record.sh us-record.json cn-record.json
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ $# -eq 2 ] || { sed -n '2,8p' "$0"; exit 2; }
dll="$IX_ROOT/src/IncidentExchange.Gateway/bin/Release/net10.0/IncidentExchange.Gateway.dll"
[ -f "$dll" ] || dotnet build "$IX_ROOT/src/IncidentExchange.Gateway" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
exec dotnet "$dll" verify-record "$1" "$2"
