//! `numpy` (arrays are the engine's tensors, flagged to print as numpy does) and
//! `sklearn.datasets` (`make_moons`, `make_circles`: scikit-learn's construction, drawn from the
//! session's seeded generator, or from `random_state` when given).

use super::torch::{arange, linspace, nested_data};
use super::{flag, number, size, ArgReader};
use crate::autograd::Var;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::as_index;
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::{check_size, Tensor};
use std::collections::HashMap;

fn array_value(t: Tensor) -> Value {
    Value::Tensor(TensorValue::numpy(Var::constant(t)))
}

/// An array of whole numbers (numpy's int64), stored as floats.
fn int_array(t: Tensor) -> Value {
    let mut v = TensorValue::numpy(Var::constant(t));
    v.meta.int = true;
    Value::Tensor(v)
}

/// Whether nested lists hold only Python ints.
fn all_ints(v: &Value) -> bool {
    match v {
        Value::Int(_) => true,
        Value::List(_) | Value::Tuple(_) => {
            crate::lang::interp::ops::to_vec(v).is_ok_and(|items| items.iter().all(all_ints))
        }
        _ => false,
    }
}

pub fn module() -> HashMap<&'static str, Value> {
    let fns: [(&'static str, BuiltinFn); 8] = [
        ("linspace", |_, _, a| linspace(a, "linspace", true)),
        ("arange", |_, _, a| arange(a, "arange", true)),
        ("array", array),
        ("asarray", array),
        ("mean", |vm, _, a| reduce(vm, a, "mean")),
        ("std", |vm, _, a| reduce(vm, a, "std")),
        ("sum", |vm, _, a| reduce(vm, a, "sum")),
        ("zeros", |_, _, a| filled(a, "zeros", 0.0)),
    ];
    let mut m: HashMap<&'static str, Value> = fns
        .into_iter()
        .map(|(n, f)| (n, Value::builtin(n, f)))
        .collect();
    m.insert(
        "ones",
        Value::builtin("ones", |_, _, a| filled(a, "ones", 1.0)),
    );
    m.insert("pi", Value::Float(std::f64::consts::PI));
    m.insert("e", Value::Float(std::f64::consts::E));
    m.insert(
        "ndarray",
        Value::builtin("ndarray", |_, _, _| {
            Err(type_error("create arrays with np.array(...)"))
        }),
    );
    m
}

pub fn random() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert(
        "randn",
        Value::builtin("randn", |vm, _, a| draw(vm, a, "randn", true)),
    );
    m.insert(
        "rand",
        Value::builtin("rand", |vm, _, a| draw(vm, a, "rand", false)),
    );
    m.insert(
        "seed",
        Value::builtin("seed", |vm, _, a| {
            let mut a = ArgReader::new("seed", a);
            let s = a.required(0, "seed")?;
            a.finish()?;
            let s = as_index(&s).ok_or_else(|| type_error("seed(): the seed must be an int"))?;
            vm.rng = crate::rng::seeded(s as u64);
            Ok(Value::None)
        }),
    );
    m
}

pub fn datasets() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert(
        "make_moons",
        Value::builtin("make_moons", |vm, _, a| make(vm, a, "make_moons")),
    );
    m.insert(
        "make_circles",
        Value::builtin("make_circles", |vm, _, a| make(vm, a, "make_circles")),
    );
    m
}

fn array(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("array", args);
    let data = a.required(0, "object")?;
    let _ = a.keyword("dtype");
    a.finish()?;
    let (shape, values) = nested_data(&data, "array")?;
    let t = Tensor::from_vec(&shape, values)?;
    Ok(if all_ints(&data) {
        int_array(t)
    } else {
        array_value(t)
    })
}

fn filled(args: Args, fname: &'static str, v: f32) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let shape = a.required(0, "shape")?;
    let _ = a.keyword("dtype");
    a.finish()?;
    let dims = match &shape {
        Value::Tuple(_) | Value::List(_) => crate::lang::interp::ops::to_vec(&shape)?,
        other => vec![other.clone()],
    };
    let shape = dims
        .iter()
        .map(|d| size(fname, "shape", d))
        .collect::<RtResult<Vec<usize>>>()?;
    check_size(&shape)?;
    Ok(array_value(Tensor::full(&shape, v)?))
}

fn draw(vm: &mut Vm, args: Args, fname: &'static str, normal: bool) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let dims = a.rest(0);
    a.finish()?;
    let shape = dims
        .iter()
        .map(|d| size(fname, "each dimension", d))
        .collect::<RtResult<Vec<usize>>>()?;
    let t = super::torch::draw(vm, &shape, normal)?;
    if shape.is_empty() {
        return Ok(Value::Float(f64::from(t.data()[0])));
    }
    Ok(array_value(t))
}

/// `np.mean(x)`, `np.std(x)` (population, as numpy), `np.sum(x)`, with `axis=`.
fn reduce(vm: &mut Vm, args: Args, name: &'static str) -> RtResult<Value> {
    let mut a = ArgReader::new(name, args);
    let x = a.required(0, "a")?;
    let axis = a.get(1, "axis");
    let keepdims = a.keyword("keepdims");
    a.finish()?;
    let t = match &x {
        Value::Tensor(t) => TensorValue::numpy(t.var.detach()),
        other => {
            let (shape, values) = nested_data(other, name)?;
            TensorValue::numpy(Var::constant(Tensor::from_vec(&shape, values)?))
        }
    };
    let mut kw = Vec::new();
    if let Some(ax) = axis {
        kw.push((std::rc::Rc::from("dim"), ax));
    }
    if let Some(k) = keepdims {
        kw.push((std::rc::Rc::from("keepdim"), Value::Bool(flag(&k)?)));
    }
    if name == "std" {
        kw.push((std::rc::Rc::from("unbiased"), Value::Bool(false)));
    }
    super::tensor::call_method(
        vm,
        &t,
        name,
        Args {
            pos: Vec::new(),
            kw,
        },
    )
}

fn make(vm: &mut Vm, args: Args, fname: &'static str) -> RtResult<Value> {
    let mut a = ArgReader::new(fname, args);
    let n = match a.get(0, "n_samples") {
        Some(v) => size(fname, "n_samples", &v)?,
        None => 100,
    };
    let shuffle = match a.get(1, "shuffle") {
        Some(v) => flag(&v)?,
        None => true,
    };
    let noise = match a.get(2, "noise") {
        None | Some(Value::None) => 0.0,
        Some(v) => number(fname, "noise", &v)? as f32,
    };
    let state = a.get(3, "random_state");
    let factor = if fname == "make_circles" {
        match a.get(4, "factor") {
            Some(v) => number(fname, "factor", &v)? as f32,
            None => 0.8,
        }
    } else {
        0.0
    };
    a.finish()?;
    if n == 0 {
        return Err(value_error(format!(
            "{fname}(): n_samples must be at least 1"
        )));
    }
    // `random_state=k` draws from its own generator, so the same k gives the same points
    let mut own;
    let rng = match state {
        None | Some(Value::None) => &mut vm.rng,
        Some(s) => {
            let seed = as_index(&s).ok_or_else(|| {
                type_error(format!("{fname}(): random_state must be an int or None"))
            })?;
            own = crate::rng::seeded(seed as u64);
            &mut own
        }
    };
    let (points, labels) = match fname {
        "make_moons" => crate::data::sklearn::make_moons(n, noise, shuffle, rng),
        _ => crate::data::sklearn::make_circles(n, noise, factor, shuffle, rng),
    }
    .map_err(|e| {
        RtError::new(
            crate::lang::error::ErrorKind::Value,
            format!("{fname}(): {e}"),
        )
    })?;
    let x = array_value(Tensor::from_vec(&[n, 2], points)?);
    let y = int_array(Tensor::from_vec(
        &[n],
        labels.into_iter().map(|l| l as f32).collect(),
    )?);
    Ok(Value::tuple(vec![x, y]))
}
