//! A tensor's attributes and methods, with PyTorch's names and semantics (and numpy's where the
//! tensor is a numpy array: `x.shape` is then a plain tuple).

use super::torch::{tensor_arg, unsqueeze};
use super::{flag, ArgReader};
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, RtError, RtResult};
use crate::lang::interp::ops::{as_index, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::{shape_str, Tensor};
use std::rc::Rc;

/// Every attribute and method name (for "did you mean" hints).
pub const TENSOR_ATTRS: &[&str] = &[
    "shape",
    "size",
    "view",
    "reshape",
    "expand",
    "unsqueeze",
    "squeeze",
    "T",
    "t",
    "detach",
    "numpy",
    "item",
    "mean",
    "sum",
    "std",
    "norm",
    "clone",
    "backward",
    "grad",
    "requires_grad",
    "requires_grad_",
    "is_leaf",
    "dim",
    "ndim",
    "numel",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
    "pow",
    "matmul",
    "float",
    "cpu",
    "to",
    "tolist",
    "dtype",
    "device",
    "grad_fn",
    "transpose",
    "flatten",
    "max",
    "min",
    "copy",
    "trace",
    "diag",
    "diagonal",
    "long",
    "int",
];

/// `x.name`: a property's value, or the bound method.
pub fn tensor_attr(_vm: &mut Vm, t: &TensorValue, name: &str) -> RtResult<Option<Value>> {
    Ok(Some(match name {
        "shape" => shape_value(t),
        "T" => {
            let n = t.var.value().ndim();
            if n < 2 {
                Value::Tensor(t.clone())
            } else {
                let dims: Vec<isize> = (0..n as isize).rev().collect();
                let mut r = t.derived_as(permute_reverse(&t.var, &dims)?, "PermuteBackward0");
                r.meta.int = t.meta.int;
                Value::Tensor(r)
            }
        }
        "grad" => match t.var.grad() {
            Some(g) => {
                // a view of the gradient: `w.grad[:] = 0` writes through
                let mut view = TensorValue::torch(Var::constant(g));
                view.meta.base = Some(Rc::new(Base::GradOf(t.var.clone())));
                Value::Tensor(view)
            }
            None => Value::None,
        },
        "requires_grad" => Value::Bool(t.var.requires_grad()),
        "is_leaf" => Value::Bool(t.var.is_leaf()),
        "ndim" => Value::Int(t.var.value().ndim() as i64),
        "dtype" => Value::str(match (t.numpy, t.meta.int) {
            (true, true) => "int64",
            (true, false) => "float64",
            (false, true) => "torch.int64",
            (false, false) => "torch.float32",
        }),
        "device" => Value::str("cpu"),
        "grad_fn" => match t.var.op_name() {
            Some(op) => Value::str(&format!("<{op}>")),
            None => Value::None,
        },
        _ if TENSOR_ATTRS.contains(&name) || name == "flatten" => {
            let name: &'static str = TENSOR_ATTRS
                .iter()
                .find(|n| **n == name)
                .copied()
                .unwrap_or("method");
            Value::native_method(
                Value::Tensor(t.clone()),
                name,
                |vm, this, name, args| match this {
                    Value::Tensor(t) => call_method(vm, t, name, args),
                    _ => Err(type_error("internal: a tensor method without its tensor")),
                },
            )
        }
        _ => return Ok(None),
    }))
}

/// `x.shape`: `torch.Size` for a tensor, a tuple for a numpy array.
fn shape_value(t: &TensorValue) -> Value {
    let shape = t.var.shape();
    if t.numpy {
        Value::tuple(shape.iter().map(|&d| Value::Int(d as i64)).collect())
    } else {
        Value::Size(Rc::from(shape))
    }
}

/// Reverses all dimensions (`x.T`) through pairwise transposes.
fn permute_reverse(var: &Var, dims: &[isize]) -> RtResult<Var> {
    let n = dims.len();
    let mut out = var.clone();
    for i in 0..n / 2 {
        out = out.transpose(i as isize, (n - 1 - i) as isize)?;
    }
    Ok(out)
}

/// Sizes given as `view(2, 3)`, `view((2, 3))` or `view(-1, 1)`.
fn sizes(fname: &str, items: Vec<Value>) -> RtResult<Vec<isize>> {
    let items = if items.len() == 1
        && matches!(items[0], Value::Tuple(_) | Value::List(_) | Value::Size(_))
    {
        to_vec(&items[0])?
    } else {
        items
    };
    items
        .iter()
        .map(|v| {
            as_index(v).map(|i| i as isize).ok_or_else(|| {
                type_error(format!(
                    "{fname}(): sizes must be ints, not '{}'",
                    v.type_name()
                ))
            })
        })
        .collect()
}

fn wrap(t: &TensorValue, var: Var) -> Value {
    Value::Tensor(t.derived(var))
}

/// Calls method `name` of tensor `t`.
pub fn call_method(vm: &mut Vm, t: &TensorValue, name: &str, args: Args) -> RtResult<Value> {
    let var = &t.var;
    let fname: &'static str = TENSOR_ATTRS
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("method");
    let mut a = ArgReader::new(fname, args);
    let mut result = match name {
        "size" => {
            let dim = a.get(0, "dim");
            let shape = var.shape();
            match dim {
                None | Some(Value::None) => shape_value(t),
                Some(d) => {
                    let d = as_index(&d).ok_or_else(|| type_error("size(): dim must be an int"))?;
                    let i = crate::tensor::normalize_dim("size", d as isize, shape.len())?;
                    Value::Int(shape[i] as i64)
                }
            }
        }
        "view" | "reshape" => {
            let shape = sizes(fname, a.rest(0))?;
            let shape = if shape.is_empty() {
                match a.keyword("shape") {
                    Some(s) => sizes(fname, vec![s])?,
                    None => shape,
                }
            } else {
                shape
            };
            wrap(t, var.reshape(&shape)?)
        }
        "expand" => {
            let wanted = sizes(fname, a.rest(0))?;
            let current = var.shape();
            if wanted.len() < current.len() {
                return Err(RtError::new(
                    ErrorKind::Shape,
                    format!(
                        "expand(): the number of sizes ({}) must be at least the tensor's dimensions ({}), shape {}",
                        wanted.len(),
                        current.len(),
                        shape_str(&current)
                    ),
                ));
            }
            let offset = wanted.len() - current.len();
            let shape = wanted
                .iter()
                .enumerate()
                .map(|(i, &w)| {
                    if w == -1 && i >= offset {
                        Ok(current[i - offset])
                    } else {
                        usize::try_from(w).map_err(|_| {
                            type_error(format!(
                                "expand(): -1 is not allowed for a new leading dimension ({w})"
                            ))
                        })
                    }
                })
                .collect::<RtResult<Vec<usize>>>()?;
            wrap(t, var.expand(&shape)?)
        }
        "unsqueeze" => {
            let d = a.required(0, "dim")?;
            let d = as_index(&d).ok_or_else(|| type_error("unsqueeze(): dim must be an int"))?;
            Value::Tensor(t.derived_as(unsqueeze(var, d as isize)?, "UnsqueezeBackward0"))
        }
        "squeeze" => {
            let shape = var.shape();
            let keep: Vec<isize> = match a.get(0, "dim") {
                None | Some(Value::None) => shape
                    .iter()
                    .filter(|&&d| d != 1)
                    .map(|&d| d as isize)
                    .collect(),
                Some(d) => {
                    let d =
                        as_index(&d).ok_or_else(|| type_error("squeeze(): dim must be an int"))?;
                    let i = crate::tensor::normalize_dim("squeeze", d as isize, shape.len())?;
                    shape
                        .iter()
                        .enumerate()
                        .filter(|(j, &n)| *j != i || n != 1)
                        .map(|(_, &n)| n as isize)
                        .collect()
                }
            };
            Value::Tensor(t.derived_as(var.reshape(&keep)?, "SqueezeBackward0"))
        }
        "flatten" => Value::Tensor(t.derived_as(var.reshape(&[-1])?, "ViewBackward0")),
        "t" => {
            let n = var.value().ndim();
            if n > 2 {
                return Err(RtError::new(
                    ErrorKind::Shape,
                    format!("t() expects a tensor with <= 2 dimensions, but it has {n}"),
                ));
            }
            if n < 2 {
                Value::Tensor(t.clone())
            } else {
                Value::Tensor(t.derived_as(var.transpose(0, 1)?, "TBackward0"))
            }
        }
        "transpose" => {
            let d0 = as_index(&a.required(0, "dim0")?).unwrap_or(0);
            let d1 = as_index(&a.required(1, "dim1")?).unwrap_or(0);
            Value::Tensor(t.derived_as(
                var.transpose(d0 as isize, d1 as isize)?,
                "TransposeBackward0",
            ))
        }
        "detach" => wrap(t, var.detach()),
        "clone" | "copy" => {
            // a copy that stays on the graph (gradient flows back unchanged)
            Value::Tensor(t.derived_as(var.add_scalar(0.0), "CloneBackward0"))
        }
        "cpu" => Value::Tensor(t.clone()),
        "to" => {
            let (args, dtype) = (a.rest(0), a.keyword("dtype"));
            let _ = a.keyword("device");
            super::ints::to(t, args, dtype)?
        }
        "float" | "long" | "int" => super::ints::convert(t, name != "float")?,
        "trace" | "diag" | "diagonal" => super::matrix::method(t, name, &mut a)?,
        "numpy" => {
            if var.requires_grad() {
                return Err(type_error(
                    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.",
                ));
            }
            let mut array = TensorValue::numpy(var.clone());
            array.meta.float32 = true;
            Value::Tensor(array)
        }
        "item" => {
            let v = var.value();
            if v.len() != 1 {
                return Err(RtError::new(
                    ErrorKind::Shape,
                    format!(
                        "item(): a Tensor with {} elements cannot be converted to a Python number; pick one (x[0].item()) or reduce it first (x.mean().item())",
                        v.len()
                    ),
                ));
            }
            super::ints::number(t, v.data()[0])
        }
        "tolist" => tolist(t, &var.value()),
        "dim" => Value::Int(var.value().ndim() as i64),
        "numel" => Value::Int(var.value().len() as i64),
        "requires_grad_" => {
            super::ints::float_only(t, name)?;
            let on = match a.get(0, "requires_grad") {
                Some(v) => flag(&v)?,
                None => true,
            };
            var.set_requires_grad(on)?;
            Value::Tensor(t.clone())
        }
        "backward" => {
            backward(var)?;
            Value::None
        }
        "mean" | "sum" => {
            if name == "mean" {
                super::ints::float_only(t, name)?;
            }
            let dim = a.get(0, "dim").or_else(|| a.keyword("axis"));
            let keepdim = match a.get(1, "keepdim").or_else(|| a.keyword("keepdims")) {
                Some(k) => flag(&k)?,
                None => false,
            };
            let _ = a.keyword("dtype");
            reduce(t, name, dim, keepdim)?
        }
        "std" => {
            super::ints::float_only(t, name)?;
            let dim = a.get(0, "dim").or_else(|| a.keyword("axis"));
            let mut unbiased = !t.numpy;
            if let Some(u) = a.keyword("unbiased") {
                unbiased = flag(&u)?;
            }
            if let Some(c) = a.keyword("correction").or_else(|| a.keyword("ddof")) {
                unbiased = as_index(&c).unwrap_or(1) != 0;
            }
            let keepdim = match a.keyword("keepdim").or_else(|| a.keyword("keepdims")) {
                Some(k) => flag(&k)?,
                None => false,
            };
            Value::Tensor(t.derived_as(std(var, dim_of(dim)?, keepdim, unbiased)?, "StdBackward0"))
        }
        "norm" => {
            super::ints::float_only(t, name)?;
            let p = a.get(0, "p");
            if let Some(p) = &p {
                if crate::lang::interp::ops::as_number(p) != Some(2.0) {
                    return Err(type_error("norm(): only the 2-norm (p=2) is supported"));
                }
            }
            let dim = dim_of(a.get(1, "dim"))?;
            let keepdim = match a.get(2, "keepdim") {
                Some(k) => flag(&k)?,
                None => false,
            };
            let sq = var.mul(var)?;
            let s = match dim {
                Some(d) => sq.sum_dim(d, keepdim)?,
                None => sq.sum(),
            };
            Value::Tensor(t.derived_as(s.sqrt(), "LinalgVectorNormBackward0"))
        }
        "exp" => wrap(t, var.exp()),
        "log" => wrap(t, var.log()),
        "sqrt" => wrap(t, var.sqrt()),
        "sin" => wrap(t, var.sin()),
        "cos" => wrap(t, var.cos()),
        "tanh" => wrap(t, var.tanh()),
        "sigmoid" => wrap(t, var.sigmoid()),
        "relu" => wrap(t, var.relu()),
        "abs" => Value::Tensor(t.derived_as(super::torch::abs_var(var)?, "AbsBackward0")),
        "pow" => {
            let e = a.required(0, "exponent")?;
            return crate::lang::interp::ops::binary(
                crate::lang::ast::BinOp::Pow,
                &Value::Tensor(t.clone()),
                &e,
            )
            .and_then(|v| a.finish().map(|_| v));
        }
        "matmul" => {
            let o = tensor_arg("matmul", &a.required(0, "other")?)?;
            wrap(t, var.matmul(&o.var)?)
        }
        "max" | "min" => {
            if a.positional_count() > 0 || a.keyword("dim").is_some() {
                return Err(type_error(format!(
                    "{name}(dim) is not part of the lab language: use {name}() for the overall {name}imum"
                )));
            }
            let v = var.value();
            if v.is_empty() {
                return Err(RtError::new(
                    ErrorKind::Value,
                    format!("{name}() of an empty tensor"),
                ));
            }
            let pick = v.data().iter().copied().fold(v.data()[0], |m, x| {
                if x.is_nan() || m.is_nan() {
                    f32::NAN
                } else if (name == "max") == (x > m) {
                    x
                } else {
                    m
                }
            });
            wrap(t, Var::constant(Tensor::scalar(pick)))
        }
        _ => {
            return Err(type_error(format!(
                "'Tensor' object has no method '{name}'"
            )));
        }
    };
    a.finish()?;
    let _ = vm;
    super::ints::keep_dtype(t, name, &mut result);
    Ok(result)
}

fn dim_of(v: Option<Value>) -> RtResult<Option<isize>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(d) => as_index(&d)
            .map(|d| Some(d as isize))
            .ok_or_else(|| type_error("dim must be an int")),
    }
}

fn reduce(t: &TensorValue, name: &str, dim: Option<Value>, keepdim: bool) -> RtResult<Value> {
    let var = &t.var;
    let (r, label) = match (dim_of(dim)?, name) {
        (None, "mean") => (var.mean(), "MeanBackward0"),
        (None, _) => (var.sum(), "SumBackward0"),
        (Some(d), "mean") => (var.mean_dim(d, keepdim)?, "MeanBackward1"),
        (Some(d), _) => (var.sum_dim(d, keepdim)?, "SumBackward1"),
    };
    Ok(Value::Tensor(t.derived_as(r, label)))
}

/// Standard deviation, built from differentiable pieces.
fn std(var: &Var, dim: Option<isize>, keepdim: bool, unbiased: bool) -> RtResult<Var> {
    let shape = var.shape();
    let n = match dim {
        Some(d) => shape[crate::tensor::normalize_dim("std", d, shape.len())?],
        None => shape.iter().product(),
    };
    let correction = if unbiased { 1.0 } else { 0.0 };
    let denom = (n as f32 - correction).max(0.0);
    let centered = match dim {
        Some(d) => var.sub(&var.mean_dim(d, true)?)?,
        None => var.sub(&var.mean())?,
    };
    let sq = centered.mul(&centered)?;
    let total = match dim {
        Some(d) => sq.sum_dim(d, keepdim)?,
        None => sq.sum(),
    };
    Ok(total.scale(1.0 / denom).sqrt())
}

/// `loss.backward()`, with the checks an attendee needs.
fn backward(var: &Var) -> RtResult<()> {
    let v = var.value().clone();
    if v.len() != 1 {
        return Err(RtError::new(
            ErrorKind::Shape,
            format!(
                "grad can be implicitly created only for scalar outputs: backward() was called on a tensor of shape {}; reduce it to one number first, e.g. loss = ((u - target) ** 2).mean()",
                shape_str(v.shape())
            ),
        ));
    }
    if !var.requires_grad() {
        return Err(RtError::new(
            ErrorKind::Value,
            "element 0 of tensors does not require grad and does not have a grad_fn: was it computed under torch.no_grad(), from .detach()ed values, or from tensors without requires_grad=True?",
        ));
    }
    let x = v.data()[0];
    if !x.is_finite() {
        return Err(RtError::new(
            ErrorKind::Numerics,
            format!(
                "the loss is {}: training diverged. Lower the learning rate (for example lr=1e-3) and run the cells again from the model's definition",
                if x.is_nan() { "nan" } else { "infinite" }
            ),
        ));
    }
    Ok(var.backward()?)
}

fn tolist(tv: &TensorValue, t: &Tensor) -> Value {
    fn build(tv: &TensorValue, data: &[f32], shape: &[usize]) -> Value {
        match shape.split_first() {
            None => super::ints::number(tv, data.first().copied().unwrap_or(0.0)),
            Some((&n, rest)) => {
                let step: usize = rest.iter().product();
                Value::list(
                    (0..n)
                        .map(|i| build(tv, &data[i * step..(i + 1) * step], rest))
                        .collect(),
                )
            }
        }
    }
    build(tv, t.data(), t.shape())
}
