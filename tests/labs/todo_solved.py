# Flow matching on two moons: the todo lab, every blank filled in as an attendee would.

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

    def euler_step(self, x_t, t, stepsize):
        """One Euler step from time `t` (a scalar tensor) with step `stepsize`.

        Used at generation time only.
        """
        t = t * torch.ones(len(x_t), 1)
        u = self(x_t, t)
        return x_t + stepsize * u


# %% training
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()  # mean over the batch and the coordinates
batch_size = 256
n_iterations = 10_000

for it in range(n_iterations):
    if it % 500 == 0:
        print(f"iteration {it}")
    x_1 = torch.Tensor(make_moons(batch_size, noise=0.05)[0])
    x_0 = torch.randn_like(x_1)
    t = torch.rand(len(x_1), 1)
    x_t = (1 - t) * x_0 + t * x_1
    target = x_1 - x_0
    loss = ((flow(x_t, t) - target) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


# %% generation
n_points = 300
n_steps = 100
x = torch.randn(n_points, 2)  # start from N(0, I)
time_steps = torch.linspace(0, 1, n_steps)
xt = torch.zeros(n_steps, n_points, 2)  # every state, the start at index 0
xt[0] = x
for i in range(n_steps - 1):
    dt = time_steps[i + 1] - time_steps[i]
    x = flow.euler_step(x, time_steps[i], dt)
    xt[i + 1] = x.detach()


# %% plots: data and samples
fig, (ax_data, ax_gen) = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
moons = make_moons(256, noise=0.05)[0]
ax_data.scatter(moons[:, 0], moons[:, 1], s=10)
ax_data.set_title("True data")
samples = xt[-1]
ax_gen.scatter(samples[:, 0], samples[:, 1], s=10, color="tab:orange")
ax_gen.set_title("Generated data")
plt.show()


# %% plots: the probability path p_t
n_plots = 8
indices = [round(k * (n_steps - 1) / (n_plots - 1)) for k in range(n_plots)]
fig, axes = plt.subplots(1, n_plots, sharex=True, sharey=True, figsize=(16, 2.5))
for ax, i in zip(axes, indices):
    ax.scatter(xt[i, :, 0], xt[i, :, 1], s=10, alpha=0.5)
    ax.set_title(f"t = {time_steps[i].item():.2f}")
    ax.set_aspect("equal")
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
plt.tight_layout()
plt.show()
