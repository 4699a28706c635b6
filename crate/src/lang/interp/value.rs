//! The values a lab-language program computes with.
//!
//! Python's object model cut down to what the labs use. Containers and objects are shared
//! (`Rc`), so `a = b; a.append(1)` changes both, as in Python. Tensors are the engine's
//! [`Var`]s: PyTorch tensors and numpy arrays are the same type, told apart only by a flag that
//! decides how they print and what a few functions return.

use super::builtins::flowlab::CnfModule;
use super::code::Code;
use super::error::RtResult;
use super::Vm;
use crate::autograd::Var;
use crate::nn::{Activation, Linear, Mlp, ScratchPool};
use crate::normalizing::coupling::CouplingLayer;
use crate::normalizing::planar::PlanarLayer;
use crate::optim::Optimizer;
use crate::plot::Figure;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A lab-language value.
#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<RefCell<Vec<Value>>>),
    Tuple(Rc<[Value]>),
    /// Insertion-ordered, keys compared with Python's `==` (small dicts only).
    Dict(Rc<RefCell<Vec<(Value, Value)>>>),
    Tensor(TensorValue),
    /// `range(start, stop, step)`.
    Range(i64, i64, i64),
    /// A slice inside a subscript: `a[1:3]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Ellipsis,
    /// A running `for` loop's iterator.
    Iter(Rc<RefCell<Iter>>),
    /// A `def` (or the code of a class body, compiled but not yet run).
    Function(Rc<Function>),
    /// `obj.method`: a function with its first argument bound.
    Method(Rc<(Value, Value)>),
    Builtin(Rc<Builtin>),
    /// A method of a built-in object (`x.view`, `optimizer.step`, `ax.scatter`).
    NativeMethod(Rc<NativeMethod>),
    /// `x.shape` of a torch tensor (`torch.Size([256, 2])`): a tuple of ints that prints as
    /// PyTorch prints it.
    Size(Rc<[usize]>),
    Class(Rc<Class>),
    Instance(Rc<Instance>),
    /// `super()` inside a method: the instance and the class whose bases to search.
    Super(Rc<(Value, Rc<Class>)>),
    /// An imported built-in module (`torch`, `torch.nn`, `numpy`, ...).
    Module(Rc<Module>),
    /// A built-in `nn` layer (`nn.Linear`, `nn.ELU()`, `nn.Sequential`, `nn.MSELoss()`).
    Layer(Rc<Layer>),
    Optimizer(Rc<RefCell<OptimizerValue>>),
    /// `torch.no_grad()` before `with` enters it.
    NoGrad,
    /// A matplotlib figure, the axes of one of its panels, or a numpy-like array of axes.
    Figure(Rc<RefCell<Figure>>),
    Axes(Rc<RefCell<Figure>>, usize),
    AxesArray(Rc<AxesArray>),
    /// `plt.colormaps["tab10"]`, whose `.colors` is a tuple of RGB tuples.
    Colormap(Rc<str>),
    /// A compiled code object (a constant of `MakeFunction` / `MakeClass`).
    Code(Rc<Code>),
}

/// A tensor, and what the program knows about it beyond its values: whether it came through
/// numpy (which changes how it prints), and the facts PyTorch shows or acts on.
#[derive(Clone)]
pub struct TensorValue {
    pub var: Var,
    pub numpy: bool,
    /// The call that created it (`torch.rand(batch_size)`), to suggest a fix in a shape error.
    pub origin: Option<Rc<str>>,
    pub meta: Meta,
}

/// What PyTorch would know about a tensor that the engine's [`Var`] does not record.
#[derive(Clone, Default)]
pub struct Meta {
    /// PyTorch's name for the operation that made it (`RsubBackward1`) when it differs from
    /// the engine's.
    pub label: Option<&'static str>,
    /// A module's parameter (prints as `Parameter containing:`).
    pub param: bool,
    /// Whole numbers of an integer array (numpy prints `[0 1]`, not `[0. 1.]`).
    pub int: bool,
    /// A numpy array numpy would hold as float32 (from `tensor.numpy()`), not float64.
    pub float32: bool,
    /// What it is a view of: writing into it writes through (`b = x[1]; b[0] = 5` changes `x`;
    /// `w.grad[:] = 0` clears the gradient).
    pub base: Option<Rc<Base>>,
}

/// The tensor a view was taken from.
pub enum Base {
    /// `parent[index]`.
    Index(TensorValue, Value),
    /// The gradient of this tensor (`w.grad`).
    GradOf(Var),
}

impl TensorValue {
    pub fn torch(var: Var) -> TensorValue {
        TensorValue {
            var,
            numpy: false,
            origin: None,
            meta: Meta::default(),
        }
    }

    pub fn numpy(var: Var) -> TensorValue {
        TensorValue {
            numpy: true,
            ..TensorValue::torch(var)
        }
    }

    /// A new tensor computed from this one: same kind (torch or numpy), nothing else kept.
    pub fn derived(&self, var: Var) -> TensorValue {
        TensorValue {
            numpy: self.numpy,
            ..TensorValue::torch(var)
        }
    }

    /// Like [`TensorValue::derived`], with PyTorch's name for the operation.
    pub fn derived_as(&self, var: Var, label: &'static str) -> TensorValue {
        let mut t = self.derived(var);
        t.meta.label = Some(label);
        t
    }
}

/// What a `for` loop walks over.
pub enum Iter {
    Range {
        next: i64,
        stop: i64,
        step: i64,
    },
    /// A list (read live, as Python does), tuple or string's characters, by position.
    Items {
        items: Value,
        index: usize,
    },
    /// The rows of a tensor along its first dimension.
    Tensor {
        tensor: TensorValue,
        index: usize,
    },
    /// Values already computed (`enumerate`, `zip`, dict keys).
    Values {
        values: Vec<Value>,
        index: usize,
    },
}

/// A user function: its code, its defaults (evaluated when the `def` ran), the module it
/// belongs to.
pub struct Function {
    pub code: Rc<Code>,
    pub defaults: Vec<Value>,
}

/// A native function. `this` is the bound receiver of a method (`x.view` binds `x`).
pub struct Builtin {
    pub name: &'static str,
    pub f: BuiltinFn,
    pub this: Option<Value>,
}

/// Positional arguments then keyword arguments, as written at the call site.
#[derive(Default)]
pub struct Args {
    pub pos: Vec<Value>,
    pub kw: Vec<(Rc<str>, Value)>,
}

pub type BuiltinFn = fn(&mut Vm, Option<&Value>, Args) -> RtResult<Value>;

/// A method of a built-in object, dispatched on its name.
pub struct NativeMethod {
    pub this: Value,
    pub name: &'static str,
    pub call: MethodFn,
}

pub type MethodFn = fn(&mut Vm, &Value, &'static str, Args) -> RtResult<Value>;

/// A user class: its name, bases and the attributes its body defined (methods, constants).
pub struct Class {
    pub name: Rc<str>,
    pub bases: Vec<Value>,
    pub attrs: HashMap<Rc<str>, Value>,
    /// Subclasses `nn.Module` (directly or through a base): instances are callable, have
    /// `parameters()`, and register submodules.
    pub is_module: bool,
}

impl Class {
    /// An attribute of the class or, failing that, of its user-defined bases (depth first).
    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.attrs.get(name) {
            return Some(v.clone());
        }
        self.bases.iter().find_map(|b| match b {
            Value::Class(c) => c.lookup(name),
            _ => None,
        })
    }
}

/// An instance of a user class: its attributes in the order they were first assigned (PyTorch
/// registers submodules and parameters in that order).
pub struct Instance {
    pub class: Rc<Class>,
    pub attrs: RefCell<Vec<(Rc<str>, Value)>>,
}

impl Instance {
    pub fn get(&self, name: &str) -> Option<Value> {
        self.attrs
            .borrow()
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set(&self, name: Rc<str>, value: Value) {
        let mut attrs = self.attrs.borrow_mut();
        match attrs.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => attrs.push((name, value)),
        }
    }
}

/// A built-in module: a dotted name and its attributes.
pub struct Module {
    pub name: &'static str,
    pub attrs: HashMap<&'static str, Value>,
}

/// The built-in `torch.nn` layers.
pub enum Layer {
    Linear(Linear),
    Activation(Activation),
    /// The layers, and the same layers as one fused network when they are
    /// `Linear, act, Linear, act, ..., Linear` (one activation throughout): calling it then
    /// runs as a single node of the autograd graph.
    Sequential(Vec<Value>, Option<(Mlp, ScratchPool)>),
    MseLoss,
    /// `flowlab.PlanarFlow()`: one planar layer of the core's normalizing flows.
    Planar(PlanarLayer),
    /// `flowlab.AffineCoupling(keep, hidden)`: one RealNVP affine coupling layer.
    Coupling(CouplingLayer),
    /// `flowlab.CNF(net, ...)`: a continuous normalizing flow on the attendee's network.
    Cnf(Box<CnfModule>),
}

/// An optimizer and the parameters it was given (for `zero_grad`).
pub struct OptimizerValue {
    pub name: &'static str,
    pub inner: Box<dyn Optimizer>,
    pub lr: f64,
    /// How many times `step()` ran (the lab's checks ask whether training stepped).
    pub steps: u64,
}

/// `plt.subplots(r, c)`'s array of axes: 1-D when one of `r`, `c` is 1, else 2-D.
pub struct AxesArray {
    pub figure: Rc<RefCell<Figure>>,
    /// `(rows, cols)` of the array as numpy would shape it (`(n,)` is `(1, n)` flattened).
    pub shape: Vec<usize>,
    /// Panel indices, row-major.
    pub panels: Vec<usize>,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::from(items))
    }

    pub fn tensor(var: Var) -> Value {
        Value::Tensor(TensorValue::torch(var))
    }

    pub fn builtin(name: &'static str, f: BuiltinFn) -> Value {
        Value::Builtin(Rc::new(Builtin {
            name,
            f,
            this: None,
        }))
    }

    pub fn native_method(this: Value, name: &'static str, call: MethodFn) -> Value {
        Value::NativeMethod(Rc::new(NativeMethod { this, name, call }))
    }

    pub fn method(name: &'static str, f: BuiltinFn, this: Value) -> Value {
        Value::Builtin(Rc::new(Builtin {
            name,
            f,
            this: Some(this),
        }))
    }

    /// Python's type name, for messages ("'float' object is not callable").
    pub fn type_name(&self) -> String {
        match self {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(_) => "dict".into(),
            Value::Tensor(t) if t.numpy => "numpy.ndarray".into(),
            Value::Tensor(_) => "Tensor".into(),
            Value::Range(..) => "range".into(),
            Value::Slice(..) => "slice".into(),
            Value::Ellipsis => "ellipsis".into(),
            Value::Iter(_) => "iterator".into(),
            Value::Function(_) => "function".into(),
            Value::Method(_) => "method".into(),
            Value::Builtin(_) | Value::NativeMethod(_) => "builtin_function_or_method".into(),
            Value::Size(_) => "torch.Size".into(),
            Value::Class(_) => "type".into(),
            Value::Instance(i) => i.class.name.to_string(),
            Value::Super(_) => "super".into(),
            Value::Module(_) => "module".into(),
            Value::Layer(l) => l.class_name().into(),
            Value::Optimizer(o) => o.borrow().name.into(),
            Value::NoGrad => "no_grad".into(),
            Value::Figure(_) => "Figure".into(),
            Value::Axes(..) => "Axes".into(),
            Value::AxesArray(_) => "numpy.ndarray".into(),
            Value::Colormap(_) => "Colormap".into(),
            Value::Code(_) => "code".into(),
        }
    }

    /// Python's truth value; tensors need exactly one element, as in PyTorch.
    pub fn truthy(&self) -> Result<bool, String> {
        Ok(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Size(s) => !s.is_empty(),
            Value::Dict(d) => !d.borrow().is_empty(),
            Value::Range(a, b, s) => range_len(*a, *b, *s) > 0,
            Value::Tensor(t) => {
                let v = t.var.value();
                if v.len() != 1 {
                    return Err(format!(
                        "the truth value of a tensor with {} elements is ambiguous: compare one element (x[0] > 0) or reduce it first (x.sum() > 0, (x > 0).all())",
                        v.len()
                    ));
                }
                v.data()[0] != 0.0
            }
            _ => true,
        })
    }
}

impl Layer {
    pub fn class_name(&self) -> &'static str {
        match self {
            Layer::Linear(_) => "Linear",
            Layer::Activation(a) => a.class_name(),
            Layer::Sequential(..) => "Sequential",
            Layer::MseLoss => "MSELoss",
            Layer::Planar(_) => "PlanarFlow",
            Layer::Coupling(_) => "AffineCoupling",
            Layer::Cnf(_) => "CNF",
        }
    }
}

/// The number of values in `range(start, stop, step)` (`step != 0`).
pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}
