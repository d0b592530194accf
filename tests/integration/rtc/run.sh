#!/usr/bin/env bash
# Runs one of the media tests (wrtc_call.cjs by default, or chromium_call.cjs) inside a new
# network namespace that has only loopback, so no ICE pair can use another interface. The npm
# packages (@roamhq/wrtc, playwright-core) come from tests/e2e's npm install; without them, or
# without /usr/bin/chromium for the Chromium test, the test is skipped (exit 77).
#   tests/integration/rtc/run.sh PATH/TO/vg_media_harness [wrtc_call.cjs|chromium_call.cjs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=${1:?usage: run.sh PATH/TO/vg_media_harness [script]}
script=${2:-wrtc_call.cjs}
modules=$here/../../e2e/node_modules
skip() { echo "rtc: $1: skipped" >&2; exit 77; }
case $script in
    wrtc_call.cjs) [[ -d $modules/@roamhq/wrtc ]] || skip "@roamhq/wrtc not installed in tests/e2e" ;;
    chromium_call.cjs|chromium_chat.cjs)
        [[ -d $modules/playwright-core ]] || skip "playwright-core not installed in tests/e2e"
        [[ -x /usr/bin/chromium ]] || skip "no /usr/bin/chromium" ;;
esac
export NODE_PATH=$modules
exec unshare --net -- bash -c 'ip link set lo up && exec node "$0" "$1"' "$here/$script" "$harness"
