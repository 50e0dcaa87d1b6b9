// CandidateCondition: the typed supernet membership of a node — which candidate of which choice it runs under.

/// One condition under which a node of a one-shot supernet computes: the choice node `choice` (a `switch`, or a
/// `weighted_sum` whose weights are a Proxyless gate) selects candidate `candidate` — or, with `atLeast`, any
/// candidate `>= candidate` (the blocks of a repeat run for every deeper depth).
///
/// ``Node/scope`` lists a node's conditions, outermost first. The `supernet` pass gives each candidate call its
/// condition, `inline` puts the call's conditions before those of every node it inlines (renaming the choices as it
/// renames the nodes), and passes that derive a node from another copy its scope (as they copy its location);
/// `lower` turns the conditions into ``StepGuard``s. No pass reads a candidate from a node name.
/// Text form: `when(%sw == 0, %depth >= 1)`.
public struct CandidateCondition: Hashable, Sendable, CustomStringConvertible {
    /// The name of the choice node (in the node's graph).
    public var choice: String
    /// The candidate index (input position of the choice node).
    public var candidate: Int
    /// Whether every candidate `>= candidate` satisfies the condition.
    public var atLeast: Bool

    /// Creates a condition.
    public init(choice: String, candidate: Int, atLeast: Bool = false) {
        self.choice = choice; self.candidate = candidate; self.atLeast = atLeast
    }

    /// `%sw == 0` or `%depth >= 1`.
    public var description: String { "%\(choice) \(atLeast ? ">=" : "==") \(candidate)" }
}
