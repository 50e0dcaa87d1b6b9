# mnist.nas: the NNI user guide's MNIST model space, written in nasc's space language.
# conv1 chooses between a 3x3 and a 5x5 convolution (the 5x5 one padded so every later shape agrees),
# the skip connection chooses between the conv2 output and a 1x1-convolved copy of it, and the hidden
# width of the classifier is a value choice.
space mnist

input x: [1, 28, 28]

conv1 = x -> layer_choice("conv1") {
    conv3x3: conv2d(out: 32, kernel: 3)
    conv5x5: conv2d(out: 32, kernel: 5, padding: 1)
}
h = conv1 -> relu
h = h -> conv2d(out: 64, kernel: 3) -> relu
conv3 = h -> conv2d(out: 64, kernel: 1)
skip = input_choice(h, conv3, label: "skip", n_chosen: 1)
h = skip -> max_pool2d(kernel: 2) -> dropout(p: 0.25) -> flatten
hidden = choice("hidden", [64, 128, 256])
h = h -> linear(in: 9216, out: hidden) -> relu -> dropout(p: 0.5)
logits = h -> linear(out: 10)
return logits
