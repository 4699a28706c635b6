//! Every differentiable operation against central finite differences.
//!
//! The engine is f32, so each probe evaluates the function in f32 and accumulates the weighted
//! output sum in f64; a step of 1e-3 balances truncation (O(h^2)) and rounding (O(eps/h)).

#![allow(clippy::cloned_ref_to_slice_refs)] // `&[x.clone()]` reads best in the checks

use super::Var;
use crate::tensor::{Result, Tensor};

/// Checks d/d(inputs) of sum(f(inputs) * w) for a fixed random weight w.
pub(crate) fn check(name: &str, inputs: &[Tensor], f: impl Fn(&[Var]) -> Result<Var>) {
    check_sampled(name, inputs, f, usize::MAX)
}

/// As [`check`], probing at most `per_input` evenly spaced elements of each input (the lab
/// network has 8,706 parameters; a few hundred probes cover every layer).
pub(crate) fn check_sampled(
    name: &str,
    inputs: &[Tensor],
    f: impl Fn(&[Var]) -> Result<Var>,
    per_input: usize,
) {
    let vars: Vec<Var> = inputs.iter().map(|t| Var::leaf(t.clone(), true)).collect();
    let out = f(&vars).unwrap_or_else(|e| panic!("{name}: forward failed: {e}"));
    let out_shape = out.shape();
    let mut rng = crate::rng::seeded(99);
    let mut w = vec![0.0; out_shape.iter().product()];
    crate::rng::fill_normal(&mut rng, &mut w);
    let wt = Tensor::from_vec(&out_shape, w.clone()).unwrap();
    out.mul(&Var::constant(wt))
        .unwrap()
        .sum()
        .backward()
        .unwrap();

    let objective = |xs: &[Tensor]| -> f64 {
        let vs: Vec<Var> = xs.iter().map(|t| Var::constant(t.clone())).collect();
        let o = f(&vs).unwrap();
        let o = o.value();
        o.data()
            .iter()
            .zip(&w)
            .map(|(&a, &b)| a as f64 * b as f64)
            .sum()
    };
    let h = 1e-3f32;
    for (i, var) in vars.iter().enumerate() {
        let analytic = var
            .grad()
            .unwrap_or_else(|| panic!("{name}: no gradient for input {i}"));
        assert_eq!(
            analytic.shape(),
            inputs[i].shape(),
            "{name}: gradient shape of input {i}"
        );
        let stride = inputs[i].len().div_ceil(per_input).max(1);
        for j in (0..inputs[i].len()).step_by(stride) {
            let mut plus = inputs.to_vec();
            plus[i].data_mut()[j] += h;
            let mut minus = inputs.to_vec();
            minus[i].data_mut()[j] -= h;
            let numeric = (objective(&plus) - objective(&minus)) / (2.0 * h as f64);
            let a = analytic.data()[j] as f64;
            let tol = 3e-3 + 1e-2 * numeric.abs().max(a.abs());
            assert!(
                (a - numeric).abs() <= tol,
                "{name}: input {i} element {j}: analytic {a} vs numeric {numeric}"
            );
        }
    }
}

/// A tensor of standard normal draws from `seed` (also the other autograd tests' inputs).
pub(super) fn randn(shape: &[usize], seed: u64) -> Tensor {
    let mut rng = crate::rng::seeded(seed);
    let mut v = vec![0.0; shape.iter().product()];
    crate::rng::fill_normal(&mut rng, &mut v);
    Tensor::from_vec(shape, v).unwrap()
}

/// Positive inputs away from zero (for log, sqrt, fractional powers, division).
fn positive(shape: &[usize], seed: u64) -> Tensor {
    randn(shape, seed).map(|x| x.abs() + 0.5)
}

/// Inputs kept away from the kinks of relu and elu, where finite differences are meaningless.
fn off_kink(shape: &[usize], seed: u64) -> Tensor {
    randn(shape, seed).map(|x| if x.abs() < 0.05 { x + 0.2 } else { x })
}

#[test]
fn broadcasting_arithmetic_passes_gradient_checks() {
    for (sa, sb) in [
        (&[3, 4][..], &[4][..]),
        (&[3, 1], &[1, 4]),
        (&[2, 3, 4], &[3, 1]),
        (&[3, 4], &[3, 4]),
    ] {
        let (a, b) = (randn(sa, 1), positive(sb, 2));
        check("add", &[a.clone(), b.clone()], |v| v[0].add(&v[1]));
        check("sub", &[a.clone(), b.clone()], |v| v[0].sub(&v[1]));
        check("mul", &[a.clone(), b.clone()], |v| v[0].mul(&v[1]));
        check("div", &[a.clone(), b.clone()], |v| v[0].div(&v[1]));
    }
}

#[test]
fn elementwise_functions_pass_gradient_checks() {
    let x = randn(&[3, 4], 3);
    let p = positive(&[3, 4], 4);
    let k = off_kink(&[3, 4], 5);
    check("neg", &[x.clone()], |v| Ok(v[0].neg()));
    check("scale", &[x.clone()], |v| Ok(v[0].scale(-2.5)));
    check("add_scalar", &[x.clone()], |v| Ok(v[0].add_scalar(3.0)));
    check("affine", &[x.clone()], |v| Ok(v[0].affine(-1.5, 1.0)));
    check("rpow 2", &[x.clone()], |v| Ok(v[0].rpow(2.0)));
    check("rpow 0.5", &[x.clone()], |v| Ok(v[0].rpow(0.5)));
    check("pow 2", &[x.clone()], |v| Ok(v[0].powf(2.0)));
    check("pow 3", &[x.clone()], |v| Ok(v[0].powf(3.0)));
    check("pow 2.5", &[p.clone()], |v| Ok(v[0].powf(2.5)));
    check("pow -1", &[p.clone()], |v| Ok(v[0].powf(-1.0)));
    check("exp", &[x.clone()], |v| Ok(v[0].exp()));
    check("log", &[p.clone()], |v| Ok(v[0].log()));
    check("sqrt", &[p.clone()], |v| Ok(v[0].sqrt()));
    check("tanh", &[x.clone()], |v| Ok(v[0].tanh()));
    check("sigmoid", &[x.clone()], |v| Ok(v[0].sigmoid()));
    check("relu", &[k.clone()], |v| Ok(v[0].relu()));
    check("elu", &[k.clone()], |v| Ok(v[0].elu(1.0)));
    check("elu alpha 0.5", &[k.clone()], |v| Ok(v[0].elu(0.5)));
    check("silu", &[x.clone()], |v| Ok(v[0].silu()));
    check("softplus", &[x.scale(3.0)], |v| Ok(v[0].softplus()));
    check("sin", &[x.clone()], |v| Ok(v[0].sin()));
    check("cos", &[x.clone()], |v| Ok(v[0].cos()));
}

#[test]
fn matrix_products_pass_gradient_checks() {
    check("matmul 2d", &[randn(&[3, 4], 6), randn(&[4, 5], 7)], |v| {
        v[0].matmul(&v[1])
    });
    check(
        "matmul batched",
        &[randn(&[2, 3, 4], 8), randn(&[4, 5], 9)],
        |v| v[0].matmul(&v[1]),
    );
    check(
        "matmul vec-mat",
        &[randn(&[4], 10), randn(&[4, 5], 11)],
        |v| v[0].matmul(&v[1]),
    );
    check(
        "matmul mat-vec",
        &[randn(&[3, 4], 12), randn(&[4], 13)],
        |v| v[0].matmul(&v[1]),
    );
    check("matmul dot", &[randn(&[4], 14), randn(&[4], 15)], |v| {
        v[0].matmul(&v[1])
    });
    check(
        "linear",
        &[randn(&[5, 3], 16), randn(&[4, 3], 17), randn(&[4], 18)],
        |v| v[0].linear(&v[1], Some(&v[2])),
    );
    check(
        "linear 3d no bias",
        &[randn(&[2, 5, 3], 19), randn(&[20, 3], 20)],
        |v| v[0].linear(&v[1], None),
    );
}

#[test]
fn reductions_and_shape_changes_pass_gradient_checks() {
    let x = randn(&[2, 3, 4], 21);
    check("sum", &[x.clone()], |v| Ok(v[0].sum()));
    check("mean", &[x.clone()], |v| Ok(v[0].mean()));
    check("sum dim 1", &[x.clone()], |v| v[0].sum_dim(1, false));
    check("sum dim -1 keepdim", &[x.clone()], |v| {
        v[0].sum_dim(-1, true)
    });
    check("mean dim 0", &[x.clone()], |v| v[0].mean_dim(0, false));
    check("reshape", &[x.clone()], |v| v[0].reshape(&[6, -1]));
    check("transpose", &[x.clone()], |v| v[0].transpose(0, 2));
    check("expand", &[randn(&[3, 1], 22)], |v| v[0].expand(&[2, 3, 4]));
    check(
        "cat dim 1",
        &[randn(&[3, 2], 23), randn(&[3, 1], 24)],
        |v| Var::cat(v, -1),
    );
    check(
        "cat dim 0",
        &[randn(&[1, 2], 25), randn(&[3, 2], 26)],
        |v| Var::cat(v, 0),
    );
    check("slice", &[x.clone()], |v| v[0].slice(1, 0, 3, 2));
    check("select", &[x.clone()], |v| v[0].select(1, -1));
    check("mse", &[randn(&[5, 2], 27), randn(&[5, 2], 28)], |v| {
        v[0].mse_loss(&v[1])
    });
}

#[test]
fn a_value_used_twice_accumulates_both_paths() {
    // f(x) = x * x + x: df/dx = 2x + 1
    let x = Var::leaf(Tensor::from_vec(&[2], vec![1.5, -2.0]).unwrap(), true);
    x.mul(&x)
        .unwrap()
        .add(&x)
        .unwrap()
        .sum()
        .backward()
        .unwrap();
    assert_eq!(x.grad().unwrap().data(), &[4.0, -3.0]);
    // a second backward adds to .grad, as in PyTorch
    x.mul(&x).unwrap().sum().backward().unwrap();
    assert_eq!(x.grad().unwrap().data(), &[7.0, -7.0]);
}

#[test]
fn no_grad_records_nothing_and_backward_says_why() {
    let x = Var::leaf(Tensor::scalar(2.0), true);
    let y = super::no_grad(|| x.mul(&x).unwrap());
    assert!(!y.requires_grad());
    let e = y.backward().unwrap_err().to_string();
    assert!(
        e.contains("does not depend on any tensor that requires a gradient"),
        "{e}"
    );
    assert!(super::grad_enabled(), "no_grad restores recording");
    let v = Var::leaf(randn(&[3, 2], 1), true)
        .mul(&Var::constant(Tensor::scalar(2.0)))
        .unwrap();
    let e = v.backward().unwrap_err().to_string();
    assert!(e.contains("shape (3, 2)") && e.contains(".mean()"), "{e}");
}

#[test]
fn a_long_chain_back_propagates_without_overflowing_the_stack() {
    let x = Var::leaf(Tensor::scalar(1.0), true);
    let mut y = x.clone();
    for _ in 0..100_000 {
        y = y.scale(1.0);
    }
    y.backward().unwrap();
    assert_eq!(x.grad().unwrap().item().unwrap(), 1.0);
}
