//! Diagonals, by PyTorch's names: `trace`, `diag` and `diagonal`, as tensor methods and as
//! `torch.` functions (which call the method of their first argument). Differentiable: they
//! are the engine's `Var::trace`, `Var::diagonal` and `Var::diag_embed`.

use super::ArgReader;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, RtError, RtResult};
use crate::lang::interp::ops::as_index;
use crate::lang::interp::value::*;
use crate::tensor::{normalize_dim, shape_str};

fn int_or(a: &mut ArgReader, i: usize, name: &'static str, default: isize) -> RtResult<isize> {
    match a.get(i, name) {
        None | Some(Value::None) => Ok(default),
        Some(v) => as_index(&v).map(|d| d as isize).ok_or_else(|| {
            type_error(format!(
                "{}(): {name} must be an int, not '{}'",
                a.fname(),
                v.type_name()
            ))
        }),
    }
}

fn dims_error(name: &str, what: &str, shape: &[usize]) -> RtError {
    RtError::new(
        ErrorKind::Shape,
        format!(
            "{name}(): expected {what}, but got a tensor of shape {}",
            shape_str(shape)
        ),
    )
}

/// `m.trace()`, `v.diag(diagonal=0)` / `m.diag(diagonal=0)`, `m.diagonal(offset=0, dim1=0,
/// dim2=1)`, with the arguments still in `a`.
pub fn method(t: &TensorValue, name: &str, a: &mut ArgReader) -> RtResult<Value> {
    let var = &t.var;
    let shape = var.shape();
    match name {
        "trace" => {
            if shape.len() != 2 {
                return Err(dims_error("trace", "a matrix (2-D)", &shape));
            }
            Ok(Value::Tensor(t.derived_as(var.trace()?, "TraceBackward0")))
        }
        "diag" => {
            let k = int_or(a, 0, "diagonal", 0)?;
            match shape.len() {
                1 => Ok(Value::Tensor(
                    t.derived_as(var.diag_embed(k)?, "DiagEmbedBackward0"),
                )),
                // PyTorch 2's own label for `torch.diag` of a matrix
                2 => Ok(Value::Tensor(
                    t.derived_as(var.diagonal(k)?, "DiagonalBackward0_copy"),
                )),
                n => Err(RtError::new(
                    ErrorKind::Shape,
                    format!("diag(): Supports 1D or 2D tensors. Got {n}D"),
                )),
            }
        }
        "diagonal" => {
            let offset = int_or(a, 0, "offset", 0)?;
            let dim1 = int_or(a, 1, "dim1", 0)?;
            let dim2 = int_or(a, 2, "dim2", 1)?;
            if shape.len() != 2 {
                return Err(dims_error(
                    "diagonal",
                    "a matrix (2-D): the lab language takes diagonals of matrices; for a batch, take each matrix's",
                    &shape,
                ));
            }
            let d1 = normalize_dim("diagonal", dim1, 2)?;
            let d2 = normalize_dim("diagonal", dim2, 2)?;
            let diag = match (d1, d2) {
                (0, 1) => var.diagonal(offset)?,
                (1, 0) => var.transpose(0, 1)?.diagonal(offset)?,
                _ => {
                    return Err(RtError::new(
                        ErrorKind::Value,
                        format!("diagonal dimensions cannot be identical {dim1}, {dim2}"),
                    ))
                }
            };
            Ok(Value::Tensor(t.derived_as(diag, "DiagonalBackward0")))
        }
        _ => Err(type_error(format!(
            "'Tensor' object has no method '{name}'"
        ))),
    }
}
