//! The Axes methods (`scatter`, `plot`, `quiver`, `hist`, `axvline`, titles, limits, aspect,
//! legend) and the argument conversions they share: data to numbers, colours, limits.

use super::super::{flag, number, size, ArgReader};
use super::savefig;
use crate::autograd::Var;
use crate::lang::interp::error::{index_error, type_error, value_error, RtResult};
use crate::lang::interp::ops::{as_number, to_vec};
use crate::lang::interp::value::*;
use crate::lang::interp::Vm;
use crate::plot::{map_values, parse_color, Axes, Mark, Paint, Rgba};
use crate::plot::{DEFAULT_LINE_WIDTH, DEFAULT_MARKER_AREA};
use crate::tensor::Tensor;

/// Numbers from a tensor, list or number, flattened. Plotting a tensor that requires grad is
/// the error matplotlib gives (through `numpy()`), with the fix.
fn numbers(fname: &str, what: &str, v: &Value) -> RtResult<Vec<f32>> {
    match v {
        Value::Tensor(t) => {
            if t.var.requires_grad() {
                return Err(type_error(format!(
                    "{fname}(): {what} is a tensor that requires grad: plot x.detach() (Can't call numpy() on Tensor that requires grad)"
                )));
            }
            Ok(t.var.value().data().to_vec())
        }
        _ => {
            if let Some(x) = as_number(v) {
                return Ok(vec![x as f32]);
            }
            let items = to_vec(v).map_err(|_| {
                type_error(format!(
                    "{fname}(): {what} must be numbers (a tensor, an array or a list), not '{}'",
                    v.type_name()
                ))
            })?;
            let mut out = Vec::with_capacity(items.len());
            for i in &items {
                out.extend(numbers(fname, what, i)?);
            }
            Ok(out)
        }
    }
}

/// A colour argument: a name, `C1`, hex, or an RGB(A) tuple of floats.
fn color(v: &Value) -> RtResult<Rgba> {
    match v {
        Value::Str(s) => parse_color(s).map_err(value_error),
        Value::Tuple(_) | Value::List(_) => {
            let c = to_vec(v)?
                .iter()
                .map(|x| as_number(x).map(|f| f as f32))
                .collect::<Option<Vec<f32>>>()
                .ok_or_else(|| value_error("a colour tuple holds numbers from 0 to 1"))?;
            match c.as_slice() {
                [r, g, b] => Ok(Rgba::rgb(*r, *g, *b)),
                [r, g, b, a] => Ok(Rgba::new(*r, *g, *b, *a)),
                _ => Err(value_error(
                    "a colour tuple has 3 or 4 numbers (r, g, b[, a])",
                )),
            }
        }
        other => Err(type_error(format!(
            "a colour must be a name like 'red', 'C1', '#1f77b4' or an (r, g, b) tuple, not a '{}'",
            other.type_name()
        ))),
    }
}

fn text_arg(v: &Value) -> String {
    crate::lang::interp::ops::to_str(v)
}

fn limits(fname: &str, a: &mut ArgReader) -> RtResult<Option<(f64, f64)>> {
    let first = a.get(0, "left");
    let second = a.get(1, "right");
    let (lo, hi) = match (first, second) {
        (Some(pair @ (Value::Tuple(_) | Value::List(_))), None) => {
            let v = to_vec(&pair)?;
            match v.as_slice() {
                [l, h] => (l.clone(), h.clone()),
                _ => return Err(value_error(format!("{fname}() takes (low, high)"))),
            }
        }
        (Some(l), Some(h)) => (l, h),
        (None, None) => return Ok(None),
        _ => {
            return Err(value_error(format!(
                "{fname}() takes both limits: {fname}(-3, 3)"
            )))
        }
    };
    let (lo, hi) = (number(fname, "low", &lo)?, number(fname, "high", &hi)?);
    if !(lo.is_finite() && hi.is_finite()) || lo == hi {
        return Err(value_error(format!(
            "{fname}({lo}, {hi}): the limits must be two different finite numbers"
        )));
    }
    Ok(Some((lo, hi)))
}

/// A method of an Axes (or, for `suptitle` / `tight_layout` / `savefig`, of a Figure).
pub(super) fn axes_method(
    vm: &mut Vm,
    this: &Value,
    name: &'static str,
    args: Args,
) -> RtResult<Value> {
    let (fig, panel) = match this {
        Value::Axes(f, i) => (f.clone(), Some(*i)),
        Value::Figure(f) => (f.clone(), None),
        _ => return Err(type_error("not an axes")),
    };
    let mut a = ArgReader::new(name, args);
    match name {
        "suptitle" => {
            let t = a.required(0, "t")?;
            let _ = a.keyword("fontsize");
            a.finish()?;
            fig.borrow_mut().suptitle = Some(text_arg(&t));
            return Ok(Value::None);
        }
        "tight_layout" => return Ok(Value::None),
        "savefig" => {
            let rest = Args {
                pos: a.rest(0),
                kw: Vec::new(),
            };
            return savefig(vm, rest);
        }
        _ => {}
    }
    let Some(panel) = panel else {
        return Err(type_error(format!(
            "Figure has no method {name}: call it on an axes (ax.{name}(...))"
        )));
    };
    let mut f = fig.borrow_mut();
    let ax: &mut Axes = f
        .axes
        .get_mut(panel)
        .ok_or_else(|| index_error("no such panel"))?;
    match name {
        "scatter" => {
            let x = numbers(name, "x", &a.required(0, "x")?)?;
            let y = numbers(name, "y", &a.required(1, "y")?)?;
            if x.len() != y.len() {
                return Err(value_error(format!(
                    "scatter(): x and y must be the same size, but x has {} and y has {} values",
                    x.len(),
                    y.len()
                )));
            }
            let size = match a.get(2, "s") {
                Some(s) => numbers(name, "s", &s)?,
                None => vec![DEFAULT_MARKER_AREA],
            };
            if size.len() != 1 && size.len() != x.len() {
                return Err(value_error(
                    "scatter(): s must be one size or one per point",
                ));
            }
            let c = a.get(3, "c");
            let explicit = a.keyword("color");
            let cmap = a.keyword("cmap");
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            let _ = a.keyword("marker");
            let _ = a.keyword("edgecolors");
            let _ = a.keyword("zorder");
            a.finish()?;
            let paint = match (c, explicit) {
                (Some(_), Some(_)) => {
                    return Err(value_error("scatter(): give c= or color=, not both"))
                }
                (Some(c @ Value::Str(_)), None) | (None, Some(c)) => Paint::One(color(&c)?),
                (Some(c), None) => {
                    let is_colour_tuple = matches!(&c, Value::Tuple(t) if (3..=4).contains(&t.len()) && t.iter().all(|v| as_number(v).is_some()) && x.len() != t.len());
                    if is_colour_tuple {
                        Paint::One(color(&c)?)
                    } else {
                        let values = numbers(name, "c", &c)?;
                        if values.len() != x.len() {
                            return Err(value_error(format!(
                                "scatter(): c has {} values for {} points",
                                values.len(),
                                x.len()
                            )));
                        }
                        let map = match &cmap {
                            Some(Value::Str(s)) => s.to_string(),
                            Some(Value::Colormap(n)) => n.to_string(),
                            _ => "viridis".into(),
                        };
                        Paint::PerPoint(map_values(&values, &map).map_err(value_error)?)
                    }
                }
                (None, None) => Paint::One(ax.next_color()),
            };
            ax.marks.push(Mark::Scatter {
                x,
                y,
                size,
                color: paint,
                alpha,
                label,
            });
        }
        "plot" => {
            let mut data = a.rest(0);
            let fmt = match data.last() {
                Some(Value::Str(s)) => {
                    let s = s.to_string();
                    data.pop();
                    Some(s)
                }
                _ => None,
            };
            let (x, y) = match data.as_slice() {
                [y] => {
                    let y = numbers(name, "y", y)?;
                    ((0..y.len()).map(|i| i as f32).collect(), y)
                }
                [x, y] => (numbers(name, "x", x)?, numbers(name, "y", y)?),
                _ => {
                    return Err(type_error(
                        "plot() takes y, or x and y, then an optional format like 'o-'",
                    ))
                }
            };
            if x.len() != y.len() {
                return Err(value_error(format!(
                    "plot(): x and y must have the same length, but have shapes ({},) and ({},)",
                    x.len(),
                    y.len()
                )));
            }
            let explicit = a.keyword("color").or_else(|| a.keyword("c"));
            let width = match a.keyword("linewidth").or_else(|| a.keyword("lw")) {
                Some(w) => number(name, "linewidth", &w)? as f32,
                None => DEFAULT_LINE_WIDTH,
            };
            let style = a.keyword("linestyle").or_else(|| a.keyword("ls"));
            let marker_kw = a.keyword("marker");
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            a.finish()?;
            let fmt = fmt.unwrap_or_default();
            let fmt_color = fmt
                .chars()
                .find(|c| "bgrcmykw".contains(*c))
                .map(|c| parse_color(&c.to_string()).map_err(value_error))
                .transpose()?;
            let color = match explicit {
                Some(c) => color(&c)?,
                None => fmt_color.unwrap_or_else(|| ax.next_color()),
            };
            let dashed = fmt.contains("--")
                || matches!(&style, Some(Value::Str(s)) if &**s == "--" || &**s == "dashed");
            let marker = fmt.contains('o') || fmt.contains('.') || marker_kw.is_some();
            ax.marks.push(Mark::Line {
                x,
                y,
                color,
                width,
                dashed,
                alpha,
                label,
                marker,
            });
        }
        "quiver" => {
            let x = numbers(name, "X", &a.required(0, "X")?)?;
            let y = numbers(name, "Y", &a.required(1, "Y")?)?;
            let u = numbers(name, "U", &a.required(2, "U")?)?;
            let v = numbers(name, "V", &a.required(3, "V")?)?;
            let explicit = a.keyword("color");
            let alpha = alpha_arg(&mut a)?;
            for k in ["scale", "width", "angles", "scale_units", "headwidth"] {
                let _ = a.keyword(k);
            }
            a.finish()?;
            let n = x.len();
            if y.len() != n || u.len() != n || v.len() != n {
                return Err(value_error(format!(
                    "quiver(): X, Y, U, V must have the same number of values ({}, {}, {}, {})",
                    n,
                    y.len(),
                    u.len(),
                    v.len()
                )));
            }
            let color = match explicit {
                Some(c) => color(&c)?,
                None => Rgba::from_hex(0x000000),
            };
            ax.marks.push(Mark::Quiver {
                x,
                y,
                u,
                v,
                color,
                alpha,
            });
        }
        "hist" => {
            let x = numbers(name, "x", &a.required(0, "x")?)?;
            let bins = a.get(1, "bins");
            let range = a.get(2, "range");
            let density = a.get(3, "density").map_or(Ok(false), |v| flag(&v))?;
            let explicit = a.keyword("color");
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            for k in [
                "histtype",
                "edgecolor",
                "ec",
                "linewidth",
                "lw",
                "zorder",
                "rwidth",
            ] {
                let _ = a.keyword(k);
            }
            a.finish()?;
            let (edges, heights) = histogram(&x, bins, range, density)?;
            let color = match explicit {
                Some(c) => color(&c)?,
                None => ax.next_color(),
            };
            let array = |v: &[f32]| -> RtResult<Value> {
                let t = Tensor::from_vec(&[v.len()], v.to_vec())?;
                Ok(Value::Tensor(TensorValue::numpy(Var::constant(t))))
            };
            let result = Value::tuple(vec![array(&heights)?, array(&edges)?, Value::None]);
            ax.marks.push(Mark::Bars {
                edges,
                heights,
                color,
                alpha,
                label,
            });
            return Ok(result);
        }
        "axvline" => {
            let x = match a.get(0, "x") {
                Some(v) => number(name, "x", &v)?,
                None => 0.0,
            };
            if !x.is_finite() {
                return Err(value_error(format!(
                    "axvline(): x must be a finite number, got {x}"
                )));
            }
            for k in ["ymin", "ymax", "zorder"] {
                let _ = a.keyword(k);
            }
            let explicit = a.keyword("color").or_else(|| a.keyword("c"));
            let width = match a.keyword("linewidth").or_else(|| a.keyword("lw")) {
                Some(w) => number(name, "linewidth", &w)? as f32,
                None => DEFAULT_LINE_WIDTH,
            };
            let style = a.keyword("linestyle").or_else(|| a.keyword("ls"));
            let alpha = alpha_arg(&mut a)?;
            let label = a.keyword("label").map(|l| text_arg(&l));
            a.finish()?;
            // matplotlib's axvline takes the next colour of the cycle too
            let color = match explicit {
                Some(c) => color(&c)?,
                None => ax.next_color(),
            };
            let dashed = matches!(&style, Some(Value::Str(s)) if &**s == "--" || &**s == "dashed");
            ax.marks.push(Mark::Vline {
                x: x as f32,
                color,
                width,
                dashed,
                alpha,
                label,
            });
        }
        "set_title" => {
            let t = a.required(0, "label")?;
            let _ = a.keyword("fontsize");
            let _ = a.keyword("loc");
            a.finish()?;
            ax.title = Some(text_arg(&t));
        }
        "set_xlabel" | "set_ylabel" => {
            let t = text_arg(&a.required(0, "xlabel")?);
            let _ = a.keyword("fontsize");
            a.finish()?;
            if name == "set_xlabel" {
                ax.xlabel = Some(t);
            } else {
                ax.ylabel = Some(t);
            }
        }
        "set_xlim" | "set_ylim" => {
            let lim = limits(name, &mut a)?;
            a.finish()?;
            if name == "set_xlim" {
                ax.xlim = lim.or(ax.xlim);
            } else {
                ax.ylim = lim.or(ax.ylim);
            }
        }
        "set_aspect" => {
            let v = a.required(0, "aspect")?;
            let _ = a.keyword("adjustable");
            a.finish()?;
            ax.aspect_equal = match &v {
                Value::Str(s) if &**s == "equal" => true,
                Value::Str(s) if &**s == "auto" => false,
                other if as_number(other) == Some(1.0) => true,
                other => {
                    return Err(value_error(format!(
                        "set_aspect({}): use 'equal' or 'auto'",
                        crate::lang::interp::ops::repr(other)
                    )))
                }
            };
        }
        "axis" => {
            let v = a.get(0, "arg");
            a.finish()?;
            match v {
                Some(Value::Str(s)) if &*s == "equal" || &*s == "square" => ax.aspect_equal = true,
                Some(Value::Str(_)) | None => {}
                Some(other) => {
                    let v = numbers("axis", "limits", &other)?;
                    if let [x0, x1, y0, y1] = v[..] {
                        ax.xlim = Some((f64::from(x0), f64::from(x1)));
                        ax.ylim = Some((f64::from(y0), f64::from(y1)));
                    } else {
                        return Err(value_error("axis() takes [xmin, xmax, ymin, ymax]"));
                    }
                }
            }
        }
        "legend" => {
            let _ = a.rest(0);
            for k in ["loc", "fontsize", "frameon", "markerscale"] {
                let _ = a.keyword(k);
            }
            a.finish()?;
            ax.legend = true;
        }
        "grid" => {
            let _ = a.rest(0);
            let _ = a.keyword("alpha");
        }
        _ => return Err(type_error(format!("Axes has no method {name}"))),
    }
    Ok(Value::None)
}

/// The most bins a histogram may have.
pub const MAX_BINS: usize = 10_000;

/// numpy's `histogram(x, bins, range, density)`: `(edges, heights)`. `bins` is a number of
/// equal bins (10 by default) over `range` (default: the data's min to max, widened by 0.5 on
/// each side when they are equal) or the edges themselves, increasing; every bin is half-open
/// but the last, which holds its right edge; values outside are left out. With `density` the
/// heights integrate to 1 over the bins.
fn histogram(
    x: &[f32],
    bins: Option<Value>,
    range: Option<Value>,
    density: bool,
) -> RtResult<(Vec<f32>, Vec<f32>)> {
    let explicit_edges = match &bins {
        Some(v @ (Value::List(_) | Value::Tuple(_) | Value::Tensor(_))) => {
            Some(numbers("hist", "bins", v)?)
        }
        _ => None,
    };
    let edges: Vec<f64> = match explicit_edges {
        Some(e) => {
            if e.len() < 2 || e.len() > MAX_BINS + 1 {
                return Err(value_error(format!(
                    "hist(): bins given as edges needs 2 to {} of them, got {}",
                    MAX_BINS + 1,
                    e.len()
                )));
            }
            if !e.iter().all(|v| v.is_finite()) || e.windows(2).any(|w| w[1] <= w[0]) {
                return Err(value_error(
                    "hist(): the bin edges must be finite and increase monotonically",
                ));
            }
            e.iter().map(|&v| f64::from(v)).collect()
        }
        None => {
            let n = match &bins {
                None | Some(Value::None) => 10,
                Some(v) => size("hist", "bins", v)?,
            };
            if n == 0 || n > MAX_BINS {
                return Err(value_error(format!(
                    "hist(): bins must be from 1 to {MAX_BINS}, got {n}"
                )));
            }
            let (lo, hi) = match range {
                None | Some(Value::None) => {
                    if x.iter().any(|v| !v.is_finite()) {
                        return Err(value_error(
                            "hist(): x has NaN or infinite values, so its range is not finite: give range=(low, high) or drop them",
                        ));
                    }
                    let lo = x.iter().copied().fold(f32::INFINITY, f32::min);
                    let hi = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    if x.is_empty() {
                        (0.0, 1.0)
                    } else if lo == hi {
                        (f64::from(lo) - 0.5, f64::from(hi) + 0.5)
                    } else {
                        (f64::from(lo), f64::from(hi))
                    }
                }
                Some(r) => {
                    let r = numbers("hist", "range", &r)?;
                    match r[..] {
                        [lo, hi] if lo.is_finite() && hi.is_finite() && lo < hi => {
                            (f64::from(lo), f64::from(hi))
                        }
                        _ => {
                            return Err(value_error(
                                "hist(): range must be (low, high) with low < high, both finite",
                            ))
                        }
                    }
                }
            };
            (0..=n)
                .map(|i| lo + (hi - lo) * i as f64 / n as f64)
                .collect()
        }
    };
    let n = edges.len() - 1;
    let (lo, hi) = (edges[0], edges[n]);
    let mut counts = vec![0.0f64; n];
    let mut total = 0.0;
    for &v in x {
        let v = f64::from(v);
        if !(v >= lo && v <= hi) {
            continue;
        }
        // the last bin holds its right edge; the others are half-open
        let i = edges[1..].partition_point(|&e| e <= v).min(n - 1);
        counts[i] += 1.0;
        total += 1.0;
    }
    let heights = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if density {
                let d = c / (total * (edges[i + 1] - edges[i]));
                if d.is_finite() {
                    d as f32
                } else {
                    f32::NAN
                }
            } else {
                c as f32
            }
        })
        .collect();
    Ok((edges.iter().map(|&e| e as f32).collect(), heights))
}

fn alpha_arg(a: &mut ArgReader) -> RtResult<f32> {
    match a.keyword("alpha") {
        None | Some(Value::None) => Ok(1.0),
        Some(v) => {
            let x = number(a.fname(), "alpha", &v)?;
            if !(0.0..=1.0).contains(&x) {
                return Err(value_error(format!("alpha ({x}) is outside 0-1")));
            }
            Ok(x as f32)
        }
    }
}
