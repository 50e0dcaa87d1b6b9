# A candidate that applies an op to an outer tensor, a candidate that is not a layer, and a missing return.
input x: [1, 28, 28]
y = x -> relu
c = x -> layer_choice("c") { a: relu, b: 3 }
e = x -> layer_choice("e") { a: add(y, y) }
block NoReturn(n)(x) {
    h = x -> relu
}
d = x -> NoReturn(1)
return c
