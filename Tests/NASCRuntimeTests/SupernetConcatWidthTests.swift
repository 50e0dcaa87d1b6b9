// SupernetConcatWidthTests: width choices through `concat` — the concatenated value keeps each input's channel mask,
// so a batch norm after it masks gamma and beta per segment and the supernet computes exactly the specialized subnet
// (whose concat is w + 2 + v channels wide) at a one-hot alpha or a fixed selection, forward and backward.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetConcatWidthTests {
    static let spaceText = """
    space "cat" version 1 root @main
    value_choice "w" [2, 3]
    value_choice "v" [1, 3]

    graph @main(%x: f32[N,1,6,6]) {
      %a = conv2d(%x) {out = $w, kernel = 3, padding = same}
      %b = conv2d(%x) {out = $v, kernel = 1}
      %c = conv2d(%x) {out = 2, kernel = 1}
      %j = concat(%a, %c, %b) {axis = 1}
      %n = batch_norm(%j)
      %r = relu(%n)
      %g = global_avg_pool(%r)
      %o = linear(%g) {out = 3}
      return %o
    }
    """

    static let ws = [2, 3], vs = [1, 3]
    let x = randomFloats(4 * 36, seed: 11)
    let labels: [Int64] = [2, 0, 1, 1]

    /// Supernet channel of each subnet channel of the concat: `a` at 0, `c` at 3, `b` at 5.
    static func channelMap(w: Int, v: Int) -> [Int] { Array(0..<w) + [3, 4] + (5..<(5 + v)) }

    @Test(arguments: [(0, 0), (0, 1), (1, 0), (1, 1)])
    func concatOfWidthChoicesMatchesTheSubnet(w: Int, v: Int) throws {
        let space = try TextIR.parse(Self.spaceText, file: "cat.nir")
        var s = space
        var ctx = PassContext(architecture: Architecture(["w": .value(.int(Self.ws[w])), "v": .value(.int(Self.vs[v]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        let map = Self.channelMap(w: Self.ws[w], v: Self.vs[v])
        for mode in [SupernetMode.darts, .sampled] {
            let sup = try Executor(plan: try SupernetCompiler.compile(space, mode: mode), seed: 7)
            if mode == .darts {
                try sup.setParameter("arch:w", (0..<2).map { $0 == w ? 0 : -1e4 })
                try sup.setParameter("arch:v", (0..<2).map { $0 == v ? 0 : -1e4 })
            } else {
                try sup.select(["w": w, "v": v])
            }
            let sub = try Executor(plan: try PlanCompiler.compile(s, training: true), seed: 3)
            // The convolutions embed as leading blocks; the batch norm and the head through the channel map.
            var blocks = try SupernetCheck.share(from: sub, to: sup) { $0 }
            var mapped: [String: [Int]] = [:]
            for name in ["n.weight", "n.bias"] { mapped[name] = map }
            mapped["o.weight"] = (0..<3).flatMap { row in map.map { row * 8 + $0 } }
            for (name, indices) in mapped {
                // Non-zero everywhere first: an unmasked beta of 0.5 on a masked (all-zero) channel would make it non-zero.
                var big = try #require(sup.parameter(name)).map { _ in Float(0.5) }
                for (k, i) in indices.enumerated() { big[i] = try #require(sub.parameter(name))[k] }
                try sup.setParameter(name, big)
                blocks[name] = nil
            }
            let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
            let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
            #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "\(mode) w \(w) v \(v): loss \(l1) vs \(l2)")
            #expect(SupernetCheck.close(sup.output, sub.output), "\(mode) logits")
            for name in sub.parameterNames {
                let g = try #require(sup.gradient(of: name)), want = try #require(sub.gradient(of: name))
                if let indices = mapped[name] {
                    #expect(SupernetCheck.close(indices.map { g[$0] }, want), "\(mode) gradient of \(name)")
                    if name != "o.weight" {
                        let live = Set(indices)
                        #expect(g.indices.filter { !live.contains($0) }.allSatisfy { g[$0] == 0 },
                                "\(mode): masked channels of \(name) get a gradient")
                    }
                } else {
                    let b = try #require(blocks[name])
                    #expect(SupernetCheck.close(b.extract(g), want), "\(mode) gradient of \(name)")
                }
            }
        }
    }

    /// Concatenating differently masked values along the height would interleave live and masked channels.
    @Test func concatAlongAnotherAxisOfDifferentMasksIsALocatedError() throws {
        let text = """
        space "bad" version 1 root @main
        value_choice "w" [2, 3]

        graph @main(%x: f32[N,1,6,6]) {
          %a = conv2d(%x) {out = $w, kernel = 1}
          %c = conv2d(%x) {out = 3, kernel = 1}
          %j = concat(%a, %c) {axis = 2} loc("bad.nas":7:3)
          %g = global_avg_pool(%j)
          %o = linear(%g) {out = 3}
          return %o
        }
        """
        let space = try TextIR.parse(text, file: "bad.nir")
        let error = try #require(throws: DiagnosticError.self) { _ = try SupernetCompiler.compile(space, mode: .sampled) }
        let message = error.diagnostics.map(\.description).joined(separator: "\n")
        #expect(message.contains("bad.nas:7:3"), "\(message)")
        #expect(message.contains("masks differently along axis 2"), "\(message)")
    }
}
