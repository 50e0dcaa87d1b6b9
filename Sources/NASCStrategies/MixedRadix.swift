// MixedRadix: converts between an architecture's index in the space and its per-decision ranks.
import BigInt

/// Index <-> ranks in the mixed-radix numbering of a search space (the last decision varies fastest), as used by
/// `SearchSpace.architecture(atIndex:)`.
enum MixedRadix {
    /// The rank of each decision for `index`, given each decision's choice count.
    static func ranks(counts: [BigInt], of index: BigInt) -> [BigInt] {
        var rest = index
        var ranks = [BigInt](repeating: 0, count: counts.count)
        for d in counts.indices.reversed() {
            let (q, r) = rest.quotientAndRemainder(dividingBy: counts[d])
            ranks[d] = r
            rest = q
        }
        return ranks
    }

    /// The index of the architecture with these ranks.
    static func index(counts: [BigInt], of ranks: [BigInt]) -> BigInt {
        zip(ranks, counts).reduce(BigInt(0)) { $0 * $1.1 + $1.0 }
    }
}
