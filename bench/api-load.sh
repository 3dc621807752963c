#!/usr/bin/env bash
# API under load, from a second process (wrk) on loopback, each run bounded in time:
#   1. POST /api/v1/quote (the SPEC example), no database;
#   2. POST /api/v1/multiparty-offers as the demo ISV: each 201 is stored durably (SQLite WAL,
#      synchronous=FULL, group commit) before it is answered; repeated until the ISV holds at
#      least LIST_OFFERS offers;
#   3. GET /api/v1/multiparty-offers (the ISV dashboard's first page, 50 offers) over them, and
#      ?status=Draft&limit=200, at each of LIST_CONNECTIONS connections.
# Each wrk run is announced with the load average before it, and prints a RESULT line:
# requests/s, p50/p90/p99/p99.9 latency, the statuses, and the server's CPU time per request
# (user + system, from /proc: a figure that depends less on what else the machine runs).
# Knobs: DURATION (s, default 20), CONNECTIONS (default 8), LIST_CONNECTIONS (default
# "1 CONNECTIONS"), THREADS (default 1), LIST_OFFERS (default 100000), BENCH_DB (default a
# temporary file, removed afterwards; an existing one is reused and filled up to LIST_OFFERS).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
LIST_CONNECTIONS="${LIST_CONNECTIONS:-1 $CONNECTIONS}"
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

server_cpu() { # the server's user + system CPU time so far, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"
}

run() { # run NAME CONNECTIONS SCRIPT URL: one bounded wrk run
  local before result requests ticks
  echo "== $1: wrk -t$THREADS -c$2 -d${DURATION}s -s $3 $4 (load average before:" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg))"
  before="$(server_cpu)"
  result="$(wrk -t"$THREADS" -c"$2" -d"${DURATION}s" --timeout 10s -s "$3" "$4" | grep '^RESULT')"
  ticks=$(($(server_cpu) - before))
  requests="$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$result")"
  echo "$result server_cpu_ms_per_request=$(awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" \
    -v requests="$requests" 'BEGIN { printf "%.3f", requests ? ticks * 1000 / hz / requests : 0 }')"
}

run quote "$CONNECTIONS" "$BENCH_DIR/wrk/quote.lua" "$BASE_URL/api/v1/quote"
offers() { # how many multiparty offers the database holds (read-only, beside the server)
  python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT COUNT(*) FROM offers WHERE kind = ?", ("multiparty",)).fetchone()[0])' "$database"
}
run "submit (from $(offers) offers)" "$CONNECTIONS" "$BENCH_DIR/wrk/create.lua" \
  "$BASE_URL/api/v1/multiparty-offers"
# More submissions, measured like the first, until the list holds LIST_OFFERS.
while [ "$(offers)" -lt "$LIST_OFFERS" ]; do
  run "submit (filling to $LIST_OFFERS offers, now $(offers))" "$CONNECTIONS" \
    "$BENCH_DIR/wrk/create.lua" "$BASE_URL/api/v1/multiparty-offers"
done
echo "stored multiparty offers: $(offers)"
for connections in $LIST_CONNECTIONS; do
  run "list, $connections connection(s)" "$connections" "$BENCH_DIR/wrk/list.lua" \
    "$BASE_URL/api/v1/multiparty-offers"
  LIST_PATH="/api/v1/multiparty-offers?status=Draft&limit=200" \
    run "list (status=Draft, limit=200), $connections connection(s)" "$connections" \
    "$BENCH_DIR/wrk/list.lua" "$BASE_URL/api/v1/multiparty-offers"
done
