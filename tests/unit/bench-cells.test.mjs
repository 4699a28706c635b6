// The benchmark page (www/js/bench.js) times the lab's own code, embedded as string constants:
// check that it is still the code of tests/labs/full.py, cell for cell. Run with `node --test tests/unit/`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const LAB = readFileSync(new URL("../labs/full.py", import.meta.url), "utf8");
const BENCH = readFileSync(new URL("../../www/js/bench.js", import.meta.url), "utf8");

/** The body of the cell that starts with `# %% name`, without the blank lines around it. */
function cell(name) {
  const marker = `# %% ${name}\n`;
  const start = LAB.indexOf(marker);
  assert.ok(start >= 0, `tests/labs/full.py has no "${marker.trim()}" cell`);
  const end = LAB.indexOf("# %% ", start + marker.length);
  return LAB.slice(start + marker.length, end).replace(/^\n+|\n+$/g, "") + "\n";
}

/** As it reads inside a JavaScript template literal. */
const asTemplate = (text) => text.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${");

for (const [constant, cells] of [
  ["LAB_SETUP", ["imports", "velocity definition"]],
  ["LAB_TRAINING", ["training"]],
]) {
  test(`bench.js's ${constant} is the lab's ${cells.join(" and ")} cell${cells.length > 1 ? "s" : ""}`, () => {
    const expected = `const ${constant} = \`${asTemplate(cells.map(cell).join("\n\n"))}\`;`;
    assert.ok(BENCH.includes(expected), `bench.js should contain:\n${expected}`);
  });
}

test("the timed cell trains the lab's settings: batch 256, Adam 1e-2, 10,000 iterations", () => {
  const training = cell("training");
  assert.match(training, /^batch_size = 256$/m);
  assert.match(training, /^n_iterations = 10_000$/m);
  assert.match(training, /torch\.optim\.Adam\(flow\.parameters\(\), lr=1e-2\)/);
});
