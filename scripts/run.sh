#!/usr/bin/env bash
# make run: the gateway on 127.0.0.1:$PORT (its dashboard on $DASHBOARD_PORT, by default the next port) with the local backend, the functions of stack.yml deployed with
# `faas up`, ready-to-paste invoke lines printed. Ctrl-C stops the gateway, which stops every replica.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
export FAAS_URL="http://127.0.0.1:$port"
# The dashboard has an address of its own, apart from the functions' pages (README: the dashboard).
dashboard_url="http://127.0.0.1:${DASHBOARD_PORT:-$((port + 1))}"
export FAAS_STATE_DIR=${FAAS_STATE_DIR:-$PWD/.state}
export FAAS_STORE_DIR=${FAAS_STORE_DIR:-$FAAS_STATE_DIR/store}
faas=out/faas

# The dashboard deploys from the function store: its functions built once as bundles.
$faas store build --output "$FAAS_STORE_DIR" >/dev/null

Gateway__Dashboard__Url=$dashboard_url out/gateway --urls "$FAAS_URL" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' INT TERM EXIT

for _ in $(seq 1 100); do
  curl -sf "$FAAS_URL/healthz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "the gateway exited during start-up" >&2; exit 1; }
  sleep 0.1
done

admin_user=${FAAS_ADMIN_USER:-admin}
if [ -n "${FAAS_ADMIN_PASSWORD:-}" ]; then
  password_source="FAAS_ADMIN_PASSWORD"
  printf '%s' "$FAAS_ADMIN_PASSWORD" | $faas login -u "$admin_user" --password-stdin
else
  password_source="$FAAS_STATE_DIR/admin-password"
  $faas login -u "$admin_user" --password-stdin < "$password_source"
fi

echo "Deploying stack.yml (state in $FAAS_STATE_DIR):"
$faas up -f stack.yml --parallel 2

cat <<MSG

FaaS is running at $FAAS_URL (Ctrl-C stops it and every replica).
  Dashboard: $dashboard_url/ui/ (user '$admin_user', the password below)
  echo you | $faas invoke hello
  echo you | $faas invoke hello-python
  curl -d you $FAAS_URL/function/hello-node
  curl -d you $FAAS_URL/function/hello-csharp
  $faas list --gateway $FAAS_URL
  $faas store deploy markdown --gateway $FAAS_URL
The /system API needs user '$admin_user' and the password from $password_source ($faas is logged in).
MSG
wait $pid
