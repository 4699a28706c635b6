# The lab end to end at toy size: moons data, a velocity MLP, SGD with momentum, sampling, plots.
import torch
import numpy as np
from sklearn.datasets import make_moons
from torch import nn
import matplotlib.pyplot as plt

X, _ = make_moons(6, noise=0.0, shuffle=False)
x_1 = torch.Tensor(X)
print(x_1.shape, f"{x_1.abs().sum().item():.4f}")
x_0 = torch.stack([torch.cos(torch.arange(6.0)), torch.sin(torch.arange(6.0) * 0.5)], dim=1)
t = torch.Tensor(np.linspace(0.1, 0.9, 6)).view(6, 1)
x_t = (1 - t) * x_0 + t * x_1
l1 = nn.Linear(3, 6)
l2 = nn.Linear(6, 2)
with torch.no_grad():
    l1.weight[:] = torch.cos(torch.arange(18.0) * 0.9).view(6, 3) * 0.5
    l1.bias[:] = torch.zeros(6)
    l2.weight[:] = torch.sin(torch.arange(12.0) * 0.8 + 0.3).view(2, 6) * 0.5
    l2.bias[:] = torch.tensor([0.0, 0.1])
model = nn.Sequential(l1, nn.SiLU(), l2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.MSELoss()
losses = []
for it in range(12):
    optimizer.zero_grad()
    u = model(torch.cat((t, x_t), dim=-1))
    loss = loss_fn(u, x_1 - x_0)
    loss.backward()
    optimizer.step()
    losses = losses + [loss.item()]
print([f"{v:.4f}" for v in losses])
print(f"first {losses[0]:.5f} last {losses[-1]:.5f} ratio {losses[-1] / losses[0]:.1%}")
print(l2.bias.detach())
n_steps = 4
time_steps = torch.linspace(0, 1, n_steps)
x = x_0.clone()
xt = torch.zeros(n_steps, 6, 2)
xt[0] = x
with torch.no_grad():
    for i in range(n_steps - 1):
        ts = time_steps[i].view(1, 1).expand(x.shape[0], 1)
        x = x + (time_steps[i + 1] - ts) * model(torch.cat((ts, x), dim=-1))
        xt[i + 1] = x
print(xt[-1])
print(xt.shape, x.requires_grad)
tab10 = plt.colormaps["tab10"]
fig, axes = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
axes[0].scatter(*x_1.T, s=10, color=tab10.colors[0])
axes[0].set_title("True data")
axes[1].scatter(*x.detach().T, s=10, color=tab10.colors[1])
axes[1].set_title("Generated data")
plt.show()
fig, axes = plt.subplots(1, n_steps, sharex=True, sharey=True, figsize=(16, 2.5))
for k in range(n_steps):
    axes[k].scatter(*xt[k].T, s=10, alpha=0.5)
    axes[k].set_title(f"t = {time_steps[k]:.2f}")
for ax in axes:
    ax.set_aspect("equal")
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
plt.tight_layout()
plt.show()
print("distance to data:", ((x - x_1) ** 2).sum(dim=1).mean().item() > 0)
