// axes.js: one plot area on a canvas: its scales, grid, ticks, labels and title.

import { formatLogTick, formatTick, niceTicks, logTicks } from "./ticks.js";
import { font, readTheme } from "./theme.js";

/** Font sizes, CSS px. Small panels use the smaller tick size. */
const SIZES = { tick: 11, tickSmall: 10, label: 12, title: 13 };
/** Gaps between the plot area and its tick labels, and between tick labels and axis labels. */
const TICK_GAP = 5;
const LABEL_GAP = 6;

/**
 * A plot area inside `rect`, with linear x and linear or log y. Draw data with its px/sx/sy (or
 * the inlined `transform`) inside clip(); frame() draws everything around the data.
 *
 * Layout: the title sits above the plot area, x tick labels and the x label below, y tick labels
 * and the y label to the left; all within `rect` unless `padding` overrides the automatic margins
 * (the time panels reserve shared room outside their cells that way). With equalAspect the plot
 * area shrinks (centred) so one data unit is as long on x as on y; the limits never change.
 */
export class Axes {
  /**
   * @param {CanvasRenderingContext2D} ctx  transformed to CSS px (see fitCanvas)
   * @param {{x: number, y: number, width: number, height: number}} rect  CSS px, including room
   *   for the title and labels
   * @param {object} options
   * @param {[number, number]} options.xlim  data range shown on x, [min, max]
   * @param {[number, number]} options.ylim  on y; both > 0 when logY
   * @param {string} [options.title]
   * @param {string} [options.xlabel]
   * @param {string} [options.ylabel]
   * @param {boolean} [options.logY=false]  log10 scale on y
   * @param {boolean} [options.equalAspect=false]
   * @param {boolean} [options.xTicks=true]  draw x tick labels (the grid lines are drawn anyway)
   * @param {boolean} [options.yTicks=true]
   * @param {(v: number, step: number) => string} [options.xFormat]  x tick label; default formatTick
   * @param {{top?: number, right?: number, bottom?: number, left?: number}} [options.padding]
   *   margins between rect and the plot area, replacing the automatic ones side by side
   * @param {import("./theme.js").Theme} [options.theme]  default: readTheme(ctx.canvas)
   */
  constructor(ctx, rect, options) {
    const {
      xlim, ylim, title = "", xlabel = "", ylabel = "", logY = false, equalAspect = false,
      xTicks = true, yTicks = true, xFormat = formatTick, padding = {}, theme,
    } = options;
    this.ctx = ctx;
    this.rect = rect;
    this.theme = theme ?? readTheme(ctx.canvas);
    this.title = title;
    this.xlabel = xlabel;
    this.ylabel = ylabel;
    this.logY = logY;
    this.showXTicks = xTicks;
    this.showYTicks = yTicks;
    this.xFormat = xFormat;
    this.xlim = orderedRange(xlim, [0, 1]);
    this.ylim = orderedRange(ylim, logY ? [0.1, 1] : [0, 1]);
    if (logY && !(this.ylim[0] > 0)) this.ylim = [this.ylim[1] > 0 ? this.ylim[1] / 10 : 0.1, this.ylim[1] > 0 ? this.ylim[1] : 1];
    this.tickSize = Math.min(rect.width, rect.height) < 220 ? SIZES.tickSmall : SIZES.tick;

    // Margins: top and bottom first (fixed heights), then left from the widest y tick label.
    const top = padding.top ?? (title ? SIZES.title + 10 : 6);
    const bottom = padding.bottom ?? 4 + (xTicks ? this.tickSize + TICK_GAP : 0) + (xlabel ? SIZES.label + LABEL_GAP : 0);
    const provisional = this.#yTicksFor(rect.height - top - bottom);
    ctx.font = font(this.theme, this.tickSize);
    const labelW = yTicks ? Math.max(0, ...provisional.labels.map((s) => ctx.measureText(s).width)) : 0;
    const left = padding.left ?? 4 + (yTicks ? labelW + TICK_GAP : 0) + (ylabel ? SIZES.label + LABEL_GAP : 0);
    // Room on the right for half the last x tick label, which sits on or near the right edge.
    const lastX = xTicks ? xFormat(this.xlim[1], Math.abs(this.xlim[1] - this.xlim[0]) / 5) : "";
    const right = padding.right ?? Math.max(8, xTicks ? ctx.measureText(lastX).width / 2 + 3 : 0);

    let w = Math.max(1, rect.width - left - right);
    let h = Math.max(1, rect.height - top - bottom);
    let x = rect.x + left;
    let y = rect.y + top;
    const full = { width: w, height: h };
    if (equalAspect) {
      const aspect = (this.xlim[1] - this.xlim[0]) / (this.#ly(this.ylim[1]) - this.#ly(this.ylim[0]));
      if (w / h > aspect) {
        const w2 = h * aspect;
        x += (w - w2) / 2;
        w = w2;
      } else {
        const h2 = w / aspect;
        y += (h - h2) / 2;
        h = h2;
      }
    }
    this._plot = { x, y, width: w, height: h };
    /** Room equalAspect left unused inside rect, CSS px (figures pack their panels with it). */
    this.slack = { x: full.width - w, y: full.height - h };

    // data -> px as px = ax * x + bx, py = ay * Y + by with Y = y or log10(y).
    const [x0, x1] = this.xlim;
    const y0 = this.#ly(this.ylim[0]);
    const y1 = this.#ly(this.ylim[1]);
    const ax = w / (x1 - x0);
    const ay = -h / (y1 - y0);
    /** The linear map for inner loops: px = ax * x + bx, py = ay * y + by (y in log10 when logY). */
    this.transform = { ax, bx: x - ax * x0, ay, by: y + h - ay * y0 };

    this.xTickValues = niceTicks(x0, x1, clamp(Math.round(w / 90), 2, 8));
    this.xStep = this.xTickValues.length > 1 ? this.xTickValues[1] - this.xTickValues[0] : Math.abs(x1 - x0);
    this.yTickInfo = this.#yTicksFor(h);
  }

  /** The plot area (where data goes), CSS px. */
  get plotRect() {
    return this._plot;
  }

  /** Data x -> CSS px. */
  sx(x) {
    return this.transform.ax * x + this.transform.bx;
  }

  /** Data y -> CSS px (y grows upwards on screen). */
  sy(y) {
    return this.transform.ay * this.#ly(y) + this.transform.by;
  }

  /**
   * Data -> CSS px.
   * @returns {[number, number]}
   */
  px(x, y) {
    return [this.sx(x), this.sy(y)];
  }

  /** Runs fn(ctx) clipped to the plot area, restoring the context's state afterwards. */
  clip(fn) {
    const { ctx } = this;
    const r = this._plot;
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.width, r.height);
    ctx.clip();
    try {
      fn(ctx);
    } finally {
      ctx.restore();
    }
  }

  /** Draws the plot area's background, grid, frame, tick labels, axis labels and title. */
  frame() {
    const { ctx, theme } = this;
    const r = this._plot;
    const snap = pixelSnapper(ctx);
    ctx.save();
    ctx.globalAlpha = 1;

    ctx.fillStyle = theme.panel;
    ctx.fillRect(r.x, r.y, r.width, r.height);

    // Grid: one path.
    ctx.beginPath();
    for (const v of this.xTickValues) {
      const X = snap(this.sx(v));
      ctx.moveTo(X, r.y);
      ctx.lineTo(X, r.y + r.height);
    }
    for (const v of this.yTickInfo.values) {
      const Y = snap(this.sy(v));
      ctx.moveTo(r.x, Y);
      ctx.lineTo(r.x + r.width, Y);
    }
    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.stroke();

    ctx.strokeStyle = theme.axis;
    ctx.strokeRect(snap(r.x), snap(r.y), snap(r.x + r.width) - snap(r.x), snap(r.y + r.height) - snap(r.y));

    ctx.fillStyle = theme.muted;
    ctx.font = font(theme, this.tickSize);
    if (this.showXTicks) {
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      let lastRight = -Infinity;
      for (const v of this.xTickValues) {
        const text = this.xFormat(v, this.xStep);
        const X = this.sx(v);
        const half = ctx.measureText(text).width / 2;
        if (X - half < lastRight + 4) continue; // would overlap its neighbour
        ctx.fillText(text, X, r.y + r.height + TICK_GAP);
        lastRight = X + half;
      }
    }
    if (this.showYTicks) {
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      const { values, labels } = this.yTickInfo;
      values.forEach((v, i) => ctx.fillText(labels[i], r.x - TICK_GAP, this.sy(v)));
    }

    ctx.fillStyle = theme.fg;
    ctx.font = font(theme, SIZES.label);
    if (this.xlabel) {
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ctx.fillText(this.xlabel, r.x + r.width / 2, this.rect.y + this.rect.height - 1);
    }
    if (this.ylabel) {
      ctx.save();
      ctx.translate(this.rect.x + 2, r.y + r.height / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillText(this.ylabel, 0, 0);
      ctx.restore();
    }
    if (this.title) {
      ctx.font = font(theme, SIZES.title, 600);
      ctx.textAlign = "center";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(this.title, r.x + r.width / 2, r.y - 7, Math.max(20, this.rect.width));
    }
    ctx.restore();
  }

  /**
   * Writes a short note inside the plot area's top right (or top left) corner, e.g. a value.
   * @param {string} text
   * @param {{color?: string, align?: "right" | "left"}} [options]
   */
  note(text, { color, align = "right" } = {}) {
    const { ctx, theme } = this;
    const r = this._plot;
    ctx.save();
    ctx.font = font(theme, this.tickSize + 1, 500);
    ctx.textAlign = align;
    ctx.textBaseline = "top";
    const X = align === "right" ? r.x + r.width - 6 : r.x + 6;
    const w = ctx.measureText(text).width;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = theme.panel;
    ctx.fillRect(align === "right" ? X - w - 3 : X - 3, r.y + 3, w + 6, this.tickSize + 6);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color ?? theme.fg;
    ctx.fillText(text, X, r.y + 5);
    ctx.restore();
  }

  /**
   * Writes a message centred in the plot area (e.g. "No data yet").
   * @param {string} text
   */
  message(text) {
    const { ctx, theme } = this;
    const r = this._plot;
    ctx.save();
    ctx.font = font(theme, SIZES.label);
    ctx.fillStyle = theme.muted;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(text, r.x + r.width / 2, r.y + r.height / 2, r.width - 8);
    ctx.restore();
  }

  #ly(y) {
    return this.logY ? Math.log10(y) : y;
  }

  /** y tick values and labels for a plot area `height` px tall. */
  #yTicksFor(height) {
    const [lo, hi] = this.ylim;
    if (this.logY) {
      const values = logTicks(lo, hi, Math.max(2, Math.floor(height / 24)));
      return { values, labels: values.map(formatLogTick) };
    }
    const values = niceTicks(lo, hi, clamp(Math.round(height / 55), 2, 8));
    const step = values.length > 1 ? values[1] - values[0] : Math.abs(hi - lo);
    return { values, labels: values.map((v) => formatTick(v, step)) };
  }
}

/** [min, max] with min < max, from a possibly reversed, equal or missing pair. */
function orderedRange(range, fallback) {
  if (!range || !Number.isFinite(range[0]) || !Number.isFinite(range[1])) return fallback;
  let [a, b] = range[0] <= range[1] ? [range[0], range[1]] : [range[1], range[0]];
  if (a === b) {
    const d = Math.abs(a) * 0.1 || 1;
    a -= d;
    b += d;
  }
  return [a, b];
}

/**
 * For 1-CSS-px lines: rounds a coordinate so the line covers whole device pixels (crisp rather than
 * smeared over two pixel rows).
 * @returns {(v: number) => number}
 */
export function pixelSnapper(ctx) {
  const dpr = ctx.getTransform ? ctx.getTransform().a || 1 : 1;
  const device = Math.max(1, Math.round(dpr)); // line width in device px
  const off = device % 2 === 1 ? 0.5 : 0;
  return (v) => (Math.round(v * dpr - off) + off) / dpr;
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}
