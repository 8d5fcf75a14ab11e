#!/usr/bin/env bash
# Makes the base images function templates build on, with no registry: root filesystems as tarballs in out/images/
# (the watchdog from its self-contained publish plus the libraries it links and busybox; Debian bookworm from
# debootstrap --variant=minbase, with python3 or nodejs for their templates), then, with --import, imports each into
# the Docker Engine at $DOCKER_HOST (or /var/run/docker.sock) under the tag the templates' offline build args name.
#   scripts/images.sh [--watchdog-only] [--import]
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/images
mirror=${FAAS_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
watchdog_only=false
import=false
for arg in "$@"; do
  case $arg in
    --watchdog-only) watchdog_only=true ;;
    --import) import=true ;;
    *) echo "images.sh: unknown argument '$arg' (accepted: --watchdog-only, --import)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"

# The watchdog image: /usr/bin/watchdog, the shared libraries it needs, busybox for a shell and coreutils.
watchdog_rootfs() {
  local bin=out/watchdog root
  [ -x "$bin" ] || { echo "images.sh: $bin is missing: run 'make publish-watchdog' first" >&2; exit 1; }
  if [ "$out/watchdog.tar" -nt "$bin" ]; then return; fi
  root=$(mktemp -d)
  chmod 755 "$root"
  mkdir -p "$root/usr/bin" "$root/bin" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  cp "$bin" "$root/usr/bin/watchdog"
  for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  local busybox
  busybox=$(command -v busybox || echo /bin/busybox)
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'app:x:1000:1000::/home/app:/bin/sh' >> "$root/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' > "$root/etc/group"
  tar -C "$root" -cf "$out/watchdog.tar.tmp" . && mv "$out/watchdog.tar.tmp" "$out/watchdog.tar"
  rm -rf "$root"
}

# A Debian bookworm minbase root filesystem with extra packages, trimmed of documentation, locales and apt caches.
debian_rootfs() {
  local name=$1 include=$2 root
  [ -f "$out/$name.tar" ] && return
  root=$(mktemp -d)
  debootstrap --variant=minbase ${include:+--include=$include} bookworm "$root" "$mirror" > "$out/$name.log" 2>&1 \
    || { echo "images.sh: debootstrap of $name failed, see $out/$name.log" >&2; rm -rf "$root"; exit 1; }
  chmod 755 "$root"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/locale "$root"/usr/share/info
  tar -C "$root" -cf "$out/$name.tar.tmp" . && mv "$out/$name.tar.tmp" "$out/$name.tar"
  rm -rf "$root"
}

watchdog_rootfs
if [ "$watchdog_only" = false ]; then
  command -v debootstrap >/dev/null || { apt-get update -q && apt-get install -y -q debootstrap; }
  # The three are independent and mostly wait on the mirror: made side by side.
  debian_rootfs debian "" & debian_pid=$!
  debian_rootfs python "python3" & python_pid=$!
  debian_rootfs node "nodejs" & node_pid=$!
  wait $debian_pid && wait $python_pid && wait $node_pid
fi

if [ "$import" = true ]; then
  command -v docker >/dev/null || { apt-get update -q && apt-get install -y -q docker.io; }
  docker version >/dev/null 2>&1 || { echo "images.sh: no Docker Engine answers on ${DOCKER_HOST:-/var/run/docker.sock}: start dockerd (here: dockerd --storage-driver=vfs --iptables=false --bridge=none &) or set DOCKER_HOST" >&2; exit 1; }
  for image in watchdog:faas/watchdog:latest debian:faas/debian:bookworm python:faas/python:3.11 node:faas/node:20; do
    IFS=: read -r file repository tag <<<"$image"
    [ -f "$out/$file.tar" ] || continue
    if [ "$file" = watchdog ]; then change='CMD ["/usr/bin/watchdog"]'; else change='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'; fi
    docker import --change "$change" "$out/$file.tar" "$repository:$tag" >/dev/null
    echo "imported $repository:$tag"
  done
fi
