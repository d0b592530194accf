#!/usr/bin/env bash
# Builds libsrtp2 from Debian's own source package with OpenSSL's crypto (Debian's binary package
# uses NSS: AES_CM_128_HMAC_SHA1_80 costs several times more there) and installs the static
# library, headers and pkg-config file into PREFIX, which CMake links (VG_SRTP2_PREFIX).
#   scripts/libsrtp2.sh [PREFIX]     (default: $VG_SRTP2_PREFIX, else /opt/visioguichet/libsrtp2)
# Runs once: a PREFIX already built by this recipe is left as it is (about 0.01 s). Needs root or
# sudo for apt (a deb-src line for Debian's own mirror is added when none is there) and for a
# PREFIX the caller cannot write. The Dockerfile's build stage can call it as it is.
set -euo pipefail
prefix=${1:-${VG_SRTP2_PREFIX:-/opt/visioguichet/libsrtp2}}
# Bump when the flags or steps below change: every machine then builds again.
recipe="visioguichet libsrtp2 recipe 1: --enable-openssl, static, -O2 -fPIC"
stamp=$prefix/visioguichet-build.txt

if [[ -f $stamp ]] && [[ $(head -n1 "$stamp") == "$recipe" ]]; then
    exit 0
fi

as_root=(); [[ $(id -u) -eq 0 ]] || as_root=(sudo)
# Two setups at once (worktrees, CI beside a developer): one builds, the other then finds it done.
exec 9>"/tmp/visioguichet-libsrtp2.lock"
flock 9
if [[ -f $stamp ]] && [[ $(head -n1 "$stamp") == "$recipe" ]]; then
    exit 0
fi
started=$SECONDS
echo "== libsrtp2: building Debian's source package against OpenSSL into $prefix"

# What the build needs; dpkg-dev unpacks the source package with Debian's patches.
needed=(build-essential dpkg-dev pkg-config libssl-dev)
missing=()
for p in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
if ((${#missing[@]})); then
    "${as_root[@]}" apt-get update -qq
    apt_updated=1
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# apt-get source needs a deb-src entry for the release's main archive. When none is there, add one
# for the same mirror the deb entries use (deb822 .sources or one-line .list format).
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
has_deb_src() {
    grep -hsqE "^[[:space:]]*deb-src[[:space:]].*[[:space:]]$codename[[:space:]]" \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        # A stanza whose Types include deb-src and whose Suites include the codename.
        awk -v c="$codename" 'BEGIN{RS=""; found=0}
            /(^|\n)Types:[^\n]*deb-src/ && $0 ~ "(^|\n)Suites:[^\n]*[ \t]" c "([ \t]|\n|$)" {found=1}
            END{exit !found}' "$f" && return 0
    done
    return 1
}
mirror() {
    local uri
    uri=$(awk -v c="$codename" 'BEGIN{RS=""}
        /(^|\n)Types:[^\n]*deb([ \t]|\n)/ && $0 ~ "(^|\n)Suites:[^\n]*[ \t]" c "([ \t]|\n|$)" {
            if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) {
                s = substr($0, RSTART, RLENGTH); sub(/.*URIs:[ \t]*/, "", s); print s; exit } }' \
        /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [[ -n $uri ]] || uri=$(grep -hsE "^[[:space:]]*deb[[:space:]].*[[:space:]]$codename[[:space:]]" \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
        sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/' | head -n1)
    echo "${uri:-http://deb.debian.org/debian}"
}
if ! has_deb_src; then
    uri=$(mirror)
    echo "== libsrtp2: adding a deb-src entry for $uri $codename"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    {
        echo "Types: deb-src"
        echo "URIs: $uri"
        echo "Suites: $codename"
        echo "Components: main"
        [[ -f $keyring ]] && echo "Signed-By: $keyring"
    } | "${as_root[@]}" tee /etc/apt/sources.list.d/visioguichet-deb-src.sources >/dev/null
    apt_updated=0
fi
if ((!apt_updated)) || ! apt-cache showsrc libsrtp2 2>/dev/null | grep -q '^Package: libsrtp2$'; then
    "${as_root[@]}" apt-get update -qq
fi

work=$(mktemp -d /tmp/visioguichet-libsrtp2.XXXXXX)
trap 'rm -rf "$work"' EXIT
# apt hands downloads to the _apt user: let it write there.
chmod 755 "$work"
(cd "$work" && apt-get source --download-only -qq libsrtp2 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
dsc=$(ls "$work"/libsrtp2_*.dsc 2>/dev/null | head -n1)
[[ -n $dsc ]] || { echo "libsrtp2: apt-get source libsrtp2 fetched nothing" >&2; exit 1; }
# apt checked the files against the signed archive's hashes: no keyring for dpkg-source to ask.
dpkg-source --no-check -x "$dsc" "$work/src" >/dev/null
version=$(basename "$dsc" .dsc); version=${version#libsrtp2_}

cd "$work/src"
# Debian's own options minus NSS (OpenSSL instead); a static, position-independent library, so the
# server does not depend on a shared libsrtp2 at run time.
./configure -q --prefix="$prefix" --enable-openssl --disable-debug-logging \
    CFLAGS="-O2 -fPIC -D_REENTRANT" >/dev/null
grep -q '^#define OPENSSL 1' crypto/include/config.h ||
    { echo "libsrtp2: configure did not select OpenSSL" >&2; exit 1; }
make -s -j"$(nproc)" libsrtp2.a test/test_srtp test/srtp_driver crypto/test/cipher_driver \
    >"$work/make.log" 2>&1 || { tail -n 30 "$work/make.log" >&2; exit 1; }
# libsrtp's own checks (known-answer vectors of each cipher, protect/unprotect round trips).
for check in test/test_srtp "test/srtp_driver -v" "crypto/test/cipher_driver -v"; do
    $check >"$work/check.log" 2>&1 || { tail -n 30 "$work/check.log" >&2;
        echo "libsrtp2: $check failed" >&2; exit 1; }
done
make -s install DESTDIR="$work/dest" >/dev/null
printf '%s\nsource: Debian libsrtp2 %s\nbuilt: %s in %d s\n' "$recipe" "$version" \
    "$(date -u +%FT%TZ)" $((SECONDS - started)) >"$work/dest$prefix/visioguichet-build.txt"

# Swap the whole prefix in at once, so that a build running beside this never sees half of it.
"${as_root[@]}" mkdir -p "$(dirname "$prefix")"
"${as_root[@]}" rm -rf "$prefix.new"
"${as_root[@]}" cp -a "$work/dest$prefix" "$prefix.new"
"${as_root[@]}" rm -rf "$prefix.old"
[[ ! -e $prefix ]] || "${as_root[@]}" mv "$prefix" "$prefix.old"
"${as_root[@]}" mv "$prefix.new" "$prefix"
"${as_root[@]}" rm -rf "$prefix.old"
echo "== libsrtp2 $version with OpenSSL in $prefix ($((SECONDS - started)) s)"
