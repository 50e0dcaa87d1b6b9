// BenchSupernet: benchmark model (b) — the DARTS-style mixed-op stack compiled from text IR by the supernet pass,
// and the Adam step on its architecture parameters (torch_ref.py's second optimizer).
import Foundation
import NASCIR
import NASCPasses
import NASCRuntime

/// Model (b): `scripts/bench/bench_b_supernet.nir` through `SupernetCompiler.compile(_, mode: .darts)`.
enum BenchSupernet {
    /// The input shape `[C, H, W]`.
    static let input = [3, 32, 32]

    /// Parses the space and compiles its DARTS supernet plan (memory-planned).
    static func compile(_ path: String, training: Bool, options: PlanOptions) throws -> Plan {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let space = try TextIR.parse(text, file: path)
        return try SupernetCompiler.compile(space, mode: .darts, training: training, options: options, memoryPlan: MemoryPlan())
    }

    /// Adam(lr 3e-4, PyTorch defaults) on the `arch:` parameters, with its state held here; the weights keep the
    /// plan's SGD. Call ``step(_:)`` after the gradients are computed.
    final class ArchAdam {
        let names: [String]
        let adam: Adam
        var state: [[Float]]
        var steps = 0
        /// Number of architecture parameters (torch_ref.py's alpha has 4 x 6).
        var count: Int

        init(_ exec: Executor, learningRate: Double = 3e-4, beta1: Double = 0.9, weightDecay: Double = 0) throws {
            names = exec.architectureParameterNames
            adam = try Adam(learningRate: learningRate, beta1: beta1, weightDecay: weightDecay)
            let sizes = names.map { exec.parameter($0)?.count ?? 0 }
            state = sizes.map { [Float](repeating: 0, count: 2 * $0) }
            count = sizes.reduce(0, +)
        }

        /// One Adam update of every architecture parameter from its current gradient.
        func step(_ exec: Executor) throws {
            steps += 1
            for (k, name) in names.enumerated() {
                guard var p = exec.parameter(name), let g = exec.gradient(of: name) else { continue }
                adam.step(parameter: &p, gradient: g, state: &state[k], step: steps)
                try exec.setParameter(name, p)
            }
        }
    }
}
