# nb201_digits3.nas: a 3-edge NAS-Bench-201-style cell for the bundled 8x8 digits, small enough to train every
# architecture: 3 nodes, edges 1_0, 2_0 and 2_1, each one of {none, skip_connect, nor_conv_1x1, nor_conv_3x3,
# avg_pool_3x3}; 5^3 = 125 architectures. The tabular benchmark examples/tables/nb201_digits3.jsonl was made by
# training each of them with `nasc train` (scripts/make-digits-table.sh).
space nb201_digits3

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
    return x2
}

h = x -> conv2d(out: 16, kernel: 3, padding: 1, bias: false) -> batch_norm
h = h -> Cell(16)
logits = h -> batch_norm -> relu -> global_avg_pool -> linear(out: 10)
return logits
