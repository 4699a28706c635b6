// figure.js: draws a figure description from the engine, what the lab language's
// matplotlib.pyplot subset built (crate/src/plot: Figure, Axes, Mark), on one canvas. Colours come
// resolved from Rust; this file lays out the panels, maps data to pixels and draws.
//
// The description is plain data (serde through serde-wasm-bindgen, or JSON):
//   {width, height (inches), rows, cols, sharex, sharey, suptitle, axes: [{row, col, title, xlim,
//    ylim, aspectEqual, legend, xlabel, ylabel, marks: [{kind: "scatter" | "line" | "quiver" |
//    "heatmap" | "bars" | "vline", ...}]}]}
// with colours as CSS strings and number arrays as Arrays or typed arrays.
//
// Sizes follow matplotlib at the figure's scale: the figure's width in inches spans the canvas, so
// a point (1/72 in) is canvasWidth / (72 * width) CSS px. Scatter sizes are marker areas in
// points², line widths points. Text keeps the page's sizes (Axes), so small canvases stay legible.

import { fitCanvas, paintBackground } from "./canvas.js";
import { Axes } from "./axes.js";
import { font, readTheme } from "./theme.js";
import { bars, cells, dots, polyline, quiver } from "./marks.js";
import { figureLimits, panelGrid, pointScale, quiverGeometry } from "./data.js";

/** matplotlib's defaults (rcParams) that the drawing needs. */
const MPL = {
  figsize: [6.4, 4.8], // figure.figsize, inches
  markerArea: 36, // scatter s, points² (lines.markersize 6, squared)
  markerEdge: 1, // patch.linewidth, points: scatter markers' edge, in the face colour
  lineWidth: 1.5, // lines.linewidth, points
  lineMarker: 6, // lines.markersize, points (diameter)
  lineMarkerEdge: 1, // lines.markeredgewidth, points
  dash: [3.7, 1.6], // lines.dashed_pattern, in line widths
};

/** Drawing order, as matplotlib's default z-orders: images, then collections, then lines. */
const ZORDER = { heatmap: 0, bars: 1, scatter: 1, quiver: 1, line: 2, vline: 2 };

/** Layout, CSS px. */
const GAP = 14; // between neighbouring panels' rectangles
const MARGIN = 6; // around the grid
const SUPTITLE = { size: 15, band: 26 };
const LEGEND = { size: 11, row: 17, pad: 7, swatch: 22, inset: 6 };

/**
 * The CSS height that keeps a figure's shape (its width / height in inches) at a CSS width, for
 * sizing its canvas: canvas.style.height = `${figureHeight(figure, width)}px`.
 * @param {{width: number, height: number}} figure  inches; matplotlib's 6.4 x 4.8 if not positive
 * @param {number} width  CSS px
 * @returns {number} CSS px, at least 1
 */
export function figureHeight(figure, width) {
  const [w, h] = figureSize(figure);
  return Math.max(1, Math.round((width * h) / w));
}

/**
 * Draws a figure description: a rows x cols grid of panels (Axes, row-major), each with its
 * frame, ticks, title and axis labels, its marks in matplotlib's z-order (heatmaps, then scatter
 * and quiver, then lines) and, when it asked for one, a legend of its labelled marks placed in
 * the emptiest corner; the suptitle above. Limits are a panel's xlim / ylim or fitted to its
 * data with matplotlib's 5 % margin, shared across panels with sharex / sharey (figureLimits);
 * shared axes label their ticks on the bottom row / left column only. Every plot area gets the
 * same margins, so the panels line up; equal-aspect panels shrink (limits unchanged) and the grid
 * closes up around them. Black marks are drawn in the theme's foreground on a dark theme.
 * @param {HTMLCanvasElement} canvas  sized by CSS (see figureHeight)
 * @param {object} figure  the engine's Figure description
 * @param {import("./theme.js").Theme} [theme]  default: readTheme(canvas)
 * @returns {(Axes | null)[] | null} one per figure.axes entry (null for a panel outside the grid);
 *   null when the canvas has no size or there is no figure
 */
export function drawFigure(canvas, figure, theme) {
  const { ctx, width, height } = fitCanvas(canvas);
  if (width < 2 || height < 2 || !figure) return null;
  theme = theme ?? readTheme(canvas);
  paintBackground(ctx, width, height, theme.bg);

  const rows = Math.max(1, Math.floor(figure.rows) || 1);
  const cols = Math.max(1, Math.floor(figure.cols) || 1);
  const panels = Array.from(figure.axes ?? []);
  const limits = figureLimits({ ...figure, axes: panels });
  const pt = pointScale(width, figureSize(figure)[0]);
  const top = MARGIN + (figure.suptitle ? SUPTITLE.band : 0);
  const grid = { gap: GAP, margin: { top, right: MARGIN, bottom: MARGIN, left: MARGIN } };

  const cellOf = panels.map((a, k) => {
    const inside = Number.isInteger(a.row) && Number.isInteger(a.col) &&
      a.row >= 0 && a.row < rows && a.col >= 0 && a.col < cols;
    return inside ? a.row * cols + a.col : k < rows * cols ? k : -1;
  });
  const options = (k) => {
    const a = panels[k];
    const row = Math.floor(cellOf[k] / cols);
    const col = cellOf[k] % cols;
    return {
      xlim: limits[k].xlim, ylim: limits[k].ylim, title: a.title ?? "", xlabel: a.xlabel ?? "", ylabel: a.ylabel ?? "",
      equalAspect: !!a.aspectEqual, theme,
      // Shared axes label their ticks once: x on the bottom row, y on the left column.
      xTicks: !(figure.sharex && row < rows - 1), yTicks: !(figure.sharey && col > 0),
    };
  };

  // One set of margins for every plot area (the largest any panel needs), so panels line up.
  let rects = panelGrid({ width, height }, rows, cols, grid);
  const padding = { top: 0, right: 0, bottom: 0, left: 0 };
  panels.forEach((_, k) => {
    const cell = rects[cellOf[k]];
    if (!cell) return;
    const r = new Axes(ctx, cell, { ...options(k), equalAspect: false }).plotRect;
    padding.top = Math.max(padding.top, r.y - cell.y);
    padding.left = Math.max(padding.left, r.x - cell.x);
    padding.right = Math.max(padding.right, cell.x + cell.width - r.x - r.width);
    padding.bottom = Math.max(padding.bottom, cell.y + cell.height - r.y - r.height);
  });
  const build = () => panels.map((_, k) => {
    const cell = rects[cellOf[k]];
    return cell ? new Axes(ctx, cell, { ...options(k), padding }) : null;
  });
  let axes = build();

  // Equal-aspect panels leave room unused: shrink the grid by what every panel can spare, centred.
  let slackX = Infinity;
  let slackY = Infinity;
  for (const a of axes) if (a) (slackX = Math.min(slackX, a.slack.x)), (slackY = Math.min(slackY, a.slack.y));
  let dy = 0;
  if (Number.isFinite(slackX) && (slackX >= 1 || slackY >= 1)) {
    const dx = (slackX * cols) / 2;
    dy = (slackY * rows) / 2;
    rects = panelGrid({ width: width - 2 * dx, height: height - 2 * dy }, rows, cols, grid)
      .map((r) => ({ ...r, x: r.x + dx, y: r.y + dy }));
    axes = build();
  }

  axes.forEach((ax, k) => {
    if (!ax) return;
    ax.frame();
    const marks = Array.from(panels[k].marks ?? []);
    const z = (i) => ZORDER[marks[i]?.kind] ?? 1;
    const order = marks.map((_, i) => i).sort((i, j) => z(i) - z(j) || i - j);
    for (const i of order) drawMark(ax, marks[i], pt, theme);
    if (panels[k].legend) drawLegend(ax, marks, pt, theme);
  });

  if (figure.suptitle) {
    ctx.save();
    ctx.font = font(theme, SUPTITLE.size, 600);
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(figure.suptitle, width / 2, dy + MARGIN, Math.max(20, width - 2 * MARGIN));
    ctx.restore();
  }
  return axes;
}

/** [width, height] in inches, matplotlib's default when not two positive numbers. */
function figureSize(figure) {
  const w = figure?.width;
  const h = figure?.height;
  return w > 0 && h > 0 && Number.isFinite(w) && Number.isFinite(h) ? [w, h] : MPL.figsize;
}

/** A mark's colour on this theme: black (matplotlib's default ink) becomes the foreground when dark. */
function ink(color, theme) {
  if (typeof color !== "string") return theme.fg;
  return theme.dark && /^#000000(ff)?$/i.test(color) ? theme.fg : color;
}

/** A Paint (one colour, or one per point) on this theme. */
function paint(color, theme) {
  if (typeof color === "string" || color == null) return ink(color, theme);
  return theme.dark ? Array.from(color, (c) => ink(c, theme)) : color;
}

/** The drawn radius of a scatter marker of area s points²: its face plus matplotlib's edge, CSS px. */
function markerRadius(s, pt) {
  return ((Math.sqrt(Math.max(0, s)) + MPL.markerEdge) * pt) / 2;
}

/** The drawn radius of a line's circle marker (matplotlib's 6 pt marker and 1 pt edge), CSS px. */
function lineMarkerRadius(pt) {
  return ((MPL.lineMarker + MPL.lineMarkerEdge) * pt) / 2;
}

function alphaOf(mark) {
  return Number.isFinite(mark.alpha) ? Math.min(1, Math.max(0, mark.alpha)) : 1;
}

function drawMark(axes, mark, pt, theme) {
  if (!mark) return;
  const alpha = alphaOf(mark);
  switch (mark.kind) {
    case "scatter": {
      const size = mark.size ?? [];
      const radius = size.length === 0
        ? markerRadius(MPL.markerArea, pt)
        : size.length === 1 ? markerRadius(size[0], pt) : Array.from(size, (s) => markerRadius(s, pt));
      dots(axes, mark.x ?? [], mark.y ?? [], { radius, color: paint(mark.color, theme), alpha });
      break;
    }
    case "line": {
      const color = ink(mark.color, theme);
      const width = (Number.isFinite(mark.width) ? mark.width : MPL.lineWidth) * pt;
      const dash = mark.dashed ? MPL.dash.map((d) => d * width) : undefined;
      polyline(axes, mark.x ?? [], mark.y ?? [], { color, width, alpha, dash });
      if (mark.marker) {
        dots(axes, mark.x ?? [], mark.y ?? [], { radius: lineMarkerRadius(pt), color, alpha });
      }
      break;
    }
    case "quiver": {
      const { x = [], y = [], u = [], v = [] } = mark;
      const n = Math.min(x.length, y.length, u.length, v.length);
      const geometry = quiverGeometry(u, v, n, axes.plotRect.width);
      quiver(axes, x, y, u, v, { ...geometry, color: ink(mark.color, theme), alpha });
      break;
    }
    case "heatmap":
      cells(axes, mark.colors ?? [], { xRange: mark.xRange, yRange: mark.yRange, nx: mark.nx, ny: mark.ny, alpha });
      break;
    case "bars":
      bars(axes, mark.edges ?? [], mark.heights ?? [], { color: ink(mark.color, theme), alpha });
      break;
    case "vline": {
      if (!Number.isFinite(mark.x)) break;
      const color = ink(mark.color, theme);
      const width = (Number.isFinite(mark.width) ? mark.width : MPL.lineWidth) * pt;
      const dash = mark.dashed ? MPL.dash.map((d) => d * width) : undefined;
      polyline(axes, [mark.x, mark.x], axes.ylim, { color, width, alpha, dash });
      break;
    }
    default:
      break;
  }
}

/** Labelled points, lines and bars, in order; labels starting with "_" are hidden, as in matplotlib. */
const LEGEND_KINDS = new Set(["scatter", "line", "vline", "bars"]);
function legendEntries(marks) {
  return marks.filter((m) => m && LEGEND_KINDS.has(m.kind) && typeof m.label === "string" &&
    m.label !== "" && !m.label.startsWith("_"));
}

/**
 * A legend box inside the plot area, in whichever corner covers the fewest data points (upper
 * right first on ties, as matplotlib's "best" prefers), listing each labelled mark's swatch.
 */
function drawLegend(axes, marks, pt, theme) {
  const entries = legendEntries(marks);
  if (entries.length === 0) return;
  const { ctx } = axes;
  ctx.save();
  ctx.font = font(theme, LEGEND.size);
  const textW = Math.max(...entries.map((m) => ctx.measureText(m.label).width));
  const w = 2 * LEGEND.pad + LEGEND.swatch + 6 + textW;
  const h = 2 * LEGEND.pad + entries.length * LEGEND.row - 4;
  const r = axes.plotRect;
  const left = r.x + LEGEND.inset;
  const right = r.x + r.width - LEGEND.inset - w;
  const top = r.y + LEGEND.inset;
  const bottom = r.y + r.height - LEGEND.inset - h;
  const corners = [[right, top], [left, top], [left, bottom], [right, bottom]];
  const covered = corners.map(([x, y]) => pointsInside(axes, marks, x, y, w, h));
  const best = corners[covered.indexOf(Math.min(...covered))];
  const [bx, by] = best;

  ctx.globalAlpha = 0.8;
  ctx.fillStyle = theme.panel;
  ctx.fillRect(bx, by, w, h);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(bx, by, w, h);
  entries.forEach((m, i) => {
    const cy = by + LEGEND.pad + i * LEGEND.row + (LEGEND.row - 4) / 2;
    const x0 = bx + LEGEND.pad;
    const alpha = alphaOf(m);
    if (m.kind === "bars") {
      ctx.save();
      ctx.globalAlpha = alpha;
      ctx.fillStyle = ink(m.color, theme);
      ctx.fillRect(x0 + 3, cy - 5, LEGEND.swatch - 6, 10);
      ctx.restore();
    } else if (m.kind === "line" || m.kind === "vline") {
      const color = ink(m.color, theme);
      const width = (Number.isFinite(m.width) ? m.width : MPL.lineWidth) * pt;
      ctx.save();
      ctx.globalAlpha = alpha;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      if (m.dashed) ctx.setLineDash(MPL.dash.map((d) => d * width));
      ctx.beginPath();
      ctx.moveTo(x0, cy);
      ctx.lineTo(x0 + LEGEND.swatch, cy);
      ctx.stroke();
      if (m.marker) {
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.arc(x0 + LEGEND.swatch / 2, cy, Math.min(LEGEND.row / 2 - 2, lineMarkerRadius(pt)), 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.restore();
    } else {
      const colors = paint(m.color, theme);
      const size = m.size && m.size.length > 0 ? m.size[0] : MPL.markerArea;
      ctx.save();
      ctx.globalAlpha = alpha;
      ctx.fillStyle = typeof colors === "string" ? colors : colors[0] ?? theme.point;
      ctx.beginPath();
      const radius = Math.max(1.5, Math.min(LEGEND.row / 2 - 2, markerRadius(size, pt)));
      ctx.arc(x0 + LEGEND.swatch / 2, cy, radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.restore();
    }
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(m.label, x0 + LEGEND.swatch + 6, cy);
  });
  ctx.restore();
}

/** How many of the marks' points and line vertices fall inside a box, CSS px. */
function pointsInside(axes, marks, x, y, w, h) {
  const { ax, bx, ay, by } = axes.transform;
  let count = 0;
  for (const m of marks) {
    if (!m || (m.kind !== "scatter" && m.kind !== "line" && m.kind !== "quiver")) continue;
    const xs = m.x ?? [];
    const ys = m.y ?? [];
    const n = Math.min(xs.length, ys.length);
    for (let i = 0; i < n; i++) {
      const X = ax * xs[i] + bx;
      const Y = ay * ys[i] + by;
      if (X >= x && X <= x + w && Y >= y && Y <= y + h) count++;
    }
  }
  return count;
}
