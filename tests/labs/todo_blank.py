# Flow matching on two moons: the todo lab. Fill in every blank marked TODO.

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
        ...  # TODO: give t the shape (batch, 1), then move x_t by stepsize along u(x_t, t)


# %% training
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()  # mean over the batch and the coordinates
batch_size = 256
n_iterations = 10_000

for it in range(n_iterations):
    if it % 500 == 0:
        print(f"iteration {it}")
    x_1 = ...  # TODO: a fresh batch of batch_size points of make_moons(noise=0.05)
    x_0 = ...  # TODO: standard normal noise of the same shape
    t = ...  # TODO: times uniform on [0, 1], shape (batch_size, 1)
    x_t = ...  # TODO: the point at time t on the line from x_0 to x_1
    target = ...  # TODO: the velocity along that line
    loss = ...  # TODO: mean squared error between flow(x_t, t) and target
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
...  # TODO: n_steps - 1 Euler steps from time_steps[i] to time_steps[i + 1], storing each state


# %% plots: data and samples
...  # TODO: two panels sharing axes: "True data" (256 fresh moons) and "Generated data"


# %% plots: the probability path p_t
...  # TODO: eight panels at evenly spaced indices of xt, titled with their t, limits [-3, 3]
