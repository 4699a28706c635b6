// The bundled editor and math (vendor/editor.js, built by scripts/build-vendor.sh): a Python
// editor with highlighting, run keys, indentation and error marks, and KaTeX typesetting whose
// stylesheet and fonts come from the page's own server. No page uses them yet, so the test
// serves its own small page from the dist/ server's origin (page.route) and imports the bundle.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

const DIST = fileURLToPath(new URL("../../dist", import.meta.url));
const SCREENSHOT = process.env.FLOWLAB_SCREENSHOT ?? "/tmp/flowlab-editor.png";
const PAGE = "editor-test.html";

const CODE = 'def velocity(x, t):\n    """Straight paths."""\n    return x * (1 - t)  # u_t\n';
const MATH =
  "The velocity $u_\\theta(x, t)$ carries $$x_t = (1 - t)\\,x_0 + t\\,x_1$$ and costs $5 and $10, " +
  "a \\$ sign, <code>$not math$</code>";

/** The test page: the site's stylesheet (for its light and dark colours), the editor, a button after it. */
function testPage(css) {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>editor test</title>
    ${css ? `<link rel="stylesheet" href="/${css}">` : ""}
    <script type="module">
      import * as vendor from "/vendor/editor.js";
      window.vendor = vendor;
      window.runs = 0;
      window.changes = [];
      window.editor = vendor.createEditor(document.getElementById("editor"), {
        doc: ${JSON.stringify(CODE)},
        onRun: () => window.runs++,
        onChange: (text) => window.changes.push(text),
        label: "Code cell 1",
      });
      document.body.dataset.ready = "yes";
    </script>
  </head>
  <body>
    <main>
      <div id="editor"></div>
      <button type="button" id="after">after</button>
      <p id="math">${MATH}</p>
    </main>
  </body>
</html>`;
}

/** The editor's text. */
const text = (page) => page.evaluate(() => window.editor.text);

/** Replaces the text, puts the cursor at `at` (default: the end) and focuses the editor. */
async function reset(page, doc, at) {
  await page.evaluate(
    ({ doc, at }) => {
      const { editor } = window;
      editor.setText(doc);
      editor.view.dispatch({ selection: { anchor: at ?? doc.length } });
      editor.focus();
    },
    { doc, at },
  );
}

/** Colour and style of the first token whose text is `token`, and the editor's text colour. */
function tokenStyle(page, token) {
  return page.evaluate((token) => {
    const span = [...document.querySelectorAll(".cm-line span")].find((s) => s.textContent === token);
    if (!span) return null;
    const style = getComputedStyle(span);
    return {
      color: style.color,
      fontStyle: style.fontStyle,
      text: getComputedStyle(document.querySelector(".cm-content")).color,
    };
  }, token);
}

describe("the vendor bundle: code editor and math", () => {
  let server;
  let browser;
  let page;
  const foreign = [];

  before(async () => {
    assert.ok(
      existsSync(`${DIST}/vendor/editor.js`),
      `${DIST}/vendor/editor.js is missing: build it first with \`trunk build --config Trunkfile.toml\``,
    );
    const css = readFileSync(`${DIST}/index.html`, "utf8").match(/href="\/(flowlab-[0-9a-f]+\.css)"/)?.[1];
    server = await serve(DIST);
    browser = await launch();
    page = browser.page;
    // Everything must come from the page's own server: no CDN, no font service.
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !/^(data|about|blob):/.test(url)) foreign.push(url);
    });
    await page.route(`${server.url}${PAGE}`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: testPage(css) }),
    );
    await page.goto(`${server.url}${PAGE}`);
    await page.waitForSelector("body[data-ready] .cm-editor", { timeout: 10_000 });
  });

  // Runs even when before() failed, so the server never keeps node --test alive.
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the bundle loads as an ES module with its three exports", async () => {
    const exports = await page.evaluate(() => Object.keys(window.vendor).sort());
    assert.deepEqual(exports, ["createEditor", "renderMath", "renderTex"]);
    assert.deepEqual(browser.errors, []);
  });

  test("shows line numbers, the label, and highlighted Python in light and dark", async () => {
    const shown = await page.evaluate(() => ({
      lines: [...document.querySelectorAll(".cm-lineNumbers .cm-gutterElement")].map((e) => e.textContent),
      label: document.querySelector(".cm-content").getAttribute("aria-label"),
    }));
    assert.deepEqual(shown.lines.slice(-4), ["1", "2", "3", "4"]);
    assert.equal(shown.label, "Code cell 1");

    const light = {};
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const keyword = await tokenStyle(page, "def");
      const control = await tokenStyle(page, "return");
      const string = await tokenStyle(page, '"""Straight paths."""');
      const comment = await tokenStyle(page, "# u_t");
      for (const [name, token] of Object.entries({ keyword, control, string, comment })) {
        assert.ok(token, `${scheme}: no highlighted span for the ${name}`);
        assert.notEqual(token.color, token.text, `${scheme}: the ${name} is not coloured`);
      }
      assert.equal(keyword.color, control.color, "keywords share one colour");
      assert.notEqual(string.color, keyword.color);
      assert.equal(comment.fontStyle, "italic");
      await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, `-${scheme}.png`) });
      if (scheme === "light") Object.assign(light, { keyword, string });
      else {
        assert.notEqual(keyword.color, light.keyword.color, "dark mode has its own keyword colour");
        assert.notEqual(string.color, light.string.color, "dark mode has its own string colour");
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  test("Shift+Enter and Ctrl+Enter call onRun and insert nothing", async () => {
    await reset(page, "x = 1", 2);
    const runs = await page.evaluate(() => window.runs);
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.press("Control+Enter");
    assert.equal(await page.evaluate(() => window.runs), runs + 2);
    assert.equal(await text(page), "x = 1");
  });

  test("Tab and Shift+Tab indent by 4 spaces; Enter after a colon indents the next line", async () => {
    await reset(page, "x = 1", 0);
    await page.keyboard.press("Tab");
    assert.equal(await text(page), "    x = 1");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await text(page), "x = 1");

    await reset(page, "def f(x):");
    await page.keyboard.press("Enter");
    await page.keyboard.type("return (x");
    assert.equal(await text(page), "def f(x):\n    return (x)", "brackets close themselves");
  });

  test("Escape then Tab leaves the editor (keyboard users are never trapped)", async () => {
    await reset(page, "x = 1", 0);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "after");
    assert.equal(await text(page), "x = 1");
  });

  test("markError marks a line until the next edit; markError(null) clears it", async () => {
    await reset(page, "a = 1\nb = c\nprint(b)", 0);
    const marks = () =>
      page.evaluate(() => ({
        lines: [...document.querySelectorAll(".cm-line")].flatMap((line, i) =>
          line.classList.contains("cm-error-line") ? [{ line: i + 1, title: line.title }] : [],
        ),
        gutter: [...document.querySelectorAll(".cm-lineNumbers .cm-error-gutter")].map((e) => e.textContent),
      }));

    await page.evaluate(() => window.editor.markError(2, "NameError: name 'c' is not defined"));
    assert.deepEqual(await marks(), {
      lines: [{ line: 2, title: "NameError: name 'c' is not defined" }],
      gutter: ["2"],
    });
    await page.keyboard.type("#");
    assert.deepEqual(await marks(), { lines: [], gutter: [] }, "an edit clears the mark");

    await page.evaluate(() => window.editor.markError(99, "past the end"));
    assert.deepEqual((await marks()).lines, [{ line: 3, title: "past the end" }], "clamped to the last line");
    await page.evaluate(() => window.editor.markError(null));
    assert.deepEqual(await marks(), { lines: [], gutter: [] });
  });

  test("setText is one undo step, and onChange sees every change", async () => {
    await reset(page, "");
    await page.evaluate(() => (window.changes.length = 0));
    await page.keyboard.type("abc");
    await page.evaluate(() => window.editor.setText("x = 2"));
    assert.equal(await text(page), "x = 2");
    assert.deepEqual(await page.evaluate(() => window.changes), ["a", "ab", "abc", "x = 2"]);
    await page.keyboard.press("Control+z");
    assert.equal(await text(page), "abc", "undo takes back the whole setText, not the typing");
    // "Z", as a real keyboard sends it with Shift: CodeMirror reads Ctrl + Shift + "z" as Ctrl-z.
    await page.keyboard.press("Control+Shift+Z");
    assert.equal(await text(page), "x = 2", "redo");
  });

  test("renderMath typesets $...$ and $$...$$ and leaves prices, \\$ and code alone", async () => {
    const result = await page.evaluate(() => {
      const p = document.getElementById("math");
      const first = window.vendor.renderMath(p);
      const second = window.vendor.renderMath(p);
      return {
        first,
        second,
        katex: p.querySelectorAll(".katex").length,
        display: p.querySelectorAll(".katex-display").length,
        tex: [...p.querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent),
        code: p.querySelector("code").textContent,
        text: p.textContent,
        stylesheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.href).pathname),
      };
    });
    assert.equal(result.first, 2);
    assert.equal(result.second, 0, "a second pass finds nothing new");
    assert.equal(result.katex, 2);
    assert.equal(result.display, 1);
    assert.deepEqual(result.tex, ["u_\\theta(x, t)", "x_t = (1 - t)\\,x_0 + t\\,x_1"]);
    assert.equal(result.code, "$not math$");
    assert.match(result.text, /costs \$5 and \$10, a \$ sign/);
    assert.equal(result.stylesheets.filter((path) => path === "/vendor/katex/katex.min.css").length, 1);
  });

  test("renderTex returns KaTeX's HTML; bad TeX shows an error instead of throwing", async () => {
    const result = await page.evaluate(() => ({
      inline: window.vendor.renderTex("p_t(x)"),
      display: window.vendor.renderTex("\\int_0^1 u\\,dt", { display: true }),
      bad: window.vendor.renderTex("\\frac{1}{"),
    }));
    assert.match(result.inline, /class="katex"/);
    assert.doesNotMatch(result.inline, /katex-display/);
    assert.match(result.display, /class="katex-display"/);
    assert.match(result.bad, /katex-error/);
  });

  test("KaTeX's stylesheet and woff2 fonts load from the page's server, with no 404", async () => {
    // Fonts load once the math is laid out; KaTeX_Math italic draws the u of u_theta.
    await page.waitForFunction(
      () => [...document.fonts].some((f) => f.family.replace(/"/g, "") === "KaTeX_Math" && f.status === "loaded"),
      null,
      { timeout: 10_000 },
    );
    await page.evaluate(() => document.fonts.ready);
    const fonts = server.requests.filter((path) => path.startsWith("/vendor/katex/fonts/"));
    assert.ok(fonts.includes("/vendor/katex/fonts/KaTeX_Math-Italic.woff2"), `font requests: ${fonts.join(", ")}`);
    assert.ok(
      fonts.every((path) => path.endsWith(".woff2")),
      `only woff2 fonts are requested: ${fonts.join(", ")}`,
    );
    assert.ok(server.requests.includes("/vendor/katex/katex.min.css"));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(foreign, [], "requests that left the page's server");
    assert.deepEqual(browser.errors, []);
  });

  test("destroy removes the editor", async () => {
    const left = await page.evaluate(() => {
      window.editor.destroy();
      return document.querySelectorAll(".cm-editor").length;
    });
    assert.equal(left, 0);
  });
});
