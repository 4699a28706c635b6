// state.js: the page's settings and their place in the URL hash (`#dataset=circles&lr=0.003`).
//
// One declarative table, SETTINGS, says for every setting its key, type, default, allowed values
// and a one-line description; parseHash and writeHash both read it, so a new setting is one new
// row. Pure functions only: no DOM, no globals, nothing runs at import time, so node tests it.
//
// Rules (tests/unit/state.test.mjs checks each one):
// - A value that is not allowed (unparsable, not finite, out of range, not one of the choices,
//   empty) falls back to the setting's DEFAULT, with a notice. One rule for every type: the
//   default is a known-good lab setting, whereas the nearest bound is usually an extreme
//   (lr=1, batch=8192) and an open bound (lr > 0) has no nearest allowed value.
// - Repeated keys: the LAST one wins (appending `&lr=0.1` to a URL takes effect), with a notice.
// - Unknown keys are ignored with a notice; keys are case-sensitive (the notice suggests the
//   right spelling). Only Maps are indexed by user text, so `__proto__` and `constructor` are
//   plain unknown keys and pollute nothing.
// - `+` means a space (form encoding, as URLSearchParams reads it); spaces around keys and
//   values are trimmed. Enum and bool values match case-insensitively.
// - Numbers are decimal (`1e4` and `64.0` are fine for ints; hex, NaN, Infinity and 1e999 are
//   not). Negative zero is read as 0, silently: it is the same number.
// - Floats keep FLOAT_DIGITS (6) significant digits, what the engine's f32 holds; parseHash
//   rounds longer ones with a notice and writeHash rounds too, so a value read back from f32
//   (0.009999999776) is written `0.01`.
// - A hash longer than MAX_HASH_LENGTH characters is ignored as a whole (defaults, one notice):
//   a truncated hash could end in a cut value (`lr=0.0` from `lr=0.05`) that looks valid.
// - At most MAX_NOTICES notices; a last one says how many more problems there were.
// - Notices are plain text: show them with textContent. A value in a notice is cut to
//   DISPLAY_LENGTH characters and invisible or control characters are shown as \u{...}.
// - writeHash and toPipelineConfig take a full or partial settings object (missing keys take
//   the default; keys not in the table are ignored) and throw a RangeError naming the key and
//   value if a value is not allowed: a bug in the caller, not the user's input.

/** Hashes longer than this many characters (after the `#`) are ignored as a whole. */
export const MAX_HASH_LENGTH = 4096;
/** At most this many notices come back from parseHash (the last may be a "more" line). */
export const MAX_NOTICES = 20;
/** Significant digits a float setting keeps: what an f32 holds without noise. */
export const FLOAT_DIGITS = 6;
/** Characters of a user's value (or key) quoted in a notice. */
export const DISPLAY_LENGTH = 40;

const TYPES = ["enum", "int", "float", "bool", "ints"];
const EFFECTS = ["model", "sampling", "page"];

/**
 * Checks a table of settings once and freezes it. Each row:
 * - `key`: the name in the hash and in the settings object;
 * - `type`: "enum" (`values`: the allowed strings), "int" or "float" (`min`, `max`, both
 *   inclusive unless `minExclusive`), "bool", or "ints", a comma-separated list of ints
 *   (`min`/`max` per element, `minLength` >= 1 and `maxLength` entries);
 * - `default`: the value when the hash does not give one; `null` is allowed only with
 *   `nullMeans`, the words for what null stands for ("the data set's default");
 * - `effect`: what a change needs: "model" (a new model), "sampling" (only a resample), "page";
 * - `description`: one line for tooltips and notices.
 * Throws an Error naming the row if anything is off.
 */
export function defineSettings(rows) {
  const seen = new Set();
  const table = rows.map((input) => {
    const row = { ...input };
    const where = `setting ${JSON.stringify(row.key)}`;
    if (typeof row.key !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(row.key)) {
      throw new Error(`${where}: the key must be letters and digits`);
    }
    if (seen.has(row.key)) throw new Error(`${where}: the key appears twice`);
    seen.add(row.key);
    if (!TYPES.includes(row.type)) throw new Error(`${where}: unknown type ${JSON.stringify(row.type)}`);
    if (!EFFECTS.includes(row.effect)) throw new Error(`${where}: effect must be one of ${EFFECTS.join(", ")}`);
    if (typeof row.description !== "string" || row.description === "") {
      throw new Error(`${where}: needs a description`);
    }
    if (row.type === "enum") {
      if (!Array.isArray(row.values) || row.values.length === 0 || !row.values.every((v) => typeof v === "string")) {
        throw new Error(`${where}: an enum needs a list of string values`);
      }
      if (new Set(row.values.map((v) => v.toLowerCase())).size !== row.values.length) {
        throw new Error(`${where}: enum values must differ ignoring case`);
      }
      row.values = Object.freeze([...row.values]);
    }
    if (row.type === "int" || row.type === "float" || row.type === "ints") {
      if (!Number.isFinite(row.min) || !Number.isFinite(row.max) || !(row.min <= row.max)) {
        throw new Error(`${where}: needs finite min <= max`);
      }
      if (row.type !== "float" && !(Number.isSafeInteger(row.min) && Number.isSafeInteger(row.max))) {
        throw new Error(`${where}: integer bounds must be safe integers`);
      }
      if (row.type === "float" && (roundFloat(row.min) !== row.min || roundFloat(row.max) !== row.max)) {
        throw new Error(`${where}: float bounds must have at most ${FLOAT_DIGITS} significant digits`);
      }
      row.minExclusive = Boolean(row.minExclusive);
    }
    if (row.type === "ints") {
      if (!Number.isInteger(row.minLength) || row.minLength < 1 || !Number.isInteger(row.maxLength)) {
        throw new Error(`${where}: a list needs integer minLength >= 1 (an empty value means "default") and maxLength`);
      }
      if (row.minLength > row.maxLength) throw new Error(`${where}: minLength > maxLength`);
    }
    if (row.default === null) {
      if (typeof row.nullMeans !== "string") throw new Error(`${where}: a null default needs nullMeans`);
    } else {
      const problem = invalidReason(row, row.default);
      if (problem !== null) throw new Error(`${where}: the default ${problem}`);
      if (row.type === "ints") row.default = Object.freeze([...row.default]);
    }
    return Object.freeze(row);
  });
  return Object.freeze(table);
}

/** The page's settings, in the hash's order. */
export const SETTINGS = defineSettings([
  {
    key: "view",
    type: "enum",
    values: ["transport", "density", "lecture", "compare"],
    default: "transport",
    effect: "page",
    description: "which view the page shows (lecture: the lecture's warm-ups, in the version `mode` names)",
  },
  {
    key: "mode",
    type: "enum",
    values: ["full", "mid", "todo"],
    default: null,
    nullMeans: "no lab open",
    effect: "page",
    description: "the version of the lab the Lab view opens (a link with a mode opens the Lab view); with view=lecture, the warm-ups' version (full or todo)",
  },
  {
    key: "dataset",
    type: "enum",
    values: ["moons", "circles", "8gaussians", "checkerboard", "spirals", "swissroll"],
    default: "moons",
    effect: "model",
    description: "the toy 2-D data set the model learns to generate",
  },
  {
    key: "noise",
    type: "float",
    min: 0,
    max: 1,
    default: null,
    nullMeans: "the data set's default",
    effect: "model",
    description: "standard deviation of the noise added to the data set (empty: the data set's default)",
  },
  {
    key: "width",
    type: "int",
    min: 1,
    max: 512,
    default: 64,
    effect: "model",
    description: "units in each hidden layer of the velocity network",
  },
  {
    key: "depth",
    type: "int",
    min: 1,
    max: 6,
    default: 3,
    effect: "model",
    description: "number of hidden layers of the velocity network",
  },
  {
    key: "activation",
    type: "enum",
    values: ["elu", "relu", "tanh", "sigmoid", "silu"],
    default: "silu",
    effect: "model",
    description: "nonlinearity after each hidden layer",
  },
  {
    key: "lr",
    type: "float",
    min: 0,
    minExclusive: true,
    max: 1,
    default: 0.01,
    effect: "model",
    description: "Adam's base learning rate",
  },
  {
    key: "schedule",
    type: "enum",
    values: ["constant", "cosine"],
    default: "cosine",
    effect: "model",
    description: "learning-rate schedule: constant, or a cosine decay to 1% over the training steps",
  },
  {
    key: "ema",
    type: "float",
    min: 0,
    max: 0.9999,
    default: 0.999,
    effect: "model",
    description: "decay of the moving average of the weights used for sampling (0 turns it off)",
  },
  {
    key: "batch",
    type: "int",
    min: 1,
    max: 8192,
    default: 512,
    effect: "model",
    description: "points in each training batch",
  },
  {
    key: "seed",
    type: "int",
    min: 0,
    max: 2 ** 31 - 1,
    default: 0,
    effect: "model",
    description: "seeds the network's initialisation and every training batch",
  },
  {
    key: "steps",
    type: "int",
    min: 1,
    max: 100000,
    default: 3000,
    effect: "model",
    description: "training steps (also the length of the cosine decay)",
  },
  {
    key: "solver",
    type: "enum",
    values: ["euler", "midpoint", "heun", "rk4"],
    default: "euler",
    effect: "sampling",
    description: "the ODE solver that carries noise to data along the learned velocity",
  },
  {
    key: "sampleSteps",
    type: "int",
    min: 1,
    max: 1000,
    default: 100,
    effect: "sampling",
    description: "solver steps from t = 0 (noise) to t = 1 (data)",
  },
  {
    key: "particles",
    type: "int",
    min: 100,
    max: 5000,
    default: 2000,
    effect: "sampling",
    description: "number of points carried from noise to data",
  },
]);

/** Keys whose change needs a new model (retraining), in table order. */
export const MODEL_KEYS = Object.freeze(SETTINGS.filter((s) => s.effect === "model").map((s) => s.key));
/** Keys whose change needs only a new sample from the same model, in table order. */
export const SAMPLING_KEYS = Object.freeze(SETTINGS.filter((s) => s.effect === "sampling").map((s) => s.key));

/** A fresh settings object with every key at its default, in table order. */
export function defaultSettings(table = SETTINGS) {
  const settings = {};
  for (const row of table) settings[row.key] = copyValue(row.default);
  return settings;
}

/**
 * Reads settings from a URL hash (`location.hash`, with or without the leading `#`).
 * Returns `{settings, notices}`: `settings` has every key of the table (defaults filled in);
 * `notices` is a list of plain-text sentences, one per problem, each naming the key, the
 * value given and what was used instead. Never throws, whatever the input.
 */
export function parseHash(hash, table = SETTINGS) {
  const settings = defaultSettings(table);
  const notices = [];
  let text = typeof hash === "string" ? hash : "";
  if (text.startsWith("#")) text = text.slice(1);
  if (text.length > MAX_HASH_LENGTH) {
    notices.push(
      `the URL hash is ${text.length} characters long, over the limit of ${MAX_HASH_LENGTH}; ` +
        "ignored it and used the defaults",
    );
    return { settings, notices };
  }

  const rows = new Map(table.map((row) => [row.key, row]));
  // key -> every value given for it, in order; a Map, so no user key reaches a prototype.
  const given = new Map();
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    const key = decode(rawKey);
    if (key === null) {
      notices.push(`the setting name ${display(rawKey)} is not valid percent-encoding; ignored`);
      continue;
    }
    if (key === "") {
      if (rawValue !== "") notices.push(`a value without a setting name (${display(rawValue)}) was ignored`);
      continue;
    }
    const value = decode(rawValue);
    const entry = value === null ? { undecodable: rawValue } : { value };
    if (given.has(key)) given.get(key).push(entry);
    else given.set(key, [entry]);
  }

  for (const [key, entries] of given) {
    const row = rows.get(key);
    if (row === undefined) {
      const near = table.find((r) => r.key.toLowerCase() === key.toLowerCase());
      const hint = near ? ` (did you mean ${near.key}?)` : "";
      const times = entries.length > 1 ? ` (given ${entries.length} times)` : "";
      notices.push(`unknown setting ${display(key)} ignored${hint}${times}`);
      continue;
    }
    const last = entries[entries.length - 1];
    if (entries.length > 1) {
      const shown = "value" in last ? display(last.value) : display(last.undecodable);
      notices.push(`${key} is given ${entries.length} times; the last one (${shown}) counts`);
    }
    const instead = `using ${defaultWords(row)}`;
    if (!("value" in last)) {
      notices.push(`${key}=${display(last.undecodable)} is not valid percent-encoding; ${instead}`);
      continue;
    }
    const result = parseValue(row, last.value);
    if (result.problem !== undefined) {
      const used = result.value === undefined ? instead : `using ${formatValue(row, result.value)}`;
      notices.push(`${result.problem}; ${used}`);
    }
    if (result.value !== undefined) settings[key] = result.value;
  }

  if (notices.length > MAX_NOTICES) {
    const more = notices.length - (MAX_NOTICES - 1);
    notices.length = MAX_NOTICES - 1;
    notices.push(`…and ${more} more problems in the URL hash`);
  }
  return { settings, notices };
}

/**
 * The canonical hash for `settings` (without the `#`): keys in the table's order, only values
 * that differ from the defaults, so the default settings give "". Floats are rounded to
 * FLOAT_DIGITS significant digits. Throws a RangeError if a value is not allowed.
 */
export function writeHash(settings, table = SETTINGS) {
  const full = checkedSettings(settings, table, "writeHash");
  const parts = [];
  for (const row of table) {
    const value = full[row.key];
    if (sameValue(value, row.default)) continue;
    parts.push(`${encode(row.key)}=${encode(formatValue(row, value))}`);
  }
  return parts.join("&");
}

/**
 * The engine's pipeline config (camelCase, as `new Pipeline(config)` takes it) for `settings`:
 * `{dataset, noise?, hidden, activation, optimizer, lr, schedule, scheduleSteps, lrFloor, ema,
 * batch, seed}`; `noise` is left out when it is null (the data set's default). `hidden` is
 * `depth` copies of `width`. Throws a RangeError if a value is not allowed.
 */
export function toPipelineConfig(settings) {
  const s = checkedSettings(settings, SETTINGS, "toPipelineConfig");
  const config = { dataset: s.dataset };
  if (s.noise !== null) config.noise = s.noise;
  Object.assign(config, {
    hidden: Array(s.depth).fill(s.width),
    activation: s.activation,
    optimizer: "adam",
    lr: s.lr,
    schedule: s.schedule,
    scheduleSteps: s.steps,
    lrFloor: 0.01,
    ema: s.ema,
    batch: s.batch,
    seed: s.seed,
  });
  return config;
}

/**
 * The keys whose values differ between two settings objects, in the table's order. A missing
 * key counts as its default. Compare with MODEL_KEYS / SAMPLING_KEYS to know whether a change
 * needs a new model or only a resample.
 */
export function diffSettings(a, b, table = SETTINGS) {
  return table
    .filter((row) => !sameValue(valueOrDefault(a, row), valueOrDefault(b, row)))
    .map((row) => row.key);
}

// ---- values ----------------------------------------------------------------------------------

/** Reads one value from its (decoded) text: `{value}`, `{problem}` or `{problem, value}`. */
function parseValue(row, raw) {
  const text = raw.trim();
  const said = `${row.key}=${display(text)}`;
  if (text === "") return { problem: `${row.key} is empty` };
  switch (row.type) {
    case "enum": {
      const value = row.values.find((v) => v.toLowerCase() === text.toLowerCase());
      if (value === undefined) return { problem: `${said} is not one of ${row.values.join(", ")}` };
      return { value };
    }
    case "bool": {
      const lower = text.toLowerCase();
      if (lower === "true") return { value: true };
      if (lower === "false") return { value: false };
      return { problem: `${said} is not true or false` };
    }
    case "int":
    case "float": {
      const number = readNumber(text);
      if (typeof number === "string") return { problem: `${said} ${number}` };
      if (row.type === "int" && !Number.isInteger(number)) return { problem: `${said} is not a whole number` };
      const value = row.type === "float" ? roundFloat(number) : number;
      if (!inRange(row, value)) return { problem: `${said} is not in ${rangeText(row)}` };
      if (value !== number) return { problem: `${said} has more than ${FLOAT_DIGITS} significant digits`, value };
      return { value };
    }
    case "ints": {
      const items = text.split(",").map((s) => s.trim());
      if (items.length < row.minLength || items.length > row.maxLength) {
        return { problem: `${said} has ${items.length} entries, not ${row.minLength} to ${row.maxLength}` };
      }
      const value = [];
      for (const item of items) {
        const number = readNumber(item);
        if (typeof number === "string" || !Number.isInteger(number)) {
          return { problem: `${said} has ${display(item)}, not a whole number` };
        }
        if (!inRange(row, number)) return { problem: `${said} has ${number}, not in ${rangeText(row)}` };
        value.push(number);
      }
      return { value };
    }
  }
  return { problem: `${said} has an unknown type` };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite number from decimal text (negative zero read as 0), or the reason it is not one. */
function readNumber(text) {
  if (!DECIMAL.test(text)) return "is not a number";
  const number = Number(text);
  if (!Number.isFinite(number)) return "is not a finite number";
  return number === 0 ? 0 : number;
}

/** `x` rounded to FLOAT_DIGITS significant digits (negative zero becomes 0). */
function roundFloat(x) {
  const rounded = Number(x.toPrecision(FLOAT_DIGITS));
  return rounded === 0 ? 0 : rounded;
}

function inRange(row, x) {
  return (row.minExclusive ? x > row.min : x >= row.min) && x <= row.max;
}

function rangeText(row) {
  return `${row.minExclusive ? "(" : "["}${row.min}, ${row.max}]`;
}

/** Why `value` is not allowed for `row`, or null if it is (values as the settings hold them). */
function invalidReason(row, value) {
  const shown = () => display(typeof value === "string" ? JSON.stringify(value) : String(value));
  if (value === null && row.default === null) return null; // "nullMeans"
  switch (row.type) {
    case "enum":
      return row.values.includes(value) ? null : `is ${shown()}, not one of ${row.values.join(", ")}`;
    case "bool":
      return typeof value === "boolean" ? null : `is ${shown()}, not true or false`;
    case "int":
    case "float": {
      if (typeof value !== "number" || !Number.isFinite(value)) return `is ${shown()}, not a finite number`;
      if (row.type === "int" && !Number.isInteger(value)) return `is ${shown()}, not a whole number`;
      return inRange(row, value) ? null : `is ${shown()}, not in ${rangeText(row)}`;
    }
    case "ints": {
      if (!Array.isArray(value)) return `is ${shown()}, not a list of whole numbers`;
      if (value.length < row.minLength || value.length > row.maxLength) {
        return `has ${value.length} entries, not ${row.minLength} to ${row.maxLength}`;
      }
      const bad = value.find((v) => !Number.isInteger(v) || !inRange(row, v));
      return bad === undefined ? null : `has ${display(String(bad))}, not a whole number in ${rangeText(row)}`;
    }
  }
  return "has an unknown type";
}

/** Every key of `table` from `settings` (missing: the default), checked; throws a RangeError. */
function checkedSettings(settings, table, caller) {
  if (settings === null || typeof settings !== "object") {
    throw new TypeError(`${caller}: settings must be an object, but is ${display(String(settings))}`);
  }
  const full = {};
  for (const row of table) {
    const value = valueOrDefault(settings, row);
    const problem = invalidReason(row, value);
    if (problem !== null) throw new RangeError(`${caller}: setting ${row.key} ${problem}`);
    full[row.key] = row.type === "float" && value !== null ? roundFloat(value) : value;
  }
  return full;
}

function valueOrDefault(settings, row) {
  return settings != null && Object.prototype.hasOwnProperty.call(settings, row.key) ? settings[row.key] : row.default;
}

/** The value as the hash writes it: shortest decimal, never `e+` (a `+` would read as a space). */
function formatValue(row, value) {
  if (value === null) return "";
  if (row.type === "ints") return value.map((v) => formatNumber(v)).join(",");
  if (typeof value === "number") return formatNumber(row.type === "float" ? roundFloat(value) : value);
  return String(value);
}

function formatNumber(x) {
  return String(x === 0 ? 0 : x).replace("e+", "e");
}

function defaultWords(row) {
  return row.default === null ? row.nullMeans : `the default ${formatValue(row, row.default)}`;
}

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function copyValue(value) {
  return Array.isArray(value) ? [...value] : value;
}

// ---- text ------------------------------------------------------------------------------------

/** Form-style decoding (`+` is a space), or null if a `%` escape is malformed. */
function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " ")).trim();
  } catch {
    return null;
  }
}

/** Percent-encodes for the hash, keeping `,` (list separator) readable. */
function encode(text) {
  return encodeURIComponent(text).replace(/%2C/gi, ",");
}

// Control, format (bidi overrides, zero-width), line/paragraph separators, lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** User text made safe to show: at most DISPLAY_LENGTH characters, invisible ones escaped. */
function display(text) {
  const chars = Array.from(String(text));
  const cut = chars.length > DISPLAY_LENGTH ? chars.slice(0, DISPLAY_LENGTH).join("") + "…" : chars.join("");
  return cut.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0).toString(16).toUpperCase()}}`);
}
