use super::*;
use crate::flow::{exact_samples, MarginalVelocity};
use crate::nn::{Activation, Mlp};

fn net(seed: u64, activation: Activation) -> Mlp {
    Mlp::new(&[3, 16, 16, 2], activation, &mut rng::seeded(seed)).unwrap()
}

fn points(n: usize, seed: u64) -> Vec<f32> {
    let mut out = vec![0.0; 2 * n];
    rng::fill_normal(&mut rng::seeded(seed), &mut out);
    out
}

/// u(x, t) of the network at one point, by the plain forward pass.
fn velocity(net: &Mlp, x: [f64; 2], t: f32) -> [f64; 2] {
    let mut u = [0.0f32; 2];
    crate::flow::VelocityEval::new(net)
        .unwrap()
        .eval(&[x[0] as f32, x[1] as f32], t, &mut u);
    [u[0] as f64, u[1] as f64]
}

#[test]
fn forward_mode_directions_match_finite_differences() {
    for activation in [Activation::Elu, Activation::Tanh, Activation::Silu] {
        let net = net(3, activation);
        let x = points(5, 1);
        let v = points(10, 2); // two directions per point
        let mut jvp = VelocityJvp::new(&net).unwrap();
        let (mut u, mut jv) = (vec![0.0; 10], vec![0.0; 20]);
        jvp.eval(&x, 0.3, &v, &mut u, &mut jv);
        let h = 1e-3;
        for k in 0..2 {
            for i in 0..5 {
                let p = [x[2 * i] as f64, x[2 * i + 1] as f64];
                let d = [v[10 * k + 2 * i] as f64, v[10 * k + 2 * i + 1] as f64];
                let plus = velocity(&net, [p[0] + h * d[0], p[1] + h * d[1]], 0.3);
                let minus = velocity(&net, [p[0] - h * d[0], p[1] - h * d[1]], 0.3);
                for c in 0..2 {
                    let fd = (plus[c] - minus[c]) / (2.0 * h);
                    let got = jv[10 * k + 2 * i + c] as f64;
                    assert!(
                        (got - fd).abs() < 2e-3 * (1.0 + fd.abs()),
                        "{activation:?}: {got} vs {fd}"
                    );
                }
                let u0 = velocity(&net, p, 0.3);
                assert!((u[2 * i] as f64 - u0[0]).abs() < 1e-5);
            }
        }
        // the exact divergence is the trace of the finite-difference Jacobian
        let div = divergence(&net, &x, 0.3, Divergence::Exact, 0).unwrap();
        for i in 0..5 {
            let p = [x[2 * i] as f64, x[2 * i + 1] as f64];
            let dxx = (velocity(&net, [p[0] + h, p[1]], 0.3)[0]
                - velocity(&net, [p[0] - h, p[1]], 0.3)[0])
                / (2.0 * h);
            let dyy = (velocity(&net, [p[0], p[1] + h], 0.3)[1]
                - velocity(&net, [p[0], p[1] - h], 0.3)[1])
                / (2.0 * h);
            assert!(
                (div[i] as f64 - (dxx + dyy)).abs() < 3e-3,
                "{} vs {}",
                div[i],
                dxx + dyy
            );
        }
    }
}

/// The straight-line flow from N(0, I) to N(m, L L^T): x_t = M_t x0 + t m with
/// M_t = (1 - t) I + t L, so u(x, t) = (L - I) M_t^-1 (x - t m) + m and div u = tr((L - I) M_t^-1).
fn gaussian_field(
    m: [f32; 2],
    l: [[f32; 2]; 2],
) -> impl FnMut(&[f32], f32, &mut [f32], &mut [f32]) {
    move |x: &[f32], t: f32, u: &mut [f32], div: &mut [f32]| {
        let a = [
            [1.0 - t + t * l[0][0], t * l[0][1]],
            [t * l[1][0], 1.0 - t + t * l[1][1]],
        ];
        let det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        let inv = [
            [a[1][1] / det, -a[0][1] / det],
            [-a[1][0] / det, a[0][0] / det],
        ];
        let b = [[l[0][0] - 1.0, l[0][1]], [l[1][0], l[1][1] - 1.0]];
        // c = (L - I) M_t^-1
        let c = [
            [
                b[0][0] * inv[0][0] + b[0][1] * inv[1][0],
                b[0][0] * inv[0][1] + b[0][1] * inv[1][1],
            ],
            [
                b[1][0] * inv[0][0] + b[1][1] * inv[1][0],
                b[1][0] * inv[0][1] + b[1][1] * inv[1][1],
            ],
        ];
        for ((p, o), d) in x
            .chunks_exact(2)
            .zip(u.chunks_exact_mut(2))
            .zip(div.iter_mut())
        {
            let (dx, dy) = (p[0] - t * m[0], p[1] - t * m[1]);
            o[0] = c[0][0] * dx + c[0][1] * dy + m[0];
            o[1] = c[1][0] * dx + c[1][1] * dy + m[1];
            *d = c[0][0] + c[1][1];
        }
    }
}

/// log N(x; m, L L^T) for lower-triangular L.
fn gaussian_log_density(x: &[f32], m: [f32; 2], l: [[f32; 2]; 2]) -> f64 {
    let (dx, dy) = ((x[0] - m[0]) as f64, (x[1] - m[1]) as f64);
    let z0 = dx / l[0][0] as f64;
    let z1 = (dy - l[1][0] as f64 * z0) / l[1][1] as f64;
    -(z0 * z0 + z1 * z1) / 2.0
        - (2.0 * std::f64::consts::PI).ln()
        - (l[0][0] as f64 * l[1][1] as f64).abs().ln()
}

#[test]
fn a_linear_flow_gives_the_closed_form_gaussian_log_density() {
    let (m, l) = ([0.5, -1.0], [[1.5, 0.0], [0.6, 0.4]]);
    let x = points(50, 9);
    let error = |solver: Solver, steps: usize| {
        let got = log_density_of(&mut gaussian_field(m, l), &x, solver, steps).unwrap();
        x.chunks_exact(2)
            .zip(&got)
            .map(|(p, g)| (*g as f64 - gaussian_log_density(p, m, l)).abs())
            .fold(0.0, f64::max)
    };
    let rk4 = error(Solver::Rk4, 40);
    assert!(rk4 < 1e-3, "RK4, 40 steps: max error {rk4}");
    // Euler converges at order 1: doubling the steps halves the error
    let (e1, e2, e4) = (
        error(Solver::Euler, 50),
        error(Solver::Euler, 100),
        error(Solver::Euler, 200),
    );
    for (a, b) in [(e1, e2), (e2, e4)] {
        let ratio = a / b;
        assert!((1.7..2.3).contains(&ratio), "Euler errors {e1}, {e2}, {e4}");
    }
}

#[test]
fn hutchinson_is_unbiased_and_its_spread_shrinks_like_one_over_root_k() {
    let net = net(5, Activation::Elu);
    let x = points(4, 3);
    let exact = divergence(&net, &x, 0.5, Divergence::Exact, 0).unwrap();
    for noise in [Probe::Rademacher, Probe::Gaussian] {
        let draws = |probes: usize, repeats: u64| -> Vec<Vec<f32>> {
            (0..repeats)
                .map(|seed| {
                    divergence(
                        &net,
                        &x,
                        0.5,
                        Divergence::Hutchinson { probes, noise },
                        seed,
                    )
                    .unwrap()
                })
                .collect()
        };
        let one = draws(1, 4000);
        let sixteen = draws(16, 500);
        for i in 0..4 {
            let stats = |d: &[Vec<f32>]| {
                let n = d.len() as f64;
                let mean = d.iter().map(|v| v[i] as f64).sum::<f64>() / n;
                let var = d.iter().map(|v| (v[i] as f64 - mean).powi(2)).sum::<f64>() / (n - 1.0);
                (mean, var.sqrt())
            };
            let (mean, sd) = stats(&one);
            let se = sd / (one.len() as f64).sqrt();
            assert!(
                (mean - exact[i] as f64).abs() < 3.0 * se + 1e-6,
                "{noise:?}: mean {mean} vs exact {} (se {se})",
                exact[i]
            );
            let (_, sd16) = stats(&sixteen);
            if sd > 1e-3 {
                let ratio = sd / sd16;
                assert!(
                    (3.0..5.3).contains(&ratio),
                    "{noise:?}: spread k=1 {sd}, k=16 {sd16}: ratio {ratio}, expected 4"
                );
            }
        }
    }
}

#[test]
fn the_trained_lab_model_has_a_density_that_integrates_to_one() {
    let mut p = crate::pipeline::Pipeline::new(crate::pipeline::Config {
        batch: 256,
        ..Default::default()
    })
    .unwrap();
    p.train(3000).unwrap();
    let (nx, ny) = (120, 120);
    let bounds = [-4.0, 5.0, -4.0, 4.5];
    let settings = Settings {
        solver: Solver::Rk4,
        steps: 20,
        divergence: Divergence::Exact,
        seed: 0,
    };
    let logp = log_density_grid(p.sampling_net(), bounds, nx, ny, &settings).unwrap();
    let cell =
        (bounds[1] - bounds[0]) / (nx - 1) as f32 * (bounds[3] - bounds[2]) / (ny - 1) as f32;
    let total: f64 = logp.iter().map(|l| (*l as f64).exp() * cell as f64).sum();
    assert!(
        (total - 1.0).abs() < 0.02,
        "exp(log p1) integrates to {total}"
    );
    // and the density is high on the moons: fresh data is likelier than noise
    let data = crate::pipeline::dataset_samples("moons", 500, None, 7)
        .unwrap()
        .0;
    let noise = points(500, 8);
    let mean = |v: Vec<f32>| v.iter().sum::<f32>() / v.len() as f32;
    let on_data = mean(log_density(p.sampling_net(), &data, &settings).unwrap());
    let on_noise = mean(log_density(p.sampling_net(), &noise, &settings).unwrap());
    assert!(
        on_data > on_noise + 1.0,
        "mean log p1: data {on_data}, noise {on_noise}"
    );
}

#[test]
fn forward_log_densities_agree_with_backward_ones() {
    let net = net(11, Activation::Tanh);
    let z = points(40, 4);
    let settings = Settings {
        solver: Solver::Rk4,
        steps: 40,
        divergence: Divergence::Exact,
        seed: 0,
    };
    let (x, forward) = sample_with_log_density(&net, &z, &settings).unwrap();
    let backward = log_density(&net, &x, &settings).unwrap();
    for (f, b) in forward.iter().zip(&backward) {
        assert!((f - b).abs() < 1e-3, "{f} vs {b}");
    }
}

#[test]
fn the_exact_marginal_velocity_lands_on_the_data_points() {
    let data = crate::pipeline::dataset_samples("moons", 8, None, 1)
        .unwrap()
        .0;
    let z = points(300, 2);
    let x = exact_samples(&data, &z, 200).unwrap();
    for p in x.chunks_exact(2) {
        let nearest = data
            .chunks_exact(2)
            .map(|y| ((p[0] - y[0]).powi(2) + (p[1] - y[1]).powi(2)).sqrt())
            .fold(f32::INFINITY, f32::min);
        assert!(
            nearest < 1e-2,
            "a sample ended {nearest} from the nearest data point"
        );
    }
    // at t = 0 it is the mean direction to the data, from far away it points at the data
    let mut u = [0.0; 2];
    MarginalVelocity::new(&data)
        .unwrap()
        .eval(&[0.0, 0.0], 0.0, &mut u);
    let mean = [
        data.chunks_exact(2).map(|y| y[0]).sum::<f32>() / 8.0,
        data.chunks_exact(2).map(|y| y[1]).sum::<f32>() / 8.0,
    ];
    assert!(
        (u[0] - mean[0]).abs() < 1e-4 && (u[1] - mean[1]).abs() < 1e-4,
        "{u:?} vs {mean:?}"
    );
}

#[test]
fn bad_settings_and_points_are_errors_that_name_them() {
    assert!(Divergence::from_name("trace", 1)
        .unwrap_err()
        .to_string()
        .contains("exact, hutchinson"));
    assert!(Divergence::from_name("hutchinson", 0)
        .unwrap_err()
        .to_string()
        .contains("probes"));
    let net = net(1, Activation::Elu);
    let settings = Settings {
        solver: Solver::Euler,
        steps: 5,
        divergence: Divergence::Exact,
        seed: 0,
    };
    assert!(log_density(&net, &[0.0, f32::NAN], &settings)
        .unwrap_err()
        .to_string()
        .contains("finite"));
    assert!(log_density(&net, &[0.0, 1.0, 2.0], &settings).is_err());
    assert!(MarginalVelocity::new(&[]).is_err());
}
