# torch.distributions.Normal: log_prob against PyTorch (broadcasting, gradients in the
# value, loc and scale), properties, printing, sample/rsample shapes and the likelihood of a
# standard normal base.
import math
import torch
import torch.distributions as D
from torch.distributions import Normal

n = Normal(0.0, 1.0)
print(n, n.mean, n.stddev, n.variance)
print(n.batch_shape, n.event_shape, isinstance(n, Normal), isinstance(n, D.Normal))
z = torch.linspace(-3.0, 3.0, 7)
print(n.log_prob(z))
print(f"{n.log_prob(torch.tensor(0.0)).item():.10f} {-0.5 * math.log(2 * math.pi):.10f}")
print(n.entropy())

p = torch.distributions.Normal(torch.tensor([0.0, 1.0, -2.0]), torch.tensor([1.0, 0.5, 3.0]))
print(p)
print(p.loc, p.scale, p.variance)
print(p.log_prob(torch.tensor([0.5, 0.5, 0.5])))
print(p.log_prob(torch.tensor([[0.0], [1.0]])))
print(p.entropy())
q = Normal(torch.tensor([[0.0], [2.0]]), torch.tensor([1.0, 2.0, 4.0]))
print(q.batch_shape, q.loc.shape, q.scale.shape)
print(q.log_prob(torch.tensor(1.0)))
print(Normal(0.1, 2.0), Normal(torch.tensor([0.5]), 2.0))

# gradients in the value, loc and scale
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
mu = torch.tensor(0.25, requires_grad=True)
sigma = torch.tensor([1.0, 2.0, 0.5], requires_grad=True)
lp = Normal(mu, sigma).log_prob(x)
print(lp)
lp.sum().backward()
print(x.grad)
print(mu.grad)
print(sigma.grad)
gx, gmu, gs = torch.autograd.grad(Normal(mu, sigma).log_prob(x).sum(), [x, mu, sigma])
print(gx, gmu, gs)

# the likelihood of points under a 2-D standard normal base
pts = torch.tensor([[0.0, 0.0], [1.0, -1.0], [2.0, 0.5]])
base = Normal(torch.zeros(2), torch.ones(2))
print(base.log_prob(pts).sum(-1))
print(Normal(0.0, 1.0).log_prob(pts).sum(dim=1))

# samples: shapes and seed-independent facts only
torch.manual_seed(0)
print(n.sample().shape, n.sample((4,)).shape, p.sample((2, 5)).shape, base.sample((100,)).shape)
s = n.sample((3,))
print(s.requires_grad, s.dtype)
loc = torch.tensor([1.0, -1.0], requires_grad=True)
scale = torch.tensor([0.5, 2.0], requires_grad=True)
r = Normal(loc, scale).rsample((6,))
print(r.shape, r.requires_grad)
r.sum().backward()
print(loc.grad)
print(scale.grad.shape)
c = Normal(loc, scale).sample((6,))
print(c.requires_grad)
