#!/usr/bin/env bash
# Installs everything flowlab needs to build, serve and test, skipping what is already there.
#
# serve.sh and test.sh run it first, then put ~/.cargo/bin and node_modules/.bin on their PATH.
# Prints one line per step: "installed", "already present" or "done".
# First run on a fresh machine: ~20 min (trunk ~12 min and wasm-bindgen-cli ~7 min compile from
# source); afterwards a few seconds.

set -euo pipefail
: "${HOME:?HOME must be set (cargo installs into ~/.cargo)}"

flowlab_setup() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cd "$root" || return 1

    # Versions. trunk 0.22 needs a newer rustc than the machine's 1.95; binaryen 132 is the
    # wasm-opt that trunk's config pins (Debian's 108 breaks the externref table).
    local trunk_version="0.21.14"
    local chromium_bin="/usr/bin/chromium" chromedriver_bin="/usr/bin/chromedriver"

    export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$root/node_modules/.bin:$PATH"

    step() { printf '[setup] %-26s %s\n' "$1" "$2"; }
    fail() {
        printf '\n[setup] FAILED: %s\n' "$1" >&2
        return 1
    }

    command -v cargo >/dev/null || { fail "cargo not found: install Rust with rustup first"; return 1; }
    command -v rustup >/dev/null || { fail "rustup not found: it adds the wasm32 target"; return 1; }
    command -v node >/dev/null || { fail "node not found: install Node.js >= 20 and npm"; return 1; }
    command -v npm >/dev/null || { fail "npm not found: install npm with Node.js"; return 1; }

    # 1. The wasm target.
    if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        step "wasm32 target" "already present"
    else
        rustup target add wasm32-unknown-unknown || { fail "rustup target add wasm32-unknown-unknown"; return 1; }
        step "wasm32 target" "installed"
    fi

    # 2. trunk, exactly this version.
    if [[ "$(trunk --version 2>/dev/null)" == "trunk $trunk_version" ]]; then
        step "trunk $trunk_version" "already present"
    else
        echo "[setup] installing trunk $trunk_version from source (about 12 minutes on 2 cores)..."
        cargo install trunk --version "$trunk_version" --locked ||
            { fail "cargo install trunk --version $trunk_version --locked"; return 1; }
        step "trunk $trunk_version" "installed"
    fi

    # 3. wasm-bindgen-cli, exactly the wasm-bindgen version that Cargo.lock resolved
    #    (the CLI and the library must match byte for byte in their schema).
    local wbg_version
    wbg_version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
    [[ "$wbg_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
        { fail "could not read the wasm-bindgen version from Cargo.lock (got '$wbg_version')"; return 1; }
    if ! grep -q "^wasm_bindgen = \"$wbg_version\"" Trunkfile.toml; then
        fail "Trunkfile.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen $wbg_version"
        return 1
    fi
    if [[ "$(wasm-bindgen --version 2>/dev/null)" == "wasm-bindgen $wbg_version" ]] &&
        command -v wasm-bindgen-test-runner >/dev/null; then
        step "wasm-bindgen-cli $wbg_version" "already present"
    else
        echo "[setup] installing wasm-bindgen-cli $wbg_version from source (about 7 minutes on 2 cores)..."
        # No --locked: the CLI's own lock file names a webpki-roots release the mirror lacks.
        cargo install wasm-bindgen-cli --version "$wbg_version" ||
            { fail "cargo install wasm-bindgen-cli --version $wbg_version"; return 1; }
        step "wasm-bindgen-cli $wbg_version" "installed"
    fi

    # 4. Chromium and its WebDriver (for the wasm tests and the end-to-end tests).
    if [[ -x "$chromium_bin" && -x "$chromedriver_bin" ]]; then
        step "chromium + chromedriver" "already present"
    else
        command -v apt-get >/dev/null || { fail "$chromium_bin or $chromedriver_bin missing and no apt-get"; return 1; }
        local sudo=""
        [[ "$(id -u)" == 0 ]] || sudo="sudo"
        echo "[setup] installing chromium and chromium-driver with apt-get (about 1 minute)..."
        $sudo apt-get update -q || { fail "apt-get update"; return 1; }
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver ||
            { fail "apt-get install chromium chromium-driver"; return 1; }
        [[ -x "$chromium_bin" && -x "$chromedriver_bin" ]] ||
            { fail "apt-get finished but $chromium_bin or $chromedriver_bin is still missing"; return 1; }
        step "chromium + chromedriver" "installed"
    fi

    # 5. Node packages: playwright-core (drives /usr/bin/chromium; never downloads a browser),
    #    binaryen (wasm-opt 132, used by trunk), and esbuild, CodeMirror and KaTeX, which
    #    scripts/build-vendor.sh bundles into the page (esbuild's binary is the npm package
    #    @esbuild/linux-x64, so nothing is downloaded from elsewhere).
    if [[ -f package-lock.json ]]; then
        if [[ -f node_modules/.package-lock.json ]] &&
            [[ ! package-lock.json -nt node_modules/.package-lock.json ]] &&
            [[ -x node_modules/.bin/wasm-opt && -d node_modules/playwright-core ]] &&
            [[ -x node_modules/esbuild/bin/esbuild && -d node_modules/katex && -d node_modules/@codemirror/view ]]; then
            step "npm packages" "already present"
        else
            npm ci --no-audit --no-fund --loglevel=error || { fail "npm ci"; return 1; }
            step "npm packages" "installed"
        fi
    else
        npm install --no-audit --no-fund --loglevel=error || { fail "npm install"; return 1; }
        step "npm packages" "installed (wrote package-lock.json)"
    fi
    [[ "$(wasm-opt --version 2>/dev/null)" == *"version 132"* ]] ||
        { fail "wasm-opt on PATH is not binaryen 132: $(command -v wasm-opt) $(wasm-opt --version 2>&1)"; return 1; }

    # 6. Crate sources, so trunk (offline = true) and the tests never reach the network.
    cargo fetch --quiet || { fail "cargo fetch"; return 1; }
    step "cargo fetch" "done"
}

started=$SECONDS
flowlab_setup || exit 1
echo "[setup] ready in $((SECONDS - started)) s"
