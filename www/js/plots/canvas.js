// canvas.js: sizing a canvas's backing store for the screen's pixel density.

/** Per canvas: the sizes fitCanvas last set, to skip work (and clearing) when nothing changed. */
const fitted = new WeakMap();

/**
 * Makes the canvas's backing store its CSS size times devicePixelRatio (so lines and text are
 * crisp on high-density screens) and sets the context's transform so callers draw in CSS pixels.
 * Cheap when neither the size nor the ratio changed: it then only resets the transform (the
 * canvas is not cleared; figures paint their own background).
 *
 * The canvas should get its size from CSS (for example `width: 100%; aspect-ratio: 3 / 2`). If it
 * has none, its size comes from its width/height attributes, which this function changes: on the
 * first call it notices that and pins the size it had as an inline style, so it does not grow
 * with every call.
 * @param {HTMLCanvasElement} canvas
 * @returns {{ctx: CanvasRenderingContext2D, width: number, height: number, dpr: number}}
 *   width, height: CSS px (0 when the canvas is not laid out, e.g. inside a hidden element)
 */
export function fitCanvas(canvas) {
  const ctx = canvas.getContext("2d");
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  const last = fitted.get(canvas);
  if (!last) pinIfAttributeSized(canvas);
  const { width, height } = cssSize(canvas);
  if (width === 0 || height === 0) return { ctx, width: 0, height: 0, dpr };
  const backingW = Math.max(1, Math.round(width * dpr));
  const backingH = Math.max(1, Math.round(height * dpr));
  if (!last || last.width !== width || last.height !== height || last.dpr !== dpr ||
      canvas.width !== backingW || canvas.height !== backingH) {
    if (canvas.width !== backingW) canvas.width = backingW;
    if (canvas.height !== backingH) canvas.height = backingH;
    fitted.set(canvas, { width, height, dpr });
  }
  // The exact ratio of backing store to CSS size, so the last pixel row lines up.
  ctx.setTransform(width ? backingW / width : dpr, 0, 0, height ? backingH / height : dpr, 0, 0);
  return { ctx, width, height, dpr };
}

/**
 * The canvas's laid-out CSS size inside its borders, fractional where the layout gives fractions
 * (clientWidth rounds, and a backing store sized from a rounded width is resampled, slightly
 * blurred, on screen). Canvases should have no padding (it would count as drawing area).
 * @returns {{width: number, height: number}}
 */
function cssSize(canvas) {
  const cw = canvas.clientWidth;
  const ch = canvas.clientHeight;
  const r = canvas.getBoundingClientRect();
  // The rectangle includes borders (offset - client size) and CSS transforms: use it only when,
  // borders taken off, it agrees with the rounded size to within a pixel.
  const w = r.width - (canvas.offsetWidth - cw);
  const h = r.height - (canvas.offsetHeight - ch);
  return { width: Math.abs(w - cw) < 1 ? w : cw, height: Math.abs(h - ch) < 1 ? h : ch };
}

/**
 * If the canvas's CSS width follows its width attribute (no width from CSS), sets its current CSS
 * size as inline style. Probes by nudging the attribute once (this forces a layout; first call only).
 */
function pinIfAttributeSized(canvas) {
  const w0 = canvas.clientWidth;
  const h0 = canvas.clientHeight;
  if (w0 === 0) return; // not laid out
  const attr = canvas.width;
  canvas.width = attr + 16;
  const followsAttribute = canvas.clientWidth !== w0;
  canvas.width = attr;
  if (followsAttribute) {
    canvas.style.width = `${w0}px`;
    canvas.style.height = `${h0}px`;
  }
}

/**
 * Paints the whole canvas with the theme's background, or clears it when that is transparent.
 * @param {CanvasRenderingContext2D} ctx  transformed by fitCanvas
 * @param {number} width  CSS px
 * @param {number} height  CSS px
 * @param {string} bg  CSS colour
 */
export function paintBackground(ctx, width, height, bg) {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
  if (bg && bg !== "transparent" && bg !== "none") {
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, width, height);
  }
}
