// TrialLedger: which proposed architectures are still running, and every outcome told so far.
import BigInt
import NASCIR

/// One told outcome: the architecture's index in the space and what happened.
struct TrialRecord: Sendable, Hashable {
    var index: BigInt
    var outcome: TrialOutcome
}

/// The bookkeeping every strategy shares: architectures proposed but not yet told (in proposal order) and
/// the told outcomes (in telling order). `tell` accepts only an architecture that is pending.
struct TrialLedger: Sendable {
    /// Proposed and not yet told, in proposal order (an index may appear twice when dedup is off).
    private(set) var pending: [BigInt] = []
    /// Every told outcome, in telling order.
    private(set) var history: [TrialRecord] = []

    init() {}

    init(pending: [BigInt], history: [TrialRecord]) {
        self.pending = pending
        self.history = history
    }

    mutating func propose(_ index: BigInt) { pending.append(index) }

    /// Moves a pending architecture to the history. Throws a diagnostic if it is not pending.
    mutating func tell(_ index: BigInt, outcome: TrialOutcome, strategy: String) throws {
        guard let at = pending.firstIndex(of: index) else {
            throw DiagnosticError(.error(
                "strategy '\(strategy)' was told the outcome of architecture #\(index), which it has not proposed "
                    + "or whose outcome it was already told"))
        }
        pending.remove(at: at)
        history.append(TrialRecord(index: index, outcome: outcome.normalized))
    }
}

extension TrialLedger {
    /// Proposes the architecture at `index` of `space` and returns it.
    mutating func propose(_ index: BigInt, in space: SearchSpace) throws -> Architecture {
        propose(index)
        return try space.architecture(atIndex: index)
    }

    /// Moves a pending architecture of `space` to the history; throws if it is not in the space or not pending.
    mutating func tell(_ architecture: Architecture, in space: SearchSpace, outcome: TrialOutcome, strategy: String) throws {
        try tell(try space.strategyIndex(of: architecture), outcome: outcome, strategy: strategy)
    }

    /// Every told outcome with its architecture, in telling order (a strategy's `history`).
    func outcomes(in space: SearchSpace) -> [(architecture: Architecture, outcome: TrialOutcome)] {
        history.compactMap { r in (try? space.architecture(atIndex: r.index)).map { ($0, r.outcome) } }
    }
}

extension TrialOutcome {
    /// A success whose metric is NaN counts as a failure (it cannot be ranked); ±infinity is kept.
    var normalized: TrialOutcome {
        if case .succeeded(let m) = self, m.isNaN { return .failed(reason: "metric is NaN") }
        return self
    }

    /// The metric of a success, `nil` for a failure.
    var metric: Double? {
        if case .succeeded(let m) = normalized { return m }
        return nil
    }
}

extension SearchSpace {
    /// The index of an architecture told to a strategy; throws the validation diagnostics if it is not an
    /// architecture of this space.
    func strategyIndex(of arch: Architecture) throws -> BigInt {
        if let i = index(of: arch) { return i }
        try validate(arch)
        throw DiagnosticError(.error("architecture is not a point of this search space"))
    }
}
