# Fitting y = 2x - 1 (+ a wiggle) by hand with autograd and a while loop, then with nn.Linear + SGD.
import torch
from torch import nn

xs = torch.linspace(-1, 1, 9).view(9, 1)
ys = 2 * xs - 1 + 0.1 * torch.cos(5 * xs)
print(ys.view(-1))
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.2
step = 0
history = []
while step < 40:
    pred = w * xs + b
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad[...] = 0.0
    b.grad[...] = 0.0
    if step % 8 == 0:
        history = history + [round(loss.item(), 5)]
        print(f"step {step:2d}: w={w.item():.5f} b={b.item():.5f} loss={loss.item():.6f}")
    step += 1
print(history)
print(f"w={w.item():.4f} b={b.item():.4f}")
model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight[:] = torch.tensor([[0.0]])
    model.bias[:] = torch.tensor([0.0])
opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
loss_fn = nn.MSELoss()
for epoch in range(25):
    opt.zero_grad()
    loss = loss_fn(model(xs), ys)
    loss.backward()
    opt.step()
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1:3d} loss {loss.item():.3e}")
print(model.weight.item(), model.bias.item())
print(f"{model.weight.item():.4f} {model.bias.item():.4f}")
residual = (model(xs) - ys).detach()
print(residual.view(-1))
print(residual.norm())
