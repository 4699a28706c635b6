//! Planar flows (Rezende & Mohamed 2015, "Variational Inference with Normalizing Flows"), read
//! in the normalizing direction: each layer bends the plane along one direction,
//! `z = f(x) = x + û tanh(wᵀx + b)`.
//!
//! Invertibility needs `wᵀû > -1`, so the free parameter `u` is mapped to
//! `û = u + (m(wᵀu) - wᵀu) w / |w|²` with `m(a) = -1 + softplus(a)`, which makes
//! `wᵀû = m(wᵀu) > -1`. The matrix determinant lemma gives
//! `det df/dx = 1 + ûᵀψ(x)`, `ψ = (1 - tanh²(wᵀx + b)) w`; with `h = tanh(wᵀx + b)` and
//! `wᵀû = softplus(wᵀu) - 1` this is `h² + (1 - h²) softplus(wᵀu)`, a sum of non-negative
//! terms, so its log stays finite where `1 + ûᵀψ` would cancel to zero in f32.
//!
//! There is no closed-form inverse: `wᵀz = α + wᵀû tanh(α + b)` with `α = wᵀx` is strictly
//! increasing in `α`, so [`PlanarLayer::inverse`] solves that one equation per row (Newton,
//! kept inside a shrinking bracket by bisection) and then `x = z - û tanh(α + b)`.

use super::{check_points, Layer, LayerStack};
use crate::autograd::{no_grad, Var};
use crate::mathf;
use crate::rng::{uniform, Rng};
use crate::tensor::{Result, Tensor, TensorError};

/// Most layers [`flow`] builds (a slider typo should not allocate without bound).
pub const MAX_LAYERS: usize = 1024;

/// One planar layer `z = x + û tanh(wᵀx + b)` of the plane.
#[derive(Clone, Debug)]
pub struct PlanarLayer {
    /// The free direction, (2,); the layer uses its constrained version `û`.
    pub u: Var,
    /// The normal of the bending hyperplane, (2,); must not be zero.
    pub w: Var,
    /// The hyperplane's offset, (1,).
    pub b: Var,
}

impl PlanarLayer {
    /// A fresh layer initialised like the `normflows` package's `Planar` (Stimper et al.):
    /// `u ~ U(-√2, √2)`, `w ~ U(-√(2/d), √(2/d)) = U(-1, 1)` for d = 2, `b = 0`; draws `u` then
    /// `w` from `rng`. Big enough that a fresh stack is visibly not the identity.
    pub fn new(rng: &mut Rng) -> Result<PlanarLayer> {
        let mut draw = |bound: f32| [0, 1].map(|_| (2.0 * uniform(rng) - 1.0) * bound);
        let u = draw(std::f32::consts::SQRT_2);
        let w = draw(1.0);
        PlanarLayer::from_tensors(
            Tensor::from_vec(&[2], u.to_vec())?,
            Tensor::from_vec(&[2], w.to_vec())?,
            Tensor::from_vec(&[1], vec![0.0])?,
        )
    }

    /// A layer with given `u` (2,), `w` (2,) and `b` (1,), all trainable.
    pub fn from_tensors(u: Tensor, w: Tensor, b: Tensor) -> Result<PlanarLayer> {
        for (name, t, len) in [("u", &u, 2), ("w", &w, 2), ("b", &b, 1)] {
            if t.shape() != [len] {
                return Err(TensorError::Invalid(format!(
                    "a planar layer's {name} must have shape ({len},), got {}",
                    crate::tensor::shape_str(t.shape())
                )));
            }
            if !t.all_finite() {
                return Err(TensorError::Invalid(format!(
                    "a planar layer's {name} must be finite"
                )));
            }
        }
        if w.data().iter().all(|&v| v == 0.0) {
            return Err(TensorError::Invalid(
                "a planar layer's w must not be zero (it is the normal of the hyperplane)".into(),
            ));
        }
        Ok(PlanarLayer {
            u: Var::leaf(u, true),
            w: Var::leaf(w, true),
            b: Var::leaf(b, true),
        })
    }

    /// `(û, softplus(wᵀu))` on the graph: the constrained direction and `1 + wᵀû`.
    fn constrained(&self) -> Result<(Var, Var)> {
        let wu = self.w.mul(&self.u)?.sum();
        let ww = self.w.mul(&self.w)?.sum();
        let norm = ww.value().item()?;
        if !(norm > 0.0 && norm.is_finite()) {
            return Err(TensorError::Invalid(format!(
                "a planar layer's w must be non-zero and finite, but |w|² = {norm}"
            )));
        }
        let softplus = wu.softplus();
        let m = softplus.add_scalar(-1.0);
        let u_hat = self.u.add(&self.w.mul(&m.sub(&wu)?.div(&ww)?)?)?;
        Ok((u_hat, softplus))
    }
}

impl Layer for PlanarLayer {
    fn forward(&self, x: &Var) -> Result<(Var, Var)> {
        check_points(&x.shape(), "a planar layer's input")?;
        let (u_hat, softplus) = self.constrained()?;
        // wᵀx as a product and a row sum: with two columns, cheaper than a matrix product
        let h = x.mul(&self.w)?.sum_dim(1, false)?.add(&self.b)?.tanh();
        let z = x.add(&h.reshape(&[-1, 1])?.mul(&u_hat.reshape(&[1, 2])?)?)?;
        let h2 = h.mul(&h)?;
        let det = h2.add(&h2.neg().add_scalar(1.0).mul(&softplus)?)?;
        Ok((z, det.log()))
    }

    fn inverse(&self, z: &Tensor) -> Result<Tensor> {
        check_points(z.shape(), "a planar layer's inverse input")?;
        // the same f32 û as the forward, so the inverse undoes exactly that map
        let u_hat = no_grad(|| self.constrained())?.0.value().clone();
        let (u_hat, w) = (u_hat.data(), self.w.value());
        let (w, b) = (w.data(), self.b.value().item()?);
        if u_hat.len() != 2 || w.len() != 2 {
            return Err(TensorError::Invalid(
                "a planar layer's u and w must have shape (2,)".into(),
            ));
        }
        let c = w[0] as f64 * u_hat[0] as f64 + w[1] as f64 * u_hat[1] as f64;
        let mut x = z.clone();
        for row in x.data_mut().chunks_exact_mut(2) {
            let target = w[0] as f64 * row[0] as f64 + w[1] as f64 * row[1] as f64;
            let h = mathf::tanh((solve_alpha(target, c, b as f64) + b as f64) as f32);
            row[0] -= u_hat[0] * h;
            row[1] -= u_hat[1] * h;
        }
        Ok(x)
    }

    fn parameters(&self) -> Vec<Var> {
        vec![self.u.clone(), self.w.clone(), self.b.clone()]
    }
}

/// The `α` with `α + c tanh(α + b) = target`, for `c > -1` (so the left side is strictly
/// increasing). Since `|tanh| < 1` the root lies in `[target - |c|, target + |c|]`; Newton
/// steps that would leave the shrinking bracket become bisections. `tanh` is the crate's
/// portable f32 one, so a seed samples the same points natively and in the browser; it
/// limits the root to about 1e-7 relative, like the f32 forward it inverts.
fn solve_alpha(target: f64, c: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (target - c.abs(), target + c.abs());
    let mut alpha = target;
    for _ in 0..100 {
        let t = mathf::tanh((alpha + b) as f32) as f64;
        let g = alpha + c * t - target;
        if g == 0.0 {
            break;
        }
        if g > 0.0 {
            hi = alpha;
        } else {
            lo = alpha;
        }
        let slope = 1.0 + c * (1.0 - t * t);
        let newton = alpha - g / slope;
        let next = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let done = (next - alpha).abs() <= 1e-12 * (1.0 + alpha.abs()) || hi - lo <= 1e-12;
        alpha = next;
        if done {
            break;
        }
    }
    alpha
}

/// `layers` fresh planar layers over a standard normal base, each drawn from `rng` in turn.
pub fn flow(layers: usize, rng: &mut Rng) -> Result<LayerStack> {
    if layers > MAX_LAYERS {
        return Err(TensorError::Invalid(format!(
            "a planar flow has at most {MAX_LAYERS} layers, but {layers} were asked for"
        )));
    }
    let layers = (0..layers)
        .map(|_| PlanarLayer::new(rng).map(|l| Box::new(l) as Box<dyn Layer>))
        .collect::<Result<Vec<_>>>()?;
    Ok(LayerStack { layers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_solver_inverts_the_monotone_map_even_near_the_invertibility_limit() {
        for &c in &[-0.999, -0.5, 0.0, 0.3, 5.0, 80.0] {
            for &b in &[-3.0, 0.0, 1.5] {
                for &alpha in &[-40.0, -2.0, -0.1, 0.0, 0.7, 3.0, 25.0] {
                    let t = mathf::tanh((alpha + b) as f32) as f64;
                    let target = alpha + c * t;
                    let got = solve_alpha(target, c, b);
                    // the residual is what the f32 tanh can resolve
                    let residual = got + c * mathf::tanh((got + b) as f32) as f64 - target;
                    assert!(
                        residual.abs() <= 1e-6 * (1.0 + c.abs()),
                        "c {c} b {b} alpha {alpha}: got {got}, residual {residual}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        let t = |v: &[f32]| Tensor::from_vec(&[v.len()], v.to_vec()).unwrap();
        let e = PlanarLayer::from_tensors(t(&[1.0, 2.0]), t(&[0.0, 0.0]), t(&[0.0]));
        assert!(e.unwrap_err().to_string().contains("w must not be zero"));
        let e = PlanarLayer::from_tensors(t(&[1.0, 2.0, 3.0]), t(&[1.0, 0.0]), t(&[0.0]));
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("u must have shape (2,)"));
        let e = PlanarLayer::from_tensors(t(&[1.0, f32::NAN]), t(&[1.0, 0.0]), t(&[0.0]));
        assert!(e.unwrap_err().to_string().contains("finite"));
        // w trained (or set) to zero later is an error, not a NaN
        let layer = PlanarLayer::from_tensors(t(&[1.0, 2.0]), t(&[1.0, 0.0]), t(&[0.0])).unwrap();
        layer.w.value_mut().data_mut().fill(0.0);
        let x = Var::constant(Tensor::zeros(&[3, 2]).unwrap());
        assert!(layer.forward(&x).is_err());
        assert!(layer.inverse(&x.value()).is_err());
    }
}
