use super::*;
use crate::autograd::gradcheck_for_tests;
use crate::data::Dataset;
use crate::nn::Linear;
use crate::normalizing::{MleSettings, MleTrainer};
use std::time::Instant;

fn settings(solver: Solver, steps: usize, divergence: Divergence) -> Settings {
    Settings {
        solver,
        steps,
        divergence,
        seed: 7,
    }
}

const EXACT: Divergence = Divergence::Exact;

fn hutchinson(probes: usize, noise: Probe) -> Divergence {
    Divergence::Hutchinson { probes, noise }
}

/// A randomly initialised velocity network (the last layer not zeroed, so the flow bends).
fn random_net(widths: &[usize], activation: Activation, seed: u64) -> Mlp {
    Mlp::new(widths, activation, &mut rng::seeded(seed)).unwrap()
}

fn normal_points(n: usize, seed: u64) -> Vec<f32> {
    let mut out = vec![0.0; 2 * n];
    rng::fill_normal(&mut rng::seeded(seed), &mut out);
    out
}

fn points_var(points: &[f32]) -> Var {
    Var::constant(Tensor::from_vec(&[points.len() / 2, 2], points.to_vec()).unwrap())
}

fn moons(n: usize, seed: u64) -> Vec<f32> {
    let mut out = vec![0.0; 2 * n];
    Dataset::Moons
        .sample_into(0.05, &mut rng::seeded(seed), &mut out, None)
        .unwrap();
    out
}

fn mean(v: &[f32]) -> f64 {
    v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64
}

#[test]
fn log_prob_on_the_graph_matches_the_fast_path() {
    let x = normal_points(64, 1);
    for activation in [Activation::Tanh, Activation::Elu, Activation::Silu] {
        for (solver, steps) in [(Solver::Euler, 10), (Solver::Rk4, 6), (Solver::Heun, 5)] {
            for divergence in [EXACT, hutchinson(3, Probe::Rademacher)] {
                let net = random_net(&[3, 16, 16, 2], activation, 2);
                let cnf = Cnf::from_net(net, settings(solver, steps, divergence)).unwrap();
                // the same seed gives the same probes on both paths
                let graph = cnf
                    .log_prob_with(&points_var(&x), &mut rng::seeded(cnf.settings().seed))
                    .unwrap();
                let fast = cnf.log_density(&x).unwrap();
                for (g, f) in graph.value().data().iter().zip(&fast) {
                    assert!(
                        (g - f).abs() < 1e-4,
                        "{activation:?} {solver:?} {divergence:?}: graph {g} vs fast {f}"
                    );
                }
            }
        }
    }
}

/// `mean log p(x)` of a flow whose network is rebuilt from `vars` = [x, w1, b1, w2, b2, ...]
/// (the gradient check's inputs), probes from a fixed seed.
fn mean_log_prob_of(vars: &[Var], template: &Mlp, settings: Settings) -> Result<Var> {
    let layers = template
        .layers
        .iter()
        .enumerate()
        .map(|(l, layer)| Linear {
            weight: vars[1 + 2 * l].clone(),
            bias: Some(vars[2 + 2 * l].clone()),
            in_features: layer.in_features,
            out_features: layer.out_features,
        })
        .collect();
    let net = Mlp {
        layers,
        activation: template.activation,
    };
    let cnf = Cnf::from_net(net, settings)?;
    Ok(cnf.log_prob_with(&vars[0], &mut rng::seeded(11))?.mean())
}

fn inputs_of(x: &[f32], net: &Mlp) -> Vec<Tensor> {
    let mut inputs = vec![Tensor::from_vec(&[x.len() / 2, 2], x.to_vec()).unwrap()];
    for layer in &net.layers {
        inputs.push(layer.weight.value().clone());
        inputs.push(layer.bias.as_ref().unwrap().value().clone());
    }
    inputs
}

#[test]
fn gradients_through_the_solver_and_the_divergence_match_finite_differences() {
    let x = normal_points(8, 3);
    for (activation, solver) in [
        (Activation::Tanh, Solver::Euler),
        (Activation::Tanh, Solver::Rk4),
        (Activation::Elu, Solver::Rk4),
        (Activation::Silu, Solver::Midpoint),
        (Activation::Sigmoid, Solver::Euler),
    ] {
        let net = random_net(&[3, 8, 8, 2], activation, 4);
        let s = settings(solver, 4, EXACT);
        gradcheck_for_tests(
            &format!("cnf {activation:?} {solver:?}"),
            &inputs_of(&x, &net),
            |v| mean_log_prob_of(v, &net, s),
            12,
        );
    }
}

#[test]
fn gradients_through_hutchinson_with_fixed_probes_match_finite_differences() {
    let x = normal_points(8, 5);
    let net = random_net(&[3, 8, 8, 2], Activation::Tanh, 6);
    for noise in [Probe::Rademacher, Probe::Gaussian] {
        let s = settings(Solver::Rk4, 3, hutchinson(2, noise));
        gradcheck_for_tests(
            &format!("cnf hutchinson {noise:?}"),
            &inputs_of(&x, &net),
            |v| mean_log_prob_of(v, &net, s),
            12,
        );
    }
}

/// `exp(M)` of a 2x2 matrix and `phi(M) = sum M^k / (k + 1)!` (so `int_0^1 exp(M s) ds`), by
/// their series in f64.
fn exp_and_phi(m: [[f64; 2]; 2]) -> ([[f64; 2]; 2], [[f64; 2]; 2]) {
    let mul = |a: [[f64; 2]; 2], b: [[f64; 2]; 2]| {
        let mut c = [[0.0; 2]; 2];
        for i in 0..2 {
            for j in 0..2 {
                c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j];
            }
        }
        c
    };
    let (mut exp, mut phi) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    let mut power = [[1.0, 0.0], [0.0, 1.0]]; // M^k / k!
    for k in 0..40 {
        for i in 0..2 {
            for j in 0..2 {
                exp[i][j] += power[i][j];
                phi[i][j] += power[i][j] / (k + 1) as f64;
            }
        }
        power = mul(power, m);
        power
            .iter_mut()
            .flatten()
            .for_each(|v| *v /= (k + 1) as f64);
    }
    (exp, phi)
}

#[test]
fn an_affine_field_pushes_the_normal_to_the_closed_form_gaussian() {
    // u(x, t) = A x + c: x(1) = exp(A) x(0) + phi(A) c, so p1 = N(phi(A) c, exp(A) exp(A)^T)
    let a = [[0.3, -0.8], [0.5, -0.2]];
    let c = [0.4, -0.3];
    let weight =
        Tensor::from_vec(&[2, 3], vec![0.0, a[0][0], a[0][1], 0.0, a[1][0], a[1][1]]).unwrap();
    let bias = Tensor::from_vec(&[2], vec![c[0], c[1]]).unwrap();
    let net = Mlp {
        layers: vec![Linear::from_tensors(weight, Some(bias)).unwrap()],
        activation: Activation::Tanh,
    };
    let a64 = a.map(|r| r.map(|v: f32| v as f64));
    let (e, phi) = exp_and_phi(a64);
    let m = [
        phi[0][0] * c[0] as f64 + phi[0][1] * c[1] as f64,
        phi[1][0] * c[0] as f64 + phi[1][1] * c[1] as f64,
    ];
    // Sigma = E E^T; log N(x; m, Sigma) through E^-1 (x - m)
    let det_e = e[0][0] * e[1][1] - e[0][1] * e[1][0];
    let closed_form = |x: [f64; 2]| {
        let d = [x[0] - m[0], x[1] - m[1]];
        let z = [
            (e[1][1] * d[0] - e[0][1] * d[1]) / det_e,
            (-e[1][0] * d[0] + e[0][0] * d[1]) / det_e,
        ];
        -(z[0] * z[0] + z[1] * z[1]) / 2.0 - (2.0 * std::f64::consts::PI).ln() - det_e.ln()
    };
    let cnf = Cnf::from_net(net, settings(Solver::Rk4, 16, EXACT)).unwrap();
    let x = normal_points(50, 8);
    let logp = cnf.log_prob(&points_var(&x)).unwrap();
    let mut worst = 0.0f64;
    for (i, &got) in logp.value().data().iter().enumerate() {
        let want = closed_form([x[2 * i] as f64, x[2 * i + 1] as f64]);
        worst = worst.max((got as f64 - want).abs());
    }
    assert!(worst < 1e-3, "log p off the closed form by {worst}");
    // Euler with 4 steps misses it visibly: the test sees the solver, not only the algebra
    let coarse = Cnf::from_net(cnf.net.clone(), settings(Solver::Euler, 4, EXACT)).unwrap();
    let logp = coarse.log_prob(&points_var(&x)).unwrap();
    let coarse_worst = logp
        .value()
        .data()
        .iter()
        .enumerate()
        .map(|(i, &got)| (got as f64 - closed_form([x[2 * i] as f64, x[2 * i + 1] as f64])).abs())
        .fold(0.0, f64::max);
    assert!(coarse_worst > 10.0 * worst, "{coarse_worst} vs {worst}");

    // and the sampler lands on the same Gaussian
    let n = 20_000;
    let samples = cnf.sample(n, &mut rng::seeded(9)).unwrap();
    let s = samples.data();
    let mean_of = |d: usize| s.iter().skip(d).step_by(2).map(|&v| v as f64).sum::<f64>() / n as f64;
    let (m0, m1) = (mean_of(0), mean_of(1));
    let cov = |i: usize, j: usize| {
        s.chunks_exact(2)
            .map(|p| (p[i] as f64 - [m0, m1][i]) * (p[j] as f64 - [m0, m1][j]))
            .sum::<f64>()
            / n as f64
    };
    let sigma = |i: usize, j: usize| e[i][0] * e[j][0] + e[i][1] * e[j][1];
    assert!(
        (m0 - m[0]).abs() < 0.03 && (m1 - m[1]).abs() < 0.03,
        "{m0} {m1} vs {m:?}"
    );
    for (i, j) in [(0, 0), (0, 1), (1, 1)] {
        assert!(
            (cov(i, j) - sigma(i, j)).abs() < 0.05 * sigma(0, 0).max(sigma(1, 1)),
            "cov[{i}][{j}] {} vs {}",
            cov(i, j),
            sigma(i, j)
        );
    }
}

#[test]
fn hutchinson_on_the_graph_averages_to_the_exact_divergence() {
    let net = random_net(&[3, 16, 16, 2], Activation::Tanh, 10);
    let x = normal_points(6, 11);
    let exact = Cnf::from_net(net.clone(), settings(Solver::Euler, 1, EXACT)).unwrap();
    let (_, truth) = exact
        .velocity_and_divergence(&points_var(&x), 0.4, &mut rng::seeded(0))
        .unwrap();
    let truth = truth.value().data().to_vec();
    let draws = 4000;
    // every point repeated `draws` times: one call, a fresh probe per row
    let repeated: Vec<f32> = (0..draws).flat_map(|_| x.iter().copied()).collect();
    for noise in [Probe::Rademacher, Probe::Gaussian] {
        let cnf = Cnf::from_net(
            net.clone(),
            settings(Solver::Euler, 1, hutchinson(1, noise)),
        )
        .unwrap();
        let (_, estimates) = cnf
            .velocity_and_divergence(&points_var(&repeated), 0.4, &mut rng::seeded(12))
            .unwrap();
        let estimates = estimates.value();
        for (i, &want) in truth.iter().enumerate() {
            let draws_of_i: Vec<f64> = estimates
                .data()
                .iter()
                .skip(i)
                .step_by(x.len() / 2)
                .map(|&v| v as f64)
                .collect();
            let m = draws_of_i.iter().sum::<f64>() / draws as f64;
            let var = draws_of_i.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (draws - 1) as f64;
            let standard_error = (var / draws as f64).sqrt();
            assert!(
                (m - want as f64).abs() <= 3.0 * standard_error + 1e-5,
                "{noise:?} point {i}: mean {m} vs exact {want} (standard error {standard_error})"
            );
        }
    }
}

/// A small flow for the training tests: width 32, tanh, RK4 with 4 steps, exact divergence.
fn trained(steps: usize, batch: usize) -> (Mlp, Settings, f64) {
    let s = settings(Solver::Rk4, 4, EXACT);
    let cnf = Cnf::new(&[3, 32, 32, 2], DEFAULT_ACTIVATION, s, &mut rng::seeded(13)).unwrap();
    // clones of a network share its parameters: this one sees the trained weights
    let net = cnf.net.clone();
    let mut trainer = MleTrainer::new(
        Box::new(cnf),
        MleSettings {
            dataset: Dataset::Moons,
            noise: 0.05,
            batch,
            lr: 1e-2,
            seed: 14,
        },
    )
    .unwrap();
    let start = Instant::now();
    trainer.train(steps).unwrap();
    let per_step = start.elapsed().as_secs_f64() / steps as f64;
    (net, s, per_step)
}

#[test]
fn a_short_maximum_likelihood_run_beats_the_standard_normal_on_held_out_moons() {
    let steps = 150;
    let (net, s, per_step) = trained(steps, 128);
    let held_out = moons(2000, 15);
    let nll = -mean(&density::log_density(&net, &held_out, &s).unwrap());
    let normal_nll = -held_out
        .chunks_exact(2)
        .map(|p| density::log_normal(p) as f64)
        .sum::<f64>()
        / 2000.0;
    println!(
        "CNF [3, 32, 32, 2] tanh, RK4 x 4, batch 128: held-out NLL {nll:.3} after {steps} steps \
         (standard normal {normal_nll:.3}), {:.1} ms per step",
        per_step * 1e3
    );
    assert!(
        nll < normal_nll - 0.8,
        "NLL {nll} vs the normal's {normal_nll}"
    );
}

#[test]
fn the_trained_density_integrates_to_one() {
    let (net, s, _) = trained(60, 128);
    let bounds = [-5.0, 5.0, -5.0, 5.0];
    let side = 201;
    let logp = density::log_density_grid(&net, bounds, side, side, &s).unwrap();
    let cell = (10.0 / (side - 1) as f64).powi(2);
    // the trapezoid rule: edge nodes count half, corners a quarter
    let mut mass = 0.0;
    for j in 0..side {
        for i in 0..side {
            let w = [i, j]
                .iter()
                .map(|&k| if k == 0 || k == side - 1 { 0.5 } else { 1.0 })
                .product::<f64>();
            mass += w * (logp[j * side + i] as f64).exp() * cell;
        }
    }
    println!("mass of the trained CNF's density on [-5, 5]^2: {mass:.4}");
    assert!((mass - 1.0).abs() < 0.02, "mass {mass}");
}

#[test]
fn relu_bad_points_and_bad_settings_are_refused_with_reasons() {
    let relu = random_net(&[3, 8, 2], Activation::Relu, 1);
    let e = Cnf::from_net(relu, settings(Solver::Euler, 2, EXACT))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("smooth activation") && e.contains("relu"), "{e}");
    // a network switched to relu after construction is refused at log_prob, not trained
    let mut cnf = Cnf::from_net(
        random_net(&[3, 8, 2], Activation::Tanh, 1),
        settings(Solver::Euler, 2, EXACT),
    )
    .unwrap();
    cnf.net.activation = Activation::Relu;
    assert!(cnf.log_prob(&points_var(&[0.0, 0.0])).is_err());
    cnf.net.activation = Activation::Tanh;

    let e = cnf
        .log_prob(&Var::constant(Tensor::zeros(&[4, 3]).unwrap()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("(n, 2)") && e.contains("(4, 3)"), "{e}");
    let e = cnf
        .set_settings(settings(Solver::Euler, 0, EXACT))
        .unwrap_err()
        .to_string();
    assert!(e.contains("solver steps"), "{e}");
    let e = cnf
        .set_settings(settings(Solver::Euler, 2, hutchinson(0, Probe::Gaussian)))
        .unwrap_err()
        .to_string();
    assert!(e.contains("probes"), "{e}");
    // no points: an empty sample, not a panic
    let none = cnf.sample(0, &mut rng::seeded(1)).unwrap();
    assert_eq!(none.shape(), &[0, 2]);
    let wrong_shape = random_net(&[2, 8, 2], Activation::Tanh, 1);
    assert!(Cnf::from_net(wrong_shape, settings(Solver::Euler, 2, EXACT)).is_err());
}

#[test]
fn a_new_flow_starts_as_its_standard_normal_base() {
    let cnf = Cnf::new(
        &[3, 16, 2],
        DEFAULT_ACTIVATION,
        settings(Solver::Rk4, 3, EXACT),
        &mut rng::seeded(16),
    )
    .unwrap();
    let x = normal_points(10, 17);
    let logp = cnf.log_prob(&points_var(&x)).unwrap();
    for (got, p) in logp.value().data().iter().zip(x.chunks_exact(2)) {
        assert!((got - density::log_normal(p)).abs() < 1e-6);
    }
}

#[test]
fn sampling_is_flow_matchings_sampler_on_the_same_network() {
    let net = random_net(&[3, 16, 16, 2], Activation::Elu, 18);
    let cnf = Cnf::from_net(net, settings(Solver::Midpoint, 5, EXACT)).unwrap();
    let samples = cnf.sample(30, &mut rng::seeded(19)).unwrap();
    let z = crate::normalizing::standard_normal(30, &mut rng::seeded(19)).unwrap();
    let path = crate::flow::sample_trajectory(&cnf.net, Solver::Midpoint, 5, z.data()).unwrap();
    assert_eq!(samples.data(), &path[path.len() - 60..]);
}

/// The cost of a maximum-likelihood step against a flow-matching step. Run with
/// `cargo test -p flowlab --lib normalizing::cnf::tests::step_cost -- --ignored --nocapture`.
#[test]
#[ignore]
fn step_cost_against_flow_matching() {
    let batch = 256;
    // the median step: the machine is shared, and a mean would time the neighbours too
    let time = |f: &mut dyn FnMut(), reps: usize| {
        f(); // warm-up
        let mut times: Vec<f64> = (0..reps)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[reps / 2]
    };
    let lab = Mlp::new(&[3, 64, 64, 64, 2], Activation::Elu, &mut rng::seeded(0)).unwrap();
    let adam = crate::optim::Adam::new(lab.parameters(), 1e-2).unwrap();
    let mut fm = crate::flow::Trainer::new(
        lab,
        Box::new(adam),
        crate::flow::TrainSettings {
            dataset: Dataset::Moons,
            noise: 0.05,
            batch,
            schedule: crate::flow::Schedule::Constant,
            ema: 0.0,
        },
        rng::seeded(1),
    );
    let fm_step = time(
        &mut || {
            fm.train_step().unwrap();
        },
        200,
    );
    println!(
        "flow matching, lab net [3, 64, 64, 64, 2], batch {batch}: {:.3} ms per step",
        fm_step * 1e3
    );
    for widths in [&[3, 64, 64, 2][..], &[3, 64, 64, 64, 2]] {
        for (solver, divergence) in [
            (Solver::Euler, EXACT),
            (Solver::Rk4, EXACT),
            (Solver::Rk4, hutchinson(1, Probe::Rademacher)),
        ] {
            let s = settings(solver, 8, divergence);
            let cnf = Cnf::new(widths, DEFAULT_ACTIVATION, s, &mut rng::seeded(2)).unwrap();
            let mut trainer = MleTrainer::new(
                Box::new(cnf),
                MleSettings {
                    dataset: Dataset::Moons,
                    noise: 0.05,
                    batch,
                    lr: 1e-2,
                    seed: 3,
                },
            )
            .unwrap();
            let step = time(
                &mut || {
                    trainer.train_step().unwrap();
                },
                15,
            );
            println!(
                "CNF {widths:?} tanh, {solver:?} x 8, {divergence:?}: {:.1} ms per step = {:.0} x flow matching",
                step * 1e3,
                step / fm_step
            );
        }
    }
}

/// Held-out NLL along a longer maximum-likelihood run, against flow matching's network trained
/// for as many steps and read by the same density code. Run with
/// `cargo test -p flowlab --lib normalizing::cnf::tests::nll_report -- --ignored --nocapture`.
#[test]
#[ignore]
fn nll_report_against_flow_matching() {
    let held_out = moons(4000, 21);
    let s = settings(Solver::Rk4, 8, EXACT);
    let nll_of = |net: &Mlp| -mean(&density::log_density(net, &held_out, &s).unwrap());
    let cnf = Cnf::new(&[3, 64, 64, 2], DEFAULT_ACTIVATION, s, &mut rng::seeded(22)).unwrap();
    let net = cnf.net.clone();
    let mut trainer = MleTrainer::new(
        Box::new(cnf),
        MleSettings {
            dataset: Dataset::Moons,
            noise: 0.05,
            batch: 256,
            lr: 5e-3,
            seed: 23,
        },
    )
    .unwrap();
    let start = Instant::now();
    for checkpoint in [100, 250, 500, 1000] {
        trainer.train(checkpoint - trainer.step()).unwrap();
        println!(
            "CNF [3, 64, 64, 2] tanh, RK4 x 8, batch 256, lr 5e-3: held-out NLL {:.3} after {checkpoint} steps ({:.0} s)",
            nll_of(&net),
            start.elapsed().as_secs_f64()
        );
    }
    let lab = Mlp::new(&[3, 64, 64, 64, 2], Activation::Elu, &mut rng::seeded(0)).unwrap();
    let adam = crate::optim::Adam::new(lab.parameters(), 1e-2).unwrap();
    let mut fm = crate::flow::Trainer::new(
        lab,
        Box::new(adam),
        crate::flow::TrainSettings {
            dataset: Dataset::Moons,
            noise: 0.05,
            batch: 256,
            schedule: crate::flow::Schedule::Constant,
            ema: 0.0,
        },
        rng::seeded(1),
    );
    for checkpoint in [1000, 5000] {
        fm.train(checkpoint - fm.step()).unwrap();
        println!(
            "flow matching, lab net and settings: held-out NLL {:.3} after {checkpoint} steps",
            nll_of(&fm.net)
        );
    }
}
