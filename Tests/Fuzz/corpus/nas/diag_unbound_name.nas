# Names used before they are bound.
input x: [1, 28, 28]
h = x -> conv2d(out: widht, kernel: 3)
h = y -> relu
return h
