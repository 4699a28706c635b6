// transport.js: the Transport view. Owns one model in the engine (a pipeline handle), trains it
// in short slices so Pause answers at once, and redraws the plots every few hundred steps from
// a fixed noise batch (the same particles every time, so they move smoothly between redraws).
// All math happens in the engine; this file sequences calls and hands arrays to plots.js.

import { settingInputs, readControls, writeControls } from "./controls.js";
import { TransportPlayer } from "./animation.js";
import { drawDataVsGenerated, drawLossCurve, drawTimePanels } from "./plots.js";
import { MODEL_KEYS, toPipelineConfig, diffSettings } from "./state.js";

/** Seed of the noise batch the animation carries (fixed, so particles keep their identity). */
const NOISE_SEED = 7;
/** Redraw samples every this many training steps (not every step: it costs a full ODE solve)... */
const REDRAW_EVERY = 250;
/** ...and let redraws take at most this share of the time, so they never halve training speed. */
const REDRAW_SHARE = 0.2;
/** Target duration of one training call: short enough that Pause is immediate. */
const SLICE_MS = 50;
/** Points on each side of the quality readout (sliced W2 of samples to fresh data). */
const QUALITY_POINTS = 2000;
/** The box the velocity field is drawn on, and its arrows per side. */
const FIELD = { bounds: [-3, 3, -3, 3], nx: 21, ny: 21 };

export class TransportView {
  #api;
  #el;
  #inputs;
  #player;
  #settings;
  #pipeline = null;
  #losses = [];
  /** Training is wanted (Pause clears it; the loop stops after its current slice). */
  #running = false;
  /** The training loop is still going (true until its last slice has returned). */
  #active = false;
  #busy = Promise.resolve();
  #trajectory = null;
  #lastRedrawStep = -1;
  #truth = null;
  #rate = 0;
  /** Wall time of the last redraw and of training since it, in ms. */
  #redrawMs = 0;
  #trainedMsSinceRedraw = 0;
  /** Settings changed (by the form or the console): the page writes them to the URL. */
  onSettingsChange = () => {};

  /**
   * @param api  the engine API (engine.js flowlabApi)
   * @param settings  initial settings (state.js parseHash)
   */
  constructor(api, settings, doc = document) {
    this.#api = api;
    this.#settings = { ...settings };
    const $ = (id) => doc.getElementById(id);
    this.#el = {
      section: $("transport"),
      form: $("controls"),
      train: $("train"),
      pause: $("pause"),
      step: $("step"),
      reset: $("reset"),
      progress: $("progress"),
      progressText: $("progress-text"),
      quality: $("quality"),
      loss: $("loss-canvas"),
      compare: $("compare-canvas"),
      panels: $("panels-canvas"),
    };
    this.#inputs = settingInputs(doc);
    writeControls(this.#inputs, this.#settings);
    this.#player = new TransportPlayer({
      canvas: $("transport-canvas"),
      slider: $("time"),
      output: $("time-value"),
      playButton: $("play"),
      fieldBox: $("show-field"),
    });
    this.#player.onTimeChange = () => this.#scheduleField();
    this.#el.train.addEventListener("click", () => this.train().catch((e) => this.#fail(e)));
    this.#el.pause.addEventListener("click", () => this.pause());
    this.#el.step.addEventListener("click", () => this.trainSteps(1).catch((e) => this.#fail(e)));
    this.#el.reset.addEventListener("click", () => this.reset().catch((e) => this.#fail(e)));
    this.#el.form.addEventListener("change", () => this.#fromForm());
    this.#el.form.addEventListener("submit", (event) => event.preventDefault());
    new ResizeObserver(() => this.#redrawStatic()).observe(this.#el.loss);
  }

  /** A copy of the current settings. */
  get settings() {
    return { ...this.#settings };
  }

  /** Training steps taken by the current model. */
  get step() {
    return this.#losses.length;
  }

  /** Every loss so far, (step,). */
  get losses() {
    return Float32Array.from(this.#losses);
  }

  /** The model being trained (a pipeline handle, see engine.js), or null before the first. */
  get model() {
    return this.#pipeline ?? null;
  }

  /** Whether the training loop is running (it may still finish a slice after Pause). */
  get running() {
    return this.#active;
  }

  /** Builds the model of the current settings and draws its untrained flow (main.js shows the
   *  section when its tab is chosen; the plots redraw when it gets a size). */
  async start() {
    await this.reset();
  }

  /** Applies new settings (a partial object is merged). A model setting starts a new model. */
  async apply(partial) {
    const next = { ...this.#settings, ...partial };
    const changed = diffSettings(this.#settings, next);
    if (changed.length === 0) return;
    this.#settings = next;
    writeControls(this.#inputs, next);
    this.onSettingsChange(this.settings);
    if (changed.some((k) => MODEL_KEYS.includes(k))) {
      await this.reset();
    } else if (!this.#running) {
      await this.#exclusive(() => this.#redraw());
    } // while training, the next redraw picks the new sampling settings up

  }

  /** A fresh model from the settings; training state and plots restart. */
  async reset() {
    this.pause();
    await this.#exclusive(async () => {
      const old = this.#pipeline;
      this.#pipeline = null;
      if (old) await old.free().catch(() => {});
      this.#losses = [];
      this.#rate = 0;
      this.#pipeline = await this.#api.createPipeline(toPipelineConfig(this.#settings));
      this.#truth = await this.#trueData();
      this.#showProgress();
      await this.#redraw();
    });
  }

  /** Trains until the settings' step count (from where it is); resolves when done or paused. */
  async train() {
    const remaining = this.#settings.steps - this.step;
    return this.trainSteps(remaining > 0 ? remaining : this.#settings.steps);
  }

  /** Trains `count` more steps in slices; resolves with their losses (fewer if paused). */
  async trainSteps(count) {
    if (this.#active) throw new Error("training is already running: pause it first");
    if (!Number.isInteger(count) || count < 1) throw new Error(`steps must be a whole number >= 1, not ${count}`);
    this.#running = true;
    this.#active = true;
    this.#setButtons();
    const first = this.step;
    try {
      await this.#exclusive(async () => {
        let slice = 20;
        const target = first + count;
        while (this.#running && this.step < target) {
          const n = Math.min(slice, target - this.step);
          const begun = performance.now();
          const losses = await this.#pipeline.train(n);
          const ms = Math.max(performance.now() - begun, 0.1);
          for (const l of losses) this.#losses.push(l);
          this.#trainedMsSinceRedraw += ms;
          this.#rate = this.#rate ? 0.8 * this.#rate + 0.2 * (n / ms) * 1000 : (n / ms) * 1000;
          slice = Math.max(1, Math.min(2000, Math.round((n * SLICE_MS) / ms)));
          this.#showProgress(target);
          drawLossCurve(this.#el.loss, this.#losses);
          const due =
            this.step - this.#lastRedrawStep >= REDRAW_EVERY &&
            this.#redrawMs <= REDRAW_SHARE * (this.#redrawMs + this.#trainedMsSinceRedraw);
          if (due || this.step >= target) await this.#redraw();
        }
      });
    } finally {
      this.#running = false;
      this.#active = false;
      this.#setButtons();
    }
    return Float32Array.from(this.#losses.slice(first));
  }

  /** Stops training after the current slice (at most ~50 ms away). */
  pause() {
    this.#running = false;
    this.#setButtons();
  }

  /**
   * Samples the current model: n noise points (seed) through `steps` steps of `solver`.
   * @returns Float32Array (n, 2), or the whole trajectory (steps + 1, n, 2) with `trajectory: true`
   */
  async sample({ n = this.#settings.particles, steps = this.#settings.sampleSteps, solver = this.#settings.solver, seed = NOISE_SEED, trajectory = false } = {}) {
    const p = this.#pipeline;
    if (!p) throw new Error("no model yet: the engine is still starting");
    return trajectory ? p.sample({ n, solver, steps, seed }) : p.sampleFinal({ n, solver, steps, seed });
  }

  /** Sliced W2 of samples to fresh data, and the same distance between two data draws. */
  async quality() {
    const p = this.#pipeline;
    if (!p) throw new Error("no model yet: the engine is still starting");
    return p.quality({ n: QUALITY_POINTS, seed: 1 });
  }

  /** Runs engine work one job at a time, so redraws never interleave with a reset. */
  #exclusive(job) {
    const run = this.#busy.then(job);
    this.#busy = run.catch(() => {});
    return run;
  }

  async #trueData() {
    const s = this.#settings;
    const args = { name: s.dataset, n: s.particles, noise: s.noise ?? undefined, seed: 1 };
    const [points, labels, floor] = await Promise.all([
      this.#api.datasetSamples(args),
      this.#api.datasetLabels(args),
      this.#api.qualityFloor(args),
    ]);
    return { points, labels, floor };
  }

  /** Samples the fixed noise batch and redraws every plot from it. */
  async #redraw() {
    const p = this.#pipeline;
    if (!p) return;
    const begun = performance.now();
    const s = this.#settings;
    const n = s.particles;
    const steps = s.sampleSteps;
    const trajectory = await p.sample({ n, solver: s.solver, steps, seed: NOISE_SEED });
    const finals = trajectory.slice(steps * n * 2);
    const labels = await p.endLabels(finals);
    this.#trajectory = { trajectory, n, steps, labels, finals };
    this.#lastRedrawStep = this.step;
    this.#player.setData({ trajectory, n, steps, labels });
    this.#redrawStatic();
    await this.#updateField();
    // the readout compares the particles just drawn with the fresh data on screen: no extra solve
    this.#showQuality(await this.#api.slicedW2({ a: finals, b: this.#truth.points }));
    this.#redrawMs = performance.now() - begun;
    this.#trainedMsSinceRedraw = 0;
  }

  /** The plots that need no engine call (also on resize). */
  #redrawStatic() {
    drawLossCurve(this.#el.loss, this.#losses);
    if (!this.#trajectory || !this.#truth) return;
    const { trajectory, n, steps, labels, finals } = this.#trajectory;
    drawDataVsGenerated(this.#el.compare, this.#truth.points, finals, { labels, trueLabels: this.#truth.labels });
    drawTimePanels(this.#el.panels, trajectory, { n, steps, labels });
  }

  #fieldPending = false;
  #fieldStale = false;
  /** Fetches u(x, t) at the player's t: one request in flight, the latest t wins. Not queued
   *  behind training, so the arrows follow the slider while the model trains. */
  #scheduleField() {
    if (!this.#player.showField) return;
    if (this.#fieldPending) {
      this.#fieldStale = true;
      return;
    }
    this.#fieldPending = true;
    this.#updateField()
      .catch(() => {}) // a reset freed the model meanwhile: the next redraw fetches it again
      .finally(() => {
        this.#fieldPending = false;
        if (this.#fieldStale) {
          this.#fieldStale = false;
          this.#scheduleField();
        }
      });
  }

  async #updateField() {
    const p = this.#pipeline;
    if (!p || !this.#player.showField) return;
    const t = this.#player.t;
    const [xmin, xmax, ymin, ymax] = FIELD.bounds;
    const field = await p.velocityGrid({ xmin, xmax, ymin, ymax, nx: FIELD.nx, ny: FIELD.ny, t });
    this.#player.setField(field, FIELD, t);
  }

  #fromForm() {
    const result = readControls(this.#inputs, this.#settings);
    const input = result.key ? this.#inputs.get(result.key) : null;
    for (const el of this.#inputs.values()) el.removeAttribute("aria-invalid");
    if (result.error) {
      input?.setAttribute("aria-invalid", "true");
      this.#el.progressText.textContent = result.error;
      return;
    }
    this.apply(result.settings).catch((e) => this.#fail(e));
  }

  #showProgress(target = this.#settings.steps) {
    const { progress, progressText } = this.#el;
    progressText.dataset.state = "";
    progress.max = Math.max(target, 1);
    progress.value = Math.min(this.step, progress.max);
    if (this.step === 0) {
      progressText.textContent = "Not trained yet: the arrows are a random network's.";
      return;
    }
    const rate = this.#rate ? ` · ${Math.round(this.#rate).toLocaleString("en")} steps/s` : "";
    const loss = this.#losses.length ? ` · loss ${this.#losses[this.#losses.length - 1].toFixed(3)}` : "";
    progressText.textContent = `Iteration ${this.step.toLocaleString("en")} of ${target.toLocaleString("en")}${rate}${loss}`;
  }

  #showQuality(w2) {
    const floor = this.#truth.floor;
    this.#el.quality.textContent = `Sliced W2 to fresh data: ${w2.toFixed(3)} (a perfect sampler: ${floor.toFixed(3)})`;
    this.#el.quality.dataset.value = String(w2);
  }

  #setButtons() {
    const { train, pause, step, reset } = this.#el;
    train.disabled = this.#active;
    step.disabled = this.#active;
    pause.disabled = !this.#running;
    reset.disabled = false;
    train.textContent = this.step > 0 && this.step < this.#settings.steps ? "Continue" : "Train";
  }

  #fail(error) {
    this.pause();
    this.#el.progressText.textContent = error && error.message ? error.message : String(error);
    this.#el.progressText.dataset.state = "error";
  }
}
