# enas_macro.nas: the ENAS macro search space (Pham et al. 2018) as in NNI. Twelve layers; each layer chooses
# one of 6 operations (3x3 / 5x5 convolution, 3x3 / 5x5 separable convolution, 3x3 max / average pooling)
# applied to the previous layer, and adds a skip connection whose inputs are chosen among ALL earlier layers
# (any number of them, including none; summed). After layers 3 and 7 every layer output is halved in
# resolution by a factorized reduction so later skip connections still line up.
space enas_macro

input x: [3, 32, 32]

C = 24

# 1x1 conv, then the k x k (separable) convolution, batch norm and ReLU.
block ConvBranch(C, kernel, separable)(x) {
    h = x -> conv2d(out: C, kernel: 1, bias: false) -> batch_norm -> relu
    h = separable == 1 ? (h -> separable_conv2d(out: C, kernel: kernel, padding: kernel // 2, bias: false)) : (h -> conv2d(out: C, kernel: kernel, padding: kernel // 2, bias: false))
    return h -> batch_norm -> relu
}

block PoolBranch(C, kind)(x) {
    h = x -> conv2d(out: C, kernel: 1, bias: false) -> batch_norm -> relu
    h = kind == "max" ? (h -> max_pool2d(kernel: 3, stride: 1, padding: 1)) : (h -> avg_pool2d(kernel: 3, stride: 1, padding: 1))
    return h -> batch_norm
}

block FactorizedReduce(C)(x) {
    a = x -> conv2d(out: C // 2, kernel: 1, stride: 2, bias: false)
    b = x -> avg_pool2d(kernel: 2, stride: 2) -> conv2d(out: C - C // 2, kernel: 1, bias: false)
    return concat(a, b) -> batch_norm
}

h = x -> conv2d(out: C, kernel: 3, padding: 1, bias: false) -> batch_norm
earlier = []
for i in range(12) {
    out = h -> layer_choice("layer_" + i) {
        conv3x3: ConvBranch(C, 3, 0)
        conv5x5: ConvBranch(C, 5, 0)
        sepconv3x3: ConvBranch(C, 3, 1)
        sepconv5x5: ConvBranch(C, 5, 1)
        maxpool: PoolBranch(C, "max")
        avgpool: PoolBranch(C, "avg")
    }
    out = len(earlier) == 0 ? out : add(out, input_choice(earlier, label: "skip_" + i, n_chosen: any, reduction: sum))
    earlier = earlier + [h]
    h = out
    if_pool = i == 3 ? 1 : (i == 7 ? 1 : 0)
    earlier = if_pool == 1 ? map(earlier, FactorizedReduce(C)) : earlier
    h = if_pool == 1 ? (h -> FactorizedReduce(C)) : h
}
return h -> global_avg_pool -> dropout(p: 0.1) -> linear(out: 10)
