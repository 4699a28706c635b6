//! The built-in modules and functions: Python's own, `torch` (and `torch.nn`, `torch.optim`,
//! `torch.autograd`, `torch.distributions`),
//! `numpy`, `sklearn.datasets` and `matplotlib.pyplot`, with their names and semantics, and
//! `flowlab`, the course's normalizing flows as modules.

pub mod autograd;
pub mod collections;
pub mod distributions;
pub mod flowlab;
pub mod ints;
pub mod matrix;
pub mod nn;
pub mod numpy;
pub mod optim;
pub mod pyplot;
pub mod python;
pub mod tensor;
pub mod torch;

use super::error::{attribute_error, nearest, type_error, RtError, RtResult};
use super::ops;
use super::value::*;
use super::Vm;
use std::collections::HashMap;
use std::rc::Rc;

/// The modules `import` knows.
pub const MODULE_NAMES: &[&str] = &[
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.optim",
    "torch.autograd",
    "torch.distributions",
    "numpy",
    "numpy.random",
    "sklearn",
    "sklearn.datasets",
    "matplotlib",
    "matplotlib.pyplot",
    "math",
    "flowlab",
];

/// The built-in module `name` (made once per session), if there is one.
pub fn module(vm: &mut Vm, name: &str) -> Option<Value> {
    let key = *MODULE_NAMES.iter().find(|m| **m == name)?;
    if let Some(m) = vm.module_cache().get(key) {
        return Some(m.clone());
    }
    let mut attrs: HashMap<&'static str, Value> = match key {
        "torch" => torch::module(),
        "torch.nn" => nn::module(),
        "torch.nn.functional" => nn::functional(),
        "torch.optim" => optim::module(),
        "torch.autograd" => autograd::module(),
        "torch.distributions" => distributions::module(),
        "numpy" => numpy::module(),
        "numpy.random" => numpy::random(),
        "sklearn.datasets" => numpy::datasets(),
        "matplotlib.pyplot" => pyplot::module(),
        "math" => python::math(),
        "flowlab" => flowlab::module(),
        _ => HashMap::new(),
    };
    // a package's submodules are its attributes (`torch.nn`, `np.random`)
    for sub in MODULE_NAMES {
        if let Some(rest) = sub.strip_prefix(key).and_then(|r| r.strip_prefix('.')) {
            if !rest.contains('.') {
                if let Some(m) = module(vm, sub) {
                    attrs.insert(rest_name(sub), m);
                }
            }
        }
    }
    let m = Value::Module(Rc::new(Module { name: key, attrs }));
    vm.module_cache().insert(key, m.clone());
    Some(m)
}

fn rest_name(dotted: &'static str) -> &'static str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// The error for a missing attribute, with the nearest existing name.
pub fn missing_attr(obj: &Value, name: &str) -> RtError {
    if ops::is_blank(obj) {
        return ops::blank_error();
    }
    let known: Vec<String> = attr_names(obj);
    let hint = nearest(name, known.iter().map(|s| s.as_str()))
        .map(|n| format!(": did you mean '{n}'?"))
        .unwrap_or_default();
    let what = match obj {
        Value::Module(m) => format!("module '{}'", m.name),
        _ => format!("'{}' object", obj.type_name()),
    };
    attribute_error(format!("{what} has no attribute '{name}'{hint}"))
}

fn attr_names(obj: &Value) -> Vec<String> {
    match obj {
        Value::Module(m) => m.attrs.keys().map(|k| k.to_string()).collect(),
        Value::Instance(i) => {
            let mut names: Vec<String> = i
                .attrs
                .borrow()
                .iter()
                .map(|(k, _)| k.to_string())
                .collect();
            let mut class = Some(i.class.clone());
            while let Some(c) = class {
                names.extend(c.attrs.keys().map(|k| k.to_string()));
                class = c.bases.iter().find_map(|b| match b {
                    Value::Class(c) => Some(c.clone()),
                    _ => None,
                });
            }
            names
        }
        Value::Tensor(_) => tensor::TENSOR_ATTRS.iter().map(|s| s.to_string()).collect(),
        Value::List(_) => collections::LIST_METHODS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Value::Dict(_) => collections::DICT_METHODS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Value::Str(_) => collections::STR_METHODS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Value::Layer(l) => nn::LAYER_ATTRS
            .iter()
            .chain(flowlab::attr_names(l))
            .map(|s| s.to_string())
            .collect(),
        Value::Optimizer(_) => ["step", "zero_grad"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        Value::Axes(..) | Value::Figure(_) => {
            pyplot::AXES_METHODS.iter().map(|s| s.to_string()).collect()
        }
        _ => Vec::new(),
    }
}

/// `obj.name`.
pub fn get_attr(vm: &mut Vm, obj: &Value, name: &Rc<str>) -> RtResult<Value> {
    let found = match obj {
        Value::Instance(inst) => {
            if let Some(v) = inst.get(name) {
                return Ok(v);
            }
            inst.class.lookup(name).map(|v| bind_method(obj, v))
        }
        Value::Class(c) => c.lookup(name),
        Value::Super(s) => {
            let (this, class) = (&s.0, &s.1);
            class
                .bases
                .iter()
                .find_map(|b| match b {
                    Value::Class(c) => c.lookup(name),
                    _ => None,
                })
                .map(|v| bind_method(this, v))
        }
        Value::Module(m) => m.attrs.get(&**name).cloned(),
        Value::Tensor(t) => tensor::tensor_attr(vm, t, name)?,
        Value::Layer(_) => nn::layer_attr(obj, name)?,
        Value::Optimizer(_) => optim::optimizer_attr(obj, name),
        Value::Figure(_) | Value::Axes(..) | Value::AxesArray(_) | Value::Colormap(_) => {
            pyplot::attr(obj, name)?
        }
        Value::List(_) | Value::Dict(_) | Value::Str(_) | Value::Float(_) | Value::Int(_) => {
            collections::attr(obj, name)
        }
        _ => None,
    };
    found.ok_or_else(|| missing_attr(obj, name))
}

/// A class attribute read through an instance: functions become bound methods.
fn bind_method(this: &Value, v: Value) -> Value {
    match v {
        Value::Function(_) => Value::Method(Rc::new((this.clone(), v))),
        Value::Builtin(b) if b.this.is_none() => Value::Builtin(Rc::new(Builtin {
            name: b.name,
            f: b.f,
            this: Some(this.clone()),
        })),
        other => other,
    }
}

/// `obj.name = value`.
pub fn set_attr(_vm: &mut Vm, obj: &Value, name: Rc<str>, value: Value) -> RtResult<()> {
    match obj {
        Value::Instance(inst) => {
            inst.set(name, value);
            Ok(())
        }
        Value::Tensor(t) if &*name == "requires_grad" => {
            let on = value.truthy().map_err(super::error::value_error)?;
            t.var.set_requires_grad(on).map_err(RtError::from)
        }
        Value::Tensor(t) if &*name == "grad" => match value {
            Value::None => {
                t.var.set_grad(None);
                Ok(())
            }
            _ => Err(type_error("only `x.grad = None` can be assigned")),
        },
        _ => Err(attribute_error(format!(
            "cannot set attribute '{name}' on a '{}' object",
            obj.type_name()
        ))),
    }
}

/// Reads a call's arguments by position or keyword, and rejects the ones nobody read.
pub struct ArgReader {
    fname: &'static str,
    pos: Vec<Option<Value>>,
    kw: Vec<(Rc<str>, Option<Value>)>,
    known: Vec<&'static str>,
}

impl ArgReader {
    pub fn new(fname: &'static str, args: Args) -> ArgReader {
        ArgReader {
            fname,
            pos: args.pos.into_iter().map(Some).collect(),
            kw: args.kw.into_iter().map(|(k, v)| (k, Some(v))).collect(),
            known: Vec::new(),
        }
    }

    /// The argument at position `i` or named `name`.
    pub fn get(&mut self, i: usize, name: &'static str) -> Option<Value> {
        self.known.push(name);
        if let Some(slot) = self.pos.get_mut(i) {
            if let Some(v) = slot.take() {
                return Some(v);
            }
        }
        self.keyword(name)
    }

    /// The argument named `name` (keyword only).
    pub fn keyword(&mut self, name: &'static str) -> Option<Value> {
        self.known.push(name);
        self.kw
            .iter_mut()
            .find(|(k, _)| &**k == name)
            .and_then(|(_, v)| v.take())
    }

    pub fn required(&mut self, i: usize, name: &'static str) -> RtResult<Value> {
        self.get(i, name).ok_or_else(|| {
            type_error(format!(
                "{}() missing required argument '{name}'",
                self.fname
            ))
        })
    }

    /// All positional arguments from `i` on.
    pub fn rest(&mut self, i: usize) -> Vec<Value> {
        self.pos
            .iter_mut()
            .skip(i)
            .filter_map(|v| v.take())
            .collect()
    }

    pub fn positional_count(&self) -> usize {
        self.pos.len()
    }

    /// Fails on arguments that were given but never read.
    pub fn finish(self) -> RtResult<()> {
        if let Some(extra) = self.pos.iter().position(|v| v.is_some()) {
            let _ = extra;
            let taken = self.pos.iter().filter(|v| v.is_none()).count();
            return Err(type_error(format!(
                "{}() takes {} positional argument{} but {} were given",
                self.fname,
                taken,
                if taken == 1 { "" } else { "s" },
                self.pos.len()
            )));
        }
        if let Some((k, _)) = self.kw.iter().find(|(_, v)| v.is_some()) {
            let hint = nearest(k, self.known.iter().copied())
                .map(|n| format!(": did you mean '{n}'?"))
                .unwrap_or_default();
            return Err(type_error(format!(
                "{}() got an unexpected keyword argument '{k}'{hint}",
                self.fname
            )));
        }
        Ok(())
    }

    pub fn fname(&self) -> &'static str {
        self.fname
    }
}

/// A number argument (`lr=1e-2`, `noise=0.05`).
pub fn number(fname: &str, what: &str, v: &Value) -> RtResult<f64> {
    match v {
        Value::Tensor(t) if t.var.value().len() == 1 => Ok(f64::from(t.var.value().data()[0])),
        _ => ops::as_number(v).ok_or_else(|| {
            type_error(format!(
                "{fname}(): {what} must be a number, not '{}'",
                v.type_name()
            ))
        }),
    }
}

/// A size argument: a non-negative int.
pub fn size(fname: &str, what: &str, v: &Value) -> RtResult<usize> {
    let i = ops::as_index(v).ok_or_else(|| {
        type_error(format!(
            "{fname}(): {what} must be an int, not '{}'{}",
            v.type_name(),
            if matches!(v, Value::Float(_)) {
                " (wrap it in int(...))"
            } else {
                ""
            }
        ))
    })?;
    usize::try_from(i)
        .map_err(|_| super::error::value_error(format!("{fname}(): {what} must be >= 0, got {i}")))
}

/// A boolean flag argument.
pub fn flag(v: &Value) -> RtResult<bool> {
    v.truthy().map_err(super::error::value_error)
}
