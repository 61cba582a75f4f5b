#!/usr/bin/env bash
# Stops what ops/start.sh started: the services, the edge, and (unless --keep-infra) RabbitMQ and PostgreSQL.
set -uo pipefail
source "$(dirname "$0")/env.sh"
if [ -f "$IX_RUN/nginx/nginx.pid" ]; then
  nginx -q -c "$IX_RUN/nginx/nginx.conf" -p "$IX_RUN/nginx" -s quit 2>/dev/null
fi
for pidfile in "$IX_RUN"/pids/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$pidfile"
done
echo "[stop] services and edge stopped"
if [ "${1:-}" != --keep-infra ]; then
  rabbitmqctl -q stop >/dev/null 2>&1 && echo "[stop] RabbitMQ stopped"
  pg_ctlcluster "$(ls /etc/postgresql | sort -n | tail -1)" main stop 2>/dev/null && echo "[stop] PostgreSQL stopped"
fi
exit 0
