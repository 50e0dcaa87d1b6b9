// ConvolutionOps: the op-table entries of conv2d, depthwise_conv2d, separable_conv2d and fused_conv2d.
import NASCIR

extension OpTable {
    /// Attributes every 2-D convolution spells alike.
    static let convAttributes: [AttrSpec] = [
        AttrSpec("in", .expr), AttrSpec("out", .expr, required: true), AttrSpec("kernel", .expr, required: true),
        AttrSpec("stride", .expr), AttrSpec("padding", .padding), AttrSpec("dilation", .expr), AttrSpec("groups", .expr),
        AttrSpec("bias", .bool),
    ]

    static let conv2d = OpDefinition(
        .conv2d,
        language: OpLanguageForm(convAttributes, positional: ["out", "kernel", "stride", "padding"],
                                 summary: "2-D convolution; input channels inferred"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .conv2d(let a) = op else { return nil }
            return try OpShapeRules.conv2d(a, x[0])
        },
        cost: .rule { op, s in
            guard case .conv2d(let a) = op, let c = s.inputs[0].shape[1].value, let o = a.outChannels.constantInt,
                  let k = a.kernel.constantInt, let g = a.groups.constantInt else { return nil }
            return OpCost.layer(params: OpCost.mul(o, c / g, k, k), bias: a.bias ? o : 0,
                                macs: OpCost.mul(s.outputElements, c / g, k, k), s)
        },
        gradient: .rule { op, b in
            guard case .conv2d(let a) = op else { return }
            b.layer(input: .conv2dGradInput(a), weight: .conv2dGradWeight(a), bias: .conv2dGradBias(a))
        },
        sample: .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(3), stride: .int(2), padding: .same, groups: .int(2))))

    static let depthwiseConv2d = OpDefinition(
        .depthwiseConv2d,
        language: OpLanguageForm([
            AttrSpec("kernel", .expr, required: true), AttrSpec("stride", .expr), AttrSpec("padding", .padding),
            AttrSpec("dilation", .expr), AttrSpec("bias", .bool),
        ], positional: ["kernel", "stride", "padding"], aliases: ["dw_conv2d"], summary: "one filter per channel"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .depthwiseConv2d(let a) = op else { return nil }
            let (c, h, w) = try OpShapeRules.image("depthwise_conv2d", x[0])
            return try OpShapeRules.convLike("depthwise_conv2d", x[0], c: c, h: h, w: w, out: .int(c), kernel: a.kernel,
                                             stride: a.stride, padding: a.padding, dilation: a.dilation)
        },
        cost: .rule { op, s in
            guard case .depthwiseConv2d(let a) = op, let c = s.inputs[0].shape[1].value, let k = a.kernel.constantInt else { return nil }
            return OpCost.layer(params: OpCost.mul(c, k, k), bias: a.bias ? c : 0, macs: OpCost.mul(s.outputElements, k, k), s)
        },
        gradient: .rule { op, b in
            guard case .depthwiseConv2d(let a) = op else { return }
            b.layer(input: .depthwiseConv2dGradInput(a), weight: .depthwiseConv2dGradWeight(a), bias: .depthwiseConv2dGradBias(a))
        },
        sample: .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(3), padding: .explicit(.int(1)), dilation: .int(2))))

    /// Decomposed by `decompose-separable` before parameters become explicit, so autodiff never sees it.
    static let separableConv2d = OpDefinition(
        .separableConv2d,
        language: OpLanguageForm([
            AttrSpec("out", .expr, required: true), AttrSpec("kernel", .expr, required: true), AttrSpec("stride", .expr),
            AttrSpec("padding", .padding), AttrSpec("dilation", .expr), AttrSpec("bias", .bool),
        ], positional: ["out", "kernel", "stride", "padding"], aliases: ["sep_conv2d"],
           summary: "depthwise then 1x1 pointwise convolution"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .separableConv2d(let a) = op else { return nil }
            let (c, h, w) = try OpShapeRules.image("separable_conv2d", x[0])
            return try OpShapeRules.convLike("separable_conv2d", x[0], c: c, h: h, w: w, out: a.outChannels, kernel: a.kernel,
                                             stride: a.stride, padding: a.padding, dilation: a.dilation)
        },
        cost: .rule { op, s in
            // Depthwise `C * k * k` (no bias: it would fold into the pointwise bias) + pointwise `C * out` + `out` bias.
            guard case .separableConv2d(let a) = op, let c = s.inputs[0].shape[1].value, let o = a.outChannels.constantInt,
                  let k = a.kernel.constantInt, let h = s.output.shape[2].value, let w = s.output.shape[3].value else { return nil }
            return OpCost.layer(params: OpCost.add(OpCost.mul(c, k, k), OpCost.mul(c, o)), bias: a.bias ? o : 0,
                                macs: OpCost.add(OpCost.mul(c, h, w, k, k), OpCost.mul(s.outputElements, c)), s)
        },
        gradient: .notDifferentiable("run decompose-separable before autodiff"),
        sample: .separableConv2d(SeparableConv2DAttrs(outChannels: .int(8), kernel: .int(5), padding: .same)))

    /// Made by `fuse` for inference plans; counted like the convolution it replaces.
    static let fusedConv2d = OpDefinition(
        .fusedConv2d,
        shape: .rule { op, x throws(ShapeError) in
            guard case .fusedConv2d(let f) = op else { return nil }
            return try OpShapeRules.conv2d(f.conv, x[0])
        },
        cost: .notModelCost,
        gradient: .notDifferentiable("fuse makes inference plans only"),
        sample: .fusedConv2d(FusedConv2DAttrs(conv: Conv2DAttrs(outChannels: .int(4), kernel: .int(3)),
                                              batchNorm: BatchNormAttrs(eps: 1e-3), activation: .relu)))
}
