#!/usr/bin/env bash
# Builds the release page into dist/ with Trunk, prints its weight, and fails when the page
# (wasm + JS + CSS, gzipped) is over budget. Tools come from scripts/install.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

budget_bytes=256000 # 250 KB gzipped: the page must stay quick on a slow connection.

if ! wasm-opt --version 2>/dev/null | grep -q "version 132\b"; then
  echo "build-page.sh: wasm-opt 132 from npm is not first on PATH (found: $(command -v wasm-opt || echo none))." >&2
  echo "Run: bash scripts/install.sh" >&2
  exit 1
fi
for tool in trunk wasm-bindgen; do
  if ! command -v "$tool" >/dev/null; then
    echo "build-page.sh: $tool is missing. Run: bash scripts/install.sh" >&2
    exit 1
  fi
done

echo "build-page: trunk build --release (wasm-opt: $(command -v wasm-opt))"
trunk build --release

echo
echo "Page weight (dist/):"
printf '  %-48s %10s %10s\n' file raw gzipped
total_raw=0
total_gzip=0
shopt -s nullglob
files=(dist/*.wasm dist/*.js dist/*.css)
if ((${#files[@]} == 0)); then
  echo "build-page.sh: no wasm, js or css in dist/ after the build" >&2
  exit 1
fi
for file in "${files[@]}"; do
  raw=$(wc -c <"$file")
  gzipped=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gzipped))
  printf '  %-48s %10d %10d\n' "$(basename "$file")" "$raw" "$gzipped"
done
printf '  %-48s %10d %10d\n' total "$total_raw" "$total_gzip"

if ((total_gzip > budget_bytes)); then
  echo "build-page.sh: the page is $total_gzip bytes gzipped, over the budget of $budget_bytes bytes" >&2
  exit 1
fi
echo "build-page: $total_gzip of $budget_bytes bytes gzipped ($((total_gzip * 100 / budget_bytes))% of the budget)"
