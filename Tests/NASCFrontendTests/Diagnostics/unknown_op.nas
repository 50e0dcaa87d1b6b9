# Unknown ops: a typo gets a suggestion, a reserved sequence op says it is not supported yet.
input x: [1, 28, 28]
h = x -> conv2(out: 16, kernel: 3)
h = x -> conv2D(out: 16, kernel: 3)
e = x -> rnn(hidden: 32)
return h
