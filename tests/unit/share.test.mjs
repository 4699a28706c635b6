// Cells in a link (www/js/share.js): exact round trips, and every kind of broken link gives a
// ShareError with a plain message, never anything else. Run with `node --test tests/unit/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_CELLS_BYTES, MAX_LINK_CHARS, ShareError, decodeCells, encodeCells, extractCells } from "../../www/js/share.js";

const CELLS = {
  imports: "import torch\nimport numpy as np\n",
  training: 'for it in range(10):\n\tx = "tab, unicode: θ → ∞, emoji 🌙"\r\n    print(f"{it:>5}")\n\n\n',
  empty: "",
};

test("cells round-trip exactly through a link", async () => {
  const value = await encodeCells(CELLS);
  assert.match(value, /^1[A-Za-z0-9_-]+$/, "URL-safe, no padding");
  assert.deepEqual(await decodeCells(value), CELLS);
  const { hash, cells } = extractCells(`#mode=todo&cells=${value}&seed=3`);
  assert.equal(hash, "mode=todo&seed=3");
  assert.deepEqual(await decodeCells(cells), CELLS);
  assert.deepEqual(extractCells("#mode=full"), { hash: "mode=full", cells: null });
});

async function rejects(value, pattern) {
  await assert.rejects(decodeCells(value), (error) => {
    assert.ok(error instanceof ShareError, `${error.name}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test("a truncated, corrupted, foreign or oversized link says what is wrong", async () => {
  const value = await encodeCells(CELLS);
  for (const cut of [1, 5, Math.floor(value.length / 2), value.length - 3]) {
    await rejects(value.slice(0, cut), /cut short|damaged|empty/);
  }
  await rejects(value.slice(0, 10) + "!!" + value.slice(12), /unexpected characters/);
  await rejects(`2${value.slice(1)}`, /another version/);
  await rejects("", /empty/);
  await rejects("1" + "A".repeat(MAX_LINK_CHARS), /too long/);
  // valid compression of something that is not a set of cells
  const notCells = await encodeCells(["a list"]);
  await rejects(notCells, /not a set of cells/);
  const notText = await encodeCells({ training: 42 });
  await rejects(notText, /not text/);
});

test("a small link that inflates past the limit is cut off, not read to the end", async () => {
  const bomb = await encodeCells({ training: "x".repeat(4 * MAX_CELLS_BYTES) });
  assert.ok(bomb.length < 20_000, `the bomb's link is short: ${bomb.length}`);
  await rejects(bomb, /too large/);
});
