# The lecture's warm-ups before flow matching: maximum likelihood on a coin, the 1-D
# pushforward by an affine map with its change of variables, and a normalizing flow of planar
# layers trained by maximum likelihood on two moons. One source for two versions, full and
# todo; the format is flow_matching.py's (see the top of that file).

# %% [markdown]
# Three warm-ups from the lecture, before flow matching: **maximum likelihood** on a coin,
# the **change of variables** for a map $T$ pushing $p_0 = \mathcal N(0, 1)$ forward, then
# both at once: a **normalizing flow** trained by maximum likelihood on two moons. Run the
# cells from top to bottom (Shift+Enter runs a cell); cells share their variables, as in
# Jupyter.

# %% Imports
import math
import torch
import matplotlib.pyplot as plt

# %% [markdown]
# ## 1. The coin
#
# I flip a coin and write down what I see, H for heads and T for tails. Type your own sequence
# in the cell below (as long as you like), then run it.

# %% Your flips
flips = "HHTHHTTTHT"  # heads H, tails T

flips = flips.upper().replace(" ", "")
assert len(flips) > 0 and all([c in "HT" for c in flips]), "flips holds only H and T"
n = len(flips)
n_heads = flips.count("H")
n_tails = flips.count("T")
print(f"{n} flips: {n_heads} heads, {n_tails} tails")

# %% [markdown]
# Two models of the coin: model 1 lands on H with probability 0.1, model 2 with probability
# 0.5. Which one explains your flips better? Under a model with $\mathbb P(y = H) = p$, the
# flips are independent, so the probability of the whole sequence is the product of the
# probabilities of each flip.

# %% Two models
for p_model in [0.1, 0.5]:
    likelihood = p_model**n_heads * (1 - p_model) ** n_tails
    print(f"model P(H) = {p_model}: probability of your flips = {likelihood:.3g}")

# %% [markdown]
# "The best model is the one that explains the observed data the best." Write $y_i = 1$ for
# heads and $y_i = 0$ for tails; the Bernoulli model gives
# $\mathbb P(y = y_i) = p^{y_i} (1 - p)^{1 - y_i}$, so the **likelihood** of the observations is
#
# $$L(p) = \prod_{i=1}^n p^{y_i} (1 - p)^{1 - y_i} = p^h (1 - p)^t$$
#
# with $h$ heads and $t$ tails. Maximising the likelihood is minimising the **negative
# log-likelihood**
#
# $$\mathrm{NLL}(p) = -\log L(p) = -\sum_{i=1}^n y_i \log p - \sum_{i=1}^n (1 - y_i) \log(1 - p).$$
#
# Write it as a function of $p$, for a whole tensor of values of $p$ at once (one NLL per
# value), and the $p$ that minimises it, the maximum likelihood estimate $\hat p$.

# %% The negative log-likelihood
def nll(p, flips):
    """-log L(p) of the sequence `flips` (a string of H and T) under a coin with P(H) = p.
    p is a tensor of probabilities: the result has one NLL per value."""
    #| begin nll
    h = flips.count("H")
    t = flips.count("T")
    return -(h * torch.log(p) + t * torch.log(1 - p))
    #| end nll


def mle(flips):
    """The maximum likelihood estimate p-hat of P(H): the p that minimises nll(p, flips)."""
    return flips.count("H") / len(flips)  #| blank mle


p_hat = mle(flips)
print(f"p_hat = {float(p_hat):.3f}")

# %% [markdown]
# The likelihood and the NLL of your flips over $p \in [0, 1]$, with $\hat p$ marked: the
# likelihood is largest where the NLL is smallest. Change your flips above and run again.

# %% Plot the likelihood
p = torch.linspace(0.005, 0.995, 199)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
axes[0].plot(p, p**n_heads * (1 - p) ** n_tails)
axes[0].axvline(float(p_hat), color="C3", linestyle="--", label="p_hat")
axes[0].set_title("likelihood L(p)")
axes[0].set_xlabel("p")
axes[0].legend()
axes[1].plot(p, nll(p, flips))
axes[1].axvline(float(p_hat), color="C3", linestyle="--", label="p_hat")
axes[1].set_title("negative log-likelihood")
axes[1].set_xlabel("p")
axes[1].legend()
plt.show()

# %% [question]
# Why minimise the negative log-likelihood rather than maximise the likelihood itself? Try a
# sequence of 200 flips.

# %% [answer]
# Both have the same optimum: $\log$ is increasing. But a product of many probabilities
# underflows: with 200 flips $L(p)$ is below $10^{-60}$ everywhere and float32 rounds it to 0,
# while its log is a sum of moderate numbers. Sums are also what gradient descent on data
# batches needs. Setting the derivative $-h/p + t/(1 - p)$ to zero gives $\hat p = h / n$: the
# fraction of heads.

# %% [markdown]
# ## 2. The pushforward in 1-D
#
# We only know how to sample $x \sim p_0 = \mathcal N(0, 1)$. Push the samples through
# $T(x) = a x + b$: the law of $y = T(x)$ is the **pushforward** $p_1 = T\#p_0$. Choose $a$
# and $b$ ($a \neq 0$, negative allowed).

# %% The map T
a = -1.5
b = 2.0
assert a != 0, "T(x) = a x + b is invertible only when a != 0"


def T(x):
    return a * x + b


x = torch.randn(20_000)  # samples of p0
y = T(x)  # samples of p1 = T#p0
print(f"y: mean {y.mean().item():.3f}, standard deviation {y.std().item():.3f}")

# %% [markdown]
# The **change of variables** gives the density of the pushed samples:
#
# $$\log p_1(y) = \log p_0\big(T^{-1}(y)\big) + \log\Big|\frac{d T^{-1}}{dy}(y)\Big|.$$
#
# Compute $T^{-1}$, its derivative, and then $\log p_1$ (for a tensor of points $y$).

# %% The change of variables
def log_p0(x):
    """log N(x; 0, 1)."""
    return -0.5 * x**2 - 0.5 * math.log(2 * math.pi)


def T_inv(y):
    return (y - b) / a  #| blank T_inv


def dT_inv(y):
    """The derivative of T^-1 at y."""
    return 1 / a  #| blank dT_inv


def log_p1(y):
    return log_p0(T_inv(y)) + math.log(abs(dT_inv(y)))  #| blank log_p1

# %% [markdown]
# The histogram of the pushed samples (normalised to integrate to 1) with your density
# $p_1 = \exp(\log p_1)$ on top: they agree when the change of variables is right.

# %% Plot the pushforward
ys = torch.linspace(b - 4 * abs(a), b + 4 * abs(a), 300)
plt.figure(figsize=(7, 3.5))
plt.hist(y, bins=80, density=True, alpha=0.5, label="samples of T(x)")
plt.plot(ys, torch.exp(log_p1(ys)), color="C3", label="your p1")
plt.title(f"T(x) = {a} x + {b}")
plt.legend()
plt.show()

# %% [question]
# Which law is $p_1$? What changes when $a$ becomes $-a$?

# %% [answer]
# $T^{-1}(y) = (y - b) / a$ and $dT^{-1}/dy = 1/a$, so
# $\log p_1(y) = -\frac{(y - b)^2}{2 a^2} - \frac12 \log(2\pi) - \log|a|$: the density of
# $\mathcal N(b, a^2)$, mean $b$ and standard deviation $|a|$. Changing $a$ to $-a$ mirrors
# the samples around $b$, and the law stays the same: $\mathcal N(0, 1)$ is symmetric. The
# absolute value in $\log|\det|$ is what makes the formula right for a decreasing $T$.

# %% [markdown]
# ## 3. Normalizing flows by maximum likelihood
#
# In 2-D, the data is two moons and $p_0 = \mathcal N(0, \mathrm{Id})$. We learn $T_\theta$ by
# maximum likelihood, so we need $\log p_1(x)$ at data points, and the change of variables
# reads it through $f = T_\theta^{-1}$, the map from data to noise. A **normalizing flow**
# builds $f$ as a composition of simple invertible blocks, $f = f_K \circ \dots \circ f_1$:
# with $z_0 = x$ and $z_k = f_k(z_{k-1})$, the Jacobian of the composition is the product of
# the blocks' Jacobians (chain rule), its determinant the product of their determinants, and
#
# $$\log p_1(x) = \log p_0\big(f(x)\big) + \sum_{k=1}^K \log\big|\det J_{f_k}(z_{k-1})\big|.$$
#
# The blocks here are **planar flows**, $\phi(x) = x + a\, \sigma(b^\top x + c)$ with
# $\sigma = \tanh$: the Jacobian $J_\phi(x) = \mathrm{Id} + \sigma'(b^\top x + c)\, a b^\top$ is
# the identity plus a rank-one matrix, and $\det(\mathrm{Id} + u v^\top) = 1 + v^\top u$ gives
# $\det J_\phi(x) = 1 + \sigma'(b^\top x + c)\, b^\top a$ in $O(d)$. `flowlab`'s `PlanarFlow()`
# is one such block (its parameters are called `u`, `w`, `b` as in Rezende & Mohamed: $a$ is
# `u`, constrained so that $b^\top a > -1$, which keeps $\phi$ invertible; $b$ is `w`; $c$ is
# `b`). A `flowlab` layer runs in the normalizing direction, data to noise: `z, log_det =
# layer(x)` for points `x` of shape (n, 2) gives $z = \phi(x)$ and
# $\log|\det J_\phi(x)|$ for each point, shape (n,); `layer.inverse(z)` goes back, noise to
# data. We stack $K = 8$ of them.

# %% A planar flow
from flowlab import PlanarFlow
from sklearn.datasets import make_moons
from torch.distributions import Normal

torch.manual_seed(0)
K = 8
layers = [PlanarFlow() for k in range(K)]
params = [p for layer in layers for p in layer.parameters()]
print(f"{K} planar layers, {sum([p.shape[0] for p in params])} parameters")

# %% [markdown]
# Write $\log p_1(x)$ for a batch of points: pass `x` through each layer in turn, adding up
# the log-determinants, then add the base log-density of the last $z$,
# $\log p_0(z) = \log \mathcal N(z; 0, \mathrm{Id}) = -\frac12 |z|^2 - \log(2\pi)$ in 2-D (the
# sum of the two coordinates' $\log \mathcal N(z_j; 0, 1)$: `Normal(0, 1).log_prob(z)` gives
# them one per coordinate). One value per point: the result has shape (n,).

# %% The log-likelihood of the flow
def log_prob(x, layers):
    """log p1(x) for points x of shape (n, 2) under the flow `layers` (each maps data to noise,
    returning (z, log_det)) over the base N(0, Id): one value per point, shape (n,)."""
    #| begin log_prob
    z = x
    log_det = torch.zeros(x.shape[0])
    for layer in layers:
        z, ld = layer(z)
        log_det = log_det + ld
    return Normal(0, 1).log_prob(z).sum(1) + log_det
    #| end log_prob


x_data = torch.Tensor(make_moons(1000, noise=0.05)[0])
print(f"mean log-likelihood of the untrained flow on the moons: {log_prob(x_data, layers).mean().item():.3f}")

# %% [markdown]
# Maximum likelihood is minimising the negative log-likelihood, here its mean over a fresh
# batch of moons at each step, with Adam.

# %% Training the flow
optimizer = torch.optim.Adam(params, lr=5e-3)
batch_size = 256
n_iterations = 1000
for i in range(n_iterations):
    x_batch = torch.Tensor(make_moons(batch_size, noise=0.05)[0])
    loss = -log_prob(x_batch, layers).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if i % 200 == 0 or i == n_iterations - 1:
        print(f"iteration {i:4d}: NLL {loss.item():.3f}")

# %% [markdown]
# To sample, draw $z \sim \mathcal N(0, \mathrm{Id})$ and run $T_\theta = f^{-1}$: each layer's
# inverse, the last layer first. The learned density $p_1 = \exp(\log p_1)$ is your `log_prob`
# on a grid of points (no gradients needed: `torch.no_grad()`).

# %% Plot samples and density
with torch.no_grad():
    z = torch.randn(1000, 2)
    for layer in reversed(layers):
        z = layer.inverse(z)
    samples = z
    gx = torch.linspace(-1.5, 2.5, 81)
    gy = torch.linspace(-1.0, 1.5, 51)
    grid = torch.stack([gx.view(1, -1).expand(51, 81).reshape(-1), gy.view(-1, 1).expand(51, 81).reshape(-1)], 1)
    log_density = log_prob(grid, layers)

fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharex=True, sharey=True)
axes[0].scatter(x_data[:, 0], x_data[:, 1], s=5, alpha=0.5)
axes[0].set_title("data: two moons")
axes[1].scatter(samples[:, 0], samples[:, 1], s=5, alpha=0.5, color="C1")
axes[1].set_title(f"samples of the flow ({K} layers)")
axes[2].scatter(grid[:, 0], grid[:, 1], c=log_density, s=25, marker="s", cmap="viridis")
axes[2].set_title("learned log-density log p1(x)")
for ax in axes:
    ax.set_xlim(-1.5, 2.5)
    ax.set_ylim(-1.0, 1.5)
plt.show()

# %% [question]
# The samples cover the moons only roughly, with a bridge between them. Why does a planar flow
# need many layers? What does a single layer do to the plane?

# %% [answer]
# One layer moves every point along the same direction $a$, by an amount that depends only on
# $b^\top x$: it bends the plane across one hyperplane, and its Jacobian differs from the
# identity by a matrix of rank one. That is what makes its determinant cheap, and also what
# makes it weak: shaping two moons takes many such bends, and even 8 or 16 of them leave mass
# between the moons. This is the lecture's "too many constraints on the architecture restrict
# the expressivity". RealNVP's coupling layers (below) move one coordinate by a function of the
# other given by a whole network, with a triangular Jacobian: more expressive per layer and
# still cheap. The **Compare** tab trains a planar flow, RealNVP, a CNF and flow matching on the
# same data for the same time and measures how far each gets.

# %% [markdown]
# **RealNVP.** An affine coupling layer keeps one coordinate and moves the other by an affine
# map whose scale and shift come from a small network of the kept one: $z_{\text{keep}} =
# x_{\text{keep}}$, $z_{\text{other}} = x_{\text{other}}\, e^{s(x_{\text{keep}})} +
# t(x_{\text{keep}})$. The Jacobian is triangular, so $\log|\det J| = s(x_{\text{keep}})$.
# `AffineCoupling(keep=k % 2)` alternates the kept coordinate; it returns `(z, log_det)` too, so
# your `log_prob` works unchanged. Run this cell, then the training and plot cells again.

# %% RealNVP instead [extra]
from flowlab import AffineCoupling

torch.manual_seed(0)
layers = [AffineCoupling(keep=k % 2) for k in range(K)]
params = [p for layer in layers for p in layer.parameters()]
print(f"{K} coupling layers, {len(params)} parameter tensors: now run the training and plot cells again")

# %% [blank nll]
# modes: todo
# title: negative log-likelihood
# todo: return -log L(p) of the sequence flips, one value per p
# hint: Count the heads h and the tails t of flips; each head contributes a factor p to the likelihood and each tail a factor 1 - p. Use torch.log, which works on a whole tensor of p.
# hint: $\mathrm{NLL}(p) = -\big(h \log p + t \log(1 - p)\big)$: return -(h * torch.log(p) + t * torch.log(1 - p)).

# %% [blank mle]
# modes: todo
# title: maximum likelihood estimate
# todo: the p that minimises the NLL
# hint: Look at where the NLL is smallest in the plot below, or set its derivative $-h/p + t/(1 - p)$ to zero.
# hint: $\hat p = h / n$, the fraction of heads: flips.count("H") / len(flips).

# %% [blank T_inv]
# modes: todo
# title: inverse map
# todo: the x with T(x) = y
# hint: Solve y = a x + b for x.
# hint: $T^{-1}(y) = (y - b) / a$.

# %% [blank dT_inv]
# modes: todo
# title: derivative of the inverse
# todo: the derivative of T_inv at y
# hint: T_inv is affine in y: its derivative is the same number for every y.
# hint: $\frac{d T^{-1}}{dy} = \frac{1}{a}$ (negative when a is).

# %% [blank log_p1]
# modes: todo
# title: log-density of the pushforward
# todo: log p1(y) by the change of variables, with log_p0, T_inv and dT_inv
# hint: Evaluate $p_0$ where y came from, $T^{-1}(y)$, and correct by how much $T^{-1}$ stretches space around y: the log of the absolute value of its derivative.
# hint: $\log p_1(y) = \log p_0(T^{-1}(y)) + \log|dT^{-1}/dy|$: log_p0(T_inv(y)) + math.log(abs(dT_inv(y))).


# %% [blank log_prob]
# modes: todo
# title: log-likelihood of the flow
# todo: log p1(x): through each layer, summing the log-determinants, plus log p0(z)
# hint: Start from z = x and a zero log-determinant per point (torch.zeros(x.shape[0])); each layer gives z, ld = layer(z): keep the new z and add ld. At the end, add log p0(z), summed over the two coordinates so that there is one value per point.
# hint: $\log p_1(x) = \log p_0(f(x)) + \sum_k \log|\det J_{f_k}|$: after the loop, return Normal(0, 1).log_prob(z).sum(1) + log_det.
