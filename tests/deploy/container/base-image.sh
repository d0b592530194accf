#!/usr/bin/env bash
# Makes the Debian 12 base image the Dockerfiles start from, from Debian's own packages (no image
# registry is reachable here): debootstrap --variant=minbase from the machine's apt mirror, imported
# into podman's storage as docker.io/library/debian:bookworm and :bookworm-slim (a minbase root
# is what the slim image is). podman's storage outlives the test, so only a fresh machine pays the
# two minutes; the lock keeps two tests from making it at once.
set -euo pipefail
images=(docker.io/library/debian:bookworm docker.io/library/debian:bookworm-slim)
# Names what this script makes: change it when the recipe changes, so a cached image is remade.
made=localhost/visioguichet-base:bookworm-2
exec 9>/var/lock/visioguichet-base-image.lock
flock 9
if podman image exists "$made"; then
    podman tag "$made" "${images[@]}"
    exit 0
fi

# The mirror apt uses here: a one-line sources.list or a deb822 .sources file.
mirror=$(grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
    grep -v security | awk '{print $2}' | head -n1 || true)
if [[ -z $mirror ]]; then
    mirror=$(grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | grep -v security |
        awk '{print $2}' | head -n1 || true)
fi
: "${mirror:?no Debian mirror found in /etc/apt/sources.list or sources.list.d}"

rootfs=$(mktemp -d /tmp/visioguichet-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "== making the base image from $mirror (debootstrap, about 2 minutes)"
start=$SECONDS
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    { tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
# The host's apt sources, as Debian's official image has them (updates and security included):
# packages installed in the images are then the versions the host built the binary against.
if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/"
    rm -f "$rootfs/etc/apt/sources.list"
elif [[ -s /etc/apt/sources.list ]]; then
    cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"
fi
tar -C "$rootfs" -c . | podman import --quiet - "$made" >/dev/null
podman tag "$made" "${images[@]}"
echo "== base image made in $((SECONDS - start)) s"
