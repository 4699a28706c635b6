# The lecture's warm-ups before flow matching: maximum likelihood on a coin, and the 1-D
# pushforward by an affine map with its change of variables. One source for two versions,
# full and todo; the format is flow_matching.py's (see the top of that file).

# %% [markdown]
# Two warm-ups from the lecture, before normalizing flows and flow matching: **maximum
# likelihood** on a coin, then the **change of variables** for a map $T$ pushing
# $p_0 = \mathcal N(0, 1)$ forward. Run the cells from top to bottom (Shift+Enter runs a cell);
# cells share their variables, as in Jupyter.

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
