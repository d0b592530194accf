#!/usr/bin/env bash
# One fuzzing run of a target from its committed seeds (never written to): new inputs go to
# WORK/corpus, a crash to WORK/crash-*; libFuzzer exits non-zero on a crash, a leak or a timeout.
#   tests/fuzz/run.sh NAME BINARY WORK [libFuzzer options: -max_total_time=60, -runs=N...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=$1 binary=$2 work=$3
shift 3
options=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/")
case $name in
    sdp) options+=(-dict="$here/sdp.dict") ;;
    # usrsctp frees a closed socket on a later timer, so each run looks like a leak candidate and
    # libFuzzer would scan the heap after every one (16 times slower). Leaks are still checked
    # when the process ends.
    sctp_association) options+=(-detect_leaks=0) ;;
esac
rm -rf "$work"
mkdir -p "$work/corpus"
exec "$binary" "${options[@]}" "$@" "$work/corpus" "$here/corpus/$name"
