#!/usr/bin/env python3
# torch_fixtures: writes PyTorch reference fixtures (inputs, outputs, gradients) for the NASCKernels tests.
#
# Regenerate (needs torch; `make test` does not):   python3 scripts/torch_fixtures.py
# Makefile target suggestion:   fixtures: ; python3 scripts/torch_fixtures.py
#
# Output: Tests/NASCKernelsTests/Fixtures/torch_fixtures.bin, a list of named float32 tensors:
#   magic "NASCFIX1", u32 record count, then per record:
#   u16 name length, UTF-8 name, u8 rank, u32 dims[rank], float32 data[prod(dims)]   (all little endian)
# Names are "<case>/<tensor>"; integer data (configs, labels, indices) is stored as float32 (exact below 2^24).
import os
import struct

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NASCKernelsTests", "Fixtures",
                   "torch_fixtures.bin")
records = []


def put(case, name, t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    records.append((f"{case}/{name}", list(t.shape), t.numpy().tobytes()))


def randn(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).requires_grad_(True)


def conv_case(case, n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, g, bias):
    x = randn(n, c, h, w)
    wt = randn(oc, c // g, kh, kw, scale=0.5)
    b = randn(oc) if bias else None
    y = F.conv2d(x, wt, b, stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=g)
    gy = torch.randn_like(y)
    y.backward(gy)
    put(case, "cfg", [n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, g, 1 if bias else 0])
    put(case, "x", x); put(case, "w", wt); put(case, "y", y); put(case, "gy", gy)
    put(case, "gx", x.grad); put(case, "gw", wt.grad)
    if bias:
        put(case, "b", b); put(case, "gb", b.grad)


conv_case("conv_basic", 2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1, True)
conv_case("conv_s2p1", 3, 2, 9, 8, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, True)
conv_case("conv_dil2", 2, 3, 9, 9, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1, False)
conv_case("conv_g2", 2, 4, 7, 7, 6, 3, 2, 1, 2, 1, 0, 1, 1, 2, True)
conv_case("conv_dw", 3, 4, 8, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, True)
conv_case("conv_dw_s2m2", 2, 3, 9, 9, 6, 5, 5, 2, 2, 2, 2, 1, 1, 3, False)
conv_case("conv_1x1", 2, 5, 5, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, True)
conv_case("conv_rect", 1, 2, 5, 11, 3, 2, 4, 3, 2, 1, 2, 1, 2, 1, True)

# linear
x = randn(3, 7); wt = randn(5, 7, scale=0.5); b = randn(5)
y = F.linear(x, wt, b); gy = torch.randn_like(y); y.backward(gy)
put("linear", "cfg", [3, 7, 5])
for k, v in dict(x=x, w=wt, b=b, y=y, gy=gy, gx=x.grad, gw=wt.grad, gb=b.grad).items():
    put("linear", k, v)


def bn_case(case, shape, training):
    c = shape[1]
    x = randn(*shape, scale=2.0)
    with torch.no_grad():
        x += 0.5
    gamma = randn(c); beta = randn(c)
    rm = torch.randn(c) * 0.1
    rv = torch.rand(c) + 0.5
    rm0, rv0 = rm.clone(), rv.clone()
    y = F.batch_norm(x, rm, rv, gamma, beta, training=training, momentum=0.1, eps=1e-5)
    gy = torch.randn_like(y); y.backward(gy)
    spatial = 1
    for d in shape[2:]:
        spatial *= d
    put(case, "cfg", [shape[0], c, spatial, 1 if training else 0])
    for k, v in dict(x=x, gamma=gamma, beta=beta, rm0=rm0, rv0=rv0, rm1=rm, rv1=rv, y=y, gy=gy, gx=x.grad,
                     ggamma=gamma.grad, gbeta=beta.grad).items():
        put(case, k, v)


bn_case("bn_train", (3, 4, 5, 3), True)
bn_case("bn_train_1d", (5, 3), True)
bn_case("bn_eval", (3, 4, 5, 3), False)

# layernorm over the last dim
x = randn(2, 3, 8); gamma = randn(8); beta = randn(8)
y = F.layer_norm(x, (8,), gamma, beta, eps=1e-5); gy = torch.randn_like(y); y.backward(gy)
put("layernorm", "cfg", [6, 8])
for k, v in dict(x=x, gamma=gamma, beta=beta, y=y, gy=gy, gx=x.grad, ggamma=gamma.grad, gbeta=beta.grad).items():
    put("layernorm", k, v)


def pool_case(case, kind, n, c, h, w, k, s, p, include_pad=True, ties=False):
    # With ties=True the input holds small integers, so windows contain equal maxima (index choice is pinned).
    x = torch.randint(0, 3, (n, c, h, w)).float().requires_grad_(True) if ties else randn(n, c, h, w)
    if kind == "max":
        y, idx = F.max_pool2d(x, k, s, p, return_indices=True)
    else:
        y = F.avg_pool2d(x, k, s, p, count_include_pad=include_pad)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [n, c, h, w, k, s, p, 1 if include_pad else 0])
    put(case, "x", x); put(case, "y", y); put(case, "gy", gy); put(case, "gx", x.grad)
    if kind == "max":
        put(case, "idx", idx)


pool_case("maxpool_k3s2p1", "max", 2, 3, 7, 8, 3, 2, 1)
pool_case("maxpool_k2s2", "max", 2, 2, 6, 6, 2, 2, 0)
pool_case("maxpool_ties", "max", 2, 2, 7, 7, 3, 2, 1, ties=True)
pool_case("avgpool_k3s2p1_incl", "avg", 2, 3, 7, 8, 3, 2, 1, True)
pool_case("avgpool_k3s2p1_excl", "avg", 2, 3, 7, 8, 3, 2, 1, False)
pool_case("avgpool_k2s1p1_excl", "avg", 1, 2, 5, 5, 2, 1, 1, False)

x = randn(2, 3, 5, 4)
y = x.mean(dim=(2, 3)); gy = torch.randn_like(y); y.backward(gy)
put("gap", "cfg", [2, 3, 20])
put("gap", "x", x); put("gap", "y", y); put("gap", "gy", gy); put("gap", "gx", x.grad)

acts = {
    "relu": (F.relu, 3.0), "relu6": (F.relu6, 4.0), "sigmoid": (torch.sigmoid, 3.0), "tanh": (torch.tanh, 2.0),
    "gelu": (F.gelu, 3.0), "hardswish": (F.hardswish, 3.0),
}
for name, (fn, scale) in acts.items():
    # Random values plus the exact kink points, so boundary gradients are pinned to PyTorch's choice.
    x = torch.cat([torch.randn(240) * scale, torch.tensor([-3.0, 0.0, 3.0, 6.0])]).requires_grad_(True)
    y = fn(x); gy = torch.randn_like(y); y.backward(gy)
    case = "act_" + name
    put(case, "x", x); put(case, "y", y); put(case, "gy", gy); put(case, "gx", x.grad)

for name, fn in {"add": torch.add, "mul": torch.mul}.items():
    a = randn(2, 3, 4, 5); b = randn(2, 3, 4, 5)
    y = fn(a, b); gy = torch.randn_like(y); y.backward(gy)
    case = "ew_" + name
    for k, v in dict(a=a, b=b, y=y, gy=gy, ga=a.grad, gb=b.grad).items():
        put(case, k, v)

parts = [randn(2, c, 4, 3) for c in (2, 3, 1)]
y = torch.cat(parts, dim=1); gy = torch.randn_like(y); y.backward(gy)
put("concat", "cfg", [2, 12, 2, 3, 1])
for i, p in enumerate(parts):
    put("concat", f"x{i}", p); put("concat", f"gx{i}", p.grad)
put("concat", "y", y); put("concat", "gy", gy)

x = randn(2, 3, 8, 8)
y = F.dropout(x, p=0.3, training=True); gy = torch.randn_like(y); y.backward(gy)
put("dropout", "cfg", [0.3])
put("dropout", "x", x); put("dropout", "y", y); put("dropout", "gy", gy); put("dropout", "gx", x.grad)

for name, fn in {"softmax": F.softmax, "log_softmax": F.log_softmax}.items():
    x = randn(5, 7, scale=2.0)
    y = fn(x, dim=-1); gy = torch.randn_like(y); y.backward(gy)
    for k, v in dict(x=x, y=y, gy=gy, gx=x.grad).items():
        put(name, k, v)

for case, smoothing in (("ce", 0.0), ("ce_smooth", 0.1)):
    logits = randn(6, 5, scale=2.0); labels = torch.randint(0, 5, (6,))
    loss = F.cross_entropy(logits, labels, label_smoothing=smoothing); loss.backward()
    put(case, "cfg", [6, 5, smoothing])
    put(case, "logits", logits); put(case, "labels", labels); put(case, "loss", loss.reshape(1))
    put(case, "glogits", logits.grad)

logp = F.log_softmax(torch.randn(6, 5), dim=-1).requires_grad_(True); labels = torch.randint(0, 5, (6,))
loss = F.nll_loss(logp, labels); loss.backward()
put("nll", "cfg", [6, 5])
put("nll", "logp", logp); put("nll", "labels", labels); put("nll", "loss", loss.reshape(1)); put("nll", "glogp", logp.grad)

# mse (regression): predictions and float targets [N, D], mean reduction
pred = randn(6, 3); target = torch.randn(6, 3)
loss = F.mse_loss(pred, target); loss.backward()
put("mse", "cfg", [6, 3])
put("mse", "pred", pred); put("mse", "target", target); put("mse", "loss", loss.reshape(1)); put("mse", "gpred", pred.grad)

# embedding (nn.Embedding, no padding_idx): ids [N, T] into a [V, D] table; gradient scattered into the table
ids = torch.randint(0, 9, (3, 5)); ids[0, 1] = ids[2, 3]  # a repeated id accumulates
table = randn(9, 4)
y = F.embedding(ids, table); gy = torch.randn_like(y); y.backward(gy)
put("embedding", "cfg", [3, 5, 9, 4])
put("embedding", "ids", ids); put("embedding", "w", table); put("embedding", "y", y); put("embedding", "gy", gy)
put("embedding", "gw", table.grad)

# sequence pools over time with padding (id 0) masked: [N, T, D] -> [N, D]; every sequence has a real token
for case, kind in (("seqpool_mean", "mean"), ("seqpool_max", "max")):
    x = randn(4, 6, 3)
    ids = torch.randint(1, 7, (4, 6)); ids[0, 4:] = 0; ids[1, 1] = 0; ids[2, :5] = 0  # trailing, inner, leading padding
    mask = (ids != 0).unsqueeze(-1)
    if kind == "mean":
        y = (x * mask).sum(1) / mask.sum(1)
    else:
        y = x.masked_fill(~mask, float("-inf")).amax(1)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [4, 6, 3]); put(case, "x", x); put(case, "ids", ids); put(case, "y", y); put(case, "gy", gy)
    put(case, "gx", x.grad)

# conv1d over channels-last sequences [N, T, C] (F.conv1d on the transposed [N, C, T]); weight [O, C/groups, k]
torch.manual_seed(1601)
for case, (n, t, c, o, k, st, p, d, g, bias) in (("conv1d_same", (2, 9, 4, 6, 3, 1, 1, 1, 1, 1)),
                                                  ("conv1d_strided", (3, 11, 4, 6, 3, 2, 2, 2, 2, 1)),
                                                  ("conv1d_pointwise", (2, 5, 3, 4, 1, 1, 0, 1, 1, 0)),
                                                  ("conv1d_wide", (2, 12, 6, 3, 5, 3, 0, 1, 3, 1))):
    x = randn(n, t, c); wt = randn(o, c // g, k, scale=0.5); b = randn(o) if bias else None
    y = F.conv1d(x.transpose(1, 2), wt, b, stride=st, padding=p, dilation=d, groups=g).transpose(1, 2)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [n, t, c, o, k, st, p, d, g, bias])
    put(case, "x", x); put(case, "w", wt); put(case, "y", y); put(case, "gy", gy); put(case, "gx", x.grad); put(case, "gw", wt.grad)
    if bias:
        put(case, "b", b); put(case, "gb", b.grad)

# max/avg pooling over windows of time of [N, T, C], padding tokens (id 0) and padded steps left out; a window with no
# counted step gives 0. Mean = windowed sum of masked x / windowed count; max = max_pool1d of x with -inf at padding.
torch.manual_seed(1602)
for case, kind, (n, t, c, k, st, p, with_ids) in (("pool1d_max_masked", "max", (3, 8, 2, 3, 1, 1, 1)),
                                                   ("pool1d_avg_masked", "mean", (3, 8, 2, 3, 1, 1, 1)),
                                                   ("pool1d_max_strided", "max", (2, 7, 3, 2, 2, 1, 0)),
                                                   ("pool1d_avg_strided", "mean", (2, 7, 3, 3, 2, 1, 0))):
    x = randn(n, t, c)
    ids = torch.randint(1, 9, (n, t))
    if with_ids:
        ids[0, 5:] = 0; ids[1, 2] = 0; ids[2, :4] = 0  # trailing (a whole window), inner, leading padding
    else:
        ids[:] = 1
    m = (ids != 0).to(torch.float32).unsqueeze(1)  # [N, 1, T]
    xt = x.transpose(1, 2)  # [N, C, T]
    if kind == "mean":
        total = F.avg_pool1d(xt * m, k, st, p, count_include_pad=True) * k
        count = F.avg_pool1d(m, k, st, p, count_include_pad=True) * k
        y = torch.where(count > 0.5, total / count.clamp(min=1), torch.zeros_like(total))
    else:
        y = F.max_pool1d(xt.masked_fill(m == 0, float("-inf")), k, st, p)
        y = torch.where(torch.isinf(y), torch.zeros_like(y), y)
    y = y.transpose(1, 2)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [n, t, c, k, st, p, with_ids]); put(case, "x", x); put(case, "ids", ids); put(case, "y", y)
    put(case, "gy", gy); put(case, "gx", x.grad)
# multi-head self-attention (nn.MultiheadAttention, batch_first=True, query = key = value) with and without a key
# padding mask from token ids (id 0 = padding); every sequence keeps a real token. Biases are random (PyTorch zeroes them).
def mha_case(case, n, t, d, heads, masked):
    m = torch.nn.MultiheadAttention(d, heads, batch_first=True)
    with torch.no_grad():
        m.in_proj_bias.normal_(); m.out_proj.bias.normal_()
    x = randn(n, t, d)
    ids = torch.randint(1, 9, (n, t))
    if masked:
        ids[0, t - 2:] = 0; ids[1, 0] = 0; ids[1, 2] = 0; ids[n - 1, : t - 1] = 0  # trailing, inner, all but one
    y, _ = m(x, x, x, key_padding_mask=(ids == 0) if masked else None, need_weights=False)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [n, t, d, heads, int(masked)]); put(case, "x", x); put(case, "ids", ids)
    put(case, "w_in", m.in_proj_weight); put(case, "b_in", m.in_proj_bias)
    put(case, "w_out", m.out_proj.weight); put(case, "b_out", m.out_proj.bias)
    put(case, "y", y); put(case, "gy", gy); put(case, "gx", x.grad)
    put(case, "gw_in", m.in_proj_weight.grad); put(case, "gb_in", m.in_proj_bias.grad)
    put(case, "gw_out", m.out_proj.weight.grad); put(case, "gb_out", m.out_proj.bias.grad)


mha_case("mha", 3, 5, 8, 2, False)
mha_case("mha_masked", 3, 7, 12, 3, True)
mha_case("mha_one_head", 2, 4, 6, 1, True)

# layer_norm over the last dimension of a [N, T, D] sequence (nn.LayerNorm(D)), the layout attention blocks use
x = randn(3, 5, 8); ln = torch.nn.LayerNorm(8)
with torch.no_grad():
    ln.weight.normal_(); ln.bias.normal_()
y = ln(x); gy = torch.randn_like(y); y.backward(gy)
put("layernorm_ntd", "cfg", [3, 5, 8])
for k, v in dict(x=x, gamma=ln.weight, beta=ln.bias, y=y, gy=gy, gx=x.grad, ggamma=ln.weight.grad, gbeta=ln.bias.grad).items():
    put("layernorm_ntd", k, v)

# A whole attention text model for Tests/NASCToolTests/AttentionModelTests.swift (JSON, parameters named as nasc's
# explicit-params names them): embedding -> self-attention with the key padding mask -> residual add -> layer_norm over
# [N, T, D] -> padding-masked mean over time -> linear -> mean cross-entropy.
def attention_model_fixture():
    import json
    emb = torch.nn.Embedding(11, 8); mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    ln = torch.nn.LayerNorm(8); lin = torch.nn.Linear(8, 3)
    with torch.no_grad():
        for t in (mha.in_proj_bias, mha.out_proj.bias, ln.weight, ln.bias):
            t.normal_(0, 0.5)
    ids = torch.randint(1, 11, (4, 6)); ids[0, 4:] = 0; ids[1, 0] = 0; ids[2, 1:5] = 0
    labels = torch.tensor([0, 2, 1, 2])
    h = emb(ids)
    a, _ = mha(h, h, h, key_padding_mask=ids == 0, need_weights=False)
    n = ln(a + h)
    mask = (ids != 0).unsqueeze(-1).float()
    logits = lin((n * mask).sum(1) / mask.sum(1))
    loss = F.cross_entropy(logits, labels); loss.backward()
    named = {"h.weight": emb.weight, "a.in_proj_weight": mha.in_proj_weight, "a.in_proj_bias": mha.in_proj_bias,
             "a.out_proj.weight": mha.out_proj.weight, "a.out_proj.bias": mha.out_proj.bias,
             "n.weight": ln.weight, "n.bias": ln.bias, "linear.weight": lin.weight, "linear.bias": lin.bias}
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    out = dict(ids=[int(v) for v in ids.reshape(-1)], labels=[int(v) for v in labels], loss=float(loss.detach()),
               logits=flat(logits), parameters={k: flat(v) for k, v in named.items()},
               gradients={k: flat(v.grad) for k, v in named.items()})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NASCToolTests", "Fixtures",
                        "attention_model.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


attention_model_fixture()


# One recurrent layer (nn.LSTM / nn.GRU, batch_first=True, one layer, optionally bidirectional) with PyTorch's own
# initialization (U(-1/sqrt(H), 1/sqrt(H))); parameters stored per direction as d0_/d1_ w_ih, w_hh, b_ih, b_hh.
def rnn_case(case, kind, n, t, d, h, bidirectional):
    cls = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
    m = cls(d, h, batch_first=True, bidirectional=bidirectional)
    x = randn(n, t, d)
    y, _ = m(x)
    gy = torch.randn_like(y); y.backward(gy)
    put(case, "cfg", [int(kind == "gru"), n, t, d, h, int(bidirectional)]); put(case, "x", x); put(case, "y", y)
    put(case, "gy", gy); put(case, "gx", x.grad)
    for k, sfx in enumerate(["", "_reverse"][: 2 if bidirectional else 1]):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            p = getattr(m, f"{name}_l0{sfx}")
            short = name.replace("weight", "w").replace("bias", "b")
            put(case, f"d{k}_{short}", p); put(case, f"d{k}_g{short}", p.grad)


rnn_case("lstm", "lstm", 3, 6, 5, 7, False)
rnn_case("lstm_bi", "lstm", 2, 5, 4, 9, True)
rnn_case("gru", "gru", 3, 6, 5, 7, False)
rnn_case("gru_bi", "gru", 2, 5, 4, 9, True)

with open(OUT, "wb") as f:
    f.write(b"NASCFIX1")
    f.write(struct.pack("<I", len(records)))
    for name, dims, data in records:
        nb = name.encode()
        f.write(struct.pack("<H", len(nb))); f.write(nb)
        f.write(struct.pack("<B", len(dims)))
        for d in dims:
            f.write(struct.pack("<I", d))
        f.write(data)
print(f"wrote {len(records)} tensors, {os.path.getsize(OUT)} bytes to {os.path.normpath(OUT)}")
