// The bridge between typed ops and generic attributes: one table per op, used by text IR and protobuf.

extension Op {
    /// The op's non-default attributes in canonical order (what the text IR prints).
    public var attributes: [NamedAttribute] {
        var out = AttributeWriter()
        switch self {
        case .conv2d(let a), .conv2dGradInput(let a), .conv2dGradWeight(let a), .conv2dGradBias(let a):
            if let i = a.inChannels { out.expr("in", i) }
            out.expr("out", a.outChannels); out.expr("kernel", a.kernel)
            out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.expr("groups", a.groups, default: 1)
            out.bool("bias", a.bias, default: true)
        case .depthwiseConv2d(let a), .depthwiseConv2dGradInput(let a), .depthwiseConv2dGradWeight(let a),
             .depthwiseConv2dGradBias(let a):
            out.expr("kernel", a.kernel); out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.bool("bias", a.bias, default: true)
        case .separableConv2d(let a):
            out.expr("out", a.outChannels); out.expr("kernel", a.kernel)
            out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.bool("bias", a.bias, default: true)
        case .linear(let a), .linearGradInput(let a), .linearGradWeight(let a), .linearGradBias(let a):
            if let i = a.inFeatures { out.expr("in", i) }
            out.expr("out", a.outFeatures); out.bool("bias", a.bias, default: true)
        case .batchNorm(let a), .batchNormGrad(let a):
            out.float("eps", a.eps, default: 1e-5); out.float("momentum", a.momentum, default: 0.1)
            out.bool("affine", a.affine, default: true)
        case .layerNorm(let a), .layerNormGrad(let a):
            out.float("eps", a.eps, default: 1e-5); out.bool("affine", a.affine, default: true)
        case .maxPool2d(let a), .avgPool2d(let a), .maxPool2dGrad(let a), .avgPool2dGrad(let a):
            out.expr("kernel", a.kernel)
            if let s = a.stride { out.expr("stride", s) }
            out.padding(a.padding)
            if kind == .avgPool2d || kind == .avgPool2dGrad { out.bool("count_include_pad", a.countIncludePad, default: true) }
        case .embedding(let a), .embeddingGrad(let a): out.expr("vocab", a.vocab); out.expr("dim", a.dim)
        case .multiheadAttention(let a), .multiheadAttentionGrad(let a): out.expr("heads", a.heads)
        case .lstm(let a), .gru(let a), .lstmGrad(let a), .gruGrad(let a):
            out.expr("hidden", a.hidden); out.bool("bidirectional", a.bidirectional, default: false)
        case .conv1d(let a), .conv1dGradInput(let a), .conv1dGradWeight(let a), .conv1dGradBias(let a):
            if let i = a.inChannels { out.expr("in", i) }
            out.expr("out", a.outChannels); out.expr("kernel", a.kernel)
            out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.expr("groups", a.groups, default: 1)
            out.bool("bias", a.bias, default: true)
        case .maxPool1d(let a), .avgPool1d(let a), .maxPool1dGrad(let a), .avgPool1dGrad(let a):
            out.expr("kernel", a.kernel)
            if let s = a.stride { out.expr("stride", s) }
            out.padding(a.padding)
        case .transpose(let a):
            out.list.append(NamedAttribute("dim0", .expr(.int(a.dim0))))
            out.list.append(NamedAttribute("dim1", .expr(.int(a.dim1))))
        case .dropout(let p), .dropoutGrad(let p): out.expr("p", p)
        case .concat(let axis), .softmax(let axis), .logSoftmax(let axis), .concatGrad(let axis), .softmaxGrad(let axis),
             .logSoftmaxGrad(let axis):
            out.list.append(NamedAttribute("axis", .expr(.int(axis))))
        case .zero(let stride): out.expr("stride", stride, default: 1)
        case .scale(let f): out.float("factor", f, default: 1)
        case .call(let g): out.list.append(NamedAttribute("graph", .graph(g)))
        case .layerChoice(let c):
            out.list.append(NamedAttribute("label", .string(c.label)))
            out.list.append(NamedAttribute("candidates", .candidates(c.candidates)))
        case .inputChoice(let c):
            out.list.append(NamedAttribute("label", .string(c.label)))
            out.list.append(NamedAttribute("n_chosen", c.nChosen.map { .expr(.int($0)) } ?? .symbol("any")))
            out.list.append(NamedAttribute("reduction", .symbol(c.reduction.rawValue)))
        case .repeated(let r):
            out.list.append(NamedAttribute("label", .string(r.label)))
            out.list.append(NamedAttribute("depths", .ints(r.depths)))
            out.list.append(NamedAttribute("blocks", .graphs(r.blocks)))
        case .cell(let c):
            out.list.append(NamedAttribute("label", .string(c.label)))
            out.list.append(NamedAttribute("num_nodes", .expr(.int(c.numNodes))))
            out.list.append(NamedAttribute("ops_per_node", .expr(.int(c.opsPerNode))))
            out.list.append(NamedAttribute("candidates", .candidates(c.candidates)))
            if !c.inputCandidates.isEmpty { out.list.append(NamedAttribute("input_candidates", .candidates(c.inputCandidates))) }
            if c.merge != .all { out.list.append(NamedAttribute("merge", .symbol(c.merge.rawValue))) }
        case .param(let p):
            out.list.append(NamedAttribute("name", .string(p.name)))
            out.list.append(NamedAttribute("shape", .ints(p.shape)))
            out.list.append(NamedAttribute("init", .symbol(p.initializer.symbol)))
            if let f = p.initializer.fanIn { out.list.append(NamedAttribute("fan_in", .expr(.int(f)))) }
            if case .box(let lo, let hi) = p.initializer {
                out.list.append(NamedAttribute("box_lower", .ints(lo)))
                out.list.append(NamedAttribute("box_upper", .ints(hi)))
            }
            out.bool("trainable", p.trainable, default: true)
            if let c = p.control {
                out.list.append(NamedAttribute("control", .symbol(c.kind.rawValue)))
                if !c.label.isEmpty { out.list.append(NamedAttribute("control_label", .string(c.label))) }
            }
        case .softmaxCrossEntropy(let s), .softmaxCrossEntropyGrad(let s):
            out.float("label_smoothing", s, default: 0)
        case .activationGrad(let f):
            out.list.append(NamedAttribute("fn", .symbol(f.rawValue)))
        case .fusedConv2d(let f):
            out.list = Op.conv2d(f.conv).attributes
            if let bn = f.batchNorm {
                out.list.append(NamedAttribute("bn", .bool(true)))
                out.float("bn_eps", bn.eps, default: 1e-5)
                out.bool("bn_affine", bn.affine, default: true)
            }
            if let a = f.activation { out.list.append(NamedAttribute("activation", .symbol(a.rawValue))) }
        case .switchOp(let a), .switchGrad(let a):
            out.list.append(NamedAttribute("label", .string(a.label)))
            out.list.append(NamedAttribute("count", .expr(.int(a.count))))
        case .activation, .globalAvgPool, .flatten, .add, .mul, .identity, .nllLoss, .paramGrad, .globalAvgPoolGrad,
             .flattenGrad, .mulGrad, .nllLossGrad, .weightedSum, .weightedSumGrad, .mseLoss, .mseLossGrad,
             .globalMaxPool1d, .globalAvgPool1d, .globalMaxPool1dGrad, .globalAvgPool1dGrad:
            break
        }
        return out.list
    }

    /// Builds a typed op from its kind and generic attributes, filling defaults.
    /// Throws ``AttributeError`` naming the unknown, missing or ill-typed attribute.
    public init(kind: OpKind, attributes: [NamedAttribute]) throws {
        var r = try AttributeReader(kind: kind, attributes)
        switch kind {
        case .conv2d, .conv2dGradInput, .conv2dGradWeight, .conv2dGradBias:
            let a = Conv2DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1),
                groups: try r.expr("groups", default: 1), bias: try r.bool("bias", default: true),
                inChannels: try r.optionalExpr("in"))
            switch kind {
            case .conv2dGradInput: self = .conv2dGradInput(a)
            case .conv2dGradWeight: self = .conv2dGradWeight(a)
            case .conv2dGradBias: self = .conv2dGradBias(a)
            default: self = .conv2d(a)
            }
        case .depthwiseConv2d, .depthwiseConv2dGradInput, .depthwiseConv2dGradWeight, .depthwiseConv2dGradBias:
            let a = DepthwiseConv2DAttrs(
                kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1), padding: try r.padding(),
                dilation: try r.expr("dilation", default: 1), bias: try r.bool("bias", default: true))
            switch kind {
            case .depthwiseConv2dGradInput: self = .depthwiseConv2dGradInput(a)
            case .depthwiseConv2dGradWeight: self = .depthwiseConv2dGradWeight(a)
            case .depthwiseConv2dGradBias: self = .depthwiseConv2dGradBias(a)
            default: self = .depthwiseConv2d(a)
            }
        case .separableConv2d:
            self = .separableConv2d(SeparableConv2DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1), bias: try r.bool("bias", default: true)))
        case .linear, .linearGradInput, .linearGradWeight, .linearGradBias:
            let a = LinearAttrs(outFeatures: try r.expr("out"), bias: try r.bool("bias", default: true),
                                inFeatures: try r.optionalExpr("in"))
            switch kind {
            case .linearGradInput: self = .linearGradInput(a)
            case .linearGradWeight: self = .linearGradWeight(a)
            case .linearGradBias: self = .linearGradBias(a)
            default: self = .linear(a)
            }
        case .batchNorm, .batchNormGrad:
            let a = BatchNormAttrs(eps: try r.float("eps", default: 1e-5), momentum: try r.float("momentum", default: 0.1),
                                   affine: try r.bool("affine", default: true))
            self = kind == .batchNorm ? .batchNorm(a) : .batchNormGrad(a)
        case .layerNorm, .layerNormGrad:
            let a = LayerNormAttrs(eps: try r.float("eps", default: 1e-5), affine: try r.bool("affine", default: true))
            self = kind == .layerNorm ? .layerNorm(a) : .layerNormGrad(a)
        case .relu: self = .activation(.relu)
        case .relu6: self = .activation(.relu6)
        case .sigmoid: self = .activation(.sigmoid)
        case .tanh: self = .activation(.tanh)
        case .gelu: self = .activation(.gelu)
        case .hardswish: self = .activation(.hardswish)
        case .maxPool2d, .avgPool2d, .maxPool2dGrad, .avgPool2dGrad:
            let isAvg = kind == .avgPool2d || kind == .avgPool2dGrad
            let a = Pool2DAttrs(kernel: try r.expr("kernel"), stride: try r.optionalExpr("stride"), padding: try r.padding(),
                                countIncludePad: isAvg ? try r.bool("count_include_pad", default: true) : true)
            switch kind {
            case .maxPool2d: self = .maxPool2d(a)
            case .avgPool2d: self = .avgPool2d(a)
            case .maxPool2dGrad: self = .maxPool2dGrad(a)
            default: self = .avgPool2dGrad(a)
            }
        case .globalAvgPool: self = .globalAvgPool
        case .embedding, .embeddingGrad:
            let a = EmbeddingAttrs(vocab: try r.expr("vocab"), dim: try r.expr("dim"))
            self = kind == .embedding ? .embedding(a) : .embeddingGrad(a)
        case .globalMaxPool1d: self = .globalMaxPool1d
        case .globalAvgPool1d: self = .globalAvgPool1d
        case .globalMaxPool1dGrad: self = .globalMaxPool1dGrad
        case .globalAvgPool1dGrad: self = .globalAvgPool1dGrad
        case .multiheadAttention: self = .multiheadAttention(AttentionAttrs(heads: try r.expr("heads")))
        case .multiheadAttentionGrad: self = .multiheadAttentionGrad(AttentionAttrs(heads: try r.expr("heads")))
        case .lstm, .gru, .lstmGrad, .gruGrad:
            let a = RecurrentAttrs(hidden: try r.expr("hidden"), bidirectional: try r.bool("bidirectional", default: false))
            switch kind {
            case .lstm: self = .lstm(a)
            case .gru: self = .gru(a)
            case .lstmGrad: self = .lstmGrad(a)
            default: self = .gruGrad(a)
            }
        case .conv1d, .conv1dGradInput, .conv1dGradWeight, .conv1dGradBias:
            let a = Conv1DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1),
                groups: try r.expr("groups", default: 1), bias: try r.bool("bias", default: true),
                inChannels: try r.optionalExpr("in"))
            switch kind {
            case .conv1dGradInput: self = .conv1dGradInput(a)
            case .conv1dGradWeight: self = .conv1dGradWeight(a)
            case .conv1dGradBias: self = .conv1dGradBias(a)
            default: self = .conv1d(a)
            }
        case .maxPool1d, .avgPool1d, .maxPool1dGrad, .avgPool1dGrad:
            let a = Pool1DAttrs(kernel: try r.expr("kernel"), stride: try r.optionalExpr("stride"), padding: try r.padding())
            switch kind {
            case .maxPool1d: self = .maxPool1d(a)
            case .avgPool1d: self = .avgPool1d(a)
            case .maxPool1dGrad: self = .maxPool1dGrad(a)
            default: self = .avgPool1dGrad(a)
            }
        case .transpose: self = .transpose(TransposeAttrs(dim0: try r.int("dim0"), dim1: try r.int("dim1")))
        case .flatten: self = .flatten
        case .dropout: self = .dropout(p: try r.expr("p"))
        case .dropoutGrad: self = .dropoutGrad(p: try r.expr("p"))
        case .add: self = .add
        case .mul: self = .mul
        case .scale:
            let f = try r.float("factor", default: 1)
            guard f.isFinite else { throw AttributeError("attribute 'factor' of scale must be a finite number") }
            self = .scale(factor: f)
        case .concat: self = .concat(axis: try r.int("axis", default: 1))
        case .identity: self = .identity
        case .zero: self = .zero(stride: try r.expr("stride", default: 1))
        case .softmax: self = .softmax(axis: try r.int("axis", default: -1))
        case .logSoftmax: self = .logSoftmax(axis: try r.int("axis", default: -1))
        case .concatGrad: self = .concatGrad(axis: try r.int("axis", default: 1))
        case .softmaxGrad: self = .softmaxGrad(axis: try r.int("axis", default: -1))
        case .logSoftmaxGrad: self = .logSoftmaxGrad(axis: try r.int("axis", default: -1))
        case .param:
            let name = try r.string("name"), shape = try r.ints("shape")
            let initName = try r.symbol("init", allowed: ["zeros", "ones", "kaiming_uniform", "fan_in_uniform", "box"])
            let initializer: ParamInit
            switch initName {
            case "zeros": initializer = .zeros
            case "ones": initializer = .ones
            case "kaiming_uniform": initializer = .kaimingUniform(fanIn: try r.int("fan_in"))
            case "box": initializer = .box(lower: try r.ints("box_lower"), upper: try r.ints("box_upper"))
            default: initializer = .fanInUniform(fanIn: try r.int("fan_in"))
            }
            let trainable = try r.bool("trainable", default: true)
            var control: ControlParameter?
            if r.has("control") {
                let kind = try r.symbol("control", allowed: ControlParameterKind.allCases.map(\.rawValue))
                control = ControlParameter(ControlParameterKind(rawValue: kind)!,
                                           label: r.has("control_label") ? try r.string("control_label") : "")
            }
            self = .param(ParamAttrs(name: name, shape: shape, initializer: initializer, trainable: trainable, control: control))
        case .softmaxCrossEntropy: self = .softmaxCrossEntropy(labelSmoothing: try r.float("label_smoothing", default: 0))
        case .softmaxCrossEntropyGrad:
            self = .softmaxCrossEntropyGrad(labelSmoothing: try r.float("label_smoothing", default: 0))
        case .nllLoss: self = .nllLoss
        case .nllLossGrad: self = .nllLossGrad
        case .mseLoss: self = .mseLoss
        case .mseLossGrad: self = .mseLossGrad
        case .paramGrad: self = .paramGrad
        case .globalAvgPoolGrad: self = .globalAvgPoolGrad
        case .flattenGrad: self = .flattenGrad
        case .mulGrad: self = .mulGrad
        case .weightedSum: self = .weightedSum
        case .weightedSumGrad: self = .weightedSumGrad
        case .switchOp, .switchGrad:
            let a = SwitchAttrs(label: try r.string("label"), count: try r.int("count"))
            self = kind == .switchOp ? .switchOp(a) : .switchGrad(a)
        case .activationGrad:
            let f = try r.symbol("fn", allowed: Activation.allCases.map(\.rawValue))
            self = .activationGrad(Activation(rawValue: f)!)
        case .fusedConv2d:
            let conv = Conv2DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1),
                groups: try r.expr("groups", default: 1), bias: try r.bool("bias", default: true),
                inChannels: try r.optionalExpr("in"))
            let hasBN = try r.bool("bn", default: false)
            let eps = try r.float("bn_eps", default: 1e-5), affine = try r.bool("bn_affine", default: true)
            let act = r.has("activation") ? try r.symbol("activation", allowed: Activation.allCases.map(\.rawValue)) : nil
            self = .fusedConv2d(FusedConv2DAttrs(conv: conv, batchNorm: hasBN ? BatchNormAttrs(eps: eps, affine: affine) : nil,
                                                 activation: act.flatMap(Activation.init(rawValue:))))
        case .call: self = .call(graph: try r.graph("graph"))
        case .layerChoice:
            self = .layerChoice(LayerChoiceOp(label: try r.string("label"), candidates: try r.candidates("candidates")))
        case .inputChoice:
            let n: Int?
            if case .symbol("any")? = r.peek("n_chosen") { _ = try r.symbol("n_chosen", allowed: ["any"]); n = nil }
            else { n = try r.int("n_chosen", default: 1) }
            let red = try r.symbol("reduction", allowed: Reduction.allCases.map(\.rawValue), default: Reduction.sum.rawValue)
            self = .inputChoice(InputChoiceOp(label: try r.string("label"), nChosen: n, reduction: Reduction(rawValue: red)!))
        case .repeated:
            self = .repeated(RepeatOp(label: try r.string("label"), depths: try r.ints("depths"), blocks: try r.graphs("blocks")))
        case .cell:
            let merge = try r.symbol("merge", allowed: CellMerge.allCases.map(\.rawValue), default: CellMerge.all.rawValue)
            self = .cell(CellOp(label: try r.string("label"), numNodes: try r.int("num_nodes"), opsPerNode: try r.int("ops_per_node"),
                                candidates: try r.candidates("candidates"),
                                inputCandidates: r.has("input_candidates") ? try r.candidates("input_candidates") : [],
                                merge: CellMerge(rawValue: merge)!))
        }
        // Attributes that belong to no field of this op.
        try r.finish()
    }
}

/// Builds the canonical attribute list, skipping defaults.
struct AttributeWriter {
    var list: [NamedAttribute] = []

    mutating func expr(_ name: String, _ e: ValueExpr, default d: Int? = nil) {
        if let d, e == .int(d) { return }
        list.append(NamedAttribute(name, .expr(e)))
    }

    mutating func float(_ name: String, _ v: Double, default d: Double) {
        if v == d { return }
        list.append(NamedAttribute(name, .expr(.float(v))))
    }

    mutating func bool(_ name: String, _ v: Bool, default d: Bool) {
        if v == d { return }
        list.append(NamedAttribute(name, .bool(v)))
    }

    mutating func padding(_ p: Padding) {
        switch p {
        case .same: list.append(NamedAttribute("padding", .symbol("same")))
        case .explicit(let e): expr("padding", e, default: 0)
        }
    }
}

/// Reads generic attributes into typed fields, tracking which were used.
struct AttributeReader {
    let kind: OpKind
    var remaining: [String: Attribute] = [:]
    var order: [String] = []

    init(kind: OpKind, _ attrs: [NamedAttribute]) throws {
        self.kind = kind
        for a in attrs {
            if remaining[a.name] != nil { throw AttributeError("duplicate attribute '\(a.name)' on \(kind.rawValue)") }
            remaining[a.name] = a.value
            order.append(a.name)
        }
    }

    func has(_ name: String) -> Bool { remaining[name] != nil }
    func peek(_ name: String) -> Attribute? { remaining[name] }

    mutating func take(_ name: String) throws -> Attribute {
        guard let v = remaining.removeValue(forKey: name) else {
            throw AttributeError("\(kind.rawValue) requires attribute '\(name)'")
        }
        return v
    }

    func typeError(_ name: String, _ expected: String) -> AttributeError {
        AttributeError("attribute '\(name)' of \(kind.rawValue) must be \(expected)")
    }

    mutating func expr(_ name: String) throws -> ValueExpr {
        guard case .expr(let e) = try take(name) else { throw typeError(name, "a number or value-choice expression") }
        return e
    }

    mutating func expr(_ name: String, default d: Int) throws -> ValueExpr {
        has(name) ? try expr(name) : .int(d)
    }

    mutating func optionalExpr(_ name: String) throws -> ValueExpr? {
        has(name) ? try expr(name) : nil
    }

    mutating func int(_ name: String, default d: Int? = nil) throws -> Int {
        if !has(name), let d { return d }
        let e = try expr(name)
        guard let c = e.constant, case .int(let v) = c else { throw typeError(name, "a constant integer") }
        return v
    }

    mutating func float(_ name: String, default d: Double) throws -> Double {
        if !has(name) { return d }
        let e = try expr(name)
        guard let c = e.constant else { throw typeError(name, "a constant number") }
        return c.asDouble
    }

    mutating func bool(_ name: String, default d: Bool) throws -> Bool {
        if !has(name) { return d }
        guard case .bool(let b) = try take(name) else { throw typeError(name, "true or false") }
        return b
    }

    mutating func string(_ name: String) throws -> String {
        guard case .string(let s) = try take(name) else { throw typeError(name, "a quoted string") }
        return s
    }

    mutating func symbol(_ name: String, allowed: [String], default d: String? = nil) throws -> String {
        if !has(name), let d { return d }
        guard case .symbol(let s) = try take(name), allowed.contains(s) else {
            throw typeError(name, "one of " + allowed.joined(separator: ", "))
        }
        return s
    }

    mutating func graph(_ name: String) throws -> String {
        guard case .graph(let g) = try take(name) else { throw typeError(name, "a subgraph reference @name") }
        return g
    }

    mutating func graphs(_ name: String) throws -> [String] {
        guard case .graphs(let g) = try take(name) else { throw typeError(name, "a list of subgraph references [@a, @b]") }
        return g
    }

    mutating func ints(_ name: String) throws -> [Int] {
        guard case .ints(let v) = try take(name) else { throw typeError(name, "a list of integers") }
        return v
    }

    mutating func candidates(_ name: String) throws -> [NamedGraph] {
        guard case .candidates(let c) = try take(name) else { throw typeError(name, "a candidate list [name = @graph, ...]") }
        return c
    }

    mutating func padding() throws -> Padding {
        guard has("padding") else { return .explicit(.int(0)) }
        switch try take("padding") {
        case .symbol("same"): return .same
        case .symbol("valid"): return .explicit(.int(0))
        case .expr(let e): return .explicit(e)
        default: throw typeError("padding", "same, valid or a number")
        }
    }

    func finish() throws {
        if let extra = order.first(where: { remaining[$0] != nil }) {
            throw AttributeError("unknown attribute '\(extra)' for \(kind.rawValue)")
        }
    }
}
