//! Neural-network building blocks with PyTorch's names and defaults: [`Linear`] (PyTorch's
//! initialisation), activations, [`Sequential`], the MSE loss, and [`Mlp`], the lab's velocity
//! network with a fused training step on the same parameters.

mod activation;
mod linear;
mod mlp;

pub use activation::Activation;
pub use linear::Linear;
pub use mlp::{Mlp, MlpScratch, ScratchPool};

use crate::autograd::Var;
use crate::tensor::Result;
use std::rc::Rc;

/// Something with parameters that maps a tensor to a tensor (PyTorch's `nn.Module`).
pub trait Module {
    /// `x` (..., in) to (..., out), recorded on the autograd graph.
    fn forward(&self, x: &Var) -> Result<Var>;
    /// The trainable tensors, in PyTorch's `parameters()` order.
    fn parameters(&self) -> Vec<Var>;
    /// How PyTorch would print it, e.g. `Linear(in_features=3, out_features=64, bias=True)`.
    fn describe(&self) -> String;
}

/// Modules applied one after the other (PyTorch's `nn.Sequential`).
#[derive(Clone)]
pub struct Sequential {
    pub layers: Vec<Rc<dyn Module>>,
}

impl Sequential {
    pub fn new(layers: Vec<Rc<dyn Module>>) -> Self {
        Sequential { layers }
    }
}

impl Module for Sequential {
    fn forward(&self, x: &Var) -> Result<Var> {
        let mut h = x.clone();
        for layer in &self.layers {
            h = layer.forward(&h)?;
        }
        Ok(h)
    }

    fn parameters(&self) -> Vec<Var> {
        self.layers.iter().flat_map(|l| l.parameters()).collect()
    }

    fn describe(&self) -> String {
        let inner: Vec<String> = self
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| format!("  ({i}): {}", l.describe()))
            .collect();
        format!("Sequential(\n{}\n)", inner.join("\n"))
    }
}

/// Mean squared error over all elements (PyTorch's `nn.MSELoss()` with `reduction='mean'`).
pub fn mse_loss(input: &Var, target: &Var) -> Result<Var> {
    input.mse_loss(target)
}
