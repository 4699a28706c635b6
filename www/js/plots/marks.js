// marks.js: what goes inside an Axes: points, lines, arrows, particle trails, and for the
// engine's matplotlib figures dots, quiver arrows and coloured cells. Each draws in few batches
// (one fill or stroke per colour and opacity) and, but for dots coloured per point, allocates
// nothing per point, so 5,000 particles with trails hold 60 fps.

import { PALETTE } from "./theme.js";
import { groupByLabel, stateIndex, trailAlpha } from "./data.js";

/** Scratch buffers for grouping points by label, grown as needed and reused across frames (at most 256 colours). */
let scratchOrder = new Uint32Array(0);
const scratchOffsets = new Uint32Array(257);

/**
 * Groups indices 0..n-1 by labels[i] % colours into the shared scratch buffers.
 * @returns {{order: Uint32Array, offsets: Uint32Array}} valid until the next call
 */
function grouped(labels, n, colours) {
  colours = Math.min(colours, scratchOffsets.length - 1);
  if (scratchOrder.length < n) scratchOrder = new Uint32Array(Math.max(n, 2 * scratchOrder.length));
  const offsets = scratchOffsets.subarray(0, colours + 1);
  groupByLabel(labels, n, colours, scratchOrder, offsets);
  return { order: scratchOrder, offsets };
}

/** One device pixel in CSS px: the widest line Skia strokes on its fast "hairline" path. */
function hairline(ctx) {
  return 1 / Math.max(1, ctx.getTransform().a);
}

/** Whether a label array covers n points; shorter ones are ignored (points get the one colour). */
function usableLabels(labels, n) {
  return labels && labels.length >= n ? labels : null;
}

/**
 * Draws 2-D points as small squares (fillRect, so overlapping points darken: density shows), or
 * circles. Clipped to the plot area. Non-finite points are skipped.
 * @param {import("./axes.js").Axes} axes
 * @param {Float32Array} points  (n, 2) flat: x0, y0, x1, y1, ...
 * @param {object} [options]
 * @param {Uint32Array | null} [options.labels=null]  (n,) colour index per point into the palette
 *   (modulo its length); ignored when shorter than n
 * @param {string} [options.color]  when there are no labels; default the theme's point colour
 * @param {number} [options.size=2]  side (square) or diameter (circle), CSS px
 * @param {number} [options.alpha=0.7]
 * @param {"square" | "circle"} [options.marker="square"]  circles: one path per colour, so no
 *   density darkening within a colour; squares are about 4x faster
 * @param {number} [options.n]  number of points (default points.length / 2)
 * @param {string[]} [options.palette]  default: the theme's palette (Okabe-Ito)
 */
export function scatter(axes, points, { labels = null, color, size = 2, alpha = 0.7, marker = "square", n, palette } = {}) {
  n = Math.min(n ?? Infinity, Math.floor(points.length / 2));
  if (!(n > 0)) return;
  palette = palette ?? axes.theme.palette ?? PALETTE;
  labels = usableLabels(labels, n);
  axes.clip((ctx) => {
    ctx.globalAlpha = alpha;
    if (!labels) {
      ctx.fillStyle = color ?? axes.theme.point;
      drawPoints(ctx, axes, points, null, 0, n, size, marker);
      return;
    }
    const { order, offsets } = grouped(labels, n, palette.length);
    for (let c = 0; c < offsets.length - 1; c++) {
      if (offsets[c + 1] === offsets[c]) continue;
      ctx.fillStyle = palette[c];
      drawPoints(ctx, axes, points, order, offsets[c], offsets[c + 1], size, marker);
    }
  });
}

/** Points order[from..to) (or from..to when order is null) in the current fill style. */
function drawPoints(ctx, axes, points, order, from, to, size, marker) {
  const { ax, bx, ay, by } = axes.transform;
  const log = axes.logY;
  const h = size / 2;
  if (marker === "circle") {
    ctx.beginPath();
    for (let k = from; k < to; k++) {
      const i = order ? order[k] : k;
      const X = ax * points[2 * i] + bx;
      const Y = ay * (log ? Math.log10(points[2 * i + 1]) : points[2 * i + 1]) + by;
      if (!(X === X && Y === Y)) continue; // NaN
      ctx.moveTo(X + h, Y);
      ctx.arc(X, Y, h, 0, 2 * Math.PI);
    }
    ctx.fill();
    return;
  }
  // Squares on whole device pixels: crisp, and about half the work for the rasteriser.
  const dpr = Math.max(1, ctx.getTransform().a);
  const side = Math.max(1, Math.round(size * dpr)) / dpr;
  const off = side / 2;
  for (let k = from; k < to; k++) {
    const i = order ? order[k] : k;
    const Y = ay * (log ? Math.log10(points[2 * i + 1]) : points[2 * i + 1]) + by;
    const X = ax * points[2 * i] + bx;
    // NaN draws nothing.
    ctx.fillRect(Math.round((X - off) * dpr) / dpr, Math.round((Y - off) * dpr) / dpr, side, side);
  }
}

/**
 * Draws a line through (xs[i], ys[i]), breaking it at non-finite values (and at y <= 0 on a log
 * axis). Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {ArrayLike<number> | ((i: number) => number)} xs  (n,), or x as a function of the index
 *   (e.g. i => (i + 1) * every for iterations, without building an array)
 * @param {ArrayLike<number>} ys  (n,)
 * @param {object} [options]
 * @param {string} [options.color]  default the theme's point colour
 * @param {number} [options.width=1.5]  CSS px
 * @param {number} [options.alpha=1]
 * @param {ArrayLike<number>} [options.index]  draw only points index[0], index[1], ... (e.g. from
 *   decimateMinMax)
 * @param {number[]} [options.dash]  dash pattern, CSS px (setLineDash); dashes get butt caps
 */
export function polyline(axes, xs, ys, { color, width = 1.5, alpha = 1, index, dash } = {}) {
  const xf = typeof xs === "function" ? xs : null;
  const count = index ? index.length : xf ? ys.length : Math.min(xs.length, ys.length);
  if (count === 0) return;
  const { ax, bx, ay, by } = axes.transform;
  const log = axes.logY;
  axes.clip((ctx) => {
    ctx.beginPath();
    let pen = false;
    for (let k = 0; k < count; k++) {
      const i = index ? index[k] : k;
      const x = xf ? xf(i) : xs[i];
      const y = ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (log && y <= 0)) {
        pen = false;
        continue;
      }
      const X = ax * x + bx;
      const Y = ay * (log ? Math.log10(y) : y) + by;
      if (pen) ctx.lineTo(X, Y);
      else ctx.moveTo(X, Y);
      pen = true;
    }
    ctx.strokeStyle = color ?? axes.theme.point;
    ctx.lineWidth = width;
    ctx.lineJoin = "round";
    ctx.lineCap = dash && dash.length > 0 ? "butt" : "round";
    if (dash && dash.length > 0) ctx.setLineDash(dash);
    ctx.globalAlpha = alpha;
    ctx.stroke();
  });
}

/**
 * Draws a velocity field as arrows centred on the nodes of a regular grid: one stroke per opacity
 * band (faster arrows are more opaque as well as longer). Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {Float32Array} field  (ny, nx, 2) flat: the velocity (vx, vy) at node (row j, column i),
 *   x = xmin + (xmax - xmin) * i / (nx - 1), y = ymin + (ymax - ymin) * j / (ny - 1) (row 0 is
 *   the bottom row, ymin), as the engine's velocity grid returns it
 * @param {object} options
 * @param {[number, number, number, number]} options.bounds  [xmin, xmax, ymin, ymax] of the nodes
 * @param {number} options.nx  nodes per row, >= 2
 * @param {number} options.ny  rows, >= 2
 * @param {string} [options.color]  default the theme's arrow colour
 * @param {number} [options.scale]  data units of arrow length per unit of speed; default: the
 *   longest arrow is 0.9 grid spacings. Pass a fixed scale when animating over t, or arrow lengths
 *   jump from frame to frame
 * @param {number} [options.maxLength=Infinity]  cap on an arrow's length, in grid spacings (with a
 *   fixed scale, fast moments would otherwise draw arrows across the whole plot); capped arrows
 *   still show their speed by opacity
 * @param {number} [options.width]  CSS px; default one device pixel (see particles' trailWidth)
 * @param {number} [options.alpha=0.9]  opacity of the fastest arrows
 * @returns {{scale: number, maxSpeed: number}} the scale used and the field's largest speed
 */
export function arrows(axes, field, { bounds, nx, ny, color, scale, maxLength = Infinity, width, alpha = 0.9 } = {}) {
  const nodes = nx * ny;
  if (!bounds || !(nx >= 2) || !(ny >= 2) || field.length < 2 * nodes) return { scale: scale ?? 0, maxSpeed: 0 };
  const [xmin, xmax, ymin, ymax] = bounds;
  const dx = (xmax - xmin) / (nx - 1);
  const dy = (ymax - ymin) / (ny - 1);
  let maxSpeed = 0;
  for (let k = 0; k < nodes; k++) {
    const s = Math.hypot(field[2 * k], field[2 * k + 1]);
    if (s > maxSpeed) maxSpeed = s;
  }
  if (!(scale > 0)) scale = maxSpeed > 0 ? (0.9 * Math.min(Math.abs(dx), Math.abs(dy))) / maxSpeed : 0;
  if (!(maxSpeed > 0) || !(scale > 0)) return { scale, maxSpeed };

  const { ax, bx, ay, by } = axes.transform;
  const cap = maxLength * Math.min(Math.abs(dx * ax), Math.abs(dy * ay)); // px
  const BANDS = 3;
  axes.clip((ctx) => {
    ctx.strokeStyle = color ?? axes.theme.arrow;
    ctx.lineWidth = width ?? hairline(ctx);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    for (let band = 0; band < BANDS; band++) {
      const lo = (band / BANDS) * maxSpeed;
      const hi = band === BANDS - 1 ? Infinity : ((band + 1) / BANDS) * maxSpeed;
      ctx.globalAlpha = alpha * (0.4 + (0.6 * (band + 1)) / BANDS);
      ctx.beginPath();
      for (let j = 0; j < ny; j++) {
        const y = ymin + j * dy;
        for (let i = 0; i < nx; i++) {
          const k = j * nx + i;
          const vx = field[2 * k];
          const vy = field[2 * k + 1];
          const s = Math.hypot(vx, vy);
          if (!(s >= lo && s < hi)) continue;
          // Arrow vector in px, centred on the node.
          let ux = vx * scale * ax;
          let uy = vy * scale * ay;
          let len = Math.hypot(ux, uy);
          if (len > cap) {
            ux *= cap / len;
            uy *= cap / len;
            len = cap;
          }
          if (len < 0.75) continue;
          const cx = ax * (xmin + i * dx) + bx;
          const cy = ay * y + by;
          const tipX = cx + ux / 2;
          const tipY = cy + uy / 2;
          ctx.moveTo(cx - ux / 2, cy - uy / 2);
          ctx.lineTo(tipX, tipY);
          // Head: two barbs at +-28 degrees, a third of the arrow (at most 5 px) long.
          const head = Math.min(5, 0.35 * len + 1) / len;
          const cos = 0.883; // cos 28 deg
          const sin = 0.469;
          const hx = -ux * head;
          const hy = -uy * head;
          ctx.moveTo(tipX + cos * hx - sin * hy, tipY + sin * hx + cos * hy);
          ctx.lineTo(tipX, tipY);
          ctx.lineTo(tipX + cos * hx + sin * hy, tipY - sin * hx + cos * hy);
        }
      }
      ctx.stroke();
    }
  });
  return { scale, maxSpeed };
}

/**
 * Draws particles moving along a stored trajectory at time t: each particle at its position
 * interpolated between the two stored states around t * steps, with a fading trail back through
 * the previous `trail` states (older segments more transparent, fading continuously with t).
 * One stroke per (colour, segment age) and one fillRect loop per colour. Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {Float32Array} trajectory  (steps + 1, n, 2) flat: state s is at time s / steps
 * @param {object} options
 * @param {number} options.n  particles
 * @param {number} options.steps
 * @param {number} options.t  in [0, 1]
 * @param {Uint32Array | null} [options.labels=null]  (n,) colour index per particle
 * @param {number} [options.trail=12]  trail length in stored states; 0 for none
 * @param {string} [options.color]  when there are no labels
 * @param {number} [options.size=2.5]  particle side, CSS px
 * @param {number} [options.alpha=0.85]  particle opacity; trails start at 0.8 of it
 * @param {number} [options.trailWidth]  CSS px; default one device pixel (1 / devicePixelRatio),
 *   which Chrome's software rasteriser strokes about ten times faster than anything wider
 * @param {string[]} [options.palette]
 */
export function particles(axes, trajectory, {
  n, steps, t, labels = null, trail = 12, color, size = 2.5, alpha = 0.85, trailWidth, palette,
}) {
  if (!(n > 0) || !(steps >= 0) || trajectory.length < (steps + 1) * n * 2) return;
  palette = palette ?? axes.theme.palette ?? PALETTE;
  labels = usableLabels(labels, n);
  const { order, offsets } = labels ? grouped(labels, n, palette.length) : { order: null, offsets: null };
  const colours = labels ? offsets.length - 1 : 1;
  const { i0, i1, frac } = stateIndex(t, steps);
  const { ax, bx, ay, by } = axes.transform;
  const stride = 2 * n;
  const A = i0 * stride; // state before t
  const B = i1 * stride; // state after t
  const dpr = Math.max(1, axes.ctx.getTransform().a);
  const side = Math.max(1, Math.round(size * dpr)) / dpr; // whole device pixels, as in scatter
  const half = side / 2;

  axes.clip((ctx) => {
    ctx.lineWidth = trailWidth ?? hairline(ctx);
    ctx.lineCap = "butt";
    for (let c = 0; c < colours; c++) {
      const from = labels ? offsets[c] : 0;
      const to = labels ? offsets[c + 1] : n;
      if (from === to) continue;
      const style = labels ? palette[c] : (color ?? axes.theme.point);
      ctx.strokeStyle = style;
      ctx.fillStyle = style;

      // Trail segment 0 runs from the particle back to state i0 (ages 0..frac); segment k >= 1
      // from state i0 - k + 1 back to i0 - k (ages frac + k - 1 .. frac + k).
      for (let k = 0; trail > 0 && k <= i0; k++) {
        const ageStart = k === 0 ? 0 : frac + k - 1;
        if (ageStart >= trail) break;
        if (k === 0 && frac === 0) continue;
        const ageMid = k === 0 ? frac / 2 : frac + k - 0.5;
        ctx.globalAlpha = 0.8 * alpha * trailAlpha(ageMid, trail);
        if (ctx.globalAlpha < 0.01) continue;
        ctx.beginPath();
        const S = (i0 - k) * stride; // older end
        const T = (i0 - k + 1) * stride; // newer end (unused for k = 0)
        for (let m = from; m < to; m++) {
          const i = labels ? order[m] : m;
          const j = 2 * i;
          let xn;
          let yn;
          if (k === 0) {
            const xa = trajectory[A + j];
            const ya = trajectory[A + j + 1];
            xn = xa + frac * (trajectory[B + j] - xa);
            yn = ya + frac * (trajectory[B + j + 1] - ya);
          } else {
            xn = trajectory[T + j];
            yn = trajectory[T + j + 1];
          }
          ctx.moveTo(ax * xn + bx, ay * yn + by);
          ctx.lineTo(ax * trajectory[S + j] + bx, ay * trajectory[S + j + 1] + by);
        }
        ctx.stroke();
      }
    }
    // Particles on top of every trail.
    ctx.globalAlpha = alpha;
    for (let c = 0; c < colours; c++) {
      const from = labels ? offsets[c] : 0;
      const to = labels ? offsets[c + 1] : n;
      if (from === to) continue;
      ctx.fillStyle = labels ? palette[c] : (color ?? axes.theme.point);
      for (let m = from; m < to; m++) {
        const j = 2 * (labels ? order[m] : m);
        const xa = trajectory[A + j];
        const ya = trajectory[A + j + 1];
        const x = xa + frac * (trajectory[B + j] - xa);
        const y = ya + frac * (trajectory[B + j + 1] - ya);
        ctx.fillRect(Math.round((ax * x + bx - half) * dpr) / dpr, Math.round((ay * y + by - half) * dpr) / dpr, side, side);
      }
    }
  });
}

/**
 * Draws filled circles at (xs[i], ys[i]), each its own radius and colour if given per point:
 * one path and fill per colour. Non-finite points are skipped. Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {ArrayLike<number>} xs  (n,)
 * @param {ArrayLike<number>} ys  (n,)
 * @param {object} [options]
 * @param {number | ArrayLike<number>} [options.radius=3]  CSS px, one for all or one per point
 *   (a shorter array repeats)
 * @param {string | ArrayLike<string>} [options.color]  CSS colour, or one per point (a shorter
 *   array repeats); default the theme's point colour
 * @param {number} [options.alpha=1]
 * @param {number} [options.n]  number of points (default min(xs.length, ys.length))
 */
export function dots(axes, xs, ys, { radius = 3, color, alpha = 1, n } = {}) {
  n = Math.min(n ?? Infinity, xs.length, ys.length);
  if (!(n > 0)) return;
  const radii = typeof radius === "number" ? null : radius && radius.length > 0 ? radius : null;
  const r0 = typeof radius === "number" ? radius : 3;
  const colours = color == null || typeof color === "string" || color.length === 0 ? null : color;
  const { ax, bx, ay, by } = axes.transform;
  const log = axes.logY;
  const path = (ctx, i) => {
    const X = ax * xs[i] + bx;
    const Y = ay * (log ? Math.log10(ys[i]) : ys[i]) + by;
    if (!Number.isFinite(X) || !Number.isFinite(Y)) return;
    const r = radii ? radii[i % radii.length] : r0;
    if (!(r > 0)) return;
    ctx.moveTo(X + r, Y);
    ctx.arc(X, Y, r, 0, 2 * Math.PI);
  };
  axes.clip((ctx) => {
    ctx.globalAlpha = alpha;
    if (!colours) {
      ctx.fillStyle = (typeof color === "string" && color) || axes.theme.point;
      ctx.beginPath();
      for (let i = 0; i < n; i++) path(ctx, i);
      ctx.fill();
      return;
    }
    const groups = new Map();
    for (let i = 0; i < n; i++) {
      const c = colours[i % colours.length];
      let group = groups.get(c);
      if (!group) groups.set(c, (group = []));
      group.push(i);
    }
    for (const [c, indices] of groups) {
      ctx.fillStyle = c;
      ctx.beginPath();
      for (const i of indices) path(ctx, i);
      ctx.fill();
    }
  });
}

/**
 * Draws arrows from (x[i], y[i]) along (u[i], v[i]) as matplotlib's quiver does: filled arrow
 * polygons (head 3 shafts wide and 5 long), the direction taken on screen (so equal u and v
 * point at 45 degrees whatever the axes' scales), arrows shorter than a head shrunk whole, and
 * shorter than a shaft width drawn as a dot. One path, one fill. Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {ArrayLike<number>} x  (n,) tails, data units
 * @param {ArrayLike<number>} y
 * @param {ArrayLike<number>} u  (n,) vectors
 * @param {ArrayLike<number>} v
 * @param {object} options
 * @param {number} options.pxPerUnit  arrow length per unit of |(u, v)|, CSS px (see quiverGeometry)
 * @param {number} options.shaft  shaft width, CSS px
 * @param {string} [options.color]  default the theme's foreground
 * @param {number} [options.alpha=1]
 */
export function quiver(axes, x, y, u, v, { pxPerUnit, shaft, color, alpha = 1 }) {
  const n = Math.min(x.length, y.length, u.length, v.length);
  if (!(n > 0) || !(shaft > 0) || !(pxPerUnit >= 0)) return;
  const { ax, bx, ay, by } = axes.transform;
  // matplotlib's arrow outline in shaft widths, along +x from the tail (headwidth 3, headlength 5,
  // headaxislength 4.5); `length` is added to the x of every point but the tail's.
  const HEAD = 5;
  const outline = [[0, 0.5], [-4.5, 0.5], [-5, 1.5], [0, 0], [-5, -1.5], [-4.5, -0.5], [0, -0.5]];
  axes.clip((ctx) => {
    ctx.globalAlpha = alpha;
    ctx.fillStyle = color ?? axes.theme.fg;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const X = ax * x[i] + bx;
      const Y = ay * y[i] + by;
      const length = (Math.hypot(u[i], v[i]) * pxPerUnit) / shaft; // in shaft widths
      if (!Number.isFinite(X) || !Number.isFinite(Y) || !Number.isFinite(length)) continue;
      if (length < 1) {
        ctx.moveTo(X + shaft / 2, Y);
        ctx.arc(X, Y, shaft / 2, 0, 2 * Math.PI);
        continue;
      }
      const theta = Math.atan2(v[i], u[i]);
      const cos = Math.cos(theta) * shaft;
      const sin = Math.sin(theta) * shaft;
      // Shorter than a head: the head-only arrow of length 5, shrunk to `length`.
      const shrink = length < HEAD ? length / HEAD : 1;
      const shift = length < HEAD ? HEAD : length;
      for (let k = 0; k < outline.length; k++) {
        const px = (k === 0 || k === outline.length - 1 ? outline[k][0] : outline[k][0] + shift) * shrink;
        const py = outline[k][1] * shrink;
        // Rotate in a y-up frame, then flip y for the screen.
        const sx = X + px * cos - py * sin;
        const sy = Y - (px * sin + py * cos);
        if (k === 0) ctx.moveTo(sx, sy);
        else ctx.lineTo(sx, sy);
      }
      ctx.closePath();
    }
    ctx.fill();
  });
}

/**
 * Fills a grid of coloured cells: `ny` rows of `nx` covering xRange x yRange (outer edges), the
 * colours row-major with row 0 at the bottom (yRange[0]). Cell edges sit on whole device pixels,
 * so neighbouring cells leave no seams. Clipped to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {ArrayLike<string>} colors  (ny * nx,) CSS colours
 * @param {object} options
 * @param {[number, number]} options.xRange
 * @param {[number, number]} options.yRange
 * @param {number} options.nx
 * @param {number} options.ny
 * @param {number} [options.alpha=1]
 */
export function cells(axes, colors, { xRange, yRange, nx, ny, alpha = 1 }) {
  if (!(nx >= 1) || !(ny >= 1) || !colors || colors.length < nx * ny || !xRange || !yRange) return;
  const dpr = Math.max(1, axes.ctx.getTransform().a);
  const snap = (v) => Math.round(v * dpr) / dpr;
  const X = Array.from({ length: nx + 1 }, (_, i) => snap(axes.sx(xRange[0] + ((xRange[1] - xRange[0]) * i) / nx)));
  const Y = Array.from({ length: ny + 1 }, (_, j) => snap(axes.sy(yRange[0] + ((yRange[1] - yRange[0]) * j) / ny)));
  axes.clip((ctx) => {
    ctx.globalAlpha = alpha;
    for (let j = 0; j < ny; j++) {
      const top = Math.min(Y[j], Y[j + 1]);
      const h = Math.abs(Y[j + 1] - Y[j]);
      for (let i = 0; i < nx; i++) {
        ctx.fillStyle = colors[j * nx + i];
        ctx.fillRect(Math.min(X[i], X[i + 1]), top, Math.abs(X[i + 1] - X[i]), h);
      }
    }
  });
}

/**
 * Draws a histogram's bars (matplotlib's `hist`): bar i fills edges[i]..edges[i + 1] from 0 up
 * to heights[i], data units, in one colour; bars of height 0 or not finite are skipped. Clipped
 * to the plot area.
 * @param {import("./axes.js").Axes} axes
 * @param {ArrayLike<number>} edges  n + 1 increasing values
 * @param {ArrayLike<number>} heights  n values
 * @param {{color: string, alpha?: number}} options
 * @returns {number} the number of bars drawn
 */
export function bars(axes, edges, heights, { color, alpha = 1 }) {
  const n = Math.min(heights.length, edges.length - 1);
  let drawn = 0;
  axes.clip((ctx) => {
    ctx.fillStyle = color ?? axes.theme.point;
    ctx.globalAlpha = alpha;
    for (let i = 0; i < n; i++) {
      const h = heights[i];
      const x0 = edges[i];
      const x1 = edges[i + 1];
      if (!Number.isFinite(h) || h === 0 || !Number.isFinite(x0) || !Number.isFinite(x1)) continue;
      const left = axes.sx(x0);
      const right = axes.sx(x1);
      const top = axes.sy(h);
      const base = axes.sy(0);
      ctx.fillRect(Math.min(left, right), Math.min(top, base), Math.abs(right - left), Math.abs(base - top));
      drawn++;
    }
  });
  return drawn;
}
