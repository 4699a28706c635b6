// main.js: starts the engine (in a Web Worker) and keeps the status line and error banner true.
// Exposes the engine's promise-based API as `window.flowlab` (see engine.js).

import { Engine, findEngineAssets, flowlabApi } from "./engine.js";
import { parseHash, writeHash } from "./state.js";
import { TransportView } from "./transport.js";

const status = document.getElementById("status");
const banner = document.getElementById("error-banner");
const bannerTitle = document.getElementById("error-title");
const bannerMessage = document.getElementById("error-message");
const restartButton = document.getElementById("restart-engine");
const dismissButton = document.getElementById("dismiss-error");
const hashNotice = document.getElementById("hash-notice");

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

/** Settings from the URL; problems are listed in a notice, never evaluated. */
function settingsFromUrl() {
  const { settings, notices } = parseHash(location.hash);
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
  const api = flowlabApi(engine);
  const view = new TransportView(api, settingsFromUrl());
  view.onSettingsChange = writeUrl;
  window.flowlab = consoleApi(api, view);
  window.addEventListener("hashchange", () => {
    view.apply(settingsFromUrl()).catch((error) => showError("The settings could not be applied.", error.message, { fatal: false }));
  });

  const render = (detail) => {
    if (detail.state === "loading") {
      setStatus("loading", "Loading the engine…");
    } else if (detail.state === "ready") {
      setStatus("ready", `Engine ready (flowlab v${detail.version})`);
      hideError();
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
