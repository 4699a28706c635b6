#!/usr/bin/env bash
# Runs every flowlab check, stopping at the first failure. Installs whatever is missing first
# (scripts/setup.sh). Stages: formatting, unit tests of the page's plain modules (node), clippy
# (native, and wasm32 with and without the lab language), native tests, the wasm facade tests in
# headless Chromium, the trunk build (the engine wasm and the lab module), and end-to-end tests of
# the built page.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# wasm-bindgen-test-runner: which WebDriver, and extra Chromium flags (it adds --headless,
# --no-sandbox and --disable-dev-shm-usage itself).
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/scripts/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

# Test stages are also copied here, to add up the passed and failed tests at the end.
TEST_LOG="$(mktemp -t flowlab-test.XXXXXX)"
STAGE=""
START=$SECONDS
STAGE_START=$SECONDS
TIMES=()

finish_stage() {
    if [[ -n "$STAGE" ]]; then
        TIMES+=("$(printf '%5d s  %s' $((SECONDS - STAGE_START)) "$STAGE")")
    fi
}
stage() {
    finish_stage
    STAGE="$1"
    STAGE_START=$SECONDS
    printf '\n==== [test] %s ====\n' "$STAGE"
}
on_exit() {
    local rc=$?
    rm -f "$TEST_LOG"
    if [[ $rc -ne 0 ]]; then
        printf '\n#### [test] FAILED at stage: %s (exit %d, after %d s) ####\n' "$STAGE" "$rc" $((SECONDS - START)) >&2
    fi
}
trap on_exit EXIT

stage "setup (scripts/setup.sh)"
scripts/setup.sh

stage "cargo fmt --check"
if [[ -t 1 ]]; then cargo fmt --all -- --check; else cargo fmt --all -- --check --color=never; fi

stage "unit tests (node --test tests/unit/)"
node --test --test-reporter=spec tests/unit/ 2>&1 | tee -a "$TEST_LOG"

stage "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

# wasm32 without the default features: the bins "flowlab" (whose flowlab.wasm would clash with
# the library's) and with it the "cli" feature stay off. With "lang": the lab module's build, the
# Session facade and its tests; without: the page's engine-only build, kept warning-free too.
stage "cargo clippy (wasm32, lab module: --features lang)"
cargo clippy --target wasm32-unknown-unknown -p flowlab --no-default-features --features lang --all-targets -- -D warnings

stage "cargo clippy (wasm32, engine only)"
cargo clippy --target wasm32-unknown-unknown -p flowlab --no-default-features --all-targets -- -D warnings

stage "cargo test (native)"
cargo test --workspace 2>&1 | tee -a "$TEST_LOG"

stage "cargo test (wasm32, headless Chromium)"
cargo test -p flowlab --target wasm32-unknown-unknown --no-default-features --features lang 2>&1 | tee -a "$TEST_LOG"

# The engine wasm, and the lab module through the hook scripts/build-lab-wasm.sh (Trunkfile.toml).
stage "trunk build"
rm -rf dist
trunk build --config Trunkfile.toml

stage "end-to-end tests (node --test tests/e2e/, headless Chromium)"
node --test --test-reporter=spec tests/e2e/ 2>&1 | tee -a "$TEST_LOG"

finish_stage
STAGE=""
printf '\n==== [test] all stages passed in %d s ====\n' $((SECONDS - START))
printf '%s\n' "${TIMES[@]}"
# cargo: "test result: ok. 88 passed; 0 failed; ..."; node: "ℹ pass 7" and "ℹ fail 0".
read -r PASSED FAILED < <(awk '
    /^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i } }
    $1 == "ℹ" && $2 == "pass" { p += $3 }
    $1 == "ℹ" && $2 == "fail" { f += $3 }
    END { print p + 0, f + 0 }' "$TEST_LOG")
echo "summary: $PASSED passed, $FAILED failed"
