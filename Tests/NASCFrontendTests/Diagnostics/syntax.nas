# Syntax errors: each statement is reported, parsing resumes at the next line.
input x: [1, 28, 28]
h = x -> conv2d(out: 16, kernel: 3
y = h -> relu)
z = -> relu
return z
