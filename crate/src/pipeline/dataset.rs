//! What the page asks about the data itself: samples, the noise batch, which part a point
//! belongs to, and what a perfect sampler scores.

use super::error::{arg_err, PipelineError, Result};
use crate::data::{Dataset, MAX_POINTS};
use crate::metrics;
use crate::rng::{fill_normal, seeded};

/// For each of `points`: (n, 2), the label of the nearest point of a noiseless reference draw of
/// `dataset` (which moon, which gaussian, ...): (n,). Colours particles by where they end.
pub fn nearest_labels(dataset: &Dataset, points: &[f32]) -> Result<Vec<u32>> {
    if !points.len().is_multiple_of(2) || points.len() / 2 > MAX_POINTS {
        return Err(arg_err(
            "points",
            format!(
                "must be (n, 2) with n <= {MAX_POINTS}, but has {} numbers",
                points.len()
            ),
        ));
    }
    let (reference, labels) = match dataset {
        Dataset::Points(set) => {
            let flat = set.as_slice().iter().flat_map(|p| [p[0], p[1]]).collect();
            (flat, (0..set.len() as u32).collect())
        }
        other => other
            .sample(2000, 0.0, &mut seeded(0))
            .map_err(|e| PipelineError::Engine(e.to_string()))?,
    };
    Ok(points
        .chunks_exact(2)
        .map(|p| {
            let mut best = (f32::INFINITY, 0u32);
            for (r, &label) in reference.chunks_exact(2).zip(&labels) {
                let d = (p[0] - r[0]) * (p[0] - r[0]) + (p[1] - r[1]) * (p[1] - r[1]);
                if d < best.0 {
                    best = (d, label);
                }
            }
            best.1
        })
        .collect())
}

/// What a perfect sampler scores on the quality readout: the sliced W2 between `n` independent
/// draws of the data distribution and `n` fresh data points, averaged over 5 draws.
pub fn quality_floor(dataset: &Dataset, noise: f32, n: usize, seed: u64) -> Result<f32> {
    let mut total = 0.0;
    for k in 0..5 {
        let s = seed.wrapping_add(2 * k);
        let (perfect, _) = dataset
            .sample_independent(n, noise, &mut seeded(s))
            .map_err(|e| arg_err("n", e.to_string()))?;
        let (fresh, _) = dataset
            .sample(n, noise, &mut seeded(s + 1))
            .map_err(|e| arg_err("n", e.to_string()))?;
        total += metrics::sliced_w2(&perfect, &fresh, metrics::DEFAULT_PROJECTIONS)
            .map_err(|e| PipelineError::Engine(e.to_string()))?;
    }
    Ok(total / 5.0)
}

/// `n` standard-normal 2-D points from `seed`: (n, 2).
pub fn noise(n: usize, seed: u64) -> Vec<f32> {
    let mut x0 = vec![0.0; 2 * n];
    fill_normal(&mut seeded(seed), &mut x0);
    x0
}

/// `n` points of a named data set with their labels: ((n, 2), (n,)).
pub fn dataset_samples(
    name: &str,
    n: usize,
    noise: Option<f32>,
    seed: u64,
) -> Result<(Vec<f32>, Vec<u32>)> {
    let dataset = Dataset::from_name(name).map_err(|e| arg_err("name", e.to_string()))?;
    let noise = match noise {
        Some(v) => v,
        None => dataset.default_noise(),
    };
    dataset
        .sample(n, noise, &mut seeded(seed))
        .map_err(|e| arg_err("n", e.to_string()))
}
