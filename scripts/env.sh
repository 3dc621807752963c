# Sourced by every script here: run from the repo root, with the pinned tools first on PATH.
# npm's wasm-opt (node_modules/.bin) must win over any system one: Debian's breaks the page.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export PATH="$REPO_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Where cargo puts binaries: CARGO_TARGET_DIR when set (relative to the repo root), else target/.
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in
  /*) ;;
  *) TARGET_DIR="$REPO_ROOT/$TARGET_DIR" ;;
esac
