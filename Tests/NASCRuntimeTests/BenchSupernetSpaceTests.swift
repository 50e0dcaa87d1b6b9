// BenchSupernetSpaceTests: benchmark model (b), scripts/bench/bench_b_supernet.nir, compiles through the DARTS
// supernet pass into torch_ref.py's Supernet: same parameter count, a weighted sum per layer, gradients to alpha.
import Foundation
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct BenchSupernetSpaceTests {
    static func bench(_ file: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/bench/\(file)").path
    }
    static let path = bench("bench_b_supernet.nir")

    func plan(training: Bool, path: String = Self.path) throws -> Plan {
        let space = try TextIR.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        return try SupernetCompiler.compile(space, mode: .darts, training: training,
                                            options: PlanOptions.sgd(lr: 0.025, momentum: 0.9), memoryPlan: MemoryPlan())
    }

    @Test func parameterCountsMatchTorchRefSupernet() throws {
        let p = try plan(training: true)
        let params = p.slots.filter { $0.role == .parameter }
        let total = params.reduce(0) { $0 + $1.size.count(batch: 0) }
        // torch_ref.py Supernet(): stem 448 + BN 32 + 4 x (2320 + 6416 + 160 + 272) + alpha 24 + fc 170.
        #expect(total == 37_346)
        let arch = params.filter { $0.name.hasPrefix("arch:") }
        #expect(arch.map(\.name).sorted() == ["arch:layer_0", "arch:layer_1", "arch:layer_2", "arch:layer_3"])
        #expect(arch.allSatisfy { $0.size.count(batch: 0) == 6 })
        #expect(p.steps.filter { $0.kernel.name == "weighted_sum_forward" }.count == 4)
    }

    /// Model (b2), the 2-LayerChoice version timed on a whole DARTS step: torch_ref.py's Supernet(layers=2).
    @Test func twoChoiceVersionMatchesTorchRefSupernetWithTwoLayers() throws {
        let p = try plan(training: true, path: Self.bench("bench_b2_supernet.nir"))
        let params = p.slots.filter { $0.role == .parameter }
        // stem 448 + BN 32 + 2 x 9168 + alpha 12 + fc 170.
        #expect(params.reduce(0) { $0 + $1.size.count(batch: 0) } == 18_998)
        #expect(params.filter { $0.name.hasPrefix("arch:") }.map(\.name).sorted() == ["arch:layer_0", "arch:layer_1"])
    }

    @Test func oneStepGivesGradientsToEveryAlphaAndWeight() throws {
        let exec = try Executor(plan: try plan(training: true), seed: 0)
        let n = 2
        let x = randomFloats(n * 3 * 32 * 32, seed: 11)
        let loss = try exec.computeGradients(data: x, labels: [3, 7], batch: n)
        #expect(loss.isFinite && loss > 0)
        for name in exec.architectureParameterNames {
            let g = try #require(exec.gradient(of: name))
            #expect(g.count == 6 && g.contains { $0 != 0 }, "\(name): \(g)")
            // softmax: the alpha gradient of one layer sums to zero.
            #expect(abs(g.reduce(0, +)) < 1e-5)
        }
        for name in exec.parameterNames where name.hasSuffix(".weight") {
            let g = try #require(exec.gradient(of: name))
            #expect(g.contains { $0 != 0 }, "\(name) got no gradient")
        }
    }
}
