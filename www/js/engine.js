// engine.js: the page's handle on the wasm engine, which runs in a Web Worker (worker.js).
//
// Every call is a promise: a request id goes to the worker, the worker answers with a result
// (Float32Arrays are transferred) or an error message, and the promise resolves or rejects.
// A long call (a lab-language cell) may send partial output first, handed to `onOutput`.
// If the worker dies (load failure, Rust panic, uncaught error) every pending call rejects,
// the state becomes "failed" and `restart()` starts a fresh worker.
//
// The worker starts with the engine's wasm only. The lab language (flowlab.run) lives in a second
// wasm module, named by lab.json, which the worker loads when the first cell runs; if that load
// fails the cell rejects (error name "LabLoadError"), the engine emits a "labfailed" event and
// stays usable, and the next cell tries again.

/**
 * The URLs of trunk's hashed wasm-bindgen glue module and .wasm file, and of lab.json, which names
 * the lab module's (scripts/build-lab-wasm.sh writes it). Trunkfile.toml makes trunk write them
 * into the page as a JSON data block:
 *   <script type="application/json" id="flowlab-engine">{"glue": "/flowlab-HASH.js",
 *   "wasm": "/flowlab-HASH_bg.wasm", "lab": "/lab.json"}</script>
 * With trunk's default settings they are preload links instead, which are read as a fallback
 * (lab.json is then looked for beside the page).
 * @returns {{glue: string, wasm: string, lab: string}} absolute URLs
 */
export function findEngineAssets(doc = document) {
  const lab = (url) => new URL(url ?? "lab.json", doc.baseURI).href;
  const block = doc.getElementById("flowlab-engine");
  if (block) {
    const { glue, wasm, lab: manifest } = JSON.parse(block.textContent);
    return { glue: new URL(glue, doc.baseURI).href, wasm: new URL(wasm, doc.baseURI).href, lab: lab(manifest) };
  }
  const glue = [...doc.querySelectorAll('link[rel="modulepreload"]')].find((link) =>
    /\/flowlab(-[0-9a-f]+)?\.js$/.test(new URL(link.href).pathname),
  );
  const wasm = [...doc.querySelectorAll('link[rel="preload"]')].find((link) =>
    /\/flowlab(-[0-9a-f]+)?_bg\.wasm$/.test(new URL(link.href).pathname),
  );
  if (!glue || !wasm) {
    throw new Error(
      "this page does not say where the engine's files are (flowlab-*.js, flowlab-*_bg.wasm): " +
        "build it with `trunk build --config Trunkfile.toml` and serve the dist folder",
    );
  }
  return { glue: glue.href, wasm: wasm.href, lab: lab() };
}

/** The engine's life: "loading" -> "ready", or -> "failed" (then restart() -> "loading").
 *  Events: "state" ({state, version, error}) at each change; "labfailed" ({error}) when the lab
 *  module could not be loaded for a cell (the engine itself stays "ready"). */
export class Engine extends EventTarget {
  #workerUrl;
  #assets;
  #worker = null;
  #pending = new Map(); // request id -> {resolve, reject, onOutput}
  #nextId = 1;
  #ready = null;
  #settleReady = null;
  /** Bumped by every restart, so handles from an older worker can be told apart. */
  generation = 0;
  state = "loading";
  version = null;
  error = null;

  /**
   * @param {URL|string} workerUrl  the module worker script (worker.js)
   * @param {{glue: string, wasm: string, lab?: string}} assets  see findEngineAssets
   */
  constructor(workerUrl, assets) {
    super();
    this.#workerUrl = workerUrl;
    this.#assets = assets;
    this.#start();
  }

  /** Resolves with the engine's version once it can take calls; rejects if it fails to load. */
  get ready() {
    return this.#ready;
  }

  /** The current Worker (for tests and debugging). */
  get worker() {
    return this.#worker;
  }

  /** Stops the current worker, whatever its state, and starts a new one. */
  restart() {
    this.#stop(new Error("the engine was restarted"));
    this.generation += 1;
    this.#start();
    return this.#ready;
  }

  /**
   * Calls one of the worker's METHODS.
   * @param {string} method
   * @param {object} args  one plain object (structured-cloned)
   * @param {{onOutput?: (output: any) => void}} options  onOutput receives the call's partial
   *   output messages, in order, before the promise settles
   * @returns {Promise<any>}
   */
  call(method, args = {}, { onOutput } = {}) {
    if (this.state === "failed") {
      return Promise.reject(new Error(`the engine has stopped (${this.error}); restart it`));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onOutput });
      this.#worker.postMessage({ type: "call", id, method, args });
    });
  }

  /** Test hook: makes the worker throw an uncaught error, as a crash would. */
  crashForTest() {
    this.#worker.postMessage({ type: "crash" });
  }

  #start() {
    this.state = "loading";
    this.version = null;
    this.error = null;
    this.#ready = new Promise((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    this.#ready.catch(() => {}); // failures are reported through the "state" event
    this.#emit();

    let worker;
    try {
      worker = new Worker(this.#workerUrl, { type: "module", name: "flowlab-engine" });
    } catch (error) {
      this.#fail(`the engine worker could not be created: ${error.message}`);
      return;
    }
    this.#worker = worker;
    worker.onmessage = (event) => this.#onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(
        event.message
          ? `its worker hit an uncaught error (${event.message})`
          : "its worker script (js/worker.js) could not be loaded or failed to start",
      );
    };
    worker.onmessageerror = () => this.#fail("a message from the engine could not be read");
    worker.postMessage({ type: "init", ...this.#assets });
  }

  #onMessage(msg) {
    switch (msg.type) {
      case "ready":
        this.state = "ready";
        this.version = msg.version;
        this.#settleReady.resolve(msg.version);
        this.#emit();
        break;
      case "output": {
        const onOutput = this.#pending.get(msg.id)?.onOutput;
        if (!onOutput) return;
        // The caller's callback: if it throws, report it like any page error, but keep the
        // engine's message handling (and the call) going.
        try {
          onOutput(msg.report);
        } catch (error) {
          reportError(error);
        }
        break;
      }
      case "result":
      case "error": {
        const call = this.#pending.get(msg.id);
        if (!call) return;
        this.#pending.delete(msg.id);
        if (msg.type === "result") call.resolve(msg.result);
        else {
          const error = new Error(msg.message);
          if (msg.name && msg.name !== "Error") error.name = msg.name;
          call.reject(error);
          if (msg.name === "LabLoadError") {
            this.dispatchEvent(new CustomEvent("labfailed", { detail: { error: msg.message } }));
          }
        }
        break;
      }
      case "fatal":
        this.#fail(msg.message);
        break;
      default:
        console.warn("flowlab: unknown message from the engine", msg);
    }
  }

  #fail(message) {
    if (this.state === "failed") return;
    this.#stop(new Error(`the engine has stopped: ${message}`));
    this.state = "failed";
    this.error = message;
    this.#emit();
  }

  /** Terminates the worker and rejects everything still waiting on it. */
  #stop(reason) {
    if (this.#worker) {
      this.#worker.onmessage = this.#worker.onerror = this.#worker.onmessageerror = null;
      this.#worker.terminate();
      this.#worker = null;
    }
    this.#settleReady.reject(reason);
    for (const { reject } of this.#pending.values()) reject(reason);
    this.#pending.clear();
  }

  #emit() {
    this.dispatchEvent(
      new CustomEvent("state", { detail: { state: this.state, version: this.version, error: this.error } }),
    );
  }
}

/**
 * Rust state kept in the worker under a handle number: calls carry the handle, and a handle made
 * by an engine that was restarted since refuses them (its state is gone) with `stale`'s message.
 */
class WorkerHandle {
  #engine;
  #handle;
  #generation;
  #stale;

  constructor(engine, handle, generation, stale) {
    this.#engine = engine;
    this.#handle = handle;
    this.#generation = generation;
    this.#stale = stale;
  }

  /** engine.call(method, {handle, ...args}, options), unless the engine was restarted. */
  request(method, args = {}, options = {}) {
    if (this.#generation !== this.#engine.generation) return Promise.reject(new Error(this.#stale));
    return this.#engine.call(method, { handle: this.#handle, ...args }, options);
  }
}

/**
 * A model being trained, living in the worker. Made by `flowlabApi(engine).createPipeline`.
 * Every method returns a promise; Float32Array shapes are row-major.
 */
class PipelineHandle extends WorkerHandle {
  constructor(engine, handle, generation) {
    super(engine, handle, generation, "this pipeline belonged to an engine that was restarted: create it again");
  }

  /** -> the validated configuration, as a plain object. */
  config() {
    return this.request("pipelineConfig");
  }
  /** Runs `steps` training steps -> Float32Array (steps,) of losses. */
  train(steps) {
    return this.request("pipelineTrain", { steps });
  }
  /** -> Float32Array (steps + 1, n, 2): every particle's path from noise (t = 0) to data (t = 1). */
  sample({ n, solver, steps, seed }) {
    return this.request("pipelineSample", { n, solver, steps, seed });
  }
  /** -> Float32Array (n, 2): only where the particles of `sample` end. */
  sampleFinal({ n, solver, steps, seed }) {
    return this.request("pipelineSampleFinal", { n, solver, steps, seed });
  }
  /** -> Float32Array (ny, nx, 2): the learned velocity at time t on a grid. */
  velocityGrid({ xmin, xmax, ymin, ymax, nx, ny, t }) {
    return this.request("pipelineVelocityGrid", { xmin, xmax, ymin, ymax, nx, ny, t });
  }
  /** points: Float32Array (n, 2) -> Float32Array (n,): log p1 by the instantaneous change of
   *  variables. options: {divergence: "exact" | "hutchinson" | "hutchinson-gaussian", probes,
   *  solver, steps, seed}, each optional (exact, RK4, 20 steps). */
  logDensity(points, options = {}) {
    return this.request("pipelineLogDensity", { points, options });
  }
  /** -> Float32Array (ny, nx): log p1 on an nx by ny grid over the box, row 0 at ymin. */
  logDensityGrid({ xmin, xmax, ymin, ymax, nx, ny, ...options }) {
    return this.request("pipelineLogDensityGrid", { xmin, xmax, ymin, ymax, nx, ny, options });
  }
  /** n samples (noise from `seed`) with their log p1 computed along the way ->
   *  [samples (n, 2), log p1 (n,)]. */
  sampleWithLogDensity({ n, seed = 0, ...options }) {
    return this.request("pipelineSampleWithLogDensity", { n, seed, options });
  }
  /** The NLL of n fresh data points, exact and by the options' estimator over `repeats` probe
   *  draws -> {points, exactNll, exactBits, estimateNll, estimateSpread, pointSpread, repeats}. */
  likelihoodReport({ n = 1000, dataSeed = 1, repeats = 10, ...options } = {}) {
    return this.request("pipelineLikelihoodReport", { n, dataSeed, options, repeats });
  }
  /** Theorem 1: the exact marginal velocity of m data points at time t on a grid ->
   *  [points (m, 2), velocity (ny, nx, 2)]. */
  exactVelocityGrid({ m, dataSeed = 1, xmin, xmax, ymin, ymax, nx, ny, t }) {
    return this.request("pipelineExactVelocityGrid", { m, dataSeed, xmin, xmax, ymin, ymax, nx, ny, t });
  }
  /** n noise points carried by the exact velocity of m data points -> [points, samples]. */
  exactSamples({ m, dataSeed = 1, n, steps = 100, seed = 0 }) {
    return this.request("pipelineExactSamples", { m, dataSeed, n, steps, seed });
  }
  /** points: Float32Array (n, 2) -> Uint32Array (n,): the label (which moon, ...) of the
   *  nearest data point, for colouring particles by where they end. */
  endLabels(points) {
    return this.request("pipelineEndLabels", { points });
  }
  /** -> sliced Wasserstein-2 distance between n samples and n fresh data points. */
  quality({ n, seed }) {
    return this.request("pipelineQuality", { n, seed });
  }
  /** -> the number of training steps taken so far. */
  step() {
    return this.request("pipelineStep");
  }
  /** Releases the model's memory in the worker. */
  free() {
    return this.request("pipelineFree");
  }
}

/**
 * The Compare view's four models (planar flow, RealNVP, a CNF by likelihood, flow matching),
 * living in the worker. Made by `flowlabApi(engine).createComparison`.
 */
class ComparisonHandle extends WorkerHandle {
  constructor(engine, handle, generation) {
    super(engine, handle, generation, "these models belonged to an engine that was restarted: create them again");
  }

  /** Trains each model for `seconds` more of wall-clock time (equal budgets, interleaved) ->
   *  {progress, stopped}; onProgress(progress) after each slice, progress being
   *  [{name, steps, seconds, secondsPerStep, objective, recentLoss, failure}]. */
  run({ seconds, onProgress }) {
    return this.request("compareRun", { seconds }, { onOutput: (o) => onProgress?.(o.progress) });
  }
  /** Ends a run after its current slice -> whether one was running. */
  stop() {
    return this.request("compareStop");
  }
  progress() {
    return this.request("compareProgress");
  }
  /** -> {reports: [{name, steps, ..., heldOutNll, slicedW2, failure}], findings: [{claim,
   *  measured, agrees}]}: held-out NLL and sliced W2 of every model, and what they say about
   *  the lecture's claims. */
  measure({ seed = 0 } = {}) {
    return this.request("compareMeasure", { seed });
  }
  /** -> Float32Array (n, 2). */
  samples({ model, n, seed = 0 }) {
    return this.request("compareSamples", { model, n, seed });
  }
  /** -> Float32Array (ny, nx): log p of `model` on the grid, row 0 at ymin. */
  logDensityGrid({ model, xmin, xmax, ymin, ymax, nx, ny }) {
    return this.request("compareLogDensityGrid", { model, xmin, xmax, ymin, ymax, nx, ny });
  }
  /** -> Float32Array (n, 2): the held-out points the NLL and sliced W2 are measured on. */
  heldOut() {
    return this.request("compareHeldOut");
  }
  free() {
    return this.request("compareFree");
  }
}

/** The promise-based API the page (and `window.flowlab`) uses. */
export function flowlabApi(engine) {
  return {
    /** Resolves with the version once the engine can take calls. */
    get ready() {
      return engine.ready;
    },
    get state() {
      return engine.state;
    },
    get _worker() {
      return engine.worker;
    },
    /** -> the engine's crate version, e.g. "0.1.0". */
    version: () => engine.call("version"),
    /** -> the lab's default pipeline configuration. */
    defaultConfig: () => engine.call("defaultConfig"),
    /** -> the data set names. */
    datasetNames: () => engine.call("datasetNames"),
    /** -> Float32Array (n, 2) of points from a toy distribution ("moons", ...). */
    datasetSamples: ({ name, n, noise, seed }) => engine.call("datasetSamples", { name, n, noise, seed }),
    /** -> Uint32Array (n,): which component each point of the same draw came from. */
    datasetLabels: ({ name, n, noise, seed }) => engine.call("datasetLabels", { name, n, noise, seed }),
    /** -> Float32Array (n, 2) of standard-normal points. */
    noise: ({ n, seed }) => engine.call("noise", { n, seed }),
    /** -> the sliced W2 a perfect sampler scores against n fresh points of the data set. */
    qualityFloor: ({ name, n, noise, seed }) => engine.call("qualityFloor", { name, n, noise, seed }),
    /** a, b: Float32Arrays (n, 2), (m, 2) -> sliced Wasserstein-2 distance. */
    slicedW2: ({ a, b }) => engine.call("slicedW2", { a, b }),
    /** config: {dataset, noise, hidden, activation, optimizer, lr, batch, seed, ...} (omitted
     *  fields take the lab's values) -> a pipeline. */
    createPipeline: async (config) => {
      const generation = engine.generation;
      return new PipelineHandle(engine, await engine.call("pipelineCreate", { config }), generation);
    },

    /** options: {dataset, noise, seed, batch, heldOut, planarLayers, couplingLayers, hidden,
     *  cnfSolver, cnfSteps, cnfDivergence} (omitted: defaults) -> the Compare view's four
     *  models, untrained. */
    createComparison: async (options = {}) => {
      const generation = engine.generation;
      return new ComparisonHandle(engine, await engine.call("compareCreate", { options }), generation);
    },

    // The lab language: cells share one namespace (like Jupyter's), kept in the worker. Its
    // interpreter is a second wasm module that the worker loads when the first cell runs (so the
    // first run takes a moment longer); stop, resetNamespace and names never need it. Each
    // notebook has its own namespace, named by `session` ("lab", the default: the Lab view's;
    // "lecture": the Lecture view's), so the two never see each other's variables.

    /**
     * Runs one cell of lab-language code -> {text, figures, error}: everything it printed, every
     * figure it showed (draw with drawFigure from plots.js), and null or the error
     * {kind, message, line, column, endLine, endColumn, rendered}. A Python error resolves (it is
     * the cell's result); the promise rejects only when the cell could not run: another cell is
     * running, the engine stopped, or the lab module could not be loaded (error name
     * "LabLoadError"; the next run tries again). onOutput(report) gets each slice's report as it
     * comes: {done, line, progress: [done, total] | null, text, figures, error}, the last with
     * done: true.
     */
    run: async (code, { onOutput, session } = {}) => {
      const texts = [];
      const figures = [];
      const take = (report) => {
        texts.push(report.text);
        figures.push(...report.figures);
        try {
          onOutput?.(report);
        } catch (error) {
          reportError(error); // the caller's bug: shown, but the cell's result still arrives
        }
      };
      const last = await engine.call("langRun", { code, session }, { onOutput: take });
      take(last);
      return { text: texts.join(""), figures, error: last.error };
    },
    /** Interrupts the running cell (its run resolves with a KeyboardInterrupt error) -> whether
     *  one was running. Names it assigned before it stopped stay. With a `session`, only a cell
     *  of that namespace is stopped. */
    stop: (session) => engine.call("langStop", { session }),
    /** Interrupts a running cell of the namespace `session` (default "lab") and forgets every
     *  name; the new namespace's random draws start from `seed`. */
    resetNamespace: (seed = 0, session) => engine.call("langReset", { seed, session }),
    /** -> the names the namespace `session` (default "lab") holds, sorted. */
    names: (session) => engine.call("langNames", { session }),
    /** -> the labs: [{name: "flow-matching" | "warm-ups", title, modes: ["full", ...]}]. */
    labNames: () => engine.call("labNames"),
    /** mode: "full" | "mid" | "todo" (those the lab has), lab: "flow-matching" (default) or
     *  "warm-ups" -> the notebook's cells: [{id, kind: "markdown" | "code" | "question", title,
     *  text, answer, extra, blanks: [{id, title, todo, hints, cell, solution}]}]
     *  (crate/src/lab/*.py, derived by the core). Loads the lab module. */
    labCells: (mode, lab) => engine.call("labCells", { mode, lab }),
    /** mode, cells ({cellId: code}), lab -> the notebook as a .py file that runs in Python with
     *  PyTorch, scikit-learn and matplotlib (cells as `# %%` blocks; `flowlab`'s layers written
     *  out in PyTorch when the notebook imports them). */
    labExport: (mode, cells, lab) => engine.call("labExport", { mode, cells, lab }),
    /** text of a .py file of the lab `lab` -> {mode: "full" | "mid" | "todo" | null, cells:
     *  {cellId: code}, unknown: [titles of cells the lab does not have]}; rejects when nothing
     *  can be read. */
    labImport: (text, lab) => engine.call("labImport", { text, lab }),
    /** log p1 of the notebook's trained model (the global `name`, default `flow`) on a grid ->
     *  Float32Array (ny, nx); options as a pipeline's logDensityGrid. */
    labLogDensityGrid: ({ name = "flow", xmin, xmax, ymin, ymax, nx, ny, ...options }) =>
      engine.call("labLogDensityGrid", { name, xmin, xmax, ymin, ymax, nx, ny, options }),
    /** The held-out NLL of fresh moons under the notebook's model (see a pipeline's
     *  likelihoodReport). */
    labLikelihoodReport: ({ name = "flow", n = 500, dataSeed = 1, repeats = 10, ...options } = {}) =>
      engine.call("labLikelihoodReport", { name, n, dataSeed, options, repeats }),
    /** blank: a blank's id of the lab `lab` (default "flow-matching") -> {blank, status: "pass" |
     *  "fail" | "missing", message}: the core's check of that blank on the namespace `session`
     *  (default "lab") the cells left. */
    labCheck: (blank, lab, session) => engine.call("labCheck", { blank, lab, session }),

    restart: () => engine.restart(),
    _crashForTest: () => engine.crashForTest(),
  };
}
