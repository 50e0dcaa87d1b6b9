# Sequence window ops: conv1d kernels longer than the sequence (a choice's value, a dilated span), invalid attributes.
input x: i64[6]
h = x -> embedding(vocab: 50, dim: 8)
k = choice("k", [3, 7])
a = h -> conv1d(out: 8, kernel: k)
b = h -> conv1d(out: 8, kernel: 3, dilation: 3, padding: same)
c = h -> conv1d(out: 8, kernel: 3, stride: 0)
d = h -> conv1d(out: 6, kernel: 3, groups: 3)
e = (h, x) -> max_pool1d(kernel: 2, padding: 2)
f = h -> transpose(0, 1)
g = (h, h) -> avg_pool1d(kernel: 2)
return h -> global_avg_pool1d -> linear(out: 2)
