// The bridge between typed ops and generic attributes: one table per op, used by text IR and protobuf.

extension Op {
    /// The op's non-default attributes in canonical order (what the text IR prints).
    public var attributes: [NamedAttribute] {
        var out = AttributeWriter()
        switch self {
        case .conv2d(let a):
            if let i = a.inChannels { out.expr("in", i) }
            out.expr("out", a.outChannels); out.expr("kernel", a.kernel)
            out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.expr("groups", a.groups, default: 1)
            out.bool("bias", a.bias, default: true)
        case .depthwiseConv2d(let a):
            out.expr("kernel", a.kernel); out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.bool("bias", a.bias, default: true)
        case .separableConv2d(let a):
            out.expr("out", a.outChannels); out.expr("kernel", a.kernel)
            out.expr("stride", a.stride, default: 1); out.padding(a.padding)
            out.expr("dilation", a.dilation, default: 1); out.bool("bias", a.bias, default: true)
        case .linear(let a):
            if let i = a.inFeatures { out.expr("in", i) }
            out.expr("out", a.outFeatures); out.bool("bias", a.bias, default: true)
        case .batchNorm(let a):
            out.float("eps", a.eps, default: 1e-5); out.float("momentum", a.momentum, default: 0.1)
            out.bool("affine", a.affine, default: true)
        case .layerNorm(let a):
            out.float("eps", a.eps, default: 1e-5); out.bool("affine", a.affine, default: true)
        case .maxPool2d(let a), .avgPool2d(let a):
            out.expr("kernel", a.kernel)
            if let s = a.stride { out.expr("stride", s) }
            out.padding(a.padding)
            if case .avgPool2d = self { out.bool("count_include_pad", a.countIncludePad, default: true) }
        case .dropout(let p): out.expr("p", p)
        case .concat(let axis), .softmax(let axis), .logSoftmax(let axis):
            out.list.append(NamedAttribute("axis", .expr(.int(axis))))
        case .zero(let stride): out.expr("stride", stride, default: 1)
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
        case .activation, .globalAvgPool, .flatten, .add, .mul, .identity:
            break
        }
        return out.list
    }

    /// Builds a typed op from its kind and generic attributes, filling defaults.
    /// Throws ``AttributeError`` naming the unknown, missing or ill-typed attribute.
    public init(kind: OpKind, attributes: [NamedAttribute]) throws {
        var r = try AttributeReader(kind: kind, attributes)
        switch kind {
        case .conv2d:
            self = .conv2d(Conv2DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1),
                groups: try r.expr("groups", default: 1), bias: try r.bool("bias", default: true),
                inChannels: try r.optionalExpr("in")))
        case .depthwiseConv2d:
            self = .depthwiseConv2d(DepthwiseConv2DAttrs(
                kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1), padding: try r.padding(),
                dilation: try r.expr("dilation", default: 1), bias: try r.bool("bias", default: true)))
        case .separableConv2d:
            self = .separableConv2d(SeparableConv2DAttrs(
                outChannels: try r.expr("out"), kernel: try r.expr("kernel"), stride: try r.expr("stride", default: 1),
                padding: try r.padding(), dilation: try r.expr("dilation", default: 1), bias: try r.bool("bias", default: true)))
        case .linear:
            self = .linear(LinearAttrs(outFeatures: try r.expr("out"), bias: try r.bool("bias", default: true),
                                       inFeatures: try r.optionalExpr("in")))
        case .batchNorm:
            self = .batchNorm(BatchNormAttrs(eps: try r.float("eps", default: 1e-5), momentum: try r.float("momentum", default: 0.1),
                                             affine: try r.bool("affine", default: true)))
        case .layerNorm:
            self = .layerNorm(LayerNormAttrs(eps: try r.float("eps", default: 1e-5), affine: try r.bool("affine", default: true)))
        case .relu: self = .activation(.relu)
        case .relu6: self = .activation(.relu6)
        case .sigmoid: self = .activation(.sigmoid)
        case .tanh: self = .activation(.tanh)
        case .gelu: self = .activation(.gelu)
        case .hardswish: self = .activation(.hardswish)
        case .maxPool2d, .avgPool2d:
            let a = Pool2DAttrs(kernel: try r.expr("kernel"), stride: try r.optionalExpr("stride"), padding: try r.padding(),
                                countIncludePad: kind == .avgPool2d ? try r.bool("count_include_pad", default: true) : true)
            self = kind == .maxPool2d ? .maxPool2d(a) : .avgPool2d(a)
        case .globalAvgPool: self = .globalAvgPool
        case .flatten: self = .flatten
        case .dropout: self = .dropout(p: try r.expr("p"))
        case .add: self = .add
        case .mul: self = .mul
        case .concat: self = .concat(axis: try r.int("axis", default: 1))
        case .identity: self = .identity
        case .zero: self = .zero(stride: try r.expr("stride", default: 1))
        case .softmax: self = .softmax(axis: try r.int("axis", default: -1))
        case .logSoftmax: self = .logSoftmax(axis: try r.int("axis", default: -1))
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
