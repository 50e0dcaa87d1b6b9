# Attention: a head count must divide the model dimension under every combination of choices, and the padding mask
# must be the token ids of the sequence.
input x: i64[16]
dim = choice("dim", [24, 32])
heads = choice("heads", [2, 3])
h = x -> embedding(vocab: 100, dim: dim)
a = (h, x) -> multihead_attention(heads: heads)
f = h -> linear(out: 8)
b = (f, h) -> multihead_attention(heads: 2)
return (a, x) -> global_avg_pool1d -> linear(out: 2)
