// Unit tests for the pure helpers of www/js/plots.js (ticks, layout, trajectory reading, loss
// smoothing and thinning). No browser: run with `node --test tests/unit/`.

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  MINUS,
  PALETTE,
  bucketMeans,
  decimateMinMax,
  emaSmooth,
  formatLogTick,
  formatTick,
  groupByLabel,
  interpolateState,
  logTicks,
  niceStep,
  niceTicks,
  panelGrid,
  pointLimits,
  stateIndex,
  suggestHeight,
  timePanelIndices,
  trailAlpha,
} from "../../www/js/plots.js";

/** Whether every value is a multiple of `step` (to rounding). */
function allMultiplesOf(values, step) {
  return values.every((v) => Math.abs(v / step - Math.round(v / step)) < 1e-9);
}

test("niceTicks_covers_0_to_1_in_steps_of_0.2", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test("niceTicks_prints_exact_decimals_not_float_noise", () => {
  const ticks = niceTicks(0.1, 0.7, 6);
  assert.deepEqual(ticks, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  assert.ok(ticks.every((v) => String(v).length <= 3), `noisy tick in ${ticks}`);
});

test("niceTicks_stay_inside_the_range_and_use_1_2_5_steps", () => {
  for (const [lo, hi, count] of [[-3, 3, 5], [-2.7, 3.1, 4], [0.013, 0.087, 5], [-1234, 98765, 6], [1e-6, 5e-6, 4], [0, 100000, 5]]) {
    const ticks = niceTicks(lo, hi, count);
    assert.ok(ticks.length >= 2, `too few ticks for [${lo}, ${hi}]: ${ticks}`);
    assert.ok(ticks.every((v) => v >= lo - 1e-12 && v <= hi + 1e-12), `tick outside [${lo}, ${hi}]: ${ticks}`);
    const step = ticks[1] - ticks[0];
    const mantissa = Math.round(step / 10 ** Math.floor(Math.log10(step)));
    assert.ok([1, 2, 5].includes(mantissa), `step ${step} is not 1, 2 or 5 x 10^k`);
    assert.ok(allMultiplesOf(ticks, step), `ticks not multiples of ${step}: ${ticks}`);
    for (let i = 1; i < ticks.length; i++) assert.ok(Math.abs(ticks[i] - ticks[i - 1] - step) < step * 1e-9);
  }
});

test("niceTicks_count_roughly_follows_the_request", () => {
  for (const count of [2, 4, 6, 10]) {
    const n = niceTicks(0, 7.3, count).length;
    assert.ok(n >= count / 2 && n <= 2 * count + 1, `asked ${count}, got ${n}`);
  }
});

test("niceTicks_handles_reversed_degenerate_and_non_finite_ranges", () => {
  assert.deepEqual(niceTicks(1, 0, 5), niceTicks(0, 1, 5));
  assert.deepEqual(niceTicks(2, 2), [2]);
  assert.deepEqual(niceTicks(NaN, 1), []);
  assert.deepEqual(niceTicks(0, Infinity), []);
  assert.ok(!niceTicks(-1, 1).some((v) => Object.is(v, -0)), "a -0 tick would print as -0");
});

test("niceStep_picks_the_nearest_of_1_2_5", () => {
  assert.equal(niceStep(1.2), 1);
  assert.equal(niceStep(1.5), 2);
  assert.equal(niceStep(3.3), 5);
  assert.equal(niceStep(8), 10);
  assert.equal(niceStep(0.03), 0.02);
  assert.equal(niceStep(4000), 5000);
});

test("logTicks_gives_decades_for_wide_ranges", () => {
  assert.deepEqual(logTicks(1e-3, 10), [0.001, 0.01, 0.1, 1, 10]);
  assert.deepEqual(logTicks(0.05, 2000), [0.1, 1, 10, 100, 1000]);
});

test("logTicks_thins_decades_over_many_orders", () => {
  const ticks = logTicks(1e-8, 1e8);
  assert.ok(ticks.length <= 10, `${ticks.length} ticks`);
  assert.ok(ticks.includes(1));
  const exps = ticks.map((v) => Math.round(Math.log10(v)));
  for (let i = 1; i < exps.length; i++) assert.equal(exps[i] - exps[i - 1], exps[1] - exps[0]);
});

test("logTicks_adds_2_and_5_between_decades_over_short_ranges", () => {
  assert.deepEqual(logTicks(0.02, 3), [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]);
});

test("logTicks_uses_every_digit_inside_one_decade", () => {
  assert.deepEqual(logTicks(0.5, 3), [0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3]);
});

test("logTicks_falls_back_to_linear_ticks_when_the_range_is_tiny", () => {
  const ticks = logTicks(1.1, 1.9);
  assert.ok(ticks.length >= 2, `${ticks}`);
  assert.ok(ticks.every((v) => v >= 1.1 && v <= 1.9), `${ticks}`);
});

test("logTicks_respects_max_count_by_moving_to_sparser_sets", () => {
  assert.deepEqual(logTicks(0.5, 3, 4), [0.5, 1, 2]);
  assert.ok(logTicks(1e-3, 10, 3).length <= 3);
  for (const [lo, hi] of [[0.3, 40], [1e-4, 1], [0.8, 9]]) {
    for (const max of [2, 3, 5, 8]) {
      const ticks = logTicks(lo, hi, max);
      assert.ok(ticks.length <= max && ticks.length >= 1, `[${lo}, ${hi}] max ${max}: ${ticks}`);
      assert.ok(ticks.every((v) => v >= lo && v <= hi));
    }
  }
});

test("logTicks_rejects_non_positive_ranges", () => {
  assert.deepEqual(logTicks(0, 10), []);
  assert.deepEqual(logTicks(-1, 10), []);
  assert.deepEqual(logTicks(1, NaN), []);
});

test("formatTick_shows_just_enough_decimals", () => {
  assert.equal(formatTick(0.5, 0.5), "0.5");
  assert.equal(formatTick(1, 0.5), "1.0");
  assert.equal(formatTick(2, 1), "2");
  assert.equal(formatTick(0.25, 0.25), "0.25");
  assert.equal(formatTick(0.3, 0.1), "0.3");
  assert.equal(formatTick(0.1 + 0.2, 0.1), "0.3");
  assert.equal(formatTick(1500, 500), "1500");
});

test("formatTick_uses_a_true_minus_and_never_prints_minus_zero", () => {
  assert.equal(formatTick(-2, 1), `${MINUS}2`);
  assert.equal(formatTick(-0, 1), "0");
  assert.equal(formatTick(-1e-17, 0.5), "0.0");
});

test("formatTick_abbreviates_thousands_and_millions_of_iterations", () => {
  assert.equal(formatTick(20000, 10000), "20k");
  assert.equal(formatTick(2500, 500), "2500");
  assert.equal(formatTick(2500, 2500), "2.5k");
  assert.equal(formatTick(3000000, 1000000), "3M");
  assert.equal(formatTick(0, 10000), "0");
});

test("formatTick_writes_tiny_values_as_powers_of_ten", () => {
  assert.equal(formatTick(1e-5, 1e-5), "10\u207b\u2075");
  assert.equal(formatTick(2e-5, 1e-5), "2\u00d710\u207b\u2075");
});

test("formatLogTick_reads_plainly_between_a_thousandth_and_ten_thousand", () => {
  assert.equal(formatLogTick(0.001), "0.001");
  assert.equal(formatLogTick(0.5), "0.5");
  assert.equal(formatLogTick(1), "1");
  assert.equal(formatLogTick(200), "200");
  assert.equal(formatLogTick(1.15), "1.15");
  assert.equal(formatLogTick(1e-5), "10\u207b\u2075");
  assert.equal(formatLogTick(2e6), "2\u00d710\u2076");
});

test("panelGrid_lays_cells_out_row_major_with_gaps_and_margins", () => {
  const cells = panelGrid({ width: 410, height: 210 }, 2, 4, { gap: 10, margin: 5 });
  assert.equal(cells.length, 8);
  // (410 - 2*5 - 3*10) / 4 = 92.5 wide, (210 - 2*5 - 10) / 2 = 95 tall
  assert.deepEqual(cells[0], { x: 5, y: 5, width: 92.5, height: 95 });
  assert.deepEqual(cells[1], { x: 107.5, y: 5, width: 92.5, height: 95 });
  assert.deepEqual(cells[4], { x: 5, y: 110, width: 92.5, height: 95 });
  const last = cells[7];
  assert.equal(last.x + last.width, 405);
  assert.equal(last.y + last.height, 205);
});

test("panelGrid_takes_per_side_margins", () => {
  const [cell] = panelGrid({ width: 100, height: 80 }, 1, 1, { gap: 0, margin: { left: 30, bottom: 20, top: 2, right: 8 } });
  assert.deepEqual(cell, { x: 30, y: 2, width: 62, height: 58 });
});

test("panelGrid_never_returns_negative_sizes", () => {
  const cells = panelGrid({ width: 10, height: 10 }, 3, 3, { gap: 8 });
  assert.equal(cells.length, 9);
  assert.ok(cells.every((c) => c.width === 0 && c.height === 0));
  assert.deepEqual(panelGrid({ width: 100, height: 100 }, 0, 3), []);
});

test("timePanelIndices_matches_the_lab_for_100_steps", () => {
  // round(k * 100 / 7), k = 0..7
  assert.deepEqual(timePanelIndices(100, 8), [0, 14, 29, 43, 57, 71, 86, 100]);
});

test("timePanelIndices_starts_at_0_ends_at_steps_and_never_decreases", () => {
  for (const steps of [1, 7, 10, 50, 1000]) {
    for (const panels of [2, 3, 8]) {
      const idx = timePanelIndices(steps, panels);
      assert.equal(idx.length, panels);
      assert.equal(idx[0], 0);
      assert.equal(idx.at(-1), steps);
      for (let i = 1; i < idx.length; i++) assert.ok(idx[i] >= idx[i - 1]);
    }
  }
  assert.deepEqual(timePanelIndices(7, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(timePanelIndices(100, 1), [100]);
});

test("stateIndex_splits_t_into_a_stored_state_and_a_fraction", () => {
  assert.deepEqual(stateIndex(0, 100), { i0: 0, i1: 1, frac: 0 });
  assert.deepEqual(stateIndex(1, 100), { i0: 100, i1: 100, frac: 0 });
  const mid = stateIndex(0.425, 100);
  assert.equal(mid.i0, 42);
  assert.equal(mid.i1, 43);
  assert.ok(Math.abs(mid.frac - 0.5) < 1e-9);
});

test("stateIndex_clamps_t_outside_0_1_and_reads_nan_as_0", () => {
  assert.deepEqual(stateIndex(-0.3, 10), { i0: 0, i1: 1, frac: 0 });
  assert.deepEqual(stateIndex(1.7, 10), { i0: 10, i1: 10, frac: 0 });
  assert.deepEqual(stateIndex(NaN, 10), { i0: 0, i1: 1, frac: 0 });
  assert.deepEqual(stateIndex(0.5, 0), { i0: 0, i1: 0, frac: 0 });
});

/** A (steps + 1, n, 2) trajectory where particle i at state s sits at (s + i, 10 s - i). */
function rampTrajectory(n, steps) {
  const traj = new Float32Array((steps + 1) * n * 2);
  for (let s = 0; s <= steps; s++) {
    for (let i = 0; i < n; i++) {
      traj[(s * n + i) * 2] = s + i;
      traj[(s * n + i) * 2 + 1] = 10 * s - i;
    }
  }
  return traj;
}

test("interpolateState_returns_stored_states_at_their_times", () => {
  const n = 3;
  const steps = 4;
  const traj = rampTrajectory(n, steps);
  for (let s = 0; s <= steps; s++) {
    assert.deepEqual([...interpolateState(traj, n, steps, s / steps)], [...traj.subarray(s * 2 * n, (s + 1) * 2 * n)]);
  }
});

test("interpolateState_interpolates_linearly_between_states", () => {
  const n = 2;
  const steps = 4;
  const traj = rampTrajectory(n, steps);
  // t = 0.3 -> t * steps = 1.2: state 1.2 -> x = 1.2 + i, y = 12 - i.
  const out = interpolateState(traj, n, steps, 0.3);
  const expected = [1.2, 12, 2.2, 11];
  expected.forEach((v, j) => assert.ok(Math.abs(out[j] - v) < 1e-5, `out[${j}] = ${out[j]}, want ${v}`));
});

test("interpolateState_writes_into_the_buffer_it_is_given", () => {
  const traj = rampTrajectory(5, 3);
  const buf = new Float32Array(10);
  assert.equal(interpolateState(traj, 5, 3, 0.5, buf), buf);
  assert.notEqual(interpolateState(traj, 5, 3, 0.5, new Float32Array(4)).length, 4); // too short: a new one
});

test("emaSmooth_is_bias_corrected_so_it_starts_at_the_first_value", () => {
  const out = emaSmooth([4, 4, 4, 4], 0.9);
  for (const v of out) assert.ok(Math.abs(v - 4) < 1e-12, `${out}`);
  assert.equal(emaSmooth([3, 1], 0.99)[0], 3);
});

test("emaSmooth_matches_tensorboards_formula", () => {
  const values = [1, 3, 2, 5, 4];
  const s = 0.6;
  let last = 0;
  const expected = values.map((v, i) => {
    last = last * s + (1 - s) * v;
    return last / (1 - s ** (i + 1));
  });
  const got = emaSmooth(values, s);
  expected.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-12, `at ${i}: ${got[i]} vs ${v}`));
});

test("emaSmooth_with_zero_smoothing_returns_the_values", () => {
  assert.deepEqual([...emaSmooth([1, 5, 2], 0)], [1, 5, 2]);
});

test("emaSmooth_skips_non_finite_values", () => {
  const out = emaSmooth([NaN, 2, Infinity, 2], 0.5);
  assert.ok(Number.isNaN(out[0]));
  assert.equal(out[1], 2);
  assert.equal(out[2], 2);
  assert.equal(out[3], 2);
});

test("decimateMinMax_keeps_short_series_whole", () => {
  assert.deepEqual([...decimateMinMax([5, 1, 4], 10)], [0, 1, 2]);
  assert.deepEqual([...decimateMinMax([], 10)], []);
});

test("decimateMinMax_keeps_every_spike_of_a_long_series", () => {
  const n = 100000;
  const values = new Float32Array(n).fill(1);
  values[12345] = 50; // spike up
  values[77777] = 0.01; // spike down
  const idx = decimateMinMax(values, 300);
  assert.ok(idx.length <= 600, `${idx.length} indices`);
  assert.ok(idx.includes(12345) && idx.includes(77777));
  for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1], "indices must increase");
});

test("decimateMinMax_ignores_non_finite_values", () => {
  const values = new Float32Array(1000).fill(NaN);
  values[500] = 2;
  assert.deepEqual([...decimateMinMax(values, 10)], [500]);
});

test("bucketMeans_averages_runs_of_a_long_series", () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => i);
  const { index, value } = bucketMeans(values, 10);
  assert.equal(index.length, 10);
  assert.equal(index[0], 49.5);
  assert.equal(value[0], 49.5);
  assert.equal(value[9], 949.5);
});

test("bucketMeans_keeps_short_series_whole_and_skips_non_finite_values", () => {
  const { index, value } = bucketMeans([1, NaN, 3], 10);
  assert.deepEqual([...index], [0, 2]);
  assert.deepEqual([...value], [1, 3]);
});

test("pointLimits_pads_the_data_range", () => {
  const pts = new Float32Array([0, 0, 10, 5]);
  const [x0, x1, y0, y1] = pointLimits([pts], { pad: 0.1, quantile: 0 });
  assert.deepEqual([x0, x1, y0, y1], [-1, 11, -0.5, 5.5]);
});

test("pointLimits_is_not_stretched_by_a_stray_sample", () => {
  const pts = new Float32Array(2 * 1000);
  for (let i = 0; i < 1000; i++) (pts[2 * i] = (i % 10) / 10), (pts[2 * i + 1] = (i % 7) / 7);
  pts[0] = 1e6;
  const [, x1] = pointLimits([pts]);
  assert.ok(x1 < 2, `x max ${x1}`);
});

test("pointLimits_has_a_default_for_empty_input", () => {
  assert.deepEqual(pointLimits([new Float32Array(0), null]), [-1, 1, -1, 1]);
  const [x0, x1] = pointLimits([new Float32Array([2, 2])]);
  assert.ok(x0 < 2 && x1 > 2);
});

test("groupByLabel_groups_indices_by_colour_in_index_order", () => {
  const labels = new Uint32Array([1, 0, 2, 1, 0, 9]); // 9 % 8 = 1
  const order = new Uint32Array(6);
  const offsets = new Uint32Array(9);
  groupByLabel(labels, 6, 8, order, offsets);
  assert.deepEqual([...order], [1, 4, 0, 3, 5, 2]);
  assert.deepEqual([...offsets.subarray(0, 4)], [0, 2, 5, 6]);
  assert.equal(offsets[8], 6);
});

test("trailAlpha_fades_linearly_to_zero_at_the_trail_length", () => {
  assert.equal(trailAlpha(0, 12), 1);
  assert.equal(trailAlpha(6, 12), 0.5);
  assert.equal(trailAlpha(12, 12), 0);
  assert.equal(trailAlpha(20, 12), 0);
  assert.equal(trailAlpha(1, 0), 0);
});

test("palette_has_eight_distinct_css_colours", () => {
  assert.ok(PALETTE.length >= 8);
  assert.equal(new Set(PALETTE).size, PALETTE.length);
  assert.ok(PALETTE.every((c) => /^#[0-9a-f]{6}$/i.test(c)));
});

test("suggestHeight_stacks_panels_on_narrow_canvases", () => {
  assert.ok(suggestHeight("timePanels", 390) > suggestHeight("timePanels", 1200) / 2);
  assert.ok(suggestHeight("dataVsGenerated", 390) > 390);
  assert.ok(suggestHeight("dataVsGenerated", 1200) < 600);
});
