# proxy_net.nas: the tiny network of the zero-cost proxy fixtures (scripts/proxy-fixtures.py builds the same in PyTorch).
space proxy_net

input x: [2, 5, 5]

h = x -> conv2d(out: 3, kernel: 3, padding: 1, bias: false) -> batch_norm -> relu
h = h -> conv2d(out: 4, kernel: 3, padding: 1, bias: true) -> batch_norm -> relu
logits = h -> global_avg_pool -> linear(out: 3)
return logits
