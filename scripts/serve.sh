#!/usr/bin/env bash
# Builds the flowlab page (release) and serves it on http://127.0.0.1:8080, rebuilding when
# www/ or crate/ change. Installs whatever is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"

echo
echo "flowlab: building, then serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
echo
exec trunk serve --config Trunkfile.toml "$@"
