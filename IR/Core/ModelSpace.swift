// ModelSpace: the unit nasc compiles. A root graph, the subgraphs it refers to, and the value choices.

/// A model space (NNI's "base model with mutations"): a set of named graphs, one of them the root.
public struct ModelSpace: Hashable, Sendable {
    /// Version of the IR's serialized forms (text header and protobuf field). Bump on incompatible change.
    public static let formatVersion = 1

    /// Space name (from the source file or `space` header).
    public var name: String
    /// Name of the root graph.
    public var root: String
    /// All graphs, root first by convention; names are unique.
    public var graphs: [Graph]
    /// ValueChoice declarations, referenced by attributes as `$label`.
    public var valueChoices: [ValueChoiceDecl]

    /// Creates a model space.
    public init(name: String, root: String, graphs: [Graph], valueChoices: [ValueChoiceDecl] = []) {
        self.name = name; self.root = root; self.graphs = graphs; self.valueChoices = valueChoices
    }

    /// The graph with this name.
    public func graph(named name: String) -> Graph? { graphs.first { $0.name == name } }

    /// The root graph. Verification guarantees it exists.
    public var rootGraph: Graph? { graph(named: root) }

    /// Replaces the graph with the same name (or appends it).
    public mutating func update(_ g: Graph) {
        if let i = graphs.firstIndex(where: { $0.name == g.name }) { graphs[i] = g } else { graphs.append(g) }
    }

    /// The value choice with this label.
    public func valueChoice(_ label: String) -> ValueChoiceDecl? { valueChoices.first { $0.label == label } }

    /// Graphs reachable from the root through calls and choices, root first, each once.
    public var reachableGraphs: [String] {
        var seen: [String] = []
        var stack = [root]
        while let g = stack.popLast() {
            guard !seen.contains(g), let graph = graph(named: g) else { continue }
            seen.append(g)
            for n in graph.nodes { stack.append(contentsOf: n.op.referencedGraphs.reversed()) }
        }
        return seen
    }
}
