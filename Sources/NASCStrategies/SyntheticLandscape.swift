// SyntheticLandscape: a deterministic, structured score for every architecture, a table evaluator for benchmarks.
import BigInt
import Foundation
import NASCIR

/// A "known landscape": a fixed, deterministic score for every architecture of a space, with the structure
/// real NAS landscapes have, so strategies can be compared without training anything (and `nasc trial
/// --benchmark` can look scores up instead of training).
///
/// With `r_d` the rank of the value chosen for decision `d` (its position in
/// ``DecisionKind/value(atRank:)`` order) and `N(…)` a standard normal number derived by hashing its
/// arguments with the seed:
///
///     total = Σ_d        mainEffect  * N(seed, "main", d, r_d)               additive per-decision effects
///           + Σ_{d<e}    interaction * N(seed, "pair", d, e, r_d, r_e)       pairwise interactions
///           +            noise       * N(seed, "noise", r_0, …, r_{D-1})     per-architecture noise
///     score = 1 / (1 + exp(-total / sqrt(D * mainEffect² + D(D-1)/2 * interaction² + noise²)))
///
/// so scores lie in (0, 1) like an accuracy, higher is better, and the same `(space, seed, scales)` always
/// gives the same table on every platform. Defaults: `mainEffect` 1, `interaction` 0.5, `noise` 0.1.
public struct SyntheticLandscape: Sendable {
    /// The space scored.
    public let space: SearchSpace
    /// The seed choosing the table.
    public let seed: UInt64
    /// Standard deviation of the per-decision effects.
    public let mainEffect: Double
    /// Standard deviation of the pairwise interactions.
    public let interaction: Double
    /// Standard deviation of the per-architecture noise.
    public let noise: Double

    private let counts: [Int]
    private let scale: Double

    /// A landscape over `space`. Throws if a decision has more values than fit in an `Int`, or a scale is
    /// negative or not finite.
    public init(space: SearchSpace, seed: UInt64 = 0, mainEffect: Double = 1.0, interaction: Double = 0.5,
                noise: Double = 0.1) throws {
        for (label, s) in [("mainEffect", mainEffect), ("interaction", interaction), ("noise", noise)]
        where !(s >= 0 && s.isFinite) {
            throw DiagnosticError(.error("synthetic landscape: \(label) must be a finite number >= 0, got \(s)"))
        }
        var counts: [Int] = []
        for d in space.decisions {
            guard let c = Int(exactly: d.kind.choiceCount) else {
                throw DiagnosticError(.error(
                    "synthetic landscape: decision '\(d.label)' has \(d.kind.choiceCount) values, too many to score",
                    at: d.locations.first ?? .unknown))
            }
            counts.append(c)
        }
        self.space = space
        self.seed = seed
        self.mainEffect = mainEffect
        self.interaction = interaction
        self.noise = noise
        self.counts = counts
        let n = Double(counts.count)
        let variance = n * mainEffect * mainEffect + n * (n - 1) / 2 * interaction * interaction + noise * noise
        self.scale = variance > 0 ? variance.squareRoot() : 1
    }

    /// The score of `arch`; throws the validation diagnostics if it is not an architecture of the space.
    public func score(_ arch: Architecture) throws -> Double {
        var ranks: [Int] = []
        for d in space.decisions {
            guard let v = arch[d.label], let r = d.kind.rank(of: v), let i = Int(exactly: r) else {
                try space.validate(arch)
                throw DiagnosticError(.error("architecture is not a point of this search space"))
            }
            ranks.append(i)
        }
        if arch.decisions.count != ranks.count { try space.validate(arch) }
        return score(ranks: ranks)
    }

    /// The score of the architecture with these decision ranks.
    func score(ranks: [Int]) -> Double {
        var total = 0.0
        for d in ranks.indices {
            total += mainEffect * Self.normal(seed, [1, UInt64(d), UInt64(ranks[d])])
        }
        if interaction != 0 {
            for d in ranks.indices {
                for e in ranks.indices where e > d {
                    total += interaction * Self.normal(seed, [2, UInt64(d), UInt64(e), UInt64(ranks[d]), UInt64(ranks[e])])
                }
            }
        }
        if noise != 0 { total += noise * Self.normal(seed, [3] + ranks.map { UInt64($0) }) }
        return 1 / (1 + Foundation.exp(-total / scale))
    }

    /// The best architecture and its score, by scoring every architecture (ties: the lowest index).
    /// Throws if the space has more than `limit` architectures.
    public func optimum(limit: Int = 1_000_000) throws -> (architecture: Architecture, score: Double) {
        let size = space.size
        guard size <= BigInt(limit) else {
            throw DiagnosticError(.error("synthetic landscape: the space has \(size) architectures, more than the \(limit) "
                + "that can be scored to find the optimum"))
        }
        var ranks = [Int](repeating: 0, count: counts.count)
        var best = (ranks: ranks, score: -Double.infinity)
        guard !counts.contains(0) else { throw DiagnosticError(.error("synthetic landscape: the space is empty")) }
        while true {
            let s = score(ranks: ranks)
            if s > best.score { best = (ranks, s) }
            // Odometer, last decision fastest (the order of allArchitectures()).
            var d = counts.count - 1
            while d >= 0 {
                ranks[d] += 1
                if ranks[d] < counts[d] { break }
                ranks[d] = 0
                d -= 1
            }
            if d < 0 { break }
        }
        var arch = Architecture()
        for (d, r) in zip(space.decisions, best.ranks) { arch[d.label] = d.kind.value(atRank: BigInt(r)) }
        return (arch, best.score)
    }

    /// A standard normal number determined by `seed` and `words` (Box-Muller on two hashed uniforms).
    static func normal(_ seed: UInt64, _ words: [UInt64]) -> Double {
        var acc = mix64(seed ^ 0x6c61_6e64_7363_6170)  // "landscap"
        for w in words { acc = mix64(acc ^ w) &+ 0x9E37_79B9_7F4A_7C15 }
        let u1 = (Double(mix64(acc) >> 11) + 0.5) * 0x1.0p-53
        let u2 = Double(mix64(acc ^ 0xA5A5_A5A5_A5A5_A5A5) >> 11) * 0x1.0p-53
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// The benchmark space used by the strategy tests: 5 decisions, 3,840 architectures —
    /// `op` (6 candidates), `width` (16, 32, 64, 128), `depth` (1...4), `skip` (2 of 5 inputs, 10 ways),
    /// `act` (4 candidates).
    public static var benchmarkSpace: SearchSpace {
        SearchSpace(decisions: [
            Decision(label: "op", kind: .layerChoice(candidates: ["conv3", "conv5", "sep3", "sep5", "maxpool", "skip"])),
            Decision(label: "width", kind: .valueChoice(values: [.int(16), .int(32), .int(64), .int(128)])),
            Decision(label: "depth", kind: .repeatDepth(depths: [1, 2, 3, 4])),
            Decision(label: "skip", kind: .inputChoice(nCandidates: 5, nChosen: 2)),
            Decision(label: "act", kind: .layerChoice(candidates: ["relu", "gelu", "tanh", "sigmoid"])),
        ])
    }
}
