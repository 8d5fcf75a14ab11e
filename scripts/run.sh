#!/usr/bin/env bash
# make run: the gateway on 127.0.0.1:$PORT with the local backend, the sample functions deployed through the
# OpenFaaS API, ready-to-paste invoke lines printed. Ctrl-C stops the gateway, which stops every replica.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
gateway="http://127.0.0.1:$port"
export FAAS_STATE_DIR=${FAAS_STATE_DIR:-$PWD/.state}

out/gateway --urls "$gateway" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' INT TERM EXIT

for _ in $(seq 1 100); do
  curl -sf "$gateway/healthz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "the gateway exited during start-up" >&2; exit 1; }
  sleep 0.1
done

admin_user=${FAAS_ADMIN_USER:-admin}
if [ -n "${FAAS_ADMIN_PASSWORD:-}" ]; then
  admin_password=$FAAS_ADMIN_PASSWORD
  password_source="FAAS_ADMIN_PASSWORD"
else
  admin_password=$(cat "$FAAS_STATE_DIR/admin-password")
  password_source="$FAAS_STATE_DIR/admin-password"
fi

deploy() {
  local body=$1 name
  name=$(sed -n 's/.*"service":"\([^"]*\)".*/\1/p' <<<"$body")
  status=$(curl -s -o /dev/null -w '%{http_code}' -u "$admin_user:$admin_password" -X POST "$gateway/system/functions" -H 'Content-Type: application/json' -d "$body")
  if [ "$status" = 409 ]; then
    status=$(curl -s -o /dev/null -w '%{http_code}' -u "$admin_user:$admin_password" -X PUT "$gateway/system/functions" -H 'Content-Type: application/json' -d "$body")
  fi
  echo "  $name: HTTP $status"
}

echo "Deploying the sample functions (state in $FAAS_STATE_DIR):"
deploy "{\"service\":\"hello\",\"image\":\"local\",\"envProcess\":\"$PWD/samples/hello/handler.sh\"}"
deploy '{"service":"echo","image":"local","envProcess":"cat"}'

cat <<MSG

FaaS is running at $gateway (Ctrl-C stops it and every replica).
  curl -d 'you' $gateway/function/hello
  curl -d 'anything' $gateway/function/echo
  curl -u "$admin_user:<password>" $gateway/system/functions
The /system API needs user '$admin_user' and the password from $password_source.
MSG
wait $pid
