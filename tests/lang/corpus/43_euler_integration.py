# Euler integration of simple ODEs with tensors, storing every state (xt[i + 1] = x).
import torch

def velocity(x, t):
    rot = torch.stack([-x[:, 1], x[:, 0]], dim=1)
    return rot * (1 + t)

n_points = 4
n_steps = 6
angles = torch.linspace(0, 3, n_points)
x = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
print(x)
time_steps = torch.linspace(0, 1, n_steps)
print(time_steps)
xt = torch.zeros(n_steps, n_points, 2)
xt[0] = x
for i in range(n_steps - 1):
    t_start = time_steps[i].view(1, 1).expand(x.shape[0], 1)
    dt = time_steps[i + 1] - time_steps[i]
    x = x + dt * velocity(x, t_start)
    xt[i + 1] = x
print(xt[-1])
radius = (xt * xt).sum(dim=2) ** 0.5
print(radius)
print(radius[:, 0])
for k in range(0, n_steps, 2):
    print(f"t = {time_steps[k]:.2f}: first point ({xt[k, 0, 0].item():.4f}, {xt[k, 0, 1].item():.4f})")
y = torch.tensor([1.0])
h = 0.1
for step in range(10):
    y = y + h * (-2.0 * y)
print(y, y.item())
exact = torch.exp(torch.tensor(-2.0))
print(exact, f"error {abs(y.item() - exact.item()):.6f}")
z = torch.tensor([[1.0, 0.0]])
traj = [z]
for step in range(4):
    z = z + 0.5 * torch.cat([z[:, 1:], -z[:, :1]], dim=1)
    traj = traj + [z]
path = torch.cat(traj, dim=0)
print(path)
print(path.shape, path.mean(dim=0))
