#!/usr/bin/env bash
# Several nodes, as a rolling restart or a crash meets them: three `serve` processes on one
# database, on 198.18.0.1, .2 and .3 (a veth of a network namespace this script makes; nothing
# else is reachable), a TCP load balancer on 127.0.0.1:18080 in front of them (the pages' origin),
# two Chromium pages in a call (nodes.test.mjs).
#   tests/integration/nodes/run.sh PATH/TO/visioguichet
# PostgreSQL: VISIOGUICHET_TEST_DATABASE_URL, reached by its Unix socket from the namespace.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: run.sh PATH/TO/visioguichet}
e2e=$here/../../e2e
missing() { echo "nodes: $1 (VG_WITH_BROWSER_TESTS=1 scripts/setup.sh installs it)" >&2; exit 1; }
[[ -x $server ]] || missing "no server binary at $server"
[[ -x /usr/bin/chromium ]] || missing "no /usr/bin/chromium"
[[ -d $e2e/node_modules/playwright-core ]] || missing "playwright-core not installed in tests/e2e"
: "${VISIOGUICHET_TEST_DATABASE_URL:?nodes: VISIOGUICHET_TEST_DATABASE_URL is not set (scripts/test.sh sets it)}"

. "$here/../../support/pg-socket.sh"
export VG_SERVER_BINARY=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
export VG_E2E_ARTIFACTS=${VG_E2E_ARTIFACTS:-$e2e/artifacts/nodes}
mkdir -p "$VG_E2E_ARTIFACTS"
export NODE_PATH=$e2e/node_modules

cd "$here"
exec unshare --net -- bash -c '
    set -e
    ip link set lo up
    ip link add vg0 type veth peer name vg1  # (this kernel has no dummy interfaces)
    for n in 1 2 3; do ip addr add "198.18.0.$n/24" dev vg0; done
    ip link set vg0 up
    ip link set vg1 up
    exec node --test --test-concurrency=1 nodes.test.mjs'
