#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a throwaway PostgreSQL, runs every
# test, and removes the database afterwards, also when a test fails. Four stages, each in its own
# build directory, all sharing ccache:
#   main   the normal build (build/test) and every test
#   asan   ASan+UBSan (build/asan-ubsan, no benchmarks): the unit, api and integration labels
#   tsan   TSan (build/tsan): the rtc and signaling unit tests
#   fuzz   the libFuzzer targets (clang 14, build/fuzz), each VG_FUZZ_SECONDS (60) on its corpus
# VG_TEST_STAGES chooses the stages; extra arguments go to the main stage's ctest. The default is
# "main tsan fuzz": the ASan stage has not had a whole measured run yet, and with it a cold CI run
# might pass the 60 minutes we keep for it (docs/fuzzing.md, "Sanitizer stages");
# VG_TEST_STAGES="main asan tsan fuzz" runs everything.
# The stages run one after the other: each build fills both cores, and the media tests measure
# rates and frame counts that a build or a fuzzer beside them would distort.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"  # for the CMake presets
build_dir=${VG_TEST_BUILD_DIR:-$root/build/test}
stages=${VG_TEST_STAGES:-main tsan fuzz}
export VG_WITH_BROWSER_TESTS=${VG_WITH_BROWSER_TESTS:-1}
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
has_stage() { [[ " $stages " == *" $1 "* ]]; }

times=()
stage_start=$(date +%s)
stage_done() {
    local now
    now=$(date +%s)
    times+=("$1 $((now - stage_start)) s")
    stage_start=$now
}
trap 'echo "== stage times: $(IFS=/; echo "${times[*]}")"' EXIT

# setup.sh installs what every stage needs; it builds everything only for the main stage.
if has_stage main; then
    "$root/scripts/setup.sh" "$build_dir" RelWithDebInfo
else
    "$root/scripts/setup.sh" "$build_dir" RelWithDebInfo vg_common
fi
stage_done "main build"
if has_stage asan; then
    echo "== building with ASan+UBSan in build/asan-ubsan"
    cmake --preset asan-ubsan >/dev/null
    cmake --build "$root/build/asan-ubsan" -j"$(nproc)"
    stage_done "asan build"
fi
if has_stage tsan; then
    echo "== building with TSan in build/tsan"
    cmake --preset tsan >/dev/null
    cmake --build --preset tsan -j"$(nproc)"
    stage_done "tsan build"
fi
if has_stage fuzz; then
    echo "== building the fuzz targets in build/fuzz"
    cmake --preset fuzz -DVG_FUZZ_SECONDS="${VG_FUZZ_SECONDS:-60}" >/dev/null
    cmake --build --preset fuzz -j"$(nproc)"
    stage_done "fuzz build"
fi

pg_dir=$(mktemp -d /tmp/visioguichet-test-pg.XXXXXX)
reports=$(mktemp -d /tmp/visioguichet-sanitizer-reports.XXXXXX)
cleanup() {
    "$root/scripts/pg.sh" stop "$pg_dir" || true
    rm -rf "$pg_dir" "$reports"
    echo "== stage times: $(IFS=/; echo "${times[*]}")"
}
trap cleanup EXIT
# Throwaway data: no need to wait for the disk at each commit.
VISIOGUICHET_TEST_DATABASE_URL=$(PG_FSYNC=off "$root/scripts/pg.sh" start "$pg_dir")
export VISIOGUICHET_TEST_DATABASE_URL
echo "== PostgreSQL for the tests: $VISIOGUICHET_TEST_DATABASE_URL"

failed=()
# Runs a sanitizer stage's tests; each report (also from a server or harness process a test
# started, whose exit code the test may not see) goes to a file, and any file fails the stage.
sanitized() {
    local name=$1
    shift
    mkdir -p "$reports/$name"
    local status=0
    ctest "$@" -j2 --timeout 600 || status=$?
    if compgen -G "$reports/$name/*" >/dev/null; then
        echo "== $name: sanitizer reports:"
        cat "$reports/$name"/*
        status=1
    fi
    ((status == 0)) || failed+=("$name")
}

if has_stage main; then
    echo "== running the tests"
    ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 600 "$@" || failed+=(main)
    stage_done "main tests"
fi
if has_stage asan; then
    echo "== running the unit, api and integration tests under ASan+UBSan"
    ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan/report" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/asan/report" \
    LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp" \
        sanitized asan --preset asan-ubsan
    stage_done "asan tests"
fi
if has_stage tsan; then
    echo "== running the rtc and signaling unit tests under TSan"
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan/report:suppressions=$root/tests/sanitizers/tsan.supp" \
        sanitized tsan --preset tsan
    stage_done "tsan tests"
fi
if has_stage fuzz; then
    echo "== fuzzing each target for ${VG_FUZZ_SECONDS:-60} s"
    ctest --preset fuzz -j2 || failed+=(fuzz)
    stage_done "fuzz runs"
fi
if ((${#failed[@]})); then
    echo "== failed stages: ${failed[*]}"
    exit 1
fi
