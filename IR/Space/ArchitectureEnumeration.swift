// ArchitectureEnumeration: every architecture of a space in mixed-radix order, lazily, and indexing into it.
import BigInt

extension SearchSpace {
    /// Every architecture, lazily, in mixed-radix order: the first decision is the most significant digit,
    /// so index 0 takes the first value of every decision and the last decision varies fastest (the order of
    /// Python's `itertools.product`, as in NNI's grid search). See ``DecisionKind/value(atRank:)`` for the
    /// order of each decision's values.
    public func allArchitectures() -> ArchitectureSequence { ArchitectureSequence(space: self) }

    /// The architecture at `index` of ``allArchitectures()``.
    /// Throws ``DiagnosticError`` when `index` is negative or not below ``size``.
    public func architecture(atIndex index: BigInt) throws -> Architecture {
        let total = size
        guard index >= 0, index < total else {
            throw DiagnosticError(.error("architecture index \(index) is out of range: the space has \(total) architectures"))
        }
        var rest = index
        var digits = [BigInt](repeating: 0, count: decisions.count)
        for i in decisions.indices.reversed() {
            let (q, r) = rest.quotientAndRemainder(dividingBy: decisions[i].kind.choiceCount)
            digits[i] = r
            rest = q
        }
        var arch = Architecture()
        for (d, r) in zip(decisions, digits) { arch[d.label] = d.kind.value(atRank: r) }
        return arch
    }

    /// The index of an architecture in ``allArchitectures()``, or `nil` if it is not a valid architecture of
    /// this space (see ``validate(_:)`` for why).
    public func index(of arch: Architecture) -> BigInt? {
        guard arch.decisions.count == decisions.count else { return nil }
        var index = BigInt(0)
        for d in decisions {
            guard let v = arch[d.label], let r = d.kind.rank(of: v) else { return nil }
            index = index * d.kind.choiceCount + r
        }
        return index
    }
}

/// The lazy sequence of all architectures of a space (see ``SearchSpace/allArchitectures()``).
public struct ArchitectureSequence: Sequence, Sendable {
    let space: SearchSpace

    /// Iterates like an odometer over the decisions' ranks.
    public struct Iterator: IteratorProtocol, Sendable {
        let decisions: [Decision]
        let counts: [BigInt]
        /// Precomputed values of each decision with a small number of values.
        let tables: [[DecisionValue]?]
        var digits: [BigInt]
        var done: Bool

        init(space: SearchSpace) {
            decisions = space.decisions
            counts = decisions.map(\.kind.choiceCount)
            tables = zip(decisions, counts).map { d, c in
                c <= 4096 ? (0..<Int(c)).compactMap { d.kind.value(atRank: BigInt($0)) } : nil
            }
            digits = [BigInt](repeating: 0, count: decisions.count)
            done = counts.contains { $0 <= 0 }
        }

        /// The next architecture, or `nil` after the last one.
        public mutating func next() -> Architecture? {
            guard !done else { return nil }
            var arch = Architecture()
            for i in decisions.indices {
                if let t = tables[i] { arch[decisions[i].label] = t[Int(digits[i])] }
                else { arch[decisions[i].label] = decisions[i].kind.value(atRank: digits[i]) }
            }
            // Increment, last decision fastest.
            var i = decisions.count - 1
            while true {
                if i < 0 { done = true; break }
                digits[i] += 1
                if digits[i] < counts[i] { break }
                digits[i] = 0
                i -= 1
            }
            return arch
        }
    }

    /// Starts at index 0.
    public func makeIterator() -> Iterator { Iterator(space: space) }

    /// The number of architectures (``SearchSpace/size``).
    public var count: BigInt { space.size }
}
