// ForwardExecutorTests: lowering a fixed graph and running its forward pass against hand-computed results.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct ForwardExecutorTests {
    /// The unfused inference plan of `space`: the `params` pipeline (leaving `space` with explicit parameters), then `lower`.
    func lowered(_ space: inout ModelSpace) throws -> Plan {
        var context = PassContext()
        try PassManager(pipeline: "params").runOrThrow(on: &space, context: &context)
        return try Lower.plan(for: space)
    }

    /// x[N,1,4,4] -> conv 1->2 k3 -> relu -> maxpool 2 -> flatten -> linear 2->3.
    func smallNet() -> ModelSpace {
        var b = GraphBuilder(input: .f(1, 4, 4))
        b.add("conv", .conv2d(convAttrs(2, 2)), ["x"], .f(2, 3, 3))
        b.add("act", .activation(.relu), ["conv"], .f(2, 3, 3))
        b.add("pool", .maxPool2d(Pool2DAttrs(kernel: .int(2), stride: .int(1))), ["act"], .f(2, 2, 2))
        b.add("flat", .flatten, ["pool"], .f(8))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["flat"], .f(3))
        return b.space(outputs: ["fc"])
    }

    @Test func lowersToForwardSteps() throws {
        var space = smallNet()
        let plan = try lowered(&space)
        #expect(plan.steps.map(\.kernel.name) == ["conv_forward", "relu_forward", "max_pool_forward", "linear_forward"])
        #expect(!plan.isTraining)
        #expect(plan.loss == nil)
        // Parameters became explicit param nodes with PyTorch names and initializers.
        let params = plan.slots.filter { $0.role == .parameter }
        #expect(params.map(\.name) == ["conv.weight", "conv.bias", "fc.weight", "fc.bias"])
        #expect(params[0].initializer == .kaimingUniform(fanIn: 4))
        #expect(params[2].initializer == .kaimingUniform(fanIn: 8))
        #expect(space.rootGraph?.node(named: "conv")?.inputs.count == 3)
        // Flatten shares its input's slot: no copy step.
        #expect(plan.slots[plan.logits].size == SymbolicSize(perSample: 3))
        try plan.validate()
    }

    @Test func forwardMatchesHandComputation() throws {
        var space = smallNet()
        let exec = try Executor(plan: try lowered(&space), seed: 7)
        let n = 2
        let x = randomFloats(n * 16, seed: 1)
        let cw = try #require(exec.parameter("conv.weight")), cb = try #require(exec.parameter("conv.bias"))
        let fw = try #require(exec.parameter("fc.weight")), fb = try #require(exec.parameter("fc.bias"))
        // Seeded init stays inside PyTorch's bound 1/sqrt(fan_in).
        #expect(cw.allSatisfy { abs($0) <= 0.5 } && fw.allSatisfy { abs($0) <= 1 / Float(8).squareRoot() })
        #expect(Set(cw).count == cw.count)
        try exec.forward(data: x, batch: n)

        var c = naiveConv(x, n: n, c: 1, h: 4, w: 4, weight: cw, bias: cb, o: 2, k: 2).map { max($0, 0) }
        var pooled: [Float] = []
        for p in 0..<(n * 2) { for i in 0..<2 { for j in 0..<2 {
            pooled.append([c[p * 9 + i * 3 + j], c[p * 9 + i * 3 + j + 1], c[p * 9 + (i + 1) * 3 + j], c[p * 9 + (i + 1) * 3 + j + 1]].max()!)
        } } }
        c = naiveLinear(pooled, rows: n, fin: 8, weight: fw, bias: fb, fout: 3)
        #expect(maxDiff(exec.output, c) < 1e-5)
    }

    @Test func handSetWeightsGiveExactOutput() throws {
        // x[N,2] -> linear 2->2 -> softmax; weights set by hand.
        var b = GraphBuilder(input: .f(2))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2))), ["x"], .f(2))
        b.add("sm", .softmax(axis: -1), ["fc"], .f(2))
        var space = b.space(outputs: ["sm"])
        let exec = try Executor(plan: try lowered(&space))
        try exec.setParameter("fc.weight", [1, 0, 0, 1])
        try exec.setParameter("fc.bias", [0, 1])
        try exec.forward(data: [1, 1, 0, 0], batch: 2)
        let e = Float(2.718281828459045)
        // Row 1: logits [1, 2]; row 2: logits [0, 1]. Both softmax to [1/(1+e), e/(1+e)].
        let want: [Float] = [1 / (1 + e), e / (1 + e), 1 / (1 + e), e / (1 + e)]
        #expect(maxDiff(exec.output, want) < 1e-6)
    }

    @Test func batchSizeCanChange() throws {
        var space = smallNet()
        let exec = try Executor(plan: try lowered(&space), seed: 3)
        let x = randomFloats(3 * 16, seed: 9)
        try exec.forward(data: x, batch: 3)
        let three = exec.output
        try exec.forward(data: Array(x[0..<16]), batch: 1)
        #expect(exec.output == Array(three[0..<3]))
        #expect(exec.batchSize == 1)
    }

    @Test func badInputsAreDiagnostics() throws {
        var space = smallNet()
        let exec = try Executor(plan: try lowered(&space))
        #expect(throws: DiagnosticError.self) { try exec.forward(data: [1, 2, 3], batch: 1) }
        #expect(throws: DiagnosticError.self) { try exec.forward(data: [], batch: 0) }
        #expect(throws: DiagnosticError.self) { try exec.setParameter("nope", []) }
        #expect(throws: DiagnosticError.self) { try exec.setParameter("fc.bias", [1]) }
    }

    @Test func choicesAndMissingTypesAreRejected() throws {
        var b = GraphBuilder(input: .f(4))
        b.add("c", .layerChoice(LayerChoiceOp(label: "l", candidates: [NamedGraph(name: "a", graph: "g")])), ["x"], .f(4))
        let space = b.space(outputs: ["c"])
        let e = #expect(throws: DiagnosticError.self) { try Lower.plan(for: space) }
        #expect(e?.description.contains("run specialize and inline first") == true)

        var u = GraphBuilder(input: .f(4))
        u.graph.nodes.append(Node(name: "r", op: .activation(.relu), inputs: [ValueRef("x")]))
        let untyped = u.space(outputs: ["r"])
        let e2 = #expect(throws: DiagnosticError.self) { try Lower.plan(for: untyped) }
        #expect(e2?.description.contains("shape-infer") == true)
    }

    @Test func guardedStepsFollowTheSelection() throws {
        // A supernet switch: the relu step belongs to candidate 1 of selector 0; under candidate 0 it is skipped.
        var b = GraphBuilder(input: .f(2))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(2), bias: false)), ["x"], .f(2))
        b.add("act", .activation(.relu), ["fc"], .f(2))
        var space = b.space(outputs: ["fc"])
        var plan = try lowered(&space)
        plan.selectors = [PlanSelector(label: "switch", candidates: ["plain", "relu"])]
        plan.steps.append(PlanStep(.activationForward(ActivationStep(function: .relu, input: plan.logits, output: plan.logits)),
                                   node: "act", guardedBy: StepGuard(selector: 0, candidate: 1)))
        plan.forwardSteps = 0..<plan.steps.count
        plan.backwardSteps = plan.steps.count..<plan.steps.count
        plan.updateSteps = plan.steps.count..<plan.steps.count
        let exec = try Executor(plan: plan)
        try exec.setParameter("fc.weight", [1, 0, 0, -1])
        exec.selection = [0]
        try exec.forward(data: [3, 4], batch: 1)
        #expect(exec.output == [3, -4])
        exec.selection = [1]
        try exec.forward(data: [3, 4], batch: 1)
        #expect(exec.output == [3, 0])
        guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "g.pb") else { Issue.record("no plan"); return }
        #expect(back == plan)
    }

    @Test func corruptPlansAreRejected() throws {
        var space = smallNet()
        var plan = try lowered(&space)
        plan.slots[0].size = SymbolicSize(perSample: 3)
        #expect(throws: DiagnosticError.self) { try Executor(plan: plan) }
        var plan2 = try lowered(&space)
        plan2.steps.append(PlanStep(.copy(CopyStep(source: 99, destination: 0))))
        #expect(throws: DiagnosticError.self) { try plan2.validate() }
    }
}
