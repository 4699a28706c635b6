# sklearn make_moons / make_circles without noise and without shuffling.
import numpy as np
import torch
from sklearn.datasets import make_moons, make_circles

X, y = make_moons(8, noise=0.0, shuffle=False)
print(X.shape, y.shape)
print(y)
print(torch.Tensor(X[:3]))
print(torch.Tensor(X[4:6]))
print(np.mean(X), f"{np.std(X):.6f}")
x1 = torch.Tensor(X)
print(x1[:3])
print(x1.shape, x1.mean(dim=0))
print(x1[-1], x1[0, 0].item(), x1[1, 1].item())
Xm, ym = make_moons(n_samples=6, shuffle=False, noise=None)
print(Xm.shape, f"{Xm[2, 0]:.4f} {Xm[3, 1]:.4f}")
print(ym)
Xc, yc = make_circles(8, shuffle=False, noise=0.0)
print(Xc.shape, yc)
print(torch.Tensor(Xc[:4]).abs().sum(dim=1))
print(f"{Xc[1, 0]:.6f} {Xc[5, 1]:.6f}")
Xf, yf = make_circles(n_samples=4, shuffle=False, noise=0.0, factor=0.5)
print(Xf.shape, yf, f"{Xf[0, 0]:.3f} {Xf[3, 0]:.3f}")
tc = torch.Tensor(Xc)
radii = (tc * tc).sum(dim=1) ** 0.5
print(radii)
X2, _ = make_moons(10, noise=0.0, shuffle=False)
print(X2[:2, 0])
print(len(X2), X2.shape[1])
for i in range(3):
    print(f"point {i}: ({X2[i, 0]:.4f}, {X2[i, 1]:.4f})")
