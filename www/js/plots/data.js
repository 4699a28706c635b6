// data.js: the pure arithmetic behind the figures: panel layout, which stored states to show,
// reading a trajectory at a time t, smoothing and thinning a loss curve, grouping points by label,
// and matplotlib's limits and scales for the engine's figure descriptions (figure.js).
// No DOM, no allocation in the per-frame helpers; all unit-tested under node.

/**
 * Rectangles of a rows x cols grid of panels, row-major (left to right, then top to bottom).
 * @param {{width: number, height: number}} size  the whole area, CSS px
 * @param {number} rows
 * @param {number} cols
 * @param {{gap?: number, margin?: number | {top?: number, right?: number, bottom?: number, left?: number}}} [options]
 *   gap: between neighbouring panels; margin: around the whole grid (one number for all sides)
 * @returns {{x: number, y: number, width: number, height: number}[]} rows * cols rectangles;
 *   widths and heights never negative
 */
export function panelGrid({ width, height }, rows, cols, { gap = 8, margin = 0 } = {}) {
  rows = Math.max(0, Math.floor(rows));
  cols = Math.max(0, Math.floor(cols));
  const m = typeof margin === "number" ? { top: margin, right: margin, bottom: margin, left: margin } : margin;
  const top = m.top ?? 0;
  const left = m.left ?? 0;
  const innerW = width - left - (m.right ?? 0);
  const innerH = height - top - (m.bottom ?? 0);
  const cellW = Math.max(0, (innerW - (cols - 1) * gap) / cols);
  const cellH = Math.max(0, (innerH - (rows - 1) * gap) / rows);
  const rects = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      rects.push({ x: left + c * (cellW + gap), y: top + r * (cellH + gap), width: cellW, height: cellH });
    }
  }
  return rects;
}

/**
 * The stored states the time panels show: `panels` evenly spaced indices from 0 to `steps`,
 * round(k * steps / (panels - 1)) for k = 0 .. panels - 1 (the lab's choice). One panel shows
 * the last state.
 * @param {number} steps  number of ODE steps; the trajectory holds steps + 1 states
 * @param {number} [panels=8]
 * @returns {number[]} (panels,) indices into the trajectory's first axis
 */
export function timePanelIndices(steps, panels = 8) {
  steps = Math.max(0, Math.floor(steps));
  panels = Math.max(0, Math.floor(panels));
  if (panels === 1) return [steps];
  const out = [];
  for (let k = 0; k < panels; k++) out.push(Math.round((k * steps) / (panels - 1)));
  return out;
}

/**
 * Where time t falls among the steps + 1 stored states (state i is at time i / steps):
 * t * steps = i0 + frac with i1 = min(i0 + 1, steps). t is clamped to [0, 1]; NaN reads as 0.
 * @param {number} t
 * @param {number} steps  >= 0
 * @returns {{i0: number, i1: number, frac: number}} frac in [0, 1)
 *   (frac is 0 and i0 = i1 = steps at t = 1)
 */
export function stateIndex(t, steps) {
  steps = Math.max(0, Math.floor(steps));
  const s = Math.min(1, Math.max(0, t || 0)) * steps;
  const i0 = Math.min(steps, Math.floor(s));
  return { i0, i1: Math.min(steps, i0 + 1), frac: i0 === steps ? 0 : s - i0 };
}

/**
 * The particles at time t, linearly interpolated between the two stored states around t * steps.
 * @param {Float32Array} trajectory  (steps + 1, n, 2) flat, row-major
 * @param {number} n  particles
 * @param {number} steps
 * @param {number} t  in [0, 1] (clamped)
 * @param {Float32Array} [out]  (n, 2) to write into; allocated when missing or too short
 * @returns {Float32Array} out: (n, 2)
 */
export function interpolateState(trajectory, n, steps, t, out) {
  if (!out || out.length < 2 * n) out = new Float32Array(2 * n);
  const { i0, i1, frac } = stateIndex(t, steps);
  const a = i0 * 2 * n;
  const b = i1 * 2 * n;
  for (let j = 0; j < 2 * n; j++) {
    const va = trajectory[a + j];
    out[j] = va + frac * (trajectory[b + j] - va);
  }
  return out;
}

/**
 * Exponential moving average, bias-corrected as TensorBoard's smoothing is:
 * ema_i = s * ema_{i-1} + (1 - s) * v_i from ema_{-1} = 0, reported as ema_i / (1 - s^(i+1)),
 * so the first value is v_0 rather than a value pulled towards zero. Non-finite values are
 * skipped (their slot repeats the previous smoothed value, NaN before the first finite one).
 * @param {ArrayLike<number>} values  (n,)
 * @param {number} smoothing  s in [0, 1); 0 returns the values themselves
 * @param {Float64Array} [out]  (n,) to write into
 * @returns {Float64Array} (n,)
 */
export function emaSmooth(values, smoothing, out) {
  const n = values.length;
  if (!out || out.length < n) out = new Float64Array(n);
  const s = Math.min(0.999999, Math.max(0, smoothing || 0));
  let ema = 0;
  let weight = 0; // 1 - s^(count), the bias correction
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      ema = s * ema + (1 - s) * v;
      weight = s * weight + (1 - s);
      last = ema / weight;
    }
    out[i] = last;
  }
  return out;
}

/**
 * Thins a long series for drawing: splits indices [0, n) into `buckets` consecutive runs and
 * keeps, from each, the index of the smallest and of the largest finite value, in index order
 * (so a line through them keeps every spike). Series no longer than 2 * buckets come back whole.
 * @param {ArrayLike<number>} values  (n,)
 * @param {number} buckets  typically the plot's width in pixels
 * @returns {Uint32Array} increasing indices into values, at most 2 * buckets of them
 */
export function decimateMinMax(values, buckets) {
  const n = values.length;
  buckets = Math.max(1, Math.floor(buckets));
  if (n <= 2 * buckets) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const keep = new Uint32Array(2 * buckets);
  let count = 0;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    if (lo < 0) continue;
    if (lo === hi) keep[count++] = lo;
    else if (lo < hi) (keep[count++] = lo), (keep[count++] = hi);
    else (keep[count++] = hi), (keep[count++] = lo);
  }
  return keep.subarray(0, count);
}

/**
 * Thins a long, already smooth series for drawing as a line: the mean index and mean value of
 * each of `buckets` consecutive runs (non-finite values left out; runs with none are dropped).
 * Series no longer than 2 * buckets come back whole. Unlike decimateMinMax this does not zigzag
 * between a run's extremes, so a smoothed curve stays a thin line.
 * @param {ArrayLike<number>} values  (n,)
 * @param {number} buckets
 * @returns {{index: Float64Array, value: Float64Array}} both (m,), m <= max(n, buckets); index is
 *   fractional (the mean position of the run's finite values)
 */
export function bucketMeans(values, buckets) {
  const n = values.length;
  buckets = Math.max(1, Math.floor(buckets));
  const runs = n <= 2 * buckets ? n : buckets;
  const index = new Float64Array(runs);
  const value = new Float64Array(runs);
  let m = 0;
  for (let b = 0; b < runs; b++) {
    const start = Math.floor((b * n) / runs);
    const end = Math.floor(((b + 1) * n) / runs);
    let sumI = 0;
    let sumV = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      sumI += i;
      sumV += v;
      count++;
    }
    if (count === 0) continue;
    index[m] = sumI / count;
    value[m] = sumV / count;
    m++;
  }
  return { index: index.subarray(0, m), value: value.subarray(0, m) };
}

/**
 * Axis limits that show 2-D points: per axis, from the `quantile` to the 1 - `quantile` quantile
 * of all the sets together (so a few stray samples do not shrink the rest), widened by `pad`
 * (a fraction of the range) on each side. Non-finite coordinates are ignored.
 * @param {Float32Array[]} sets  each (n_i, 2) flat
 * @param {{pad?: number, quantile?: number}} [options]  pad = 0.08, quantile = 0.002
 * @returns {[number, number, number, number]} [xmin, xmax, ymin, ymax]; [-1, 1, -1, 1] when there
 *   is nothing finite; ranges are never empty
 */
export function pointLimits(sets, { pad = 0.08, quantile = 0.002 } = {}) {
  const xs = [];
  const ys = [];
  for (const points of sets) {
    if (!points) continue;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const x = points[i];
      const y = points[i + 1];
      if (Number.isFinite(x) && Number.isFinite(y)) xs.push(x), ys.push(y);
    }
  }
  if (xs.length === 0) return [-1, 1, -1, 1];
  const [x0, x1] = quantileRange(xs, quantile);
  const [y0, y1] = quantileRange(ys, quantile);
  const widen = (lo, hi) => {
    const r = hi - lo || Math.max(1, Math.abs(lo));
    return [lo - pad * r, hi + pad * r];
  };
  return [...widen(x0, x1), ...widen(y0, y1)];
}

function quantileRange(values, q) {
  values.sort((a, b) => a - b);
  const last = values.length - 1;
  return [values[Math.floor(q * last)], values[Math.ceil((1 - q) * last)]];
}

/**
 * Groups point indices by colour (counting sort): afterwards the points of colour c are
 * order[offsets[c]] .. order[offsets[c + 1] - 1], in increasing index order. Colour is
 * labels[i] % colours. Writes into the buffers it is given; allocates nothing.
 * @param {ArrayLike<number>} labels  (n,) non-negative integers
 * @param {number} n
 * @param {number} colours  number of colours (the palette's length)
 * @param {Uint32Array} order  (n,) output
 * @param {Uint32Array} offsets  (colours + 1,) output
 */
export function groupByLabel(labels, n, colours, order, offsets) {
  offsets.fill(0);
  for (let i = 0; i < n; i++) offsets[(labels[i] % colours) + 1]++;
  for (let c = 0; c < colours; c++) offsets[c + 1] += offsets[c];
  // Use the (c)th slot as a write cursor, then shift back.
  for (let i = 0; i < n; i++) order[offsets[labels[i] % colours]++] = i;
  for (let c = colours; c > 0; c--) offsets[c] = offsets[c - 1];
  offsets[0] = 0;
}

/**
 * The opacity of a trail segment, relative to the particle's: 1 at the particle, falling linearly
 * to 0 at `trail` states back. `age` is in states and is continuous (the newest segment of a
 * particle between stored states i0 and i0 + 1 has age frac / 2 or so), so trails fade smoothly
 * as t moves rather than stepping at each stored state.
 * @param {number} age  states behind the particle, >= 0
 * @param {number} trail  trail length in states, > 0
 * @returns {number} in [0, 1]
 */
export function trailAlpha(age, trail) {
  if (!(trail > 0)) return 0;
  return Math.max(0, Math.min(1, 1 - age / trail));
}

// ---- Figure descriptions (the engine's matplotlib figures; see figure.js) ----

/** matplotlib's default axis margin (`axes.xmargin`, `axes.ymargin`): 5 % of the data range. */
export const AXIS_MARGIN = 0.05;

/**
 * matplotlib's view limits for data spanning [lo, hi] on one axis: an empty or single-value
 * range is first widened by 5 % of its value (to [-0.05, 0.05] around 0), then `margin` of the
 * range is added on each side, except that a limit never moves past a sticky edge (an image's
 * extent) that the data reaches. No finite data gives [0, 1], matplotlib's empty axes.
 * @param {number} lo  smallest finite data value (Infinity when there is none)
 * @param {number} hi  largest (-Infinity when there is none)
 * @param {{margin?: number, sticky?: number[]}} [options]
 * @returns {[number, number]} lo < hi
 */
export function autoRange(lo, hi, { margin = AXIS_MARGIN, sticky = [] } = {}) {
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  // matplotlib's transforms.nonsingular(lo, hi, expander=0.05, tiny=1e-15).
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
  if (maxAbs < 1e6 * 2.2250738585072014e-308 / 1e-15) {
    lo = -0.05;
    hi = 0.05;
  } else if (hi - lo <= maxAbs * 1e-15) {
    lo -= 0.05 * Math.abs(lo);
    hi += 0.05 * Math.abs(hi);
  }
  const delta = (hi - lo) * margin;
  let a = lo - delta;
  let b = hi + delta;
  const tol = 1e-5 * (hi - lo);
  let lowBound = -Infinity;
  let highBound = Infinity;
  for (const s of sticky) {
    if (s < lo + tol && s > lowBound) lowBound = s;
    if (s > hi - tol && s < highBound) highBound = s;
  }
  a = Math.max(a, lowBound);
  b = Math.min(b, highBound);
  return [a, b];
}

/**
 * The data extent of one mark of a figure description: finite (x, y) pairs of points and lines,
 * the tails of quiver arrows, a heatmap's outer edges (which are also sticky: no margin past them),
 * a histogram's bars from 0 (sticky) up, a vertical line's x only.
 * @param {object} mark  a Mark as the engine serializes it ({kind: "scatter" | "line" | "quiver" |
 *   "heatmap" | "bars" | "vline", ...}); number arrays may be Arrays or typed arrays
 * @returns {{x: [number, number], y: [number, number], stickyX: number[], stickyY: number[]}}
 *   [Infinity, -Infinity] on an axis with nothing finite
 */
export function markExtent(mark) {
  const out = { x: [Infinity, -Infinity], y: [Infinity, -Infinity], stickyX: [], stickyY: [] };
  const add = (x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < out.x[0]) out.x[0] = x;
    if (x > out.x[1]) out.x[1] = x;
    if (y < out.y[0]) out.y[0] = y;
    if (y > out.y[1]) out.y[1] = y;
  };
  if (!mark) return out;
  if (mark.kind === "heatmap") {
    const [x0, x1] = mark.xRange ?? [];
    const [y0, y1] = mark.yRange ?? [];
    if ([x0, x1, y0, y1].every(Number.isFinite)) {
      add(x0, y0);
      add(x1, y1);
      out.stickyX.push(x0, x1);
      out.stickyY.push(y0, y1);
    }
    return out;
  }
  if (mark.kind === "bars") {
    // matplotlib's bars: from the first edge to the last, from 0 (sticky: no margin below a
    // histogram's base) to the tallest bar
    const edges = mark.edges ?? [];
    const heights = mark.heights ?? [];
    const n = Math.min(heights.length, edges.length - 1);
    for (let i = 0; i < n; i++) {
      add(edges[i], 0);
      add(edges[i + 1], heights[i]);
    }
    if (n > 0) out.stickyY.push(0);
    return out;
  }
  if (mark.kind === "vline") {
    // a vertical line spans whatever y range the panel has: it widens only x
    if (Number.isFinite(mark.x)) out.x = [mark.x, mark.x];
    return out;
  }
  const { x, y } = mark;
  const n = x && y ? Math.min(x.length, y.length) : 0;
  for (let i = 0; i < n; i++) add(x[i], y[i]);
  return out;
}

/**
 * The x and y limits of every panel of a figure description, as matplotlib would show them:
 * a panel's own xlim / ylim when set, else fitted to its marks with a 5 % margin (autoRange).
 * With sharex (sharey) every panel gets the same x (y) limits: those set on a panel (the last
 * one in row-major order, when several set them), else fitted to all panels' marks together.
 * @param {{axes: object[], sharex?: boolean, sharey?: boolean}} figure
 * @returns {{xlim: [number, number], ylim: [number, number]}[]} one per figure.axes entry
 */
export function figureLimits(figure) {
  const panels = figure?.axes ?? [];
  const extents = panels.map((a) => {
    const e = { x: [Infinity, -Infinity], y: [Infinity, -Infinity], stickyX: [], stickyY: [] };
    for (const m of a.marks ?? []) {
      const me = markExtent(m);
      e.x = [Math.min(e.x[0], me.x[0]), Math.max(e.x[1], me.x[1])];
      e.y = [Math.min(e.y[0], me.y[0]), Math.max(e.y[1], me.y[1])];
      e.stickyX.push(...me.stickyX);
      e.stickyY.push(...me.stickyY);
    }
    return e;
  });
  const validPair = (p) => p && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const limitsFor = (axis, shared) => {
    const key = axis === "x" ? "xlim" : "ylim";
    const stickyKey = axis === "x" ? "stickyX" : "stickyY";
    const fit = (group) => {
      let explicit = null;
      for (const k of group) if (validPair(panels[k][key])) explicit = panels[k][key];
      if (explicit) return [explicit[0], explicit[1]];
      let lo = Infinity;
      let hi = -Infinity;
      const sticky = [];
      for (const k of group) {
        lo = Math.min(lo, extents[k][axis][0]);
        hi = Math.max(hi, extents[k][axis][1]);
        sticky.push(...extents[k][stickyKey]);
      }
      return autoRange(lo, hi, { sticky });
    };
    if (shared) {
      const all = fit(panels.map((_, k) => k));
      return panels.map(() => [...all]);
    }
    return panels.map((_, k) => fit([k]));
  };
  const xs = limitsFor("x", figure?.sharex);
  const ys = limitsFor("y", figure?.sharey);
  return panels.map((_, k) => ({ xlim: xs[k], ylim: ys[k] }));
}

/**
 * matplotlib's default quiver scaling for n arrows (u, v) in a plot area `plotWidth` px wide:
 * an arrow is |(u, v)| / (1.8 * mean speed * max(10, sqrt(n))) plot widths long, and its shaft
 * 0.06 / clamp(sqrt(n), 8, 25) plot widths wide. Non-finite vectors are left out of the mean.
 * @param {ArrayLike<number>} u
 * @param {ArrayLike<number>} v
 * @param {number} n  arrows
 * @param {number} plotWidth  CSS px
 * @returns {{pxPerUnit: number, shaft: number}} px of arrow per unit of speed (0 when every
 *   vector is zero or non-finite) and the shaft width, px
 */
export function quiverGeometry(u, v, n, plotWidth) {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.hypot(u[i], v[i]);
    if (Number.isFinite(a)) (sum += a), count++;
  }
  const mean = count > 0 ? sum / count : 0;
  const scale = 1.8 * mean * Math.max(10, Math.sqrt(n));
  return {
    pxPerUnit: scale > 0 ? plotWidth / scale : 0,
    shaft: (0.06 * plotWidth) / Math.min(25, Math.max(8, Math.sqrt(n))),
  };
}

/**
 * CSS px per typographic point when a figure `widthInches` wide is drawn `cssWidth` px wide
 * (1 pt = 1/72 in): scatter sizes (points²), line widths and marker sizes scale with the figure.
 * @param {number} cssWidth
 * @param {number} widthInches  > 0; anything else counts as matplotlib's default 6.4
 * @returns {number}
 */
export function pointScale(cssWidth, widthInches) {
  const inches = widthInches > 0 && Number.isFinite(widthInches) ? widthInches : 6.4;
  return cssWidth / (72 * inches);
}
