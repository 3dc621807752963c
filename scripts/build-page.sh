#!/usr/bin/env bash
# Builds the release page into dist/ with Trunk, writes each file's gzip and brotli copy beside it
# (the server sends the one a browser takes), and prints its weight (wasm + JS + CSS, raw, gzipped
# and brotli) against the budget, which counts the gzip copies. Tools come from scripts/install.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

budget_bytes=256000 # 250 KB gzipped per page load (issue 2)
target_bytes=204800 # 200 KB gzipped per page load (issue 8)
# The app is built as one bundle per audience, each of the ISV's offer forms as one of its own and
# each step of the multiparty form as one ("Product offers" once per pricing type; core's
# bundle::Bundle, src/app.rs), and a page load
# fetches one bundle. The build says how each bundle stands against the budget and the target on
# every run, and fails when any bundle passes either.

# Each bundle: its binary (src/main.rs for the public one, src/bin/<name>.rs for the others) and
# where its files go, as core's Bundle::directory says (the server answers each bundle's paths
# with its index.html; see crates/server/src/routes/page.rs).
bundles=(
  "public dist"
  "customer dist/bundles/customer"
  "partner dist/bundles/partner"
  "partner-offer dist/bundles/partner-offer"
  "partner-cppo dist/bundles/partner-cppo"
  "buyer-offer dist/bundles/buyer-offer"
  "isv dist/bundles/isv"
  "catalog dist/bundles/catalog"
  "csp-form dist/bundles/csp-form"
  "csp-review dist/bundles/csp-review"
  "cppo-form dist/bundles/cppo-form"
  "multiparty-form dist/bundles/multiparty-form"
  "multiparty-terms dist/bundles/multiparty-terms"
  "multiparty-existing-plans dist/bundles/multiparty-existing-plans"
  "multiparty-new-saas-plans dist/bundles/multiparty-new-saas-plans"
  "multiparty-vm-reservations dist/bundles/multiparty-vm-reservations"
  "multiparty-review dist/bundles/multiparty-review"
)

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

# Build every binary in one cargo run (the two cores link two bundles at once), selected as Trunk
# selects them (no -p: the workspace's default members, whose dependencies' features are unified
# with the page's), so that each Trunk run below finds its binary fresh instead of building the
# page's crates again.
bins=()
for bundle in "${bundles[@]}"; do
  read -r name _ <<<"$bundle"
  [[ "$name" == public ]] && name=offerdesk-web
  bins+=(--bin "$name")
done
echo "build-page: cargo build of the page's binaries (wasm-release)"
cargo build "${bins[@]}" --target wasm32-unknown-unknown --profile wasm-release

# One HTML shell, index.html, for every bundle: Trunk builds one binary per HTML file, so each
# other bundle gets a copy naming its binary (.bundle-<name>.html, not committed).
shell_for() {
  local name=$1
  if [[ "$name" == public ]]; then
    echo index.html
    return
  fi
  local shell=".bundle-$name.html"
  sed "s/data-bin=\"offerdesk-web\"/data-bin=\"$name\"/" index.html >"$shell"
  if ! grep -q "data-bin=\"$name\"" "$shell"; then
    echo "build-page.sh: index.html has no data-bin=\"offerdesk-web\" to make the $name shell from" >&2
    exit 1
  fi
  echo "$shell"
}

built_dirs=()
for bundle in "${bundles[@]}"; do
  read -r name dir <<<"$bundle"
  built_dirs+=("$dir")
  html=$(shell_for "$name")
  url="/${dir#dist}/"
  url="${url//\/\///}"
  echo "build-page: trunk build --release $html -> $dir (wasm-opt: $(command -v wasm-opt))"
  # The public bundle goes first: Trunk empties its output directory, dist/ included.
  trunk build --release=true --dist "$dir" --public-url "$url" "$html"
done

# Trunk minifies the HTML and CSS (Trunk.toml) but not wasm-bindgen's JavaScript: terser does,
# and the script checks each index.html's integrity hashes against the files they name (and drops
# the one on the wasm's preload link, which Chromium ignores with a warning).
echo "build-page: minifying each bundle's JavaScript (scripts/minify-glue.mjs)"
node scripts/minify-glue.mjs "${built_dirs[@]}"

# The copies the server sends (crates/server/src/routes/page.rs): gzip by Zopfli (smaller than
# gzip -9, the same format) and brotli at its smallest (quality 11), one Node process per core.
shopt -s nullglob
served=()
for bundle in "${bundles[@]}"; do
  read -r name dir <<<"$bundle"
  served+=("$dir"/*.html "$dir"/*.wasm "$dir"/*.js "$dir"/*.css)
done
echo "build-page: gzip (Zopfli) and brotli copies of ${#served[@]} files"
printf '%s\0' "${served[@]}" | xargs -0 -n 4 -P "$(nproc)" node scripts/precompress.mjs

echo
echo "Page weight per page load (one bundle: wasm + JS + CSS), gzipped as served (brotli beside it):"
status=0
over=()
for bundle in "${bundles[@]}"; do
  read -r name dir <<<"$bundle"
  url="/${dir#dist}/"
  url="${url//\/\///}"
  printf '  %s (%s, at %s)\n' "$name" "$dir" "$url"
  printf '    %-48s %10s %10s %10s\n' file raw gzipped brotli
  total_raw=0
  total_gzip=0
  total_br=0
  files=("$dir"/*.wasm "$dir"/*.js "$dir"/*.css)
  if ((${#files[@]} == 0)); then
    echo "build-page.sh: no wasm, js or css in $dir after the build" >&2
    exit 1
  fi
  for file in "${files[@]}"; do
    raw=$(wc -c <"$file")
    gzipped=$(wc -c <"$file.gz")
    brotli=$(wc -c <"$file.br")
    total_raw=$((total_raw + raw))
    total_gzip=$((total_gzip + gzipped))
    total_br=$((total_br + brotli))
    printf '    %-48s %10d %10d %10d\n' "$(basename "$file")" "$raw" "$gzipped" "$brotli"
  done
  printf '    %-48s %10d %10d %10d' total "$total_raw" "$total_gzip" "$total_br"
  if ((total_gzip > budget_bytes)); then
    printf '   OVER BUDGET by %d\n' "$((total_gzip - budget_bytes))"
    over+=("$name")
    echo "build-page.sh: the $name bundle is $total_gzip bytes gzipped, over the budget of $budget_bytes" >&2
    status=1
  else
    printf '   %d%% of the budget' "$((total_gzip * 100 / budget_bytes))"
    if ((total_gzip > target_bytes)); then
      printf ', over the 200 KB target by %d\n' "$((total_gzip - target_bytes))"
      echo "build-page.sh: the $name bundle is $total_gzip bytes gzipped, over the target of $target_bytes" >&2
      status=1
    else
      printf ', within the 200 KB target\n'
    fi
  fi
done
if ((${#over[@]})); then
  echo "build-page: OVER BUDGET ($budget_bytes bytes gzipped per page load): ${over[*]}" >&2
elif ((status == 0)); then
  echo "build-page: every bundle is within the budget of $budget_bytes bytes and the target of $target_bytes bytes gzipped"
fi
exit "$status"
