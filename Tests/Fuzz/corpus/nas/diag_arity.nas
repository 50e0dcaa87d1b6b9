# Wrong number of inputs.
input x: [1, 28, 28]
a = x -> relu
b = x -> sigmoid
c = (a, b) -> relu
d = add(a)
e = conv2d(a, b, out: 4, kernel: 1)
return c
