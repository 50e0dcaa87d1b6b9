# Block instantiation errors: unknown parameter, missing argument, too many inputs, recursion.
input x: [1, 28, 28]
block Conv(out, kernel = 3)(x) {
    return x -> conv2d(out: out, kernel: kernel, padding: same)
}
block Loop(n)(x) {
    return x -> Loop(n)
}
a = x -> Conv(outs: 8)
b = x -> Conv()
c = (x, x) -> Conv(8)
d = x -> Loop(1)
return a
