//! Integer tensors: `torch.randint`, and PyTorch's int64 dtype as far as the lab language needs
//! it. The engine holds only float32, so an int64 tensor is a float32 tensor of whole numbers
//! flagged `meta.int`: it prints as PyTorch prints int64 (`tensor([[1, 0], [0, 1]])`), its
//! `dtype` is `torch.int64`, `.item()` gives a Python int, `.float()` makes it an ordinary
//! float tensor again, and `+ - *` with ints keep it integer (see `ops::arith`). Whole numbers
//! are exact up to 2^24 in float32, so `randint` refuses larger bounds.

use super::ArgReader;
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::{as_index, repr, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::{check_size, Tensor};

/// Largest magnitude a float32 holds every whole number up to.
const EXACT: i64 = 1 << 24;

/// The dtypes `torch` names: `(attribute, dtype string)`.
pub const DTYPES: &[(&str, &str)] = &[
    ("int64", "torch.int64"),
    ("long", "torch.int64"),
    ("int32", "torch.int32"),
    ("int", "torch.int32"),
];

/// Whether a `dtype=` value names an integer dtype (`torch.long`, `torch.int64`, ...):
/// `Some(true)` for an integer one, `Some(false)` for a float one, `None` when absent.
pub fn dtype_is_int(fname: &str, d: &Value) -> RtResult<Option<bool>> {
    match d {
        Value::None => Ok(None),
        Value::Str(s) if s.starts_with("torch.int") => Ok(Some(true)),
        Value::Str(s) if s.starts_with("torch.float") => Ok(Some(false)),
        Value::Builtin(b) if b.name == "float" => Ok(Some(false)),
        Value::Builtin(b) if b.name == "int" => Ok(Some(true)),
        other => Err(type_error(format!(
            "{fname}(): dtype {} is not supported: the lab language has float32 and int64 tensors",
            repr(other)
        ))),
    }
}

fn int_arg(fname: &str, what: &str, v: &Value) -> RtResult<i64> {
    let i = match v {
        Value::Int(_) | Value::Bool(_) => as_index(v),
        Value::Tensor(t) if t.meta.int && t.var.value().len() == 1 => {
            Some(t.var.value().data()[0] as i64)
        }
        _ => None,
    };
    let i = i.ok_or_else(|| {
        type_error(format!(
            "{fname}(): {what} must be an int, not '{}'",
            v.type_name()
        ))
    })?;
    if i.abs() > EXACT {
        return Err(value_error(format!(
            "{fname}(): {what}={i} is too large: the lab language holds whole numbers in float32, exact up to 2**24 = {EXACT}"
        )));
    }
    Ok(i)
}

/// `torch.randint(high, size)` / `torch.randint(low, high, size)` (also by keyword): whole
/// numbers uniform in `[low, high)` from the session's generator, int64 unless `dtype` is a
/// float dtype.
pub fn randint(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("randint", args);
    let mut pos = a.rest(0);
    let size = match a.keyword("size") {
        Some(s) => s,
        None => pos.pop().ok_or_else(|| {
            type_error(
                "randint() missing required argument 'size' (write torch.randint(low, high, (n,)))",
            )
        })?,
    };
    let (low, high) =
        match (pos.as_slice(), a.keyword("low"), a.keyword("high")) {
            ([], low, Some(high)) => (low, high),
            ([high], None, None) => (None, high.clone()),
            ([low, high], None, None) => (Some(low.clone()), high.clone()),
            ([low], None, Some(high)) => (Some(low.clone()), high),
            _ => return Err(type_error(
                "randint() takes (high, size) or (low, high, size), size a tuple such as (5, 2)",
            )),
        };
    let low = match low {
        Some(l) => int_arg("randint", "low", &l)?,
        None => 0,
    };
    let high = int_arg("randint", "high", &high)?;
    let int = match a.keyword("dtype") {
        Some(d) => dtype_is_int("randint", &d)?.unwrap_or(true),
        None => true,
    };
    let _ = a.keyword("device");
    if let Some(g) = a.keyword("generator") {
        if !matches!(g, Value::None) {
            return Err(type_error(
                "randint(): generator= is not supported: every draw comes from the session's generator (seed it with torch.manual_seed)",
            ));
        }
    }
    let requires_grad = match a.keyword("requires_grad") {
        Some(v) => super::flag(&v)?,
        None => false,
    };
    a.finish()?;
    let shape: Vec<usize> = match &size {
        Value::Tuple(_) | Value::List(_) | Value::Size(_) => to_vec(&size)?
            .iter()
            .map(|d| super::size("randint", "each size", d))
            .collect::<RtResult<_>>()?,
        other => {
            return Err(type_error(format!(
                "randint(): size must be a tuple of ints, not '{}' (write torch.randint(low, high, ({},)))",
                other.type_name(),
                repr(other)
            )))
        }
    };
    if low >= high {
        return Err(RtError::new(
            ErrorKind::Value,
            format!("random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"),
        ));
    }
    if int && requires_grad {
        return Err(not_differentiable());
    }
    check_size(&shape)?;
    let span = (high - low) as usize;
    let data: Vec<f32> = (0..shape.iter().product::<usize>())
        .map(|_| (low + crate::rng::below(&mut vm.rng, span) as i64) as f32)
        .collect();
    let mut t = TensorValue::torch(Var::leaf(Tensor::from_vec(&shape, data)?, requires_grad));
    t.meta.int = int;
    Ok(Value::Tensor(t))
}

fn not_differentiable() -> RtError {
    RtError::new(
        ErrorKind::Value,
        "Only Tensors of floating point and complex dtype can require gradients: convert with .float() first",
    )
}

/// `x.long()` / `x.int()`: whole numbers (toward zero), int64; `x.float()`: float32.
pub fn convert(t: &TensorValue, to_int: bool) -> RtResult<Value> {
    if to_int == t.meta.int {
        return Ok(Value::Tensor(t.clone()));
    }
    let mut out = if to_int {
        let v = t.var.value().map(f32::trunc);
        TensorValue::torch(Var::constant(v))
    } else {
        // int64 to float32: same numbers, a new tensor off the graph (ints have none)
        TensorValue::torch(Var::constant(t.var.value().clone()))
    };
    out.numpy = t.numpy;
    out.meta.int = to_int;
    Ok(Value::Tensor(out))
}

/// `x.to(dtype)` / `x.to(dtype=...)`: converts when a dtype is among the arguments.
pub fn to(t: &TensorValue, args: Vec<Value>, dtype: Option<Value>) -> RtResult<Value> {
    let mut target = None;
    for v in args.iter().chain(dtype.iter()) {
        if let Value::Str(s) = v {
            if s.starts_with("torch.") {
                target = dtype_is_int("to", v)?;
            }
        }
    }
    match target {
        Some(int) => convert(t, int),
        None => Ok(Value::Tensor(t.clone())),
    }
}

/// The methods whose result has its input's dtype (so an int64 input gives int64).
const KEEP_DTYPE: &[&str] = &[
    "view",
    "reshape",
    "expand",
    "unsqueeze",
    "squeeze",
    "flatten",
    "t",
    "transpose",
    "detach",
    "clone",
    "copy",
    "cpu",
    "sum",
    "max",
    "min",
    "abs",
    "trace",
    "diag",
    "diagonal",
];

/// Marks the result of method `name` of int64 tensor `t` int64 when PyTorch keeps the dtype.
pub fn keep_dtype(t: &TensorValue, name: &str, result: &mut Value) {
    if let Value::Tensor(r) = result {
        if t.meta.int && KEEP_DTYPE.contains(&name) {
            r.meta.int = true;
        }
    }
}

/// PyTorch's refusal of a float-only method (`mean`, `std`, `norm`) on an int64 tensor.
pub fn float_only(t: &TensorValue, name: &str) -> RtResult<()> {
    if !t.meta.int || t.numpy {
        return Ok(());
    }
    let what = match name {
        "mean" => "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long".to_string(),
        "requires_grad_" => return Err(not_differentiable()),
        _ => format!("{name}() needs a floating point tensor, got Long"),
    };
    Err(type_error(format!("{what}: convert with .float() first")))
}

/// `.item()` / `.tolist()` numbers: Python ints for an int64 tensor.
pub fn number(t: &TensorValue, x: f32) -> Value {
    if t.meta.int {
        Value::Int(x as i64)
    } else {
        Value::Float(f64::from(x))
    }
}
