#!/usr/bin/env bash
# The long campaign (docs/fuzzing.md): each target for RUNS executions from its committed seeds,
# one after the other, then what it found merged into a minimized corpus (-merge=1) beside the
# seeds. Prints one line per target: executions, seconds, corpus files before and after, crashes.
#   [VG_FUZZ_MAX_SECONDS=S] tests/fuzz/campaign.sh BUILD_DIR WORK_DIR [RUNS [TARGET...]]
# VG_FUZZ_MAX_SECONDS stops a target earlier than RUNS executions (a shared machine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?build dir (scripts/test.sh makes build/fuzz)} work=${2:?work dir}
runs=${3:-10000000}
shift $(($# < 3 ? $# : 3))
targets=("$@")
((${#targets[@]})) || targets=($(cd "$here/corpus" && ls))
mkdir -p "$work"
for name in "${targets[@]}"; do
    binary=$build/bin/fuzz_$name
    start=$(date +%s)
    status=0
    "$here/run.sh" "$name" "$binary" "$work/$name" -runs="$runs" \
        ${VG_FUZZ_MAX_SECONDS:+-max_total_time=$VG_FUZZ_MAX_SECONDS} > "$work/$name.log" 2>&1 || status=$?
    seconds=$(($(date +%s) - start))
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$name.log" | grep -o '[0-9]*$' || echo 0)
    mkdir -p "$work/$name/minimized"
    "$binary" -merge=1 "$work/$name/minimized" "$here/corpus/$name" "$work/$name/corpus" \
        > "$work/$name.merge.log" 2>&1
    crashes=$(find "$work/$name" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' -o \
        -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
    echo "$name executions=$executions seconds=$seconds exit=$status" \
         "seeds=$(ls "$here/corpus/$name" | wc -l) minimized=$(ls "$work/$name/minimized" | wc -l)" \
         "crashes=$crashes"
done
