#!/usr/bin/env bash
# SRTP cost per packet (protect + unprotect through our SrtpSession), the libsrtp2 the server links
# (Debian's source built with OpenSSL, scripts/libsrtp2.sh) against Debian's binary package (NSS)
# in the same run: rounds alternate the two programs, medians and their ratio are printed as a
# markdown table. Bounded: about 2 s of CPU per program and round at the default packet count.
#   bench/srtp.sh BUILD_DIR [--rounds 5] [--packets 200000]
# Build first: cmake --build BUILD_DIR --target vg_srtp_cost vg_srtp_cost_debian
set -euo pipefail
build=${1:?usage: bench/srtp.sh BUILD_DIR [--rounds N] [--packets N]}
shift
rounds=5 packets=200000
while (($#)); do
    case $1 in
    --rounds) rounds=${2:?} ;;
    --packets) packets=${2:?} ;;
    *) echo "bench/srtp.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
ours=$build/bin/vg_srtp_cost
debian=$build/bin/vg_srtp_cost_debian
for program in "$ours" "$debian"; do
    [[ -x $program ]] || { echo "bench/srtp.sh: $program is missing (build it; the Debian one" \
        "needs libsrtp2-dev)" >&2; exit 1; }
done
# Each program must use the library it claims to: ours has libsrtp2 inside, Debian's loads its .so.
if ldd "$ours" | grep -q 'libsrtp2\.so'; then
    echo "bench/srtp.sh: $ours loads a shared libsrtp2, not the one built with OpenSSL" >&2; exit 1
fi
debian_lib=$(ldd "$debian" | awk '/libsrtp2\.so/ { print $3 }')
[[ $debian_lib == /usr/lib/* || $debian_lib == /lib/* ]] || { echo "bench/srtp.sh: $debian does not load Debian's libsrtp2" >&2; exit 1; }
debian_version=$(dpkg-query -W -f='${Version}' libsrtp2-1 2>/dev/null || echo unknown)
ours_version=$(sed -n 's/^source: //p' "${VG_SRTP2_PREFIX:-/opt/visioguichet/libsrtp2}/visioguichet-build.txt" 2>/dev/null || echo unknown)

tmp=$(mktemp -d /tmp/vg-srtpbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$rounds"); do
    # Alternate which goes first, so that a neighbour's burst does not always hit the same one.
    order=("ours:$ours" "debian:$debian")
    ((r % 2)) || order=("debian:$debian" "ours:$ours")
    for entry in "${order[@]}"; do
        name=${entry%%:*}
        timeout 300 "${entry#*:}" --packets "$packets" >"$tmp/$name.$r" ||
            { echo "bench/srtp.sh: round $r of $name failed" >&2; exit 1; }
        [[ $(wc -l <"$tmp/$name.$r") -eq 4 ]] ||
            { echo "bench/srtp.sh: round $r of $name printed no full set of figures" >&2; exit 1; }
    done
    echo "round $r: ours $(awk '{printf "%s/%s %s µs  ", $1, $2, $3}' "$tmp/ours.$r")| debian $(awk '{printf "%s/%s %s µs  ", $1, $2, $3}' "$tmp/debian.$r")" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() {  # NAME PROFILE BYTES
    cat "$tmp/$1".* | awk -v p="$2" -v b="$3" '$1 == p && $2 == b { print $3 }' | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "| profile | packet | OpenSSL build (linked) | Debian's package (NSS) | linked / Debian |"
echo "|---|---|---|---|---|"
for profile in AEAD_AES_128_GCM AES_CM_128_HMAC_SHA1_80; do
    for bytes in 1200 100; do
        o=$(median ours "$profile" "$bytes")
        d=$(median debian "$profile" "$bytes")
        awk -v p="$profile" -v b="$bytes" -v o="$o" -v d="$d" \
            'BEGIN { printf "| %s | %d B | %.2f µs | %.2f µs | %.2f |\n", p, b, o, d, o / d }'
    done
done
echo
echo "Median of $rounds rounds of $packets packets each, process CPU time per packet protected and" \
    "unprotected (RTP header included in the size). Linked: the source package of" \
    "$ours_version built with OpenSSL $(pkg-config --modversion openssl 2>/dev/null || echo '(unknown version)'); Debian's package" \
    "libsrtp2-1 $debian_version. Load average before: $load_before; after: $load_after."
