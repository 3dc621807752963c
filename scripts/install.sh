#!/usr/bin/env bash
# Installs the tools that build and test Offer Desk, skipping whatever is already present.
# Usage: bash scripts/install.sh [--with-browser]
#   --with-browser   also install Chromium and chromedriver (apt) when chromedriver is missing;
#                    the end-to-end tests need them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

with_browser=false
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=true ;;
    *)
      echo "install.sh: unknown argument '$arg' (expected --with-browser)" >&2
      exit 2
      ;;
  esac
done

say() { printf 'install: %s\n' "$*"; }

trunk_version=0.21.14
wasm_opt_version=132
terser_version="$(sed -n 's/^ *"terser": "\(.*\)".*/\1/p' package.json)" # as package.json pins it
zopfli_version="$(sed -n 's/^ *"@gfx\/zopfli": "\(.*\)".*/\1/p' package.json)"
# Trunk runs the wasm-bindgen CLI on PATH, and it must match the library version in Cargo.lock.
wasm_bindgen_version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [[ -z "$wasm_bindgen_version" ]]; then
  echo "install.sh: no wasm-bindgen in Cargo.lock; cannot choose the wasm-bindgen CLI version" >&2
  exit 1
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown: present"
else
  say "rust target wasm32-unknown-unknown: adding"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null || true)" == "trunk $trunk_version" ]]; then
  say "trunk $trunk_version: present"
else
  say "trunk $trunk_version: installing with cargo (about 10 minutes on a cold machine)"
  cargo install --locked "trunk@$trunk_version"
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" == "wasm-bindgen $wasm_bindgen_version" ]]; then
  say "wasm-bindgen-cli $wasm_bindgen_version: present"
else
  # Not --locked: its own lockfile wants a webpki-roots version this registry lacks.
  say "wasm-bindgen-cli $wasm_bindgen_version: installing with cargo (about 4 minutes on a cold machine)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# package.json's build tools: wasm-opt (npm binaryen), terser (scripts/minify-glue.mjs) and
# Zopfli (scripts/precompress.mjs).
if [[ -x node_modules/.bin/wasm-opt ]] &&
  node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version $wasm_opt_version\b" &&
  grep -q "\"version\": \"$terser_version\"" node_modules/terser/package.json 2>/dev/null &&
  grep -q "\"version\": \"$zopfli_version\"" node_modules/@gfx/zopfli/package.json 2>/dev/null; then
  say "wasm-opt $wasm_opt_version (npm binaryen), terser $terser_version and zopfli $zopfli_version: present"
else
  if ! command -v npm >/dev/null; then
    echo "install.sh: npm is needed for wasm-opt $wasm_opt_version (npm binaryen), terser and zopfli; install Node.js and npm" >&2
    exit 1
  fi
  say "wasm-opt $wasm_opt_version (npm binaryen), terser $terser_version and zopfli $zopfli_version: npm ci"
  npm ci --no-audit --no-fund
fi

if [[ "$with_browser" == true ]]; then
  if [[ -x /usr/bin/chromedriver ]] || command -v chromedriver >/dev/null; then
    say "chromedriver: present ($(command -v chromedriver || echo /usr/bin/chromedriver))"
  else
    say "chromium and chromedriver: installing with apt-get"
    sudo=""
    if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update
    $sudo apt-get install -y chromium chromium-driver
  fi
fi

say "done"
