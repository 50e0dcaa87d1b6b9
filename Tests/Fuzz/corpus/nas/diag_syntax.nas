# Syntax errors: each statement is reported, parsing resumes at the next line; the statements that did
# parse are still elaborated (unknown attribute, unbound name), but names the broken ones bind stay quiet.
input x: [1, 28, 28]
h = x -> conv2d(out: 16, kernel: 3
y = h -> relu)
z = -> relu
w = x -> conv2d(out: 8, kernal: 3)
v = q -> relu
return z
