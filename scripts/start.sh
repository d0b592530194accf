#!/usr/bin/env bash
# Quick start: installs what is missing, builds, starts a private PostgreSQL under .local/ (kept
# between runs), applies the migrations, loads the demo data, starts the server and prints where to
# click. Ctrl-C stops the server and the database cleanly. Run again, it reuses what exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=$root/.local
build_dir=$root/build/release
mkdir -p "$state"
chmod 700 "$state"

"$root/scripts/setup.sh" "$build_dir" Release visioguichet
bin=$build_dir/bin/visioguichet

# The database cluster belongs to an unprivileged user: it lives in its own folder of .local/.
admin_url=$("$root/scripts/pg.sh" start "$state/pg")
server_pid=
cleanup() {
    trap '' INT TERM  # a second Ctrl-C must not cut the cleanup short
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        echo "== stopping the server"
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    echo "== stopping PostgreSQL"
    "$root/scripts/pg.sh" stop "$state/pg"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db_url=${admin_url%/postgres}/visioguichet
if ! psql -Xqt "$admin_url" -c "SELECT 1 FROM pg_database WHERE datname = 'visioguichet'" | grep -q 1; then
    psql -Xq "$admin_url" -c "CREATE DATABASE visioguichet"
fi

# An admin API key made once and kept (only its hash is in the database).
if [[ ! -s $state/admin-key ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$state/admin-key")
fi
export VISIOGUICHET_DATABASE_URL=$db_url
export VISIOGUICHET_BOOTSTRAP_ADMIN_KEY=$(cat "$state/admin-key")
export VISIOGUICHET_HTTP_ADDR=${VISIOGUICHET_HTTP_ADDR:-127.0.0.1:8080}
export VISIOGUICHET_RTC_ADDR=${VISIOGUICHET_RTC_ADDR:-127.0.0.1:40000}
export VISIOGUICHET_WEB_ROOT=${VISIOGUICHET_WEB_ROOT:-$root/web}
base=http://$VISIOGUICHET_HTTP_ADDR

"$bin" migrate

"$bin" serve &
server_pid=$!

for _ in $(seq 1 100); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped; see its log above" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || { echo "the server is not ready" >&2; exit 1; }

"$root/scripts/demo-data.sh" "$base" "$VISIOGUICHET_BOOTSTRAP_ADMIN_KEY" "$state"

echo
echo "Visioguichet is running."
cat "$state/demo.txt"
echo "  Admin API key:   $VISIOGUICHET_BOOTSTRAP_ADMIN_KEY   (Authorization: Bearer ...)"
echo "  Health:          $base/healthz  $base/readyz  $base/metrics"
echo
echo "Ctrl-C stops the server and the database."
wait "$server_pid"
