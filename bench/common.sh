# Sourced by the bench scripts: the release server, started on a fresh database, and a demo
# sign-in. Run the scripts from anywhere; they work from the repo root.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
export BENCH_DIR="$REPO_ROOT/bench"

# The release server (the normal `release` profile), built when missing or stale.
build_server() {
  cargo build --release -p offerdesk-server >&2
  SERVER_BIN="$TARGET_DIR/release/offerdesk"
}

# start_server DB [flags...]: runs the server with the demo data on DB, on a free loopback
# port, logging only warnings (a log line per request would cost the server CPU); sets
# SERVER_PID and BASE_URL.
start_server() {
  local database="$1"
  shift
  local out
  out="$(mktemp)"
  RUST_LOG="${RUST_LOG:-warn}" "$SERVER_BIN" --listen 127.0.0.1:0 --demo --database "$database" \
    --static-dir "$REPO_ROOT/dist" "$@" >"$out" 2>>"${SERVER_LOG:-/dev/null}" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    BASE_URL="$(sed -n 's|^Offer Desk is listening on \(http://[^/]*\)/$|\1|p' "$out")"
    [ -n "$BASE_URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start" >&2; return 1; }
    sleep 0.1
  done
  rm -f "$out"
  [ -n "$BASE_URL" ] || { echo "the server did not print its address" >&2; return 1; }
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}

# sign_in EMAIL: prints the session cookie (name=value) of a demo user.
sign_in() {
  curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" "$BASE_URL/api/v1/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1
}

# machine: one line on where the numbers come from.
machine() {
  printf 'machine: %s cores, %s, %s RAM; %s\n' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(free -h | awk '/^Mem:/ {print $2}')" "$(date -u +%Y-%m-%dT%H:%MZ)"
}
