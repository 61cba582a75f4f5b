#!/usr/bin/env bash
# ops/bench/post-to-alert.sh [count]: POST-to-alert times against the running platform (start it with ops/start.sh).
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error >/dev/null
node post-to-alert.mjs "$@"
