// The Lecture view, clicked and typed as an attendee would: a link `#view=lecture&mode=todo`
// opens the warm-ups' todo version; a correct NLL passes and the MLE written as the fraction of
// tails gets its own hint, then passes once fixed; the likelihood figure is drawn; the
// pushforward with the log|det| term forgotten gets its hint, then passes, and the histogram
// with the density is drawn; the two notebooks keep their work apart; edits survive a reload;
// no console errors. Part 3, the normalizing flow: log_prob with the log-determinants forgotten
// gets its hint, then passes; the flow trains (its NLL drops) and the samples and the density
// are drawn. The exported full warm-ups, flowlab's layers written out in PyTorch, run in
// CPython (skipped, with the reason, where no Python with torch, scikit-learn and matplotlib).
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { usePage } from "./page.mjs";
import { findPython, runPython } from "./python.mjs";

const cell = (page, id) => page.locator(`#lecture-cells section.cell[data-cell="${id}"]`);

/** Replaces the line of a cell that contains `marker` by `text`, typed with the keyboard. */
async function replaceLine(page, id, marker, text) {
  const line = cell(page, id).locator(".cm-line", { hasText: marker }).first();
  await line.click();
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.type(text);
}

const runsOf = async (page, id) => Number((await cell(page, id).getAttribute("data-runs")) ?? 0);

/** Clicks a cell's Run button and waits for that run (and its checks) to end -> its state. */
async function runCell(page, id) {
  const before = await runsOf(page, id);
  await cell(page, id).locator("button.run-cell").click();
  await page.waitForFunction(
    ([id, before]) => {
      const root = document.querySelector(`#lecture-cells section.cell[data-cell="${id}"]`);
      const checking = root.querySelector('.check[data-status="pending"]');
      return Number(root.dataset.runs ?? 0) > before && ["done", "failed", "stopped"].includes(root.dataset.state) && !checking;
    },
    [id, before],
    { timeout: 120_000 },
  );
  return cell(page, id).getAttribute("data-state");
}

/** {blank: [status, message]} of a cell's checks. */
async function checksOf(page, id) {
  return cell(page, id)
    .locator("li.check")
    .evaluateAll((items) =>
      Object.fromEntries(items.map((li) => [li.dataset.blank, [li.dataset.status, li.querySelector(".check-message").textContent]])),
    );
}

/** How many figures a cell shows, and whether each canvas has a size and some ink. */
async function figuresOf(page, id) {
  return cell(page, id)
    .locator("canvas.figure")
    .evaluateAll((canvases) =>
      canvases.map((c) => {
        const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 0; i < data.length; i += 4 * 97) if (data[i + 3] > 0) ink++;
        return c.width > 0 && c.height > 0 && ink > 0;
      }),
    );
}

const NLL = 'return -(flips.count("H") * torch.log(p) + flips.count("T") * torch.log(1 - p))';

describe("the Lecture view", { timeout: 300_000 }, () => {
  const ctx = usePage();

  test("todo warm-ups: typed answers are checked, mistakes get their hints, figures are drawn", async () => {
    const { page } = ctx;
    await page.goto("about:blank");
    await page.goto(`${ctx.server.url}#view=lecture&mode=todo`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector("#lecture-cells .cell-code .cm-content", { timeout: 60_000 });
    assert.equal(await page.getAttribute("#status", "data-state"), "ready");
    assert.equal(await page.isVisible("#lecture"), true);
    assert.equal(await page.isVisible("#lab"), false);
    assert.equal(await page.getAttribute('.view-tab[data-view="lecture"]', "aria-pressed"), "true");
    assert.equal(await page.isChecked('input[name="lecture-mode"][value="todo"]'), true);
    assert.equal(await page.evaluate(() => location.hash), "#view=lecture&mode=todo");
    const cells = await page.evaluate(() => window.flowlab.lecture.cells());
    assert.deepEqual(cells.flatMap((c) => c.blanks), ["nll", "mle", "T_inv", "dT_inv", "log_p1", "log_prob"]);

    // the coin: my own flips, a correct NLL and the MLE as the fraction of tails
    for (const id of ["imports", "your-flips"]) assert.equal(await runCell(page, id), "done");
    await replaceLine(page, "your-flips", 'flips = "HHTHHTTTHT"', 'flips = "HHTHHTHH"  # heads H, tails T');
    assert.equal(await runCell(page, "your-flips"), "done");
    assert.match(await cell(page, "your-flips").locator(".cell-output").textContent(), /8 flips: 6 heads, 2 tails/);
    await replaceLine(page, "the-negative-log-likelihood", "TODO: return -log L", NLL);
    await replaceLine(page, "the-negative-log-likelihood", "TODO: the p that minimises", 'return flips.count("T") / len(flips)');
    assert.equal(await runCell(page, "the-negative-log-likelihood"), "done");
    let checks = await checksOf(page, "the-negative-log-likelihood");
    assert.equal(checks.nll[0], "pass", checks.nll[1]);
    assert.equal(checks.mle[0], "fail");
    assert.match(checks.mle[1], /fraction of tails/);
    await replaceLine(page, "the-negative-log-likelihood", 'return flips.count("T") / len(flips)', 'return flips.count("H") / len(flips)');
    assert.equal(await runCell(page, "the-negative-log-likelihood"), "done");
    checks = await checksOf(page, "the-negative-log-likelihood");
    assert.deepEqual([checks.nll[0], checks.mle[0]], ["pass", "pass"], JSON.stringify(checks));
    assert.match(await cell(page, "the-negative-log-likelihood").locator(".cell-output").textContent(), /p_hat = 0\.750/);
    assert.equal(await runCell(page, "plot-the-likelihood"), "done");
    assert.deepEqual(await figuresOf(page, "plot-the-likelihood"), [true]);

    // the pushforward: log|det| forgotten, then right
    assert.equal(await runCell(page, "the-map-t"), "done");
    await replaceLine(page, "the-change-of-variables", "TODO: the x with T(x) = y", "return (y - b) / a");
    await replaceLine(page, "the-change-of-variables", "TODO: the derivative of T_inv", "return 1 / a");
    await replaceLine(page, "the-change-of-variables", "TODO: log p1(y) by", "return log_p0(T_inv(y))");
    assert.equal(await runCell(page, "the-change-of-variables"), "done");
    checks = await checksOf(page, "the-change-of-variables");
    assert.deepEqual([checks.T_inv[0], checks.dT_inv[0]], ["pass", "pass"], JSON.stringify(checks));
    assert.equal(checks.log_p1[0], "fail");
    assert.match(checks.log_p1[1], /factor 1\/\|a\|/);
    await replaceLine(page, "the-change-of-variables", "return log_p0(T_inv(y))", "return log_p0(T_inv(y)) + math.log(abs(dT_inv(y)))");
    assert.equal(await runCell(page, "the-change-of-variables"), "done");
    checks = await checksOf(page, "the-change-of-variables");
    assert.equal(checks.log_p1[0], "pass", checks.log_p1[1]);
    assert.equal(await runCell(page, "plot-the-pushforward"), "done");
    assert.deepEqual(await figuresOf(page, "plot-the-pushforward"), [true]);

    // the link names the view and the version; the work is the warm-ups', not the lab's
    const link = await page.evaluate(() => window.flowlab.lecture.link());
    assert.match(link, /#view=lecture&mode=todo$/);
    await page.waitForTimeout(600); // saved after a short pause in typing
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("flowlab.")));
    assert.deepEqual(keys, ["flowlab.warm-ups.v1.todo"]);

    // edits survive a reload
    await page.reload();
    await page.waitForSelector("#lecture-cells .cell-code .cm-content", { timeout: 60_000 });
    const text = (await page.evaluate(() => window.flowlab.lecture.cells())).find((c) => c.id === "the-change-of-variables").text;
    assert.match(text, /return log_p0\(T_inv\(y\)\) \+ math\.log\(abs\(dT_inv\(y\)\)\)/);
    assert.match(await page.evaluate(() => window.flowlab.lecture.exportPy()), /^# Warm-ups before flow matching: the todo lab/);

    // the Lab tab opens the flow matching lab in its own version; the Lecture tab comes back
    await page.click('.view-tab[data-view="lab"]');
    await page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 60_000 });
    assert.equal(await page.evaluate(() => location.hash), "#mode=full");
    await page.click('.view-tab[data-view="lecture"]');
    await page.waitForFunction(() => location.hash === "#view=lecture&mode=todo");
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("todo warm-ups, part 3: the flow's log-likelihood is checked, the flow trains, samples and its density are drawn", async (t) => {
    const { page } = ctx;
    await page.goto("about:blank");
    await page.goto(`${ctx.server.url}#view=lecture&mode=todo`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector("#lecture-cells .cell-code .cm-content", { timeout: 60_000 });
    for (const id of ["imports", "a-planar-flow"]) assert.equal(await runCell(page, id), "done");
    assert.match(await cell(page, "a-planar-flow").locator(".cell-output").textContent(), /8 planar layers, 40 parameters/);

    // the loop through the layers, with the log-determinants forgotten in the return
    const id = "the-log-likelihood-of-the-flow";
    const text = (await page.evaluate(() => window.flowlab.lecture.cells())).find((c) => c.id === id).text;
    const todo = text.split("\n").find((l) => l.includes("...  # TODO: log p1(x): through each layer"));
    assert.ok(todo, text);
    const loop = [
      "z = x",
      "log_det = torch.zeros(x.shape[0])",
      "for layer in layers:",
      "    z, ld = layer(z)",
      "    log_det = log_det + ld",
      "return Normal(0, 1).log_prob(z).sum(1)",
    ].map((l) => `    ${l}`);
    await page.evaluate(([id, code]) => window.flowlab.lecture.setText(id, code), [id, text.replace(todo, loop.join("\n"))]);
    assert.equal(await runCell(page, id), "done");
    let checks = await checksOf(page, id);
    assert.equal(checks.log_prob[0], "fail");
    assert.match(checks.log_prob[1], /log-determinants are missing/);
    // typed: the return with the log-determinants
    await replaceLine(page, id, "return Normal(0, 1).log_prob(z).sum(1)", "return Normal(0, 1).log_prob(z).sum(1) + log_det");
    assert.equal(await runCell(page, id), "done");
    checks = await checksOf(page, id);
    assert.equal(checks.log_prob[0], "pass", checks.log_prob[1]);
    assert.match(await cell(page, id).locator(".cell-output").textContent(), /mean log-likelihood of the untrained flow on the moons: -\d/);

    // training, as shipped (1000 iterations), timed; then the samples and the density
    const start = Date.now();
    assert.equal(await runCell(page, "training-the-flow"), "done");
    const seconds = (Date.now() - start) / 1000;
    t.diagnostic(`the training cell (1000 iterations of 8 planar layers, batch 256) took ${seconds.toFixed(1)} s`);
    const printed = await cell(page, "training-the-flow").locator(".cell-output").textContent();
    const nll = [...printed.matchAll(/NLL (-?\d+\.\d+)/g)].map((m) => Number(m[1]));
    assert.equal(nll.length, 6, printed);
    assert.ok(nll[5] < nll[0] - 1.5, printed);
    assert.equal(await runCell(page, "plot-samples-and-density"), "done");
    assert.deepEqual(await figuresOf(page, "plot-samples-and-density"), [true]);
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("the exported full warm-ups, flowlab's layers in PyTorch, run in CPython and the flow learns", async (t) => {
    const { python, why } = findPython();
    if (!python) {
      t.skip(why);
      return;
    }
    const { page } = ctx;
    await page.goto("about:blank");
    await page.goto(`${ctx.server.url}#view=lecture&mode=full`);
    await page.waitForSelector("#lecture-cells .cell-code .cm-content", { timeout: 60_000 });
    const script = await page.evaluate(() => window.flowlab.lecture.exportPy());
    assert.match(script, /^# %% flowlab in PyTorch\n/m);
    assert.match(script, /^from flowlab import PlanarFlow$/m);
    const dir = mkdtempSync(join(tmpdir(), "flowlab-lecture-"));
    try {
      const path = join(dir, "flowlab-warm-ups-full.py");
      writeFileSync(path, `${script}\nprint(f"samples: {samples.shape[0]}")\n`);
      const run = runPython(python, path);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /p_hat = 0\.500/);
      assert.match(run.stdout, /samples: 1000/);
      const nll = [...run.stdout.matchAll(/NLL (-?\d+\.\d+)/g)].map((m) => Number(m[1]));
      assert.equal(nll.length, 6, run.stdout);
      assert.ok(nll[5] < nll[0] - 1.0, run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(ctx.browser.errors, []);
  });
});
