# A kernel choice that does not fit the feature map for one value, and an input choice whose candidates differ.
input x: [1, 8, 8]
k = choice("k", [3, 5, 9])
h = x -> conv2d(out: 4, kernel: k)
p = x -> max_pool2d(kernel: 2)
q = x -> relu
s = input_choice(p, q, label: "pick", n_chosen: 1)
return s -> flatten -> linear(out: 10)
