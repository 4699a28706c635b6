//! Optimizers with PyTorch's defaults and update rules, acting in place on parameter leaves.

use crate::autograd::Var;
use crate::tensor::{Result, TensorError};

/// Updates parameters from their `.grad` (PyTorch's `torch.optim.Optimizer`).
pub trait Optimizer {
    /// One update of every parameter that has a gradient.
    fn step(&mut self) -> Result<()>;
    /// Clears every gradient (PyTorch's default `set_to_none=True`).
    fn zero_grad(&self) {
        for p in self.params() {
            p.set_grad(None);
        }
    }
    /// The parameters being optimised.
    fn params(&self) -> &[Var];
    /// The current learning rate.
    fn lr(&self) -> f32;
    /// Changes the learning rate (for schedules).
    fn set_lr(&mut self, lr: f32);
}

fn check_lr(lr: f32) -> Result<()> {
    if !(lr.is_finite() && lr >= 0.0) {
        return Err(TensorError::Invalid(format!(
            "learning rate must be a finite number >= 0, but is {lr}"
        )));
    }
    Ok(())
}

/// Stochastic gradient descent with optional momentum (PyTorch's `SGD`, dampening 0, no
/// Nesterov): `b = momentum * b + g` (b = g on the first step), `p -= lr * b`.
pub struct Sgd {
    params: Vec<Var>,
    lr: f32,
    momentum: f32,
    buffers: Vec<Option<Vec<f32>>>,
}

impl Sgd {
    pub fn new(params: Vec<Var>, lr: f32, momentum: f32) -> Result<Sgd> {
        check_lr(lr)?;
        if !(momentum.is_finite() && (0.0..1.0).contains(&momentum)) {
            return Err(TensorError::Invalid(format!(
                "momentum must be in [0, 1), but is {momentum}"
            )));
        }
        let buffers = vec![None; params.len()];
        Ok(Sgd {
            params,
            lr,
            momentum,
            buffers,
        })
    }
}

impl Optimizer for Sgd {
    fn step(&mut self) -> Result<()> {
        for (p, slot) in self.params.iter().zip(self.buffers.iter_mut()) {
            let grad = p.grad_ref();
            let Some(g) = grad.as_ref() else { continue };
            let g = g.data();
            let mut value = p.value_mut();
            if self.momentum == 0.0 {
                for (v, &gv) in value.data_mut().iter_mut().zip(g) {
                    *v -= self.lr * gv;
                }
                continue;
            }
            match slot {
                None => *slot = Some(g.to_vec()),
                Some(b) => {
                    for (bv, &gv) in b.iter_mut().zip(g) {
                        *bv = self.momentum * *bv + gv;
                    }
                }
            }
            if let Some(b) = slot {
                for (v, &bv) in value.data_mut().iter_mut().zip(b.iter()) {
                    *v -= self.lr * bv;
                }
            }
        }
        Ok(())
    }

    fn params(&self) -> &[Var] {
        &self.params
    }

    fn lr(&self) -> f32 {
        self.lr
    }

    fn set_lr(&mut self, lr: f32) {
        self.lr = lr;
    }
}

/// Adam (PyTorch's `Adam`, defaults betas (0.9, 0.999), eps 1e-8, no weight decay), with
/// PyTorch's exact update: `m = lerp(m, g, 1 - b1)`, `v = b2 v + (1 - b2) g^2`,
/// `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)` (eps outside the root).
pub struct Adam {
    params: Vec<Var>,
    lr: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    /// First and second moment estimates per parameter, created on its first gradient.
    moments: Vec<Option<(Vec<f32>, Vec<f32>)>>,
    /// Steps taken per parameter (PyTorch counts per parameter too).
    steps: Vec<u32>,
}

impl Adam {
    /// Adam with PyTorch's default betas and eps.
    pub fn new(params: Vec<Var>, lr: f32) -> Result<Adam> {
        Adam::with_options(params, lr, (0.9, 0.999), 1e-8)
    }

    pub fn with_options(params: Vec<Var>, lr: f32, betas: (f32, f32), eps: f32) -> Result<Adam> {
        check_lr(lr)?;
        for (name, b) in [("beta1", betas.0), ("beta2", betas.1)] {
            if !(b.is_finite() && (0.0..1.0).contains(&b)) {
                return Err(TensorError::Invalid(format!(
                    "Adam: {name} must be in [0, 1), but is {b}"
                )));
            }
        }
        if !(eps.is_finite() && eps >= 0.0) {
            return Err(TensorError::Invalid(format!(
                "Adam: eps must be >= 0, but is {eps}"
            )));
        }
        let n = params.len();
        Ok(Adam {
            params,
            lr,
            beta1: betas.0,
            beta2: betas.1,
            eps,
            moments: vec![None; n],
            steps: vec![0; n],
        })
    }
}

impl Optimizer for Adam {
    fn step(&mut self) -> Result<()> {
        for ((p, slot), t) in self
            .params
            .iter()
            .zip(self.moments.iter_mut())
            .zip(self.steps.iter_mut())
        {
            let grad = p.grad_ref();
            let Some(g) = grad.as_ref() else { continue };
            let g = g.data();
            let (m, v) = slot.get_or_insert_with(|| (vec![0.0; g.len()], vec![0.0; g.len()]));
            if m.len() != g.len() {
                return Err(TensorError::Invalid(
                    "Adam: a parameter changed shape between steps".into(),
                ));
            }
            *t += 1;
            // PyTorch computes the bias corrections in double precision
            let bc1 = 1.0 - (self.beta1 as f64).powi(*t as i32);
            let bc2_sqrt = (1.0 - (self.beta2 as f64).powi(*t as i32)).sqrt() as f32;
            let step_size = (self.lr as f64 / bc1) as f32;
            let (b1c, b2, b2c, eps) = (1.0 - self.beta1, self.beta2, 1.0 - self.beta2, self.eps);
            let mut value = p.value_mut();
            for (((x, &gv), mv), vv) in value
                .data_mut()
                .iter_mut()
                .zip(g)
                .zip(m.iter_mut())
                .zip(v.iter_mut())
            {
                *mv += b1c * (gv - *mv);
                *vv = *vv * b2 + b2c * gv * gv;
                let denom = vv.sqrt() / bc2_sqrt + eps;
                *x -= step_size * (*mv / denom);
            }
        }
        Ok(())
    }

    fn params(&self) -> &[Var] {
        &self.params
    }

    fn lr(&self) -> f32 {
        self.lr
    }

    fn set_lr(&mut self, lr: f32) {
        self.lr = lr;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Tensor;

    #[test]
    fn adam_minimises_a_quadratic_and_moves_lr_per_step_at_first() {
        let x = Var::leaf(Tensor::from_vec(&[2], vec![3.0, -2.0]).unwrap(), true);
        let mut opt = Adam::new(vec![x.clone()], 0.1).unwrap();
        x.mul(&x).unwrap().sum().backward().unwrap();
        opt.step().unwrap();
        // Adam's first step has size lr in every coordinate, whatever the gradient's scale
        let v = x.value().data().to_vec();
        assert!(
            (v[0] - 2.9).abs() < 1e-5 && (v[1] + 1.9).abs() < 1e-5,
            "{v:?}"
        );
        for _ in 0..500 {
            opt.zero_grad();
            x.mul(&x).unwrap().sum().backward().unwrap();
            opt.step().unwrap();
        }
        assert!(
            x.value().data().iter().all(|v| v.abs() < 0.05),
            "{:?}",
            x.value().data()
        );
    }

    #[test]
    fn sgd_with_momentum_accumulates_velocity() {
        let x = Var::leaf(Tensor::scalar(1.0), true);
        let mut opt = Sgd::new(vec![x.clone()], 0.1, 0.9).unwrap();
        for _ in 0..2 {
            opt.zero_grad();
            x.scale(2.0).backward().unwrap(); // gradient 2 each step
            opt.step().unwrap();
        }
        // b1 = 2, x = 1 - 0.2; b2 = 0.9 * 2 + 2 = 3.8, x = 0.8 - 0.38
        assert!((x.value().item().unwrap() - 0.42).abs() < 1e-6);
    }

    #[test]
    fn invalid_settings_are_refused_with_the_value() {
        let p = vec![Var::leaf(Tensor::scalar(0.0), true)];
        let e = Adam::new(p.clone(), f32::NAN).err().unwrap().to_string();
        assert_eq!(e, "learning rate must be a finite number >= 0, but is NaN");
        assert!(Sgd::new(p, 0.1, 1.5).is_err());
    }
}
