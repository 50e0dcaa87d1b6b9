// Node and ValueRef <-> protobuf. The op is written as its OpKind name plus Op.attributes, and read back
// through Op(kind:attributes:), the same bridge the text IR uses.

extension ValueRef {
    /// The protobuf form.
    var proto: Nasc_Ir_ValueRef {
        var p = Nasc_Ir_ValueRef()
        p.node = node
        p.slot = Int64(slot)
        return p
    }

    /// Reads the protobuf form.
    init(proto p: Nasc_Ir_ValueRef) {
        self.init(p.node, slot: Int(p.slot))
    }
}

extension Node {
    /// The protobuf form. Throws (naming the node) for a type with no encoding.
    func toProto() throws -> Nasc_Ir_Node {
        try ProtoFormatError.within("node %\(name)", location: location) {
            var p = Nasc_Ir_Node()
            p.name = name
            p.op = op.kind.rawValue
            p.inputs = inputs.map(\.proto)
            p.attributes = op.attributes.map(\.proto)
            p.types = try types.map { try $0.toProto() }
            if location != .unknown { p.location = location.proto }
            p.scope = scope.map { c in
                var q = Nasc_Ir_CandidateCondition()
                q.choice = c.choice
                q.candidate = Int64(c.candidate)
                q.atLeast = c.atLeast
                return q
            }
            return p
        }
    }

    /// Reads the protobuf form; an unknown op kind or bad attributes are errors naming the node.
    init(proto p: Nasc_Ir_Node) throws {
        self = try ProtoFormatError.within("node %\(p.name)") {
            guard !p.op.isEmpty else { throw ProtoFormatError("node has no op kind") }
            guard let kind = OpKind(rawValue: p.op) else { throw ProtoFormatError("unknown op kind '\(p.op)'") }
            let attributes = try p.attributes.map { try NamedAttribute(proto: $0) }
            let op = try Op(kind: kind, attributes: attributes)
            let types = try p.types.map { try TensorType(proto: $0) }
            let scope = try p.scope.map { q in
                guard !q.choice.isEmpty, q.candidate >= 0, q.candidate <= Int64(Int32.max) else {
                    throw ProtoFormatError("bad candidate condition '\(q.choice)' \(q.candidate)")
                }
                return CandidateCondition(choice: q.choice, candidate: Int(q.candidate), atLeast: q.atLeast)
            }
            return Node(name: p.name, op: op, inputs: p.inputs.map { ValueRef(proto: $0) }, types: types,
                        location: p.hasLocation ? SourceLocation(proto: p.location) : .unknown, scope: scope)
        }
    }
}
