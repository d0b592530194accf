#!/usr/bin/env bash
# Several nodes on one PostgreSQL, simulated without media (docs/benchmarks.md, issue 13 item 6):
# vg_nodes_simulation (NodesSimulation.cpp) against a private cluster with default durability
# (commits wait for the disk) and pg_stat_statements loaded.
#   bench/nodes/run.sh BUILD_DIR [--nodes 10] [--sessions 2000] [--lose 2] [--threads 20]
# Runs in a private network namespace with only loopback, bounded in time; the cluster lives in a
# temporary folder and is stopped and removed on exit, failure included.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: bench/nodes/run.sh BUILD_DIR [--nodes N] [--sessions S] [--lose L] [--threads T]}" && pwd)
shift
[[ -x $build/bin/vg_nodes_simulation ]] ||
    { echo "bench/nodes/run.sh: build the target vg_nodes_simulation first" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench/nodes/run.sh: psql is missing (postgresql-client-15)" >&2; exit 1; }

if [[ -z ${VG_NODESBENCH_INNER:-} ]]; then
    exec timeout --kill-after=15 600 unshare --net -- env VG_NODESBENCH_INNER=1 \
        bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$build" "$@"
fi

tmp=$(mktemp -d /tmp/vg-nodesbench.XXXXXX)
cleanup() {
    "$root/scripts/pg.sh" stop "$tmp/pg" || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
admin_url=$("$root/scripts/pg.sh" start "$tmp/pg")
psql -Xq "$admin_url" -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
"$root/scripts/pg.sh" stop "$tmp/pg"
admin_url=$("$root/scripts/pg.sh" start "$tmp/pg")
psql -Xq "$admin_url" -c "CREATE DATABASE vg"
"$build/bin/vg_nodes_simulation" --database "${admin_url%/postgres}/vg" \
    --migrations "$root/migrations" "$@"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
