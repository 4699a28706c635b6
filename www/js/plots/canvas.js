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
 * has none, its size comes from its width/height attributes, which this function changes; it
 * then pins the first size it saw as an inline style rather than let the canvas grow each call.
 * @param {HTMLCanvasElement} canvas
 * @returns {{ctx: CanvasRenderingContext2D, width: number, height: number, dpr: number}}
 *   width, height: CSS px (0 when the canvas is not laid out, e.g. inside a hidden element)
 */
export function fitCanvas(canvas) {
  const ctx = canvas.getContext("2d");
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  let width = canvas.clientWidth;
  let height = canvas.clientHeight;
  const last = fitted.get(canvas);
  if (last && dpr !== 1 && width === canvas.width && height === canvas.height && last.dpr === dpr) {
    // Sized by its own attributes: what we set last time came back as its CSS size.
    canvas.style.width = `${last.width}px`;
    canvas.style.height = `${last.height}px`;
    width = last.width;
    height = last.height;
  }
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
