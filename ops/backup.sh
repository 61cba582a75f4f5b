#!/usr/bin/env bash
# ops/backup.sh [DIR]: a consistent backup of every database of the platform, taken at one instant for the whole
# PostgreSQL server (pg_basebackup with its WAL), so that no report is in one service's backup and missing from
# the next one's. Online: the platform keeps running. Default DIR: .run/backups/<UTC time>. Restore: ops/restore.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
dir=${1:-$IX_RUN/backups/$(date -u +%Y%m%dT%H%M%SZ)}
[ -e "$dir" ] && { echo "[backup] $dir exists; choose a new folder" >&2; exit 1; }
mkdir -p "$dir"
chown postgres: "$dir"
runuser -u postgres -- pg_basebackup -D "$dir" -Ft -z -X stream --checkpoint=fast --label "incidentexchange $(date -u +%FT%TZ)"
runuser -u postgres -- psql -qtAX -c "SELECT datname FROM pg_database WHERE datname LIKE 'ix\_%' AND datname NOT LIKE 'ix\_test\_%' ORDER BY 1" >"$dir/databases.txt"
echo "[backup] $(du -sh "$dir" | cut -f1) in $dir: $(paste -sd' ' "$dir/databases.txt")"
