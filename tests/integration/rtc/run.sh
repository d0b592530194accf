#!/usr/bin/env bash
# Runs one of the media tests (wrtc_call.cjs by default, or wrtc_*.cjs, chromium_*.cjs) inside a new
# network namespace that has only loopback, so no ICE pair can use another interface. The npm
# packages (@roamhq/wrtc, playwright-core) come from tests/e2e's npm install (scripts/setup.sh);
# without them, or without /usr/bin/chromium, the test fails and says what is missing.
#   tests/integration/rtc/run.sh PATH/TO/vg_media_harness [wrtc_call.cjs|chromium_call.cjs|...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
harness=${1:?usage: run.sh PATH/TO/vg_media_harness [script]}
script=${2:-wrtc_call.cjs}
modules=$here/../../e2e/node_modules
missing() { echo "rtc: $1 (run scripts/setup.sh with VG_WITH_BROWSER_TESTS=1)" >&2; exit 1; }
case $script in
    wrtc_*.cjs) [[ -d $modules/@roamhq/wrtc ]] || missing "@roamhq/wrtc not installed in tests/e2e" ;;
    chromium_*.cjs)
        [[ -d $modules/playwright-core ]] || missing "playwright-core not installed in tests/e2e"
        [[ -x /usr/bin/chromium ]] || missing "no /usr/bin/chromium" ;;
esac
export NODE_PATH=$modules
exec unshare --net -- bash -c 'ip link set lo up && exec node "$0" "$1"' "$here/$script" "$harness"
