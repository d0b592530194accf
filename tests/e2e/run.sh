#!/usr/bin/env bash
# The end-to-end tests: runs node's test runner, the server it starts and the browsers inside a new
# network namespace that has only loopback, so no ICE pair can use another interface.
#   tests/e2e/run.sh PATH/TO/visioguichet [node --test arguments]
# PostgreSQL: VISIOGUICHET_TEST_DATABASE_URL (the throwaway cluster of scripts/test.sh). Its TCP
# port is not reachable from the new namespace, so the tests reach it by its Unix socket.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server=${1:?usage: run.sh PATH/TO/visioguichet}
shift
[[ -x $server ]] || { echo "e2e: no server binary at $server" >&2; exit 1; }
: "${VISIOGUICHET_TEST_DATABASE_URL:?e2e: VISIOGUICHET_TEST_DATABASE_URL is not set (scripts/test.sh sets it)}"
[[ -x /usr/bin/chromium ]] || { echo "e2e: /usr/bin/chromium is missing (VG_WITH_BROWSER_TESTS=1 scripts/setup.sh)" >&2; exit 1; }
[[ -d $here/node_modules/playwright-core ]] ||
    { echo "e2e: run 'npm ci' in $here first (scripts/setup.sh does it)" >&2; exit 1; }

. "$here/../support/pg-socket.sh"
export VG_SERVER_BINARY=$(cd "$(dirname "$server")" && pwd)/$(basename "$server")
export VG_E2E_ARTIFACTS=${VG_E2E_ARTIFACTS:-$here/artifacts}
mkdir -p "$VG_E2E_ARTIFACTS"

cd "$here"
# VG_E2E_TESTS: the test files to run (default call.test.js; journey/CMakeLists.txt sets its own).
exec unshare --net -- bash -c 'ip link set lo up && exec node --test --test-concurrency=1 "$@" ${VG_E2E_TESTS:-call.test.js}' \
    e2e "$@"
