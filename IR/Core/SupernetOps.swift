// SupernetOps: attribute struct of the one-shot supernet switch ops (`switch`, `switch_grad`).

/// `switch {label, count}`: a single-path supernet switch over `count` candidate inputs. The executor's selection
/// vector (one entry per ``PlanSelector``, i.e. per label) picks the candidate at run time, so a sampled
/// subnet changes per step without recompiling.
public struct SwitchAttrs: Hashable, Sendable {
    /// The decision label (equal labels share one selector).
    public var label: String
    /// Number of candidates (the node's inputs).
    public var count: Int
    /// Creates switch attributes.
    public init(label: String, count: Int) { self.label = label; self.count = count }
}
