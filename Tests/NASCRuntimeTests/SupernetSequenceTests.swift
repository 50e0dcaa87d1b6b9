// SupernetSequenceTests: sequence ops in one-shot supernets — a layer choice among conv1d kernels and masked pools
// over time, and a width choice on a conv1d (its weight rows masked like a conv2d's), at a one-hot alpha (darts) or a
// fixed selection (sampled) compute exactly what the specialized subnet computes, forward and backward.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetSequenceTests {
    static let spaceText = """
    space "seq" version 1 root @main
    value_choice "w" [2, 3, 4]

    graph @main(%x: i64[N,6]) {
      %h = embedding(%x) {vocab = 10, dim = 4}
      %c = layer_choice(%h, %x) {label = "op", candidates = [conv3 = @conv3, conv5 = @conv5, max = @max, avg = @avg]}
      %a = conv1d(%c) {out = $w, kernel = 3, padding = same}
      %r = relu(%a)
      %p = max_pool1d(%r, %x) {kernel = 3, stride = 1, padding = same}
      %d = conv1d(%p) {out = 3, kernel = 1}
      %g = global_avg_pool1d(%d, %x)
      %o = linear(%g) {out = 3}
      return %o
    }
    graph @conv3(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = conv1d(%h) {out = 4, kernel = 3, padding = same}
      %t = tanh(%y)
      return %t
    }
    graph @conv5(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = conv1d(%h) {out = 4, kernel = 3, padding = 2, dilation = 2, groups = 2}
      return %y
    }
    graph @max(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = max_pool1d(%h, %ids) {kernel = 3, stride = 1, padding = 1}
      return %y
    }
    graph @avg(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = avg_pool1d(%h, %ids) {kernel = 3, stride = 1, padding = same}
      return %y
    }
    """
    static let ops = ["conv3", "conv5", "max", "avg"], widths = [2, 3, 4]
    /// Token ids with padding (id 0) at the end of some sequences and one sequence of padding only.
    let x: [Float] = [3, 1, 4, 1, 5, 0,   9, 2, 6, 5, 3, 5,   0, 0, 0, 0, 0, 0,   8, 9, 7, 0, 0, 0]
    let labels: [Int64] = [0, 1, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "seq.nir") }

    func subnet(op k: Int, w: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(Self.ops[k]), "w": .value(.int(Self.widths[w]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// Shares the subnet's weights (candidate `k`'s under `c.<k>.`, masked widths in the leading block) and compares
    /// loss, logits and every parameter gradient.
    func compare(_ sup: Executor, op k: Int, w: Int) throws {
        let sub = try Executor(plan: try subnet(op: k, w: w), seed: 3)
        try SupernetCheck.expectSameStep(sup, sub, x: x, labels: labels, rename: { $0.hasPrefix("c.") ? "c.\(k)." + $0.dropFirst(2) : $0 },
                                         masked: { ["a.weight", "a.bias"].contains($0) }, "op \(k), w \(w)")
    }

    @Test(arguments: [(0, 0), (1, 2), (2, 1), (3, 0), (3, 2)])
    func dartsOneHotAlphaMatchesTheSubnet(op k: Int, w: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        try sup.setParameter("arch:op", (0..<4).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:w", (0..<3).map { $0 == w ? 0 : -1e4 })
        try compare(sup, op: k, w: w)
    }

    @Test(arguments: [(0, 1), (1, 0), (2, 2), (3, 1)])
    func sampledSelectionMatchesTheSubnet(op k: Int, w: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        try sup.select(["op": k, "w": w])
        try compare(sup, op: k, w: w)
    }

    /// A width choice on a grouped conv1d would mask whole groups unevenly: a located error.
    @Test func aGroupedWidthChoiceIsALocatedError() throws {
        let text = """
        space "g" version 1 root @main
        value_choice "w" [2, 4]
        graph @main(%x: i64[N,6]) {
          %h = embedding(%x) {vocab = 10, dim = 4}
          %a = conv1d(%h) {out = $w, kernel = 1, groups = 2}
          %g = global_avg_pool1d(%a)
          %o = linear(%g) {out = 3}
          return %o
        }
        """
        #expect {
            _ = try SupernetCompiler.compile(try TextIR.parse(text, file: "g.nir"), mode: .darts)
        } throws: { error in
            "\(error)".contains("g.nir:5:") && "\(error)".contains("a width choice on conv1d 'a' needs groups = 1")
        }
    }

    /// A layer norm over the channels a conv1d width choice zeroes would not keep them zero: a located error.
    @Test func aLayerNormAfterAWidthChoiceIsALocatedError() throws {
        let text = """
        space "ln" version 1 root @main
        value_choice "w" [2, 4]
        graph @main(%x: i64[N,6]) {
          %h = embedding(%x) {vocab = 10, dim = 4}
          %a = conv1d(%h) {out = $w, kernel = 1}
          %n = layer_norm(%a)
          %g = global_avg_pool1d(%n)
          %o = linear(%g) {out = 3}
          return %o
        }
        """
        #expect {
            _ = try SupernetCompiler.compile(try TextIR.parse(text, file: "ln.nir"), mode: .darts)
        } throws: { error in
            "\(error)".contains("layer_norm 'n' reads channels that value choice 'w' masks to zero on a conv1d")
        }
    }
}
