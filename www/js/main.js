// main.js: starts the engine (in a Web Worker) and keeps the status line and error banner true.
// Exposes the engine's promise-based API as `window.flowlab` (see engine.js).

import { CompareView } from "./compare.js";
import { DensityView } from "./density.js";
import { Engine, findEngineAssets, flowlabApi } from "./engine.js";
import { LECTURE, Notebook } from "./notebook.js";
import { registerOffline } from "./offline.js";
import { ShareError, decodeCells, extractCells } from "./share.js";
import { parseHash, writeHash } from "./state.js";
import { TransportView } from "./transport.js";

const status = document.getElementById("status");
const banner = document.getElementById("error-banner");
const bannerTitle = document.getElementById("error-title");
const bannerMessage = document.getElementById("error-message");
const restartButton = document.getElementById("restart-engine");
const dismissButton = document.getElementById("dismiss-error");
const hashNotice = document.getElementById("hash-notice");
const tabs = [...document.querySelectorAll(".view-tab")];
const sections = {
  transport: document.getElementById("transport"),
  lab: document.getElementById("lab"),
  lecture: document.getElementById("lecture"),
  density: document.getElementById("density"),
  compare: document.getElementById("compare"),
};

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

/** fatal: the engine is gone and only a restart helps; otherwise the error can be dismissed. */
function showError(title, message, { fatal }) {
  bannerTitle.textContent = title;
  const text = String(message ?? "");
  bannerMessage.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  dismissButton.hidden = fatal;
  banner.hidden = false;
  restartButton.focus();
}

function hideError() {
  banner.hidden = true;
}

/** Settings from the URL (without a link's cells); problems are listed in a notice, never
 *  evaluated. */
function settingsFromUrl() {
  const { settings, notices } = parseHash(extractCells(location.hash).hash);
  hashNotice.hidden = notices.length === 0;
  hashNotice.textContent = notices.length
    ? `Some settings in this link could not be used, so defaults stand in: ${notices.join("; ")}.`
    : "";
  return settings;
}

/** Keeps the URL equal to the settings, so the address bar is always a shareable link. */
function writeUrl(settings) {
  const hash = writeHash(settings);
  const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ""}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, "", url);
}

/** The view a URL's settings ask for: `#view=lecture` the Lecture view (its version in
 *  `mode`), else a lab mode (`#mode=todo`) the Lab view. */
function viewOf(settings) {
  if (settings.view === "lecture") return "lecture";
  return settings.mode ? "lab" : settings.view;
}

/** The Lecture view's version for a URL's mode: the warm-ups have full and todo (mid: full). */
function lectureMode(mode) {
  return LECTURE.modes.includes(mode) ? mode : "full";
}

/** Shows one view; the Lab view builds its notebook on first show, the Density view computes
 *  its first grid. */
function showView(name, { notebook, lecture, density }) {
  for (const [key, section] of Object.entries(sections)) if (section) section.hidden = key !== name;
  for (const tab of tabs) tab.setAttribute("aria-pressed", String(tab.dataset.view === name));
  if (name === "lab") return notebook.open();
  if (name === "lecture") return lecture.open();
  if (name === "density" && !density.last) return Promise.all([density.compute(), density.theorem()]);
  return Promise.resolve();
}

/** window.flowlab.notebook: the Lab view's notebook, scriptable from the console. */
function notebookApi(notebook, open) {
  return Object.defineProperties(
    {},
    Object.getOwnPropertyDescriptors({
      /** The version shown: "full", "mid" or "todo". */
      get mode() {
        return notebook.mode;
      },
      /** Shows the Lab view in `mode` (default: the current one); resolves when its cells are up. */
      open: (mode) => open(mode),
      /** -> [{id, kind, title, text, extra, blanks}] of the current mode. */
      cells: () => notebook.cells(),
      /** Replaces a code cell's text, as typing would. */
      setText: (id, text) => notebook.setText(id, text),
      /** Runs a code cell -> {error, text, checks}; cells run one at a time, in order asked. */
      run: (id) => notebook.run(id),
      /** Runs every code cell in order, stopping at the first error -> {completed, failed}. */
      runAll: () => notebook.runAll(),
      /** Stops the running cell (variables are kept) and drops queued ones. */
      stop: () => notebook.stop(),
      /** Forgets every variable. */
      restart: () => notebook.restart(),
      /** -> {blankId: "pass" | "fail" | "missing" | "pending"}. */
      checks: () => notebook.checks(),
      /** Puts a cell back as the lab ships it (asks first unless {confirm: false}). */
      resetCell: (id, options) => notebook.resetCell(id, options),
      /** Forgets every edit of the current version (asks first unless {confirm: false}). */
      resetLab: (options) => notebook.resetLab(options),
      /** -> the notebook as a .py file (cells as `# %%` blocks) that runs in real Python. */
      exportPy: () => notebook.exportScript(),
      /** Reads an exported .py file back into its version (asks before replacing edits). */
      importPy: (text) => notebook.importScript(text),
      /** Puts back the latest work a link or an import replaced (asks first). */
      restoreBackup: () => notebook.restoreBackup(),
      /** -> a link to this version; with {cells: true} it carries the attendee's code. */
      link: ({ cells = false } = {}) => notebook.shareLink({ withCells: cells }),
      /** The id of the running cell, or null. */
      get running() {
        return notebook.running;
      },
    }),
  );
}

/** window.flowlab.density: the Density view's computations on the Transport view's model. */
function densityApi(density, open) {
  return {
    /** Shows the Density view (its first grid is computed on first show). */
    open: () => open(),
    /** Sets the form ({model: "transport" | "notebook", divergence, probes, solver, steps,
     *  resolution}) and computes ->
     *  {logp (ny, nx), nx, ny, bounds, data, options, seconds, step}; also updates `report`. */
    compute: async (options = {}) => {
      density.set(options);
      return density.compute();
    },
    /** The last grid, or null. */
    get last() {
      return density.last;
    },
    /** The last held-out NLL report: {points, exactNll, exactBits, estimateNll, estimateSpread,
     *  pointSpread, repeats}. */
    get report() {
      return density.report;
    },
    /** Theorem 1's panel -> {learned, exact, points, samples, bounds, nx, ny, t}. */
    theorem: () => density.theorem(),
  };
}

/** window.flowlab.compare: the Compare view's four models. */
function compareApi(compare, open) {
  return {
    /** Shows the Compare view. */
    open: () => open(),
    /** Sets the form ({dataset, seconds, cnfDivergence, seed}), trains fresh models for
     *  `seconds` each, measures and draws them -> {reports, findings, panels, options}. */
    train: async (options = {}) => {
      compare.set(options);
      return compare.train();
    },
    /** Ends the training early; the models are measured as they are. */
    stop: () => compare.stop(),
    /** The last measurement: {reports: [{name, steps, seconds, secondsPerStep, objective,
     *  recentLoss, heldOutNll, slicedW2, failure}], findings: [{claim, measured, agrees}],
     *  panels: {model: {logp (64, 64), samples (1000, 2)}}, options}, or null. */
    get last() {
      return compare.last;
    },
    /** The training's progress, per model. */
    get progress() {
      return compare.progress;
    },
    get running() {
      return compare.running;
    },
  };
}

/** window.flowlab: the engine's API plus the Transport view's model, for the console. */
function consoleApi(api, view) {
  // defineProperties, not Object.assign: assign would read each getter once and freeze its value
  const extra = {
    /** Trains `steps` more steps (default: up to the settings' step count) -> losses. */
    train: ({ steps } = {}) => (steps === undefined ? view.train() : view.trainSteps(steps)),
    /** -> Float32Array (n, 2) of samples, or the trajectory (steps + 1, n, 2) with trajectory: true. */
    sample: (options = {}) => view.sample(options),
    pause: () => view.pause(),
    reset: () => view.reset(),
    /** -> sliced W2 of 2,000 samples to 2,000 fresh data points. */
    quality: () => view.quality(),
    /** The view's settings (a copy). */
    get config() {
      return view.settings;
    },
    /** Applies settings, e.g. setConfig({dataset: "circles", lr: 0.005}). */
    setConfig: (partial) => view.apply(partial),
    get step() {
      return view.step;
    },
    get losses() {
      return view.losses;
    },
    get training() {
      return view.running;
    },
  };
  return Object.defineProperties(api, Object.getOwnPropertyDescriptors(extra));
}

function start() {
  let assets;
  try {
    assets = findEngineAssets();
  } catch (error) {
    setStatus("failed", "The engine could not start.");
    showError("The engine is missing.", error.message, { fatal: true });
    restartButton.hidden = true;
    return;
  }

  const engine = new Engine(new URL("./worker.js", import.meta.url), assets);
  registerOffline(engine.ready.then(() => [assets.glue, assets.wasm, assets.lab], () => []));
  const api = flowlabApi(engine);
  const initial = settingsFromUrl();
  const view = new TransportView(api, initial);
  view.onSettingsChange = writeUrl;
  const inLecture = viewOf(initial) === "lecture";
  const notebook = new Notebook(api, inLecture ? "full" : initial.mode ?? "full");
  // the Lecture view: the warm-ups, with their own namespace, saved edits and links
  const lecture = new Notebook(api, lectureMode(inLecture ? initial.mode : "full"), document, LECTURE);
  const density = new DensityView(api, view);
  const compare = new CompareView(api);
  const views = { notebook, lecture, density };
  let current = viewOf(initial);
  const lab = (error) => showError("The lab could not be opened.", error.message, { fatal: false });
  const open = (name) => {
    current = name;
    // the URL carries the lab's mode while the Lab view is open, so the address is the link to share
    const mode = name === "lab" ? notebook.mode : name === "lecture" ? lecture.mode : null;
    view
      .apply({ mode, view: ["density", "lecture", "compare"].includes(name) ? name : "transport" })
      .catch(() => {});
    return showView(name, views);
  };
  notebook.onModeChange = (mode) => view.apply({ mode }).catch(() => {});
  notebook.settingsHash = () => writeHash({ ...view.settings, view: "transport", mode: notebook.mode });
  lecture.onModeChange = (mode) => {
    if (current === "lecture") view.apply({ mode }).catch(() => {});
  };
  lecture.settingsHash = () => writeHash({ ...view.settings, view: "lecture", mode: lecture.mode });
  // A link's cells are read once the engine is up (the lab module checks them), then dropped
  // from the address bar, so a reload does not ask again.
  // The link's view says which notebook they are for (`#view=lecture&mode=todo&cells=...`).
  let sharedCells = extractCells(location.hash).cells;
  let sharedView = viewOf(initial) === "lecture" ? "lecture" : "lab";
  const openSharedCells = async () => {
    const encoded = sharedCells;
    sharedCells = null;
    if (encoded === null) return;
    const target = sharedView === "lecture" ? lecture : notebook;
    try {
      await target.openShared(target.mode, await decodeCells(encoded));
      writeUrl(view.settings); // read: a reload must not ask again
      if (current !== sharedView) await open(sharedView);
    } catch (error) {
      // a broken link leaves the address bar; one that failed for another reason (the lab could
      // not load) stays, so a reload tries again
      if (error instanceof ShareError) writeUrl(view.settings);
      const why = error instanceof ShareError ? error.message : `it could not be opened (${error.message})`;
      hashNotice.hidden = false;
      hashNotice.textContent = `The code in this link was not opened: ${why}. Your own work is unchanged.`;
    }
  };
  for (const tab of tabs) tab.addEventListener("click", () => open(tab.dataset.view).catch(lab));
  window.flowlab = consoleApi(api, view);
  window.flowlab.density = densityApi(density, () => open("density"));
  window.flowlab.compare = compareApi(compare, () => open("compare"));
  window.flowlab.notebook = notebookApi(notebook, async (mode) => {
    if (mode !== undefined) await notebook.setMode(mode);
    return open("lab");
  });
  // the same for the Lecture view's warm-ups (modes "full" and "todo")
  window.flowlab.lecture = notebookApi(lecture, async (mode) => {
    if (mode !== undefined) await lecture.setMode(mode);
    return open("lecture");
  });
  window.addEventListener("hashchange", () => {
    sharedCells = extractCells(location.hash).cells;
    const settings = settingsFromUrl();
    sharedView = viewOf(settings) === "lecture" ? "lecture" : "lab";
    view.apply(settings).catch((error) => showError("The settings could not be applied.", error.message, { fatal: false }));
    if (viewOf(settings) === "lecture") lecture.setMode(lectureMode(settings.mode)).catch(lab);
    else if (settings.mode) notebook.setMode(settings.mode).catch(lab);
    if (viewOf(settings) !== current) open(viewOf(settings)).catch(lab);
    if (sharedCells !== null && engine.state === "ready") openSharedCells().catch(lab);
  });

  const render = (detail) => {
    if (detail.state === "loading") {
      setStatus("loading", "Loading the engine…");
    } else if (detail.state === "ready") {
      setStatus("ready", `Engine ready (flowlab v${detail.version})`);
      hideError();
      showView(current, views)
        .then(openSharedCells)
        .catch(lab);
      view.start().catch((error) => {
        if (engine.state === "ready") showError("The model could not be built.", error.message, { fatal: false });
      });
    } else if (detail.state === "failed") {
      setStatus("failed", "The engine stopped.");
      showError("The engine stopped.", detail.error, { fatal: true });
    }
  };
  engine.addEventListener("state", ({ detail }) => render(detail));
  // The lab module is loaded by the first cell: if it cannot be, say so (the cell's run also
  // rejects). The engine still works, so the banner can be dismissed; the next cell tries again.
  engine.addEventListener("labfailed", ({ detail }) => {
    showError("The lab language could not be loaded.", detail.error, { fatal: false });
  });
  // The constructor already started the worker (and may have failed): show where it is now.
  render({ state: engine.state, version: engine.version, error: engine.error });

  restartButton.addEventListener("click", () => {
    hideError();
    engine.restart();
  });
  dismissButton.addEventListener("click", hideError);

  // Anything else that goes wrong on this page is shown too, never swallowed into a blank page.
  window.addEventListener("error", (event) => {
    showError("Something went wrong.", event.message, { fatal: engine.state === "failed" });
  });
  window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    showError("Something went wrong.", reason && reason.message ? reason.message : String(reason), {
      fatal: engine.state === "failed",
    });
  });
}

if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
  setStatus("failed", "This browser cannot run flowlab.");
  showError("Unsupported browser.", "flowlab needs WebAssembly and Web Workers: please use a current Chrome, Edge, Firefox or Safari.", { fatal: true });
  restartButton.hidden = true;
} else {
  start();
}
