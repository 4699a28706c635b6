//! `torch.nn`: `Module` (the base of the attendee's classes), the engine's layers
//! (`Linear`, activations, `Sequential`), `MSELoss`, `functional`, and how modules print.

use super::torch::tensor_arg;
use super::{flag, number, size, ArgReader};
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::as_index;
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::nn::{Activation, Linear, Mlp, Module as _, ScratchPool};
use crate::tensor::shape_str;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The `torch.nn` module's attributes.
pub fn module() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("Module", module_class());
    m.insert("Linear", Value::builtin("Linear", linear));
    for act in [
        Activation::Elu,
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Silu,
    ] {
        let f: BuiltinFn = match act {
            Activation::Elu => |_, _, a| activation(a, Activation::Elu),
            Activation::Relu => |_, _, a| activation(a, Activation::Relu),
            Activation::Tanh => |_, _, a| activation(a, Activation::Tanh),
            Activation::Sigmoid => |_, _, a| activation(a, Activation::Sigmoid),
            Activation::Silu => |_, _, a| activation(a, Activation::Silu),
        };
        m.insert(act.class_name(), Value::builtin(act.class_name(), f));
    }
    m.insert("Sequential", Value::builtin("Sequential", sequential));
    m.insert("MSELoss", Value::builtin("MSELoss", mse_loss_class));
    m.insert("Parameter", Value::builtin("Parameter", parameter));
    m
}

/// `torch.nn.functional`.
pub fn functional() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("mse_loss", Value::builtin("mse_loss", mse_loss_fn));
    let acts: [(&'static str, BuiltinFn); 5] = [
        ("elu", |_, _, a| apply_activation(a, "elu", Activation::Elu)),
        ("relu", |_, _, a| {
            apply_activation(a, "relu", Activation::Relu)
        }),
        ("tanh", |_, _, a| {
            apply_activation(a, "tanh", Activation::Tanh)
        }),
        ("sigmoid", |_, _, a| {
            apply_activation(a, "sigmoid", Activation::Sigmoid)
        }),
        ("silu", |_, _, a| {
            apply_activation(a, "silu", Activation::Silu)
        }),
    ];
    for (n, f) in acts {
        m.insert(n, Value::builtin(n, f));
    }
    m
}

/// `nn.Module`: the class the attendee's models derive from.
fn module_class() -> Value {
    let mut attrs: HashMap<Rc<str>, Value> = HashMap::new();
    let methods: [(&'static str, BuiltinFn); 6] = [
        ("__init__", |_, _, _| Ok(Value::None)),
        ("parameters", |_, this, _| Ok(parameters_iter(this))),
        ("named_parameters", |_, this, _| Ok(named_parameters(this))),
        ("zero_grad", |_, this, _| {
            for p in parameters_of(this.unwrap_or(&Value::None)) {
                p.set_grad(None);
            }
            Ok(Value::None)
        }),
        ("train", |_, this, _| {
            Ok(this.cloned().unwrap_or(Value::None))
        }),
        ("eval", |_, this, _| {
            Ok(this.cloned().unwrap_or(Value::None))
        }),
    ];
    for (n, f) in methods {
        attrs.insert(Rc::from(n), Value::builtin(n, f));
    }
    Value::Class(Rc::new(Class {
        name: Rc::from("Module"),
        bases: Vec::new(),
        attrs,
        is_module: true,
    }))
}

/// A module's parameter as a value (it prints as `Parameter containing:`).
pub fn parameter_value(var: Var) -> Value {
    let mut t = TensorValue::torch(var);
    t.meta.param = true;
    Value::Tensor(t)
}

fn parameters_iter(this: Option<&Value>) -> Value {
    let values = parameters_of(this.unwrap_or(&Value::None))
        .into_iter()
        .map(parameter_value)
        .collect();
    Value::Iter(Rc::new(RefCell::new(Iter::Values { values, index: 0 })))
}

fn named_parameters(this: Option<&Value>) -> Value {
    let mut out = Vec::new();
    named(this.unwrap_or(&Value::None), "", &mut out);
    let mut seen: Vec<Var> = Vec::new();
    let values = out
        .into_iter()
        .filter(|(_, v)| {
            let new = !seen.iter().any(|s| s.same(v));
            seen.push(v.clone());
            new
        })
        .map(|(n, v)| Value::tuple(vec![Value::str(&n), parameter_value(v)]))
        .collect();
    Value::Iter(Rc::new(RefCell::new(Iter::Values { values, index: 0 })))
}

/// The trainable tensors of a module, in PyTorch's order, each once.
pub fn parameters_of(v: &Value) -> Vec<Var> {
    let mut out = Vec::new();
    named(v, "", &mut out);
    let mut unique: Vec<Var> = Vec::new();
    for (_, p) in out {
        if !unique.iter().any(|u| u.same(&p)) {
            unique.push(p);
        }
    }
    unique
}

fn named(v: &Value, prefix: &str, out: &mut Vec<(String, Var)>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    match v {
        Value::Layer(l) => match &**l {
            Layer::Linear(lin) => {
                out.push((join("weight"), lin.weight.clone()));
                if let Some(b) = &lin.bias {
                    out.push((join("bias"), b.clone()));
                }
            }
            Layer::Sequential(items, _) => {
                for (i, item) in items.iter().enumerate() {
                    named(item, &join(&i.to_string()), out);
                }
            }
            Layer::Cnf(c) => named(&c.net, &join("net"), out),
            other => super::flowlab::named(other, &join, out),
        },
        Value::Instance(inst) if inst.class.is_module => {
            for (k, attr) in inst.attrs.borrow().iter() {
                match attr {
                    Value::Tensor(t) if t.var.requires_grad() && t.var.is_leaf() => {
                        out.push((join(k), t.var.clone()))
                    }
                    Value::Layer(_) | Value::Instance(_) => named(attr, &join(k), out),
                    Value::List(items) => {
                        for (i, item) in items.borrow().iter().enumerate() {
                            named(item, &join(&format!("{k}.{i}")), out);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn linear(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("Linear", args);
    let i = size("Linear", "in_features", &a.required(0, "in_features")?)?;
    let o = size("Linear", "out_features", &a.required(1, "out_features")?)?;
    let bias = match a.get(2, "bias") {
        Some(b) => flag(&b)?,
        None => true,
    };
    let _ = a.keyword("device");
    let _ = a.keyword("dtype");
    a.finish()?;
    crate::tensor::check_size(&[i, o])?;
    let layer = Linear::new(i, o, bias, &mut vm.rng)?;
    Ok(Value::Layer(Rc::new(Layer::Linear(layer))))
}

fn activation(args: Args, act: Activation) -> RtResult<Value> {
    let mut a = ArgReader::new(act.class_name(), args);
    if act == Activation::Elu {
        if let Some(alpha) = a.get(0, "alpha") {
            if number("ELU", "alpha", &alpha)? != 1.0 {
                return Err(value_error("ELU(alpha=...): only alpha=1.0 is supported"));
            }
        }
    }
    let _ = a.keyword("inplace");
    a.finish()?;
    Ok(Value::Layer(Rc::new(Layer::Activation(act))))
}

fn sequential(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("Sequential", args);
    let items = a.rest(0);
    a.finish()?;
    for (i, item) in items.iter().enumerate() {
        let is_module = match item {
            Value::Layer(_) => true,
            Value::Instance(inst) => inst.class.is_module,
            _ => false,
        };
        if !is_module {
            return Err(type_error(format!(
                "Sequential(): argument {i} is a '{}', not a module (write nn.ELU() with parentheses, or a layer like nn.Linear(3, 64))",
                item.type_name()
            )));
        }
    }
    let fused = fuse(&items);
    Ok(Value::Layer(Rc::new(Layer::Sequential(items, fused))))
}

/// `Linear, act, Linear, ..., Linear` with one activation becomes one fused network.
fn fuse(items: &[Value]) -> Option<(Mlp, ScratchPool)> {
    let mut layers = Vec::new();
    let mut activation = None;
    for (i, item) in items.iter().enumerate() {
        let Value::Layer(l) = item else { return None };
        match (&**l, i % 2) {
            (Layer::Linear(lin), 0) => layers.push(lin.clone()),
            (Layer::Activation(act), 1) => match activation {
                None => activation = Some(*act),
                Some(a) if a == *act => {}
                Some(_) => return None,
            },
            _ => return None,
        }
    }
    if items.len().is_multiple_of(2) || layers.is_empty() {
        return None;
    }
    let mlp = Mlp {
        layers,
        activation: activation.unwrap_or(Activation::Relu),
    };
    Some((mlp, ScratchPool::default()))
}

fn mse_loss_class(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("MSELoss", args);
    if let Some(r) = a.get(0, "reduction") {
        if !matches!(&r, Value::Str(s) if &**s == "mean") {
            return Err(value_error(
                "MSELoss(reduction=...): only 'mean' is supported",
            ));
        }
    }
    a.finish()?;
    Ok(Value::Layer(Rc::new(Layer::MseLoss)))
}

fn parameter(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("Parameter", args);
    let t = tensor_arg("Parameter", &a.required(0, "data")?)?;
    let grad = match a.get(1, "requires_grad") {
        Some(g) => flag(&g)?,
        None => true,
    };
    a.finish()?;
    let data = t.var.value().clone();
    Ok(parameter_value(Var::leaf(data, grad)))
}

/// `mse_loss(input, target)` with a message that names both shapes.
fn mse(input: &TensorValue, target: &TensorValue) -> RtResult<Value> {
    let (a, b) = (input.var.shape(), target.var.shape());
    if a != b {
        return Err(RtError::new(
            ErrorKind::Shape,
            format!(
                "mse_loss: the prediction has shape {} but the target has shape {}: they must be equal (is the model's output width right, or does the target need .view({})?)",
                shape_str(&a),
                shape_str(&b),
                a.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(Value::tensor(input.var.mse_loss(&target.var)?))
}

fn two_tensors(fname: &'static str, args: Args) -> RtResult<(TensorValue, TensorValue)> {
    let mut a = ArgReader::new(fname, args);
    let x = tensor_arg(fname, &a.required(0, "input")?)?;
    let y = tensor_arg(fname, &a.required(1, "target")?)?;
    if let Some(r) = a.keyword("reduction") {
        if !matches!(&r, Value::Str(s) if &**s == "mean") {
            return Err(value_error(format!(
                "{fname}(reduction=...): only 'mean' is supported"
            )));
        }
    }
    a.finish()?;
    Ok((x, y))
}

fn mse_loss_fn(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let (x, y) = two_tensors("mse_loss", args)?;
    mse(&x, &y)
}

fn apply_activation(args: Args, fname: &'static str, act: Activation) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let x = tensor_arg(fname, &a.required(0, "input")?)?;
    let _ = a.keyword("inplace");
    a.finish()?;
    Ok(Value::tensor(act.forward(&x.var)?))
}

/// Calls a built-in layer.
pub fn call_layer(vm: &mut Vm, layer: &Rc<Layer>, args: Args) -> RtResult<Value> {
    match &**layer {
        Layer::Planar(_) | Layer::Coupling(_) => super::flowlab::call_flow_layer(layer, args),
        Layer::Cnf(_) => Err(type_error(
            "a CNF is not called directly: cnf.log_prob(x) gives log p(x) per point (n,), cnf.sample(n) draws n points",
        )),
        Layer::MseLoss => {
            let (x, y) = two_tensors("MSELoss", args)?;
            mse(&x, &y)
        }
        Layer::Linear(lin) => {
            let x = one_input(layer, args)?;
            let shape = x.var.shape();
            if shape.last() != Some(&lin.in_features) {
                let mut msg = format!(
                    "{} expects inputs whose last dimension is {}, but got shape {}",
                    lin.describe(),
                    lin.in_features,
                    shape_str(&shape)
                );
                if shape.last().map(|d| d + 1) == Some(lin.in_features) {
                    msg.push_str(
                        ": is a column missing, such as t in torch.cat((t, x_t), dim=-1)?",
                    );
                }
                return Err(RtError::new(ErrorKind::Shape, msg));
            }
            Ok(Value::tensor(lin.forward(&x.var)?))
        }
        Layer::Activation(act) => {
            let x = one_input(layer, args)?;
            Ok(Value::tensor(act.forward(&x.var)?))
        }
        Layer::Sequential(items, fused) => {
            let x = one_input(layer, args)?;
            let input = x.var.clone();
            let mut h = None;
            if let Some((mlp, pool)) = fused {
                let shape = x.var.shape();
                if shape.len() == 2 && shape[1] == mlp.in_features() && shape[0] > 0 {
                    h = Some(Value::tensor(mlp.forward_fused(&x.var, pool)?));
                }
            }
            let h = match h {
                Some(h) => h,
                None => {
                    let mut h = Value::Tensor(x);
                    for item in items {
                        h = vm.call_sync(
                            item.clone(),
                            Args {
                                pos: vec![h],
                                kw: Vec::new(),
                            },
                        )?;
                    }
                    h
                }
            };
            if let Value::Tensor(out) = &h {
                vm.last_forward = Some((input, out.var.clone()));
            }
            Ok(h)
        }
    }
}

fn one_input(layer: &Layer, args: Args) -> RtResult<TensorValue> {
    let name = layer.class_name();
    if args.pos.len() != 1 || !args.kw.is_empty() {
        return Err(type_error(format!(
            "{name} takes one input tensor, but {} arguments were given",
            args.pos.len() + args.kw.len()
        )));
    }
    tensor_arg(name, &args.pos[0])
}

/// The attributes of the built-in layers (for "did you mean" hints).
pub const LAYER_ATTRS: &[&str] = &[
    "weight",
    "bias",
    "in_features",
    "out_features",
    "parameters",
    "named_parameters",
    "zero_grad",
    "train",
    "eval",
    "forward",
];

/// `layer.name`: `weight`, `bias`, sizes, and the `Module` methods.
pub fn layer_attr(obj: &Value, name: &str) -> RtResult<Option<Value>> {
    let Value::Layer(l) = obj else {
        return Ok(None);
    };
    if let Some(v) = super::flowlab::attr(obj, l, name) {
        return Ok(Some(v));
    }
    Ok(match (&**l, name) {
        (Layer::Linear(lin), "weight") => Some(parameter_value(lin.weight.clone())),
        (Layer::Linear(lin), "bias") => Some(match &lin.bias {
            Some(b) => parameter_value(b.clone()),
            None => Value::None,
        }),
        (Layer::Linear(lin), "in_features") => Some(Value::Int(lin.in_features as i64)),
        (Layer::Linear(lin), "out_features") => Some(Value::Int(lin.out_features as i64)),
        (_, "parameters") => Some(Value::method(
            "parameters",
            |_, this, _| Ok(parameters_iter(this)),
            obj.clone(),
        )),
        (_, "named_parameters") => Some(Value::method(
            "named_parameters",
            |_, this, _| Ok(named_parameters(this)),
            obj.clone(),
        )),
        (_, "zero_grad") => Some(Value::method(
            "zero_grad",
            |_, this, _| {
                for p in parameters_of(this.unwrap_or(&Value::None)) {
                    p.set_grad(None);
                }
                Ok(Value::None)
            },
            obj.clone(),
        )),
        (_, "train" | "eval") => Some(Value::method(
            "train",
            |_, this, _| Ok(this.cloned().unwrap_or(Value::None)),
            obj.clone(),
        )),
        (_, "forward") => Some(Value::native_method(
            obj.clone(),
            "forward",
            |vm, this, _, args| match this {
                Value::Layer(l) => call_layer(vm, l, args),
                _ => Err(type_error("forward of a non-layer")),
            },
        )),
        _ => None,
    })
}

/// `seq[i]` and `seq[a:b]` of an `nn.Sequential`.
pub fn index_sequential(items: &[Value], index: &Value) -> RtResult<Value> {
    match index {
        Value::Slice(a, b, s) => {
            let (start, stop, step) =
                crate::lang::interp::ops::resolve_slice(*a, *b, *s, items.len())?;
            let picked: Vec<Value> = items[start..stop].iter().step_by(step).cloned().collect();
            let fused = fuse(&picked);
            Ok(Value::Layer(Rc::new(Layer::Sequential(picked, fused))))
        }
        _ => {
            let i =
                as_index(index).ok_or_else(|| type_error("Sequential indices must be integers"))?;
            let n = items.len() as i64;
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(crate::lang::interp::error::index_error(format!(
                    "index {i} is out of range for a Sequential of {n} modules"
                )));
            }
            Ok(items[j as usize].clone())
        }
    }
}

/// How PyTorch prints a module: its class and, indented, its submodules.
pub fn module_repr(v: &Value) -> String {
    let children: Vec<(String, Value)> = match v {
        Value::Layer(l) => match &**l {
            Layer::Linear(lin) => return lin.describe(),
            Layer::Activation(a) => return a.describe(),
            Layer::MseLoss => return "MSELoss()".into(),
            flow @ (Layer::Planar(_) | Layer::Coupling(_) | Layer::Cnf(_)) => {
                return super::flowlab::repr_of(flow).unwrap_or_default()
            }
            Layer::Sequential(items, _) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (i.to_string(), item.clone()))
                .collect(),
        },
        Value::Instance(inst) => inst
            .attrs
            .borrow()
            .iter()
            .filter(|(_, a)| match a {
                Value::Layer(_) => true,
                Value::Instance(i) => i.class.is_module,
                _ => false,
            })
            .map(|(k, a)| (k.to_string(), a.clone()))
            .collect(),
        other => return crate::lang::interp::ops::repr(other),
    };
    let name = v.type_name();
    if children.is_empty() {
        return format!("{name}()");
    }
    let mut out = format!("{name}(\n");
    for (k, child) in children {
        let inner = module_repr(&child).replace('\n', "\n  ");
        out.push_str(&format!("  ({k}): {inner}\n"));
    }
    out.push(')');
    out
}
