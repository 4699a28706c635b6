// The Transport view in headless Chromium, driven the way a person drives it: click Train,
// Pause, open a shared link. Samples are judged through window.flowlab, not by reading pixels.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

const DIST = fileURLToPath(new URL("../../dist", import.meta.url));
const SHOTS = process.env.FLOWLAB_SCREENSHOT_DIR ?? "/tmp";

/** Opens the page at `hash` and waits until the view has drawn its first (untrained) model. */
async function open(page, url, hash = "") {
  await page.goto("about:blank"); // a real load, as when a link is opened, not a hash change
  await page.goto(`${url}${hash}`);
  await page.waitForFunction(() => document.getElementById("status").dataset.state !== "loading", null, { timeout: 30_000 });
  await page.waitForSelector("#transport:not([hidden])", { timeout: 10_000 });
  await page.waitForFunction(() => document.getElementById("quality").textContent !== "", null, { timeout: 30_000 });
}

/** Sliced W2 between the view's samples and fresh data from the engine, computed in the page. */
function sampleQuality(page) {
  return page.evaluate(async () => {
    const f = window.flowlab;
    const samples = await f.sample({ n: 2000, steps: 100, solver: "euler", seed: 11 });
    const data = await f.datasetSamples({ name: f.config.dataset, n: 2000, seed: 12 });
    return { w2: await f.slicedW2({ a: samples, b: data }), type: samples.constructor.name, length: samples.length };
  });
}

describe("the Transport view", () => {
  let server;
  let browser;
  let page;

  before(async () => {
    assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html is missing: run trunk build first`);
    server = await serve(DIST);
    browser = await launch();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("Train moves the progress and the loss curve, and the samples become moons", async () => {
    await open(page, server.url, "#steps=1500");
    assert.deepEqual(browser.errors, []);
    const untrained = await sampleQuality(page);
    assert.equal(untrained.type, "Float32Array");
    assert.equal(untrained.length, 4000);
    await page.click("#train");
    await page.waitForFunction(() => window.flowlab.step > 0, null, { timeout: 10_000 });
    const midway = await page.evaluate(() => ({
      progress: Number(document.getElementById("progress").value),
      text: document.getElementById("progress-text").textContent,
    }));
    assert.ok(midway.progress > 0, "the progress bar moved");
    assert.match(midway.text, /Iteration [\d,]+ of 1,500 · [\d,]+ steps\/s/);
    await page.waitForFunction(() => !window.flowlab.training && window.flowlab.step === 1500, null, { timeout: 60_000 });
    const trained = await sampleQuality(page);
    assert.ok(trained.w2 < 0.1, `sliced W2 after training ${trained.w2} (untrained ${untrained.w2})`);
    assert.ok(trained.w2 < untrained.w2 / 3);
    const readout = await page.textContent("#quality");
    const [, shown, floor] = readout.match(/Sliced W2 to fresh data: (0\.\d{3}) \(a perfect sampler: (0\.\d{3})\)/);
    assert.ok(Number(floor) > 0.01 && Number(floor) < 0.03, `floor ${floor}`);
    assert.ok(Number(shown) < 0.1, `readout ${shown}`);
    const losses = await page.evaluate(() => window.flowlab.losses.length);
    assert.equal(losses, 1500);
    await page.screenshot({ path: `${SHOTS}/flowlab-transport.png`, fullPage: true });
    assert.deepEqual(browser.errors, []);
  });

  test("Pause stops the iterations and Continue resumes them", async () => {
    await open(page, server.url, "#steps=20000");
    await page.click("#train");
    await page.waitForFunction(() => window.flowlab.step > 200, null, { timeout: 20_000 });
    await page.click("#pause");
    await page.waitForFunction(() => !window.flowlab.training, null, { timeout: 5_000 });
    const paused = await page.evaluate(() => window.flowlab.step);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.flowlab.step), paused, "no step after Pause");
    assert.equal(await page.textContent("#train"), "Continue");
    await page.click("#train");
    await page.waitForFunction((p) => window.flowlab.step > p + 50, paused, { timeout: 10_000 });
    await page.click("#pause");
  });

  test("the page answers a click within 100 ms while training", async () => {
    await open(page, server.url, "#steps=20000");
    await page.click("#train");
    await page.waitForFunction(() => window.flowlab.step > 100, null, { timeout: 20_000 });
    const delays = [];
    for (let i = 0; i < 5; i++) {
      await page.evaluate(() => {
        const button = document.getElementById("play");
        button.addEventListener("click", (e) => (window.__clickDelay = performance.now() - e.timeStamp), { once: true });
      });
      await page.click("#play");
      delays.push(await page.evaluate(() => window.__clickDelay));
      await page.waitForTimeout(150);
    }
    assert.ok(await page.evaluate(() => window.flowlab.training), "still training while clicked");
    assert.ok(Math.max(...delays) < 100, `click handled after ${delays.map((d) => d.toFixed(1)).join(", ")} ms`);
    await page.click("#pause");
  });

  test("a link with settings restores them in the form and the model", async () => {
    await open(page, server.url, "#dataset=circles&lr=0.005&seed=3&batch=128&solver=rk4");
    const form = await page.evaluate(() => ({
      dataset: document.getElementById("set-dataset").value,
      lr: document.getElementById("set-lr").value,
      seed: document.getElementById("set-seed").value,
      batch: document.getElementById("set-batch").value,
      solver: document.getElementById("set-solver").value,
      config: window.flowlab.config,
    }));
    assert.deepEqual(
      [form.dataset, form.lr, form.seed, form.batch, form.solver],
      ["circles", "0.005", "3", "128", "rk4"],
    );
    assert.equal(form.config.dataset, "circles");
    assert.equal(form.config.lr, 0.005);
    assert.equal(await page.isVisible("#hash-notice"), false);
  });

  test("changing a setting writes it to the URL", async () => {
    await open(page, server.url);
    await page.selectOption("#set-dataset", "spirals");
    await page.waitForFunction(() => location.hash.includes("dataset=spirals"), null, { timeout: 5_000 });
    assert.equal(await page.evaluate(() => window.flowlab.config.dataset), "spirals");
  });

  test("a malformed or hostile hash falls back to defaults with a visible notice", async () => {
    await open(page, server.url, "#lr=abc&batch=-4&dataset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&__proto__=1&%E0%A4%A=2");
    assert.equal(await page.isVisible("#hash-notice"), true);
    const notice = await page.textContent("#hash-notice");
    assert.match(notice, /lr/);
    assert.equal(await page.locator("#hash-notice img").count(), 0, "nothing from the hash is parsed as HTML");
    const config = await page.evaluate(() => window.flowlab.config);
    assert.equal(config.dataset, "moons");
    assert.equal(config.lr, 0.01);
    assert.equal(await page.getAttribute("#status", "data-state"), "ready");
  });

  test("a phone-sized screen stacks the plots under the controls", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, server.url, "#steps=300");
    const [controls, figures] = await Promise.all([page.locator("#controls").boundingBox(), page.locator("#transport .figures").boundingBox()]);
    assert.ok(figures.y > controls.y + controls.height - 1, "plots below the controls");
    assert.ok(figures.width <= 390);
    await page.screenshot({ path: `${SHOTS}/flowlab-transport-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 900, height: 640 });
  });
});
