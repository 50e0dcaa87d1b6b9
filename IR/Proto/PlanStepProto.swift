// PlanStep <-> protobuf: one message per payload struct, the oneof field naming the kernel.

private func o(_ s: SlotID?) -> Int64 { s.map(Int64.init) ?? -1 }
private func opt(_ v: Int64) -> SlotID? { v == -1 ? nil : Int(v) }
private func i(_ v: Int64) -> Int { Int(v) }

extension Plan {
    static func activation(_ name: String) throws -> Activation {
        guard let a = Activation(rawValue: name) else { throw ProtoFormatError("unknown activation '\(name)'") }
        return a
    }

    static func linear(_ s: LinearStep) -> Nasc_Ir_LinearStep {
        var p = Nasc_Ir_LinearStep()
        p.inFeatures = Int64(s.inFeatures); p.outFeatures = Int64(s.outFeatures); p.rowsPerSample = Int64(s.rowsPerSample)
        p.input = Int64(s.input); p.weight = Int64(s.weight); p.bias = o(s.bias); p.output = Int64(s.output)
        return p
    }
    static func linear(_ p: Nasc_Ir_LinearStep) -> LinearStep {
        LinearStep(inFeatures: i(p.inFeatures), outFeatures: i(p.outFeatures), rowsPerSample: i(p.rowsPerSample), input: i(p.input),
                   weight: i(p.weight), bias: opt(p.bias), output: i(p.output))
    }

    // The three linear backward steps share the forward's message (fields in the same roles as before they had their
    // own Swift types: gradients in `input`/`weight`, the output gradient in `output`), so plan files are unchanged.
    static func linear(_ s: LinearBackwardInputStep) -> Nasc_Ir_LinearStep {
        linear(LinearStep(inFeatures: s.inFeatures, outFeatures: s.outFeatures, rowsPerSample: s.rowsPerSample, input: s.gradInput,
                          weight: s.weight, bias: nil, output: s.gradOutput))
    }
    static func linearBackwardInput(_ p: Nasc_Ir_LinearStep) -> LinearBackwardInputStep {
        LinearBackwardInputStep(inFeatures: i(p.inFeatures), outFeatures: i(p.outFeatures), rowsPerSample: i(p.rowsPerSample),
                                gradOutput: i(p.output), weight: i(p.weight), gradInput: i(p.input))
    }
    static func linear(_ s: LinearBackwardWeightStep) -> Nasc_Ir_LinearStep {
        linear(LinearStep(inFeatures: s.inFeatures, outFeatures: s.outFeatures, rowsPerSample: s.rowsPerSample, input: s.input,
                          weight: s.gradWeight, bias: nil, output: s.gradOutput))
    }
    static func linearBackwardWeight(_ p: Nasc_Ir_LinearStep) -> LinearBackwardWeightStep {
        LinearBackwardWeightStep(inFeatures: i(p.inFeatures), outFeatures: i(p.outFeatures), rowsPerSample: i(p.rowsPerSample),
                                 input: i(p.input), gradOutput: i(p.output), gradWeight: i(p.weight))
    }
    static func linear(_ s: LinearBackwardBiasStep) -> Nasc_Ir_LinearStep {
        linear(LinearStep(inFeatures: s.features, outFeatures: s.features, rowsPerSample: s.rowsPerSample, input: s.gradOutput,
                          weight: s.gradBias, bias: s.gradBias, output: s.gradOutput))
    }
    static func linearBackwardBias(_ p: Nasc_Ir_LinearStep) -> LinearBackwardBiasStep {
        LinearBackwardBiasStep(features: i(p.outFeatures), rowsPerSample: i(p.rowsPerSample), gradOutput: i(p.output), gradBias: i(p.weight))
    }

    static func batchNorm(_ s: BatchNormStep) -> Nasc_Ir_NormStep {
        var p = Nasc_Ir_NormStep()
        p.channels = Int64(s.channels); p.spatial = Int64(s.spatial); p.eps = s.eps; p.momentum = s.momentum
        p.input = Int64(s.input); p.output = Int64(s.output); p.gamma = o(s.gamma); p.beta = o(s.beta)
        p.runningMean = Int64(s.runningMean); p.runningVar = Int64(s.runningVar)
        p.savedMean = Int64(s.savedMean); p.savedInvStd = Int64(s.savedInvStd)
        p.gradOutput = o(s.gradOutput); p.gradInput = o(s.gradInput); p.gradGamma = o(s.gradGamma); p.gradBeta = o(s.gradBeta)
        return p
    }
    static func batchNorm(_ p: Nasc_Ir_NormStep) -> BatchNormStep {
        BatchNormStep(channels: i(p.channels), spatial: i(p.spatial), eps: p.eps, momentum: p.momentum, input: i(p.input),
                      output: i(p.output), gamma: opt(p.gamma), beta: opt(p.beta), runningMean: i(p.runningMean),
                      runningVar: i(p.runningVar), savedMean: i(p.savedMean), savedInvStd: i(p.savedInvStd),
                      gradOutput: opt(p.gradOutput), gradInput: opt(p.gradInput), gradGamma: opt(p.gradGamma), gradBeta: opt(p.gradBeta))
    }

    /// Layer norm shares NormStep: `channels` = features, `spatial` = rows per sample.
    static func layerNorm(_ s: LayerNormStep) -> Nasc_Ir_NormStep {
        var p = Nasc_Ir_NormStep()
        p.channels = Int64(s.features); p.spatial = Int64(s.rowsPerSample); p.eps = s.eps
        p.input = Int64(s.input); p.output = Int64(s.output); p.gamma = o(s.gamma); p.beta = o(s.beta)
        p.runningMean = -1; p.runningVar = -1
        p.savedMean = Int64(s.savedMean); p.savedInvStd = Int64(s.savedInvStd)
        p.gradOutput = o(s.gradOutput); p.gradInput = o(s.gradInput); p.gradGamma = o(s.gradGamma); p.gradBeta = o(s.gradBeta)
        return p
    }
    static func layerNorm(_ p: Nasc_Ir_NormStep) -> LayerNormStep {
        LayerNormStep(features: i(p.channels), rowsPerSample: i(p.spatial), eps: p.eps, input: i(p.input), output: i(p.output),
                      gamma: opt(p.gamma), beta: opt(p.beta), savedMean: i(p.savedMean), savedInvStd: i(p.savedInvStd),
                      gradOutput: opt(p.gradOutput), gradInput: opt(p.gradInput), gradGamma: opt(p.gradGamma), gradBeta: opt(p.gradBeta))
    }

    static func activation(_ s: ActivationStep) -> Nasc_Ir_ActivationStep {
        var p = Nasc_Ir_ActivationStep()
        p.function = s.function.rawValue; p.input = Int64(s.input); p.output = Int64(s.output)
        p.gradOutput = o(s.gradOutput); p.gradInput = o(s.gradInput)
        return p
    }
    static func activation(_ p: Nasc_Ir_ActivationStep) throws -> ActivationStep {
        ActivationStep(function: try activation(p.function), input: i(p.input), output: i(p.output), gradOutput: opt(p.gradOutput),
                       gradInput: opt(p.gradInput))
    }

    static func pool(_ s: PoolStep) -> Nasc_Ir_PoolStep {
        var p = Nasc_Ir_PoolStep()
        p.geometry = s.geometry.proto; p.input = Int64(s.input); p.output = Int64(s.output); p.indices = o(s.indices)
        p.countIncludePad = s.countIncludePad
        return p
    }
    static func pool(_ p: Nasc_Ir_PoolStep) -> PoolStep {
        PoolStep(geometry: PoolGeometry(proto: p.geometry), input: i(p.input), output: i(p.output), indices: opt(p.indices),
                 countIncludePad: p.countIncludePad)
    }

    static func global(_ s: GlobalPoolStep) -> Nasc_Ir_GlobalPoolStep {
        var p = Nasc_Ir_GlobalPoolStep()
        p.channels = Int64(s.channels); p.spatial = Int64(s.spatial); p.input = Int64(s.input); p.output = Int64(s.output)
        return p
    }
    static func global(_ p: Nasc_Ir_GlobalPoolStep) -> GlobalPoolStep {
        GlobalPoolStep(channels: i(p.channels), spatial: i(p.spatial), input: i(p.input), output: i(p.output))
    }

    static func embedding(_ s: EmbeddingStep) -> Nasc_Ir_EmbeddingStep {
        var p = Nasc_Ir_EmbeddingStep()
        p.positions = Int64(s.positions); p.vocab = Int64(s.vocab); p.dim = Int64(s.dim)
        p.ids = Int64(s.ids); p.weight = Int64(s.weight); p.output = Int64(s.output)
        return p
    }
    static func embedding(_ p: Nasc_Ir_EmbeddingStep) -> EmbeddingStep {
        EmbeddingStep(positions: i(p.positions), vocab: i(p.vocab), dim: i(p.dim), ids: i(p.ids), weight: i(p.weight), output: i(p.output))
    }

    static func sequencePool(_ s: SequencePoolStep) -> Nasc_Ir_SequencePoolStep {
        var p = Nasc_Ir_SequencePoolStep()
        p.max = s.max; p.length = Int64(s.length); p.features = Int64(s.features); p.input = Int64(s.input)
        p.output = Int64(s.output); p.ids = Int64(s.ids ?? -1); p.indices = Int64(s.indices ?? -1)
        return p
    }
    static func sequencePool(_ p: Nasc_Ir_SequencePoolStep) -> SequencePoolStep {
        SequencePoolStep(max: p.max, length: i(p.length), features: i(p.features), input: i(p.input), output: i(p.output),
                         ids: p.ids < 0 ? nil : i(p.ids), indices: p.indices < 0 ? nil : i(p.indices))
    }

    static func attention(_ s: AttentionStep) -> Nasc_Ir_AttentionStep {
        var p = Nasc_Ir_AttentionStep()
        func o(_ x: SlotID?) -> Int64 { Int64(x ?? -1) }
        p.length = Int64(s.length); p.dim = Int64(s.dim); p.heads = Int64(s.heads); p.input = Int64(s.input); p.ids = o(s.ids)
        p.inWeight = Int64(s.inWeight); p.inBias = o(s.inBias); p.outWeight = Int64(s.outWeight); p.outBias = o(s.outBias)
        p.output = Int64(s.output); p.qkv = Int64(s.qkv); p.probabilities = Int64(s.probabilities); p.context = Int64(s.context)
        p.gradOutput = o(s.gradOutput); p.gradInput = o(s.gradInput); p.gradInWeight = o(s.gradInWeight)
        p.gradInBias = o(s.gradInBias); p.gradOutWeight = o(s.gradOutWeight); p.gradOutBias = o(s.gradOutBias)
        p.workspace = o(s.workspace)
        return p
    }
    static func attention(_ p: Nasc_Ir_AttentionStep) -> AttentionStep {
        func o(_ x: Int64) -> SlotID? { x < 0 ? nil : i(x) }
        return AttentionStep(length: i(p.length), dim: i(p.dim), heads: i(p.heads), input: i(p.input), ids: o(p.ids),
                             inWeight: i(p.inWeight), inBias: o(p.inBias), outWeight: i(p.outWeight), outBias: o(p.outBias),
                             output: i(p.output), qkv: i(p.qkv), probabilities: i(p.probabilities), context: i(p.context),
                             gradOutput: o(p.gradOutput), gradInput: o(p.gradInput), gradInWeight: o(p.gradInWeight),
                             gradInBias: o(p.gradInBias), gradOutWeight: o(p.gradOutWeight), gradOutBias: o(p.gradOutBias),
                             workspace: o(p.workspace))
    }

    static func recurrent(_ s: RecurrentStep) -> Nasc_Ir_RecurrentStep {
        var p = Nasc_Ir_RecurrentStep()
        func l(_ x: [SlotID]) -> [Int64] { x.map(Int64.init) }
        p.cell = s.cell == .lstm ? .recurrentCellLstm : .recurrentCellGru
        p.length = Int64(s.length); p.inputSize = Int64(s.inputSize); p.hidden = Int64(s.hidden)
        p.bidirectional = s.bidirectional; p.input = Int64(s.input); p.output = Int64(s.output); p.saved = Int64(s.saved)
        p.weightIh = l(s.weightIH); p.weightHh = l(s.weightHH); p.biasIh = l(s.biasIH); p.biasHh = l(s.biasHH)
        p.gradOutput = Int64(s.gradOutput ?? -1); p.gradInput = Int64(s.gradInput ?? -1)
        p.gradWeightIh = l(s.gradWeightIH); p.gradWeightHh = l(s.gradWeightHH)
        p.gradBiasIh = l(s.gradBiasIH); p.gradBiasHh = l(s.gradBiasHH); p.workspace = Int64(s.workspace ?? -1)
        return p
    }
    static func recurrent(_ p: Nasc_Ir_RecurrentStep) throws -> RecurrentStep {
        func o(_ x: Int64) -> SlotID? { x < 0 ? nil : i(x) }
        let cell: RecurrentCell
        switch p.cell {
        case .recurrentCellLstm: cell = .lstm
        case .recurrentCellGru: cell = .gru
        case .UNRECOGNIZED(let v): throw ProtoFormatError("unknown recurrent cell \(v)")
        }
        return RecurrentStep(cell: cell, length: i(p.length), inputSize: i(p.inputSize), hidden: i(p.hidden),
                             bidirectional: p.bidirectional, input: i(p.input), output: i(p.output), saved: i(p.saved),
                             weightIH: p.weightIh.map(i), weightHH: p.weightHh.map(i), biasIH: p.biasIh.map(i),
                             biasHH: p.biasHh.map(i), gradOutput: o(p.gradOutput), gradInput: o(p.gradInput),
                             gradWeightIH: p.gradWeightIh.map(i), gradWeightHH: p.gradWeightHh.map(i),
                             gradBiasIH: p.gradBiasIh.map(i), gradBiasHH: p.gradBiasHh.map(i), workspace: o(p.workspace))
    }

    static func conv1d(_ s: Conv1DStep) -> Nasc_Ir_Conv1DStep {
        var p = Nasc_Ir_Conv1DStep(), g = s.geometry
        p.length = Int64(g.length); p.inChannels = Int64(g.inChannels); p.outChannels = Int64(g.outChannels)
        p.kernel = Int64(g.kernel); p.stride = Int64(g.stride); p.padding = Int64(g.padding); p.dilation = Int64(g.dilation)
        p.groups = Int64(g.groups); p.input = Int64(s.input); p.weight = Int64(s.weight); p.bias = Int64(s.bias ?? -1)
        p.output = Int64(s.output)
        return p
    }
    static func conv1d(_ p: Nasc_Ir_Conv1DStep) -> Conv1DStep {
        Conv1DStep(geometry: Conv1DGeometry(length: i(p.length), inChannels: i(p.inChannels), outChannels: i(p.outChannels),
                                            kernel: i(p.kernel), stride: i(p.stride), padding: i(p.padding),
                                            dilation: i(p.dilation), groups: i(p.groups)),
                   input: i(p.input), weight: i(p.weight), bias: p.bias < 0 ? nil : i(p.bias), output: i(p.output))
    }

    static func pool1d(_ s: Pool1DStep) -> Nasc_Ir_Pool1DStep {
        var p = Nasc_Ir_Pool1DStep()
        p.max = s.max; p.length = Int64(s.length); p.channels = Int64(s.channels); p.kernel = Int64(s.kernel)
        p.stride = Int64(s.stride); p.padding = Int64(s.padding); p.input = Int64(s.input); p.output = Int64(s.output)
        p.ids = Int64(s.ids ?? -1); p.indices = Int64(s.indices ?? -1)
        return p
    }
    static func pool1d(_ p: Nasc_Ir_Pool1DStep) -> Pool1DStep {
        Pool1DStep(max: p.max, length: i(p.length), channels: i(p.channels), kernel: i(p.kernel), stride: i(p.stride),
                   padding: i(p.padding), input: i(p.input), output: i(p.output), ids: p.ids < 0 ? nil : i(p.ids),
                   indices: p.indices < 0 ? nil : i(p.indices))
    }

    static func transpose(_ s: TransposeStep) -> Nasc_Ir_TransposeStep {
        var p = Nasc_Ir_TransposeStep()
        p.shape = s.shape.map { Int64($0) }; p.axis0 = Int64(s.axis0); p.axis1 = Int64(s.axis1)
        p.input = Int64(s.input); p.output = Int64(s.output)
        return p
    }
    static func transpose(_ p: Nasc_Ir_TransposeStep) -> TransposeStep {
        TransposeStep(shape: p.shape.map(i), axis0: i(p.axis0), axis1: i(p.axis1), input: i(p.input), output: i(p.output))
    }

    static func dropout(_ s: DropoutStep) -> Nasc_Ir_DropoutStep {
        var p = Nasc_Ir_DropoutStep()
        p.probability = s.probability; p.input = Int64(s.input); p.output = Int64(s.output); p.mask = Int64(s.mask); p.index = Int64(s.index)
        return p
    }
    static func dropout(_ p: Nasc_Ir_DropoutStep) -> DropoutStep {
        DropoutStep(probability: p.probability, input: i(p.input), output: i(p.output), mask: i(p.mask), index: i(p.index))
    }

    static func elementwise(_ inputs: [SlotID], _ output: SlotID?) -> Nasc_Ir_ElementwiseStep {
        var p = Nasc_Ir_ElementwiseStep()
        p.inputs = inputs.map(Int64.init); p.output = o(output); p.gradOutput = -1; p.gradA = -1; p.gradB = -1
        return p
    }

    static func concat(_ s: ConcatStep) -> Nasc_Ir_ConcatStep {
        var p = Nasc_Ir_ConcatStep()
        p.parts = s.parts.map(Int64.init); p.channels = s.channels.map(Int64.init); p.spatial = Int64(s.spatial); p.whole = Int64(s.whole)
        return p
    }
    static func concat(_ p: Nasc_Ir_ConcatStep) -> ConcatStep {
        ConcatStep(parts: p.parts.map(i), channels: p.channels.map(i), spatial: i(p.spatial), whole: i(p.whole))
    }

    static func softmax(_ s: SoftmaxStep) -> Nasc_Ir_SoftmaxStep {
        var p = Nasc_Ir_SoftmaxStep()
        p.columns = Int64(s.columns); p.log = s.log; p.input = Int64(s.input); p.output = Int64(s.output)
        p.gradOutput = o(s.gradOutput); p.gradInput = o(s.gradInput)
        return p
    }
    static func softmax(_ p: Nasc_Ir_SoftmaxStep) -> SoftmaxStep {
        SoftmaxStep(columns: i(p.columns), log: p.log, input: i(p.input), output: i(p.output), gradOutput: opt(p.gradOutput),
                    gradInput: opt(p.gradInput))
    }

    static func loss(_ s: LossStep) -> Nasc_Ir_LossStep {
        var p = Nasc_Ir_LossStep()
        switch s.kind {
        case .nll: p.nll = true
        case .mse: p.mse = true
        case .crossEntropy(let ls): p.labelSmoothing = ls
        }
        p.classes = Int64(s.classes); p.input = Int64(s.input); p.labels = Int64(s.labels); p.output = Int64(s.output)
        return p
    }
    static func loss(_ p: Nasc_Ir_LossStep) -> LossStep {
        LossStep(kind: p.mse ? .mse : p.nll ? .nll : .crossEntropy(labelSmoothing: p.labelSmoothing), classes: i(p.classes), input: i(p.input),
                 labels: i(p.labels), output: i(p.output))
    }

    /// The protobuf form of one step.
    static func stepProto(_ step: PlanStep) -> Nasc_Ir_PlanStep {
        var p = Nasc_Ir_PlanStep()
        p.node = step.node
        p.guard = step.guardedBy?.conditions.map { c in
            var q = Nasc_Ir_StepGuard(); q.selector = Int64(c.selector); q.candidate = Int64(c.candidate); q.atLeast = c.atLeast; q.negated = c.negated
            return q
        } ?? []
        func conv(_ g: ConvGeometry, input: SlotID?, weight: SlotID?, gradOutput: SlotID, gradBias: SlotID?, ws: SlotID?) -> Nasc_Ir_ConvBackwardStep {
            var c = Nasc_Ir_ConvBackwardStep()
            c.geometry = g.proto; c.input = o(input); c.weight = o(weight); c.gradOutput = Int64(gradOutput)
            c.gradBias = o(gradBias); c.workspace = o(ws)
            return c
        }
        switch step.kernel {
        case .convForward(let s):
            var c = Nasc_Ir_ConvForwardStep()
            c.geometry = s.geometry.proto; c.input = Int64(s.input); c.weight = Int64(s.weight); c.bias = o(s.bias)
            c.output = Int64(s.output); c.workspace = o(s.workspace); c.activation = s.activation?.rawValue ?? ""
            p.kernel = .convForward(c)
        case .convBackwardInput(let s):
            p.kernel = .convBackwardInput(conv(s.geometry, input: s.gradInput, weight: s.weight, gradOutput: s.gradOutput, gradBias: nil, ws: s.workspace))
        case .convBackwardWeight(let s):
            p.kernel = .convBackwardWeight(conv(s.geometry, input: s.input, weight: s.gradWeight, gradOutput: s.gradOutput, gradBias: nil, ws: s.workspace))
        case .convBackwardBias(let s):
            p.kernel = .convBackwardBias(conv(s.geometry, input: nil, weight: nil, gradOutput: s.gradOutput, gradBias: s.gradBias, ws: nil))
        case .linearForward(let s): p.kernel = .linearForward(linear(s))
        case .linearBackwardInput(let s): p.kernel = .linearBackwardInput(linear(s))
        case .linearBackwardWeight(let s): p.kernel = .linearBackwardWeight(linear(s))
        case .linearBackwardBias(let s): p.kernel = .linearBackwardBias(linear(s))
        case .batchNormForward(let s): p.kernel = .batchNormForward(batchNorm(s))
        case .batchNormBackward(let s): p.kernel = .batchNormBackward(batchNorm(s))
        case .batchNormFold(let s): p.kernel = .batchNormFold(batchNorm(s))
        case .layerNormForward(let s): p.kernel = .layerNormForward(layerNorm(s))
        case .layerNormBackward(let s): p.kernel = .layerNormBackward(layerNorm(s))
        case .activationForward(let s): p.kernel = .activationForward(activation(s))
        case .activationBackward(let s): p.kernel = .activationBackward(activation(s))
        case .maxPoolForward(let s): p.kernel = .maxPoolForward(pool(s))
        case .maxPoolBackward(let s): p.kernel = .maxPoolBackward(pool(s))
        case .avgPoolForward(let s): p.kernel = .avgPoolForward(pool(s))
        case .avgPoolBackward(let s): p.kernel = .avgPoolBackward(pool(s))
        case .globalAvgPoolForward(let s): p.kernel = .globalAvgPoolForward(global(s))
        case .globalAvgPoolBackward(let s): p.kernel = .globalAvgPoolBackward(global(s))
        case .embeddingForward(let s): p.kernel = .embeddingForward(embedding(s))
        case .embeddingBackward(let s): p.kernel = .embeddingBackward(embedding(s))
        case .sequencePoolForward(let s): p.kernel = .sequencePoolForward(sequencePool(s))
        case .sequencePoolBackward(let s): p.kernel = .sequencePoolBackward(sequencePool(s))
        case .attentionForward(let s): p.kernel = .attentionForward(attention(s))
        case .attentionBackward(let s): p.kernel = .attentionBackward(attention(s))
        case .recurrentForward(let s): p.kernel = .recurrentForward(recurrent(s))
        case .recurrentBackward(let s): p.kernel = .recurrentBackward(recurrent(s))
        case .conv1dForward(let s): p.kernel = .conv1DForward(conv1d(s))
        case .conv1dBackwardInput(let s): p.kernel = .conv1DBackwardInput(conv1d(s))
        case .conv1dBackwardWeight(let s): p.kernel = .conv1DBackwardWeight(conv1d(s))
        case .pool1dForward(let s): p.kernel = .pool1DForward(pool1d(s))
        case .pool1dBackward(let s): p.kernel = .pool1DBackward(pool1d(s))
        case .transpose(let s): p.kernel = .transpose(transpose(s))
        case .dropoutForward(let s): p.kernel = .dropoutForward(dropout(s))
        case .dropoutBackward(let s): p.kernel = .dropoutBackward(dropout(s))
        case .add(let s): p.kernel = .add(elementwise(s.inputs, s.output))
        case .mul(let s): p.kernel = .mul(elementwise(s.inputs, s.output))
        case .scale(let s):
            var e = Nasc_Ir_ScaleStep(); e.input = Int64(s.input); e.output = Int64(s.output); e.factor = s.factor
            p.kernel = .scale(e)
        case .mulBackward(let s):
            var e = elementwise([s.a, s.b], nil)
            e.gradOutput = Int64(s.gradOutput); e.gradA = o(s.gradA); e.gradB = o(s.gradB)
            p.kernel = .mulBackward(e)
        case .concat(let s): p.kernel = .concat(concat(s))
        case .concatBackward(let s): p.kernel = .concatBackward(concat(s))
        case .copy(let s): p.kernel = .copy(elementwise(s.source.map { [$0] } ?? [], s.destination))
        case .softmaxForward(let s): p.kernel = .softmaxForward(softmax(s))
        case .softmaxBackward(let s): p.kernel = .softmaxBackward(softmax(s))
        case .lossForward(let s): p.kernel = .lossForward(loss(s))
        case .lossBackward(let s): p.kernel = .lossBackward(loss(s))
        case .optimizerUpdate(let s):
            var u = Nasc_Ir_OptimizerUpdateStep(); u.param = Int64(s.param); u.grad = Int64(s.grad); u.state = o(s.state)
            p.kernel = .optimizerUpdate(u)
        case .weightedSumForward(let s): p.kernel = .weightedSumForward(weightedSum(s))
        case .weightedSumBackward(let s): p.kernel = .weightedSumBackward(weightedSum(s))
        }
        return p
    }

    /// Reads one step.
    static func step(proto p: Nasc_Ir_PlanStep) throws -> PlanStep {
        let k: KernelStep
        func req(_ v: Int64, _ what: String) throws -> SlotID {
            guard let s = opt(v) else { throw ProtoFormatError("missing \(what) slot") }
            return s
        }
        switch p.kernel {
        case nil: throw ProtoFormatError("step has no kernel")
        case .convForward(let c)?:
            k = .convForward(ConvForwardStep(geometry: ConvGeometry(proto: c.geometry), input: i(c.input), weight: i(c.weight),
                                             bias: opt(c.bias), output: i(c.output), workspace: opt(c.workspace),
                                             activation: c.activation.isEmpty ? nil : try activation(c.activation)))
        case .convBackwardInput(let c)?:
            k = .convBackwardInput(ConvBackwardInputStep(geometry: ConvGeometry(proto: c.geometry), gradOutput: i(c.gradOutput),
                                                         weight: try req(c.weight, "weight"), gradInput: try req(c.input, "input gradient"),
                                                         workspace: opt(c.workspace)))
        case .convBackwardWeight(let c)?:
            k = .convBackwardWeight(ConvBackwardWeightStep(geometry: ConvGeometry(proto: c.geometry), input: try req(c.input, "input"),
                                                           gradOutput: i(c.gradOutput), gradWeight: try req(c.weight, "weight gradient"),
                                                           workspace: opt(c.workspace)))
        case .convBackwardBias(let c)?:
            k = .convBackwardBias(ConvBackwardBiasStep(geometry: ConvGeometry(proto: c.geometry), gradOutput: i(c.gradOutput),
                                                       gradBias: try req(c.gradBias, "bias gradient")))
        case .linearForward(let s)?: k = .linearForward(linear(s))
        case .linearBackwardInput(let s)?: k = .linearBackwardInput(linearBackwardInput(s))
        case .linearBackwardWeight(let s)?: k = .linearBackwardWeight(linearBackwardWeight(s))
        case .linearBackwardBias(let s)?: k = .linearBackwardBias(linearBackwardBias(s))
        case .batchNormForward(let s)?: k = .batchNormForward(batchNorm(s))
        case .batchNormBackward(let s)?: k = .batchNormBackward(batchNorm(s))
        case .batchNormFold(let s)?: k = .batchNormFold(batchNorm(s))
        case .layerNormForward(let s)?: k = .layerNormForward(layerNorm(s))
        case .layerNormBackward(let s)?: k = .layerNormBackward(layerNorm(s))
        case .activationForward(let s)?: k = .activationForward(try activation(s))
        case .activationBackward(let s)?: k = .activationBackward(try activation(s))
        case .maxPoolForward(let s)?: k = .maxPoolForward(pool(s))
        case .maxPoolBackward(let s)?: k = .maxPoolBackward(pool(s))
        case .avgPoolForward(let s)?: k = .avgPoolForward(pool(s))
        case .avgPoolBackward(let s)?: k = .avgPoolBackward(pool(s))
        case .globalAvgPoolForward(let s)?: k = .globalAvgPoolForward(global(s))
        case .globalAvgPoolBackward(let s)?: k = .globalAvgPoolBackward(global(s))
        case .embeddingForward(let s)?: k = .embeddingForward(embedding(s))
        case .embeddingBackward(let s)?: k = .embeddingBackward(embedding(s))
        case .sequencePoolForward(let s)?: k = .sequencePoolForward(sequencePool(s))
        case .sequencePoolBackward(let s)?: k = .sequencePoolBackward(sequencePool(s))
        case .attentionForward(let s)?: k = .attentionForward(attention(s))
        case .attentionBackward(let s)?: k = .attentionBackward(attention(s))
        case .recurrentForward(let s)?: k = .recurrentForward(try recurrent(s))
        case .recurrentBackward(let s)?: k = .recurrentBackward(try recurrent(s))
        case .conv1DForward(let s)?: k = .conv1dForward(conv1d(s))
        case .conv1DBackwardInput(let s)?: k = .conv1dBackwardInput(conv1d(s))
        case .conv1DBackwardWeight(let s)?: k = .conv1dBackwardWeight(conv1d(s))
        case .pool1DForward(let s)?: k = .pool1dForward(pool1d(s))
        case .pool1DBackward(let s)?: k = .pool1dBackward(pool1d(s))
        case .transpose(let s)?: k = .transpose(transpose(s))
        case .dropoutForward(let s)?: k = .dropoutForward(dropout(s))
        case .dropoutBackward(let s)?: k = .dropoutBackward(dropout(s))
        case .add(let e)?: k = .add(ElementwiseStep(inputs: e.inputs.map(i), output: try req(e.output, "output")))
        case .mul(let e)?: k = .mul(ElementwiseStep(inputs: e.inputs.map(i), output: try req(e.output, "output")))
        case .scale(let e)?: k = .scale(ScaleStep(input: i(e.input), output: i(e.output), factor: e.factor))
        case .mulBackward(let e)?:
            guard e.inputs.count == 2 else { throw ProtoFormatError("mul backward needs 2 inputs, got \(e.inputs.count)") }
            k = .mulBackward(MulBackwardStep(a: i(e.inputs[0]), b: i(e.inputs[1]), gradOutput: i(e.gradOutput), gradA: opt(e.gradA),
                                             gradB: opt(e.gradB)))
        case .concat(let s)?: k = .concat(concat(s))
        case .concatBackward(let s)?: k = .concatBackward(concat(s))
        case .copy(let e)?:
            guard e.inputs.count <= 1 else { throw ProtoFormatError("copy takes at most 1 input, got \(e.inputs.count)") }
            k = .copy(CopyStep(source: e.inputs.first.map(i), destination: try req(e.output, "output")))
        case .softmaxForward(let s)?: k = .softmaxForward(softmax(s))
        case .softmaxBackward(let s)?: k = .softmaxBackward(softmax(s))
        case .lossForward(let s)?: k = .lossForward(loss(s))
        case .lossBackward(let s)?: k = .lossBackward(loss(s))
        case .optimizerUpdate(let u)?: k = .optimizerUpdate(OptimizerUpdateStep(param: i(u.param), grad: i(u.grad), state: opt(u.state)))
        case .weightedSumForward(let w)?: k = .weightedSumForward(weightedSum(w))
        case .weightedSumBackward(let w)?: k = .weightedSumBackward(weightedSum(w))
        }
        let g = p.guard.isEmpty ? nil : StepGuard(p.guard.map {
            GuardCondition(selector: i($0.selector), candidate: i($0.candidate), atLeast: $0.atLeast, negated: $0.negated)
        })
        return PlanStep(k, node: p.node, guardedBy: g)
    }

    static func weightedSum(_ s: WeightedSumStep) -> Nasc_Ir_WeightedSumStep {
        var p = Nasc_Ir_WeightedSumStep()
        p.inputs = s.inputs.map(Int64.init); p.weights = Int64(s.weights); p.output = o(s.output)
        p.gradOutput = o(s.gradOutput); p.gradInputs = s.gradInputs.map(o); p.gradWeights = o(s.gradWeights)
        return p
    }
    static func weightedSum(_ p: Nasc_Ir_WeightedSumStep) -> WeightedSumStep {
        WeightedSumStep(inputs: p.inputs.map(i), weights: i(p.weights), output: opt(p.output), gradOutput: opt(p.gradOutput),
                        gradInputs: p.gradInputs.map(opt), gradWeights: opt(p.gradWeights))
    }
}
