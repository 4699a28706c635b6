// The Density view on a trained model: the heatmap's high-density region covers the moons
// (measured through window.flowlab, not pixels), the held-out NLL is reported, Hutchinson's
// estimate comes with its spread, Theorem 1's exact velocity lands its samples on the data
// points, and nothing logs an error.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { usePage } from "./page.mjs";

/** In the page: the share of the last grid's data points that lie in its densest quarter. */
const OVERLAP = `(() => {
  const { logp, nx, ny, bounds, data } = window.flowlab.density.last;
  const sorted = Float32Array.from(logp).sort();
  const q75 = sorted[Math.floor(0.75 * sorted.length)];
  const [xmin, xmax, ymin, ymax] = bounds;
  let inside = 0;
  for (let k = 0; k < data.length / 2; k++) {
    const i = Math.round(((data[2 * k] - xmin) / (xmax - xmin)) * (nx - 1));
    const j = Math.round(((data[2 * k + 1] - ymin) / (ymax - ymin)) * (ny - 1));
    if (logp[j * nx + i] >= q75) inside += 1;
  }
  return inside / (data.length / 2);
})()`;

describe("the Density view", () => {
  const ctx = usePage();

  test("log p1 of the trained model is high on the moons; NLL and Hutchinson's spread are shown", async () => {
    const { page } = ctx;
    await page.goto(ctx.server.url);
    await page.waitForFunction(() => document.getElementById("status").dataset.state === "ready", null, { timeout: 30_000 });
    await page.evaluate(() => window.flowlab.train({ steps: 2000 }));
    await page.click('.view-tab[data-view="density"]');
    await page.waitForFunction(() => window.flowlab.density.report !== null, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => location.hash), "#view=density");

    // the data points sit in the grid's densest quarter
    const overlap = await page.evaluate(OVERLAP);
    assert.ok(overlap >= 0.9, `${overlap} of the data points lie in the densest quarter of the grid`);
    const exact = await page.evaluate(() => window.flowlab.density.report);
    assert.ok(exact.exactNll < 1.5 && exact.estimateSpread === 0, JSON.stringify(exact));
    assert.match(await page.textContent("#density-readout"), /exact divergence: \d\.\d{3} nats per point/);

    // Hutchinson: the same NLL within its spread, and a spread that shrinks with more probes
    const one = await page.evaluate(() => window.flowlab.density.compute({ divergence: "hutchinson", probes: 1, resolution: 32 }).then(() => window.flowlab.density.report));
    const many = await page.evaluate(() => window.flowlab.density.compute({ divergence: "hutchinson", probes: 16, resolution: 32 }).then(() => window.flowlab.density.report));
    assert.ok(Math.abs(one.estimateNll - one.exactNll) < 4 * one.estimateSpread + 0.01, JSON.stringify(one));
    assert.ok(many.pointSpread < one.pointSpread / 2.5, `spread k=1 ${one.pointSpread}, k=16 ${many.pointSpread}`);
    assert.match(await page.textContent("#density-readout"), /Hutchinson with 16 probes per point, 10 draws/);

    // Theorem 1: u* carries noise onto the data points
    const far = await page.evaluate(async () => {
      const { points, samples } = await window.flowlab.density.theorem();
      let worst = 0;
      for (let s = 0; s < samples.length / 2; s++) {
        let best = Infinity;
        for (let p = 0; p < points.length / 2; p++) {
          best = Math.min(best, Math.hypot(samples[2 * s] - points[2 * p], samples[2 * s + 1] - points[2 * p + 1]));
        }
        worst = Math.max(worst, best);
      }
      return worst;
    });
    assert.ok(far < 1e-2, `the farthest u* sample is ${far} from a data point`);
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("the notebook's own trained flow: its density too, and a clear message before it exists", async () => {
    const { page } = ctx;
    await page.goto(`${ctx.server.url}#view=density`);
    await page.waitForFunction(() => window.flowlab.density.report !== null, null, { timeout: 60_000 });
    const missing = await page.evaluate(() =>
      window.flowlab.density.compute({ model: "notebook", divergence: "exact", resolution: 32 }).then(
        () => "computed",
        (e) => e.message,
      ),
    );
    assert.match(missing, /no `flow` yet: run its Velocity definition and Training cells/);
    // train the notebook's flow (fewer iterations), as an attendee would run the cells
    await page.evaluate(async () => {
      const nb = window.flowlab.notebook;
      const cells = await nb.cells();
      const training = cells.find((c) => c.id === "training").text.replace("n_iterations = 10_000", "n_iterations = 2000");
      await nb.setText("training", training);
      for (const id of ["imports", "velocity-definition", "training"]) {
        const { error } = await nb.run(id);
        if (error) throw new Error(error.rendered);
      }
    });
    await page.evaluate(() => window.flowlab.density.compute({ model: "notebook", resolution: 64 }));
    const overlap = await page.evaluate(OVERLAP);
    assert.ok(overlap >= 0.9, `${overlap} of the data points lie in the densest quarter of the notebook model's grid`);
    const report = await page.evaluate(() => window.flowlab.density.report);
    assert.ok(report.exactNll < 2, JSON.stringify(report));
    assert.deepEqual(ctx.browser.errors, []);
  });
});
