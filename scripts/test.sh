#!/usr/bin/env bash
# Builds the page and the server, then runs every test: unit and property tests of each crate
# and the end-to-end tests (real server + built page + headless Chromium).
# Arguments go to `cargo test`, e.g. `bash scripts/test.sh -- --nocapture`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

bash scripts/install.sh --with-browser
bash scripts/build-page.sh
cargo build -p offerdesk-server
# The end-to-end tests find the server at $TARGET_DIR/debug/offerdesk and the page in dist/.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# --no-fail-fast: a failing test binary does not keep the others from running, so one run shows
# every failure and the summary counts every test.
cargo test --workspace --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
# One closing line over every test binary, so the run ends with its real totals.
awk '/^test result:/ {
       for (i = 1; i <= NF; i++) {
         if ($(i + 1) ~ /^passed;?$/) passed += $i
         if ($(i + 1) ~ /^failed;?$/) failed += $i
       }
     }
     END { printf "summary: %d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
