# Recurrent layers read a float sequence f32[N,T,D] and need at least one hidden unit under every choice.
input x: i64[16]
hid = choice("hid", [0, 8])
a = x -> lstm(hidden: 8)
h = x -> embedding(vocab: 50, dim: 12)
f = h -> global_avg_pool1d -> gru(hidden: 4)
g = h -> gru(hidden: 0)
l = h -> lstm(hidden: hid, bidirectional: true)
return (l, x) -> global_avg_pool1d -> linear(out: 2)
