// GradientOps: the op-table entries of the backward ops autodiff emits (typed by autodiff, never differentiated).
import NASCIR

extension OpTable {
    /// A backward op: autodiff gives its types, it adds nothing to a model's cost, and nasc has no second-order gradients.
    static func backward(_ sample: Op) -> OpDefinition {
        OpDefinition(sample.kind, shape: .fromAutodiff, cost: .notModelCost,
                     gradient: .notDifferentiable("second-order gradients are not supported"), sample: sample)
    }

    static let conv = Conv2DAttrs(outChannels: .int(8), kernel: .int(3), padding: .same)
    static let depthwise = DepthwiseConv2DAttrs(kernel: .int(3), stride: .int(2))
    static let dense = LinearAttrs(outFeatures: .int(10))
    static let window = Pool2DAttrs(kernel: .int(2))

    static let conv2dGradInput = backward(.conv2dGradInput(conv))
    static let conv2dGradWeight = backward(.conv2dGradWeight(conv))
    static let conv2dGradBias = backward(.conv2dGradBias(conv))
    static let depthwiseConv2dGradInput = backward(.depthwiseConv2dGradInput(depthwise))
    static let depthwiseConv2dGradWeight = backward(.depthwiseConv2dGradWeight(depthwise))
    static let depthwiseConv2dGradBias = backward(.depthwiseConv2dGradBias(depthwise))
    static let linearGradInput = backward(.linearGradInput(dense))
    static let linearGradWeight = backward(.linearGradWeight(dense))
    static let linearGradBias = backward(.linearGradBias(dense))
    static let batchNormGrad = backward(.batchNormGrad(BatchNormAttrs()))
    static let layerNormGrad = backward(.layerNormGrad(LayerNormAttrs(affine: false)))
    static let activationGrad = backward(.activationGrad(.gelu))
    static let maxPool2dGrad = backward(.maxPool2dGrad(window))
    static let avgPool2dGrad = backward(.avgPool2dGrad(window))
    static let globalAvgPoolGrad = backward(.globalAvgPoolGrad)
    static let flattenGrad = backward(.flattenGrad)
    static let dropoutGrad = backward(.dropoutGrad(p: .float(0.5)))
    static let mulGrad = backward(.mulGrad)
    static let concatGrad = backward(.concatGrad(axis: 1))
    static let softmaxGrad = backward(.softmaxGrad(axis: -1))
    static let logSoftmaxGrad = backward(.logSoftmaxGrad(axis: -1))
    static let softmaxCrossEntropyGrad = backward(.softmaxCrossEntropyGrad(labelSmoothing: 0.1))
    static let nllLossGrad = backward(.nllLossGrad)
    static let mseLossGrad = backward(.mseLossGrad)
    static let weightedSumGrad = backward(.weightedSumGrad)
    static let switchGrad = backward(.switchGrad(SwitchAttrs(label: "op", count: 2)))
}
