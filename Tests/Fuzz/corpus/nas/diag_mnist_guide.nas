# The NNI user guide's MNIST space as written there: conv5x5 has stride 3, so 28 -> 8 -> 6 -> 3 and fc1
# receives 64*3*3 = 576 features instead of 9216.
input x: [1, 28, 28]

conv1 = x -> layer_choice("conv1") {
    conv3x3: conv2d(out: 32, kernel: 3, stride: 1)
    conv5x5: conv2d(out: 32, kernel: 5, stride: 3)
}
h = conv1 -> relu -> conv2d(out: 64, kernel: 3, stride: 1) -> relu
h = h -> max_pool2d(kernel: 2) -> dropout(p: 0.25) -> flatten
fc1 = h -> linear(in: 9216, out: 128)
return fc1 -> relu -> dropout(p: 0.5) -> linear(in: 128, out: 10)
