//! Parity with real PyTorch: fixtures written by `tests/golden/make_golden.py` (PyTorch 2.15,
//! float32, one thread). Tolerance: 1e-5 relative with an absolute floor for values near zero.

use flowlab::autograd::Var;
use flowlab::nn::{Activation, Linear, Mlp, MlpScratch, Module};
use flowlab::optim::{Adam, Optimizer, Sgd};
use flowlab::tensor::Tensor;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/../tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn tensor(v: &Value) -> Tensor {
    let shape: Vec<usize> = v["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    let data: Vec<f32> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect();
    Tensor::from_vec(&shape, data).unwrap()
}

fn assert_close(what: &str, got: &Tensor, want: &Tensor, rel: f32, abs: f32) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    for (i, (g, w)) in got.data().iter().zip(want.data()).enumerate() {
        assert!(
            (g - w).abs() <= abs + rel * w.abs(),
            "{what}[{i}]: got {g}, PyTorch {w} (diff {})",
            (g - w).abs()
        );
    }
}

fn run_op(op: &str, args: &Value, v: &[Var]) -> Var {
    let int = |k: &str| args[k].as_i64().unwrap() as isize;
    let shape = |k: &str| -> Vec<isize> {
        args[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_i64().unwrap() as isize)
            .collect()
    };
    match op {
        "add" => v[0].add(&v[1]).unwrap(),
        "sub" => v[0].sub(&v[1]).unwrap(),
        "mul" => v[0].mul(&v[1]).unwrap(),
        "div" => v[0].div(&v[1]).unwrap(),
        "neg" => v[0].neg(),
        "pow" => v[0].powf(args["exponent"].as_f64().unwrap() as f32),
        "exp" => v[0].exp(),
        "log" => v[0].log(),
        "sqrt" => v[0].sqrt(),
        "tanh" => v[0].tanh(),
        "sigmoid" => v[0].sigmoid(),
        "relu" => v[0].relu(),
        "elu" => v[0].elu(args["alpha"].as_f64().unwrap() as f32),
        "silu" => v[0].silu(),
        "softplus" => v[0].softplus(),
        "sin" => v[0].sin(),
        "cos" => v[0].cos(),
        "matmul" => v[0].matmul(&v[1]).unwrap(),
        "sum" => v[0].sum(),
        "mean" => v[0].mean(),
        "sum_dim" => v[0]
            .sum_dim(int("dim"), args["keepdim"].as_bool().unwrap())
            .unwrap(),
        "mean_dim" => v[0]
            .mean_dim(int("dim"), args["keepdim"].as_bool().unwrap())
            .unwrap(),
        "cat" => Var::cat(v, int("dim")).unwrap(),
        "reshape" => v[0].reshape(&shape("shape")).unwrap(),
        "transpose" => v[0].transpose(int("dim0"), int("dim1")).unwrap(),
        "expand" => {
            let s: Vec<usize> = shape("shape").iter().map(|&d| d as usize).collect();
            v[0].expand(&s).unwrap()
        }
        "slice_rows" => v[0]
            .slice(0, int("start") as usize, int("stop") as usize, 1)
            .unwrap(),
        "mse_loss" => v[0].mse_loss(&v[1]).unwrap(),
        "linear" => v[0].linear(&v[1], Some(&v[2])).unwrap(),
        other => panic!("fixture names an op the test does not know: {other}"),
    }
}

#[test]
fn every_op_matches_pytorch_forward_and_backward() {
    let f = fixture("ops.json");
    let cases = f["cases"].as_array().unwrap();
    assert!(cases.len() >= 60, "fixture has {} cases", cases.len());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let inputs: Vec<Var> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| Var::leaf(tensor(t), true))
            .collect();
        let out = run_op(case["op"].as_str().unwrap(), &case["args"], &inputs);
        assert_close(
            &format!("{name} forward"),
            &out.value(),
            &tensor(&case["output"]),
            1e-5,
            1e-6,
        );
        let w = Var::constant(tensor(&case["grad_weight"]));
        out.mul(&w).unwrap().sum().backward().unwrap();
        for (i, (x, g)) in inputs
            .iter()
            .zip(case["grads"].as_array().unwrap())
            .enumerate()
        {
            let got = x
                .grad()
                .unwrap_or_else(|| Tensor::zeros(&x.shape()).unwrap());
            assert_close(&format!("{name} grad {i}"), &got, &tensor(g), 1e-5, 1e-6);
        }
    }
}

/// The lab's network with PyTorch's initial weights.
fn lab_net(f: &Value) -> Mlp {
    let p: Vec<Tensor> = f["params_init"]
        .as_array()
        .unwrap()
        .iter()
        .map(tensor)
        .collect();
    let layers = p
        .chunks(2)
        .map(|wb| Linear::from_tensors(wb[0].clone(), Some(wb[1].clone())).unwrap())
        .collect();
    Mlp {
        layers,
        activation: Activation::Elu,
    }
}

#[test]
fn the_lab_network_matches_pytorch_output_loss_and_gradients() {
    let f = fixture("lab_mlp.json");
    let net = lab_net(&f);
    let step = &f["steps"][0];
    let input = tensor(&step["input"]);
    let x0 = tensor(&step["x0"]);
    let x1 = tensor(&step["x1"]);
    let target = x1.sub(&x0).unwrap();
    // through the autograd graph
    let out = net.forward(&Var::constant(input.clone())).unwrap();
    assert_close("output", &out.value(), &tensor(&step["output"]), 1e-5, 1e-6);
    let loss = out.mse_loss(&Var::constant(target.clone())).unwrap();
    let want_loss = step["loss"].as_f64().unwrap() as f32;
    assert!((loss.value().item().unwrap() - want_loss).abs() <= 1e-6 * want_loss);
    loss.backward().unwrap();
    for (i, (p, g)) in net
        .parameters()
        .iter()
        .zip(step["grads"].as_array().unwrap())
        .enumerate()
    {
        assert_close(
            &format!("graph grad {i}"),
            &p.grad().unwrap(),
            &tensor(g),
            1e-4,
            1e-6,
        );
    }
    // through the fused path
    let fused = net
        .loss_and_grads(input.data(), target.data(), 256, &mut MlpScratch::default())
        .unwrap();
    assert!((fused - want_loss).abs() <= 1e-6 * want_loss);
    for (i, (p, g)) in net
        .parameters()
        .iter()
        .zip(step["grads"].as_array().unwrap())
        .enumerate()
    {
        assert_close(
            &format!("fused grad {i}"),
            &p.grad().unwrap(),
            &tensor(g),
            1e-4,
            1e-6,
        );
    }
}

/// One optimizer step on (input, x1 - x0) of `batch`, compared with PyTorch's loss and the
/// parameters after the step (`expected`: an object with "loss" and "params_after").
fn step_matches(
    what: &str,
    net: &Mlp,
    opt: &mut dyn Optimizer,
    batch: &Value,
    expected: &Value,
    scratch: &mut MlpScratch,
) {
    let input = tensor(&batch["input"]);
    let target = tensor(&batch["x1"]).sub(&tensor(&batch["x0"])).unwrap();
    let loss = net
        .loss_and_grads(input.data(), target.data(), 256, scratch)
        .unwrap();
    let want = expected["loss"].as_f64().unwrap() as f32;
    assert!(
        (loss - want).abs() <= 1e-5 * want,
        "{what}: loss {loss} vs {want}"
    );
    opt.step().unwrap();
    let after = expected["params_after"].as_array().unwrap();
    for (i, (p, w)) in net.parameters().iter().zip(after).enumerate() {
        assert_close(
            &format!("{what} param {i}"),
            &p.value(),
            &tensor(w),
            1e-5,
            1e-6,
        );
    }
}

#[test]
fn five_adam_steps_match_pytorch() {
    let f = fixture("lab_mlp.json");
    let net = lab_net(&f);
    let mut opt = Adam::new(net.parameters(), 0.01).unwrap();
    let mut scratch = MlpScratch::default();
    for (k, step) in f["steps"].as_array().unwrap().iter().enumerate() {
        step_matches(
            &format!("adam step {k}"),
            &net,
            &mut opt,
            step,
            step,
            &mut scratch,
        );
    }
}

#[test]
fn three_sgd_momentum_steps_match_pytorch() {
    let f = fixture("lab_mlp.json");
    let net = lab_net(&f);
    let mut opt = Sgd::new(net.parameters(), 0.05, 0.9).unwrap();
    let mut scratch = MlpScratch::default();
    // every SGD step reuses the batch of Adam's step 0
    for (k, expected) in f["sgd"]["steps"].as_array().unwrap().iter().enumerate() {
        step_matches(
            &format!("sgd step {k}"),
            &net,
            &mut opt,
            &f["steps"][0],
            expected,
            &mut scratch,
        );
    }
}

#[test]
fn linear_initialisation_has_pytorchs_bound_and_spread() {
    let f = fixture("activations_init.json");
    for layer in f["layers"].as_array().unwrap() {
        let (fan_in, fan_out) = (
            layer["in_features"].as_u64().unwrap() as usize,
            layer["out_features"].as_u64().unwrap() as usize,
        );
        let bound = layer["bound"].as_f64().unwrap() as f32;
        let mut rng = flowlab::rng::seeded(5);
        let mut w = Vec::new();
        for _ in 0..200 {
            let l = Linear::new(fan_in, fan_out, true, &mut rng).unwrap();
            w.extend_from_slice(l.weight.value().data());
            assert!(l
                .bias
                .unwrap()
                .value()
                .data()
                .iter()
                .all(|b| b.abs() <= bound));
        }
        let max = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(max <= bound && max > 0.99 * bound);
        let n = w.len() as f64;
        let mean = w.iter().map(|&v| v as f64).sum::<f64>() / n;
        let std = (w.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
        let torch_std = layer["weight"]["std"].as_f64().unwrap();
        assert!(
            (std - torch_std).abs() < 0.01 * torch_std,
            "std {std} vs PyTorch {torch_std}"
        );
    }
}
