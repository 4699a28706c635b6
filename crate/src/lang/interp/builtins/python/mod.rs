//! Python's built-in functions (`print`, `len`, `range`, ...) and the `math` module.

use super::{number, ArgReader};
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::ops::{self, as_index, as_int, as_number, to_str, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use std::collections::HashMap;

mod iterables;

use iterables::*;

/// The built-in names every cell sees.
pub fn table() -> HashMap<&'static str, Value> {
    let entries: [(&'static str, BuiltinFn); 26] = [
        ("print", print),
        ("len", len),
        ("range", range),
        ("list", list),
        ("tuple", tuple),
        ("int", int),
        ("float", float),
        ("str", str_),
        ("bool", bool_),
        ("repr", repr),
        ("abs", abs),
        ("min", min),
        ("max", max),
        ("round", round),
        ("sum", sum),
        ("enumerate", enumerate),
        ("zip", zip),
        ("isinstance", isinstance),
        ("sorted", sorted),
        ("reversed", reversed),
        ("any", any),
        ("all", all),
        ("dict", dict),
        ("type", type_),
        ("divmod", divmod),
        ("pow", pow),
    ];
    entries
        .into_iter()
        .map(|(n, f)| (n, Value::builtin(n, f)))
        .collect()
}

/// The `math` module.
pub fn math() -> HashMap<&'static str, Value> {
    fn unary(name: &'static str, args: Args, f: fn(f64) -> f64) -> RtResult<Value> {
        let mut a = ArgReader::new(name, args);
        let x = a.required(0, "x")?;
        a.finish()?;
        Ok(Value::Float(f(number(name, "x", &x)?)))
    }
    let mut m: HashMap<&'static str, Value> = HashMap::new();
    m.insert("pi", Value::Float(std::f64::consts::PI));
    m.insert("e", Value::Float(std::f64::consts::E));
    m.insert("inf", Value::Float(f64::INFINITY));
    m.insert("nan", Value::Float(f64::NAN));
    m.insert(
        "sqrt",
        Value::builtin("sqrt", |_, _, a| unary("sqrt", a, f64::sqrt)),
    );
    m.insert(
        "exp",
        Value::builtin("exp", |_, _, a| unary("exp", a, f64::exp)),
    );
    m.insert(
        "log",
        Value::builtin("log", |_, _, a| unary("log", a, f64::ln)),
    );
    m.insert(
        "sin",
        Value::builtin("sin", |_, _, a| unary("sin", a, f64::sin)),
    );
    m.insert(
        "cos",
        Value::builtin("cos", |_, _, a| unary("cos", a, f64::cos)),
    );
    m.insert(
        "tanh",
        Value::builtin("tanh", |_, _, a| unary("tanh", a, f64::tanh)),
    );
    m.insert(
        "floor",
        Value::builtin("floor", |_, _, a| {
            unary("floor", a, f64::floor).map(|v| Value::Int(as_number(&v).unwrap_or(0.0) as i64))
        }),
    );
    m.insert(
        "ceil",
        Value::builtin("ceil", |_, _, a| {
            unary("ceil", a, f64::ceil).map(|v| Value::Int(as_number(&v).unwrap_or(0.0) as i64))
        }),
    );
    m
}

fn print(vm: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut sep = " ".to_string();
    let mut end = "\n".to_string();
    for (k, v) in &args.kw {
        match (&**k, v) {
            ("sep", Value::Str(s)) => sep = s.to_string(),
            ("end", Value::Str(s)) => end = s.to_string(),
            ("sep" | "end", Value::None) => {}
            ("flush", _) => {}
            ("sep" | "end", other) => {
                return Err(type_error(format!(
                    "print(): {k} must be None or a string, not {}",
                    other.type_name()
                )))
            }
            _ => {
                return Err(type_error(format!(
                    "print() got an unexpected keyword argument '{k}'"
                )))
            }
        }
    }
    let parts: Vec<String> = args.pos.iter().map(to_str).collect();
    let text = parts.join(&sep) + &end;
    vm.write(&text);
    Ok(Value::None)
}

fn one(name: &'static str, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new(name, args);
    let x = a.required(0, "x")?;
    a.finish()?;
    Ok(x)
}

/// `len(x)` for sequences, dicts, ranges and tensors (the first dimension).
pub fn length(x: &Value) -> RtResult<usize> {
    Ok(match x {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => l.borrow().len(),
        Value::Tuple(t) => t.len(),
        Value::Size(s) => s.len(),
        Value::Dict(d) => d.borrow().len(),
        Value::Range(a, b, s) => range_len(*a, *b, *s) as usize,
        Value::Tensor(t) => {
            let v = t.var.value();
            match v.shape().first() {
                Some(&n) => n,
                None => return Err(type_error("len() of a 0-d tensor")),
            }
        }
        Value::AxesArray(a) => a.shape[0],
        Value::Layer(l) => match &**l {
            Layer::Sequential(items, _) => items.len(),
            _ => {
                return Err(type_error(format!(
                    "object of type '{}' has no len()",
                    x.type_name()
                )))
            }
        },
        _ => {
            return Err(type_error(format!(
                "object of type '{}' has no len()",
                x.type_name()
            )))
        }
    })
}

fn len(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("len", args)?;
    Ok(Value::Int(length(&x)? as i64))
}

fn range(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("range() takes no keyword arguments"));
    }
    let ints: Vec<i64> = args
        .pos
        .iter()
        .map(|v| {
            as_index(v).ok_or_else(|| {
                type_error(format!(
                    "range() needs integers, not '{}'{}",
                    v.type_name(),
                    if matches!(v, Value::Float(_)) {
                        ": wrap it in int(...)"
                    } else {
                        ""
                    }
                ))
            })
        })
        .collect::<RtResult<_>>()?;
    let (a, b, s) = match ints[..] {
        [b] => (0, b, 1),
        [a, b] => (a, b, 1),
        [a, b, s] => (a, b, s),
        _ => {
            return Err(type_error(format!(
                "range expected 1 to 3 arguments, got {}",
                ints.len()
            )))
        }
    };
    if s == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(a, b, s))
}

fn list(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() && args.kw.is_empty() {
        return Ok(Value::list(Vec::new()));
    }
    let x = one("list", args)?;
    Ok(Value::list(to_vec(&x)?))
}

fn tuple(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() && args.kw.is_empty() {
        return Ok(Value::tuple(Vec::new()));
    }
    let x = one("tuple", args)?;
    Ok(Value::tuple(to_vec(&x)?))
}

fn dict(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut entries = Vec::new();
    for p in &args.pos {
        for item in to_vec(p)? {
            let kv = ops::unpack(&item, 2)?;
            ops::dict_insert(&mut entries, kv[0].clone(), kv[1].clone())?;
        }
    }
    for (k, v) in args.kw {
        ops::dict_insert(&mut entries, Value::Str(k), v)?;
    }
    Ok(Value::Dict(std::rc::Rc::new(std::cell::RefCell::new(
        entries,
    ))))
}

/// A one-element tensor's value.
fn tensor_scalar(v: &Value, what: &str) -> RtResult<Option<f64>> {
    match v {
        Value::Tensor(t) => {
            let value = t.var.value();
            if value.len() != 1 {
                return Err(type_error(format!(
                    "only one-element tensors can be converted to Python scalars ({what} of a tensor of shape {})",
                    crate::tensor::shape_str(value.shape())
                )));
            }
            Ok(Some(f64::from(value.data()[0])))
        }
        _ => Ok(None),
    }
}

fn int(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() {
        return Ok(Value::Int(0));
    }
    let x = one("int", args)?;
    if let Some(f) = tensor_scalar(&x, "int()")? {
        return float_to_int(f);
    }
    match &x {
        Value::Float(f) => float_to_int(*f),
        Value::Str(s) => s
            .trim()
            .replace('_', "")
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| {
                value_error(format!(
                    "invalid literal for int() with base 10: {}",
                    ops::repr(&x)
                ))
            }),
        _ => as_int(&x).map(Value::Int).ok_or_else(|| {
            type_error(format!(
                "int() argument must be a string or a number, not '{}'",
                x.type_name()
            ))
        }),
    }
}

fn float_to_int(f: f64) -> RtResult<Value> {
    if !f.is_finite() {
        return Err(value_error(format!(
            "cannot convert float {} to integer",
            crate::lang::pyfmt::float_repr(f)
        )));
    }
    if f.abs() >= 9.2e18 {
        return Err(RtError::new(ErrorKind::Limit, "integer too large"));
    }
    Ok(Value::Int(f.trunc() as i64))
}

fn float(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() {
        return Ok(Value::Float(0.0));
    }
    let x = one("float", args)?;
    if let Some(f) = tensor_scalar(&x, "float()")? {
        return Ok(Value::Float(f));
    }
    match &x {
        Value::Str(s) => {
            let t = s.trim().to_ascii_lowercase().replace('_', "");
            let v = match t.as_str() {
                "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                _ => t.parse::<f64>().ok(),
            };
            v.map(Value::Float).ok_or_else(|| {
                value_error(format!(
                    "could not convert string to float: {}",
                    ops::repr(&x)
                ))
            })
        }
        _ => as_number(&x).map(Value::Float).ok_or_else(|| {
            type_error(format!(
                "float() argument must be a string or a number, not '{}'",
                x.type_name()
            ))
        }),
    }
}

fn str_(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() {
        return Ok(Value::str(""));
    }
    let x = one("str", args)?;
    Ok(Value::str(&to_str(&x)))
}

fn bool_(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if args.pos.is_empty() {
        return Ok(Value::Bool(false));
    }
    let x = one("bool", args)?;
    Ok(Value::Bool(x.truthy().map_err(value_error)?))
}

fn repr(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("repr", args)?;
    Ok(Value::str(&ops::repr(&x)))
}

fn abs(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("abs", args)?;
    Ok(match x {
        Value::Float(f) => Value::Float(f.abs()),
        Value::Tensor(t) => Value::Tensor(TensorValue {
            var: crate::lang::interp::builtins::torch::abs_var(&t.var)?,
            numpy: t.numpy,
            origin: None,
            meta: Meta::default(),
        }),
        other => match as_int(&other) {
            Some(i) => Value::Int(
                i.checked_abs()
                    .ok_or_else(|| type_error("integer overflow"))?,
            ),
            None => {
                return Err(type_error(format!(
                    "bad operand type for abs(): '{}'",
                    other.type_name()
                )))
            }
        },
    })
}

fn round(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("round", args);
    let x = a.required(0, "number")?;
    let digits = a.get(1, "ndigits");
    a.finish()?;
    let x = match tensor_scalar(&x, "round()")? {
        Some(f) => Value::Float(f),
        None => x,
    };
    let digits = match digits {
        None | Some(Value::None) => None,
        Some(d) => Some(as_int(&d).ok_or_else(|| type_error("round(): ndigits must be an int"))?),
    };
    match (&x, digits) {
        (Value::Float(f), None) => float_to_int(f.round_ties_even()),
        (Value::Float(f), Some(n)) => {
            if !f.is_finite() || n > 300 {
                return Ok(Value::Float(*f));
            }
            if n >= 0 {
                // the decimal expansion of the exact binary value, rounded like Python
                let s = format!("{:.*}", n as usize, f);
                Ok(Value::Float(s.parse().unwrap_or(*f)))
            } else {
                let p = 10f64.powi((-n).min(300) as i32);
                Ok(Value::Float((f / p).round_ties_even() * p))
            }
        }
        (v, d) if as_int(v).is_some() => {
            let i = as_int(v).unwrap_or(0);
            match d {
                Some(n) if n < 0 => {
                    let p = 10i64.checked_pow((-n) as u32).unwrap_or(i64::MAX);
                    let q = (i as f64 / p as f64).round_ties_even() as i64;
                    Ok(Value::Int(q.saturating_mul(p)))
                }
                _ => Ok(Value::Int(i)),
            }
        }
        (v, _) => Err(type_error(format!(
            "type {} doesn't define __round__ method",
            v.type_name()
        ))),
    }
}

/// Whether `v` is an instance of the class-like value `class`.
fn instance_of(v: &Value, class: &Value) -> RtResult<bool> {
    Ok(match class {
        Value::Tuple(options) => {
            for c in options.iter() {
                if instance_of(v, c)? {
                    return Ok(true);
                }
            }
            false
        }
        Value::Class(c) => match v {
            Value::Instance(i) => derives(&i.class, c),
            Value::Layer(_) => c.is_module && &*c.name == "Module",
            _ => false,
        },
        Value::Builtin(b) => match b.name {
            "int" => matches!(v, Value::Int(_) | Value::Bool(_)),
            "float" => matches!(v, Value::Float(_)),
            "str" => matches!(v, Value::Str(_)),
            "bool" => matches!(v, Value::Bool(_)),
            "list" => matches!(v, Value::List(_)),
            "tuple" => matches!(v, Value::Tuple(_)),
            "dict" => matches!(v, Value::Dict(_)),
            "range" => matches!(v, Value::Range(..)),
            "Tensor" => matches!(v, Value::Tensor(t) if !t.numpy),
            "ndarray" => matches!(v, Value::Tensor(t) if t.numpy),
            other => {
                return Err(type_error(format!(
                    "isinstance() arg 2 must be a type, and {other} is a function"
                )))
            }
        },
        other => {
            return Err(type_error(format!(
                "isinstance() arg 2 must be a type or tuple of types, not '{}'",
                other.type_name()
            )))
        }
    })
}

fn derives(c: &std::rc::Rc<Class>, target: &std::rc::Rc<Class>) -> bool {
    std::rc::Rc::ptr_eq(c, target)
        || c.bases.iter().any(|b| match b {
            Value::Class(b) => derives(b, target),
            _ => false,
        })
}

fn isinstance(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("isinstance", args);
    let v = a.required(0, "obj")?;
    let c = a.required(1, "class_or_tuple")?;
    a.finish()?;
    Ok(Value::Bool(instance_of(&v, &c)?))
}

fn type_(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("type", args)?;
    Ok(match &x {
        Value::Instance(i) => Value::Class(i.class.clone()),
        other => Value::str(&format!("<class '{}'>", other.type_name())),
    })
}

fn divmod(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("divmod", args);
    let x = a.required(0, "a")?;
    let y = a.required(1, "b")?;
    a.finish()?;
    let q = ops::binary(crate::lang::ast::BinOp::FloorDiv, &x, &y)?;
    let r = ops::binary(crate::lang::ast::BinOp::Mod, &x, &y)?;
    Ok(Value::tuple(vec![q, r]))
}

fn pow(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("pow", args);
    let x = a.required(0, "base")?;
    let y = a.required(1, "exp")?;
    a.finish()?;
    ops::binary(crate::lang::ast::BinOp::Pow, &x, &y)
}
