// Attribute and NamedAttribute <-> protobuf: the generic attribute forms of Op.attributes.

extension Attribute {
    /// The protobuf form.
    var proto: Nasc_Ir_Attribute {
        var p = Nasc_Ir_Attribute()
        switch self {
        case .expr(let e): p.expr = e.proto
        case .bool(let b): p.boolValue = b
        case .string(let s): p.stringValue = s
        case .symbol(let s): p.symbol = s
        case .graph(let g): p.graph = g
        case .ints(let v): p.ints = .with { $0.values = v.map { Int64($0) } }
        case .graphs(let g): p.graphs = .with { $0.names = g }
        case .candidates(let c): p.candidates = .with { $0.candidates = c.map(\.proto) }
        }
        return p
    }

    /// Reads the protobuf form; an attribute with no case set is an error.
    init(proto p: Nasc_Ir_Attribute) throws {
        switch p.value {
        case nil: throw ProtoFormatError("attribute has no value")
        case .expr(let e)?: self = .expr(try ValueExpr(proto: e))
        case .boolValue(let b)?: self = .bool(b)
        case .stringValue(let s)?: self = .string(s)
        case .symbol(let s)?: self = .symbol(s)
        case .graph(let g)?: self = .graph(g)
        case .ints(let v)?: self = .ints(v.values.map { Int($0) })
        case .graphs(let g)?: self = .graphs(g.names)
        case .candidates(let c)?: self = .candidates(c.candidates.map { NamedGraph(proto: $0) })
        }
    }
}

extension NamedAttribute {
    /// The protobuf form.
    var proto: Nasc_Ir_NamedAttribute {
        var p = Nasc_Ir_NamedAttribute()
        p.name = name
        p.value = value.proto
        return p
    }

    /// Reads the protobuf form; errors name the attribute.
    init(proto p: Nasc_Ir_NamedAttribute) throws {
        let value = try ProtoFormatError.within("attribute '\(p.name)'") { try Attribute(proto: p.value) }
        self.init(p.name, value)
    }
}

extension NamedGraph {
    /// The protobuf form.
    var proto: Nasc_Ir_NamedGraph {
        var p = Nasc_Ir_NamedGraph()
        p.name = name
        p.graph = graph
        return p
    }

    /// Reads the protobuf form.
    init(proto p: Nasc_Ir_NamedGraph) {
        self.init(name: p.name, graph: p.graph)
    }
}
