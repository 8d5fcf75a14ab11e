#!/usr/bin/env bash
# Prints the directory holding kube-apiserver and kube-controller-manager for the tests (envtest's KUBEBUILDER_ASSETS):
# the one already set, else ../shared/envtest's binaries unpacked into out/envtest. Prints nothing when neither exists.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  echo "$KUBEBUILDER_ASSETS"
elif [ -x ../shared/envtest/unpack.sh ]; then
  ../shared/envtest/unpack.sh "$PWD/out/envtest"
fi
