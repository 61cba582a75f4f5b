#!/usr/bin/env bash
# ops/restore.sh BACKUP_DIR [--cluster NAME] [--port PORT]
# Restores a backup of ops/backup.sh into a new, empty PostgreSQL server (a Debian cluster NAME, default "restored",
# on PORT, default 5433) and starts it. To put the platform on it, point IX_PG_PORT at it. The running server is
# never touched; an existing cluster of that name is refused.
set -euo pipefail
source "$(dirname "$0")/env.sh"
backup=${1:?usage: ops/restore.sh BACKUP_DIR [--cluster NAME] [--port PORT]}
shift
cluster=restored port=5433
while (($#)); do
  case $1 in
    --cluster) cluster=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$backup/base.tar.gz" ] && [ -f "$backup/pg_wal.tar.gz" ] || { echo "[restore] $backup is not a backup of ops/backup.sh" >&2; exit 1; }
version=$(ls /etc/postgresql | sort -n | tail -1)
if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
  echo "[restore] cluster $cluster exists; drop it first (pg_dropcluster --stop $version $cluster) or choose another name" >&2
  exit 1
fi

pg_createcluster -q "$version" "$cluster" --port "$port" >/dev/null
data=/var/lib/postgresql/$version/$cluster
find "$data" -mindepth 1 -delete
tar -xzf "$backup/base.tar.gz" -C "$data"
tar -xzf "$backup/pg_wal.tar.gz" -C "$data/pg_wal"
chown -R postgres: "$data"
chmod 700 "$data"
pg_ctlcluster "$version" "$cluster" start
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
echo "[restore] $backup is running as cluster $cluster on port $port"
