#!/usr/bin/env python3
"""Generate golden test fixtures for flowlab with REAL PyTorch (and scikit-learn).

flowlab re-implements a small PyTorch subset in Rust.  This script records what
PyTorch itself computes so the Rust tests can compare against it.  It is only
needed to REGENERATE the fixtures; the committed JSON files are what tests read.

Writes (next to this script):
    ops.json              forward + backward of each elementary op
    lab_mlp.json          the lab's velocity MLP: init params, 5 Adam steps, 3 SGD steps
    moons.json            sklearn make_moons(noise=0, shuffle=False) for n=7 and n=8
    activations_init.json stats of torch's default nn.Linear init

Setting up torch on a CPU-only machine (no CUDA, only PyPI reachable)
--------------------------------------------------------------------
The PyPI Linux torch wheel depends on ~3 GB of nvidia-* packages.  Instead:

    python3 -m venv /opt/torchvenv
    /opt/torchvenv/bin/pip install --no-deps torch
    /opt/torchvenv/bin/pip install numpy typing_extensions sympy networkx jinja2 \
        filelock fsspec mpmath markupsafe scikit-learn
    /opt/torchvenv/bin/python /work/shared/tools/torch-cpu-stubs.py

(torch-cpu-stubs.py builds tiny stand-in CUDA .so files so `import torch`
works; all CPU code paths are the real wheel's.  It needs gcc and readelf.)

Running
-------
From the repository root:

    /opt/torchvenv/bin/python tests/golden/make_golden.py

Everything runs single-threaded, float32, with torch.manual_seed(0) at the start
of each section, so a rerun with the same torch version reproduces the files.

Format
------
Every tensor is {"shape": [...], "data": [flat row-major numbers]}; a 0-d tensor
has "shape": [].  Scalars are plain numbers.

float32 tensors are written with the SHORTEST decimal that round-trips to the
same float32 (e.g. 0.12345679 rather than 0.12345679104328156).  Parsing a value
as f32 gives back the exact float32 PyTorch produced, bit for bit; this is
checked for every value when writing (any value that would not round-trip
through f64 -> f32 is written with the full float64 repr instead).  This keeps
lab_mlp.json under 2 MB.  float64 data (moons.json) is written with the full
float64 repr.
"""
import copy
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------- encoding ---

def _f32_values(t):
    """Flat list of Python floats, each the shortest decimal that round-trips to the float32."""
    a = t.detach().to(torch.float32).contiguous().cpu().numpy().ravel()
    if not np.all(np.isfinite(a)):
        raise ValueError("non-finite value in fixture tensor")
    out = [float(str(v)) for v in a]  # str(np.float32) is the shortest round-trip repr
    back = np.array(out, dtype=np.float64).astype(np.float32)
    bad = np.nonzero(back.view(np.uint32) != a.view(np.uint32))[0]
    for i in bad:  # should not happen; fall back to the exact value as a double
        out[i] = float(a[i])
    return out


def T(t):
    """float32 torch tensor -> {"shape", "data"}."""
    return {"shape": list(t.shape), "data": _f32_values(t)}


def T64(a):
    """float64 numpy array -> {"shape", "data"} with full float64 repr."""
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()]}


def write(name, obj):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    size = os.path.getsize(path)
    # validate
    with open(path) as f:
        json.load(f)
    print(f"wrote {path} ({size} bytes)")
    if size >= 2 * 1024 * 1024:
        print(f"WARNING: {name} is >= 2 MB", file=sys.stderr)
    return size


def meta():
    return {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "dtype": "float32",
        "num_threads": torch.get_num_threads(),
        "seed": 0,
        "generator": "tests/golden/make_golden.py",
    }


# --------------------------------------------------------------------- ops ---

def randn(*shape):
    return torch.randn(*shape)


def pos(*shape):
    """positive inputs for log/sqrt/pow."""
    return torch.randn(*shape).abs() + 0.5


def nonzero(*shape):
    """denominators for div: |x| >= 0.5 with random sign."""
    x = torch.randn(*shape)
    return torch.where(x < 0, x - 0.5, x + 0.5)


def apply_op(op, xs, args):
    if op == "add":
        return xs[0] + xs[1]
    if op == "sub":
        return xs[0] - xs[1]
    if op == "mul":
        return xs[0] * xs[1]
    if op == "div":
        return xs[0] / xs[1]
    if op == "neg":
        return -xs[0]
    if op == "pow":
        return torch.pow(xs[0], args["exponent"])
    if op == "exp":
        return torch.exp(xs[0])
    if op == "log":
        return torch.log(xs[0])
    if op == "sqrt":
        return torch.sqrt(xs[0])
    if op == "tanh":
        return torch.tanh(xs[0])
    if op == "sigmoid":
        return torch.sigmoid(xs[0])
    if op == "relu":
        return F.relu(xs[0])
    if op == "elu":
        return F.elu(xs[0], alpha=args.get("alpha", 1.0))
    if op == "silu":
        return F.silu(xs[0])
    if op == "softplus":
        return F.softplus(xs[0], beta=args.get("beta", 1.0), threshold=args.get("threshold", 20.0))
    if op == "sin":
        return torch.sin(xs[0])
    if op == "cos":
        return torch.cos(xs[0])
    if op == "matmul":
        return xs[0] @ xs[1]
    if op in ("sum", "mean"):
        return xs[0].sum() if op == "sum" else xs[0].mean()
    if op == "sum_dim":
        return xs[0].sum(dim=args["dim"], keepdim=args["keepdim"])
    if op == "mean_dim":
        return xs[0].mean(dim=args["dim"], keepdim=args["keepdim"])
    if op == "cat":
        return torch.cat(xs, dim=args["dim"])
    if op == "reshape":
        return xs[0].reshape(args["shape"])
    if op == "transpose":
        return xs[0].transpose(args["dim0"], args["dim1"])
    if op == "expand":
        return xs[0].expand(*args["shape"])
    if op == "slice_rows":
        return xs[0][args["start"]:args["stop"]]
    if op == "mse_loss":
        return F.mse_loss(xs[0], xs[1], reduction=args.get("reduction", "mean"))
    if op == "linear":
        return F.linear(xs[0], xs[1], xs[2] if len(xs) > 2 else None)
    raise ValueError(op)


def make_case(name, op, inputs, args=None):
    args = {} if args is None else args
    xs = [x.detach().clone().requires_grad_(True) for x in inputs]
    out = apply_op(op, xs, args)
    gw = torch.randn(out.shape)
    grads = torch.autograd.grad((out * gw).sum(), xs, allow_unused=False)
    return {
        "name": name,
        "op": op,
        "inputs": [T(x) for x in xs],
        "args": args,
        "output": T(out),
        "grad_weight": T(gw),
        "grads": [T(g) for g in grads],
    }


def shape_tag(*shapes):
    return "_".join("x".join(str(d) for d in s) if s else "scalar" for s in shapes)


def build_ops():
    torch.manual_seed(0)
    cases = []

    # binary elementwise with broadcasting
    pairs = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1))]
    for op in ("add", "sub", "mul", "div"):
        for sa, sb in pairs:
            a = randn(*sa)
            b = nonzero(*sb) if op == "div" else randn(*sb)
            cases.append(make_case(f"{op}_{shape_tag(sa, sb)}", op, [a, b]))

    cases.append(make_case("neg_3x4", "neg", [randn(3, 4)]))

    cases.append(make_case("pow_2.5_pos_3x4", "pow", [pos(3, 4)], {"exponent": 2.5}))
    cases.append(make_case("pow_2_pos_3x4", "pow", [pos(3, 4)], {"exponent": 2}))
    cases.append(make_case("pow_2_signed_3x4", "pow", [randn(3, 4)], {"exponent": 2}))

    # unary elementwise
    for op in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "elu", "silu",
               "softplus", "sin", "cos"):
        x = pos(3, 4) if op in ("log", "sqrt") else randn(3, 4)
        args = {}
        if op == "elu":
            args = {"alpha": 1.0}
        elif op == "softplus":
            args = {"beta": 1.0, "threshold": 20.0}
        cases.append(make_case(f"{op}_3x4", op, [x], args))

    # saturation regions: linspace(-25, 25, 41) (step 1.25, includes 0 and exactly 20)
    lin = torch.linspace(-25.0, 25.0, 41)
    for op in ("elu", "silu", "softplus", "tanh", "sigmoid", "relu"):
        args = {}
        if op == "elu":
            args = {"alpha": 1.0}
        elif op == "softplus":
            args = {"beta": 1.0, "threshold": 20.0}
        cases.append(make_case(f"{op}_linspace41", op, [lin], args))

    # matmul
    cases.append(make_case("matmul_3x4_4x5", "matmul", [randn(3, 4), randn(4, 5)]))
    cases.append(make_case("matmul_2x3x4_4x5", "matmul", [randn(2, 3, 4), randn(4, 5)]))

    # reductions
    cases.append(make_case("sum_3x4", "sum", [randn(3, 4)]))
    cases.append(make_case("sum_2x3x4", "sum", [randn(2, 3, 4)]))
    for op in ("sum_dim", "mean_dim"):
        cases.append(make_case(f"{op}_3x4_d1", op, [randn(3, 4)], {"dim": 1, "keepdim": False}))
        cases.append(make_case(f"{op}_3x4_d0_keep", op, [randn(3, 4)], {"dim": 0, "keepdim": True}))
        cases.append(make_case(f"{op}_2x3x4_d1", op, [randn(2, 3, 4)], {"dim": 1, "keepdim": False}))
    cases.append(make_case("mean_3x4", "mean", [randn(3, 4)]))
    cases.append(make_case("mean_2x3x4", "mean", [randn(2, 3, 4)]))

    # shape ops
    cases.append(make_case("cat_d0_2x3_4x3", "cat", [randn(2, 3), randn(4, 3)], {"dim": 0}))
    cases.append(make_case("cat_d1_3x2_3x4", "cat", [randn(3, 2), randn(3, 4)], {"dim": 1}))
    cases.append(make_case("reshape_3x4_to_2x6", "reshape", [randn(3, 4)], {"shape": [2, 6]}))
    cases.append(make_case("reshape_3x4_to_12", "reshape", [randn(3, 4)], {"shape": [12]}))
    cases.append(make_case("reshape_2x3x4_to_6x4", "reshape", [randn(2, 3, 4)], {"shape": [6, 4]}))
    cases.append(make_case("transpose_3x4", "transpose", [randn(3, 4)], {"dim0": 0, "dim1": 1}))
    cases.append(make_case("expand_3x1_to_3x4", "expand", [randn(3, 1)], {"shape": [3, 4]}))
    cases.append(make_case("expand_1x4_to_3x4", "expand", [randn(1, 4)], {"shape": [3, 4]}))
    cases.append(make_case("slice_rows_4x3_1_3", "slice_rows", [randn(4, 3)], {"start": 1, "stop": 3}))

    # losses / layers
    cases.append(make_case("mse_loss_3x4", "mse_loss", [randn(3, 4), randn(3, 4)], {"reduction": "mean"}))
    cases.append(make_case("linear_5x3_w4x3_b4", "linear", [randn(5, 3), randn(4, 3), randn(4)]))

    obj = meta()
    obj["description"] = ("Each case: output = op(*inputs, **args); grads[i] = d/d inputs[i] of "
                          "(output * grad_weight).sum().")
    obj["cases"] = cases
    return obj


# ----------------------------------------------------------------- lab MLP ---

def make_net():
    return nn.Sequential(
        nn.Linear(3, 64), nn.ELU(),
        nn.Linear(64, 64), nn.ELU(),
        nn.Linear(64, 64), nn.ELU(),
        nn.Linear(64, 2),
    )


def params_list(net):
    return [T(p) for p in net.parameters()]


def build_lab_mlp():
    torch.manual_seed(0)
    net = make_net()
    params_init = params_list(net)
    net_sgd = copy.deepcopy(net)  # same initial params for the SGD section

    loss_fn = nn.MSELoss()
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)

    steps = []
    batch0 = None
    for k in range(5):
        x1 = torch.randn(256, 2) * 0.5 + 0.3
        x0 = torch.randn(256, 2)
        t = torch.rand(256, 1)
        x_t = (1 - t) * x0 + t * x1
        target = x1 - x0
        inp = torch.cat([t, x_t], dim=-1)
        if k == 0:
            batch0 = (x0, x1, t, inp, target)
        out = net(inp)
        loss = loss_fn(out, target)
        opt.zero_grad()
        loss.backward()
        grads = [T(p.grad) for p in net.parameters()]
        opt.step()
        steps.append({
            "x0": T(x0),
            "x1": T(x1),
            "t": T(t),
            "input": T(inp),
            "output": T(out),
            "loss": _f32_values(loss)[0],
            "grads": grads,
            "params_after": params_list(net),
        })

    # SGD with momentum, 3 steps on step 0's batch
    x0, x1, t, inp, target = batch0
    opt_sgd = torch.optim.SGD(net_sgd.parameters(), lr=0.05, momentum=0.9)
    sgd_steps = []
    for k in range(3):
        out = net_sgd(inp)
        loss = loss_fn(out, target)
        opt_sgd.zero_grad()
        loss.backward()
        opt_sgd.step()
        sgd_steps.append({"loss": _f32_values(loss)[0], "params_after": params_list(net_sgd)})

    obj = meta()
    obj.update({
        "description": (
            "Velocity MLP Linear(3,64)-ELU-Linear(64,64)-ELU-Linear(64,64)-ELU-Linear(64,2), "
            "created right after torch.manual_seed(0). Param order = net.parameters(): "
            "w0,b0,w1,b1,w2,b2,w3,b3 (weights (out,in)). Each Adam step k draws "
            "x1=randn(256,2)*0.5+0.3, x0=randn(256,2), t=rand(256,1); "
            "input=cat([t,(1-t)*x0+t*x1],-1); target=x1-x0; loss=MSELoss(mean)(net(input),target); "
            "grads are before opt.step(), params_after after it. The sgd section starts from "
            "params_init again and does 3 steps on step 0's batch (x0,x1,t of steps[0])."),
        "param_names": ["w0", "b0", "w1", "b1", "w2", "b2", "w3", "b3"],
        "params_init": params_init,
        "adam": {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0,
                 "amsgrad": False},
        "steps": steps,
        "sgd": {"lr": 0.05, "momentum": 0.9, "dampening": 0.0, "nesterov": False,
                "weight_decay": 0.0, "batch": "steps[0]", "steps": sgd_steps},
    })
    return obj


# ------------------------------------------------------------------- moons ---

def build_moons():
    import sklearn
    from sklearn.datasets import make_moons
    obj = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "dtype": "float64",
        "generator": "tests/golden/make_golden.py",
        "description": ("sklearn.datasets.make_moons(n_samples=n, noise=0.0, shuffle=False). "
                        "n_out=n//2 points on the outer moon (label 0) first, then n_in=n-n_out on "
                        "the inner moon (label 1): outer=(cos a, sin a), a=linspace(0,pi,n_out); "
                        "inner=(1-cos b, 1-sin b-0.5), b=linspace(0,pi,n_in)."),
        "cases": [],
    }
    for n in (7, 8):
        X, y = make_moons(n_samples=n, noise=0.0, shuffle=False)
        obj["cases"].append({
            "n_samples": n,
            "noise": 0.0,
            "shuffle": False,
            "X": T64(X),
            "y": [int(v) for v in y],
        })
    return obj


# ------------------------------------------------------------- Linear init ---

def stats(values, bound):
    v = values.double()
    return {
        "bound": bound,
        "expected_std": bound / math.sqrt(3.0),
        "count": v.numel(),
        "min": v.min().item(),
        "max": v.max().item(),
        "mean": v.mean().item(),
        "std": v.std(unbiased=False).item(),
    }


def build_activations_init():
    torch.manual_seed(0)
    n_layers = 200
    layers = []
    for fan_in, fan_out in ((64, 64), (3, 64)):
        ws, bs = [], []
        for _ in range(n_layers):
            lin = nn.Linear(fan_in, fan_out)
            ws.append(lin.weight.detach().flatten())
            bs.append(lin.bias.detach().flatten())
        bound = 1.0 / math.sqrt(fan_in)
        layers.append({
            "in_features": fan_in,
            "out_features": fan_out,
            "bound": bound,
            "weight": stats(torch.cat(ws), bound),
            "bias": stats(torch.cat(bs), bound),
        })
    obj = meta()
    obj.update({
        "description": ("PyTorch default nn.Linear init: weight via kaiming_uniform_(a=sqrt(5)) and "
                        "bias via uniform_, both U(-bound, bound) with bound = 1/sqrt(in_features); "
                        "std of U(-b,b) = b/sqrt(3). Stats are over all values of n_layers freshly "
                        "created layers (population std, float64 accumulation)."),
        "n_layers": n_layers,
        "layers": layers,
    })
    return obj


def main():
    sizes = {}
    sizes["ops.json"] = write("ops.json", build_ops())
    sizes["lab_mlp.json"] = write("lab_mlp.json", build_lab_mlp())
    sizes["moons.json"] = write("moons.json", build_moons())
    sizes["activations_init.json"] = write("activations_init.json", build_activations_init())
    import sklearn
    print(f"torch {torch.__version__}, sklearn {sklearn.__version__}, numpy {np.__version__}")
    return sizes


if __name__ == "__main__":
    main()
