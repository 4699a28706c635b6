// controls.js: the settings form, bound to the declarative settings table of state.js.
// Each setting `key` has an input or select with id `set-<key>`; this module only moves values
// between the form and a settings object (typed as the table says).

import { SETTINGS } from "./state.js";

/** The form elements of the settings that have one, by key. */
export function settingInputs(doc = document) {
  const inputs = new Map();
  for (const spec of SETTINGS) {
    const el = doc.getElementById(`set-${spec.key}`);
    if (el) inputs.set(spec.key, el);
  }
  return inputs;
}

/** Shows `settings` in the form. */
export function writeControls(inputs, settings) {
  for (const [key, el] of inputs) {
    const value = settings[key];
    el.value = value === null || value === undefined ? "" : String(value);
  }
}

/**
 * The form's values as settings, or the first problem found: {settings} | {error, key}.
 * Values are checked against the table's ranges, so the form can never build a bad model.
 */
export function readControls(inputs, current) {
  const settings = { ...current };
  for (const [key, el] of inputs) {
    const spec = SETTINGS.find((s) => s.key === key);
    const raw = el.value.trim();
    if (spec.type === "enum") {
      if (!spec.values.includes(raw)) return { key, error: `${key}: choose one of ${spec.values.join(", ")}` };
      settings[key] = raw;
      continue;
    }
    const value = Number(raw);
    const integral = spec.type === "int";
    if (raw === "" || !Number.isFinite(value) || (integral && !Number.isInteger(value))) {
      return { key, error: `${key}: "${raw}" is not ${integral ? "a whole number" : "a number"}` };
    }
    const tooSmall = spec.minExclusive ? value <= spec.min : value < spec.min;
    if (tooSmall || value > spec.max) {
      const lower = spec.minExclusive ? `above ${spec.min}` : `from ${spec.min}`;
      return { key, error: `${key}: ${value} is out of range; use a value ${lower} up to ${spec.max}` };
    }
    settings[key] = value;
  }
  return { settings };
}
