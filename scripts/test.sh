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
cargo test --workspace "$@"
