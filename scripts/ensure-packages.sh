#!/usr/bin/env bash
# Installs the Debian packages that provide missing commands. Arguments: COMMAND:PACKAGE pairs.
# Only what is missing is installed, so a prepared machine pays nothing.
set -euo pipefail
missing=()
for pair in "$@"; do
  command_name=${pair%%:*}
  package=${pair#*:}
  if ! command -v "$command_name" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing: ${missing[*]}"
# Packages with services (rabbitmq-server, mosquitto, nats-server) must not start them on 0.0.0.0: tests start their
# own on loopback. policy-rc.d says no to every service start while installing, unless the machine has one already.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
