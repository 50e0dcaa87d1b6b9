# digits.nas: a small space for the bundled 8x8 digits data set (1x8x8 images, 10 classes), used by the demo.
# Choices: the first convolution's kernel, the feature width, an optional extra conv with a skip
# connection, and the classifier's hidden size: 2 x 2 x 2 x 3 = 24 architectures.
space digits

input x: [1, 8, 8]

width = choice("width", [8, 16])

c1 = x -> layer_choice("conv1") {
    conv3x3: conv2d(out: width, kernel: 3, padding: 1)
    conv5x5: conv2d(out: width, kernel: 5, padding: 2)
} -> batch_norm -> relu

c2 = c1 -> conv2d(out: width, kernel: 3, padding: same) -> relu
h = input_choice(c1, c2, label: "skip", n_chosen: 1)

hidden = choice("hidden", [16, 32, 64])
h = h -> max_pool2d(kernel: 2) -> flatten -> linear(out: hidden) -> relu
return h -> linear(out: 10)
