// The built page boots in headless Chromium: the engine starts in its worker, answers calls,
// reports bad input without dying, and comes back after a crash through "Restart engine".
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = `${ROOT}dist`;
const SCREENSHOT = process.env.FLOWLAB_SCREENSHOT ?? "/tmp/flowlab-boot.png";
const CRATE_VERSION = readFileSync(`${ROOT}crate/Cargo.toml`, "utf8").match(/^version\s*=\s*"([^"]+)"/m)[1];

/** Waits until the status line leaves "loading"; returns {state, text}. */
async function settledStatus(page) {
  await page.waitForFunction(() => document.getElementById("status").dataset.state !== "loading", null, {
    timeout: 30_000,
  });
  return page.evaluate(() => {
    const status = document.getElementById("status");
    return { state: status.dataset.state, text: status.textContent };
  });
}

/** Summarises a Float32Array inside the page, so no typed array has to cross to node. */
async function samplesSummary(page, args) {
  return page.evaluate(async (args) => {
    const xs = await window.flowlab.datasetSamples(args);
    let [min, max, finite] = [Infinity, -Infinity, true];
    for (const v of xs) {
      finite &&= Number.isFinite(v);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return { type: xs.constructor.name, length: xs.length, min, max, finite };
  }, args);
}

describe("the built page", () => {
  let server;
  let browser;
  let page;

  before(async () => {
    assert.ok(
      existsSync(`${DIST}/index.html`),
      `${DIST}/index.html is missing: build it first with \`trunk build --config Trunkfile.toml\``,
    );
    server = await serve(DIST);
    browser = await launch();
    page = browser.page;
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("boots without a console error and says the engine is ready", async () => {
    const status = await settledStatus(page);
    assert.equal(status.state, "ready", `status: ${status.text}`);
    assert.equal(status.text, `Engine ready (flowlab v${CRATE_VERSION})`);
    assert.equal(await page.evaluate(() => window.flowlab.version()), CRATE_VERSION);
    assert.equal(await page.isVisible("#error-banner"), false);
    await page.waitForSelector("#transport:not([hidden])", { timeout: 10_000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(browser.errors, []);
  });

  test("the page itself never instantiates the wasm: only the worker does", async () => {
    const onPage = await page.evaluate(() => ({
      trunkScript: [...document.scripts].some((s) => s.textContent.includes("import init")),
      wasmGlobals: ["wasmBindings", "wasm"].filter((name) => name in window),
    }));
    assert.deepEqual(onPage, { trunkScript: false, wasmGlobals: [] });
  });

  test("datasetSamples returns (n, 2) finite points of the two moons", async () => {
    const summary = await samplesSummary(page, { name: "moons", n: 500, noise: 0.05, seed: 1 });
    assert.equal(summary.type, "Float32Array");
    assert.equal(summary.length, 1000);
    assert.ok(summary.finite, "every coordinate is finite");
    assert.ok(summary.min >= -2 && summary.max <= 3, `range [${summary.min}, ${summary.max}]`);
  });

  test("an unknown data set rejects with the valid names, and the engine keeps working", async () => {
    const message = await page.evaluate(() =>
      window.flowlab.datasetSamples({ name: "bananas", n: 10, noise: 0.1, seed: 1 }).then(
        () => "resolved",
        (error) => error.message,
      ),
    );
    assert.match(message, /bananas/);
    assert.match(message, /moons/);
    assert.equal(await page.getAttribute("#status", "data-state"), "ready");
    assert.equal(await page.isVisible("#error-banner"), false);
    assert.equal(await page.evaluate(() => window.flowlab.version()), CRATE_VERSION);
  });

  test("a pipeline trains, samples and reports its velocity field through the worker", async () => {
    const result = await page.evaluate(async () => {
      const shape = (xs) => ({ type: xs.constructor.name, length: xs.length, finite: xs.every(Number.isFinite) });
      const p = await window.flowlab.createPipeline({
        dataset: "moons",
        noise: 0.05,
        hidden: [64, 64, 64],
        activation: "elu",
        lr: 1e-3,
        batch: 256,
        seed: 0,
        optimizer: "adam",
      });
      const losses = await p.train(20);
      const step = await p.step();
      const trajectory = await p.sample({ n: 50, solver: "euler", steps: 10, seed: 3 });
      const grid = await p.velocityGrid({ xmin: -2, xmax: 3, ymin: -1.5, ymax: 2, nx: 8, ny: 6, t: 0.5 });
      const quality = await p.quality({ n: 200, seed: 1 });
      await p.free();
      const afterFree = await p.step().then(
        () => "resolved",
        (error) => error.message,
      );
      return { losses: shape(losses), step, trajectory: shape(trajectory), grid: shape(grid), quality, afterFree };
    });
    assert.deepEqual(result.losses, { type: "Float32Array", length: 20, finite: true });
    assert.equal(result.step, 20);
    assert.deepEqual(result.trajectory, { type: "Float32Array", length: 11 * 50 * 2, finite: true });
    assert.deepEqual(result.grid, { type: "Float32Array", length: 6 * 8 * 2, finite: true });
    assert.ok(Number.isFinite(result.quality) && result.quality >= 0, `quality ${result.quality}`);
    assert.match(result.afterFree, /no pipeline/);
  });

  test("a crashed worker shows the error banner, and Restart engine brings it back", async () => {
    const errorsBefore = browser.errors.length;
    await page.evaluate(() => window.flowlab._crashForTest());
    await page.waitForSelector("#error-banner:not([hidden])", { timeout: 10_000 });
    assert.equal(await page.getAttribute("#status", "data-state"), "failed");
    assert.match(await page.textContent("#error-banner"), /crashed on purpose/);
    assert.equal(await page.isVisible("#restart-engine"), true);
    // Calls on a stopped engine reject at once instead of hanging.
    const message = await page.evaluate(() => window.flowlab.version().catch((error) => error.message));
    assert.match(message, /stopped/);
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, "-crashed.png"), fullPage: true });

    await page.click("#restart-engine");
    const status = await settledStatus(page);
    assert.equal(status.state, "ready", `status: ${status.text}`);
    assert.equal(await page.isVisible("#error-banner"), false);
    const summary = await samplesSummary(page, { name: "moons", n: 8, noise: 0, seed: 2 });
    assert.equal(summary.length, 16);
    // The only console noise allowed is the crash itself, reported from the worker.
    const newErrors = browser.errors.slice(errorsBefore).filter((e) => !/crashed on purpose/.test(e));
    assert.deepEqual(newErrors, []);
  });

  test("a worker that cannot load its engine shows the banner, not a blank page", async () => {
    const other = await browser.page.context().newPage();
    try {
      // Serve the page but make the wasm unreachable.
      await other.route(/_bg\.wasm$/, (route) => route.fulfill({ status: 404, body: "gone" }));
      await other.goto(server.url);
      const status = await settledStatus(other);
      assert.equal(status.state, "failed");
      assert.equal(await other.isVisible("#error-banner"), true);
      assert.match(await other.textContent("#error-message"), /could not be loaded/);
    } finally {
      await other.close();
    }
  });
});
