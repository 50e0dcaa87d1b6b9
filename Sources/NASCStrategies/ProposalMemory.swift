// ProposalMemory: the set of architectures a strategy has proposed (by index), for deduplication.
import BigInt
import NASCIR

/// Every architecture index a strategy has proposed, in proposal order, with fast membership tests.
///
/// NNI's `DeduplicationHelper` keeps the same history. Indices are the positions of architectures in
/// ``SearchSpace/allArchitectures()``, so two architectures are the same exactly when their indices are.
struct ProposalMemory: Sendable {
    /// Indices in proposal order (the saved form).
    private(set) var order: [BigInt] = []
    private var members: Set<BigInt> = []

    init() {}

    /// Rebuilds the memory from saved indices.
    init(order: [BigInt]) {
        self.order = order
        self.members = Set(order)
    }

    var count: Int { members.count }

    func contains(_ index: BigInt) -> Bool { members.contains(index) }

    /// The first of `candidates` not in the memory (a proxy-ranked warm start's next proposal), if any.
    func firstUnseen(_ candidates: [BigInt]) -> BigInt? { candidates.first { !members.contains($0) } }

    /// Records an index; returns false if it was already there.
    @discardableResult
    mutating func insert(_ index: BigInt) -> Bool {
        guard members.insert(index).inserted else { return false }
        order.append(index)
        return true
    }

    /// A uniformly random index of `0..<size` that is not in the memory, or `nil` when every index is.
    ///
    /// Tries `retries` plain draws first (cheap while most of the space is unseen; NNI retries 500 times),
    /// then draws exactly: a uniform rank among the unseen indices, mapped past the sorted seen ones.
    func randomUnseen(size: BigInt, retries: Int = 500, using rng: inout SplitMix64) -> BigInt? {
        let unseen = size - BigInt(count)
        guard unseen > 0 else { return nil }
        for _ in 0..<retries {
            let x = rng.uniformBig(below: size)
            if !members.contains(x) { return x }
        }
        var x = rng.uniformBig(below: unseen)
        for s in order.sorted() {
            if s <= x { x += 1 } else { break }
        }
        return x
    }
}
