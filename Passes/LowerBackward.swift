// LowerBackward: lowering of the gradient ops autodiff appends (and param_grad markers) to plan steps.
import NASCIR

extension PlanBuilder {
    /// Lowers one backward node.
    mutating func lowerBackward(_ n: Node) throws {
        switch n.op {
        case .paramGrad:
            let p = try slot(n.inputs[0], of: n), g = try slot(n.inputs[1], of: n)
            guard slots[p].role == .parameter else {
                throw Diagnostic.error("param_grad '\(n.name)' must name a trainable param", at: n.location)
            }
            slots[g].role = .parameterGradient
            slots[g].name = "grad(\(slots[p].name))"
            gradients.append(ParameterGradient(parameter: p, gradient: g))
            bind(n, to: g)
        case .conv2dGradInput, .depthwiseConv2dGradInput:
            let g = try convGeometry(n.op, input: try outputType(n), n)
            let gy = try slot(n.inputs[0], of: n), w = try slot(n.inputs[1], of: n)
            let gx = try output(n)
            let ws = g.workspaceCount > 0 ? newSlot("\(n.name)/col", .workspace, .fixed(g.workspaceCount)) : nil
            emit(.convBackwardInput(ConvBackwardInputStep(geometry: g, gradOutput: gy, weight: w, gradInput: gx, workspace: ws)), n)
        case .conv2dGradWeight, .depthwiseConv2dGradWeight:
            let g = try convGeometry(n.op, input: try type(n.inputs[0], of: n), n)
            let x = try slot(n.inputs[0], of: n), gy = try slot(n.inputs[1], of: n)
            let gw = try output(n)
            let ws = g.workspaceCount > 0 ? newSlot("\(n.name)/im2col", .workspace, .fixed(g.workspaceCount)) : nil
            emit(.convBackwardWeight(ConvBackwardWeightStep(geometry: g, input: x, gradOutput: gy, gradWeight: gw, workspace: ws)), n)
        case .conv2dGradBias, .depthwiseConv2dGradBias:
            let (c, h, w) = try nchw(try type(n.inputs[0], of: n), n)
            let g = ConvGeometry(inChannels: c, inHeight: h, inWidth: w, outChannels: c, kernel: 1)
            let gy = try slot(n.inputs[0], of: n), gb = try output(n)
            emit(.convBackwardBias(ConvBackwardBiasStep(geometry: g, gradOutput: gy, gradBias: gb)), n)
        case .linearGradInput:
            let t = try outputType(n)
            let fin = try dim(t, -1, n), fout = try dim(try type(n.inputs[0], of: n), -1, n)
            let gy = try slot(n.inputs[0], of: n), w = try slot(n.inputs[1], of: n), gx = try output(n)
            emit(.linearBackwardInput(LinearBackwardInputStep(inFeatures: fin, outFeatures: fout, rowsPerSample: rowsPerSample(t, fin),
                                                              gradOutput: gy, weight: w, gradInput: gx)), n)
        case .linearGradWeight:
            let t = try type(n.inputs[0], of: n)
            let fin = try dim(t, -1, n), fout = try dim(try type(n.inputs[1], of: n), -1, n)
            let x = try slot(n.inputs[0], of: n), gy = try slot(n.inputs[1], of: n), gw = try output(n)
            emit(.linearBackwardWeight(LinearBackwardWeightStep(inFeatures: fin, outFeatures: fout, rowsPerSample: rowsPerSample(t, fin),
                                                                input: x, gradOutput: gy, gradWeight: gw)), n)
        case .linearGradBias:
            let t = try type(n.inputs[0], of: n)
            let fout = try dim(t, -1, n)
            let gy = try slot(n.inputs[0], of: n), gb = try output(n)
            emit(.linearBackwardBias(LinearBackwardBiasStep(features: fout, rowsPerSample: rowsPerSample(t, fout), gradOutput: gy,
                                                            gradBias: gb)), n)
        case .batchNormGrad(let a):
            let t = try type(n.inputs[0], of: n)
            let c = try dim(t, 1, n), spatial = t.shape.dropFirst(2).reduce(1) { $0 * ($1.value ?? 1) }
            let sv = try savedOf(n.inputs[1], n)
            guard let mean = sv.mean, let inv = sv.invStd, let rm = sv.runningMean, let rv = sv.runningVar else {
                throw Diagnostic.error("batch_norm_grad '\(n.name)' must read the output of a batch_norm", at: n.location)
            }
            let x = try slot(n.inputs[0], of: n), y = try slot(n.inputs[1], of: n), gy = try slot(n.inputs[2], of: n)
            let gx = try output(n, 0)
            let gg = a.affine ? try output(n, 1) : nil, gb = a.affine ? try output(n, 2) : nil
            emit(.batchNormBackward(BatchNormStep(channels: c, spatial: spatial, eps: a.eps, momentum: a.momentum, input: x, output: y,
                                                  gamma: sv.gamma, beta: nil, runningMean: rm, runningVar: rv, savedMean: mean,
                                                  savedInvStd: inv, gradOutput: gy, gradInput: gx, gradGamma: gg, gradBeta: gb)), n)
        case .layerNormGrad(let a):
            let t = try type(n.inputs[0], of: n)
            let f = try dim(t, -1, n)
            let sv = try savedOf(n.inputs[1], n)
            guard let mean = sv.mean, let inv = sv.invStd else {
                throw Diagnostic.error("layer_norm_grad '\(n.name)' must read the output of a layer_norm", at: n.location)
            }
            let x = try slot(n.inputs[0], of: n), y = try slot(n.inputs[1], of: n), gy = try slot(n.inputs[2], of: n)
            let gx = try output(n, 0)
            let gg = a.affine ? try output(n, 1) : nil, gb = a.affine ? try output(n, 2) : nil
            emit(.layerNormBackward(LayerNormStep(features: f, rowsPerSample: rowsPerSample(t, f), eps: a.eps, input: x, output: y,
                                                  gamma: sv.gamma, beta: nil, savedMean: mean, savedInvStd: inv, gradOutput: gy,
                                                  gradInput: gx, gradGamma: gg, gradBeta: gb)), n)
        case .activationGrad(let f):
            let x = try slot(n.inputs[0], of: n), y = try slot(n.inputs[1], of: n), gy = try slot(n.inputs[2], of: n)
            let gx = try output(n)
            emit(.activationBackward(ActivationStep(function: f, input: x, output: y, gradOutput: gy, gradInput: gx)), n)
        case .maxPool2dGrad(let a):
            let g = try poolGeometry(a, input: try type(n.inputs[0], of: n), n)
            guard let idx = try savedOf(n.inputs[1], n).indices else {
                throw Diagnostic.error("max_pool2d_grad '\(n.name)' must read the output of a max_pool2d", at: n.location)
            }
            let gy = try slot(n.inputs[2], of: n), gx = try output(n)
            emit(.maxPoolBackward(PoolStep(geometry: g, input: gx, output: gy, indices: idx)), n)
        case .avgPool2dGrad(let a):
            let g = try poolGeometry(a, input: try outputType(n), n)
            let gy = try slot(n.inputs[0], of: n), gx = try output(n)
            emit(.avgPoolBackward(PoolStep(geometry: g, input: gx, output: gy, countIncludePad: a.countIncludePad)), n)
        case .globalAvgPoolGrad:
            let (c, h, w) = try nchw(try outputType(n), n)
            let gy = try slot(n.inputs[0], of: n), gx = try output(n)
            emit(.globalAvgPoolBackward(GlobalPoolStep(channels: c, spatial: h * w, input: gx, output: gy)), n)
        case .embeddingGrad(let a):
            let ids = try type(n.inputs[0], of: n)
            let t = try dim(ids, 1, n), v = try int(a.vocab, "vocab", n), d = try int(a.dim, "dim", n)
            let x = try slot(n.inputs[0], of: n), gy = try slot(n.inputs[1], of: n), gw = try output(n)
            emit(.embeddingBackward(EmbeddingStep(positions: t, vocab: v, dim: d, ids: x, weight: gw, output: gy)), n)
        case .globalMaxPool1dGrad, .globalAvgPool1dGrad:
            let xt = try outputType(n)
            let t = try dim(xt, 1, n), d = try dim(xt, 2, n)
            let isMax = n.op.kind == .globalMaxPool1dGrad
            var idx: SlotID?
            if isMax {
                guard let i = try savedOf(n.inputs[0], n).indices else {
                    throw Diagnostic.error("global_max_pool1d_grad '\(n.name)' must read the output of a global_max_pool1d", at: n.location)
                }
                idx = i
            }
            let rest = n.inputs.dropFirst(isMax ? 1 : 0)
            let gy = try slot(rest.first!, of: n), gx = try output(n)
            let ids = rest.count > 1 ? try slot(rest[rest.startIndex + 1], of: n) : nil
            emit(.sequencePoolBackward(SequencePoolStep(max: isMax, length: t, features: d, input: gx, output: gy, ids: ids, indices: idx)), n)
        case .flattenGrad:
            bind(n, to: try slot(n.inputs[0], of: n))
        case .dropoutGrad(let p):
            guard let mask = try savedOf(n.inputs[0], n).mask else {
                throw Diagnostic.error("dropout_grad '\(n.name)' must read the output of a dropout", at: n.location)
            }
            let gy = try slot(n.inputs[1], of: n), gx = try output(n)
            emit(.dropoutBackward(DropoutStep(probability: p.constant?.asDouble ?? 0, input: gx, output: gy, mask: mask, index: -1)), n)
        case .mulGrad:
            let a = try slot(n.inputs[0], of: n), b = try slot(n.inputs[1], of: n), gy = try slot(n.inputs[2], of: n)
            let ga = try output(n, 0), gb = try output(n, 1)
            emit(.mulBackward(MulBackwardStep(a: a, b: b, gradOutput: gy, gradA: ga, gradB: gb)), n)
        case .concatGrad:
            let t = try type(n.inputs[0], of: n)
            let gy = try slot(n.inputs[0], of: n)
            var parts: [SlotID] = [], channels: [Int] = []
            for i in n.types.indices {
                channels.append(try dim(try outputType(n, i), 1, n))
                parts.append(try output(n, i))
            }
            let spatial = t.shape.dropFirst(2).reduce(1) { $0 * ($1.value ?? 1) }
            emit(.concatBackward(ConcatStep(parts: parts, channels: channels, spatial: spatial, whole: gy)), n)
        case .weightedSumGrad, .switchGrad:
            try lowerSupernetBackward(n)
        case .softmaxGrad, .logSoftmaxGrad:
            let t = try outputType(n)
            let y = try slot(n.inputs[0], of: n), gy = try slot(n.inputs[1], of: n), gx = try output(n)
            emit(.softmaxBackward(SoftmaxStep(columns: try dim(t, -1, n), log: n.op.kind == .logSoftmaxGrad, input: gx, output: y,
                                              gradOutput: gy, gradInput: gx)), n)
        case .softmaxCrossEntropyGrad, .nllLossGrad, .mseLossGrad:
            let t = try type(n.inputs[0], of: n)
            let x = try slot(n.inputs[0], of: n), labels = try slot(n.inputs[1], of: n), gx = try output(n)
            let kind: LossKind
            if case .softmaxCrossEntropyGrad(let s) = n.op { kind = .crossEntropy(labelSmoothing: s) }
            else if n.op == .mseLossGrad { kind = .mse } else { kind = .nll }
            emit(.lossBackward(LossStep(kind: kind, classes: try dim(t, 1, n), input: x, labels: labels, output: gx)), n)
        default:
            throw Diagnostic.error("'\(n.op.kind.rawValue)' node '\(n.name)' cannot be lowered", at: n.location)
        }
    }
}
