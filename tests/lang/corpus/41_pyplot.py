# matplotlib.pyplot calls print nothing; the program prints facts about the data.
import matplotlib.pyplot as plt
import numpy as np
import torch

xs = torch.linspace(-1, 1, 9)
ys = xs * xs
tab10 = plt.colormaps["tab10"]
print(len(tab10.colors))
print(tab10.colors[0])
print(tab10.colors[1])
fig, axes = plt.subplots(1, 2, sharex=True, sharey=True, figsize=(8, 4))
axes[0].scatter(xs, ys, s=10, color=tab10.colors[0])
axes[0].set_title("parabola")
pts = torch.stack([xs, -ys], dim=1)
axes[1].scatter(*pts.T, s=10, color=tab10.colors[1], alpha=0.5)
axes[1].plot(xs, -ys, label="curve")
axes[1].legend()
axes[1].set_title(f"t = {xs[0]:.2f}")
for ax in axes:
    ax.set_aspect("equal")
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
plt.tight_layout()
plt.show()
plt.close()
print(pts.shape, pts.T.shape)
print(ys)
fig, ax = plt.subplots()
u = torch.ones(9)
v = xs
ax.quiver(xs, ys, u, v)
ax.set_title("field")
plt.close()
plt.figure(figsize=(4, 4))
plt.scatter(np.linspace(0, 1, 5), np.linspace(1, 0, 5), s=5)
plt.plot([0, 1], [0, 1])
plt.title("lines")
plt.xlim(-0.5, 1.5)
plt.ylim(-0.5, 1.5)
plt.legend(["a", "b"])
plt.show()
plt.close()
print(f"mean y = {ys.mean().item():.4f}, max |x| = {max([abs(v.item()) for v in xs])}")
print("plots done")
