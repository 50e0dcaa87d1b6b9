# A recurrent layer's direction flag is a boolean.
input x: i64[16]
h = x -> embedding(vocab: 50, dim: 12)
l = h -> lstm(hidden: 8, bidirectional: 3)
return (l, x) -> global_avg_pool1d -> linear(out: 2)
