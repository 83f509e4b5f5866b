#!/bin/sh
# The compose `backup` service: `manage.py backup_create` once a day at BACKUP_AT (HH:MM, UTC), and at
# once on start when the newest backup is older than a day (a new installation, or a night missed while
# the stack was down). A failed night is logged and tried again the next night; the service's
# healthcheck turns unhealthy when LATEST is more than 26 hours old. Runbook: docs/operations.md.
set -u
at="${BACKUP_AT:-02:30}"
root="${BACKUP_ROOT:?BACKUP_ROOT names the backup folder}"

backup() {
    echo "backup: starting at $(date -u +%FT%TZ)"
    if python manage.py backup_create; then
        echo "backup: done at $(date -u +%FT%TZ)"
    else
        echo "backup: FAILED at $(date -u +%FT%TZ); the next try is tomorrow at ${at} UTC" >&2
    fi
}

# Stop promptly on `docker compose stop` (sh ignores SIGTERM while `sleep` runs in the foreground).
trap 'exit 0' TERM INT

if [ -z "$(find "${root}/LATEST" -mmin -1440 2>/dev/null)" ]; then
    backup
fi
while true; do
    now=$(date -u +%s)
    next=$(date -u -d "$(date -u +%F) ${at}" +%s) || { echo "backup: BACKUP_AT=${at} is not HH:MM" >&2; exit 2; }
    [ "${next}" -le "${now}" ] && next=$((next + 86400))
    sleep $((next - now)) &
    wait $!
    backup
done
