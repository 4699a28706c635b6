#!/usr/bin/env bash
# Benchmarks flowlab: the lab's training natively and in headless Chromium, and the page weight.
#
#   scripts/bench.sh [--rebuild] [--json FILE]
#
# 1. scripts/setup.sh (installs only what is missing);
# 2. `trunk build --config Trunkfile.toml` when dist/ is missing or older than its sources
#    (--rebuild forces it);
# 3. the native benchmark: `cargo run --release -p flowlab --bin flowlab-bench -- --steps 10000`;
# 3b. the Compare view's experiment natively: `flowlab-compare --seconds 5` (time per step of
#    the four models on equal wall-clock budgets);
# 4. dist/bench.html in headless Chromium (scripts/bench-browser.mjs), which trains the lab's
#    configuration for 10,000 steps and the Transport view's default for 3,000 in the engine's
#    Web Worker, then runs the lab's training cell (10,000 iterations) in the lab-language
#    interpreter (the lab module, loaded by the first cell), runs the Compare view's models for
#    5 s each, and weighs the page;
# 5. a table: native and browser steps/s, their ratio, seconds per 10,000 steps, the Transport
#    default's rate, the interpreter's time over the pipeline's (target: at most 1.25), and the
#    Transport page weight gzipped (target: under 400 kB) and, apart, the lab module's (loaded by
#    the first lab cell).
#
# A benchmark, not a test: it asserts no threshold. --json FILE also writes every figure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

REBUILD=0
JSON=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rebuild) REBUILD=1 ;;
        --json) JSON=(--json "${2:?--json needs a file name}"); shift ;;
        *) echo "usage: scripts/bench.sh [--rebuild] [--json FILE]" >&2; exit 2 ;;
    esac
    shift
done

scripts/setup.sh

# The release site, unless dist/ is newer than everything it is built from.
if [[ $REBUILD == 1 || ! -f dist/index.html || ! -f dist/lab.json ]] ||
    [[ -n "$(find www crate/src crate/Cargo.toml Cargo.toml Cargo.lock Trunkfile.toml scripts/build-lab-wasm.sh -newer dist/index.html -print -quit)" ]]; then
    echo "[bench] trunk build --config Trunkfile.toml"
    trunk build --config Trunkfile.toml
else
    echo "[bench] dist/ is up to date"
fi
if [[ ! -f dist/bench.html ]]; then
    # trunk copies bench.html only when www/index.html links it (rel="copy-file").
    echo "[bench] dist/bench.html is missing: www/index.html needs <link data-trunk rel=\"copy-file\" href=\"bench.html\">;" \
        "copying www/bench.html into dist/ for this run" >&2
    cp www/bench.html dist/bench.html
fi

echo "[bench] native: cargo run --release -p flowlab --bin flowlab-bench -- --steps 10000"
NATIVE_LOG="$(mktemp -t flowlab-bench.XXXXXX)"
trap 'rm -f "$NATIVE_LOG"' EXIT
cargo run --quiet --release -p flowlab --bin flowlab-bench -- --steps 10000 | tee "$NATIVE_LOG"
NATIVE="$(awk '/^lab-train:/ { print $2 }' "$NATIVE_LOG" | tail -1)"
[[ -n "$NATIVE" ]] || { echo "[bench] the native benchmark printed no 'lab-train:' line" >&2; exit 1; }

echo "[bench] native: cargo run --release -p flowlab --bin flowlab-compare -- --seconds 5"
cargo run --quiet --release -p flowlab --bin flowlab-compare -- --seconds 5 | tee "$NATIVE_LOG"
# the table's rows: "name steps ms/step nll sw2 failure" -> "planar=1.56,realnvp=2.27,..."
NATIVE_COMPARE="$(awk '$1 ~ /^(planar|realnvp|cnf|flow-matching)$/ { printf "%s%s=%s", sep, $1, $3; sep = "," }' "$NATIVE_LOG")"

echo "[bench] browser: dist/bench.html in headless Chromium (about two minutes)"
node scripts/bench-browser.mjs --dist dist --native "$NATIVE" --native-compare "$NATIVE_COMPARE" "${JSON[@]}"
