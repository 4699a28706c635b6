// compare.js: the Compare view. Four models of the same data, trained for the same wall-clock
// time in the worker (crate/src/pipeline/compare.rs): a planar flow, RealNVP and a CNF by maximum
// likelihood, and flow matching. Once trained, each panel shows the model's log-density with its
// samples; the table shows the held-out NLL, the sliced W2 of the samples, the time per step and
// any failure; the findings hold the lecture's claims against those numbers. Every number comes
// from the core; this file schedules the calls and writes what comes back.

import { drawDensity } from "./plots/density.js";

/** The box every panel covers (the toy data sets live in it). */
const BOUNDS = [-3, 3, -3, 3];
const GRID = 64;
const SAMPLES = 1000;

const LABELS = {
  planar: "planar flow",
  realnvp: "RealNVP",
  cnf: "CNF by likelihood",
  "flow-matching": "flow matching",
};

export class CompareView {
  #api;
  #el;
  #doc;
  #models = null;
  #running = null;
  /** One canvas per model, by name. */
  #canvases;
  /** The last measurement: {reports, findings, panels: {model: {logp, samples}}, options}. */
  last = null;
  /** The progress of the run in progress or the last one: [{name, steps, seconds, ...}]. */
  progress = [];

  constructor(api, doc = document) {
    this.#api = api;
    this.#doc = doc;
    const $ = (id) => doc.getElementById(id);
    this.#el = {
      dataset: $("compare-dataset"),
      budget: $("compare-budget"),
      divergence: $("compare-divergence"),
      seed: $("compare-seed"),
      train: $("compare-train"),
      stop: $("compare-stop"),
      status: $("compare-status"),
      panels: $("compare-panels"),
      table: $("compare-table").querySelector("tbody"),
      findings: $("compare-findings"),
    };
    this.#el.train.addEventListener("click", () => this.train().catch((e) => this.#say(`Stopped: ${e.message}`)));
    this.#el.stop.addEventListener("click", () => this.stop());
    this.#canvases = Object.fromEntries(Object.keys(LABELS).map((name) => [name, this.#panel(name)]));
    new ResizeObserver(() => this.#redraw()).observe(this.#el.panels);
  }

  /** The form's settings: {dataset, seconds, cnfDivergence, seed}. */
  get options() {
    return {
      dataset: this.#el.dataset.value,
      seconds: Number(this.#el.budget.value),
      cnfDivergence: this.#el.divergence.value,
      seed: Number(this.#el.seed.value),
    };
  }

  /** Sets form fields, e.g. {seconds: 2, dataset: "circles"}; a budget not in the list is added. */
  set(options) {
    const fields = { dataset: "dataset", seconds: "budget", cnfDivergence: "divergence", seed: "seed" };
    for (const [key, value] of Object.entries(options)) {
      if (!(key in fields)) throw new RangeError(`unknown compare option ${key}: use ${Object.keys(fields).join(", ")}`);
      const el = this.#el[fields[key]];
      if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === String(value))) {
        if (key !== "seconds") throw new RangeError(`${key}: ${value} is not one of the choices`);
        el.append(new Option(`${value} s`, String(value)));
      }
      el.value = String(value);
    }
  }

  get running() {
    return this.#running !== null;
  }

  /** Fresh models from the form, trained for the budget each, then measured and drawn. */
  async train() {
    if (this.#running) return this.#running;
    this.#running = this.#train().finally(() => {
      this.#running = null;
      this.#el.train.disabled = false;
      this.#el.stop.disabled = true;
    });
    return this.#running;
  }

  async #train() {
    const { seconds, ...options } = this.options;
    if (!(Number.isInteger(options.seed) && options.seed >= 0)) throw new RangeError("the seed must be a whole number >= 0");
    this.#el.train.disabled = true;
    this.#el.stop.disabled = false;
    await this.#models?.free().catch(() => {});
    this.#models = null;
    this.#say("Building the four models…");
    this.#models = await this.#api.createComparison(options);
    const models = this.#models;
    const result = await models.run({ seconds, onProgress: (p) => this.#showProgress(p, seconds) });
    this.#showProgress(result.progress, seconds);
    this.#say(`${result.stopped ? "Stopped" : "Trained"}; measuring held-out likelihood and samples, drawing densities…`);
    const measured = await models.measure({ seed: options.seed });
    const panels = {};
    for (const { name } of measured.reports) {
      const [logp, samples] = await Promise.all([
        models.logDensityGrid({ model: name, xmin: BOUNDS[0], xmax: BOUNDS[1], ymin: BOUNDS[2], ymax: BOUNDS[3], nx: GRID, ny: GRID }),
        models.samples({ model: name, n: SAMPLES, seed: options.seed + 1 }),
      ]);
      panels[name] = { logp, samples };
    }
    this.last = { ...measured, panels, options: { ...options, seconds } };
    this.#showTable(measured.reports);
    this.#showCaptions(measured.reports);
    this.#showFindings(measured.findings);
    this.#redraw();
    const steps = result.progress.map((p) => `${LABELS[p.name]} ${p.steps.toLocaleString("en")}`).join(", ");
    this.#say(`Done: ${seconds} s of training each${result.stopped ? " (stopped early)" : ""}; steps taken: ${steps}.`);
    return this.last;
  }

  /** Ends the training after the current slice; the models are measured as they are. */
  async stop() {
    if (!this.#running || !this.#models) return false;
    return this.#models.stop();
  }

  #panel(name) {
    const figure = this.#doc.createElement("figure");
    const canvas = this.#doc.createElement("canvas");
    canvas.className = "plot";
    canvas.dataset.model = name;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `log-density and samples of the ${LABELS[name]}`);
    const caption = this.#doc.createElement("figcaption");
    caption.textContent = `${LABELS[name]}: not trained yet`;
    figure.append(canvas, caption);
    this.#el.panels.append(figure);
    return canvas;
  }

  #redraw() {
    if (!this.last) return;
    for (const [name, { logp, samples }] of Object.entries(this.last.panels)) {
      drawDensity(this.#canvases[name], { logp, nx: GRID, ny: GRID, bounds: BOUNDS, data: samples, title: `log p: ${LABELS[name]}` });
    }
  }

  /** Each panel's caption: the model, its steps and its held-out NLL. */
  #showCaptions(reports) {
    for (const r of reports) {
      const caption = this.#canvases[r.name].nextElementSibling;
      const nll = r.heldOutNll === null ? "" : `, held-out NLL ${r.heldOutNll.toFixed(3)} nats`;
      caption.textContent = `${LABELS[r.name]}: ${r.steps.toLocaleString("en")} steps${nll}; ${SAMPLES.toLocaleString("en")} samples in white`;
    }
  }

  #showProgress(progress, seconds) {
    this.progress = progress;
    const parts = progress.map((p) => `${LABELS[p.name]} ${p.steps.toLocaleString("en")} steps${p.failure ? " (failed)" : ""}`);
    const used = Math.min(...progress.map((p) => (p.failure ? Infinity : p.seconds)));
    this.#say(`Training, ${Math.min(seconds, Number.isFinite(used) ? used : seconds).toFixed(1)} of ${seconds} s each: ${parts.join(", ")}.`);
  }

  #showTable(reports) {
    const cell = (text, number = false) => {
      const td = this.#doc.createElement("td");
      td.textContent = text;
      if (number) td.className = "number";
      return td;
    };
    const fixed = (v, digits = 3) => (v === null || v === undefined ? "–" : v.toFixed(digits));
    const rows = reports.map((r) => {
      const tr = this.#doc.createElement("tr");
      tr.dataset.model = r.name;
      const th = this.#doc.createElement("th");
      th.scope = "row";
      th.textContent = LABELS[r.name];
      const perStep = r.secondsPerStep === null ? "–" : `${(r.secondsPerStep * 1000).toFixed(2)} ms`;
      tr.append(th, cell(r.steps.toLocaleString("en"), true), cell(perStep, true), cell(fixed(r.heldOutNll), true), cell(fixed(r.slicedW2), true), cell(r.failure ?? "nothing"));
      return tr;
    });
    this.#el.table.replaceChildren(...rows);
  }

  #showFindings(findings) {
    const items = findings.map((f) => {
      const li = this.#doc.createElement("li");
      li.dataset.agrees = String(f.agrees);
      const claim = this.#doc.createElement("q");
      claim.textContent = f.claim;
      const verdict = this.#doc.createElement("span");
      verdict.className = "verdict";
      verdict.textContent = f.agrees === null ? "Not measured." : f.agrees ? "This run agrees:" : "This run measured otherwise:";
      li.append(claim, " ", verdict, ` ${f.measured}.`);
      return li;
    });
    this.#el.findings.replaceChildren(...items);
  }

  #say(text) {
    this.#el.status.textContent = text;
  }
}
