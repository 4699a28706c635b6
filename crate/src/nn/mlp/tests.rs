//! The fused paths against the layer-by-layer graph and finite differences.
use super::*;
use crate::autograd::Var;

fn lab_net(seed: u64) -> Mlp {
    Mlp::new(
        &[3, 64, 64, 64, 2],
        Activation::Elu,
        &mut crate::rng::seeded(seed),
    )
    .unwrap()
}

fn batch(rows: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
    let mut rng = crate::rng::seeded(seed);
    let mut x = vec![0.0; rows * 3];
    let mut y = vec![0.0; rows * 2];
    crate::rng::fill_normal(&mut rng, &mut x);
    crate::rng::fill_normal(&mut rng, &mut y);
    (x, y)
}

#[test]
fn the_fused_step_equals_the_autograd_graph() {
    for act in [
        Activation::Elu,
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Silu,
    ] {
        let net = Mlp::new(&[3, 64, 64, 64, 2], act, &mut crate::rng::seeded(1)).unwrap();
        let (x, y) = batch(37, 2);
        let mut s = MlpScratch::default();
        let fused = net.loss_and_grads(&x, &y, 37, &mut s).unwrap();
        let fused_grads: Vec<Tensor> = net.parameters().iter().map(|p| p.grad().unwrap()).collect();
        for p in net.parameters() {
            p.set_grad(None);
        }
        let xv = Var::constant(Tensor::from_vec(&[37, 3], x.clone()).unwrap());
        let yv = Var::constant(Tensor::from_vec(&[37, 2], y.clone()).unwrap());
        let loss = net.forward(&xv).unwrap().mse_loss(&yv).unwrap();
        loss.backward().unwrap();
        let graph = loss.value().item().unwrap();
        assert!(
            (fused - graph).abs() <= 1e-5 * graph.abs(),
            "{act:?}: {fused} vs {graph}"
        );
        for (p, f) in net.parameters().iter().zip(&fused_grads) {
            let g = p.grad().unwrap();
            for (a, b) in g.data().iter().zip(f.data()) {
                assert!(
                    (a - b).abs() <= 1e-5 + 1e-4 * a.abs(),
                    "{act:?}: {a} vs {b}"
                );
            }
        }
    }
}

#[test]
fn the_fused_node_equals_the_layer_by_layer_graph() {
    for act in [Activation::Elu, Activation::Tanh, Activation::Silu] {
        let net = Mlp::new(&[3, 16, 16, 2], act, &mut crate::rng::seeded(5)).unwrap();
        let (x, y) = batch(9, 6);
        let xv = Var::leaf(Tensor::from_vec(&[9, 3], x).unwrap(), true);
        let yv = Var::constant(Tensor::from_vec(&[9, 2], y).unwrap());
        // one pool for every fused run: the second run reuses the first one's buffers
        let pool = ScratchPool::default();
        let run = |fused: bool| {
            for p in net.parameters() {
                p.set_grad(None);
            }
            xv.set_grad(None);
            let out = if fused {
                net.forward_fused(&xv, &pool).unwrap()
            } else {
                net.forward(&xv).unwrap()
            };
            let loss = out.mse_loss(&yv).unwrap();
            loss.backward().unwrap();
            let mut grads: Vec<Tensor> =
                net.parameters().iter().map(|p| p.grad().unwrap()).collect();
            grads.push(xv.grad().unwrap());
            let value = out.value().clone();
            (value, grads)
        };
        let (first, _) = run(true);
        let (a, ga) = run(true);
        assert_eq!(
            first.data(),
            a.data(),
            "{act:?}: a reused scratch gives the same output"
        );
        let (b, gb) = run(false);
        for (p, q) in a.data().iter().zip(b.data()) {
            assert!((p - q).abs() <= 1e-5, "{act:?}: {p} vs {q}");
        }
        for (g, h) in ga.iter().zip(&gb) {
            assert_eq!(g.shape(), h.shape());
            for (p, q) in g.data().iter().zip(h.data()) {
                assert!(
                    (p - q).abs() <= 1e-5 + 1e-4 * q.abs(),
                    "{act:?}: {p} vs {q}"
                );
            }
        }
    }
}

#[test]
fn the_fused_node_passes_a_finite_difference_check() {
    let net = Mlp::new(&[3, 8, 2], Activation::Elu, &mut crate::rng::seeded(7)).unwrap();
    let (x, _) = batch(5, 8);
    let params = net.parameters();
    let mut inputs: Vec<Tensor> = params.iter().map(|p| p.value().clone()).collect();
    inputs.push(Tensor::from_vec(&[5, 3], x).unwrap());
    crate::autograd::gradcheck_for_tests(
        "fused mlp",
        &inputs,
        |v| {
            let layers = (0..2)
                .map(|l| Linear {
                    weight: v[2 * l].clone(),
                    bias: Some(v[2 * l + 1].clone()),
                    in_features: v[2 * l].shape()[1],
                    out_features: v[2 * l].shape()[0],
                })
                .collect();
            let net = Mlp {
                layers,
                activation: Activation::Elu,
            };
            Ok(net
                .forward_fused(&v[4], &ScratchPool::default())?
                .powf(2.0)
                .mean())
        },
        32,
    );
}

#[test]
fn the_lab_network_passes_a_finite_difference_check() {
    // the whole lab MLP and its loss, through the graph, on a small batch
    let net = lab_net(3);
    let (x, y) = batch(6, 4);
    let params = net.parameters();
    let inputs: Vec<Tensor> = params.iter().map(|p| p.value().clone()).collect();
    let xv = Tensor::from_vec(&[6, 3], x).unwrap();
    let yv = Tensor::from_vec(&[6, 2], y).unwrap();
    crate::autograd::gradcheck_for_tests(
        "lab mlp",
        &[inputs, vec![xv]].concat(),
        |v| {
            let mut h = v[8].clone();
            for l in 0..4 {
                h = h.linear(&v[2 * l], Some(&v[2 * l + 1]))?;
                if l < 3 {
                    h = h.elu(1.0);
                }
            }
            h.mse_loss(&Var::constant(yv.clone()))
        },
        64,
    );
}

#[test]
fn forward_batch_rejects_a_wrong_input_width() {
    let net = lab_net(0);
    let e = net
        .forward_batch(&[0.0; 10], 5, &mut MlpScratch::default())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape (5, 3) needs 15 values but 10 were given"
    );
}
