// Decision: one entry of the flat search space derived from a model space (label, kind, candidates).

/// What kind of choice a decision is, with its candidates.
public enum DecisionKind: Hashable, Sendable {
    /// Pick one candidate by name (LayerChoice, and a cell's `op_i_j`).
    case layerChoice(candidates: [String])
    /// Pick `nChosen` of `nCandidates` inputs (`nil` = any number, including none).
    case inputChoice(nCandidates: Int, nChosen: Int?)
    /// Pick one value (ValueChoice).
    case valueChoice(values: [Scalar])
    /// Pick a depth (Repeat).
    case repeatDepth(depths: [Int])
}

/// One decision of the search space. Equal labels anywhere in the space are merged into one decision.
public struct Decision: Hashable, Sendable {
    /// The label, unique in the space.
    public var label: String
    public var kind: DecisionKind
    /// Every place the label is used (for diagnostics).
    public var locations: [SourceLocation]

    /// Creates a decision.
    public init(label: String, kind: DecisionKind, locations: [SourceLocation] = []) {
        self.label = label; self.kind = kind; self.locations = locations
    }
}

/// The chosen value of one decision.
public enum DecisionValue: Hashable, Sendable {
    /// A LayerChoice candidate, by name.
    case candidate(String)
    /// The chosen InputChoice inputs, by index, ascending.
    case inputs([Int])
    /// A ValueChoice value, or a Repeat depth (as `.int`).
    case value(Scalar)
}

/// A point of the search space: one value per decision label (NNI's "architecture" / "sample").
public struct Architecture: Hashable, Sendable {
    /// Label -> chosen value.
    public var decisions: [String: DecisionValue]
    /// Creates an architecture.
    public init(_ decisions: [String: DecisionValue] = [:]) { self.decisions = decisions }
    /// Labels in sorted order (the order every serialized form uses).
    public var labels: [String] { decisions.keys.sorted() }
    /// The value chosen for a label.
    public subscript(label: String) -> DecisionValue? {
        get { decisions[label] }
        set { decisions[label] = newValue }
    }
}
