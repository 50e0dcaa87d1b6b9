// SupernetCellTests: relaxed cells — DARTS (one mixed op per edge) and sampled cells equal the specialized subnet
// (forward, loss and weight gradients), the edge alpha gradient matches finite differences, and the export maps
// edge alphas onto the cell decisions as NNI does.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetCellTests {
    /// Two predecessors, two nodes, two ops per node; candidates conv / skip / none.
    static let spaceText = """
    space "cellt" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s0 = conv2d(%x) {out = 2, kernel = 1}
      %s1 = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %c = cell(%s0, %s1) {label = "c", num_nodes = 2, ops_per_node = 2, candidates = [conv = @conv, skip = @skip, none = @none]}
      %f = flatten(%c)
      %o = linear(%f) {out = 3}
      return %o
    }

    graph @conv(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %t = tanh(%y)
      return %t
    }

    graph @skip(%x: f32[N,2,6,6]) {
      return %x
    }

    graph @none(%x: f32[N,2,6,6]) {
      %z = zero(%x)
      return %z
    }
    """

    /// The same cell with other ops on predecessor edges (`input_candidates`, as reduction cells have).
    static let reductionText = spaceText
        .replacingOccurrences(of: "none = @none]}", with: "none = @none], input_candidates = [conv = @conv1, skip = @neg, none = @none]}")
        + """

        graph @conv1(%x: f32[N,2,6,6]) {
          %y = conv2d(%x) {out = 2, kernel = 1}
          return %y
        }

        graph @neg(%x: f32[N,2,6,6]) {
          %y = sigmoid(%x)
          return %y
        }
        """

    static let ops = ["conv", "skip", "none"]
    let x = randomFloats(4 * 36, seed: 9)
    let labels: [Int64] = [2, 0, 1, 1]

    /// A cell architecture: (op index, input) per slot `(node i, slot k)`, nodes 2 and 3.
    typealias CellArch = [Int: [(op: Int, input: Int)]]

    /// Architectures whose nodes read distinct sources (a DARTS edge carries one op, so two slots of one node
    /// on the same source are not expressible with one-hot alphas).
    static let archs: [CellArch] = [
        [2: [(0, 0), (1, 1)], 3: [(0, 2), (1, 0)]],
        [2: [(1, 0), (0, 1)], 3: [(0, 1), (0, 2)]],
        [2: [(2, 1), (0, 0)], 3: [(1, 2), (0, 0)]],
    ]

    func space(reduction: Bool = false) throws -> ModelSpace {
        try TextIR.parse(reduction ? Self.reductionText : Self.spaceText, file: "cellt.nir")
    }

    func architecture(_ a: CellArch) -> Architecture {
        var v: [String: DecisionValue] = [:]
        for (i, slots) in a {
            for (k, s) in slots.enumerated() {
                v[CellLabels.op("c", node: i, op: k)] = .candidate(Self.ops[s.op])
                v[CellLabels.input("c", node: i, op: k)] = .inputs([s.input])
            }
        }
        return Architecture(v)
    }

    func subnet(_ a: CellArch, reduction: Bool = false) throws -> Plan {
        var s = try space(reduction: reduction)
        var ctx = PassContext(architecture: architecture(a))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// The supernet name of a subnet parameter: the subnet's slot `c.op_i_k.` lives on the edge (darts) or the
    /// slot's candidate (sampled).
    func supernetName(_ name: String, _ a: CellArch, mode: SupernetMode, reduction: Bool = false) -> String {
        for (i, slots) in a {
            for (k, s) in slots.enumerated() where name.hasPrefix("c.op_\(i)_\(k).") {
                let rest = name.dropFirst("c.op_\(i)_\(k).".count)
                if mode == .darts { return "c.n\(i).e\(s.input).\(s.op).\(rest)" }
                return reduction ? "c.n\(i)_\(k).\(s.input).\(s.op).\(rest)" : "c.n\(i)_\(k).\(s.op).\(rest)"
            }
        }
        return name
    }

    func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    /// Equal gradients; a weight that only feeds `none` in the subnet has no gradient there and a zero one in the supernet.
    func expectSameGradient(_ sup: [Float]?, _ sub: [Float]?, _ name: String) {
        guard let sup else { Issue.record("no supernet gradient for \(name)"); return }
        if let sub { #expect(close(sup, sub), "gradient of \(name)") } else { #expect(sup.allSatisfy { $0 == 0 }, "gradient of \(name)") }
    }

    @Test func dartsCellHasOneMixedOpPerEdge() throws {
        let fused = try SupernetCompiler.supernetSpace(try space(), mode: .darts)
        let root = try #require(fused.rootGraph)
        let alphas = root.nodes.compactMap { n -> String? in if case .param(let p) = n.op { return p.name }; return nil }
        // Node 2 has sources 0, 1; node 3 has 0, 1, 2: five edges (NNI), not ops_per_node x five.
        #expect(alphas == ["arch:c/2_0", "arch:c/2_1", "arch:c/3_0", "arch:c/3_1", "arch:c/3_2"])
        #expect(root.nodes.filter { $0.op.kind == .weightedSum }.count == 5)
    }

    @Test(arguments: archs.indices, [false, true])
    func dartsOneHotEdgesMatchTheSubnet(_ index: Int, reduction: Bool) throws {
        let a = Self.archs[index]
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(reduction: reduction), mode: .darts), seed: 7)
        let sub = try Executor(plan: try subnet(a, reduction: reduction), seed: 3)
        for name in sub.parameterNames {
            try sup.setParameter(supernetName(name, a, mode: .darts), try #require(sub.parameter(name)))
        }
        // Chosen edges are one-hot on their op; every other edge is one-hot on `none` (index 2).
        for (i, slots) in a {
            for j in 0..<i {
                let op = slots.first { $0.input == j }?.op ?? 2
                try sup.setParameter("arch:c/\(i)_\(j)", (0..<3).map { $0 == op ? 0 : -1e4 })
            }
        }
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-6 * max(1, abs(l2)))
        #expect(close(sup.output, sub.output))
        for name in sub.parameterNames {
            let target = supernetName(name, a, mode: .darts)
            expectSameGradient(sup.gradient(of: target), sub.gradient(of: name), name)
        }
    }

    @Test func dartsEdgeAlphaGradientMatchesFiniteDifferences() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .darts), seed: 11)
        let alpha: [Float] = [0.3, -0.2, 0.1]
        for e in ["2_0", "2_1", "3_0", "3_1", "3_2"] { try sup.setParameter("arch:c/\(e)", [0.1, 0.2, -0.1]) }
        try sup.setParameter("arch:c/3_1", alpha)
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let grad = try #require(sup.gradient(of: "arch:c/3_1"))
        let eps: Float = 1e-2
        for i in 0..<3 {
            var a = alpha; a[i] += eps
            try sup.setParameter("arch:c/3_1", a)
            let up = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            a[i] -= 2 * eps
            try sup.setParameter("arch:c/3_1", a)
            let down = try #require(try sup.forward(data: x, labels: labels, batch: 4, mode: .train))
            let fd = (up - down) / (2 * eps)
            #expect(abs(fd - grad[i]) <= 2e-3 + 2e-2 * abs(fd), "alpha[\(i)]: finite difference \(fd), autodiff \(grad[i])")
        }
        #expect(grad.contains { $0 != 0 }, "\(grad)")
    }

    @Test(arguments: archs.indices, [false, true])
    func sampledCellMatchesTheSubnet(_ index: Int, reduction: Bool) throws {
        let a = Self.archs[index]
        let plan = try SupernetCompiler.compile(try space(reduction: reduction), mode: .sampled)
        let sup = try Executor(plan: plan, seed: 7)
        let sub = try Executor(plan: try subnet(a, reduction: reduction), seed: 3)
        for name in sub.parameterNames {
            try sup.setParameter(supernetName(name, a, mode: .sampled, reduction: reduction), try #require(sub.parameter(name)))
        }
        var selection: [String: Int] = [:]
        for (i, slots) in a {
            for (k, s) in slots.enumerated() {
                selection[CellLabels.op("c", node: i, op: k)] = s.op
                selection[CellLabels.input("c", node: i, op: k)] = s.input
            }
        }
        try sup.select(selection)
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(l1 == l2)
        #expect(sup.output == sub.output)
        for name in sub.parameterNames {
            let target = supernetName(name, a, mode: .sampled, reduction: reduction)
            expectSameGradient(sup.gradient(of: target), sub.gradient(of: name), name)
        }
    }

    @Test func sampledCellSelectorsAreTheCellDecisions() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        let search = try SearchSpace(try space())
        #expect(Set(plan.selectors.map(\.label)) == Set(search.decisions.map(\.label)))
        for s in plan.selectors where s.label.contains("/op_") { #expect(s.candidates == Self.ops) }
        #expect(plan.selectors.first { $0.label == "c/input_3_1" }?.candidates.count == 3)
    }

    @Test func sampledStepSkipsUnselectedCellOps() throws {
        let opts = PlanOptions.sgd(lr: 0.1, momentum: 0.9, weightDecay: 0.01)
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .sampled, options: opts), seed: 7)
        // Slot (2, 0) runs skip; every other slot runs conv.
        var sel: [String: Int] = [:]
        for i in 2...3 { for k in 0..<2 { sel["c/op_\(i)_\(k)"] = 0; sel["c/input_\(i)_\(k)"] = k } }
        sel["c/op_2_0"] = 1
        try sup.select(sel)
        let before = try #require(sup.parameter("c.n2_0.0.y.weight"))
        let trained = try #require(sup.parameter("c.n2_1.0.y.weight"))
        for _ in 0..<2 { try sup.trainStep(data: x, labels: labels, batch: 4) }
        #expect(sup.parameter("c.n2_0.0.y.weight") == before, "the unselected conv of slot (2, 0) changed")
        #expect(sup.parameter("c.n2_1.0.y.weight") != trained, "the selected conv of slot (2, 1) did not train")
    }

    @Test func exportPrefersDistinctSourcesThenRank() {
        // Node with sources 0 and 1 and candidates [conv, skip, none].
        var picks = SupernetCellExport.choose(weights: [[3, 1, 0], [2.5, 2.9, 0]], candidates: 3, slots: 2)
        #expect(picks.map(\.source) == [0, 1] && picks.map(\.op) == [0, 1])
        // The two best pairs read source 0: the second slot takes source 1's best instead.
        picks = SupernetCellExport.choose(weights: [[3, 2.8, 0], [1, 0.5, 0]], candidates: 3, slots: 2)
        #expect(picks.map(\.source) == [0, 1] && picks.map(\.op) == [0, 0])
        // One source: both slots read it, the second with its second-best op.
        picks = SupernetCellExport.choose(weights: [[0.2, 0.9, 0.1]], candidates: 3, slots: 2)
        #expect(picks.map(\.source) == [0, 0] && picks.map(\.op) == [1, 0])
    }

    @Test func exportMapsEdgeAlphasOntoCellDecisions() throws {
        let s = try space()
        let alphas: [String: [Float]] = [
            "c/2_0": [3, 1, 0], "c/2_1": [2.5, 2.9, 0],
            "c/3_0": [0, 0, 4], "c/3_1": [1, 0, 0], "c/3_2": [0, 2, 0],
        ]
        let values = SupernetCellExport.decisions(space: s) { alphas[$0] }
        let expected: [String: DecisionValue] = [
            "c/op_2_0": .candidate("conv"), "c/input_2_0": .inputs([0]), "c/op_2_1": .candidate("skip"), "c/input_2_1": .inputs([1]),
            "c/op_3_0": .candidate("none"), "c/input_3_0": .inputs([0]), "c/op_3_1": .candidate("skip"), "c/input_3_1": .inputs([2]),
        ]
        #expect(values == expected)
        try SearchSpace(s).validate(Architecture(values))
    }
}
