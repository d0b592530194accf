#!/usr/bin/env bash
# Quick start: installs what is missing, builds, starts a private PostgreSQL under .local/ (kept
# between runs), applies the migrations, loads the demo data, starts the server and prints where to
# click. Ctrl-C stops the server and the database cleanly. Run again, it reuses what exists.
#   scripts/start.sh                   the demo on http://127.0.0.1:8080 (this machine only)
#   scripts/start.sh --https ADDRESS   the demo on https://ADDRESS:8443 for booths on other
#                                      machines (an IP of this machine they reach), with a test CA
#                                      and certificate made once under .local/tls/
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state=$root/.local
build_dir=$root/build/release
mkdir -p "$state"
chmod 700 "$state"
https_address=
if [[ ${1:-} == --https ]]; then
    https_address=${2:?usage: scripts/start.sh --https ADDRESS (an IP of this machine that booths reach)}
fi

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
export VISIOGUICHET_WEB_ROOT=${VISIOGUICHET_WEB_ROOT:-$root/web}
export VISIOGUICHET_DEV_PAGES=${VISIOGUICHET_DEV_PAGES:-true}  # web/dev/call.html, a bare call
admin=http://${VISIOGUICHET_ADMIN_ADDR:-127.0.0.1:9090}
if [[ -n $https_address ]]; then
    # A demo CA (kept, so a kiosk imports it once) and a certificate for the address.
    tls=$state/tls
    mkdir -p "$tls"
    if [[ ! -s $tls/ca.pem ]]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
            -subj "/CN=Visioguichet demo CA" -keyout "$tls/ca.key" -out "$tls/ca.pem" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
    fi
    if ! openssl x509 -in "$tls/cert.pem" -noout -checkip "$https_address" 2>/dev/null | grep -q "does match"; then
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$https_address" \
            -keyout "$tls/key.pem" -out "$tls/cert.csr" 2>/dev/null
        openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
            -days 825 -out "$tls/cert.pem" -extfile <(printf '%s\n' "subjectAltName=IP:$https_address" \
                "extendedKeyUsage=serverAuth" "basicConstraints=critical,CA:FALSE") 2>/dev/null
    fi
    export VISIOGUICHET_TLS_CERT_FILE=$tls/cert.pem VISIOGUICHET_TLS_KEY_FILE=$tls/key.pem
    export VISIOGUICHET_HTTP_ADDR=${VISIOGUICHET_HTTP_ADDR:-$https_address:8443}
    export VISIOGUICHET_RTC_ADDR=${VISIOGUICHET_RTC_ADDR:-$https_address:40000}
    export CURL_CA_BUNDLE=$tls/ca.pem  # demo-data.sh's calls trust the demo CA
    base=https://$VISIOGUICHET_HTTP_ADDR
else
    export VISIOGUICHET_HTTP_ADDR=${VISIOGUICHET_HTTP_ADDR:-127.0.0.1:8080}
    export VISIOGUICHET_RTC_ADDR=${VISIOGUICHET_RTC_ADDR:-127.0.0.1:40000}
    base=http://$VISIOGUICHET_HTTP_ADDR
fi

"$bin" migrate

"$bin" serve &
server_pid=$!

for _ in $(seq 1 100); do
    curl -fsS "$admin/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "the server stopped; see its log above" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$admin/readyz" >/dev/null || { echo "the server is not ready" >&2; exit 1; }

"$root/scripts/demo-data.sh" "$base" "$VISIOGUICHET_BOOTSTRAP_ADMIN_KEY" "$state"

echo
echo "Visioguichet is running."
cat "$state/demo.txt"
echo "  Admin API key:   $VISIOGUICHET_BOOTSTRAP_ADMIN_KEY   (Authorization: Bearer ...)"
echo "  Health:          $admin/healthz  $admin/readyz  $admin/metrics (this machine only)"
if [[ -n $https_address ]]; then
    echo "  HTTPS:           booths on other machines open $base/booth; their browser must trust"
    echo "                   $state/tls/ca.pem (Chromium: Settings > Privacy and security >"
    echo "                   Security > Manage certificates > Authorities > Import), or the"
    echo "                   camera stays off. Media: UDP and TCP $VISIOGUICHET_RTC_ADDR."
fi
echo
echo "Ctrl-C stops the server and the database."
wait "$server_pid"
