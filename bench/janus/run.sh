#!/usr/bin/env bash
# Our server against a peer SFU, Debian's Janus 1.1.2 (VideoRoom), carrying the same load of real
# libwebrtc peers (@roamhq/wrtc) in the same invocation: CPU time of each SFU process per packet
# it forwarded, and the ratio ours / Janus (docs/benchmarks.md, "Against Janus").
#   bench/janus/run.sh BUILD_DIR [--pairs 2] [--seconds 10] [--rounds 3] [--warmup 5]
#                      [--janus-event-loops 0] [--media-workers 0] [--loss 0]
# Each round runs load.mjs against Janus and against our server, in alternating order. Installs
# janus with apt when it is missing (the benchmark's need only, not the test suite's); needs
# tests/e2e's npm install for @roamhq/wrtc. Runs in a private network namespace with only
# loopback (plus the veth holding 127.0.0.1/32 that Janus gathers on, since it skips `lo`),
# a private PostgreSQL in a temporary folder; everything it started is stopped and removed on
# exit, failure included; the whole run is bounded by `timeout`. --loss P drops P% of the UDP
# datagrams at random (nftables, in both directions) during the rounds, so the peers' NACKs and
# retransmissions run through both SFUs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/janus
usage='usage: bench/janus/run.sh BUILD_DIR [--pairs N] [--seconds S] [--rounds R] [--warmup S] [--janus-event-loops N] [--media-workers N] [--loss P]'
build=$(cd "${1:?$usage}" && pwd)
shift
pairs=2 seconds=10 rounds=3 warmup=5 event_loops=0 media_workers=0 loss=0
while (($#)); do
    case $1 in
    --pairs) pairs=$2 ;;
    --seconds) seconds=$2 ;;
    --rounds) rounds=$2 ;;
    --warmup) warmup=$2 ;;
    --janus-event-loops) event_loops=$2 ;;
    --media-workers) media_workers=$2 ;;
    --loss) loss=$2 ;;
    *) echo "unknown option $1; $usage" >&2; exit 2 ;;
    esac
    shift 2
done
((pairs >= 1 && pairs <= 20 && seconds >= 1 && seconds <= 300 && rounds >= 1 && rounds <= 20 &&
  loss >= 0 && loss <= 20 && event_loops >= 0 && event_loops <= 8 && media_workers >= 0 &&
  media_workers <= 8)) ||
    { echo "pairs 1-20, seconds 1-300, rounds 1-20, loss 0-20, janus-event-loops 0-8, media-workers 0-8" >&2; exit 2; }
modules=$root/tests/e2e/node_modules

if [[ -z ${VG_JANUSBENCH_INNER:-} ]]; then
    if ! command -v janus >/dev/null; then
        echo "== installing janus (apt)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends janus >/dev/null
    fi
    [[ -d $modules/@roamhq/wrtc ]] ||
        { echo "no @roamhq/wrtc: run (cd tests/e2e && npm ci --no-audit --no-fund)" >&2; exit 1; }
    # Setup about 30 s; per round two runs of peer setup (up to 30 + 5 per pair s), warm-up, window.
    limit=$((60 + rounds * 2 * (45 + 5 * pairs + warmup + seconds)))
    exec timeout --kill-after=15 "$limit" unshare --net -- env VG_JANUSBENCH_INNER=1 \
        bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$build" --pairs "$pairs" \
        --seconds "$seconds" --rounds "$rounds" --warmup "$warmup" --janus-event-loops "$event_loops" \
        --media-workers "$media_workers" --loss "$loss"
fi

tmp=$(mktemp -d /tmp/vg-janusbench.XXXXXX)
server_pid= janus_pid=
stop() {  # PID: SIGTERM, SIGKILL after 10 s
    [[ -n $1 ]] && kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    stop "$janus_pid"
    stop "$server_pid"
    "$root/scripts/pg.sh" stop "$tmp/pg" || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() {  # URL PID LOG
    for _ in $(seq 1 150); do
        curl -fsS "$1" >/dev/null 2>&1 && return 0
        kill -0 "$2" 2>/dev/null || { tail -20 "$3" >&2; return 1; }
        sleep 0.2
    done
    echo "not ready: $1" >&2
    return 1
}

echo "== $pairs pairs, $rounds rounds of ${warmup} s warm-up + ${seconds} s measured; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- our server, with a throwaway PostgreSQL ---
admin_url=$("$root/scripts/pg.sh" start "$tmp/pg")
psql -Xq "$admin_url" -c "CREATE DATABASE vg"
key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
ours=http://127.0.0.1:18080
export VISIOGUICHET_DATABASE_URL=${admin_url%/postgres}/vg VISIOGUICHET_BOOTSTRAP_ADMIN_KEY=$key
export VISIOGUICHET_HTTP_ADDR=127.0.0.1:18080 VISIOGUICHET_RTC_ADDR=127.0.0.1:40000
export VISIOGUICHET_PUBLIC_ADDR=127.0.0.1 VISIOGUICHET_WEB_ROOT=$root/web VISIOGUICHET_LOG_LEVEL=warn
export VISIOGUICHET_MEDIA_WORKERS=$media_workers  # 0: one per core
"$build/bin/visioguichet" migrate >"$tmp/migrate.log" 2>&1 || { cat "$tmp/migrate.log" >&2; exit 1; }
"$build/bin/visioguichet" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
wait_http "$ours/readyz" "$server_pid" "$tmp/server.log"

# --- Janus: the VideoRoom plugin and the HTTP transport only, warnings only in its log ---
ip link add vgjanus0 type veth peer name vgjanus1
ip addr add 127.0.0.1/32 dev vgjanus0
ip link set vgjanus0 up && ip link set vgjanus1 up
lib=/usr/lib/x86_64-linux-gnu/janus
mkdir -p "$tmp/janus/plugins" "$tmp/janus/transports" "$tmp/janus/none"
ln -s "$lib/plugins/libjanus_videoroom.so" "$tmp/janus/plugins/"
ln -s "$lib/transports/libjanus_http.so" "$tmp/janus/transports/"
cat >"$tmp/janus/janus.jcfg" <<EOF
general: {
    configs_folder = "$tmp/janus"
    plugins_folder = "$tmp/janus/plugins"
    transports_folder = "$tmp/janus/transports"
    events_folder = "$tmp/janus/none"
    loggers_folder = "$tmp/janus/none"
    debug_level = 3
    session_timeout = 60
    event_loops = $event_loops
}
certificates: {}
media: { rtp_port_range = "20000-39999" }
nat: { ice_enforce_list = "vgjanus0" }
plugins: {}
transports: {}
loggers: {}
events: {}
EOF
echo 'general: {}' >"$tmp/janus/janus.plugin.videoroom.jcfg"
cat >"$tmp/janus/janus.transport.http.jcfg" <<EOF
general: { json = "plain", base_path = "/janus", http = true, port = 8088, ip = "127.0.0.1", https = false }
admin: { admin_http = false }
EOF
janus_url=http://127.0.0.1:8088/janus
janus -C "$tmp/janus/janus.jcfg" -F "$tmp/janus" -o >"$tmp/janus.log" 2>&1 &
janus_pid=$!
wait_http "$janus_url/info" "$janus_pid" "$tmp/janus.log"

# What each SFU spends doing nothing (timers, housekeeping), over 5 s with no call.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
j0=$(cpu_ticks "$janus_pid") o0=$(cpu_ticks "$server_pid")
sleep 5
echo "== idle CPU over 5 s: Janus $(($(cpu_ticks "$janus_pid") - j0)) ticks, ours $(($(cpu_ticks "$server_pid") - o0)) ticks (1 tick = 1/$(getconf CLK_TCK) s)"

if ((loss > 0)); then
    nft add table inet vgloss
    nft add chain inet vgloss in '{ type filter hook input priority 0; }'
    nft add rule inet vgloss in meta l4proto udp numgen random mod 100 '<' "$loss" drop
    echo "== $loss% of UDP datagrams dropped at random in each direction"
fi

# --- rounds ---
results=$tmp/results
: >"$results"
run_load() {  # TARGET: prints the RESULT json
    local url=$janus_url pid=$janus_pid line
    [[ $1 == ours ]] && url=$ours pid=$server_pid
    line=$(NODE_PATH=$modules node --experimental-websocket --no-warnings "$here/load.mjs" \
        --target "$1" --url "$url" --pid "$pid" --admin-key "$key" --pairs "$pairs" \
        --seconds "$seconds" --warmup "$warmup" 2>"$tmp/load.err" | grep '^RESULT ') ||
        { echo "round failed against $1:" >&2; tail -20 "$tmp/load.err" >&2; return 1; }
    echo "${line#RESULT }"
}
for r in $(seq 1 "$rounds"); do
    order=(janus ours)
    ((r % 2 == 0)) && order=(ours janus)
    for target in "${order[@]}"; do
        json=$(run_load "$target")
        echo "round $r $target: $json | load $(cut -d' ' -f1 /proc/loadavg)"
        jq -c --argjson r "$r" '. + {round: $r}' <<<"$json" >>"$results"
        sleep 2  # let the previous peers' sessions close before the next measurement
    done
done

# Per round ours / Janus (µs per forwarded packet), then the medians over the rounds where both
# SFUs kept the calls whole: every receiver decoding at least 15 of the 20 frames per second.
echo "== summary ($pairs pairs, Janus event_loops = $event_loops, our media_workers = $media_workers, loss $loss%)"
jq -rs --argjson rounds "$rounds" '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  [range(1; $rounds + 1) as $r | {j: (.[] | select(.round == $r and .target == "janus")),
                                  o: (.[] | select(.round == $r and .target == "ours"))}] as $all |
  ($all | map(select(.j.slowest_receiver_fps >= 15 and .o.slowest_receiver_fps >= 15))) as $ok |
  "valid rounds: \($ok | length) of \($all | length)" +
    (if ($ok | length) < ($all | length) then " (a receiver below 15 fps: " + ([$all[] | select(.j.slowest_receiver_fps < 15 or .o.slowest_receiver_fps < 15) | "round \(.j.round): slowest receiver through Janus \(.j.slowest_receiver_fps) fps, through ours \(.o.slowest_receiver_fps) fps"] | join("; ")) + ")" else "" end),
  "Janus: \($ok | map(.j.us_per_packet) | median) us/packet (rounds \($ok | map(.j.us_per_packet))), \($ok | map(.j.forwarded_per_s) | median) packets/s",
  "ours:  \($ok | map(.o.us_per_packet) | median) us/packet (rounds \($ok | map(.o.us_per_packet))), \($ok | map(.o.forwarded_per_s) | median) packets/s",
  "ours / Janus: \($ok | map(.o.us_per_packet / .j.us_per_packet) | median | if . then . * 1000 | round / 1000 else null end) (rounds \($ok | map(.o.us_per_packet / .j.us_per_packet * 1000 | round / 1000)))"
' "$results"
if [[ -s $tmp/server.log ]]; then
    echo "== our server logged (warnings and errors, last 10 lines):"
    tail -10 "$tmp/server.log"
fi
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# No valid round means no figure: say so with the exit status, not with nulls in the summary.
valid=$(jq -s '[group_by(.round)[] | select(length == 2 and all(.slowest_receiver_fps >= 15))] | length' "$results")
((valid > 0)) || { echo "bench/janus/run.sh: no valid round (a receiver below 15 fps in each)" >&2; exit 1; }
