// www/js/state.js under hostile input: whatever a link holds, parseHash gives the defaults, a
// notice and no exception, and nothing in it is evaluated.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DISPLAY_LENGTH,
  MAX_HASH_LENGTH,
  MAX_NOTICES,
  parseHash,
  writeHash,
} from "../../www/js/state.js";
import { DEFAULTS, KEYS, expectParse, prng } from "./state-helpers.mjs";

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

