#!/usr/bin/env bash
# Runs wrtc_call.cjs inside a new network namespace that has only loopback (no ICE pair can use
# another interface). @roamhq/wrtc comes from tests/e2e's npm install; without it the test is
# skipped (exit 77).
#   tests/integration/rtc/run.sh PATH/TO/vg_media_harness
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=${1:?usage: run.sh PATH/TO/vg_media_harness}
modules=$here/../../e2e/node_modules
[[ -d $modules/@roamhq/wrtc ]] || { echo "rtc: @roamhq/wrtc not installed in tests/e2e: skipped" >&2; exit 77; }
export NODE_PATH=$modules
exec unshare --net -- bash -c 'ip link set lo up && exec node "$0" "$1"' "$here/wrtc_call.cjs" "$harness"
