#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder of ours, run by an unprivileged user (PostgreSQL refuses
# root), listening on 127.0.0.1 only, its socket inside the folder.
#   scripts/pg.sh start DIR [PORT]   initialise if needed, start; prints the superuser URL
#   scripts/pg.sh stop DIR           stop (fast shutdown)
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

free_port() {
    local port
    for port in $(shuf -i 20000-39999 -n 50); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "$port"; return; fi
    done
    echo "no free port found" >&2
    return 1
}

owner() {
    if [[ $(id -u) -ne 0 ]]; then id -un; return; fi
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    echo postgres
}

as_owner() {
    local user=$1; shift
    if [[ $(id -un) == "$user" ]]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

cmd=${1:-}; dir=${2:-}
[[ -n $cmd && -n $dir ]] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
user=$(owner)

case $cmd in
start)
    chown "$user" "$dir"
    # The owner must reach the folder: open the path's directories for traversal where needed.
    d=$dir; while [[ $d != / ]]; do d=$(dirname "$d"); as_owner "$user" test -x "$d" || chmod o+x "$d"; done
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        # Without fsync at run time, syncing the new files at initdb only costs seconds.
        nosync=(); [[ ${PG_FSYNC:-on} == off ]] && nosync=(--no-sync)
        as_owner "$user" "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 "${nosync[@]}" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=${3:-}
    [[ -f $dir/port && -z $port ]] && port=$(cat "$dir/port")
    [[ -n $port ]] || port=$(free_port)
    echo "$port" >"$dir/port"
    if ! as_owner "$user" "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$user" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/data -c max_connections=300 -c fsync=${PG_FSYNC:-on}" \
            >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    [[ -f $dir/data/PG_VERSION ]] || exit 0
    as_owner "$user" "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
