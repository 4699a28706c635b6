//! Toy 2-D distributions to learn a flow towards.
//!
//! Every dataset draws through a seeded [`Rng`] passed in, so a seed gives the same points
//! natively and in the browser. Points are stored as `(n, 2)` row-major `f32` buffers: point `i`
//! is `(out[2 i], out[2 i + 1])`. Labels say which part of the dataset a point came from
//! (which moon, circle, gaussian, square, spiral or stretch of the roll) so plots can colour it.
//!
//! | name | what it is | extent at noise 0 |
//! |---|---|---|
//! | `moons` | scikit-learn's `make_moons`: two interleaved half circles | x in [-1, 2], y in [-0.5, 1] |
//! | `circles` | scikit-learn's `make_circles` with factor 0.5 | radius 1 and 0.5 |
//! | `8gaussians` | 8 gaussians of std `noise` centred on a circle of radius 2 | radius 2 |
//! | `checkerboard` | uniform on the 8 dark squares of a 4x4 board on [-2, 2]^2 (FFJORD) | [-2, 2]^2 |
//! | `spirals` | two interleaved spirals of 1.5 turns (FFJORD's `2spirals`, rescaled) | radius 2.75 |
//! | `swissroll` | scikit-learn's `make_swiss_roll` seen from its axis, divided by 5 | radius 2.83 |
//! | points | a user-given point set, sampled uniformly with replacement | the points |
//!
//! Every dataset adds independent `N(0, noise^2)` to each coordinate after placing the points
//! (for `8gaussians` that noise is the gaussians' own spread). [`Dataset::default_noise`]
//! suggests a value that looks right for each.
//!
//! [`Dataset::sample_into`] fills caller-owned buffers without allocating (the training loop
//! calls it every iteration); [`Dataset::sample`] allocates for convenience. The
//! scikit-learn look-alikes with all their options live in [`sklearn`].

mod error;
mod points;
mod shapes;
pub mod sklearn;

pub use error::DataError;
pub use points::PointSet;

use crate::rng::{self, Rng};

/// Most points one call may draw: keeps a slider typo from allocating gigabytes.
pub const MAX_POINTS: usize = 1_000_000;

/// A 2-D distribution to sample from.
#[derive(Clone, Debug, PartialEq)]
pub enum Dataset {
    /// scikit-learn's two moons (evenly spaced angles, shuffled); labels 0 outer, 1 inner.
    Moons,
    /// scikit-learn's two circles, inner radius 0.5; labels 0 outer, 1 inner.
    Circles,
    /// 8 gaussians centred at radius 2, angles k pi / 4; label k in 0..8.
    EightGaussians,
    /// Uniform on the dark squares of a 4x4 checkerboard on [-2, 2]^2; label = dark square 0..8.
    Checkerboard,
    /// Two interleaved spirals; label 0 or 1 for the spiral.
    Spirals,
    /// 2-D swiss roll; label = stretch along the roll, 0 (inner end) to 7 (outer end).
    SwissRoll,
    /// User-given points, sampled uniformly with replacement; label = index of the point drawn.
    Points(PointSet),
}

impl Dataset {
    /// The names [`Dataset::from_name`] accepts, in the order a menu should show them.
    pub const ALL_NAMES: [&'static str; 6] = [
        "moons",
        "circles",
        "8gaussians",
        "checkerboard",
        "spirals",
        "swissroll",
    ];

    /// The dataset called `name` (one of [`Dataset::ALL_NAMES`], ASCII case ignored).
    pub fn from_name(name: &str) -> Result<Dataset, DataError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "moons" => Ok(Dataset::Moons),
            "circles" => Ok(Dataset::Circles),
            "8gaussians" => Ok(Dataset::EightGaussians),
            "checkerboard" => Ok(Dataset::Checkerboard),
            "spirals" => Ok(Dataset::Spirals),
            "swissroll" => Ok(Dataset::SwissRoll),
            _ => Err(DataError::UnknownName {
                name: name.to_string(),
            }),
        }
    }

    /// A user-given point set. `points`: (len, 2); must be non-empty, finite and at most
    /// [`MAX_POINTS`] long.
    pub fn points(points: Vec<[f32; 2]>) -> Result<Dataset, DataError> {
        PointSet::new(points).map(Dataset::Points)
    }

    /// The dataset's name as in [`Dataset::ALL_NAMES`]; `"points"` for a user point set.
    pub fn name(&self) -> &'static str {
        match self {
            Dataset::Moons => "moons",
            Dataset::Circles => "circles",
            Dataset::EightGaussians => "8gaussians",
            Dataset::Checkerboard => "checkerboard",
            Dataset::Spirals => "spirals",
            Dataset::SwissRoll => "swissroll",
            Dataset::Points(_) => "points",
        }
    }

    /// A noise level that shows the dataset's shape well (the lab uses 0.05 for moons).
    pub fn default_noise(&self) -> f32 {
        match self {
            Dataset::Moons | Dataset::Circles => 0.05,
            Dataset::EightGaussians => 0.2,
            Dataset::Checkerboard => 0.0,
            Dataset::Spirals => 0.1,
            Dataset::SwissRoll => 0.1,
            Dataset::Points(_) => 0.05,
        }
    }

    /// How many distinct labels samples can carry (labels lie in `0..label_count()`).
    pub fn label_count(&self) -> usize {
        match self {
            Dataset::Moons | Dataset::Circles | Dataset::Spirals => 2,
            Dataset::EightGaussians | Dataset::Checkerboard => 8,
            Dataset::SwissRoll => shapes::SWISS_ROLL_STRETCHES as usize,
            Dataset::Points(set) => set.len(),
        }
    }

    /// Fills `out` with `n = out.len() / 2` fresh points and, if given, `labels` with the part
    /// each point came from. No allocation.
    ///
    /// `out`: (n, 2) row-major, `1 <= n <= MAX_POINTS`; `labels`: (n,). `noise`: standard
    /// deviation of the gaussian noise added to each coordinate, finite and `>= 0`.
    /// The points drawn do not depend on whether labels are asked for.
    pub fn sample_into(
        &self,
        noise: f32,
        rng: &mut Rng,
        out: &mut [f32],
        labels: Option<&mut [u32]>,
    ) -> Result<(), DataError> {
        check_buffers(noise, out, labels.as_deref())?;
        match self {
            Dataset::Moons => sklearn::fill_moons_checked(noise, true, rng, out, labels),
            Dataset::Circles => sklearn::fill_circles_checked(noise, 0.5, true, rng, out, labels),
            Dataset::EightGaussians => {
                shapes::fill_eight_gaussians(rng, out, labels);
                add_noise(noise, rng, out);
            }
            Dataset::Checkerboard => {
                shapes::fill_checkerboard(rng, out, labels);
                add_noise(noise, rng, out);
            }
            Dataset::Spirals => {
                shapes::fill_spirals(rng, out, labels);
                add_noise(noise, rng, out);
            }
            Dataset::SwissRoll => {
                shapes::fill_swiss_roll(rng, out, labels);
                add_noise(noise, rng, out);
            }
            Dataset::Points(set) => {
                set.fill(rng, out, labels);
                add_noise(noise, rng, out);
            }
        }
        Ok(())
    }

    /// `n` fresh points and their labels: (points (n, 2) row-major, labels (n,)).
    /// `1 <= n <= MAX_POINTS`; `noise` as in [`Dataset::sample_into`].
    pub fn sample(
        &self,
        n: usize,
        noise: f32,
        rng: &mut Rng,
    ) -> Result<(Vec<f32>, Vec<u32>), DataError> {
        // validate before allocating, so a huge n fails cleanly
        check_count(n)?;
        check_noise(noise)?;
        let mut out = vec![0.0f32; 2 * n];
        let mut labels = vec![0u32; n];
        self.sample_into(noise, rng, &mut out, Some(&mut labels))?;
        Ok((out, labels))
    }

    /// `n` independent draws from the distribution itself: ((n, 2), (n,)). For moons and
    /// circles, scikit-learn places points at evenly spaced angles, so two of its draws are
    /// closer to each other than a perfect sampler can be to one; here each point takes a fair
    /// coin for its part and a uniform angle. The other data sets already draw independently.
    /// Used for the quality floor: what a perfect sampler scores.
    pub fn sample_independent(
        &self,
        n: usize,
        noise: f32,
        rng: &mut Rng,
    ) -> Result<(Vec<f32>, Vec<u32>), DataError> {
        check_count(n)?;
        check_noise(noise)?;
        let circle = |rng: &mut Rng, turn: f32| {
            let a = turn * rng::uniform(rng);
            let inner = rng::uniform(rng) < 0.5;
            (sin_cos_any_angle(a), inner)
        };
        let mut out = vec![0.0f32; 2 * n];
        let mut labels = vec![0u32; n];
        match self {
            Dataset::Moons => {
                for (row, label) in out.chunks_exact_mut(2).zip(labels.iter_mut()) {
                    let ((s, c), inner) = circle(rng, std::f32::consts::PI);
                    (row[0], row[1], *label) = if inner {
                        (1.0 - c, 0.5 - s, 1)
                    } else {
                        (c, s, 0)
                    };
                }
            }
            Dataset::Circles => {
                for (row, label) in out.chunks_exact_mut(2).zip(labels.iter_mut()) {
                    let ((s, c), inner) = circle(rng, std::f32::consts::TAU);
                    let r = if inner { 0.5 } else { 1.0 };
                    (row[0], row[1], *label) = (r * c, r * s, inner as u32);
                }
            }
            other => return other.sample(n, noise, rng),
        }
        add_noise(noise, rng, &mut out);
        Ok((out, labels))
    }
}

/// Checks `n` against 1..=MAX_POINTS.
fn check_count(n: usize) -> Result<(), DataError> {
    if n == 0 {
        return Err(DataError::NoPoints);
    }
    if n > MAX_POINTS {
        return Err(DataError::TooManyPoints { n });
    }
    Ok(())
}

/// Checks that `noise` is a usable standard deviation.
fn check_noise(noise: f32) -> Result<(), DataError> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(())
    } else {
        Err(DataError::InvalidNoise { noise })
    }
}

/// Checks noise, `out`: (n, 2) with a valid n, and `labels`: (n,).
fn check_buffers(noise: f32, out: &[f32], labels: Option<&[u32]>) -> Result<(), DataError> {
    check_noise(noise)?;
    if !out.len().is_multiple_of(2) {
        return Err(DataError::OddOutputLength { len: out.len() });
    }
    let n = out.len() / 2;
    check_count(n)?;
    if let Some(labels) = labels {
        if labels.len() != n {
            return Err(DataError::LabelsLength {
                len: labels.len(),
                n,
            });
        }
    }
    Ok(())
}

/// Adds `N(0, noise^2)` to every value of `out`; draws nothing when `noise` is 0.
fn add_noise(noise: f32, rng: &mut Rng, out: &mut [f32]) {
    if noise == 0.0 {
        return;
    }
    // One Box-Muller pair per row uses both of its normals. Drawn 64 rows at a time: a long
    // fill_normal vectorises and gives the same numbers as one pair at a time.
    let mut z = [0.0f32; 128];
    for chunk in out.chunks_mut(z.len()) {
        let z = &mut z[..chunk.len()];
        rng::fill_normal(rng, z);
        for (v, &dz) in chunk.iter_mut().zip(z.iter()) {
            *v += noise * dz;
        }
    }
}

/// Shuffles the rows of `out`: (n, 2) and, if given, `labels`: (n,) by the same permutation
/// (Fisher-Yates, no allocation). The permutation does not depend on whether labels are given.
fn shuffle_rows(rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
    let n = out.len() / 2;
    for i in (1..n).rev() {
        let j = rng::below(rng, i + 1);
        out.swap(2 * i, 2 * j);
        out.swap(2 * i + 1, 2 * j + 1);
        if let Some(labels) = labels.as_deref_mut() {
            labels.swap(i, j);
        }
    }
}

/// `(sin x, cos x)` for any finite `x`, reduced to [-pi, pi] first since
/// [`crate::mathf::sin_cos`] is accurate only within two turns.
fn sin_cos_any_angle(x: f32) -> (f32, f32) {
    // TAU split into an f32 head and tail so k * TAU_HEAD is exact for small k
    const TAU_HEAD: f32 = 6.283_185_5;
    const TAU_TAIL: f32 = -1.748_455_5e-7;
    let k = (x / TAU_HEAD).round();
    let reduced = x - k * TAU_HEAD - k * TAU_TAIL;
    crate::mathf::sin_cos(reduced)
}

#[cfg(test)]
mod tests {
    #[test]
    fn independent_moons_lie_on_the_moons_with_both_parts_equally_likely() {
        let (pts, labels) = Dataset::Moons
            .sample_independent(4000, 0.0, &mut crate::rng::seeded(3))
            .unwrap();
        let inner = labels.iter().filter(|&&l| l == 1).count();
        assert!((1800..2200).contains(&inner), "{inner} inner points");
        for (p, &l) in pts.chunks_exact(2).zip(&labels) {
            let (cx, cy) = if l == 0 { (0.0, 0.0) } else { (1.0, 0.5) };
            let r = ((p[0] - cx).powi(2) + (p[1] - cy).powi(2)).sqrt();
            assert!((r - 1.0).abs() < 1e-5, "radius {r}");
            assert!(if l == 0 {
                p[1] >= -1e-6
            } else {
                p[1] <= 0.5 + 1e-6
            });
        }
    }

    use super::*;
    use crate::rng::seeded;

    fn all_datasets() -> Vec<Dataset> {
        let mut all: Vec<Dataset> = Dataset::ALL_NAMES
            .iter()
            .map(|name| Dataset::from_name(name).unwrap())
            .collect();
        all.push(Dataset::points(vec![[0.0, 0.0], [1.0, -1.0], [-2.0, 2.5]]).unwrap());
        all
    }

    #[test]
    fn from_name_round_trips_every_name() {
        for name in Dataset::ALL_NAMES {
            assert_eq!(Dataset::from_name(name).unwrap().name(), name);
        }
        assert_eq!(Dataset::from_name(" Moons ").unwrap(), Dataset::Moons);
    }

    #[test]
    fn unknown_name_is_rejected_with_the_valid_names() {
        let err = Dataset::from_name("banana").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown dataset \"banana\"; valid names are moons, circles, 8gaussians, \
             checkerboard, spirals, swissroll"
        );
    }

    #[test]
    fn same_seed_gives_identical_points_and_labels() {
        for data in all_datasets() {
            let noise = data.default_noise().max(0.05);
            let a = data.sample(500, noise, &mut seeded(3)).unwrap();
            let b = data.sample(500, noise, &mut seeded(3)).unwrap();
            assert_eq!(a, b, "{}", data.name());
        }
    }

    #[test]
    fn different_seeds_give_different_points() {
        for data in all_datasets() {
            let noise = data.default_noise().max(0.05);
            let a = data.sample(500, noise, &mut seeded(3)).unwrap();
            let b = data.sample(500, noise, &mut seeded(4)).unwrap();
            assert_ne!(a.0, b.0, "{}", data.name());
        }
    }

    #[test]
    fn points_do_not_depend_on_asking_for_labels() {
        for data in all_datasets() {
            let mut with = vec![0.0; 200];
            let mut without = vec![0.0; 200];
            let mut labels = vec![0; 100];
            data.sample_into(0.1, &mut seeded(9), &mut with, Some(&mut labels))
                .unwrap();
            data.sample_into(0.1, &mut seeded(9), &mut without, None)
                .unwrap();
            assert_eq!(with, without, "{}", data.name());
        }
    }

    #[test]
    fn every_dataset_is_centred_and_fits_in_three_and_a_half() {
        for data in all_datasets() {
            let (x, labels) = data
                .sample(20_000, data.default_noise(), &mut seeded(5))
                .unwrap();
            let n = labels.len() as f64;
            let mean_x = x.iter().step_by(2).map(|&v| v as f64).sum::<f64>() / n;
            let mean_y = x.iter().skip(1).step_by(2).map(|&v| v as f64).sum::<f64>() / n;
            assert!(
                mean_x.abs() < 1.0 && mean_y.abs() < 1.0,
                "{} mean",
                data.name()
            );
            let extent = x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(extent < 3.5, "{} extent {extent}", data.name());
            assert!(x.iter().all(|v| v.is_finite()));
            let count = data.label_count() as u32;
            assert!(labels.iter().all(|&l| l < count), "{} labels", data.name());
        }
    }

    #[test]
    fn every_label_occurs_in_a_large_draw() {
        for data in all_datasets() {
            let (_, labels) = data.sample(5_000, 0.1, &mut seeded(6)).unwrap();
            for label in 0..data.label_count() as u32 {
                assert!(labels.contains(&label), "{} label {label}", data.name());
            }
        }
    }

    #[test]
    fn zero_and_too_many_points_are_rejected() {
        let mut rng = seeded(1);
        assert_eq!(
            Dataset::Moons.sample(0, 0.1, &mut rng).unwrap_err(),
            DataError::NoPoints
        );
        let err = Dataset::Moons
            .sample(MAX_POINTS + 1, 0.1, &mut rng)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "n must be at most 1000000 points, but is 1000001"
        );
        let mut empty: [f32; 0] = [];
        assert_eq!(
            Dataset::Spirals
                .sample_into(0.1, &mut rng, &mut empty, None)
                .unwrap_err(),
            DataError::NoPoints
        );
    }

    #[test]
    fn negative_or_nan_noise_is_rejected() {
        let mut rng = seeded(1);
        let err = Dataset::Moons.sample(10, -1.0, &mut rng).unwrap_err();
        assert_eq!(err.to_string(), "noise must be finite and >= 0, but is -1");
        let err = Dataset::Circles.sample(10, f32::NAN, &mut rng).unwrap_err();
        assert_eq!(err.to_string(), "noise must be finite and >= 0, but is NaN");
    }

    #[test]
    fn mismatched_buffers_are_rejected() {
        let mut rng = seeded(1);
        let mut odd = vec![0.0; 7];
        let err = Dataset::Moons
            .sample_into(0.1, &mut rng, &mut odd, None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "out must hold 2 values per point (length 2n), but has length 7"
        );
        let mut out = vec![0.0; 10];
        let mut labels = vec![0; 4];
        let err = Dataset::Moons
            .sample_into(0.1, &mut rng, &mut out, Some(&mut labels))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "labels must hold one value per point (n = 5), but has length 4"
        );
    }

    #[test]
    fn sin_cos_any_angle_matches_std_beyond_two_turns() {
        for i in -2000..2000 {
            let x = i as f32 * 0.01;
            let (s, c) = sin_cos_any_angle(x);
            assert!((s as f64 - (x as f64).sin()).abs() < 2e-6, "sin {x}");
            assert!((c as f64 - (x as f64).cos()).abs() < 2e-6, "cos {x}");
        }
    }
}
