use std::fmt;

/// What went wrong in a tensor operation, with the offending shapes or values.
#[derive(Debug, Clone, PartialEq)]
pub enum TensorError {
    /// Two shapes that PyTorch's broadcasting rules cannot combine.
    Broadcast {
        op: &'static str,
        left: Vec<usize>,
        right: Vec<usize>,
    },
    /// A matrix product whose inner dimensions differ.
    Matmul { left: Vec<usize>, right: Vec<usize> },
    /// A dimension index outside `-ndim..ndim`.
    Dim {
        op: &'static str,
        dim: isize,
        ndim: usize,
    },
    /// A reshape to a different number of elements.
    Reshape { from: Vec<usize>, to: Vec<isize> },
    /// Data whose length does not match the requested shape.
    DataLength { shape: Vec<usize>, len: usize },
    /// An operation that needs a one-element tensor.
    NotScalar { op: &'static str, shape: Vec<usize> },
    /// Shapes that must agree exactly but do not.
    Mismatch {
        op: &'static str,
        what: String,
        left: Vec<usize>,
        right: Vec<usize>,
    },
    /// An index or slice outside the tensor.
    Index {
        op: &'static str,
        index: isize,
        len: usize,
    },
    /// A tensor larger than [`super::MAX_ELEMENTS`].
    TooLarge { shape: Vec<usize> },
    /// Anything else, already phrased for the user.
    Invalid(String),
}

fn dims(s: &[usize]) -> String {
    let parts: Vec<String> = s.iter().map(|d| d.to_string()).collect();
    if s.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    }
}

impl fmt::Display for TensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorError::Broadcast { op, left, right } => write!(
                f,
                "{op}: shapes {} and {} cannot be broadcast together (trailing dimensions must be equal or 1)",
                dims(left),
                dims(right)
            ),
            TensorError::Matmul { left, right } => write!(
                f,
                "matmul: shapes {} and {} do not fit: the last dimension of the left ({}) must equal the first matrix dimension of the right ({})",
                dims(left),
                dims(right),
                left.last().copied().unwrap_or(0),
                if right.len() >= 2 { right[right.len() - 2] } else { right.first().copied().unwrap_or(0) }
            ),
            TensorError::Dim { op, dim, ndim } => write!(
                f,
                "{op}: dimension {dim} is out of range for a tensor with {ndim} dimension(s) (expected {}..{})",
                -(*ndim as isize),
                ndim
            ),
            TensorError::Reshape { from, to } => {
                let to: Vec<String> = to.iter().map(|d| d.to_string()).collect();
                write!(
                    f,
                    "reshape: shape ({}) is invalid for a tensor of shape {} ({} elements)",
                    to.join(", "),
                    dims(from),
                    from.iter().product::<usize>()
                )
            }
            TensorError::DataLength { shape, len } => write!(
                f,
                "shape {} needs {} values but {len} were given",
                dims(shape),
                shape.iter().product::<usize>()
            ),
            TensorError::NotScalar { op, shape } => write!(
                f,
                "{op}: needs a tensor with one element, but this one has shape {}",
                dims(shape)
            ),
            TensorError::Mismatch {
                op,
                what,
                left,
                right,
            } => write!(f, "{op}: {what}: {} vs {}", dims(left), dims(right)),
            TensorError::Index { op, index, len } => write!(
                f,
                "{op}: index {index} is out of range for a dimension of size {len}"
            ),
            TensorError::TooLarge { shape } => write!(
                f,
                "a tensor of shape {} has {} elements, over the limit of {}",
                dims(shape),
                shape.iter().map(|&d| d as u128).product::<u128>(),
                super::MAX_ELEMENTS
            ),
            TensorError::Invalid(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for TensorError {}

/// Formats a shape the way PyTorch prints it: `(256, 2)`, `(256,)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    dims(shape)
}
