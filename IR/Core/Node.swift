// Node and ValueRef: one operation in a graph and the edges into it.

/// The source end of an edge: output `slot` of the node (or graph input) named `node`.
public struct ValueRef: Hashable, Sendable, CustomStringConvertible {
    /// Name of a node or of a graph input.
    public var node: String
    /// Which output of that node (0 for single-output ops and graph inputs).
    public var slot: Int

    /// Creates a reference.
    public init(_ node: String, slot: Int = 0) { self.node = node; self.slot = slot }

    /// `%name` or `%name#slot`.
    public var description: String { slot == 0 ? "%\(node)" : "%\(node)#\(slot)" }
}

/// An operation in a graph. Its inputs are edges `(producer, slot) -> (self, index)`.
public struct Node: Hashable, Sendable {
    /// Unique within the graph (shared namespace with graph inputs); stable across passes where possible.
    public var name: String
    /// The typed operation.
    public var op: Op
    /// Input edges; position `i` is the destination slot `i`.
    public var inputs: [ValueRef]
    /// Output types, one per output; empty until shape inference has run (or when shapes depend on choices).
    public var types: [TensorType]
    /// Where the node came from. Passes that replace a node keep its location.
    public var location: SourceLocation
    /// The supernet candidates the node belongs to, outermost first (empty outside one-shot supernets). Passes that
    /// replace a node, or derive one from it, keep its scope.
    public var scope: [CandidateCondition]

    /// Creates a node.
    public init(name: String, op: Op, inputs: [ValueRef], types: [TensorType] = [], location: SourceLocation = .unknown,
                scope: [CandidateCondition] = []) {
        self.name = name; self.op = op; self.inputs = inputs; self.types = types; self.location = location; self.scope = scope
    }

    /// The type of output 0, if known.
    public var type: TensorType? { types.first }
}

/// A graph input: a named, typed placeholder.
public struct GraphInput: Hashable, Sendable {
    public var name: String
    public var type: TensorType
    public var location: SourceLocation
    /// Creates a graph input.
    public init(name: String, type: TensorType, location: SourceLocation = .unknown) {
        self.name = name; self.type = type; self.location = location
    }
}

/// An edge of a graph, for analyses and display.
public struct Edge: Hashable, Sendable {
    public var source: ValueRef
    public var destination: String
    public var destinationSlot: Int
}
