// Never lose work, share a link: edits survive a reload and a closed tab; resetting asks first;
// a link with cells round-trips exactly into a fresh browser; opening one over local work asks,
// and both answers work; broken links get a clear message and change nothing; Export .py and
// Import .py round-trip; the exported file runs in CPython with PyTorch, scikit-learn and
// matplotlib (skipped, with the reason, where they are missing) and samples moons.
//
// Needs a fresh build in dist/ (scripts/test.sh runs `trunk build --config Trunkfile.toml` first).

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { launch } from "./browser.mjs";
import { usePage } from "./page.mjs";
import { findPython, runPython } from "./python.mjs";

async function ready(page) {
  await page.waitForSelector("#lab-cells .cell-code .cm-content", { timeout: 60_000 });
}

/** Opens `hash` with no saved work. */
async function fresh(page, url, hash) {
  await page.goto(`${url}${hash}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await ready(page);
}

const cellText = (page, id) => page.evaluate(async (id) => (await window.flowlab.notebook.cells()).find((c) => c.id === id).text, id);

/** Types at the end of a cell's first line, as an attendee would. */
async function typeInCell(page, id, text) {
  await page.locator(`section[data-cell="${id}"] .cm-line`).first().click();
  await page.keyboard.press("End");
  await page.keyboard.type(text);
}

/** Waits for the page's question and answers it with the button `choice`. */
async function answer(page, choice) {
  await page.waitForSelector("dialog.ask[open]");
  await page.click(`dialog.ask[open] button[data-choice="${choice}"]`);
  await page.waitForSelector("dialog.ask", { state: "detached" });
}

/** Waits until the notebook has saved (the state line names the time). */
const saved = (page) => page.waitForFunction(() => document.getElementById("lab-saved").dataset.work === "yes");

describe("never lose work, share a link", () => {
  const ctx = usePage();

  test("edits survive a reload and a closed and reopened tab; the state line says so", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    assert.match(await ctx.page.textContent("#lab-saved"), /Todo version: no edits yet/);
    await typeInCell(ctx.page, "imports", "  # mine");
    await saved(ctx.page);
    assert.match(await ctx.page.textContent("#lab-saved"), /your edits \(1 cell\) are saved in this browser, last at/);
    await ctx.page.reload();
    await ready(ctx.page);
    assert.equal((await cellText(ctx.page, "imports")).split("\n")[0], "import torch  # mine");
    // a new tab of the same browser, after closing this one
    const context = ctx.page.context();
    const second = await context.newPage();
    await ctx.page.close();
    ctx.page = second;
    ctx.browser.page = second;
    await ctx.page.goto(`${ctx.server.url}#mode=todo`);
    await ready(ctx.page);
    assert.equal((await cellText(ctx.page, "imports")).split("\n")[0], "import torch  # mine");
    // the other versions keep their own work
    await ctx.page.goto(`${ctx.server.url}#mode=full`);
    await ready(ctx.page);
    assert.equal((await cellText(ctx.page, "imports")).split("\n")[0], "import torch");
  });

  test("a second tab of the same version never writes its stale cells over the first one's", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    const other = await ctx.page.context().newPage();
    await other.goto(`${ctx.server.url}#mode=todo`);
    await ready(other);
    await ctx.page.evaluate(() => window.flowlab.notebook.setText("training", "print('tab A')"));
    await saved(ctx.page);
    // the stale tab edits another cell, then is hidden and closed
    await other.evaluate(() => window.flowlab.notebook.setText("imports", "import torch  # tab B"));
    await other.close({ runBeforeUnload: true });
    await ctx.page.reload();
    await ready(ctx.page);
    assert.equal(await cellText(ctx.page, "training"), "print('tab A')");
    assert.equal(await cellText(ctx.page, "imports"), "import torch  # tab B");
  });

  test("reset cell and reset lab ask first, and both answers work", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    await typeInCell(ctx.page, "imports", "  # one");
    await typeInCell(ctx.page, "training", "  # two");
    await saved(ctx.page);
    const reset = ctx.page.locator('section[data-cell="imports"] button.reset-cell');
    await reset.click();
    await answer(ctx.page, "keep");
    assert.match(await cellText(ctx.page, "imports"), /# one/);
    await reset.click();
    await answer(ctx.page, "reset");
    assert.doesNotMatch(await cellText(ctx.page, "imports"), /# one/);
    assert.match(await cellText(ctx.page, "training"), /# two/, "other cells keep their edits");
    await ctx.page.click("#lab-reset");
    await answer(ctx.page, "keep");
    assert.match(await cellText(ctx.page, "training"), /# two/);
    await ctx.page.click("#lab-reset");
    await answer(ctx.page, "reset");
    assert.doesNotMatch(await cellText(ctx.page, "training"), /# two/);
    await ctx.page.reload();
    await ready(ctx.page);
    assert.doesNotMatch(await cellText(ctx.page, "training"), /# two/, "the reset is saved too");
  });

  test("a link with cells round-trips exactly; over local work it asks, and both answers work", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    const code = 'x_1 = "θ → ∞"\n\tprint(x_1)  # a tab, unicode\n\n';
    await ctx.page.evaluate((code) => window.flowlab.notebook.setText("training", code), code);
    await ctx.page.check("#lab-link-cells");
    await ctx.page.click("#lab-copy-link");
    await ctx.page.waitForFunction(() => document.getElementById("lab-link").value.includes("cells="));
    const link = await ctx.page.inputValue("#lab-link");
    assert.match(link, /#mode=todo&cells=1[\w-]+$/);

    // a fresh browser (no local work) opens the link's code as it was, without asking
    const other = await launch();
    try {
      await other.page.goto(link);
      await ready(other.page);
      // the page drops the cells from the address once it has opened them
      await other.page.waitForFunction(() => location.hash === "#mode=todo", null, { timeout: 10_000 });
      assert.equal(await cellText(other.page, "training"), code);
      assert.deepEqual(other.errors, []);
    } finally {
      await other.close();
    }

    // here, with different local work: it asks; "keep" keeps it, "open" opens the link's code
    await ctx.page.evaluate(() => window.flowlab.notebook.setText("training", "print('mine')"));
    await saved(ctx.page);
    await ctx.page.goto("about:blank");
    await ctx.page.goto(link);
    await answer(ctx.page, "keep");
    await ready(ctx.page);
    assert.equal(await cellText(ctx.page, "training"), "print('mine')");
    await ctx.page.goto("about:blank");
    await ctx.page.goto(link);
    await answer(ctx.page, "open");
    await ctx.page.waitForFunction((code) => window.flowlab.notebook.cells().then((c) => c.find((x) => x.id === "training").text === code), code);
    const backup = await ctx.page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith("flowlab.lab.v1.todo.backup."));
      return JSON.parse(localStorage.getItem(key)).cells.training;
    });
    assert.equal(backup, "print('mine')", "the replaced work is kept as a backup");
    // and it comes back with a click (asking first, since the link's code would be replaced)
    await ctx.page.click("#lab-saved button.restore-backup");
    await answer(ctx.page, "open");
    await ctx.page.waitForFunction(() => window.flowlab.notebook.cells().then((c) => c.find((x) => x.id === "training").text === "print('mine')"));
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("a corrupted, truncated or oversized link gets a clear message and loses nothing", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    await ctx.page.evaluate(() => window.flowlab.notebook.setText("training", "print('kept')"));
    await saved(ctx.page);
    const good = (await ctx.page.evaluate(() => window.flowlab.notebook.link({ cells: true }))).split("cells=")[1];
    const broken = [
      [good.slice(0, Math.floor(good.length / 2)), /cut short|damaged/],
      [`${good.slice(0, 8)}%%%${good.slice(11)}`, /damaged/],
      [`1${"A".repeat(70_000)}`, /too long/],
    ];
    for (const [cells, message] of broken) {
      await ctx.page.goto("about:blank");
      await ctx.page.goto(`${ctx.server.url}#mode=todo&cells=${cells}`);
      await ready(ctx.page);
      await ctx.page.waitForSelector("#hash-notice:not([hidden])");
      const notice = await ctx.page.textContent("#hash-notice");
      assert.match(notice, /The code in this link was not opened/);
      assert.match(notice, message);
      assert.match(notice, /Your own work is unchanged/);
      assert.equal(await cellText(ctx.page, "training"), "print('kept')");
      assert.equal(await ctx.page.evaluate(() => location.hash), "#mode=todo", "the broken part leaves the address bar");
    }
    assert.equal(await ctx.page.getAttribute("#status", "data-state"), "ready");
  });

  test("Export .py downloads the notebook and Import .py restores it", async () => {
    await fresh(ctx.page, ctx.server.url, "#mode=todo");
    await ctx.page.evaluate(() => window.flowlab.notebook.setText("training", "print('exported')"));
    const [download] = await Promise.all([ctx.page.waitForEvent("download"), ctx.page.click("#lab-export")]);
    assert.equal(download.suggestedFilename(), "flowlab-todo.py");
    const file = await download.path();
    const text = readFileSync(file, "utf8");
    assert.match(text, /^# Flow matching on two moons: the todo lab \(flowlab\)\./);
    assert.match(text, /\n# %% Training\nprint\('exported'\)\n/);
    await ctx.page.click("#lab-reset");
    await answer(ctx.page, "reset");
    assert.notEqual(await cellText(ctx.page, "training"), "print('exported')");
    await ctx.page.setInputFiles("#lab-import-file", file);
    await ctx.page.waitForFunction(() => document.getElementById("lab-status").textContent.startsWith("Imported"));
    assert.equal(await cellText(ctx.page, "training"), "print('exported')");
    // a file that is not a lab: a message, nothing changed
    await ctx.page.setInputFiles("#lab-import-file", { name: "notes.py", mimeType: "text/x-python", buffer: Buffer.from("print('hello')\n") });
    await ctx.page.waitForFunction(() => document.getElementById("lab-status").textContent.includes("could not be imported"));
    assert.equal(await cellText(ctx.page, "training"), "print('exported')");
    assert.deepEqual(ctx.browser.errors, []);
  });

  test("the exported full lab runs in CPython with PyTorch, scikit-learn and matplotlib and samples moons", async (t) => {
    const { python, why } = findPython();
    if (!python) {
      t.skip(why);
      return;
    }
    await fresh(ctx.page, ctx.server.url, "#mode=full");
    const script = await ctx.page.evaluate(() => window.flowlab.notebook.exportPy());
    const check = `
import numpy as np
_data = make_moons(2000, noise=0.05)[0]
_x = x.detach().numpy()
_d = ((_x[:, None, :] - _data[None, :, :]) ** 2).sum(-1).min(1)
print(f"near the moons: {(_d < 0.0225).mean():.3f}")
`;
    const dir = mkdtempSync(join(tmpdir(), "flowlab-export-"));
    const path = join(dir, "flowlab-full.py");
    writeFileSync(path, script + check);
    const run = runPython(python, path);
    assert.equal(run.status, 0, run.stderr);
    const near = Number(run.stdout.match(/near the moons: (\S+)/)?.[1]);
    assert.ok(near >= 0.8, `${near} of the generated points lie near the moons\n${run.stdout}`);
  });
});
