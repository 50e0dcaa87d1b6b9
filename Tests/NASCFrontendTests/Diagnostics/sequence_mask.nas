# Sequence ops: token ids only feed an embedding, and a pool's mask must have the sequence's length.
input x: i64[16]
input y: i64[8]
e = x -> embedding(vocab: 100, dim: 8)
bad = y -> linear(out: 4)
return (e, y) -> global_max_pool1d -> linear(out: 2)
