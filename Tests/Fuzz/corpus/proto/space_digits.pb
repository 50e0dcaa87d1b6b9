nascRã
digitsmain×
main1
xÿÿÿÿÿÿÿÿÿ
examples/digits.nasŠ
c1layer_choice
x"
labelconv1"D

candidates6B4

conv3x3conv1_conv3x3

conv5x5conv1_conv5x52
examples/digits.nas
<
c1_batch_norm
batch_norm
c12
examples/digits.nas;
c1_relurelu
c1_batch_norm2
examples/digits.nasn
	c2_conv2dconv2d	
c1_relu"
out	
width"
kernel
"
padding"same2
examples/digits.nas2
c2relu
	c2_conv2d2
examples/digits.nas<t
hinput_choice	
c1_relu
c2"
labelskip"
n_chosen
"
	reduction"sum2
examples/digits.nasJ
h_max_pool2d
max_pool2d
h"
kernel
2
examples/digits.nas
?
	h_flattenflatten
h_max_pool2d2
examples/digits.nas#M
h_linearlinear
	h_flatten"
out

hidden2
examples/digits.nas.5
h_relurelu

h_linear2
examples/digits.nasEB
linearlinear
h_relu"
out

2
examples/digits.nas"
linear*
examples/digits.nasÌ
conv1_conv3x31
xÿÿÿÿÿÿÿÿÿ
examples/digits.nasc
conv2dconv2d
x"
out	
width"
kernel
"
padding
2
examples/digits.nas"
conv2d*
examples/digits.nasÌ
conv1_conv5x51
xÿÿÿÿÿÿÿÿÿ
examples/digits.nasc
conv2dconv2d
x"
out	
width"
kernel
"
padding
2
examples/digits.nas"
conv2d*
examples/digits.nas"*
width
examples/digits.nas	"/
hidden @
examples/digits.nas
