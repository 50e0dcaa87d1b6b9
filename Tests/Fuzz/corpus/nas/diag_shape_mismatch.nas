# A value-choice width makes one branch's channels differ from the other's in some combinations.
input x: [3, 32, 32]
w = choice("width", [16, 32])
a = x -> conv2d(out: w, kernel: 3, padding: 1)
b = x -> conv2d(out: 32, kernel: 3, padding: 1)
s = add(a, b)
return s -> global_avg_pool -> linear(out: 10)
