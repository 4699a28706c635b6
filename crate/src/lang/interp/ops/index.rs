//! Indexing: `a[i]`, slices, tensor basic indexing (views that write through), assignment
//! and deletion of items.

use super::*;
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{index_error, type_error, value_error, RtError, RtResult};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use std::rc::Rc;

/// A slice bound: an int, a whole-number tensor, or `None`.
pub fn slice_bound(v: &Value) -> RtResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        _ => as_index(v).map(Some).ok_or_else(|| {
            type_error(format!(
                "slice indices must be integers or None, not '{}'",
                v.type_name()
            ))
        }),
    }
}

/// Python's `slice.indices(len)` for a positive step: `(start, stop, step)` with
/// `start <= stop`.
pub fn resolve_slice(
    lower: Option<i64>,
    upper: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> RtResult<(usize, usize, usize)> {
    let step = step.unwrap_or(1);
    if step <= 0 {
        return Err(value_error(
            "step must be greater than zero: PyTorch tensors cannot be sliced backwards (x[::-1]); use torch.flip(x, [0])",
        ));
    }
    let len = len as i64;
    let clamp = |i: i64| -> i64 {
        if i < 0 {
            (i + len).max(0)
        } else {
            i.min(len)
        }
    };
    let start = lower.map_or(0, clamp);
    let stop = upper.map_or(len, clamp).max(start);
    Ok((start as usize, stop as usize, step as usize))
}

/// The positions `a[lower:upper:step]` picks from a sequence of `len`, with Python's rules
/// (negative bounds count from the end, a negative step walks backwards).
pub fn slice_indices(
    lower: Option<i64>,
    upper: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Vec<usize> {
    let step = step.unwrap_or(1);
    let n = len as i64;
    if step > 0 {
        let clamp = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) };
        let (start, stop) = (lower.map_or(0, clamp), upper.map_or(n, clamp));
        (start..stop.max(start))
            .step_by(step as usize)
            .map(|i| i as usize)
            .collect()
    } else {
        let clamp = |i: i64| if i < 0 { (i + n).max(-1) } else { i.min(n - 1) };
        let start = lower.map_or(n - 1, clamp);
        let stop = upper.map_or(-1, clamp);
        let mut out = Vec::new();
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i += step;
        }
        out
    }
}

fn sequence_index(i: i64, len: usize, what: &str) -> RtResult<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        return Err(index_error(format!(
            "{what} index {i} is out of range for length {len} (valid: {} to {})",
            -(len as i64),
            len as i64 - 1
        )));
    }
    Ok(j as usize)
}

/// `obj[index]`.
pub fn get_item(obj: &Value, index: &Value) -> RtResult<Value> {
    match obj {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) => {
            let items = match obj {
                Value::Str(s) => s.chars().map(|c| Value::str(&c.to_string())).collect(),
                _ => to_vec(obj)?,
            };
            let what = obj.type_name();
            match index {
                Value::Slice(a, b, s) => {
                    let picked: Vec<Value> = slice_indices(*a, *b, *s, items.len())
                        .into_iter()
                        .map(|i| items[i].clone())
                        .collect();
                    Ok(match obj {
                        Value::List(_) => Value::list(picked),
                        Value::Tuple(_) => Value::tuple(picked),
                        _ => Value::str(&picked.iter().map(to_str).collect::<String>()),
                    })
                }
                _ => {
                    let i = as_index(index).ok_or_else(|| {
                        type_error(format!(
                            "{what} indices must be integers or slices, not {}",
                            index.type_name()
                        ))
                    })?;
                    Ok(items[sequence_index(i, items.len(), &what)?].clone())
                }
            }
        }
        Value::Size(s) => {
            let tuple = Value::tuple(s.iter().map(|&d| Value::Int(d as i64)).collect());
            Ok(match get_item(&tuple, index)? {
                Value::Tuple(t) => {
                    Value::Size(t.iter().map(|v| as_int(v).unwrap_or(0) as usize).collect())
                }
                v => v,
            })
        }
        Value::Range(a, b, s) => {
            let i = as_index(index).ok_or_else(|| type_error("range indices must be integers"))?;
            let len = range_len(*a, *b, *s) as usize;
            let j = sequence_index(i, len, "range")?;
            Ok(Value::Int(a + s * j as i64))
        }
        Value::Dict(d) => d
            .borrow()
            .iter()
            .find(|(k, _)| py_eq(k, index))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                RtError::new(
                    ErrorKind::Index,
                    format!("KeyError: {} is not a key of the dict", repr(index)),
                )
            }),
        Value::Tensor(t) => {
            let (var, label) = index_tensor(&t.var, index, t.numpy)?;
            let mut view = t.derived(var);
            view.meta.label = label;
            view.meta.int = t.meta.int;
            view.meta.base = Some(Rc::new(Base::Index(t.clone(), index.clone())));
            Ok(Value::Tensor(view))
        }
        Value::AxesArray(a) => crate::lang::interp::builtins::pyplot::index_axes(a, index),
        Value::Layer(l) => match &**l {
            Layer::Sequential(items, _) => {
                crate::lang::interp::builtins::nn::index_sequential(items, index)
            }
            _ => Err(type_error(format!(
                "'{}' object is not subscriptable",
                obj.type_name()
            ))),
        },
        _ => Err(type_error(format!(
            "'{}' object is not subscriptable",
            obj.type_name()
        ))),
    }
}

/// One item of a tensor index.
enum IndexItem {
    At(i64),
    Range(Option<i64>, Option<i64>, Option<i64>),
    NewAxis,
    Rest,
}

fn index_items(index: &Value) -> RtResult<Vec<IndexItem>> {
    let parts: Vec<Value> = match index {
        Value::Tuple(t) => t.to_vec(),
        other => vec![other.clone()],
    };
    parts
        .iter()
        .map(|p| match p {
            Value::Slice(a, b, s) => Ok(IndexItem::Range(*a, *b, *s)),
            Value::None => Ok(IndexItem::NewAxis),
            Value::Ellipsis => Ok(IndexItem::Rest),
            other => as_index(other).map(IndexItem::At).ok_or_else(|| {
                type_error(format!(
                    "a tensor index must be an int, a slice (a:b), None or ..., not a '{}' (indexing with lists or tensors is not part of the lab language)",
                    other.type_name()
                ))
            }),
        })
        .collect()
}

/// Basic indexing, as PyTorch: ints remove a dimension, slices keep it, `None` adds one.
pub fn index_tensor(
    var: &Var,
    index: &Value,
    numpy: bool,
) -> RtResult<(Var, Option<&'static str>)> {
    let items = index_items(index)?;
    let ndim = var.value().ndim();
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::At(_) | IndexItem::Range(..)))
        .count();
    if consumed > ndim {
        return Err(index_error(format!(
            "too many indices for a tensor of dimension {ndim} (shape {}): {consumed} were given",
            crate::tensor::shape_str(&var.shape())
        )));
    }
    let mut out = var.clone();
    let mut d = 0usize;
    let mut label = None;
    for item in &items {
        match item {
            IndexItem::At(i) => {
                label = Some("SelectBackward0");
                let len = out.shape()[d];
                sequence_index(*i, len, "tensor").map_err(|_| {
                    index_error(format!(
                        "index {i} is out of bounds for dimension {d} with size {len}"
                    ))
                })?;
                out = out.select(d as isize, *i as isize)?;
            }
            IndexItem::Range(a, b, Some(s)) if *s < 0 && numpy => {
                // numpy walks backwards (PyTorch does not): gather the rows in order
                let len = out.shape()[d];
                let rows = slice_indices(*a, *b, Some(*s), len)
                    .into_iter()
                    .map(|i| out.slice(d as isize, i, i + 1, 1))
                    .collect::<Result<Vec<Var>, _>>()?;
                out = if rows.is_empty() {
                    out.slice(d as isize, 0, 0, 1)?
                } else {
                    Var::cat(&rows, d as isize)?
                };
                d += 1;
            }
            IndexItem::Range(a, b, s) => {
                let len = out.shape()[d];
                let (start, stop, step) = resolve_slice(*a, *b, *s, len)?;
                if (start, stop, step) != (0, len, 1) {
                    out = out.slice(d as isize, start, stop, step)?;
                    label = Some("SliceBackward0");
                }
                d += 1;
            }
            IndexItem::NewAxis => {
                let mut shape: Vec<isize> = out.shape().iter().map(|&x| x as isize).collect();
                shape.insert(d, 1);
                out = out.reshape(&shape)?;
                label = Some("UnsqueezeBackward0");
                d += 1;
            }
            IndexItem::Rest => d += ndim - consumed,
        }
    }
    if out.same(var) {
        // x[:] and x[...] are new tensors (views) in PyTorch too
        out = out.add_scalar(0.0);
        label = Some("AliasBackward0");
    }
    Ok((out, label))
}

/// `obj[index] = value`.
pub fn set_item(vm: &mut Vm, obj: &Value, index: &Value, value: Value) -> RtResult<()> {
    match obj {
        Value::List(l) => {
            let len = l.borrow().len();
            match index {
                Value::Slice(a, b, s) => {
                    let (start, stop, step) = resolve_slice(*a, *b, *s, len)?;
                    if step != 1 {
                        return Err(value_error(
                            "assigning to a stepped slice of a list is not supported",
                        ));
                    }
                    let new = to_vec(&value)?;
                    l.borrow_mut().splice(start..stop, new);
                }
                _ => {
                    let i = as_index(index)
                        .ok_or_else(|| type_error("list indices must be integers or slices"))?;
                    let j = sequence_index(i, len, "list")?;
                    l.borrow_mut()[j] = value;
                }
            }
            Ok(())
        }
        Value::Dict(d) => dict_insert(&mut d.borrow_mut(), index.clone(), value),
        Value::Tensor(t) => {
            assign_tensor(vm, &t.var, index, &value)?;
            write_back(vm, t)
        }
        _ => Err(type_error(format!(
            "'{}' object does not support item assignment",
            obj.type_name()
        ))),
    }
}

/// After `view` was written into, writes its values into what it is a view of.
pub fn write_back(vm: &Vm, view: &TensorValue) -> RtResult<()> {
    match view.meta.base.as_deref() {
        None => Ok(()),
        Some(Base::GradOf(owner)) => {
            owner.set_grad(Some(view.var.value().clone()));
            Ok(())
        }
        Some(Base::Index(parent, index)) => {
            let values = Value::Tensor(TensorValue::torch(crate::autograd::Var::constant(
                view.var.value().clone(),
            )));
            assign_tensor(vm, &parent.var, index, &values)?;
            write_back(vm, parent)
        }
    }
}

/// `tensor[index] = value`, in place (basic indices only).
fn assign_tensor(vm: &Vm, var: &Var, index: &Value, value: &Value) -> RtResult<()> {
    if vm.grad_enabled()
        && (var.requires_grad() || matches!(value, Value::Tensor(t) if t.var.requires_grad()))
    {
        return Err(RtError::new(
            ErrorKind::Value,
            "in-place assignment into a tensor that requires grad: wrap it in `with torch.no_grad():` (to change parameters), or build the result with torch.cat / torch.stack",
        ));
    }
    let src = to_var(value)
        .ok_or_else(|| {
            type_error(format!(
                "cannot assign a '{}' into a tensor",
                value.type_name()
            ))
        })?
        .value()
        .clone();
    let items = index_items(index)?;
    let mut target = var.value_mut();
    let shape = target.shape().to_vec();
    let consumed = items
        .iter()
        .filter(|i| matches!(i, IndexItem::At(_) | IndexItem::Range(..)))
        .count();
    if consumed > shape.len() {
        return Err(index_error(format!(
            "too many indices for a tensor of dimension {}",
            shape.len()
        )));
    }
    // per dimension: start, stop, step, and whether an int removed it
    let mut region: Vec<(usize, usize, usize, bool)> = Vec::new();
    let mut d = 0;
    for item in &items {
        match item {
            IndexItem::At(i) => {
                let j = sequence_index(*i, shape[d], "tensor")?;
                region.push((j, j + 1, 1, true));
                d += 1;
            }
            IndexItem::Range(a, b, s) => {
                let (start, stop, step) = resolve_slice(*a, *b, *s, shape[d])?;
                region.push((start, stop, step, false));
                d += 1;
            }
            IndexItem::Rest => {
                for _ in 0..shape.len() - consumed {
                    region.push((0, shape[d], 1, false));
                    d += 1;
                }
            }
            IndexItem::NewAxis => {
                return Err(index_error(
                    "None (a new axis) cannot appear in an assignment's index",
                ))
            }
        }
    }
    while d < shape.len() {
        region.push((0, shape[d], 1, false));
        d += 1;
    }
    let mut view = target.array_mut().view_mut();
    for (axis, &(start, stop, step, _)) in region.iter().enumerate() {
        view.slice_axis_inplace(
            ndarray::Axis(axis),
            ndarray::Slice::new(start as isize, Some(stop as isize), step as isize),
        );
    }
    let logical: Vec<usize> = region
        .iter()
        .zip(view.shape())
        .filter(|((.., removed), _)| !removed)
        .map(|(_, &n)| n)
        .collect();
    let broadcast = src.array().broadcast(logical.clone()).ok_or_else(|| {
        RtError::new(
            ErrorKind::Shape,
            format!(
                "cannot assign a tensor of shape {} into a slot of shape {}",
                crate::tensor::shape_str(src.shape()),
                crate::tensor::shape_str(&logical)
            ),
        )
    })?;
    let filled = broadcast
        .to_owned()
        .into_shape_with_order(view.raw_dim())
        .map_err(|e| value_error(e.to_string()))?;
    view.assign(&filled);
    Ok(())
}

/// `del obj[index]`.
pub fn del_item(obj: &Value, index: &Value) -> RtResult<()> {
    match obj {
        Value::List(l) => {
            let len = l.borrow().len();
            let i = as_index(index).ok_or_else(|| type_error("list indices must be integers"))?;
            let j = sequence_index(i, len, "list")?;
            l.borrow_mut().remove(j);
            Ok(())
        }
        Value::Dict(d) => {
            let mut d = d.borrow_mut();
            let before = d.len();
            d.retain(|(k, _)| !py_eq(k, index));
            if d.len() == before {
                return Err(index_error(format!("KeyError: {}", repr(index))));
            }
            Ok(())
        }
        _ => Err(type_error(format!(
            "'{}' object does not support item deletion",
            obj.type_name()
        ))),
    }
}

/// Inserts or replaces `key` in an insertion-ordered dict.
pub fn dict_insert(entries: &mut Vec<(Value, Value)>, key: Value, value: Value) -> RtResult<()> {
    if matches!(key, Value::List(_) | Value::Dict(_) | Value::Tensor(_)) {
        return Err(type_error(format!(
            "unhashable type: '{}' (dict keys are numbers, strings or tuples)",
            key.type_name()
        )));
    }
    match entries.iter_mut().find(|(k, _)| py_eq(k, &key)) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
    Ok(())
}
