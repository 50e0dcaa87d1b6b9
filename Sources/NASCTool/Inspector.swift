// Inspector: the report `nasc inspect` prints — graphs, op counts, decisions, space size and cost ranges.
import BigInt
import Foundation
import NASCIR
import NASCPasses

/// A summary of a model space for humans.
public struct Inspector {
    /// Enumerate every architecture for cost ranges when the space has at most this many; sample otherwise.
    public var exhaustiveLimit = 4096
    /// Architectures sampled (seeded) for cost ranges of larger spaces.
    public var samples = 256
    /// Seed for sampling.
    public var seed: UInt64 = 0

    /// Creates an inspector with default limits.
    public init() {}

    /// Parameter and FLOP ranges over the architectures examined.
    public struct CostRange: Sendable, Equatable {
        public var minParams: Int, maxParams: Int
        public var minFlops: Int, maxFlops: Int
        /// How many architectures were costed.
        public var examined: Int
        /// True when every architecture of the space was costed.
        public var exhaustive: Bool
        /// Architectures whose cost could not be computed (untyped or invalid subnet).
        public var failed: Int
        /// Why the first of them failed to specialize (nil when they specialized but have no fixed shapes).
        public var firstFailure: String? = nil
    }

    /// The full report as text: the summary first (decisions, space size, cost ranges), then the details (graphs,
    /// op counts, every decision), so a large space's overview is not buried under its listing.
    public func report(_ space: ModelSpace) throws -> String {
        // A space `nasc compile` rejects is no valid space to inspect either: run the same default pipeline first.
        _ = try Compiler(pipeline: "default").run(space)
        let searchSpace = try SearchSpace(space)
        var out = "space \"\(space.name)\" (root @\(space.root))\n"
        out += "decisions: \(searchSpace.decisions.count)\n"
        out += "space size: \(searchSpace.size) architectures (log10 \(String(format: "%.2f", searchSpace.log10Size)))\n"
        var failure: String?
        if let r = costRange(space, searchSpace, firstFailure: &failure) {
            let how = r.exhaustive ? "over all \(r.examined) architectures"
                : "over \(r.examined) sampled architectures (seed \(seed)); the true range may be wider"
            out += "parameters: \(group(r.minParams)) .. \(group(r.maxParams)) \(how)\n"
            out += "FLOPs per sample: \(group(r.minFlops)) .. \(group(r.maxFlops)) \(how)\n"
            if r.failed > 0 { out += "cost unknown for \(r.failed) architectures (\(r.firstFailure ?? "shapes not fixed"))\n" }
        } else if let why = failure {
            out += "parameters, FLOPs: unknown (no architecture specializes: \(why))\n"
        } else {
            out += "parameters, FLOPs: unknown (shapes are not fixed; give the root graph typed inputs)\n"
        }
        var opCounts: [String: Int] = [:]
        for g in space.graphs { for n in g.nodes { opCounts[n.op.kind.rawValue, default: 0] += 1 } }
        out += "ops: " + opCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", ") + "\n"
        out += "\ndecision list:\n"
        let width = searchSpace.decisions.map(\.label.count).max() ?? 0
        for d in searchSpace.decisions {
            let where_ = d.locations.first.map { "  (\($0))" } ?? ""
            out += "  \(d.label.padding(toLength: width, withPad: " ", startingAt: 0))  \(d.kind.summary)\(where_)\n"
        }
        let reachable = space.reachableGraphs
        out += "\ngraphs: \(space.graphs.count) (\(reachable.count) reachable from the root)\n"
        for g in space.graphs {
            let inputs = g.inputs.map { "%\($0.name): \($0.type)" }.joined(separator: ", ")
            out += "  @\(g.name)(\(inputs)): \(g.nodes.count) nodes\n"
        }
        return out
    }

    /// The most work (architectures costed times the space's nodes and value-choice values) one report spends on
    /// cost ranges.
    public static let maxCostWork = 2_000_000

    /// Cost range over all architectures (small spaces) or a seeded sample; `nil` when no architecture could be costed.
    public func costRange(_ space: ModelSpace, _ searchSpace: SearchSpace) -> CostRange? {
        var ignored: String?
        return costRange(space, searchSpace, firstFailure: &ignored)
    }

    /// ``costRange(_:_:)``, also giving why the first architecture that failed to specialize failed.
    func costRange(_ space: ModelSpace, _ searchSpace: SearchSpace, firstFailure: inout String?) -> CostRange? {
        var archs: [Architecture] = []
        let exhaustive = searchSpace.size <= BigInt(exhaustiveLimit)
        if exhaustive {
            archs = Array(searchSpace.allArchitectures())
        } else {
            var rng = SplitMix64(seed: seed)
            for _ in 0..<samples { archs.append(searchSpace.randomArchitecture(using: &rng)) }
        }
        // Work bound: costing specializes the whole space once per architecture; stop after about
        // `maxCostWork` node visits so that no space makes `inspect` run for long.
        // (Specializing copies the space, its value-choice lists included.)
        let size = max(1, space.graphs.reduce(0) { $0 + $1.nodes.count } + space.valueChoices.reduce(0) { $0 + $1.values.count })
        let affordable = max(1, Self.maxCostWork / size)
        let truncated = archs.count > affordable
        if truncated { archs = Array(archs.prefix(affordable)) }
        var range: CostRange?
        var failed = 0
        for arch in archs {
            let fixed: ModelSpace
            do { fixed = try SpecializePass.specialize(space, with: arch) } catch {
                if firstFailure == nil {
                    firstFailure = (error as? DiagnosticError)?.diagnostics.first?.message ?? "\(error)"
                }
                failed += 1
                continue
            }
            guard let c = OpCost.graphCost(graph: fixed.root, in: fixed) else {
                failed += 1
                continue
            }
            if var r = range {
                r.minParams = min(r.minParams, c.params); r.maxParams = max(r.maxParams, c.params)
                r.minFlops = min(r.minFlops, c.flops); r.maxFlops = max(r.maxFlops, c.flops)
                r.examined += 1
                range = r
            } else {
                range = CostRange(minParams: c.params, maxParams: c.params, minFlops: c.flops, maxFlops: c.flops,
                                  examined: 1, exhaustive: exhaustive && !truncated, failed: 0)
            }
        }
        range?.failed = failed
        range?.firstFailure = firstFailure
        return range
    }

    /// `1234567` -> `1,234,567`.
    func group(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
