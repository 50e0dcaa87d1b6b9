// OneShotExport: shared pieces of the differentiable one-shot strategies — alpha init, probabilities, argmax export.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// Architecture-weight helpers shared by DARTS, GumbelDARTS and Proxyless.
public enum OneShotExport {
    /// Softmax of a vector, in double precision.
    public static func softmax(_ a: [Float]) -> [Double] {
        guard let m = a.max() else { return [] }
        let e = a.map { Foundation.exp(Double($0 - m)) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// `std * N(0, 1)` values (NNI initializes alpha as `1e-3 * randn`), seeded by `seed` and the parameter name.
    public static func normal(count: Int, std: Double, seed: UInt64, name: String) -> [Float] {
        var rng = SeededGenerator(seed: SeededGenerator.derive(seed, 0xA1FA, stableHash(name)))
        return (0..<count).map { _ in Float(std * rng.nextNormal()) }
    }

    /// FNV-1a of the UTF-8 bytes (the same in every process, unlike `hashValue`).
    public static func stableHash(_ s: String) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(bitPattern: UInt(h))
    }

    /// Sets every architecture parameter of an executor to `std * randn` (seeded); `std = 0` leaves zeros.
    public static func initializeAlphas(_ executor: Executor, std: Double, seed: UInt64) throws {
        for name in executor.architectureParameterNames {
            let n = executor.parameter(name)?.count ?? 0
            try executor.setParameter(name, std == 0 ? [Float](repeating: 0, count: n) : normal(count: n, std: std, seed: seed, name: name))
        }
    }

    /// The architecture chosen by per-label probabilities: argmax for layer choices, value choices (over the values)
    /// and repeats (over the depths), the top `n_chosen` (ascending indices) for input choices. A decision without probabilities takes its first candidate(s).
    /// `cells` (from ``cellDecisions(_:probabilities:)``) overrides the decisions of relaxed cells.
    public static func architecture(_ searchSpace: SearchSpace, probabilities probs: [String: [Double]],
                                    cells: [String: DecisionValue] = [:]) throws -> Architecture {
        var values: [String: DecisionValue] = [:]
        for d in searchSpace.decisions {
            if let v = cells[d.label] { values[d.label] = v; continue }
            let p = probs[d.label] ?? []
            let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
            switch d.kind {
            case .layerChoice(let names):
                values[d.label] = .candidate(names[order.first ?? 0])
            case .inputChoice(let n, let k):
                let chosen = order.isEmpty ? Array(0..<min(k ?? 1, n)) : Array(order.prefix(k ?? 1))
                values[d.label] = .inputs(chosen.sorted())
            case .valueChoice(let vs):
                values[d.label] = .value(vs[order.first.map { $0 < vs.count ? $0 : 0 } ?? 0])
            case .repeatDepth(let ds):
                values[d.label] = .value(.int(ds[order.first.map { $0 < ds.count ? $0 : 0 } ?? 0]))
            }
        }
        let arch = Architecture(values)
        try searchSpace.validate(arch)
        return arch
    }

    /// The architecture `probs` pick in `space`: ``architecture(_:probabilities:cells:)`` with the relaxed cells'
    /// decisions from ``cellDecisions(_:probabilities:)``.
    public static func architecture(_ space: ModelSpace, _ searchSpace: SearchSpace, probabilities probs: [String: [Double]]) throws -> Architecture {
        try architecture(searchSpace, probabilities: probs, cells: cellDecisions(space, probabilities: probs))
    }

    /// The `op_i_k` / `input_i_k` decisions of every relaxed cell of `space`, from the per-edge probabilities
    /// (labels `<cell>/i_j`), as NNI's `DifferentiableMixedCell` exports them (``SupernetCellExport``).
    public static func cellDecisions(_ space: ModelSpace, probabilities probs: [String: [Double]]) -> [String: DecisionValue] {
        SupernetCellExport.decisions(space: space) { label in probs[label]?.map { Float($0) } }
    }

    /// Number of layer-choice decisions whose most probable candidate is a skip connection (recognised by structure:
    /// ``CandidateRoles/skipNames(_:)``).
    public static func skipArgmaxCount(_ space: ModelSpace, _ searchSpace: SearchSpace, probabilities probs: [String: [Double]]) -> Int {
        let skips = CandidateRoles.skipNames(space)
        var count = 0
        for d in searchSpace.decisions {
            guard case .layerChoice(let names) = d.kind, let p = probs[d.label], !p.isEmpty,
                  let best = p.indices.max(by: { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }) else { continue }
            if skips[d.label]?.contains(names[best]) == true { count += 1 }
        }
        return count
    }
}
