#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a throwaway PostgreSQL, runs every
# test, and removes the database afterwards, also when a test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${VG_TEST_BUILD_DIR:-$root/build/test}
export VG_WITH_BROWSER_TESTS=${VG_WITH_BROWSER_TESTS:-1}

"$root/scripts/setup.sh" "$build_dir" RelWithDebInfo

pg_dir=$(mktemp -d /tmp/visioguichet-test-pg.XXXXXX)
cleanup() {
    "$root/scripts/pg.sh" stop "$pg_dir" || true
    rm -rf "$pg_dir"
}
trap cleanup EXIT
# Throwaway data: no need to wait for the disk at each commit.
VISIOGUICHET_TEST_DATABASE_URL=$(PG_FSYNC=off "$root/scripts/pg.sh" start "$pg_dir")
export VISIOGUICHET_TEST_DATABASE_URL
echo "== PostgreSQL for the tests: $VISIOGUICHET_TEST_DATABASE_URL"

echo "== running the tests"
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 600 "$@"
