// TrialCompileCountTests: a trial specializes and compiles its subnet once; the budget's cost reuses that subnet.
import Testing
import NASCExperiment
import NASCIR
import NASCPasses
@testable import NASCTool

@Suite struct TrialCompileCountTests {
    static let space = """
    space "t" version 1 root @main
    value_choice "w" [4, 8]

    graph @main(%x: f32[N,1,8,8]) {
      %c = conv2d(%x) {out = $w, kernel = 3, padding = 1}
      %r = layer_choice(%c) {label = "act", candidates = [relu = @relu, tanh = @tanh]}
      %g = global_avg_pool(%r)
      %o = linear(%g) {out = 10}
      return %o
    }

    graph @relu(%x: f32[N,8,8,8]) {
      %y = relu(%x)
      return %y
    }

    graph @tanh(%x: f32[N,8,8,8]) {
      %y = tanh(%x)
      return %y
    }
    """

    /// With a budget to check and a training evaluator, the shared timer sees one `specialize` (the subnet) and one
    /// `lower` (the training plan): costing and training reuse the one subnet.
    @Test func oneSpecializeAndOneCompilePerTrial() throws {
        let space = try TextIR.parse(Self.space, file: "t.nir")
        let arch = Architecture(["w": .value(.int(8)), "act": .candidate("tanh")])
        let json = try ArchitectureJSON.write(arch, space: try SearchSpace(space))
        let timer = PassTimer()
        var settings = TrainingSettings(data: "synthetic?count=12&test=2&shape=1x8x8&classes=10", epochs: 1, batchSize: 4)
        settings.threads = 1
        let runner = TrialRunner(evaluator: TrainingEvaluator(settings: settings, timer: timer),
                                 budget: Budget(maxParams: 1_000_000), timer: timer)
        var lines: [TrialMessage] = []
        let outcome = runner.run(loadSpace: { space }, architectureText: json, architecturePath: "a.json", startedAt: 0) { lines.append($0) }
        #expect(outcome.exitCode == 0, "\(lines)")
        let top = timer.entries.filter { $0.depth == 0 }.map(\.name)
        #expect(top.filter { $0 == "specialize" }.count == 1, "\(top)")
        #expect(top.filter { $0 == "lower" }.count == 1, "\(top)")
        #expect(top.filter { $0 == "autodiff" }.count == 1, "\(top)")
        // The budget was costed, from that subnet: conv 8*1*9+8, linear 8*10+10.
        guard case .overhead(_, _, _, _, let params, _) = lines.first else { Issue.record("no overhead line"); return }
        #expect(params == 80 + 90)
    }

    /// The typed cost of a subnet equals the cost inferred from scratch.
    @Test func typedCostEqualsInferredCost() throws {
        let space = try TextIR.parse(Self.space, file: "t.nir")
        let subnet = try PlanCompiler.subnet(space, Architecture(["w": .value(.int(8)), "act": .candidate("relu")]))
        let typed = try #require(subnet.rootGraph.flatMap(OpCost.typedGraphCost))
        #expect(typed == OpCost.graphCost(graph: subnet.root, in: subnet))
        #expect(typed.params == 170 && typed.flops > 0)
    }
}
