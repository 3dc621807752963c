#!/usr/bin/env bash
# Generated requests against the API's own OpenAPI document (schemathesis, from PyPI): every
# documented operation, signed in as the demo ISV, with valid and invalid inputs, until at least
# FUZZ_REQUESTS (default 10,000) requests were sent. Passes when none answered 5xx; counts come
# from the HAR report of every exchange. schemathesis is installed into bench/.venv when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
FUZZ_REQUESTS="${FUZZ_REQUESTS:-10000}"
EXAMPLES="${EXAMPLES:-150}"
venv="$BENCH_DIR/.venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi
work="$(mktemp -d)"
trap 'stop_server; rm -rf "$work"' EXIT
build_server
machine
"$venv/bin/schemathesis" --version
SERVER_LOG="$work/server.log" start_server "$work/fuzz.db"
cookie="$(sign_in isv@contoso.example)"

total=0
round=0
while [ "$total" -lt "$FUZZ_REQUESTS" ]; do
  round=$((round + 1))
  # Odd rounds sign in as the demo ISV and leave out /api/v1/session (signing out would end the
  # session the round uses); even rounds send no cookie and cover every operation.
  if [ $((round % 2)) = 1 ]; then
    auth=(--header "Cookie: $cookie" --exclude-path /api/v1/session)
  else
    auth=()
  fi
  "$venv/bin/schemathesis" run "$BASE_URL/api/v1/openapi.json" "${auth[@]}" \
    --checks not_a_server_error --max-examples "$EXAMPLES" --seed "$round" --workers 2 \
    --phases examples,coverage,fuzzing --no-color \
    --report har --report-har-path "$work/round-$round.har" >"$work/round-$round.log" 2>&1 || true
  # The run summary: operations tested, warnings (such as operations that only answered 4xx).
  sed -n '/SUMMARY/,$p' "$work/round-$round.log" | head -n 60
  total="$(python3 - "$work" <<'PY'
import glob, json, sys
print(sum(len(json.load(open(p))["log"]["entries"]) for p in glob.glob(sys.argv[1] + "/*.har")))
PY
)"
  echo "round $round: $total requests so far"
done
python3 - "$work" <<'PY'
import collections, glob, json, sys
statuses = collections.Counter()
failures = []
for path in sorted(glob.glob(sys.argv[1] + "/*.har")):
    for entry in json.load(open(path))["log"]["entries"]:
        status = entry["response"]["status"]
        statuses[status // 100 * 100] += 1
        if status >= 500:
            failures.append((status, entry["request"]["method"], entry["request"]["url"]))
print("RESULT requests=%d by_class=%s fivexx=%d" % (sum(statuses.values()), dict(sorted(statuses.items())), len(failures)))
for failure in failures[:20]:
    print("5xx:", *failure)
sys.exit(1 if failures else 0)
PY
