# Unknown and ill-typed attributes.
input x: [1, 28, 28]
h = x -> conv2d(out: 16, kernal: 3)
h = x -> conv2d(out: 16, kernel: 3, bias: 1)
h = x -> conv2d(out: 16, kernel: 3, padding: full)
return h
