#!/usr/bin/env python3
# proxy-fixtures: PyTorch reference values of the zero-cost proxies on Tests/NASCToolTests/Fixtures/proxy_net.nas, for
# ZeroCostProxyTests. Regenerate (needs torch and numpy):   python3 scripts/proxy-fixtures.py
#
# The network is written functionally with the parameter names nasc gives it (node name + .weight/.bias). The proxies
# follow the reference code (zero-cost-nas `foresight/pruners/measures`, NASLib `predictors/utils/pruners/measures`,
# Mellor et al.'s NASWOT): sums over conv/linear weights; synflow on a copy without batch norm, |parameters|, double,
# input of ones (batch 1), d sum(output); grad_norm and snip from cross-entropy in train mode; NASWOT from the binary
# codes of every ReLU (train mode), log|det K|; jacob_cov from the input gradient of sum(output), the eigenvalues of
# the correlation matrix, -sum(log(v + 1e-5) + 1 / (v + 1e-5)).
# Output: Tests/NASCToolTests/Fixtures/proxy_fixtures.json
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(20261207)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NASCToolTests", "Fixtures", "proxy_fixtures.json")
N = 6

params = {
    "h_conv2d.weight": torch.randn(3, 2, 3, 3) * 0.5,
    "h_batch_norm.weight": 1 + 0.3 * torch.randn(3),
    "h_batch_norm.bias": 0.2 * torch.randn(3),
    "h_conv2d_1.weight": torch.randn(4, 3, 3, 3) * 0.4,
    "h_conv2d_1.bias": 0.1 * torch.randn(4),
    "h_batch_norm_1.weight": 1 + 0.3 * torch.randn(4),
    "h_batch_norm_1.bias": 0.2 * torch.randn(4),
    "logits.weight": torch.randn(3, 4) * 0.5,
    "logits.bias": 0.1 * torch.randn(3),
}
x = torch.randn(N, 2, 5, 5)
labels = torch.tensor([0, 1, 2, 1, 0, 2])
WEIGHTS = ["h_conv2d.weight", "h_conv2d_1.weight", "logits.weight"]  # conv2d and linear weights


def net(p, x, bn=True, relus=None):
    def norm(h, name):
        if not bn:
            return h
        return F.batch_norm(h, None, None, p[name + ".weight"], p[name + ".bias"], training=True, eps=1e-5)

    def relu(h):
        h = F.relu(h)
        if relus is not None:
            relus.append(h.detach())
        return h

    h = relu(norm(F.conv2d(x, p["h_conv2d.weight"], None, padding=1), "h_batch_norm"))
    h = relu(norm(F.conv2d(h, p["h_conv2d_1.weight"], p["h_conv2d_1.bias"], padding=1), "h_batch_norm_1"))
    return F.linear(h.mean(dim=(2, 3)), p["logits.weight"], p["logits.bias"])


def grads(p, loss_of):
    q = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    loss_of(q).backward()
    return q


expected = {}
# grad_norm and snip
q = grads(params, lambda q: F.cross_entropy(net(q, x), labels))
expected["grad_norm"] = sum(q[w].grad.norm().item() for w in WEIGHTS)
expected["snip"] = sum((q[w].grad * q[w]).abs().sum().item() for w in WEIGHTS)
# synflow (no batch norm, |params|, double, ones, batch 1)
pd = {k: v.abs().double() for k, v in params.items()}
q = grads(pd, lambda q: net(q, torch.ones(1, 2, 5, 5, dtype=torch.float64), bn=False).sum())
expected["synflow"] = sum((q[w] * q[w].grad).abs().sum().item() for w in WEIGHTS)
# NASWOT
relus = []
with torch.no_grad():
    net(params, x, relus=relus)
codes = torch.cat([r.reshape(N, -1) for r in relus], dim=1)
c = (codes > 0).double()
K = c @ c.t() + (1 - c) @ (1 - c).t()
expected["naswot"] = float(np.linalg.slogdet(K.numpy())[1])
# jacob_cov
xr = x.clone().requires_grad_(True)
y = net(params, xr)
y.backward(torch.ones_like(y))
jac = xr.grad.reshape(N, -1).numpy().astype(np.float64)
v, _ = np.linalg.eig(np.corrcoef(jac))
k = 1e-5
expected["jacob_cov"] = float(-np.sum(np.log(v.real + k) + 1.0 / (v.real + k)))
expected["params"] = sum(t.numel() for t in params.values())

with open(OUT, "w") as f:
    json.dump({"input": x.flatten().tolist(), "labels": labels.tolist(), "count": N,
               "params": {k: v.flatten().tolist() for k, v in params.items()}, "expected": expected}, f, indent=1)
print(OUT, expected)
