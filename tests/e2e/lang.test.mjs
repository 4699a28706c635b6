// The lab language in the built page, through window.flowlab.run / stop / resetNamespace: output,
// errors with their lines, a namespace shared by cells, an endless loop stopped while the page
// stays responsive, a crash during a cell, the full lab end to end, and the same seed giving the
// same numbers in two fresh page loads.
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
const FULL_LAB = readFileSync(`${ROOT}tests/labs/full.py`, "utf8");

/** The full lab's first three cells (imports, the Flow class, training) with fewer iterations:
 *  enough to compare printed losses without running the whole lab again. */
function shortTraining(iterations) {
  const upToGeneration = FULL_LAB.slice(0, FULL_LAB.indexOf("# %% generation"));
  const short = upToGeneration.replace("n_iterations = 10_000", `n_iterations = ${iterations}`);
  assert.notEqual(short, upToGeneration, "tests/labs/full.py no longer sets n_iterations = 10_000");
  return short;
}

/** Opens the page afresh (a real load, a new worker) and waits for the engine. */
async function open(page, url) {
  await page.goto("about:blank");
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("status").dataset.state !== "loading", null, { timeout: 30_000 });
  assert.equal(await page.getAttribute("#status", "data-state"), "ready");
}

/** Runs a cell in the page -> {text, figures, error}, or {rejected: message}. */
function run(page, code) {
  return page.evaluate((code) => window.flowlab.run(code).catch((error) => ({ rejected: error.message })), code);
}

/** The last "final loss: ..." line a run printed. */
function finalLoss(text) {
  const match = text.match(/final loss: (\S+)\n$/);
  assert.ok(match, `the text ends with a final loss line: ${JSON.stringify(text.slice(-120))}`);
  return match[1];
}

describe("the lab language (window.flowlab.run)", () => {
  let server;
  let browser;
  let page;

  before(async () => {
    assert.ok(existsSync(`${DIST}/index.html`), `${DIST}/index.html is missing: run trunk build first`);
    server = await serve(DIST);
    browser = await launch();
    page = browser.page;
    await open(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("print(1 + 1) prints 2", async () => {
    assert.deepEqual(await run(page, "print(1 + 1)"), { text: "2\n", figures: [], error: null });
  });

  test("cells share one namespace", async () => {
    assert.deepEqual(await run(page, "x = 5"), { text: "", figures: [], error: null });
    assert.deepEqual(await run(page, "print(x * 2)"), { text: "10\n", figures: [], error: null });
    assert.ok((await page.evaluate(() => window.flowlab.names())).includes("x"));
  });

  test("a syntax error reports SyntaxError and its line, and runs nothing", async () => {
    const result = await run(page, "y = 1\nprint('ran')\nif y > 0\n    print(y)\n");
    assert.equal(result.text, "");
    assert.equal(result.error.kind, "SyntaxError");
    assert.equal(result.error.line, 3);
    assert.match(result.error.rendered, /if y > 0/);
  });

  test("a run-time error names its line and suggests the fix", async () => {
    const result = await run(page, "import torch\nt = torch.rand(4)\nx = torch.randn(4, 2)\ny = (1 - t) * x");
    assert.equal(result.error.kind, "RuntimeError");
    assert.equal(result.error.line, 4);
    assert.ok(result.error.message.includes("did you mean torch.rand(4, 1)?"), result.error.message);
    assert.match(result.error.rendered, /y = \(1 - t\) \* x/);
    // The lines before the error ran: their names are there.
    assert.deepEqual(await run(page, "print(tuple(x.shape))"), { text: "(4, 2)\n", figures: [], error: null });
  });

  test("an endless loop stops within a second, the page and the worker stay responsive, the namespace survives", async () => {
    await run(page, "kept = 42");
    const outcome = await page.evaluate(async () => {
      const f = window.flowlab;
      let frames = 0;
      let counting = true;
      const count = () => {
        frames += 1;
        if (counting) requestAnimationFrame(count);
      };
      requestAnimationFrame(count);

      const running = f.run("n = 0\nwhile True:\n    n = n + 1\n");
      await new Promise((ok) => setTimeout(ok, 300));
      // The worker yields between slices: other calls still answer, a second cell is refused.
      const framesBefore = frames;
      const t0 = performance.now();
      const version = await f.version();
      const versionMs = performance.now() - t0;
      const second = await f.run("print('second')").then(
        () => "resolved",
        (error) => error.message,
      );
      await new Promise((ok) => setTimeout(ok, 200));
      const framesDuring = frames - framesBefore;

      const t1 = performance.now();
      const stopped = await f.stop();
      const result = await running;
      const stopMs = performance.now() - t1;
      counting = false;
      return { version, versionMs, second, framesDuring, stopped, stopMs, result };
    });
    assert.match(outcome.version, /^\d+\.\d+\.\d+/);
    assert.ok(outcome.versionMs < 500, `version() answered after ${outcome.versionMs} ms during the loop`);
    assert.match(outcome.second, /already running/);
    assert.ok(outcome.framesDuring >= 3, `${outcome.framesDuring} animation frames in 200 ms during the loop`);
    assert.equal(outcome.stopped, true);
    assert.ok(outcome.stopMs < 1000, `stopped after ${outcome.stopMs} ms`);
    console.log(`# stop() ended the loop after ${outcome.stopMs.toFixed(0)} ms; version() answered in ${outcome.versionMs.toFixed(0)} ms`);
    assert.equal(outcome.result.error.kind, "KeyboardInterrupt");
    assert.ok([2, 3].includes(outcome.result.error.line), `stopped at line ${outcome.result.error.line}`);
    assert.deepEqual(await run(page, "print(kept, n > 0)"), { text: "42 True\n", figures: [], error: null });
    assert.equal(await page.evaluate(() => window.flowlab.stop()), false, "nothing left to stop");
    assert.equal(await page.isVisible("#error-banner"), false);
    assert.deepEqual(browser.errors, []);
  });

  test("onOutput gets each slice's report as it comes, with the loop's progress", async () => {
    const outcome = await page.evaluate(async () => {
      const reports = [];
      const result = await window.flowlab.run(
        "total = 0\nfor i in range(200_000):\n    total = total + i\n    if i % 50_000 == 0:\n        print(i)\nprint('done')",
        { onOutput: (report) => reports.push(report) },
      );
      return { result, reports };
    });
    const { result, reports } = outcome;
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.text, "0\n50000\n100000\n150000\ndone\n");
    assert.equal(reports.map((r) => r.text).join(""), result.text);
    assert.ok(reports.length >= 2, `${reports.length} reports`);
    assert.equal(reports.at(-1).done, true);
    assert.ok(reports.slice(0, -1).every((r) => !r.done));
    const progress = reports.filter((r) => r.progress).map((r) => r.progress);
    assert.ok(progress.length > 0, "some report carries the loop's progress");
    assert.ok(progress.every(([, total]) => total === 200_000), JSON.stringify(progress));
  });

  test("resetNamespace forgets the names, and refuses what is not a seed", async () => {
    const refused = await page.evaluate(() => window.flowlab.resetNamespace(-1).then(() => "resolved", (error) => error.message));
    assert.match(refused, /seed: must be a whole number >= 0, but is -1/);
    assert.deepEqual(await run(page, "print(kept)"), { text: "42\n", figures: [], error: null }, "a refused reset changes nothing");
    await page.evaluate(() => window.flowlab.resetNamespace());
    const result = await run(page, "print(kept)");
    assert.equal(result.error.kind, "NameError");
    assert.deepEqual(await page.evaluate(() => window.flowlab.names()), []);
  });

  test("a crash during a cell rejects the run, shows the banner, and Restart brings a fresh engine", async () => {
    const errorsBefore = browser.errors.length;
    const message = await page.evaluate(async () => {
      await window.flowlab.run("kept = 1");
      const running = window.flowlab.run("while True:\n    pass\n");
      await new Promise((ok) => setTimeout(ok, 200));
      window.flowlab._crashForTest();
      return running.then(
        () => "resolved",
        (error) => error.message,
      );
    });
    assert.match(message, /stopped/);
    await page.waitForSelector("#error-banner:not([hidden])", { timeout: 10_000 });
    assert.match(await page.textContent("#error-banner"), /crashed on purpose/);
    await page.click("#restart-engine");
    await page.waitForFunction(() => document.getElementById("status").dataset.state === "ready", null, { timeout: 30_000 });
    assert.equal(await page.isVisible("#error-banner"), false);
    assert.equal((await run(page, "print(kept)")).error.kind, "NameError", "a new worker, a new namespace");
    assert.deepEqual(await run(page, "print(1 + 2)"), { text: "3\n", figures: [], error: null });
    const newErrors = browser.errors.slice(errorsBefore).filter((e) => !/crashed on purpose/.test(e));
    assert.deepEqual(newErrors, []);
  });

  test("the full lab runs end to end: training, sampling and its two figures", async () => {
    const outcome = await page.evaluate(async (code) => {
      let reports = 0;
      const totals = new Set(); // the progress bars' totals: one per outermost loop
      const t0 = performance.now();
      const result = await window.flowlab.run(code, {
        onOutput: (report) => {
          reports += 1;
          if (report.progress) totals.add(report.progress[1]);
        },
      });
      const panels = (figure) => ({
        grid: [figure.rows, figure.cols],
        points: figure.axes.map((axes) => axes.marks.map((mark) => `${mark.kind} ${mark.x.length}`)),
      });
      return {
        text: result.text,
        error: result.error,
        figures: result.figures.map(panels),
        reports,
        totals: [...totals],
        seconds: (performance.now() - t0) / 1000,
      };
    }, FULL_LAB);
    assert.equal(outcome.error, null, JSON.stringify(outcome.error));
    assert.deepEqual(outcome.figures, [
      { grid: [1, 2], points: [["scatter 256"], ["scatter 300"]] },
      { grid: [1, 8], points: Array.from({ length: 8 }, () => ["scatter 300"]) },
    ]);
    assert.ok(outcome.text.startsWith("iteration 0\niteration 500\n"), outcome.text.slice(0, 80));
    const loss = Number(finalLoss(outcome.text));
    assert.ok(loss > 0.5 && loss < 2, `final loss ${loss}`);
    assert.ok(outcome.reports > 10, `${outcome.reports} reports: the cell ran in slices`);
    assert.ok(outcome.totals.includes(10_000), `progress totals ${outcome.totals}: the training loop's is 10,000`);
    console.log(`# the full lab ran in ${outcome.seconds.toFixed(1)} s (${outcome.reports} reports)`);
  });

  test("the same seed prints the same loss in two fresh page loads; another seed does not", async () => {
    const code = shortTraining(300);
    await open(page, server.url);
    const second = finalLoss((await run(page, code)).text);
    await open(page, server.url);
    const third = finalLoss((await run(page, code)).text);
    assert.equal(second, third, "two fresh page loads, seed 0");
    await page.evaluate(() => window.flowlab.resetNamespace(0));
    assert.equal(finalLoss((await run(page, code)).text), second, "resetNamespace(0) starts over");
    await page.evaluate(() => window.flowlab.resetNamespace(7));
    assert.notEqual(finalLoss((await run(page, code)).text), second, "seed 7 draws other numbers");
  });
});
