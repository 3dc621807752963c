#!/usr/bin/env bash
# API under load, from a second process (wrk) on loopback, each run bounded in time:
#   1. POST /api/v1/quote (the SPEC example), no database;
#   2. POST /api/v1/multiparty-offers as the demo ISV: each 201 is stored durably (SQLite WAL,
#      synchronous=FULL, group commit) before it is answered; repeated until the ISV holds at
#      least LIST_OFFERS offers;
#   3. GET /api/v1/multiparty-offers (the ISV dashboard's first page, 50 offers) over them.
# Each wrk run prints a RESULT line: requests/s, p50/p90/p99/p99.9 latency and the statuses.
# Knobs: DURATION (s, default 20), CONNECTIONS (default 8), THREADS (default 1),
# LIST_OFFERS (default 100000), BENCH_DB (default a temporary file, removed afterwards).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-1}"
LIST_OFFERS="${LIST_OFFERS:-100000}"
work="$(mktemp -d)"
database="${BENCH_DB:-$work/bench.db}"
trap 'stop_server; rm -rf "$work"' EXIT

build_server
machine
start_server "$database"
cookie="$(sign_in isv@contoso.example)"
[ -n "$cookie" ] || { echo "the demo ISV could not sign in" >&2; exit 1; }
export COOKIE="$cookie"

run() { # run NAME SCRIPT URL: one bounded wrk run
  echo "== $1: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s -s $2 $3"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$2" "$3" | grep '^RESULT'
}

run quote "$BENCH_DIR/wrk/quote.lua" "$BASE_URL/api/v1/quote"
offers() { # how many multiparty offers the database holds (read-only, beside the server)
  python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT COUNT(*) FROM offers WHERE kind = ?", ("multiparty",)).fetchone()[0])' "$database"
}
run submit "$BENCH_DIR/wrk/create.lua" "$BASE_URL/api/v1/multiparty-offers"
# More submissions, unmeasured beyond their own lines, until the list holds LIST_OFFERS.
while [ "$(offers)" -lt "$LIST_OFFERS" ]; do
  run "submit (filling to $LIST_OFFERS offers, now $(offers))" "$BENCH_DIR/wrk/create.lua" \
    "$BASE_URL/api/v1/multiparty-offers"
done
echo "stored multiparty offers: $(offers)"
run list "$BENCH_DIR/wrk/list.lua" "$BASE_URL/api/v1/multiparty-offers"
LIST_PATH="/api/v1/multiparty-offers?status=Draft&limit=200" \
  run "list (status=Draft, limit=200)" "$BENCH_DIR/wrk/list.lua" "$BASE_URL/api/v1/multiparty-offers"
