//! Forward computations on tensors: broadcasting arithmetic, elementwise functions, reductions,
//! the matrix product and shape changes. No gradients here (see `autograd`).

use super::gemm::{gemm, MatRef};
use super::{check_size, normalize_dim, Result, Tensor, TensorError};
use crate::mathf;
use ndarray::{ArrayD, Axis, IxDyn, Slice};

/// The shape two operands broadcast to under PyTorch's rules (align trailing dimensions; each
/// pair must be equal or contain a 1).
pub fn broadcast_shapes(op: &'static str, a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for (i, o) in out.iter_mut().enumerate() {
        let da = if i + a.len() >= n {
            a[i + a.len() - n]
        } else {
            1
        };
        let db = if i + b.len() >= n {
            b[i + b.len() - n]
        } else {
            1
        };
        *o = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(TensorError::Broadcast {
                op,
                left: a.to_vec(),
                right: b.to_vec(),
            });
        };
    }
    Ok(out)
}

impl Tensor {
    /// Elementwise `f(a, b)` after broadcasting both operands to a common shape.
    pub fn zip_with(
        &self,
        other: &Tensor,
        op: &'static str,
        f: impl Fn(f32, f32) -> f32,
    ) -> Result<Tensor> {
        if self.shape() == other.shape() {
            let data = self
                .data()
                .iter()
                .zip(other.data())
                .map(|(&x, &y)| f(x, y))
                .collect();
            return Tensor::from_vec(self.shape(), data);
        }
        self.zip_broadcast(other, op, &f)
    }

    /// The broadcasting case of [`Tensor::zip_with`], compiled once for every `f` (each
    /// instance of a generic version added kilobytes to the wasm). Walks the result in
    /// row-major order; each operand steps through its data with stride 0 along the
    /// dimensions it is broadcast over.
    fn zip_broadcast(
        &self,
        other: &Tensor,
        op: &'static str,
        f: &dyn Fn(f32, f32) -> f32,
    ) -> Result<Tensor> {
        let shape = broadcast_shapes(op, self.shape(), other.shape())?;
        check_size(&shape)?;
        let n = shape.len();
        let strides = |s: &[usize]| -> Vec<usize> {
            // strides of `s` aligned to the right of `shape`, 0 where it is broadcast
            let mut out = vec![0; n];
            let mut step = 1;
            for (k, &len) in s.iter().enumerate().rev() {
                let i = n - s.len() + k;
                out[i] = if len == 1 { 0 } else { step };
                step *= len;
            }
            out
        };
        let (sa, sb) = (strides(self.shape()), strides(other.shape()));
        let (a, b) = (self.data(), other.data());
        let total: usize = shape.iter().product();
        let mut data = Vec::with_capacity(total);
        if n == 0 || total == 0 {
            if total == 1 {
                data.push(f(a[0], b[0]));
            }
            return Tensor::from_vec(&shape, data);
        }
        let last = shape[n - 1];
        let (ia, ib) = (sa[n - 1], sb[n - 1]);
        let mut index = vec![0usize; n - 1];
        let (mut oa, mut ob) = (0usize, 0usize);
        loop {
            for j in 0..last {
                data.push(f(a[oa + j * ia], b[ob + j * ib]));
            }
            // next row: advance the outer index like an odometer
            let mut k = n - 1;
            loop {
                if k == 0 {
                    return Tensor::from_vec(&shape, data);
                }
                k -= 1;
                index[k] += 1;
                oa += sa[k];
                ob += sb[k];
                if index[k] < shape[k] {
                    break;
                }
                oa -= sa[k] * shape[k];
                ob -= sb[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    /// Elementwise `f(x)` (tensors are always in standard layout: a plain loop over the data).
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Tensor {
        let data = self.data().iter().map(|&x| f(x)).collect();
        Tensor::from_vec(self.shape(), data).expect("same shape, same length")
    }

    pub fn add(&self, o: &Tensor) -> Result<Tensor> {
        self.zip_with(o, "add", |x, y| x + y)
    }
    pub fn sub(&self, o: &Tensor) -> Result<Tensor> {
        self.zip_with(o, "sub", |x, y| x - y)
    }
    pub fn mul(&self, o: &Tensor) -> Result<Tensor> {
        self.zip_with(o, "mul", |x, y| x * y)
    }
    pub fn div(&self, o: &Tensor) -> Result<Tensor> {
        self.zip_with(o, "div", |x, y| x / y)
    }
    pub fn neg(&self) -> Tensor {
        self.map(|x| -x)
    }
    /// `x * s` for a scalar `s`.
    pub fn scale(&self, s: f32) -> Tensor {
        self.map(|x| x * s)
    }
    /// `x ** p` for a scalar exponent (integral exponents by repeated product, like PyTorch).
    pub fn powf(&self, p: f32) -> Tensor {
        self.map(|x| powf_scalar(x, p))
    }
    pub fn exp(&self) -> Tensor {
        self.map(mathf::exp)
    }
    pub fn ln(&self) -> Tensor {
        self.map(mathf::ln)
    }
    pub fn sqrt(&self) -> Tensor {
        self.map(f32::sqrt)
    }
    pub fn tanh(&self) -> Tensor {
        self.map(mathf::tanh)
    }
    pub fn sigmoid(&self) -> Tensor {
        self.map(mathf::sigmoid)
    }
    pub fn relu(&self) -> Tensor {
        self.map(|x| if x > 0.0 { x } else { 0.0 })
    }
    /// ELU with `alpha`: `x` for `x > 0`, `alpha (e^x - 1)` otherwise.
    pub fn elu(&self, alpha: f32) -> Tensor {
        self.map(|x| elu(x, alpha))
    }
    /// SiLU (swish): `x sigmoid(x)`.
    pub fn silu(&self) -> Tensor {
        self.map(|x| x * mathf::sigmoid(x))
    }
    pub fn softplus(&self) -> Tensor {
        self.map(mathf::softplus)
    }
    pub fn sin(&self) -> Tensor {
        self.map(|x| x.sin())
    }
    pub fn cos(&self) -> Tensor {
        self.map(|x| x.cos())
    }

    /// Sum of all elements, as a 0-d tensor.
    pub fn sum_all(&self) -> Tensor {
        Tensor::scalar(self.data().iter().map(|&v| v as f64).sum::<f64>() as f32)
    }

    /// Mean of all elements, as a 0-d tensor (NaN for an empty tensor, like PyTorch).
    pub fn mean_all(&self) -> Tensor {
        let n = self.len() as f64;
        Tensor::scalar((self.data().iter().map(|&v| v as f64).sum::<f64>() / n) as f32)
    }

    /// Sum over `dim`, keeping it as size 1 when `keepdim`.
    pub fn sum_dim(&self, dim: isize, keepdim: bool) -> Result<Tensor> {
        let d = normalize_dim("sum", dim, self.ndim())?;
        let mut out = self.array().sum_axis(Axis(d));
        if keepdim {
            out.insert_axis_inplace(Axis(d));
        }
        Ok(Tensor::from_array(out))
    }

    /// Mean over `dim`, keeping it as size 1 when `keepdim`.
    pub fn mean_dim(&self, dim: isize, keepdim: bool) -> Result<Tensor> {
        let d = normalize_dim("mean", dim, self.ndim())?;
        let n = self.shape()[d] as f32;
        Ok(self.sum_dim(dim, keepdim)?.scale(1.0 / n))
    }

    /// Sums a broadcast result back to `shape` (the gradient of broadcasting).
    pub fn sum_to_shape(&self, shape: &[usize]) -> Result<Tensor> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let mut a = self.array().clone();
        while a.ndim() > shape.len() {
            a = a.sum_axis(Axis(0));
        }
        for (i, &d) in shape.iter().enumerate() {
            if d == 1 && a.shape()[i] != 1 {
                a = a.sum_axis(Axis(i));
                a.insert_axis_inplace(Axis(i));
            }
        }
        if a.shape() != shape {
            return Err(TensorError::Mismatch {
                op: "sum_to_shape",
                what: "gradient shape does not reduce to the input shape".into(),
                left: a.shape().to_vec(),
                right: shape.to_vec(),
            });
        }
        Ok(Tensor::from_array(a))
    }

    /// Matrix product of tensors with at least 2 dimensions; leading (batch) dimensions
    /// broadcast: (..., m, k) @ (..., k, n) -> (..., m, n).
    pub fn matmul(&self, other: &Tensor) -> Result<Tensor> {
        let (sa, sb) = (self.shape(), other.shape());
        if sa.len() < 2 || sb.len() < 2 || sa[sa.len() - 1] != sb[sb.len() - 2] {
            return Err(TensorError::Matmul {
                left: sa.to_vec(),
                right: sb.to_vec(),
            });
        }
        let (m, k, n) = (sa[sa.len() - 2], sa[sa.len() - 1], sb[sb.len() - 1]);
        let batch = broadcast_shapes("matmul", &sa[..sa.len() - 2], &sb[..sb.len() - 2])?;
        let mut out_shape = batch.clone();
        out_shape.extend([m, n]);
        check_size(&out_shape)?;
        let nb: usize = batch.iter().product();
        let a = self.expand_batch(&batch)?;
        let b = other.expand_batch(&batch)?;
        let mut out = vec![0.0; nb * m * n];
        // an empty operand (no rows, no columns or an empty inner dimension) gives a result of
        // zeros, itself empty unless only the inner dimension is; the chunks below need sizes
        if m * k == 0 || k * n == 0 {
            return Tensor::from_vec(&out_shape, out);
        }
        for ((ab, bb), cb) in a
            .data()
            .chunks_exact(m * k)
            .zip(b.data().chunks_exact(k * n))
            .zip(out.chunks_exact_mut(m * n))
        {
            gemm(m, n, k, MatRef::rows(ab, k), MatRef::rows(bb, n), cb, false);
        }
        Tensor::from_vec(&out_shape, out)
    }

    /// Broadcasts the leading dimensions of a (..., r, c) tensor to `batch` (copying).
    fn expand_batch(&self, batch: &[usize]) -> Result<Tensor> {
        let s = self.shape();
        let mut shape = batch.to_vec();
        shape.extend_from_slice(&s[s.len() - 2..]);
        if shape == s {
            return Ok(self.clone());
        }
        self.expand(&shape)
    }

    /// A copy with a new shape; one entry may be -1 (inferred).
    pub fn reshape(&self, shape: &[isize]) -> Result<Tensor> {
        let bad = || TensorError::Reshape {
            from: self.shape().to_vec(),
            to: shape.to_vec(),
        };
        let known: usize = shape
            .iter()
            .filter(|&&d| d >= 0)
            .map(|&d| d as usize)
            .product();
        let holes = shape.iter().filter(|&&d| d == -1).count();
        if holes > 1 || shape.iter().any(|&d| d < -1) {
            return Err(bad());
        }
        let dims: Vec<usize> = if holes == 1 {
            if known == 0 || !self.len().is_multiple_of(known) {
                return Err(bad());
            }
            shape
                .iter()
                .map(|&d| {
                    if d == -1 {
                        self.len() / known
                    } else {
                        d as usize
                    }
                })
                .collect()
        } else {
            shape.iter().map(|&d| d as usize).collect()
        };
        if dims.iter().product::<usize>() != self.len() {
            return Err(bad());
        }
        Tensor::from_vec(&dims, self.data().to_vec())
    }

    /// Broadcasts to `shape` (PyTorch's `expand`, here a copy).
    pub fn expand(&self, shape: &[usize]) -> Result<Tensor> {
        check_size(shape)?;
        let view = self
            .array()
            .broadcast(IxDyn(shape))
            .ok_or_else(|| TensorError::Broadcast {
                op: "expand",
                left: self.shape().to_vec(),
                right: shape.to_vec(),
            })?;
        Ok(Tensor::from_array(view.to_owned()))
    }

    /// Swaps two dimensions.
    pub fn transpose(&self, dim0: isize, dim1: isize) -> Result<Tensor> {
        let a = normalize_dim("transpose", dim0, self.ndim())?;
        let b = normalize_dim("transpose", dim1, self.ndim())?;
        let mut v = self.array().view();
        v.swap_axes(a, b);
        Ok(Tensor::from_array(v.to_owned()))
    }

    /// Concatenates tensors along `dim`; all other dimensions must agree.
    pub fn cat(parts: &[&Tensor], dim: isize) -> Result<Tensor> {
        let first = parts
            .first()
            .ok_or_else(|| TensorError::Invalid("cat: needs at least one tensor".into()))?;
        let d = normalize_dim("cat", dim, first.ndim())?;
        for p in parts {
            let same = p.ndim() == first.ndim()
                && p.shape()
                    .iter()
                    .zip(first.shape())
                    .enumerate()
                    .all(|(i, (x, y))| i == d || x == y);
            if !same {
                return Err(TensorError::Mismatch {
                    op: "cat",
                    what: format!("all sizes except dimension {dim} must match"),
                    left: first.shape().to_vec(),
                    right: p.shape().to_vec(),
                });
            }
        }
        let mut shape = first.shape().to_vec();
        shape[d] = parts.iter().map(|p| p.shape()[d]).sum();
        check_size(&shape)?;
        // In row-major order the result is, for each index before `dim`, each part's
        // contiguous block in turn: copy blocks rather than walk elements.
        let outer: usize = shape[..d].iter().product();
        let inner: usize = shape[d + 1..].iter().product();
        let mut data = Vec::with_capacity(shape.iter().product());
        for o in 0..outer {
            for p in parts {
                let block = p.shape()[d] * inner;
                data.extend_from_slice(&p.data()[o * block..(o + 1) * block]);
            }
        }
        Tensor::from_vec(&shape, data)
    }

    /// Elements `start..stop` (step `step`) along `dim`; bounds already resolved by the caller.
    pub fn slice(&self, dim: isize, start: usize, stop: usize, step: usize) -> Result<Tensor> {
        let d = normalize_dim("slice", dim, self.ndim())?;
        let len = self.shape()[d];
        if start > stop || stop > len || step == 0 {
            return Err(TensorError::Invalid(format!(
                "slice {start}:{stop}:{step} does not fit a dimension of size {len}"
            )));
        }
        let v = self.array().slice_axis(
            Axis(d),
            Slice::new(start as isize, Some(stop as isize), step as isize),
        );
        Ok(Tensor::from_array(v.to_owned()))
    }

    /// The sub-tensor at `index` along `dim` (that dimension removed); negative counts from the end.
    pub fn select(&self, dim: isize, index: isize) -> Result<Tensor> {
        let d = normalize_dim("index", dim, self.ndim())?;
        let len = self.shape()[d];
        let i = if index < 0 {
            index + len as isize
        } else {
            index
        };
        if i < 0 || i >= len as isize {
            return Err(TensorError::Index {
                op: "index",
                index,
                len,
            });
        }
        Ok(Tensor::from_array(
            self.array().index_axis(Axis(d), i as usize).to_owned(),
        ))
    }

    /// Writes `values` (broadcast to the slot's shape) into rows `start..stop` of `dim`.
    pub fn assign_slice(
        &mut self,
        dim: isize,
        start: usize,
        stop: usize,
        values: &Tensor,
    ) -> Result<()> {
        let d = normalize_dim("assign", dim, self.ndim())?;
        let len = self.shape()[d];
        if start > stop || stop > len {
            return Err(TensorError::Invalid(format!(
                "slice {start}:{stop} does not fit a dimension of size {len}"
            )));
        }
        let mut slot = self.array.slice_axis_mut(Axis(d), Slice::from(start..stop));
        let src =
            values
                .array()
                .broadcast(slot.raw_dim())
                .ok_or_else(|| TensorError::Broadcast {
                    op: "assign",
                    left: values.shape().to_vec(),
                    right: slot.shape().to_vec(),
                })?;
        slot.assign(&src);
        Ok(())
    }

    /// Mutable access to the underlying array (for in-place writes that keep the layout).
    pub fn array_mut(&mut self) -> &mut ArrayD<f32> {
        &mut self.array
    }
}

/// ELU for one value.
#[inline(always)]
pub fn elu(x: f32, alpha: f32) -> f32 {
    if x > 0.0 {
        x
    } else {
        alpha * mathf::expm1(x)
    }
}

/// `x ** p` with PyTorch's conventions: integral exponents by repeated multiplication (so
/// negative bases work), others through exp/ln.
pub fn powf_scalar(x: f32, p: f32) -> f32 {
    if p == 2.0 {
        x * x
    } else if p == 1.0 {
        x
    } else if p == 0.5 {
        x.sqrt()
    } else if p.fract() == 0.0 && p.abs() <= 64.0 {
        (x as f64).powi(p as i32) as f32
    } else {
        (x as f64).powf(p as f64) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(shape: &[usize], data: &[f32]) -> Tensor {
        Tensor::from_vec(shape, data.to_vec()).unwrap()
    }

    #[test]
    fn broadcasting_follows_pytorch_rules() {
        assert_eq!(
            broadcast_shapes("add", &[256, 1], &[256, 2]).unwrap(),
            vec![256, 2]
        );
        assert_eq!(
            broadcast_shapes("add", &[3, 1, 4], &[5, 1]).unwrap(),
            vec![3, 5, 4]
        );
        assert_eq!(broadcast_shapes("add", &[], &[2]).unwrap(), vec![2]);
        let err = broadcast_shapes("mul", &[256], &[256, 2]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mul: shapes (256,) and (256, 2) cannot be broadcast together (trailing dimensions must be equal or 1)"
        );
    }

    #[test]
    fn column_times_matrix_scales_each_row() {
        let a = t(&[2, 1], &[2.0, 3.0]);
        let b = t(&[2, 2], &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(a.mul(&b).unwrap(), t(&[2, 2], &[2.0, 4.0, 9.0, 12.0]));
        assert_eq!(
            a.mul(&b).unwrap().sum_to_shape(&[2, 1]).unwrap(),
            t(&[2, 1], &[6.0, 21.0])
        );
    }

    #[test]
    fn batched_matmul_broadcasts_the_batch() {
        let a = t(&[2, 1, 2], &[1.0, 2.0, 3.0, 4.0]);
        let b = t(&[2, 1], &[10.0, 1.0]);
        let c = a.matmul(&b).unwrap();
        assert_eq!(c, t(&[2, 1, 1], &[12.0, 34.0]));
        assert!(matches!(b.matmul(&b), Err(TensorError::Matmul { .. })));
    }

    #[test]
    fn matmul_with_an_empty_operand_gives_the_empty_or_zero_result() {
        let z = |shape: &[usize]| Tensor::zeros(shape).unwrap();
        let ones = |shape: &[usize]| Tensor::full(shape, 1.0).unwrap();
        // no rows, no columns, an empty batch: empty results of the right shape
        assert_eq!(z(&[0, 2]).matmul(&ones(&[2, 3])).unwrap(), z(&[0, 3]));
        assert_eq!(ones(&[4, 2]).matmul(&z(&[2, 0])).unwrap(), z(&[4, 0]));
        assert_eq!(z(&[0, 4, 2]).matmul(&ones(&[2, 3])).unwrap(), z(&[0, 4, 3]));
        assert_eq!(z(&[3, 0, 2]).matmul(&ones(&[2, 1])).unwrap(), z(&[3, 0, 1]));
        // an empty inner dimension sums nothing: zeros
        assert_eq!(z(&[2, 0]).matmul(&z(&[0, 3])).unwrap(), z(&[2, 3]));
        assert!(matches!(
            z(&[0, 2]).matmul(&z(&[3, 1])),
            Err(TensorError::Matmul { .. })
        ));
    }

    #[test]
    fn reshape_infers_one_dimension_and_rejects_wrong_sizes() {
        let a = t(&[2, 3], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(a.reshape(&[-1, 2]).unwrap().shape(), &[3, 2]);
        let e = a.reshape(&[4, -1]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "reshape: shape (4, -1) is invalid for a tensor of shape (2, 3) (6 elements)"
        );
    }

    #[test]
    fn huge_shapes_are_refused_before_allocating() {
        let e = Tensor::zeros(&[100_000, 100_000]).unwrap_err();
        assert!(e.to_string().contains("over the limit"), "{e}");
    }

    #[test]
    fn slicing_selecting_and_cat_round_trip() {
        let a = t(&[3, 2], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        let top = a.slice(0, 0, 1, 1).unwrap();
        let rest = a.slice(0, 1, 3, 1).unwrap();
        assert_eq!(Tensor::cat(&[&top, &rest], 0).unwrap(), a);
        assert_eq!(a.select(0, -1).unwrap(), t(&[2], &[4.0, 5.0]));
        assert!(a.select(0, 3).is_err());
        assert_eq!(
            a.transpose(0, 1).unwrap().data(),
            &[0.0, 2.0, 4.0, 1.0, 3.0, 5.0]
        );
    }
}
