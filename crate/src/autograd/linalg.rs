//! Diagonals of matrices, differentiable: `trace`, `diagonal`, and its inverse `diag_embed`
//! (PyTorch's `torch.diag` is `diag_embed` for a vector and `diagonal` for a matrix).

use super::Var;
use crate::tensor::{shape_str, Result, Tensor, TensorError};

/// The positions `(row, col)` of diagonal `offset` of a `rows x cols` matrix (above the main
/// diagonal for `offset > 0`, below it for `offset < 0`).
fn diagonal_positions(rows: usize, cols: usize, offset: isize) -> Vec<(usize, usize)> {
    let (r0, c0) = if offset >= 0 {
        (0, offset.unsigned_abs())
    } else {
        (offset.unsigned_abs(), 0)
    };
    let n = rows.saturating_sub(r0).min(cols.saturating_sub(c0));
    (0..n).map(|i| (r0 + i, c0 + i)).collect()
}

fn matrix_shape(op: &str, t: &Tensor) -> Result<(usize, usize)> {
    match t.shape() {
        &[r, c] => Ok((r, c)),
        s => Err(TensorError::Invalid(format!(
            "{op}: expected a matrix (2-D tensor), but got shape {}",
            shape_str(s)
        ))),
    }
}

/// The entries at `positions` of a row-major matrix with `cols` columns.
fn gather(t: &Tensor, cols: usize, positions: &[(usize, usize)]) -> Vec<f32> {
    positions
        .iter()
        .map(|&(r, c)| t.data()[r * cols + c])
        .collect()
}

/// A `rows x cols` matrix of zeros with `values` at `positions`.
fn scatter(
    rows: usize,
    cols: usize,
    positions: &[(usize, usize)],
    values: &[f32],
) -> Result<Tensor> {
    let mut out = Tensor::zeros(&[rows, cols])?;
    let data = out.data_mut();
    for (&(r, c), &v) in positions.iter().zip(values) {
        data[r * cols + c] = v;
    }
    Ok(out)
}

impl Var {
    /// Sum of the main diagonal of a matrix (PyTorch's `trace`; any 2-D shape).
    pub fn trace(&self) -> Result<Var> {
        let (rows, cols) = matrix_shape("trace", &self.value())?;
        let positions = diagonal_positions(rows, cols, 0);
        let sum: f64 = gather(&self.value(), cols, &positions)
            .iter()
            .map(|&v| f64::from(v))
            .sum();
        Ok(Var::from_op(
            Tensor::scalar(sum as f32),
            "trace",
            vec![self.clone()],
            move |g, _, _| {
                let ones = vec![g.item()?; positions.len()];
                Ok(vec![Some(scatter(rows, cols, &positions, &ones)?)])
            },
        ))
    }

    /// Diagonal `offset` of a matrix as a vector (PyTorch's `diagonal(offset)` on 2-D).
    pub fn diagonal(&self, offset: isize) -> Result<Var> {
        let (rows, cols) = matrix_shape("diagonal", &self.value())?;
        let positions = diagonal_positions(rows, cols, offset);
        let v = Tensor::from_vec(&[positions.len()], gather(&self.value(), cols, &positions))?;
        Ok(Var::from_op(
            v,
            "diagonal",
            vec![self.clone()],
            move |g, _, _| Ok(vec![Some(scatter(rows, cols, &positions, g.data())?)]),
        ))
    }

    /// The square matrix with this vector on diagonal `offset` and zeros elsewhere (PyTorch's
    /// `diag` of a 1-D tensor).
    pub fn diag_embed(&self, offset: isize) -> Result<Var> {
        let shape = self.shape();
        let &[n] = shape.as_slice() else {
            return Err(TensorError::Invalid(format!(
                "diag_embed: expected a vector (1-D tensor), but got shape {}",
                shape_str(&shape)
            )));
        };
        let size = n + offset.unsigned_abs();
        crate::tensor::check_size(&[size, size])?;
        let positions = diagonal_positions(size, size, offset);
        let v = scatter(size, size, &positions, self.value().data())?;
        Ok(Var::from_op(
            v,
            "diag_embed",
            vec![self.clone()],
            move |g, _, _| {
                Ok(vec![Some(Tensor::from_vec(
                    &[positions.len()],
                    gather(g, size, &positions),
                )?)])
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::{check, randn};
    use super::*;

    #[test]
    fn diagonals_have_pytorchs_values() {
        let m = Var::constant(Tensor::from_vec(&[2, 3], vec![1., 2., 3., 4., 5., 6.]).unwrap());
        assert_eq!(m.trace().unwrap().value().item().unwrap(), 6.0);
        assert_eq!(m.diagonal(0).unwrap().value().data(), &[1., 5.]);
        assert_eq!(m.diagonal(1).unwrap().value().data(), &[2., 6.]);
        assert_eq!(m.diagonal(2).unwrap().value().data(), &[3.]);
        assert_eq!(m.diagonal(-1).unwrap().value().data(), &[4.]);
        assert!(m.diagonal(3).unwrap().value().is_empty());
        assert!(m.diagonal(-2).unwrap().value().is_empty());
        let v = Var::constant(Tensor::from_vec(&[2], vec![1., 2.]).unwrap());
        let d = v.diag_embed(1).unwrap();
        assert_eq!(d.shape(), vec![3, 3]);
        assert_eq!(d.value().data(), &[0., 1., 0., 0., 0., 2., 0., 0., 0.]);
        let d = v.diag_embed(-1).unwrap();
        assert_eq!(d.value().data(), &[0., 0., 0., 1., 0., 0., 0., 2., 0.]);
        assert!(v.trace().is_err() && v.diagonal(0).is_err() && m.diag_embed(0).is_err());
    }

    #[test]
    fn diagonals_pass_gradient_checks() {
        check("trace square", &[randn(&[4, 4], 1)], |v| v[0].trace());
        check("trace wide", &[randn(&[2, 5], 2)], |v| v[0].trace());
        for offset in [-2, -1, 0, 1, 3] {
            check("diagonal", &[randn(&[3, 4], 3)], |v| v[0].diagonal(offset));
            check("diag_embed", &[randn(&[3], 4)], |v| v[0].diag_embed(offset));
        }
        // the Jacobian's trace through a composite: trace(A diag(v) A^T)
        check(
            "trace of a product",
            &[randn(&[3, 3], 5), randn(&[3], 6)],
            |v| {
                let a = &v[0];
                a.matmul(&v[1].diag_embed(0)?)?
                    .matmul(&a.transpose(0, 1)?)?
                    .trace()
            },
        );
    }
}
