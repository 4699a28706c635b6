//! `flowlab`: the course's normalizing flows as modules an attendee composes, thin wrappers of
//! the core's [`crate::normalizing`] (no math here):
//!
//! - `PlanarFlow()`: one planar layer; `layer(x)` with `x` (n, 2) gives `(z, log_det)` in the
//!   normalizing direction (data to noise, `log_det` (n,) on the autograd graph),
//!   `layer.inverse(z)` (no graph), attributes `u`, `w`, `b`;
//! - `AffineCoupling(keep=0, hidden=64)`: one RealNVP coupling layer, the same protocol;
//! - `CNF(net, steps=4, solver="rk4", divergence="exact", probes=1)`: a continuous flow on the
//!   attendee's velocity network (an `nn.Sequential` of `Linear` layers with one smooth
//!   activation, input `(t, x, y)`, output 2); `cnf.log_prob(x)` (n,) differentiable in the
//!   network's parameters through the solver's steps, `cnf.sample(n)` (n, 2).
//!
//! They are built-in layers ([`Layer::Planar`], [`Layer::Coupling`], [`Layer::Cnf`]), so
//! `parameters()`, `named_parameters()`, `zero_grad()` and printing work as for `nn` modules,
//! also inside the attendee's own `nn.Module`. Initial parameters and samples come from the
//! session's seeded generator (`torch.manual_seed`).

use super::nn::parameter_value;
use super::torch::tensor_arg;
use super::{size, ArgReader};
use crate::autograd::Var;
use crate::density::{Divergence, Probe, Settings};
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::{as_index, repr};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::nn::{Activation, Mlp, Module as _};
use crate::normalizing::cnf::{Cnf, MAX_GRAPH_STEPS};
use crate::normalizing::coupling::{CouplingLayer, MAX_HIDDEN};
use crate::normalizing::planar::PlanarLayer;
use crate::normalizing::{DensityModel, Layer as FlowLayer};
use crate::ode::Solver;
use crate::tensor::{check_size, shape_str, Tensor};
use std::collections::HashMap;
use std::rc::Rc;

/// The most multiply-adds one call may ask of a network (about a minute natively): a call
/// cannot be interrupted, so `cnf.sample(10**7)` with 1000 steps is refused, not run.
const MAX_WORK: f64 = (1u64 << 36) as f64;
/// The most numbers a CNF's `log_prob` may keep on the autograd graph (about 512 MB).
const MAX_GRAPH_FLOATS: f64 = (1u64 << 27) as f64;

/// A velocity network an attendee can copy.
const EXAMPLE_NET: &str =
    "nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))";

/// A CNF and the attendee's network it runs on (the same parameters).
pub struct CnfModule {
    pub cnf: Cnf,
    /// The `net` given to `CNF(net)`: its parameters are the flow's, by identity.
    pub net: Value,
}

/// The `flowlab` module's attributes.
pub fn module() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("PlanarFlow", Value::builtin("PlanarFlow", planar_flow));
    m.insert(
        "AffineCoupling",
        Value::builtin("AffineCoupling", affine_coupling),
    );
    m.insert("CNF", Value::builtin("CNF", cnf));
    m
}

fn planar_flow(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("PlanarFlow", args).finish()?;
    let layer = PlanarLayer::new(&mut vm.rng)?;
    Ok(Value::Layer(Rc::new(Layer::Planar(layer))))
}

fn affine_coupling(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("AffineCoupling", args);
    let keep = a.get(0, "keep");
    let hidden = a.get(1, "hidden");
    a.finish()?;
    let keep = match keep {
        None => 0,
        Some(v) => match as_index(&v) {
            Some(k @ (0 | 1)) => k as usize,
            Some(k) => {
                return Err(value_error(format!(
                    "AffineCoupling(): keep is the coordinate passed through, 0 or 1, not {k}"
                )))
            }
            None => {
                return Err(type_error(format!(
                    "AffineCoupling(): keep must be the int 0 or 1, not '{}'",
                    v.type_name()
                )))
            }
        },
    };
    let hidden = match hidden {
        None => 64,
        Some(v) => size("AffineCoupling", "hidden", &v)?,
    };
    if hidden == 0 || hidden > MAX_HIDDEN {
        return Err(value_error(format!(
            "AffineCoupling(): hidden is the width of the network's two hidden layers, 1 to {MAX_HIDDEN}, not {hidden}"
        )));
    }
    let layer = CouplingLayer::new(keep, hidden, &mut vm.rng)?;
    Ok(Value::Layer(Rc::new(Layer::Coupling(layer))))
}

fn cnf(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("CNF", args);
    let net = a.required(0, "net")?;
    let steps = a.get(1, "steps");
    let solver = a.get(2, "solver");
    let divergence = a.get(3, "divergence");
    let probes = a.keyword("probes");
    a.finish()?;
    let mlp = velocity_net(&net)?;
    let steps = match steps {
        None => 4,
        Some(v) => size("CNF", "steps", &v)?,
    };
    if steps == 0 || steps > MAX_GRAPH_STEPS {
        return Err(value_error(format!(
            "CNF(): steps is the number of solver steps from t = 0 to 1, 1 to {MAX_GRAPH_STEPS}, not {steps}"
        )));
    }
    let solver = match solver {
        None => Solver::Rk4,
        Some(v) => {
            let name = string("CNF", "solver", &v)?;
            Solver::from_name(&name).map_err(|_| {
                value_error(format!(
                    "CNF(): unknown solver {}: use one of {}",
                    repr(&v),
                    quoted(&Solver::ALL_NAMES)
                ))
            })?
        }
    };
    let probes = match probes {
        None => 1,
        Some(v) => size("CNF", "probes", &v)?,
    };
    let divergence = match divergence {
        None => Divergence::Exact,
        Some(v) => {
            let name = string("CNF", "divergence", &v)?;
            let names = ["exact", "hutchinson", "hutchinson-gaussian"];
            if !names.contains(&name.as_str()) {
                return Err(value_error(format!(
                    "CNF(): unknown divergence {}: use one of {}",
                    repr(&v),
                    quoted(&names)
                )));
            }
            Divergence::from_name(&name, probes).map_err(|e| value_error(format!("CNF(): {e}")))?
        }
    };
    // Hutchinson's probes get their own generator, seeded from the session's
    let seed = match divergence {
        Divergence::Exact => 0,
        Divergence::Hutchinson { .. } => {
            let hi = crate::rng::uniform(&mut vm.rng).to_bits() as u64;
            let lo = crate::rng::uniform(&mut vm.rng).to_bits() as u64;
            (hi << 32) | lo
        }
    };
    let settings = Settings {
        solver,
        steps,
        divergence,
        seed,
    };
    let cnf = Cnf::from_net(mlp, settings)?;
    Ok(Value::Layer(Rc::new(Layer::Cnf(Box::new(CnfModule {
        cnf,
        net,
    })))))
}

fn string(fname: &str, what: &str, v: &Value) -> RtResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "{fname}(): {what} must be a string, not '{}'",
            other.type_name()
        ))),
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The engine's network for `CNF(net)`: the fused network of an `nn.Sequential` (its linear
/// layers share the Sequential's parameters), checked to be a velocity the flow can train.
fn velocity_net(net: &Value) -> RtResult<Mlp> {
    let mut mlp = match net {
        Value::Layer(l) => match &**l {
            Layer::Sequential(_, Some((mlp, _))) => mlp.clone(),
            Layer::Sequential(items, None) => {
                let kinds: Vec<String> = items.iter().map(|i| i.type_name()).collect();
                return Err(type_error(format!(
                    "CNF(net): the network must be Linear layers with one activation between each two (Linear, act, Linear, ..., Linear, the same activation throughout), but this Sequential holds [{}]: write it like {EXAMPLE_NET}",
                    kinds.join(", ")
                )));
            }
            Layer::Linear(lin) => Mlp {
                layers: vec![lin.clone()],
                activation: Activation::Tanh,
            },
            other => {
                return Err(type_error(format!(
                    "CNF(net): net must be the velocity network, an nn.Sequential such as {EXAMPLE_NET}, not {}",
                    other.class_name()
                )))
            }
        },
        Value::Instance(i) if i.class.is_module => {
            return Err(type_error(format!(
                "CNF(net): net must be an nn.Sequential of Linear layers and one activation (the engine runs it as one network), not your class '{}': build the velocity as {EXAMPLE_NET}, input (t, x, y) with t first",
                i.class.name
            )))
        }
        other => {
            return Err(type_error(format!(
                "CNF(net): net must be the velocity network, an nn.Sequential such as {EXAMPLE_NET}, not '{}'",
                other.type_name()
            )))
        }
    };
    if mlp.layers.len() == 1 {
        // a single Linear has no activation (the fused default is never applied)
        mlp.activation = Activation::Tanh;
    }
    for pair in mlp.layers.windows(2) {
        if pair[0].out_features != pair[1].in_features {
            return Err(RtError::new(
                ErrorKind::Shape,
                format!(
                    "CNF(net): the layers do not chain: {} gives {} numbers but the next, {}, takes {}",
                    pair[0].describe(),
                    pair[0].out_features,
                    pair[1].describe(),
                    pair[1].in_features
                ),
            ));
        }
    }
    let (first, last) = (mlp.in_features(), mlp.out_features());
    if first != 3 || last != 2 {
        return Err(RtError::new(
            ErrorKind::Shape,
            format!(
                "CNF(net): the velocity network maps (t, x, y), t first, to the velocity (u, v): it must take 3 inputs and give 2 outputs, but it takes {first} and gives {last}: make the first layer nn.Linear(3, ...) and the last nn.Linear(..., 2)"
            ),
        ));
    }
    if mlp.activation == Activation::Relu {
        return Err(value_error(
            "CNF(net): the network uses nn.ReLU, whose slope is piecewise constant: the divergence in log p(x) then has no gradient and maximum likelihood cannot train the flow; use a smooth activation: nn.Tanh(), nn.ELU(), nn.SiLU() or nn.Sigmoid()",
        ));
    }
    Ok(mlp)
}

/// The number of points in `x`, which must be (n, 2).
fn points(what: &str, x: &TensorValue) -> RtResult<usize> {
    match x.var.shape()[..] {
        [n, 2] => Ok(n),
        ref s => {
            let hint = if s == [2] {
                " (one point? write x.view(1, 2))"
            } else {
                ""
            };
            Err(RtError::new(
                ErrorKind::Shape,
                format!(
                    "{what} takes points of the plane, shape (n, 2), but got shape {}{hint}",
                    shape_str(s)
                ),
            ))
        }
    }
}

/// The single tensor argument of `fname`.
fn one_tensor(fname: &'static str, name: &'static str, args: Args) -> RtResult<TensorValue> {
    let mut a = ArgReader::new(fname, args);
    let x = a.required(0, name)?;
    a.finish()?;
    match x {
        Value::Tensor(t) => Ok(t),
        Value::Ellipsis => Err(crate::lang::interp::ops::blank_error()),
        other => Err(type_error(format!(
            "{fname}() takes a tensor of points (n, 2), not '{}'",
            other.type_name()
        ))),
    }
}

/// Refuses a call that would allocate `rows` x `width` at once past the element limit, or
/// run the network longer than [`MAX_WORK`] multiply-adds.
fn check_cost(fname: &str, rows: usize, mlp: &Mlp, evaluations: usize) -> RtResult<()> {
    let widest = mlp
        .layers
        .iter()
        .map(|l| l.out_features.max(l.in_features))
        .max()
        .unwrap_or(1);
    check_size(&[rows, widest]).map_err(|e| {
        let mut e = RtError::from(e);
        e.message = format!(
            "{fname}: {rows} points at once are too many for a layer {widest} wide ({}): use fewer points at a time",
            e.message
        );
        e
    })?;
    let weights: usize = mlp
        .layers
        .iter()
        .map(|l| l.in_features * l.out_features)
        .sum();
    let work = rows as f64 * evaluations as f64 * weights as f64;
    if work > MAX_WORK {
        return Err(RtError::new(
            ErrorKind::Limit,
            format!(
                "{fname}: {rows} points through {evaluations} evaluations of a network of {weights} weights is too much work for one call (over {} multiply-adds): use fewer points at a time{}",
                crate::lang::interp::group_thousands(MAX_WORK as u64),
                if evaluations > 1 { " or fewer steps" } else { "" }
            ),
        ));
    }
    Ok(())
}

/// `layer(x)` of a planar or coupling layer: `(z, log_det)`.
pub fn call_flow_layer(layer: &Layer, args: Args) -> RtResult<Value> {
    let name = layer.class_name();
    if args.pos.len() != 1 || !args.kw.is_empty() {
        return Err(type_error(format!(
            "{name} takes one input tensor of points (n, 2), but {} arguments were given",
            args.pos.len() + args.kw.len()
        )));
    }
    if let Value::Tuple(_) = &args.pos[0] {
        return Err(type_error(format!(
            "{name} takes a tensor of points (n, 2), not a tuple: a flow layer returns (z, log_det), so unpack it first (z, log_det = layer(x)) and pass z on"
        )));
    }
    let x = tensor_arg(name, &args.pos[0])?;
    let n = points(name, &x)?;
    let core: &dyn FlowLayer = match layer {
        Layer::Planar(p) => p,
        Layer::Coupling(c) => {
            check_cost(name, n, &c.net, 1)?;
            c
        }
        _ => return Err(type_error(format!("{name} is not a flow layer"))),
    };
    let (z, log_det) = if n == 0 {
        (x.var.clone(), Var::constant(Tensor::zeros(&[0])?))
    } else {
        core.forward(&x.var)?
    };
    Ok(Value::tuple(vec![Value::tensor(z), Value::tensor(log_det)]))
}

/// `layer.inverse(z)`: noise back to data, off the graph.
fn inverse(_: &mut Vm, this: &Value, _: &'static str, args: Args) -> RtResult<Value> {
    let Value::Layer(l) = this else {
        return Err(type_error("inverse() needs its layer"));
    };
    let name = l.class_name();
    let z = one_tensor("inverse", "z", args)?;
    let n = points(&format!("{name}.inverse"), &z)?;
    let value = z.var.value().clone();
    let x = match &**l {
        _ if n == 0 => value,
        Layer::Planar(p) => p.inverse(&value)?,
        Layer::Coupling(c) => {
            check_cost(name, n, &c.net, 1)?;
            c.inverse(&value)?
        }
        _ => return Err(type_error(format!("{name} has no inverse"))),
    };
    Ok(Value::tensor(Var::constant(x)))
}

fn cnf_module(this: &Value) -> RtResult<&CnfModule> {
    match this {
        Value::Layer(l) => match &**l {
            Layer::Cnf(c) => Ok(c),
            _ => Err(type_error("a CNF method needs its CNF")),
        },
        _ => Err(type_error("a CNF method needs its CNF")),
    }
}

/// Network evaluations per solve.
fn evaluations(settings: &Settings) -> usize {
    let stages = match settings.solver {
        Solver::Euler => 1,
        Solver::Midpoint | Solver::Heun => 2,
        Solver::Rk4 => 4,
    };
    stages * settings.steps
}

/// `cnf.log_prob(x)`: `log p(x)` per point, (n,), through the solver's steps on the graph (on
/// the fast path, with no graph, inside `torch.no_grad()`).
fn cnf_log_prob(vm: &mut Vm, this: &Value, _: &'static str, args: Args) -> RtResult<Value> {
    let m = cnf_module(this)?;
    let x = one_tensor("log_prob", "x", args)?;
    let n = points("CNF.log_prob", &x)?;
    if n == 0 {
        return Ok(Value::tensor(Var::constant(Tensor::zeros(&[0])?)));
    }
    let settings = *m.cnf.settings();
    let directions = match settings.divergence {
        Divergence::Exact => 2,
        Divergence::Hutchinson { probes, .. } => probes,
    };
    let evals = evaluations(&settings);
    check_cost("CNF.log_prob", n, &m.cnf.net, evals * (1 + directions))?;
    if !vm.grad_enabled() {
        let density = m.cnf.log_density(x.var.value().data())?;
        return Ok(Value::tensor(Var::constant(Tensor::from_vec(
            &[n],
            density,
        )?)));
    }
    // each evaluation keeps, per point, every layer's values and tangents for the backward
    let widths: usize = m.cnf.net.layers.iter().map(|l| l.out_features).sum();
    let floats = n as f64 * evals as f64 * widths as f64 * (1 + directions) as f64 * 3.0;
    if floats > MAX_GRAPH_FLOATS {
        return Err(RtError::new(
            ErrorKind::Limit,
            format!(
                "CNF.log_prob: {n} points through {evals} network evaluations would keep about {} MB on the autograd graph (at most {} MB): train on smaller batches or with fewer steps, and evaluate many points inside `with torch.no_grad():`",
                (floats * 4.0 / 1e6).round(),
                (MAX_GRAPH_FLOATS * 4.0 / 1e6).round()
            ),
        ));
    }
    Ok(Value::tensor(m.cnf.log_prob(&x.var)?))
}

/// `cnf.sample(n)`: noise pushed from t = 0 to 1, (n, 2), no graph.
fn cnf_sample(vm: &mut Vm, this: &Value, _: &'static str, args: Args) -> RtResult<Value> {
    let m = cnf_module(this)?;
    let mut a = ArgReader::new("sample", args);
    let n = a.required(0, "n")?;
    a.finish()?;
    let n = match n {
        Value::Tuple(_) | Value::List(_) | Value::Size(_) => {
            return Err(type_error(format!(
                "sample(): n is the number of points, an int (the result is (n, 2)), not {}",
                repr(&n)
            )))
        }
        v => size("sample", "n", &v)?,
    };
    check_size(&[n, 2])?;
    if n == 0 {
        return Ok(Value::tensor(Var::constant(Tensor::zeros(&[0, 2])?)));
    }
    check_cost("CNF.sample", n, &m.cnf.net, evaluations(m.cnf.settings()))?;
    let x = m.cnf.sample(n, &mut vm.rng)?;
    Ok(Value::tensor(Var::constant(x)))
}

/// The attribute names of a flow layer (for "did you mean" hints).
pub fn attr_names(layer: &Layer) -> &'static [&'static str] {
    match layer {
        Layer::Planar(_) => &["u", "w", "b", "inverse"],
        Layer::Coupling(_) => &["keep", "hidden", "log_scale_bound", "inverse"],
        Layer::Cnf(_) => &["net", "steps", "solver", "divergence", "log_prob", "sample"],
        _ => &[],
    }
}

/// `layer.name` of a flow layer, when it has that attribute.
pub fn attr(obj: &Value, layer: &Layer, name: &str) -> Option<Value> {
    Some(match (layer, name) {
        (Layer::Planar(p), "u") => parameter_value(p.u.clone()),
        (Layer::Planar(p), "w") => parameter_value(p.w.clone()),
        (Layer::Planar(p), "b") => parameter_value(p.b.clone()),
        (Layer::Coupling(c), "keep") => Value::Int(c.keep as i64),
        (Layer::Coupling(c), "hidden") => Value::Int(coupling_hidden(c) as i64),
        (Layer::Coupling(c), "log_scale_bound") => parameter_value(c.log_scale_bound.clone()),
        (Layer::Planar(_) | Layer::Coupling(_), "inverse") => {
            Value::native_method(obj.clone(), "inverse", inverse)
        }
        (Layer::Cnf(c), "net") => c.net.clone(),
        (Layer::Cnf(c), "steps") => Value::Int(c.cnf.settings().steps as i64),
        (Layer::Cnf(c), "solver") => Value::str(c.cnf.settings().solver.name()),
        (Layer::Cnf(c), "divergence") => Value::str(divergence_name(c.cnf.settings())),
        (Layer::Cnf(_), "log_prob") => Value::native_method(obj.clone(), "log_prob", cnf_log_prob),
        (Layer::Cnf(_), "sample") => Value::native_method(obj.clone(), "sample", cnf_sample),
        _ => return None,
    })
}

fn coupling_hidden(c: &CouplingLayer) -> usize {
    c.net.layers.first().map_or(0, |l| l.out_features)
}

fn divergence_name(settings: &Settings) -> &'static str {
    match settings.divergence {
        Divergence::Exact => "exact",
        Divergence::Hutchinson {
            noise: Probe::Rademacher,
            ..
        } => "hutchinson",
        Divergence::Hutchinson {
            noise: Probe::Gaussian,
            ..
        } => "hutchinson-gaussian",
    }
}

/// A flow layer's parameters with PyTorch-style names (the coupling network's linear layers
/// numbered as in the `nn.Sequential` they would be: `net.0`, `net.2`, `net.4`).
pub fn named(layer: &Layer, join: &dyn Fn(&str) -> String, out: &mut Vec<(String, Var)>) {
    match layer {
        Layer::Planar(p) => {
            out.push((join("u"), p.u.clone()));
            out.push((join("w"), p.w.clone()));
            out.push((join("b"), p.b.clone()));
        }
        Layer::Coupling(c) => {
            for (i, lin) in c.net.layers.iter().enumerate() {
                out.push((join(&format!("net.{}.weight", 2 * i)), lin.weight.clone()));
                if let Some(b) = &lin.bias {
                    out.push((join(&format!("net.{}.bias", 2 * i)), b.clone()));
                }
            }
            out.push((join("log_scale_bound"), c.log_scale_bound.clone()));
        }
        _ => {}
    }
}

/// How a flow layer prints (the CNF's network as its child); `None` for other layers.
pub fn repr_of(layer: &Layer) -> Option<String> {
    Some(match layer {
        Layer::Planar(_) => "PlanarFlow()".into(),
        Layer::Coupling(c) => format!(
            "AffineCoupling(keep={}, hidden={})",
            c.keep,
            coupling_hidden(c)
        ),
        Layer::Cnf(c) => {
            let s = c.cnf.settings();
            let mut extra = format!(
                "steps={}, solver='{}', divergence='{}'",
                s.steps,
                s.solver.name(),
                divergence_name(s)
            );
            if let Divergence::Hutchinson { probes, .. } = s.divergence {
                extra.push_str(&format!(", probes={probes}"));
            }
            let net = super::nn::module_repr(&c.net).replace('\n', "\n  ");
            format!("CNF(\n  {extra}\n  (net): {net}\n)")
        }
        _ => return None,
    })
}
