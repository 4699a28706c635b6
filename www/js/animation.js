// animation.js: the transport animation. A fixed noise batch (same seed every time) is carried
// along the learned flow; the player shows it at time t with fading trails and, optionally, the
// velocity field at that t. Play runs t from 0 to 1 in PLAY_SECONDS; the slider scrubs.

import { drawTransport } from "./plots.js";

const PLAY_SECONDS = 4;

export class TransportPlayer {
  #canvas;
  #slider;
  #output;
  #playButton;
  #fieldBox;
  #data = null; // {trajectory, n, steps, labels}
  #field = null; // {field, spec, t}
  #t = 1;
  #playing = false;
  #lastFrame = 0;
  #frameRequested = false;
  /** Data units per unit of velocity for the arrows: fixed between redraws of the model, so
   *  lengths compare across t while scrubbing or playing. */
  #fieldScale = null;
  /** Called when t changes by the user or the player, so the view can fetch u(x, t). */
  onTimeChange = () => {};

  constructor({ canvas, slider, output, playButton, fieldBox }) {
    this.#canvas = canvas;
    this.#slider = slider;
    this.#output = output;
    this.#playButton = playButton;
    this.#fieldBox = fieldBox;
    slider.addEventListener("input", () => {
      this.pause();
      this.#setTime(Number(slider.value));
    });
    playButton.addEventListener("click", () => (this.#playing ? this.pause() : this.play()));
    fieldBox.addEventListener("change", () => {
      this.onTimeChange(this.#t);
      this.requestDraw();
    });
    new ResizeObserver(() => this.requestDraw()).observe(canvas);
  }

  get t() {
    return this.#t;
  }

  get showField() {
    return this.#fieldBox.checked;
  }

  /** New particle paths: trajectory (steps + 1, n, 2), labels (n,) of where each ends. */
  setData(data) {
    this.#data = data;
    this.#fieldScale = null;
    this.requestDraw();
  }

  /** The velocity field on a grid (ny, nx, 2) at time t, spec {bounds, nx, ny}. */
  setField(field, spec, t) {
    this.#field = { field, spec, t };
    this.requestDraw();
  }

  play() {
    if (this.#t >= 1) this.#setTime(0);
    this.#playing = true;
    this.#playButton.textContent = "Pause";
    this.#playButton.setAttribute("aria-pressed", "true");
    this.#lastFrame = performance.now();
    this.requestDraw();
  }

  pause() {
    this.#playing = false;
    this.#playButton.textContent = "Play";
    this.#playButton.setAttribute("aria-pressed", "false");
  }

  #setTime(t) {
    this.#t = Math.min(1, Math.max(0, t));
    this.#slider.value = String(this.#t);
    this.#output.textContent = this.#t.toFixed(2);
    this.onTimeChange(this.#t);
    this.requestDraw();
  }

  /** Draws on the next animation frame (at most once per frame). */
  requestDraw() {
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    requestAnimationFrame((now) => this.#frame(now));
  }

  #frame(now) {
    this.#frameRequested = false;
    if (this.#playing) {
      const dt = (now - this.#lastFrame) / 1000;
      this.#lastFrame = now;
      const next = this.#t + dt / PLAY_SECONDS;
      if (next >= 1) {
        this.#setTime(1);
        this.pause();
      } else {
        this.#setTime(next);
      }
    }
    this.#draw();
    if (this.#playing) this.requestDraw();
  }

  #draw() {
    if (!this.#data) return;
    const field = this.showField && this.#field ? this.#field : null;
    const drawn = drawTransport(this.#canvas, {
      ...this.#data,
      t: this.#t,
      field: field ? field.field : null,
      fieldSpec: field ? field.spec : null,
      fieldScale: this.#fieldScale ?? undefined,
      title: `Transport, t = ${this.#t.toFixed(2)}`,
    });
    if (field && this.#fieldScale === null && drawn && Number.isFinite(drawn.fieldScale)) {
      this.#fieldScale = drawn.fieldScale;
    }
  }
}
