#!/usr/bin/env bash
# ops/bench/bench.sh pipeline|intake|connections [--options]: the platform's speed against the running platform
# (start it with ops/start.sh), beside the floor of its parts. See bench.mjs for the modes and options. Figures, not tests.
set -euo pipefail
source "$(dirname "$0")/../env.sh"
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error >/dev/null
export IX_EDGE_URL="${IX_EDGE_URL:-$IX_PUBLIC_URL}" IX_PG_HOST IX_PG_PORT IX_PG_USER IX_PG_PASSWORD IX_RABBIT_HOST IX_RABBIT_VHOST IX_RABBIT_USER IX_RABBIT_PASSWORD
# Above the platform's priority (root only; otherwise nice warns and runs it as is): on 2 cores a starved bench sends
# late and stamps arrivals late, and would charge its own waiting to the platform.
exec nice -n -10 node bench.mjs "$@"
