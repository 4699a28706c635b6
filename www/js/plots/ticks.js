// ticks.js: where axis ticks go and how their labels read. Pure functions, no DOM.

/** The minus sign used in labels (U+2212), which lines up with the digits, unlike "-". */
export const MINUS = "\u2212";

/** A tick may overshoot [min, max] by this fraction of a step and still count as inside. */
const EDGE = 1e-9;

/**
 * "Nice" tick values for a linear axis: multiples of a step of 1, 2 or 5 x 10^k, all within
 * [min, max] (the ends included), about `count` of them.
 * Degenerate input is handled, never thrown on: NaN or infinite ends give [], min > max is
 * swapped, and min == max gives that single value.
 * @param {number} min
 * @param {number} max
 * @param {number} [count=5]  roughly how many ticks are wanted (at least 1)
 * @returns {number[]} increasing tick values, rounded so that 0.1 + 0.2 prints as 0.3
 */
export function niceTicks(min, max, count = 5) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [min];
  const step = niceStep((max - min) / Math.max(1, count));
  const first = Math.ceil(min / step - EDGE);
  const last = Math.floor(max / step + EDGE);
  const decimals = stepDecimals(step);
  const ticks = [];
  for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, decimals) + 0); // + 0: no -0
  return ticks;
}

/**
 * The step niceTicks uses for a raw step: the nearest of 1, 2, 5 x 10^k (on a log scale).
 * @param {number} raw  > 0
 * @returns {number}
 */
export function niceStep(raw) {
  const power = Math.floor(Math.log10(raw));
  const base = 10 ** power;
  const f = raw / base; // in [1, 10)
  // Geometric midpoints between 1, 2, 5 and 10.
  const nice = f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10;
  return roundTo(nice * base, Math.max(0, -power));
}

/**
 * Tick values for a log axis over [min, max] (both > 0), at most `maxCount` of them, from the
 * densest of these that fits: 1..9 x 10^k (only for ranges under a decade), 1, 2, 5 x 10^k (ranges
 * under three decades), whole decades, every 2nd, 3rd, ... decade. If the chosen set would give
 * fewer than two ticks (a range such as [1.1, 1.9]) the ticks are linear nice ticks instead.
 * Non-positive or non-finite ends give [].
 * @param {number} min  > 0
 * @param {number} max  > min
 * @param {number} [maxCount=10]  at least 2
 * @returns {number[]} increasing tick values within [min, max]
 */
export function logTicks(min, max, maxCount = 10) {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [min];
  maxCount = Math.max(2, Math.floor(maxCount));
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  const span = hi - lo;
  const inside = (v) => v >= min * (1 - EDGE) && v <= max * (1 + EDGE);
  const withMantissas = (mantissas) => {
    const ticks = [];
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of mantissas) {
        const v = roundTo(m * decade(k), Math.max(0, -k));
        if (inside(v)) ticks.push(v);
      }
    }
    return ticks;
  };
  const candidates = [];
  if (span < 1) candidates.push([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  if (span < 3) candidates.push([1, 2, 5]);
  for (const mantissas of candidates) {
    const ticks = withMantissas(mantissas);
    if (ticks.length > maxCount) continue;
    return ticks.length >= 2 ? ticks : niceTicks(min, max, Math.min(4, maxCount)).filter((v) => v > 0);
  }
  // Whole decades, every `every`-th one.
  const first = Math.ceil(lo - EDGE);
  const last = Math.floor(hi + EDGE);
  const count = last - first + 1;
  if (count < 2) return niceTicks(min, max, Math.min(4, maxCount)).filter((v) => v > 0);
  const every = Math.max(1, Math.ceil(count / maxCount), span >= 3 ? Math.ceil(span / 10) : 1);
  const ticks = [];
  for (let k = first; k <= last; k++) if (k % every === 0) ticks.push(decade(k));
  return ticks;
}

/** 10^k, exact for the decades a float can hold exactly (10^-3 is 0.001, not 0.0010000000000000002). */
function decade(k) {
  return k >= 0 ? 10 ** k : Number((10 ** k).toFixed(-k));
}

/**
 * A tick label with just enough decimals for ticks `step` apart (0.5 -> "0.5", 2 -> "2",
 * 0.25 -> "0.25"). Thousands of whole steps read as "20k", millions as "1.5M"; steps under 10^-4
 * give powers of ten ("2×10⁻⁵"). Negative values use the typographic minus (U+2212); a value
 * that rounds to zero prints without a sign.
 * @param {number} value
 * @param {number} [step]  distance between neighbouring ticks; defaults to the value's own scale
 * @returns {string}
 */
export function formatTick(value, step = Math.abs(value) || 1) {
  if (!Number.isFinite(value)) return String(value);
  step = Math.abs(step) || 1;
  const sign = value < 0 && roundTo(value, stepDecimals(step)) !== 0 ? MINUS : "";
  const abs = Math.abs(value);
  if (step >= 1e6 && abs >= 1e6) return sign + trimZeros((abs / 1e6).toFixed(stepDecimals(step / 1e6))) + "M";
  if (step >= 1e3 && abs >= 1e3) return sign + trimZeros((abs / 1e3).toFixed(stepDecimals(step / 1e3))) + "k";
  if (step < 1e-4 && roundTo(abs / step, 6) !== 0) return sign + expLabel(abs);
  return sign + abs.toFixed(stepDecimals(step));
}

/**
 * A label for a log-axis tick: up to three significant digits between 0.001 and 10,000 ("0.01",
 * "200", "1.15"), powers of ten outside ("10⁻⁵", "2×10⁶").
 * @param {number} value  > 0
 * @returns {string}
 */
export function formatLogTick(value) {
  if (!(value > 0) || !Number.isFinite(value)) return String(value);
  if (value >= 1e-3 && value < 1e4) return String(Number(value.toPrecision(3)));
  return expLabel(value);
}

/** "10⁻⁵" or "2×10⁻⁵". */
function expLabel(abs) {
  const k = Math.floor(Math.log10(abs) + EDGE);
  const m = roundTo(abs / 10 ** k, 2);
  const power = "10" + superscript(k);
  return m === 1 ? power : `${trimZeros(m.toFixed(2))}\u00d7${power}`;
}

const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074", 5: "\u2075", 6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };

function superscript(k) {
  return [...String(k)].map((c) => SUPERSCRIPT[c]).join("");
}

/** Decimals needed to print multiples of `step` exactly (1 -> 0, 0.5 -> 1, 0.25 -> 2). */
export function stepDecimals(step) {
  step = Math.abs(step);
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

function roundTo(value, decimals) {
  return Number(value.toFixed(Math.min(20, Math.max(0, decimals))));
}

function trimZeros(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
