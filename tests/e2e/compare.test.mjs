// The Compare view: a person opens it, picks the shortest budget and clicks "Train all four".
// The four models (planar flow, RealNVP, CNF by likelihood, flow matching) train for the same
// wall-clock time, each panel draws its log-density with samples, the table shows the held-out
// NLL and sliced W2, the findings weigh the lecture's claims, Stop ends a run early, and nothing
// logs an error.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { usePage } from "./page.mjs";

const MODELS = ["planar", "realnvp", "cnf", "flow-matching"];

/** In the page: how many pixels of each model's canvas differ from its top-left pixel. */
const PAINTED = `(() => Object.fromEntries([...document.querySelectorAll("#compare-panels canvas")].map((c) => {
  const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
  let painted = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) painted += 1;
  }
  return [c.dataset.model, painted / (data.length / 4)];
})))()`;

describe("the Compare view", () => {
  const ctx = usePage();

  test("trains the four models on equal budgets and shows their densities, numbers and findings", async () => {
    const { page } = ctx;
    await page.goto(ctx.server.url);
    await page.waitForFunction(() => document.getElementById("status").dataset.state === "ready", null, { timeout: 30_000 });
    await page.click('.view-tab[data-view="compare"]');
    assert.equal(await page.evaluate(() => location.hash), "#view=compare");
    await page.selectOption("#compare-budget", "5");
    await page.click("#compare-train");
    await page.waitForFunction(() => window.flowlab.compare.running, null, { timeout: 10_000 });
    assert.equal(await page.isDisabled("#compare-train"), true);
    await page.waitForFunction(() => window.flowlab.compare.last !== null, null, { timeout: 120_000 });

    const { reports, findings } = await page.evaluate(() => window.flowlab.compare.last);
    assert.deepEqual(reports.map((r) => r.name), MODELS);
    for (const r of reports) {
      assert.ok(r.steps > 0, `${r.name} trained: ${JSON.stringify(r)}`);
      // equal budgets: every model used its 5 s, give or take one slice
      assert.ok(r.seconds >= 5 && r.seconds < 6.5, `${r.name} trained for ${r.seconds} s`);
      assert.ok(Number.isFinite(r.heldOutNll) && Number.isFinite(r.slicedW2), JSON.stringify(r));
    }
    const by = Object.fromEntries(reports.map((r) => [r.name, r]));
    // flow matching takes many more steps than the CNF, whose every step solves an ODE
    assert.ok(by["flow-matching"].steps > 3 * by.cnf.steps, `${by["flow-matching"].steps} vs ${by.cnf.steps} steps`);
    assert.equal(findings.length, 4);
    for (const f of findings) assert.equal(typeof f.agrees, "boolean", JSON.stringify(f));

    // what a person sees: four painted panels, a row per model, the findings
    const painted = await page.evaluate(PAINTED);
    for (const m of MODELS) assert.ok(painted[m] > 0.3, `${m}'s panel is painted (${painted[m]})`);
    await page.screenshot({ path: "/tmp/flowlab-compare.png", fullPage: true });
    assert.equal(await page.locator("#compare-table tbody tr").count(), 4);
    assert.match(await page.textContent('#compare-table tr[data-model="realnvp"]'), /RealNVP[\d,]+\d+\.\d+ ms-?\d+\.\d{3}\d+\.\d{3}nothing/);
    assert.equal(await page.locator("#compare-findings li").count(), 4);
    assert.match(await page.textContent("#compare-findings"), /This run (agrees|measured otherwise)/);
    assert.equal(await page.isDisabled("#compare-train"), false);
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("Stop ends the training early and the models are measured as they are", async () => {
    const { page } = ctx;
    await page.goto(`${ctx.server.url}#view=compare`);
    await page.reload(); // the same address with a new hash would not reload the page
    await page.waitForFunction(() => document.getElementById("status").dataset.state === "ready", null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.flowlab.compare.last), null);
    await page.selectOption("#compare-budget", "60");
    const t0 = Date.now();
    await page.click("#compare-train");
    await page.waitForFunction(() => window.flowlab.compare.progress.some((p) => p.steps > 0), null, { timeout: 30_000 });
    await page.click("#compare-stop");
    await page.waitForFunction(() => window.flowlab.compare.last !== null, null, { timeout: 60_000 });
    const { reports } = await page.evaluate(() => window.flowlab.compare.last);
    assert.ok(Date.now() - t0 < 60_000, "stopped before the budget ran out");
    assert.ok(reports.every((r) => r.seconds < 60), JSON.stringify(reports.map((r) => r.seconds)));
    assert.match(await page.textContent("#compare-status"), /stopped early/);
    assert.deepEqual(ctx.browser.errors, []);
  });
});
