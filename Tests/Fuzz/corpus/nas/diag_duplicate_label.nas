# One label used twice with incompatible candidates, and a label reused for another kind of choice.
input x: [1, 28, 28]
a = x -> layer_choice("op") { conv: conv2d(out: 8, kernel: 3, padding: 1), skip: identity }
b = a -> layer_choice("op") { conv: conv2d(out: 8, kernel: 5, padding: 2), pool: max_pool2d(kernel: 3, stride: 1, padding: 1) }
w = choice("width", [8, 16])
c = b -> layer_choice("width") { relu: relu, tanh: tanh }
v = choice("width", [8, 32])
return c
