#!/usr/bin/env bash
# wait-ready.sh NAME PORT: waits up to 120 s for a service's /health/ready; on failure shows its log and fails.
set -euo pipefail
source "$(dirname "$0")/env.sh"
name=$1 port=$2
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && { echo "[start] $name ready on :$port"; exit 0; }
  if ! kill -0 "$(cat "$IX_RUN/pids/$name.pid")" 2>/dev/null; then break; fi
  sleep 0.5
done
echo "[start] $name did not become ready; last lines of $IX_LOGS/$name.log:" >&2
tail -n 40 "$IX_LOGS/$name.log" >&2
exit 1
