# fortunes_lstm.nas: recurrent text classifiers for the bundled fortunes set (examples/data/fortunes;
# docs/sequence.md). Token ids -> embedding -> one bidirectional recurrent layer (PyTorch nn.LSTM / nn.GRU,
# batch first) -> padding-masked mean over time (the recurrences run over padding, as PyTorch's do without packed
# sequences; the pool leaves those steps out) -> classifier.
# Choices: cell (lstm, gru) x hidden (32, 64) = 4 architectures.
# Data: --data 'text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
space fortunes_lstm

input x: i64[48]

hidden = choice("hidden", [32, 64])

h = x -> embedding(vocab: 5000, dim: 32)
r = h -> layer_choice("cell") {
    lstm: lstm(hidden: hidden, bidirectional: true)
    gru: gru(hidden: hidden, bidirectional: true)
}
return (r, x) -> global_avg_pool1d -> linear(out: 4)
