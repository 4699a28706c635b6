//! The `flowlab` module: planar, coupling and continuous flows composed and trained by maximum
//! likelihood from the lab language, on the core's layers (same parameters, same numbers),
//! reproducibly, with clear errors.

use crate::autograd::Var;
use crate::lang::interp::builtins::nn::parameters_of;
use crate::lang::interp::value::{Layer, Value};
use crate::lang::interp::Session;
use crate::lang::ErrorKind;
use crate::normalizing::cnf::Cnf;
use crate::normalizing::DensityModel;

/// Runs `src` in a fresh session seeded `seed`; the printed text (failing with the rendered
/// error).
fn run_in(s: &mut Session, src: &str) -> String {
    if let Err(e) = s.run(src) {
        panic!("{}\n--- source ---\n{src}", e.render(src));
    }
    s.take_text()
}

fn run(src: &str) -> String {
    run_in(&mut Session::new(0), src)
}

/// The numbers printed after `label` on the lines that start with it.
fn values(out: &str, label: &str) -> Vec<f64> {
    out.lines()
        .filter_map(|l| l.strip_prefix(label))
        .map(|v| {
            v.trim()
                .parse()
                .unwrap_or_else(|_| panic!("not a number: {v}"))
        })
        .collect()
}

const MOONS: &str = "import torch
from torch import nn
from torch.distributions import Normal
from sklearn.datasets import make_moons
import flowlab
from flowlab import PlanarFlow, AffineCoupling, CNF
torch.manual_seed(0)
x = torch.Tensor(make_moons(256, noise=0.05)[0])
base = Normal(0, 1)
";

#[test]
fn eight_planar_layers_learn_the_moons_by_maximum_likelihood() {
    let src = format!(
        "{MOONS}
layers = [PlanarFlow() for _ in range(8)]
params = [p for l in layers for p in l.parameters()]
print('params', len(params))
optimizer = torch.optim.Adam(params, lr=2e-2)

def nll():
    z = x
    log_det = torch.zeros(x.shape[0])
    for layer in layers:
        z, ld = layer(z)
        log_det = log_det + ld
    return -(base.log_prob(z).sum(1) + log_det).mean()

for step in range(150):
    loss = nll()
    if step == 0:
        print('first', loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('last', nll().item())
"
    );
    let out = run(&src);
    assert_eq!(values(&out, "params"), [24.0]);
    let (first, last) = (values(&out, "first")[0], values(&out, "last")[0]);
    assert!(first.is_finite() && last.is_finite(), "{out}");
    // about 3.9 to 1.7 nats
    assert!(last < first - 1.0, "the NLL did not clearly drop:\n{out}");
}

#[test]
fn four_coupling_layers_in_a_module_learn_the_moons() {
    let src = format!(
        "{MOONS}
class RealNVP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [AffineCoupling(keep=i % 2, hidden=32) for i in range(4)]

    def forward(self, x):
        log_det = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det

model = RealNVP()
# parameters collected by hand, too: += and extend work on lists of parameters
params = []
for layer in model.layers[:2]:
    params += list(layer.parameters())
for layer in model.layers[2:]:
    params.extend(layer.parameters())
print('params', len(params), len(list(model.parameters())))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
for step in range(150):
    z, log_det = model(x)
    loss = -(base.log_prob(z).sum(1) + log_det).mean()
    if step == 0:
        print('first', loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
z, log_det = model(x)
print('last', -(base.log_prob(z).sum(1) + log_det).mean().item())
"
    );
    let out = run(&src);
    // 3 linear layers (weight, bias) and the scale bound, per layer
    assert!(out.contains("params 28 28"), "{out}");
    let (first, last) = (values(&out, "first")[0], values(&out, "last")[0]);
    // about 2.8 to 1.4 nats
    assert!(last < first - 0.8, "the NLL did not clearly drop:\n{out}");
}

#[test]
fn a_cnf_on_the_attendees_network_trains_through_the_solver() {
    let src = format!(
        "{MOONS}
net = nn.Sequential(nn.Linear(3, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2))
cnf = CNF(net, steps=4, solver='rk4')
print(cnf)
print('same', len(list(cnf.parameters())), len(list(net.parameters())))
print([name for name, _ in cnf.named_parameters()][:2])
optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
for step in range(20):
    loss = -cnf.log_prob(x).mean()
    if step == 0:
        print('first', loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('last', -cnf.log_prob(x).mean().item())
lp = cnf.log_prob(x[:5])
print(lp.shape, lp.requires_grad)
with torch.no_grad():
    fast = cnf.log_prob(x[:5])
print('gap', (fast - lp).norm().item())
s = cnf.sample(7)
print(s.shape, s.requires_grad)
print(cnf.steps, cnf.solver, cnf.divergence, cnf.net is net)
h = CNF(net, steps=2, solver='heun', divergence='hutchinson', probes=2)
print(h.log_prob(x[:4]).shape)
"
    );
    let out = run(&src);
    assert!(
        out.contains(
            "CNF(\n  steps=4, solver='rk4', divergence='exact'\n  (net): Sequential(\n    (0): Linear(in_features=3, out_features=32, bias=True)\n"
        ),
        "{out}"
    );
    assert!(out.contains("same 6 6"), "{out}");
    assert!(out.contains("['net.0.weight', 'net.0.bias']"), "{out}");
    let (first, last) = (values(&out, "first")[0], values(&out, "last")[0]);
    // about 2.8 to 1.9 nats in 20 steps
    assert!(last < first - 0.4, "the NLL did not clearly drop:\n{out}");
    assert!(out.contains("torch.Size([5]) True"), "{out}");
    assert!(values(&out, "gap")[0] < 1e-4, "{out}");
    assert!(out.contains("torch.Size([7, 2]) False"), "{out}");
    assert!(out.contains("4 rk4 exact True"), "{out}");
    assert!(out.contains("torch.Size([4])\n"), "{out}");
}

#[test]
fn inverses_undo_the_layers_and_layers_print_like_pytorch() {
    let src = "import torch
from flowlab import PlanarFlow, AffineCoupling
torch.manual_seed(1)
x = 2 * torch.randn(64, 2)
for layer in [PlanarFlow(), AffineCoupling(), AffineCoupling(keep=1, hidden=16)]:
    z, log_det = layer(x)
    back = layer.inverse(z)
    print(layer, log_det.shape, back.requires_grad, (back - x).norm().item() < 1e-3)
p = PlanarFlow()
print([name for name, _ in p.named_parameters()], p.u.shape, p.w.shape, p.b.shape)
c = AffineCoupling(keep=1, hidden=8)
print(c.keep, c.hidden, [name for name, _ in c.named_parameters()])
print(repr(p))
";
    let out = run(src);
    assert_eq!(
        out,
        "PlanarFlow() torch.Size([64]) False True
AffineCoupling(keep=0, hidden=64) torch.Size([64]) False True
AffineCoupling(keep=1, hidden=16) torch.Size([64]) False True
['u', 'w', 'b'] torch.Size([2]) torch.Size([2]) torch.Size([1])
1 8 ['net.0.weight', 'net.0.bias', 'net.2.weight', 'net.2.bias', 'net.4.weight', 'net.4.bias', 'log_scale_bound']
PlanarFlow()
"
    );
}

/// A global of the session's namespace.
fn global(s: &mut Session, name: &str) -> Value {
    s.vm()
        .globals
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("no global {name}"))
}

fn var(v: &Value) -> Var {
    match v {
        Value::Tensor(t) => t.var.clone(),
        other => panic!("not a tensor: {}", other.type_name()),
    }
}

#[test]
fn the_modules_are_the_cores_layers_with_the_same_parameters() {
    let mut s = Session::new(0);
    run_in(
        &mut s,
        "import torch
from torch import nn
from flowlab import PlanarFlow, AffineCoupling, CNF
torch.manual_seed(2)
x = torch.randn(40, 2)
planar = PlanarFlow()
z1, ld1 = planar(x)
coupling = AffineCoupling(keep=1, hidden=8)
z2, ld2 = coupling(x)
net = nn.Sequential(nn.Linear(3, 16), nn.ELU(), nn.Linear(16, 2))
cnf = CNF(net, steps=3, solver='midpoint')
lp = cnf.log_prob(x)
",
    );
    let x = var(&global(&mut s, "x"));
    for (name, ld) in [("planar", "ld1"), ("coupling", "ld2")] {
        let layer = global(&mut s, name);
        let Value::Layer(l) = &layer else {
            panic!("{name} is not a layer")
        };
        let core: &dyn crate::normalizing::Layer = match &**l {
            Layer::Planar(p) => p,
            Layer::Coupling(c) => c,
            _ => panic!("{name} is not a flow layer"),
        };
        // the language's parameters are the core layer's, by identity
        let ours = parameters_of(&layer);
        let theirs = core.parameters();
        assert_eq!(ours.len(), theirs.len());
        assert!(ours.iter().zip(&theirs).all(|(a, b)| a.same(b)), "{name}");
        let (_, expected) = core.forward(&x).unwrap();
        assert_eq!(
            var(&global(&mut s, ld)).value().data(),
            expected.value().data()
        );
    }
    // the CNF's parameters are the Sequential's, and its log_prob the core's on that network
    let cnf = global(&mut s, "cnf");
    let net = global(&mut s, "net");
    let Value::Layer(l) = &cnf else {
        panic!("cnf is not a layer")
    };
    let Layer::Cnf(m) = &**l else {
        panic!("cnf is not a CNF")
    };
    let (ours, nets, cores) = (parameters_of(&cnf), parameters_of(&net), m.cnf.parameters());
    assert_eq!(ours.len(), 4);
    assert!(ours.iter().zip(&nets).all(|(a, b)| a.same(b)));
    assert!(ours.iter().zip(&cores).all(|(a, b)| a.same(b)));
    let fresh = Cnf::from_net(m.cnf.net.clone(), *m.cnf.settings()).unwrap();
    let expected = fresh.log_prob(&x).unwrap();
    assert_eq!(
        var(&global(&mut s, "lp")).value().data(),
        expected.value().data()
    );
}

#[test]
fn the_same_seed_gives_the_same_flows_and_samples() {
    let src = "import torch
from torch import nn
from flowlab import PlanarFlow, AffineCoupling, CNF
torch.manual_seed(SEED)
p = PlanarFlow()
c = AffineCoupling(hidden=4)
net = nn.Sequential(nn.Linear(3, 8), nn.SiLU(), nn.Linear(8, 2))
cnf = CNF(net, steps=2, divergence='hutchinson')
x = torch.randn(3, 2)
print(p.u, p.w)
print(c(x)[1])
print(cnf.log_prob(x), cnf.sample(3))
";
    let a = run_in(&mut Session::new(0), &src.replace("SEED", "7"));
    let b = run_in(&mut Session::new(12345), &src.replace("SEED", "7"));
    let c = run_in(&mut Session::new(0), &src.replace("SEED", "8"));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn empty_batches_give_empty_results_and_matmul_does_not_panic() {
    let out = run("import torch
from torch import nn
from flowlab import PlanarFlow, AffineCoupling, CNF
e = torch.zeros(0, 2)
for layer in [PlanarFlow(), AffineCoupling()]:
    z, ld = layer(e)
    print(z.shape, ld.shape, layer.inverse(e).shape)
cnf = CNF(nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)))
print(cnf.log_prob(e).shape, cnf.sample(0).shape)
w = torch.randn(2, requires_grad=True)
y = e @ w
print(y.shape, (e @ torch.randn(2, 3)).shape)
y.sum().backward()
print(w.grad)
");
    assert_eq!(
        out,
        "torch.Size([0, 2]) torch.Size([0]) torch.Size([0, 2])
torch.Size([0, 2]) torch.Size([0]) torch.Size([0, 2])
torch.Size([0]) torch.Size([0, 2])
torch.Size([0]) torch.Size([0, 3])
tensor([0., 0.])
"
    );
}

/// Runs `case` after the imports; the error's kind, line within `case` and message.
fn fail(case: &str) -> (ErrorKind, u32, String) {
    const PRELUDE: &str = "import torch
from torch import nn
from flowlab import PlanarFlow, AffineCoupling, CNF
x = torch.randn(8, 2)
";
    let src = format!("{PRELUDE}{case}");
    let mut s = Session::new(0);
    let e = match s.run(&src) {
        Ok(()) => panic!(
            "expected an error from:\n{case}\nprinted:\n{}",
            s.take_text()
        ),
        Err(e) => e,
    };
    let line = e.line() - PRELUDE.lines().count() as u32;
    (e.kind, line, e.message)
}

#[track_caller]
fn assert_fails(case: &str, kind: ErrorKind, line: u32, parts: &[&str]) {
    let (k, l, msg) = fail(case);
    assert_eq!((k, l), (kind, line), "{msg}");
    for p in parts {
        assert!(msg.contains(p), "{p:?} missing from: {msg}");
    }
}

#[test]
fn bad_inputs_are_refused_with_clear_errors_on_their_line() {
    use ErrorKind::*;
    let relu = "nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))";
    let tanh = "nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))";
    let cases: Vec<(String, ErrorKind, &[&str])> = vec![
        (
            "PlanarFlow()(torch.zeros(3, 3))".into(),
            Shape,
            &["(n, 2)", "(3, 3)"],
        ),
        (
            "PlanarFlow()(torch.zeros(2))".into(),
            Shape,
            &["x.view(1, 2)"],
        ),
        ("AffineCoupling()(x, x)".into(), Type, &["one input tensor"]),
        (
            "PlanarFlow()(PlanarFlow()(x))".into(),
            Type,
            &["unpack it first"],
        ),
        ("PlanarFlow().inverse([1, 2])".into(), Type, &["not 'list'"]),
        (
            "PlanarFlow().inverse(torch.zeros(4, 3))".into(),
            Shape,
            &["PlanarFlow.inverse", "(4, 3)"],
        ),
        (
            "PlanarFlow(3)".into(),
            Type,
            &["PlanarFlow() takes 0 positional"],
        ),
        ("AffineCoupling(keep=2)".into(), Value, &["0 or 1, not 2"]),
        ("AffineCoupling(keep=-1)".into(), Value, &["0 or 1, not -1"]),
        (
            "AffineCoupling(keep='x')".into(),
            Type,
            &["keep must be the int 0 or 1"],
        ),
        (
            "AffineCoupling(hidden=0)".into(),
            Value,
            &["1 to 1024, not 0"],
        ),
        ("AffineCoupling(hidden=10**9)".into(), Value, &["1 to 1024"]),
        (
            "AffineCoupling(hiden=8)".into(),
            Type,
            &["did you mean 'hidden'?"],
        ),
        (
            "AffineCoupling(hidden=1024)(torch.zeros(2**17, 2))".into(),
            Limit,
            &["AffineCoupling: 131072 points", "(131072, 1024)"],
        ),
        ("CNF(3)".into(), Type, &["nn.Sequential", "not 'int'"]),
        (format!("CNF({relu})"), Value, &["nn.ReLU", "nn.Tanh()"]),
        (
            "CNF(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2)))".into(),
            Shape,
            &["3 inputs", "takes 2", "nn.Linear(3, ...)"],
        ),
        (
            "CNF(nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(4, 2)))".into(),
            Shape,
            &["do not chain"],
        ),
        (
            "CNF(nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2), nn.Tanh()))".into(),
            Type,
            &["[Linear, Tanh, Linear, Tanh]"],
        ),
        (
            "class V(nn.Module):\n    pass\nCNF(V())".into(),
            Type,
            &["not your class 'V'"],
        ),
        (
            format!("CNF({tanh}, steps=0)"),
            Value,
            &["1 to 1000, not 0"],
        ),
        (
            format!("CNF({tanh}, steps=10**9)"),
            Value,
            &["not 1000000000"],
        ),
        (
            format!("CNF({tanh}, solver='rk5')"),
            Value,
            &["'rk5'", "'rk4'"],
        ),
        (
            format!("CNF({tanh}, divergence='trace')"),
            Value,
            &["'trace'", "'exact'"],
        ),
        (
            format!("CNF({tanh}, divergence='hutchinson', probes=0)"),
            Value,
            &["probes"],
        ),
        (format!("CNF({tanh})(x)"), Type, &["cnf.log_prob(x)"]),
        (
            format!("CNF({tanh}).log_prob(torch.zeros(4))"),
            Shape,
            &["CNF.log_prob", "(4,)"],
        ),
        (format!("CNF({tanh}).sample(10**9)"), Limit, &[]),
        (
            format!("CNF({tanh}, steps=1000).sample(10**6)"),
            Limit,
            &["too much work", "fewer steps"],
        ),
        (format!("CNF({tanh}).sample(-1)"), Value, &[">= 0"]),
        (format!("CNF({tanh}).sample((3, 2))"), Type, &["an int"]),
        (
            format!("CNF({tanh}).log_prob(torch.zeros(2**20, 2))"),
            Limit,
            &["torch.no_grad()"],
        ),
        (
            format!("CNF({tanh}).sampel(3)"),
            Attribute,
            &["did you mean 'sample'?"],
        ),
        ("PlanarFlow().v".into(), Attribute, &["'PlanarFlow' object"]),
    ];
    for (case, kind, parts) in cases {
        let line = case.lines().count() as u32;
        let case = format!("y = 1\n{case}\n");
        let (k, l, msg) = fail(&case);
        assert_eq!((k, l), (kind, line + 1), "{case}: {msg}");
        for p in parts {
            assert!(msg.contains(p), "{case}: {p:?} missing from: {msg}");
        }
    }
    assert_fails(
        "from flowlab import PlanarFlw\n",
        Attribute,
        1,
        &["module 'flowlab'", "did you mean 'PlanarFlow'?"],
    );
    assert_fails("import flowlib\n", Import, 1, &["flowlab"]);
}
