# fortunes_attention.nas: self-attention text classifiers for the bundled fortunes set (examples/data/fortunes;
# docs/sequence.md). Token ids -> embedding -> one mixing layer -> padding-masked mean over time -> classifier.
# The mixing layer is a layer choice: multi-head self-attention over the real tokens (the ids mask padding keys)
# with a residual connection and layer_norm, a head count value choice, or a position-wise feed-forward layer.
# Choices: mix x heads = 2 x 2 = 4 architectures (the head count only matters for attention).
# Data: --data 'text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
space fortunes_attention

input x: i64[48]

block Attend(heads)(h, ids) {
    a = (h, ids) -> multihead_attention(heads: heads)
    return (a, h) -> add -> layer_norm
}

block FeedForward()(h, ids) {
    return h -> linear(out: 32) -> relu
}

h = x -> embedding(vocab: 5000, dim: 32)
m = (h, x) -> layer_choice("mix") {
    attention: Attend(choice("heads", [2, 4]))
    feedforward: FeedForward()
}
return (m, x) -> global_avg_pool1d -> linear(out: 4)
