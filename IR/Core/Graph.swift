// Graph: typed inputs, nodes in definition order, and outputs. A model space holds many graphs.

/// A dataflow graph. Nodes are kept in a valid topological order once verified.
public struct Graph: Hashable, Sendable {
    /// Unique within the model space; referenced as `@name`.
    public var name: String
    public var inputs: [GraphInput]
    public var nodes: [Node]
    public var outputs: [ValueRef]
    public var location: SourceLocation

    /// Creates a graph.
    public init(name: String, inputs: [GraphInput] = [], nodes: [Node] = [], outputs: [ValueRef] = [],
                location: SourceLocation = .unknown) {
        self.name = name; self.inputs = inputs; self.nodes = nodes; self.outputs = outputs; self.location = location
    }

    /// The node with this name.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// Index of the node with this name.
    public func index(of name: String) -> Int? { nodes.firstIndex { $0.name == name } }

    /// Every edge, including edges from graph inputs.
    public var edges: [Edge] {
        nodes.flatMap { n in n.inputs.enumerated().map { Edge(source: $0.element, destination: n.name, destinationSlot: $0.offset) } }
    }

    /// The type of a value: a graph input's type or a node output's inferred type.
    public func type(of ref: ValueRef) -> TensorType? {
        if let i = inputs.first(where: { $0.name == ref.node }) { return ref.slot == 0 ? i.type : nil }
        guard let n = node(named: ref.node), ref.slot < n.types.count else { return nil }
        return n.types[ref.slot]
    }

    /// Names of nodes and inputs that some node or output reads.
    public var usedNames: Set<String> {
        var s = Set(outputs.map(\.node))
        for n in nodes { for r in n.inputs { s.insert(r.node) } }
        return s
    }

    /// A name not used by any input or node, derived from `base` (`base`, `base_1`, `base_2`, ...).
    public func freshName(_ base: String) -> String {
        let taken = Set(inputs.map(\.name) + nodes.map(\.name))
        if !taken.contains(base) { return base }
        var i = 1
        while taken.contains("\(base)_\(i)") { i += 1 }
        return "\(base)_\(i)"
    }
}
