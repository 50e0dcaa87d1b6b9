// StepDispatch: runs one plan step by calling its kernel — the executor's only contact with the math.
import NASCIR
import NASCKernels
import NASCRecurrentKernels
import NASCData

extension Executor {
    @inline(__always) func convShape(_ g: ConvGeometry) -> Conv2DShape {
        Conv2DShape(batch: memory.batch, inChannels: g.inChannels, inHeight: g.inHeight, inWidth: g.inWidth,
                    outChannels: g.outChannels, kernel: (g.kernel, g.kernel), stride: (g.stride, g.stride),
                    padding: (g.padding, g.padding), dilation: (g.dilation, g.dilation), groups: g.groups)
    }

    @inline(__always) func poolShape(_ g: PoolGeometry) -> Pool2DShape {
        Pool2DShape(batch: memory.batch, channels: g.channels, inHeight: g.inHeight, inWidth: g.inWidth,
                    kernel: (g.kernel, g.kernel), stride: (g.stride, g.stride), padding: (g.padding, g.padding))
    }

    @inline(__always) func conv1dShape(_ g: Conv1DGeometry) -> Conv1DShape {
        Conv1DShape(batch: memory.batch, length: g.length, inChannels: g.inChannels, outChannels: g.outChannels, kernel: g.kernel,
                    stride: g.stride, padding: g.padding, dilation: g.dilation, groups: g.groups)
    }

    @inline(__always) func pool1dShape(_ s: Pool1DStep) -> Pool1DShape {
        Pool1DShape(batch: memory.batch, length: s.length, channels: s.channels, kernel: s.kernel, stride: s.stride, padding: s.padding)
    }

    @inline(__always) static func kind(_ a: NASCIR.Activation) -> ActivationKind {
        switch a {
        case .relu: return .relu
        case .relu6: return .relu6
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .gelu: return .gelu
        case .hardswish: return .hardswish
        }
    }

    /// Runs step `index` of the plan.
    func run(step index: Int, training: Bool) throws {
        let m = memory, n = memory.batch
        if !guardTable.admits(step: index, activeCandidates) { return }
        switch kernels[index] {
        case .convForward(let s):
            let shape = convShape(s.geometry)
            Conv2D.forward(shape: shape, input: m.f32(s.input), weight: m.f32(s.weight), bias: s.bias.map { UnsafePointer(m.f32($0)) },
                           output: m.f32(s.output), workspace: s.workspace.map { m.f32($0) })
            if let a = s.activation {
                NASCKernels.Activation.forward(Self.kind(a), input: m.f32(s.output), output: m.f32(s.output), count: m.counts[s.output])
            }
        case .convBackwardInput(let s):
            Conv2D.backwardInput(shape: convShape(s.geometry), gradOutput: m.f32(s.gradOutput), weight: m.f32(s.weight),
                                 gradInput: m.f32(s.gradInput), workspace: s.workspace.map { m.f32($0) })
        case .convBackwardWeight(let s):
            Conv2D.backwardWeight(shape: convShape(s.geometry), input: m.f32(s.input), gradOutput: m.f32(s.gradOutput),
                                  gradWeight: m.f32(s.gradWeight), workspace: s.workspace.map { m.f32($0) })
        case .convBackwardBias(let s):
            Conv2D.backwardBias(shape: convShape(s.geometry), gradOutput: m.f32(s.gradOutput), gradBias: m.f32(s.gradBias))
        case .linearForward(let s):
            Linear.forward(shape: LinearShape(batch: n * s.rowsPerSample, inFeatures: s.inFeatures, outFeatures: s.outFeatures),
                           input: m.f32(s.input), weight: m.f32(s.weight), bias: s.bias.map { UnsafePointer(m.f32($0)) },
                           output: m.f32(s.output))
        case .linearBackwardInput(let s):
            Linear.backwardInput(shape: LinearShape(batch: n * s.rowsPerSample, inFeatures: s.inFeatures, outFeatures: s.outFeatures),
                                 gradOutput: m.f32(s.gradOutput), weight: m.f32(s.weight), gradInput: m.f32(s.gradInput))
        case .linearBackwardWeight(let s):
            Linear.backwardWeight(shape: LinearShape(batch: n * s.rowsPerSample, inFeatures: s.inFeatures, outFeatures: s.outFeatures),
                                  input: m.f32(s.input), gradOutput: m.f32(s.gradOutput), gradWeight: m.f32(s.gradWeight))
        case .linearBackwardBias(let s):
            Linear.backwardBias(shape: LinearShape(batch: n * s.rowsPerSample, inFeatures: s.features, outFeatures: s.features),
                                gradOutput: m.f32(s.gradOutput), gradBias: m.f32(s.gradBias))
        case .batchNormForward(let s):
            let shape = BatchNormShape(batch: n, channels: s.channels, spatial: s.spatial)
            if training {
                BatchNorm.forwardTraining(shape: shape, input: m.f32(s.input), gamma: s.gamma.map { UnsafePointer(m.f32($0)) },
                                          beta: s.beta.map { UnsafePointer(m.f32($0)) }, output: m.f32(s.output),
                                          runningMean: m.f32(s.runningMean), runningVar: m.f32(s.runningVar),
                                          momentum: Float(s.momentum), epsilon: Float(s.eps),
                                          savedMean: m.f32(s.savedMean), savedInvStd: m.f32(s.savedInvStd))
            } else {
                BatchNorm.forwardInference(shape: shape, input: m.f32(s.input), gamma: s.gamma.map { UnsafePointer(m.f32($0)) },
                                           beta: s.beta.map { UnsafePointer(m.f32($0)) }, runningMean: m.f32(s.runningMean),
                                           runningVar: m.f32(s.runningVar), epsilon: Float(s.eps), output: m.f32(s.output))
            }
        case .batchNormFold(let s):
            BatchNorm.forwardInference(shape: BatchNormShape(batch: 1, channels: s.channels, spatial: s.spatial), input: m.f32(s.input),
                                       gamma: s.gamma.map { UnsafePointer(m.f32($0)) }, beta: s.beta.map { UnsafePointer(m.f32($0)) },
                                       runningMean: m.f32(s.runningMean), runningVar: m.f32(s.runningVar), epsilon: Float(s.eps),
                                       output: m.f32(s.output))
        case .batchNormBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput else { return }
            BatchNorm.backwardTraining(shape: BatchNormShape(batch: n, channels: s.channels, spatial: s.spatial), input: m.f32(s.input),
                                       gradOutput: m.f32(gy), gamma: s.gamma.map { UnsafePointer(m.f32($0)) },
                                       savedMean: m.f32(s.savedMean), savedInvStd: m.f32(s.savedInvStd), gradInput: m.f32(gx),
                                       gradGamma: s.gradGamma.map { m.f32($0) }, gradBeta: s.gradBeta.map { m.f32($0) })
        case .layerNormForward(let s):
            LayerNorm.forward(shape: LayerNormShape(rows: n * s.rowsPerSample, features: s.features), input: m.f32(s.input),
                              gamma: s.gamma.map { UnsafePointer(m.f32($0)) }, beta: s.beta.map { UnsafePointer(m.f32($0)) },
                              epsilon: Float(s.eps), output: m.f32(s.output), savedMean: m.f32(s.savedMean),
                              savedInvStd: m.f32(s.savedInvStd))
        case .layerNormBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput else { return }
            LayerNorm.backward(shape: LayerNormShape(rows: n * s.rowsPerSample, features: s.features), input: m.f32(s.input),
                               gradOutput: m.f32(gy), gamma: s.gamma.map { UnsafePointer(m.f32($0)) },
                               savedMean: m.f32(s.savedMean), savedInvStd: m.f32(s.savedInvStd), gradInput: m.f32(gx),
                               gradGamma: s.gradGamma.map { m.f32($0) }, gradBeta: s.gradBeta.map { m.f32($0) })
        case .activationForward(let s):
            NASCKernels.Activation.forward(Self.kind(s.function), input: m.f32(s.input), output: m.f32(s.output), count: m.counts[s.output])
        case .activationBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput else { return }
            NASCKernels.Activation.backward(Self.kind(s.function), input: m.f32(s.input), output: m.f32(s.output),
                                            gradOutput: m.f32(gy), gradInput: m.f32(gx), count: m.counts[gx])
        case .maxPoolForward(let s):
            guard let idx = s.indices else { return }
            MaxPool2D.forward(shape: poolShape(s.geometry), input: m.f32(s.input), output: m.f32(s.output), indices: m.i32(idx))
        case .maxPoolBackward(let s):
            guard let idx = s.indices else { return }
            MaxPool2D.backward(shape: poolShape(s.geometry), gradOutput: m.f32(s.output), indices: m.i32(idx), gradInput: m.f32(s.input))
        case .avgPoolForward(let s):
            AvgPool2D.forward(shape: poolShape(s.geometry), countIncludePad: s.countIncludePad, input: m.f32(s.input),
                              output: m.f32(s.output))
        case .avgPoolBackward(let s):
            AvgPool2D.backward(shape: poolShape(s.geometry), countIncludePad: s.countIncludePad, gradOutput: m.f32(s.output),
                               gradInput: m.f32(s.input))
        case .globalAvgPoolForward(let s):
            GlobalAvgPool.forward(batch: n, channels: s.channels, spatial: s.spatial, input: m.f32(s.input), output: m.f32(s.output))
        case .globalAvgPoolBackward(let s):
            GlobalAvgPool.backward(batch: n, channels: s.channels, spatial: s.spatial, gradOutput: m.f32(s.output),
                                   gradInput: m.f32(s.input))
        case .embeddingForward(let s):
            do {
                try Embedding.forward(count: n * s.positions, vocab: s.vocab, dim: s.dim, ids: m.i64(s.ids), weight: m.f32(s.weight),
                                      output: m.f32(s.output))
            } catch { throw ExecutorError.kernel(error, step: plan.steps[index]) }
        case .embeddingBackward(let s):
            Embedding.backward(count: n * s.positions, vocab: s.vocab, dim: s.dim, ids: m.i64(s.ids), gradOutput: m.f32(s.output),
                               gradWeight: m.f32(s.weight))
        case .sequencePoolForward(let s):
            SequencePool.forward(s.max ? .max : .mean, shape: SequencePoolShape(batch: n, length: s.length, features: s.features),
                                 input: m.f32(s.input), ids: s.ids.map { UnsafePointer(m.i64($0)) }, output: m.f32(s.output),
                                 indices: s.indices.map { m.i32($0) })
        case .attentionForward(let s):
            guard let bi = s.inBias, let bo = s.outBias else { throw ExecutorError.error("attention forward without biases") }
            MultiheadAttention.forward(shape: AttentionShape(batch: n, length: s.length, dim: s.dim, heads: s.heads), input: m.f32(s.input),
                                       ids: s.ids.map { UnsafePointer(m.i64($0)) }, inWeight: m.f32(s.inWeight), inBias: m.f32(bi),
                                       outWeight: m.f32(s.outWeight), outBias: m.f32(bo), qkv: m.f32(s.qkv),
                                       probabilities: m.f32(s.probabilities), context: m.f32(s.context), output: m.f32(s.output))
        case .attentionBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput, let gwi = s.gradInWeight, let gbi = s.gradInBias,
                  let gwo = s.gradOutWeight, let gbo = s.gradOutBias, let ws = s.workspace else {
                throw ExecutorError.error("attention backward without its gradients")
            }
            MultiheadAttention.backward(shape: AttentionShape(batch: n, length: s.length, dim: s.dim, heads: s.heads), input: m.f32(s.input),
                                        inWeight: m.f32(s.inWeight), outWeight: m.f32(s.outWeight), qkv: m.f32(s.qkv),
                                        probabilities: m.f32(s.probabilities), context: m.f32(s.context), gradOutput: m.f32(gy),
                                        gradInput: m.f32(gx), gradInWeight: m.f32(gwi), gradInBias: m.f32(gbi),
                                        gradOutWeight: m.f32(gwo), gradOutBias: m.f32(gbo), workspace: m.f32(ws))
        case .recurrentForward(let s):
            let c = { (slot: SlotID) in UnsafePointer(m.f32(slot)) }
            RecurrentLayer.forward(shape: recurrentShape(s, batch: n), input: m.f32(s.input), weightIH: s.weightIH.map { c($0) },
                                   weightHH: s.weightHH.map { c($0) }, biasIH: s.biasIH.map { c($0) },
                                   biasHH: s.biasHH.map { c($0) }, output: m.f32(s.output), saved: m.f32(s.saved))
        case .recurrentBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput, let ws = s.workspace else {
                throw ExecutorError.error("recurrent backward without its gradients")
            }
            let c = { (slot: SlotID) in UnsafePointer(m.f32(slot)) }
            RecurrentLayer.backward(shape: recurrentShape(s, batch: n), input: m.f32(s.input), output: m.f32(s.output),
                                    saved: m.f32(s.saved), weightIH: s.weightIH.map { c($0) },
                                    weightHH: s.weightHH.map { c($0) }, gradOutput: m.f32(gy), gradInput: m.f32(gx),
                                    gradWeightIH: s.gradWeightIH.map { m.f32($0) }, gradWeightHH: s.gradWeightHH.map { m.f32($0) },
                                    gradBiasIH: s.gradBiasIH.map { m.f32($0) }, gradBiasHH: s.gradBiasHH.map { m.f32($0) },
                                    workspace: m.f32(ws))
        case .sequencePoolBackward(let s):
            SequencePool.backward(s.max ? .max : .mean, shape: SequencePoolShape(batch: n, length: s.length, features: s.features),
                                  gradOutput: m.f32(s.output), ids: s.ids.map { UnsafePointer(m.i64($0)) },
                                  indices: s.indices.map { UnsafePointer(m.i32($0)) }, gradInput: m.f32(s.input))
        case .conv1dForward(let s):
            Conv1D.forward(shape: conv1dShape(s.geometry), input: m.f32(s.input), weight: m.f32(s.weight),
                           bias: s.bias.map { UnsafePointer(m.f32($0)) }, output: m.f32(s.output))
        case .conv1dBackwardInput(let s):
            Conv1D.backwardInput(shape: conv1dShape(s.geometry), gradOutput: m.f32(s.output), weight: m.f32(s.weight),
                                 gradInput: m.f32(s.input))
        case .conv1dBackwardWeight(let s):
            Conv1D.backwardWeight(shape: conv1dShape(s.geometry), input: m.f32(s.input), gradOutput: m.f32(s.output),
                                  gradWeight: m.f32(s.weight))
        case .pool1dForward(let s):
            Pool1D.forward(s.max ? .max : .mean, shape: pool1dShape(s), input: m.f32(s.input), ids: s.ids.map { UnsafePointer(m.i64($0)) },
                           output: m.f32(s.output), indices: s.indices.map { m.i32($0) })
        case .pool1dBackward(let s):
            Pool1D.backward(s.max ? .max : .mean, shape: pool1dShape(s), gradOutput: m.f32(s.output),
                            ids: s.ids.map { UnsafePointer(m.i64($0)) }, indices: s.indices.map { UnsafePointer(m.i32($0)) },
                            gradInput: m.f32(s.input))
        case .transpose(let s):
            Transpose.swap(shape: [n] + s.shape, axis0: s.axis0 + 1, axis1: s.axis1 + 1, input: m.f32(s.input), output: m.f32(s.output))
        case .dropoutForward(let s):
            let count = m.counts[s.output]
            if training {
                Dropout.makeMask(probability: Float(s.probability), seed: SeededGenerator.derive(seed, 1, stepsTaken, s.index),
                                 mask: m.f32(s.mask), count: count)
                Dropout.forward(input: m.f32(s.input), mask: m.f32(s.mask), output: m.f32(s.output), count: count)
            } else {
                Elementwise.copyOrAccumulate(m.f32(s.input), into: m.f32(s.output), count: count, accumulate: false)
            }
        case .dropoutBackward(let s):
            Dropout.backward(gradOutput: m.f32(s.output), mask: m.f32(s.mask), gradInput: m.f32(s.input), count: m.counts[s.input])
        case .add(let s) where !guardTable.termGuards[index].isEmpty:
            runGuardedAdd(s, index: index)
        case .add(let s):
            let count = m.counts[s.output]
            Elementwise.add(m.f32(s.inputs[0]), m.f32(s.inputs[1]), output: m.f32(s.output), count: count)
            for k in 2..<max(2, s.inputs.count) { Elementwise.add(m.f32(s.output), m.f32(s.inputs[k]), output: m.f32(s.output), count: count) }
        case .mul(let s):
            let count = m.counts[s.output]
            Elementwise.mul(m.f32(s.inputs[0]), m.f32(s.inputs[1]), output: m.f32(s.output), count: count)
            for k in 2..<max(2, s.inputs.count) { Elementwise.mul(m.f32(s.output), m.f32(s.inputs[k]), output: m.f32(s.output), count: count) }
        case .scale(let s):
            Elementwise.scale(m.f32(s.input), by: Float(s.factor), output: m.f32(s.output), count: m.counts[s.output])
        case .mulBackward(let s):
            Elementwise.mulBackward(m.f32(s.a), m.f32(s.b), gradOutput: m.f32(s.gradOutput), gradA: s.gradA.map { m.f32($0) },
                                    gradB: s.gradB.map { m.f32($0) }, count: m.counts[s.gradOutput])
        case .concat(let s):
            ChannelConcat.concat(partConstPointers[index], channels: s.channels, batch: n, spatial: s.spatial,
                                 output: m.f32(s.whole))
        case .concatBackward(let s):
            ChannelConcat.concatBackward(gradOutput: m.f32(s.whole), channels: s.channels, batch: n, spatial: s.spatial,
                                         gradInputs: partPointers[index])
        case .copy(let s):
            if let src = s.source {
                Elementwise.copyOrAccumulate(m.f32(src), into: m.f32(s.destination), count: m.counts[s.destination], accumulate: false)
            } else {
                m.f32(s.destination).update(repeating: 0, count: m.counts[s.destination])
            }
        case .softmaxForward(let s):
            let rows = m.counts[s.output] / s.columns
            if s.log { Softmax.logForward(rows: rows, columns: s.columns, input: m.f32(s.input), output: m.f32(s.output)) }
            else { Softmax.forward(rows: rows, columns: s.columns, input: m.f32(s.input), output: m.f32(s.output)) }
        case .softmaxBackward(let s):
            guard let gy = s.gradOutput, let gx = s.gradInput else { return }
            let rows = m.counts[s.output] / s.columns
            if s.log { Softmax.logBackward(rows: rows, columns: s.columns, output: m.f32(s.output), gradOutput: m.f32(gy), gradInput: m.f32(gx)) }
            else { Softmax.backward(rows: rows, columns: s.columns, output: m.f32(s.output), gradOutput: m.f32(gy), gradInput: m.f32(gx)) }
        case .lossForward(let s):
            do {
                switch s.kind {
                case .crossEntropy(let ls):
                    m.f32(s.output)[0] = try Loss.crossEntropy(batch: n, classes: s.classes, logits: m.f32(s.input), labels: m.i64(s.labels),
                                                               labelSmoothing: Float(ls))
                case .nll:
                    m.f32(s.output)[0] = try Loss.nll(batch: n, classes: s.classes, logProbabilities: m.f32(s.input), labels: m.i64(s.labels))
                case .mse:
                    m.f32(s.output)[0] = Loss.mse(batch: n, outputs: s.classes, predictions: m.f32(s.input), targets: m.f32(s.labels))
                }
            } catch { throw ExecutorError.kernel(error, step: plan.steps[index]) }
        case .lossBackward(let s):
            do {
                switch s.kind {
                case .crossEntropy(let ls):
                    _ = try Loss.crossEntropy(batch: n, classes: s.classes, logits: m.f32(s.input), labels: m.i64(s.labels),
                                              labelSmoothing: Float(ls), gradLogits: m.f32(s.output))
                case .nll:
                    _ = try Loss.nll(batch: n, classes: s.classes, logProbabilities: m.f32(s.input), labels: m.i64(s.labels),
                                     gradInput: m.f32(s.output))
                case .mse:
                    _ = Loss.mse(batch: n, outputs: s.classes, predictions: m.f32(s.input), targets: m.f32(s.labels),
                                 gradInput: m.f32(s.output))
                }
            } catch { throw ExecutorError.kernel(error, step: plan.steps[index]) }
        case .weightedSumForward(let s), .weightedSumBackward(let s):
            runWeightedSum(s, index: index)
        case .optimizerUpdate(let s):
            switch optimizer {
            case .sgd(let o)?:
                o.step(parameter: m.f32(s.param), gradient: m.f32(s.grad), count: m.counts[s.param],
                       state: s.state.map { m.f32($0) }, step: updatesTaken + 1, learningRate: learningRate)
            case .adam(let o)?:
                o.step(parameter: m.f32(s.param), gradient: m.f32(s.grad), count: m.counts[s.param],
                       state: s.state.map { m.f32($0) }, step: updatesTaken + 1, learningRate: learningRate)
            case nil:
                break
            }
        }
    }

    /// The kernel geometry of a recurrent step for a batch of `n`.
    func recurrentShape(_ s: RecurrentStep, batch n: Int) -> RecurrentShape {
        RecurrentShape(cell: s.cell == .lstm ? .lstm : .gru, batch: n, length: s.length, inputSize: s.inputSize,
                       hidden: s.hidden, directions: s.directions)
    }

}
