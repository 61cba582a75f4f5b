#!/usr/bin/env bash
# Messages that failed all their retries, for the platform's operator (they hold both parties' traffic):
#   ops/error-queues.sh list                                   every _error queue and how many messages it holds
#   ops/error-queues.sh show QUEUE_error [--limit N]           each message: id, type, fault, reason, body (left in place)
#   ops/error-queues.sh replay QUEUE_error [--message-id ID]   back to the queue it failed on (all, or one)
set -euo pipefail
source "$(dirname "$0")/env.sh"
case ${1:-} in
  list)
    rabbitmqctl -q list_queues -p "$IX_RABBIT_VHOST" name messages | awk '$1 ~ /_error$/ {printf "%-50s %s\n", $1, $2}' ;;
  show|replay)
    ( cd "$IX_ROOT/ops/tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null )
    export IX_RABBIT_HOST IX_RABBIT_VHOST IX_RABBIT_USER IX_RABBIT_PASSWORD
    node "$IX_ROOT/ops/tools/error-queues.mjs" "$@" ;;
  *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
