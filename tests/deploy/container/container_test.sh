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
build -f "$root/docker/Dockerfile" --target prebuilt -t "${images[0]}" \
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
unshare --net -- "$here/compose_checks.sh" "$python" "$here/compose_up.py" \
    "$root/docker/compose.yaml" "$project" "${images[0]}" "$work" "$here/../coturn"
echo "== container test done in $((SECONDS - start)) s"
echo "PASS"
