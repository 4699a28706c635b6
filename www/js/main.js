// main.js: starts the engine (in a Web Worker) and keeps the status line and error banner true.
// Exposes the engine's promise-based API as `window.flowlab` (see engine.js).

import { Engine, findEngineAssets, flowlabApi } from "./engine.js";
import { drawScatter } from "./preview.js";

const status = document.getElementById("status");
const banner = document.getElementById("error-banner");
const bannerTitle = document.getElementById("error-title");
const bannerMessage = document.getElementById("error-message");
const restartButton = document.getElementById("restart-engine");
const dismissButton = document.getElementById("dismiss-error");
const preview = document.getElementById("preview");

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

/** Asks the engine for a few points and draws them: proof that the whole path works. */
async function showPreview(api) {
  const n = 500;
  const points = await api.datasetSamples({ name: "moons", n, noise: 0.05, seed: 1 });
  drawScatter(document.getElementById("preview-canvas"), points);
  preview.hidden = false;
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
  window.flowlab = api;

  const render = (detail) => {
    if (detail.state === "loading") {
      setStatus("loading", "Loading the engine…");
    } else if (detail.state === "ready") {
      setStatus("ready", `Engine ready (flowlab v${detail.version})`);
      hideError();
      showPreview(api).catch((error) => {
        if (engine.state === "ready") showError("The preview failed.", error.message, { fatal: false });
      });
    } else if (detail.state === "failed") {
      setStatus("failed", "The engine stopped.");
      preview.hidden = true;
      showError("The engine stopped.", detail.error, { fatal: true });
    }
  };
  engine.addEventListener("state", ({ detail }) => render(detail));
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
