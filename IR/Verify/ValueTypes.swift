// ValueTypes: constant-time value-type lookup for code that walks a whole graph (Graph.type(of:) is a linear search).

/// The types of a graph's values by name, answering exactly as ``Graph/type(of:)`` does (graph inputs first,
/// then the first node of a name) in constant time. A snapshot: later edits of the graph are not seen.
/// Used by the verifier and by passes (a linear lookup per node made big graphs, e.g. supernets, quadratic).
package struct ValueTypes {
    private var inputs: [String: TensorType] = [:]
    private var nodes: [String: [TensorType]] = [:]

    /// An empty index.
    package init() {}

    /// Indexes `g`.
    package init(_ g: Graph) {
        inputs.reserveCapacity(g.inputs.count)
        nodes.reserveCapacity(g.nodes.count)
        for i in g.inputs where inputs[i.name] == nil { inputs[i.name] = i.type }
        for n in g.nodes where nodes[n.name] == nil { nodes[n.name] = n.types }
    }

    /// A graph input's type or a node output's inferred type.
    package func type(of ref: ValueRef) -> TensorType? {
        if let t = inputs[ref.node] { return ref.slot == 0 ? t : nil }
        guard let ts = nodes[ref.node], ref.slot >= 0, ref.slot < ts.count else { return nil }
        return ts[ref.slot]
    }
}
