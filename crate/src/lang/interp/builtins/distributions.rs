//! `torch.distributions`: `Normal(loc, scale, validate_args=None)` with PyTorch's semantics:
//! `loc` and `scale` broadcast together (numbers become float32 tensors), `log_prob(value)`
//! (broadcasting, differentiable in the value, `loc` and `scale`), `sample(sample_shape)`
//! (no gradient) and `rsample(sample_shape)` (reparameterised: `loc + eps * scale`), both from
//! the session's seeded generator, `entropy()`, and the properties `mean`, `stddev`,
//! `variance`, `batch_shape`, `event_shape`. A `Normal` is an instance of a built-in class, so
//! `isinstance(d, Normal)` works.

use super::ArgReader;
use crate::autograd::Var;
use crate::lang::interp::error::{type_error, value_error, RtResult};
use crate::lang::interp::ops::{format_value, repr, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::{broadcast_shapes, Tensor};
use std::collections::HashMap;
use std::rc::Rc;

/// The class attribute that marks the built-in distribution classes (for printing).
const MARK: &str = "__module__";
const MODULE: &str = "torch.distributions";

/// The `torch.distributions` module's attributes.
pub fn module() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("Normal", normal_class());
    m
}

fn normal_class() -> Value {
    let methods: [(&'static str, BuiltinFn); 5] = [
        ("__init__", init),
        ("log_prob", log_prob),
        ("sample", |vm, this, a| sample(vm, this, a, "sample")),
        ("rsample", |vm, this, a| sample(vm, this, a, "rsample")),
        ("entropy", entropy),
    ];
    let mut attrs: HashMap<Rc<str>, Value> = methods
        .into_iter()
        .map(|(n, f)| (Rc::from(n), Value::builtin(n, f)))
        .collect();
    attrs.insert(Rc::from(MARK), Value::str(MODULE));
    Value::Class(Rc::new(Class {
        name: Rc::from("Normal"),
        bases: Vec::new(),
        attrs,
        is_module: false,
    }))
}

fn instance(this: Option<&Value>) -> RtResult<&Rc<Instance>> {
    match this {
        Some(Value::Instance(i)) => Ok(i),
        _ => Err(type_error("a Normal method needs its distribution")),
    }
}

fn param(inst: &Instance, name: &str) -> RtResult<TensorValue> {
    match inst.get(name) {
        Some(Value::Tensor(t)) => Ok(t),
        _ => Err(type_error(format!(
            "this Normal has no tensor '{name}' (was it changed?)"
        ))),
    }
}

/// A parameter as a tensor: tensors as they are, numbers as float32 0-d tensors.
fn param_arg(name: &str, v: &Value) -> RtResult<TensorValue> {
    match v {
        Value::Tensor(t) => Ok(t.clone()),
        Value::Ellipsis => Err(crate::lang::interp::ops::blank_error()),
        _ => match crate::lang::interp::ops::as_number(v) {
            Some(x) => Ok(TensorValue::torch(Var::constant(Tensor::scalar(x as f32)))),
            None => Err(value_error(format!(
                "Normal(): {name} must be a number or a tensor, not '{}' (Input arguments must all be instances of Number, torch.Tensor)",
                v.type_name()
            ))),
        },
    }
}

/// `broadcast_all`: both parameters expanded to their common shape (a tensor already of that
/// shape is kept as it is, graph and all).
fn broadcast(a: TensorValue, b: TensorValue) -> RtResult<(TensorValue, TensorValue)> {
    let shape = broadcast_shapes("Normal", &a.var.shape(), &b.var.shape())?;
    let expand = |t: TensorValue| -> RtResult<TensorValue> {
        if t.var.shape() == shape {
            return Ok(t);
        }
        let mut out = TensorValue::torch(t.var.expand(&shape)?);
        out.meta.label = Some("ExpandBackward0");
        Ok(out)
    };
    Ok((expand(a)?, expand(b)?))
}

fn size_value(shape: &[usize]) -> Value {
    Value::Size(Rc::from(shape))
}

fn init(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let inst = instance(this)?;
    let mut a = ArgReader::new("Normal", args);
    let loc = param_arg("loc", &a.required(0, "loc")?)?;
    let scale = param_arg("scale", &a.required(1, "scale")?)?;
    let validate = match a.get(2, "validate_args") {
        None | Some(Value::None) => true,
        Some(v) => super::flag(&v)?,
    };
    a.finish()?;
    let (loc, scale) = broadcast(loc, scale)?;
    let batch = loc.var.shape();
    let variance = TensorValue::torch(scale.var.powf(2.0));
    for (name, value) in [
        ("loc", Value::Tensor(loc.clone())),
        ("scale", Value::Tensor(scale.clone())),
        ("mean", Value::Tensor(loc)),
        ("stddev", Value::Tensor(scale)),
        ("variance", Value::Tensor(variance)),
        ("batch_shape", size_value(&batch)),
        ("event_shape", size_value(&[])),
        ("_validate_args", Value::Bool(validate)),
    ] {
        inst.set(Rc::from(name), value);
    }
    if validate {
        check_param(inst, "loc", "Real()", |x| !x.is_nan())?;
        check_param(inst, "scale", "GreaterThan(lower_bound=0.0)", |x| x > 0.0)?;
    }
    Ok(Value::None)
}

/// PyTorch's check of a parameter against its constraint.
fn check_param(
    inst: &Instance,
    name: &str,
    constraint: &str,
    ok: impl Fn(f32) -> bool,
) -> RtResult<()> {
    let t = param(inst, name)?;
    if t.var.value().data().iter().all(|&x| ok(x)) {
        return Ok(());
    }
    let shape = Value::tuple(
        t.var
            .shape()
            .iter()
            .map(|&d| Value::Int(d as i64))
            .collect(),
    );
    Err(value_error(format!(
        "Expected parameter {name} (Tensor of shape {}) of distribution {} to satisfy the constraint {constraint}, but found invalid values:\n{}",
        repr(&shape),
        describe(inst),
        format_value(&Value::Tensor(TensorValue::torch(t.var.detach())), 0, "")?
    )))
}

/// `Normal(loc: 0.0, scale: 1.0)` / `Normal(loc: torch.Size([2]), scale: torch.Size([2]))`.
fn describe(inst: &Instance) -> String {
    let mut parts = Vec::new();
    for name in ["loc", "scale"] {
        let text = match inst.get(name) {
            Some(Value::Tensor(t)) if t.var.value().len() == 1 => {
                format_value(&Value::Tensor(t), 0, "").unwrap_or_default()
            }
            Some(Value::Tensor(t)) => repr(&size_value(&t.var.shape())),
            Some(other) => repr(&other),
            None => continue,
        };
        parts.push(format!("{name}: {text}"));
    }
    format!("{}({})", "Normal", parts.join(", "))
}

/// How a built-in distribution prints, if `inst` is one.
pub fn repr_of(inst: &Instance) -> Option<String> {
    match inst.class.attrs.get(MARK) {
        Some(Value::Str(s)) if &**s == MODULE => Some(describe(inst)),
        _ => None,
    }
}

fn validating(inst: &Instance) -> bool {
    !matches!(inst.get("_validate_args"), Some(Value::Bool(false)))
}

fn not_a_tensor(v: &Value) -> crate::lang::interp::error::RtError {
    value_error(format!(
        "The value argument to log_prob must be a Tensor, not '{}' (write torch.tensor(...))",
        v.type_name()
    ))
}

/// `-((x - loc) ** 2) / (2 * var) - log(scale) - log(sqrt(2 pi))`, PyTorch's formula.
fn log_prob(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let inst = instance(this)?;
    let mut a = ArgReader::new("log_prob", args);
    let value = a.required(0, "value")?;
    a.finish()?;
    let (loc, scale) = (param(inst, "loc")?, param(inst, "scale")?);
    let x = match &value {
        Value::Tensor(t) => t.var.clone(),
        Value::Ellipsis => return Err(crate::lang::interp::ops::blank_error()),
        other if validating(inst) => return Err(not_a_tensor(other)),
        other => param_arg("value", other)?.var,
    };
    let batch = loc.var.shape();
    let shape = x.shape();
    if validating(inst) {
        let clash = shape
            .iter()
            .rev()
            .zip(batch.iter().rev())
            .any(|(&i, &j)| i != 1 && j != 1 && i != j);
        if clash {
            return Err(value_error(format!(
                "Value is not broadcastable with batch_shape+event_shape: {} vs {}.",
                repr(&size_value(&shape)),
                repr(&size_value(&batch))
            )));
        }
    }
    let var = scale.var.powf(2.0);
    let log_scale = scale.var.log();
    let c = (2.0 * std::f64::consts::PI).sqrt().ln() as f32;
    let lp = x
        .sub(&loc.var)?
        .powf(2.0)
        .neg()
        .div(&var.scale(2.0))?
        .sub(&log_scale)?
        .add_scalar(-c);
    let mut out = TensorValue::torch(lp);
    out.meta.label = Some("SubBackward0");
    Ok(Value::Tensor(out))
}

/// `sample_shape + batch_shape` for `sample` / `rsample`.
fn sample_shape(fname: &str, v: Option<Value>, batch: &[usize]) -> RtResult<Vec<usize>> {
    let mut shape = match v {
        None | Some(Value::None) => Vec::new(),
        Some(v @ (Value::Tuple(_) | Value::List(_) | Value::Size(_))) => to_vec(&v)?
            .iter()
            .map(|d| super::size(fname, "each size", d))
            .collect::<RtResult<Vec<usize>>>()?,
        Some(other) => {
            return Err(type_error(format!(
                "'{}' object is not iterable: {fname}() takes the sample shape as a tuple, e.g. {fname}(({},))",
                other.type_name(),
                repr(&other)
            )))
        }
    };
    shape.extend_from_slice(batch);
    crate::tensor::check_size(&shape)?;
    Ok(shape)
}

fn sample(vm: &mut Vm, this: Option<&Value>, args: Args, fname: &'static str) -> RtResult<Value> {
    let inst = instance(this)?;
    let mut a = ArgReader::new(fname, args);
    let requested = a.get(0, "sample_shape");
    a.finish()?;
    let (loc, scale) = (param(inst, "loc")?, param(inst, "scale")?);
    let shape = sample_shape(fname, requested, &loc.var.shape())?;
    let eps = super::torch::draw(vm, &shape, true)?;
    let out = if fname == "rsample" {
        loc.var.add(&Var::constant(eps).mul(&scale.var)?)?
    } else {
        // no gradient: computed on the values, off the graph
        let noise = eps.mul(&scale.var.value())?;
        Var::constant(noise.add(&loc.var.value())?)
    };
    Ok(Value::Tensor(TensorValue::torch(out)))
}

/// `0.5 + 0.5 * log(2 pi) + log(scale)`.
fn entropy(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let inst = instance(this)?;
    ArgReader::new("entropy", args).finish()?;
    let scale = param(inst, "scale")?;
    let c = (0.5 + 0.5 * (2.0 * std::f64::consts::PI).ln()) as f32;
    Ok(Value::Tensor(TensorValue::torch(
        scale.var.log().add_scalar(c),
    )))
}
