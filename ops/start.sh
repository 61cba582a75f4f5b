#!/usr/bin/env bash
# Starts the whole platform on this machine: PostgreSQL, RabbitMQ, the services and the nginx edge on
# http://127.0.0.1:8080, in demo mode unless IX_DEMO=0. Installs what is missing (Debian, as root, no Docker).
# Logs: .run/logs/. Stop with ops/stop.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
log() { printf '\033[1m[start]\033[0m %s\n' "$*"; }

"$IX_ROOT/ops/infra.sh"
"$IX_ROOT/ops/stop.sh" --keep-infra >/dev/null 2>&1 || true
mkdir -p "$IX_LOGS" "$IX_RUN/pids"

log "building the services (Release)"
dotnet build "$IX_ROOT/IncidentExchange.sln" -c Release --nologo -v quiet -clp:ErrorsOnly >"$IX_LOGS/build.log" 2>&1 \
  || { tail -n 40 "$IX_LOGS/build.log"; exit 1; }

log "building the dashboard"
# npm install, not npm ci: the registry copy here lacks other platforms' optional packages, which npm ci
# then reports as missing from the lock file; npm install still installs the locked versions.
( cd "$IX_ROOT/src/dashboard" && npm install --no-audit --no-fund --loglevel=error && npm run --silent build ) >"$IX_LOGS/dashboard-build.log" 2>&1 \
  || { tail -n 40 "$IX_LOGS/dashboard-build.log"; exit 1; }

# Identity first: the others fetch its keys. Then the rest start together.
"$IX_ROOT/ops/start-service.sh" identity
for entry in ${IX_SERVICES#identity:* }; do
  "$IX_ROOT/ops/start-service.sh" "${entry%%:*}" --no-wait
done
for entry in ${IX_SERVICES#identity:* }; do
  "$IX_ROOT/ops/wait-ready.sh" "${entry%%:*}" "${entry##*:}"
done

log "starting the edge (nginx) on $IX_PUBLIC_URL"
mkdir -p "$IX_RUN/nginx"
sed -e "s#\${LISTEN}#127.0.0.1:$IX_EDGE_PORT#g" \
    -e "s#\${RUN_DIR}#$IX_RUN/nginx#g" \
    -e "s#\${LOG_DIR}#$IX_LOGS#g" \
    -e "s#\${DASHBOARD_ROOT}#$IX_ROOT/src/dashboard/dist#g" \
    -e "s#\${IDENTITY}#127.0.0.1:5101#g;s#\${REPORTS}#127.0.0.1:5102#g;s#\${ALERTS}#127.0.0.1:5106#g;s#\${TRIAGE}#127.0.0.1:5103#g;s#\${SEVERITY}#127.0.0.1:5105#g;s#\${DRILLS}#127.0.0.1:5107#g" \
    "$IX_ROOT/ops/nginx/nginx.conf.template" >"$IX_RUN/nginx/nginx.conf"
nginx -q -t -c "$IX_RUN/nginx/nginx.conf" -p "$IX_RUN/nginx"
nginx -c "$IX_RUN/nginx/nginx.conf" -p "$IX_RUN/nginx"
for _ in $(seq 1 50); do curl -fsS -o /dev/null "$IX_PUBLIC_URL/.well-known/openid-configuration" && break; sleep 0.2; done
curl -fsS -o /dev/null "$IX_PUBLIC_URL/.well-known/openid-configuration" || { echo "edge did not answer"; exit 1; }

cat <<MSG

IncidentExchange is running.
  Dashboard and API:  $IX_PUBLIC_URL/
  Token endpoint:     $IX_PUBLIC_URL/connect/token
  Discovery:          $IX_PUBLIC_URL/.well-known/openid-configuration
  Logs:               $IX_LOGS/
  Stop:               ops/stop.sh
MSG
if [ "$IX_DEMO" = 1 ]; then
  node -e '
    const d = require(process.argv[1]), c = require(process.argv[2]);
    console.log("\nDemo mode. People (dashboard sign-in):");
    for (const u of d.users) console.log(`  ${u.userName.padEnd(14)} ${u.password.padEnd(26)} ${u.roles.join(", ")}`);
    console.log("API clients (POST /connect/token, grant_type=client_credentials):");
    for (const k of c) console.log(`  ${k.clientId.padEnd(18)} ${k.clientSecret.padEnd(44)} ${k.party} ${k.roles.join(", ")}`);
  ' "$IX_ROOT/ops/demo/demo.json" "$IX_ROOT/ops/demo/clients.json"
fi
