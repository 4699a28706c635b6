//! `torch.autograd`: `grad(outputs, inputs, grad_outputs=None, retain_graph=None,
//! create_graph=False, only_inputs=True, allow_unused=None, is_grads_batched=False,
//! materialize_grads=False)`, PyTorch's function and signature, on the engine's
//! [`crate::autograd::grad`]: the gradients come back as a tuple and no `.grad` is
//! read or written.
//!
//! The engine never frees a graph, so `retain_graph` is accepted and changes nothing (a second
//! `grad` or `backward` through the same graph works, where PyTorch would need
//! `retain_graph=True`). Its backward functions compute on plain tensors, so a gradient cannot be
//! differentiated again: `create_graph=True` is refused with what to do instead.

use super::{flag, ArgReader};
use crate::autograd::Var;
use crate::lang::error::ErrorKind;
use crate::lang::interp::error::{type_error, RtError, RtResult};
use crate::lang::interp::ops::to_vec;
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::tensor::Tensor;
use std::collections::HashMap;

/// The `torch.autograd` module's attributes.
pub fn module() -> HashMap<&'static str, Value> {
    let mut m = HashMap::new();
    m.insert("grad", Value::builtin("grad", grad));
    m
}

/// A tensor, or a list / tuple of tensors, as a list of tensors.
fn tensors(what: &str, v: &Value) -> RtResult<Vec<TensorValue>> {
    let items = match v {
        Value::Tensor(t) => return Ok(vec![t.clone()]),
        Value::List(_) | Value::Tuple(_) => to_vec(v)?,
        other => {
            return Err(type_error(format!(
                "grad(): {what} must be a tensor or a list/tuple of tensors, not '{}'",
                other.type_name()
            )))
        }
    };
    items
        .iter()
        .map(|item| match item {
            Value::Tensor(t) => Ok(t.clone()),
            Value::Ellipsis => Err(crate::lang::interp::ops::blank_error()),
            other => Err(type_error(format!(
                "grad(): {what} must hold tensors, not '{}'",
                other.type_name()
            ))),
        })
        .collect()
}

/// `grad_outputs`: one optional tensor per output.
fn seeds(v: Option<Value>, n: usize) -> RtResult<Vec<Option<TensorValue>>> {
    let items = match v {
        None | Some(Value::None) => return Ok(vec![None; n]),
        Some(Value::Tensor(t)) => vec![Value::Tensor(t)],
        Some(v @ (Value::List(_) | Value::Tuple(_))) => to_vec(&v)?,
        Some(other) => {
            return Err(type_error(format!(
                "grad(): grad_outputs must be a tensor or a list/tuple of tensors, not '{}'",
                other.type_name()
            )))
        }
    };
    if items.len() != n {
        return Err(RtError::new(
            ErrorKind::Shape,
            format!("got {n} tensors and {} gradients", items.len()),
        ));
    }
    items
        .into_iter()
        .map(|item| match item {
            Value::None => Ok(None),
            Value::Tensor(t) => Ok(Some(t)),
            other => Err(type_error(format!(
                "grad(): grad_outputs must hold tensors or None, not '{}'",
                other.type_name()
            ))),
        })
        .collect()
}

fn grad(_: &mut Vm, _: Option<&Value>, args: Args) -> RtResult<Value> {
    let mut a = ArgReader::new("grad", args);
    let outputs = tensors("outputs", &a.required(0, "outputs")?)?;
    let inputs = tensors("inputs", &a.required(1, "inputs")?)?;
    let grad_outputs = a.get(2, "grad_outputs");
    let _retain_graph = a.get(3, "retain_graph");
    let create_graph = a.get(4, "create_graph").map(|v| flag(&v)).transpose()?;
    let _only_inputs = a.get(5, "only_inputs");
    let allow_unused = match a.get(6, "allow_unused") {
        None | Some(Value::None) => None,
        Some(v) => Some(flag(&v)?),
    };
    let batched = a.get(7, "is_grads_batched").map(|v| flag(&v)).transpose()?;
    let materialize = a
        .get(8, "materialize_grads")
        .map(|v| flag(&v))
        .transpose()?
        .unwrap_or(false);
    a.finish()?;
    if create_graph == Some(true) {
        return Err(RtError::new(
            ErrorKind::Unsupported,
            "create_graph=True (differentiating a gradient again) is not supported: the engine's gradients are plain values, off the graph. Compute the divergence without create_graph (one torch.autograd.grad per dimension, or a Hutchinson estimate), and sample or evaluate the likelihood under torch.no_grad()",
        ));
    }
    if batched == Some(true) {
        return Err(RtError::new(
            ErrorKind::Unsupported,
            "is_grads_batched=True is not supported: call torch.autograd.grad once per probe",
        ));
    }
    if materialize && allow_unused == Some(false) {
        return Err(RtError::new(
            ErrorKind::Value,
            "Expected allow_unused to be True or not passed when materialize_grads=True",
        ));
    }
    let allow_unused = allow_unused.unwrap_or(materialize);
    let seeds = seeds(grad_outputs, outputs.len())?;
    let mut roots: Vec<(Var, Tensor)> = Vec::with_capacity(outputs.len());
    for (i, (out, seed)) in outputs.iter().zip(&seeds).enumerate() {
        let shape = out.var.shape();
        let seed = match seed {
            Some(s) => {
                let s = s.var.value().clone();
                if s.shape() != shape.as_slice() {
                    return Err(RtError::new(
                        ErrorKind::Shape,
                        format!(
                            "Mismatch in shape: grad_output[{i}] has a shape of {} and output[{i}] has a shape of {}.",
                            torch_size(s.shape()),
                            torch_size(&shape)
                        ),
                    ));
                }
                s
            }
            None if out.var.requires_grad() && shape.iter().product::<usize>() != 1 => {
                return Err(RtError::new(
                    ErrorKind::Shape,
                    format!(
                        "grad can be implicitly created only for scalar outputs: output {i} has shape {}; pass grad_outputs= (a tensor of that shape, e.g. torch.ones_like(u)), or reduce it first, e.g. u.sum()",
                        crate::tensor::shape_str(&shape)
                    ),
                ));
            }
            None => Tensor::full(&shape, 1.0)?,
        };
        roots.push((out.var.clone(), seed));
    }
    if let Some(i) = outputs.iter().position(|o| !o.var.requires_grad()) {
        return Err(RtError::new(
            ErrorKind::Value,
            format!("element {i} of tensors does not require grad and does not have a grad_fn: was it computed under torch.no_grad(), from .detach()ed values, or from tensors without requires_grad=True?"),
        ));
    }
    if inputs.iter().any(|x| !x.var.requires_grad()) {
        return Err(RtError::new(
            ErrorKind::Value,
            "One of the differentiated Tensors does not require grad: create it with requires_grad=True, or call x.requires_grad_() before computing the outputs",
        ));
    }
    let vars: Vec<Var> = inputs.iter().map(|t| t.var.clone()).collect();
    let grads = crate::autograd::grad(&roots, &vars)?;
    let mut out = Vec::with_capacity(grads.len());
    for (i, (g, x)) in grads.into_iter().zip(&vars).enumerate() {
        out.push(match g {
            Some(g) => Value::tensor(Var::constant(g)),
            None if materialize => Value::tensor(Var::constant(Tensor::zeros(&x.shape())?)),
            None if allow_unused => Value::None,
            None => {
                return Err(RtError::new(
                    ErrorKind::Value,
                    format!("The differentiated Tensor at index {i} appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior."),
                ))
            }
        });
    }
    Ok(Value::tuple(out))
}

fn torch_size(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("torch.Size([{}])", dims.join(", "))
}
