// www/js/state.js: the settings table, the URL hash read and written both ways, the engine config.
// Pure functions, so plain node runs them: `node --test tests/unit/`.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  DISPLAY_LENGTH,
  MAX_HASH_LENGTH,
  MAX_NOTICES,
  MODEL_KEYS,
  SAMPLING_KEYS,
  SETTINGS,
  defaultSettings,
  defineSettings,
  diffSettings,
  parseHash,
  toPipelineConfig,
  writeHash,
} from "../../www/js/state.js";

const KEYS = SETTINGS.map((s) => s.key);
const DEFAULTS = Object.freeze(defaultSettings());
const row = (key) => SETTINGS.find((s) => s.key === key);

/** mulberry32: a tiny seeded generator, so every random case is the same on every run. */
function prng(seed) {
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
function expectParse(hash, changed, patterns) {
  const { settings, notices } = parseHash(hash);
  assert.deepEqual(settings, { ...DEFAULTS, ...changed }, `settings for ${JSON.stringify(hash)}`);
  assert.equal(notices.length, patterns.length, `notices for ${JSON.stringify(hash)}: ${JSON.stringify(notices)}`);
  patterns.forEach((p, i) => assert.match(notices[i], p));
  return notices;
}

/** Settings that are valid and whose floats have at most 6 significant digits. */
function randomSettings(rand) {
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

describe("the settings table", () => {
  test("lists every setting of the Transport view with a type, default and description", () => {
    assert.deepEqual(KEYS, [
      "view",
      "dataset",
      "noise",
      "width",
      "depth",
      "activation",
      "lr",
      "schedule",
      "ema",
      "batch",
      "seed",
      "steps",
      "solver",
      "sampleSteps",
      "particles",
    ]);
    for (const r of SETTINGS) {
      assert.ok(["enum", "int", "float", "bool", "ints"].includes(r.type), r.key);
      assert.ok(r.description.length > 10, `${r.key} has a description`);
      assert.ok(Object.isFrozen(r), `${r.key} is frozen`);
    }
    assert.ok(Object.isFrozen(SETTINGS));
  });

  test("has the brief's defaults and ranges", () => {
    assert.deepEqual(DEFAULTS, {
      view: "transport",
      dataset: "moons",
      noise: null,
      width: 64,
      depth: 3,
      activation: "silu",
      lr: 0.01,
      schedule: "cosine",
      ema: 0.999,
      batch: 512,
      seed: 0,
      steps: 3000,
      solver: "euler",
      sampleSteps: 100,
      particles: 2000,
    });
    assert.deepEqual(row("dataset").values, ["moons", "circles", "8gaussians", "checkerboard", "spirals", "swissroll"]);
    assert.deepEqual(row("activation").values, ["elu", "relu", "tanh", "sigmoid", "silu"]);
    assert.deepEqual(row("solver").values, ["euler", "midpoint", "heun", "rk4"]);
    const ranges = Object.fromEntries(
      SETTINGS.filter((r) => "min" in r).map((r) => [r.key, [r.min, r.max, r.minExclusive]]),
    );
    assert.deepEqual(ranges, {
      noise: [0, 1, false],
      width: [1, 512, false],
      depth: [1, 6, false],
      lr: [0, 1, true],
      ema: [0, 0.9999, false],
      batch: [1, 8192, false],
      seed: [0, 2147483647, false],
      steps: [1, 100000, false],
      sampleSteps: [1, 1000, false],
      particles: [100, 5000, false],
    });
  });

  test("splits the keys into those needing a new model and those needing only a resample", () => {
    assert.deepEqual(MODEL_KEYS, [
      "dataset",
      "noise",
      "width",
      "depth",
      "activation",
      "lr",
      "schedule",
      "ema",
      "batch",
      "seed",
      "steps",
    ]);
    assert.deepEqual(SAMPLING_KEYS, ["solver", "sampleSteps", "particles"]);
    assert.ok(Object.isFrozen(MODEL_KEYS) && Object.isFrozen(SAMPLING_KEYS));
  });

  test("defaultSettings returns a fresh object each time", () => {
    const a = defaultSettings();
    a.lr = 0.5;
    assert.equal(defaultSettings().lr, 0.01);
  });

  test("defineSettings rejects a table with a mistake, naming the setting", () => {
    const ok = { key: "k", type: "int", min: 0, max: 9, default: 1, effect: "model", description: "a setting" };
    assert.throws(() => defineSettings([ok, ok]), /"k".*twice/);
    assert.throws(() => defineSettings([{ ...ok, default: 10 }]), /"k".*default.*not in \[0, 9\]/);
    assert.throws(() => defineSettings([{ ...ok, type: "complex" }]), /"k".*unknown type/);
    assert.throws(() => defineSettings([{ ...ok, default: null }]), /"k".*nullMeans/);
    assert.throws(() => defineSettings([{ ...ok, description: "" }]), /"k".*description/);
    assert.throws(() => defineSettings([{ ...ok, effect: "nothing" }]), /"k".*effect/);
    assert.throws(() => defineSettings([{ ...ok, key: "__proto__" }]), /key must be letters/);
    assert.throws(
      () => defineSettings([{ ...ok, type: "ints", default: [1], minLength: 0, maxLength: 3 }]),
      /minLength >= 1/,
    );
    assert.throws(() => defineSettings([{ ...ok, type: "float", max: 0.1234567 }]), /significant digits/);
  });
});

describe("parseHash: valid hashes", () => {
  test("an empty hash, a lone '#' or no string at all gives the defaults and no notices", () => {
    for (const hash of ["", "#", undefined, null, 42, {}, "&", "#&&&"]) {
      assert.deepEqual(parseHash(hash), { settings: { ...DEFAULTS }, notices: [] }, String(hash));
    }
  });

  test("reads each setting, with or without the leading '#'", () => {
    const hash = [
      "dataset=spirals&noise=0.2&width=128&depth=2&activation=tanh&lr=0.003&schedule=constant",
      "ema=0&batch=64&seed=7&steps=500&solver=rk4&sampleSteps=20&particles=100&view=transport",
    ].join("&");
    const expected = {
      view: "transport",
      dataset: "spirals",
      noise: 0.2,
      width: 128,
      depth: 2,
      activation: "tanh",
      lr: 0.003,
      schedule: "constant",
      ema: 0,
      batch: 64,
      seed: 7,
      steps: 500,
      solver: "rk4",
      sampleSteps: 20,
      particles: 100,
    };
    expectParse(hash, expected, []);
    expectParse(`#${hash}`, expected, []);
  });

  test("enums match ignoring case and come back in the table's spelling", () => {
    expectParse("dataset=8Gaussians&solver=RK4", { dataset: "8gaussians", solver: "rk4" }, []);
  });

  test("ints accept any decimal spelling of a whole number", () => {
    expectParse("steps=1e4&width=64.0&batch=+32&depth=0002", { steps: 10000, width: 64, batch: 32, depth: 2 }, []);
  });

  test("floats accept decimal and exponent forms", () => {
    expectParse("lr=.5&ema=9e-1&noise=1.", { lr: 0.5, ema: 0.9, noise: 1 }, []);
    expectParse("lr=1E-7", { lr: 1e-7 }, []);
  });

  test("bounds are inclusive except lr's lower one", () => {
    expectParse("width=1&depth=6&batch=8192&seed=2147483647&ema=0.9999&noise=0&lr=1&particles=100", {
      width: 1,
      depth: 6,
      batch: 8192,
      seed: 2147483647,
      ema: 0.9999,
      noise: 0,
      lr: 1,
      particles: 100,
    }, []);
    expectParse("lr=0", {}, [/^lr=0 is not in \(0, 1\]; using the default 0\.01$/]);
  });

  test("percent escapes and '+' decode; spaces around keys and values are trimmed", () => {
    expectParse("dataset=%63ircles&%6Cr=0%2E1", { dataset: "circles", lr: 0.1 }, []);
    expectParse("+dataset+=+spirals+&lr=%200.1%20", { dataset: "spirals", lr: 0.1 }, []);
  });

  test("floats with more than 6 significant digits are rounded, with a notice", () => {
    expectParse("lr=0.0123456789", { lr: 0.0123457 }, [
      /^lr=0\.0123456789 has more than 6 significant digits; using 0\.0123457$/,
    ]);
    expectParse("lr=0.009999999776482582", { lr: 0.01 }, [/using 0\.01$/]);
  });

  test("bool and list-of-ints settings parse (a table that uses them)", () => {
    const table = defineSettings([
      { key: "grid", type: "bool", default: false, effect: "page", description: "draw the velocity grid" },
      {
        key: "hidden",
        type: "ints",
        min: 1,
        max: 512,
        minLength: 1,
        maxLength: 6,
        default: [64, 64],
        effect: "model",
        description: "hidden widths",
      },
    ]);
    assert.deepEqual(parseHash("grid=true&hidden=32,16,8", table), {
      settings: { grid: true, hidden: [32, 16, 8] },
      notices: [],
    });
    assert.deepEqual(parseHash("grid=FALSE&hidden=+8+,+8", table).settings, { grid: false, hidden: [8, 8] });
    const bad = parseHash("grid=yes&hidden=1,2,3,4,5,6,7", table);
    assert.deepEqual(bad.settings, { grid: false, hidden: [64, 64] });
    assert.match(bad.notices[0], /^grid=yes is not true or false; using the default false$/);
    assert.match(bad.notices[1], /^hidden=1,2,3,4,5,6,7 has 7 entries, not 1 to 6; using the default 64,64$/);
    for (const [value, why] of [
      ["1,,2", /has , not a whole number/],
      ["1,x", /has x, not a whole number/],
      ["1,0", /has 0, not in \[1, 512\]/],
      ["1,2.5", /has 2\.5, not a whole number/],
      ["", /^hidden is empty/],
    ]) {
      const r = parseHash(`hidden=${value}`, table);
      assert.deepEqual(r.settings.hidden, [64, 64], value);
      assert.match(r.notices[0], why, value);
    }
    assert.equal(writeHash({ grid: true, hidden: [32, 16] }, table), "grid=true&hidden=32,16");
    assert.equal(writeHash({ grid: false, hidden: [64, 64] }, table), "");
    assert.deepEqual(parseHash(writeHash({ grid: true, hidden: [1, 512, 3] }, table), table).settings, {
      grid: true,
      hidden: [1, 512, 3],
    });
  });
});

describe("parseHash: bad values fall back to the default, with a notice", () => {
  test("a value that is not a number", () => {
    expectParse("lr=abc", {}, [/^lr=abc is not a number; using the default 0\.01$/]);
    expectParse("noise=abc", {}, [/^noise=abc is not a number; using the data set's default$/]);
  });

  test("an int that is not whole", () => {
    expectParse("width=64.5", {}, [/^width=64\.5 is not a whole number; using the default 64$/]);
  });

  test("an enum value not in the list", () => {
    expectParse("dataset=mnist", {}, [
      new RegExp(
        "^dataset=mnist is not one of moons, circles, 8gaussians, checkerboard, spirals, swissroll; " +
          "using the default moons$",
      ),
    ]);
    expectParse("view=notebook", {}, [/^view=notebook is not one of transport; using the default transport$/]);
  });

  test("every number just outside its range (the rule: out of range takes the default, never clamps)", () => {
    for (const r of SETTINGS.filter((r) => r.type === "int" || r.type === "float")) {
      const step = r.type === "int" ? 1 : 0.5;
      const below = r.minExclusive ? r.min : r.min - step;
      for (const bad of [below, r.max + step]) {
        const { settings, notices } = parseHash(`${r.key}=${bad}`);
        assert.deepEqual(settings, DEFAULTS, `${r.key}=${bad}`);
        assert.equal(notices.length, 1);
        assert.ok(notices[0].startsWith(`${r.key}=${bad} is not in `), notices[0]);
        const used = r.default === null ? "using the data set's default" : `using the default ${r.default}`;
        assert.ok(notices[0].endsWith(used), notices[0]);
      }
    }
    expectParse("batch=0", {}, [/^batch=0 is not in \[1, 8192\]; using the default 512$/]);
  });
});

describe("parseHash: hostile input gives defaults, a notice and no exception", () => {
  test("a hash over the length cap is ignored as a whole", () => {
    const long = `dataset=circles&lr=0.1&${"x".repeat(MAX_HASH_LENGTH)}`;
    expectParse(long, {}, [
      new RegExp(
        `^the URL hash is ${long.length} characters long, over the limit of ${MAX_HASH_LENGTH}; ` +
          "ignored it and used the defaults$",
      ),
    ]);
    expectParse(`#${"a=1&".repeat(3e5)}`, {}, [/over the limit/]);
    // Exactly at the cap is still read.
    const fill = `dataset=circles&pad=${"p".repeat(MAX_HASH_LENGTH - "dataset=circles&pad=".length)}`;
    assert.equal(fill.length, MAX_HASH_LENGTH);
    const r = parseHash(`#${fill}`);
    assert.equal(r.settings.dataset, "circles");
    assert.equal(r.notices.length, 1);
    assert.match(r.notices[0], /^unknown setting pad ignored$/);
  });

  test("% escapes that fail to decode, in a value or a key", () => {
    expectParse("lr=%E0%A4%A", {}, [/^lr=%E0%A4%A is not valid percent-encoding; using the default 0\.01$/]);
    expectParse("lr=%", {}, [/^lr=% is not valid percent-encoding/]);
    expectParse("seed=%zz&dataset=circles", { dataset: "circles" }, [/^seed=%zz is not valid/]);
    expectParse("%E0%A4%A=1&lr=0.5", { lr: 0.5 }, [
      /^the setting name %E0%A4%A is not valid percent-encoding; ignored$/,
    ]);
    expectParse("lr=%D8%00", {}, [/^lr=%D8%00 is not valid percent-encoding/]); // a cut UTF-8 sequence
    expectParse("lr=%01", {}, [/^lr=\\u\{1\} is not a number/]); // decodes, then fails
  });

  test("repeated keys: the last one wins, with a notice", () => {
    expectParse("dataset=circles&lr=0.1&dataset=spirals", { dataset: "spirals", lr: 0.1 }, [
      /^dataset is given 2 times; the last one \(spirals\) counts$/,
    ]);
    expectParse("lr=0.1&lr=abc", {}, [/given 2 times/, /^lr=abc is not a number; using the default 0\.01$/]);
    expectParse("lr=abc&lr=0.2&lr=0.3", { lr: 0.3 }, [/^lr is given 3 times; the last one \(0\.3\) counts$/]);
  });

  test("__proto__, constructor and other prototype names are unknown keys and pollute nothing", () => {
    const hash =
      "__proto__=1&constructor=2&prototype=3&toString=4&hasOwnProperty=5&__proto__[polluted]=6" +
      "&constructor.prototype.polluted=7&valueOf=8&__defineGetter__=9&dataset=__proto__&lr=constructor";
    const { settings, notices } = parseHash(hash);
    assert.deepEqual(settings, DEFAULTS);
    assert.deepEqual(Object.keys(settings), KEYS);
    assert.equal(Object.getPrototypeOf(settings), Object.prototype);
    assert.equal({}.polluted, undefined);
    assert.equal(Object.prototype.polluted, undefined);
    assert.equal(typeof {}.toString, "function");
    assert.equal(notices.length, 11);
    assert.match(notices[0], /^unknown setting __proto__ ignored$/);
    assert.match(notices[1], /^unknown setting constructor ignored$/);
    assert.match(notices[9], /^dataset=__proto__ is not one of/);
    assert.match(notices[10], /^lr=constructor is not a number/);
    // And the same through percent-encoding.
    expectParse("%5F%5Fproto%5F%5F=1", {}, [/^unknown setting __proto__ ignored$/]);
  });

  test("empty values and bare keys", () => {
    expectParse("lr=", {}, [/^lr is empty; using the default 0\.01$/]);
    expectParse("lr", {}, [/^lr is empty; using the default 0\.01$/]);
    expectParse("noise=", {}, [/^noise is empty; using the data set's default$/]);
    expectParse("lr=+++", {}, [/^lr is empty/]);
    expectParse("=", {}, []);
    expectParse("&&=&&", {}, []);
    expectParse("=0.5", {}, [/^a value without a setting name \(0\.5\) was ignored$/]);
  });

  test("'+' and spaces inside a value make it invalid", () => {
    expectParse("lr=0+.01", {}, [/^lr=0 \.01 is not a number/]);
    expectParse("dataset=swiss+roll", {}, [/^dataset=swiss roll is not one of/]);
    expectParse("seed=1%202", {}, [/^seed=1 2 is not a number/]);
  });

  test("NaN, Infinity and numbers too large for a double", () => {
    for (const bad of ["NaN", "nan", "Infinity", "-Infinity", "inf", "%2BInfinity"]) {
      expectParse(`lr=${bad}`, {}, [/ is not a number; using the default 0\.01$/]);
    }
    expectParse("lr=1e999", {}, [/^lr=1e999 is not a finite number; using the default 0\.01$/]);
    expectParse("ema=-1e999", {}, [/^ema=-1e999 is not a finite number/]);
    expectParse("seed=1e999", {}, [/^seed=1e999 is not a finite number/]);
    expectParse("seed=99999999999999999999", {}, [/^seed=99999999999999999999 is not in \[0, 2147483647\]/]);
    expectParse("lr=1e-999", {}, [/^lr=1e-999 is not in \(0, 1\]/]); // underflows to 0
  });

  test("hex, octal, binary and other non-decimal spellings", () => {
    const spellings = ["0x40", "0X40", "0o100", "0b1000000", "64px", "6_4", "1,000", "١٢", "64n", "--1"];
    spellings.push("1e", "e5", ".", "1..2", "1e1.5");
    for (const bad of spellings) {
      expectParse(`width=${encodeURIComponent(bad)}`, {}, [/^width=.* is not a number; using the default 64$/]);
    }
  });

  test("negative zero is read as plain 0, without a notice", () => {
    const { settings, notices } = parseHash("noise=-0&seed=-0.0&ema=-0e5");
    assert.deepEqual(notices, []);
    assert.ok(Object.is(settings.noise, 0));
    assert.ok(Object.is(settings.seed, 0));
    assert.ok(Object.is(settings.ema, 0));
    assert.equal(writeHash(settings), "noise=0&ema=0");
  });

  test("negative numbers below a range take the default", () => {
    expectParse("seed=-1", {}, [/^seed=-1 is not in \[0, 2147483647\]; using the default 0$/]);
  });

  test("unknown keys are ignored, with a spelling hint when only the case differs", () => {
    expectParse("foo=1&dataset=circles", { dataset: "circles" }, [/^unknown setting foo ignored$/]);
    expectParse("samplesteps=5&LR=0.1", {}, [
      /^unknown setting samplesteps ignored \(did you mean sampleSteps\?\)$/,
      /^unknown setting LR ignored \(did you mean lr\?\)$/,
    ]);
    expectParse("foo=1&foo=2", {}, [/^unknown setting foo ignored \(given 2 times\)$/]);
  });

  test("values in notices are cut short and invisible characters escaped, never interpreted", () => {
    const long = "a".repeat(1000);
    const [notice] = expectParse(`lr=${long}`, {}, [/is not a number/]);
    assert.equal(notice, `lr=${"a".repeat(DISPLAY_LENGTH)}… is not a number; using the default 0.01`);
    const [n2] = expectParse("dataset=%E2%80%AEevil%0Aline%00%1B[31m", {}, [/is not one of/]);
    assert.ok(n2.startsWith("dataset=\\u{202E}evil\\u{A}line\\u{0}\\u{1B}[31m is not one of"), n2);
    const [n3] = expectParse("dataset=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", {}, [/is not one of/]);
    assert.ok(n3.startsWith("dataset=<img src=x onerror=alert(1)> is not one of"), n3); // plain text
    const [n4] = expectParse("%E2%80%8Bfoo=1", {}, [/unknown setting/]);
    assert.equal(n4, "unknown setting \\u{200B}foo ignored");
    // Cutting never splits a character in two.
    const [n5] = expectParse(`dataset=${"%F0%9F%98%80".repeat(50)}`, {}, [/is not one of/]);
    assert.ok(n5.startsWith(`dataset=${"😀".repeat(DISPLAY_LENGTH)}… is`), n5);
  });

  test("many problems give at most MAX_NOTICES notices, the last one counting the rest", () => {
    const hash = Array.from({ length: 100 }, (_, i) => `bad${i}=1`).join("&");
    const { settings, notices } = parseHash(hash);
    assert.deepEqual(settings, DEFAULTS);
    assert.equal(notices.length, MAX_NOTICES);
    assert.match(notices[MAX_NOTICES - 2], /^unknown setting bad18 ignored$/);
    assert.equal(notices[MAX_NOTICES - 1], `…and ${100 - (MAX_NOTICES - 1)} more problems in the URL hash`);
  });

  test("random garbage never throws and always gives valid, writable settings", () => {
    const rand = prng(20240611);
    const alphabet = [..."&&&===%%%++#  .-e0123456789abcxyzALR_,;?/\\\"'<>\u0000\u202e😀é"];
    const pieces = [...KEYS, "__proto__", "constructor", "%E0", "%41", "%zz", "%F0%9F", "1e999", "NaN", "0x1f", "-0"];
    for (let i = 0; i < 2000; i++) {
      let hash = "";
      const len = Math.floor(rand() * 80);
      for (let j = 0; j < len; j++) {
        const from = rand() < 0.3 ? pieces : alphabet;
        hash += from[Math.floor(rand() * from.length)];
      }
      const { settings, notices } = parseHash(hash);
      assert.deepEqual(Object.keys(settings), KEYS, hash);
      assert.ok(notices.length <= MAX_NOTICES);
      assert.ok(notices.every((n) => typeof n === "string" && n.length > 0));
      const again = parseHash(writeHash(settings)); // every parsed result is valid
      assert.deepEqual(again, { settings, notices: [] }, hash);
    }
    assert.equal({}.polluted, undefined);
  });
});

describe("writeHash", () => {
  test("the defaults give an empty hash", () => {
    assert.equal(writeHash(DEFAULTS), "");
    assert.equal(writeHash(defaultSettings()), "");
    assert.equal(writeHash({}), "");
  });

  test("writes only what differs from the defaults, in the table's order whatever the object's order", () => {
    const s = { particles: 500, solver: "heun", seed: 3, lr: 0.003, dataset: "circles", view: "transport" };
    assert.equal(writeHash(s), "dataset=circles&lr=0.003&seed=3&solver=heun&particles=500");
    assert.equal(writeHash({ ...DEFAULTS, ...s }), "dataset=circles&lr=0.003&seed=3&solver=heun&particles=500");
  });

  test("noise is left out when null and written when set", () => {
    assert.equal(writeHash({ noise: null }), "");
    assert.equal(writeHash({ noise: 0 }), "noise=0");
    assert.equal(writeHash({ noise: 0.05 }), "noise=0.05");
  });

  test("numbers come out without float noise or a '+'", () => {
    assert.equal(writeHash({ lr: Math.fround(0.003) }), "lr=0.003");
    assert.equal(Math.fround(0.003) === 0.003, false);
    assert.equal(writeHash({ lr: Math.fround(0.01) }), "", "the f32 of the default is the default");
    assert.equal(writeHash({ lr: 0.1 + 0.2 }), "lr=0.3");
    assert.equal(writeHash({ ema: Math.fround(0.999) }), "");
    assert.equal(writeHash({ lr: 1e-7 }), "lr=1e-7");
    assert.equal(writeHash({ seed: 2147483647, steps: 100000 }), "seed=2147483647&steps=100000");
    const wide = defineSettings([
      { key: "big", type: "float", min: 0, max: 1e30, default: 1, effect: "page", description: "a big number" },
    ]);
    assert.equal(writeHash({ big: 2e25 }, wide), "big=2e25");
    assert.deepEqual(parseHash("big=2e25", wide).settings, { big: 2e25 });
  });

  test("ignores keys that are not settings", () => {
    assert.equal(writeHash({ foo: 1, __proto__: { lr: 0.5 }, dataset: "spirals" }), "dataset=spirals");
  });

  test("throws a RangeError naming the key and value for a value that is not allowed", () => {
    assert.throws(() => writeHash({ lr: 0 }), { name: "RangeError", message: /setting lr is 0, not in \(0, 1\]/ });
    assert.throws(() => writeHash({ lr: NaN }), /setting lr is NaN, not a finite number/);
    assert.throws(() => writeHash({ width: 64.5 }), /setting width is 64\.5, not a whole number/);
    assert.throws(() => writeHash({ dataset: "mnist" }), /setting dataset is "mnist", not one of/);
    assert.throws(() => writeHash({ batch: "512" }), /setting batch is "512", not a finite number/);
    assert.throws(() => writeHash({ seed: null }), /setting seed is null/);
    assert.throws(() => writeHash(null), TypeError);
  });

  test("parseHash(writeHash(s)) gives back s exactly, for many random valid settings", () => {
    const rand = prng(7);
    const hashes = new Set();
    for (let i = 0; i < 1000; i++) {
      const s = randomSettings(rand);
      const hash = writeHash(s);
      hashes.add(hash);
      const { settings, notices } = parseHash(`#${hash}`);
      assert.deepEqual(notices, [], hash);
      assert.deepEqual(settings, { ...DEFAULTS, ...s }, hash);
      assert.equal(writeHash(settings), hash, "canonical: writing again gives the same hash");
      const order = hash === "" ? [] : hash.split("&").map((p) => p.split("=")[0]);
      assert.deepEqual(order, KEYS.filter((k) => order.includes(k)), "table order");
    }
    assert.ok(hashes.size > 990, "the random settings really vary");
  });
});

describe("toPipelineConfig", () => {
  test("the defaults map to the engine's config", () => {
    assert.deepEqual(toPipelineConfig(DEFAULTS), {
      dataset: "moons",
      hidden: [64, 64, 64],
      activation: "silu",
      optimizer: "adam",
      lr: 0.01,
      schedule: "cosine",
      scheduleSteps: 3000,
      lrFloor: 0.01,
      ema: 0.999,
      batch: 512,
      seed: 0,
    });
    assert.deepEqual(toPipelineConfig({}), toPipelineConfig(DEFAULTS));
  });

  test("a custom setting, with noise", () => {
    const { settings } = parseHash(
      "dataset=checkerboard&noise=0.1&width=32&depth=5&activation=relu&lr=0.002&schedule=constant&ema=0" +
        "&batch=128&seed=42&steps=800&solver=rk4",
    );
    assert.deepEqual(toPipelineConfig(settings), {
      dataset: "checkerboard",
      noise: 0.1,
      hidden: [32, 32, 32, 32, 32],
      activation: "relu",
      optimizer: "adam",
      lr: 0.002,
      schedule: "constant",
      scheduleSteps: 800,
      lrFloor: 0.01,
      ema: 0,
      batch: 128,
      seed: 42,
    });
  });

  test("uses only fields the engine's Config has (it rejects unknown ones)", () => {
    const source = readFileSync(new URL("../../crate/src/pipeline/config.rs", import.meta.url), "utf8");
    const body = source.match(/pub struct Config \{([\s\S]*?)\n\}/)[1];
    const fields = [...body.matchAll(/pub (\w+):/g)].map((m) => m[1].replace(/_(\w)/g, (_, c) => c.toUpperCase()));
    assert.ok(fields.includes("scheduleSteps"), `parsed the engine's fields: ${fields}`);
    const config = toPipelineConfig({ noise: 0.3 });
    for (const key of Object.keys(config)) assert.ok(fields.includes(key), `engine Config has ${key}`);
  });

  test("throws on invalid settings, and returns a fresh hidden array each time", () => {
    assert.throws(() => toPipelineConfig({ depth: 0 }), /setting depth is 0/);
    const a = toPipelineConfig({});
    a.hidden.push(1);
    assert.deepEqual(toPipelineConfig({}).hidden, [64, 64, 64]);
  });
});

describe("diffSettings", () => {
  test("equal settings differ in nothing", () => {
    assert.deepEqual(diffSettings(DEFAULTS, defaultSettings()), []);
    assert.deepEqual(diffSettings({}, DEFAULTS), []);
  });

  test("lists the changed keys in the table's order", () => {
    const b = { ...DEFAULTS, particles: 500, dataset: "circles", noise: 0.1 };
    assert.deepEqual(diffSettings(DEFAULTS, b), ["dataset", "noise", "particles"]);
    assert.deepEqual(diffSettings(b, DEFAULTS), ["dataset", "noise", "particles"]);
    assert.deepEqual(diffSettings({ lr: 0.1 }, { lr: 0.1 }), []);
  });

  test("tells a change needing a new model from one needing only a resample", () => {
    const resample = diffSettings(DEFAULTS, { ...DEFAULTS, solver: "rk4", sampleSteps: 10 });
    assert.ok(resample.every((k) => SAMPLING_KEYS.includes(k)) && !resample.some((k) => MODEL_KEYS.includes(k)));
    const retrain = diffSettings(DEFAULTS, { ...DEFAULTS, width: 32, solver: "rk4" });
    assert.ok(retrain.some((k) => MODEL_KEYS.includes(k)));
  });

  test("compares lists by their entries", () => {
    const table = defineSettings([
      {
        key: "hidden",
        type: "ints",
        min: 1,
        max: 9,
        minLength: 1,
        maxLength: 4,
        default: [2],
        effect: "model",
        description: "widths",
      },
    ]);
    assert.deepEqual(diffSettings({ hidden: [3, 4] }, { hidden: [3, 4] }, table), []);
    assert.deepEqual(diffSettings({ hidden: [3, 4] }, { hidden: [3, 5] }, table), ["hidden"]);
  });
});
