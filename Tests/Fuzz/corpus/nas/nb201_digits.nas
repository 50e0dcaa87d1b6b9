# nb201_digits.nas: a reduced NAS-Bench-201 cell space sized for the bundled 8x8 digits, for one-shot searches and
# the DARTS skip-connection study. One cell type (4 nodes, 6 edges, each choosing one of {none, skip_connect,
# nor_conv_1x1, nor_conv_3x3, avg_pool_3x3}; 5^6 = 15,625 architectures) used twice with shared labels, between
# a stem and a global-pool classifier.
space nb201_digits

input x: [1, 8, 8]

# ReLU -> conv -> batch norm, the benchmark's convolution unit.
block ReLUConvBN(out, kernel)(x) {
    return x -> relu -> conv2d(out: out, kernel: kernel, padding: kernel // 2, bias: false) -> batch_norm
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

h = x -> conv2d(out: 16, kernel: 3, padding: 1, bias: false) -> batch_norm
h = h -> Cell(16) -> Cell(16)
logits = h -> batch_norm -> relu -> global_avg_pool -> linear(out: 10)
return logits
