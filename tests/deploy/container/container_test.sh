#!/usr/bin/env bash
# The container image and the compose file, with Debian's podman (tests/deploy/containers.conf):
# 1. the server's image from docker/Dockerfile, its binary the one this build made (the
#    Dockerfile's `prebuilt` stage: the suite does not compile the server a second time), and the
#    compose file's PostgreSQL and coturn images, all from a Debian 12 base made with debootstrap
#    (cached in podman's storage: only a fresh machine pays for it);
# 2. the image itself: a non-root user, a health check, no development pages, no compiler;
# 3. docker/compose.yaml's services started as compose starts them (compose_up.py), inside a new
#    network namespace that has only loopback: the generated secrets, PostgreSQL healthy with
#    its generated password, the server ready over HTTPS with the self-signed certificate made
#    at first start (curl trusts that certificate only), its HSTS header and the booth page,
#    the image's health check healthy, coturn answering TURN over TLS with that certificate.
#   container_test.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build_dir=$(cd "${1:?usage: container_test.sh BUILD_DIR}" && pwd)
for tool in podman runc debootstrap; do
    command -v "$tool" >/dev/null ||
        { echo "container test: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
export CONTAINERS_CONF=$here/../containers.conf
python=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }

project=vgtest$$
work=$(mktemp -d /tmp/visioguichet-container-test.XXXXXX)
images=(localhost/visioguichet:test-$project)
cleanup() {
    "$python" "$here/compose_up.py" down "$root/docker/compose.yaml" "$project" \
        >/dev/null 2>&1 || true
    podman rmi --force "${images[@]}" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
start=$SECONDS

# 1. Images.
"$here/base-image.sh"
echo "== base image ready after $((SECONDS - start)) s"
DESTDIR=$work/context cmake --install "$build_dir" --prefix /usr --strip >/dev/null
# docker format: the OCI format has no HEALTHCHECK.
build() { podman build --quiet --format docker --network host "$@" >/dev/null; }
build -f "$root/docker/Dockerfile" --build-arg VG_INSTALL_STAGE=prebuilt -t "${images[0]}" \
    "$work/context"
build -f "$root/docker/postgres/Dockerfile" -t localhost/visioguichet-postgres:latest "$root"
build -f "$root/docker/coturn/Dockerfile" -t localhost/visioguichet-coturn:latest "$root"
echo "== images built after $((SECONDS - start)) s"

# 2. What is in the server's image.
inspect() { podman image inspect --format "$1" "${images[0]}"; }
[[ $(inspect '{{.Config.User}}') == 10001:10001 ]] || fail "the image does not run as user 10001"
[[ $(inspect '{{.Config.Healthcheck.Test}}') == *readyz* ]] || fail "no health check on /readyz"
in_image() { podman run --rm --entrypoint /bin/sh "${images[0]}" -c "$1"; }
in_image 'test -f /usr/share/visioguichet/web/booth/index.html' || fail "no booth page in the image"
in_image 'test -f /usr/share/visioguichet/migrations/0001_schema.sql' || fail "no migrations"
in_image 'test ! -e /usr/share/visioguichet/web/dev' || fail "development pages in the image"
in_image '! command -v c++ && ! command -v cmake && ! test -d /usr/include/boost' >/dev/null ||
    fail "build tools in the runtime image"
[[ $(in_image 'id -u') == 10001 ]] || fail "the image's processes are not user 10001"
echo "ok: the image runs as 10001, has a /readyz health check, the web apps without dev pages, no compiler"

# 3. The compose file's services, in a network namespace of the test's own: loopback, and a veth
# holding 198.18.0.1 as this machine's "LAN address" (coturn wants a listener address that is not
# loopback, as a compose network gives it).
export VG_PUBLIC_ADDR=198.18.0.1
unshare --net -- bash -s "$python" "$here/compose_up.py" "$root/docker/compose.yaml" "$project" \
    "${images[0]}" "$work" "$here/../coturn" <<'EOF'
set -euo pipefail
python=$1 runner=$2 compose=$3 project=$4 image=$5 work=$6 turn_client=$7
fail() { echo "FAIL: $*" >&2; exit 1; }
logs() { for s in secrets db visioguichet turn; do echo "--- $s"; podman logs "$project-$s" 2>&1 | tail -n 40; done >&2; }
ip link set lo up
ip link add vg-lan type veth peer name vg-lan-peer
ip addr add "$VG_PUBLIC_ADDR/32" dev vg-lan
ip link set vg-lan up && ip link set vg-lan-peer up
"$python" "$runner" up "$compose" "$project" --image "visioguichet=$image" --timeout 240 ||
    { logs; fail "compose up"; }
secrets=$(podman volume inspect --format '{{.Mountpoint}}' "${project}_secrets")
ca=$secrets/visioguichet/tls.crt
[[ -s $ca ]] || fail "the secrets service made no certificate"
password=$(cat "$secrets/db/password")
[[ ${#password} -ge 32 && $password != visioguichet ]] || fail "no generated database password"
ready=
for _ in $(seq 1 120); do
    if curl -fsS --cacert "$ca" https://127.0.0.1:8443/readyz >/dev/null 2>&1; then ready=1; break; fi
    [[ $(podman inspect --format '{{.State.Status}}' "$project-visioguichet") == running ]] ||
        { logs; fail "the server's container stopped"; }
    sleep 1
done
[[ -n $ready ]] || { logs; fail "/readyz over HTTPS never answered 200"; }
headers=$(curl -fsS --cacert "$ca" -D - -o /dev/null https://127.0.0.1:8443/readyz)
grep -qi '^strict-transport-security:' <<<"$headers" || fail "no HSTS header"
booth=$(curl -fsS --cacert "$ca" https://127.0.0.1:8443/booth/) || fail "no booth page"
grep -qi '<html' <<<"$booth" || fail "the booth page is not HTML"
curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:8443/readyz 2>/dev/null | grep -qv '^200$' ||
    fail "plain HTTP answered on the HTTPS port"
echo "ok: compose: server ready over HTTPS (certificate generated at first start, trusted alone), HSTS, booth page"
podman healthcheck run "$project-visioguichet" >/dev/null || { logs; fail "the image's health check fails"; }
echo "ok: the image's health check (admin port /readyz) is healthy"
echo | openssl s_client -connect 127.0.0.1:5349 -CAfile "$ca" -verify_return_error -brief \
    >"$work/turn-tls.txt" 2>&1 || { cat "$work/turn-tls.txt" >&2; logs; fail "coturn: no TLS on 5349"; }
grep -q 'Verification: OK' "$work/turn-tls.txt" || { cat "$work/turn-tls.txt" >&2; fail "coturn's certificate"; }
# The server signs TURN credentials with the turn_secret of its configuration: coturn must take
# them, over TLS.
secret=$(sed -n 's/^turn_secret = //p' "$secrets/visioguichet/visioguichet.conf")
[[ -n $secret ]] || fail "no turn_secret in the server's generated configuration"
PYTHONPATH=$turn_client "$python" - "$secret" "$ca" <<'PY' || { logs; fail "coturn refused the server's credentials"; }
import sys
from coturn_test import ALLOCATE, REQUESTED_TRANSPORT, TurnClient, attribute, rest_credential, tls_transport
client = TurnClient(tls_transport(5349, sys.argv[2]), *rest_credential(sys.argv[1]))
_, _, error = client.request(ALLOCATE, attribute(REQUESTED_TRANSPORT, b"\x11\0\0\0"))
sys.exit(0 if error is None else f"allocation refused: {error}")
PY
echo "ok: coturn answers TLS (turns:) on 5349 with the generated certificate and allocates with the server's secret"
EOF
echo "== container test done in $((SECONDS - start)) s"
echo "PASS"
