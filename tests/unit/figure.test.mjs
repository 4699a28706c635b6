// Unit tests for drawing the engine's figure descriptions (www/js/plots/figure.js) and the pure
// helpers behind them (limits, quiver scale, point scale in plots/data.js). No browser: figures
// draw into a fake canvas whose 2-D context records every call. Run with `node --test tests/unit/`.

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  autoRange, drawFigure, figureHeight, figureLimits, markExtent, pointScale, quiverGeometry,
} from "../../www/js/plots.js";

const LIGHT = {
  bg: "#ffffff", panel: "#fbfcfd", fg: "#1f2328", muted: "#59636e", grid: "#e6eaef", axis: "#b6bfc9",
  point: "#0072B2", arrow: "#7d8894", font: "sans-serif", dark: false, palette: ["#0072B2", "#E69F00"],
};
const DARK = { ...LIGHT, bg: "#0d1117", panel: "#11161d", fg: "#e6edf3", dark: true };

/** The context state save() keeps and restore() brings back. */
const STATE = ["fillStyle", "strokeStyle", "globalAlpha", "lineWidth", "font", "textAlign", "textBaseline", "lineCap", "lineJoin", "dash"];

/** A 2-D context that records what is drawn, with the fill style and alpha at the time. */
class RecordingContext {
  constructor(canvas) {
    this.canvas = canvas;
    this.fillStyle = "#000000";
    this.strokeStyle = "#000000";
    this.globalAlpha = 1;
    this.lineWidth = 1;
    this.font = "10px sans-serif";
    this.textAlign = "start";
    this.textBaseline = "alphabetic";
    this.lineCap = "butt";
    this.lineJoin = "miter";
    this.dash = [];
    this.stack = [];
    this.scale = 1;
    this.arcs = []; // {x, y, r, fillStyle, alpha} for every arc, with the style of the fill that follows
    this.pending = [];
    this.texts = []; // {text, x, y, font, fillStyle}
    this.rects = []; // fillRect calls
    this.strokes = []; // {strokeStyle, lineWidth, dash, alpha}
    this.closed = 0; // closePath calls (quiver arrows)
    this.fills = 0;
  }
  save() { this.stack.push(Object.fromEntries(STATE.map((k) => [k, this[k]]))); }
  restore() { Object.assign(this, this.stack.pop()); }
  setTransform(a) { this.scale = a; }
  getTransform() { return { a: this.scale, b: 0, c: 0, d: this.scale, e: 0, f: 0 }; }
  translate() {}
  rotate() {}
  clearRect() {}
  beginPath() { this.pending = []; }
  moveTo() {}
  lineTo() {}
  closePath() { this.closed++; }
  rect() {}
  clip() {}
  arc(x, y, r) { this.pending.push({ x, y, r }); }
  fill() {
    this.fills++;
    for (const a of this.pending) this.arcs.push({ ...a, fillStyle: this.fillStyle, alpha: this.globalAlpha });
    this.pending = [];
  }
  stroke() { this.strokes.push({ strokeStyle: this.strokeStyle, lineWidth: this.lineWidth, dash: [...this.dash], alpha: this.globalAlpha }); }
  fillRect(x, y, width, height) { this.rects.push({ x, y, width, height, fillStyle: this.fillStyle }); }
  strokeRect() {}
  setLineDash(d) { this.dash = [...d]; }
  measureText(text) { return { width: 6 * String(text).length }; }
  fillText(text, x, y) { this.texts.push({ text, x, y, font: this.font, fillStyle: this.fillStyle }); }
}

/** A canvas laid out at width x height CSS px, drawing into a RecordingContext. */
function fakeCanvas(width, height) {
  const canvas = {
    width, height, clientWidth: width, clientHeight: height, offsetWidth: width, offsetHeight: height,
    style: {},
    getBoundingClientRect: () => ({ width, height }),
  };
  const ctx = new RecordingContext(canvas);
  canvas.getContext = () => ctx;
  return { canvas, ctx };
}

const C0 = "#1f77b4";
const C1 = "#ff7f0e";

function axes(row, col, fields = {}) {
  return {
    row, col, title: null, xlim: null, ylim: null, aspectEqual: false, legend: false, xlabel: null, ylabel: null,
    colorCycle: 0, marks: [], ...fields,
  };
}

function scatter(x, y, fields = {}) {
  return { kind: "scatter", x, y, size: [10], color: C0, alpha: 1, label: null, ...fields };
}

/** n points on a circle of radius `radius`, as (x, y) arrays. */
function ring(n, radius = 1) {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) (x[i] = radius * Math.cos((2 * Math.PI * i) / n)), (y[i] = radius * Math.sin((2 * Math.PI * i) / n));
  return { x, y };
}

/** The lab's figure: "True data" (256 points) next to "Generated data" (300), shared axes, 8 x 4 in. */
function labFigure() {
  const a = ring(256, 1);
  const b = ring(300, 1.5);
  return {
    width: 8, height: 4, rows: 1, cols: 2, sharex: true, sharey: true, suptitle: null,
    axes: [
      axes(0, 0, { title: "True data", marks: [scatter(a.x, a.y, { color: C0 })] }),
      axes(0, 1, { title: "Generated data", marks: [scatter(Array.from(b.x), Array.from(b.y), { color: C1 })] }),
    ],
  };
}

function close(a, b, tol = 1e-9) {
  return Math.abs(a - b) <= tol;
}

// ---- drawing ----

test("drawFigure_draws_every_point_of_both_panels_with_their_colours", () => {
  const { canvas, ctx } = fakeCanvas(800, 400);
  const drawn = drawFigure(canvas, labFigure(), LIGHT);
  assert.equal(drawn.length, 2);
  assert.equal(ctx.arcs.length, 256 + 300);
  assert.equal(ctx.arcs.filter((a) => a.fillStyle === C0).length, 256);
  assert.equal(ctx.arcs.filter((a) => a.fillStyle === C1).length, 300);
});

test("drawFigure_draws_the_titles_and_suptitle", () => {
  const { canvas, ctx } = fakeCanvas(800, 400);
  drawFigure(canvas, { ...labFigure(), suptitle: "Flow matching" }, LIGHT);
  const texts = ctx.texts.map((t) => t.text);
  for (const title of ["True data", "Generated data", "Flow matching"]) assert.ok(texts.includes(title), `${title} in ${texts}`);
  const sup = ctx.texts.find((t) => t.text === "Flow matching");
  const title = ctx.texts.find((t) => t.text === "True data");
  assert.ok(sup.y < title.y, "the suptitle sits above the panel titles");
  assert.equal(sup.x, 400);
});

test("drawFigure_scales_markers_with_the_figure", () => {
  // 8 in across 800 px: 100 px per inch, so s = 10 pt² is a sqrt(10) pt face plus a 1 pt edge.
  const { canvas, ctx } = fakeCanvas(800, 400);
  drawFigure(canvas, labFigure(), LIGHT);
  const expected = ((Math.sqrt(10) + 1) * (100 / 72)) / 2;
  assert.ok(ctx.arcs.every((a) => close(a.r, expected)), `radius ${ctx.arcs[0].r}, expected ${expected}`);
  // Twice the canvas, twice the markers.
  const big = fakeCanvas(1600, 800);
  drawFigure(big.canvas, labFigure(), LIGHT);
  assert.ok(close(big.ctx.arcs[0].r, 2 * expected));
});

test("drawFigure_honours_set_limits_and_equal_aspect", () => {
  const figure = labFigure();
  for (const a of figure.axes) Object.assign(a, { xlim: [-3, 3], ylim: [-3, 3], aspectEqual: true });
  // Two marker points: the centre and the top right corner of the limits.
  figure.axes[0].marks.push(scatter([0, 3], [0, 3], { color: "#123456" }));
  const { canvas, ctx } = fakeCanvas(800, 400);
  const drawn = drawFigure(canvas, figure, LIGHT);
  for (const ax of drawn) {
    assert.deepEqual(ax.xlim, [-3, 3]);
    assert.deepEqual(ax.ylim, [-3, 3]);
    const r = ax.plotRect;
    assert.ok(close(r.width, r.height, 1e-6), `equal aspect: ${r.width} x ${r.height}`);
  }
  const r = drawn[0].plotRect;
  const [centre, corner] = ctx.arcs.filter((a) => a.fillStyle === "#123456");
  assert.ok(close(centre.x, r.x + r.width / 2, 1e-6) && close(centre.y, r.y + r.height / 2, 1e-6));
  assert.ok(close(corner.x, r.x + r.width, 1e-6) && close(corner.y, r.y, 1e-6));
  // The two panels are the same size and on one row.
  assert.ok(close(drawn[1].plotRect.width, r.width, 1e-6) && close(drawn[1].plotRect.y, r.y, 1e-6));
});

test("drawFigure_shares_limits_and_labels_shared_ticks_once", () => {
  const figure = labFigure();
  figure.axes[0].xlim = [-2, 2];
  const { canvas } = fakeCanvas(800, 400);
  const [left, right] = drawFigure(canvas, figure, LIGHT);
  assert.deepEqual(right.xlim, [-2, 2], "sharex carries the set limits to the other panel");
  assert.deepEqual(left.ylim, right.ylim);
  // y fitted to both panels' data (radius 1.5 ring) with matplotlib's 5 % margin.
  assert.ok(close(right.ylim[1], 1.5 + 0.05 * 3, 1e-6), `${right.ylim}`);
  assert.equal(left.showYTicks, true);
  assert.equal(right.showYTicks, false, "sharey: only the left column labels its y ticks");
  assert.equal(right.showXTicks, true, "one row: every panel is in the bottom row");
});

test("drawFigure_fits_unshared_panels_to_their_own_data", () => {
  const figure = labFigure();
  figure.sharex = false;
  figure.sharey = false;
  const { canvas } = fakeCanvas(800, 400);
  const [left, right] = drawFigure(canvas, figure, LIGHT);
  assert.ok(close(left.xlim[1], 1.1, 1e-6), `${left.xlim}`);
  assert.ok(close(right.xlim[1], 1.65, 1e-6), `${right.xlim}`);
  assert.equal(right.showYTicks, true);
});

test("drawFigure_draws_lines_quiver_heatmap_and_a_legend", () => {
  const figure = {
    width: 6.4, height: 4.8, rows: 1, cols: 1, sharex: false, sharey: false, suptitle: null,
    axes: [axes(0, 0, {
      legend: true,
      marks: [
        { kind: "line", x: [0, 1, 2], y: [0, 1, 0], color: C1, width: 2, dashed: true, alpha: 1, label: "fit", marker: true },
        { kind: "quiver", x: [0, 1, 2, 3], y: [0, 0, 0, 0], u: [1, 0, 1, 0], v: [0, 1, 0, 1], color: "#000000", alpha: 1 },
        { kind: "heatmap", xRange: [0, 3], yRange: [-1, 1], nx: 2, ny: 2, values: [0, 1, 2, 3], colors: ["#440154", "#31688e", "#35b779", "#fde725"] },
        scatter([0.5], [0.5], { label: "_hidden" }),
        scatter([1.5], [0.5], { label: "data", color: [C0] }),
      ],
    })],
  };
  const { canvas, ctx } = fakeCanvas(640, 480);
  const [ax] = drawFigure(canvas, figure, LIGHT);
  // Heatmap: four cells in its colours, covering the plot horizontally (its edges are sticky).
  const cellsDrawn = ctx.rects.filter((r) => figure.axes[0].marks[2].colors.includes(r.fillStyle));
  assert.equal(cellsDrawn.length, 4);
  assert.deepEqual(ax.xlim, [0, 3]);
  // Dashed line, matplotlib's 3.7, 1.6 pattern in line widths (2 pt at 100 px per inch here).
  const pt = 640 / (6.4 * 72);
  const line = ctx.strokes.find((s) => s.strokeStyle === C1 && s.dash.length === 2);
  assert.ok(line, "a dashed stroke in the line's colour");
  assert.ok(close(line.lineWidth, 2 * pt) && close(line.dash[0], 3.7 * 2 * pt) && close(line.dash[1], 1.6 * 2 * pt));
  // Line markers: 3 in the plot and one in the legend.
  assert.equal(ctx.arcs.filter((a) => a.fillStyle === C1).length, 4);
  // Quiver: one closed arrow outline per arrow.
  assert.equal(ctx.closed, 4);
  // Legend: the labelled marks only.
  const texts = ctx.texts.map((t) => t.text);
  assert.ok(texts.includes("fit") && texts.includes("data"));
  assert.ok(!texts.includes("_hidden"));
});

test("drawFigure_draws_a_histogram_from_zero_and_a_vertical_line_across_the_panel", () => {
  const figure = {
    width: 6.4, height: 4.8, rows: 1, cols: 1, sharex: false, sharey: false, suptitle: null,
    axes: [axes(0, 0, {
      legend: true,
      marks: [
        { kind: "bars", edges: [-1, 0, 1, 2], heights: [0.25, 0.5, 0], color: C0, alpha: 0.5, label: "samples" },
        { kind: "line", x: [-1, 2], y: [0.1, 0.4], color: C1, width: 1.5, dashed: false, alpha: 1, label: null, marker: false },
        { kind: "vline", x: 0.5, color: "#d62728", width: 1.5, dashed: true, alpha: 1, label: "p_hat" },
      ],
    })],
  };
  const { canvas, ctx } = fakeCanvas(640, 480);
  const [ax] = drawFigure(canvas, figure, LIGHT);
  // y starts at the bars' base (sticky 0) and x covers the edges with matplotlib's margin
  assert.equal(ax.ylim[0], 0);
  assert.ok(close(ax.ylim[1], 0.5 + 0.05 * 0.5, 1e-9), `${ax.ylim}`);
  assert.ok(close(ax.xlim[0], -1 - 0.05 * 3, 1e-9), `${ax.xlim}`);
  // two bars (the empty third is skipped), from the x axis up to their heights
  const drawnBars = ctx.rects.filter((r) => r.fillStyle === C0);
  assert.equal(drawnBars.length, 3, "two bars and the legend's swatch");
  const [first, second] = drawnBars;
  assert.ok(close(first.y + first.height, ax.sy(0), 1e-6) && close(first.y, ax.sy(0.25), 1e-6));
  assert.ok(close(first.x, ax.sx(-1), 1e-6) && close(first.width, ax.sx(0) - ax.sx(-1), 1e-6));
  assert.ok(close(second.y, ax.sy(0.5), 1e-6));
  // the vertical line: dashed, in its colour, without widening y
  const vline = ctx.strokes.find((st) => st.strokeStyle === "#d62728");
  assert.ok(vline && vline.dash.length === 2, "a dashed stroke in the line's colour");
  assert.deepEqual(ctx.texts.filter((t) => t.text === "samples" || t.text === "p_hat").map((t) => t.text), ["samples", "p_hat"]);
});

test("markExtent_of_bars_and_vlines", () => {
  const bars = markExtent({ kind: "bars", edges: [0, 1, 3], heights: [2, 1] });
  assert.deepEqual(bars, { x: [0, 3], y: [0, 2], stickyX: [], stickyY: [0] });
  const vline = markExtent({ kind: "vline", x: 4 });
  assert.deepEqual(vline.x, [4, 4]);
  assert.deepEqual(vline.y, [Infinity, -Infinity]);
  assert.deepEqual(markExtent({ kind: "vline", x: NaN }).x, [Infinity, -Infinity]);
});

test("drawFigure_draws_black_in_the_foreground_colour_on_a_dark_theme", () => {
  const figure = labFigure();
  figure.axes[0].marks = [scatter([0, 1], [0, 1], { color: "#000000" })];
  figure.axes[1].marks = [scatter([0, 1], [0, 1], { color: ["#000000", C1] })];
  const { canvas, ctx } = fakeCanvas(800, 400);
  drawFigure(canvas, figure, DARK);
  assert.equal(ctx.arcs.filter((a) => a.fillStyle === DARK.fg).length, 3);
  assert.equal(ctx.arcs.filter((a) => a.fillStyle === "#000000").length, 0);
});

test("drawFigure_applies_mark_alpha_and_per_point_sizes", () => {
  const figure = labFigure();
  figure.axes[0].marks = [scatter([0, 1, 2], [0, 1, 2], { size: [4, 16, 64], alpha: 0.5 })];
  figure.axes[1].marks = [];
  const { canvas, ctx } = fakeCanvas(800, 400);
  drawFigure(canvas, figure, LIGHT);
  const pt = 100 / 72;
  assert.deepEqual(ctx.arcs.map((a) => a.alpha), [0.5, 0.5, 0.5]);
  assert.ok(ctx.arcs.every((a, i) => close(a.r, ((Math.sqrt([4, 16, 64][i]) + 1) * pt) / 2)));
});

test("drawFigure_lays_out_a_grid_row_major", () => {
  const figure = {
    width: 6, height: 6, rows: 2, cols: 2, sharex: true, sharey: false, suptitle: null,
    axes: [0, 1, 2, 3].map((k) => axes(Math.floor(k / 2), k % 2, { title: `panel ${k}`, marks: [scatter([k], [k])] })),
  };
  const { canvas } = fakeCanvas(600, 600);
  const drawn = drawFigure(canvas, figure, LIGHT);
  const [a, b, c] = drawn.map((ax) => ax.plotRect);
  assert.ok(b.x > a.x && close(b.y, a.y), "panel 1 is right of panel 0");
  assert.ok(c.y > a.y && close(c.x, a.x), "panel 2 is below panel 0");
  assert.deepEqual(drawn.map((ax) => ax.showXTicks), [false, false, true, true], "sharex: bottom row only");
  assert.deepEqual(drawn.map((ax) => ax.showYTicks), [true, true, true, true]);
});

test("drawFigure_returns_null_for_an_unsized_canvas_or_no_figure", () => {
  assert.equal(drawFigure(fakeCanvas(0, 0).canvas, labFigure(), LIGHT), null);
  assert.equal(drawFigure(fakeCanvas(300, 200).canvas, null, LIGHT), null);
  // An empty panel draws its frame and nothing else.
  const { canvas, ctx } = fakeCanvas(300, 200);
  const figure = { width: 3, height: 2, rows: 1, cols: 1, sharex: false, sharey: false, suptitle: null, axes: [axes(0, 0)] };
  const [ax] = drawFigure(canvas, figure, LIGHT);
  assert.deepEqual(ax.xlim, [0, 1]);
  assert.equal(ctx.arcs.length, 0);
});

test("figureHeight_keeps_the_figures_shape", () => {
  assert.equal(figureHeight({ width: 8, height: 4 }, 800), 400);
  assert.equal(figureHeight({ width: 16, height: 2.5 }, 1280), 200);
  assert.equal(figureHeight({ width: 0, height: 4 }, 640), 480, "matplotlib's 6.4 x 4.8 by default");
  assert.equal(figureHeight(undefined, 640), 480);
});

// ---- pure helpers ----

test("autoRange_adds_matplotlibs_margins", () => {
  // Values from matplotlib 3.11: scatter([0, 10], [1, 1]) -> xlim (-0.5, 10.5), ylim (0.945, 1.055).
  assert.deepEqual(autoRange(0, 10), [-0.5, 10.5]);
  const [a, b] = autoRange(1, 1);
  assert.ok(close(a, 0.945) && close(b, 1.055), `${a}, ${b}`);
  const [z0, z1] = autoRange(0, 0);
  assert.ok(close(z0, -0.055) && close(z1, 0.055), `${z0}, ${z1}`);
  assert.deepEqual(autoRange(Infinity, -Infinity), [0, 1]);
});

test("autoRange_stops_at_sticky_edges", () => {
  // imshow(extent=(0, 3, 0, 2)) with a point inside: limits are the image's edges.
  assert.deepEqual(autoRange(0, 3, { sticky: [0, 3] }), [0, 3]);
  // A point beyond the image: the margin applies on that side.
  assert.deepEqual(autoRange(0, 10, { sticky: [0, 3] }), [0, 10.5]);
});

test("markExtent_covers_finite_points_and_heatmap_edges", () => {
  const e = markExtent({ kind: "scatter", x: [1, NaN, -2, 4], y: [0, 5, 3, Infinity] });
  assert.deepEqual([e.x, e.y], [[-2, 1], [0, 3]]);
  const h = markExtent({ kind: "heatmap", xRange: [0, 3], yRange: [-1, 1], nx: 2, ny: 2 });
  assert.deepEqual([h.x, h.y, h.stickyX, h.stickyY], [[0, 3], [-1, 1], [0, 3], [-1, 1]]);
  const q = markExtent({ kind: "quiver", x: new Float32Array([0, 2]), y: new Float32Array([1, 1]), u: [9, 9], v: [9, 9] });
  assert.deepEqual([q.x, q.y], [[0, 2], [1, 1]], "quiver limits come from the tails only");
});

test("figureLimits_shares_and_fits_like_matplotlib", () => {
  // matplotlib 3.11: subplots(1, 2, sharex=True, sharey=True); scatter([0, 1], [0, 1]) and
  // scatter([5], [3]) -> both (-0.25, 5.25), (-0.15, 3.15).
  const figure = {
    sharex: true, sharey: true,
    axes: [axes(0, 0, { marks: [scatter([0, 1], [0, 1])] }), axes(0, 1, { marks: [scatter([5], [3])] })],
  };
  const limits = figureLimits(figure);
  for (const { xlim, ylim } of limits) {
    assert.ok(close(xlim[0], -0.25) && close(xlim[1], 5.25), `${xlim}`);
    assert.ok(close(ylim[0], -0.15) && close(ylim[1], 3.15), `${ylim}`);
  }
  // Not shared: each panel its own.
  const own = figureLimits({ ...figure, sharex: false, sharey: false });
  assert.deepEqual(own[0].xlim, [-0.05, 1.05]);
  assert.ok(close(own[1].xlim[0], 4.725) && close(own[1].xlim[1], 5.275), `${own[1].xlim}`);
  // Explicit limits win, and with sharing the last panel that sets them wins for all.
  const set = figureLimits({ ...figure, axes: [axes(0, 0, { xlim: [-1, 1] }), axes(0, 1, { xlim: [-3, 3] })] });
  assert.deepEqual(set.map((l) => l.xlim), [[-3, 3], [-3, 3]]);
});

test("quiverGeometry_is_matplotlibs_default_scale", () => {
  // matplotlib 3.11: quiver of 4 unit arrows -> scale 18 (plot widths per unit), width 0.0075.
  const { pxPerUnit, shaft } = quiverGeometry([1, 0, 1, 0], [0, 1, 0, 1], 4, 360);
  assert.ok(close(pxPerUnit, 360 / 18), `${pxPerUnit}`);
  assert.ok(close(shaft, 0.0075 * 360), `${shaft}`);
  // Many arrows: sqrt(n) takes over (n = 400: sn = 20 for length, 20 for the shaft).
  const u = new Float32Array(400).fill(2);
  const v = new Float32Array(400);
  const g = quiverGeometry(u, v, 400, 100);
  assert.ok(close(g.pxPerUnit, 100 / (1.8 * 2 * 20)) && close(g.shaft, (0.06 * 100) / 20));
  assert.equal(quiverGeometry([0], [0], 1, 100).pxPerUnit, 0);
});

test("pointScale_maps_the_figure_width_to_the_canvas", () => {
  assert.equal(pointScale(720, 10), 1);
  assert.equal(pointScale(576, 8), 1);
  assert.ok(close(pointScale(640, -1), 640 / (72 * 6.4)));
});
