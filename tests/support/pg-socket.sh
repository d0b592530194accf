# Sourced by the runners whose tests live in a new network namespace, where the throwaway
# cluster's TCP port (VISIOGUICHET_TEST_DATABASE_URL) cannot be reached: exports where its Unix
# socket is (VG_E2E_PG_HOST, VG_E2E_PG_PORT, VG_E2E_PG_USER) for the tests to connect by.
: "${VISIOGUICHET_TEST_DATABASE_URL:?VISIOGUICHET_TEST_DATABASE_URL is not set (scripts/test.sh sets it)}"
vg_pg_value() { psql "$VISIOGUICHET_TEST_DATABASE_URL" -X -Atq -c "$1"; }
VG_E2E_PG_HOST=$(vg_pg_value "SHOW unix_socket_directories" | cut -d, -f1 | sed 's/^ *//')
VG_E2E_PG_PORT=$(vg_pg_value "SHOW port")
VG_E2E_PG_USER=$(vg_pg_value "SELECT current_user")
export VG_E2E_PG_HOST VG_E2E_PG_PORT VG_E2E_PG_USER
