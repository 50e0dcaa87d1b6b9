# darts_digits.nas: the DARTS CNN space of examples/darts.nas sized for the bundled 8x8 digits — 4 cells of width 8
# (reductions at cells 1 and 2: 8x8 -> 4x4 -> 2x2) instead of 8 cells of width 16 on 32x32 images. As there: every
# cell has 4 intermediate nodes; node i picks 2 inputs among the two predecessor cells and nodes 0..i-1, applies one
# of 8 operations to each, and sums them; the cell output concatenates the 4 nodes. All normal cells share one set of
# decisions (label "normal"), all reduction cells another ("reduce"); reduction cells sit at 1/3 and 2/3 of the
# depth, use stride 2 on edges that read a predecessor, and double the width.
# `layers` (cell count) and `C` (initial width) are parameters: edit them here.
space darts_digits

input x: [1, 8, 8]

layers = 4
C = 8

block ReLUConvBN(out, kernel, stride = 1)(x) {
    return x -> relu -> conv2d(out: out, kernel: kernel, stride: stride, padding: kernel // 2, bias: false) -> batch_norm(affine: false)
}

# Halves the resolution with two 1x1 convolutions whose outputs are concatenated. DARTS shifts the second
# path's input by one pixel; nasc has no shift op, so the second path average-pools instead.
block FactorizedReduce(out)(x) {
    r = x -> relu
    a = r -> conv2d(out: out // 2, kernel: 1, stride: 2, bias: false)
    b = r -> avg_pool2d(kernel: 2, stride: 2) -> conv2d(out: out - out // 2, kernel: 1, bias: false)
    return concat(a, b) -> batch_norm(affine: false)
}

block SepConv(C, kernel, stride)(x) {
    p = kernel // 2
    h = x -> relu -> separable_conv2d(out: C, kernel: kernel, stride: stride, padding: p, bias: false) -> batch_norm(affine: false)
    return h -> relu -> separable_conv2d(out: C, kernel: kernel, padding: p, bias: false) -> batch_norm(affine: false)
}

block DilConv(C, kernel, stride)(x) {
    return x -> relu -> separable_conv2d(out: C, kernel: kernel, stride: stride, padding: kernel - 1, dilation: 2, bias: false) -> batch_norm(affine: false)
}

stem = x -> conv2d(out: 3 * C, kernel: 3, padding: 1, bias: false) -> batch_norm
s0 = stem
s1 = stem
reductionPrev = 0
for i in range(layers) {
    reduction = i == layers // 3 ? 1 : (i == 2 * layers // 3 ? 1 : 0)
    C = reduction == 1 ? C * 2 : C
    p0 = reductionPrev == 1 ? (s0 -> FactorizedReduce(C)) : (s0 -> ReLUConvBN(C, 1))
    p1 = s1 -> ReLUConvBN(C, 1)
    # `s` is the stride of an edge: 2 on edges that read a predecessor of a reduction cell, else 1.
    out = (p0, p1) -> cell(label: reduction == 1 ? "reduce" : "normal", nodes: 4, ops_per_node: 2, stride: reduction == 1 ? 2 : 1) { s =>
        none: zero(stride: s)
        skip_connect: s == 1 ? identity : FactorizedReduce(C)
        sep_conv_3x3: SepConv(C, 3, s)
        sep_conv_5x5: SepConv(C, 5, s)
        dil_conv_3x3: DilConv(C, 3, s)
        dil_conv_5x5: DilConv(C, 5, s)
        max_pool_3x3: max_pool2d(kernel: 3, stride: s, padding: 1) -> batch_norm(affine: false)
        avg_pool_3x3: avg_pool2d(kernel: 3, stride: s, padding: 1, count_include_pad: false) -> batch_norm(affine: false)
    }
    s0 = s1
    s1 = out
    reductionPrev = reduction
}
return s1 -> global_avg_pool -> linear(out: 10)
