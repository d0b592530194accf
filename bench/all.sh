#!/usr/bin/env bash
# Every benchmark in one command, on the current commit: installs what they need (Debian packages,
# the npm test tools), builds the Release targets, runs each benchmark bounded in time, and writes
# each one's figures into its generated block of docs/benchmarks.md with the command, the commit
# and the machine's load average. A benchmark that fails, or a tool that is missing, stops the
# run with a non-zero exit; blocks of benchmarks that did not run are left as they were.
#   bench/all.sh [--build build/release] [--build-type Release] [--only srtp,media,api,janus]
#                [--quick]
# --quick: few rounds and short runs, to check that every part works (figures from it are not
# meant to be final). Without it, each benchmark runs with the settings docs/benchmarks.md names.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/release
build_type=Release
only=srtp,media,api,janus
quick=0
while (($#)); do
    case $1 in
    --build) build=$(realpath -m "${2:?}"); shift 2 ;;
    --build-type) build_type=${2:?}; shift 2 ;;
    --only) only=${2:?}; shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "usage: bench/all.sh [--build DIR] [--build-type T] [--only srtp,media,api,janus] [--quick]" >&2; exit 2 ;;
    esac
done
IFS=, read -ra selected <<<"$only"
for b in "${selected[@]}"; do
    [[ $b =~ ^(srtp|media|api|janus)$ ]] || { echo "bench/all.sh: no benchmark named $b" >&2; exit 2; }
done
wants() { [[ ,$only, == *,$1,* ]]; }

# What each benchmark runs (before the build directory): the commands written into the docs.
declare -A runs
if ((quick)); then
    runs[srtp]="bench/srtp.sh BUILD --rounds 3 --packets 100000"
    runs[media]="bench/media.sh BUILD --calls 10 --seconds 5 --rounds 1"
    runs[api]="bench/api/run.sh BUILD --clients 16 --seconds 5 --rounds 1 --booths 20"
    runs[janus]="bench/janus/run.sh BUILD --pairs 2 --seconds 5 --rounds 1"
else
    runs[srtp]="bench/srtp.sh BUILD --rounds 5 --packets 200000"
    runs[media]="bench/media.sh BUILD --calls 40 --seconds 10 --rounds 3"
    runs[api]="bench/api/run.sh BUILD --clients 32 --seconds 15 --rounds 3 --booths 50"
    runs[janus]="bench/janus/run.sh BUILD --pairs 5 --seconds 20 --rounds 3"
fi

# Tools. scripts/setup.sh installs the build's and the tests' packages (and the npm tools the
# Janus benchmark's peers come from); the benchmarks' own: wrk for the REST API. bench/janus
# installs Janus itself.
targets=()
wants srtp && targets+=(vg_srtp_cost vg_srtp_cost_debian)
wants media && targets+=(vg_media_load vg_media_harness vg_forward_ceiling)
{ wants api || wants janus; } && targets+=(visioguichet)
browser=0
wants janus && browser=1
VG_WITH_BROWSER_TESTS=$browser nice -n 5 "$root/scripts/setup.sh" "$build" "$build_type" "${targets[@]}"
bench_packages=()
wants api && bench_packages+=(wrk)
missing=()
for p in "${bench_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    as_root=(); [[ $(id -u) -eq 0 ]] || as_root=(sudo)
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

commit=$(git -C "$root" rev-parse --short HEAD)
# Figures from uncommitted code name no commit honestly: say so.
git -C "$root" diff --quiet HEAD -- . ':!docs/benchmarks.md' || commit="$commit + uncommitted changes"
docs=$root/docs/benchmarks.md
tmp=$(mktemp -d /tmp/vg-allbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# replace_block NAME FILE: the lines between NAME's two markers in docs/benchmarks.md become FILE.
replace_block() {
    local begin="<!-- bench/all.sh $1: generated, do not edit by hand -->"
    local end="<!-- bench/all.sh $1: end -->"
    grep -qxF "$begin" "$docs" && grep -qxF "$end" "$docs" ||
        { echo "bench/all.sh: docs/benchmarks.md has no block for $1" >&2; return 1; }
    awk -v b="$begin" -v e="$end" -v f="$2" '
        $0 == b { print; while ((getline line < f) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip' "$docs" >"$tmp/docs" && cat "$tmp/docs" >"$docs"
}

failed=()
for b in srtp media api janus; do
    wants "$b" || continue
    cmd=${runs[$b]/BUILD/$build}
    echo "== $b: $cmd"
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    started=$(date -u '+%F %H:%M')
    # shellcheck disable=SC2086  # the command is words on purpose
    if ! (cd "$root" && $cmd) >"$tmp/$b.out" 2>"$tmp/$b.err"; then
        tail -n 30 "$tmp/$b.err" >&2
        echo "bench/all.sh: $b FAILED: its block in docs/benchmarks.md is left as it was" >&2
        failed+=("$b")
        continue
    fi
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    cat "$tmp/$b.out"
    {
        echo
        echo "Last run by \`bench/all.sh$( ((quick)) && echo ' --quick')\`: \`${runs[$b]/BUILD/${build#"$root"/}}\`"
        echo "($build_type build) on commit $commit, $started UTC; load average (1, 5, 15 min)" \
            "$load_before before and $load_after after, on $(nproc) cores."
        if awk -v l="${load_before%% *}" -v a="${load_after%% *}" -v n="$(nproc)" \
            'BEGIN { exit !(l > n || a > n) }'; then
            echo "**A loaded machine** (more runnable tasks than cores): absolute times are" \
                "inflated and drift; read the ratios of the same run, and take no figure here as final."
        fi
        if ((quick)); then
            echo "**--quick**: one short round, to check that the benchmark runs; not a figure to quote."
        fi
        echo
        # Table rows stay markdown; every other run of lines (rounds, medians) goes in a code block.
        awk '/^\|/ { if (code) { print "```"; code = 0 } print; next }
             /^$/ { if (!code) { print; next } }
             { if (!code) { print "```"; code = 1 } print }
             END { if (code) print "```" }' "$tmp/$b.out"
        echo
    } >"$tmp/$b.md"
    replace_block "$b" "$tmp/$b.md"
done
if ((${#failed[@]})); then
    echo "bench/all.sh: failed: ${failed[*]}" >&2
    exit 1
fi
echo "== docs/benchmarks.md updated (${selected[*]}); commit it with the code it measured"
