// Shared by the state.js tests: the table's keys and defaults, a seeded generator, and
// helpers that build and check settings.

import assert from "node:assert/strict";
import { SETTINGS, defaultSettings, parseHash } from "../../www/js/state.js";

export const KEYS = SETTINGS.map((s) => s.key);
export const DEFAULTS = Object.freeze(defaultSettings());
export const row = (key) => SETTINGS.find((s) => s.key === key);
/** mulberry32: a tiny seeded generator, so every random case is the same on every run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Asserts parseHash(hash) gives the defaults except `changed`, and notices matching `patterns`. */
export function expectParse(hash, changed, patterns) {
  const { settings, notices } = parseHash(hash);
  assert.deepEqual(settings, { ...DEFAULTS, ...changed }, `settings for ${JSON.stringify(hash)}`);
  assert.equal(notices.length, patterns.length, `notices for ${JSON.stringify(hash)}: ${JSON.stringify(notices)}`);
  patterns.forEach((p, i) => assert.match(notices[i], p));
  return notices;
}

/** Settings that are valid and whose floats have at most 6 significant digits. */
export function randomSettings(rand) {
  const s = {};
  for (const r of SETTINGS) {
    if (rand() < 0.3) {
      s[r.key] = r.default;
      continue;
    }
    if (r.type === "enum") s[r.key] = r.values[Math.floor(rand() * r.values.length)];
    else if (r.type === "int") s[r.key] = r.min + Math.floor(rand() * (r.max - r.min + 1));
    else if (r.type === "float") {
      if (r.default === null && rand() < 0.2) {
        s[r.key] = null;
        continue;
      }
      for (;;) {
        // Log-uniform magnitudes reach tiny learning rates; 1 to 6 digits reach every precision.
        const x = rand() < 0.5 ? r.max * rand() : r.max * 10 ** (-8 * rand());
        const v = Number(x.toPrecision(1 + Math.floor(rand() * 6)));
        if ((r.minExclusive ? v > r.min : v >= r.min) && v <= r.max) {
          s[r.key] = v;
          break;
        }
      }
    }
  }
  return s;
}

