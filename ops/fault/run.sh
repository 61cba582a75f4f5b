#!/usr/bin/env bash
# ops/fault/run.sh: fault tests with real processes, against the platform as ops/start.sh runs it (started if it is
# not answering). While reports are filed at 20/s and every 201 is recorded:
#   kill -9 of each service in turn, then restart;  SIGTERM of each (graceful shutdown), then restart;  RabbitMQ stopped for 60 s (IX_FAULT_BROKER_SECONDS), then started;
#   PostgreSQL stopped with an immediate shutdown, then started.
# Then every report that got 201 must be stored, triaged, assessed and alerted exactly once (each database checked
# against the ledger of ids after each fault) and seen exactly once by the duty officer's client; no message may end
# in an _error queue. Prints recovery times.
# Results: .run/fault/<time>/ (ledger.jsonl, alerts.jsonl, events.txt, summary.json). Exit 1 if anything is lost or doubled.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
out="$IX_RUN/fault/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
log() { printf '\033[1m[fault]\033[0m %s\n' "$*"; }
event() { echo "$(date +%s%3N) $*" >>"$out/events.txt"; log "$*"; }
pg_version=$(ls /etc/postgresql | sort -n | tail -1)

curl -fsS -o /dev/null "$IX_PUBLIC_URL/.well-known/openid-configuration" 2>/dev/null || "$IX_ROOT/ops/start.sh"
( cd "$IX_ROOT/ops/fault" && npm install --no-audit --no-fund --loglevel=error >/dev/null )

# Each database against the ledger: ids with no row, and ids with more than one.
count() { # database table column
  runuser -u postgres -- psql -qtAX -d "$1" -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE ledger (id uuid PRIMARY KEY);
\copy ledger FROM '$out/ids.txt'
SELECT count(*) FILTER (WHERE n = 0) || ' ' || count(*) FILTER (WHERE n > 1)
FROM (SELECT l.id, count(t.$3) AS n FROM ledger l LEFT JOIN $2 t ON t.$3 = l.id GROUP BY l.id) x;
SQL
}
error_messages() { rabbitmqctl -q list_queues -p "$IX_RABBIT_VHOST" name messages | awk '$1 ~ /_error$/ {s+=$2} END {print s+0}'; }

# After a fault: wait until every report accepted so far has its alert (at most 180 s), then check each database
# against the ledger: no accepted report missing, none processed twice.
failed=0
drain_and_check() {
  local started=$(date +%s%3N) check missing doubled
  jq -r .id "$out/ledger.jsonl" >"$out/ids.txt"
  chmod o+rx "$IX_RUN" "$IX_RUN/fault" "$out" && chmod o+r "$out/ids.txt"
  for _ in $(seq 1 180); do
    [ "$(count ix_alerts alerts report_id)" = "0 0" ] && break
    sleep 1
  done
  log "after $1: $(wc -l <"$out/ids.txt") accepted so far, backlog drained in $(($(date +%s%3N) - started)) ms"
  for check in "ix_reports reports id" "ix_triage results report_id" "ix_severity assessments report_id" "ix_alerts alerts report_id"; do
    read -r missing doubled <<<"$(count $check)"
    log "$(printf '    %-14s missing %4s  more than once %4s' "${check%% *}" "$missing" "$doubled")"
    [ "$missing" = 0 ] && [ "$doubled" = 0 ] || failed=1
  done
}

errors_before=$(error_messages)
node "$IX_ROOT/ops/fault/load.mjs" "$out" "${IX_FAULT_RATE:-20}" &
load=$!
trap 'kill $load 2>/dev/null || true' EXIT
# Faults begin once reports are being accepted (the first line of the ledger), then after 5 s of load.
for _ in $(seq 1 120); do [ -s "$out/ledger.jsonl" ] && break; kill -0 $load 2>/dev/null || { log "the load ended before filing"; exit 1; }; sleep 1; done
[ -s "$out/ledger.jsonl" ] || { log "no report accepted in 120 s: nothing to test"; exit 1; }
sleep 5

for service in reports triage translation severity alerts identity; do
  event "stop $service (kill -9)"
  kill -9 "$(cat "$IX_RUN/pids/$service.pid")"
  sleep 2
  "$IX_ROOT/ops/start-service.sh" "$service" >/dev/null
  event "recovered $service (kill -9)"
  drain_and_check "kill -9 $service"
done

# Graceful shutdown (what stop.sh, systemd and Docker send): the service finishes or returns its in-flight work.
for service in reports triage translation severity alerts identity; do
  pid=$(cat "$IX_RUN/pids/$service.pid")
  event "stop $service (SIGTERM)"
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$service still running 30 s after SIGTERM"; failed=1; kill -9 "$pid"; fi
  event "exited $service (SIGTERM)"
  "$IX_ROOT/ops/start-service.sh" "$service" >/dev/null
  event "recovered $service (SIGTERM)"
  drain_and_check "SIGTERM $service"
done

event "stop rabbitmq"
rabbitmqctl -q stop >/dev/null
sleep "${IX_FAULT_BROKER_SECONDS:-60}"
rabbitmq-server -detached >/dev/null 2>&1 || true
for _ in $(seq 1 120); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 0.5; done
rabbitmqctl -q await_startup --timeout 120 >/dev/null
event "recovered rabbitmq"
drain_and_check "the broker outage"

event "stop postgresql (immediate)"
pg_ctlcluster "$pg_version" main stop -m immediate
pg_ctlcluster "$pg_version" main start
for _ in $(seq 1 60); do pg_isready -q -h "$IX_PG_HOST" -p "$IX_PG_PORT" && break; sleep 0.5; done
event "recovered postgresql (immediate)"
drain_and_check "the database restart"

kill -USR1 $load
event "filing stopped"

drain_and_check "the end"
sleep 3 # let the client's pushes and gap-fills land
kill -TERM $load; wait $load 2>/dev/null || true

node "$IX_ROOT/ops/fault/check.mjs" "$out" || failed=1
errors=$(($(error_messages) - errors_before))
log "new messages in _error queues: $errors"
[ "$errors" = 0 ] || failed=1
log "results in $out"
exit $failed
