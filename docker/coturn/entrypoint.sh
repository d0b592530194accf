#!/bin/sh
# Starts coturn with deploy/coturn.conf plus what only this deployment knows: the shared secret
# and TLS pair from the secrets volume (copied where the turnserver user can read them), the
# address browsers reach (external-ip) and the one private address relayed media may go to, the
# media server's (allowed-peer-ip, after the conf's deny list). Logs go to stdout.
set -eu
secrets=/secrets/turn
[ -s "$secrets/static-auth-secret" ] || { echo "visioguichet-turn: no secret in $secrets (the secrets service makes it)" >&2; exit 1; }
addr=${VG_PUBLIC_ADDR:?set VG_PUBLIC_ADDR}
run=/run/visioguichet-turn
install -d -o turnserver -g turnserver -m 0700 "$run"
install -o turnserver -g turnserver -m 0600 "$secrets/cert.pem" "$run/cert.pem"
install -o turnserver -g turnserver -m 0600 "$secrets/key.pem" "$run/key.pem"
conf=$run/turnserver.conf
grep -v -E '^(cert|pkey|syslog|min-port|max-port)=?' /etc/coturn/visioguichet.conf >"$conf"
cat >>"$conf" <<CONF
static-auth-secret=$(cat "$secrets/static-auth-secret")
cert=$run/cert.pem
pkey=$run/key.pem
log-file=stdout
min-port=${VG_TURN_MIN_PORT:-49160}
max-port=${VG_TURN_MAX_PORT:-49200}
CONF
case $addr in
    *[!0-9.:]*) ;;  # a host name: nothing to add
    *) printf 'external-ip=%s\nallowed-peer-ip=%s\n' "$addr" "$addr" >>"$conf" ;;
esac
chown turnserver:turnserver "$conf"
chmod 0600 "$conf"
exec setpriv --reuid=turnserver --regid=turnserver --init-groups -- turnserver -c "$conf" "$@"
