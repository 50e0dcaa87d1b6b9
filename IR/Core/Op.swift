// Op: the typed operation of a node. Tensor ops carry typed attribute structs; choices are first-class ops.

/// What a node computes.
public enum Op: Hashable, Sendable {
    // Convolution.
    case conv2d(Conv2DAttrs)
    case depthwiseConv2d(DepthwiseConv2DAttrs)
    case separableConv2d(SeparableConv2DAttrs)
    // Layers.
    case linear(LinearAttrs)
    case batchNorm(BatchNormAttrs)
    case layerNorm(LayerNormAttrs)
    // Activations.
    case activation(Activation)
    // Pooling and reshaping.
    case maxPool2d(Pool2DAttrs)
    case avgPool2d(Pool2DAttrs)
    case globalAvgPool
    // Sequences (`[N,T,D]`, batch first).
    /// Token ids `i64[N,T]` to rows of a `[vocab, dim]` table: `f32[N,T,dim]` (PyTorch `nn.Embedding`).
    case embedding(EmbeddingAttrs)
    /// Max over time, `[N,T,D] -> [N,D]`; an optional second input, the token ids `i64[N,T]`, masks padding (id 0).
    case globalMaxPool1d
    /// Mean over time, `[N,T,D] -> [N,D]`; an optional second input, the token ids `i64[N,T]`, masks padding (id 0).
    case globalAvgPool1d
    /// Self-attention over `[N,T,D]` (PyTorch `nn.MultiheadAttention`, `batch_first=True`, query = key = value); an
    /// optional second input, the token ids `i64[N,T]`, masks padding keys (id 0).
    case multiheadAttention(AttentionAttrs)
    /// One LSTM layer over `[N,T,D]` (PyTorch `nn.LSTM(batch_first=True)`), `[N,T,H]` or `[N,T,2H]` bidirectional.
    case lstm(RecurrentAttrs)
    /// One GRU layer over `[N,T,D]` (PyTorch `nn.GRU(batch_first=True)`), `[N,T,H]` or `[N,T,2H]` bidirectional.
    case gru(RecurrentAttrs)
    /// 1-D convolution over time, `[N,T,C] -> [N,T',out]` (channels last; weight `[out, C/groups, kernel]`).
    case conv1d(Conv1DAttrs)
    /// Max over windows of time, `[N,T,C] -> [N,T',C]`; an optional second input, the token ids `i64[N,T]`, masks padding.
    case maxPool1d(Pool1DAttrs)
    /// Mean over windows of time (over real steps only), `[N,T,C] -> [N,T',C]`; optional token ids as for `maxPool1d`.
    case avgPool1d(Pool1DAttrs)
    /// Swaps two dimensions (not the batch).
    case transpose(TransposeAttrs)
    /// Flattens every dimension after the batch.
    case flatten
    // Other.
    case dropout(p: ValueExpr)
    /// Elementwise sum of all inputs (2 or more).
    case add
    /// Elementwise product of all inputs (2 or more).
    case mul
    /// Elementwise `factor * input` (an input choice's `mean` reduction after specialization: `scale(add(...), 1/k)`).
    case scale(factor: Double)
    case concat(axis: Int)
    case identity
    /// DARTS's "none": zeros shaped like the input (strided when `stride` > 1).
    case zero(stride: ValueExpr)
    case softmax(axis: Int)
    case logSoftmax(axis: Int)
    // Structure and mutation primitives.
    /// Instantiates a subgraph (a block/module).
    case call(graph: String)
    case layerChoice(LayerChoiceOp)
    case inputChoice(InputChoiceOp)
    case repeated(RepeatOp)
    case cell(CellOp)
    // Training: explicit parameters, losses and the backward ops autodiff appends.
    /// A named parameter or state tensor (no inputs).
    case param(ParamAttrs)
    /// Mean softmax cross-entropy of `(logits, labels)` with label smoothing; a scalar `f32[]`.
    case softmaxCrossEntropy(labelSmoothing: Double)
    /// Mean negative log-likelihood of `(logProbabilities, labels)`; a scalar `f32[]`.
    case nllLoss
    /// Mean squared error of `(predictions, targets)`, both `f32[N, D]` (regression); a scalar `f32[]`.
    case mseLoss
    /// Marks `(param, gradient)`: the gradient of the loss w.r.t. that parameter (a graph output).
    case paramGrad
    /// `(gradOutput, weight) -> gradInput`.
    case conv2dGradInput(Conv2DAttrs)
    /// `(input, gradOutput) -> gradWeight`.
    case conv2dGradWeight(Conv2DAttrs)
    /// `(gradOutput) -> gradBias`.
    case conv2dGradBias(Conv2DAttrs)
    /// `(gradOutput, weight) -> gradInput`.
    case depthwiseConv2dGradInput(DepthwiseConv2DAttrs)
    /// `(input, gradOutput) -> gradWeight`.
    case depthwiseConv2dGradWeight(DepthwiseConv2DAttrs)
    /// `(gradOutput) -> gradBias`.
    case depthwiseConv2dGradBias(DepthwiseConv2DAttrs)
    /// `(gradOutput, weight) -> gradInput`.
    case linearGradInput(LinearAttrs)
    /// `(input, gradOutput) -> gradWeight`.
    case linearGradWeight(LinearAttrs)
    /// `(gradOutput) -> gradBias`.
    case linearGradBias(LinearAttrs)
    /// `(input, output, gradOutput[, gamma]) -> (gradInput[, gradGamma, gradBeta])`; `output` names the forward node.
    case batchNormGrad(BatchNormAttrs)
    /// `(input, output, gradOutput[, gamma]) -> (gradInput[, gradGamma, gradBeta])`.
    case layerNormGrad(LayerNormAttrs)
    /// `(input, output, gradOutput) -> gradInput`.
    case activationGrad(Activation)
    /// `(input, output, gradOutput) -> gradInput`; `output` names the forward node (its argmax indices).
    case maxPool2dGrad(Pool2DAttrs)
    /// `(gradOutput) -> gradInput` (typed like the forward input).
    case avgPool2dGrad(Pool2DAttrs)
    /// `(gradOutput) -> gradInput`.
    case globalAvgPoolGrad
    /// `(ids, gradOutput) -> gradWeight` (`[vocab, dim]`).
    case embeddingGrad(EmbeddingAttrs)
    /// `(output, gradOutput[, ids]) -> gradInput`; `output` names the forward node (its argmax steps).
    case globalMaxPool1dGrad
    /// `(gradOutput[, ids]) -> gradInput`.
    case globalAvgPool1dGrad
    /// `(input, output, gradOutput[, ids], inProjWeight, outProjWeight) -> (gradInput, gradInProjWeight, gradInProjBias,
    /// gradOutProjWeight, gradOutProjBias)`; `output` names the forward node (its saved projections and attention).
    case multiheadAttentionGrad(AttentionAttrs)
    /// `(input, output, gradOutput, weight_ih, weight_hh[, weight_ih_reverse, weight_hh_reverse]) -> (gradInput,
    /// then per direction gradWeightIH, gradWeightHH, gradBiasIH, gradBiasHH)`; `output` names the forward node (its
    /// saved gates). Backpropagation through time.
    case lstmGrad(RecurrentAttrs)
    /// As ``lstmGrad(_:)`` for a GRU layer.
    case gruGrad(RecurrentAttrs)
    /// `(gradOutput, weight) -> gradInput`.
    case conv1dGradInput(Conv1DAttrs)
    /// `(input, gradOutput) -> gradWeight`.
    case conv1dGradWeight(Conv1DAttrs)
    /// `(gradOutput) -> gradBias`.
    case conv1dGradBias(Conv1DAttrs)
    /// `(output, gradOutput[, ids]) -> gradInput`; `output` names the forward node (its argmax steps).
    case maxPool1dGrad(Pool1DAttrs)
    /// `(gradOutput[, ids]) -> gradInput`.
    case avgPool1dGrad(Pool1DAttrs)
    /// `(gradOutput) -> gradInput` reshaped to the forward input's type.
    case flattenGrad
    /// `(output, gradOutput) -> gradInput`; `output` names the forward node (its mask).
    case dropoutGrad(p: ValueExpr)
    /// `(a, b, gradOutput) -> (gradA, gradB)`.
    case mulGrad
    /// `(gradOutput) -> one gradient per forward input`.
    case concatGrad(axis: Int)
    /// `(output, gradOutput) -> gradInput`.
    case softmaxGrad(axis: Int)
    /// `(output, gradOutput) -> gradInput`.
    case logSoftmaxGrad(axis: Int)
    /// `(logits, labels) -> gradLogits` of the mean loss (incoming gradient 1).
    case softmaxCrossEntropyGrad(labelSmoothing: Double)
    /// `(logProbabilities, labels) -> gradLogProbabilities` of the mean loss.
    case nllLossGrad
    /// `(predictions, targets) -> gradPredictions` of the mean squared error (incoming gradient 1).
    case mseLossGrad
    /// A convolution with a folded batchnorm and/or activation (from the `fuse` pass).
    case fusedConv2d(FusedConv2DAttrs)
    /// Supernet (DARTS) mixed value: `weighted_sum(x_0, ..., x_{n-1}, w)` = sum_k w[k] * x_k, `w` an `f32[n]`.
    case weightedSum
    /// Backward of `weighted_sum`: inputs `x_0..x_{n-1}, w, grad_y`; results `grad_x_0..grad_x_{n-1}, grad_w`.
    case weightedSumGrad
    /// Supernet single-path switch: forwards the candidate input the executor's selection picks at run time.
    case switchOp(SwitchAttrs)
    /// Backward of `switch`: input `grad_y`; results one gradient per candidate (only the selected one is written).
    case switchGrad(SwitchAttrs)

    /// The op's kind (its text name).
    public var kind: OpKind {
        switch self {
        case .conv2d: return .conv2d
        case .depthwiseConv2d: return .depthwiseConv2d
        case .separableConv2d: return .separableConv2d
        case .linear: return .linear
        case .batchNorm: return .batchNorm
        case .layerNorm: return .layerNorm
        case .activation(let a):
            switch a {
            case .relu: return .relu
            case .relu6: return .relu6
            case .sigmoid: return .sigmoid
            case .tanh: return .tanh
            case .gelu: return .gelu
            case .hardswish: return .hardswish
            }
        case .maxPool2d: return .maxPool2d
        case .avgPool2d: return .avgPool2d
        case .globalAvgPool: return .globalAvgPool
        case .embedding: return .embedding
        case .globalMaxPool1d: return .globalMaxPool1d
        case .globalAvgPool1d: return .globalAvgPool1d
        case .multiheadAttention: return .multiheadAttention
        case .lstm: return .lstm
        case .gru: return .gru
        case .conv1d: return .conv1d
        case .maxPool1d: return .maxPool1d
        case .avgPool1d: return .avgPool1d
        case .transpose: return .transpose
        case .flatten: return .flatten
        case .dropout: return .dropout
        case .add: return .add
        case .mul: return .mul
        case .scale: return .scale
        case .concat: return .concat
        case .identity: return .identity
        case .zero: return .zero
        case .softmax: return .softmax
        case .logSoftmax: return .logSoftmax
        case .call: return .call
        case .layerChoice: return .layerChoice
        case .inputChoice: return .inputChoice
        case .repeated: return .repeated
        case .cell: return .cell
        case .param: return .param
        case .softmaxCrossEntropy: return .softmaxCrossEntropy
        case .nllLoss: return .nllLoss
        case .mseLoss: return .mseLoss
        case .paramGrad: return .paramGrad
        case .conv2dGradInput: return .conv2dGradInput
        case .conv2dGradWeight: return .conv2dGradWeight
        case .conv2dGradBias: return .conv2dGradBias
        case .depthwiseConv2dGradInput: return .depthwiseConv2dGradInput
        case .depthwiseConv2dGradWeight: return .depthwiseConv2dGradWeight
        case .depthwiseConv2dGradBias: return .depthwiseConv2dGradBias
        case .linearGradInput: return .linearGradInput
        case .linearGradWeight: return .linearGradWeight
        case .linearGradBias: return .linearGradBias
        case .batchNormGrad: return .batchNormGrad
        case .layerNormGrad: return .layerNormGrad
        case .activationGrad: return .activationGrad
        case .maxPool2dGrad: return .maxPool2dGrad
        case .avgPool2dGrad: return .avgPool2dGrad
        case .globalAvgPoolGrad: return .globalAvgPoolGrad
        case .embeddingGrad: return .embeddingGrad
        case .globalMaxPool1dGrad: return .globalMaxPool1dGrad
        case .globalAvgPool1dGrad: return .globalAvgPool1dGrad
        case .multiheadAttentionGrad: return .multiheadAttentionGrad
        case .lstmGrad: return .lstmGrad
        case .gruGrad: return .gruGrad
        case .conv1dGradInput: return .conv1dGradInput
        case .conv1dGradWeight: return .conv1dGradWeight
        case .conv1dGradBias: return .conv1dGradBias
        case .maxPool1dGrad: return .maxPool1dGrad
        case .avgPool1dGrad: return .avgPool1dGrad
        case .flattenGrad: return .flattenGrad
        case .dropoutGrad: return .dropoutGrad
        case .mulGrad: return .mulGrad
        case .concatGrad: return .concatGrad
        case .softmaxGrad: return .softmaxGrad
        case .logSoftmaxGrad: return .logSoftmaxGrad
        case .softmaxCrossEntropyGrad: return .softmaxCrossEntropyGrad
        case .nllLossGrad: return .nllLossGrad
        case .mseLossGrad: return .mseLossGrad
        case .fusedConv2d: return .fusedConv2d
        case .weightedSum: return .weightedSum
        case .weightedSumGrad: return .weightedSumGrad
        case .switchOp: return .switchOp
        case .switchGrad: return .switchGrad
        }
    }

    /// True for the mutation primitives (ops that hold a decision).
    public var isChoice: Bool {
        switch self {
        case .layerChoice, .inputChoice, .repeated, .cell: return true
        default: return attributes.contains { if case .expr(let e) = $0.value { return !e.labels.isEmpty } else { return false } }
        }
    }

    /// Subgraphs this op refers to, in attribute order.
    public var referencedGraphs: [String] {
        switch self {
        case .call(let g): return [g]
        case .layerChoice(let c): return c.candidates.map(\.graph)
        case .repeated(let r): return r.blocks
        case .cell(let c): return c.candidates.map(\.graph) + c.inputCandidates.map(\.graph)
        default: return []
        }
    }

    /// Value-choice labels read by this op's attributes.
    public var valueLabels: [String] {
        var out: [String] = []
        for a in attributes { if case .expr(let e) = a.value { for l in e.labels where !out.contains(l) { out.append(l) } } }
        return out
    }
}

/// The name of each op, as written in text IR and protobuf.
public enum OpKind: String, Hashable, Sendable, CaseIterable {
    case conv2d, depthwiseConv2d = "depthwise_conv2d", separableConv2d = "separable_conv2d"
    case linear, batchNorm = "batch_norm", layerNorm = "layer_norm"
    case relu, relu6, sigmoid, tanh, gelu, hardswish
    case maxPool2d = "max_pool2d", avgPool2d = "avg_pool2d", globalAvgPool = "global_avg_pool", flatten
    case embedding, globalMaxPool1d = "global_max_pool1d", globalAvgPool1d = "global_avg_pool1d"
    case multiheadAttention = "multihead_attention", lstm, gru
    case conv1d, maxPool1d = "max_pool1d", avgPool1d = "avg_pool1d", transpose
    case dropout, add, mul, scale, concat, identity, zero, softmax, logSoftmax = "log_softmax"
    case call, layerChoice = "layer_choice", inputChoice = "input_choice", repeated = "repeat", cell
    case param, softmaxCrossEntropy = "softmax_cross_entropy", nllLoss = "nll_loss", paramGrad = "param_grad"
    case conv2dGradInput = "conv2d_grad_input", conv2dGradWeight = "conv2d_grad_weight", conv2dGradBias = "conv2d_grad_bias"
    case depthwiseConv2dGradInput = "depthwise_conv2d_grad_input", depthwiseConv2dGradWeight = "depthwise_conv2d_grad_weight"
    case depthwiseConv2dGradBias = "depthwise_conv2d_grad_bias"
    case linearGradInput = "linear_grad_input", linearGradWeight = "linear_grad_weight", linearGradBias = "linear_grad_bias"
    case batchNormGrad = "batch_norm_grad", layerNormGrad = "layer_norm_grad", activationGrad = "activation_grad"
    case maxPool2dGrad = "max_pool2d_grad", avgPool2dGrad = "avg_pool2d_grad", globalAvgPoolGrad = "global_avg_pool_grad"
    case embeddingGrad = "embedding_grad", globalMaxPool1dGrad = "global_max_pool1d_grad"
    case globalAvgPool1dGrad = "global_avg_pool1d_grad", multiheadAttentionGrad = "multihead_attention_grad"
    case conv1dGradInput = "conv1d_grad_input", conv1dGradWeight = "conv1d_grad_weight", conv1dGradBias = "conv1d_grad_bias"
    case maxPool1dGrad = "max_pool1d_grad", avgPool1dGrad = "avg_pool1d_grad", lstmGrad = "lstm_grad", gruGrad = "gru_grad"
    case flattenGrad = "flatten_grad", dropoutGrad = "dropout_grad", mulGrad = "mul_grad", concatGrad = "concat_grad"
    case softmaxGrad = "softmax_grad", logSoftmaxGrad = "log_softmax_grad"
    case softmaxCrossEntropyGrad = "softmax_cross_entropy_grad", nllLossGrad = "nll_loss_grad"
    case mseLoss = "mse_loss", mseLossGrad = "mse_loss_grad"
    case fusedConv2d = "fused_conv2d"
    case weightedSum = "weighted_sum", weightedSumGrad = "weighted_sum_grad", switchOp = "switch", switchGrad = "switch_grad"

    /// True for the ops autodiff appends (gradients and parameter-gradient markers): exactly the kinds whose name
    /// contains `_grad` (OpKindTests checks this for every kind). A switch: a substring search per call (and even a
    /// `Set<OpKind>`, which hashes the raw-value string) was a hot spot in supernet-sized graphs.
    public var isBackward: Bool {
        switch self {
        case .paramGrad, .conv2dGradInput, .conv2dGradWeight, .conv2dGradBias, .depthwiseConv2dGradInput,
             .depthwiseConv2dGradWeight, .depthwiseConv2dGradBias, .linearGradInput, .linearGradWeight, .linearGradBias,
             .batchNormGrad, .layerNormGrad, .activationGrad, .maxPool2dGrad, .avgPool2dGrad, .globalAvgPoolGrad,
             .embeddingGrad, .globalMaxPool1dGrad, .globalAvgPool1dGrad, .flattenGrad, .dropoutGrad, .mulGrad, .concatGrad, .softmaxGrad, .logSoftmaxGrad, .softmaxCrossEntropyGrad,
             .nllLossGrad, .mseLossGrad, .weightedSumGrad, .switchGrad,
             .conv1dGradInput, .conv1dGradWeight, .conv1dGradBias, .maxPool1dGrad, .avgPool1dGrad, .multiheadAttentionGrad,
             .lstmGrad, .gruGrad:
            return true
        default:
            return false
        }
    }

    /// Number of tensor inputs: exact count, or `nil` for variadic (at least `minInputs`).
    public var arity: Int? {
        switch self {
        case .add, .mul, .concat, .inputChoice, .call, .layerChoice, .cell: return nil
        // Parameterized layers take their parameters as extra inputs once they are explicit.
        case .conv2d, .depthwiseConv2d, .linear, .batchNorm, .layerNorm, .fusedConv2d, .embedding: return nil
        case .batchNormGrad, .layerNormGrad: return nil
        // The sequence pools take the token ids as an optional mask input.
        case .globalMaxPool1d, .globalAvgPool1d, .globalMaxPool1dGrad, .globalAvgPool1dGrad: return nil
        // Attention: the sequence, optionally its token ids (key padding mask), then its parameters once explicit.
        case .multiheadAttention, .multiheadAttentionGrad: return nil
        // Recurrent layers: the sequence, then 4 parameters per direction once explicit.
        case .lstm, .gru, .lstmGrad, .gruGrad: return nil
        case .conv1d, .maxPool1d, .avgPool1d, .maxPool1dGrad, .avgPool1dGrad: return nil
        case .conv1dGradInput, .conv1dGradWeight: return 2
        case .weightedSum, .weightedSumGrad, .switchOp: return nil
        case .param: return 0
        case .softmaxCrossEntropy, .nllLoss, .paramGrad, .conv2dGradInput, .conv2dGradWeight,
             .depthwiseConv2dGradInput, .depthwiseConv2dGradWeight, .linearGradInput, .linearGradWeight,
             .dropoutGrad, .softmaxGrad, .logSoftmaxGrad, .softmaxCrossEntropyGrad, .nllLossGrad,
             .mseLoss, .mseLossGrad, .embeddingGrad: return 2
        case .activationGrad, .maxPool2dGrad, .mulGrad: return 3
        default: return 1
        }
    }

    /// Number of tensor inputs as written in a model space, before `explicit-params` adds parameters as inputs
    /// (a `conv2d` in a space reads exactly one tensor); `nil` for variadic ops.
    public var spaceArity: Int? {
        switch self {
        case .conv2d, .depthwiseConv2d, .linear, .batchNorm, .layerNorm, .embedding, .conv1d, .lstm, .gru: return 1
        default: return arity
        }
    }

    /// The fewest inputs a variadic op takes.
    public var minInputs: Int {
        switch self {
        case .add, .mul: return 2
        case .concat, .inputChoice, .cell: return 1
        case .conv2d, .depthwiseConv2d, .linear, .batchNorm, .layerNorm, .embedding: return 1
        case .globalMaxPool1d, .globalAvgPool1d, .globalAvgPool1dGrad: return 1
        case .globalMaxPool1dGrad: return 2
        case .multiheadAttention: return 1
        case .multiheadAttentionGrad: return 5
        case .lstm, .gru: return 1
        case .lstmGrad, .gruGrad: return 5
        case .conv1d, .maxPool1d, .avgPool1d, .avgPool1dGrad: return 1
        case .maxPool1dGrad: return 2
        case .fusedConv2d: return 2
        case .batchNormGrad, .layerNormGrad: return 3
        case .weightedSum: return 2
        case .weightedSumGrad: return 3
        case .switchOp: return 1
        case .call, .layerChoice: return 0
        default: return arity ?? 1
        }
    }
}
