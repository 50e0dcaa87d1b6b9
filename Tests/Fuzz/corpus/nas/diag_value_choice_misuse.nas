# Value choices where a fixed value is needed: input shapes, concat axes, cell sizes, repeat depths.
input x: [1, choice("rows", [8, 16]), 28]
input y: [1, 28, 28]
n = choice("n", [1, 2])
a = y -> relu
b = concat(a, a, axis: n)
d = a -> repeat(depth: n) { relu }
c = a -> cell("c", nodes: n) { skip: identity }
return b
