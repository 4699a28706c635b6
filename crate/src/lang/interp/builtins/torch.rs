//! `torch`: tensor creation, seeded random draws, elementwise functions, `cat` / `stack`,
//! `no_grad`; and the tensor's own attributes and methods (`x.shape`, `x.view(...)`,
//! `loss.backward()`, ...). Every random draw comes from the session's seeded generator.

use super::{flag, number, size, ArgReader};
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::{as_index, as_number, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::{check_size, Tensor};
use std::collections::HashMap;

/// The `torch` module's attributes.
pub fn module() -> HashMap<&'static str, Value> {
    let fns: [(&'static str, BuiltinFn); 28] = [
        ("tensor", tensor),
        ("Tensor", tensor_class),
        ("randn", |vm, _, a| random(vm, a, "randn", true)),
        ("rand", |vm, _, a| random(vm, a, "rand", false)),
        ("randn_like", |vm, _, a| {
            random_like(vm, a, "randn_like", true)
        }),
        ("rand_like", |vm, _, a| {
            random_like(vm, a, "rand_like", false)
        }),
        ("zeros", |_, _, a| filled(a, "zeros", 0.0)),
        ("ones", |_, _, a| filled(a, "ones", 1.0)),
        ("zeros_like", |_, _, a| filled_like(a, "zeros_like", 0.0)),
        ("ones_like", |_, _, a| filled_like(a, "ones_like", 1.0)),
        ("linspace", |_, _, a| linspace(a, "linspace", false)),
        ("arange", |_, _, a| arange(a, "arange", false)),
        ("cat", cat),
        ("concat", cat),
        ("stack", stack),
        ("exp", |_, _, a| elementwise(a, "exp", Var::exp)),
        ("log", |_, _, a| elementwise(a, "log", Var::log)),
        ("sqrt", |_, _, a| elementwise(a, "sqrt", Var::sqrt)),
        ("sin", |_, _, a| elementwise(a, "sin", Var::sin)),
        ("cos", |_, _, a| elementwise(a, "cos", Var::cos)),
        ("tanh", |_, _, a| elementwise(a, "tanh", Var::tanh)),
        ("sigmoid", |_, _, a| elementwise(a, "sigmoid", Var::sigmoid)),
        ("relu", |_, _, a| elementwise(a, "relu", Var::relu)),
        ("abs", |_, _, a| elementwise_result(a, "abs", abs_var)),
        ("manual_seed", manual_seed),
        ("no_grad", |_, _, _| Ok(Value::NoGrad)),
        ("matmul", matmul),
        ("mean", |vm, _, a| reduce_fn(vm, a, "mean")),
    ];
    let mut m: HashMap<&'static str, Value> = fns
        .into_iter()
        .map(|(n, f)| (n, Value::builtin(n, f)))
        .collect();
    m.insert(
        "sum",
        Value::builtin("sum", |vm, _, a| reduce_fn(vm, a, "sum")),
    );
    m.insert(
        "std",
        Value::builtin("std", |vm, _, a| reduce_fn(vm, a, "std")),
    );
    m.insert(
        "norm",
        Value::builtin("norm", |vm, _, a| reduce_fn(vm, a, "norm")),
    );
    m.insert(
        "is_tensor",
        Value::builtin("is_tensor", |_, _, a| {
            Ok(Value::Bool(
                matches!(a.pos.first(), Some(Value::Tensor(t)) if !t.numpy),
            ))
        }),
    );
    for (name, dtype) in [
        ("float32", "torch.float32"),
        ("float", "torch.float32"),
        ("float64", "torch.float64"),
        ("double", "torch.float64"),
    ] {
        m.insert(name, Value::str(dtype));
    }
    m.insert("pi", Value::Float(std::f64::consts::PI));
    for (name, dtype) in super::ints::DTYPES {
        m.insert(name, Value::str(dtype));
    }
    m.insert("randint", Value::builtin("randint", super::ints::randint));
    let diagonals: [(&'static str, BuiltinFn); 3] = [
        ("trace", |vm, _, a| reduce_fn(vm, a, "trace")),
        ("diag", |vm, _, a| reduce_fn(vm, a, "diag")),
        ("diagonal", |vm, _, a| reduce_fn(vm, a, "diagonal")),
    ];
    for (n, f) in diagonals {
        m.insert(n, Value::builtin(n, f));
    }
    m
}

/// The shape arguments of `zeros(2, 3)`, `zeros((2, 3))`, `zeros(size=(2, 3))`.
fn shape_args(fname: &'static str, a: &mut ArgReader) -> RtResult<Vec<usize>> {
    let mut dims = a.rest(0);
    if dims.is_empty() {
        if let Some(s) = a.keyword("size") {
            dims = vec![s];
        }
    }
    if dims.len() == 1 && !matches!(dims[0], Value::Int(_) | Value::Bool(_)) {
        if let Value::Tuple(_) | Value::List(_) | Value::Size(_) = &dims[0] {
            dims = to_vec(&dims[0])?;
        }
    }
    let shape = dims
        .iter()
        .map(|d| size(fname, "each size", d))
        .collect::<RtResult<Vec<usize>>>()?;
    check_size(&shape)?;
    Ok(shape)
}

/// Reads and checks `dtype=` / `requires_grad=` / `device=` keywords.
fn creation_options(a: &mut ArgReader) -> RtResult<bool> {
    if let Some(d) = a.keyword("dtype") {
        match &d {
            Value::Str(s) if s.starts_with("torch.float") => {}
            Value::None => {}
            Value::Builtin(b) if b.name == "float" => {}
            other => {
                return Err(type_error(format!(
                    "{}(): dtype {} is not supported: tensors in the lab language are float32",
                    a.fname(),
                    crate::lang::interp::ops::repr(other)
                )))
            }
        }
    }
    let _ = a.keyword("device");
    match a.keyword("requires_grad") {
        Some(v) => flag(&v),
        None => Ok(false),
    }
}

/// A tensor of `shape` drawn from the session's generator: standard normal or uniform [0, 1).
pub fn draw(vm: &mut Vm, shape: &[usize], normal: bool) -> RtResult<Tensor> {
    check_size(shape)?;
    let mut data = vec![0.0f32; shape.iter().product()];
    if normal {
        crate::rng::fill_normal(&mut vm.rng, &mut data);
    } else {
        crate::rng::fill_uniform(&mut vm.rng, &mut data);
    }
    Ok(Tensor::from_vec(shape, data)?)
}

fn new_leaf(t: Tensor, requires_grad: bool) -> Value {
    Value::tensor(Var::leaf(t, requires_grad))
}

fn random(vm: &mut Vm, args: Args, fname: &'static str, normal: bool) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let grad = creation_options(&mut a)?;
    let shape = shape_args(fname, &mut a)?;
    a.finish()?;
    Ok(new_leaf(draw(vm, &shape, normal)?, grad))
}

fn like(fname: &'static str, a: &mut ArgReader) -> RtResult<Vec<usize>> {
    match a.required(0, "input")? {
        Value::Tensor(t) => Ok(t.var.shape()),
        other => Err(type_error(format!(
            "{fname}(): argument 'input' must be a tensor, not '{}'",
            other.type_name()
        ))),
    }
}

fn random_like(vm: &mut Vm, args: Args, fname: &'static str, normal: bool) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let shape = like(fname, &mut a)?;
    let grad = creation_options(&mut a)?;
    a.finish()?;
    Ok(new_leaf(draw(vm, &shape, normal)?, grad))
}

fn filled(args: Args, fname: &'static str, value: f32) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let grad = creation_options(&mut a)?;
    let shape = shape_args(fname, &mut a)?;
    a.finish()?;
    Ok(new_leaf(Tensor::full(&shape, value)?, grad))
}

fn filled_like(args: Args, fname: &'static str, value: f32) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let shape = like(fname, &mut a)?;
    let grad = creation_options(&mut a)?;
    a.finish()?;
    Ok(new_leaf(Tensor::full(&shape, value)?, grad))
}

/// `linspace(start, end, steps)`: both ends included, computed as PyTorch does (from the start
/// for the first half, from the end for the second) so the values match to the last bit.
pub fn linspace(args: Args, fname: &'static str, numpy: bool) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let start = number(fname, "start", &a.required(0, "start")?)?;
    let end = number(
        fname,
        "end",
        &match a.get(1, "end") {
            Some(v) => v,
            None => a.required(1, "stop")?,
        },
    )?;
    let steps = match a.get(2, "steps") {
        Some(v) => Some(v),
        None => a.keyword("num"),
    };
    let steps = match steps {
        Some(s) => size(fname, "steps", &s)?,
        None if numpy => 50,
        None => {
            return Err(type_error(format!(
                "{fname}() missing required argument 'steps'"
            )))
        }
    };
    let _ = creation_options(&mut a)?;
    a.finish()?;
    check_size(&[steps])?;
    let data: Vec<f32> = if numpy {
        let step = if steps > 1 {
            (end - start) / (steps - 1) as f64
        } else {
            0.0
        };
        (0..steps)
            .map(|i| {
                if i + 1 == steps && steps > 1 {
                    end as f32
                } else {
                    (start + step * i as f64) as f32
                }
            })
            .collect()
    } else {
        let (s, e) = (start as f32, end as f32);
        let step = if steps > 1 {
            (e - s) / (steps - 1) as f32
        } else {
            0.0
        };
        let half = steps / 2;
        (0..steps)
            .map(|i| {
                if i < half {
                    s + step * i as f32
                } else {
                    e - step * (steps - 1 - i) as f32
                }
            })
            .collect()
    };
    let t = Tensor::from_vec(&[steps], data)?;
    Ok(if numpy {
        Value::Tensor(TensorValue::numpy(Var::constant(t)))
    } else {
        new_leaf(t, false)
    })
}

/// `arange(end)`, `arange(start, end[, step])`.
pub fn arange(args: Args, fname: &'static str, numpy: bool) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let first = number(fname, "start", &a.required(0, "start")?)?;
    let second = a.get(1, "end");
    let step = a.get(2, "step");
    let _ = creation_options(&mut a)?;
    a.finish()?;
    let (start, end) = match second {
        Some(e) => (first, number(fname, "end", &e)?),
        None => (0.0, first),
    };
    let step = match step {
        Some(s) => number(fname, "step", &s)?,
        None => 1.0,
    };
    if step == 0.0 || !step.is_finite() || !start.is_finite() || !end.is_finite() {
        return Err(value_error(format!(
            "{fname}(): step must be a nonzero finite number"
        )));
    }
    let n = ((end - start) / step).ceil().max(0.0);
    if n > crate::tensor::MAX_ELEMENTS as f64 {
        return Err(RtError::from(crate::tensor::TensorError::TooLarge {
            shape: vec![n as usize],
        }));
    }
    let data: Vec<f32> = (0..n as usize)
        .map(|i| (start + step * i as f64) as f32)
        .collect();
    let t = Tensor::from_vec(&[data.len()], data)?;
    Ok(if numpy {
        Value::Tensor(TensorValue::numpy(Var::constant(t)))
    } else {
        new_leaf(t, false)
    })
}

/// A nested list / tuple of numbers (or a tensor) as flat data and a shape.
pub fn nested_data(v: &Value, fname: &str) -> RtResult<(Vec<usize>, Vec<f32>)> {
    if let Value::Tensor(t) = v {
        let value = t.var.value();
        return Ok((value.shape().to_vec(), value.data().to_vec()));
    }
    if let Some(x) = as_number(v) {
        return Ok((Vec::new(), vec![x as f32]));
    }
    let items = match v {
        Value::List(_) | Value::Tuple(_) | Value::Size(_) => to_vec(v)?,
        other => {
            return Err(type_error(format!(
                "{fname}(): could not make a tensor from a '{}' (give numbers, or nested lists of numbers)",
                other.type_name()
            )))
        }
    };
    let mut shape = vec![items.len()];
    let mut data = Vec::new();
    let mut inner: Option<Vec<usize>> = None;
    for item in &items {
        let (s, d) = nested_data(item, fname)?;
        match &inner {
            None => inner = Some(s),
            Some(expected) if *expected != s => {
                return Err(value_error(format!(
                    "{fname}(): expected sequence of length {} at dim {} (got {}): every row must have the same length",
                    expected.first().copied().unwrap_or(0),
                    1,
                    s.first().copied().unwrap_or(0)
                )))
            }
            _ => {}
        }
        data.extend(d);
        if data.len() > crate::tensor::MAX_ELEMENTS {
            return Err(RtError::new(ErrorKind::Limit, "too many elements"));
        }
    }
    shape.extend(inner.unwrap_or_default());
    Ok((shape, data))
}

fn tensor(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("tensor", args);
    let data = a.required(0, "data")?;
    let grad = creation_options(&mut a)?;
    a.finish()?;
    let (shape, values) = nested_data(&data, "tensor")?;
    Ok(new_leaf(Tensor::from_vec(&shape, values)?, grad))
}

/// `torch.Tensor(data)` (the lab's `torch.Tensor(make_moons(...)[0])`) or `torch.Tensor(2, 3)`.
fn tensor_class(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("Tensor", args);
    let all_ints = a.positional_count() > 0;
    let items = a.rest(0);
    a.finish()?;
    if all_ints && items.iter().all(|v| matches!(v, Value::Int(_))) {
        let shape = items
            .iter()
            .map(|d| size("Tensor", "each size", d))
            .collect::<RtResult<Vec<usize>>>()?;
        check_size(&shape)?;
        return Ok(new_leaf(Tensor::zeros(&shape)?, false));
    }
    match items.as_slice() {
        [] => Ok(new_leaf(Tensor::zeros(&[0])?, false)),
        [data] => {
            let (shape, values) = nested_data(data, "Tensor")?;
            Ok(new_leaf(Tensor::from_vec(&shape, values)?, false))
        }
        _ => Err(type_error("Tensor() takes the data, or the sizes as ints")),
    }
}

/// A tensor argument (numbers become 0-d tensors).
pub fn tensor_arg(fname: &str, v: &Value) -> RtResult<TensorValue> {
    match v {
        Value::Ellipsis => Err(crate::lang::interp::ops::blank_error()),
        Value::Tensor(t) => Ok(t.clone()),
        _ => match as_number(v) {
            Some(x) => Ok(TensorValue::torch(Var::constant(Tensor::scalar(x as f32)))),
            None => Err(type_error(format!(
                "{fname}(): expected a tensor, not '{}'",
                v.type_name()
            ))),
        },
    }
}

fn elementwise(args: Args, fname: &'static str, f: fn(&Var) -> Var) -> RtResult<Value> {
    elementwise_result(args, fname, move |v| Ok(f(v)))
}

fn elementwise_result(
    args: Args,
    fname: &'static str,
    f: impl Fn(&Var) -> RtResult<Var>,
) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let x = tensor_arg(fname, &a.required(0, "input")?)?;
    a.finish()?;
    Ok(Value::Tensor(TensorValue {
        var: f(&x.var)?,
        numpy: x.numpy,
        origin: None,
        meta: Meta::default(),
    }))
}

/// `|x|` with gradient `sign(x)` (0 at 0, as PyTorch).
pub fn abs_var(x: &Var) -> RtResult<Var> {
    let sign = x.value().map(|v| {
        if v > 0.0 {
            1.0
        } else if v < 0.0 {
            -1.0
        } else {
            0.0
        }
    });
    Ok(x.mul(&Var::constant(sign))?)
}

fn tensors_arg(fname: &str, v: &Value) -> RtResult<Vec<TensorValue>> {
    let items = to_vec(v).map_err(|_| {
        type_error(format!(
            "{fname}(): expected a tuple or list of tensors, not '{}' (write {fname}((a, b), dim=-1))",
            v.type_name()
        ))
    })?;
    if items.is_empty() {
        return Err(value_error(format!(
            "{fname}(): expected a non-empty list of tensors"
        )));
    }
    items.iter().map(|t| tensor_arg(fname, t)).collect()
}

fn dim_arg(a: &mut ArgReader, i: usize) -> RtResult<Option<isize>> {
    match a.get(i, "dim") {
        None | Some(Value::None) => Ok(None),
        Some(d) => as_index(&d)
            .map(|d| Some(d as isize))
            .ok_or_else(|| type_error(format!("{}(): dim must be an int", a.fname()))),
    }
}

fn cat(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("cat", args);
    let parts = tensors_arg("cat", &a.required(0, "tensors")?)?;
    let dim = match dim_arg(&mut a, 1)? {
        Some(d) => Some(d),
        None => a
            .keyword("axis")
            .and_then(|v| as_index(&v))
            .map(|d| d as isize),
    }
    .unwrap_or(0);
    a.finish()?;
    let vars: Vec<Var> = parts.iter().map(|t| t.var.clone()).collect();
    let ndims: Vec<usize> = vars.iter().map(|v| v.value().ndim()).collect();
    if ndims.iter().any(|&n| n != ndims[0]) {
        let shapes: Vec<String> = vars
            .iter()
            .map(|v| crate::tensor::shape_str(&v.shape()))
            .collect();
        return Err(RtError::new(
            ErrorKind::Shape,
            format!(
                "cat(): tensors must have the same number of dimensions, got shapes {}: did you mean a column, e.g. torch.rand(batch_size, 1) instead of torch.rand(batch_size)?",
                shapes.join(" and ")
            ),
        ));
    }
    let mut out = TensorValue {
        var: Var::cat(&vars, dim)?,
        numpy: parts.iter().all(|t| t.numpy),
        origin: None,
        meta: Meta::default(),
    };
    out.meta.int = parts.iter().all(|t| t.meta.int);
    Ok(Value::Tensor(out))
}

/// Inserts a dimension of size 1 at `dim` (negative counts from the end of the new shape).
pub fn unsqueeze(var: &Var, dim: isize) -> RtResult<Var> {
    let mut shape: Vec<isize> = var.shape().iter().map(|&d| d as isize).collect();
    let n = shape.len() as isize + 1;
    let d = if dim < 0 { dim + n } else { dim };
    if d < 0 || d >= n {
        return Err(RtError::new(
            ErrorKind::Index,
            format!(
                "dimension {dim} is out of range for unsqueeze (expected {} to {})",
                -n,
                n - 1
            ),
        ));
    }
    shape.insert(d as usize, 1);
    Ok(var.reshape(&shape)?)
}

fn stack(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("stack", args);
    let parts = tensors_arg("stack", &a.required(0, "tensors")?)?;
    let dim = dim_arg(&mut a, 1)?.unwrap_or(0);
    a.finish()?;
    let first = parts[0].var.shape();
    if let Some(p) = parts.iter().find(|p| p.var.shape() != first) {
        return Err(RtError::new(
            ErrorKind::Shape,
            format!(
                "stack expects each tensor to be equal size, but got {} and {}",
                crate::tensor::shape_str(&first),
                crate::tensor::shape_str(&p.var.shape())
            ),
        ));
    }
    let vars = parts
        .iter()
        .map(|t| unsqueeze(&t.var, dim))
        .collect::<RtResult<Vec<Var>>>()?;
    let d = if dim < 0 {
        dim + first.len() as isize + 1
    } else {
        dim
    };
    let mut out = TensorValue::torch(Var::cat(&vars, d)?);
    out.numpy = parts.iter().all(|t| t.numpy);
    out.meta.int = parts.iter().all(|t| t.meta.int);
    out.meta.label = Some("StackBackward0");
    Ok(Value::Tensor(out))
}

fn manual_seed(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("manual_seed", args);
    let s = a.required(0, "seed")?;
    a.finish()?;
    let seed = as_index(&s).ok_or_else(|| type_error("manual_seed(): the seed must be an int"))?;
    vm.rng = crate::rng::seeded(seed as u64);
    Ok(Value::None)
}

fn matmul(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("matmul", args);
    let x = a.required(0, "input")?;
    let y = a.required(1, "other")?;
    a.finish()?;
    crate::lang::interp::ops::binary(crate::lang::ast::BinOp::MatMul, &x, &y)
}

/// `torch.mean(x, dim)` and friends: the method on the first argument.
fn reduce_fn(vm: &mut Vm, mut args: Args, name: &'static str) -> RtResult<Value> {
    if args.pos.is_empty() {
        return Err(type_error(format!(
            "{name}() missing required argument 'input'"
        )));
    }
    let x = tensor_arg(name, &args.pos.remove(0))?;
    super::tensor::call_method(vm, &x, name, args)
}
