#!/usr/bin/env bash
# The media forwarding benchmark (docs/benchmarks.md): our server against the forwarding ceiling,
# in a private network namespace with only loopback, bounded in time (rounds x 2 x (seconds + 2)).
#   bench/media.sh BUILD_DIR [--calls 25] [--seconds 10] [--rounds 3]
# Use a Release build: cmake -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build
# build/release --target vg_media_load vg_media_harness vg_forward_ceiling
set -euo pipefail
build=${1:?usage: bench/media.sh BUILD_DIR [vg_media_load options]}
shift
bin=$(cd "$build/bin" && pwd)
for program in vg_media_load vg_media_harness vg_forward_ceiling; do
    [[ -x $bin/$program ]] || { echo "bench/media.sh: $bin/$program is missing: build it" >&2; exit 1; }
done
# The harness and the ceiling log on stderr: kept aside, shown when the benchmark fails.
log=$(mktemp /tmp/vg-mediabench.XXXXXX)
trap 'rm -f "$log"' EXIT
unshare --net -- bash -c 'ip link set lo up && exec "$0"/vg_media_load --harness "$0"/vg_media_harness --ceiling "$0"/vg_forward_ceiling "$@"' "$bin" "$@" 2>"$log" ||
    { status=$?; tail -n 20 "$log" >&2; echo "bench/media.sh: vg_media_load failed ($status)" >&2; exit 1; }
