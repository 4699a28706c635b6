//! Built-ins over iterables: `min`, `max`, `sum`, `enumerate`, `zip`, `sorted`, `reversed`,
//! `any`, `all`.

use super::super::ArgReader;
use super::one;
use crate::lang::interp::error::{type_error, value_error, RtResult};
use crate::lang::interp::ops::{self, as_int, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;

/// The values `min` / `max` choose among: one iterable argument, or several arguments.
fn candidates(name: &str, args: Args) -> RtResult<Vec<Value>> {
    if let Some((k, _)) = args.kw.first() {
        return Err(type_error(format!(
            "{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    let items = match args.pos.len() {
        0 => {
            return Err(type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )))
        }
        1 => to_vec(&args.pos[0])?,
        _ => args.pos,
    };
    if items.is_empty() {
        return Err(value_error(format!("{name}() arg is an empty sequence")));
    }
    Ok(items)
}

fn extreme(name: &str, args: Args, pick_greater: bool) -> RtResult<Value> {
    let items = candidates(name, args)?;
    let mut best = items[0].clone();
    for v in &items[1..] {
        let op = if pick_greater {
            crate::lang::ast::CmpOp::Gt
        } else {
            crate::lang::ast::CmpOp::Lt
        };
        if ops::compare(op, v, &best)?.truthy().unwrap_or(false) {
            best = v.clone();
        }
    }
    Ok(best)
}

pub(super) fn min(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    extreme("min", args, false)
}

pub(super) fn max(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    extreme("max", args, true)
}

pub(super) fn sum(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("sum", args);
    let items = a.required(0, "iterable")?;
    let start = a.get(1, "start").unwrap_or(Value::Int(0));
    a.finish()?;
    let mut acc = start;
    for v in to_vec(&items)? {
        acc = ops::binary(crate::lang::ast::BinOp::Add, &acc, &v)?;
    }
    Ok(acc)
}

pub(super) fn enumerate(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("enumerate", args);
    let items = a.required(0, "iterable")?;
    let start = a.get(1, "start").map_or(Ok(0), |s| {
        as_int(&s).ok_or_else(|| type_error("enumerate(): start must be an int"))
    })?;
    a.finish()?;
    let values = to_vec(&items)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| Value::tuple(vec![Value::Int(start + i as i64), v]))
        .collect();
    Ok(Value::Iter(std::rc::Rc::new(std::cell::RefCell::new(
        Iter::Values { values, index: 0 },
    ))))
}

pub(super) fn zip(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    if !args.kw.is_empty() {
        return Err(type_error("zip() takes no keyword arguments here"));
    }
    let columns: Vec<Vec<Value>> = args.pos.iter().map(to_vec).collect::<RtResult<_>>()?;
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    let values = (0..n)
        .map(|i| Value::tuple(columns.iter().map(|c| c[i].clone()).collect()))
        .collect();
    Ok(Value::Iter(std::rc::Rc::new(std::cell::RefCell::new(
        Iter::Values { values, index: 0 },
    ))))
}

pub(super) fn sorted(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("sorted", args);
    let items = a.required(0, "iterable")?;
    let reverse = a
        .keyword("reverse")
        .map_or(Ok(false), |r| super::super::flag(&r))?;
    a.finish()?;
    let mut items = to_vec(&items)?;
    let mut failure = None;
    items.sort_by(|x, y| {
        if ops::compare(crate::lang::ast::CmpOp::Lt, x, y)
            .map_err(|e| failure = Some(e.clone()))
            .is_ok_and(|v| v.truthy().unwrap_or(false))
        {
            std::cmp::Ordering::Less
        } else if ops::py_eq(x, y) {
            std::cmp::Ordering::Equal
        } else {
            std::cmp::Ordering::Greater
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if reverse {
        items.reverse();
    }
    Ok(Value::list(items))
}

pub(super) fn reversed(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("reversed", args)?;
    let mut items = to_vec(&x)?;
    items.reverse();
    Ok(Value::Iter(std::rc::Rc::new(std::cell::RefCell::new(
        Iter::Values {
            values: items,
            index: 0,
        },
    ))))
}

pub(super) fn any(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("any", args)?;
    for v in to_vec(&x)? {
        if v.truthy().map_err(value_error)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

pub(super) fn all(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let x = one("all", args)?;
    for v in to_vec(&x)? {
        if !v.truthy().map_err(value_error)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}
