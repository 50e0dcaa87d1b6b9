// Graph and GraphInput <-> protobuf.

extension GraphInput {
    /// The protobuf form.
    func toProto() throws -> Nasc_Ir_GraphInput {
        try ProtoFormatError.within("input %\(name)", location: location) {
            var p = Nasc_Ir_GraphInput()
            p.name = name
            p.type = try type.toProto()
            if location != .unknown { p.location = location.proto }
            return p
        }
    }

    /// Reads the protobuf form; an input needs a type.
    init(proto p: Nasc_Ir_GraphInput) throws {
        self = try ProtoFormatError.within("input %\(p.name)") {
            guard p.hasType else { throw ProtoFormatError("graph input has no type") }
            return GraphInput(name: p.name, type: try TensorType(proto: p.type),
                              location: p.hasLocation ? SourceLocation(proto: p.location) : .unknown)
        }
    }
}

extension Graph {
    /// The protobuf form.
    func toProto() throws -> Nasc_Ir_Graph {
        try ProtoFormatError.within("graph @\(name)", location: location) {
            var p = Nasc_Ir_Graph()
            p.name = name
            p.inputs = try inputs.map { try $0.toProto() }
            p.nodes = try nodes.map { try $0.toProto() }
            p.outputs = outputs.map(\.proto)
            if location != .unknown { p.location = location.proto }
            return p
        }
    }

    /// Reads the protobuf form; errors name the graph.
    init(proto p: Nasc_Ir_Graph) throws {
        self = try ProtoFormatError.within("graph @\(p.name)") {
            Graph(name: p.name, inputs: try p.inputs.map { try GraphInput(proto: $0) },
                  nodes: try p.nodes.map { try Node(proto: $0) }, outputs: p.outputs.map { ValueRef(proto: $0) },
                  location: p.hasLocation ? SourceLocation(proto: p.location) : .unknown)
        }
    }
}
