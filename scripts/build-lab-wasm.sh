#!/usr/bin/env bash
# Builds the lab wasm: the engine plus the lab-language interpreter (crate feature "lang"), which
# the page's worker loads only when the first lab cell runs (www/js/worker.js). The page's own
# engine wasm, built by trunk from www/index.html, leaves the interpreter out.
#
# trunk runs this as a build hook (Trunkfile.toml, [[hooks]]) on every `trunk build` and every
# rebuild of `trunk serve`, with TRUNK_STAGING_DIR and TRUNK_PROFILE set. By hand:
#
#   scripts/build-lab-wasm.sh [OUT_DIR]        (default: $TRUNK_STAGING_DIR)
#
# Steps, mirroring what trunk does for the engine (Trunkfile.toml, www/index.html):
#   1. cargo build --lib --target wasm32-unknown-unknown --release --offline
#        --no-default-features --features lang, into its own target dir
#        ($CARGO_TARGET_DIR or target/, then lab-wasm/), so it never overwrites the flowlab.wasm
#        of trunk's engine build;
#   2. wasm-bindgen --target=web --out-name=flowlab-lab --no-typescript (the version pinned in
#      Trunkfile.toml);
#   3. wasm-opt -O3 (binaryen 132 from node_modules/.bin, as Trunkfile.toml pins), release only;
#   4. copies flowlab-lab-HASH.js and flowlab-lab-HASH_bg.wasm (HASH: of their contents) into
#      OUT_DIR and writes OUT_DIR/lab.json: {"glue": "flowlab-lab-HASH.js", "wasm": "..."}
#      (names relative to lab.json).
# Offline. Steps 2 and 3 are skipped when cargo's flowlab.wasm, the tools and the flags are the
# same as last time (their results are kept in the target dir), so a rebuild of `trunk serve`
# that changed nothing in crate/ costs a second or two. Any failure stops the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"

fail() {
    printf '[lab-wasm] FAILED: %s\n' "$1" >&2
    exit 1
}
say() { printf '[lab-wasm] %s\n' "$1" >&2; }

OUT="${1:-${TRUNK_STAGING_DIR:-}}"
[[ -n "$OUT" ]] || fail "no output folder: run by trunk (TRUNK_STAGING_DIR), or give one: scripts/build-lab-wasm.sh OUT_DIR"
[[ -d "$OUT" ]] || fail "the output folder $OUT does not exist"

PROFILE="${TRUNK_PROFILE:-release}"
case "$PROFILE" in
    release) CARGO_PROFILE=(--release) ;;
    debug) CARGO_PROFILE=() ;;
    *) fail "TRUNK_PROFILE must be release or debug, but is '$PROFILE'" ;;
esac
TARGET_DIR="${FLOWLAB_LAB_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/lab-wasm}"
WORK="$TARGET_DIR/flowlab-lab/$PROFILE"
NAME="flowlab-lab"

# The tools, at the versions Trunkfile.toml pins for the engine.
BINDGEN_VERSION="$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' Trunkfile.toml)"
OPT_VERSION="$(sed -n 's/^wasm_opt = "version_\(.*\)"$/\1/p' Trunkfile.toml)"
[[ -n "$BINDGEN_VERSION" && -n "$OPT_VERSION" ]] ||
    fail "could not read [tools] wasm_bindgen and wasm_opt from Trunkfile.toml"
BINDGEN_FOUND="$(wasm-bindgen --version 2>/dev/null || true)"
[[ "$BINDGEN_FOUND" == "wasm-bindgen $BINDGEN_VERSION" ]] ||
    fail "wasm-bindgen $BINDGEN_VERSION is needed, found '${BINDGEN_FOUND:-none}' (scripts/setup.sh installs it)"
OPT_FOUND="$(wasm-opt --version 2>/dev/null || true)"
[[ "$OPT_FOUND" == *"version $OPT_VERSION "* || "$OPT_FOUND" == *"version $OPT_VERSION" ]] ||
    fail "wasm-opt (binaryen) $OPT_VERSION is needed, found '${OPT_FOUND:-none}' (scripts/setup.sh: npm ci)"

# 1. cargo: its own caching makes this quick when crate/ did not change.
say "cargo build --lib --target wasm32-unknown-unknown${CARGO_PROFILE[*]/#/ } --no-default-features --features lang (target dir $TARGET_DIR)"
cargo build --lib --target wasm32-unknown-unknown "${CARGO_PROFILE[@]}" --offline \
    --manifest-path crate/Cargo.toml --no-default-features --features lang --target-dir "$TARGET_DIR" ||
    fail "cargo build of the lab wasm"
CARGO_WASM="$TARGET_DIR/wasm32-unknown-unknown/$PROFILE/flowlab.wasm"
[[ -f "$CARGO_WASM" ]] || fail "cargo finished but $CARGO_WASM is missing"

# 2 and 3, unless their inputs are the same as last time.
BINDGEN_ARGS=(--target=web "--out-name=$NAME" --no-typescript)
OPT_ARGS=(-O3)
[[ "$PROFILE" == release ]] || OPT_ARGS=()
KEY="$(
    {
        sha256sum <"$CARGO_WASM"
        echo "$BINDGEN_FOUND ${BINDGEN_ARGS[*]}"
        echo "$OPT_FOUND ${OPT_ARGS[*]}"
    } | sha256sum | cut -c1-64
)"
GLUE="$WORK/$NAME.js"
WASM="$WORK/${NAME}_bg.wasm"
if [[ -f "$WORK/key" && "$(cat "$WORK/key")" == "$KEY" && -f "$GLUE" && -f "$WASM" ]]; then
    say "wasm-bindgen and wasm-opt: up to date"
else
    rm -rf "$WORK"
    mkdir -p "$WORK/bindgen"
    say "wasm-bindgen ${BINDGEN_ARGS[*]}"
    wasm-bindgen "${BINDGEN_ARGS[@]}" "--out-dir=$WORK/bindgen" "$CARGO_WASM" || fail "wasm-bindgen"
    # trunk would also copy snippets/ (JavaScript the crate inlines): the crate has none, and
    # this script does not handle them.
    [[ ! -e "$WORK/bindgen/snippets" ]] || fail "wasm-bindgen wrote snippets/, which this script does not copy"
    if [[ ${#OPT_ARGS[@]} -gt 0 ]]; then
        say "wasm-opt ${OPT_ARGS[*]}"
        wasm-opt "--output=$WASM" "${OPT_ARGS[@]}" "$WORK/bindgen/${NAME}_bg.wasm" || fail "wasm-opt"
    else
        cp "$WORK/bindgen/${NAME}_bg.wasm" "$WASM"
    fi
    cp "$WORK/bindgen/$NAME.js" "$GLUE"
    echo "$KEY" >"$WORK/key"
fi

# 4. Hashed names, so a browser never mixes an old glue with a new wasm.
HASH="$(cat "$GLUE" "$WASM" | sha256sum | cut -c1-16)"
OUT_GLUE="$NAME-$HASH.js"
OUT_WASM="$NAME-${HASH}_bg.wasm"
cp "$GLUE" "$OUT/$OUT_GLUE"
cp "$WASM" "$OUT/$OUT_WASM"
printf '{"glue": "%s", "wasm": "%s"}\n' "$OUT_GLUE" "$OUT_WASM" >"$OUT/lab.json.tmp"
mv "$OUT/lab.json.tmp" "$OUT/lab.json"
say "wrote $OUT_GLUE, $OUT_WASM ($(wc -c <"$WASM") bytes, $(gzip -c "$WASM" | wc -c) gzipped) and lab.json in $OUT"
