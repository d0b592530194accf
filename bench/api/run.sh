#!/usr/bin/env bash
# The REST API booking benchmark (docs/benchmarks.md): POST /api/v1/appointments driven by wrk
# against the same transaction run by pgbench directly on the same database, in the same
# invocation; then the API at a lower offered load for its latency below saturation.
#   bench/api/run.sh BUILD_DIR [--clients 32] [--seconds 15] [--rounds 3] [--booths 50]
# Runs in a private network namespace with only loopback, bounded in time; a private PostgreSQL
# with default durability (commits wait for the disk) in a temporary folder; everything it
# started is stopped and removed on exit, failure included.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/api
build=$(cd "${1:?usage: bench/api/run.sh BUILD_DIR [--clients N] [--seconds S] [--rounds R] [--booths B]}" && pwd)
shift
clients=32 seconds=15 rounds=3 booths=50
while (($#)); do
    case $1 in
    --clients) clients=$2 ;;
    --seconds) seconds=$2 ;;
    --rounds) rounds=$2 ;;
    --booths) booths=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done

if [[ -z ${VG_APIBENCH_INNER:-} ]]; then
    # Setup about 60 s, each round three runs, then the one-client and lower-load runs.
    limit=$((180 + rounds * 3 * (seconds + 5) + 5 * (seconds + 5)))
    exec timeout --kill-after=15 "$limit" unshare --net -- env VG_APIBENCH_INNER=1 \
        bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$build" --clients "$clients" \
        --seconds "$seconds" --rounds "$rounds" --booths "$booths"
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
bin=$build/bin/visioguichet
tmp=$(mktemp -d /tmp/vg-apibench.XXXXXX)
server_pid=
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    "$root/scripts/pg.sh" stop "$tmp/pg" || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local port
    for port in $(shuf -i 20000-39999 -n 50); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "$port"; return; fi
    done
    return 1
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
admin_url=$("$root/scripts/pg.sh" start "$tmp/pg")
psql -Xq "$admin_url" -c "CREATE DATABASE vg"
db_url=${admin_url%/postgres}/vg

key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
http_port=$(free_port)
export VISIOGUICHET_DATABASE_URL=$db_url VISIOGUICHET_BOOTSTRAP_ADMIN_KEY=$key
export VISIOGUICHET_HTTP_ADDR=127.0.0.1:$http_port VISIOGUICHET_RTC_ADDR=127.0.0.1:$(free_port)
export VISIOGUICHET_WEB_ROOT=$root/web
base=http://127.0.0.1:$http_port
"$bin" migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; exit 1; }
"$bin" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
done

api() {  # METHOD PATH [JSON]
    local out status
    out=$(curl -sS -X "$1" "$base/api/v1$2" -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' ${3:+--data "$3"} -w '\n%{http_code}')
    status=${out##*$'\n'}
    if [[ $status != 2* ]]; then echo "setup: $1 $2 -> $status ${out%$'\n'*}" >&2; return 1; fi
    printf '%s' "${out%$'\n'*}"
}

# One site in UTC (the grid is then plain arithmetic), B booths, B agents available all week.
echo "== setup: 1 site, $booths booths, $booths agents"
service=$(api POST /services '{"code":"BENCH","name_fr":"Banc","name_en":"Bench","duration_minutes":30,"walk_in_allowed":true}' | jq -r .id)
site=$(api POST /sites '{"code":"BEN","name_fr":"Banc","name_en":"Bench","timezone":"UTC"}' | jq -r .id)
rules=$(jq -nc --arg s "$site" '{rules: [range(1;8) as $d | {weekday:$d,start:"00:00",end:"23:30",site_id:$s}]}')
for i in $(seq 1 "$booths"); do
    api POST "/sites/$site/booths" "{\"label\":\"Booth $i\"}" >/dev/null
    password=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    agent=$(api POST /agents "$(jq -nc --arg pw "$password" --arg e "agent$i@bench.local" --arg s "$site" --arg sv "$service" \
        '{email:$e,display_name:"Bench agent",password:$pw,roles:["agent"],site_ids:[$s],service_ids:[$sv],languages:["fr"]}')" | jq -r .id)
    api PUT "/agents/$agent/availability" "$rules" >/dev/null
done

# Slots from tomorrow 00:00 UTC over 700 days (the booking horizon is 730).
days=700
base_epoch=$(date -u -d 'tomorrow 00:00' +%s)
keyhash=$(psql -XAtq "$db_url" -c "SELECT key_hash FROM api_keys ORDER BY created_at LIMIT 1")
keyid=$(psql -XAtq "$db_url" -c "SELECT id FROM api_keys ORDER BY created_at LIMIT 1")
export VG_BASE_EPOCH=$base_epoch VG_DAYS=$days VG_SITE=$site VG_SERVICE=$service VG_KEY=$key

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
hz=$(getconf CLK_TCK)

# wrk CONNECTIONS SECONDS [DELAY_MS]: prints "rps created p50_us p99_us other cpu_us_per_booking"
run_wrk() {
    local threads=2 c0 c1 line
    ((threads > $1)) && threads=$1
    c0=$(cpu_ticks)
    line=$(VG_THREADS=$threads VG_DELAY_MS=${3:-0} wrk -t "$threads" -c "$1" -d "${2}s" \
        --timeout 10s -s "$here/book.lua" "$base" | grep '^RESULT')
    c1=$(cpu_ticks)
    echo "$line" | awk -v cpu=$((c1 - c0)) -v hz="$hz" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %d %d %d %d %.0f\n", v["created"] / v["seconds"], v["created"],
            v["p50_us"], v["p99_us"], v["refused"] + v["other"] + v["errors"],
            v["created"] ? cpu * 1e6 / hz / v["created"] : 0 }'
}

# pgbench CLIENTS SECONDS [SCRIPT]: prints "tps committed p50_us p99_us failed"
run_pgbench() {
    local log=$tmp/pgbench
    rm -rf "$log" && mkdir "$log"
    (cd "$log" && "$PGBIN/pgbench" -n -M extended -c "$1" -j 2 -T "$2" -l --log-prefix=tx \
        -D site="$site" -D service="$service" -D keyhash="$keyhash" -D keyid="$keyid" \
        -D days="$days" -D base="$base_epoch" -f "${3:-$here/book.sql}" "$db_url" >out.txt 2>err.txt) ||
        tail -5 "$log/err.txt" >&2
    local failed
    failed=$(grep -ci 'abort\|error' "$log/err.txt" || true)
    cat "$log"/tx.* | awk '{ print $3 }' | sort -n | awk -v s="$2" -v f="$failed" '
        { v[NR] = $1 } END { printf "%.0f %d %d %d %d\n", NR / s, NR, v[int(NR * 0.5) + 1],
                              v[int(NR * 0.99) + 1], f }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The same transaction without the site's advisory lock: what group commit gives when bookings
# of one site do not take turns (a reference only; the server takes the lock).
grep -v pg_advisory_xact_lock "$here/book.sql" >"$tmp/book-nolock.sql"

results=$tmp/results
: >"$results"
echo "== $rounds rounds: wrk $clients connections, then pgbench $clients clients, ${seconds} s each"
for r in $(seq 1 "$rounds"); do
    api_line=$(run_wrk "$clients" "$seconds")
    pg_line=$(run_pgbench "$clients" "$seconds")
    read -r n_tps _ _ n_p99 n_bad <<<"$(run_pgbench "$clients" "$seconds" "$tmp/book-nolock.sql")"
    read -r a_rps a_n a_p50 a_p99 a_bad a_cpu <<<"$api_line"
    read -r p_tps p_n p_p50 p_p99 _ <<<"$pg_line"
    ratio=$(awk -v a="$a_rps" -v p="$p_tps" 'BEGIN { printf "%.2f", a / p }')
    echo "round $r: API $a_rps bookings/s ($a_n booked, $a_bad not 201) p50 $((a_p50 / 1000)).$(((a_p50 % 1000) / 100)) ms p99 $((a_p99 / 1000)).$(((a_p99 % 1000) / 100)) ms, server CPU $a_cpu us/booking | pgbench $p_tps tps p50 $((p_p50 / 1000)).$(((p_p50 % 1000) / 100)) ms p99 $((p_p99 / 1000)).$(((p_p99 % 1000) / 100)) ms | API/pgbench $ratio | pgbench without site lock $n_tps tps p99 $((n_p99 / 1000)) ms ($n_bad errors) | load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$a_rps $a_p50 $a_p99 $a_cpu $p_tps $p_p50 $p_p99 $ratio $a_bad $n_tps" >>"$results"
done
med() { awk -v c="$1" '{ print $c }' "$results" | median; }
api_max=$(med 1)
echo "== medians: API $api_max bookings/s p50 $(med 2) us p99 $(med 3) us CPU $(med 4) us/booking;" \
    "pgbench $(med 5) tps p50 $(med 6) us p99 $(med 7) us; API/pgbench $(med 8);" \
    "pgbench without site lock $(med 10) tps"

# Where a transaction's time goes: pgbench with one client, latency of each statement.
echo "== pgbench, 1 client, ${seconds} s, per statement (ms):"
(cd "$tmp" && "$PGBIN/pgbench" -n -M extended -c 1 -T "$seconds" -r \
    -D site="$site" -D service="$service" -D keyhash="$keyhash" -D keyid="$keyid" \
    -D days="$days" -D base="$base_epoch" -f "$here/book.sql" "$db_url" 2>/dev/null |
    sed -n '/^tps/p; /statement latencies/,$p' | cut -c1-110)

# Half of the API's maximum: wrk has no fixed rate (wrk2 is not in Debian), so the same
# connections pause between requests for a random time around clients / (max / 2) seconds.
# A closed loop: the offered rate falls when latency rises, so this is an approximation.
target=$((api_max / 2))
pause_ms=$(awk -v c="$clients" -v t="$target" 'BEGIN { printf "%d", c * 1000 / t }')
echo "== half load: target $target bookings/s, $clients connections pausing about $pause_ms ms"
for r in $(seq 1 3); do
    read -r h_rps _ h_p50 h_p99 h_bad h_cpu <<<"$(run_wrk "$clients" "$seconds" "$pause_ms")"
    echo "half-load round $r: $h_rps bookings/s p50 $h_p50 us p99 $h_p99 us ($h_bad not 201) CPU $h_cpu us/booking"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
