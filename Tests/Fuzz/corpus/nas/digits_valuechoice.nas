# digits_valuechoice.nas: a one-shot space with value choices and a repeat, for the bundled 8x8 digits. A DARTS or
# SPOS supernet shares weights by slicing the largest layer: the stem's width {8, 16, 24} and kernel {3, 5}, the
# depth {0, 1, 2} of a stage of width-preserving convolutions, and the classifier's hidden width {16, 32}.
space digits_valuechoice

input x: [1, 8, 8]

w = choice("width", [8, 16, 24])
h = x -> conv2d(out: w, kernel: choice("kernel", [3, 5]), padding: same) -> batch_norm -> relu
h = h -> repeat("depth", depth: [0, 1, 2]) { conv2d(out: w, kernel: 3, padding: 1) -> batch_norm -> relu }
h = h -> max_pool2d(kernel: 2) -> flatten -> linear(out: choice("hidden", [16, 32])) -> relu
return h -> linear(out: 10)
