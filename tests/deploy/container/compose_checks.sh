#!/usr/bin/env bash
# The compose part of container_test.sh, run by it inside a network namespace of its own (unshare
# -n): docker/compose.yaml's services started as compose starts them, then what a user checks.
#   compose_checks.sh PYTHON COMPOSE_UP COMPOSE_FILE PROJECT SERVER_IMAGE WORK_DIR COTURN_TEST_DIR
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
plain=$(curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:8443/readyz 2>/dev/null || true)
[[ $plain != 200 ]] || fail "plain HTTP answered on the HTTPS port"
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
