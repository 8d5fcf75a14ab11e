#!/usr/bin/env bash
# Makes the base images function templates build on, and the gateway's, with no registry: root filesystems as tarballs
# in out/images/ (the watchdog from its Native AOT publish plus the libraries it links and busybox; the gateway on
# the .NET shared runtime; Debian bookworm from
# debootstrap --variant=minbase, with python3 or nodejs for their templates), then, with --import, imports each into
# the Docker Engine at $DOCKER_HOST (or /var/run/docker.sock) under the tag the templates' offline build args name.
#   scripts/images.sh [--no-debian] [--import]     (--no-debian: only the watchdog and gateway images, no debootstrap)
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/images
mirror=${FAAS_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
mirror=${mirror:-http://deb.debian.org/debian}
no_debian=false
import=false
for arg in "$@"; do
  case $arg in
    --no-debian) no_debian=true ;;
    --import) import=true ;;
    *) echo "images.sh: unknown argument '$arg' (accepted: --no-debian, --import)" >&2; exit 2 ;;
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
  # The Native AOT watchdog links only libc and libm; functions built on this image (a self-contained .NET app, say)
  # also need what the .NET runtime loads, so those come too.
  local runtime_libs cache
  cache=$(ldconfig -p)
  runtime_libs=$(for name in libstdc++.so.6 libgcc_s.so.1 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1; do
    awk -v n="$name" '$1 == n && /x86-64/ && !found { print $NF; found = 1 }' <<<"$cache"
  done)
  for lib in $(ldd "$bin" | grep -o '/[^ ]*') $runtime_libs; do
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

# The gateway image: the watchdog image's files, the .NET shared runtime this SDK has (the gateway is published
# framework-dependent) with the libraries it links or loads (OpenSSL for TLS to a Kubernetes API server), and the
# published gateway with the watchdog beside it (for the local backend) in /app.
gateway_rootfs() {
  local dotnet_root root
  [ -f out/gateway.dll ] || { echo "images.sh: out/gateway.dll is missing: run 'make publish-gateway' first" >&2; exit 1; }
  if [ "$out/gateway.tar" -nt out/gateway.dll ] && [ "$out/gateway.tar" -nt "$out/watchdog.tar" ]; then return; fi
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  root=$(mktemp -d)
  chmod 755 "$root"
  tar -C "$root" -xf "$out/watchdog.tar"
  mkdir -p "$root/usr/share/dotnet/shared" "$root/app"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$root/usr/share/dotnet/"
  for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    version=$(ls "$dotnet_root/shared/$framework" | sort -V | tail -1)
    mkdir -p "$root/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$version" "$root/usr/share/dotnet/shared/$framework/"
  done
  for lib in $( (find "$root/usr/share/dotnet" -name '*.so' -exec ldd {} \; 2>/dev/null; ldconfig -p | grep -E 'lib(ssl|crypto)\.so\.3 ') | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
  done
  # Every assembly gateway.deps.json names (out/ also holds the CLI's), so a new library cannot be left out.
  (cd out && cp -a gateway.deps.json gateway.runtimeconfig.json watchdog $(grep -o '"[^"]*\.dll"' gateway.deps.json | tr -d '"' | xargs -n1 basename | sort -u) "$root/app/")
  tar -C "$root" -cf "$out/gateway.tar.tmp" . && mv "$out/gateway.tar.tmp" "$out/gateway.tar"
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
gateway_rootfs
if [ "$no_debian" = false ]; then
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
  path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  for image in watchdog:faas/watchdog:latest gateway:faas/gateway:latest debian:faas/debian:bookworm python:faas/python:3.11 node:faas/node:20; do
    IFS=: read -r file repository tag <<<"$image"
    [ -f "$out/$file.tar" ] || continue
    case $file in
      watchdog) changes=(--change 'CMD ["/usr/bin/watchdog"]') ;;
      gateway) changes=(--change "$path" --change 'ENTRYPOINT ["/usr/share/dotnet/dotnet", "/app/gateway.dll"]' --change 'CMD ["--urls", "http://0.0.0.0:8080"]') ;;
      *) changes=(--change "$path") ;;
    esac
    docker import "${changes[@]}" "$out/$file.tar" "$repository:$tag" >/dev/null
    echo "imported $repository:$tag"
  done
fi
