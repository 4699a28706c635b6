# A mini flow-matching training loop on fixed literal data (no randomness).
import torch
from torch import nn

class Flow(nn.Module):
    def __init__(self, dim=2, hidden=8):
        super().__init__()
        self.l1 = nn.Linear(dim + 1, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.l3 = nn.Linear(hidden, dim)
        with torch.no_grad():
            self.l1.weight[:] = torch.sin(torch.arange(24.0) * 0.7).view(hidden, dim + 1) * 0.6
            self.l1.bias[:] = torch.linspace(-0.2, 0.2, hidden)
            self.l2.weight[:] = torch.cos(torch.arange(64.0) * 0.3).view(hidden, hidden) * 0.35
            self.l2.bias[:] = torch.zeros(hidden)
            self.l3.weight[:] = torch.sin(torch.arange(16.0) * 1.3).view(dim, hidden) * 0.4
            self.l3.bias[:] = torch.tensor([0.05, -0.05])
        self.net = nn.Sequential(self.l1, nn.ELU(), self.l2, nn.ELU(), self.l3)

    def forward(self, x_t, t):
        return self.net(torch.cat((t, x_t), dim=-1))

    def step(self, x_t, t_start, t_end):
        t_start = t_start.view(1, 1).expand(x_t.shape[0], 1)
        return x_t + (t_end - t_start) * self(x_t, t_start)

x_1 = torch.tensor([[1.0, 0.0], [0.5, 0.85], [-0.5, 0.85], [-1.0, 0.0],
                    [0.0, 0.5], [1.0, -0.5], [1.5, -0.35], [2.0, 0.5]])
x_0 = torch.stack([torch.sin(torch.arange(8.0) * 2.1), torch.cos(torch.arange(8.0) * 1.7)], dim=1)
t = torch.linspace(0.05, 0.95, 8).view(8, 1)
print(x_0)
x_t = (1 - t) * x_0 + t * x_1
print(x_t)
flow = Flow()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-2)
loss_fn = nn.MSELoss()
for it in range(15):
    optimizer.zero_grad()
    u = flow(x_t, t)
    loss = loss_fn(u, x_1 - x_0)
    loss.backward()
    optimizer.step()
    if it % 3 == 0:
        print(f"iteration {it:2d} loss {loss.item():.5f}")
print(f"final loss: {loss.item():.4f}")
print(flow.l3.bias.detach())
n_steps = 5
time_steps = torch.linspace(0, 1, n_steps)
x = x_0[:4].clone()
xt = torch.zeros(n_steps, 4, 2)
xt[0] = x
with torch.no_grad():
    for i in range(n_steps - 1):
        x = flow.step(x, time_steps[i], time_steps[i + 1])
        xt[i + 1] = x
print(xt[-1])
print(xt[:, 0, 0])
for i in range(n_steps):
    print(f"t = {time_steps[i]:.2f} mean = {xt[i].mean(dim=0)}")
print(x.requires_grad, xt.shape)
