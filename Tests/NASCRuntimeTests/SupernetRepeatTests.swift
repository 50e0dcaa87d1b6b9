// SupernetRepeatTests: repeat as depth-gated blocks — at a one-hot alpha (darts) or a fixed depth (sampled) the
// supernet computes what the specialized subnet of that depth computes, forward and backward; the alpha gradient
// matches finite differences; a sampled step never computes (nor trains) the blocks beyond the selected depth.
import Testing
import NASCIR
@testable import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetRepeatTests {
    static let spaceText = """
    space "rp" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %r = repeat(%s) {label = "d", depths = [0, 1, 3], blocks = [@b0, @b1, @b2]}
      %g = global_avg_pool(%r)
      %o = linear(%g) {out = 3}
      return %o
    }

    graph @b0(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %t = tanh(%y)
      return %t
    }

    graph @b1(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 1}
      %t = tanh(%y)
      return %t
    }

    graph @b2(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %b = batch_norm(%y)
      %t = relu(%b)
      return %t
    }
    """

    static let depths = [0, 1, 3]
    let x = randomFloats(4 * 36, seed: 9)
    let labels: [Int64] = [2, 0, 1, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "rp.nir") }

    func subnet(depth k: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["d": .value(.int(Self.depths[k]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// Subnet block `r.<i>.…` (0-based) is supernet block `r.from<j>.<i+1>.…`, `j` the first depth index >= i + 1.
    static func rename(_ name: String) -> String {
        guard name.hasPrefix("r."), let dot = name.dropFirst(2).firstIndex(of: "."), let i = Int(name[name.index(name.startIndex, offsetBy: 2)..<dot]) else {
            return name
        }
        let j = depths.firstIndex { $0 >= i + 1 } ?? 0
        return "r.from\(j).\(i + 1)" + name[dot...]
    }

    func compare(_ sup: Executor, depth k: Int) throws {
        let sub = try Executor(plan: try subnet(depth: k), seed: 3)
        _ = try SupernetCheck.share(from: sub, to: sup, rename: Self.rename)
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-6 * max(1, abs(l2)), "loss \(l1) vs \(l2)")
        #expect(SupernetCheck.close(sup.output, sub.output))
        for name in sub.parameterNames {
            #expect(SupernetCheck.close(try #require(sup.gradient(of: Self.rename(name))), try #require(sub.gradient(of: name))),
                    "gradient of \(name) at depth \(Self.depths[k])")
        }
    }

    @Test(arguments: [0, 1, 2])
    func dartsOneHotAlphaMatchesTheSubnet(depth k: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        try sup.setParameter("arch:d", (0..<3).map { $0 == k ? 0 : -1e4 })
        try compare(sup, depth: k)
    }

    @Test(arguments: [0, 1, 2])
    func sampledSelectionMatchesTheSubnet(depth k: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        try sup.select(["d": k])
        try compare(sup, depth: k)
    }

    @Test func dartsAlphaGradientMatchesFiniteDifferences() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 11)
        let alpha: [Float] = [0.2, -0.1, 0.3]
        try sup.setParameter("arch:d", alpha)
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let grad = try #require(sup.gradient(of: "arch:d"))
        #expect(grad.contains { $0 != 0 })
        let eps: Float = 1e-2
        for i in alpha.indices {
            var a = alpha; a[i] += eps
            try sup.setParameter("arch:d", a)
            let up = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            a[i] -= 2 * eps
            try sup.setParameter("arch:d", a)
            let down = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            let fd = (up - down) / (2 * eps)
            #expect(abs(fd - grad[i]) <= 2e-3 + 2e-2 * abs(fd), "alpha[\(i)]: finite difference \(fd), autodiff \(grad[i])")
        }
    }

    /// Output slots of the steps lowered from blocks deeper than the selected depth are never written during a
    /// sampled training step (poisoned with NaN before, still NaN after), and those blocks' weights do not change.
    @Test func sampledStepSkipsBlocksBeyondTheSelectedDepth() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled, options: PlanOptions.sgd(lr: 0.1))
        let sup = try Executor(plan: plan, seed: 7)
        #expect(plan.selectors.map(\.candidates) == [["0", "1", "3"]])
        #expect(plan.listing.contains("[r.from2.3.y] slots") && plan.listing.contains("if d >= 3"))
        let deep = plan.steps.indices.filter { plan.steps[$0].node.hasPrefix("r.from2.") }
        #expect(!deep.isEmpty)
        #expect(deep.allSatisfy { plan.steps[$0].guardedBy?.conditions == [GuardCondition(selector: 0, candidate: 2, atLeast: true)] })
        for selected in [0, 1] {
            try sup.select(["d": selected])
            // Activations of the deep blocks (forward outputs and backward gradients).
            let deepSet = Set(deep)
            let slots = Set(deep.flatMap { SupernetGuards.written(plan.steps[$0].kernel) }).filter { s in
                !plan.slots[s].role.isPersistent
                    && plan.steps.indices.allSatisfy { deepSet.contains($0) || !SupernetGuards.written(plan.steps[$0].kernel).contains(s) }
            }
            #expect(!slots.isEmpty)
            try sup.forward(data: x, batch: 4, mode: .train)
            for s in slots { let p = sup.memory.f32(s); for i in 0..<sup.memory.counts[s] { p[i] = Float.nan } }
            let weights = sup.parameterNames.filter { $0.hasPrefix("r.from2.") }
            let before = weights.map { sup.parameter($0) }
            let loss = try sup.trainStep(data: x, labels: labels, batch: 4)
            #expect(loss.isFinite)
            for s in slots {
                let p = sup.memory.f32(s)
                #expect((0..<sup.memory.counts[s]).allSatisfy { p[$0].isNaN }, "\(plan.slots[s].name) was written at depth \(Self.depths[selected])")
            }
            #expect(weights.map { sup.parameter($0) } == before)
        }
        // Selecting the deepest choice runs them.
        try sup.select(["d": 2])
        let before = try #require(sup.parameter("r.from2.3.y.weight"))
        try sup.trainStep(data: x, labels: labels, batch: 4)
        #expect(try #require(sup.parameter("r.from2.3.y.weight")) != before)
    }

    @Test func badRepeatsAreLocatedErrors() throws {
        let text = """
        space "r" version 1 root @main
        graph @main(%x: f32[N,4]) {
          %r = repeat(%x) {label = "d", depths = [1, 2], blocks = [@b, @w]} loc("r.nas":3:4)
          %o = linear(%r) {out = 2}
          return %o
        }
        graph @b(%x: f32[N,4]) {
          %y = linear(%x) {out = 4}
          return %y
        }
        graph @w(%x: f32[N,4]) {
          %y = linear(%x) {out = 5}
          return %y
        }
        """
        let s = try TextIR.parse(text, file: "r.nir")
        #expect(throws: DiagnosticError.self) { try SupernetCompiler.compile(s, mode: .darts) }
        do { _ = try SupernetCompiler.compile(s, mode: .darts) } catch let e as DiagnosticError {
            #expect(e.diagnostics.contains { $0.location.file == "r.nas" && $0.location.line == 3 }, "\(e.diagnostics)")
        }
        var descending = try TextIR.parse(text.replacingOccurrences(of: "depths = [1, 2]", with: "depths = [2, 1]"), file: "r.nir")
        var ctx = PassContext()
        try SupernetPass().run(on: &descending, context: &ctx)
        #expect(ctx.diagnostics.diagnostics.contains { $0.message.contains("ascending") && $0.location.line == 3 })
    }
}
