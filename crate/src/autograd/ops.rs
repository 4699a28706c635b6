//! Differentiable operations: each forward sits next to its backward.

use super::Var;
use crate::mathf;
use crate::tensor::gemm::{gemm, MatRef};
use crate::tensor::{normalize_dim, Result, Tensor, TensorError};

/// Gradient for a broadcast operand: sum the output gradient back to the operand's shape.
fn unbroadcast(g: Tensor, shape: &[usize]) -> Result<Option<Tensor>> {
    g.sum_to_shape(shape).map(Some)
}

impl Var {
    pub fn add(&self, o: &Var) -> Result<Var> {
        let v = self.value().add(&o.value())?;
        Ok(Var::from_op(
            v,
            "add",
            vec![self.clone(), o.clone()],
            |g, _, p| {
                Ok(vec![
                    unbroadcast(g.clone(), &p[0].shape())?,
                    unbroadcast(g.clone(), &p[1].shape())?,
                ])
            },
        ))
    }

    pub fn sub(&self, o: &Var) -> Result<Var> {
        let v = self.value().sub(&o.value())?;
        Ok(Var::from_op(
            v,
            "sub",
            vec![self.clone(), o.clone()],
            |g, _, p| {
                Ok(vec![
                    unbroadcast(g.clone(), &p[0].shape())?,
                    unbroadcast(g.neg(), &p[1].shape())?,
                ])
            },
        ))
    }

    pub fn mul(&self, o: &Var) -> Result<Var> {
        let v = self.value().mul(&o.value())?;
        Ok(Var::from_op(
            v,
            "mul",
            vec![self.clone(), o.clone()],
            |g, _, p| {
                let (a, b) = (p[0].value(), p[1].value());
                Ok(vec![
                    unbroadcast(g.mul(&b)?, a.shape())?,
                    unbroadcast(g.mul(&a)?, b.shape())?,
                ])
            },
        ))
    }

    pub fn div(&self, o: &Var) -> Result<Var> {
        let v = self.value().div(&o.value())?;
        Ok(Var::from_op(
            v,
            "div",
            vec![self.clone(), o.clone()],
            |g, out, p| {
                let (a, b) = (p[0].value(), p[1].value());
                // d(a/b)/db = -(a/b)/b
                let gb = g.mul(out)?.div(&b)?.neg();
                Ok(vec![
                    unbroadcast(g.div(&b)?, a.shape())?,
                    unbroadcast(gb, b.shape())?,
                ])
            },
        ))
    }

    pub fn neg(&self) -> Var {
        let v = self.value().neg();
        Var::from_op(v, "neg", vec![self.clone()], |g, _, _| {
            Ok(vec![Some(g.neg())])
        })
    }

    /// `self * s` for a plain number.
    pub fn scale(&self, s: f32) -> Var {
        let v = self.value().scale(s);
        Var::from_op(v, "scale", vec![self.clone()], move |g, _, _| {
            Ok(vec![Some(g.scale(s))])
        })
    }

    /// `self ** p` for a plain-number exponent.
    pub fn powf(&self, p: f32) -> Var {
        let v = self.value().powf(p);
        Var::from_op(v, "pow", vec![self.clone()], move |g, _, parents| {
            let x = parents[0].value();
            let d = x.map(|x| p * crate::tensor::powf_scalar(x, p - 1.0));
            Ok(vec![Some(g.mul(&d)?)])
        })
    }

    pub fn exp(&self) -> Var {
        let v = self.value().exp();
        Var::from_op(v, "exp", vec![self.clone()], |g, out, _| {
            Ok(vec![Some(g.mul(out)?)])
        })
    }

    pub fn log(&self) -> Var {
        let v = self.value().ln();
        Var::from_op(v, "log", vec![self.clone()], |g, _, p| {
            Ok(vec![Some(g.div(&p[0].value())?)])
        })
    }

    pub fn sqrt(&self) -> Var {
        let v = self.value().sqrt();
        Var::from_op(v, "sqrt", vec![self.clone()], |g, out, _| {
            Ok(vec![Some(g.zip_with(out, "sqrt", |g, y| g * 0.5 / y)?)])
        })
    }

    pub fn tanh(&self) -> Var {
        let v = self.value().tanh();
        Var::from_op(v, "tanh", vec![self.clone()], |g, out, _| {
            Ok(vec![Some(
                g.zip_with(out, "tanh", |g, y| g * (1.0 - y * y))?,
            )])
        })
    }

    pub fn sigmoid(&self) -> Var {
        let v = self.value().sigmoid();
        Var::from_op(v, "sigmoid", vec![self.clone()], |g, out, _| {
            Ok(vec![Some(
                g.zip_with(out, "sigmoid", |g, y| g * y * (1.0 - y))?,
            )])
        })
    }

    pub fn relu(&self) -> Var {
        let v = self.value().relu();
        Var::from_op(v, "relu", vec![self.clone()], |g, out, _| {
            Ok(vec![Some(g.zip_with(out, "relu", |g, y| {
                if y > 0.0 {
                    g
                } else {
                    0.0
                }
            })?)])
        })
    }

    pub fn elu(&self, alpha: f32) -> Var {
        let v = self.value().elu(alpha);
        Var::from_op(v, "elu", vec![self.clone()], move |g, out, p| {
            let x = p[0].value();
            let d = x.zip_with(out, "elu", |x, y| if x > 0.0 { 1.0 } else { y + alpha })?;
            Ok(vec![Some(g.mul(&d)?)])
        })
    }

    pub fn silu(&self) -> Var {
        let v = self.value().silu();
        Var::from_op(v, "silu", vec![self.clone()], |g, _, p| {
            let d = p[0].value().map(|x| {
                let s = mathf::sigmoid(x);
                s * (1.0 + x * (1.0 - s))
            });
            Ok(vec![Some(g.mul(&d)?)])
        })
    }

    pub fn softplus(&self) -> Var {
        let v = self.value().softplus();
        Var::from_op(v, "softplus", vec![self.clone()], |g, _, p| {
            let d = p[0]
                .value()
                .map(|x| if x > 20.0 { 1.0 } else { mathf::sigmoid(x) });
            Ok(vec![Some(g.mul(&d)?)])
        })
    }

    pub fn sin(&self) -> Var {
        let v = self.value().sin();
        Var::from_op(v, "sin", vec![self.clone()], |g, _, p| {
            Ok(vec![Some(g.mul(&p[0].value().cos())?)])
        })
    }

    pub fn cos(&self) -> Var {
        let v = self.value().cos();
        Var::from_op(v, "cos", vec![self.clone()], |g, _, p| {
            Ok(vec![Some(g.mul(&p[0].value().sin())?.neg())])
        })
    }

    /// Matrix product with PyTorch's rules for 1-D operands (a vector is treated as a row on
    /// the left and a column on the right, and that dimension is dropped from the result).
    pub fn matmul(&self, o: &Var) -> Result<Var> {
        let (sa, sb) = (self.shape(), o.shape());
        if sa.is_empty() || sb.is_empty() {
            return Err(TensorError::Invalid(format!(
                "matmul: both operands need at least one dimension, got shapes {} and {}",
                crate::tensor::shape_str(&sa),
                crate::tensor::shape_str(&sb)
            )));
        }
        let a = if sa.len() == 1 {
            self.reshape(&[1, -1])?
        } else {
            self.clone()
        };
        let b = if sb.len() == 1 {
            o.reshape(&[-1, 1])?
        } else {
            o.clone()
        };
        if sa.len() == 1 && sb.len() >= 2 && sa[0] != sb[sb.len() - 2]
            || sb.len() == 1 && sa[sa.len() - 1] != sb[0]
        {
            return Err(TensorError::Matmul {
                left: sa,
                right: sb,
            });
        }
        let out = a.matmul_nd(&b)?;
        let mut shape: Vec<isize> = out.shape().iter().map(|&d| d as isize).collect();
        if sb.len() == 1 {
            shape.pop();
        }
        if sa.len() == 1 {
            let n = shape.len();
            shape.remove(n - if sb.len() == 1 { 1 } else { 2 });
        }
        if shape.len() == out.shape().len() {
            Ok(out)
        } else {
            out.reshape(&shape)
        }
    }

    fn matmul_nd(&self, o: &Var) -> Result<Var> {
        let v = self.value().matmul(&o.value())?;
        Ok(Var::from_op(
            v,
            "matmul",
            vec![self.clone(), o.clone()],
            |g, _, p| {
                let (a, b) = (p[0].value(), p[1].value());
                let ga = g.matmul(&b.transpose(-1, -2)?)?;
                let gb = a.transpose(-1, -2)?.matmul(g)?;
                Ok(vec![
                    unbroadcast(ga, a.shape())?,
                    unbroadcast(gb, b.shape())?,
                ])
            },
        ))
    }

    /// `x @ weight.T + bias` (PyTorch's `F.linear`): `x` (..., in), `weight` (out, in),
    /// `bias` (out). One fused operation on the crate's matrix kernels.
    pub fn linear(&self, weight: &Var, bias: Option<&Var>) -> Result<Var> {
        let xs = self.shape();
        let ws = weight.shape();
        let fan_in = xs.last().copied().unwrap_or(0);
        if ws.len() != 2 || xs.is_empty() || ws[1] != fan_in {
            return Err(TensorError::Mismatch {
                op: "linear",
                what: format!(
                    "the input's last dimension must equal the layer's in_features ({})",
                    ws.get(1).copied().unwrap_or(0)
                ),
                left: xs,
                right: ws,
            });
        }
        let out_features = ws[0];
        if let Some(b) = bias {
            if b.shape() != [out_features] {
                return Err(TensorError::Mismatch {
                    op: "linear",
                    what: "bias must have shape (out_features,)".into(),
                    left: b.shape(),
                    right: vec![out_features],
                });
            }
        }
        let rows = xs.iter().product::<usize>() / fan_in.max(1);
        let mut out_shape = xs.clone();
        if let Some(last) = out_shape.last_mut() {
            *last = out_features;
        }
        crate::tensor::check_size(&out_shape)?;
        let mut out = vec![0.0; rows * out_features];
        {
            let w = weight.value();
            let wt = w.transpose(0, 1)?;
            if let Some(b) = bias {
                let b = b.value();
                for row in out.chunks_exact_mut(out_features) {
                    row.copy_from_slice(b.data());
                }
            }
            let x = self.value();
            gemm(
                rows,
                out_features,
                fan_in,
                MatRef::rows(x.data(), fan_in),
                MatRef::rows(wt.data(), out_features),
                &mut out,
                true,
            );
        }
        let v = Tensor::from_vec(&out_shape, out)?;
        let mut parents = vec![self.clone(), weight.clone()];
        if let Some(b) = bias {
            parents.push(b.clone());
        }
        Ok(Var::from_op(v, "linear", parents, move |g, _, p| {
            let (x, w) = (p[0].value(), p[1].value());
            let gd = g.data();
            let gx = if p[0].requires_grad() {
                let mut gx = vec![0.0; rows * fan_in];
                gemm(
                    rows,
                    fan_in,
                    out_features,
                    MatRef::rows(gd, out_features),
                    MatRef::rows(w.data(), fan_in),
                    &mut gx,
                    false,
                );
                Some(Tensor::from_vec(x.shape(), gx)?)
            } else {
                None
            };
            let mut gw = vec![0.0; out_features * fan_in];
            gemm(
                out_features,
                fan_in,
                rows,
                MatRef::transposed(gd, out_features),
                MatRef::rows(x.data(), fan_in),
                &mut gw,
                false,
            );
            let mut grads = vec![gx, Some(Tensor::from_vec(&[out_features, fan_in], gw)?)];
            if p.len() == 3 {
                let mut gb = vec![0.0f32; out_features];
                for row in gd.chunks_exact(out_features) {
                    for (b, &v) in gb.iter_mut().zip(row) {
                        *b += v;
                    }
                }
                grads.push(Some(Tensor::from_vec(&[out_features], gb)?));
            }
            Ok(grads)
        }))
    }

    /// Sum of all elements (0-d result).
    pub fn sum(&self) -> Var {
        let v = self.value().sum_all();
        Var::from_op(v, "sum", vec![self.clone()], |g, _, p| {
            Ok(vec![Some(g.expand(p[0].value().shape())?)])
        })
    }

    /// Mean of all elements (0-d result).
    pub fn mean(&self) -> Var {
        let v = self.value().mean_all();
        Var::from_op(v, "mean", vec![self.clone()], |g, _, p| {
            let x = p[0].value();
            Ok(vec![Some(g.scale(1.0 / x.len() as f32).expand(x.shape())?)])
        })
    }

    /// Sum over one dimension.
    pub fn sum_dim(&self, dim: isize, keepdim: bool) -> Result<Var> {
        let v = self.value().sum_dim(dim, keepdim)?;
        Ok(Var::from_op(
            v,
            "sum",
            vec![self.clone()],
            move |g, _, p| {
                let x = p[0].value();
                let d = normalize_dim("sum", dim, x.ndim())?;
                let g = if keepdim { g.clone() } else { unsqueeze(g, d)? };
                Ok(vec![Some(g.expand(x.shape())?)])
            },
        ))
    }

    /// Mean over one dimension.
    pub fn mean_dim(&self, dim: isize, keepdim: bool) -> Result<Var> {
        let d = normalize_dim("mean", dim, self.value().ndim())?;
        let n = self.value().shape()[d] as f32;
        Ok(self.sum_dim(dim, keepdim)?.scale(1.0 / n))
    }

    /// A new shape for the same elements (one entry may be -1).
    pub fn reshape(&self, shape: &[isize]) -> Result<Var> {
        let v = self.value().reshape(shape)?;
        Ok(Var::from_op(v, "reshape", vec![self.clone()], |g, _, p| {
            let s: Vec<isize> = p[0].value().shape().iter().map(|&d| d as isize).collect();
            Ok(vec![Some(g.reshape(&s)?)])
        }))
    }

    /// Broadcast to a larger shape.
    pub fn expand(&self, shape: &[usize]) -> Result<Var> {
        let v = self.value().expand(shape)?;
        Ok(Var::from_op(v, "expand", vec![self.clone()], |g, _, p| {
            Ok(vec![unbroadcast(g.clone(), p[0].value().shape())?])
        }))
    }

    /// Swap two dimensions.
    pub fn transpose(&self, dim0: isize, dim1: isize) -> Result<Var> {
        let v = self.value().transpose(dim0, dim1)?;
        Ok(Var::from_op(
            v,
            "transpose",
            vec![self.clone()],
            move |g, _, _| Ok(vec![Some(g.transpose(dim0, dim1)?)]),
        ))
    }

    /// Concatenate along `dim`.
    pub fn cat(parts: &[Var], dim: isize) -> Result<Var> {
        let values: Vec<_> = parts.iter().map(|p| p.value()).collect();
        let refs: Vec<&Tensor> = values.iter().map(|r| &**r).collect();
        let v = Tensor::cat(&refs, dim)?;
        let sizes: Vec<usize> = {
            let d = normalize_dim("cat", dim, refs[0].ndim())?;
            refs.iter().map(|t| t.shape()[d]).collect()
        };
        drop(values);
        Ok(Var::from_op(v, "cat", parts.to_vec(), move |g, _, _| {
            let mut start = 0;
            let mut grads = Vec::with_capacity(sizes.len());
            for &s in &sizes {
                grads.push(Some(g.slice(dim, start, start + s, 1)?));
                start += s;
            }
            Ok(grads)
        }))
    }

    /// Elements `start..stop` with `step` along `dim` (bounds already resolved).
    pub fn slice(&self, dim: isize, start: usize, stop: usize, step: usize) -> Result<Var> {
        let v = self.value().slice(dim, start, stop, step)?;
        Ok(Var::from_op(
            v,
            "slice",
            vec![self.clone()],
            move |g, _, p| {
                let mut z = Tensor::zeros(p[0].value().shape())?;
                scatter_slice(&mut z, g, dim, start, step)?;
                Ok(vec![Some(z)])
            },
        ))
    }

    /// The entry `index` along `dim`, removing that dimension.
    pub fn select(&self, dim: isize, index: isize) -> Result<Var> {
        let v = self.value().select(dim, index)?;
        Ok(Var::from_op(
            v,
            "select",
            vec![self.clone()],
            move |g, _, p| {
                let x = p[0].value();
                let d = normalize_dim("index", dim, x.ndim())?;
                let len = x.shape()[d] as isize;
                let i = if index < 0 { index + len } else { index } as usize;
                let mut z = Tensor::zeros(x.shape())?;
                z.assign_slice(dim, i, i + 1, &unsqueeze(g, d)?)?;
                Ok(vec![Some(z)])
            },
        ))
    }

    /// Mean squared error, `mean((self - target)^2)` (PyTorch's `MSELoss()`).
    pub fn mse_loss(&self, target: &Var) -> Result<Var> {
        if self.shape() != target.shape() {
            return Err(TensorError::Mismatch {
                op: "mse_loss",
                what: "input and target must have the same shape".into(),
                left: self.shape(),
                right: target.shape(),
            });
        }
        let n = self.value().len() as f32;
        let diff = self.value().sub(&target.value())?;
        let v = Tensor::scalar(
            (diff
                .data()
                .iter()
                .map(|&d| (d as f64) * (d as f64))
                .sum::<f64>()
                / n as f64) as f32,
        );
        Ok(Var::from_op(
            v,
            "mse_loss",
            vec![self.clone(), target.clone()],
            move |g, _, p| {
                let scale = 2.0 * g.item()? / n;
                let d = p[0].value().sub(&p[1].value())?.scale(scale);
                let neg = d.neg();
                Ok(vec![Some(d), Some(neg)])
            },
        ))
    }

    /// `base ** self` for a plain-number base (`2 ** t`); d/dx = base^x ln(base).
    pub fn rpow(&self, base: f32) -> Var {
        let v = self.value().map(|x| crate::tensor::powf_scalar(base, x));
        let ln = (base as f64).ln() as f32;
        Var::from_op(v, "rpow", vec![self.clone()], move |g, out, _| {
            Ok(vec![Some(g.mul(&out.scale(ln))?)])
        })
    }

    /// `a * self + b` for plain numbers `a`, `b`, in one pass (`1 - t` is `affine(-1, 1)`).
    pub fn affine(&self, a: f32, b: f32) -> Var {
        let v = self.value().map(|x| a * x + b);
        Var::from_op(v, "affine", vec![self.clone()], move |g, _, _| {
            Ok(vec![Some(g.scale(a))])
        })
    }

    /// Adds a plain number.
    pub fn add_scalar(&self, s: f32) -> Var {
        let v = self.value().map(|x| x + s);
        Var::from_op(v, "add", vec![self.clone()], |g, _, _| {
            Ok(vec![Some(g.clone())])
        })
    }
}

/// Inserts a size-1 dimension at `d`.
fn unsqueeze(t: &Tensor, d: usize) -> Result<Tensor> {
    let mut s: Vec<isize> = t.shape().iter().map(|&x| x as isize).collect();
    s.insert(d, 1);
    t.reshape(&s)
}

/// Writes `src` into `dst` at `start, start + step, ...` along `dim`.
fn scatter_slice(
    dst: &mut Tensor,
    src: &Tensor,
    dim: isize,
    start: usize,
    step: usize,
) -> Result<()> {
    let d = normalize_dim("slice", dim, dst.ndim())?;
    let n = src.shape()[d];
    for k in 0..n {
        let row = src.select(dim, k as isize)?;
        let i = start + k * step;
        dst.assign_slice(dim, i, i + 1, &unsqueeze(&row, d)?)?;
    }
    Ok(())
}
