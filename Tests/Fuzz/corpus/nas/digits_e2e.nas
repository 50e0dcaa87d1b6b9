# digits_e2e.nas: the space of `make e2e`, a real search on the bundled 8x8 digits (1x8x8 images, 10 classes).
# A small CNN: a 3x3 stem of `width` channels, a searchable block (conv3x3, conv5x5, separable 3x3 or a
# residual conv3x3), 2x2 max pooling, a second convolution of `width2` channels at 4x4, then global average
# pooling or flattening before the classifier, with a dropout rate to choose:
# 2 x 4 x 3 x 2 x 2 = 96 architectures.
space digits_e2e

input x: [1, 8, 8]

width = choice("width", [16, 32])
width2 = choice("width2", [32, 48, 64])

s = x -> conv2d(out: width, kernel: 3, padding: 1) -> batch_norm -> relu

b = s -> layer_choice("block") {
    conv3x3: conv2d(out: width, kernel: 3, padding: 1) -> batch_norm -> relu
    conv5x5: conv2d(out: width, kernel: 5, padding: 2) -> batch_norm -> relu
    sep3x3: separable_conv2d(out: width, kernel: 3, padding: 1) -> batch_norm -> relu
    identity: identity
}
r = add(s, b)

h = r -> max_pool2d(kernel: 2) -> conv2d(out: width2, kernel: 3, padding: 1) -> batch_norm -> relu
f = h -> layer_choice("head") {
    gap: global_avg_pool
    flatten: flatten
}
return f -> dropout(p: choice("dropout", [0.0, 0.2])) -> linear(out: 10)
