#!/usr/bin/env bash
# Builds everything and runs Offer Desk with demo data on http://127.0.0.1:8080/.
# Override with OFFERDESK_LISTEN, OFFERDESK_DATABASE, OFFERDESK_STATIC_DIR, OFFERDESK_DEMO=0;
# extra arguments go to the server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

listen="${OFFERDESK_LISTEN:-127.0.0.1:8080}"
database="${OFFERDESK_DATABASE:-offerdesk.db}"
static_dir="${OFFERDESK_STATIC_DIR:-dist}"
demo_flag=(--demo)
if [[ "${OFFERDESK_DEMO:-1}" == 0 ]]; then demo_flag=(); fi

bash scripts/install.sh
bash scripts/build-page.sh
cargo build --release -p offerdesk-server

host="${listen%:*}"
port="${listen##*:}"
case "$host" in 0.0.0.0 | "[::]" | "") host=127.0.0.1 ;; esac
echo
echo "Offer Desk: http://$host:$port/"
if ((${#demo_flag[@]})); then
  echo "Demo data is loaded; the server prints the demo sign-ins as it starts."
fi
echo "Stop it with Ctrl+C."
echo
exec "$TARGET_DIR/release/offerdesk" --listen "$listen" --database "$database" \
  --static-dir "$static_dir" "${demo_flag[@]}" "$@"
