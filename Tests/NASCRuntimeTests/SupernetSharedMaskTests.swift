// SupernetSharedMaskTests: a value-choice mask shared by layers in different candidates of a layer choice (same label,
// same shape) is computed whichever candidate is selected: with candidate 1 selected in a sampled supernet (or at a
// one-hot alpha), the supernet computes what the specialized subnet computes.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetSharedMaskTests {
    /// Both candidates hold a 1x1 conv of width $w: their weight masks ([4, 2, 1, 1]) and bias masks ([4]) have the
    /// same key, so the pass builds them once, while rewriting candidate 0.
    static let spaceText = """
    space "shared" version 1 root @main
    value_choice "w" [2, 4]

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [a = @a, b = @b]}
      %g = global_avg_pool(%c)
      %o = linear(%g) {out = 3}
      return %o
    }

    graph @a(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = $w, kernel = 1}
      %t = tanh(%y)
      return %t
    }

    graph @b(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = $w, kernel = 1}
      %t = relu(%y)
      return %t
    }
    """

    static let ops = ["a", "b"], widths = [2, 4]
    let x = randomFloats(4 * 36, seed: 11)
    let labels: [Int64] = [0, 1, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "shared.nir") }

    func subnet(op k: Int, w: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(Self.ops[k]), "w": .value(.int(Self.widths[w]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    func compare(_ sup: Executor, op k: Int, w: Int, _ mode: SupernetMode) throws {
        let sub = try Executor(plan: try subnet(op: k, w: w), seed: 3)
        // Candidate k's weights live under `c.<k>.` in the supernet.
        let rename: (String) -> String = { $0.hasPrefix("c.") ? "c.\(k)." + $0.dropFirst(2) : $0 }
        let blocks = try SupernetCheck.share(from: sub, to: sup, rename: rename)
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "\(mode) op \(k) w \(w): loss \(l1) vs \(l2)")
        #expect(SupernetCheck.close(sup.output, sub.output), "\(mode) op \(k) w \(w): logits")
        for name in sub.parameterNames {
            let b = try #require(blocks[name])
            let g = try #require(sup.gradient(of: rename(name)))
            #expect(SupernetCheck.close(b.extract(g), try #require(sub.gradient(of: name))), "\(mode) op \(k) w \(w): gradient of \(name)")
        }
    }

    @Test(arguments: [(0, 0), (1, 0), (1, 1), (0, 1)])
    func sampledSecondOwnerMatchesTheSubnet(op k: Int, w: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        try sup.select(["op": k, "w": w])
        try compare(sup, op: k, w: w, .sampled)
    }

    @Test(arguments: [(1, 0), (1, 1)])
    func dartsSecondOwnerMatchesTheSubnet(op k: Int, w: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        try sup.setParameter("arch:op", (0..<2).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:w", (0..<2).map { $0 == w ? 0 : -1e4 })
        try compare(sup, op: k, w: w, .darts)
    }
}
