#!/usr/bin/env bash
# The ISV dashboard's CSP tab under wrk on loopback: GET /api/v1/csp-offers (its first page, 50
# offers, each with its partners named by company) as the demo ISV, after it makes CSP_OFFERS
# more drafts through the API (copies of the demo's live offer's setup).
# Knobs: CSP_OFFERS (default 60), DURATION (s, default 10), CONNECTIONS (default 1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

CSP_OFFERS="${CSP_OFFERS:-60}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-1}"
work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT

build_server
machine
start_server "$work/bench.db"
cookie="$(sign_in isv@contoso.example)"
[ -n "$cookie" ] || { echo "the demo ISV could not sign in" >&2; exit 1; }
export COOKIE="$cookie"

list="$BASE_URL/api/v1/csp-offers"
setup="$(curl -fsS -H "Cookie: $cookie" "$list" |
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["offers"][0]["offer"]["setup"]))')"
for index in $(seq 1 "$CSP_OFFERS"); do
  python3 -c 'import json, sys
setup = json.loads(sys.argv[1])
setup["internal_name"] = "Bench CSP " + sys.argv[2]
print(json.dumps(setup))' "$setup" "$index" >"$work/body.json"
  curl -fsS -o /dev/null -H "Cookie: $cookie" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: csp-list-$index" --data-binary "@$work/body.json" "$list"
done
curl -fsS -H "Cookie: $cookie" "$list" | python3 -c 'import json, sys
offers = json.load(sys.stdin)["offers"]
print("first page: %d offers; the first names %s" % (len(offers), offers[0].get("partner_companies")))'

echo "== csp list: wrk -t1 -c$CONNECTIONS -d${DURATION}s $list (load average before:" \
  "$(cut -d ' ' -f 1-3 /proc/loadavg))"
LIST_PATH=/api/v1/csp-offers wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
  -s "$BENCH_DIR/wrk/list.lua" "$list" | grep '^RESULT'
