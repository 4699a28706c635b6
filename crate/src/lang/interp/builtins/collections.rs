//! Methods of lists, dicts, strings and numbers (`losses.append(x)`, `d.items()`, `", ".join`).

use super::ArgReader;
use crate::lang::interp::error::{index_error, type_error, value_error, RtResult};
use crate::lang::interp::ops::{self, as_index, to_str, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use std::cell::RefCell;
use std::rc::Rc;

pub const LIST_METHODS: &[&str] = &[
    "append", "extend", "pop", "insert", "index", "count", "reverse", "sort", "copy", "clear",
];
pub const DICT_METHODS: &[&str] = &["keys", "values", "items", "get", "pop", "update", "copy"];
pub const STR_METHODS: &[&str] = &[
    "join",
    "upper",
    "lower",
    "strip",
    "split",
    "replace",
    "startswith",
    "endswith",
    "format",
    "ljust",
    "rjust",
    "center",
    "count",
];

/// The method `name` of a list, dict, string or number, bound to it.
pub fn attr(obj: &Value, name: &str) -> Option<Value> {
    let f: BuiltinFn = match (obj, name) {
        (Value::List(_), "append") => list_append,
        (Value::List(_), "extend") => list_extend,
        (Value::List(_), "pop") => list_pop,
        (Value::List(_), "insert") => list_insert,
        (Value::List(_), "index") => list_index,
        (Value::List(_), "count") => list_count,
        (Value::List(_), "reverse") => list_reverse,
        (Value::List(_), "sort") => list_sort,
        (Value::List(_), "copy") => list_copy,
        (Value::List(_), "clear") => list_clear,
        (Value::Dict(_), "keys") => dict_keys,
        (Value::Dict(_), "values") => dict_values,
        (Value::Dict(_), "items") => dict_items,
        (Value::Dict(_), "get") => dict_get,
        (Value::Dict(_), "pop") => dict_pop,
        (Value::Dict(_), "update") => dict_update,
        (Value::Dict(_), "copy") => dict_copy,
        (Value::Str(_), "join") => str_join,
        (Value::Str(_), "upper") => |_, s, _| Ok(Value::str(&this_str(s).to_uppercase())),
        (Value::Str(_), "lower") => |_, s, _| Ok(Value::str(&this_str(s).to_lowercase())),
        (Value::Str(_), "strip") => |_, s, _| Ok(Value::str(this_str(s).trim())),
        (Value::Str(_), "split") => str_split,
        (Value::Str(_), "replace") => str_replace,
        (Value::Str(_), "startswith") => str_startswith,
        (Value::Str(_), "endswith") => str_endswith,
        (Value::Str(_), "ljust") => |_, s, a| str_pad(s, a, "ljust"),
        (Value::Str(_), "rjust") => |_, s, a| str_pad(s, a, "rjust"),
        (Value::Str(_), "center") => |_, s, a| str_pad(s, a, "center"),
        (Value::Str(_), "count") => str_count,
        (Value::Float(_), "is_integer") => |_, s, _| {
            Ok(Value::Bool(
                s.and_then(ops::as_number).is_some_and(|f| f.fract() == 0.0),
            ))
        },
        (Value::Float(_) | Value::Int(_), "real") => return Some(obj.clone()),
        _ => return None,
    };
    let name: &'static str = [LIST_METHODS, DICT_METHODS, STR_METHODS]
        .iter()
        .flat_map(|m| m.iter())
        .find(|m| **m == name)
        .copied()
        .unwrap_or("method");
    Some(Value::method(name, f, obj.clone()))
}

fn this_list(this: Option<&Value>) -> Rc<RefCell<Vec<Value>>> {
    match this {
        Some(Value::List(l)) => l.clone(),
        _ => Rc::new(RefCell::new(Vec::new())),
    }
}

fn this_dict(this: Option<&Value>) -> Rc<RefCell<Vec<(Value, Value)>>> {
    match this {
        Some(Value::Dict(d)) => d.clone(),
        _ => Rc::new(RefCell::new(Vec::new())),
    }
}

fn this_str(this: Option<&Value>) -> Rc<str> {
    match this {
        Some(Value::Str(s)) => s.clone(),
        _ => Rc::from(""),
    }
}

fn list_append(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("append", args);
    let v = a.required(0, "object")?;
    a.finish()?;
    this_list(this).borrow_mut().push(v);
    Ok(Value::None)
}

fn list_extend(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("extend", args);
    let v = a.required(0, "iterable")?;
    a.finish()?;
    let items = to_vec(&v)?;
    this_list(this).borrow_mut().extend(items);
    Ok(Value::None)
}

fn list_pop(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("pop", args);
    let i = a.get(0, "index");
    a.finish()?;
    let l = this_list(this);
    let mut l = l.borrow_mut();
    if l.is_empty() {
        return Err(index_error("pop from empty list"));
    }
    let len = l.len() as i64;
    let i = match i {
        None => len - 1,
        Some(v) => as_index(&v).ok_or_else(|| type_error("list indices must be integers"))?,
    };
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        return Err(index_error("pop index out of range"));
    }
    Ok(l.remove(j as usize))
}

fn list_insert(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("insert", args);
    let i = a.required(0, "index")?;
    let v = a.required(1, "object")?;
    a.finish()?;
    let l = this_list(this);
    let mut l = l.borrow_mut();
    let len = l.len() as i64;
    let i = as_index(&i).ok_or_else(|| type_error("list indices must be integers"))?;
    let j = if i < 0 { (i + len).max(0) } else { i.min(len) };
    l.insert(j as usize, v);
    Ok(Value::None)
}

fn list_index(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("index", args);
    let v = a.required(0, "value")?;
    a.finish()?;
    let l = this_list(this);
    let pos = l.borrow().iter().position(|x| ops::py_eq(x, &v));
    pos.map(|p| Value::Int(p as i64))
        .ok_or_else(|| value_error(format!("{} is not in list", ops::repr(&v))))
}

fn list_count(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("count", args);
    let v = a.required(0, "value")?;
    a.finish()?;
    let n = this_list(this)
        .borrow()
        .iter()
        .filter(|x| ops::py_eq(x, &v))
        .count();
    Ok(Value::Int(n as i64))
}

/// `s.count(sub)`: non-overlapping occurrences of `sub`, as Python counts them (an empty `sub`
/// occurs between every two characters and at both ends).
fn str_count(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("count", args);
    let sub = a.required(0, "sub")?;
    a.finish()?;
    let Value::Str(sub) = sub else {
        return Err(type_error(format!("must be str, not {}", sub.type_name())));
    };
    let s = this_str(this);
    let n = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(&*sub).count()
    };
    Ok(Value::Int(n as i64))
}

fn list_reverse(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("reverse", args).finish()?;
    this_list(this).borrow_mut().reverse();
    Ok(Value::None)
}

fn list_sort(vm: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let l = this_list(this);
    let items = Value::List(Rc::new(RefCell::new(l.borrow().clone())));
    let mut args = args;
    args.pos.insert(0, items);
    let sorted = super::python::table()["sorted"].clone();
    let Value::Builtin(b) = sorted else {
        return Ok(Value::None);
    };
    if let Value::List(s) = (b.f)(vm, None, args)? {
        *l.borrow_mut() = s.borrow().clone();
    }
    Ok(Value::None)
}

fn list_copy(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("copy", args).finish()?;
    Ok(Value::list(this_list(this).borrow().clone()))
}

fn list_clear(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("clear", args).finish()?;
    this_list(this).borrow_mut().clear();
    Ok(Value::None)
}

fn dict_keys(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("keys", args).finish()?;
    Ok(Value::list(
        this_dict(this)
            .borrow()
            .iter()
            .map(|(k, _)| k.clone())
            .collect(),
    ))
}

fn dict_values(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("values", args).finish()?;
    Ok(Value::list(
        this_dict(this)
            .borrow()
            .iter()
            .map(|(_, v)| v.clone())
            .collect(),
    ))
}

fn dict_items(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("items", args).finish()?;
    Ok(Value::list(
        this_dict(this)
            .borrow()
            .iter()
            .map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()]))
            .collect(),
    ))
}

fn dict_get(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("get", args);
    let k = a.required(0, "key")?;
    let default = a.get(1, "default").unwrap_or(Value::None);
    a.finish()?;
    let d = this_dict(this);
    let found = d
        .borrow()
        .iter()
        .find(|(key, _)| ops::py_eq(key, &k))
        .map(|(_, v)| v.clone());
    Ok(found.unwrap_or(default))
}

fn dict_pop(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("pop", args);
    let k = a.required(0, "key")?;
    let default = a.get(1, "default");
    a.finish()?;
    let d = this_dict(this);
    let mut d = d.borrow_mut();
    match d.iter().position(|(key, _)| ops::py_eq(key, &k)) {
        Some(i) => Ok(d.remove(i).1),
        None => default.ok_or_else(|| index_error(format!("KeyError: {}", ops::repr(&k)))),
    }
}

fn dict_update(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let d = this_dict(this);
    for p in &args.pos {
        if let Value::Dict(other) = p {
            let entries = other.borrow().clone();
            for (k, v) in entries {
                ops::dict_insert(&mut d.borrow_mut(), k, v)?;
            }
        } else {
            return Err(type_error("update() needs a dict"));
        }
    }
    for (k, v) in args.kw {
        ops::dict_insert(&mut d.borrow_mut(), Value::Str(k), v)?;
    }
    Ok(Value::None)
}

fn dict_copy(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    ArgReader::new("copy", args).finish()?;
    Ok(Value::Dict(Rc::new(RefCell::new(
        this_dict(this).borrow().clone(),
    ))))
}

fn str_join(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("join", args);
    let items = a.required(0, "iterable")?;
    a.finish()?;
    let parts = to_vec(&items)?
        .iter()
        .map(|v| match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(type_error(format!(
                "sequence item: expected str instance, {} found (convert with str(...))",
                other.type_name()
            ))),
        })
        .collect::<RtResult<Vec<String>>>()?;
    Ok(Value::str(&parts.join(&this_str(this))))
}

fn str_split(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("split", args);
    let sep = a.get(0, "sep");
    a.finish()?;
    let s = this_str(this);
    let parts: Vec<Value> = match sep {
        None | Some(Value::None) => s.split_whitespace().map(Value::str).collect(),
        Some(Value::Str(sep)) if !sep.is_empty() => s.split(&*sep).map(Value::str).collect(),
        _ => {
            return Err(value_error(
                "split(): the separator must be a non-empty string",
            ))
        }
    };
    Ok(Value::list(parts))
}

fn str_replace(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("replace", args);
    let old = a.required(0, "old")?;
    let new = a.required(1, "new")?;
    a.finish()?;
    Ok(Value::str(
        &this_str(this).replace(&to_str(&old), &to_str(&new)),
    ))
}

fn str_startswith(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("startswith", args);
    let p = a.required(0, "prefix")?;
    a.finish()?;
    Ok(Value::Bool(this_str(this).starts_with(&to_str(&p))))
}

fn str_endswith(_: &mut Vm, this: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("endswith", args);
    let p = a.required(0, "suffix")?;
    a.finish()?;
    Ok(Value::Bool(this_str(this).ends_with(&to_str(&p))))
}

fn str_pad(this: Option<&Value>, args: Args, how: &'static str) -> RtResult<Value> {
    let mut a = ArgReader::new(how, args);
    let width = a.required(0, "width")?;
    a.finish()?;
    let width = super::size(how, "width", &width)?.min(1 << 20);
    let s = this_str(this);
    let spec = match how {
        "ljust" => format!("<{width}"),
        "rjust" => format!(">{width}"),
        _ => format!("^{width}"),
    };
    crate::lang::pyfmt::format_str(&s, &spec)
        .map(|s| Value::str(&s))
        .map_err(value_error)
}
