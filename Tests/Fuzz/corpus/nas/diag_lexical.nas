# Lexical errors: a bad character and an unterminated string.
input x: [1, 28, 28]
h = x -> relu @ 2
c = x -> layer_choice("conv1) { a: relu }
return h
