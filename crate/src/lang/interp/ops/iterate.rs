//! Iteration: what a `for` loop walks over, unpacking.

use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, value_error, RtError, RtResult};
use crate::lang::interp::value::*;
use std::rc::Rc;

/// The items of an iterable value.
pub fn to_vec(v: &Value) -> RtResult<Vec<Value>> {
    let mut it = iterate(v)?;
    let mut out = Vec::new();
    while let Some(x) = next(&mut it)? {
        out.push(x);
        if out.len() > crate::tensor::MAX_ELEMENTS {
            return Err(RtError::new(ErrorKind::Limit, "too many items"));
        }
    }
    Ok(out)
}

/// Starts iterating over `v`.
pub fn iterate(v: &Value) -> RtResult<Iter> {
    Ok(match v {
        Value::Range(a, b, s) => Iter::Range {
            next: *a,
            stop: *b,
            step: *s,
        },
        Value::List(_) | Value::Tuple(_) | Value::Str(_) => Iter::Items {
            items: v.clone(),
            index: 0,
        },
        Value::Dict(d) => Iter::Values {
            values: d.borrow().iter().map(|(k, _)| k.clone()).collect(),
            index: 0,
        },
        Value::Size(s) => Iter::Values {
            values: s.iter().map(|&d| Value::Int(d as i64)).collect(),
            index: 0,
        },
        Value::Tensor(t) => {
            if t.var.value().ndim() == 0 {
                return Err(type_error("iteration over a 0-d tensor"));
            }
            Iter::Tensor {
                tensor: t.clone(),
                index: 0,
            }
        }
        Value::AxesArray(a) => Iter::Values {
            values: axes_rows(a),
            index: 0,
        },
        Value::Iter(it) => {
            // an iterator iterates over itself: take what is left
            let mut rest = Vec::new();
            let mut inner = it.borrow_mut();
            while let Some(x) = next(&mut inner)? {
                rest.push(x);
            }
            Iter::Values {
                values: rest,
                index: 0,
            }
        }
        _ => {
            return Err(type_error(format!(
                "'{}' object is not iterable",
                v.type_name()
            )))
        }
    })
}

/// The rows of an axes array: the axes themselves when 1-D, arrays of a row when 2-D.
fn axes_rows(a: &AxesArray) -> Vec<Value> {
    if a.shape.len() == 1 {
        return a
            .panels
            .iter()
            .map(|&p| Value::Axes(a.figure.clone(), p))
            .collect();
    }
    let cols = a.shape[1];
    a.panels
        .chunks(cols.max(1))
        .map(|row| {
            Value::AxesArray(Rc::new(AxesArray {
                figure: a.figure.clone(),
                shape: vec![row.len()],
                panels: row.to_vec(),
            }))
        })
        .collect()
}

/// The next item of an iterator, or `None` when it is done.
pub fn next(it: &mut Iter) -> RtResult<Option<Value>> {
    Ok(match it {
        Iter::Range { next, stop, step } => {
            let more = if *step > 0 {
                *next < *stop
            } else {
                *next > *stop
            };
            if !more {
                return Ok(None);
            }
            let v = *next;
            *next = next.saturating_add(*step);
            Some(Value::Int(v))
        }
        Iter::Items { items, index } => {
            let v = match items {
                Value::List(l) => l.borrow().get(*index).cloned(),
                Value::Tuple(t) => t.get(*index).cloned(),
                Value::Str(s) => s.chars().nth(*index).map(|c| Value::str(&c.to_string())),
                _ => None,
            };
            *index += 1;
            v
        }
        Iter::Tensor { tensor, index } => {
            let len = tensor.var.value().shape()[0];
            if *index >= len {
                return Ok(None);
            }
            let row = tensor.var.select(0, *index as isize)?;
            *index += 1;
            Some(Value::Tensor(TensorValue {
                var: row,
                numpy: tensor.numpy,
                origin: None,
                meta: Meta::default(),
            }))
        }
        Iter::Values { values, index } => {
            let v = values.get(*index).cloned();
            *index += 1;
            v
        }
    })
}

/// Unpacks `v` into exactly `n` values (`a, b = pair`).
pub fn unpack(v: &Value, n: usize) -> RtResult<Vec<Value>> {
    let items = to_vec(v).map_err(|_| {
        type_error(format!(
            "cannot unpack a '{}' into {n} names: it is not a sequence",
            v.type_name()
        ))
    })?;
    if items.len() != n {
        return Err(value_error(format!(
            "{} values to unpack into {n} names",
            if items.len() > n {
                format!("too many ({})", items.len())
            } else {
                format!("not enough ({})", items.len())
            }
        )));
    }
    Ok(items)
}
