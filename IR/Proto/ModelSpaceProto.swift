// ModelSpace and ValueChoiceDecl <-> protobuf.

extension ValueChoiceDecl {
    /// The protobuf form.
    var proto: Nasc_Ir_ValueChoiceDecl {
        var p = Nasc_Ir_ValueChoiceDecl()
        p.label = label
        p.values = values.map(\.proto)
        if location != .unknown { p.location = location.proto }
        return p
    }

    /// Reads the protobuf form; errors name the value choice.
    init(proto p: Nasc_Ir_ValueChoiceDecl) throws {
        self = try ProtoFormatError.within("value choice '\(p.label)'") {
            ValueChoiceDecl(label: p.label, values: try p.values.map { try Scalar(proto: $0) },
                            location: p.hasLocation ? SourceLocation(proto: p.location) : .unknown)
        }
    }
}

extension ModelSpace {
    /// The protobuf form.
    func toProto() throws -> Nasc_Ir_ModelSpace {
        var p = Nasc_Ir_ModelSpace()
        p.name = name
        p.root = root
        p.graphs = try graphs.map { try $0.toProto() }
        p.valueChoices = valueChoices.map(\.proto)
        return p
    }

    /// Reads the protobuf form. Structural checks (the root exists, names resolve) are the verifier's job.
    init(proto p: Nasc_Ir_ModelSpace) throws {
        self.init(name: p.name, root: p.root, graphs: try p.graphs.map { try Graph(proto: $0) },
                  valueChoices: try p.valueChoices.map { try ValueChoiceDecl(proto: $0) })
    }
}
