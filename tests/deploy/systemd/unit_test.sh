#!/usr/bin/env bash
# The systemd unit and the install layout it relies on:
# - `systemd-analyze security --offline=true` on the unit `cmake --install` lays out scores under
#   4 (exposure, 0 best to 10 worst), and it restarts without giving up while PostgreSQL is down;
# - `cmake --install` (DESTDIR, prefix /usr) puts the binary where ExecStart says, the web apps
#   without the development pages and the migrations in /usr/share/visioguichet, the unit and
#   the sysusers file where systemd reads them;
# - the installed binary, started from that tree against the test database, serves the web apps
#   and migrations of the tree (not of the source tree it was built from).
#   unit_test.sh BUILD_DIR
set -euo pipefail
build_dir=${1:?usage: unit_test.sh BUILD_DIR}
work=$(mktemp -d /tmp/visioguichet-unit-test.XXXXXX)
server_pid=
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

root=$work/root
DESTDIR=$root cmake --install "$build_dir" --prefix /usr --strip >/dev/null
unit=$root/usr/lib/systemd/system/visioguichet.service
[[ -f $unit ]] || fail "no unit at /usr/lib/systemd/system"
[[ -f $root/usr/lib/sysusers.d/visioguichet.conf ]] || fail "no sysusers file"
for f in usr/bin/visioguichet usr/share/visioguichet/web/booth/index.html \
    usr/share/visioguichet/web/agent/index.html usr/share/visioguichet/migrations/0001_schema.sql; do
    [[ -e $root/$f ]] || fail "cmake --install laid out no /$f"
done
[[ ! -e $root/usr/share/visioguichet/web/dev ]] || fail "the development pages are installed"
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
[[ -x $root$exec_start ]] || fail "ExecStart names $exec_start, which the install does not hold"
echo "ok: cmake --install lays out $exec_start, web apps (no dev pages), migrations, unit"

# The score, as an operator runs it on the installed unit.
report=$(systemd-analyze security --offline=true "$unit" 2>&1) || true
score=$(sed -n 's/.*Overall exposure level for visioguichet.service: \([0-9.]*\).*/\1/p' <<<"$report")
[[ -n $score ]] || { echo "$report" >&2; fail "systemd-analyze gave no score"; }
awk -v s="$score" 'BEGIN { exit !(s < 4.0) }' || { echo "$report" >&2; fail "exposure $score, not under 4"; }
echo "ok: systemd-analyze security --offline=true: exposure $score (under 4)"

# Restarts while PostgreSQL is down: on failure, after a pause, without a start limit.
grep -qx 'Restart=on-failure' "$unit" || fail "no Restart=on-failure"
grep -qx 'StartLimitIntervalSec=0' "$unit" || fail "systemd would give up after a few restarts"
grep -qE '^RestartSec=[1-9]' "$unit" || fail "no pause between restarts"
echo "ok: restarts on failure every RestartSec, with no start limit"

# The installed binary finds its web apps and migrations beside itself.
: "${VISIOGUICHET_TEST_DATABASE_URL:?VISIOGUICHET_TEST_DATABASE_URL is not set (scripts/test.sh sets it)}"
db=vg_unit_test_$$
export PGOPTIONS="-c client_min_messages=warning"
psql "$VISIOGUICHET_TEST_DATABASE_URL" -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
trap 'cleanup; psql "$VISIOGUICHET_TEST_DATABASE_URL" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
# admin_addr (/metrics and health off the public port) where this server has it: a free port.
admin=()
"$root/usr/bin/visioguichet" serve --help 2>&1 | grep -q admin_addr && admin=(VISIOGUICHET_ADMIN_ADDR=127.0.0.1:0)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -i PATH=/usr/bin:/bin VISIOGUICHET_DATABASE_URL="${VISIOGUICHET_TEST_DATABASE_URL%/*}/$db" \
    VISIOGUICHET_HTTP_ADDR=127.0.0.1:$port VISIOGUICHET_RTC_ADDR=127.0.0.1:0 \
    "${admin[@]}" \
    "$root/usr/bin/visioguichet" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the installed server stopped"; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log" >&2; fail "not ready"; }
grep -q "$root/usr/share/visioguichet/web" "$work/server.log" ||
    { cat "$work/server.log" >&2; fail "the installed server does not serve the installed web apps"; }
booth=$(curl -fsS "http://127.0.0.1:$port/booth/") || fail "no booth page"
grep -qi "<html" <<<"$booth" || fail "the booth page is not HTML"
echo "ok: the installed binary serves $root/usr/share/visioguichet/web and is ready"
echo "PASS"
