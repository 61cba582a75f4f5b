#!/usr/bin/env bash
# Links this node's broker to the other node's with RabbitMQ's Shovel: what this node's gateway sends (queue
# ix.link.to-PEER on this node's vhost) is moved, durably and in order, to the other node's inbound queue
# (ix.link.from-PARTY). Each message leaves this broker only once the other broker has confirmed it (ack-mode
# on-confirm), so a link or broker outage delays the link and loses nothing.
# Usage: ops/link.sh PARTY PEER PEER_AMQP_URI
#   e.g. ops/link.sh US CN 'amqp://us-link:secret@cn-node.example:5672/incidentexchange'
# The other node's admins create the user in that URI with write rights to ix.link.from-PARTY only.
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ $# -eq 3 ] || { sed -n '2,9p' "$0"; exit 2; }
party=$1 peer=$2 destination=$3
vhost=$(jq -rn --arg v "$IX_RABBIT_VHOST" '$v|@uri')
source_uri="amqp://$(jq -rn --arg u "$IX_RABBIT_USER" '$u|@uri'):$(jq -rn --arg p "$IX_RABBIT_PASSWORD" '$p|@uri')@$IX_RABBIT_HOST/$vhost"
definition=$(jq -nc --arg src "$source_uri" --arg dest "$destination" --arg from "ix.link.to-$peer" --arg to "ix.link.from-$party" '{
  "src-protocol": "amqp091", "src-uri": $src, "src-queue": $from,
  "dest-protocol": "amqp091", "dest-uri": $dest, "dest-queue": $to,
  "ack-mode": "on-confirm", "src-delete-after": "never", "reconnect-delay": 2
}')
rabbitmqctl -q set_parameter -p "$IX_RABBIT_VHOST" shovel "link-to-$peer" "$definition"
echo "[link] $party>$peer: shovel link-to-$peer moves ix.link.to-$peer to ix.link.from-$party at the other node"
