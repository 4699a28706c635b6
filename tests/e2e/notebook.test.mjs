// The Lab view, clicked and typed as an attendee would: full mode's Run all trains, samples and
// draws both figures; in todo mode typed answers (several variants) turn every check green and
// make moons, and the typical mistakes each get their own hint; Stop during training keeps the
// namespace usable; a syntax error marks its line in the editor and the next run works; the mode
// lives in the URL; edits survive a reload; no console errors.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { usePage } from "./page.mjs";

/** Opens the page at `hash` afresh, without edits saved by an earlier test, and waits for the
 *  notebook's cells. */
async function openLab(page, url, hash) {
  await page.goto("about:blank");
  await page.goto(`${url}${hash}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 60_000 });
  assert.equal(await page.getAttribute("#status", "data-state"), "ready");
}

const cell = (page, id) => page.locator(`section.cell[data-cell="${id}"]`);

/** Replaces the line of a cell that contains `marker` by `text`, typed with the keyboard
 *  (several lines are pasted, as an attendee pastes a block). */
async function replaceLine(page, id, marker, text) {
  const line = cell(page, id).locator(".cm-line", { hasText: marker }).first();
  await line.click();
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  if (text.includes("\n")) await page.keyboard.insertText(text);
  else await page.keyboard.type(text);
}

/** How many runs a cell has started. */
const runsOf = async (page, id) => Number((await cell(page, id).getAttribute("data-runs")) ?? 0);

/** Clicks a cell's Run button and waits for that run to end -> its state (done, failed, stopped). */
async function runCell(page, id) {
  const before = await runsOf(page, id);
  await cell(page, id).locator("button.run-cell").click();
  return waitForCell(page, id, before);
}

/** Waits until the cell has started more than `before` runs and the last one (with its checks)
 *  has ended -> its state. */
async function waitForCell(page, id, before, timeout = 120_000) {
  await page.waitForFunction(
    ([id, before]) => {
      const root = document.querySelector(`section.cell[data-cell="${id}"]`);
      const checking = root.querySelector('.check[data-status="pending"]');
      const runs = Number(root.dataset.runs ?? 0);
      return runs > before && ["done", "failed", "stopped"].includes(root.dataset.state) && !checking;
    },
    [id, before],
    { timeout },
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

/** How many of the 300 generated points lie within 0.15 of 2,000 fresh moons. */
const NEAR_MOONS = `
data = torch.Tensor(make_moons(2000, noise=0.05)[0])
near = 0
for k in range(300):
    if ((data - x[k]) ** 2).sum(-1).min().item() < 0.0225:
        near += 1
print(near)
`;

/** The todo lab's blanks, typed with their correct answers, `variant` picking among the ways
 *  attendees write them. */
const ANSWERS = [
  {
    euler: "return x_t + stepsize * self(x_t, t)",
    x_1: "x_1 = torch.Tensor(make_moons(batch_size, noise=0.05)[0])",
    x_0: "x_0 = torch.randn_like(x_1)",
    t: "t = torch.rand(batch_size, 1)",
    x_t: "x_t = (1 - t) * x_0 + t * x_1",
    target: "target = x_1 - x_0",
    loss: "loss = loss_fn(flow(x_t, t), target)",
    generate: "x = flow.euler_step(x, time_steps[i], time_steps[i + 1] - time_steps[i])",
  },
  {
    euler: "return x_t + self.forward(x_t, t) * stepsize",
    x_1: "x_1 = torch.tensor(make_moons(n_samples=batch_size, noise=0.05)[0], dtype=torch.float32)",
    x_0: "x_0 = torch.randn(batch_size, 2)",
    t: "t = torch.rand(len(x_1), 1)",
    x_t: "x_t = x_0 + t * (x_1 - x_0)",
    target: "target = -(x_0 - x_1)",
    loss: "loss = ((flow(x_t, t) - target) ** 2).mean()",
    generate: "x = flow.euler_step(x, time_steps[i], 1 / (n_steps - 1))",
  },
];

const PLOT_SAMPLES = `fig, axes = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
x_true = make_moons(256, noise=0.05)[0]
axes[0].scatter(*x_true.T, s=10)
axes[0].set_title("True data")
axes[1].scatter(*x.T, s=10)
axes[1].set_title("Generated data")
plt.show()`;

const PLOT_PATH = `fig, axes = plt.subplots(1, 8, sharex=True, sharey=True, figsize=(16, 2.5))
for k in range(8):
    i = round(k * (n_steps - 1) / 7)
    axes[k].scatter(xt[i, :, 0], xt[i, :, 1], s=10, alpha=0.5)
    axes[k].set_title(f"t = {time_steps[i].item():.2f}")
    axes[k].set_xlim(-3, 3)
    axes[k].set_ylim(-3, 3)
plt.show()`;

describe("the Lab view (notebook)", () => {
  const ctx = usePage();

  test("full mode: Run all trains, generates and draws both figures", async () => {
    await openLab(ctx.page, ctx.server.url, "#mode=full");
    assert.equal(await ctx.page.isChecked('input[name="lab-mode"][value="full"]'), true);
    const started = Date.now();
    await ctx.page.click("#lab-run-all");
    await ctx.page.waitForFunction(() => document.getElementById("lab-status").textContent.startsWith("All cells ran"), null, {
      timeout: 240_000,
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`# full lab, Run all: ${seconds.toFixed(1)} s\n`);
    const states = await ctx.page.locator("section.cell-code").evaluateAll((cells) => cells.map((c) => c.dataset.state));
    assert.ok(states.every((s) => s === "done"), `every cell ran: ${states}`);
    assert.equal(await cell(ctx.page, "plots-data-and-samples").locator("canvas.figure").count(), 1);
    assert.equal(await cell(ctx.page, "plots-the-probability-path").locator("canvas.figure").count(), 1);
    assert.match(await cell(ctx.page, "training").locator(".cell-output").textContent(), /iteration 9500\nfinal loss: \d\.\d+\n$/);
    const labels = await ctx.page.locator("canvas.figure").evaluateAll((c) => c.map((e) => e.getAttribute("aria-label")));
    assert.ok(labels.includes("Figure: True data, Generated data"), labels.join(" | "));
    const near = await ctx.page.evaluate((code) => window.flowlab.run(code), NEAR_MOONS);
    assert.ok(Number(near.text) >= 240, `generated points near the moons: ${near.text}`);
    assert.deepEqual(ctx.browser.errors, []);
  });

  for (const [variant, answers] of ANSWERS.entries()) {
    test(`todo mode: typed answers (variant ${variant + 1}) turn every check green and make moons`, async () => {
      await openLab(ctx.page, ctx.server.url, "#mode=todo");
      await ctx.page.click("#lab-restart");
      await runCell(ctx.page, "imports");
      await replaceLine(ctx.page, "velocity-definition", "return ...  # TODO", answers.euler);
      assert.equal(await runCell(ctx.page, "velocity-definition"), "done");
      for (const blank of ["x_1", "x_0", "t", "x_t", "target", "loss"]) {
        await replaceLine(ctx.page, "training", `${blank} = ...  # TODO`, answers[blank]);
      }
      assert.equal(await runCell(ctx.page, "training"), "done");
      await replaceLine(ctx.page, "generation", "x = ...  # TODO", answers.generate);
      assert.equal(await runCell(ctx.page, "generation"), "done");
      await replaceLine(ctx.page, "plots-data-and-samples", "...  # TODO", PLOT_SAMPLES);
      assert.equal(await runCell(ctx.page, "plots-data-and-samples"), "done");
      await replaceLine(ctx.page, "plots-the-probability-path", "...  # TODO", PLOT_PATH);
      // Shift+Enter in the editor runs the cell, as a notebook does
      const before = await runsOf(ctx.page, "plots-the-probability-path");
      await ctx.page.keyboard.press("Shift+Enter");
      assert.equal(await waitForCell(ctx.page, "plots-the-probability-path", before), "done");

      const all = await ctx.page.evaluate(() => window.flowlab.notebook.checks());
      assert.deepEqual(
        Object.entries(all).filter(([, status]) => status !== "pass"),
        [],
        JSON.stringify(await checksOf(ctx.page, "training")),
      );
      assert.equal(Object.keys(all).length, 10);
      const near = await ctx.page.evaluate((code) => window.flowlab.run(code), NEAR_MOONS);
      assert.ok(Number(near.text) >= 240, `generated points near the moons: ${near.text}`);
      assert.deepEqual(ctx.browser.errors, []);
    });
  }

  test("todo mode: each typical mistake gets its own hint", async () => {
    await openLab(ctx.page, ctx.server.url, "#mode=todo");
    await ctx.page.click("#lab-restart");
    await runCell(ctx.page, "imports");
    // the Euler step without the step size
    await replaceLine(ctx.page, "velocity-definition", "return ...  # TODO", "return x_t + self(x_t, t)");
    await runCell(ctx.page, "velocity-definition");
    let checks = await checksOf(ctx.page, "velocity-definition");
    assert.equal(checks.euler[0], "fail");
    assert.match(checks.euler[1], /step size is missing/);

    await replaceLine(ctx.page, "training", "n_iterations = 10_000", "n_iterations = 50");
    const right = ANSWERS[0];
    for (const blank of ["x_1", "x_0", "t", "x_t", "target", "loss"]) {
      await replaceLine(ctx.page, "training", `${blank} = ...  # TODO`, right[blank]);
    }
    const mistakes = [
      ["t", "t = torch.rand(batch_size)", /t has shape \(256,\)/],
      ["x_t", "x_t = t * x_0 + (1 - t) * x_1", /swapped/],
      ["target", "target = x_0 - x_1", /sign is flipped/],
      ["loss", "loss = (flow(x_t, t) - target) ** 2", /one number/],
    ];
    for (const [blank, wrong, hint] of mistakes) {
      await replaceLine(ctx.page, "training", right[blank], wrong);
      await runCell(ctx.page, "training");
      checks = await checksOf(ctx.page, "training");
      assert.equal(checks[blank][0], "fail", `${wrong}: ${JSON.stringify(checks)}`);
      assert.match(checks[blank][1], hint);
      await replaceLine(ctx.page, "training", wrong, right[blank]);
    }
    assert.equal(await runCell(ctx.page, "training"), "done");
    checks = await checksOf(ctx.page, "training");
    assert.ok(Object.values(checks).every(([s]) => s === "pass"), JSON.stringify(checks));

    // hints come one at a time; the solution asks first
    const item = cell(ctx.page, "training").locator('li.check[data-blank="x_t"]');
    await item.locator("button.hint").click();
    assert.equal(await item.locator(".check-hints li").count(), 1);
    await item.locator("button.hint").click();
    assert.equal(await item.locator(".check-hints li").count(), 2);
    assert.ok(await item.locator(".check-hints .katex").count() > 0, "the formula is typeset");
    assert.equal(await item.locator(".check-solution").isVisible(), false);
    await item.locator("button.solution").click();
    assert.equal(await item.locator(".check-solution").isVisible(), false, "asks first");
    await item.locator("button.reveal-solution").click();
    assert.equal(await item.locator(".check-solution").textContent(), "x_t = (1 - t) * x_0 + t * x_1");
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("Stop during training keeps the namespace usable; a syntax error marks its line", async () => {
    await openLab(ctx.page, ctx.server.url, "#mode=full");
    await ctx.page.click("#lab-restart");
    await runCell(ctx.page, "imports");
    await runCell(ctx.page, "velocity-definition");
    const before = await runsOf(ctx.page, "training");
    await cell(ctx.page, "training").locator("button.run-cell").click();
    await ctx.page.waitForFunction(() => {
      const bar = document.querySelector('section[data-cell="training"] .cell-progress progress');
      return bar && bar.value >= 300;
    });
    await ctx.page.click("#lab-stop");
    assert.equal(await waitForCell(ctx.page, "training", before), "stopped");
    assert.match(await cell(ctx.page, "training").locator(".cell-error").textContent(), /KeyboardInterrupt/);
    assert.equal(await runCell(ctx.page, "generation"), "done", "flow trained so far is still there");
    const it = await ctx.page.evaluate(() => window.flowlab.run("print(it > 0, tuple(xt.shape))"));
    assert.equal(it.text, "True (100, 300, 2)\n");

    // a syntax error on line 3 of a cell
    await replaceLine(ctx.page, "generation", "x = torch.randn(n_points, 2)", "x = torch.randn(n_points, 2))");
    assert.equal(await runCell(ctx.page, "generation"), "failed");
    assert.match(await cell(ctx.page, "generation").locator(".cell-error").textContent(), /SyntaxError/);
    const marked = await cell(ctx.page, "generation")
      .locator(".cm-line")
      .evaluateAll((lines) => lines.map((l, i) => (l.classList.contains("cm-error-line") ? i + 1 : 0)).filter(Boolean));
    assert.deepEqual(marked, [3]);
    // undo the typo (Ctrl+Z, as often as it takes), run again
    await cell(ctx.page, "generation").locator(".cm-content").click();
    const line3 = () => cell(ctx.page, "generation").locator(".cm-line").nth(2).textContent();
    for (let i = 0; i < 10 && (await line3()) !== "x = torch.randn(n_points, 2)  # start from N(0, I)"; i++) {
      await ctx.page.keyboard.press("Control+z");
    }
    assert.equal(await line3(), "x = torch.randn(n_points, 2)  # start from N(0, I)");
    assert.equal(await runCell(ctx.page, "generation"), "done");
    assert.equal(await cell(ctx.page, "generation").locator(".cm-error-line").count(), 0);
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("the mode is in the URL; the mid lab blanks the loop; edits survive a reload", async () => {
    await openLab(ctx.page, ctx.server.url, "#mode=mid");
    const cells = await ctx.page.evaluate(() => window.flowlab.notebook.cells());
    assert.deepEqual(
      cells.flatMap((c) => c.blanks),
      ["train"],
    );
    assert.match(cells.find((c) => c.id === "training").text, /\n {4}\.\.\. {2}# TODO\n/);
    await ctx.page.click('input[name="lab-mode"][value="todo"]');
    await ctx.page.waitForFunction(() => location.hash === "#mode=todo");
    await ctx.page.waitForSelector('section[data-cell="training"] li.check[data-blank="x_t"]');
    await replaceLine(ctx.page, "training", "x_0 = ...  # TODO", "x_0 = torch.randn_like(x_1)");
    await ctx.page.waitForTimeout(600); // saved after a short pause in typing
    await ctx.page.reload();
    await ctx.page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 60_000 });
    assert.equal(await ctx.page.isChecked('input[name="lab-mode"][value="todo"]'), true);
    const text = (await ctx.page.evaluate(() => window.flowlab.notebook.cells())).find((c) => c.id === "training").text;
    assert.match(text, /\n {4}x_0 = torch\.randn_like\(x_1\)\n/);
    // the Transport tab drops the mode from the URL, the Lab tab brings it back
    await ctx.page.click('.view-tab[data-view="transport"]');
    await ctx.page.waitForFunction(() => location.hash === "");
    assert.equal(await ctx.page.isVisible("#lab"), false);
    await ctx.page.click('.view-tab[data-view="lab"]');
    await ctx.page.waitForFunction(() => location.hash === "#mode=todo");
    assert.deepEqual(ctx.browser.errors, []);
  });
});
