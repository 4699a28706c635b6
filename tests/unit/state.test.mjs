// www/js/state.js: the settings table, the URL hash read and written both ways, the engine config.
// Pure functions, so plain node runs them: `node --test tests/unit/`. Hostile hashes are in
// state-hostile.test.mjs.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
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
import { DEFAULTS, KEYS, expectParse, prng, randomSettings, row } from "./state-helpers.mjs";

describe("the settings table", () => {
  test("lists every setting of the Transport view with a type, default and description", () => {
    assert.deepEqual(KEYS, [
      "view",
      "mode",
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
      mode: null,
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
    expectParse("view=notebook", {}, [/^view=notebook is not one of transport, density, lecture, compare; using the default transport$/]);
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
