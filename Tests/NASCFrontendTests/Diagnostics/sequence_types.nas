# Sequence ops: an embedding needs token ids (an i64 input), not floats.
input x: [16]
e = x -> embedding(vocab: 100, dim: 8)
return e -> global_avg_pool1d -> linear(out: 2)
