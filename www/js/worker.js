// worker.js: the module Web Worker that owns the wasm engine and all of its state.
//
// The page never instantiates the wasm. It sends one {type: "init", glue, wasm, lab} message with
// the URLs of trunk's hashed wasm-bindgen glue module and .wasm file and of lab.json (see
// findEngineAssets in engine.js); this worker imports the glue, instantiates the wasm and then
// answers calls.
//
// Two wasm modules. The engine (trunk's build, crate feature "lang" off) serves everything but the
// lab language, and loads at start. The lab module (scripts/build-lab-wasm.sh: the engine plus the
// interpreter, about five times the size) is loaded by the first langRun only: lab.json names its
// hashed glue and wasm, which are imported and instantiated once (calls that arrive meanwhile wait
// for the same load). If it cannot be loaded, that langRun fails with a LabLoadError and the
// engine keeps working; the next langRun tries again. langStop, langReset and langNames never
// need it: before the first cell there is nothing to stop and no name, and a reset only sets the
// seed the namespace starts from.
//
// Protocol (page -> worker):
//   {type: "init", glue: url, wasm: url, lab: url}
//   {type: "call", id, method, args}            method: a key of METHODS below
//   {type: "crash"}                             test hook: throws an uncaught error here
// Protocol (worker -> page):
//   {type: "ready", version}
//   {type: "output", id, report}                a running call's partial output (langRun: one
//                                               slice's report); any number, before the result
//   {type: "result", id, result}                a typed-array result is transferred, not copied
//   {type: "error", id, message, name}          the call failed; the engine is still usable
//   {type: "fatal", message}                    the engine cannot go on (load failure, panic)
//
// Lab-language cells (langRun) run in slices of SLICE_MS: between two slices the worker goes back
// to its event loop, so a langStop sent meanwhile is handled at once and other calls still
// answer. One cell runs at a time: a langRun while another runs is rejected, not queued (a
// queued cell would run long after the person who started it moved on; the page asks again).

/** The wasm-bindgen glue module, once instantiated. */
let engine = null;
/** The instance's WebAssembly.Memory: never transfer (detach) its buffer. */
let wasmMemory = null;
/** Resolves once the engine is instantiated; rejects if it could not be. */
let booted = null;

/** The URL of lab.json ({glue, wasm}: the lab module's file names, relative to it). */
let labManifest = null;
/** The lab module's glue, once instantiated (it exports Session). */
let lab = null;
/** Its WebAssembly.Memory (a separate instance, with its own memory). */
let labMemory = null;
/** The load in progress, shared by every call that needs the lab module; null after a failure. */
let labLoading = null;
/** Live `Pipeline` objects by handle number: Rust state stays here, the page holds numbers. */
const pipelines = new Map();
let nextHandle = 1;

/** Live `Comparison` objects by handle number (the Compare view's four models), and the runs
 *  training them: handle -> {stopRequested}. */
const comparisons = new Map();
const compareRuns = new Map();

/** The notebooks' interpreters (`Session`) by name ("lab": the Lab view's, the default;
 *  "lecture": the Lecture view's): each one namespace shared by its cells, made on first use. */
const sessions = new Map();
/** The seed a namespace starts from when its first cell makes it (langReset before any cell). */
const firstSeeds = new Map();
/** The cell in progress, or null: {name, session, started, stopRequested, stopReport}; langStop / langReset set
 *  stopRequested, and stopReport once the cell has started (a cell still waiting for the lab
 *  module is stopped as soon as it starts). */
let activeRun = null;
/** How long one slice of a cell runs before the worker looks at its messages again. */
const SLICE_MS = 25;

// console_error_panic_hook reports a Rust panic with console.error just before the wasm traps
// with a bare "unreachable". Keep the panic's text so the page can show what really happened.
let lastPanic = null;
const consoleError = console.error.bind(console);
console.error = (...args) => {
  const text = args.map(String).join(" ");
  // The hook's text is "panicked at file:line:col:\nmessage\n\nStack:\n...": keep what a person reads.
  if (text.includes("panicked at")) lastPanic = `Rust ${text.split("\n\nStack:")[0].trim()}`;
  consoleError(...args);
};

/** The facade takes seeds as JavaScript numbers (whole, in [0, 2^53)); accept BigInts too. */
function seedArg(seed) {
  return typeof seed === "bigint" ? Number(seed) : seed;
}

function pipeline(handle) {
  const p = pipelines.get(handle);
  if (!p) throw new Error(`no pipeline with handle ${handle} (freed, or made by an engine that was restarted)`);
  return p;
}

function requireExport(name) {
  if (typeof engine[name] !== "function") {
    throw new Error(`this engine build has no ${name} export`);
  }
  return engine[name];
}

function comparison(handle) {
  const c = comparisons.get(handle);
  if (!c) throw new Error(`no comparison with handle ${handle} (freed, or made by an engine that was restarted)`);
  return c;
}

/** How long one training slice of one model runs before the worker looks at its messages. */
const COMPARE_SLICE_S = 0.05;

/**
 * Trains the comparison's models on equal wall-clock budgets of `seconds` each: always the model
 * with the least time so far, in slices of about COMPARE_SLICE_S (sized from its measured time
 * per step), yielding to the event loop between slices so compareStop and other calls answer.
 * Sends {progress: [per model]} as output every slice; resolves with the last progress and
 * whether the run was stopped. A model whose training fails drops out; the others go on.
 */
async function compareRun({ handle, seconds }, { output }) {
  const c = comparison(handle);
  if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 3600)) {
    throw new RangeError(`seconds: must be a number in (0, 3600], but is ${seconds}`);
  }
  if (compareRuns.has(handle)) throw new Error("these models are already training: stop them first");
  const run = { stopRequested: false };
  compareRuns.set(handle, run);
  const models = engine.Comparison.models();
  const progress = () => models.map((m) => c.progress(m));
  try {
    const start = new Map(progress().map((p) => [p.name, p.seconds]));
    for (;;) {
      const now = progress();
      const open = now.filter((p) => p.failure === null && p.seconds - start.get(p.name) < seconds);
      if (run.stopRequested || open.length === 0) return { progress: now, stopped: run.stopRequested };
      const next = open.reduce((a, b) => (b.seconds - start.get(b.name) < a.seconds - start.get(a.name) ? b : a));
      const steps = next.secondsPerStep ? Math.max(1, Math.min(10_000, Math.round(COMPARE_SLICE_S / next.secondsPerStep))) : 1;
      const t0 = performance.now();
      c.train(next.name, steps);
      c.addSeconds(next.name, (performance.now() - t0) / 1000);
      output({ progress: progress() });
      await nextTask();
    }
  } finally {
    compareRuns.delete(handle);
  }
}

/** Session takes any number and would cast it (-1 or 0.5 silently seeding something else):
 *  refuse what is not a seed, as the other exports do. */
function sessionSeed(seed) {
  const value = seedArg(seed);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`seed: must be a whole number >= 0, but is ${String(seed)}`);
  }
  return value;
}

/** Why the lab module could not be loaded: the cell's error, not the engine's end. */
class LabLoadError extends Error {
  name = "LabLoadError";
}

/** Fetches lab.json, imports the lab glue and instantiates the lab wasm, once. */
function loadLab() {
  labLoading ??= (async () => {
    if (!labManifest) throw new Error("the page did not say where lab.json is");
    const response = await fetch(labManifest, { cache: "no-cache" }); // not hashed: revalidate
    if (!response.ok) throw new Error(`${labManifest} could not be fetched (HTTP ${response.status})`);
    const manifest = await response.json();
    if (typeof manifest?.glue !== "string" || typeof manifest?.wasm !== "string") {
      throw new Error(`${labManifest} does not name the lab module's glue and wasm`);
    }
    const module = await import(new URL(manifest.glue, response.url).href);
    const exports = await module.default({ module_or_path: new URL(manifest.wasm, response.url).href });
    if (typeof module.Session !== "function") throw new Error("the lab module has no Session export");
    labMemory = exports.memory ?? null;
    lab = module;
    return module;
  })().catch((error) => {
    labLoading = null; // the next cell tries again
    throw new LabLoadError(describeLoadError(error, "the lab language"));
  });
  return labLoading;
}

/** A lab's name for the lab module (undefined: the flow matching lab). */
function labName(name) {
  return name === undefined || name === null ? undefined : String(name);
}

/** A namespace's name: "lab" unless another is given. */
function sessionName(name) {
  if (name === undefined || name === null) return "lab";
  if (typeof name !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(name)) {
    throw new RangeError(`session: must be a short lower-case name like "lab", but is ${String(name)}`);
  }
  return name;
}

/** The session `name`, after loading the lab module if need be. */
async function labSession(name = "lab") {
  const module = lab ?? (await loadLab());
  if (!sessions.has(name)) sessions.set(name, new module.Session(firstSeeds.get(name) ?? 0));
  return sessions.get(name);
}

// The next task of the worker's event loop, for yielding between slices. A MessageChannel, not
// setTimeout(0): browsers clamp nested timers to 4 ms, which would add ~15 % to a 25 ms slice.
const yieldChannel = new MessageChannel();
const yieldWaiters = [];
yieldChannel.port1.onmessage = () => yieldWaiters.shift()();
function nextTask() {
  return new Promise((resolve) => {
    yieldWaiters.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}

/** A slice's report worth sending: it printed, showed a figure or moved the progress bar. */
function hasOutput(report) {
  return report.text !== "" || report.figures.length > 0 || report.progress !== null;
}

/** Ends the running cell now (its langRun resolves with a KeyboardInterrupt report). */
function interruptActiveRun() {
  if (!activeRun || activeRun.stopRequested) return false;
  activeRun.stopRequested = true;
  if (activeRun.started) activeRun.stopReport = activeRun.session.interrupt();
  return true;
}

/**
 * Runs one cell to its end, slice by slice, sending each slice's report as an "output" message;
 * resolves with the last report (done: true; error: null, or {kind, message, line, ...}).
 */
async function langRun({ code, session: name }, { output }) {
  if (typeof code !== "string") throw new TypeError(`code: must be a string, but is ${typeof code}`);
  name = sessionName(name);
  if (activeRun) {
    const where = activeRun.name === name ? "" : ` in the ${activeRun.name === "lab" ? "Lab" : "Lecture"} view`;
    throw new Error(`a cell is already running${where}: wait for it to finish, or stop it (flowlab.stop()) first`);
  }
  const run = { name, session: null, started: false, stopRequested: false, stopReport: null };
  activeRun = run;
  try {
    // The first cell waits for the lab module here (a langStop meanwhile stops it on start).
    const s = sessions.get(name) ?? (await labSession(name));
    run.session = s;
    const syntaxError = s.start(code);
    if (syntaxError !== undefined) return syntaxError;
    run.started = true;
    if (run.stopRequested) run.stopReport = s.interrupt();
    for (;;) {
      const report = run.stopReport ?? s.resume(SLICE_MS);
      if (report.done) return report;
      if (hasOutput(report)) output(report);
      await nextTask(); // a langStop that arrived during the slice runs here
    }
  } finally {
    activeRun = null;
  }
}

/**
 * What the page may call: one entry per export of crate/src/api.rs (the lang* ones: of the lab
 * module's Session, crate/src/api/session.rs). Each takes one plain object. Flat Float32Arrays
 * are row-major with the shapes given.
 */
const METHODS = {
  /** -> the crate version, e.g. "0.1.0". */
  version: () => requireExport("version")(),
  /** -> the lab's default pipeline configuration, as a plain object. */
  defaultConfig: () => requireExport("defaultConfig")(),
  /** -> the data set names, e.g. ["moons", "circles", ...]. */
  datasetNames: () => requireExport("datasetNames")(),
  /** -> Float32Array (n, 2). noise undefined takes the data set's default. */
  datasetSamples: ({ name, n, noise, seed }) =>
    requireExport("datasetSamples")(name, n, noise, seedArg(seed)),
  /** -> Uint32Array (n,): the label of each point of the same draw as datasetSamples. */
  datasetLabels: ({ name, n, noise, seed }) =>
    requireExport("datasetLabels")(name, n, noise, seedArg(seed)),
  /** -> Float32Array (n, 2) of standard-normal points. */
  noise: ({ n, seed }) => requireExport("noise")(n, seedArg(seed)),
  /** -> what a perfect sampler scores against n fresh points of the data set. */
  qualityFloor: ({ name, n, noise, seed }) => requireExport("qualityFloor")(name, n, noise, seedArg(seed)),
  /** a: (n, 2), b: (m, 2) flat Float32Arrays -> sliced Wasserstein-2 distance. */
  slicedW2: ({ a, b }) => requireExport("slicedW2")(a, b),

  /** config: {dataset, noise, hidden, activation, optimizer, lr, batch, seed, ...} -> handle. */
  pipelineCreate: ({ config }) => {
    const Pipeline = requireExport("Pipeline");
    const p = new Pipeline(config);
    const handle = nextHandle++;
    pipelines.set(handle, p);
    return handle;
  },
  /** -> the validated configuration, as a plain object. */
  pipelineConfig: ({ handle }) => pipeline(handle).config(),
  /** -> Float32Array (steps,) of losses. */
  pipelineTrain: ({ handle, steps }) => pipeline(handle).train(steps),
  /** -> Float32Array (steps + 1, n, 2): the trajectory of every particle. */
  pipelineSample: ({ handle, n, solver, steps, seed }) =>
    pipeline(handle).sample(n, solver, steps, seedArg(seed)),
  /** -> Float32Array (n, 2): only the final states of pipelineSample. */
  pipelineSampleFinal: ({ handle, n, solver, steps, seed }) =>
    pipeline(handle).sampleFinal(n, solver, steps, seedArg(seed)),
  /** -> Float32Array (ny, nx, 2): the velocity at time t on a grid. */
  pipelineVelocityGrid: ({ handle, xmin, xmax, ymin, ymax, nx, ny, t }) =>
    pipeline(handle).velocityGrid(xmin, xmax, ymin, ymax, nx, ny, t),
  /** points: Float32Array (n, 2), options {divergence, probes, solver, steps, seed} ->
   *  Float32Array (n,): log p1 of each point. */
  pipelineLogDensity: ({ handle, points, options }) => pipeline(handle).logDensity(points, options),
  /** -> Float32Array (ny, nx): log p1 on the grid over the box, row 0 at ymin. */
  pipelineLogDensityGrid: ({ handle, xmin, xmax, ymin, ymax, nx, ny, options }) =>
    pipeline(handle).logDensityGrid(xmin, xmax, ymin, ymax, nx, ny, options),
  /** -> [samples (n, 2), log p1 (n,)]: samples with their log-density along the path. */
  pipelineSampleWithLogDensity: ({ handle, n, seed, options }) =>
    pipeline(handle).sampleWithLogDensity(n, seedArg(seed), options),
  /** -> {points, exactNll, exactBits, estimateNll, estimateSpread, pointSpread, repeats}. */
  pipelineLikelihoodReport: ({ handle, n, dataSeed, options, repeats }) =>
    pipeline(handle).likelihoodReport(n, seedArg(dataSeed), options, repeats),
  /** -> [points (m, 2), velocity (ny, nx, 2)]: Theorem 1's exact velocity of m data points. */
  pipelineExactVelocityGrid: ({ handle, m, dataSeed, xmin, xmax, ymin, ymax, nx, ny, t }) =>
    pipeline(handle).exactVelocityGrid(m, seedArg(dataSeed), xmin, xmax, ymin, ymax, nx, ny, t),
  /** -> [points (m, 2), samples (n, 2)]: noise carried by the exact velocity of m data points. */
  pipelineExactSamples: ({ handle, m, dataSeed, n, steps, seed }) =>
    pipeline(handle).exactSamples(m, seedArg(dataSeed), n, steps, seedArg(seed)),
  /** points: Float32Array (n, 2) -> Uint32Array (n,): label of the nearest data point. */
  pipelineEndLabels: ({ handle, points }) => pipeline(handle).endLabels(points),
  /** -> sliced W2 between n samples and n fresh data points. */
  pipelineQuality: ({ handle, n, seed }) => pipeline(handle).quality(n, seedArg(seed)),
  /** -> number of training steps taken so far. */
  pipelineStep: ({ handle }) => pipeline(handle).step,
  pipelineFree: ({ handle }) => {
    pipeline(handle).free();
    pipelines.delete(handle);
  },

  /** options: {dataset, noise, seed, batch, heldOut, planarLayers, couplingLayers, hidden,
   *  cnfSolver, cnfSteps, cnfDivergence} (omitted: defaults) -> handle. */
  compareCreate: ({ options }) => {
    const c = new (requireExport("Comparison"))(options);
    const handle = nextHandle++;
    comparisons.set(handle, c);
    return handle;
  },
  /** -> the models' names. */
  compareModels: () => requireExport("Comparison").models(),
  /** Trains every model for `seconds` more of wall-clock time each (see compareRun). */
  compareRun,
  /** Ends a compareRun after its current slice -> whether one was running. */
  compareStop: ({ handle }) => {
    const run = compareRuns.get(handle);
    if (!run) return false;
    run.stopRequested = true;
    return true;
  },
  /** -> [{name, steps, seconds, secondsPerStep, objective, recentLoss, failure}]. */
  compareProgress: ({ handle }) => engine.Comparison.models().map((m) => comparison(handle).progress(m)),
  /** -> {reports: [{..., heldOutNll, slicedW2}], findings: [{claim, measured, agrees}]}. */
  compareMeasure: ({ handle, seed }) => comparison(handle).measure(seedArg(seed)),
  /** -> Float32Array (n, 2): samples of one model. */
  compareSamples: ({ handle, model, n, seed }) => comparison(handle).samples(model, n, seedArg(seed)),
  /** -> Float32Array (ny, nx): log p of one model on the grid over the box, row 0 at ymin. */
  compareLogDensityGrid: ({ handle, model, xmin, xmax, ymin, ymax, nx, ny }) =>
    comparison(handle).logDensityGrid(model, xmin, xmax, ymin, ymax, nx, ny),
  /** -> Float32Array (n, 2): the held-out data points. */
  compareHeldOut: ({ handle }) => comparison(handle).heldOut(),
  compareFree: ({ handle }) => {
    if (compareRuns.has(handle)) throw new Error("these models are training: stop them (compareStop) before freeing them");
    comparison(handle).free();
    comparisons.delete(handle);
  },

  /** code: one cell of the lab language -> its last report; earlier ones go out as "output". */
  langRun,
  /** Interrupts the running cell (with a `session`: only if it runs in that namespace) -> true,
   *  or false when none was running. */
  langStop: ({ session: name } = {}) => {
    if (name !== undefined && name !== null && activeRun?.name !== sessionName(name)) return false;
    return interruptActiveRun();
  },
  /** Interrupts a running cell of the namespace `session` (default "lab"), then forgets its
   *  every name and reseeds (the first draws of a fresh namespace come from `seed`). */
  langReset: ({ seed = 0, session: name }) => {
    const checked = sessionSeed(seed);
    name = sessionName(name);
    if (activeRun?.name === name) interruptActiveRun();
    if (sessions.has(name)) sessions.get(name).reset(checked);
    else firstSeeds.set(name, checked); // no namespace yet: the first cell makes it with this seed
  },
  /** -> the names the namespace `session` (default "lab") holds, sorted. */
  langNames: ({ session: name } = {}) => sessions.get(sessionName(name))?.names() ?? [],
  /** -> the labs: [{name, title, modes}]. */
  labNames: async () => (lab ?? (await loadLab())).labNames(),
  /** mode: "full" | "mid" | "todo", lab: "flow-matching" (default) | "warm-ups" -> the lab's
   *  cells in that mode (crate/src/lab). */
  labCells: async ({ mode, lab: name }) => (lab ?? (await loadLab())).labCells(String(mode), labName(name)),
  /** mode, cells: {cellId: code}, lab -> the notebook as one Python file (percent format). */
  labExport: async ({ mode, cells, lab: name }) =>
    (lab ?? (await loadLab())).labExport(String(mode), cells ?? {}, labName(name)),
  /** text: a lab file, lab -> {mode, cells: {cellId: code}, unknown: [titles]}. */
  labImport: async ({ text, lab: name }) => (lab ?? (await loadLab())).labImport(String(text), labName(name)),
  /** log p1 of the notebook's model `name` (its `flow`) on a grid -> Float32Array (ny, nx). */
  labLogDensityGrid: async ({ name, xmin, xmax, ymin, ymax, nx, ny, options }) => {
    if (activeRun) throw new Error("a cell is running: the density is computed after it");
    const s = sessions.get("lab") ?? (await labSession());
    return s.logDensityGrid(String(name), xmin, xmax, ymin, ymax, nx, ny, options);
  },
  /** The held-out NLL of fresh moons under the notebook's model `name` (see likelihoodReport). */
  labLikelihoodReport: async ({ name, n, dataSeed, options, repeats }) => {
    if (activeRun) throw new Error("a cell is running: the likelihood is computed after it");
    const s = sessions.get("lab") ?? (await labSession());
    return s.likelihoodReport(String(name), n, seedArg(dataSeed), options, repeats);
  },
  /** blank: a blank's id -> {blank, status: "pass" | "fail" | "missing", message}, tested on the
   *  namespace the cells left (never while a cell runs). */
  labCheck: async ({ blank, lab: name, session }) => {
    if (activeRun) throw new Error("a cell is running: checks run after it");
    const s = await labSession(sessionName(session));
    return s.check(String(blank), labName(name));
  },
};

/** A typed array that can be transferred without touching wasm memory. */
function transferable(result) {
  if (!(result instanceof Float32Array || result instanceof Uint32Array)) return [result, []];
  const own =
    result.byteOffset === 0 &&
    result.byteLength === result.buffer.byteLength &&
    result.buffer instanceof ArrayBuffer &&
    ![wasmMemory, labMemory].some((memory) => memory && result.buffer === memory.buffer);
  const copy = own ? result : result.slice();
  return [copy, [copy.buffer]];
}

function fatal(message) {
  self.postMessage({ type: "fatal", message });
}

/** A wasm trap (a Rust panic ends in one) leaves Rust's state undefined: the engine must go. */
function isTrap(error) {
  return typeof WebAssembly === "object" && error instanceof WebAssembly.RuntimeError;
}

/** A trap without a panic's text. Rust aborts silently when an allocation fails (a cell that
 *  keeps big tensors in a list can fill wasm32's 4 GB), so say so when memory is that full. */
function crashMessage(error) {
  const sizes = [wasmMemory, labMemory].map((memory) => (memory ? memory.buffer.byteLength : 0));
  const gigabytes = Math.max(...sizes) / 2 ** 30;
  const memory = gigabytes >= 2 ? ` with ${gigabytes.toFixed(1)} GB of memory in use: it most likely ran out of memory` : "";
  return `the engine crashed (${error.message})${memory}`;
}

function describeLoadError(error, what = "the engine") {
  const text = String(error && error.message ? error.message : error);
  if (typeof WebAssembly === "object" && error instanceof WebAssembly.CompileError) {
    return (
      `the browser could not compile ${what} (${text}). flowlab needs WebAssembly SIMD ` +
      "(simd128), which current Chrome, Edge, Firefox and Safari have."
    );
  }
  return `${what} could not be loaded: ${text}`;
}

async function boot({ glue, wasm, lab: manifest }) {
  labManifest = manifest ?? null;
  try {
    const module = await import(glue);
    const exports = await module.default({ module_or_path: wasm });
    wasmMemory = exports.memory ?? null;
    engine = module;
    self.postMessage({ type: "ready", version: engine.version() });
  } catch (error) {
    fatal(describeLoadError(error));
    throw error;
  }
}

async function call({ id, method, args }) {
  try {
    await booted;
  } catch {
    self.postMessage({ type: "error", id, name: "Error", message: "the engine failed to load" });
    return;
  }
  try {
    const fn = Object.hasOwn(METHODS, method) ? METHODS[method] : null;
    if (!fn) throw new Error(`unknown engine method "${method}"`);
    // A long call (langRun) is async: it sends partial output and yields between slices.
    const context = { output: (report) => self.postMessage({ type: "output", id, report }) };
    let value = fn(args ?? {}, context);
    if (value instanceof Promise) value = await value;
    const [result, transfer] = transferable(value);
    self.postMessage({ type: "result", id, result }, transfer);
  } catch (error) {
    if (isTrap(error)) {
      const why = lastPanic ?? crashMessage(error);
      self.postMessage({ type: "error", id, name: "Error", message: why });
      fatal(why);
      return;
    }
    self.postMessage({
      type: "error",
      id,
      name: error && error.name ? error.name : "Error",
      message: error && error.message ? error.message : String(error),
    });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  switch (msg && msg.type) {
    case "init":
      booted = boot(msg);
      booted.catch(() => {}); // reported through the "fatal" message
      break;
    case "call":
      call(msg);
      break;
    case "crash":
      // Test hook for the page's "engine stopped" path: an uncaught error in the worker.
      setTimeout(() => {
        throw new Error("flowlab test hook: the worker crashed on purpose");
      });
      break;
    default:
      consoleError("flowlab worker: unknown message", msg);
  }
};
