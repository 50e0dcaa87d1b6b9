// LowerForward: lowering of forward ops (layers, activations, pooling, elementwise, losses) to plan steps.
import NASCIR

extension PlanBuilder {
    /// The convolution geometry of a `conv2d`/`depthwise_conv2d` node from its input type.
    func convGeometry(_ op: Op, input t: TensorType, _ n: Node) throws -> ConvGeometry {
        let (c, h, w) = try nchw(t, n)
        switch op {
        case .conv2d(let a), .conv2dGradInput(let a), .conv2dGradWeight(let a):
            let k = try int(a.kernel, "kernel", n), s = try int(a.stride, "stride", n), d = try int(a.dilation, "dilation", n)
            let p = try pad(a.padding, kernel: k, stride: s, dilation: d, size: h, n)
            return ConvGeometry(inChannels: c, inHeight: h, inWidth: w, outChannels: try int(a.outChannels, "out", n), kernel: k,
                                stride: s, padding: p, dilation: d, groups: try int(a.groups, "groups", n))
        case .fusedConv2d(let f):
            return try convGeometry(.conv2d(f.conv), input: t, n)
        case .depthwiseConv2d(let a), .depthwiseConv2dGradInput(let a), .depthwiseConv2dGradWeight(let a):
            let k = try int(a.kernel, "kernel", n), s = try int(a.stride, "stride", n), d = try int(a.dilation, "dilation", n)
            let p = try pad(a.padding, kernel: k, stride: s, dilation: d, size: h, n)
            return ConvGeometry(inChannels: c, inHeight: h, inWidth: w, outChannels: c, kernel: k, stride: s, padding: p,
                                dilation: d, groups: c)
        default:
            throw Diagnostic.error("'\(n.name)' is not a convolution", at: n.location)
        }
    }

    /// Checks a geometry against the node's inferred output type.
    func checkConvOutput(_ g: ConvGeometry, _ t: TensorType, _ n: Node) throws {
        let (c, h, w) = try nchw(t, n)
        guard c == g.outChannels, h == g.outHeight, w == g.outWidth, g.outHeight > 0, g.outWidth > 0,
              g.groups > 0, g.inChannels % g.groups == 0, g.outChannels % g.groups == 0 else {
            throw Diagnostic.error("convolution '\(n.name)' computes [N,\(g.outChannels),\(g.outHeight),\(g.outWidth)] but its type is \(t)",
                                   at: n.location)
        }
    }

    /// The pooling geometry of a pool node from its input type.
    func poolGeometry(_ a: Pool2DAttrs, input t: TensorType, _ n: Node) throws -> PoolGeometry {
        let (c, h, w) = try nchw(t, n)
        let k = try int(a.kernel, "kernel", n)
        let s = try a.stride.map { try int($0, "stride", n) } ?? k
        let p = try pad(a.padding, kernel: k, stride: s, dilation: 1, size: h, n)
        let g = PoolGeometry(channels: c, inHeight: h, inWidth: w, kernel: k, stride: s, padding: p)
        guard k > 0, s > 0, 2 * p <= k, g.outHeight > 0, g.outWidth > 0 else {
            throw Diagnostic.error("pooling '\(n.name)' has an invalid window (kernel \(k), stride \(s), padding \(p)) for \(t)",
                                   at: n.location)
        }
        return g
    }

    /// A parameter input of a layer (input `i`), or an error naming the missing parameter.
    func paramInput(_ n: Node, _ i: Int, _ what: String) throws -> SlotID {
        guard i < n.inputs.count else {
            throw Diagnostic.error("'\(n.name)' has no \(what) input (run explicit-params first)", at: n.location)
        }
        return try slot(n.inputs[i], of: n)
    }

    /// The head count of an attention node (forward or backward): a constant that divides the model dimension.
    func attentionHeads(_ n: Node) throws -> Int {
        switch n.op {
        case .multiheadAttention(let a), .multiheadAttentionGrad(let a): return try int(a.heads, "heads", n)
        default: throw Diagnostic.error("'\(n.name)' is not an attention node", at: n.location)
        }
    }

    /// Lowers one forward node.
    mutating func lowerForward(_ n: Node) throws {
        switch n.op {
        case .param(let p):
            let s = newSlot(p.name, p.trainable ? .parameter : .state, .fixed(p.count), initializer: p.initializer,
                            shape: p.shape.map { .fixed($0) }, control: p.control)
            if !n.scope.isEmpty { parameterScopes[s] = n.scope }
            bind(n, to: s)
        case .conv2d(let a):
            let t = try type(n.inputs[0], of: n)
            let g = try convGeometry(n.op, input: t, n)
            try checkConvOutput(g, try outputType(n), n)
            let x = try slot(n.inputs[0], of: n), w = try paramInput(n, 1, "weight")
            let b = a.bias ? try paramInput(n, 2, "bias") : nil
            let y = try output(n)
            let ws = g.workspaceCount > 0 ? newSlot("\(n.name)/im2col", .workspace, .fixed(g.workspaceCount)) : nil
            emit(.convForward(ConvForwardStep(geometry: g, input: x, weight: w, bias: b, output: y, workspace: ws)), n)
        case .fusedConv2d(let f):
            try lowerFusedConv(f, n)
        case .depthwiseConv2d(let a):
            let t = try type(n.inputs[0], of: n)
            let g = try convGeometry(n.op, input: t, n)
            try checkConvOutput(g, try outputType(n), n)
            let x = try slot(n.inputs[0], of: n), w = try paramInput(n, 1, "weight")
            let b = a.bias ? try paramInput(n, 2, "bias") : nil
            let y = try output(n)
            // A 1-channel depthwise convolution is an ordinary (groups = 1) convolution: it needs im2col like any other.
            let ws = g.workspaceCount > 0 ? newSlot("\(n.name)/im2col", .workspace, .fixed(g.workspaceCount)) : nil
            emit(.convForward(ConvForwardStep(geometry: g, input: x, weight: w, bias: b, output: y, workspace: ws)), n)
        case .linear(let a):
            let t = try type(n.inputs[0], of: n)
            let fin = try dim(t, -1, n), fout = try dim(try outputType(n), -1, n)
            let x = try slot(n.inputs[0], of: n), w = try paramInput(n, 1, "weight")
            let b = a.bias ? try paramInput(n, 2, "bias") : nil
            let y = try output(n)
            emit(.linearForward(LinearStep(inFeatures: fin, outFeatures: fout, rowsPerSample: rowsPerSample(t, fin), input: x, weight: w, bias: b, output: y)), n)
        case .batchNorm(let a):
            let t = try type(n.inputs[0], of: n)
            guard t.rank >= 2 else { throw Diagnostic.error("batch_norm '\(n.name)' needs an [N, C, ...] input, got \(t)", at: n.location) }
            let c = try dim(t, 1, n), spatial = t.shape.dropFirst(2).reduce(1) { $0 * ($1.value ?? 1) }
            let x = try slot(n.inputs[0], of: n)
            var i = 1
            var gamma: SlotID?, beta: SlotID?
            if a.affine { gamma = try paramInput(n, 1, "weight"); beta = try paramInput(n, 2, "bias"); i = 3 }
            let rm = try paramInput(n, i, "running_mean"), rv = try paramInput(n, i + 1, "running_var")
            let y = try output(n)
            let mean = newSlot("\(n.name)/saved_mean", .saved, .fixed(c)), inv = newSlot("\(n.name)/saved_inv_std", .saved, .fixed(c))
            saved[n.name] = SavedSlots(mean: mean, invStd: inv, runningMean: rm, runningVar: rv, gamma: gamma)
            emit(.batchNormForward(BatchNormStep(channels: c, spatial: spatial, eps: a.eps, momentum: a.momentum, input: x, output: y,
                                                 gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                                                 savedMean: mean, savedInvStd: inv)), n)
        case .layerNorm(let a):
            let t = try type(n.inputs[0], of: n)
            let f = try dim(t, -1, n)
            let x = try slot(n.inputs[0], of: n)
            let gamma = a.affine ? try paramInput(n, 1, "weight") : nil, beta = a.affine ? try paramInput(n, 2, "bias") : nil
            let y = try output(n)
            let rows = rowsPerSample(t, f)
            let mean = newSlot("\(n.name)/saved_mean", .saved, SymbolicSize(perSample: rows))
            let inv = newSlot("\(n.name)/saved_inv_std", .saved, SymbolicSize(perSample: rows))
            saved[n.name] = SavedSlots(mean: mean, invStd: inv, gamma: gamma)
            emit(.layerNormForward(LayerNormStep(features: f, rowsPerSample: rows, eps: a.eps, input: x, output: y, gamma: gamma,
                                                 beta: beta, savedMean: mean, savedInvStd: inv)), n)
        case .activation(let f):
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            emit(.activationForward(ActivationStep(function: f, input: x, output: y)), n)
        case .maxPool2d(let a), .avgPool2d(let a):
            let g = try poolGeometry(a, input: try type(n.inputs[0], of: n), n)
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            if case .maxPool2d = n.op {
                let idx = newSlot("\(n.name)/indices", .saved, slots[y].size, type: .i32)
                saved[n.name] = SavedSlots(indices: idx)
                emit(.maxPoolForward(PoolStep(geometry: g, input: x, output: y, indices: idx)), n)
            } else {
                emit(.avgPoolForward(PoolStep(geometry: g, input: x, output: y, countIncludePad: a.countIncludePad)), n)
            }
        case .globalAvgPool:
            let (c, h, w) = try nchw(try type(n.inputs[0], of: n), n)
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            emit(.globalAvgPoolForward(GlobalPoolStep(channels: c, spatial: h * w, input: x, output: y)), n)
        case .embedding(let a):
            let ids = try type(n.inputs[0], of: n)
            let t = try dim(ids, 1, n), v = try int(a.vocab, "vocab", n), d = try int(a.dim, "dim", n)
            let x = try slot(n.inputs[0], of: n), w = try paramInput(n, 1, "weight"), y = try output(n)
            emit(.embeddingForward(EmbeddingStep(positions: t, vocab: v, dim: d, ids: x, weight: w, output: y)), n)
        case .globalMaxPool1d, .globalAvgPool1d:
            let xt = try type(n.inputs[0], of: n)
            let t = try dim(xt, 1, n), d = try dim(xt, 2, n)
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            let ids = n.inputs.count > 1 ? try slot(n.inputs[1], of: n) : nil
            let isMax = n.op.kind == .globalMaxPool1d
            var idx: SlotID?
            if isMax {
                idx = newSlot("\(n.name)/indices", .saved, slots[y].size, type: .i32)
                saved[n.name] = SavedSlots(indices: idx)
            }
            emit(.sequencePoolForward(SequencePoolStep(max: isMax, length: t, features: d, input: x, output: y, ids: ids, indices: idx)), n)
        case .multiheadAttention:
            let xt = try type(n.inputs[0], of: n)
            let t = try dim(xt, 1, n), d = try dim(xt, 2, n), heads = try attentionHeads(n)
            let masked = try type(n.inputs.count > 1 ? n.inputs[1] : n.inputs[0], of: n).dtype == .i64
            let p = masked ? 2 : 1
            let x = try slot(n.inputs[0], of: n), ids = masked ? try slot(n.inputs[1], of: n) : nil
            let wi = try paramInput(n, p, "in_proj_weight"), bi = try paramInput(n, p + 1, "in_proj_bias")
            let wo = try paramInput(n, p + 2, "out_proj.weight"), bo = try paramInput(n, p + 3, "out_proj.bias")
            let y = try output(n)
            let qkv = newSlot("\(n.name)/qkv", .saved, SymbolicSize(perSample: t * 3 * d))
            let probs = newSlot("\(n.name)/attention", .saved, SymbolicSize(perSample: heads * t * t))
            let ctx = newSlot("\(n.name)/context", .saved, SymbolicSize(perSample: t * d))
            saved[n.name] = SavedSlots(qkv: qkv, probabilities: probs, context: ctx)
            emit(.attentionForward(AttentionStep(length: t, dim: d, heads: heads, input: x, ids: ids, inWeight: wi, inBias: bi,
                                                 outWeight: wo, outBias: bo, output: y, qkv: qkv, probabilities: probs,
                                                 context: ctx)), n)
        case .flatten, .identity:
            bind(n, to: try slot(n.inputs[0], of: n))
        case .dropout(let p):
            guard let pv = p.constant?.asDouble, pv >= 0, pv < 1 else {
                throw Diagnostic.error("dropout '\(n.name)' needs a constant probability in [0, 1), got \(p)", at: n.location)
            }
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            let mask = newSlot("\(n.name)/mask", .saved, slots[y].size)
            saved[n.name] = SavedSlots(mask: mask)
            emit(.dropoutForward(DropoutStep(probability: pv, input: x, output: y, mask: mask, index: dropoutCount)), n)
            dropoutCount += 1
        case .add, .mul:
            let xs = try n.inputs.map { try slot($0, of: n) }
            let y = try output(n)
            let e = ElementwiseStep(inputs: xs, output: y)
            emit(n.op.kind == .add ? .add(e) : .mul(e), n)
        case .scale(let f):
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            emit(.scale(ScaleStep(input: x, output: y, factor: f)), n)
        case .concat(let axis):
            let t = try outputType(n)
            guard axis == 1 || axis == 1 - t.rank, t.rank >= 2 else {
                throw Diagnostic.error("concat '\(n.name)' along axis \(axis) is not supported by the executor (channels only)",
                                       at: n.location)
            }
            let parts = try n.inputs.map { try slot($0, of: n) }
            let channels = try n.inputs.map { try dim(try type($0, of: n), 1, n) }
            let spatial = t.shape.dropFirst(2).reduce(1) { $0 * ($1.value ?? 1) }
            let y = try output(n)
            emit(.concat(ConcatStep(parts: parts, channels: channels, spatial: spatial, whole: y)), n)
        case .weightedSum, .switchOp:
            try lowerSupernetForward(n)
        case .zero:
            let y = try output(n)
            emit(.copy(CopyStep(source: nil, destination: y)), n)
        case .softmax(let axis), .logSoftmax(let axis):
            let t = try outputType(n)
            guard axis == -1 || axis == t.rank - 1 else {
                throw Diagnostic.error("'\(n.name)' along axis \(axis) is not supported (last axis only)", at: n.location)
            }
            let x = try slot(n.inputs[0], of: n), y = try output(n)
            emit(.softmaxForward(SoftmaxStep(columns: try dim(t, -1, n), log: n.op.kind == .logSoftmax, input: x, output: y)), n)
        case .softmaxCrossEntropy, .nllLoss, .mseLoss:
            let t = try type(n.inputs[0], of: n)
            guard t.rank == 2, t.shape[0] == .batch else {
                throw Diagnostic.error("loss '\(n.name)' needs [N, classes] input, got \(t)", at: n.location)
            }
            let x = try slot(n.inputs[0], of: n), labels = try slot(n.inputs[1], of: n)
            let loss = newSlot("%\(n.name)", .loss, .fixed(1), shape: [])
            bind(n, to: loss)
            lossSlot = loss
            lossInput = n.inputs[0]
            let kind: LossKind
            if case .softmaxCrossEntropy(let s) = n.op { kind = .crossEntropy(labelSmoothing: s) }
            else if n.op == .mseLoss { kind = .mse } else { kind = .nll }
            emit(.lossForward(LossStep(kind: kind, classes: try dim(t, 1, n), input: x, labels: labels, output: loss)), n)
        case .separableConv2d:
            throw Diagnostic.error("separable_conv2d '\(n.name)' needs an inferred type to be split into depthwise + pointwise convolutions (run shape-infer first)",
                                   at: n.location)
        case .conv1d, .maxPool1d, .avgPool1d, .transpose, .conv1dGradInput, .conv1dGradWeight, .conv1dGradBias,
             .maxPool1dGrad, .avgPool1dGrad:
            try lowerSequenceWindow(n)
        case .lstm, .gru, .lstmGrad, .gruGrad:
            try lowerRecurrent(n)
        case .call, .layerChoice, .inputChoice, .repeated, .cell:
            throw Diagnostic.error("'\(n.op.kind.rawValue)' node '\(n.name)' cannot be lowered (run specialize and inline first)",
                                   at: n.location)
        default:
            try lowerBackward(n)
        }
    }

    /// A fused convolution: folds the batchnorm into a copy of the weights and bias with two inference batchnorm
    /// steps over the parameters (scale per output channel), then one convolution with the activation in place.
    mutating func lowerFusedConv(_ f: FusedConv2DAttrs, _ n: Node) throws {
        let t = try type(n.inputs[0], of: n)
        let g = try convGeometry(n.op, input: t, n)
        try checkConvOutput(g, try outputType(n), n)
        let x = try slot(n.inputs[0], of: n)
        var w = try paramInput(n, 1, "weight")
        var i = 2
        var b: SlotID? = nil
        if f.conv.bias { b = try paramInput(n, 2, "bias"); i = 3 }
        if let bn = f.batchNorm {
            var gamma: SlotID?, beta: SlotID?
            if bn.affine { gamma = try paramInput(n, i, "batchnorm weight"); beta = try paramInput(n, i + 1, "batchnorm bias"); i += 2 }
            let rm = try paramInput(n, i, "running_mean"), rv = try paramInput(n, i + 1, "running_var")
            let o = g.outChannels
            let zero = newSlot("\(n.name)/zeros", .workspace, .fixed(o))
            emit(.copy(CopyStep(source: nil, destination: zero)), n)
            let fw = newSlot("\(n.name)/folded_weight", .workspace, .fixed(g.weightCount))
            let fb = newSlot("\(n.name)/folded_bias", .workspace, .fixed(o))
            // w' = w * gamma / sqrt(var + eps): batchnorm with mean 0 and no shift over [O, C/g*k*k].
            emit(.batchNormFold(BatchNormStep(channels: o, spatial: g.weightCount / o, eps: bn.eps, momentum: 0, input: w, output: fw,
                                              gamma: gamma, beta: nil, runningMean: zero, runningVar: rv,
                                              savedMean: zero, savedInvStd: zero)), n)
            // b' = (b - mean) * gamma / sqrt(var + eps) + beta: batchnorm of the bias (zeros without one).
            emit(.batchNormFold(BatchNormStep(channels: o, spatial: 1, eps: bn.eps, momentum: 0, input: b ?? zero, output: fb,
                                              gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                                              savedMean: zero, savedInvStd: zero)), n)
            w = fw
            b = fb
        }
        let y = try output(n)
        let ws = g.workspaceCount > 0 ? newSlot("\(n.name)/im2col", .workspace, .fixed(g.workspaceCount)) : nil
        emit(.convForward(ConvForwardStep(geometry: g, input: x, weight: w, bias: b, output: y, workspace: ws, activation: f.activation)), n)
    }

    /// Rows of `features` per batch sample for an op over the last dimension.
    func rowsPerSample(_ t: TensorType, _ features: Int) -> Int {
        max(1, t.elementsPerSample / max(features, 1))
    }
}
