#!/usr/bin/env bash
# HTTPS as a remote booth meets it: the server on a non-loopback address (198.18.0.10 on a veth
# of a network namespace this script makes, nothing else is reachable), a test CA that
# the browser trusts through an NSS database in a temporary HOME (no certificate error is
# ignored), the booth and agent apps in headless Chromium in a call over wss://. Also: plain HTTP
# on that address refused at start, TLS 1.1 refused, HSTS sent, and a certificate swapped by
# SIGHUP seen by new connections while the call goes on (tls.test.mjs).
#   tests/integration/tls/run.sh PATH/TO/visioguichet
# PostgreSQL: VISIOGUICHET_TEST_DATABASE_URL, reached by its Unix socket from the namespace.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: run.sh PATH/TO/visioguichet}
e2e=$here/../../e2e
missing() { echo "tls: $1 (VG_WITH_BROWSER_TESTS=1 scripts/setup.sh installs it)" >&2; exit 1; }
[[ -x $server ]] || missing "no server binary at $server"
[[ -x /usr/bin/chromium ]] || missing "no /usr/bin/chromium"
[[ -d $e2e/node_modules/playwright-core ]] || missing "playwright-core not installed in tests/e2e"
command -v certutil >/dev/null || missing "no certutil (libnss3-tools)"
command -v openssl >/dev/null || missing "no openssl"
: "${VISIOGUICHET_TEST_DATABASE_URL:?tls: VISIOGUICHET_TEST_DATABASE_URL is not set (scripts/test.sh sets it)}"

. "$here/../../support/pg-socket.sh"
export VG_SERVER_BINARY=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
export VG_E2E_ARTIFACTS=${VG_E2E_ARTIFACTS:-$e2e/artifacts/tls}
mkdir -p "$VG_E2E_ARTIFACTS"

work=$(mktemp -d /tmp/vg-tls-XXXXXX)
trap 'rm -rf "$work"' EXIT
export VG_TLS_DIR=$work VG_TLS_ADDRESS=198.18.0.10

# The test CA and two server certificates for the address (serials 1001 and 2002: the second is
# what SIGHUP swaps in). EC P-256, as a real deployment would get from an ACME CA.
cd "$work"
subj_ca="/CN=Visioguichet test CA"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "$subj_ca" \
    -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
for serial in 1001 2002; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$VG_TLS_ADDRESS" \
        -keyout "server-$serial.key" -out "server-$serial.csr" 2>/dev/null
    openssl x509 -req -in "server-$serial.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$serial" \
        -days 2 -out "server-$serial.pem" -extfile <(printf '%s\n' \
            "subjectAltName=IP:$VG_TLS_ADDRESS" "extendedKeyUsage=serverAuth" \
            "keyUsage=critical,digitalSignature" "basicConstraints=critical,CA:FALSE") 2>/dev/null
done
# Chromium reads trust from $HOME/.pki/nssdb: only this CA is added.
export HOME=$work/home
mkdir -p "$HOME/.pki/nssdb"
certutil -N -d "sql:$HOME/.pki/nssdb" --empty-password
certutil -A -d "sql:$HOME/.pki/nssdb" -n "Visioguichet test CA" -t "C,," -i ca.pem
# Node's fetch (the test's REST calls) trusts the same CA and nothing is switched off.
export NODE_EXTRA_CA_CERTS=$work/ca.pem

cd "$here"
exec unshare --net -- bash -c '
    set -e
    ip link set lo up
    ip link add vg0 type veth peer name vg1  # (this kernel has no dummy interfaces)
    ip addr add "$VG_TLS_ADDRESS/24" dev vg0
    ip link set vg0 up
    ip link set vg1 up
    exec node --test --test-concurrency=1 tls.test.mjs'
