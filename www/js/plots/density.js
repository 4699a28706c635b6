// density.js: the Density view's two canvases. A heatmap of log p1 (or p1) on the core's grid
// with a colour bar and the data on top; and Theorem 1 side by side: the learned field u_theta
// beside the exact marginal velocity u* of a finite data set at one time t, with the samples u*
// carries from noise. The numbers come from the engine; this file only maps them to pixels.

import { fitCanvas, paintBackground } from "./canvas.js";
import { Axes } from "./axes.js";
import { readTheme, font } from "./theme.js";
import { arrows, cells, dots } from "./marks.js";
import { panelGrid } from "./data.js";

/** viridis at nine evenly spaced stops (matplotlib's), interpolated linearly. */
const VIRIDIS = [
  [68, 1, 84], [71, 45, 123], [59, 82, 139], [44, 114, 142], [33, 145, 140],
  [40, 174, 128], [94, 201, 98], [173, 220, 48], [253, 231, 37],
];

/** The colour of `u` in [0, 1] on viridis, as a CSS string. */
export function viridis(u) {
  const x = Math.min(1, Math.max(0, Number.isFinite(u) ? u : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const c = a.map((v, k) => Math.round(v + f * (b[k] - v)));
  return `rgb(${c[0]} ${c[1]} ${c[2]})`;
}

/** The colour range of a heatmap: log p1 from its maximum down `span` nats (lower values are
 *  clamped, so the tails do not wash the picture out), or p1 from 0 to its maximum. */
export function colourRange(values, show, span = 8) {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (show === "p") return [0, Math.exp(max)];
  return [max - span, max];
}

/**
 * @param {HTMLCanvasElement} canvas
 * @param {{logp: Float32Array, nx: number, ny: number, bounds: number[], data?: Float32Array,
 *   show?: "log" | "p", title?: string}} grid  logp (ny, nx), row 0 at bounds[2]
 */
export function drawDensity(canvas, { logp, nx, ny, bounds, data, show = "log", title }) {
  const { ctx, width, height } = fitCanvas(canvas);
  if (width < 2 || height < 2) return null;
  const theme = readTheme(canvas);
  paintBackground(ctx, width, height, theme.bg);
  const bar = { width: 14, gap: 12, labels: 44 };
  const rect = { x: 0, y: 0, width: width - bar.width - bar.gap - bar.labels, height };
  const [xmin, xmax, ymin, ymax] = bounds;
  const axes = new Axes(ctx, rect, {
    xlim: [xmin, xmax],
    ylim: [ymin, ymax],
    equalAspect: true,
    title: title ?? (show === "p" ? "p₁(x)" : "log p₁(x)"),
    theme,
  });
  axes.frame();
  const [lo, hi] = colourRange(logp, show);
  const value = show === "p" ? (v) => Math.exp(v) : (v) => v;
  const colours = Array.from(logp, (v) => viridis((value(v) - lo) / (hi - lo || 1)));
  // grid nodes are cell centres: the cells reach half a spacing beyond the outer nodes
  const hx = (xmax - xmin) / (nx - 1) / 2;
  const hy = (ymax - ymin) / (ny - 1) / 2;
  cells(axes, colours, { xRange: [xmin - hx, xmax + hx], yRange: [ymin - hy, ymax + hy], nx, ny });
  if (data) mark(axes, data, 1.6, "#ffffff", 0.75);
  // the colour bar, beside the plot area
  const plot = axes.plotRect ?? rect;
  const x0 = rect.x + rect.width + bar.gap;
  const top = plot.y ?? 20;
  const h = (plot.height ?? height - 40) - 0;
  for (let k = 0; k < h; k++) {
    ctx.fillStyle = viridis(1 - k / Math.max(1, h - 1));
    ctx.fillRect(x0, top + k, bar.width, 1.5);
  }
  ctx.strokeStyle = theme.fg;
  ctx.globalAlpha = 0.5;
  ctx.strokeRect(x0 + 0.5, top + 0.5, bar.width - 1, h - 1);
  ctx.globalAlpha = 1;
  ctx.fillStyle = theme.fg;
  ctx.font = font(theme, 11);
  ctx.textBaseline = "middle";
  const label = (v) => (show === "p" ? v.toPrecision(2) : v.toFixed(1));
  ctx.fillText(label(hi), x0 + bar.width + 4, top + 6);
  ctx.fillText(label((lo + hi) / 2), x0 + bar.width + 4, top + h / 2);
  ctx.fillText(show === "p" ? label(lo) : `≤ ${label(lo)}`, x0 + bar.width + 4, top + h - 6);
  return axes;
}

/**
 * Theorem 1 beside the learned field: two panels over the same box at time `t`, arrows of
 * u_theta and of u*, the data set's points on both, and u*'s samples (which land on them).
 */
export function drawFields(canvas, { learned, exact, points, samples, bounds, nx, ny, t }) {
  const { ctx, width, height } = fitCanvas(canvas);
  if (width < 2 || height < 2) return null;
  const theme = readTheme(canvas);
  paintBackground(ctx, width, height, theme.bg);
  const narrow = width < 560;
  const rects = panelGrid({ width, height }, narrow ? 2 : 1, narrow ? 1 : 2, { gap: 18, margin: 4 });
  const [xmin, xmax, ymin, ymax] = bounds;
  const panels = [
    [`learned u_θ(x, t = ${t.toFixed(2)})`, learned],
    [`exact u*(x, t = ${t.toFixed(2)}) of ${points.length / 2} points`, exact],
  ];
  return panels.map(([title, field], k) => {
    const axes = new Axes(ctx, rects[k], { xlim: [xmin, xmax], ylim: [ymin, ymax], equalAspect: true, title, theme });
    axes.frame();
    if (field) arrows(axes, field, { bounds, nx, ny, maxLength: 1.5 });
    if (k === 1 && samples) mark(axes, samples, 2, theme.point, 0.35);
    mark(axes, points, 3, "#e8590c", 0.95);
    return axes;
  });
}

/** Dots at flat (n, 2) points. */
function mark(axes, flat, radius, color, alpha) {
  const n = flat.length / 2;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = flat[2 * i];
    ys[i] = flat[2 * i + 1];
  }
  dots(axes, xs, ys, { radius, color, alpha, n });
}
