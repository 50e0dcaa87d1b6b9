# A required attribute is missing.
input x: [1, 28, 28]
h = x -> conv2d(kernel: 3)
return h -> linear
