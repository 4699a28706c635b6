// figures.js: the page's whole figures, each filling one canvas: data vs generated samples, the
// time panels of p_t, the training loss, and one frame of the transport animation.

import { fitCanvas, paintBackground } from "./canvas.js";
import { Axes } from "./axes.js";
import { readTheme } from "./theme.js";
import { arrows, particles, polyline, scatter } from "./marks.js";
import { bucketMeans, decimateMinMax, emaSmooth, panelGrid, pointLimits, timePanelIndices } from "./data.js";
import { formatLogTick } from "./ticks.js";

/** Canvases narrower than this (CSS px) stack their panels for a phone held upright. */
export const NARROW = 560;

/** [xmin, xmax, ymin, ymax] from a number (symmetric square), a 4-array, or null (computed). */
function limits(lim, sets) {
  if (typeof lim === "number" && lim > 0) return [-lim, lim, -lim, lim];
  if (Array.isArray(lim) && lim.length === 4 && lim.every(Number.isFinite)) return lim;
  return pointLimits(sets);
}

/**
 * Cells of a rows x cols panel grid, packed: equal-aspect panels leave spare room when the canvas
 * is not the shape they want, and rather than a band of space inside every cell, the grid shrinks
 * to fit its panels and sits centred in the canvas.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{width: number, height: number}} size
 * @param {number} rows
 * @param {number} cols
 * @param {{gap: number, margin: number | object}} grid  as panelGrid
 * @param {object} axesOptions  the first panel's Axes options (the probe)
 * @returns {{x: number, y: number, width: number, height: number}[]}
 */
function packedGrid(ctx, size, rows, cols, grid, axesOptions) {
  const cells = panelGrid(size, rows, cols, grid);
  if (cells.length === 0) return cells;
  const { slack } = new Axes(ctx, cells[0], axesOptions);
  const dx = (slack.x * cols) / 2;
  const dy = (slack.y * rows) / 2;
  if (dx < 1 && dy < 1) return cells;
  return panelGrid({ width: size.width - 2 * dx, height: size.height - 2 * dy }, rows, cols, grid).map((r) => ({
    ...r, x: r.x + dx, y: r.y + dy,
  }));
}

/** A default point size for n points: bigger when few. */
function autoSize(n) {
  return n <= 1000 ? 3 : n <= 3000 ? 2.5 : n <= 10000 ? 2 : 1.5;
}

/** Canvas, its context and the theme, with the background painted; null if the canvas is not laid out. */
function begin(canvas, theme) {
  const { ctx, width, height } = fitCanvas(canvas);
  if (width < 2 || height < 2) return null;
  theme = theme ?? readTheme(canvas);
  paintBackground(ctx, width, height, theme.bg);
  return { ctx, width, height, theme };
}

/**
 * A CSS height that suits a figure at a given CSS width, for pages that size canvases from script
 * (canvas.style.height = suggestHeight(...) + "px"), so the square or equal-aspect panels fill the
 * width without bands of empty space.
 * @param {"dataVsGenerated" | "timePanels" | "loss" | "transport"} kind
 * @param {number} width  CSS px
 * @param {{aspect?: number, panels?: number}} [options]  aspect: x range / y range of the data
 *   (dataVsGenerated; default 1.6, the two moons); panels: for timePanels (default 8)
 * @returns {number} CSS px
 */
export function suggestHeight(kind, width, { aspect = 1.6, panels = 8 } = {}) {
  const narrow = width < NARROW;
  const TITLE = 20; // title band above each plot
  const TICKS = 22; // x tick labels below
  switch (kind) {
    case "dataVsGenerated": {
      if (narrow) return Math.round(2 * ((width - 8 - 44) / aspect + TITLE + TICKS) + 18);
      return Math.round(((width - 24) / 2 - 48) / aspect + TITLE + TICKS + 12);
    }
    case "timePanels": {
      const cols = Math.min(panels, narrow ? 2 : 4);
      const rows = Math.ceil(panels / cols);
      const cell = (width - 38 - 10 * (cols - 1)) / cols;
      return Math.round(rows * (cell + TITLE) + 10 * (rows - 1) + 24);
    }
    case "loss":
      return Math.round(Math.min(340, Math.max(220, width * 0.5)));
    case "transport":
      return Math.round(Math.min(width, 680) - 40 + TITLE + TICKS + 6);
    default:
      return Math.round(width * 0.6);
  }
}

/**
 * Two panels with shared (identical) axes, "True data" and "Generated data", side by side; stacked
 * when the canvas is narrower than NARROW px.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} truePoints  (n, 2) flat
 * @param {Float32Array} generatedPoints  (m, 2) flat
 * @param {object} [options]
 * @param {number | [number, number, number, number] | null} [options.lim]  [xmin, xmax, ymin, ymax]
 *   or a half-width; default: fitted to both sets (robust to a few stray samples)
 * @param {Uint32Array | null} [options.labels=null]  colour indices used for whichever set it
 *   matches in length; trueLabels / generatedLabels set them separately
 * @param {Uint32Array | null} [options.trueLabels]  (n,)
 * @param {Uint32Array | null} [options.generatedLabels]  (m,)
 * @param {[string, string]} [options.titles]
 * @param {number} [options.size]  point size, CSS px; default by point count
 * @param {number} [options.alpha=0.8]
 * @param {import("./theme.js").Theme} [options.theme]
 * @returns {Axes[] | null} the two panels (null when the canvas has no size)
 */
export function drawDataVsGenerated(canvas, truePoints, generatedPoints, {
  lim = null, labels = null, trueLabels, generatedLabels, titles = ["True data", "Generated data"],
  size, alpha = 0.8, theme,
} = {}) {
  const fig = begin(canvas, theme);
  if (!fig) return null;
  const { ctx, width, height } = fig;
  const [xmin, xmax, ymin, ymax] = limits(lim, [truePoints, generatedPoints]);
  const narrow = width < NARROW;
  const common = { xlim: [xmin, xmax], ylim: [ymin, ymax], equalAspect: true, theme: fig.theme };
  const cells = packedGrid(ctx, { width, height }, narrow ? 2 : 1, narrow ? 1 : 2, { gap: narrow ? 12 : 20, margin: 4 }, {
    ...common, title: titles[0],
  });
  const sets = [
    [truePoints, trueLabels ?? matching(labels, truePoints)],
    [generatedPoints, generatedLabels ?? matching(labels, generatedPoints)],
  ];
  return sets.map(([points, pointLabels], k) => {
    const axes = new Axes(ctx, cells[k], { ...common, title: titles[k] });
    axes.frame();
    const n = points ? Math.floor(points.length / 2) : 0;
    if (n === 0) axes.message("No points yet");
    else scatter(axes, points, { labels: pointLabels, size: size ?? autoSize(n), alpha, marker: "circle" });
    return axes;
  });
}

function matching(labels, points) {
  return labels && points && labels.length === Math.floor(points.length / 2) ? labels : null;
}

/**
 * The lab's panels of p_t: the particles at `panels` evenly spaced stored states (see
 * timePanelIndices), each a square scatter over [-lim, lim]^2 titled "t = 0.00" .. "t = 1.00".
 * 4 columns x 2 rows on wide canvases, 2 x 4 on narrow ones (other panel counts fill rows the
 * same way). Tick labels only on the left column and the bottom row.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} trajectory  (steps + 1, n, 2) flat
 * @param {object} options
 * @param {number} options.n  particles
 * @param {number} options.steps  ODE steps (the trajectory holds steps + 1 states)
 * @param {number} [options.panels=8]
 * @param {number | [number, number, number, number]} [options.lim=3]
 * @param {Uint32Array | null} [options.labels=null]  (n,) colour index per particle
 * @param {number} [options.size]  point size; default by particle count
 * @param {number} [options.alpha=0.7]
 * @param {import("./theme.js").Theme} [options.theme]
 * @returns {Axes[] | null}
 */
export function drawTimePanels(canvas, trajectory, { n, steps, panels = 8, lim = 3, labels = null, size, alpha = 0.7, theme } = {}) {
  const fig = begin(canvas, theme);
  if (!fig) return null;
  const { ctx, width, height } = fig;
  const [xmin, xmax, ymin, ymax] = limits(lim, []);
  const cols = Math.min(panels, width < NARROW ? 2 : 4);
  const rows = Math.ceil(panels / cols);
  // Shared room for the tick labels outside the grid; the cells hold a title and a square plot.
  const tickRoom = { left: 30, bottom: 20, top: 2, right: 8 };
  const indices = timePanelIndices(steps, panels);
  const panelOptions = (k) => ({
    xlim: [xmin, xmax], ylim: [ymin, ymax], title: `t = ${(steps > 0 ? indices[k] / steps : 0).toFixed(2)}`,
    equalAspect: true, theme: fig.theme, padding: { top: 20, left: 0, right: 0, bottom: 0 },
    xTicks: Math.floor(k / cols) === rows - 1 || k + cols >= panels, yTicks: k % cols === 0,
  });
  const cells = packedGrid(ctx, { width, height }, rows, cols, { gap: 10, margin: tickRoom }, panelOptions(0));
  const valid = n > 0 && steps >= 0 && trajectory && trajectory.length >= (steps + 1) * n * 2;
  return indices.map((index, k) => {
    const axes = new Axes(ctx, cells[k], panelOptions(k));
    axes.frame();
    if (!valid) {
      if (k === 0) axes.message("No trajectory yet");
      return axes;
    }
    scatter(axes, trajectory.subarray(index * 2 * n, (index + 1) * 2 * n), {
      labels, size: size ?? Math.max(1.5, autoSize(n) - 0.5), alpha,
    });
    return axes;
  });
}

/** Reused between calls: the smoothed loss (grows to the longest series seen). */
let smoothBuffer = new Float64Array(0);

/**
 * The training loss against iteration on a log y axis: the raw values as a faint line (thinned to
 * the smallest and largest per pixel column when there are many, so every spike still shows) and
 * the exponentially smoothed curve (bias-corrected like TensorBoard's; thinned to per-column means)
 * on top, with its last value noted in the corner. Handles 0 to 100k+ points; non-positive or non-finite losses are skipped.
 * @param {HTMLCanvasElement} canvas
 * @param {number[] | Float32Array} losses  (iterations,) loss i belongs to iteration (i + 1) * every
 * @param {object} [options]
 * @param {number} [options.smoothing=0.98]  in [0, 1); 0 draws no smoothed line
 * @param {string} [options.title="Training loss"]
 * @param {number} [options.every=1]  iterations between recorded losses
 * @param {string} [options.xlabel="iteration"]
 * @param {string} [options.ylabel="loss"]
 * @param {string} [options.color]  default the palette's first colour
 * @param {import("./theme.js").Theme} [options.theme]
 * @returns {Axes | null}
 */
export function drawLossCurve(canvas, losses, {
  smoothing = 0.98, title = "Training loss", every = 1, xlabel = "iteration", ylabel = "loss", color, theme,
} = {}) {
  const fig = begin(canvas, theme);
  if (!fig) return null;
  const { ctx, width, height } = fig;
  const n = losses ? losses.length : 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = losses[i];
    if (v > 0 && v < Infinity) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const empty = !(lo <= hi);
  const ylim = empty ? [0.1, 10] : lo === hi ? [lo / 2, hi * 2] : [lo / (hi / lo) ** 0.06, hi * (hi / lo) ** 0.06];
  const xmax = Math.max(every * n, 10);
  const axes = new Axes(ctx, { x: 0, y: 0, width, height }, {
    xlim: [0, xmax], ylim, logY: true, title, xlabel, ylabel, theme: fig.theme,
  });
  axes.frame();
  if (empty) {
    axes.message("No training steps yet");
    return axes;
  }
  color = color ?? fig.theme.palette[0];
  const iteration = (i) => (i + 1) * every;
  const columns = Math.max(1, Math.round(axes.plotRect.width));
  const raw = decimateMinMax(losses, columns);
  // Many points: one device pixel wide, since the thinned raw line zigzags over much of the plot
  // and anything wider takes Chrome's software rasteriser several times as long.
  const rawWidth = n > columns ? 1 / Math.max(1, ctx.getTransform().a) : 1;
  polyline(axes, iteration, losses, { color, width: rawWidth, alpha: fig.theme.dark ? 0.45 : 0.35, index: raw });
  if (n <= columns / 3) {
    // Few points: also mark each one.
    scatter(axes, pairs(iteration, losses), { color, size: 2.5, alpha: 0.45 });
  }
  if (smoothing > 0 && n > 1) {
    if (smoothBuffer.length < n) smoothBuffer = new Float64Array(Math.max(n, 2 * smoothBuffer.length));
    const smooth = emaSmooth(losses, smoothing, smoothBuffer).subarray(0, n);
    const thin = bucketMeans(smooth, columns);
    polyline(axes, (k) => (thin.index[k] + 1) * every, thin.value, { color, width: 2 });
    const last = smooth[n - 1];
    if (Number.isFinite(last)) axes.note(`smoothed ${formatLoss(last)} at iteration ${count(n * every)}`, { color });
  } else {
    axes.note(`${formatLoss(losses[n - 1])} at iteration ${count(n * every)}`, { color });
  }
  return axes;
}

/** (x(i), y[i]) pairs as one (n, 2) Float32Array, for marking a few points. */
function pairs(x, ys) {
  const out = new Float32Array(2 * ys.length);
  for (let i = 0; i < ys.length; i++) (out[2 * i] = x(i)), (out[2 * i + 1] = ys[i]);
  return out;
}

/** An iteration count with thousands separators ("100,000"). */
function count(v) {
  return Math.round(v).toLocaleString("en-US");
}

/** A loss with four significant digits ("0.8123", "1.235", "12.35"). */
function formatLoss(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return formatLogTick(Math.abs(v));
  return v.toPrecision(4);
}

/**
 * One frame of the transport animation: the particles at time t moving from noise (t = 0) to data
 * (t = 1) with fading trails over the previous `trail` stored states, coloured by where each
 * particle ends (labels), over the velocity field at t if given. Holds 60 fps at 5,000 particles
 * with trail 12 and a 20 x 20 field; allocates nothing per particle.
 * @param {HTMLCanvasElement} canvas
 * @param {object} options
 * @param {Float32Array} options.trajectory  (steps + 1, n, 2) flat
 * @param {number} options.n
 * @param {number} options.steps
 * @param {number} options.t  in [0, 1]
 * @param {Uint32Array | null} [options.labels=null]  (n,) colour index per particle
 * @param {number} [options.trail=12]  stored states; 0 for none
 * @param {Float32Array | null} [options.field=null]  (ny, nx, 2) velocity at grid nodes at time t
 * @param {{bounds: [number, number, number, number], nx: number, ny: number} | null} [options.fieldSpec=null]
 * @param {number} [options.fieldScale]  data units per unit speed; default the longest arrow is 0.9
 *   grid spacings (pass the same value every frame to keep lengths comparable across t). Arrows
 *   are capped at 1.5 grid spacings either way.
 * @param {number | [number, number, number, number]} [options.lim=3]
 * @param {string} [options.title]  default "t = 0.42"
 * @param {number} [options.size]  particle side, CSS px; default by particle count
 * @param {number} [options.alpha=0.85]
 * @param {boolean} [options.ticks=true]  tick labels
 * @param {import("./theme.js").Theme} [options.theme]  pass one to skip reading CSS each frame
 * @returns {{axes: Axes, fieldScale: number} | null}  fieldScale: the arrow scale used (0 without a field)
 */
export function drawTransport(canvas, {
  trajectory, n, steps, t, labels = null, trail = 12, field = null, fieldSpec = null, fieldScale, lim = 3,
  title, size, alpha = 0.85, ticks = true, theme,
} = {}) {
  const fig = begin(canvas, theme);
  if (!fig) return null;
  const { ctx, width, height } = fig;
  const [xmin, xmax, ymin, ymax] = limits(lim, []);
  const tt = Math.min(1, Math.max(0, t || 0));
  const axes = new Axes(ctx, { x: 0, y: 0, width, height }, {
    xlim: [xmin, xmax], ylim: [ymin, ymax], title: title ?? `t = ${tt.toFixed(2)}`, equalAspect: true,
    xTicks: ticks, yTicks: ticks, theme: fig.theme,
  });
  axes.frame();
  let scaleUsed = 0;
  if (field && fieldSpec) {
    scaleUsed = arrows(axes, field, { ...fieldSpec, scale: fieldScale, maxLength: 1.5, alpha: 0.8 }).scale;
  }
  if (!trajectory || !(n > 0) || trajectory.length < (steps + 1) * n * 2) {
    axes.message("No trajectory yet");
  } else {
    particles(axes, trajectory, { n, steps, t: tt, labels, trail, size: size ?? autoSize(n) - 0.5, alpha });
  }
  return { axes, fieldScale: scaleUsed };
}
