nascbÃdigits
%x @Jÿÿÿÿÿÿÿÿÿ
%labels 0J
ÿÿÿÿÿÿÿÿÿ$
c1.conv2d.weight(H08@	J
c1.conv2d.bias(08@	J$

%c1.conv2d €0Jÿÿÿÿÿÿÿÿÿ
c1.conv2d/im2col(À0#
c1_batch_norm.weight(08J!
c1_batch_norm.bias(08J)
c1_batch_norm.running_mean	(08J(
c1_batch_norm.running_var	(08J(
%c1_batch_norm €0Jÿÿÿÿÿÿÿÿÿ"
c1_batch_norm/saved_mean(0%
c1_batch_norm/saved_inv_std(0"
%c1_relu €0Jÿÿÿÿÿÿÿÿÿ'
%h_max_pool2d €0Jÿÿÿÿÿÿÿÿÿ
h_max_pool2d/indices €0$
h_linear.weight(€0	8@€J€
h_linear.bias(0
8@€J 
	%h_linear 0Jÿÿÿÿÿÿÿÿÿ
%h_relu 0Jÿÿÿÿÿÿÿÿÿ 
linear.weight( 08@J

linear.bias(
08@J

%linear 
0Jÿÿÿÿÿÿÿÿÿ

%loss(0!

%loss.grad 
0Jÿÿÿÿÿÿÿÿÿ
)
%linear.grad_input 0 Jÿÿÿÿÿÿÿÿÿ"
grad(linear.weight)
( 0!J

grad(linear.bias)
(
0"J
#
%h_relu.grad 0 Jÿÿÿÿÿÿÿÿÿ-
%h_linear.grad_input €0Jÿÿÿÿÿÿÿÿÿ€%
grad(h_linear.weight)
(€0J€ 
grad(h_linear.bias)
(0J,
%h_max_pool2d.grad €0 Jÿÿÿÿÿÿÿÿÿ'
%c1_relu.grad €0 Jÿÿÿÿÿÿÿÿÿ-
%c1_batch_norm.grad €0Jÿÿÿÿÿÿÿÿÿ'
grad(c1_batch_norm.weight)
(0J%
grad(c1_batch_norm.bias)
(0J&
grad(c1.conv2d.weight)
(H0J'
c1.conv2d.grad_weight/im2col(À0!
grad(c1.conv2d.bias)
(0J)
linear.bias/optimizer_state(
0J
-
linear.weight/optimizer_state( 0J
+
h_linear.bias/optimizer_state(0J0
h_linear.weight/optimizer_state(€0J€0
"c1_batch_norm.bias/optimizer_state(0J2
$c1_batch_norm.weight/optimizer_state(0J,
c1.conv2d.bias/optimizer_state(0J1
 c1.conv2d.weight/optimizer_state(H0J")
	c1.conv2dR
 (08@H (0"e
c1_batch_norm’S@ñhãˆµøä>!š™™™™™¹?(0
8@HP	X`hÿÿÿÿÿÿÿÿÿpÿÿÿÿÿÿÿÿÿxÿÿÿÿÿÿÿÿÿ€ÿÿÿÿÿÿÿÿÿ",
c1_relu² 
relu
 ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"%
h_max_pool2dÂ

 ( ("
h_linearr€ (08"+
h_relu² 
relu ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"
linearr
 (08"
lossÂ
 (0"
	loss.gradÊ
 (0",
linear.grad_inputz
 (0ÿÿÿÿÿÿÿÿÿ8".
linear.grad_weight‚
 (0ÿÿÿÿÿÿÿÿÿ8"#
linear.grad_biasŠ

 (08"
h_relu.gradº
relu ("/
h_linear.grad_inputz€ (0ÿÿÿÿÿÿÿÿÿ8"1
h_linear.grad_weight‚€ (0ÿÿÿÿÿÿÿÿÿ8"%
h_linear.grad_biasŠ (08"*
h_max_pool2d.gradÊ

 (  ("
c1_relu.gradº
relu
  (!"O
c1_batch_norm.gradš8@ñhãˆµøä>!š™™™™™¹?(0
8@ÿÿÿÿÿÿÿÿÿHP	X`h!p"x#€$">
c1.conv2d.grad_weightb%
 (08@H% "(ÿÿÿÿÿÿÿÿÿ0&"N
c1.conv2d.grad_biasj7
 (0@Hÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ "('0ÿÿÿÿÿÿÿÿÿ"
linear.biasÒ("
linear.weightÒ)"
h_linear.biasÒ*"
h_linear.weightÒ+"
c1_batch_norm.biasÒ$,"
c1_batch_norm.weightÒ#-"
c1.conv2d.biasÒ'."
c1.conv2d.weightÒ%/(0@HPZZZZZ$Z#Z'Z%b
	š™™™™™©?ÍÌÌÌÌÌì?