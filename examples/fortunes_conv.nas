# fortunes_conv.nas: convolutional text classifiers for the bundled fortunes set (docs/sequence.md).
# Token ids -> embedding [N,T,C] (batch first, channels last) -> one layer chosen among 1-D convolutions (kernel
# 1/3/5/7) and max/average pools over time that skip padding tokens -> masked max over time -> classifier.
# Choices: the layer (6) and its width (2): 12 architectures.
# Data: --data 'text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
space fortunes_conv

input x: i64[48]

width = choice("width", [32, 64])

block Conv(out, k)(h, ids) {
    return h -> conv1d(out: out, kernel: k, padding: same) -> relu
}

block MaxPool(out)(h, ids) {
    p = h -> conv1d(out: out, kernel: 1) -> relu
    return (p, ids) -> max_pool1d(kernel: 3, stride: 1, padding: same)
}

block AvgPool(out)(h, ids) {
    p = h -> conv1d(out: out, kernel: 1) -> relu
    return (p, ids) -> avg_pool1d(kernel: 3, stride: 1, padding: same)
}

h = x -> embedding(vocab: 5000, dim: 32)
c = (h, x) -> layer_choice("op") {
    conv1: Conv(width, 1)
    conv3: Conv(width, 3)
    conv5: Conv(width, 5)
    conv7: Conv(width, 7)
    max: MaxPool(width)
    avg: AvgPool(width)
}
return (c, x) -> global_max_pool1d -> linear(out: 4)
