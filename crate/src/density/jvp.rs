//! A 2-D velocity network's value and Jacobian-vector products in one forward pass
//! (forward-mode differentiation): the tangents ride along as extra rows of every matrix
//! product, so `k` directions cost about `k` more forward passes on the same fast kernels and
//! no tape. Two unit directions give the exact divergence; random ones, Hutchinson's estimate.

use crate::nn::Mlp;
use crate::tensor::gemm::{gemm, MatRef};
use crate::tensor::Result;

/// Evaluates `u(x, t)` and `J_u(x, t) v` for a network mapping `(t, x, y)` to `(u, v)`,
/// reusing its buffers from call to call.
pub struct VelocityJvp<'a> {
    net: &'a Mlp,
    /// Transposed weights per layer, (in_l, out_l).
    wt: Vec<Vec<f32>>,
    /// Primal rows then tangent rows: (n + k n, in_0) for the input.
    input: Vec<f32>,
    /// Pre-activations (primal and tangents) per layer, ((1 + k) n, out_l).
    z: Vec<Vec<f32>>,
    /// Activations of the primal rows per hidden layer, (n, out_l).
    h: Vec<Vec<f32>>,
}

impl<'a> VelocityJvp<'a> {
    /// `net` must map 3 inputs `(t, x, y)` to 2 outputs.
    pub fn new(net: &'a Mlp) -> Result<Self> {
        crate::flow::check_velocity_net(net)?;
        let wt = net
            .layers
            .iter()
            .map(|l| {
                let w = l.weight.value();
                let (o, i) = (l.out_features, l.in_features);
                let mut t = vec![0.0; i * o];
                for r in 0..o {
                    for c in 0..i {
                        t[c * o + r] = w.data()[r * i + c];
                    }
                }
                t
            })
            .collect();
        Ok(VelocityJvp {
            net,
            wt,
            input: Vec::new(),
            z: Vec::new(),
            h: Vec::new(),
        })
    }

    /// For states `x`: (n, 2) at time `t` and directions `v`: (k, n, 2), writes the velocity
    /// into `u`: (n, 2) and `J v` into `jv`: (k, n, 2).
    pub fn eval(&mut self, x: &[f32], t: f32, v: &[f32], u: &mut [f32], jv: &mut [f32]) {
        let n = x.len() / 2;
        let k = v.len() / x.len().max(1);
        let rows = n * (1 + k);
        self.input.clear();
        for p in x.chunks_exact(2) {
            self.input.extend_from_slice(&[t, p[0], p[1]]);
        }
        // a direction moves the point, never the time
        for d in v.chunks_exact(2) {
            self.input.extend_from_slice(&[0.0, d[0], d[1]]);
        }
        let layers = &self.net.layers;
        self.z.resize_with(layers.len(), Vec::new);
        self.h.resize_with(layers.len(), Vec::new);
        let last = layers.len() - 1;
        for (l, layer) in layers.iter().enumerate() {
            let (i, o) = (layer.in_features, layer.out_features);
            let (before, after) = self.z.split_at_mut(l);
            let z = &mut after[0];
            z.resize(rows * o, 0.0);
            // the bias goes into the primal rows only: a tangent has none
            match &layer.bias {
                Some(b) => {
                    let b = b.value();
                    for row in z[..n * o].chunks_exact_mut(o) {
                        row.copy_from_slice(b.data());
                    }
                }
                None => z[..n * o].fill(0.0),
            }
            z[n * o..].fill(0.0);
            let x_in: &[f32] = if l == 0 { &self.input } else { &before[l - 1] };
            gemm(
                rows,
                o,
                i,
                MatRef::rows(x_in, i),
                MatRef::rows(&self.wt[l], o),
                z,
                true,
            );
            if l < last {
                // primal: h = act(z); tangents: dh = act'(z) dz, then both feed the next layer
                let h = &mut self.h[l];
                h.resize(n * o, 0.0);
                let (primal, tangents) = z.split_at_mut(n * o);
                self.net.activation.apply(primal, h);
                for tangent in tangents.chunks_exact_mut(n * o) {
                    self.net.activation.backprop(primal, h, tangent);
                }
                primal.copy_from_slice(h);
            }
        }
        let out = &self.z[last];
        u.copy_from_slice(&out[..2 * n]);
        jv.copy_from_slice(&out[2 * n..rows * 2]);
    }
}
