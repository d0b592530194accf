#!/usr/bin/env bash
# The REST API benchmarks (docs/benchmarks.md), each against pgbench running the same SQL
# transactions directly on the same database in the same invocation, then the API at about half
# of its maximum for its latency below saturation:
#   booking     POST /api/v1/appointments (wrk + book.lua, pgbench + book.sql)
#   claim-next  agents claiming the next citizen while booths add walk-ins (claim.lua, claim.sql)
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

[[ $clients =~ ^[0-9]+$ && $seconds =~ ^[0-9]+$ && $rounds =~ ^[0-9]+$ && $booths =~ ^[0-9]+$ ]] &&
    ((clients >= 1 && clients <= 256 && seconds >= 1 && seconds <= 600 && rounds >= 1 &&
      rounds <= 20 && booths > clients && booths <= 1000)) ||
    { echo "bench/api/run.sh: clients 1-256, seconds 1-600, rounds 1-20, booths above clients and at most 1000" >&2; exit 2; }
# Every tool up front: a missing one would otherwise show as empty rounds (bench/all.sh installs
# them: apt-get install wrk postgresql-15 postgresql-contrib jq curl).
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
for tool in wrk jq curl psql "$PGBIN/pgbench" "$PGBIN/postgres" unshare timeout; do
    command -v "$tool" >/dev/null ||
        { echo "bench/api/run.sh: $tool is missing (bench/all.sh installs what the benchmarks need)" >&2; exit 1; }
done
[[ -x $build/bin/visioguichet ]] ||
    { echo "bench/api/run.sh: $build/bin/visioguichet is missing: build the target visioguichet" >&2; exit 1; }

if [[ -z ${VG_APIBENCH_INNER:-} ]]; then
    # Setup 1.5 to 4 min (50 password hashes and 32 logins); per round two booking and two claim
    # runs; then the one-client and the six half-load runs.
    limit=$((360 + rounds * 4 * (seconds + 5) + 7 * (seconds + 5)))
    exec timeout --kill-after=15 "$limit" unshare --net -- env VG_APIBENCH_INNER=1 \
        bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$build" --clients "$clients" \
        --seconds "$seconds" --rounds "$rounds" --booths "$booths"
fi

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
# The claim-next agents have no console connection to keep them present: the longest grace.
export VISIOGUICHET_PRESENCE_GRACE_SECONDS=600
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

# One site in UTC (the grid is then plain arithmetic), B booths (enrolled), B agents available
# all week; the first C agents log in and are available for claim-next.
echo "== setup: 1 site, $booths booths, $booths agents"
service=$(api POST /services '{"code":"BENCH","name_fr":"Banc","name_en":"Bench","duration_minutes":30,"walk_in_allowed":true}' | jq -r .id)
site=$(api POST /sites '{"code":"BEN","name_fr":"Banc","name_en":"Bench","timezone":"UTC"}' | jq -r .id)
rules=$(jq -nc --arg s "$site" '{rules: [range(1;8) as $d | {weekday:$d,start:"00:00",end:"23:30",site_id:$s}]}')
: >"$tmp/booths" && : >"$tmp/agents"
psql -Xq "$db_url" -c "CREATE TABLE bench_agents (n integer PRIMARY KEY, token_hash text NOT NULL)"
for i in $(seq 1 "$booths"); do
    enrollment=$(api POST "/sites/$site/booths" "{\"label\":\"Booth $i\"}" | jq -r .enrollment_token)
    api POST /booth/enroll "{\"enrollment_token\":\"$enrollment\"}" |
        jq -r '.booth.id + " " + .booth_token' >>"$tmp/booths"
    password=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    agent=$(api POST /agents "$(jq -nc --arg pw "$password" --arg e "agent$i@bench.local" --arg s "$site" --arg sv "$service" \
        '{email:$e,display_name:"Bench agent",password:$pw,roles:["agent"],site_ids:[$s],service_ids:[$sv],languages:["fr"]}')" | jq -r .id)
    api PUT "/agents/$agent/availability" "$rules" >/dev/null
    if ((i <= clients)); then
        token=$(api POST /auth/login "$(jq -nc --arg pw "$password" --arg e "agent$i@bench.local" '{email:$e,password:$pw}')" | jq -r .token)
        curl -fsS -X PUT "$base/api/v1/agents/me/presence" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' --data '{"state":"available"}' >/dev/null
        echo "$token" >>"$tmp/agents"
        psql -Xq "$db_url" -c "INSERT INTO bench_agents VALUES ($((i - 1)), '$(printf %s "$token" | sha256sum | cut -d' ' -f1)')"
    fi
done
((booths > clients)) || { echo "claim-next needs more booths than clients" >&2; exit 2; }

# Slots from tomorrow 00:00 UTC over 700 days (the booking horizon is 730).
days=700
base_epoch=$(date -u -d 'tomorrow 00:00' +%s)
keyhash=$(psql -XAtq "$db_url" -c "SELECT key_hash FROM api_keys ORDER BY created_at LIMIT 1")
keyid=$(psql -XAtq "$db_url" -c "SELECT id FROM api_keys ORDER BY created_at LIMIT 1")
export VG_BASE_EPOCH=$base_epoch VG_DAYS=$days VG_SITE=$site VG_SERVICE=$service VG_KEY=$key
export VG_AGENTS=$tmp/agents VG_BOOTHS=$tmp/booths VG_LATENCY_DIR=$tmp/claim-latency
mkdir "$VG_LATENCY_DIR"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
hz=$(getconf CLK_TCK)

# wrk CONNECTIONS SECONDS [DELAY_MS]: prints "rps created p50_us p99_us other cpu_us_per_booking"
run_wrk() {
    local threads=2 c0 c1 line
    ((threads > $1)) && threads=$1
    c0=$(cpu_ticks)
    line=$(VG_THREADS=$threads VG_DELAY_MS=${3:-0} wrk -t "$threads" -c "$1" -d "${2}s" \
        --timeout 10s -s "$here/book.lua" "$base" | grep '^RESULT') ||
        { echo "bench/api/run.sh: wrk (booking) printed no RESULT line" >&2; return 1; }
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

# round WHAT FIELDS COMMAND...: the command's one line of figures, or a loud exit when it printed
# none, too few, or no successful request (a round that silently counts nothing would give -nan).
round() {
    local what=$1 fields=$2 line
    shift 2
    line=$("$@") || { echo "bench/api/run.sh: $what: the run failed" >&2; exit 1; }
    awk -v n="$fields" 'NF != n { exit 1 } { for (i = 1; i <= NF; i++) if ($i !~ /^-?[0-9.]+$/) exit 1
                        if ($1 + 0 <= 0) exit 1 }' <<<"$line" ||
        { echo "bench/api/run.sh: $what: no figures (\"$line\")" >&2; exit 1; }
    echo "$line"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

results=$tmp/results
: >"$results"
echo "== $rounds rounds: wrk $clients connections, then pgbench $clients clients, ${seconds} s each"
for r in $(seq 1 "$rounds"); do
    api_line=$(round "booking round $r, API" 6 run_wrk "$clients" "$seconds")
    pg_line=$(round "booking round $r, pgbench" 5 run_pgbench "$clients" "$seconds")
    read -r a_rps a_n a_p50 a_p99 a_bad a_cpu <<<"$api_line"
    read -r p_tps p_n p_p50 p_p99 _ <<<"$pg_line"
    ratio=$(awk -v a="$a_rps" -v p="$p_tps" 'BEGIN { printf "%.2f", a / p }')
    echo "round $r: API $a_rps bookings/s ($a_n booked, $a_bad not 201) p50 $((a_p50 / 1000)).$(((a_p50 % 1000) / 100)) ms p99 $((a_p99 / 1000)).$(((a_p99 % 1000) / 100)) ms, server CPU $a_cpu us/booking | pgbench $p_tps tps p50 $((p_p50 / 1000)).$(((p_p50 % 1000) / 100)) ms p99 $((p_p99 / 1000)).$(((p_p99 % 1000) / 100)) ms | API/pgbench $ratio | load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$a_rps $a_p50 $a_p99 $a_cpu $p_tps $p_p50 $p_p99 $ratio $a_bad" >>"$results"
done
med() { awk -v c="$1" '{ print $c }' "$results" | median; }
api_max=$(med 1)
echo "== medians: API $api_max bookings/s p50 $(med 2) us p99 $(med 3) us CPU $(med 4) us/booking;" \
    "pgbench $(med 5) tps p50 $(med 6) us p99 $(med 7) us; API/pgbench $(med 8)"

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
    line=$(round "booking half-load round $r" 6 run_wrk "$clients" "$seconds" "$pause_ms")
    read -r h_rps _ h_p50 h_p99 h_bad h_cpu <<<"$line"
    echo "half-load round $r: $h_rps bookings/s p50 $h_p50 us p99 $h_p99 us ($h_bad not 201) CPU $h_cpu us/booking"
done

# claim-next. Before each run every live queue entry is abandoned, the C agents are available,
# and each booth has one citizen waiting (B > C: claims never find the queue empty). The pause
# lets requests still in flight when the load tool stopped finish first.
reset_queue() {
    sleep 2
    psql -Xq -v ON_ERROR_STOP=1 "$db_url" -v site="$site" -v service="$service" <<'SQL'
BEGIN;
UPDATE queue_entries SET state = 'abandoned', abandoned_at = now(), offered_to = NULL,
       offered_at = NULL, offer_expires_at = NULL WHERE state IN ('waiting', 'offered');
UPDATE agent_presence SET state = 'available', since = now(), last_seen_at = now();
INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language)
SELECT b.site_id, b.id, 'walk_in', :'service', 'fr' FROM booths b WHERE b.site_id = :'site'
   AND NOT EXISTS (SELECT 1 FROM queue_entries q WHERE q.booth_id = b.id
                      AND q.state IN ('waiting', 'offered', 'accepted'));
COMMIT;
SQL
}

percentiles() { sort -n | awk '{ v[NR] = $1 } END { print NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }'; }

# wrk CONNECTIONS SECONDS [DELAY_MS]: prints "claims/s claimed p50_us p99_us other cpu_us_per_claim"
run_claim_wrk() {
    local c0 c1 line pct
    rm -f "$VG_LATENCY_DIR"/claim.*
    reset_queue
    c0=$(cpu_ticks)
    line=$(VG_DELAY_MS=${3:-0} wrk -t "$1" -c "$1" -d "${2}s" --timeout 10s -s "$here/claim.lua" \
        "$base" | grep '^RESULT') ||
        { echo "bench/api/run.sh: wrk (claim-next) printed no RESULT line" >&2; return 1; }
    c1=$(cpu_ticks)
    pct=$(cat "$VG_LATENCY_DIR"/claim.* | percentiles)
    echo "$line $pct" | awk -v cpu=$((c1 - c0)) -v hz="$hz" '{
        for (i = 2; i <= 7; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %d %d %d %d %.0f\n", v["claimed"] / v["seconds"], v["claimed"], $9, $10,
            v["empty"] + v["other"] + v["errors"], v["claimed"] ? cpu * 1e6 / hz / v["claimed"] : 0 }'
}

# pgbench CLIENTS SECONDS: prints "claims/s claims p50_us p99_us failed"
run_claim_pgbench() {
    local log=$tmp/pgbench failed
    rm -rf "$log" && mkdir "$log"
    reset_queue
    (cd "$log" && "$PGBIN/pgbench" -n -M extended -c "$1" -j 2 -T "$2" -l --log-prefix=tx \
        -D site="$site" -D service="$service" -D phase=0 -D loaded=0 -f "$here/claim.sql" \
        "$db_url" >out.txt 2>err.txt) || tail -5 "$log/err.txt" >&2
    failed=$(grep -ci 'abort\|error' "$log/err.txt" || true)
    # Script runs 1, 4, 7, ... of each client are its claims.
    cat "$log"/tx.* | awk '($2 - 1) % 3 == 0 { print $3 }' | percentiles |
        awk -v s="$2" -v f="$failed" '{ printf "%.0f %d %d %d %d\n", $1 / s, $1, $2, $3, f }'
}

claims=$tmp/claims
: >"$claims"
echo "== claim-next, $rounds rounds: wrk $clients agents, then pgbench $clients clients, ${seconds} s each"
for r in $(seq 1 "$rounds"); do
    line=$(round "claim round $r, API" 6 run_claim_wrk "$clients" "$seconds")
    read -r a_rps a_n a_p50 a_p99 a_bad a_cpu <<<"$line"
    line=$(round "claim round $r, pgbench" 5 run_claim_pgbench "$clients" "$seconds")
    read -r p_tps p_n p_p50 p_p99 p_bad <<<"$line"
    ratio=$(awk -v a="$a_rps" -v p="$p_tps" 'BEGIN { printf "%.2f", a / p }')
    echo "claim round $r: API $a_rps claims/s ($a_n claimed, $a_bad not claimed or failed) p50 $a_p50 us p99 $a_p99 us, server CPU $a_cpu us/claim | pgbench $p_tps claims/s ($p_bad failed) p50 $p_p50 us p99 $p_p99 us | API/pgbench $ratio | load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$a_rps $a_p50 $a_p99 $a_cpu $p_tps $p_p50 $p_p99 $ratio" >>"$claims"
done
cmed() { awk -v c="$1" '{ print $c }' "$claims" | median; }
claim_max=$(cmed 1)
echo "== claim-next medians: API $claim_max claims/s p50 $(cmed 2) us p99 $(cmed 3) us CPU $(cmed 4) us/claim;" \
    "pgbench $(cmed 5) claims/s p50 $(cmed 6) us p99 $(cmed 7) us; API/pgbench $(cmed 8)"

# Half of the API's maximum, as for booking: each agent pauses before its claims.
((claim_max >= 2)) || { echo "claim-next: no claim succeeded" >&2; exit 1; }
target=$((claim_max / 2))
pause_ms=$(awk -v c="$clients" -v t="$target" 'BEGIN { printf "%d", c * 1000 / t }')
echo "== claim-next half load: target $target claims/s, $clients agents pausing about $pause_ms ms"
for r in $(seq 1 3); do
    line=$(round "claim half-load round $r" 6 run_claim_wrk "$clients" "$seconds" "$pause_ms")
    read -r h_rps _ h_p50 h_p99 h_bad h_cpu <<<"$line"
    echo "claim half-load round $r: $h_rps claims/s p50 $h_p50 us p99 $h_p99 us ($h_bad not claimed) CPU $h_cpu us/claim"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
