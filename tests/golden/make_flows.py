#!/usr/bin/env python3
"""Golden fixture for flowlab's discrete normalizing flows, computed with REAL PyTorch.

Writes tests/golden/flows.json, read by crate/src/normalizing/tests.rs:

    x               fixed inputs (8, 2), some far from the origin
    planar[k]       a planar layer z = x + u_hat tanh(w.x + b) (Rezende & Mohamed's
                    u_hat = u + (m(w.u) - w.u) w / |w|^2, m(a) = -1 + softplus(a)):
                    u, w, b and, on x, z and log|det dz/dx| = log|1 + u_hat . psi(x)|
    coupling[k]     a RealNVP affine coupling layer keeping coordinate `keep`:
                    z_other = x_other * exp(s) + t, (raw, t) = net(x_keep),
                    s = B tanh(raw / B), B = exp(log_scale_bound); net = Linear(1, 8), ELU,
                    Linear(8, 8), ELU, Linear(8, 2): its (weight, bias) pairs, log_scale_bound,
                    z and log_det = s
    planar_stack,   the layers above composed (in order) over a standard normal base:
    coupling_stack  log_prob(x) per row and the gradients of log_prob(x).sum() with respect to
                    every parameter (in the Rust layers' parameters() order) and to x

Every log_det is cross-checked inside this script against log|det J| of the full Jacobian
from torch.autograd.functional.jacobian.

Run from the repository root (see README.md for setting up the venv):

    /opt/torchvenv/bin/python tests/golden/make_flows.py

Single thread, float32, torch.manual_seed(0); tensors use make_golden.py's format (shortest
decimal that round-trips to the float32), so a rerun with the same versions gives the same bytes.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import T, write  # noqa: E402  (same encoding as the other fixtures)

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

HIDDEN = 8


def planar_forward(x, u, w, b):
    wu = (w * u).sum()
    m = -1 + F.softplus(wu)
    u_hat = u + (m - wu) * w / (w * w).sum()
    h = torch.tanh(x @ w + b)
    z = x + h[:, None] * u_hat
    psi = (1 - h**2)[:, None] * w
    return z, torch.log(torch.abs(1 + psi @ u_hat))


def coupling_forward(x, keep, net, log_scale_bound):
    kept = x[:, keep : keep + 1]
    moved = x[:, 1 - keep : 2 - keep]
    out = net(kept)
    raw, shift = out[:, :1], out[:, 1:]
    bound = log_scale_bound.exp()
    s = bound * torch.tanh(raw / bound)
    moved = moved * torch.exp(s) + shift
    z = torch.cat([kept, moved] if keep == 0 else [moved, kept], dim=1)
    return z, s[:, 0]


def jacobian_log_det(f, x):
    """log|det J| per row of x, J from torch.autograd.functional.jacobian of one row."""
    out = []
    for row in x:
        jac = torch.autograd.functional.jacobian(lambda r: f(r[None, :])[0][0], row)
        out.append(torch.linalg.slogdet(jac.double())[1].float())
    return torch.stack(out)


def log_standard_normal(z):
    return -0.5 * (z * z).sum(1) - math.log(2 * math.pi)


def check_log_det(name, f, x, log_det):
    want = jacobian_log_det(f, x)
    err = (want - log_det).abs().max().item()
    assert err < 1e-5 * (1 + want.abs().max().item()), f"{name}: log_det off by {err}"


def stack_case(x, forwards, params):
    """log_prob of the composed layers and d(log_prob.sum())/d(params, x)."""
    x = x.clone().requires_grad_(True)
    z, total = x, torch.zeros(x.shape[0])
    for f in forwards:
        z, ld = f(z)
        total = total + ld
    log_prob = log_standard_normal(z) + total
    grads = torch.autograd.grad(log_prob.sum(), params + [x])
    return {
        "log_prob": T(log_prob),
        "grads": [T(g) for g in grads[:-1]],
        "grad_x": T(grads[-1]),
    }


def main():
    torch.manual_seed(0)
    x = torch.cat(
        [
            torch.randn(5, 2),
            torch.tensor([[4.0, -3.5], [-6.0, 0.5], [2.5, 7.0]]),
        ]
    )

    # planar: normflows-style init plus a non-zero b; layer 1 has w.u < -1, so the constraint
    # moves u (u_hat != u) there
    planar = []
    for k in range(3):
        u = (2 * torch.rand(2) - 1) * math.sqrt(2)
        w = 2 * torch.rand(2) - 1
        b = torch.randn(1)
        if k == 1:
            u = -2.5 * w / (w * w).sum()
        planar.append((u, w, b))
    assert (planar[1][1] * planar[1][0]).sum() < -1

    planar_cases, planar_forwards = [], []
    for u, w, b in planar:
        f = lambda v, u=u, w=w, b=b: planar_forward(v, u, w, b)  # noqa: E731
        z, log_det = f(x)
        check_log_det("planar", f, x, log_det)
        planar_cases.append(
            {"u": T(u), "w": T(w), "b": T(b), "z": T(z), "log_det": T(log_det)}
        )
        planar_forwards.append(f)
    planar_params = [p.clone().requires_grad_(True) for layer in planar for p in layer]
    planar_stack = stack_case(
        x,
        [
            lambda v, p=planar_params[3 * k : 3 * k + 3]: planar_forward(v, *p)
            for k in range(3)
        ],
        planar_params,
    )

    # coupling: PyTorch's default init, a bound other than 1, and a larger last layer so that
    # the soft clamp is exercised
    coupling = []
    for k, c in enumerate([0.0, -0.4, 0.5]):
        net = nn.Sequential(
            nn.Linear(1, HIDDEN), nn.ELU(), nn.Linear(HIDDEN, HIDDEN), nn.ELU(), nn.Linear(HIDDEN, 2)
        )
        with torch.no_grad():
            net[4].weight.mul_(3.0)
        coupling.append((k % 2, net, torch.tensor([c])))

    coupling_cases = []
    for keep, net, c in coupling:
        f = lambda v, keep=keep, net=net, c=c: coupling_forward(v, keep, net, c)  # noqa: E731
        with torch.no_grad():
            z, log_det = f(x)
        check_log_det("coupling", f, x, log_det)
        coupling_cases.append(
            {
                "keep": keep,
                "layers": [
                    {"weight": T(m.weight), "bias": T(m.bias)}
                    for m in net
                    if isinstance(m, nn.Linear)
                ],
                "log_scale_bound": T(c),
                "z": T(z),
                "log_det": T(log_det),
            }
        )
    coupling_params = []
    for _, net, c in coupling:
        coupling_params += list(net.parameters()) + [c.clone().requires_grad_(True)]
    per_layer = len(coupling_params) // len(coupling)
    coupling_stack = stack_case(
        x,
        [
            lambda v, keep=keep, net=net, c=coupling_params[per_layer * (k + 1) - 1]: (
                coupling_forward(v, keep, net, c)
            )
            for k, (keep, net, _) in enumerate(coupling)
        ],
        coupling_params,
    )

    write(
        "flows.json",
        {
            "meta": {
                "torch_version": torch.__version__,
                "dtype": "float32",
                "num_threads": torch.get_num_threads(),
                "seed": 0,
                "generator": "tests/golden/make_flows.py",
            },
            "x": T(x),
            "planar": planar_cases,
            "coupling": coupling_cases,
            "planar_stack": planar_stack,
            "coupling_stack": coupling_stack,
        },
    )


if __name__ == "__main__":
    main()
