#!/usr/bin/env bash
# Builds the release page into dist/ with Trunk and prints its weight (wasm + JS + CSS, raw and
# gzipped) against the budget. Tools come from scripts/install.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

budget_bytes=256000 # 250 KB gzipped (issue 2); issue 8 aims at 200 KB.
# Since the customer, partner and ISV pages landed the page is far over budget (about 700 KB),
# and slimming it is open work (issues 2 and 8). Until then the build says by how much on every
# run, and fails only past this ceiling, so that the page cannot grow further unnoticed.
ceiling_bytes=819200 # 800 KB gzipped

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

if ((total_gzip > ceiling_bytes)); then
  echo "build-page.sh: the page is $total_gzip bytes gzipped, over the ceiling of $ceiling_bytes bytes" >&2
  exit 1
fi
if ((total_gzip > budget_bytes)); then
  echo "build-page: OVER BUDGET: $total_gzip bytes gzipped, $((total_gzip - budget_bytes)) over the budget of $budget_bytes bytes (open work: issues 2 and 8)" >&2
else
  echo "build-page: $total_gzip of $budget_bytes bytes gzipped ($((total_gzip * 100 / budget_bytes))% of the budget)"
fi
