// The two wasm modules: the Transport view (and every call but flowlab.run) runs on the engine's
// wasm alone and never downloads the lab module; the first flowlab.run downloads it once (lab.json,
// its glue, its wasm), a cell stopped while it loads ends as any stopped cell, and a lab module
// that cannot be loaded fails the cell with a clear error, not the engine. Requests are watched
// where they arrive: on the test's own server.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

const DIST = fileURLToPath(new URL("../../dist", import.meta.url));

const ENGINE_WASM = /^\/flowlab-[0-9a-f]+_bg\.wasm$/;
const LAB = /lab\.json$|flowlab-lab-/;
const LAB_FILES = {
  manifest: /^\/lab\.json$/,
  glue: /^\/flowlab-lab-[0-9a-f]+\.js$/,
  wasm: /^\/flowlab-lab-[0-9a-f]+_bg\.wasm$/,
};
/** The lab wasm's full URL, for page.route. */
const LAB_WASM_URL = /\/flowlab-lab-[0-9a-f]+_bg\.wasm$/;

/** How many requests for each of the lab module's three files. */
function labRequests(requests) {
  const count = (re) => requests.filter((path) => re.test(path)).length;
  return Object.fromEntries(Object.entries(LAB_FILES).map(([name, re]) => [name, count(re)]));
}

/** Opens the page afresh (a real load, a new worker), with the request log emptied first. */
async function open(page, server, hash = "") {
  await page.goto("about:blank");
  server.requests.length = 0;
  await page.goto(`${server.url}${hash}`);
  await page.waitForFunction(() => document.getElementById("status").dataset.state !== "loading", null, { timeout: 30_000 });
  assert.equal(await page.getAttribute("#status", "data-state"), "ready");
}

/** Runs a cell in the page -> {text, figures, error}, or {rejected: message, name}. */
function run(page, code) {
  return page.evaluate(
    (code) => window.flowlab.run(code).catch((error) => ({ rejected: error.message, name: error.name })),
    code,
  );
}

const DRAW = "import torch\nprint(torch.rand(3).tolist())";

describe("the lab module, loaded on first use", () => {
  let server;
  let browser;
  let page;

  before(async () => {
    assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html is missing: run trunk build first`);
    const manifest = JSON.parse(readFileSync(`${DIST}/lab.json`, "utf8"));
    assert.match(`/${manifest.glue}`, LAB_FILES.glue, "dist/lab.json names the lab glue");
    assert.match(`/${manifest.wasm}`, LAB_FILES.wasm, "dist/lab.json names the lab wasm");
    server = await serve(DIST);
    browser = await launch();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the Transport view trains and samples without ever fetching the lab module", async () => {
    await open(page, server, "#steps=300");
    await page.waitForFunction(() => document.getElementById("quality").textContent !== "", null, { timeout: 30_000 });
    await page.click("#train");
    await page.waitForFunction(() => !window.flowlab.training && window.flowlab.step === 300, null, { timeout: 60_000 });
    const calls = await page.evaluate(async () => {
      const f = window.flowlab;
      const samples = await f.sample({ n: 200, steps: 20 });
      // The lab language's other calls need no interpreter before the first cell.
      return { samples: samples.length, names: await f.names(), stopped: await f.stop(), reset: await f.resetNamespace(5) };
    });
    assert.deepEqual(calls, { samples: 400, names: [], stopped: false, reset: undefined });
    assert.ok(server.requests.some((p) => ENGINE_WASM.test(p)), `the engine's wasm was fetched: ${server.requests.join(" ")}`);
    assert.deepEqual(server.requests.filter((p) => LAB.test(p)), [], "no lab module request");
    assert.deepEqual(server.requests.filter((p) => p.startsWith("/vendor/")), [], "no editor bundle request");
    assert.deepEqual(browser.errors, []);
  });

  test("the first flowlab.run fetches the lab module once; later cells reuse it", async () => {
    // Same page as above: resetNamespace(5) came before the first cell, so its draws start from 5.
    const first = await run(page, DRAW);
    assert.equal(first.error, null, JSON.stringify(first));
    assert.deepEqual(labRequests(server.requests), { manifest: 1, glue: 1, wasm: 1 });
    assert.deepEqual(await run(page, "print(1 + 1)"), { text: "2\n", figures: [], error: null });
    await page.evaluate(() => window.flowlab.resetNamespace(5));
    assert.equal((await run(page, DRAW)).text, first.text, "the namespace started from the seed given before it existed");
    assert.deepEqual(labRequests(server.requests), { manifest: 1, glue: 1, wasm: 1 }, "loaded once");
    assert.deepEqual(browser.errors, []);
  });

  test("a cell stopped while the lab module loads ends with KeyboardInterrupt; a second cell is refused", async () => {
    await open(page, server);
    const outcome = await page.evaluate(async () => {
      const f = window.flowlab;
      const first = f.run("print('ran')\nx = 1");
      const second = f.run("print('second')").then(
        () => "resolved",
        (error) => error.message,
      );
      const stopped = await f.stop();
      return { stopped, first: await first, second: await second, names: await f.names() };
    });
    assert.equal(outcome.stopped, true);
    assert.equal(outcome.first.text, "");
    assert.equal(outcome.first.error?.kind, "KeyboardInterrupt");
    assert.match(outcome.second, /already running/);
    assert.deepEqual(outcome.names, []);
    assert.deepEqual(await run(page, "print('next')"), { text: "next\n", figures: [], error: null });
    assert.deepEqual(labRequests(server.requests), { manifest: 1, glue: 1, wasm: 1 });
    assert.deepEqual(browser.errors, []);
  });

  test("a lab module that cannot load fails the cell, not the engine, and the next cell loads it", async () => {
    const other = await browser.page.context().newPage();
    try {
      await other.route(LAB_WASM_URL, (route) => route.fulfill({ status: 404, body: "gone" }));
      await open(other, server);
      const failed = await run(other, "print(1)");
      assert.equal(failed.name, "LabLoadError");
      assert.match(failed.rejected, /^the lab language could not be loaded: /);
      // The page says so in its banner, which can be dismissed: the engine still works.
      await other.waitForSelector("#error-banner:not([hidden])", { timeout: 5_000 });
      assert.equal(await other.textContent("#error-title"), "The lab language could not be loaded.");
      assert.equal(await other.isVisible("#dismiss-error"), true);
      assert.equal(await other.getAttribute("#status", "data-state"), "ready");
      assert.match(await other.evaluate(() => window.flowlab.version()), /^\d+\.\d+\.\d+/);
      const points = await other.evaluate(async () => (await window.flowlab.datasetSamples({ name: "moons", n: 5, seed: 1 })).length);
      assert.equal(points, 10);

      await other.unroute(LAB_WASM_URL);
      await other.click("#dismiss-error");
      assert.deepEqual(await run(other, "print(1)"), { text: "1\n", figures: [], error: null });
      assert.equal(await other.isVisible("#error-banner"), false);
    } finally {
      await other.close();
    }
  });
});
