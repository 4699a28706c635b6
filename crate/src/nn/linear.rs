use super::Module;
use crate::autograd::Var;
use crate::rng::{uniform, Rng};
use crate::tensor::{Result, Tensor};

/// `y = x W^T + b` with `W`: (out, in) and `b`: (out), initialised like PyTorch's `nn.Linear`:
/// both uniform on (-1/sqrt(in), 1/sqrt(in)) (Kaiming-uniform with a = sqrt(5)).
#[derive(Clone, Debug)]
pub struct Linear {
    pub weight: Var,
    pub bias: Option<Var>,
    pub in_features: usize,
    pub out_features: usize,
}

impl Linear {
    /// A freshly initialised layer; draws the weight (row-major) then the bias from `rng`.
    pub fn new(
        in_features: usize,
        out_features: usize,
        bias: bool,
        rng: &mut Rng,
    ) -> Result<Linear> {
        let bound = if in_features > 0 {
            1.0 / (in_features as f32).sqrt()
        } else {
            0.0
        };
        let mut draw = |len: usize| -> Vec<f32> {
            (0..len)
                .map(|_| (2.0 * uniform(rng) - 1.0) * bound)
                .collect()
        };
        let w = Tensor::from_vec(
            &[out_features, in_features],
            draw(out_features * in_features),
        )?;
        let b = if bias {
            Some(Var::leaf(
                Tensor::from_vec(&[out_features], draw(out_features))?,
                true,
            ))
        } else {
            None
        };
        Ok(Linear {
            weight: Var::leaf(w, true),
            bias: b,
            in_features,
            out_features,
        })
    }

    /// A layer with given weight (out, in) and optional bias (out).
    pub fn from_tensors(weight: Tensor, bias: Option<Tensor>) -> Result<Linear> {
        let (out_features, in_features) = match weight.shape() {
            [o, i] => (*o, *i),
            s => {
                return Err(crate::tensor::TensorError::Invalid(format!(
                    "Linear weight must be 2-D (out, in), got shape {}",
                    crate::tensor::shape_str(s)
                )))
            }
        };
        if let Some(b) = &bias {
            if b.shape() != [out_features] {
                return Err(crate::tensor::TensorError::Mismatch {
                    op: "Linear",
                    what: "bias must have shape (out_features,)".into(),
                    left: b.shape().to_vec(),
                    right: vec![out_features],
                });
            }
        }
        Ok(Linear {
            weight: Var::leaf(weight, true),
            bias: bias.map(|b| Var::leaf(b, true)),
            in_features,
            out_features,
        })
    }
}

impl Module for Linear {
    fn forward(&self, x: &Var) -> Result<Var> {
        x.linear(&self.weight, self.bias.as_ref())
    }

    fn parameters(&self) -> Vec<Var> {
        let mut p = vec![self.weight.clone()];
        p.extend(self.bias.clone());
        p
    }

    fn describe(&self) -> String {
        format!(
            "Linear(in_features={}, out_features={}, bias={})",
            self.in_features,
            self.out_features,
            if self.bias.is_some() { "True" } else { "False" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisation_is_uniform_within_one_over_sqrt_fan_in() {
        let mut rng = crate::rng::seeded(0);
        let mut all = Vec::new();
        for _ in 0..50 {
            let l = Linear::new(64, 64, true, &mut rng).unwrap();
            all.extend_from_slice(l.weight.value().data());
        }
        let bound = 0.125f32;
        assert!(all.iter().all(|v| v.abs() <= bound));
        let n = all.len() as f64;
        let mean = all.iter().map(|&v| v as f64).sum::<f64>() / n;
        let std = (all.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
        // PyTorch's empirical std over 200 layers: 0.072148; uniform theory: bound / sqrt(3)
        assert!((std - bound as f64 / 3f64.sqrt()).abs() < 1e-3, "std {std}");
    }
}
