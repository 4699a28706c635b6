// bench-browser.mjs: opens the built benchmark page (dist/bench.html) in headless Chromium, waits
// for window.benchResult and prints it next to the native figure, with the lab's training cell
// run by the interpreter as a ratio to the pipeline's time, the Transport page's weight (what
// loads before any lab cell runs: the budget is about it) and, apart, the lab module's (loaded by
// the first cell). Run by scripts/bench.sh:
//
//   node scripts/bench-browser.mjs [--dist dist] [--native <steps/s>]
//                                  [--native-compare planar=<ms>,realnvp=<ms>,...] [--json out.json]
//
// --native-compare: the native ms per training step of the Compare view's models (from
// flowlab-compare), printed beside the browser's.
//
// A benchmark, never a test: it reports numbers and asserts nothing about them. It exits non-zero
// only when it could not measure (no build, the page failed, the engine stopped).

import { writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../tests/e2e/server.mjs";
import { launch } from "../tests/e2e/browser.mjs";

const PAGE_WEIGHT_TARGET = 400_000; // bytes, gzipped: the Transport page's budget
const TIMEOUT_MS = 15 * 60_000;
const SCREENSHOT = "/tmp/flowlab-bench.png";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const dist = option("--dist", "dist");
const native = Number(option("--native", "NaN"));
const jsonOut = option("--json", null);
/** model -> native ms per step, from --native-compare "planar=1.5,realnvp=2.2,...". */
const nativeCompare = Object.fromEntries(
  option("--native-compare", "")
    .split(",")
    .filter(Boolean)
    .map((pair) => pair.split("="))
    .map(([name, ms]) => [name, Number(ms)]),
);

if (!existsSync(join(dist, "bench.html"))) {
  console.error(`${join(dist, "bench.html")} is missing: build the site (trunk build --config Trunkfile.toml)`);
  process.exit(2);
}

const fmt = (x, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "-";

function report(result) {
  const lab = result.training.lab;
  const transport = result.training.transport;
  const weight = result.pageWeight;
  const nativeSecs = 10_000 / native;
  const rows = [
    ["", "native", "browser", "browser/native"],
    ["lab training, steps/s", fmt(native), fmt(lab.stepsPerSecond), fmt(lab.stepsPerSecond / native, 2)],
    ["lab, seconds per 10,000 steps", fmt(nativeSecs, 2), fmt(lab.secondsPer10k, 2), ""],
    [`Transport default, steps/s (${fmt(transport.steps)} steps)`, "", fmt(transport.stepsPerSecond), ""],
    ["Transport default, s per 10,000 steps", "", fmt(transport.secondsPer10k, 2), ""],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   ");

  console.log(`\nflowlab benchmark: ${result.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? result.userAgent}`);
  console.log(`engine v${result.engineVersion}, worker ready in ${fmt(result.engineStartMs)} ms; ${result.hardwareConcurrency} logical cores\n`);
  for (const r of rows) console.log(line(r));

  // The same training written as the lab's cell and run by the lab-language interpreter.
  const cell = result.training.labCell;
  const { ratio, medianRatio, target } = result.interpreterRatio;
  console.log("\nthe lab's training cell, in the browser      s per 10,000   steps/s");
  console.log(`  pipeline (Rust's training loop)          ${fmt(lab.secondsPer10k, 2).padStart(12)}   ${fmt(lab.stepsPerSecond).padStart(7)}`);
  console.log(`  interpreter (Session, final loss ${fmt(cell.finalLoss, 4)})  ${fmt(cell.secondsPer10k, 2).padStart(12)}   ${fmt(cell.stepsPerSecond).padStart(7)}`);
  console.log(`  interpreter / pipeline: ${fmt(ratio, 2)} (target: at most ${target}: ${ratio <= target ? "met" : "NOT met"})`);
  // Both runs last seconds, one after the other: a busy machine moves the ratio of total times;
  // the ratio of median rates (slices of the pipeline, ~25 ms slices of the cell) moves less.
  console.log(`  by median rates:        ${fmt(medianRatio, 2)}`);

  // The notebook's Run all in full mode against the pipeline doing the same work.
  const all = result.runAll;
  const list = (xs) => xs.map((x) => fmt(x, 2)).join(", ");
  console.log(`\nthe notebook's Run all (full mode, ${all.cells} cells; medians of ${all.rounds} alternating runs)`);
  console.log(`  Run all                                                     ${fmt(all.seconds, 2)} s   (${list(all.runAllSeconds)})`);
  console.log(`  pipeline, same work (10,000 steps + 300 points, 99 Euler steps) ${fmt(all.referenceSeconds, 2)} s   (${list(all.pipelineSeconds)})`);
  console.log(`  Run all / pipeline: ${fmt(all.ratio, 2)} (target: at most ${all.target}: ${all.ratio <= all.target ? "met" : "NOT met"})`);

  // The likelihood benchmark: a log-density grid of the lab model.
  const d = result.density;
  console.log(`\nlog p1 on a 128 x 128 grid (lab model after ${fmt(d.trainSteps)} steps, RK4, 20 steps)`);
  console.log(`  exact divergence        ${fmt(d.exactSeconds, 2)} s   (target: under ${d.target} s: ${d.exactSeconds < d.target ? "met" : "NOT met"})`);
  console.log(`  Hutchinson, 1 probe     ${fmt(d.hutchinsonSeconds, 2)} s`);
  console.log(`  20 RK4 steps against 200 (64 x 64 grid): max |error| ${fmt(d.rk4Error20vs200.max, 4)}, mean ${fmt(d.rk4Error20vs200.mean, 5)} nats`);

  // The Compare view: four models on equal wall-clock budgets.
  const c = result.compare;
  console.log(`\nthe Compare view's models, ${c.seconds} s of training each     ms/step  native  browser/native  steps  held-out NLL  sliced W2`);
  for (const r of c.reports) {
    const ms = r.secondsPerStep * 1000;
    const nat = nativeCompare[r.name];
    console.log(
      `  ${r.name.padEnd(44)} ${fmt(ms, 2).padStart(8)} ${fmt(nat, 2).padStart(7)} ${fmt(ms / nat, 2).padStart(15)} ${fmt(r.steps).padStart(6)} ${fmt(r.heldOutNll, 3).padStart(13)} ${fmt(r.slicedW2, 3).padStart(10)}`,
    );
  }
  const fm = c.reports.find((r) => r.name === "flow-matching");
  for (const r of c.reports) if (r !== fm) console.log(`  ${r.name}: a step costs ${fmt(r.secondsPerStep / fm.secondsPerStep, 1)} flow-matching steps`);

  const kinds = (w) => {
    for (const [kind, k] of Object.entries(w.byKind)) {
      console.log(`  ${`${kind} (${k.files})`.padEnd(24)} ${fmt(k.bytes).padStart(9)} ${fmt(k.gzipBytes).padStart(9)}`);
    }
  };
  const total = (w) => `  ${"total".padEnd(24)} ${fmt(w.totalBytes).padStart(9)} ${fmt(w.totalGzipBytes).padStart(9)}`;

  console.log("\nTransport page weight        bytes      gzip   (everything that loads before a lab cell runs)");
  kinds(weight);
  const verdict = weight.totalGzipBytes < PAGE_WEIGHT_TARGET ? "under" : "OVER";
  console.log(
    `${total(weight)}   (${fmt(weight.totalGzipBytes / 1000, 1)} kB gzipped: ${verdict} the ${PAGE_WEIGHT_TARGET / 1000} kB target)`,
  );
  for (const m of weight.missing) console.log(`  not found: ${m}`);

  const labModule = result.labModuleWeight;
  console.log("\nLab view                     bytes      gzip   (the lab module and the editor bundle, loaded when the Lab view opens or a first cell runs)");
  kinds(labModule);
  console.log(`${total(labModule)}   (${fmt(labModule.totalGzipBytes / 1000, 1)} kB gzipped)`);
  for (const m of labModule.missing) console.log(`  not found: ${m}`);
}

const server = await serve(dist);
let browser;
try {
  browser = await launch();
  const { page, errors } = browser;
  await page.goto(new URL("bench.html", server.url).href);
  // Echo the page's status line while it runs.
  let last = "";
  const started = Date.now();
  for (;;) {
    const state = await page.evaluate(() => ({
      done: window.benchResult !== undefined,
      status: document.getElementById("bench-status")?.textContent ?? "",
    }));
    if (state.status !== last) {
      last = state.status;
      console.error(`[bench] ${last}`);
    }
    if (state.done) break;
    if (Date.now() - started > TIMEOUT_MS) throw new Error(`no result after ${TIMEOUT_MS / 60_000} minutes`);
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  const result = await page.evaluate(() => window.benchResult);
  if (!result.done) {
    throw new Error(`the benchmark page failed: ${result.error}${errors.length ? `\n${errors.join("\n")}` : ""}`);
  }
  await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => {});
  if (jsonOut) await writeFile(jsonOut, JSON.stringify({ native: { stepsPerSecond: native }, ...result }, null, 2));
  report(result);
  console.log(`\n(screenshot of the page: ${SCREENSHOT})`);
  if (errors.length) console.error(`\n[bench] the page reported:\n  ${errors.join("\n  ")}`);
} catch (error) {
  console.error(`[bench] ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  await server.close();
}
