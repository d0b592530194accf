#!/bin/sh
# The compose file's one-shot `secrets` service: makes, once, in the `secrets` volume, what the
# other services need and no one should have to invent: the database password, the TURN secret,
# an admin API key, and a TLS pair (self-signed for VG_PUBLIC_ADDR, unless the operator put
# cert.pem and key.pem in docker/tls/, which then win at every start). Each file is readable by
# the one service user that needs it only.
set -eu
out=/secrets
addr=${VG_PUBLIC_ADDR:?set VG_PUBLIC_ADDR to the address other machines reach this one by}
server_uid=10001  # docker/Dockerfile's user
random() { openssl rand -hex 32; }
umask 077
mkdir -p "$out/db" "$out/turn" "$out/visioguichet"

[ -s "$out/db/password" ] || random >"$out/db/password"
[ -s "$out/turn/static-auth-secret" ] || random >"$out/turn/static-auth-secret"
[ -s "$out/visioguichet/admin-key" ] || random >"$out/visioguichet/admin-key"

tls=$out/visioguichet
if [ -s /operator-tls/cert.pem ] && [ -s /operator-tls/key.pem ]; then
    cp /operator-tls/cert.pem "$tls/tls.crt"
    cp /operator-tls/key.pem "$tls/tls.key"
    echo "secrets: TLS pair from docker/tls/"
elif [ ! -s "$tls/tls.crt" ] || [ "$(cat "$tls/tls.for" 2>/dev/null)" != "$addr" ]; then
    case $addr in
        *[!0-9.:]*) san="DNS:$addr" ;;
        *) san="IP:$addr" ;;
    esac
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
        -subj "/CN=$addr" -addext "subjectAltName=$san,DNS:localhost,IP:127.0.0.1" \
        -addext "extendedKeyUsage=serverAuth" \
        -keyout "$tls/tls.key" -out "$tls/tls.crt" 2>/dev/null
    echo "$addr" >"$tls/tls.for"
    echo "secrets: self-signed TLS certificate for $addr made (docker/tls/ takes your own)"
fi
cp "$tls/tls.crt" "$out/turn/cert.pem"
cp "$tls/tls.key" "$out/turn/key.pem"

# The server's secret settings; the rest comes from compose.yaml's environment.
cat >"$out/visioguichet/visioguichet.conf" <<CONF
database_url = postgresql://visioguichet:$(cat "$out/db/password")@db:5432/visioguichet
turn_secret = $(cat "$out/turn/static-auth-secret")
bootstrap_admin_key = $(cat "$out/visioguichet/admin-key")
tls_cert_file = /secrets/visioguichet/tls.crt
tls_key_file = /secrets/visioguichet/tls.key
CONF
chown -R "$server_uid:$server_uid" "$out/visioguichet"
chmod 0700 "$out/db" "$out/turn" "$out/visioguichet"
chmod 0711 "$out"
echo "secrets: ready"
