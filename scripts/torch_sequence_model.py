#!/usr/bin/env python3
# torch_sequence_model: one training step's loss and parameter gradients of a small sequence model in PyTorch, the
# fixture of Tests/NASCRuntimeTests/SequenceModelTorchTests.swift (the same model in nasc's text IR there):
#   ids [N,7] -> embedding(12, 6) -> conv1d(8, k3, same) -> relu -> masked max_pool1d(3, 1, same)
#   -> masked avg_pool1d(3, 1, same) = q; q -> conv1d(4, k2, stride 2, groups 2) -> transpose(1,2) -> transpose(1,2)
#   -> max over time -> linear(3) ; masked mean over time of q -> linear(3) ; sum -> mean softmax cross-entropy.
# A second fixture, recurrent_model.json for Tests/NASCRuntimeTests/RecurrentModelTorchTests.swift:
#   ids [N,7] -> embedding(12, 6) -> nn.LSTM(6, 5, bidirectional) -> nn.GRU(10, 4) -> masked mean over time
#   -> linear(3) -> mean softmax cross-entropy (padding steps run through the recurrences, as in plain nn.LSTM/nn.GRU).
# Regenerate: python3 scripts/torch_sequence_model.py
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1603)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NASCRuntimeTests", "Fixtures",
                   "sequence_model.json")


def masked_pool(h, ids, k, s, p, max_pool):
    m = (ids != 0).unsqueeze(1).to(h.dtype)
    x = h.transpose(1, 2)
    counted = F.avg_pool1d(m, k, s, p, count_include_pad=True)
    if max_pool:
        y = F.max_pool1d(x.masked_fill(m == 0, float("-inf")), k, s, p)
        y = torch.where(counted > 0, y, torch.zeros_like(y))
    else:
        y = F.avg_pool1d(x * m, k, s, p, count_include_pad=True) / counted.clamp(min=0.5 / k)
    return y.transpose(1, 2)


ids = torch.randint(1, 12, (4, 7))
ids[0, 5:] = 0; ids[2, :] = 0; ids[3, 1] = 0
labels = torch.tensor([0, 2, 1, 2])
params = {
    "h.weight": torch.randn(12, 6),
    "c.weight": torch.randn(8, 6, 3) * 0.4, "c.bias": torch.randn(8) * 0.1,
    "d.weight": torch.randn(4, 4, 2) * 0.4, "d.bias": torch.randn(4) * 0.1,
    "o1.weight": torch.randn(3, 4) * 0.5, "o1.bias": torch.randn(3) * 0.1,
    "o2.weight": torch.randn(3, 8) * 0.5, "o2.bias": torch.randn(3) * 0.1,
}
for t in params.values():
    t.requires_grad_(True)
P = params
h = F.embedding(ids, P["h.weight"])
c = F.relu(F.conv1d(h.transpose(1, 2), P["c.weight"], P["c.bias"], padding=1).transpose(1, 2))
p = masked_pool(c, ids, 3, 1, 1, True)
q = masked_pool(p, ids, 3, 1, 1, False)
d = F.conv1d(q.transpose(1, 2), P["d.weight"], P["d.bias"], stride=2, groups=2).transpose(1, 2)
u = d.transpose(1, 2).transpose(1, 2)
g = u.amax(1)
m = (ids != 0).unsqueeze(-1).to(q.dtype)
a = (q * m).sum(1) / m.sum(1).clamp(min=1)
logits = F.linear(g, P["o1.weight"], P["o1.bias"]) + F.linear(a, P["o2.weight"], P["o2.bias"])
loss = F.cross_entropy(logits, labels)
loss.backward()


def write(path, ids, labels, loss, logits, params):
    fixture = {
        "ids": ids.flatten().tolist(), "labels": labels.tolist(), "loss": loss.item(), "logits": logits.detach().flatten().tolist(),
        "params": {k: v.detach().flatten().tolist() for k, v in params.items()},
        "grads": {k: v.grad.flatten().tolist() for k, v in params.items()},
    }
    with open(path, "w") as f:
        json.dump(fixture, f, indent=None)
        f.write("\n")
    print(f"wrote {path}: loss {loss.item():.6f}")


write(OUT, ids, labels, loss, logits, P)


def recurrent_model():
    torch.manual_seed(1604)
    ids = torch.randint(1, 12, (4, 7))
    ids[0, 5:] = 0; ids[3, 1] = 0
    labels = torch.tensor([1, 0, 2, 1])
    emb = torch.nn.Embedding(12, 6); lstm = torch.nn.LSTM(6, 5, batch_first=True, bidirectional=True)
    gru = torch.nn.GRU(10, 4, batch_first=True); lin = torch.nn.Linear(4, 3)
    h = emb(ids)
    r, _ = lstm(h)
    g, _ = gru(r)
    m = (ids != 0).unsqueeze(-1).to(g.dtype)
    logits = lin((g * m).sum(1) / m.sum(1))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    named = {"h.weight": emb.weight, "o.weight": lin.weight, "o.bias": lin.bias}
    for prefix, module in (("l", lstm), ("g", gru)):
        for name, p in module.named_parameters():
            named[f"{prefix}.{name}"] = p
    write(os.path.join(os.path.dirname(OUT), "recurrent_model.json"), ids, labels, loss, logits, named)


recurrent_model()
