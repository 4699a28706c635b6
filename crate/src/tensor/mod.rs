//! N-dimensional f32 tensors with PyTorch's broadcasting rules.
//!
//! A [`Tensor`] is a value: an `ndarray` array kept in standard (row-major, contiguous) layout so
//! the kernels can read it as one slice. Differentiation lives a layer up, in `autograd`.

mod error;
pub mod gemm;
mod ops;

pub use error::{shape_str, TensorError};
pub use ops::{broadcast_shapes, elu, powf_scalar};

use ndarray::{ArrayD, IxDyn};

/// Largest number of elements one tensor may hold (64 Mi floats = 256 MiB), so that a typo such
/// as `torch.randn(100000, 100000)` is an error message instead of an out-of-memory crash.
pub const MAX_ELEMENTS: usize = 1 << 26;

pub type Result<T> = std::result::Result<T, TensorError>;

/// An N-d array of f32 in row-major order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    array: ArrayD<f32>,
}

impl Tensor {
    /// A tensor of `shape` from row-major `data`; the lengths must agree.
    pub fn from_vec(shape: &[usize], data: Vec<f32>) -> Result<Tensor> {
        check_size(shape)?;
        if data.len() != shape.iter().product::<usize>() {
            return Err(TensorError::DataLength {
                shape: shape.to_vec(),
                len: data.len(),
            });
        }
        ArrayD::from_shape_vec(IxDyn(shape), data)
            .map(Tensor::from_array)
            .map_err(|e| TensorError::Invalid(e.to_string()))
    }

    /// A tensor of `shape` filled with `value`.
    pub fn full(shape: &[usize], value: f32) -> Result<Tensor> {
        check_size(shape)?;
        Ok(Tensor {
            array: ArrayD::from_elem(IxDyn(shape), value),
        })
    }

    /// A tensor of zeros.
    pub fn zeros(shape: &[usize]) -> Result<Tensor> {
        Tensor::full(shape, 0.0)
    }

    /// A 0-d tensor holding `value`.
    pub fn scalar(value: f32) -> Tensor {
        Tensor {
            array: ArrayD::from_elem(IxDyn(&[]), value),
        }
    }

    /// Wraps an ndarray, copying it into standard layout if it is a strided view.
    pub fn from_array(array: ArrayD<f32>) -> Tensor {
        let array = if array.is_standard_layout() {
            array
        } else {
            array.as_standard_layout().into_owned()
        };
        Tensor { array }
    }

    /// The shape, outermost dimension first.
    pub fn shape(&self) -> &[usize] {
        self.array.shape()
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.array.ndim()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.array.len()
    }

    /// Whether the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.array.is_empty()
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[f32] {
        // Standard layout is an invariant of every constructor.
        self.array.as_slice().unwrap_or(&[])
    }

    /// The elements in row-major order, mutable (optimizers update parameters in place).
    pub fn data_mut(&mut self) -> &mut [f32] {
        self.array.as_slice_mut().unwrap_or(&mut [])
    }

    /// The underlying array (standard layout).
    pub fn array(&self) -> &ArrayD<f32> {
        &self.array
    }

    /// The single value of a one-element tensor (PyTorch's `item()`).
    pub fn item(&self) -> Result<f32> {
        match self.data() {
            [v] => Ok(*v),
            _ => Err(TensorError::NotScalar {
                op: "item",
                shape: self.shape().to_vec(),
            }),
        }
    }

    /// Consumes the tensor, returning its row-major data.
    pub fn into_vec(self) -> Vec<f32> {
        let (v, offset) = self.array.into_raw_vec_and_offset();
        match offset {
            Some(0) | None => v,
            Some(o) => v[o..].to_vec(),
        }
    }

    /// Whether every element is finite (no NaN or infinity).
    pub fn all_finite(&self) -> bool {
        self.data().iter().all(|v| v.is_finite())
    }
}

/// Rejects shapes over [`MAX_ELEMENTS`] before anything is allocated.
pub fn check_size(shape: &[usize]) -> Result<()> {
    let mut n: usize = 1;
    for &d in shape {
        n = n.saturating_mul(d);
    }
    if n > MAX_ELEMENTS {
        return Err(TensorError::TooLarge {
            shape: shape.to_vec(),
        });
    }
    Ok(())
}

/// Resolves a possibly negative dimension index against `ndim` (PyTorch's `dim=-1`).
pub fn normalize_dim(op: &'static str, dim: isize, ndim: usize) -> Result<usize> {
    let n = ndim as isize;
    let d = if dim < 0 { dim + n } else { dim };
    if d < 0 || d >= n {
        return Err(TensorError::Dim { op, dim, ndim });
    }
    Ok(d as usize)
}
