use super::{Activation, Linear, Module};
use crate::autograd::Var;
use crate::rng::Rng;
use crate::tensor::gemm::{gemm, MatRef};
use crate::tensor::{Result, Tensor, TensorError};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// A multilayer perceptron `Linear, act, Linear, act, ..., Linear` (the lab's velocity network
/// is widths `[3, 64, 64, 64, 2]` with ELU).
///
/// Two ways to run it on the same parameters: as a [`Module`] on the autograd graph (what the
/// lab language uses), and through [`Mlp::forward_batch`] / [`Mlp::loss_and_grads`], which run
/// the whole network on flat buffers reused across steps (what the training pipeline uses). A
/// test checks that both give the same outputs and gradients.
#[derive(Clone, Debug)]
pub struct Mlp {
    pub layers: Vec<Linear>,
    pub activation: Activation,
}

/// Scratch buffers handed back by [`Mlp::forward_fused`]'s nodes when they are dropped, so a
/// training loop reuses one set of buffers each step instead of allocating and zeroing new ones.
#[derive(Clone, Debug, Default)]
pub struct ScratchPool(Rc<RefCell<Vec<MlpScratch>>>);

/// The most buffers a pool keeps (a loop needs one or two at a time).
const POOL_SIZE: usize = 4;

impl ScratchPool {
    fn take(&self) -> MlpScratch {
        self.0.borrow_mut().pop().unwrap_or_default()
    }
}

/// A scratch lent to a graph node: back to its pool when the node is dropped.
struct Lent {
    scratch: MlpScratch,
    pool: Weak<RefCell<Vec<MlpScratch>>>,
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.upgrade() {
            let mut pool = pool.borrow_mut();
            if pool.len() < POOL_SIZE {
                pool.push(std::mem::take(&mut self.scratch));
            }
        }
    }
}

/// Widths below this are narrower than a tile of the matrix-product kernels (8 columns in wasm).
const NARROW: usize = 8;

/// Buffers for the fused path, allocated once per batch size and reused every step.
#[derive(Default, Debug)]
pub struct MlpScratch {
    rows: usize,
    /// Pre-activations per layer, (rows, out_l).
    z: Vec<Vec<f32>>,
    /// Activations per hidden layer, (rows, out_l).
    h: Vec<Vec<f32>>,
    /// Transposed weights per layer, (in_l, out_l).
    wt: Vec<Vec<f32>>,
    /// The transposed weight gradient of a layer with a narrow input, (in_l, out_l).
    gwt: Vec<f32>,
    /// Gradient with respect to the current layer's pre-activation.
    dz: Vec<f32>,
    /// Gradient with respect to the previous layer's activation.
    dh: Vec<f32>,
}

impl Mlp {
    /// A network through `widths` (at least input and output), initialised like PyTorch,
    /// layer by layer from `rng`.
    pub fn new(widths: &[usize], activation: Activation, rng: &mut Rng) -> Result<Mlp> {
        if widths.len() < 2 || widths.contains(&0) {
            return Err(TensorError::Invalid(format!(
                "an MLP needs at least an input and an output width, all positive; got {widths:?}"
            )));
        }
        let layers = widths
            .windows(2)
            .map(|w| Linear::new(w[0], w[1], true, rng))
            .collect::<Result<Vec<_>>>()?;
        Ok(Mlp { layers, activation })
    }

    /// Input width.
    pub fn in_features(&self) -> usize {
        self.layers.first().map_or(0, |l| l.in_features)
    }

    /// Output width.
    pub fn out_features(&self) -> usize {
        self.layers.last().map_or(0, |l| l.out_features)
    }

    /// Number of trainable scalars.
    pub fn parameter_count(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.out_features * (l.in_features + 1))
            .sum()
    }

    /// A deep copy with its own parameters (for an exponential moving average of weights).
    pub fn deep_clone(&self) -> Mlp {
        let layers = self
            .layers
            .iter()
            .map(|l| Linear {
                weight: Var::leaf(l.weight.value().clone(), false),
                bias: l.bias.as_ref().map(|b| Var::leaf(b.value().clone(), false)),
                in_features: l.in_features,
                out_features: l.out_features,
            })
            .collect();
        Mlp {
            layers,
            activation: self.activation,
        }
    }

    fn check_input(&self, input: &[f32], rows: usize) -> Result<()> {
        if input.len() != rows * self.in_features() {
            return Err(TensorError::DataLength {
                shape: vec![rows, self.in_features()],
                len: input.len(),
            });
        }
        Ok(())
    }

    /// Prepares the scratch for `rows` inputs and copies the current transposed weights.
    fn prepare(&self, rows: usize, s: &mut MlpScratch) {
        let n = self.layers.len();
        if s.rows != rows || s.z.len() != n {
            s.rows = rows;
            s.z = self
                .layers
                .iter()
                .map(|l| vec![0.0; rows * l.out_features])
                .collect();
            s.h = self
                .layers
                .iter()
                .map(|l| vec![0.0; rows * l.out_features])
                .collect();
            s.wt = self
                .layers
                .iter()
                .map(|l| vec![0.0; l.in_features * l.out_features])
                .collect();
        }
        for (l, wt) in self.layers.iter().zip(s.wt.iter_mut()) {
            let w = l.weight.value();
            transpose(w.data(), l.out_features, l.in_features, wt);
        }
    }

    /// Sizes the gradient buffers `dz` and `dh` for `rows` inputs (only a backward pass needs
    /// them).
    fn prepare_backward(&self, rows: usize, s: &mut MlpScratch) {
        let widest = self
            .layers
            .iter()
            .map(|l| l.out_features.max(l.in_features))
            .max()
            .unwrap_or(0);
        for buffer in [&mut s.dz, &mut s.dh] {
            if buffer.len() != rows * widest {
                *buffer = vec![0.0; rows * widest];
            }
        }
    }

    /// Runs the network on `input` (rows, in) and leaves every layer's values in `s`.
    fn forward_into(&self, input: &[f32], rows: usize, s: &mut MlpScratch) {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let (i, o) = (layer.in_features, layer.out_features);
            let (before, after) = s.h.split_at_mut(l);
            let x: &[f32] = if l == 0 { input } else { &before[l - 1] };
            let z = &mut s.z[l];
            match &layer.bias {
                Some(b) => {
                    let b = b.value();
                    for row in z.chunks_exact_mut(o) {
                        row.copy_from_slice(b.data());
                    }
                }
                None => z.fill(0.0),
            }
            gemm(
                rows,
                o,
                i,
                MatRef::rows(x, i),
                MatRef::rows(&s.wt[l], o),
                z,
                true,
            );
            if l < last {
                self.activation.apply(z, &mut after[0]);
            }
        }
    }

    /// Outputs for `input` (rows, in), without recording gradients: (rows, out).
    pub fn forward_batch<'s>(
        &self,
        input: &[f32],
        rows: usize,
        s: &'s mut MlpScratch,
    ) -> Result<&'s [f32]> {
        self.check_input(input, rows)?;
        self.prepare(rows, s);
        self.forward_into(input, rows, s);
        Ok(s.z.last().map_or(&[][..], |z| &z[..]))
    }

    /// The whole network as one operation of the autograd graph: `x` (rows, in) to (rows, out),
    /// with one backward that fills every layer's gradient (and `x`'s, if it needs one). What
    /// the lab language runs for an `nn.Sequential` of linear layers and one activation: the
    /// same numbers as the layer-by-layer graph, without a node and buffers per layer.
    /// Other input shapes go through the layers one by one.
    pub fn forward_fused(&self, x: &Var, pool: &ScratchPool) -> Result<Var> {
        let shape = x.shape();
        if shape.len() != 2 || shape[1] != self.in_features() || shape[0] == 0 {
            return self.forward(x);
        }
        let rows = shape[0];
        let input = x.value().data().to_vec();
        let mut s = pool.take();
        self.prepare(rows, &mut s);
        self.forward_into(&input, rows, &mut s);
        let out = Tensor::from_vec(
            &[rows, self.out_features()],
            s.z.last().cloned().unwrap_or_default(),
        )?;
        let mut parents = vec![x.clone()];
        parents.extend(self.parameters());
        let net = self.clone();
        let lent = std::cell::RefCell::new(Lent {
            scratch: s,
            pool: Rc::downgrade(&pool.0),
        });
        Ok(Var::from_op(out, "mlp", parents, move |g, _, p| {
            let mut lent = lent.borrow_mut();
            net.backprop(
                &input,
                rows,
                &mut lent.scratch,
                g.data(),
                p[0].requires_grad(),
            )
        }))
    }

    /// Gradients for [`Mlp::forward_fused`]'s parents (input, then each layer's weight and
    /// bias) from the output gradient `g` (rows, out), given the forward values in `s`.
    fn backprop(
        &self,
        input: &[f32],
        rows: usize,
        s: &mut MlpScratch,
        g: &[f32],
        want_input: bool,
    ) -> Result<Vec<Option<Tensor>>> {
        let last = self.layers.len() - 1;
        let mut grads: Vec<Option<Tensor>> = vec![None; 1 + self.parameters().len()];
        self.prepare_backward(rows, s);
        s.dz[..g.len()].copy_from_slice(g);
        let mut slot = grads.len();
        for l in (0..=last).rev() {
            let layer = &self.layers[l];
            let (i, o) = (layer.in_features, layer.out_features);
            let x: &[f32] = if l == 0 { input } else { &s.h[l - 1] };
            let dz = &s.dz[..rows * o];
            if layer.bias.is_some() {
                let mut gb = vec![0.0; o];
                column_sums(dz, o, &mut gb);
                slot -= 1;
                grads[slot] = Some(Tensor::from_vec(&[o], gb)?);
            }
            let mut gw = vec![0.0; o * i];
            weight_grad(x, dz, rows, i, o, &mut s.gwt, &mut gw);
            slot -= 1;
            grads[slot] = Some(Tensor::from_vec(&[o, i], gw)?);
            if l > 0 || want_input {
                let dh = &mut s.dh[..rows * i];
                input_grad(layer, dz, rows, dh);
                if l > 0 {
                    self.activation.backprop(&s.z[l - 1], &s.h[l - 1], dh);
                    std::mem::swap(&mut s.dz, &mut s.dh);
                } else {
                    grads[0] = Some(Tensor::from_vec(&[rows, i], dh.to_vec())?);
                }
            }
        }
        Ok(grads)
    }

    /// One fused step of `MSE(net(input), target)`: returns the loss and writes d loss / d
    /// parameter into each parameter's `.grad` (replacing it, as after `zero_grad()`).
    /// `input`: (rows, in), `target`: (rows, out).
    pub fn loss_and_grads(
        &self,
        input: &[f32],
        target: &[f32],
        rows: usize,
        s: &mut MlpScratch,
    ) -> Result<f32> {
        self.check_input(input, rows)?;
        let out_w = self.out_features();
        if target.len() != rows * out_w {
            return Err(TensorError::DataLength {
                shape: vec![rows, out_w],
                len: target.len(),
            });
        }
        self.prepare(rows, s);
        self.prepare_backward(rows, s);
        self.forward_into(input, rows, s);
        let last = self.layers.len() - 1;
        // loss and its gradient with respect to the output
        let count = (rows * out_w) as f32;
        let mut sum = 0.0f64;
        let dz = &mut s.dz[..rows * out_w];
        for ((d, &y), &t) in dz.iter_mut().zip(&s.z[last]).zip(target) {
            let e = y - t;
            sum += (e * e) as f64;
            *d = e * (2.0 / count);
        }
        for l in (0..=last).rev() {
            let layer = &self.layers[l];
            let (i, o) = (layer.in_features, layer.out_features);
            let x: &[f32] = if l == 0 { input } else { &s.h[l - 1] };
            let dz = &s.dz[..rows * o];
            let gwt = &mut s.gwt;
            write_grad(&layer.weight, &[o, i], |gw| {
                weight_grad(x, dz, rows, i, o, gwt, gw)
            })?;
            if let Some(b) = &layer.bias {
                write_grad(b, &[o], |gb| column_sums(dz, o, gb))?;
            }
            if l > 0 {
                let dh = &mut s.dh[..rows * i];
                input_grad(layer, dz, rows, dh);
                self.activation.backprop(&s.z[l - 1], &s.h[l - 1], dh);
                std::mem::swap(&mut s.dz, &mut s.dh);
            }
        }
        Ok((sum / count as f64) as f32)
    }
}

/// `gw` (o, i) = `dz^T @ x` for a layer with input `x` (rows, i) and output gradient `dz`
/// (rows, o).
/// `dh` = `dz` W: the gradient with respect to a layer's input, (rows, in), from the one with
/// respect to its output `dz`, (rows, out).
fn input_grad(layer: &Linear, dz: &[f32], rows: usize, dh: &mut [f32]) {
    let (i, o) = (layer.in_features, layer.out_features);
    let w = layer.weight.value();
    gemm(
        rows,
        i,
        o,
        MatRef::rows(dz, o),
        MatRef::rows(w.data(), i),
        dh,
        false,
    );
}

fn weight_grad(
    x: &[f32],
    dz: &[f32],
    rows: usize,
    i: usize,
    o: usize,
    gwt: &mut Vec<f32>,
    gw: &mut [f32],
) {
    if i < NARROW && o >= NARROW {
        // A narrow input (the lab's 3): gw (o, i) would be all ragged columns, so compute
        // gw^T (i, o) = x^T @ dz on full-width tiles and transpose it (measured: (64, 3) about
        // 5x faster, natively and in wasm).
        gwt.resize(i * o, 0.0);
        gemm(
            i,
            o,
            rows,
            MatRef::transposed(x, i),
            MatRef::rows(dz, o),
            gwt,
            false,
        );
        transpose(gwt, i, o, gw);
    } else {
        gemm(
            o,
            i,
            rows,
            MatRef::transposed(dz, o),
            MatRef::rows(x, i),
            gw,
            false,
        )
    }
}

/// `dst` (cols, rows) = the transpose of `src` (rows, cols), both row-major.
fn transpose(src: &[f32], rows: usize, cols: usize, dst: &mut [f32]) {
    // Writes run along dst's rows and reads step down src's columns, with no index to check
    // (1.4x faster in wasm than indexed stores); src is small enough to stay in cache.
    for (c, dst_row) in dst.chunks_exact_mut(rows).take(cols).enumerate() {
        for (d, &v) in dst_row.iter_mut().zip(src.iter().skip(c).step_by(cols)) {
            *d = v;
        }
    }
}

/// `sums` (cols,) = the column sums of `m` (rows, cols), row-major.
fn column_sums(m: &[f32], cols: usize, sums: &mut [f32]) {
    // 16 columns at a time summed down all rows in registers, rather than adding each row
    // into `sums` in memory (3.5x faster in wasm); the order of the additions is unchanged.
    const W: usize = 16;
    let mut j = 0;
    while j + W <= cols {
        let mut acc = [0.0f32; W];
        for row in m.chunks_exact(cols) {
            for (a, &v) in acc.iter_mut().zip(&row[j..j + W]) {
                *a += v;
            }
        }
        sums[j..j + W].copy_from_slice(&acc);
        j += W;
    }
    sums[j..].fill(0.0);
    for row in m.chunks_exact(cols) {
        for (g, &v) in sums[j..].iter_mut().zip(&row[j..]) {
            *g += v;
        }
    }
}

/// Overwrites `param`'s gradient through `fill`, reusing its buffer when the shape fits.
fn write_grad(param: &Var, shape: &[usize], fill: impl FnOnce(&mut [f32])) -> Result<()> {
    let mut grad = match param.grad_ref().as_ref() {
        Some(g) if g.shape() == shape => None,
        _ => Some(Tensor::zeros(shape)?),
    };
    if let Some(fresh) = grad.take() {
        param.set_grad(Some(fresh));
    }
    param.with_grad_mut(fill);
    Ok(())
}

impl Module for Mlp {
    fn forward(&self, x: &Var) -> Result<Var> {
        let mut h = x.clone();
        let last = self.layers.len().saturating_sub(1);
        for (l, layer) in self.layers.iter().enumerate() {
            h = layer.forward(&h)?;
            if l < last {
                h = self.activation.forward(&h)?;
            }
        }
        Ok(h)
    }

    fn parameters(&self) -> Vec<Var> {
        self.layers.iter().flat_map(|l| l.parameters()).collect()
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (l, layer) in self.layers.iter().enumerate() {
            parts.push(layer.describe());
            if l + 1 < self.layers.len() {
                parts.push(self.activation.describe());
            }
        }
        let lines: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| format!("  ({i}): {p}"))
            .collect();
        format!("Sequential(\n{}\n)", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests;
