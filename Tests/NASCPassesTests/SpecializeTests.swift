// Tests for the specialize and inline passes: every primitive, shared labels, nested choices and errors.
import BigInt
import Testing
import NASCIR
@testable import NASCPasses

/// A compact one-line-per-node rendering of a graph, for readable expectations.
func render(_ g: Graph) -> [String] {
    func attr(_ a: Attribute) -> String {
        switch a {
        case .expr(let e): return e.description
        case .bool(let b): return String(b)
        case .string(let s): return "\"\(s)\""
        case .symbol(let s): return s
        case .graph(let g): return "@" + g
        case .ints(let xs): return "\(xs)"
        case .graphs(let gs): return "[" + gs.map { "@" + $0 }.joined(separator: ", ") + "]"
        case .candidates(let cs): return "[" + cs.map { "\($0.name) = @\($0.graph)" }.joined(separator: ", ") + "]"
        }
    }
    return g.nodes.map { n in
        let attrs = n.op.attributes.map { "\($0.name)=\(attr($0.value))" }.joined(separator: " ")
        let inputs = n.inputs.map(\.description).joined(separator: ", ")
        return "%\(n.name) = \(n.op.kind.rawValue)(\(inputs))" + (attrs.isEmpty ? "" : " " + attrs)
    } + ["return " + g.outputs.map(\.description).joined(separator: ", ")]
}

@Suite struct SpecializeTests {
    typealias F = SpecializeFixtures

    func specialize(_ space: ModelSpace, _ arch: Architecture) throws -> ModelSpace {
        var s = space
        var ctx = PassContext(architecture: arch)
        try SpecializePass().run(on: &s, context: &ctx)
        #expect(ctx.diagnostics.diagnostics.isEmpty)
        return s
    }

    /// Runs specialize expecting failure; returns the reported diagnostics and checks the space is unchanged.
    func specializeErrors(_ space: ModelSpace, _ arch: Architecture?) -> [String] {
        var s = space
        var ctx = PassContext(architecture: arch)
        #expect(throws: Never.self) { try SpecializePass().run(on: &s, context: &ctx) }
        #expect(s == space)
        return ctx.diagnostics.diagnostics.map(\.description)
    }

    func flatten(_ space: ModelSpace, _ arch: Architecture) throws -> ModelSpace {
        var s = try specialize(space, arch)
        var ctx = PassContext()
        try InlinePass().run(on: &s, context: &ctx)
        return s
    }

    @Test func nestedChoicesSpecializeAndFlatten() throws {
        let s = try specialize(F.nested(), F.nestedArch)
        #expect(s.graphs.map(\.name) == ["main", "gb", "b0", "b1", "tanh", "id"])
        #expect(s.valueChoices.isEmpty)
        #expect(render(s.rootGraph!) == [
            "%c1 = call(%x) graph=@gb",
            "%c2 = conv2d(%c1) out=32 kernel=3 padding=same",
            "%rp.0 = call(%c2) graph=@b0",
            "%rp.1 = call(%rp.0) graph=@b1",
            "return %rp.1",
        ])
        #expect(render(s.graph(named: "gb")!) == ["%w = conv2d(%x) out=16 kernel=3 padding=same", "%act = call(%w) graph=@tanh", "return %act"])
        // New nodes keep the location of the node they replace.
        #expect(s.rootGraph!.node(named: "c1")?.location == F.loc(5))
        #expect(s.rootGraph!.node(named: "rp.1")?.location == F.loc(8))
        for g in s.graphs { for n in g.nodes { #expect(!n.op.isChoice, "\(g.name).\(n.name)") } }
        #expect(try SearchSpace(s).decisions.isEmpty)

        let flat = try flatten(F.nested(), F.nestedArch)
        #expect(flat.graphs.map(\.name) == ["main"])
        #expect(render(flat.rootGraph!) == [
            "%c1.w = conv2d(%x) out=16 kernel=3 padding=same",
            "%c1.act.y = tanh(%c1.w)",
            "%c2 = conv2d(%c1.act.y) out=32 kernel=3 padding=same",
            "%rp.0.op.y = identity(%c2)",
            "%rp.1.y = relu(%rp.0.op.y)",
            "return %rp.1.y",
        ])
        // Inlined nodes keep their own locations.
        #expect(flat.rootGraph!.node(named: "c1.act.y")?.location == F.loc(41))
        #expect(flat.rootGraph!.node(named: "c1.w")?.location == F.loc(20))
    }

    @Test func otherChoicesOfTheSameSpace() throws {
        var arch = F.nestedArch
        arch["conv1"] = .candidate("a"); arch["skip"] = .inputs([0]); arch["depth"] = .value(.int(0)); arch["width"] = .value(.float(8))
        let flat = try flatten(F.nested(), arch)
        #expect(render(flat.rootGraph!) == [
            "%c1.y = conv2d(%x) out=16 kernel=3 padding=same",
            "%c2 = conv2d(%c1.y) out=16 kernel=3 padding=same",
            "return %c1.y",
        ])
    }

    @Test func sharedLabelsPickTheSameCandidateEverywhere() throws {
        var m = F.nested()
        var root = m.rootGraph!
        root.nodes.append(Node(name: "again", op: F.layerChoice("act", [("relu", "relu"), ("tanh", "tanh")]),
                               inputs: [ValueRef("rp")], location: F.loc(9)))
        root.outputs = [ValueRef("again")]
        m.update(root)
        let s = try specialize(m, F.nestedArch)
        #expect(s.rootGraph!.node(named: "again")?.op == .call(graph: "tanh"))
        #expect(s.graph(named: "gb")!.node(named: "act")?.op == .call(graph: "tanh"))
    }

    @Test func inputChoiceReductions() throws {
        func lowered(_ k: Int?, _ r: Reduction, _ chosen: [Int]) throws -> [String] {
            render(try specialize(F.inputChoice(nChosen: k, reduction: r), Architecture(["pick": .inputs(chosen)])).rootGraph!)
        }
        #expect(try lowered(2, .sum, [0, 2]) == ["%ic = add(%i0, %i2)", "%out = relu(%ic)", "return %out"])
        #expect(try lowered(2, .concat, [1, 2]) == ["%ic = concat(%i1, %i2) axis=1", "%out = relu(%ic)", "return %out"])
        #expect(try lowered(1, .mean, [1]) == ["%out = relu(%i1)", "return %out"])
        #expect(try lowered(1, .concat, [2]) == ["%out = relu(%i2)", "return %out"])
        // The mean of k is the sum scaled by 1/k (both ops differentiable and lowered like any other).
        #expect(try lowered(nil, .mean, [0, 1, 2]) == ["%ic.sum = add(%i0, %i1, %i2)", "%ic = scale(%ic.sum) factor=\(1.0 / 3)", "%out = relu(%ic)", "return %out"])
        // The empty sum is zeros shaped like the first candidate.
        #expect(try lowered(nil, .sum, []) == ["%ic = zero(%i0)", "%out = relu(%ic)", "return %out"])
        let s = try specialize(F.inputChoice(nChosen: nil, reduction: .sum), Architecture(["pick": .inputs([])]))
        // Specialize leaves types to shape-infer (a space's types may hold for one choice only).
        #expect(s.rootGraph!.node(named: "ic")?.types == [])
        let typed = try ShapeInference.annotate(graph: s.root, in: s).graph
        #expect(typed.node(named: "ic")?.types == [F.image])
        #expect(s.rootGraph!.node(named: "ic")?.location == F.loc(4))
    }

    @Test func inputChoiceWithoutReductionFeedsSlots() throws {
        var m = F.inputChoice(nChosen: 2, reduction: .none)
        m.graphs[0].nodes[1] = Node(name: "out", op: .add, inputs: [ValueRef("ic"), ValueRef("ic", slot: 1)], location: F.loc(5))
        let s = try specialize(m, Architecture(["pick": .inputs([0, 2])]))
        #expect(render(s.rootGraph!) == ["%out = add(%i0, %i2)", "return %out"])
        m.graphs[0].nodes[1].inputs.append(ValueRef("ic", slot: 2))
        #expect(specializeErrors(m, Architecture(["pick": .inputs([0, 2])])) ==
                ["t.nas:5:1: error: input choice 'pick' chose 2 inputs, so %ic#2 has no value"])
    }

    @Test func emptyConcatIsAnError() throws {
        #expect(specializeErrors(F.inputChoice(nChosen: nil, reduction: .concat), Architecture(["pick": .inputs([])])) ==
                ["t.nas:4:1: error: input choice 'pick' chose no inputs, but its reduction concat needs at least one"])
    }

    @Test func cellsExpandIntoCallsAddsAndConcat() throws {
        let arch = Architecture([
            "cell/input_2_0": .inputs([0]), "cell/op_2_0": .candidate("id"),
            "cell/input_2_1": .inputs([1]), "cell/op_2_1": .candidate("relu"),
            "cell/input_3_0": .inputs([2]), "cell/op_3_0": .candidate("relu"),
            "cell/input_3_1": .inputs([0]), "cell/op_3_1": .candidate("id"),
        ])
        let all = try specialize(F.cell(merge: .all), arch)
        #expect(render(all.rootGraph!) == [
            "%c.op_2_0 = call(%a) graph=@s_id",
            "%c.op_2_1 = call(%b) graph=@s_relu",
            "%c.node_2 = add(%c.op_2_0, %c.op_2_1)",
            "%c.op_3_0 = call(%c.node_2) graph=@g_relu",
            "%c.op_3_1 = call(%a) graph=@s_id",
            "%c.node_3 = add(%c.op_3_0, %c.op_3_1)",
            "%c = concat(%c.node_2, %c.node_3) axis=1",
            "return %c",
        ])
        #expect(all.graphs.map(\.name) == ["main", "g_relu", "s_id", "s_relu"])
        let loose = try specialize(F.cell(merge: .looseEnd), arch)
        #expect(render(loose.rootGraph!).suffix(2) == ["%c.node_3 = add(%c.op_3_0, %c.op_3_1)", "return %c.node_3"])
        let flat = try flatten(F.cell(merge: .all), arch)
        #expect(render(flat.rootGraph!).first == "%c.op_2_0.y = identity(%a)")
        #expect(flat.graphs.count == 1)
    }

    @Test func invalidArchitectureIsRejectedNamingTheLabel() throws {
        var arch = F.nestedArch
        arch["conv1"] = .candidate("zz")
        arch["depth"] = nil
        #expect(specializeErrors(F.nested(), arch) == [
            "t.nas:5:1: error: 'zz' is not a candidate of layer choice 'conv1' (candidates: a, b)",
            "t.nas:8:1: error: architecture has no value for 'depth' (repeat with depths [0, 1, 2])",
        ])
        let e = try #require(throws: DiagnosticError.self) { try SpecializePass.specialize(F.nested(), with: arch) }
        #expect(e.diagnostics.count == 2)
    }

    @Test func missingArchitectureIsAnError() throws {
        #expect(specializeErrors(F.nested(), nil) == ["error: specialize needs an architecture, but none was given"])
    }

    @Test func valueChoiceEvaluationErrorsAreLocated() throws {
        var m = F.nested()
        m.graphs[0].nodes[1].op = F.conv(.binary(.floorDiv, .choice("width"), .int(0)))
        #expect(specializeErrors(m, F.nestedArch) ==
                ["t.nas:6:1: error: cannot evaluate the value choices of 'c2': division by zero in value-choice expression"])
    }

    @Test func nasBench201ArchitecturesFlattenToDistinctGraphs() throws {
        let space = F.nasBench201()
        let s = try SearchSpace(space)
        var seen = Set<[String]>()
        var notFlat = 0
        // Every 31st of the 15,625 architectures (31 is coprime to 5, so every edge takes every op).
        for i in stride(from: 0, to: 15_625, by: 31) {
            let arch = try s.architecture(atIndex: BigInt(i))
            let flat = try InlinePass.inline(SpecializePass.specialize(space, with: arch))
            let lines = render(flat.rootGraph!)
            if flat.graphs.count != 1 || lines.count != 6 + 3 + 1 { notFlat += 1 }
            seen.insert(lines)
        }
        #expect(notFlat == 0)
        #expect(seen.count == (15_625 + 30) / 31)
    }
}

@Suite struct InlineTests {
    typealias F = SpecializeFixtures

    func call(_ name: String, _ g: String, _ inputs: [String], line: Int = 5) -> Node {
        Node(name: name, op: .call(graph: g), inputs: inputs.map { ValueRef($0) }, location: F.loc(line))
    }

    @Test func nestedCallsGetDottedNamesAndClashesAreSuffixed() throws {
        let inner = F.block("inner", .activation(.relu), line: 50)
        let outer = Graph(name: "outer", inputs: [F.input()], nodes: [call("i", "inner", ["x"], line: 40)], outputs: [ValueRef("i")])
        let root = Graph(name: "main", inputs: [F.input()], nodes: [
            Node(name: "o.i.y", op: .identity, inputs: [ValueRef("x")], location: F.loc(3)),
            call("o", "outer", ["o.i.y"]),
        ], outputs: [ValueRef("o")])
        let flat = try InlinePass.inline(ModelSpace(name: "t", root: "main", graphs: [root, outer, inner]))
        #expect(render(flat.rootGraph!) == ["%o.i.y = identity(%x)", "%o.i.y_1 = relu(%o.i.y)", "return %o.i.y_1"])
        #expect(flat.rootGraph!.nodes[1].location == F.loc(50))
        #expect(flat.graphs.count == 1)
    }

    @Test func multiInputAndPassThroughCallees() throws {
        let pair = Graph(name: "pair", inputs: [F.input("p"), F.input("q")], nodes: [
            Node(name: "s", op: .add, inputs: [ValueRef("p"), ValueRef("q")]),
        ], outputs: [ValueRef("s"), ValueRef("p")])
        let root = Graph(name: "main", inputs: [F.input("a"), F.input("b")], nodes: [
            call("c", "pair", ["a", "b"]),
            Node(name: "m", op: .mul, inputs: [ValueRef("c"), ValueRef("c", slot: 1)]),
        ], outputs: [ValueRef("m")])
        let flat = try InlinePass.inline(ModelSpace(name: "t", root: "main", graphs: [root, pair]))
        #expect(render(flat.rootGraph!) == ["%c.s = add(%a, %b)", "%m = mul(%c.s, %a)", "return %m"])
    }

    @Test func choiceCandidatesStaySubgraphs() throws {
        let flat = try InlinePass.inline(F.nested())
        #expect(flat.graphs.map(\.name) == ["main", "ga", "gb", "b0", "b1", "relu", "tanh", "id"])
        #expect(flat == F.nested())
    }

    @Test func badCallsAreErrors() throws {
        let loop = Graph(name: "main", inputs: [F.input()], nodes: [call("c", "main", ["x"])], outputs: [ValueRef("c")])
        var m = ModelSpace(name: "t", root: "main", graphs: [loop])
        var ctx = PassContext()
        try InlinePass().run(on: &m, context: &ctx)
        #expect(ctx.diagnostics.diagnostics.map(\.description) == ["t.nas:5:1: error: graph @main calls itself (through @main)"])
        #expect(m.graphs == [loop])
        let unknown = Graph(name: "main", inputs: [F.input()], nodes: [call("c", "nope", ["x"])], outputs: [ValueRef("c")])
        let e2 = try #require(throws: DiagnosticError.self) { try InlinePass.inline(ModelSpace(name: "t", root: "main", graphs: [unknown])) }
        #expect(e2.description == "t.nas:5:1: error: call of unknown graph @nope")
        let arity = Graph(name: "main", inputs: [F.input()], nodes: [call("c", "blk", ["x", "x"])], outputs: [ValueRef("c")])
        let e3 = try #require(throws: DiagnosticError.self) {
            try InlinePass.inline(ModelSpace(name: "t", root: "main", graphs: [arity, F.block("blk", .identity)]))
        }
        #expect(e3.description == "t.nas:5:1: error: call of @blk passes 2 inputs, but it takes 1")
    }
}
