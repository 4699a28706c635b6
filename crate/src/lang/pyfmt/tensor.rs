//! `str(tensor)` for float32 tensors, ported from PyTorch 2's `torch/_tensor_str.py` with the
//! default print options (precision 4, threshold 1000, edgeitems 3, linewidth 80).

use super::float::double_to_string;
use super::float::Flags;
use super::{shape_tuple, Layout};

const PRECISION: usize = 4;
const THRESHOLD: usize = 1000;
const EDGE: usize = 3;
const LINEWIDTH: i64 = 80;

/// `_Formatter`: one number style and column width for the whole tensor.
struct Formatter {
    /// An integer dtype (int64): every value printed as a whole number, no `.`.
    integer: bool,
    int_mode: bool,
    sci_mode: bool,
    max_width: usize,
}

/// Python's `"{:.Ne}".format(v)` / `"{:.Nf}".format(v)` for the exact value of an f32.
fn fmt_e(v: f64) -> String {
    double_to_string(v, 'e', PRECISION, Flags::default())
}

fn fmt_f(v: f64, precision: usize) -> String {
    double_to_string(v, 'f', precision, Flags::default())
}

impl Formatter {
    fn new(values: &[f32], integer: bool) -> Formatter {
        let mut f = Formatter {
            integer,
            int_mode: true,
            sci_mode: false,
            max_width: 1,
        };
        if integer {
            f.max_width = values.iter().map(|&v| int_str(v).len()).max().unwrap_or(1);
            return f;
        }
        let vals: Vec<f32> = values
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v != 0.0)
            .collect();
        if vals.is_empty() {
            return f;
        }
        // The ratio test runs in float64, as torch converts before dividing.
        let abs = vals.iter().map(|v| f64::from(v.abs()));
        let min = abs.clone().fold(f64::INFINITY, f64::min);
        let max = abs.fold(0.0, f64::max);
        f.int_mode = vals.iter().all(|v| *v == v.ceil());
        f.sci_mode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
        for &v in &vals {
            let v = f64::from(v);
            let width = match (f.int_mode, f.sci_mode) {
                (_, true) => fmt_e(v).len(),
                (true, false) => fmt_f(v, 0).len() + 1,
                (false, false) => fmt_f(v, PRECISION).len(),
            };
            f.max_width = f.max_width.max(width);
        }
        f
    }

    fn format(&self, v: f32) -> String {
        let s = if self.integer {
            int_str(v)
        } else if self.sci_mode {
            fmt_e(f64::from(v))
        } else if self.int_mode {
            let v = f64::from(v);
            let mut s = fmt_f(v, 0);
            if v.is_finite() {
                s.push('.');
            }
            s
        } else {
            fmt_f(f64::from(v), PRECISION)
        };
        let pad = self.max_width.saturating_sub(s.len());
        format!("{}{s}", " ".repeat(pad))
    }
}

/// A whole number held in an f32, as an int64 prints.
fn int_str(v: f32) -> String {
    format!("{}", v as i64)
}

/// PyTorch's `str(tensor)` of a float32 tensor: `data` row-major with `shape` (empty for 0-d),
/// then `suffixes` such as `requires_grad=True` or `grad_fn=<AddBackward0>`. When `data` does
/// not fill `shape`, the values are shown as a 1-d tensor.
pub fn torch_repr(data: &[f32], shape: &[usize], suffixes: &[String]) -> String {
    torch_repr_typed(data, shape, suffixes, false)
}

/// [`torch_repr`] for a float32 tensor, or (`integer`) for an int64 one holding whole numbers:
/// `tensor([[1, 0], [0, 1]])`, as PyTorch prints a `randint` result.
pub fn torch_repr_typed(
    data: &[f32],
    shape: &[usize],
    suffixes: &[String],
    integer: bool,
) -> String {
    let flat = [data.len()];
    let layout =
        Layout::new(data, shape).unwrap_or_else(|| Layout::new(data, &flat).unwrap_or_default());
    let prefix = "tensor(";
    let indent = prefix.len();
    let mut all: Vec<String> = Vec::new();
    let body = if layout.numel == 0 {
        if layout.shape.len() != 1 {
            all.push(format!("size={}", shape_tuple(&layout.shape)));
        }
        if integer {
            all.push("dtype=torch.int64".to_string());
        }
        "[]".to_string()
    } else {
        let summarize = layout.numel > THRESHOLD;
        let edge = if summarize { EDGE } else { usize::MAX };
        let shown: Vec<f32> = layout.visible(edge).into_iter().map(|i| data[i]).collect();
        let f = Formatter::new(&shown, integer);
        let mut out = String::new();
        tensor_str(&mut out, data, &layout, 0, 0, indent, edge, &f);
        out
    };
    all.extend(suffixes.iter().cloned());
    add_suffixes(&format!("{prefix}{body}"), &all, indent)
}

/// `_tensor_str_with_formatter` for the sub-tensor of dimension `dim` starting at `offset`.
#[allow(clippy::too_many_arguments)]
fn tensor_str(
    out: &mut String,
    data: &[f32],
    l: &Layout,
    dim: usize,
    offset: usize,
    indent: usize,
    edge: usize,
    f: &Formatter,
) {
    let rank = l.shape.len();
    if dim == rank {
        out.push_str(&f.format(data.get(offset).copied().unwrap_or(f32::NAN)));
        return;
    }
    let n = l.shape[dim];
    let rows = Layout::edges(n, edge);
    if dim + 1 == rank {
        vector_str(out, data, &rows, offset, l.strides[dim], indent, f);
        return;
    }
    let sep = format!(",{}{}", "\n".repeat(rank - dim - 1), " ".repeat(indent + 1));
    out.push('[');
    for (k, row) in rows.iter().enumerate() {
        if k > 0 {
            out.push_str(&sep);
        }
        match row {
            Some(i) => tensor_str(
                out,
                data,
                l,
                dim + 1,
                offset + i * l.strides[dim],
                indent + 1,
                edge,
                f,
            ),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

/// `_vector_str`: the last dimension, wrapped to the line width.
fn vector_str(
    out: &mut String,
    data: &[f32],
    rows: &[Option<usize>],
    offset: usize,
    stride: usize,
    indent: usize,
    f: &Formatter,
) {
    let element_length = f.max_width as i64 + 2;
    let per_line = ((LINEWIDTH - indent as i64).div_euclid(element_length)).max(1) as usize;
    let items: Vec<String> = rows
        .iter()
        .map(|r| match r {
            Some(i) => f.format(data.get(offset + i * stride).copied().unwrap_or(f32::NAN)),
            None => " ...".to_string(),
        })
        .collect();
    let lines: Vec<String> = items.chunks(per_line).map(|c| c.join(", ")).collect();
    out.push('[');
    out.push_str(&lines.join(&format!(",\n{}", " ".repeat(indent + 1))));
    out.push(']');
}

/// `_add_suffixes`, including its odd `last_line_len` arithmetic.
fn add_suffixes(tensor_str: &str, suffixes: &[String], indent: usize) -> String {
    let len = tensor_str.chars().count() as i64;
    let rfind = tensor_str
        .rfind('\n')
        .map_or(-1, |i| tensor_str[..i].chars().count() as i64);
    let mut last_line_len = len - rfind + 1;
    let mut out = tensor_str.to_string();
    for suffix in suffixes {
        let suffix_len = suffix.chars().count() as i64;
        if last_line_len + suffix_len + 2 > LINEWIDTH {
            out.push_str(&format!(",\n{}{suffix}", " ".repeat(indent)));
            last_line_len = indent as i64 + suffix_len;
        } else {
            out.push_str(", ");
            out.push_str(suffix);
            last_line_len += suffix_len + 2;
        }
    }
    out.push(')');
    out
}
