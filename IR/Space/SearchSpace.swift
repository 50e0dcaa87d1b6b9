// SearchSpace: the flat list of decisions derived from a model space (NNI's "simplified" search space).

/// The decisions of a model space, one per label, in a stable order.
///
/// **Order.** Graphs are walked depth-first from the root. Inside a graph, nodes are taken in definition
/// order; for each node its own decision comes first (for a cell: `input_i_k` then `op_i_k` for every
/// intermediate node and op, as NNI creates them), then the value choices its attributes read (in first-use
/// order), then the subgraphs it refers to (candidates, blocks, callee), each walked completely before the
/// next node. A label keeps the position of its first appearance; later uses only add locations.
///
/// **Nested choices.** Labels inside LayerChoice candidates, Repeat blocks and cell ops are decisions of the
/// space even though they only matter when their container chooses them, exactly as in NNI, where every
/// mutable of the model is one dimension of the space. The space size is therefore the product over all
/// decisions (see ``size``).
///
/// **Cells.** A cell with label `c` and `P` predecessors (its node inputs) contributes, for every
/// intermediate node `m` in `0..<numNodes` and op `k` in `0..<opsPerNode`, with `i = P + m` (NNI numbers
/// cell nodes after the predecessors): `c/input_i_k`, an input choice of one among `i` tensors, and
/// `c/op_i_k`, a layer choice over the cell's candidate names.
public struct SearchSpace: Hashable, Sendable {
    /// The decisions, in the order documented above. Labels are unique.
    public let decisions: [Decision]

    /// Derives the decisions of every graph reachable from the root.
    ///
    /// Throws ``DiagnosticError`` when a label is reused with a different kind or different candidates
    /// (naming both places), when an attribute reads an undeclared value choice, or when a choice is empty
    /// (no candidates, no values, no depths, or an input choice's `n_chosen` outside `1...n`).
    public init(_ space: ModelSpace) throws {
        var builder = SearchSpaceBuilder(space: space)
        try builder.build()
        self.decisions = builder.decisions
    }

    /// Wraps an already derived decision list (labels must be unique); used by tests and tools.
    public init(decisions: [Decision]) {
        self.decisions = decisions
    }

    /// The decision with this label.
    public func decision(_ label: String) -> Decision? { decisions.first { $0.label == label } }

    /// The labels, in decision order.
    public var labels: [String] { decisions.map(\.label) }
}
