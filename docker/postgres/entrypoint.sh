#!/bin/sh
# PostgreSQL for the compose demo: at first start, a cluster whose superuser `visioguichet` has the
# password the secrets service generated (/secrets/db/password), and its database; then the
# server as user postgres, listening on every address of the container, password (SCRAM) only.
set -eu
password_file=/secrets/db/password
[ -s "$password_file" ] || { echo "visioguichet-db: no password in $password_file (the secrets service makes it)" >&2; exit 1; }
bin=/usr/lib/postgresql/15/bin
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }

install -d -o postgres -g postgres -m 0700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pw=$(mktemp)
    chown postgres "$pw"
    cp "$password_file" "$pw"
    as_postgres "$bin/initdb" --pgdata="$PGDATA" --username=visioguichet --pwfile="$pw" \
        --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pw"
    echo "CREATE DATABASE visioguichet;" |
        as_postgres "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
    # Other containers reach it by the compose network: password only, never trust.
    printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' \
        >>"$PGDATA/pg_hba.conf"
    echo "visioguichet-db: cluster made in $PGDATA"
fi
install -d -o postgres -g postgres -m 2775 /var/run/postgresql
exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$bin/postgres" -D "$PGDATA" \
    -c listen_addresses='*' -c password_encryption=scram-sha-256 "$@"
