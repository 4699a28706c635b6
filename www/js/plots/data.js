// data.js: the pure arithmetic behind the figures: panel layout, which stored states to show,
// reading a trajectory at a time t, smoothing and thinning a loss curve, grouping points by label.
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
