//! The reverse walk over the graph, shared by `backward()` (which adds into `.grad`) and
//! [`grad`] (PyTorch's `torch.autograd.grad`, which returns the gradients and writes no `.grad`).
//!
//! The engine never frees a graph after a walk: a second walk through the same values works
//! (PyTorch would need `retain_graph=True`). Backward functions compute on plain tensors, so a
//! gradient is never itself on the graph: there is no `create_graph`.

use super::{Node, Var};
use crate::tensor::{Result, Tensor, TensorError};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

type Key = *const Node;

fn key(v: &Var) -> Key {
    Rc::as_ptr(&v.0)
}

/// Gradients of `sum_k <seed_k, output_k>` (each seed has its output's shape) with respect to
/// each of `inputs`, leaves or intermediate values alike: `None` for an input the outputs do not
/// depend on (or that does not require a gradient). Reads and writes no `.grad`; only the part
/// of the graph between the outputs and the inputs is walked.
pub fn grad(outputs: &[(Var, Tensor)], inputs: &[Var]) -> Result<Vec<Option<Tensor>>> {
    let wanted: HashSet<Key> = inputs.iter().map(key).collect();
    let mut found: HashMap<Key, Tensor> = HashMap::new();
    propagate(outputs, Some(&wanted), |var, g| {
        if wanted.contains(&key(var)) {
            found.insert(key(var), g.clone());
        }
        Ok(())
    })?;
    Ok(inputs.iter().map(|v| found.get(&key(v)).cloned()).collect())
}

/// Walks back from `roots` (each with the gradient of its value): `visit` sees every node that
/// requires a gradient once, with its complete gradient, before that gradient goes on to the
/// node's parents. With `only`, the walk keeps to the nodes from which one of them is reached.
pub(super) fn propagate(
    roots: &[(Var, Tensor)],
    only: Option<&HashSet<Key>>,
    mut visit: impl FnMut(&Var, &Tensor) -> Result<()>,
) -> Result<()> {
    for (i, (var, seed)) in roots.iter().enumerate() {
        if seed.shape() != var.value().shape() {
            return Err(TensorError::Mismatch {
                op: "grad",
                what: format!("the gradient of output {i} must have the output's shape"),
                left: seed.shape().to_vec(),
                right: var.shape(),
            });
        }
    }
    let starts: Vec<Var> = roots
        .iter()
        .filter(|(v, _)| v.requires_grad())
        .map(|(v, _)| v.clone())
        .collect();
    let order = topological_order(&starts);
    // the nodes whose gradient leads to a wanted one (parents come first in `order`)
    let needed: Option<HashSet<Key>> = only.map(|only| {
        let mut needed = HashSet::new();
        for v in &order {
            let reaches = only.contains(&key(v))
                || v.0
                    .grad_fn
                    .as_ref()
                    .is_some_and(|f| f.parents.iter().any(|p| needed.contains(&key(p))));
            if reaches {
                needed.insert(key(v));
            }
        }
        needed
    });
    let is_needed = |k: &Key| needed.as_ref().is_none_or(|n| n.contains(k));
    let mut grads: HashMap<Key, Tensor> = HashMap::new();
    for (var, seed) in roots {
        if !var.requires_grad() || !is_needed(&key(var)) {
            continue;
        }
        let next = match grads.remove(&key(var)) {
            Some(acc) => acc.add(seed)?,
            None => seed.clone(),
        };
        grads.insert(key(var), next);
    }
    for var in order.iter().rev() {
        let Some(g) = grads.remove(&key(var)) else {
            continue;
        };
        visit(var, &g)?;
        let Some(f) = &var.0.grad_fn else { continue };
        if !f
            .parents
            .iter()
            .any(|p| p.requires_grad() && is_needed(&key(p)))
        {
            continue;
        }
        let parent_grads = {
            let out = var.value();
            (f.backward)(&g, &out, &f.parents)?
        };
        for (p, pg) in f.parents.iter().zip(parent_grads) {
            let Some(pg) = pg else { continue };
            if !p.requires_grad() || !is_needed(&key(p)) {
                continue;
            }
            let next = match grads.remove(&key(p)) {
                Some(acc) => acc.add(&pg)?,
                None => pg,
            };
            grads.insert(key(p), next);
        }
    }
    Ok(())
}

/// Nodes reachable from `roots` that require a gradient, parents before children.
fn topological_order(roots: &[Var]) -> Vec<Var> {
    let mut order = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    // iterative DFS (long generation loops would overflow a recursive one)
    let mut stack: Vec<(Var, bool)> = roots.iter().rev().map(|r| (r.clone(), false)).collect();
    while let Some((v, expanded)) = stack.pop() {
        if expanded {
            order.push(v);
            continue;
        }
        if !seen.insert(key(&v)) {
            continue;
        }
        stack.push((v.clone(), true));
        if let Some(f) = &v.0.grad_fn {
            for p in &f.parents {
                if p.requires_grad() && !seen.contains(&key(p)) {
                    stack.push((p.clone(), false));
                }
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::super::gradcheck::randn;
    use super::*;

    /// A small nonlinear field u(x) = tanh(x W1 + b1) W2, x (n, 2) -> (n, 2).
    fn field(x: &Var, w1: &Var, b1: &Var, w2: &Var) -> Var {
        x.matmul(w1)
            .unwrap()
            .add(b1)
            .unwrap()
            .tanh()
            .matmul(w2)
            .unwrap()
    }

    fn params() -> (Var, Var, Var) {
        (
            Var::leaf(randn(&[2, 8], 2), true),
            Var::leaf(randn(&[8], 3), true),
            Var::leaf(randn(&[8, 2], 4), true),
        )
    }

    /// d(sum(seed * f(x)))/dx by central differences (f evaluated in f32, summed in f64).
    fn numeric(x: &Tensor, seed: &Tensor, f: impl Fn(&Var) -> Var) -> Vec<f64> {
        let h = 1e-3f32;
        let objective = |t: &Tensor| -> f64 {
            let out = f(&Var::constant(t.clone()));
            let out = out.value();
            out.data()
                .iter()
                .zip(seed.data())
                .map(|(&a, &b)| a as f64 * b as f64)
                .sum()
        };
        (0..x.len())
            .map(|j| {
                let (mut plus, mut minus) = (x.clone(), x.clone());
                plus.data_mut()[j] += h;
                minus.data_mut()[j] -= h;
                (objective(&plus) - objective(&minus)) / (2.0 * h as f64)
            })
            .collect()
    }

    fn assert_close(name: &str, analytic: &Tensor, numeric: &[f64]) {
        for (j, (&a, &n)) in analytic.data().iter().zip(numeric).enumerate() {
            let a = a as f64;
            let tol = 3e-3 + 1e-2 * n.abs().max(a.abs());
            assert!(
                (a - n).abs() <= tol,
                "{name}: element {j}: analytic {a} vs numeric {n}"
            );
        }
    }

    #[test]
    fn a_vector_jacobian_product_matches_finite_differences_and_leaves_grad_alone() {
        let (w1, b1, w2) = params();
        let x0 = randn(&[5, 2], 1);
        let x = Var::leaf(x0.clone(), true);
        let u = field(&x, &w1, &b1, &w2);
        let seed = randn(&[5, 2], 5);
        let g = grad(&[(u.clone(), seed.clone())], std::slice::from_ref(&x)).unwrap();
        let g = g[0].as_ref().expect("x is used");
        assert_eq!(g.shape(), &[5, 2]);
        let f = |x: &Var| field(x, &w1.detach(), &b1.detach(), &w2.detach());
        assert_close("vjp", g, &numeric(&x0, &seed, f));
        for v in [&x, &w1, &b1, &w2] {
            assert!(v.grad().is_none(), "grad() must not write .grad");
        }
        // the graph is still there: backward() through it afterwards works
        u.sum().backward().unwrap();
        assert!(x.grad().is_some() && w1.grad().is_some());
    }

    #[test]
    fn the_divergence_from_one_grad_per_column_is_the_trace_of_the_jacobian() {
        let (w1, b1, w2) = params();
        let x0 = randn(&[4, 2], 6);
        let x = Var::leaf(x0.clone(), true);
        let u = field(&x, &w1, &b1, &w2);
        let f = |x: &Var| field(x, &w1.detach(), &b1.detach(), &w2.detach());
        let mut div = [0.0f64; 4];
        for i in 0..2 {
            let col = u.select(1, i).unwrap().sum();
            let g = grad(&[(col, Tensor::scalar(1.0))], std::slice::from_ref(&x)).unwrap();
            let g = g[0].clone().unwrap();
            for (r, d) in div.iter_mut().enumerate() {
                *d += g.data()[r * 2 + i as usize] as f64;
            }
        }
        // d u_i / d x_i for each row, from finite differences of u_i summed over the rows
        for (r, &d) in div.iter().enumerate() {
            let mut expected = 0.0;
            for i in 0..2 {
                let mut seed = Tensor::zeros(&[4, 2]).unwrap();
                seed.data_mut()[r * 2 + i] = 1.0;
                expected += numeric(&x0, &seed, f)[r * 2 + i];
            }
            assert!((d - expected).abs() < 3e-3, "row {r}: {d} vs {expected}");
        }
    }

    #[test]
    fn several_outputs_and_inputs_intermediates_and_unused_inputs() {
        let a = Var::leaf(randn(&[3], 7), true);
        let b = Var::leaf(randn(&[3], 8), true);
        let unused = Var::leaf(randn(&[3], 9), true);
        let h = a.mul(&b).unwrap(); // an intermediate value
        let y1 = h.exp().sum();
        let y2 = a.mul(&a).unwrap().sum();
        let outs = [
            (y1.clone(), Tensor::scalar(1.0)),
            (y2.clone(), Tensor::scalar(2.0)),
        ];
        let g = grad(&outs, &[a.clone(), b.clone(), h.clone(), unused.clone()]).unwrap();
        let (av, bv) = (a.value().clone(), b.value().clone());
        let hv = av.mul(&bv).unwrap().exp();
        // d/da = exp(ab) b + 4a, d/db = exp(ab) a, d/dh = exp(h)
        let ga = hv.mul(&bv).unwrap().add(&av.scale(4.0)).unwrap();
        let gb = hv.mul(&av).unwrap();
        for (got, want) in [(&g[0], &ga), (&g[1], &gb), (&g[2], &hv)] {
            let got = got.as_ref().unwrap();
            for (x, y) in got.data().iter().zip(want.data()) {
                assert!((x - y).abs() < 1e-5 * y.abs().max(1.0), "{x} vs {y}");
            }
        }
        assert!(g[3].is_none(), "an unused input has no gradient");
        // an output that is also an input gets its own seed back
        let g = grad(&[(a.clone(), bv.clone())], std::slice::from_ref(&a)).unwrap();
        assert_eq!(g[0].as_ref().unwrap(), &bv);
        assert!(a.grad().is_none() && b.grad().is_none());
    }

    #[test]
    fn a_seed_of_the_wrong_shape_is_refused() {
        let x = Var::leaf(randn(&[3], 10), true);
        let y = x.scale(2.0);
        let e = grad(&[(y, Tensor::zeros(&[2]).unwrap())], &[x]).unwrap_err();
        assert!(e.to_string().contains("(2,)"), "{e}");
    }
}
