// SupernetValueChoiceTests: value choices on widths and kernel sizes in supernets — at a one-hot alpha (darts) or a
// fixed selection (sampled) the masked largest layers compute exactly what the specialized subnet computes with the
// sliced weights, forward and backward; masked weights get zero gradients; the alpha gradient matches finite
// differences; unsupported uses are located errors.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

/// Copies a small tensor into the leading (or, for `centre` dimensions, the central) block of a larger one. A
/// dimension split into `segments[d]` equal blocks (a recurrent layer's gate blocks, a bidirectional output's two
/// halves) maps each small block to the leading part of the matching large block.
struct TensorBlock {
    let small: [Int], large: [Int], offset: [Int], segments: [Int]

    init(small: [Int], large: [Int], centre: Set<Int>, segments: [Int: Int] = [:]) {
        self.small = small; self.large = large
        offset = small.indices.map { centre.contains($0) ? (large[$0] - small[$0]) / 2 : 0 }
        self.segments = small.indices.map { segments[$0] ?? 1 }
    }

    /// Flat index in the large tensor of every element of the small one (row-major).
    var indices: [Int] {
        let count = small.reduce(1, *)
        return (0..<count).map { k in
            var rest = k, flat = 0, stride = 1
            var coords = [Int](repeating: 0, count: small.count)
            for d in small.indices.reversed() {
                let c = rest % small[d], part = small[d] / segments[d]
                coords[d] = c / part * (large[d] / segments[d]) + c % part
                rest /= small[d]
            }
            for d in large.indices.reversed() { flat += (coords[d] + offset[d]) * stride; stride *= large[d] }
            return flat
        }
    }

    func embed(_ values: [Float], into base: [Float]) -> [Float] {
        var out = base
        for (v, i) in zip(values, indices) { out[i] = v }
        return out
    }

    func extract(_ values: [Float]) -> [Float] { indices.map { values[$0] } }

    func outside(_ values: [Float]) -> [Float] {
        let inside = Set(indices)
        return values.indices.filter { !inside.contains($0) }.map { values[$0] }
    }
}

/// Helpers shared by the value-choice and repeat supernet tests.
enum SupernetCheck {
    static func shape(_ e: Executor, _ name: String) -> [Int]? {
        e.plan.slots.first { $0.name == name }.map { $0.shape.map { $0.value ?? 0 } }
    }

    static func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    /// Every subnet parameter `name` (renamed by `rename`) written into the supernet's larger tensor; kernel
    /// dimensions (2, 3 of rank-4 weights) are centred.
    static func share(from sub: Executor, to sup: Executor, rename: (String) -> String = { $0 },
                      segments: (String) -> [Int: Int] = { _ in [:] }) throws -> [String: TensorBlock] {
        var blocks: [String: TensorBlock] = [:]
        for name in sub.parameterNames {
            let target = rename(name)
            let s = try #require(shape(sub, name)), l = try #require(shape(sup, target), "supernet has no \(target)")
            let b = TensorBlock(small: s, large: l, centre: s.count == 4 ? [2, 3] : [], segments: segments(name))
            try sup.setParameter(target, b.embed(try #require(sub.parameter(name)), into: try #require(sup.parameter(target))))
            blocks[name] = b
        }
        return blocks
    }

    /// Shares `sub`'s weights into `sup` (``share(from:to:rename:segments:)``), runs one gradient step of both on
    /// `(x, labels)` and expects the same loss, logits and parameter gradients (the shared block of the supernet's);
    /// the gradients of the `masked` parameters must be exactly zero outside their block.
    static func expectSameStep(_ sup: Executor, _ sub: Executor, x: [Float], labels: [Int64], rename: (String) -> String = { $0 },
                               segments: (String) -> [Int: Int] = { _ in [:] }, masked: (String) -> Bool, _ what: String) throws {
        let blocks = try share(from: sub, to: sup, rename: rename, segments: segments)
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: labels.count)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: labels.count)
        #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "loss \(l1) vs \(l2) (\(what))")
        #expect(close(sup.output, sub.output), "logits (\(what))")
        for name in sub.parameterNames {
            let b = try #require(blocks[name])
            let g = try #require(sup.gradient(of: rename(name)))
            #expect(close(b.extract(g), try #require(sub.gradient(of: name))), "gradient of \(name) (\(what))")
            if masked(name) {
                #expect(b.outside(g).allSatisfy { $0 == 0 }, "masked part of the gradient of \(name) is not zero (\(what))")
            }
        }
    }
}

@Suite struct SupernetValueChoiceTests {
    static let spaceText = """
    space "vc" version 1 root @main
    value_choice "w" [2, 3, 4]
    value_choice "k" [1, 3]

    graph @main(%x: f32[N,1,6,6]) {
      %a = conv2d(%x) {out = $w, kernel = $k, padding = same}
      %b = batch_norm(%a)
      %r = relu(%b)
      %d = depthwise_conv2d(%r) {kernel = $k, padding = ($k - 1) // 2}
      %e = conv2d(%d) {out = 3, kernel = 1}
      %g = global_avg_pool(%e)
      %l = linear(%g) {out = $w * 2}
      %t = tanh(%l)
      %o = linear(%t) {out = 3}
      return %o
    }
    """

    static let widths = [2, 3, 4], kernels = [1, 3]
    let x = randomFloats(4 * 36, seed: 5)
    let labels: [Int64] = [0, 1, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "vc.nir") }

    func subnet(w: Int, k: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["w": .value(.int(Self.widths[w])), "k": .value(.int(Self.kernels[k]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// Runs both with shared weights and compares loss, logits and every parameter gradient (the sliced block of
    /// the supernet's gradient; the rest of a masked weight's gradient is zero).
    func compare(_ sup: Executor, w: Int, k: Int) throws {
        let sub = try Executor(plan: try subnet(w: w, k: k), seed: 3)
        let masked: Set<String> = ["a.weight", "a.bias", "d.weight", "l.weight", "l.bias", "b.weight", "b.bias"]
        try SupernetCheck.expectSameStep(sup, sub, x: x, labels: labels, masked: masked.contains, "w \(w), k \(k)")
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 0), (2, 1), (0, 1)])
    func dartsOneHotAlphaMatchesTheSubnet(w: Int, k: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        try sup.setParameter("arch:w", (0..<3).map { $0 == w ? 0 : -1e4 })
        try sup.setParameter("arch:k", (0..<2).map { $0 == k ? 0 : -1e4 })
        try compare(sup, w: w, k: k)
    }

    /// Value choices take the mode's weights like layer choices: Proxyless gates (one-hot = the subnet) and Gumbel
    /// noise, not a softmax of an alpha that only darts trains.
    @Test(arguments: [(0, 0), (1, 1), (2, 0)])
    func proxylessOneHotGatesMatchTheSubnet(w: Int, k: Int) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .proxyless)
        let names = plan.slots.filter { $0.role == .parameter }.map(\.name)
        #expect(!names.contains { $0.hasPrefix("arch:") }, "\(names)")
        let sup = try Executor(plan: plan, seed: 7)
        try sup.setParameter("gate:w", (0..<3).map { $0 == w ? 1 : 0 })
        try sup.setParameter("gate:k", (0..<2).map { $0 == k ? 1 : 0 })
        try compare(sup, w: w, k: k)
        // The binary gradient of every gate value (the Proxyless estimate needs all of them).
        #expect(try #require(sup.gradient(of: "gate:w")).contains { $0 != 0 })
    }

    @Test func gumbelValueChoicesArePerturbed() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .gumbel)
        let names = Set(plan.slots.map(\.name))
        for label in ["w", "k"] {
            #expect(names.contains(SupernetParameterNames.noise(label)) && names.contains(SupernetParameterNames.inverseTemperature(label)))
        }
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 0), (0, 1)])
    func sampledSelectionMatchesTheSubnet(w: Int, k: Int) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        #expect(Set(plan.selectors.map(\.label)) == ["w", "k"])
        #expect(plan.selectors.first { $0.label == "w" }?.candidates == ["2", "3", "4"])
        let sup = try Executor(plan: plan, seed: 7)
        try sup.select(["w": w, "k": k])
        try compare(sup, w: w, k: k)
    }

    /// MobileNet's expansion width `channels(x) * expand` reads two labels: one mask per value combination, mixed
    /// by nested weighted sums (darts) or switches (sampled).
    static let twoLabelText = """
    space "two" version 1 root @main
    value_choice "m" [1, 2]
    value_choice "e" [2, 3]

    graph @main(%x: f32[N,1,6,6]) {
      %a = conv2d(%x) {out = $m * 2, kernel = 1}
      %b = conv2d(%a) {out = $m * 2 * $e, kernel = 1}
      %n = batch_norm(%b)
      %r = relu6(%n)
      %g = global_avg_pool(%r)
      %o = linear(%g) {out = 3}
      return %o
    }
    """

    @Test(arguments: [(0, 0), (0, 1), (1, 0), (1, 1)])
    func twoLabelWidthMatchesTheSubnet(m: Int, e: Int) throws {
        let space = try TextIR.parse(Self.twoLabelText, file: "two.nir")
        var s = space
        var ctx = PassContext(architecture: Architecture(["m": .value(.int([1, 2][m])), "e": .value(.int([2, 3][e]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        for mode in [SupernetMode.darts, .sampled] {
            let sup = try Executor(plan: try SupernetCompiler.compile(space, mode: mode), seed: 7)
            if mode == .darts {
                try sup.setParameter("arch:m", (0..<2).map { $0 == m ? 0 : -1e4 })
                try sup.setParameter("arch:e", (0..<2).map { $0 == e ? 0 : -1e4 })
            } else {
                try sup.select(["m": m, "e": e])
            }
            let sub = try Executor(plan: try PlanCompiler.compile(s, training: true), seed: 3)
            let blocks = try SupernetCheck.share(from: sub, to: sup)
            let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
            let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
            #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "\(mode) loss \(l1) vs \(l2)")
            for name in sub.parameterNames {
                let g = try #require(sup.gradient(of: name)), b = try #require(blocks[name])
                #expect(SupernetCheck.close(b.extract(g), try #require(sub.gradient(of: name))), "\(mode) gradient of \(name)")
            }
        }
    }

    @Test func oneAlphaPerLabelAndLargestShapes() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .darts)
        #expect(plan.slots.filter { $0.name.hasPrefix("arch:") }.map(\.name).sorted() == ["arch:k", "arch:w"])
        let e = try Executor(plan: plan, seed: 1)
        #expect(SupernetCheck.shape(e, "a.weight") == [4, 1, 3, 3])
        #expect(SupernetCheck.shape(e, "d.weight") == [4, 1, 3, 3])
        #expect(SupernetCheck.shape(e, "l.weight") == [8, 3])
        // Masks are state, never trained; the weight step leaves them alone.
        let masks = plan.slots.filter { if case .box? = $0.initializer { return true } else { return false } }
        #expect(!masks.isEmpty && masks.allSatisfy { $0.role == .state })
    }

    @Test func dartsAlphaGradientMatchesFiniteDifferences() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 11)
        let alphas: [String: [Float]] = ["arch:w": [0.3, -0.2, 0.1], "arch:k": [0.2, -0.3]]
        for (n, a) in alphas { try sup.setParameter(n, a) }
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        for (name, alpha) in alphas {
            let grad = try #require(sup.gradient(of: name))
            #expect(grad.contains { $0 != 0 }, "\(name): \(grad)")
            let eps: Float = 1e-2
            for i in alpha.indices {
                var a = alpha; a[i] += eps
                try sup.setParameter(name, a)
                let up = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
                a[i] -= 2 * eps
                try sup.setParameter(name, a)
                let down = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
                try sup.setParameter(name, alpha)
                let fd = (up - down) / (2 * eps)
                #expect(abs(fd - grad[i]) <= 2e-3 + 2e-2 * abs(fd), "\(name)[\(i)]: finite difference \(fd), autodiff \(grad[i])")
            }
        }
    }

    @Test func sampledStepTrainsOnlyTheSelectedSlice() throws {
        let opts = PlanOptions.sgd(lr: 0.1)
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled, options: opts), seed: 7)
        try sup.select(["w": 0, "k": 0])
        let before = try #require(sup.parameter("a.weight"))
        try sup.trainStep(data: x, labels: labels, batch: 4)
        let after = try #require(sup.parameter("a.weight"))
        let block = TensorBlock(small: [2, 1, 1, 1], large: [4, 1, 3, 3], centre: [2, 3])
        #expect(block.outside(after) == block.outside(before))
        #expect(block.extract(after) != block.extract(before))
    }

    @Test func inferencePlanMatchesTheTrainingPlanInEvalMode() throws {
        let train = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        let infer = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled, training: false), seed: 7)
        for (w, k) in [(0, 1), (2, 0)] {
            try train.select(["w": w, "k": k]); try infer.select(["w": w, "k": k])
            try train.trainStep(data: x, labels: labels, batch: 4)
            for s in infer.plan.slots where s.role.isPersistent { try infer.setParameter(s.name, try #require(train.parameter(s.name))) }
            try train.forward(data: x, batch: 4, mode: .eval)
            try infer.forward(data: x, batch: 4, mode: .eval)
            #expect(SupernetCheck.close(train.output, infer.output), "w \(w) k \(k)")
        }
    }

    @Test func planRoundTripsThroughProtobuf() throws {
        for mode in [SupernetMode.darts, .sampled] {
            let p = try SupernetCompiler.compile(try space(), mode: mode)
            guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(p), file: "p.pb") else {
                Issue.record("not a plan payload"); continue
            }
            #expect(back == p)
        }
    }

    static func errors(_ body: String, values: String = "value_choice \"k\" [1, 3]") throws -> [Diagnostic] {
        let text = """
        space "e" version 1 root @main
        \(values)
        graph @main(%x: f32[N,2,6,6]) {
        \(body)
          %f = flatten(%y)
          %o = linear(%f) {out = 2}
          return %o
        }
        """
        let s = try TextIR.parse(text, file: "e.nir")
        do { _ = try SupernetCompiler.compile(s, mode: .darts) } catch let e as DiagnosticError { return e.diagnostics }
        return []
    }

    @Test func unsupportedUsesAreLocatedErrors() throws {
        let pool = try Self.errors("  %y = max_pool2d(%x) {kernel = $k} loc(\"e.nas\":4:3)")
        #expect(pool.contains { $0.message.contains("attribute 'kernel'") && $0.message.contains("$k") && $0.location.line == 4 }, "\(pool)")
        let stride = try Self.errors("  %y = conv2d(%x) {out = 2, kernel = 1, stride = $k} loc(\"e.nas\":4:3)")
        #expect(stride.contains { $0.message.contains("attribute 'stride'") && $0.location.line == 4 }, "\(stride)")
        let sig = try Self.errors("  %c = conv2d(%x) {out = $k, kernel = 1}\n  %y = sigmoid(%c) loc(\"e.nas\":5:3)")
        #expect(sig.contains { $0.message.contains("sigmoid 'y'") && $0.message.contains("'k'") && $0.location.line == 5 }, "\(sig)")
        let sep = try Self.errors("  %c = conv2d(%x) {out = $k, kernel = 1}\n  %y = separable_conv2d(%c) {out = 2, kernel = 3, padding = 1} loc(\"e.nas\":5:3)")
        #expect(sep.contains { $0.message.contains("separable_conv2d 'y'") && $0.location.line == 5 }, "\(sep)")
        let pad = try Self.errors("  %y = conv2d(%x) {out = 2, kernel = $k, padding = 1} loc(\"e.nas\":4:3)")
        #expect(pad.contains { $0.message.contains("not the centre of kernel 3") && $0.location.line == 4 }, "\(pad)")
        let even = try Self.errors("  %y = conv2d(%x) {out = 2, kernel = $k, padding = same} loc(\"e.nas\":4:3)", values: "value_choice \"k\" [2, 3]")
        #expect(even.contains { $0.message.contains("odd kernel sizes") && $0.location.line == 4 }, "\(even)")
    }
}
