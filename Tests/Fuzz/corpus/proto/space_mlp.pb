nascR’ 
mlpmain™
main,
xÿÿÿÿÿÿÿÿÿ
examples/mlp.nas„
hrepeat
x"
labeldepth"
depths2
"4
blocks*:(
depth_b0
depth_b1
depth_b2
depth_b32
examples/mlp.nas
:
linearlinear
h"
out
2
examples/mlp.nas"
linear*
examples/mlp.nasÉ
depth_b0,
xÿÿÿÿÿÿÿÿÿ
examples/mlp.nas1F
hidden_linearlinear
x"
out	
width2
examples/mlp.nasÀ
hidden_layer_choicelayer_choice
hidden_linear"
label
activation"[

candidatesMBK

reluactivation_relu

tanhactivation_tanh

geluactivation_gelu2
examples/mlp.nas'Z
hidden_dropoutdropout
hidden_layer_choice"
p
	š™™™™™¹?2
examples/mlp.nas
"
hidden_dropout*
examples/mlp.nas1›
activation_relu,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
relurelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
relu*
examples/mlp.nas	›
activation_tanh,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
tanhtanh
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
tanh*
examples/mlp.nas	›
activation_gelu,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
gelugelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
gelu*
examples/mlp.nas	Ï
depth_b1,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas1F
hidden_linearlinear
x"
out	
width2
examples/mlp.nasÆ
hidden_layer_choicelayer_choice
hidden_linear"
label
activation"a

candidatesSBQ

reluactivation_relu_1

tanhactivation_tanh_1

geluactivation_gelu_12
examples/mlp.nas'Z
hidden_dropoutdropout
hidden_layer_choice"
p
	š™™™™™¹?2
examples/mlp.nas
"
hidden_dropout*
examples/mlp.nas1
activation_relu_1,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
relurelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
relu*
examples/mlp.nas	
activation_tanh_1,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
tanhtanh
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
tanh*
examples/mlp.nas	
activation_gelu_1,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
gelugelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
gelu*
examples/mlp.nas	Ï
depth_b2,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas1F
hidden_linearlinear
x"
out	
width2
examples/mlp.nasÆ
hidden_layer_choicelayer_choice
hidden_linear"
label
activation"a

candidatesSBQ

reluactivation_relu_2

tanhactivation_tanh_2

geluactivation_gelu_22
examples/mlp.nas'Z
hidden_dropoutdropout
hidden_layer_choice"
p
	š™™™™™¹?2
examples/mlp.nas
"
hidden_dropout*
examples/mlp.nas1
activation_relu_2,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
relurelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
relu*
examples/mlp.nas	
activation_tanh_2,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
tanhtanh
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
tanh*
examples/mlp.nas	
activation_gelu_2,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
gelugelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
gelu*
examples/mlp.nas	Ï
depth_b3,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas1F
hidden_linearlinear
x"
out	
width2
examples/mlp.nasÆ
hidden_layer_choicelayer_choice
hidden_linear"
label
activation"a

candidatesSBQ

reluactivation_relu_3

tanhactivation_tanh_3

geluactivation_gelu_32
examples/mlp.nas'Z
hidden_dropoutdropout
hidden_layer_choice"
p
	š™™™™™¹?2
examples/mlp.nas
"
hidden_dropout*
examples/mlp.nas1
activation_relu_3,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
relurelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
relu*
examples/mlp.nas	
activation_tanh_3,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
tanhtanh
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
tanh*
examples/mlp.nas	
activation_gelu_3,
xÿÿÿÿÿÿÿÿÿ@
examples/mlp.nas	:
gelugelu
x*ÿÿÿÿÿÿÿÿÿ@2
examples/mlp.nas"
gelu*
examples/mlp.nas	"-
width@€€
examples/mlp.nas	