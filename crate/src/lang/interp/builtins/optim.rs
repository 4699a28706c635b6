//! `torch.optim`: `Adam` and `SGD`, the engine's optimizers, with `zero_grad()` and `step()`.

use super::{number, ArgReader};
use crate::autograd::Var;
use crate::lang::interp::error::{type_error, value_error, RtResult};
use crate::lang::interp::ops::{as_number, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::optim::{Adam, Sgd};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub fn module() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("Adam", Value::builtin("Adam", adam));
    m.insert("SGD", Value::builtin("SGD", sgd));
    m
}

/// The tensors an optimizer is given: `model.parameters()` or a list of tensors.
fn params(fname: &str, v: &Value) -> RtResult<Vec<Var>> {
    let items = to_vec(v).map_err(|_| {
        type_error(format!(
            "{fname}(): params must be model.parameters() or a list of tensors, not '{}'",
            v.type_name()
        ))
    })?;
    if items.is_empty() {
        return Err(value_error(format!(
            "{fname}() got an empty parameter list: was model.parameters() already used up? Call it again, e.g. {fname}(model.parameters(), lr=1e-3)"
        )));
    }
    items
        .iter()
        .map(|p| match p {
            Value::Tensor(t) if t.var.is_leaf() && t.var.requires_grad() => Ok(t.var.clone()),
            Value::Tensor(_) => Err(value_error(format!(
                "{fname}(): can't optimize a tensor that is not a leaf with requires_grad=True"
            ))),
            other => Err(type_error(format!(
                "{fname}(): expected tensors, got a '{}'",
                other.type_name()
            ))),
        })
        .collect()
}

fn lr_arg(fname: &str, v: Option<Value>, default: Option<f64>) -> RtResult<f64> {
    match (v, default) {
        (Some(v), _) => number(fname, "lr", &v),
        (None, Some(d)) => Ok(d),
        (None, None) => Err(type_error(format!(
            "{fname}() missing required argument 'lr' (for example lr=1e-2)"
        ))),
    }
}

fn make(name: &'static str, inner: Box<dyn crate::optim::Optimizer>, lr: f64) -> Value {
    Value::Optimizer(Rc::new(RefCell::new(OptimizerValue {
        name,
        inner,
        lr,
        steps: 0,
    })))
}

fn adam(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("Adam", args);
    let ps = params("Adam", &a.required(0, "params")?)?;
    let lr = lr_arg("Adam", a.get(1, "lr"), Some(1e-3))?;
    let betas = match a.get(2, "betas") {
        Some(b) => {
            let v = to_vec(&b)?;
            match v.as_slice() {
                [x, y] => (
                    as_number(x).unwrap_or(0.9) as f32,
                    as_number(y).unwrap_or(0.999) as f32,
                ),
                _ => {
                    return Err(value_error(
                        "Adam(betas=...) takes a pair, e.g. (0.9, 0.999)",
                    ))
                }
            }
        }
        None => (0.9, 0.999),
    };
    let eps = match a.get(3, "eps") {
        Some(e) => number("Adam", "eps", &e)? as f32,
        None => 1e-8,
    };
    if let Some(w) = a.get(4, "weight_decay") {
        if number("Adam", "weight_decay", &w)? != 0.0 {
            return Err(value_error("Adam(weight_decay=...) is not supported"));
        }
    }
    a.finish()?;
    let inner = Adam::with_options(ps, lr as f32, betas, eps)?;
    Ok(make("Adam", Box::new(inner), lr))
}

fn sgd(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("SGD", args);
    let ps = params("SGD", &a.required(0, "params")?)?;
    let lr = lr_arg("SGD", a.get(1, "lr"), Some(1e-3))?;
    let momentum = match a.get(2, "momentum") {
        Some(m) => number("SGD", "momentum", &m)? as f32,
        None => 0.0,
    };
    a.finish()?;
    let inner = Sgd::new(ps, lr as f32, momentum)?;
    Ok(make("SGD", Box::new(inner), lr))
}

/// `optimizer.step` / `optimizer.zero_grad`.
pub fn optimizer_attr(obj: &Value, name: &str) -> Option<Value> {
    let call: MethodFn = match name {
        "step" => |_, this, _, args| {
            ArgReader::new("step", args).finish()?;
            if let Value::Optimizer(o) = this {
                let mut o = o.borrow_mut();
                o.inner.step()?;
                o.steps += 1;
            }
            Ok(Value::None)
        },
        "zero_grad" => |_, this, _, args| {
            let mut a = ArgReader::new("zero_grad", args);
            let _ = a.get(0, "set_to_none");
            a.finish()?;
            if let Value::Optimizer(o) = this {
                o.borrow().inner.zero_grad();
            }
            Ok(Value::None)
        },
        _ => return None,
    };
    let name = if name == "step" { "step" } else { "zero_grad" };
    Some(Value::native_method(obj.clone(), name, call))
}

/// How PyTorch prints an optimizer.
pub fn optimizer_repr(o: &OptimizerValue) -> String {
    format!(
        "{} (\nParameter Group 0\n    lr: {}\n)",
        o.name,
        crate::lang::pyfmt::float_repr(o.lr)
    )
}
