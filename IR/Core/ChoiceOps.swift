// The mutation primitives as IR op payloads: LayerChoice, InputChoice, Repeat and Cell, plus ValueChoice declarations.

/// A named candidate that is a subgraph of the model space.
public struct NamedGraph: Hashable, Sendable {
    /// Candidate name, as exported in architectures (NNI's candidate key).
    public var name: String
    /// Name of the subgraph in the ``ModelSpace``.
    public var graph: String
    /// Creates a candidate.
    public init(name: String, graph: String) { self.name = name; self.graph = graph }
}

/// `layer_choice`: pick one of several subgraphs; all take the node's inputs.
public struct LayerChoiceOp: Hashable, Sendable {
    /// Decision label; equal labels are one decision.
    public var label: String
    /// Candidates, in order (the index is the NNI v1 index).
    public var candidates: [NamedGraph]
    /// Creates a layer choice.
    public init(label: String, candidates: [NamedGraph]) { self.label = label; self.candidates = candidates }
}

/// How an InputChoice combines the inputs it chose.
public enum Reduction: String, Hashable, Sendable, CaseIterable {
    case sum, mean, concat, none
}

/// `input_choice`: choose some of the node's inputs (the candidates) and reduce them.
public struct InputChoiceOp: Hashable, Sendable {
    public var label: String
    /// How many inputs are chosen; `nil` means any number, including none.
    public var nChosen: Int?
    public var reduction: Reduction
    /// Creates an input choice.
    public init(label: String, nChosen: Int?, reduction: Reduction) {
        self.label = label; self.nChosen = nChosen; self.reduction = reduction
    }
}

/// `repeat`: a chain of blocks whose length is a decision. Block `i` is the subgraph built for index `i`.
public struct RepeatOp: Hashable, Sendable {
    public var label: String
    /// Allowed depths (ascending; 0 allowed, meaning the input passes through).
    public var depths: [Int]
    /// One single-input single-output subgraph per position; count == max depth.
    public var blocks: [String]
    /// Creates a repeat.
    public init(label: String, depths: [Int], blocks: [String]) { self.label = label; self.depths = depths; self.blocks = blocks }
}

/// How a cell forms its output.
public enum CellMerge: String, Hashable, Sendable, CaseIterable {
    /// Concatenate every intermediate node along the channel axis (DARTS).
    case all
    /// Concatenate only the nodes no other node consumes.
    case looseEnd = "loose_end"
}

/// `cell`: an NNI/DARTS cell. The node's inputs are the cell's predecessors. Intermediate node `i`
/// chooses `opsPerNode` inputs among the predecessors and nodes `0..<i`, applies one candidate op to each,
/// and sums them.
///
/// Its decisions are labelled `label/op_i_j` (the op on input `j` of node `i`) and
/// `label/input_i_j` (which earlier tensor that input reads), as in NNI.
public struct CellOp: Hashable, Sendable {
    public var label: String
    public var numNodes: Int
    public var opsPerNode: Int
    /// Op candidates, each a single-input single-output subgraph.
    public var candidates: [NamedGraph]
    /// Candidates used on edges that read a predecessor (e.g. stride-2 ops in a reduction cell);
    /// must have the same names as `candidates`. Empty means "same as candidates".
    public var inputCandidates: [NamedGraph]
    public var merge: CellMerge

    /// Creates a cell.
    public init(label: String, numNodes: Int, opsPerNode: Int, candidates: [NamedGraph],
                inputCandidates: [NamedGraph] = [], merge: CellMerge = .all) {
        self.label = label; self.numNodes = numNodes; self.opsPerNode = opsPerNode
        self.candidates = candidates; self.inputCandidates = inputCandidates; self.merge = merge
    }
}

/// A ValueChoice: a labelled categorical set of scalar values that attributes refer to as `$label`.
public struct ValueChoiceDecl: Hashable, Sendable {
    public var label: String
    public var values: [Scalar]
    public var location: SourceLocation
    /// Creates a value choice declaration.
    public init(label: String, values: [Scalar], location: SourceLocation = .unknown) {
        self.label = label; self.values = values; self.location = location
    }
}
