# flowlab's layers written out in PyTorch. In the browser, `flowlab` is a built-in module of the
# lab (crate/src/lang/interp/builtins/flowlab.rs over crate/src/normalizing/) that real Python
# lacks: an exported notebook that imports it starts with this cell, which defines the classes
# it imports with the same math as the core and registers them as the module `flowlab`, so that
# `from flowlab import PlanarFlow` runs unchanged. Initial values come from torch's own
# generator, so a seed gives other layers than in the browser.
import math
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn

#| class PlanarFlow
class PlanarFlow(nn.Module):
    """A planar layer in the normalizing direction (data to noise): z = x + u_hat tanh(w.x + b),
    with u_hat the u constrained to w.u_hat > -1 (invertible). layer(x) for x (n, 2) gives
    (z, log|det dz/dx|), the log-determinant (n,); layer.inverse(z) goes back."""

    def __init__(self):
        super().__init__()
        self.u = nn.Parameter((2 * torch.rand(2) - 1) * math.sqrt(2))
        self.w = nn.Parameter(2 * torch.rand(2) - 1)
        self.b = nn.Parameter(torch.zeros(1))

    def constrained(self):
        """(u_hat, softplus(w.u)): the constrained direction and 1 + w.u_hat."""
        wu = (self.w * self.u).sum()
        softplus = F.softplus(wu)
        u_hat = self.u + (softplus - 1 - wu) * self.w / (self.w * self.w).sum()
        return u_hat, softplus

    def forward(self, x):
        u_hat, softplus = self.constrained()
        h = torch.tanh(x @ self.w + self.b)
        z = x + h[:, None] * u_hat
        # det = 1 + u_hat.psi = h^2 + (1 - h^2) softplus(w.u): a sum of non-negative terms
        return z, torch.log(h * h + (1 - h * h) * softplus)

    @torch.no_grad()
    def inverse(self, z):
        # w.z = a + c tanh(a + b) with a = w.x is strictly increasing in a (c = w.u_hat > -1):
        # Newton's method kept inside a shrinking bracket by bisection, in float64
        u_hat, _ = self.constrained()
        w, b = self.w.double(), self.b.double()
        c = (w * u_hat.double()).sum()
        target = z.double() @ w
        lo, hi = target - c.abs(), target + c.abs()
        a = target.clone()
        for _ in range(100):
            t = torch.tanh(a + b)
            g = a + c * t - target
            hi = torch.where(g > 0, a, hi)
            lo = torch.where(g < 0, a, lo)
            newton = a - g / (1 + c * (1 - t * t))
            a = torch.where((newton > lo) & (newton < hi), newton, (lo + hi) / 2)
        return z - torch.tanh(a + b).to(z.dtype)[:, None] * u_hat


#| class AffineCoupling
class AffineCoupling(nn.Module):
    """A RealNVP affine coupling layer (data to noise): keeps coordinate `keep` and maps the
    other to x_other exp(s) + t, (raw, t) = net(x_keep), s = B tanh(raw / B), B = exp(c)
    learned. layer(x) gives (z, log_det = s); layer.inverse(z) goes back."""

    def __init__(self, keep=0, hidden=64):
        super().__init__()
        if keep not in (0, 1):
            raise ValueError(f"AffineCoupling(): keep is the coordinate passed through, 0 or 1, not {keep}")
        self.keep = keep
        self.hidden = hidden
        self.net = nn.Sequential(
            nn.Linear(1, hidden), nn.ELU(), nn.Linear(hidden, hidden), nn.ELU(), nn.Linear(hidden, 2)
        )
        self.log_scale_bound = nn.Parameter(torch.zeros(1))

    def split(self, x):
        k = self.keep
        return x[:, k : k + 1], x[:, 1 - k : 2 - k]

    def join(self, kept, moved):
        return torch.cat([kept, moved] if self.keep == 0 else [moved, kept], dim=1)

    def scale_and_shift(self, kept):
        out = self.net(kept)
        bound = self.log_scale_bound.exp()
        return bound * torch.tanh(out[:, :1] / bound), out[:, 1:]

    def forward(self, x):
        kept, moved = self.split(x)
        s, t = self.scale_and_shift(kept)
        return self.join(kept, moved * torch.exp(s) + t), s[:, 0]

    @torch.no_grad()
    def inverse(self, z):
        kept, moved = self.split(z)
        s, t = self.scale_and_shift(kept)
        return self.join(kept, (moved - t) * torch.exp(-s))


#| class CNF
class CNF(nn.Module):
    """A continuous normalizing flow on the velocity network `net` (input (t, x, y), t first;
    output 2): noise N(0, I) at t = 0, data at t = 1. log_prob(x) solves the ODE from t = 1 back
    to 0 with d(log p)/dt = -div u, on the autograd graph (differentiable in net's parameters);
    sample(n) pushes noise from t = 0 to 1. Fixed steps of `solver`; the divergence exact (the
    trace of the Jacobian) or Hutchinson's estimate with `probes` probes per point."""

    TABLEAUS = {
        "euler": ([], [1.0], [0.0]),
        "midpoint": ([[0.5]], [0.0, 1.0], [0.0, 0.5]),
        "heun": ([[1.0]], [0.5, 0.5], [0.0, 1.0]),
        "rk4": ([[0.5], [0.0, 0.5], [0.0, 0.0, 1.0]], [1 / 6, 1 / 3, 1 / 3, 1 / 6], [0.0, 0.5, 0.5, 1.0]),
    }

    def __init__(self, net, steps=4, solver="rk4", divergence="exact", probes=1):
        super().__init__()
        if solver not in self.TABLEAUS:
            raise ValueError(f"CNF(): unknown solver {solver!r}: use one of {list(self.TABLEAUS)}")
        if divergence not in ("exact", "hutchinson", "hutchinson-gaussian"):
            raise ValueError(f"CNF(): unknown divergence {divergence!r}")
        self.net, self.steps, self.solver = net, steps, solver
        self.divergence, self.probes = divergence, probes

    def velocity(self, x, t):
        return self.net(torch.cat([torch.full_like(x[:, :1], t), x], dim=1))

    def field(self, x, t, directions):
        """The velocity at (x, t) and its divergence, both on the graph."""
        if not x.requires_grad:
            x = x.detach().requires_grad_(True)
        u = self.velocity(x, t)
        if directions is None:
            div = sum(
                torch.autograd.grad(u[:, i].sum(), x, create_graph=True)[0][:, i] for i in range(x.shape[1])
            )
        else:
            div = sum(
                (torch.autograd.grad(u, x, e, create_graph=True)[0] * e).sum(1) for e in directions
            ) / len(directions)
        return u, div

    def log_prob(self, x):
        if self.divergence == "exact":
            directions = None
        elif self.divergence == "hutchinson":
            directions = [torch.randint(0, 2, x.shape).to(x.dtype) * 2 - 1 for _ in range(self.probes)]
        else:
            directions = [torch.randn_like(x) for _ in range(self.probes)]
        a, b, c = self.TABLEAUS[self.solver]
        h = -1.0 / self.steps
        l = torch.zeros(x.shape[0])
        with torch.enable_grad():
            for k in range(self.steps):
                t = 1.0 + k * h
                ks, kl = [], []
                for i in range(len(b)):
                    xi = x + h * sum(a[i - 1][j] * ks[j] for j in range(i)) if i else x
                    u, div = self.field(xi, t + c[i] * h, directions)
                    ks.append(u)
                    kl.append(-div)
                x = x + h * sum(bi * ki for bi, ki in zip(b, ks))
                l = l + h * sum(bi * ki for bi, ki in zip(b, kl))
        # l(0) = log p0(x(0)) - log p1(x), accumulated from l(1) = 0 backwards
        log_p0 = -0.5 * (x * x).sum(1) - math.log(2 * math.pi)
        return log_p0 - l

    @torch.no_grad()
    def sample(self, n):
        x = torch.randn(n, 2)
        a, b, c = self.TABLEAUS[self.solver]
        h = 1.0 / self.steps
        for k in range(self.steps):
            t = k * h
            ks = []
            for i in range(len(b)):
                xi = x + h * sum(a[i - 1][j] * ks[j] for j in range(i)) if i else x
                ks.append(self.velocity(xi, t + c[i] * h))
            x = x + h * sum(bi * ki for bi, ki in zip(b, ks))
        return x
