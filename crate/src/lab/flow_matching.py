# The flow matching lab on two moons: one source for its three versions.
#
# Cells follow jupytext's "percent" format: `# %% Title` starts a code cell, `# %% [markdown]`
# a text cell (each line behind "# "; $...$ is typeset), `# %% [question]` a question whose
# answer follows in `# %% [answer]`, `# %% Title [extra]` a cell from the course version of the
# lab. A line ending in `#| blank NAME` is a one-line blank: its value (after `=` or `return`)
# becomes `...  # TODO: ...` in the modes the blank lists. `#| begin NAME` ... `#| end NAME`
# marks a blank of several lines, shown as one `...  # TODO: ...`. Each blank is described in a
# `# %% [blank NAME]` section at the end of the file: the modes it is blank in, the title of its
# check, the TODO text, and progressive hints (a nudge, then the lecture's formula). The core
# checks each blank by behaviour (crate/src/lab/checks.rs); the solution is the line itself.

# %% [markdown]
# We learn a velocity field $u_\theta(x, t)$ that carries samples of the source
# $p_0 = \mathcal N(0, \mathrm{Id})$ at $t = 0$ to the data distribution $p_{\text{data}}$ at
# $t = 1$, by solving the ODE $\dot x(t) = u_\theta(x(t), t)$. Run the cells from top to bottom
# (Shift+Enter runs a cell); cells share their variables, as in Jupyter.

# %% Imports
import torch
import numpy as np
from sklearn.datasets import make_moons
from torch import nn
import matplotlib.pyplot as plt

# %% [markdown]
# ## The data
#
# Two interleaved half circles with a little Gaussian noise: `make_moons` returns the points
# and their moon labels; we keep the points. This is $p_{\text{data}}$, known only through
# samples.

# %% Plot the training data [extra]
x_data = torch.Tensor(make_moons(1000, noise=0.05)[0])
plt.figure(figsize=(4, 4))
plt.scatter(x_data[:, 0], x_data[:, 1], s=5, alpha=0.5)
plt.title("1,000 points of make_moons(noise=0.05)")
plt.show()

# %% [markdown]
# ## The velocity field
#
# $u_\theta(x, t)$ is a small network fed with the time and the point: each row of its input is
# $(t, x, y)$. Once trained, we generate by integrating $\dot x = u_\theta(x, t)$ with Euler's
# method: from time $t$, a step of size $h$ moves the point along the velocity,
#
# $$x_{t+h} = x_t + h\, u_\theta(x_t, t).$$

# %% Velocity definition
class Flow(nn.Module):
    """The velocity field u(x_t, t): a small MLP fed with the concatenation (t, x_t)."""

    def __init__(self, dim: int = 2, hidden: int = 64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(dim + 1, hidden),
            nn.ELU(),
            nn.Linear(hidden, hidden),
            nn.ELU(),
            nn.Linear(hidden, hidden),
            nn.ELU(),
            nn.Linear(hidden, dim),
        )

    def forward(self, x_t, t):
        # t comes first on the last axis: each row of the input is (t, x, y)
        return self.net(torch.cat((t, x_t), dim=-1))

    def euler_step(self, x_t, t, stepsize):
        """One Euler step from time `t` (a scalar tensor) with step `stepsize`."""
        t = t.view(1, 1).expand(x_t.shape[0], 1)  # one time per point: shape (batch, 1)
        return x_t + stepsize * self(x_t, t)  #| blank euler

# %% [markdown]
# ## Training
#
# Theorem 1 of the lecture: with $X_t = (1 - t) X_0 + t X_1$, the velocity
# $u^*(x, t) = \mathbb E[X_1 - X_0 \mid X_t = x]$ transports $p_0$ to $p_{\text{data}}$. A
# conditional expectation is the best $L^2$ regression, so we learn it by regressing onto
# $x_1 - x_0$:
#
# $$\min_\theta\ \mathbb E_{x_0 \sim p_0,\ x_1 \sim p_{\text{data}},\ t \sim \mathcal U([0, 1])}
# \big\|u_\theta(x_t, t) - (x_1 - x_0)\big\|^2, \qquad x_t = (1 - t)\, x_0 + t\, x_1.$$
#
# Each iteration draws a fresh batch of data, noise and times, and takes one Adam step on the
# mean squared error. 10,000 iterations take a few seconds.

# %% Training
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()  # mean over the batch and the coordinates
batch_size = 256
n_iterations = 10_000

for it in range(n_iterations):
    if it % 500 == 0:
        print(f"iteration {it}")
    #| begin train
    x_1 = torch.Tensor(make_moons(batch_size, noise=0.05)[0])  #| blank x_1
    x_0 = torch.randn_like(x_1)  #| blank x_0
    t = torch.rand(batch_size, 1)  #| blank t
    x_t = (1 - t) * x_0 + t * x_1  #| blank x_t
    target = x_1 - x_0  #| blank target
    loss = loss_fn(flow(x_t, t), target)  #| blank loss
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    #| end train

print(f"final loss: {loss.item():.4f}")

# %% [markdown]
# ## Generation
#
# Start 300 points from $\mathcal N(0, \mathrm{Id})$ and take 99 Euler steps along the time grid
# $0 = t_0 < t_1 < \dots < t_{99} = 1$, keeping every state: `xt[i]` holds the points at time
# $t_i$, so `xt` has shape (100, 300, 2).

# %% Generation
n_points = 300
n_steps = 100
x = torch.randn(n_points, 2)  # start from N(0, I)
time_steps = torch.linspace(0, 1, n_steps)
xt = torch.zeros(n_steps, n_points, 2)  # every state, the start at index 0
xt[0] = x
with torch.no_grad():
    for i in range(n_steps - 1):
        x = flow.euler_step(x, time_steps[i], time_steps[i + 1] - time_steps[i])  #| blank generate
        xt[i + 1] = x

# %% [markdown]
# ## Plots
#
# First the generated points beside fresh data, then the probability path $p_t$: the law of
# the points at eight times between 0 and 1, noise turning into moons.

# %% Plots: data and samples
#| begin plot_samples
tab10 = plt.colormaps["tab10"]
fig, axes = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
x_true = make_moons(256, noise=0.05)[0]
axes[0].scatter(*x_true.T, s=10, color=tab10.colors[0])
axes[0].set_title("True data")
axes[1].scatter(*x.detach().T, s=10, color=tab10.colors[1])
axes[1].set_title("Generated data")
plt.show()
#| end plot_samples

# %% Plots: the probability path
#| begin plot_path
n_plots = 8
fig, axes = plt.subplots(1, n_plots, sharex=True, sharey=True, figsize=(16, 2.5))
for k, i in enumerate(np.linspace(0, n_steps - 1, n_plots)):
    i = int(i)
    axes[k].scatter(*xt[i].T, s=10, alpha=0.5)
    axes[k].set_title(f"t = {time_steps[i]:.2f}")

for ax in axes:
    ax.set_aspect("equal")
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)

plt.tight_layout()
plt.show()
#| end plot_path

# %% [markdown]
# ## The path the model was trained on
#
# Training never integrates the ODE: it only sees the straight lines
# $x_t = (1 - t) x_0 + t x_1$ between noise and data. Their law at time $t$ is the
# probability path $p_t$ that flow matching targets. Choose the times and compare with the
# generated path above.

# %% Plot p_t for chosen t [extra]
chosen_t = [0.0, 0.25, 0.5, 0.75, 1.0]
data = torch.Tensor(make_moons(1000, noise=0.05)[0])
noise = torch.randn_like(data)
fig, axes = plt.subplots(1, len(chosen_t), sharex=True, sharey=True, figsize=(12, 2.5))
for k, s in enumerate(chosen_t):
    on_path = (1 - s) * noise + s * data
    axes[k].scatter(*on_path.T, s=5, alpha=0.3)
    axes[k].set_title(f"t = {s}")
    axes[k].set_aspect("equal")
    axes[k].set_xlim(-3, 3)
    axes[k].set_ylim(-3, 3)
plt.show()

# %% [markdown]
# ## Memorization
#
# Now train a fresh model on only 8 fixed points, then generate 300 points from it and plot
# them over the 8 training points.

# %% Retrain on 8 points [extra]
x_train = torch.Tensor(make_moons(8, noise=0.05)[0])
small = Flow()
small_optimizer = torch.optim.Adam(small.parameters(), lr=1e-2)
for it in range(3000):
    data = torch.cat([x_train] * 32)  # the 8 points, 32 times: one batch of 256
    noise = torch.randn_like(data)
    s = torch.rand(data.shape[0], 1)
    on_path = (1 - s) * noise + s * data
    small_loss = nn.functional.mse_loss(small(on_path, s), data - noise)
    small_optimizer.zero_grad()
    small_loss.backward()
    small_optimizer.step()

x_small = torch.randn(300, 2)
grid = torch.linspace(0, 1, 100)
with torch.no_grad():
    for i in range(99):
        x_small = small.euler_step(x_small, grid[i], grid[i + 1] - grid[i])

plt.figure(figsize=(4, 4))
plt.scatter(x_small[:, 0], x_small[:, 1], s=10, alpha=0.5, label="generated")
plt.scatter(x_train[:, 0], x_train[:, 1], s=40, marker="x", color="black", label="training points")
plt.legend()
plt.title("Trained on 8 points")
plt.show()

# %% [question]
# What do the generated points do, compared with the 8 training points? Why, in terms of
# Theorem 1?

# %% [answer]
# They pile up on the 8 training points: the model reproduces its training set instead of
# drawing new moons. For an empirical distribution $\frac1n \sum_i \delta_{x^{(i)}}$, the
# velocity of Theorem 1 has a closed form, a softmax-weighted average of the directions towards
# the data points, and it transports $p_0$ exactly onto those $n$ points. A network that fits
# the regression well enough learns that field and memorizes. With 256 fresh moons per step, and
# a smooth network that cannot fit every point, the learned field only approximates $u^*$, and
# that approximation is what creates new data. The Density view draws $u^*$ of a finite data set
# beside the learned field, and the samples $u^*$ carries land exactly on the data points.

# %% [blank euler]
# modes: todo
# title: Euler step
# todo: move x_t by stepsize along the velocity self(x_t, t)
# hint: The velocity at (x_t, t) is self(x_t, t), where t already has the shape (batch, 1). Where does a point go in a time stepsize?
# hint: Euler's method: $x_{t+h} = x_t + h\, u_\theta(x_t, t)$, with $h$ = stepsize.

# %% [blank train]
# modes: mid
# title: training loop body
# todo: draw a fresh batch x_1 of moons, noise x_0 of the same shape and times t (uniform on [0, 1], one per point, shape (batch_size, 1)), build x_t and the target, then take one optimizer step on the loss between flow(x_t, t) and the target
# hint: One iteration: data x_1, noise x_0, times t, the point x_t, the target, the loss, then optimizer.zero_grad(), loss.backward(), optimizer.step(). Keep these names so the checks find them.
# hint: $x_1 \sim p_{\text{data}}$, $x_0 \sim \mathcal N(0, \mathrm{Id})$, $t \sim \mathcal U([0, 1])$, $x_t = (1 - t) x_0 + t x_1$, loss $= \|u_\theta(x_t, t) - (x_1 - x_0)\|^2$ averaged.

# %% [blank x_1]
# modes: todo
# title: data batch x_1
# todo: a fresh batch of batch_size points of make_moons(noise=0.05)
# hint: make_moons(n, noise=...) returns a pair (points, labels): keep the points, as a tensor.
# hint: $x_1 \sim p_{\text{data}}$: torch.Tensor(make_moons(batch_size, noise=0.05)[0]).

# %% [blank x_0]
# modes: todo
# title: noise x_0
# todo: standard normal noise of the same shape
# hint: The source distribution is a standard normal in 2-D, one point per data point. Which torch function draws a standard normal shaped like another tensor?
# hint: $x_0 \sim p_0 = \mathcal N(0, \mathrm{Id})$: torch.randn_like(x_1), or torch.randn(batch_size, 2).

# %% [blank t]
# modes: todo
# title: times t
# todo: times uniform on [0, 1], shape (batch_size, 1)
# hint: One time per point, uniform on [0, 1], as a column so that it multiplies the rows of x_0 and x_1.
# hint: $t \sim \mathcal U([0, 1])$: torch.rand(batch_size, 1).

# %% [blank x_t]
# modes: todo
# title: interpolation x_t
# todo: the point at time t on the line from x_0 to x_1
# hint: At t = 0 the point is the noise x_0, at t = 1 the data x_1, and it moves on the straight line between them.
# hint: $x_t = (1 - t)\, x_0 + t\, x_1$.

# %% [blank target]
# modes: todo
# title: regression target
# todo: the velocity along that line
# hint: x_t moves on a straight line at constant speed: differentiate x_t with respect to t.
# hint: $\frac{d}{dt} x_t = x_1 - x_0$.

# %% [blank loss]
# modes: todo
# title: loss
# todo: mean squared error between flow(x_t, t) and target
# hint: Compare the network's velocity at (x_t, t) with the target; the loss is one number, averaged over the batch and the coordinates.
# hint: $\big\|u_\theta(x_t, t) - (x_1 - x_0)\big\|^2$ averaged: loss_fn(flow(x_t, t), target).

# %% [blank generate]
# modes: todo
# title: generation step
# todo: one Euler step from time_steps[i] to time_steps[i + 1]
# hint: flow.euler_step(x_t, t, stepsize) takes one step; the step size is the gap between two consecutive times of the grid.
# hint: $x_{t_{i+1}} = x_{t_i} + (t_{i+1} - t_i)\, u_\theta(x_{t_i}, t_i)$: flow.euler_step(x, time_steps[i], time_steps[i + 1] - time_steps[i]).

# %% [blank plot_samples]
# modes: todo
# title: data and samples
# todo: two panels sharing axes: "True data" (256 fresh moons) and "Generated data" (x)
# hint: fig, axes = plt.subplots(1, 2, sharex=True, sharey=True) gives two panels; axes[0].scatter(xs, ys) draws points.
# hint: Scatter 256 fresh points of make_moons(256, noise=0.05)[0] on axes[0] and the generated x on axes[1], titled with set_title, then plt.show().

# %% [blank plot_path]
# modes: todo
# title: probability path
# todo: eight panels at evenly spaced indices of xt, titled with their t, limits [-3, 3]
# hint: plt.subplots(1, 8, sharex=True, sharey=True) gives eight panels; np.linspace(0, n_steps - 1, 8) gives evenly spaced indices (convert each with int).
# hint: On panel k scatter xt[i] for the k-th index i, set_title(f"t = {time_steps[i]:.2f}"), set_xlim(-3, 3), set_ylim(-3, 3), then plt.show().
