//! `str(array)` and `repr(array)` for float arrays, ported from numpy 2's
//! `numpy/_core/arrayprint.py` with the default options (precision 8, floatmode 'maxprec',
//! threshold 1000, edgeitems 3, linewidth 75, suppress off).
//!
//! The interpreter stores f32, but a lab run under real Python would hold float64. A value
//! whose shortest decimal has at most 6 significant digits was most likely typed in or built
//! from short decimals: it is shown as numpy shows that decimal as a float64, so 0.1f32 prints
//! `0.1` (not `0.10000000149`). A value that needs 7 or more digits was computed (`1 / 3`,
//! `sqrt(2)`): it is shown as numpy shows the f32's exact value as a float64 (`0.33333334`),
//! which has as many digits as Python's float64 result (`0.33333333`), so columns line up as in
//! Python and only the last digits differ.

use super::float::{even_tie, float_repr, shortest_digits, sig_digits, split_exp};
use super::{shape_tuple, Layout};

const PRECISION: usize = 8;
const THRESHOLD: usize = 1000;
const EDGE: usize = 3;
const LINEWIDTH: i64 = 75;

/// The float64 a Python lab would hold for this f32: its shortest decimal (ties to the even
/// digit, as numpy prints float32), read as float64.
fn widen(x: f32, float32: bool) -> f64 {
    if !x.is_finite() {
        return f64::from(x);
    }
    let a = f64::from(x).abs();
    let (digits, decpt) = split_exp(&format!("{:e}", x.abs()));
    let (digits, decpt) = even_tie(digits, decpt, a, |t| t.parse::<f32>() == Ok(x.abs()));
    if digits.len() > 6 && !float32 {
        return f64::from(x);
    }
    let v: f64 = format!("0.{digits}e{decpt}").parse().unwrap_or(a);
    if x.is_sign_negative() {
        -v
    } else {
        v
    }
}

/// `dragon4_positional(x, precision=8, unique=True, trim='.')` split at the point: shortest
/// digits when they fit in 8 decimals, else the exact value rounded to 8, zeros trimmed.
fn positional(x: f64) -> (String, String) {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let a = x.abs();
    let (digits, decpt) = shortest_digits(a);
    let n = digits.len() as i64;
    let (int, frac) = if n - decpt > PRECISION as i64 {
        let s = format!("{a:.PRECISION$}");
        let (i, f) = s.split_once('.').unwrap_or((&s, ""));
        (i.to_string(), f.trim_end_matches('0').to_string())
    } else if decpt <= 0 {
        (
            "0".to_string(),
            format!("{}{digits}", "0".repeat((-decpt) as usize)),
        )
    } else if decpt >= n {
        (
            format!("{digits}{}", "0".repeat((decpt - n) as usize)),
            String::new(),
        )
    } else {
        (
            digits[..decpt as usize].to_string(),
            digits[decpt as usize..].to_string(),
        )
    };
    (format!("{sign}{int}"), frac)
}

/// `dragon4_scientific(x, precision=8, unique=True, trim='.')` as (int part, fraction digits,
/// exponent).
fn scientific(x: f64) -> (String, String, i64) {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let a = x.abs();
    let (mut digits, mut decpt) = shortest_digits(a);
    if digits.len() > PRECISION + 1 {
        (digits, decpt) = sig_digits(a, PRECISION + 1);
    }
    let (head, tail) = digits.split_at(1);
    (format!("{sign}{head}"), tail.to_string(), decpt - 1)
}

/// `FloatingFormat`: one style and padding for the whole array.
struct FloatFormat {
    exp: bool,
    precision: usize,
    exp_size: usize,
    pad_left: usize,
    pad_right: usize,
}

impl FloatFormat {
    fn new(data: &[f64]) -> FloatFormat {
        let finite: Vec<f64> = data.iter().copied().filter(|v| v.is_finite()).collect();
        let nonzero = finite.iter().filter(|v| **v != 0.0).map(|v| v.abs());
        let max = nonzero.clone().fold(f64::NAN, f64::max);
        let min = nonzero.fold(f64::NAN, f64::min);
        let exp = max >= 1e8 || min < 1e-4 || max / min > 1000.0;
        let mut f = FloatFormat {
            exp,
            precision: PRECISION,
            exp_size: 0,
            pad_left: 0,
            pad_right: 0,
        };
        if finite.is_empty() {
            f.exp = false;
        } else if exp {
            let parts: Vec<_> = finite.iter().map(|&v| scientific(v)).collect();
            f.exp_size = parts
                .iter()
                .map(|p| exp_digits(p.2, 2).len())
                .max()
                .unwrap_or(2);
            f.precision = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
            f.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
            f.pad_right = f.exp_size + 2 + f.precision;
        } else {
            let parts: Vec<_> = finite.iter().map(|&v| positional(v)).collect();
            f.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
            f.pad_right = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
        }
        if finite.len() != data.len() {
            let neginf = data.contains(&f64::NEG_INFINITY) as usize;
            let offset = f.pad_right + 1;
            f.pad_left = f.pad_left.max((3 + neginf).saturating_sub(offset));
        }
        f
    }

    fn format(&self, x: f64) -> String {
        if !x.is_finite() {
            let word = if x.is_nan() {
                "nan"
            } else if x < 0.0 {
                "-inf"
            } else {
                "inf"
            };
            return pad_to(word, self.pad_left + self.pad_right + 1);
        }
        if self.exp {
            let (int, frac, e) = scientific(x);
            let sign = if e < 0 { '-' } else { '+' };
            let body = format!(
                "{int}.{frac:0<p$}e{sign}{}",
                exp_digits(e, self.exp_size),
                p = self.precision
            );
            pad_to(&body, self.pad_left + body.len() - int.len())
        } else {
            let (int, frac) = positional(x);
            format!(
                "{int:>l$}.{frac:<r$}",
                l = self.pad_left,
                r = self.pad_right
            )
        }
    }
}

/// The exponent's digits, at least `min` of them.
fn exp_digits(e: i64, min: usize) -> String {
    format!("{:0min$}", e.unsigned_abs())
}

fn pad_to(s: &str, width: usize) -> String {
    format!("{s:>width$}")
}

/// numpy's `str(array)` (what `print(arr)` shows) of a float array, `shape` empty for 0-d.
/// When `data` does not fill `shape`, the values are shown as a 1-d array.
pub fn numpy_str(data: &[f32], shape: &[usize]) -> String {
    numpy_str_typed(data, shape, false)
}

/// [`numpy_str`] for an array numpy holds as float64 (`float32` false: `np.linspace`,
/// `np.array`) or as float32 (`tensor.numpy()`), whose values print with float32's digits.
pub fn numpy_str_typed(data: &[f32], shape: &[usize], float32: bool) -> String {
    let layout = pick_layout(data, shape);
    if layout.shape.is_empty() {
        return float_repr(data.first().map_or(f64::NAN, |&x| widen(x, float32)));
    }
    if layout.numel == 0 {
        return "[]".to_string();
    }
    array2string(data, &layout, " ", "", LINEWIDTH, float32)
}

/// numpy's `repr(array)`: `array([0.  , 0.25])`, with the `shape=` and `dtype=` extras numpy 2
/// adds for empty and summarized arrays.
pub fn numpy_repr(data: &[f32], shape: &[usize]) -> String {
    numpy_repr_typed(data, shape, false)
}

/// [`numpy_repr`] for a float64 or (`float32`) float32 array (which adds `dtype=float32`).
pub fn numpy_repr_typed(data: &[f32], shape: &[usize], float32: bool) -> String {
    let layout = pick_layout(data, shape);
    let prefix = "array(";
    let body = if layout.numel == 0 {
        "[]".to_string()
    } else {
        array2string(data, &layout, ", ", prefix, LINEWIDTH - 1, float32)
    };
    let mut extras = Vec::new();
    if (layout.numel == 0 && layout.shape.len() != 1) || layout.numel > THRESHOLD {
        extras.push(format!("shape={}", shape_tuple(&layout.shape)));
    }
    if float32 {
        extras.push("dtype=float32".to_string());
    } else if layout.numel == 0 {
        extras.push("dtype=float64".to_string());
    }
    if extras.is_empty() {
        return format!("{prefix}{body})");
    }
    let arr = format!("{prefix}{body},");
    let extra = format!("{})", extras.join(", "));
    let last_line = arr.rsplit('\n').next().unwrap_or("").len();
    let spacer = if last_line + extra.len() + 1 > LINEWIDTH as usize {
        format!("\n{}", " ".repeat(prefix.len()))
    } else {
        " ".to_string()
    };
    format!("{arr}{spacer}{extra}")
}

fn pick_layout(data: &[f32], shape: &[usize]) -> Layout {
    Layout::new(data, shape)
        .or_else(|| Layout::new(data, &[data.len()]))
        .unwrap_or_default()
}

/// `_array2string` + `_formatArray` for a non-empty array.
fn array2string(
    data: &[f32],
    l: &Layout,
    sep: &str,
    prefix: &str,
    width: i64,
    float32: bool,
) -> String {
    let edge = if l.numel > THRESHOLD {
        EDGE
    } else {
        usize::MAX
    };
    let shown: Vec<f64> = l
        .visible(edge)
        .into_iter()
        .map(|i| widen(data[i], float32))
        .collect();
    let ctx = Ctx {
        float32,
        data,
        l,
        sep,
        edge,
        f: FloatFormat::new(&shown),
    };
    let hanging = format!(" {}", " ".repeat(prefix.len()));
    ctx.recurse(0, 0, &hanging, width)
}

struct Ctx<'a> {
    float32: bool,
    data: &'a [f32],
    l: &'a Layout,
    sep: &'a str,
    edge: usize,
    f: FloatFormat,
}

impl Ctx<'_> {
    /// `_formatArray`'s `recurser` for the sub-array of dimension `dim` at `offset`.
    fn recurse(&self, dim: usize, offset: usize, hanging: &str, width: i64) -> String {
        let rank = self.l.shape.len();
        if dim == rank {
            return self.f.format(widen(
                self.data.get(offset).copied().unwrap_or(f32::NAN),
                self.float32,
            ));
        }
        let next_hanging = format!("{hanging} ");
        let stride = self.l.strides[dim];
        let rows = Layout::edges(self.l.shape[dim], self.edge);
        let word = |row: &Option<usize>| match row {
            Some(i) => self.recurse(dim + 1, offset + i * stride, &next_hanging, width - 1),
            None => "...".to_string(),
        };
        let mut s = String::new();
        if dim + 1 == rank {
            let elem_width = width - self.sep.trim_end().len().max(1) as i64;
            let mut line = hanging.to_string();
            for (k, row) in rows.iter().enumerate() {
                extend_line(&mut s, &mut line, &word(row), elem_width, hanging);
                if k + 1 < rows.len() {
                    line.push_str(self.sep);
                }
            }
            s.push_str(&line);
        } else {
            let line_sep = format!("{}{}", self.sep.trim_end(), "\n".repeat(rank - dim - 1));
            for (k, row) in rows.iter().enumerate() {
                s.push_str(hanging);
                s.push_str(&word(row));
                if k + 1 < rows.len() {
                    s.push_str(&line_sep);
                }
            }
        }
        format!("[{}]", s.get(hanging.len()..).unwrap_or(""))
    }
}

/// `_extendLine`: wrap before `word` if it would pass `width`, unless the line is still empty.
fn extend_line(s: &mut String, line: &mut String, word: &str, width: i64, next_prefix: &str) {
    let wrap = (line.len() + word.len()) as i64 > width && line.len() > next_prefix.len();
    if wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = next_prefix.to_string();
    }
    line.push_str(word);
}
