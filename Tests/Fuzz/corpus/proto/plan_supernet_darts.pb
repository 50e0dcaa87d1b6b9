nascb“7digits_oneshot
%x @Jÿÿÿÿÿÿÿÿÿ
%labels 0J
ÿÿÿÿÿÿÿÿÿ

arch:conv1(08J

arch:conv2(08J
	arch:skip(08J'
c1.0.conv2d.weight(08@	J!
c1.0.conv2d.bias(08@	J&
%c1.0.conv2d €0*Jÿÿÿÿÿÿÿÿÿ
c1.0.conv2d/im2col(À0+'
c1.1.conv2d.weight(08@J!
c1.1.conv2d.bias(08@J&
%c1.1.conv2d €0+Jÿÿÿÿÿÿÿÿÿ
c1.1.conv2d/im2col(À0,&
c1.2.conv2d.weight(0	8@J!
c1.2.conv2d.bias(0
8@J&
%c1.2.conv2d €0,Jÿÿÿÿÿÿÿÿÿ 
%arch_conv1.weights(0-J
%c1 €0.Jÿÿÿÿÿÿÿÿÿ#
c1_batch_norm.weight(08J!
c1_batch_norm.bias(08J)
c1_batch_norm.running_mean	(08J(
c1_batch_norm.running_var	(08J(
%c1_batch_norm €0/Jÿÿÿÿÿÿÿÿÿ"
c1_batch_norm/saved_mean(00%
c1_batch_norm/saved_inv_std(01"
%c1_relu €02Jÿÿÿÿÿÿÿÿÿ(
c2.0.conv2d.weight(€08@J"
c2.0.conv2d.bias(08@J$

%c2.0.relu €03Jÿÿÿÿÿÿÿÿÿ
c2.0.relu/im2col(€H04*
%c2.1.max_pool2d €04Jÿÿÿÿÿÿÿÿÿ"
c2.1.max_pool2d/indices €0 
%arch_conv2.weights(05J
%c2 €06Jÿÿÿÿÿÿÿÿÿ
%arch_skip.weights(07J
%h €08Jÿÿÿÿÿÿÿÿÿ'
%h_max_pool2d €09Jÿÿÿÿÿÿÿÿÿ
h_max_pool2d/indices €0$
h_linear.weight(€@08@€J €
h_linear.bias( 08@€J  
	%h_linear  08Jÿÿÿÿÿÿÿÿÿ 
%h_relu  0:Jÿÿÿÿÿÿÿÿÿ  
linear.weight(À08@ J
 
linear.bias(
08@ J

%linear 
0Jÿÿÿÿÿÿÿÿÿ

%loss(0!

%loss.grad 
0;Jÿÿÿÿÿÿÿÿÿ
)
%linear.grad_input  0<Jÿÿÿÿÿÿÿÿÿ "
grad(linear.weight)
(À0=J
 
grad(linear.bias)
(
0>J
#
%h_relu.grad  0<Jÿÿÿÿÿÿÿÿÿ -
%h_linear.grad_input €08Jÿÿÿÿÿÿÿÿÿ€%
grad(h_linear.weight)
(€@0:J € 
grad(h_linear.bias)
( 09J ,
%h_max_pool2d.grad €0<Jÿÿÿÿÿÿÿÿÿ!
%h.grad €08Jÿÿÿÿÿÿÿÿÿ#
	%h.grad#1 €0;Jÿÿÿÿÿÿÿÿÿ
	%h.grad#2(0?J
grad(arch:skip)
(06J"
%c2.grad €0<Jÿÿÿÿÿÿÿÿÿ$

%c2.grad#1 €07Jÿÿÿÿÿÿÿÿÿ$

%c2.grad#2 €0?Jÿÿÿÿÿÿÿÿÿ

%c2.grad#3(0@J
grad(arch:conv2)
(04J/
%c2.1.max_pool2d.grad €0;Jÿÿÿÿÿÿÿÿÿ)
%c2.0.relu.grad €0<Jÿÿÿÿÿÿÿÿÿ1
%c2.0.conv2d.grad_input €03Jÿÿÿÿÿÿÿÿÿ%
c2.0.conv2d.grad_input/col(€H07)
grad(c2.0.conv2d.weight)
(€07J)
c2.0.conv2d.grad_weight/im2col(€H05#
grad(c2.0.conv2d.bias)
(05J+
%c1_relu.grad_sum €08Jÿÿÿÿÿÿÿÿÿ'
%c1_relu.grad €08Jÿÿÿÿÿÿÿÿÿ-
%c1_batch_norm.grad €02Jÿÿÿÿÿÿÿÿÿ'
grad(c1_batch_norm.weight)
(0?J%
grad(c1_batch_norm.bias)
(03J"
%c1.grad €0.Jÿÿÿÿÿÿÿÿÿ$

%c1.grad#1 €0/Jÿÿÿÿÿÿÿÿÿ$

%c1.grad#2 €08Jÿÿÿÿÿÿÿÿÿ

%c1.grad#3(0@J
grad(arch:conv1)
(00J(
grad(c1.2.conv2d.weight)
(01J#
grad(c1.2.conv2d.bias)
(0+J)
grad(c1.1.conv2d.weight)
(0,J)
c1.1.conv2d.grad_weight/im2col(À0*#
grad(c1.1.conv2d.bias)
(0*J)
grad(c1.0.conv2d.weight)
(0/J)
c1.0.conv2d.grad_weight/im2col(À02#
grad(c1.0.conv2d.bias)
(02J)
linear.bias/optimizer_state(
0J
-
linear.weight/optimizer_state(À0J
 +
h_linear.bias/optimizer_state( 0J 0
h_linear.weight/optimizer_state(€@0J €.
 c2.0.conv2d.bias/optimizer_state(0J4
"c2.0.conv2d.weight/optimizer_state(€0J0
"c1_batch_norm.bias/optimizer_state(0J2
$c1_batch_norm.weight/optimizer_state(0 J.
 c1.2.conv2d.bias/optimizer_state(0!J3
"c1.2.conv2d.weight/optimizer_state(0"J.
 c1.1.conv2d.bias/optimizer_state(0#J4
"c1.1.conv2d.weight/optimizer_state(0$J.
 c1.0.conv2d.bias/optimizer_state(0%J4
"c1.0.conv2d.weight/optimizer_state(0&J'
arch:skip/optimizer_state(0'J(
arch:conv2/optimizer_state(0(J(
arch:conv1/optimizer_state(0)J"+
c1.0.conv2dR
 (08@H (0"+
c1.1.conv2dR
 (08@H	 
(0"2
c1.2.conv2dR#
 (0@H (0ÿÿÿÿÿÿÿÿÿ"3
arch_conv1.weights² (ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"&
c1â
 ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"e
c1_batch_norm’S@ñhãˆµøä>!š™™™™™¹?(08@HPX`hÿÿÿÿÿÿÿÿÿpÿÿÿÿÿÿÿÿÿxÿÿÿÿÿÿÿÿÿ€ÿÿÿÿÿÿÿÿÿ",
c1_relu² 
relu ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"1
	c2.0.reluR$
 (08@H (0:relu"*
c2.1.max_pool2dÂ
 (0 ("3
arch_conv2.weights²  (ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"&
c2â
 ! ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"2
arch_skip.weights² "(ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"$
hâ
!"# ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"%
h_max_pool2dÂ

 (#$ %("
h_linearr€  $(&0'8("+
h_relu² 
relu() ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"
linearr 
 )(*0+8,"
lossÂ
 ,(0-"
	loss.gradÊ
 ,(0.",
linear.grad_inputz 
 /(*0ÿÿÿÿÿÿÿÿÿ8.".
linear.grad_weight‚ 
 )(00ÿÿÿÿÿÿÿÿÿ8."#
linear.grad_biasŠ

 .(1018."
h_relu.gradº
relu() /(2"/
h_linear.grad_inputz€  3(&0ÿÿÿÿÿÿÿÿÿ82"1
h_linear.grad_weight‚€  $(40ÿÿÿÿÿÿÿÿÿ82"%
h_linear.grad_biasŠ   2(50582"*
h_max_pool2d.gradÊ

 (63 %("$
h.gradê
!"ÿÿÿÿÿÿÿÿÿ 6*7809"%
arch_skip.weights.gradº
: "(90:"'
c2.gradê
 ÿÿÿÿÿÿÿÿÿ 8*;<=0>"&
arch_conv2.weights.gradº
?  (>0?"/
c2.1.max_pool2d.gradÊ
 (0@< ("!
c2.0.relu.gradº
relu ;(A"A
c2.0.conv2d.grad_inputZ'
 (08@HB A(ÿÿÿÿÿÿÿÿÿ0C"B
c2.0.conv2d.grad_weightb'
 (08@HD A(ÿÿÿÿÿÿÿÿÿ0E"P
c2.0.conv2d.grad_biasj7
 (0@Hÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ A(F0ÿÿÿÿÿÿÿÿÿ">
c1_relu.grad_sum‚)
7=@BGÿÿÿÿÿÿÿÿÿ ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"
c1_relu.gradº
relu G(H"O
c1_batch_norm.gradš8@ñhãˆµøä>!š™™™™™¹?(08@ÿÿÿÿÿÿÿÿÿHPX`hHpIxJ€K"'
c1.gradê
ÿÿÿÿÿÿÿÿÿ I*LMN0O"&
arch_conv1.weights.gradº
P (O0P"G
c1.2.conv2d.grad_weightb,
 (0@HQ N(ÿÿÿÿÿÿÿÿÿ0ÿÿÿÿÿÿÿÿÿ"P
c1.2.conv2d.grad_biasj7
 (0@Hÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ N(R0ÿÿÿÿÿÿÿÿÿ"@
c1.1.conv2d.grad_weightb%
 (08@HS M(ÿÿÿÿÿÿÿÿÿ0T"P
c1.1.conv2d.grad_biasj7
 (0@Hÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ M(U0ÿÿÿÿÿÿÿÿÿ"@
c1.0.conv2d.grad_weightb%
 (08@HV L(ÿÿÿÿÿÿÿÿÿ0W"P
c1.0.conv2d.grad_biasj7
 (0@Hÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ L(X0ÿÿÿÿÿÿÿÿÿ"
linear.biasÒ+1Y"
linear.weightÒ*0Z"
h_linear.biasÒ'5["
h_linear.weightÒ&4\"
c2.0.conv2d.biasÒF]"
c2.0.conv2d.weightÒD^"
c1_batch_norm.biasÒK_"
c1_batch_norm.weightÒJ`"
c1.2.conv2d.biasÒRa"
c1.2.conv2d.weightÒQb"
c1.1.conv2d.biasÒ
Uc"
c1.1.conv2d.weightÒ	Sd"
c1.0.conv2d.biasÒXe"
c1.0.conv2d.weightÒVf"
	arch:skipÒ:g"

arch:conv2Ò?h"

arch:conv1ÒPi(0/@H,P-Z+1Z*0Z'5Z&4ZFZDZKZJZRZQZ
UZ	SZXZVZ:Z?ZPb
	š™™™™™©?ÍÌÌÌÌÌì?