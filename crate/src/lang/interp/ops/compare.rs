//! Comparisons: `==` and `is` as Python, ordering, `in`.

use super::*;
use crate::lang::ast::CmpOp;
use crate::lang::interp::error::{type_error, RtResult};
use crate::lang::interp::value::*;
use std::rc::Rc;

/// Python's `==` (tensors of one element compare by value).
pub fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x == y;
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| py_eq(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| py_eq(k, k2))
                        .is_some_and(|(_, v2)| py_eq(v, v2))
                })
        }
        (Value::Range(a1, b1, s1), Value::Range(a2, b2, s2)) => (a1, b1, s1) == (a2, b2, s2),
        (Value::Size(_), Value::Size(_) | Value::Tuple(_)) | (Value::Tuple(_), Value::Size(_)) => {
            match (to_vec(a), to_vec(b)) {
                (Ok(x), Ok(y)) => x.len() == y.len() && x.iter().zip(&y).all(|(p, q)| py_eq(p, q)),
                _ => false,
            }
        }
        _ => is_same(a, b),
    }
}

/// Python's `is`.
pub fn is_same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Ellipsis, Value::Ellipsis) | (Value::NoGrad, Value::NoGrad) => true,
        (Value::List(x), Value::List(y)) => Rc::ptr_eq(x, y),
        (Value::Dict(x), Value::Dict(y)) => Rc::ptr_eq(x, y),
        (Value::Tuple(x), Value::Tuple(y)) => Rc::ptr_eq(x, y),
        (Value::Tensor(x), Value::Tensor(y)) => x.var.same(&y.var),
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        (Value::Class(x), Value::Class(y)) => Rc::ptr_eq(x, y),
        (Value::Instance(x), Value::Instance(y)) => Rc::ptr_eq(x, y),
        (Value::Module(x), Value::Module(y)) => Rc::ptr_eq(x, y),
        (Value::Layer(x), Value::Layer(y)) => Rc::ptr_eq(x, y),
        (Value::Optimizer(x), Value::Optimizer(y)) => Rc::ptr_eq(x, y),
        (Value::Figure(x), Value::Figure(y)) => Rc::ptr_eq(x, y),
        (Value::Axes(x, i), Value::Axes(y, j)) => Rc::ptr_eq(x, y) && i == j,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        _ => false,
    }
}

fn order(a: &Value, b: &Value, op: CmpOp) -> RtResult<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if let (Some(x), Some(y)) = (scalar_of(a), scalar_of(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::List(_) | Value::Tuple(_), Value::List(_) | Value::Tuple(_))
            if std::mem::discriminant(a) == std::mem::discriminant(b) =>
        {
            let (x, y) = (to_vec(a)?, to_vec(b)?);
            for (p, q) in x.iter().zip(&y) {
                if !py_eq(p, q) {
                    return order(p, q, op);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        _ => Err(type_error(format!(
            "'{}' not supported between instances of '{}' and '{}'{}",
            op.symbol(),
            a.type_name(),
            b.type_name(),
            if matches!(a, Value::Tensor(_)) || matches!(b, Value::Tensor(_)) {
                ": compare one element at a time, e.g. loss.item() < 0.1"
            } else {
                ""
            }
        ))),
    }
}

/// A number, or the value of a one-element tensor.
fn scalar_of(v: &Value) -> Option<f64> {
    match v {
        Value::Tensor(t) => {
            let value = t.var.value();
            (value.len() == 1).then(|| f64::from(value.data()[0]))
        }
        _ => as_number(v),
    }
}

/// `a op b` for comparisons.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> RtResult<Value> {
    use std::cmp::Ordering::*;
    let r = match op {
        CmpOp::Eq | CmpOp::NotEq => {
            let eq = match (scalar_of(a), scalar_of(b)) {
                (Some(x), Some(y)) => x == y,
                _ => py_eq(a, b),
            };
            eq == (op == CmpOp::Eq)
        }
        CmpOp::Lt => order(a, b, op)? == Less,
        CmpOp::LtE => order(a, b, op)? != Greater,
        CmpOp::Gt => order(a, b, op)? == Greater,
        CmpOp::GtE => order(a, b, op)? != Less,
        CmpOp::Is => is_same(a, b),
        CmpOp::IsNot => !is_same(a, b),
        CmpOp::In | CmpOp::NotIn => contains(b, a)? == (op == CmpOp::In),
    };
    Ok(Value::Bool(r))
}

fn contains(container: &Value, item: &Value) -> RtResult<bool> {
    Ok(match container {
        Value::Str(s) => match item {
            Value::Str(sub) => s.contains(&**sub),
            _ => return Err(type_error("'in <string>' requires a string on the left")),
        },
        Value::Dict(d) => d.borrow().iter().any(|(k, _)| py_eq(k, item)),
        Value::Range(a, b, s) => match as_int(item) {
            Some(i) => {
                let inside = if *s > 0 {
                    *a <= i && i < *b
                } else {
                    *b < i && i <= *a
                };
                inside && (i - a) % s == 0
            }
            None => false,
        },
        _ => to_vec(container)?.iter().any(|v| py_eq(v, item)),
    })
}
