//! What can go wrong when asking for data, with the offending values.

use std::fmt;

/// Why a dataset could not be built or sampled.
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The name is not one of [`super::Dataset::ALL_NAMES`].
    UnknownName { name: String },
    /// Zero points were asked for.
    NoPoints,
    /// More than [`super::MAX_POINTS`] points were asked for (or given).
    TooManyPoints { n: usize },
    /// The noise is negative, infinite or NaN.
    InvalidNoise { noise: f32 },
    /// The output buffer cannot hold whole (x, y) rows.
    OddOutputLength { len: usize },
    /// The labels buffer does not hold one label per point.
    LabelsLength { len: usize, n: usize },
    /// A user point set has no points.
    EmptyPointSet,
    /// A user point has a NaN or infinite coordinate.
    NonFinitePoint { index: usize, x: f32, y: f32 },
    /// `make_circles`' inner-to-outer radius ratio is outside [0, 1).
    InvalidFactor { factor: f32 },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::UnknownName { name } => write!(
                f,
                "unknown dataset \"{name}\"; valid names are {}",
                super::Dataset::ALL_NAMES.join(", ")
            ),
            DataError::NoPoints => write!(f, "n must be at least 1 point, but is 0"),
            DataError::TooManyPoints { n } => write!(
                f,
                "n must be at most {} points, but is {n}",
                super::MAX_POINTS
            ),
            DataError::InvalidNoise { noise } => {
                write!(f, "noise must be finite and >= 0, but is {noise}")
            }
            DataError::OddOutputLength { len } => write!(
                f,
                "out must hold 2 values per point (length 2n), but has length {len}"
            ),
            DataError::LabelsLength { len, n } => write!(
                f,
                "labels must hold one value per point (n = {n}), but has length {len}"
            ),
            DataError::EmptyPointSet => {
                write!(f, "a point set needs at least one point, but is empty")
            }
            DataError::NonFinitePoint { index, x, y } => {
                write!(f, "point {index} must be finite, but is ({x}, {y})")
            }
            DataError::InvalidFactor { factor } => {
                write!(f, "factor must be in [0, 1), but is {factor}")
            }
        }
    }
}

impl std::error::Error for DataError {}
