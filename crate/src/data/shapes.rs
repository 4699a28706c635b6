//! The flow literature's toy shapes: 8 gaussians, checkerboard, spirals, swiss roll.
//!
//! Each fill places `n = out.len() / 2` independent points in `out`: (n, 2) row-major and their
//! labels in `labels`: (n,); the caller checks the buffers and adds the noise.

use super::sin_cos_any_angle;
use crate::rng::{self, Rng};
use std::f32::consts::{FRAC_1_SQRT_2, PI};

/// Radius of the circle the 8 gaussians sit on (FFJORD's 4 / sqrt 2 = 2.83 would put the
/// tails outside the lab's [-3, 3] axes).
const GAUSSIANS_RADIUS: f32 = 2.0;

/// Angle where the spirals end: 1.5 turns, as FFJORD's `2spirals` (540 degrees).
const SPIRAL_END_ANGLE: f32 = 3.0 * PI;

/// Distance from the origin where the spirals end, so they fit the [-3, 3] axes with noise.
const SPIRAL_RADIUS: f32 = 2.75;

/// scikit-learn's swiss roll reaches radius 4.5 pi = 14.1; dividing by 5 (as FFJORD does)
/// brings that to 2.83.
const SWISS_ROLL_SCALE: f32 = 5.0;

/// How many equal stretches of the roll's parameter the swiss roll labels name.
pub(super) const SWISS_ROLL_STRETCHES: u32 = 8;

/// Unit vectors at angles k pi / 4, exact (no trigonometry needed).
const EIGHT_DIRECTIONS: [[f32; 2]; 8] = [
    [1.0, 0.0],
    [FRAC_1_SQRT_2, FRAC_1_SQRT_2],
    [0.0, 1.0],
    [-FRAC_1_SQRT_2, FRAC_1_SQRT_2],
    [-1.0, 0.0],
    [-FRAC_1_SQRT_2, -FRAC_1_SQRT_2],
    [0.0, -1.0],
    [FRAC_1_SQRT_2, -FRAC_1_SQRT_2],
];

/// Centres of the 8 gaussians, label k at angle k pi / 4; the spread is the noise.
pub(super) fn fill_eight_gaussians(rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let k = rng::below(rng, EIGHT_DIRECTIONS.len());
        let [dx, dy] = EIGHT_DIRECTIONS.get(k).copied().unwrap_or([1.0, 0.0]);
        row[0] = GAUSSIANS_RADIUS * dx;
        row[1] = GAUSSIANS_RADIUS * dy;
        set_label(labels.as_deref_mut(), i, k as u32);
    }
}

/// Uniform on the 8 dark squares of the unit-square board on [-2, 2]^2, the squares whose
/// column + row is even (FFJORD's choice). Label k: row k / 2 from the bottom, column
/// 2 (k % 2) + row % 2 from the left.
pub(super) fn fill_checkerboard(rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let k = rng::below(rng, 8);
        let board_row = k / 2;
        let board_col = 2 * (k % 2) + board_row % 2;
        row[0] = -2.0 + board_col as f32 + rng::uniform(rng);
        row[1] = -2.0 + board_row as f32 + rng::uniform(rng);
        set_label(labels.as_deref_mut(), i, k as u32);
    }
}

/// Two spirals, the second the first turned by half a turn. Along a spiral the angle is
/// `SPIRAL_END_ANGLE * sqrt(u)`, as in FFJORD, so points spread evenly along its length.
pub(super) fn fill_spirals(rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let spiral = rng::below(rng, 2);
        let angle = SPIRAL_END_ANGLE * rng::uniform(rng).sqrt();
        let radius = SPIRAL_RADIUS * angle / SPIRAL_END_ANGLE;
        let (s, c) = sin_cos_any_angle(angle);
        let sign = if spiral == 0 { 1.0 } else { -1.0 };
        row[0] = -sign * radius * c;
        row[1] = sign * radius * s;
        set_label(labels.as_deref_mut(), i, spiral as u32);
    }
}

/// scikit-learn's `make_swiss_roll` without its height axis: `(t cos t, t sin t) / 5` with
/// `t = 1.5 pi (1 + 2 u)`. Label = which of the 8 equal stretches of `u` the point is on.
pub(super) fn fill_swiss_roll(rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let u = rng::uniform(rng);
        let t = 1.5 * PI * (1.0 + 2.0 * u);
        let (s, c) = sin_cos_any_angle(t);
        row[0] = t * c / SWISS_ROLL_SCALE;
        row[1] = t * s / SWISS_ROLL_SCALE;
        // u < 1, so the stretch is below SWISS_ROLL_STRETCHES; min() guards rounding
        let stretch = ((u * SWISS_ROLL_STRETCHES as f32) as u32).min(SWISS_ROLL_STRETCHES - 1);
        set_label(labels.as_deref_mut(), i, stretch);
    }
}

/// Writes `label` for point `i` if labels are wanted.
fn set_label(labels: Option<&mut [u32]>, i: usize, label: u32) {
    if let Some(slot) = labels.and_then(|l| l.get_mut(i)) {
        *slot = label;
    }
}

#[cfg(test)]
mod tests {
    use super::super::Dataset;
    use crate::rng::seeded;

    fn noiseless(data: Dataset) -> (Vec<f32>, Vec<u32>) {
        data.sample(4000, 0.0, &mut seeded(11)).unwrap()
    }

    #[test]
    fn noiseless_eight_gaussians_sit_on_their_centres() {
        let (x, labels) = noiseless(Dataset::EightGaussians);
        for (row, &k) in x.chunks_exact(2).zip(&labels) {
            let a = std::f64::consts::FRAC_PI_4 * k as f64;
            assert!((row[0] as f64 - 2.0 * a.cos()).abs() < 1e-6);
            assert!((row[1] as f64 - 2.0 * a.sin()).abs() < 1e-6);
        }
    }

    #[test]
    fn eight_gaussians_spread_is_the_noise() {
        let noise = 0.3;
        let (x, labels) = Dataset::EightGaussians
            .sample(40_000, noise, &mut seeded(12))
            .unwrap();
        let mut sum_sq = 0.0f64;
        for (row, &k) in x.chunks_exact(2).zip(&labels) {
            let a = std::f64::consts::FRAC_PI_4 * k as f64;
            sum_sq += (row[0] as f64 - 2.0 * a.cos()).powi(2);
            sum_sq += (row[1] as f64 - 2.0 * a.sin()).powi(2);
        }
        let std = (sum_sq / x.len() as f64).sqrt();
        assert!((std - noise as f64).abs() < 0.005, "std {std}");
    }

    #[test]
    fn noiseless_checkerboard_points_fall_in_their_dark_square() {
        let (x, labels) = noiseless(Dataset::Checkerboard);
        for (row, &k) in x.chunks_exact(2).zip(&labels) {
            let col = (row[0] + 2.0).floor() as i32;
            let board_row = (row[1] + 2.0).floor() as i32;
            assert!((0..4).contains(&col) && (0..4).contains(&board_row));
            assert_eq!((col + board_row) % 2, 0, "light square at {row:?}");
            assert_eq!(board_row, k as i32 / 2);
        }
    }

    #[test]
    fn noiseless_spirals_are_point_mirrors_of_each_other() {
        let (x, labels) = noiseless(Dataset::Spirals);
        for (row, &spiral) in x.chunks_exact(2).zip(&labels) {
            // undo the half turn for spiral 1, then the point must lie on spiral 0
            let sign = if spiral == 0 { 1.0 } else { -1.0 };
            let (px, py) = (sign * row[0] as f64, sign * row[1] as f64);
            let radius = px.hypot(py);
            let angle = radius / 2.75 * 3.0 * std::f64::consts::PI;
            let want = (-radius * angle.cos(), radius * angle.sin());
            assert!((px - want.0).abs() < 1e-4 && (py - want.1).abs() < 1e-4);
        }
    }

    #[test]
    fn noiseless_swiss_roll_radius_grows_with_the_stretch() {
        let (x, labels) = noiseless(Dataset::SwissRoll);
        for (row, &stretch) in x.chunks_exact(2).zip(&labels) {
            let radius = (row[0] as f64).hypot(row[1] as f64);
            // radius = t / 5 with t = 1.5 pi (1 + 2 u), u in [stretch / 8, (stretch + 1) / 8)
            let t_lo = 1.5 * std::f64::consts::PI * (1.0 + 2.0 * stretch as f64 / 8.0);
            let t_hi = 1.5 * std::f64::consts::PI * (1.0 + 2.0 * (stretch + 1) as f64 / 8.0);
            assert!(radius >= t_lo / 5.0 - 1e-5 && radius <= t_hi / 5.0 + 1e-5);
        }
    }
}
