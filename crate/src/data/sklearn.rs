//! scikit-learn's `make_moons` and `make_circles`, built exactly as scikit-learn builds them.
//!
//! Same construction, same counts, same evenly spaced angles, same label convention, same
//! order of steps (place, shuffle, add noise); only the random stream differs (flowlab's
//! seeded generator instead of NumPy's), so noiseless unshuffled points match to float
//! precision.

use super::{check_buffers, check_count, check_noise, shuffle_rows, DataError};
use crate::mathf;
use crate::rng::Rng;

/// `make_moons(n, noise, shuffle)`: `n / 2` points on the outer moon (label 0), the rest on
/// the inner one (label 1). Returns (points (n, 2) row-major, labels (n,)).
///
/// `1 <= n <= MAX_POINTS`; `noise`: std of the gaussian noise per coordinate, finite, `>= 0`.
pub fn make_moons(
    n: usize,
    noise: f32,
    shuffle: bool,
    rng: &mut Rng,
) -> Result<(Vec<f32>, Vec<u32>), DataError> {
    check_count(n)?;
    check_noise(noise)?;
    let mut out = vec![0.0f32; 2 * n];
    let mut labels = vec![0u32; n];
    fill_moons(noise, shuffle, rng, &mut out, Some(&mut labels))?;
    Ok((out, labels))
}

/// [`make_moons`] into caller buffers, no allocation. `out`: (n, 2) row-major; `labels`: (n,).
pub fn fill_moons(
    noise: f32,
    shuffle: bool,
    rng: &mut Rng,
    out: &mut [f32],
    labels: Option<&mut [u32]>,
) -> Result<(), DataError> {
    check_buffers(noise, out, labels.as_deref())?;
    fill_moons_checked(noise, shuffle, rng, out, labels);
    Ok(())
}

/// `make_circles(n, noise, factor, shuffle)`: `n / 2` points on the unit circle (label 0), the
/// rest on the circle of radius `factor` (label 1), angles evenly spaced on [0, 2 pi) without
/// the end point. Returns (points (n, 2) row-major, labels (n,)).
///
/// `1 <= n <= MAX_POINTS`; `noise` as in [`make_moons`]; `factor` in [0, 1) (scikit-learn's
/// default is 0.8, flowlab's `circles` dataset uses 0.5).
pub fn make_circles(
    n: usize,
    noise: f32,
    factor: f32,
    shuffle: bool,
    rng: &mut Rng,
) -> Result<(Vec<f32>, Vec<u32>), DataError> {
    check_count(n)?;
    check_noise(noise)?;
    check_factor(factor)?;
    let mut out = vec![0.0f32; 2 * n];
    let mut labels = vec![0u32; n];
    fill_circles(noise, factor, shuffle, rng, &mut out, Some(&mut labels))?;
    Ok((out, labels))
}

/// [`make_circles`] into caller buffers, no allocation. `out`: (n, 2) row-major; `labels`: (n,).
pub fn fill_circles(
    noise: f32,
    factor: f32,
    shuffle: bool,
    rng: &mut Rng,
    out: &mut [f32],
    labels: Option<&mut [u32]>,
) -> Result<(), DataError> {
    check_factor(factor)?;
    check_buffers(noise, out, labels.as_deref())?;
    fill_circles_checked(noise, factor, shuffle, rng, out, labels);
    Ok(())
}

/// Checks `factor` against scikit-learn's [0, 1).
fn check_factor(factor: f32) -> Result<(), DataError> {
    if (0.0..1.0).contains(&factor) {
        Ok(())
    } else {
        Err(DataError::InvalidFactor { factor })
    }
}

/// [`fill_moons`] after the buffers were checked.
pub(super) fn fill_moons_checked(
    noise: f32,
    shuffle: bool,
    rng: &mut Rng,
    out: &mut [f32],
    mut labels: Option<&mut [u32]>,
) {
    let n = out.len() / 2;
    let n_out = n / 2;
    let n_in = n - n_out;
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let (label, a) = if i < n_out {
            (0, linspace_at(std::f64::consts::PI, n_out, i, true))
        } else {
            (1, linspace_at(std::f64::consts::PI, n_in, i - n_out, true))
        };
        let (s, c) = mathf::sin_cos(a);
        if label == 0 {
            row[0] = c;
            row[1] = s;
        } else {
            row[0] = 1.0 - c;
            row[1] = 1.0 - s - 0.5;
        }
        set_label(labels.as_deref_mut(), i, label);
    }
    finish(noise, shuffle, rng, out, labels);
}

/// [`fill_circles`] after the buffers and factor were checked.
pub(super) fn fill_circles_checked(
    noise: f32,
    factor: f32,
    shuffle: bool,
    rng: &mut Rng,
    out: &mut [f32],
    mut labels: Option<&mut [u32]>,
) {
    let n = out.len() / 2;
    let n_out = n / 2;
    let n_in = n - n_out;
    for (i, row) in out.chunks_exact_mut(2).enumerate() {
        let (label, radius, a) = if i < n_out {
            (0, 1.0, linspace_at(std::f64::consts::TAU, n_out, i, false))
        } else {
            (
                1,
                factor,
                linspace_at(std::f64::consts::TAU, n_in, i - n_out, false),
            )
        };
        // a < 2 pi, inside mathf::sin_cos' accurate range
        let (s, c) = mathf::sin_cos(a);
        row[0] = radius * c;
        row[1] = radius * s;
        set_label(labels.as_deref_mut(), i, label);
    }
    finish(noise, shuffle, rng, out, labels);
}

/// Point `i` of NumPy's `linspace(0, stop, count, endpoint)`, computed in f64 as NumPy does
/// (`i * step`, the end point set exactly) and rounded to f32.
fn linspace_at(stop: f64, count: usize, i: usize, endpoint: bool) -> f32 {
    let divisions = if endpoint {
        count.saturating_sub(1)
    } else {
        count
    };
    if divisions == 0 {
        return 0.0;
    }
    if endpoint && i + 1 == count {
        return stop as f32;
    }
    (i as f64 * (stop / divisions as f64)) as f32
}

/// Writes `label` for point `i` if labels are wanted.
fn set_label(labels: Option<&mut [u32]>, i: usize, label: u32) {
    if let Some(slot) = labels.and_then(|l| l.get_mut(i)) {
        *slot = label;
    }
}

/// scikit-learn's last two steps: shuffle rows and labels together, then add noise.
fn finish(noise: f32, shuffle: bool, rng: &mut Rng, out: &mut [f32], labels: Option<&mut [u32]>) {
    if shuffle {
        shuffle_rows(rng, out, labels);
    }
    super::add_noise(noise, rng, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn moons_put_half_on_the_outer_moon_and_the_rest_inside() {
        for n in [1, 2, 7, 256, 1001] {
            let (_, labels) = make_moons(n, 0.1, true, &mut seeded(1)).unwrap();
            let outer = labels.iter().filter(|&&l| l == 0).count();
            let inner = labels.iter().filter(|&&l| l == 1).count();
            assert_eq!((outer, inner), (n / 2, n - n / 2), "n = {n}");
        }
    }

    #[test]
    fn noiseless_moons_lie_on_their_circles() {
        let (x, labels) = make_moons(1000, 0.0, true, &mut seeded(2)).unwrap();
        for (row, &label) in x.chunks_exact(2).zip(&labels) {
            let (px, py) = (row[0] as f64, row[1] as f64);
            let radius = if label == 0 {
                (px * px + py * py).sqrt()
            } else {
                ((px - 1.0).powi(2) + (py - 0.5).powi(2)).sqrt()
            };
            assert!((radius - 1.0).abs() < 1e-6, "label {label} radius {radius}");
            // outer moon above y = 0, inner moon below y = 0.5
            if label == 0 {
                assert!(py >= -1e-6);
            } else {
                assert!(py <= 0.5 + 1e-6);
            }
        }
    }

    #[test]
    fn unshuffled_noiseless_moons_equal_scikit_learns_points_for_n_7() {
        let (x, labels) = make_moons(7, 0.0, false, &mut seeded(0)).unwrap();
        // scikit-learn: outer angles linspace(0, pi, 3), inner linspace(0, pi, 4)
        let pi = std::f64::consts::PI;
        let mut want = Vec::new();
        for k in 0..3 {
            let a = pi * k as f64 / 2.0;
            want.push([a.cos(), a.sin()]);
        }
        for k in 0..4 {
            let a = pi * k as f64 / 3.0;
            want.push([1.0 - a.cos(), 1.0 - a.sin() - 0.5]);
        }
        for (i, w) in want.iter().enumerate() {
            assert!((x[2 * i] as f64 - w[0]).abs() < 1e-6, "point {i} x");
            assert!((x[2 * i + 1] as f64 - w[1]).abs() < 1e-6, "point {i} y");
        }
        assert_eq!(labels, vec![0, 0, 0, 1, 1, 1, 1]);
    }

    #[test]
    fn shuffling_permutes_the_unshuffled_rows_with_their_labels() {
        let (plain, plain_labels) = make_moons(50, 0.0, false, &mut seeded(0)).unwrap();
        let (mixed, mixed_labels) = make_moons(50, 0.0, true, &mut seeded(4)).unwrap();
        assert_ne!(plain, mixed);
        for (row, label) in mixed.chunks_exact(2).zip(&mixed_labels) {
            let found = plain
                .chunks_exact(2)
                .zip(&plain_labels)
                .any(|(p, l)| p == row && l == label);
            assert!(
                found,
                "row {row:?} with label {label} is not an original row"
            );
        }
    }

    #[test]
    fn moons_noise_has_the_requested_standard_deviation() {
        let n = 100_000;
        let noise = 0.2;
        let (clean, _) = make_moons(n, 0.0, false, &mut seeded(0)).unwrap();
        let (noisy, _) = make_moons(n, noise, false, &mut seeded(8)).unwrap();
        let var = clean
            .iter()
            .zip(&noisy)
            .map(|(&c, &d)| ((d - c) as f64).powi(2))
            .sum::<f64>()
            / (2 * n) as f64;
        let std = var.sqrt();
        assert!((std - noise as f64).abs() < 0.002, "std {std}");
    }

    #[test]
    fn noiseless_circles_have_radius_one_and_factor() {
        let (x, labels) = make_circles(999, 0.0, 0.3, true, &mut seeded(1)).unwrap();
        assert_eq!(labels.iter().filter(|&&l| l == 0).count(), 499);
        for (row, &label) in x.chunks_exact(2).zip(&labels) {
            let radius = (row[0] as f64).hypot(row[1] as f64);
            let want = if label == 0 { 1.0 } else { 0.3 };
            assert!((radius - want).abs() < 1e-6, "radius {radius}");
        }
    }

    #[test]
    fn unshuffled_circles_use_angles_without_the_end_point() {
        let (x, _) = make_circles(8, 0.0, 0.5, false, &mut seeded(0)).unwrap();
        // scikit-learn: linspace(0, 2 pi, 4, endpoint=False) = 0, pi/2, pi, 3 pi/2
        let want = [
            [1.0, 0.0],
            [0.0, 1.0],
            [-1.0, 0.0],
            [0.0, -1.0],
            [0.5, 0.0],
            [0.0, 0.5],
            [-0.5, 0.0],
            [0.0, -0.5],
        ];
        for (i, w) in want.iter().enumerate() {
            assert!((x[2 * i] - w[0]).abs() < 1e-6 && (x[2 * i + 1] - w[1]).abs() < 1e-6);
        }
    }

    #[test]
    fn circles_factor_outside_zero_one_is_rejected() {
        let err = make_circles(10, 0.0, 1.0, true, &mut seeded(0)).unwrap_err();
        assert_eq!(err.to_string(), "factor must be in [0, 1), but is 1");
        let err = make_circles(10, 0.0, f32::NAN, true, &mut seeded(0)).unwrap_err();
        assert_eq!(err.to_string(), "factor must be in [0, 1), but is NaN");
    }
}
