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
(
  cd "$IX_ROOT/src/$project/bin/Release/net10.0"
  export ASPNETCORE_URLS="http://127.0.0.1:$port"
  export ConnectionStrings__Database="Host=$IX_PG_HOST;Port=$IX_PG_PORT;Database=ix_$name;Username=$IX_PG_USER;Password=$IX_PG_PASSWORD"
  export RabbitMq__Host="$IX_RABBIT_HOST" RabbitMq__VirtualHost="$IX_RABBIT_VHOST"
  export RabbitMq__Username="$IX_RABBIT_USER" RabbitMq__Password="$IX_RABBIT_PASSWORD"
  export Auth__Issuer="$IX_PUBLIC_URL" Auth__JwksUri="http://127.0.0.1:5101/.well-known/jwks.json"
  export Demo__Enabled="$demo" Demo__SeedFile="$IX_ROOT/ops/demo/demo.json" Demo__ClientsFile="$IX_ROOT/ops/demo/clients.json"
  nohup dotnet "$project.dll" >>"$IX_LOGS/$name.log" 2>&1 &
  echo $! >"$IX_RUN/pids/$name.pid"
)
[ "${2:-}" = --no-wait ] || "$IX_ROOT/ops/wait-ready.sh" "$name" "$port"
