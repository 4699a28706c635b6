//! RealNVP affine coupling layers (Dinh, Sohl-Dickstein & Bengio 2017), in the plane.
//!
//! A layer keeps one coordinate and moves the other by an affine map that depends only on
//! the kept one, in the paper's normalizing direction (data `x` to noise `z`):
//! `z_keep = x_keep`, `z_other = x_other · exp(s(x_keep)) + t(x_keep)`. The Jacobian is
//! triangular, so `log |det dz/dx| = s(x_keep)`, and the inverse is closed-form:
//! `x_other = (z_other - t(z_keep)) · exp(-s(z_keep))`. Stacks alternate the kept coordinate
//! so both get transformed.
//!
//! `s` and `t` come from one small MLP `1 → hidden → hidden → 2` (ELU, as the lab's network:
//! smooth, so the learned density has no kinks), PyTorch's default initialisation. Its raw
//! log-scale is soft-clamped as in the UvA deep learning course's RealNVP
//! (`s = B tanh(raw / B)` with a learned bound `B = exp(c)`, `c` starting at 0): close to `raw`
//! for small values, never more than `B`, so one step cannot blow up `exp(s)`.

use super::{check_points, Layer, LayerStack};
use crate::autograd::{no_grad, Var};
use crate::nn::{Activation, Linear, Mlp, Module, ScratchPool};
use crate::rng::Rng;
use crate::tensor::{Result, Tensor, TensorError};

/// Most layers [`flow`] builds.
pub const MAX_LAYERS: usize = 1024;
/// Widest hidden layer [`CouplingLayer::new`] accepts.
pub const MAX_HIDDEN: usize = 1024;

/// One affine coupling layer of the plane.
#[derive(Clone, Debug)]
pub struct CouplingLayer {
    /// The coordinate (0 or 1) that passes through and conditions the other.
    pub keep: usize,
    /// `x_keep` (n, 1) to the raw log-scale and the shift, (n, 2).
    pub net: Mlp,
    /// `c` (1,): the log-scale is soft-clamped to `±exp(c)`.
    pub log_scale_bound: Var,
    /// Buffers for the network's fused forward and backward, reused step after step.
    pub pool: ScratchPool,
}

impl CouplingLayer {
    /// A fresh layer keeping coordinate `keep`, its network `1 → hidden → hidden → 2` drawn
    /// from `rng` as PyTorch would, the bound `exp(0) = 1`.
    pub fn new(keep: usize, hidden: usize, rng: &mut Rng) -> Result<CouplingLayer> {
        if hidden == 0 || hidden > MAX_HIDDEN {
            return Err(TensorError::Invalid(format!(
                "a coupling layer's hidden width must be between 1 and {MAX_HIDDEN}, got {hidden}"
            )));
        }
        let net = Mlp::new(&[1, hidden, hidden, 2], Activation::Elu, rng)?;
        CouplingLayer::from_parts(keep, net, Tensor::from_vec(&[1], vec![0.0])?)
    }

    /// A layer from its parts: the network's linear layers as (weight (out, in), bias (out))
    /// pairs, ELU between them, from 1 input to 2 outputs; `log_scale_bound` (1,).
    pub fn from_tensors(
        keep: usize,
        layers: Vec<(Tensor, Tensor)>,
        log_scale_bound: Tensor,
    ) -> Result<CouplingLayer> {
        let layers = layers
            .into_iter()
            .map(|(w, b)| Linear::from_tensors(w, Some(b)))
            .collect::<Result<Vec<_>>>()?;
        let net = Mlp {
            layers,
            activation: Activation::Elu,
        };
        CouplingLayer::from_parts(keep, net, log_scale_bound)
    }

    fn from_parts(keep: usize, net: Mlp, log_scale_bound: Tensor) -> Result<CouplingLayer> {
        if keep > 1 {
            return Err(TensorError::Invalid(format!(
                "a coupling layer keeps coordinate 0 or 1 of the plane, not {keep}"
            )));
        }
        let chained = net
            .layers
            .windows(2)
            .all(|p| p[0].out_features == p[1].in_features);
        if net.in_features() != 1 || net.out_features() != 2 || !chained {
            let widths: Vec<String> = net
                .layers
                .iter()
                .map(|l| format!("{}→{}", l.in_features, l.out_features))
                .collect();
            return Err(TensorError::Invalid(format!(
                "a coupling layer's network must chain 1 input to 2 outputs (log-scale, shift), \
                 got layers [{}]",
                widths.join(", ")
            )));
        }
        if log_scale_bound.shape() != [1] {
            return Err(TensorError::Invalid(format!(
                "a coupling layer's log_scale_bound must have shape (1,), got {}",
                crate::tensor::shape_str(log_scale_bound.shape())
            )));
        }
        Ok(CouplingLayer {
            keep,
            net,
            log_scale_bound: Var::leaf(log_scale_bound, true),
            pool: ScratchPool::default(),
        })
    }

    /// `(kept, moved)` columns of `x` (n, 2), each (n, 1).
    fn split(&self, x: &Var) -> Result<(Var, Var)> {
        let other = match self.keep {
            0 => 1,
            1 => 0,
            keep => {
                return Err(TensorError::Invalid(format!(
                    "a coupling layer keeps coordinate 0 or 1 of the plane, not {keep}"
                )))
            }
        };
        Ok((
            x.slice(1, self.keep, self.keep + 1, 1)?,
            x.slice(1, other, other + 1, 1)?,
        ))
    }

    /// `(s, t)`, each (n, 1), from the kept coordinate `kept` (n, 1).
    fn scale_and_shift(&self, kept: &Var) -> Result<(Var, Var)> {
        let out = self.net.forward_fused(kept, &self.pool)?;
        let raw = out.slice(1, 0, 1, 1)?;
        let shift = out.slice(1, 1, 2, 1)?;
        let bound = self.log_scale_bound.exp();
        let log_scale = raw.div(&bound)?.tanh().mul(&bound)?;
        Ok((log_scale, shift))
    }

    /// The kept and the transformed columns put back in their places, (n, 2).
    fn join(&self, kept: Var, moved: Var) -> Result<Var> {
        if self.keep == 0 {
            Var::cat(&[kept, moved], 1)
        } else {
            Var::cat(&[moved, kept], 1)
        }
    }
}

impl Layer for CouplingLayer {
    fn forward(&self, x: &Var) -> Result<(Var, Var)> {
        check_points(&x.shape(), "a coupling layer's input")?;
        let (kept, moved) = self.split(x)?;
        let (log_scale, shift) = self.scale_and_shift(&kept)?;
        let moved = moved.mul(&log_scale.exp())?.add(&shift)?;
        Ok((self.join(kept, moved)?, log_scale.reshape(&[-1])?))
    }

    fn inverse(&self, z: &Tensor) -> Result<Tensor> {
        check_points(z.shape(), "a coupling layer's inverse input")?;
        no_grad(|| {
            let z = Var::constant(z.clone());
            let (kept, moved) = self.split(&z)?;
            let (log_scale, shift) = self.scale_and_shift(&kept)?;
            let moved = moved.sub(&shift)?.mul(&log_scale.neg().exp())?;
            let x = self.join(kept, moved)?;
            let x = x.value().clone();
            Ok(x)
        })
    }

    fn parameters(&self) -> Vec<Var> {
        let mut p = self.net.parameters();
        p.push(self.log_scale_bound.clone());
        p
    }
}

/// RealNVP in the plane: `layers` coupling layers of width `hidden` over a standard normal
/// base, keeping coordinate 0, 1, 0, ... in turn; each layer's network drawn from `rng` in turn.
pub fn flow(layers: usize, hidden: usize, rng: &mut Rng) -> Result<LayerStack> {
    if layers > MAX_LAYERS {
        return Err(TensorError::Invalid(format!(
            "a coupling flow has at most {MAX_LAYERS} layers, but {layers} were asked for"
        )));
    }
    let layers = (0..layers)
        .map(|k| CouplingLayer::new(k % 2, hidden, rng).map(|l| Box::new(l) as Box<dyn Layer>))
        .collect::<Result<Vec<_>>>()?;
    Ok(LayerStack { layers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_shapes_and_sizes_are_refused() {
        let mut rng = crate::rng::seeded(0);
        assert!(CouplingLayer::new(2, 8, &mut rng).is_err());
        assert!(CouplingLayer::new(0, 0, &mut rng).is_err());
        assert!(flow(MAX_LAYERS + 1, 8, &mut rng).is_err());
        let t = |shape: &[usize]| Tensor::zeros(shape).unwrap();
        let e = CouplingLayer::from_tensors(
            0,
            vec![(t(&[4, 2]), t(&[4])), (t(&[2, 4]), t(&[2]))],
            t(&[1]),
        );
        assert!(e.unwrap_err().to_string().contains("1 input to 2 outputs"));
        let e = CouplingLayer::from_tensors(
            0,
            vec![(t(&[4, 1]), t(&[4])), (t(&[2, 3]), t(&[2]))],
            t(&[1]),
        );
        assert!(e.unwrap_err().to_string().contains("[1→4, 3→2]"));
        let layer = CouplingLayer::new(1, 8, &mut rng).unwrap();
        let x = Var::constant(t(&[3, 3]));
        let e = layer.forward(&x).unwrap_err().to_string();
        assert!(e.contains("shape (n, 2)") && e.contains("(3, 3)"), "{e}");
        assert!(layer.inverse(&t(&[4])).is_err());
        let mut odd = layer.clone();
        odd.keep = 2;
        let e = odd.forward(&Var::constant(t(&[3, 2]))).unwrap_err();
        assert!(e.to_string().contains("0 or 1"), "{e}");
        assert!(odd.inverse(&t(&[3, 2])).is_err());
    }

    #[test]
    fn the_kept_coordinate_passes_through_bit_for_bit() {
        let mut rng = crate::rng::seeded(1);
        for keep in 0..2 {
            let layer = CouplingLayer::new(keep, 16, &mut rng).unwrap();
            let x = crate::normalizing::standard_normal(50, &mut rng).unwrap();
            let (z, _) = layer.forward(&Var::constant(x.clone())).unwrap();
            let z = z.value();
            for (a, b) in x.data().chunks(2).zip(z.data().chunks(2)) {
                assert_eq!(a[keep], b[keep]);
                assert_ne!(a[1 - keep], b[1 - keep]);
            }
        }
    }
}
