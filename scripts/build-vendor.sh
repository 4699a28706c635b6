#!/usr/bin/env bash
# Builds the page's third-party JavaScript from npm packages (node_modules, installed by
# scripts/setup.sh with `npm ci`): the code editor (CodeMirror 6) and math typesetting (KaTeX),
# bundled from www/bundle/editor.js. Nothing is loaded from a CDN.
#
# trunk runs this as a build hook (Trunkfile.toml, [[hooks]]) on every `trunk build` and every
# rebuild of `trunk serve`, with TRUNK_STAGING_DIR and TRUNK_PROFILE set. By hand:
#
#   scripts/build-vendor.sh [OUT_DIR]        (default: $TRUNK_STAGING_DIR)
#
# Writes into OUT_DIR/vendor/ (never into www/, which `trunk serve` watches):
#   editor.js       esbuild bundle of www/bundle/editor.js and its imports (ES module; minified
#                   for release, with a linked source map for debug);
#   LICENSES.txt    the licence of every npm package in the bundle;
#   katex/katex.min.css and katex/fonts/*.woff2
#                   KaTeX's stylesheet, its font list cut down to woff2 (every current browser
#                   reads it), so no request can go to a .woff or .ttf that is not there.
# Offline; a quarter of a second, so it simply runs every time. Any failure stops the build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() {
    printf '[vendor] FAILED: %s\n' "$1" >&2
    exit 1
}
say() { printf '[vendor] %s\n' "$1" >&2; }

OUT="${1:-${TRUNK_STAGING_DIR:-}}"
[[ -n "$OUT" ]] || fail "no output folder: run by trunk (TRUNK_STAGING_DIR), or give one: scripts/build-vendor.sh OUT_DIR"
[[ -d "$OUT" ]] || fail "the output folder $OUT does not exist"

PROFILE="${TRUNK_PROFILE:-release}"
case "$PROFILE" in
    release) MODE=(--minify --legal-comments=none) ;;
    debug) MODE=(--sourcemap=linked) ;;
    *) fail "TRUNK_PROFILE must be release or debug, but is '$PROFILE'" ;;
esac

ENTRY="www/bundle/editor.js"
ESBUILD="node_modules/esbuild/bin/esbuild"
KATEX="node_modules/katex/dist"
[[ -x "$ESBUILD" && -f "$KATEX/katex.min.css" && -d node_modules/@codemirror/view ]] ||
    fail "esbuild, katex or @codemirror/* missing from node_modules: run scripts/setup.sh (npm ci)"
[[ -f "$ENTRY" ]] || fail "$ENTRY is missing"

VENDOR="$OUT/vendor"
rm -rf "$VENDOR"
mkdir -p "$VENDOR/katex/fonts"

# 1. The bundle. Targets: browsers with ES modules, import.meta and the syntax CodeMirror uses.
META="$(mktemp -t flowlab-vendor-meta.XXXXXX)"
trap 'rm -f "$META"' EXIT
say "esbuild $ENTRY -> vendor/editor.js ($PROFILE)"
"$ESBUILD" "$ENTRY" --bundle --format=esm --target=es2020,chrome100,firefox100,safari15 "${MODE[@]}" \
    --banner:js="/* flowlab vendor bundle; the licences of its npm packages: LICENSES.txt */" \
    --charset=utf8 --log-level=warning "--metafile=$META" "--outfile=$VENDOR/editor.js" ||
    fail "esbuild $ENTRY"

# 2. The licences of the bundled packages (the minified bundle drops their comments).
# Reads esbuild's metafile ($1), writes $2.
write_licences() {
    node --input-type=commonjs - "$1" "$2" <<'EOF'
const { readFileSync, writeFileSync, readdirSync } = require("node:fs");
const [meta, out] = process.argv.slice(2);
const dirs = new Set();
// Only the modules that left code in the output: tree-shaken ones are not shipped.
for (const output of Object.values(JSON.parse(readFileSync(meta, "utf8")).outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (match && bytesInOutput > 0) dirs.add(match[1]);
  }
}
const parts = [...dirs].sort().map((dir) => {
  const { name, version, license } = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  if (!file) throw new Error(`${name} has no licence file`);
  return `${name} ${version} (${license})\n\n${readFileSync(`${dir}/${file}`, "utf8").trim()}\n`;
});
writeFileSync(out, `Packages bundled into editor.js\n\n${parts.join(`\n${"-".repeat(72)}\n\n`)}`);
EOF
}
write_licences "$META" "$VENDOR/LICENSES.txt" || fail "collecting the licences of the bundled packages"

# 3. KaTeX's stylesheet with only its woff2 fonts; check that every url() in it is there.
sed -E 's#,url\(fonts/[A-Za-z0-9_-]+\.woff\) format\("woff"\),url\(fonts/[A-Za-z0-9_-]+\.ttf\) format\("truetype"\)##g' \
    "$KATEX/katex.min.css" >"$VENDOR/katex/katex.min.css"
cp "$KATEX"/fonts/*.woff2 "$VENDOR/katex/fonts/"
URLS="$(grep -o 'url([^)]*)' "$VENDOR/katex/katex.min.css" | sed -E 's/^url\(//; s/\)$//' | sort -u)"
[[ -n "$URLS" ]] || fail "no url() left in katex.min.css: has KaTeX's stylesheet changed?"
while read -r url; do
    [[ "$url" == fonts/*.woff2 && -f "$VENDOR/katex/$url" ]] ||
        fail "katex.min.css refers to '$url', not a copied woff2 font: check the sed above against KaTeX's CSS"
done <<<"$URLS"

BUNDLE_SIZE="$(wc -c <"$VENDOR/editor.js") bytes, $(gzip -c "$VENDOR/editor.js" | wc -c) gzipped"
KATEX_SIZE="$(du -sb "$VENDOR/katex" | cut -f1) bytes, $(wc -l <<<"$URLS") fonts"
say "wrote vendor/editor.js ($BUNDLE_SIZE), LICENSES.txt and katex/ ($KATEX_SIZE) in $OUT"
