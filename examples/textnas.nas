# textnas.nas: the TextNAS search space (Wang et al. 2019, "TextNAS: A Neural Architecture Search Space tailored for
# Text Representation"), laid out as NNI's implementation of it (examples/nas/legacy/textnas), sized for the bundled
# fortunes set (examples/data/fortunes, 4 classes; docs/sequence.md, section "TextNAS").
#
# Token ids -> embedding -> 1x1 conv + batch norm + ReLU (NNI's init_conv) -> L layers -> masked mean over time
# -> linear classifier. Layer i:
#   - its input: one of the earlier layers (an input choice, layer_i/input; layer 0 reads the stem, layer 1 layer 0);
#   - its operation (layer_i/op): a 1-D convolution k = 1/3/5/7 + batch norm + ReLU (NNI's ConvBN), max or average
#     pooling (k = 3, stride 1, same padding, padding tokens masked), 4-head self-attention (padding keys
#     masked) + batch norm, or a bidirectional GRU of D / 2 units per direction (NNI's RNN; docs/sequence.md);
#   - skip connections: any subset of the earlier layers (none included) is added, one on/off decision per earlier
#     layer j (layer_i/skip_j; NNI's one input choice with n_chosen=None, which supernets cannot fuse yet);
#   - batch norm over the channels.
# Sequences are [N,T,C], channels last: batch norm runs on the [N,C,T] transpose, as NNI's BatchNorm1d does.
# Data: --data 'text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
space textnas

input x: i64[48]

D = 32        # hidden units (NNI: 256)
LAYERS = 5    # layers (NNI: 24)

# Batch norm over the channels of a [N,T,C] sequence (PyTorch BatchNorm1d on [N,C,T]).
block SeqBatchNorm()(h) {
    return h -> transpose(1, 2) -> batch_norm -> transpose(1, 2)
}

# NNI's ConvBN: a k-wide convolution keeping the length, batch norm, ReLU, dropout.
block ConvBN(out, k)(h, ids) {
    return h -> conv1d(out: out, kernel: k, padding: same) -> SeqBatchNorm() -> relu -> dropout(p: 0.1)
}

block MaxPool()(h, ids) {
    return (h, ids) -> max_pool1d(kernel: 3, stride: 1, padding: same)
}

block AvgPool()(h, ids) {
    return (h, ids) -> avg_pool1d(kernel: 3, stride: 1, padding: same)
}

# NNI's RNN: a bidirectional GRU, then dropout. NNI sums the two directions of a GRU of D units each; here each
# direction has D / 2 units and their outputs are concatenated, which keeps the width D.
block RNN(units)(h, ids) {
    return h -> gru(hidden: units, bidirectional: true) -> dropout(p: 0.1)
}

# NNI's Attention: 4-head self-attention over the real tokens, then batch norm.
block Attention()(h, ids) {
    return (h, ids) -> multihead_attention(heads: 4) -> SeqBatchNorm()
}

stem = x -> embedding(vocab: 5000, dim: 64) -> dropout(p: 0.1) -> conv1d(out: D, kernel: 1) -> SeqBatchNorm() -> relu
layers = []
for i in range(LAYERS) {
    n = len(layers)
    prec = n == 0 ? stem : (n == 1 ? layers[0] : input_choice(layers, label: "layer_" + i + "/input", n_chosen: 1))
    out = (prec, x) -> layer_choice("layer_" + i + "/op") {
        conv1: ConvBN(D, 1)
        conv3: ConvBN(D, 3)
        conv5: ConvBN(D, 5)
        conv7: ConvBN(D, 7)
        avg_pool: AvgPool()
        max_pool: MaxPool()
        attention: Attention()
        rnn: RNN(D // 2)
    }
    for j in range(n) {
        skip = layers[j] -> layer_choice("layer_" + i + "/skip_" + j) {
            off: zero
            on: identity
        }
        out = add(out, skip)
    }
    layers = layers + [out -> SeqBatchNorm()]
}
return (layers[-1], x) -> global_avg_pool1d -> linear(out: 4)
