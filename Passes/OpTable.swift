// OpTable: the one table of op definitions, looked up by kind (entries live in Passes/Ops/, one per op kind).
import NASCIR

/// Every op kind's ``OpDefinition``. The switch is exhaustive, so a new ``OpKind`` does not compile until it has an
/// entry; the entries themselves are declared in `Passes/Ops/*.swift`, grouped by family.
public enum OpTable {
    /// The definition of `kind`.
    public static subscript(kind: OpKind) -> OpDefinition {
        switch kind {
        case .conv2d: return conv2d
        case .depthwiseConv2d: return depthwiseConv2d
        case .separableConv2d: return separableConv2d
        case .linear: return linear
        case .batchNorm: return batchNorm
        case .layerNorm: return layerNorm
        case .relu: return relu
        case .relu6: return relu6
        case .sigmoid: return sigmoid
        case .tanh: return tanh
        case .gelu: return gelu
        case .hardswish: return hardswish
        case .maxPool2d: return maxPool2d
        case .avgPool2d: return avgPool2d
        case .globalAvgPool: return globalAvgPool
        case .flatten: return flatten
        case .embedding: return embedding
        case .globalMaxPool1d: return globalMaxPool1d
        case .globalAvgPool1d: return globalAvgPool1d
        case .multiheadAttention: return multiheadAttention
        case .lstm: return lstm
        case .gru: return gru
        case .conv1d: return conv1d
        case .maxPool1d: return maxPool1d
        case .avgPool1d: return avgPool1d
        case .transpose: return transpose
        case .dropout: return dropout
        case .add: return add
        case .mul: return mul
        case .scale: return scale
        case .concat: return concat
        case .identity: return identity
        case .zero: return zero
        case .softmax: return softmax
        case .logSoftmax: return logSoftmax
        case .call: return call
        case .layerChoice: return layerChoice
        case .inputChoice: return inputChoice
        case .repeated: return repeated
        case .cell: return cell
        case .param: return param
        case .softmaxCrossEntropy: return softmaxCrossEntropy
        case .nllLoss: return nllLoss
        case .paramGrad: return paramGrad
        case .conv2dGradInput: return conv2dGradInput
        case .conv2dGradWeight: return conv2dGradWeight
        case .conv2dGradBias: return conv2dGradBias
        case .depthwiseConv2dGradInput: return depthwiseConv2dGradInput
        case .depthwiseConv2dGradWeight: return depthwiseConv2dGradWeight
        case .depthwiseConv2dGradBias: return depthwiseConv2dGradBias
        case .linearGradInput: return linearGradInput
        case .linearGradWeight: return linearGradWeight
        case .linearGradBias: return linearGradBias
        case .batchNormGrad: return batchNormGrad
        case .layerNormGrad: return layerNormGrad
        case .activationGrad: return activationGrad
        case .maxPool2dGrad: return maxPool2dGrad
        case .avgPool2dGrad: return avgPool2dGrad
        case .globalAvgPoolGrad: return globalAvgPoolGrad
        case .flattenGrad: return flattenGrad
        case .embeddingGrad: return embeddingGrad
        case .globalMaxPool1dGrad: return globalMaxPool1dGrad
        case .globalAvgPool1dGrad: return globalAvgPool1dGrad
        case .multiheadAttentionGrad: return multiheadAttentionGrad
        case .lstmGrad: return lstmGrad
        case .gruGrad: return gruGrad
        case .conv1dGradInput: return conv1dGradInput
        case .conv1dGradWeight: return conv1dGradWeight
        case .conv1dGradBias: return conv1dGradBias
        case .maxPool1dGrad: return maxPool1dGrad
        case .avgPool1dGrad: return avgPool1dGrad
        case .dropoutGrad: return dropoutGrad
        case .mulGrad: return mulGrad
        case .concatGrad: return concatGrad
        case .softmaxGrad: return softmaxGrad
        case .logSoftmaxGrad: return logSoftmaxGrad
        case .softmaxCrossEntropyGrad: return softmaxCrossEntropyGrad
        case .nllLossGrad: return nllLossGrad
        case .mseLoss: return mseLoss
        case .mseLossGrad: return mseLossGrad
        case .fusedConv2d: return fusedConv2d
        case .weightedSum: return weightedSum
        case .weightedSumGrad: return weightedSumGrad
        case .switchOp: return switchOp
        case .switchGrad: return switchGrad
        }
    }

    /// Every definition, in ``OpKind`` order.
    public static var all: [OpDefinition] { OpKind.allCases.map { self[$0] } }

    /// The output type of `op` for `inputs` with every value choice replaced by the value `value` gives it: the
    /// front end's checker runs the same rules as shape inference, one combination of choices at a time.
    /// Throws ``ShapeError`` (a value that fails to evaluate is one, naming the attribute).
    public static func outputType(of op: Op, inputs: [TensorType], value: (ValueExpr) throws -> Scalar) throws(ShapeError) -> TensorType? {
        var fixed = op
        if !op.valueLabels.isEmpty {
            var attributes: [NamedAttribute] = []
            for a in op.attributes {
                guard case .expr(let e) = a.value, !e.labels.isEmpty else { attributes.append(a); continue }
                do { attributes.append(NamedAttribute(a.name, .expr(.const(try value(e))))) }
                catch { throw ShapeError("\(a.name) of \(op.kind.rawValue): \(error)") }
            }
            do { fixed = try Op(kind: op.kind, attributes: attributes) }
            catch { throw ShapeError("\(error)") }
        }
        return try OpShapeRules.outputType(fixed, inputs)
    }
}
