# nb201.nas: the NAS-Bench-201 search space. A cell has 4 nodes; node j sums an operation applied to every
# earlier node, so there are 6 edges, each choosing one of {none, skip_connect, nor_conv_1x1, nor_conv_3x3,
# avg_pool_3x3}. The edge labels are shared by every cell of the network, as in the benchmark:
# 5^6 = 15,625 architectures. Macro skeleton: stem, 3 stages of 5 cells (16, 32, 64 channels) joined by
# residual reduction blocks, then a classifier for CIFAR-10.
space nb201

input x: [3, 32, 32]

# ReLU -> conv -> batch norm, the benchmark's convolution unit.
block ReLUConvBN(out, kernel, stride = 1)(x) {
    return x -> relu -> conv2d(out: out, kernel: kernel, stride: stride, padding: kernel // 2, bias: false) -> batch_norm
}

# One edge of the cell: the operation on it is a decision labelled by the edge ("j_i" = node j from node i).
block Edge(label, C)(x) {
    return x -> layer_choice(label) {
        none: zero
        skip_connect: identity
        nor_conv_1x1: ReLUConvBN(C, 1)
        nor_conv_3x3: ReLUConvBN(C, 3)
        avg_pool_3x3: avg_pool2d(kernel: 3, stride: 1, padding: 1, count_include_pad: false)
    }
}

block Cell(C)(x0) {
    x1 = x0 -> Edge("1_0", C)
    x2 = add(x0 -> Edge("2_0", C), x1 -> Edge("2_1", C))
    x3 = add(x0 -> Edge("3_0", C), x1 -> Edge("3_1", C), x2 -> Edge("3_2", C))
    return x3
}

# ResNet basic block with stride 2 between stages.
block Reduction(out)(x) {
    a = x -> ReLUConvBN(out, 3, 2) -> ReLUConvBN(out, 3)
    b = x -> avg_pool2d(kernel: 2, stride: 2) -> conv2d(out: out, kernel: 1, bias: false)
    return add(a, b)
}

# Five cells per stage.
block Stage(C)(x) {
    return x -> Cell(C) -> Cell(C) -> Cell(C) -> Cell(C) -> Cell(C)
}

h = x -> conv2d(out: 16, kernel: 3, padding: 1, bias: false) -> batch_norm
h = h -> Stage(16) -> Reduction(32) -> Stage(32) -> Reduction(64) -> Stage(64)
logits = h -> batch_norm -> relu -> global_avg_pool -> linear(out: 10)
return logits
