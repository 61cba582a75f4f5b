# Settings shared by the ops scripts; every value can be overridden from the environment.
# The variable names the services read (ConnectionStrings__Database, RabbitMq__*, Auth__*, Demo__*) are the same
# in docker-compose.yml.
IX_ROOT=${IX_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
IX_RUN=${IX_RUN:-$IX_ROOT/.run}
IX_LOGS=${IX_LOGS:-$IX_RUN/logs}
IX_EDGE_PORT=${IX_EDGE_PORT:-8080}
IX_PUBLIC_URL=${IX_PUBLIC_URL:-http://127.0.0.1:$IX_EDGE_PORT}
IX_PG_HOST=${IX_PG_HOST:-127.0.0.1}
IX_PG_PORT=${IX_PG_PORT:-5432}
IX_PG_USER=${IX_PG_USER:-incidentexchange}
IX_PG_PASSWORD=${IX_PG_PASSWORD:-incidentexchange}
# TLS to PostgreSQL only when it is on another machine: over loopback it protects nothing, and in a CPU profile of the
# platform under load it was 6-7 % of all samples (Debian's PostgreSQL turns TLS on, and Npgsql uses it when offered).
case "$IX_PG_HOST" in
  127.*|localhost|::1) IX_PG_SSL=${IX_PG_SSL:-Disable} ;;
  *) IX_PG_SSL=${IX_PG_SSL:-Prefer} ;;
esac
IX_RABBIT_HOST=${IX_RABBIT_HOST:-127.0.0.1}
IX_RABBIT_VHOST=${IX_RABBIT_VHOST:-incidentexchange}
IX_RABBIT_USER=${IX_RABBIT_USER:-incidentexchange}
IX_RABBIT_PASSWORD=${IX_RABBIT_PASSWORD:-incidentexchange}
IX_DEMO=${IX_DEMO:-1}

# service name, port: one line each, in start order (Identity first: the others fetch its keys)
IX_SERVICES="identity:5101 reports:5102 triage:5103 translation:5104 severity:5105 alerts:5106 drills:5107"

ix_service_project() { # identity -> IncidentExchange.Identity
  local name=$1
  echo "IncidentExchange.${name^}"
}
