#!/usr/bin/env bash
# Faults on a real disk, beside the tests (crates/server/tests/crash.rs kills the server during
# a 10,000-write burst; the store's unit tests simulate a full and a read-only database):
#   1. full disk: the server runs on a tiny tmpfs (FULL_DISK_KB, default 2048) and takes offer
#      submissions until the disk is full; every refusal must be a JSON 507, reads must still
#      answer, and after a restart every acknowledged offer is there and the file is sound;
#   2. read-only disk: the same database, remounted read-only, with the server started on it:
#      it must refuse clearly (a JSON 503 on a write, or a one-line error at start-up), and the
#      file stays sound.
# Needs root (mount); prints SKIP otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: mounting a tmpfs needs root"
  exit 0
fi
FULL_DISK_KB="${FULL_DISK_KB:-2048}"
mnt="$(mktemp -d)"
copy="$(mktemp -d)"
cleanup() { stop_server; umount "$mnt" 2>/dev/null || true; rmdir "$mnt"; rm -rf "$copy"; }
trap cleanup EXIT
build_server
machine
mount -t tmpfs -o "size=${FULL_DISK_KB}k" tmpfs "$mnt"
database="$mnt/offerdesk.db"
SERVER_LOG="$copy/server.log" start_server "$database"
export COOKIE="$(sign_in isv@contoso.example)"
body="$(sed -n '/^wrk.body = \[\[/,/\]\]$/p' "$BENCH_DIR/wrk/create.lua" | sed 's/^wrk.body = \[\[//; s/\]\]$//')"

echo "== full disk: submitting offers onto a ${FULL_DISK_KB} KB tmpfs until it is full"
acked=0
refused=0
: >"$copy/acked"
for n in $(seq 1 20000); do
  status="$(curl -sS -o "$copy/answer" -w '%{http_code}' -H "Cookie: $COOKIE" \
    -H 'Content-Type: application/json' -d "$body" "$BASE_URL/api/v1/multiparty-offers")"
  case "$status" in
    201) acked=$((acked + 1)); python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$copy/answer" >>"$copy/acked" ;;
    507)
      refused=$((refused + 1))
      [ "$refused" = 1 ] && echo "first refusal after $acked stored offers: $(cat "$copy/answer")"
      python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); assert b["errors"][0]["message"]' "$copy/answer"
      [ "$refused" -ge 20 ] && break ;;
    *) echo "FAIL: status $status: $(cat "$copy/answer")"; exit 1 ;;
  esac
done
[ "$refused" -gt 0 ] || { echo "FAIL: the disk never filled"; exit 1; }
list_status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE_URL/api/v1/multiparty-offers")"
echo "acknowledged: $acked; refused with 507: $refused; the list still answers $list_status"
[ "$list_status" = 200 ] || { echo "FAIL: reads stopped"; exit 1; }
if grep -q 'panicked' "$copy/server.log"; then echo "FAIL: the server panicked"; exit 1; fi
stop_server

check() { # every acknowledged offer is there, whole, and the file passes integrity_check
  python3 - "$1" "$copy/acked" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
acked = [line.strip() for line in open(sys.argv[2]) if line.strip()]
for offer_id in acked:
    row = db.execute("SELECT document FROM offers WHERE id = ?", (offer_id,)).fetchone()
    assert row is not None, "lost " + offer_id
    assert json.loads(row[0])["id"] == offer_id
print("integrity_check ok; all %d acknowledged offers are there, whole" % len(acked))
PY
}
SERVER_LOG="$copy/server.log" start_server "$database"
stop_server
check "$database"

echo "== read-only disk: the same tmpfs remounted read-only"
mount -o remount,ro "$mnt"
out="$(mktemp)"
if RUST_LOG=warn "$SERVER_BIN" --listen 127.0.0.1:0 --database "$database" --static-dir "$REPO_ROOT/dist" >"$out" 2>&1 & pid=$!; sleep 2; kill -0 "$pid" 2>/dev/null; then
  SERVER_PID=$pid
  BASE_URL="$(sed -n 's|^Offer Desk is listening on \(http://[^/]*\)/$|\1|p' "$out")"
  # The session signed in before is in the file; signing in again would be a write.
  status="$(curl -sS -o "$copy/answer" -w '%{http_code}' -H "Cookie: $COOKIE" \
    -H 'Content-Type: application/json' -d "$body" "$BASE_URL/api/v1/multiparty-offers")"
  echo "a submission answers $status: $(cat "$copy/answer")"
  stop_server
else
  wait "$pid" || true
  echo "the server refuses to start: $(grep -v '^\s*$' "$out" | tail -n 1)"
fi
rm -f "$out"
mount -o remount,rw "$mnt"
check "$database"
