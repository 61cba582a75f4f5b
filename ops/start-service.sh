#!/usr/bin/env bash
# ops/start-service.sh NAME: starts one service (built by ops/start.sh) in the background and waits until it is ready.
# Used by ops/start.sh, and by the fault tests to bring back a service they killed.
set -euo pipefail
source "$(dirname "$0")/env.sh"
name=$1
port=""
for entry in $IX_SERVICES; do
  if [ "${entry%%:*}" = "$name" ]; then port=${entry##*:}; fi
done
[ -n "$port" ] || { echo "unknown service $name" >&2; exit 2; }
project=$(ix_service_project "$name")
demo=false
[ "$IX_DEMO" = 1 ] && demo=true
mkdir -p "$IX_LOGS" "$IX_RUN/pids"
rm -f "$IX_RUN/pids/$name.pid"
(
  cd "$IX_ROOT/src/$project/bin/Release/net10.0"
  export ASPNETCORE_URLS="http://127.0.0.1:$port"
  export ConnectionStrings__Database="Host=$IX_PG_HOST;Port=$IX_PG_PORT;Database=ix_$name;Username=$IX_PG_USER;Password=$IX_PG_PASSWORD;SSL Mode=$IX_PG_SSL"
  export RabbitMq__Host="$IX_RABBIT_HOST" RabbitMq__VirtualHost="$IX_RABBIT_VHOST"
  export RabbitMq__Username="$IX_RABBIT_USER" RabbitMq__Password="$IX_RABBIT_PASSWORD"
  export Auth__Issuer="$IX_PUBLIC_URL" Auth__JwksUri="http://127.0.0.1:5101/.well-known/jwks.json"
  # Identity's key-protection certificate: outside the database and its backups (made at Identity's first start).
  export DataProtection__CertificateFile="${IX_KEY_PROTECTION_CERTIFICATE:-$IX_RUN/secrets/identity-key-protection.pfx}"
  export Demo__Enabled="$demo" Demo__SeedFile="$IX_ROOT/ops/demo/demo.json" Demo__ClientsFile="$IX_ROOT/ops/demo/clients.json"
  # Drills files injects through the Reports API as the exercise labs' machine clients (IX_DRILLS_INJECTORS: a JSON
  # list like ops/demo/clients.json; the demo's by default).
  export Drills__ReportsUrl="http://127.0.0.1:5102" Drills__TokenUrl="http://127.0.0.1:5101/connect/token"
  export Drills__InjectorsFile="${IX_DRILLS_INJECTORS:-$IX_ROOT/ops/demo/clients.json}"
  # A small supervisor: a service that exits with 75 (its bus watchdog found the bus stalled) is started again; any
  # other exit (stop.sh's SIGTERM, a kill -9) ends the loop. The pid file always names the running dotnet process.
  nohup bash -c '
    while :; do
      dotnet "$0.dll" & echo $! >"$1"
      wait $!; code=$?
      [ "$code" = 75 ] || exit "$code"
      echo "[supervisor] $(date -u +%FT%TZ) exited with 75 (asked to be restarted); restarting"
      sleep 1
    done' "$project" "$IX_RUN/pids/$name.pid" >>"$IX_LOGS/$name.log" 2>&1 &
)
# The pid file appears once the supervisor has started dotnet.
for _ in $(seq 1 50); do [ -s "$IX_RUN/pids/$name.pid" ] && break; sleep 0.1; done
[ "${2:-}" = --no-wait ] || "$IX_ROOT/ops/wait-ready.sh" "$name" "$port"
