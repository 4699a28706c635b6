//! A user-given point set (drawn on the page, or the lab's small fixed training set).

use super::{DataError, MAX_POINTS};
use crate::rng::{self, Rng};

/// A validated point set: non-empty, finite, at most [`MAX_POINTS`] points.
///
/// Validated once here so sampling in the training loop need not look at every point again.
#[derive(Clone, Debug, PartialEq)]
pub struct PointSet {
    points: Vec<[f32; 2]>,
}

impl PointSet {
    /// Checks and wraps `points`: (len, 2).
    pub fn new(points: Vec<[f32; 2]>) -> Result<PointSet, DataError> {
        if points.is_empty() {
            return Err(DataError::EmptyPointSet);
        }
        if points.len() > MAX_POINTS {
            return Err(DataError::TooManyPoints { n: points.len() });
        }
        if let Some((index, &[x, y])) = points
            .iter()
            .enumerate()
            .find(|(_, p)| !(p[0].is_finite() && p[1].is_finite()))
        {
            return Err(DataError::NonFinitePoint { index, x, y });
        }
        Ok(PointSet { points })
    }

    /// The points: (len, 2).
    pub fn as_slice(&self) -> &[[f32; 2]] {
        &self.points
    }

    /// How many points the set holds (at least 1).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Always false: a point set holds at least one point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Fills `out`: (n, 2) with points drawn uniformly with replacement, and `labels`: (n,)
    /// with the index of each point drawn. Noise is added by the caller.
    pub(super) fn fill(&self, rng: &mut Rng, out: &mut [f32], mut labels: Option<&mut [u32]>) {
        for (i, row) in out.chunks_exact_mut(2).enumerate() {
            let index = rng::below(rng, self.points.len());
            // below() returns < len, and new() guarantees len >= 1; fall back to the origin
            // rather than panic if that ever changed
            let [x, y] = self.points.get(index).copied().unwrap_or([0.0, 0.0]);
            row[0] = x;
            row[1] = y;
            if let Some(label) = labels.as_deref_mut().and_then(|l| l.get_mut(i)) {
                // len <= MAX_POINTS < u32::MAX, so the index fits
                *label = index as u32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Dataset;
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn noiseless_samples_are_the_given_points_and_labels_index_them() {
        let given = vec![[0.5, -1.0], [2.0, 3.0]];
        let data = Dataset::points(given.clone()).unwrap();
        let (x, labels) = data.sample(100, 0.0, &mut seeded(2)).unwrap();
        for (row, &label) in x.chunks_exact(2).zip(&labels) {
            assert_eq!([row[0], row[1]], given[label as usize]);
        }
        assert!(labels.contains(&0) && labels.contains(&1));
    }

    #[test]
    fn empty_point_set_is_rejected() {
        let err = PointSet::new(vec![]).unwrap_err();
        assert_eq!(err, DataError::EmptyPointSet);
        assert_eq!(
            err.to_string(),
            "a point set needs at least one point, but is empty"
        );
    }

    #[test]
    fn non_finite_point_is_rejected_naming_its_index() {
        let err = PointSet::new(vec![[0.0, 0.0], [1.0, f32::NAN]]).unwrap_err();
        assert_eq!(err.to_string(), "point 1 must be finite, but is (1, NaN)");
        let err = PointSet::new(vec![[f32::INFINITY, 0.0]]).unwrap_err();
        assert_eq!(err.to_string(), "point 0 must be finite, but is (inf, 0)");
    }
}
