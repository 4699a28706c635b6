// density.js: the Density view, on the model trained in the Transport view. The core computes
// log p1 by the instantaneous change of variables (crate/src/density: exact divergence or
// Hutchinson's estimate, any solver), the held-out NLL with the estimator's spread over repeated
// probe draws, and Theorem 1's exact velocity u* of a finite data set; this view asks for them
// and draws them (js/plots/density.js).

import { drawDensity, drawFields } from "./plots/density.js";

/** The box the heatmap and the fields cover (the moons and their neighbourhood). */
const BOUNDS = [-2.5, 3.5, -2.0, 2.5];
const FIELD = { nx: 21, ny: 17 };

export class DensityView {
  #api;
  #transport;
  #el;
  #busy = false;
  /** The last grid drawn: {logp, nx, ny, bounds, options, seconds}. */
  last = null;
  /** The last likelihood report. */
  report = null;

  /**
   * @param api  flowlabApi (engine.js), for data samples
   * @param transport  the TransportView, whose model this view measures
   */
  constructor(api, transport, doc = document) {
    this.#api = api;
    this.#transport = transport;
    const $ = (id) => doc.getElementById(id);
    this.#el = {
      form: $("density-controls"),
      estimator: $("density-estimator"),
      probes: $("density-probes"),
      solver: $("density-solver"),
      steps: $("density-steps"),
      resolution: $("density-resolution"),
      show: $("density-show"),
      source: $("density-source"),
      compute: $("density-compute"),
      status: $("density-status"),
      canvas: $("density-canvas"),
      readout: $("density-readout"),
      m: $("theorem-m"),
      t: $("theorem-t"),
      tValue: $("theorem-t-value"),
      fields: $("theorem-canvas"),
      theorem: $("theorem-draw"),
    };
    this.#el.compute.addEventListener("click", () => this.compute().catch((e) => this.#say(e.message)));
    this.#el.theorem.addEventListener("click", () => this.theorem().catch((e) => this.#say(e.message)));
    this.#el.t.addEventListener("input", () => {
      this.#el.tValue.textContent = Number(this.#el.t.value).toFixed(2);
    });
    this.#el.t.addEventListener("change", () => this.theorem().catch((e) => this.#say(e.message)));
    this.#el.estimator.addEventListener("change", () => {
      this.#el.probes.disabled = this.#el.estimator.value === "exact";
    });
    this.#el.show.addEventListener("change", () => this.#redraw());
    new ResizeObserver(() => this.#redraw()).observe(this.#el.canvas);
    this.#el.probes.disabled = true;
  }

  /** The options the form gives: {model, divergence, probes, solver, steps, seed, resolution}. */
  get options() {
    return {
      model: this.#el.source.value,
      divergence: this.#el.estimator.value,
      probes: Number(this.#el.probes.value),
      solver: this.#el.solver.value,
      steps: Number(this.#el.steps.value),
      seed: 0,
      resolution: Number(this.#el.resolution.value),
    };
  }

  /** Sets form fields, e.g. {divergence: "hutchinson", probes: 4}. */
  set(options) {
    const fields = { model: "source", divergence: "estimator", probes: "probes", solver: "solver", steps: "steps", resolution: "resolution" };
    for (const [key, value] of Object.entries(options)) {
      if (!(key in fields)) throw new RangeError(`unknown density option ${key}: use ${Object.keys(fields).join(", ")}`);
      this.#el[fields[key]].value = String(value);
    }
    this.#el.probes.disabled = this.#el.estimator.value === "exact";
  }

  /** Computes the log-density grid and the held-out NLL of the Transport view's model. */
  async compute() {
    if (this.#busy) return this.last;
    this.#busy = true;
    this.#el.compute.disabled = true;
    try {
      const { resolution, model: source, ...options } = this.options;
      // the notebook's `flow` (trained by the attendee's own cells) or the Transport view's model
      const notebook = source === "notebook";
      const model = this.#transport.model;
      if (!notebook && !model) throw new Error("no model yet: the Transport view builds one when the engine is ready");
      const what = notebook ? "the notebook's flow" : `the Transport model after ${this.#transport.step.toLocaleString("en")} training steps`;
      this.#say(`Integrating log p₁ of ${what} backwards from t = 1 on a ${resolution} × ${resolution} grid…`);
      const box = { xmin: BOUNDS[0], xmax: BOUNDS[1], ymin: BOUNDS[2], ymax: BOUNDS[3], nx: resolution, ny: resolution };
      const t0 = performance.now();
      const logp = notebook ? await this.#api.labLogDensityGrid({ ...box, ...options }) : await model.logDensityGrid({ ...box, ...options });
      const seconds = (performance.now() - t0) / 1000;
      const { dataset, noise } = notebook ? { dataset: "moons", noise: 0.05 } : this.#transport.settings;
      const data = await this.#api.datasetSamples({ name: dataset, n: 500, seed: 1, ...(noise === null ? {} : { noise }) });
      this.last = { logp, nx: resolution, ny: resolution, bounds: BOUNDS, data, options, seconds, model: source };
      this.#redraw();
      this.#say(`log p₁ of ${what} on ${(resolution * resolution).toLocaleString("en")} points in ${seconds.toFixed(2)} s. Estimating the held-out likelihood…`);
      const request = { n: 500, dataSeed: 1, repeats: options.divergence === "exact" ? 1 : 10, ...options };
      this.report = notebook ? await this.#api.labLikelihoodReport(request) : await model.likelihoodReport(request);
      this.#showReport(this.report, options);
      this.#say(`Done: log p₁ on ${(resolution * resolution).toLocaleString("en")} points in ${seconds.toFixed(2)} s.`);
      return this.last;
    } finally {
      this.#busy = false;
      this.#el.compute.disabled = false;
    }
  }

  /** Theorem 1: the learned field beside u* of m data points at the slider's t, and u*'s samples. */
  async theorem() {
    const model = this.#transport.model;
    if (!model) throw new Error("no model yet");
    const m = Number(this.#el.m.value);
    const t = Number(this.#el.t.value);
    const box = { xmin: BOUNDS[0], xmax: BOUNDS[1], ymin: BOUNDS[2], ymax: BOUNDS[3], ...FIELD };
    const [learned, [points, exact], [, samples]] = await Promise.all([
      model.velocityGrid({ ...box, t }),
      model.exactVelocityGrid({ m, dataSeed: 1, ...box, t }),
      model.exactSamples({ m, dataSeed: 1, n: 500, steps: 100, seed: 0 }),
    ]);
    this.fields = { learned, exact, points, samples, bounds: BOUNDS, ...FIELD, t };
    drawFields(this.#el.fields, this.fields);
    return this.fields;
  }

  #redraw() {
    if (!this.last) return;
    drawDensity(this.#el.canvas, { ...this.last, show: this.#el.show.value });
  }

  #showReport(r, options) {
    const nats = (v) => v.toFixed(3);
    const lines = [
      `Held-out negative log-likelihood of ${r.points} fresh data points, exact divergence: ${nats(r.exactNll)} nats per point (${r.exactBits.toFixed(3)} bits).`,
    ];
    if (options.divergence !== "exact") {
      lines.push(
        `Hutchinson with ${options.probes} probe${options.probes === 1 ? "" : "s"} per point, ${r.repeats} draws: ${nats(r.estimateNll)} ± ${nats(r.estimateSpread)} nats; ` +
          `one point's log p₁ varies by ± ${nats(r.pointSpread)} from draw to draw (more probes: less spread, like 1/√k).`,
      );
    }
    this.#el.readout.replaceChildren(...lines.map((text) => Object.assign(this.#el.readout.ownerDocument.createElement("p"), { textContent: text })));
  }

  #say(text) {
    this.#el.status.textContent = text;
  }
}
