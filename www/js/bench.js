// bench.js: the benchmark page (bench.html). Measures how fast the engine trains in this browser,
// started exactly as the notebook starts it (a module Web Worker, through engine.js): the native
// pipeline (Rust's training loop) and the lab's own training cell run by the lab-language
// interpreter, whose time is reported as a ratio to the pipeline's; and how much the Transport page
// weighs (what loads before any lab cell runs) and, apart, the lab module that the first cell
// loads. The results are shown and left in `window.benchResult`, a plain object that
// scripts/bench.sh reads. A benchmark, not a test: nothing here passes or fails.

import { Engine, findEngineAssets, flowlabApi } from "./engine.js";

/** What is trained. `config` is a Pipeline config (omitted fields take the lab's values). */
const RUNS = [
  {
    id: "lab",
    label: "lab: moons, batch 256, 64-64-64 ELU, Adam 1e-2",
    config: {},
    warmup: 300,
    steps: 10_000,
  },
  {
    id: "transport",
    label: "Transport view default: batch 512, SiLU, cosine 3000, EMA 0.999",
    config: { batch: 512, activation: "silu", schedule: "cosine", scheduleSteps: 3000, ema: 0.999 },
    warmup: 100,
    steps: 3_000,
  },
];
/** Steps per call to the worker, so progress shows while it trains. */
const SLICE = 500;

// The lab's code comes from the core (flowlab.labCells("full"): crate/src/lab/flow_matching.py),
// the same cells the notebook shows: the imports and Flow class cells, run untimed, then the
// timed training cell (the "lab" run's settings: moons, batch 256, 64-64-64 ELU, Adam 1e-2,
// 10,000 iterations); and, for Run all, every cell of the full lab but the course's extras.
async function labCode(api) {
  const cells = (await api.labCells("full")).filter((c) => c.kind === "code");
  const text = (id) => {
    const cell = cells.find((c) => c.id === id);
    if (!cell) throw new Error(`the lab has no cell ${id}`);
    return cell.text;
  };
  return {
    setup: `${text("imports")}\n\n${text("velocity-definition")}\n`,
    training: `${text("training")}\n`,
    runAll: cells.filter((c) => !c.extra).map((c) => c.text),
  };
}
/** The interpreter's run: the training cell as it is, after a shorter one to warm the wasm up. */
const INTERPRETER = {
  id: "labCell",
  label: "lab's training cell, run by the interpreter (Session)",
  warmup: 300,
  steps: 10_000,
};
/** The issue's target for the interpreter's time over the pipeline's. */
const RATIO_TARGET = 1.25;

const statusLine = document.getElementById("bench-status");
const progressBar = document.getElementById("bench-progress");
const trainingRows = document.querySelector("#bench-training tbody");
const weightRows = document.querySelector("#bench-weight tbody");
const weightTotal = document.querySelector("#bench-weight tfoot");
const labRows = document.querySelector("#bench-lab-weight tbody");
const labTotal = document.querySelector("#bench-lab-weight tfoot");
const envLine = document.getElementById("bench-env");
const ratioLine = document.getElementById("bench-ratio");

function setStatus(text, state = "running") {
  statusLine.textContent = text;
  statusLine.dataset.state = state;
}

function row(cells, { header = false } = {}) {
  const tr = document.createElement("tr");
  cells.forEach((cell, i) => {
    const td = document.createElement(header && i === 0 ? "th" : "td");
    if (header && i === 0) td.scope = "row";
    td.textContent = typeof cell === "number" ? cell.toLocaleString("en") : String(cell);
    if (typeof cell === "number") td.className = "num";
    tr.append(td);
  });
  return tr;
}

/** The built index.html, parsed, with a <base> so its relative URLs resolve against its own URL. */
async function fetchIndex() {
  const url = new URL("./index.html", document.baseURI).href;
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`could not fetch ${url} (HTTP ${response.status})`);
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const base = doc.createElement("base");
  base.href = url;
  doc.head.prepend(base);
  return { url, doc };
}

/** Uses the page's own stylesheet too, so this page looks like the notebook. */
function adoptStyles(indexDoc) {
  for (const link of indexDoc.querySelectorAll('link[rel="stylesheet"]')) {
    const copy = document.createElement("link");
    copy.rel = "stylesheet";
    copy.href = link.href;
    document.head.prepend(copy);
  }
}

// ---------------------------------------------------------------------------------------------
// Training speed

/**
 * Trains `run.config` for `run.steps` steps in slices of SLICE, after `run.warmup` steps on a
 * separate pipeline (so the wasm is compiled by the optimising tier and the timed run starts from
 * the configuration's own first step).
 */
async function measureTraining(api, run, onProgress) {
  if (run.warmup > 0) {
    const warm = await api.createPipeline(run.config);
    await warm.train(run.warmup);
    await warm.free();
  }
  const pipeline = await api.createPipeline(run.config);
  const slices = [];
  let done = 0;
  let finalLoss = NaN;
  const start = performance.now();
  while (done < run.steps) {
    const steps = Math.min(SLICE, run.steps - done);
    const t0 = performance.now();
    const losses = await pipeline.train(steps);
    slices.push({ steps, ms: performance.now() - t0 });
    finalLoss = losses[losses.length - 1];
    done += steps;
    onProgress(done / run.steps);
  }
  const seconds = (performance.now() - start) / 1000;
  await pipeline.free();
  const rates = slices.map((s) => (1000 * s.steps) / s.ms).sort((a, b) => a - b);
  return {
    id: run.id,
    label: run.label,
    config: run.config,
    warmupSteps: run.warmup,
    steps: run.steps,
    sliceSteps: SLICE,
    seconds,
    stepsPerSecond: run.steps / seconds,
    secondsPer10k: (10_000 * seconds) / run.steps,
    medianSliceStepsPerSecond: rates[Math.floor(rates.length / 2)],
    finalLoss,
    slices,
  };
}

/** The training cell with another iteration count (for the warm-up). */
function trainingCell(lab, iterations) {
  const cell = lab.training.replace("n_iterations = 10_000", `n_iterations = ${iterations}`);
  if (!lab.training.includes("n_iterations = 10_000")) throw new Error("the lab's training cell no longer sets n_iterations = 10_000");
  return cell;
}

/** Runs a cell and fails loudly on a Python error (a benchmark of a failing cell means nothing). */
async function runCell(api, code, options) {
  const result = await api.run(code, options);
  if (result.error) throw new Error(`the lab's code failed: ${result.error.rendered}`);
  return result;
}

/**
 * Times the lab's training cell in the interpreter, from a fresh namespace (seed 0) with the
 * setup cells already run, as a student's notebook runs it. First a warm-up of `run.warmup`
 * iterations in its own namespace, like the pipeline's.
 */
async function measureInterpreter(api, lab, run, onProgress) {
  await api.resetNamespace(0);
  await runCell(api, lab.setup);
  await runCell(api, trainingCell(lab, run.warmup));
  await api.resetNamespace(0);
  await runCell(api, lab.setup);
  let reports = 0;
  const marks = []; // [iterations done, ms] at each report of the training loop
  const start = performance.now();
  const result = await runCell(api, trainingCell(lab, run.steps), {
    onOutput: (report) => {
      reports += 1;
      if (report.progress && report.progress[1] === run.steps) {
        marks.push([report.progress[0], performance.now()]);
        onProgress(report.progress[0] / run.steps);
      }
    },
  });
  const seconds = (performance.now() - start) / 1000;
  onProgress(1);
  // The median rate between reports ~25 ms apart: on a busy machine it moves less than the total
  // time does, like the pipeline's medianSliceStepsPerSecond.
  const rates = [];
  for (let i = 1; i < marks.length; i++) {
    const ms = marks[i][1] - marks[i - 1][1];
    if (ms > 0) rates.push((1000 * (marks[i][0] - marks[i - 1][0])) / ms);
  }
  rates.sort((a, b) => a - b);
  const loss = result.text.match(/final loss: (\S+)\n$/);
  return {
    id: run.id,
    label: run.label,
    warmupSteps: run.warmup,
    steps: run.steps,
    seconds,
    stepsPerSecond: run.steps / seconds,
    secondsPer10k: (10_000 * seconds) / run.steps,
    medianSliceStepsPerSecond: rates.length ? rates[Math.floor(rates.length / 2)] : NaN,
    finalLoss: loss ? Number(loss[1]) : NaN,
    reports,
  };
}

/** Rounds of the Run all comparison; medians are reported (a busy machine moves single runs). */
const RUN_ALL_ROUNDS = 3;

/**
 * The notebook's Run all in full mode (its cells but the extras, from a fresh namespace: 10,000
 * training iterations, 300 points through 99 Euler steps, two figures) against the pipeline
 * doing the same work (a fresh model trained 10,000 steps in one call, then 300 points sampled
 * with 99 Euler steps), alternately, RUN_ALL_ROUNDS times each; the ratio of the medians.
 */
async function measureRunAll(api, lab, onProgress) {
  const runAll = [];
  const pipeline = [];
  const cellSeconds = [];
  for (let round = 0; round < RUN_ALL_ROUNDS; round++) {
    const model = await api.createPipeline({ batch: 256, activation: "elu", schedule: "constant", ema: 0 });
    let t0 = performance.now();
    await model.train(10_000);
    await model.sample({ n: 300, solver: "euler", steps: 99, seed: 0 });
    pipeline.push((performance.now() - t0) / 1000);
    await model.free();
    onProgress((2 * round + 1) / (2 * RUN_ALL_ROUNDS));

    await api.resetNamespace(0);
    const cells = [];
    t0 = performance.now();
    for (const code of lab.runAll) {
      const c0 = performance.now();
      await runCell(api, code);
      cells.push((performance.now() - c0) / 1000);
    }
    runAll.push((performance.now() - t0) / 1000);
    cellSeconds.push(cells);
    onProgress((2 * round + 2) / (2 * RUN_ALL_ROUNDS));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const seconds = median(runAll);
  const referenceSeconds = median(pipeline);
  return {
    cells: lab.runAll.length,
    rounds: RUN_ALL_ROUNDS,
    seconds,
    referenceSeconds,
    ratio: seconds / referenceSeconds,
    target: RATIO_TARGET,
    runAllSeconds: runAll,
    pipelineSeconds: pipeline,
    cellSeconds,
  };
}

/**
 * The likelihood issue's benchmark: log p1 of the lab model (trained `trainSteps` steps) on a
 * 128 x 128 grid with the exact divergence and 20 RK4 steps (target: under 4 s), the same with
 * Hutchinson's estimator and one probe, and the error of 20 RK4 steps against 200 (on 64 x 64,
 * under the engine's work limit per call).
 */
async function measureDensity(api, trainSteps = 2000) {
  const model = await api.createPipeline({ batch: 256, activation: "elu", schedule: "constant", ema: 0 });
  await model.train(trainSteps);
  const box = { xmin: -2.5, xmax: 3.5, ymin: -2, ymax: 2.5 };
  const timed = async (options) => {
    const t0 = performance.now();
    const logp = await model.logDensityGrid({ ...box, ...options });
    return { seconds: (performance.now() - t0) / 1000, logp };
  };
  await timed({ nx: 16, ny: 16 }); // warm-up
  const exact = await timed({ nx: 128, ny: 128, divergence: "exact", solver: "rk4", steps: 20 });
  const hutchinson = await timed({ nx: 128, ny: 128, divergence: "hutchinson", probes: 1, solver: "rk4", steps: 20 });
  const coarse = await timed({ nx: 64, ny: 64, solver: "rk4", steps: 20 });
  const fine = await timed({ nx: 64, ny: 64, solver: "rk4", steps: 200 });
  let maxError = 0;
  let sumError = 0;
  for (let i = 0; i < fine.logp.length; i++) {
    const e = Math.abs(coarse.logp[i] - fine.logp[i]);
    maxError = Math.max(maxError, e);
    sumError += e;
  }
  await model.free();
  return {
    trainSteps,
    exactSeconds: exact.seconds,
    hutchinsonSeconds: hutchinson.seconds,
    target: 4,
    rk4Error20vs200: { max: maxError, mean: sumError / fine.logp.length, grid: 64 },
  };
}

/**
 * The Compare view's experiment: its four models trained `seconds` each on equal wall-clock
 * budgets in the worker, then measured (time per step, held-out NLL, sliced W2).
 * scripts/bench.sh runs the same natively (flowlab-compare) for the browser/native ratios.
 */
async function measureCompare(api, seconds = 5) {
  const models = await api.createComparison({});
  await models.run({ seconds });
  const { reports, findings } = await models.measure({ seed: 0 });
  await models.free();
  return { seconds, reports, findings };
}

// ---------------------------------------------------------------------------------------------
// Page weight

/** Relative module specifiers in a script: static and dynamic imports, re-exports, and
 *  `new URL("./x.js", import.meta.url)` (how main.js names the worker). */
function moduleReferences(source) {
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bnew\s+URL\s*\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
  ];
  const found = new Set();
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      if (/^\.\.?\//.test(match[1]) && /\.m?js$/.test(match[1])) found.add(match[1]);
    }
  }
  return [...found];
}

async function fetchBytes(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Size after gzip (the browser's own CompressionStream, zlib's default level). */
async function gzipSize(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Each file's size and gzipped size, and the totals by kind and overall. */
async function weigh(files, missing) {
  const measured = [];
  for (const file of files) {
    let bytes = file.bytes;
    if (!bytes) {
      try {
        bytes = await fetchBytes(file.url);
      } catch (error) {
        missing.push(`${file.url} (${error.message})`);
        continue;
      }
    }
    const path = new URL(file.url).pathname;
    measured.push({ path, kind: file.kind, bytes: bytes.byteLength, gzipBytes: await gzipSize(bytes) });
  }
  const sum = (kind, key) => measured.filter((f) => !kind || f.kind === kind).reduce((s, f) => s + f[key], 0);
  const byKind = {};
  for (const kind of new Set(measured.map((f) => f.kind))) {
    byKind[kind] = { files: measured.filter((f) => f.kind === kind).length, bytes: sum(kind, "bytes"), gzipBytes: sum(kind, "gzipBytes") };
  }
  return { files: measured, byKind, totalBytes: sum(null, "bytes"), totalGzipBytes: sum(null, "gzipBytes"), missing };
}

/**
 * Every file the Transport page downloads before any lab cell runs: the HTML, the CSS, the
 * engine's glue and wasm, and the JavaScript module graph from the page's module scripts (workers
 * included). The lab module is not part of it (see measureLabModule).
 */
async function measurePageWeight(index, assets) {
  const files = [{ url: index.url, kind: "html" }];
  for (const link of index.doc.querySelectorAll('link[rel="stylesheet"]')) {
    files.push({ url: link.href, kind: "css" });
  }
  files.push({ url: assets.glue, kind: "engine glue js" }, { url: assets.wasm, kind: "engine wasm" });

  const missing = [];
  const seen = new Set();
  const queue = [...index.doc.querySelectorAll('script[type="module"][src]')].map((s) => s.src);
  while (queue.length > 0) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    let bytes;
    try {
      bytes = await fetchBytes(url);
    } catch (error) {
      missing.push(`${url} (${error.message})`);
      continue;
    }
    files.push({ url, kind: "page js", bytes });
    for (const spec of moduleReferences(new TextDecoder().decode(bytes))) {
      // vendor/: the editor bundle, which only the Lab view loads (measureLabModule)
      if (!spec.includes("/vendor/")) queue.push(new URL(spec, url).href);
    }
  }

  return weigh(files, missing);
}

/** What the Lab view downloads on top: lab.json and the lab module's glue and wasm (the first
 *  cell, or the view's cells, load them), and the editor bundle with KaTeX's stylesheet (its
 *  fonts load only for the glyphs a formula uses). */
async function measureLabModule(assets) {
  const missing = [];
  let manifest;
  try {
    const bytes = await fetchBytes(assets.lab);
    manifest = { bytes, ...JSON.parse(new TextDecoder().decode(bytes)) };
  } catch (error) {
    missing.push(`${assets.lab} (${error.message})`);
    return weigh([], missing);
  }
  return weigh(
    [
      { url: assets.lab, kind: "lab manifest", bytes: manifest.bytes },
      { url: new URL(manifest.glue, assets.lab).href, kind: "lab glue js" },
      { url: new URL(manifest.wasm, assets.lab).href, kind: "lab wasm" },
      { url: new URL("vendor/editor.js", assets.lab).href, kind: "editor bundle js" },
      { url: new URL("vendor/katex/katex.min.css", assets.lab).href, kind: "katex css" },
    ],
    missing,
  );
}

// ---------------------------------------------------------------------------------------------
// The page

function showTraining(result) {
  trainingRows.append(
    row([result.label, result.steps, Math.round(result.stepsPerSecond), result.secondsPer10k.toFixed(2), result.finalLoss.toFixed(4)], { header: true }),
  );
}

function showWeight(weight, rows = weightRows, total = weightTotal) {
  for (const f of weight.files) {
    rows.append(row([f.path, f.kind, f.bytes, f.gzipBytes], { header: true }));
  }
  total.append(row([`total (${weight.files.length} files)`, "", weight.totalBytes, weight.totalGzipBytes], { header: true }));
  for (const url of weight.missing) rows.append(row([url, "not found", "", ""], { header: true }));
}

async function run() {
  const result = {
    done: false,
    startedAt: new Date().toISOString(),
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
    engineVersion: null,
    engineStartMs: null,
    training: {},
    interpreterRatio: null,
    runAll: null,
    density: null,
    pageWeight: null,
    labModuleWeight: null,
  };
  envLine.textContent = `${navigator.userAgent} · ${navigator.hardwareConcurrency ?? "?"} logical cores`;

  setStatus("Reading the built index.html…");
  const index = await fetchIndex();
  adoptStyles(index.doc);
  const assets = findEngineAssets(index.doc);

  setStatus("Starting the engine…");
  const t0 = performance.now();
  const engine = new Engine(new URL("./worker.js", import.meta.url), assets);
  const api = flowlabApi(engine);
  engine.addEventListener("state", ({ detail }) => {
    if (detail.state === "failed") setStatus(`The engine stopped: ${detail.error}`, "failed");
  });
  result.engineVersion = await engine.ready;
  result.engineStartMs = performance.now() - t0;

  const totalSteps = RUNS.reduce((s, r) => s + r.steps, 0) + INTERPRETER.steps;
  let before = 0;
  for (const spec of RUNS) {
    setStatus(`Training: ${spec.label} (${spec.steps.toLocaleString("en")} steps)…`);
    const measured = await measureTraining(api, spec, (fraction) => {
      progressBar.value = (before + fraction * spec.steps) / totalSteps;
      statusLine.textContent = `Training: ${spec.label}: ${Math.round(fraction * spec.steps).toLocaleString("en")} of ${spec.steps.toLocaleString("en")} steps…`;
    });
    before += spec.steps;
    result.training[spec.id] = measured;
    showTraining(measured);
  }

  setStatus(`Training: ${INTERPRETER.label} (${INTERPRETER.steps.toLocaleString("en")} iterations)…`);
  const lab = await labCode(api);
  const cell = await measureInterpreter(api, lab, INTERPRETER, (fraction) => {
    progressBar.value = (before + fraction * INTERPRETER.steps) / totalSteps;
    statusLine.textContent = `Training: ${INTERPRETER.label}: ${Math.round(fraction * INTERPRETER.steps).toLocaleString("en")} of ${INTERPRETER.steps.toLocaleString("en")} iterations…`;
  });
  before += INTERPRETER.steps;
  result.training[INTERPRETER.id] = cell;
  showTraining(cell);
  // Same work, same settings: the interpreter's seconds over the pipeline's.
  result.interpreterRatio = {
    ratio: cell.seconds / result.training.lab.seconds,
    medianRatio: result.training.lab.medianSliceStepsPerSecond / cell.medianSliceStepsPerSecond,
    target: RATIO_TARGET,
  };
  ratioLine.textContent =
    `The lab's training cell takes ${cell.secondsPer10k.toFixed(2)} s per 10,000 iterations in the interpreter, ` +
    `${result.interpreterRatio.ratio.toFixed(2)}× the pipeline's ${result.training.lab.secondsPer10k.toFixed(2)} s ` +
    `(target: at most ${RATIO_TARGET}×); by their median rates, ${result.interpreterRatio.medianRatio.toFixed(2)}×.`;
  setStatus("The notebook's Run all (full mode)…");
  result.runAll = await measureRunAll(api, lab, (fraction) => {
    statusLine.textContent = `The notebook's Run all against the pipeline: ${Math.round(100 * fraction)} %…`;
  });
  ratioLine.textContent +=
    ` Run all (full mode, ${result.runAll.cells} cells) takes ${result.runAll.seconds.toFixed(2)} s, ` +
    `${result.runAll.ratio.toFixed(2)}× the pipeline's ${result.runAll.referenceSeconds.toFixed(2)} s for the same work ` +
    `(medians of ${result.runAll.rounds} alternating runs).`;
  setStatus("Log-density grid (128 × 128, exact divergence, RK4 with 20 steps)…");
  result.density = await measureDensity(api);
  ratioLine.textContent +=
    ` A 128 × 128 log-density grid takes ${result.density.exactSeconds.toFixed(2)} s with the exact divergence ` +
    `(${result.density.hutchinsonSeconds.toFixed(2)} s with Hutchinson, one probe).`;
  setStatus("The Compare view's four models, 5 s each…");
  result.compare = await measureCompare(api);
  ratioLine.textContent +=
    ` The Compare view's models take ${result.compare.reports.map((r) => `${(r.secondsPerStep * 1000).toFixed(2)} ms (${r.name})`).join(", ")} per step.`;
  setStatus("Weighing the page…");
  result.pageWeight = await measurePageWeight(index, assets);
  showWeight(result.pageWeight);
  result.labModuleWeight = await measureLabModule(assets);
  showWeight(result.labModuleWeight, labRows, labTotal);

  const trained = result.training.lab;
  result.done = true;
  setStatus(
    `Done: the lab trains at ${Math.round(trained.stepsPerSecond).toLocaleString("en")} steps/s ` +
      `(${trained.secondsPer10k.toFixed(2)} s per 10,000 steps), the interpreter takes ` +
      `${result.interpreterRatio.ratio.toFixed(2)}× as long; the Transport page weighs ` +
      `${(result.pageWeight.totalGzipBytes / 1000).toFixed(0)} kB gzipped, and the lab module its first cell ` +
      `loads ${(result.labModuleWeight.totalGzipBytes / 1000).toFixed(0)} kB.`,
    "done",
  );
  progressBar.value = 1;
  return result;
}

run().then(
  (result) => {
    window.benchResult = result;
  },
  (error) => {
    setStatus(`The benchmark failed: ${error.message}`, "failed");
    window.benchResult = { done: false, error: String(error && error.message ? error.message : error) };
  },
);
