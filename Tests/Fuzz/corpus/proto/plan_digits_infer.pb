nascb”	digits
%x @Jÿÿÿÿÿÿÿÿÿ$
c1.conv2d.weight(H08@	J
c1.conv2d.bias(08@	J#
c1_batch_norm.weight(08J!
c1_batch_norm.bias(08J)
c1_batch_norm.running_mean	(08J(
c1_batch_norm.running_var	(08J
c1_relu/zeros(0
c1_relu/folded_weight(H0
c1_relu/folded_bias(0"
%c1_relu €0Jÿÿÿÿÿÿÿÿÿ
c1_relu/im2col(À0'
%h_max_pool2d €0Jÿÿÿÿÿÿÿÿÿ
h_max_pool2d/indices €0$
h_linear.weight(€08@€J€
h_linear.bias(0	8@€J 
	%h_linear 0Jÿÿÿÿÿÿÿÿÿ
%h_relu 0Jÿÿÿÿÿÿÿÿÿ 
linear.weight( 0
8@J

linear.bias(
08@J

%linear 
0Jÿÿÿÿÿÿÿÿÿ
"/
c1_reluª#ÿÿÿÿÿÿÿÿÿ ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"_
c1_reluÚS	ñhãˆµøä>(08@ÿÿÿÿÿÿÿÿÿHPX`hÿÿÿÿÿÿÿÿÿpÿÿÿÿÿÿÿÿÿxÿÿÿÿÿÿÿÿÿ€ÿÿÿÿÿÿÿÿÿ"V
c1_reluÚJñhãˆµøä>(0	8@HPX`hÿÿÿÿÿÿÿÿÿpÿÿÿÿÿÿÿÿÿxÿÿÿÿÿÿÿÿÿ€ÿÿÿÿÿÿÿÿÿ"-
c1_reluR"
 (08@H 	(
0:relu"%
h_max_pool2dÂ

 (
 ("
h_linearr€ (08"+
h_relu² 
relu ÿÿÿÿÿÿÿÿÿ(ÿÿÿÿÿÿÿÿÿ"
linearr
 (08(0@ÿÿÿÿÿÿÿÿÿHPÿÿÿÿÿÿÿÿÿ