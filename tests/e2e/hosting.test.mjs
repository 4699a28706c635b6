// The release build is a plain folder: served under a sub-path (/course/flowlab/) with no server
// configuration it loads, trains and runs lab cells, and never asks for anything outside that
// path; once loaded (the Lab view included) it works offline, from its service worker's cache
// (www/sw.js, registered by www/js/offline.js).
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launch } from "./browser.mjs";
import { serve } from "./server.mjs";

const DIST = fileURLToPath(new URL("../../dist", import.meta.url));
const PREFIX = "/course/flowlab/";
const LAB = /lab\.json$|flowlab-lab-/;

/** The file names the build wrote: the engine's (the page's JSON block) and the lab module's. */
function builtFiles() {
  const html = readFileSync(`${DIST}/index.html`, "utf8");
  const block = html.match(/<script type="application\/json" id="flowlab-engine">([^<]*)<\/script>/);
  assert.ok(block, "dist/index.html has the flowlab-engine block");
  const engine = JSON.parse(block[1]);
  const lab = JSON.parse(readFileSync(`${DIST}/lab.json`, "utf8"));
  return { html, engine, lab };
}

/** Starts the server and a browser (service workers on, as a visitor has them); always closes both. */
async function withSite(fn) {
  const server = await serve(DIST, { prefix: PREFIX });
  let browser;
  try {
    browser = await launch({ serviceWorkers: "allow" });
    await fn({ server, browser, page: browser.page });
  } finally {
    await browser?.close();
    await server.close();
  }
}

async function waitReady(page) {
  await page.waitForFunction(() => document.getElementById("status").dataset.state !== "loading", null, {
    timeout: 30_000,
  });
  const status = await page.evaluate(() => document.getElementById("status").textContent);
  assert.equal(await page.getAttribute("#status", "data-state"), "ready", `status: ${status}`);
}

/** The paths in the service worker's cache (it answers {type: "cached"}), or null: no controller yet. */
function cachedPaths(page) {
  return page.evaluate(async () => {
    const worker = navigator.serviceWorker.controller;
    if (!worker) return null;
    const channel = new MessageChannel();
    const reply = new Promise((resolve) => {
      channel.port1.onmessage = (event) => resolve(event.data.urls);
    });
    worker.postMessage({ type: "cached" }, [channel.port2]);
    return (await reply).map((url) => new URL(url).pathname);
  });
}

/** Waits until the page is controlled and every path in `paths` is cached; returns the cache's paths. */
async function waitCached(page, paths, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const cached = await cachedPaths(page);
    const missing = paths.filter((path) => !cached?.includes(path));
    if (missing.length === 0) return cached;
    if (Date.now() > end) assert.fail(`not cached after ${timeout} ms: ${missing.join(", ")} (cached: ${cached})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe(`the release build hosted as a plain folder under ${PREFIX}`, () => {
  let files;

  before(() => {
    assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html is missing: run trunk build first`);
    files = builtFiles();
  });

  test("dist/index.html names every file relatively", () => {
    const urls = [...files.html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => match[1]);
    urls.push(files.engine.glue, files.engine.wasm, files.engine.lab);
    assert.ok(urls.length >= 6, urls.join(" "));
    for (const url of urls) assert.match(url, /^\.\/[^/]/, `${url} is relative to the page`);
    assert.ok(existsSync(`${DIST}/sw.js`), "sw.js is copied unhashed to the site's root");
  });

  test("loads, trains and runs a lab cell, asking for nothing outside its folder", async () => {
    await withSite(async ({ server, browser, page }) => {
      assert.equal(server.url.endsWith(PREFIX), true);
      await page.goto(server.url);
      await waitReady(page);
      const losses = await page.evaluate(async () => {
        const xs = await window.flowlab.train({ steps: 20 });
        return { length: xs.length, finite: xs.every(Number.isFinite) };
      });
      assert.deepEqual(losses, { length: 20, finite: true });

      // The service worker controls the page from the site's folder and stored what the page
      // loaded, without fetching the lab module, which the Transport view never needs.
      const site = (name) => `${PREFIX}${name.replace(/^\.\//, "")}`;
      await waitCached(page, [PREFIX, site(files.engine.glue), site(files.engine.wasm), `${PREFIX}js/worker.js`]);
      const registration = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { scope: r.scope, script: r.active.scriptURL };
      });
      assert.deepEqual(registration, { scope: server.url, script: `${server.url}sw.js` });
      assert.deepEqual(server.requests.filter((path) => LAB.test(path)), [], "no lab module request before a cell");

      const result = await page.evaluate(() => window.flowlab.run("print(1 + 1)"));
      assert.deepEqual(result, { text: "2\n", figures: [], error: null });
      assert.ok(server.requests.includes(site(files.lab.wasm)), "the lab module came from the sub-path");
      assert.deepEqual(server.requests.filter((path) => !path.startsWith(PREFIX)), [], "every request inside the prefix");
      assert.deepEqual(browser.errors, []);
    });
  });

  test("works offline once loaded: reload with the network cut, the Lab view runs its cells", async () => {
    await withSite(async ({ server, browser, page }) => {
      // A first visit: the page is loaded before the service worker controls it.
      await page.goto(server.url);
      await waitReady(page);
      await page.evaluate(() => window.flowlab.notebook.open("full"));
      await page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 30_000 });
      assert.deepEqual(await page.evaluate(() => window.flowlab.run("print(1 + 1)")), {
        text: "2\n",
        figures: [],
        error: null,
      });
      const site = (name) => `${PREFIX}${name.replace(/^\.\//, "")}`;
      await waitCached(page, [
        PREFIX,
        `${PREFIX}js/main.js`,
        `${PREFIX}js/worker.js`,
        `${PREFIX}vendor/editor.js`,
        site(files.engine.glue),
        site(files.engine.wasm),
        `${PREFIX}lab.json`,
        site(files.lab.glue),
        site(files.lab.wasm),
      ]);

      // Offline: Chromium fails every request, the service worker's own included.
      await page.context().setOffline(true);
      server.requests.length = 0;
      await page.reload();
      assert.equal(await page.evaluate(() => navigator.onLine), false);
      await waitReady(page);
      assert.match(page.url(), /#mode=full$/, "the Lab view's link survived the reload");
      await page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 30_000 });
      const cells = await page.locator("#lab-cells .cell-code").count();
      assert.ok(cells > 5, `${cells} code cells`);
      const result = await page.evaluate(() => window.flowlab.run("print(6 * 7)"));
      assert.deepEqual(result, { text: "42\n", figures: [], error: null });
      assert.deepEqual(server.requests, [], "nothing reached the server while offline");
      assert.deepEqual(browser.errors, []);
    });
  });
});
