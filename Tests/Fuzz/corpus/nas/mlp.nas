# mlp.nas: a tabular multi-layer perceptron space. The hidden width is a value choice shared by every
# hidden layer, the number of hidden layers is a Repeat over {1, 2, 3, 4}, and the activation is one
# layer choice shared by all layers: 3 widths x 4 depths x 3 activations = 36 architectures.
space mlp

input x: [20]

width = choice("width", [64, 128, 256])

block Hidden(width)(x) {
    return x -> linear(out: width) -> layer_choice("activation") {
        relu: relu
        tanh: tanh
        gelu: gelu
    } -> dropout(p: 0.1)
}

h = x -> repeat("depth", depth: [1, 2, 3, 4]) { Hidden(width) }
return h -> linear(out: 2)
