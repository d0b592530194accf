#!/usr/bin/env bash
# Installs what is missing (Debian 12 packages, the test tools from npm) and builds.
#   scripts/setup.sh BUILD_DIR [BUILD_TYPE [TARGET...]]   (default: every target)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:?build dir}
build_type=${2:-RelWithDebInfo}
targets=("${@:3}")

packages=(build-essential cmake ninja-build ccache pkg-config git
    libboost-dev libboost-program-options-dev libssl-dev libsrtp2-dev libusrsctp-dev
    nlohmann-json3-dev libspdlog-dev libfmt-dev libpq-dev libgtest-dev libargon2-dev
    postgresql-15 postgresql-contrib postgresql-client-15 curl jq procps iproute2 util-linux
    openssl python3-yaml systemd clang-14 libclang-rt-14-dev
    clang-format-14 clang-tidy-14 libcurl4-openssl-dev python3-aiosmtpd)
if [[ ${VG_WITH_BROWSER_TESTS:-0} == 1 ]]; then
    # prometheus: promtool checks /metrics; libnss3-tools: the HTTPS test's CA for Chromium.
    packages+=(chromium nftables coturn prometheus libnss3-tools openssl)
    # The second browser (tests/e2e/firefox), driven by npm puppeteer-core.
    packages+=(firefox-esr)
    # tests/deploy/container: images built and run with podman (runc: crun fails here).
    packages+=(podman runc debootstrap)
    # Node.js may come from elsewhere than Debian (with its own npm): only when there is none.
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [[ ${VG_WITH_BROWSER_TESTS:-0} == 1 && -f $root/tests/e2e/package.json ]]; then
    # Again when package-lock.json changed since (npm ci writes node_modules/.package-lock.json).
    (cd "$root/tests/e2e" && { [[ node_modules/.package-lock.json -nt package-lock.json ]] ||
                                 npm ci --no-audit --no-fund --loglevel=error; })
fi

# libsrtp2 rebuilt with OpenSSL's crypto (once per machine; cmake/Srtp2.cmake links it).
srtp2_prefix=${VG_SRTP2_PREFIX:-/opt/visioguichet/libsrtp2}
"$root/scripts/libsrtp2.sh" "$srtp2_prefix"

# ccache: the same sources in another clone reuse the cache (paths relative to the checkout).
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
echo "== building in $build_dir ($build_type)"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" \
    -DVG_SRTP2_PREFIX="$srtp2_prefix" >/dev/null
build_args=()
for target in "${targets[@]}"; do build_args+=(--target "$target"); done
cmake --build "$build_dir" -j"$(nproc)" "${build_args[@]}"
