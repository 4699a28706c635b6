# torch.optim.Adam on tiny explicit problems, printing parameters every step.
import torch
from torch import nn

lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight[:] = torch.tensor([[0.5, -0.5], [0.25, 1.0]])
    lin.bias[:] = torch.tensor([0.0, 0.1])
x = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, 1.0]])
y = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
opt = torch.optim.Adam(lin.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()
for step in range(6):
    opt.zero_grad()
    loss = loss_fn(lin(x), y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.6f}")
    print(lin.weight.detach())
    print(lin.bias.detach())

p = torch.tensor([2.0, -3.0], requires_grad=True)
opt2 = torch.optim.Adam([p], lr=0.1)
for step in range(8):
    opt2.zero_grad()
    f = (p ** 2).sum() + p[0] * p[1]
    f.backward()
    opt2.step()
    print(f"{step}: f={f.item():.5f} p=({p[0].item():.5f}, {p[1].item():.5f})")

q = torch.tensor(1.0, requires_grad=True)
opt3 = torch.optim.Adam([q], lr=0.5)
for step in range(4):
    opt3.zero_grad()
    g = (q - 3.0) ** 2
    g.backward()
    opt3.step()
    print(step, q.detach(), q.item())
