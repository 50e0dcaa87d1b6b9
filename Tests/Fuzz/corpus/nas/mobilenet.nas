# mobilenet.nas: a ProxylessNAS-style MobileNetV2 space. Each MBConv block chooses its expansion ratio
# {3, 6} and depthwise kernel {3, 5, 7}; each stage chooses its depth {2, 3, 4} with Repeat (the first
# block of a stage strides, the others add a residual); a global width multiplier {0.75, 1.0, 1.25}
# scales every stage's channels.
space mobilenet

input x: [3, 224, 224]

wm = choice("width_mult", [0.75, 1.0, 1.25])

# Inverted residual: 1x1 expansion, k x k depthwise, 1x1 projection.
block MBConv(out, stride, residual)(x) {
    expand = choice([3, 6])
    kernel = choice([3, 5, 7])
    h = x -> conv2d(out: channels(x) * expand, kernel: 1, bias: false) -> batch_norm -> relu6
    h = h -> depthwise_conv2d(kernel: kernel, stride: stride, padding: same, bias: false) -> batch_norm -> relu6
    h = h -> conv2d(out: out, kernel: 1, bias: false) -> batch_norm
    return residual == 1 ? add(x, h) : h
}

# A stage: depth chosen among {2, 3, 4}; block i sees its index.
block Stage(out, stride)(x) {
    return x -> repeat(depth: [2, 3, 4]) { i => MBConv(out, i == 0 ? stride : 1, i == 0 ? 0 : 1) }
}

h = x -> conv2d(out: 32 * wm, kernel: 3, stride: 2, padding: 1, bias: false) -> batch_norm -> relu6
h = h -> depthwise_conv2d(kernel: 3, padding: 1, bias: false) -> batch_norm -> relu6
h = h -> conv2d(out: 16 * wm, kernel: 1, bias: false) -> batch_norm
s1 = h -> Stage(24 * wm, 2)
s2 = s1 -> Stage(40 * wm, 2)
s3 = s2 -> Stage(80 * wm, 2)
s4 = s3 -> Stage(96 * wm, 1)
s5 = s4 -> Stage(192 * wm, 2)
s6 = s5 -> MBConv(320 * wm, 1, 0)
h = s6 -> conv2d(out: 1280, kernel: 1, bias: false) -> batch_norm -> relu6
return h -> global_avg_pool -> dropout(p: 0.2) -> linear(out: 1000)
