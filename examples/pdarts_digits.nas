# pdarts_digits.nas: the reduced NAS-Bench-201 cell space of nb201_digits.nas with the cell count as a decision, for
# P-DARTS on the bundled 8x8 digits. `repeat("cells", depth: [1, 2, 3])` stacks 1 to 3 cells that share their edge
# decisions (labels "j_i" as in nb201_digits.nas); `nasc run --strategy pdarts` grows the depth 1 -> 2 -> 3 over its
# three stages (each stage keeps one depth of the repeat) and exports the deepest.
space pdarts_digits

input x: [1, 8, 8]

block ReLUConvBN(out, kernel)(x) {
    return x -> relu -> conv2d(out: out, kernel: kernel, padding: kernel // 2, bias: false) -> batch_norm
}

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
h = h -> repeat("cells", depth: [1, 2, 3]) { Cell(16) }
logits = h -> batch_norm -> relu -> global_avg_pool -> linear(out: 10)
return logits
