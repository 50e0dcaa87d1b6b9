# digits_oneshot.nas: a one-shot searchable space for the bundled 8x8 digits (no value choices, so a DARTS or SPOS
# supernet holds every candidate): the first and second convolutions' operations and a skip connection.
space digits_oneshot

input x: [1, 8, 8]

c1 = x -> layer_choice("conv1") {
    conv3x3: conv2d(out: 16, kernel: 3, padding: 1)
    conv5x5: conv2d(out: 16, kernel: 5, padding: 2)
    conv1x1: conv2d(out: 16, kernel: 1)
} -> batch_norm -> relu

c2 = c1 -> layer_choice("conv2") {
    conv3x3: conv2d(out: 16, kernel: 3, padding: 1) -> relu
    pool: max_pool2d(kernel: 3, stride: 1, padding: 1)
    skip: identity
}
h = input_choice(c1, c2, label: "skip", n_chosen: 1)
h = h -> max_pool2d(kernel: 2) -> flatten -> linear(out: 32) -> relu
return h -> linear(out: 10)
