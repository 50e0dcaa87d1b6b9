// SupernetTests: one-shot supernets — identity with the specialized subnet (DARTS one-hot alpha and sampled
// selection, forward and backward), DARTS alpha gradient against finite differences, sampled steps that leave
// unselected weights and optimizer state untouched, and unsupported inputs reported as located errors.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetTests {
    /// A stem conv feeding a layer choice (two convs and a skip), an input choice, and a classifier.
    static let spaceText = """
    space "tiny" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [conv3 = @conv3, conv1 = @conv1, skip = @skip]}
      %r = sigmoid(%c)
      %k = input_choice(%r, %s) {label = "in", n_chosen = 1, reduction = sum}
      %f = flatten(%k)
      %o = linear(%f) {out = 3}
      return %o
    }

    graph @conv3(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %t = tanh(%y)
      return %t
    }

    graph @conv1(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 1}
      return %y
    }

    graph @skip(%x: f32[N,2,6,6]) {
      return %x
    }
    """

    static let ops = ["conv3", "conv1", "skip"]
    let x = randomFloats(4 * 36, seed: 5)
    let labels: [Int64] = [0, 1, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "tiny.nir") }

    /// The subnet of (op k, input j), trained with the given options.
    func subnet(op k: Int, input j: Int, options: PlanOptions = PlanOptions()) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(Self.ops[k]), "in": .inputs([j])]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true, options: options)
    }

    /// Copies every subnet parameter into the supernet (candidate `k`'s weights live under `c.<k>.`).
    func share(from sub: Executor, to sup: Executor, op k: Int) throws {
        for name in sub.parameterNames {
            let target = name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name
            try sup.setParameter(target, try #require(sub.parameter(name)))
        }
    }

    func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    @Test(arguments: [(0, 0), (1, 0), (2, 1), (0, 1)])
    func dartsOneHotAlphaMatchesTheSubnet(op k: Int, input j: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        let sub = try Executor(plan: try subnet(op: k, input: j), seed: 3)
        try share(from: sub, to: sup, op: k)
        // softmax of (0, -1e4, ...) is exactly one-hot in f32.
        try sup.setParameter("arch:op", (0..<3).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:in", (0..<2).map { $0 == j ? 0 : -1e4 })
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-6 * max(1, abs(l2)))
        #expect(close(sup.output, sub.output))
        for name in sub.parameterNames {
            let target = name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name
            #expect(close(try #require(sup.gradient(of: target)), try #require(sub.gradient(of: name))), "gradient of \(name)")
        }
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 0), (2, 1)])
    func sampledSelectionMatchesTheSubnet(op k: Int, input j: Int) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        #expect(plan.selectors.map(\.label) == ["op", "in"])
        #expect(plan.selectors[0].candidates == Self.ops)
        let sup = try Executor(plan: plan, seed: 7)
        let sub = try Executor(plan: try subnet(op: k, input: j), seed: 3)
        try share(from: sub, to: sup, op: k)
        try sup.select(["op": k, "in": j])
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(l1 == l2)
        #expect(sup.output == sub.output)
        for name in sub.parameterNames {
            let target = name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name
            #expect(close(try #require(sup.gradient(of: target)), try #require(sub.gradient(of: name))), "gradient of \(name)")
        }
    }

    @Test func sampledStepLeavesUnselectedWeightsAndOptimizerStateUnchanged() throws {
        let opts = PlanOptions.sgd(lr: 0.1, momentum: 0.9, weightDecay: 0.01)
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled, options: opts), seed: 7)
        try sup.select(["op": 1, "in": 0])
        let before = Dictionary(uniqueKeysWithValues: sup.plan.slots.filter { $0.role.isPersistent }.map { ($0.name, sup.parameter($0.name)!) })
        for _ in 0..<2 { try sup.trainStep(data: x, labels: labels, batch: 4) }
        for (name, old) in before {
            let now = try #require(sup.parameter(name))
            if name.hasPrefix("c.0.") || name.hasPrefix("c.2.") {
                #expect(now == old, "\(name) changed although its candidate was not selected")
            } else if name.hasPrefix("c.1.") && !name.hasSuffix("optimizer_state") {
                #expect(now != old, "\(name) of the selected candidate did not train")
            }
        }
        #expect(sup.plan.steps.contains { $0.guardedBy != nil })
    }

    @Test func memoryPlannedSupernetsComputeTheSame() throws {
        for mode in [SupernetMode.sampled, .darts] {
            let plain = try Executor(plan: try SupernetCompiler.compile(try space(), mode: mode), seed: 7)
            let planned = try Executor(plan: try SupernetCompiler.compile(try space(), mode: mode, memoryPlan: MemoryPlan()), seed: 7)
            for k in 0..<3 {
                if mode == .sampled { try plain.select(["op": k, "in": k % 2]); try planned.select(["op": k, "in": k % 2]) }
                let l1 = try plain.computeGradients(data: x, labels: labels, batch: 4)
                let l2 = try planned.computeGradients(data: x, labels: labels, batch: 4)
                #expect(l1 == l2 && plain.output == planned.output, "\(mode) candidate \(k)")
                // Unselected candidates' gradient slots hold stale values (their steps are skipped); compare the rest.
                let skipped = mode == .sampled ? (0..<3).filter { $0 != k }.map { "c.\($0)." } : []
                for name in plain.parameterNames where !skipped.contains(where: { name.hasPrefix($0) }) { #expect(plain.gradient(of: name) == planned.gradient(of: name), "\(mode) \(name)") }
            }
        }
    }

    @Test func dartsAlphaGradientMatchesFiniteDifferences() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 11)
        let alpha: [Float] = [0.3, -0.2, 0.1]
        try sup.setParameter("arch:op", alpha)
        try sup.setParameter("arch:in", [0.2, -0.1])
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let grad = try #require(sup.gradient(of: "arch:op"))
        let eps: Float = 1e-2
        for i in 0..<3 {
            var a = alpha; a[i] += eps
            try sup.setParameter("arch:op", a)
            let up = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            a[i] -= 2 * eps
            try sup.setParameter("arch:op", a)
            let down = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            let fd = (up - down) / (2 * eps)
            #expect(abs(fd - grad[i]) <= 2e-3 + 2e-2 * abs(fd), "alpha[\(i)]: finite difference \(fd), autodiff \(grad[i])")
        }
        #expect(grad.contains { $0 != 0 }, "\(grad)")
    }

    @Test func planRoundTripsThroughProtobuf() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        let darts = try SupernetCompiler.compile(try space(), mode: .darts)
        for p in [plan, darts] {
            guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(p), file: "p.pb") else {
                Issue.record("not a plan payload"); continue
            }
            #expect(back == p)
        }
    }

    @Test func unsupportedChoicesAreLocatedErrors() throws {
        let text = """
        space "r" version 1 root @main
        value_choice "p" [0.1, 0.2]
        graph @main(%x: f32[N,4]) {
          %r = dropout(%x) {p = $p} loc("r.nas":3:4)
          %o = linear(%r) {out = 2}
          return %o
        }
        """
        let s = try TextIR.parse(text, file: "r.nir")
        #expect(throws: DiagnosticError.self) { try SupernetCompiler.compile(s, mode: .darts) }
        do { _ = try SupernetCompiler.compile(s, mode: .darts) } catch let e as DiagnosticError {
            #expect(e.diagnostics.contains { $0.message.contains("attribute 'p'") && $0.message.contains("$p") && $0.location.line == 3 })
        }
        let bogus = #expect(throws: DiagnosticError.self) { try Pipelines.resolve("supernet-space{mode=bogus}") }
        #expect(bogus?.diagnostics.first?.message == "option mode=bogus of 'supernet-space' must be one of darts, gumbel, sampled, proxyless")
    }
}
