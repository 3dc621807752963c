#!/usr/bin/env bash
# The browser-side benchmarks of issue 8: page weight and time to interactive, and the live
# preview against decimal.js. Builds the release page, the release server and the pricing core
# as a small WebAssembly module (bench/wasm-core -> bench/pkg), then drives the system Chromium.
# Usage: bash bench/run.sh [weight|preview]...   (default: both). Results go to stdout, as
# Markdown for BENCHMARKS.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"

bash scripts/install.sh --with-browser
bash scripts/build-page.sh
if [[ -z "${OFFERDESK_BIN:-}" ]]; then
  cargo build --release -p offerdesk-server
fi
(cd bench && npm ci --no-audit --no-fund --silent)

cargo build -p offerdesk-bench-core --target wasm32-unknown-unknown --profile wasm-release
wasm-bindgen --target web --out-dir bench/pkg \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/offerdesk_bench_core.wasm"
# The same optimization the page gets.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  bench/pkg/offerdesk_bench_core_bg.wasm -o bench/pkg/offerdesk_bench_core_bg.wasm

which=("$@")
((${#which[@]})) || which=(weight preview)
for bench in "${which[@]}"; do
  case "$bench" in
    weight) node bench/page-weight.mjs ;;
    preview) node bench/live-preview.mjs ;;
    *)
      echo "bench/run.sh: unknown benchmark '$bench' (expected weight or preview)" >&2
      exit 2
      ;;
  esac
  echo
done
