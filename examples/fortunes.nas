# fortunes.nas: text classifiers for the bundled fortunes set (examples/data/fortunes, 4 classes; docs/sequence.md).
# Token ids -> embedding -> pooling over time (padding tokens masked) -> classifier.
# Choices: the embedding size and the pooling (max or mean over the real tokens): 2 x 2 = 4 architectures.
# Data: --data 'text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
space fortunes

input x: i64[48]

dim = choice("dim", [32, 64])
h = x -> embedding(vocab: 5000, dim: dim)
v = (h, x) -> layer_choice("pool") {
    max: global_max_pool1d
    mean: global_avg_pool1d
}
return v -> linear(out: 64) -> relu -> linear(out: 4)
