// SupernetRecurrentTests: lstm and gru in one-shot supernets — a layer choice among an LSTM, a GRU, a conv1d and a
// masked pool, and hidden-size choices on a bidirectional LSTM and a GRU (their gate rows masked per block) — at a
// one-hot alpha (darts) or a fixed selection (sampled) compute exactly what the specialized subnet computes, forward
// and backward, with biases; masked units stay exactly 0 and their weights get zero gradients.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetRecurrentTests {
    static let spaceText = """
    space "rnn" version 1 root @main
    value_choice "h" [2, 3, 4]

    graph @main(%x: i64[N,6]) {
      %e = embedding(%x) {vocab = 10, dim = 4}
      %c = layer_choice(%e, %x) {label = "op", candidates = [lstm = @lstm, gru = @gru, conv = @conv, max = @max]}
      %l = lstm(%c) {hidden = $h, bidirectional = true}
      %g = gru(%l) {hidden = $h}
      %p = global_avg_pool1d(%g, %x)
      %o = linear(%p) {out = 3}
      return %o
    }
    graph @lstm(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = lstm(%h) {hidden = 2, bidirectional = true}
      return %y
    }
    graph @gru(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = gru(%h) {hidden = 4}
      return %y
    }
    graph @conv(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = conv1d(%h) {out = 4, kernel = 3, padding = same}
      return %y
    }
    graph @max(%h: f32[N,6,4], %ids: i64[N,6]) {
      %y = max_pool1d(%h, %ids) {kernel = 3, stride = 1, padding = 1}
      return %y
    }
    """
    static let ops = ["lstm", "gru", "conv", "max"], hidden = [2, 3, 4]
    /// Token ids with padding (id 0) at the end of some sequences.
    let x: [Float] = [3, 1, 4, 1, 5, 0,   9, 2, 6, 5, 3, 5,   7, 7, 0, 0, 0, 0,   8, 9, 7, 0, 0, 0]
    let labels: [Int64] = [0, 1, 2, 1]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "rnn.nir") }

    func subnet(op k: Int, h: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(Self.ops[k]), "h": .value(.int(Self.hidden[h]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// Gate blocks along the rows of the masked layers' tensors, and the bidirectional LSTM's two halves along the
    /// columns of the GRU's input weight.
    static func segments(_ name: String) -> [Int: Int] {
        if name.hasPrefix("l.") { return [0: 4] }
        if name.hasPrefix("g.weight_ih") { return [0: 3, 1: 2] }
        if name.hasPrefix("g.") { return [0: 3] }
        return [:]
    }

    /// Shares the subnet's weights and compares loss, logits and every parameter gradient; the masked parts of the
    /// masked layers' gradients must be exactly zero.
    func compare(_ sup: Executor, op k: Int, h: Int) throws {
        let sub = try Executor(plan: try subnet(op: k, h: h), seed: 3)
        try SupernetCheck.expectSameStep(sup, sub, x: x, labels: labels, rename: { $0.hasPrefix("c.") ? "c.\(k)." + $0.dropFirst(2) : $0 },
                                         segments: Self.segments,
                                         masked: { $0.hasPrefix("l.") || $0.hasPrefix("g.") || $0 == "o.weight" }, "op \(k), h \(h)")
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 2), (3, 0), (0, 2)])
    func dartsOneHotAlphaMatchesTheSubnet(op k: Int, h: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 7)
        try sup.setParameter("arch:op", (0..<4).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:h", (0..<3).map { $0 == h ? 0 : -1e4 })
        try compare(sup, op: k, h: h)
    }

    @Test(arguments: [(0, 1), (1, 0), (2, 2), (3, 1)])
    func sampledSelectionMatchesTheSubnet(op k: Int, h: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        try sup.select(["op": k, "h": h])
        try compare(sup, op: k, h: h)
    }

    /// With every weight and bias non-zero (the supernet's own initialization), the units past the selected hidden
    /// size of both LSTM directions and of the GRU are exactly 0 at every step.
    @Test func maskedUnitsStayExactlyZero() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled), seed: 7)
        try sup.select(["op": 1, "h": 0])
        _ = try sup.computeGradients(data: x, labels: labels, batch: 4)
        for (name, width) in [("%l", 8), ("%g", 4)] {
            let slot = try #require(sup.plan.slots.firstIndex { $0.name == name }, "no slot \(name)")
            let v = sup.values(of: slot)
            #expect(v.count == 4 * 6 * width)
            // Hidden 2 of 4 per direction: units 2, 3 of each half are masked.
            let masked = v.indices.filter { ($0 % width) % 4 >= 2 }.map { v[$0] }
            let live = v.indices.filter { ($0 % width) % 4 < 2 }.map { v[$0] }
            #expect(masked.allSatisfy { $0 == 0 }, "\(name): \(masked)")
            #expect(live.contains { $0 != 0 })
        }
    }
}
