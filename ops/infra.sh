#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL, RabbitMQ and nginx from Debian's packages, then creates the
# platform's database role, databases, RabbitMQ user and vhost. Idempotent; needs root on Debian (no Docker).
set -euo pipefail
source "$(dirname "$0")/env.sh"

log() { printf '\033[1m[infra]\033[0m %s\n' "$*"; }

missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql postgresql-contrib)
command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v node >/dev/null || missing+=(nodejs npm)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts nginx on port 80 after install; the platform runs its own instance instead.
  if [ -x /usr/sbin/nginx ] && pgrep -f 'nginx: master process /usr/sbin/nginx -g' >/dev/null; then
    /usr/sbin/nginx -s quit || true
  fi
fi

# Debian's security updates for what the platform runs on (PostgreSQL, RabbitMQ and Erlang, nginx, Node, OpenSSL),
# applied before they start: an install is only as current as the day it was made. IX_SECURITY_UPDATES=0 skips this
# (an air-gapped machine, or one whose packages someone else keeps).
if [ "${IX_SECURITY_UPDATES:-1}" = 1 ]; then
  if apt-get update -qq 2>/dev/null; then
    updates=$(apt list --upgradable 2>/dev/null | awk -F/ 'NR > 1 && $2 ~ /-security/ {print $1}' |
      grep -E '^(postgresql|libpq5|rabbitmq-server|erlang-|nginx|libnginx|nodejs|npm|openssl|libssl3|ca-certificates)' || true)
    if [ -n "$updates" ]; then
      log "applying security updates: $(echo $updates)"
      mkdir -p "$IX_LOGS"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --only-upgrade $updates >"$IX_LOGS/security-updates.log" 2>&1 \
        || log "WARNING: the security updates did not apply ($IX_LOGS/security-updates.log); the platform starts on what is installed"
    fi
  else
    log "WARNING: apt-get update failed; security updates not checked"
  fi
fi

pg_version=$(ls /etc/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  log "starting PostgreSQL $pg_version"
  pg_ctlcluster "$pg_version" main start
fi
for _ in $(seq 1 30); do pg_isready -q -h "$IX_PG_HOST" -p "$IX_PG_PORT" && break; sleep 1; done

# The two nodes' brokers are linked by RabbitMQ's Shovel (the gateway's link; ops/link.sh). Enabling it before the
# broker starts writes its plugin file; on a running broker it starts the plugin at once.
grep -qs rabbitmq_shovel /etc/rabbitmq/enabled_plugins || rabbitmq-plugins -q enable rabbitmq_shovel >/dev/null
if ! rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ"
  rabbitmq-server -detached >/dev/null 2>&1 || true
fi
# await_startup fails at once while the node is not yet registered, so first wait for it to answer at all.
for _ in $(seq 1 120); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 0.5; done
rabbitmqctl -q await_startup --timeout 120 >/dev/null

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAX "$@"; }
# Six services with bounded pools (Maximum Pool Size=40 each, ServiceDefaults) and the test fixtures beside them need
# more than Debian's 100 connections.
if [ "$(psql_admin -c "SHOW max_connections")" -lt 400 ]; then
  log "raising PostgreSQL max_connections to 400 (restart)"
  psql_admin -c "ALTER SYSTEM SET max_connections = 400"
  pg_ctlcluster "$pg_version" main restart
  for _ in $(seq 1 30); do pg_isready -q -h "$IX_PG_HOST" -p "$IX_PG_PORT" && break; sleep 1; done
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$IX_PG_USER'")" != 1 ]; then
  log "creating database role $IX_PG_USER"
  psql_admin -c "CREATE ROLE \"$IX_PG_USER\" LOGIN CREATEDB PASSWORD '$IX_PG_PASSWORD'"
fi
for service in $IX_SERVICES; do
  db="ix_${service%%:*}"
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    log "creating database $db"
    psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$IX_PG_USER\""
  fi
done

if ! rabbitmqctl -q list_vhosts | grep -qx "$IX_RABBIT_VHOST"; then
  log "creating RabbitMQ vhost $IX_RABBIT_VHOST"
  rabbitmqctl -q add_vhost "$IX_RABBIT_VHOST"
fi
if ! rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$IX_RABBIT_USER"; then
  log "creating RabbitMQ user $IX_RABBIT_USER"
  rabbitmqctl -q add_user "$IX_RABBIT_USER" "$IX_RABBIT_PASSWORD"
fi
rabbitmqctl -q set_permissions -p "$IX_RABBIT_VHOST" "$IX_RABBIT_USER" '.*' '.*' '.*' >/dev/null
log "PostgreSQL and RabbitMQ ready"
