//! Text: `str`, `repr` and f-string formatting of values, as Python, PyTorch and numpy print.

use super::*;
use crate::lang::interp::error::{type_error, value_error, RtResult};
use crate::lang::interp::value::*;
use crate::lang::pyfmt;

/// An f-string field: `conv` 0 none, 1 `!s`, 2 `!r`, 3 `!a`; then the spec.
pub fn format_value(v: &Value, conv: u8, spec: &str) -> RtResult<String> {
    let converted;
    let v = match conv {
        1 => {
            converted = Value::str(&to_str(v));
            &converted
        }
        2 | 3 => {
            converted = Value::str(&repr(v));
            &converted
        }
        _ => v,
    };
    let fmt_err = |e: String| value_error(e);
    match v {
        Value::Bool(b) if spec.is_empty() => Ok(if *b { "True" } else { "False" }.into()),
        Value::Bool(_) | Value::Int(_) => {
            pyfmt::format_int(as_int(v).unwrap_or(0), spec).map_err(fmt_err)
        }
        Value::Float(f) => pyfmt::format_float(*f, spec).map_err(fmt_err),
        Value::Str(s) => pyfmt::format_str(s, spec).map_err(fmt_err),
        // PyTorch formats a 0-d tensor as its number (f"{loss}", f"{t:.2f}")
        Value::Tensor(t) if t.var.value().ndim() == 0 => {
            let x = f64::from(t.var.value().data()[0]);
            if t.meta.int {
                pyfmt::format_int(x as i64, spec).map_err(fmt_err)
            } else {
                pyfmt::format_float(x, spec).map_err(fmt_err)
            }
        }
        Value::Tensor(t) if !spec.is_empty() => Err(type_error(format!(
            "unsupported format string passed to {}.__format__: a tensor of shape {} needs one number, e.g. x[0].item() or x.mean().item()",
            v.type_name(),
            crate::tensor::shape_str(&t.var.shape())
        ))),
        _ if spec.is_empty() => Ok(to_str(v)),
        _ => Err(type_error(format!(
            "unsupported format string passed to {}.__format__",
            v.type_name()
        ))),
    }
}

/// Python's `str(v)`.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Tensor(t) if t.numpy => {
            let value = t.var.value();
            match (value.ndim(), t.meta.int) {
                (0, true) => format!("{}", value.data()[0] as i64),
                (0, false) => pyfmt::numpy_str_typed(value.data(), &[], t.meta.float32),
                (_, true) => numpy_int_str(value.data(), value.shape()),
                _ => pyfmt::numpy_str_typed(value.data(), value.shape(), t.meta.float32),
            }
        }
        _ => repr(v),
    }
}

/// The `grad_fn=<...>` / `requires_grad=True` suffix PyTorch prints.
fn tensor_suffixes(t: &TensorValue) -> Vec<String> {
    let var = &t.var;
    if !var.requires_grad() {
        return Vec::new();
    }
    match var.op_name() {
        None => vec!["requires_grad=True".into()],
        Some(op) => vec![format!(
            "grad_fn=<{}>",
            t.meta
                .label
                .map_or_else(|| backward_name(op), str::to_string)
        )],
    }
}

/// numpy's `str` of an integer array: `[0 1 1]`, columns as wide as the widest number.
fn numpy_int_str(data: &[f32], shape: &[usize]) -> String {
    let texts: Vec<String> = data.iter().map(|&v| format!("{}", v as i64)).collect();
    let width = texts.iter().map(String::len).max().unwrap_or(1);
    fn level(texts: &[String], shape: &[usize], width: usize, depth: usize) -> String {
        match shape.split_first() {
            None => texts.first().cloned().unwrap_or_default(),
            Some((&n, [])) => {
                let items: Vec<String> = texts[..n.min(texts.len())]
                    .iter()
                    .map(|t| format!("{t:>width$}"))
                    .collect();
                format!("[{}]", items.join(" "))
            }
            Some((&n, rest)) => {
                let step: usize = rest.iter().product();
                let rows: Vec<String> = (0..n)
                    .map(|i| level(&texts[i * step..(i + 1) * step], rest, width, depth + 1))
                    .collect();
                let sep = format!("\n{}{}", "\n".repeat(rest.len() - 1), " ".repeat(depth + 1));
                format!("[{}]", rows.join(&sep))
            }
        }
    }
    if data.len() != shape.iter().product::<usize>() {
        return format!("{texts:?}");
    }
    level(&texts, shape, width, 0)
}

/// PyTorch's name for the backward of one of the engine's operations.
fn backward_name(op: &str) -> String {
    let name = match op {
        "add" | "add_scalar" => "AddBackward0",
        "sub" => "SubBackward0",
        "mul" | "scale" => "MulBackward0",
        "div" => "DivBackward0",
        "neg" => "NegBackward0",
        "pow" => "PowBackward0",
        "matmul" => "MmBackward0",
        "linear" | "mlp" => "AddmmBackward0",
        "mean" => "MeanBackward0",
        "sum" => "SumBackward0",
        "mse_loss" => "MseLossBackward0",
        "exp" => "ExpBackward0",
        "log" => "LogBackward0",
        "sqrt" => "SqrtBackward0",
        "sin" => "SinBackward0",
        "cos" => "CosBackward0",
        "tanh" => "TanhBackward0",
        "sigmoid" => "SigmoidBackward0",
        "relu" => "ReluBackward0",
        "elu" => "EluBackward0",
        "silu" => "SiluBackward0",
        "reshape" => "ViewBackward0",
        "expand" => "ExpandBackward0",
        "transpose" => "TBackward0",
        "cat" => "CatBackward0",
        "slice" => "SliceBackward0",
        "select" => "SelectBackward0",
        other => return format!("{}Backward0", capitalize(other)),
    };
    name.into()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Python's `repr(v)`.
pub fn repr(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => pyfmt::float_repr(*f),
        Value::Str(s) => pyfmt::str_repr(s),
        Value::List(l) => {
            let items: Vec<String> = l.borrow().iter().map(repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Tuple(t) => {
            let items: Vec<String> = t.iter().map(repr).collect();
            if items.len() == 1 {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        Value::Dict(d) => {
            let items: Vec<String> = d
                .borrow()
                .iter()
                .map(|(k, v)| format!("{}: {}", repr(k), repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Tensor(t) => {
            let value = t.var.value();
            if t.numpy {
                if value.ndim() == 0 {
                    format!(
                        "np.float64({})",
                        pyfmt::float_repr(f64::from(value.data()[0]))
                    )
                } else {
                    pyfmt::numpy_repr_typed(value.data(), value.shape(), t.meta.float32)
                }
            } else {
                let text = pyfmt::torch_repr_typed(
                    value.data(),
                    value.shape(),
                    &tensor_suffixes(t),
                    t.meta.int,
                );
                if t.meta.param && t.var.is_leaf() && t.var.requires_grad() {
                    format!("Parameter containing:\n{text}")
                } else {
                    text
                }
            }
        }
        Value::Size(s) => {
            let dims: Vec<String> = s.iter().map(|d| d.to_string()).collect();
            format!("torch.Size([{}])", dims.join(", "))
        }
        Value::Range(a, b, s) => {
            if *s == 1 {
                format!("range({a}, {b})")
            } else {
                format!("range({a}, {b}, {s})")
            }
        }
        Value::Slice(a, b, s) => {
            let f = |x: &Option<i64>| x.map_or("None".to_string(), |v| v.to_string());
            format!("slice({}, {}, {})", f(a), f(b), f(s))
        }
        Value::Ellipsis => "Ellipsis".into(),
        Value::Function(f) => format!("<function {}>", f.code.name),
        Value::Method(m) => match &m.1 {
            Value::Function(f) => format!("<bound method {}>", f.code.name),
            _ => "<bound method>".into(),
        },
        Value::Builtin(b) => format!("<built-in function {}>", b.name),
        Value::Class(c) => format!("<class '__main__.{}'>", c.name),
        Value::Instance(i) if i.class.is_module => {
            crate::lang::interp::builtins::nn::module_repr(v)
        }
        Value::Instance(i) => crate::lang::interp::builtins::distributions::repr_of(i)
            .unwrap_or_else(|| format!("<__main__.{} object>", i.class.name)),
        Value::Layer(_) => crate::lang::interp::builtins::nn::module_repr(v),
        Value::Module(m) => format!("<module '{}'>", m.name),
        Value::Optimizer(o) => crate::lang::interp::builtins::optim::optimizer_repr(&o.borrow()),
        Value::Figure(f) => {
            let f = f.borrow();
            format!(
                "Figure({}x{})",
                (f.width * 100.0).round(),
                (f.height * 100.0).round()
            )
        }
        Value::Axes(_, i) => format!("<Axes: panel {i}>"),
        Value::AxesArray(a) => format!("array of {} Axes", a.panels.len()),
        Value::Colormap(n) => format!("<matplotlib.colors.ListedColormap '{n}'>"),
        other => format!("<{}>", other.type_name()),
    }
}
