# Flow matching on two moons: the mid lab. Everything is given but the training loop's body.

# %% imports
import torch
import numpy as np
from sklearn.datasets import make_moons
from torch import nn
import matplotlib.pyplot as plt


# %% velocity definition
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

    def step(self, x_t, t_start, t_end):
        """One Euler step from time `t_start` to time `t_end` (scalar tensors).

        Used at generation time only.
        """
        t_start = t_start.view(1, 1).expand(x_t.shape[0], 1)
        return x_t + (t_end - t_start) * self(x_t, t_start)


# %% training
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()  # mean over the batch and the coordinates
batch_size = 256
n_iterations = 10_000

for it in range(n_iterations):
    if it % 500 == 0:
        print(f"iteration {it}")
    # a fresh batch of data, noise and times
    X, _ = make_moons(batch_size, noise=0.05)
    x_1 = torch.Tensor(X)
    x_0 = torch.randn(batch_size, 2)
    t = torch.rand(batch_size, 1)
    x_t = (1 - t) * x_0 + t * x_1

    # regress the velocity on x_1 - x_0
    optimizer.zero_grad()
    u = flow(x_t, t)
    loss = loss_fn(u, x_1 - x_0)
    loss.backward()
    optimizer.step()

print(f"final loss: {loss.item():.4f}")


# %% generation
n_points = 300
n_steps = 100
x = torch.randn(n_points, 2)  # start from N(0, I)
time_steps = torch.linspace(0, 1, n_steps)
xt = torch.zeros(n_steps, n_points, 2)  # every state, the start at index 0
xt[0] = x
with torch.no_grad():
    for i in range(n_steps - 1):
        x = flow.step(x, time_steps[i], time_steps[i + 1])
        xt[i + 1] = x


# %% plots: data and samples
tab10 = plt.colormaps["tab10"]
fig, axes = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
x_true = make_moons(256, noise=0.05)[0]
axes[0].scatter(*x_true.T, s=10, color=tab10.colors[0])
axes[0].set_title("True data")
axes[1].scatter(*x.detach().T, s=10, color=tab10.colors[1])
axes[1].set_title("Generated data")
plt.show()


# %% plots: the probability path p_t
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
