// Tests for the IR verifier: one test per error class, each checking message and location.
import Testing
@testable import NASCIR

/// Small builders for hand-written IR.
private func at(_ line: Int) -> NASCIR.SourceLocation { NASCIR.SourceLocation(file: "v.nir", line: line, column: 3) }
private func n(_ name: String, _ op: Op, _ inputs: [String], types: [TensorType] = [], line: Int = 0) -> Node {
    Node(name: name, op: op, inputs: inputs.map { s in
        let parts = s.split(separator: "#")
        return parts.count == 2 ? ValueRef(String(parts[0]), slot: Int(parts[1]) ?? 0) : ValueRef(s)
    }, types: types, location: at(line))
}
private let img = TensorType.batched(3, 8, 8)
private func block(_ name: String, line: Int = 50) -> Graph {
    Graph(name: name, inputs: [GraphInput(name: "x", type: img)], nodes: [n("r", .activation(.relu), ["x"], line: line)],
          outputs: [ValueRef("r")], location: at(line - 1))
}
private func space(_ main: [Node], outputs: [String], extra: [Graph] = [], choices: [ValueChoiceDecl] = [],
                   inputs: [GraphInput] = [GraphInput(name: "x", type: img)]) -> ModelSpace {
    ModelSpace(name: "t", root: "main",
               graphs: [Graph(name: "main", inputs: inputs, nodes: main, outputs: outputs.map { ValueRef($0) }, location: at(1))] + extra,
               valueChoices: choices)
}
private func messages(_ s: ModelSpace) -> [String] { Verifier.verify(s).map(\.description) }

@Suite struct VerifierTests {
    @Test func validSpaceHasNoDiagnostics() {
        let s = space([
            n("a", .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "p", graph: "b0"), NamedGraph(name: "q", graph: "b1")])), ["x"], line: 2),
            n("b", .conv2d(Conv2DAttrs(outChannels: .choice("w"), kernel: .int(3), padding: .same)), ["a"], line: 3),
            n("c", .repeated(RepeatOp(label: "d", depths: [0, 1, 2], blocks: ["b0", "b1"])), ["x"], line: 4),
            n("d", .inputChoice(InputChoiceOp(label: "i", nChosen: 1, reduction: .sum)), ["x", "c"], line: 5),
            n("e", .cell(CellOp(label: "cell", numNodes: 2, opsPerNode: 2, candidates: [NamedGraph(name: "r", graph: "b0")])), ["d", "x"], line: 6),
        ], outputs: ["b", "e"], extra: [block("b0"), block("b1", line: 60)], choices: [ValueChoiceDecl(label: "w", values: [.int(8), .int(16)])])
        #expect(Verifier.verify(s).isEmpty)
        #expect(throws: Never.self) { try Verifier.verifyOrThrow(s) }
    }

    @Test func missingRootAndDuplicateGraphs() {
        var s = space([n("r", .activation(.relu), ["x"], line: 2)], outputs: ["r"], extra: [block("b"), block("b", line: 70)])
        s.root = "nope"
        #expect(messages(s) == ["v.nir:1:3: error: root graph '@nope' is not defined",
                                "v.nir:69:3: error: duplicate graph name '@b'"])
        #expect(Verifier.verify(s)[1].notes.map(\.description) == ["v.nir:49:3: note: previous definition is here"])
    }

    @Test func duplicateNames() {
        let s = space([n("x", .activation(.relu), ["x"], line: 2), n("a", .identity, ["x"], line: 3), n("a", .identity, ["x"], line: 4)],
                      outputs: ["a"])
        let d = messages(s)
        #expect(d.contains("v.nir:2:3: error: duplicate name '%x'"))
        #expect(d.contains("v.nir:4:3: error: duplicate name '%a'"))
    }

    @Test func danglingEdges() {
        let s = space([n("a", .activation(.relu), ["y"], line: 2), n("b", .activation(.relu), ["a#1"], line: 3),
                       n("c", .activation(.relu), ["x#2"], line: 4)], outputs: ["b", "zz"])
        #expect(messages(s) == ["v.nir:1:3: error: use of undefined value '%zz'",
                                "v.nir:2:3: error: use of undefined value '%y'",
                                "v.nir:3:3: error: use of undefined value '%a#1'",
                                "v.nir:4:3: error: use of undefined value '%x#2'"])
    }

    @Test func cyclesAreNotUseBeforeDef() {
        let s = space([n("a", .add, ["x", "b"], line: 2), n("b", .activation(.relu), ["a"], line: 3),
                       n("self", .add, ["x", "self"], line: 4)], outputs: ["b", "self"])
        #expect(messages(s) == ["v.nir:2:3: error: cycle through %a -> %b -> %a",
                                "v.nir:4:3: error: cycle through %self -> %self"])
    }

    @Test func outOfOrderDefinitionIsUseBeforeDef() {
        let s = space([n("a", .activation(.relu), ["b"], line: 2), n("b", .activation(.relu), ["x"], line: 3)], outputs: ["a"])
        #expect(messages(s) == ["v.nir:2:3: error: use of value '%b' before its definition"])
    }

    @Test func unknownSubgraphAndBadCall() {
        let s = space([n("a", .call(graph: "foo"), ["x"], line: 2), n("b", .call(graph: "b0"), ["x", "x"], line: 3)],
                      outputs: ["a", "b"], extra: [block("b0")])
        #expect(messages(s) == ["v.nir:2:3: error: unknown subgraph '@foo'",
                                "v.nir:3:3: error: call to '@b0' passes 2 inputs but '@b0' takes 1"])
    }

    @Test func badArity() {
        let s = space([n("a", .activation(.relu), ["x", "x"], line: 2), n("b", .add, ["a"], line: 3)], outputs: ["b"])
        #expect(messages(s) == ["v.nir:2:3: error: 'relu' takes 1 input, got 2",
                                "v.nir:3:3: error: 'add' takes at least 2 inputs, got 1"])
    }

    @Test func choiceInterfaces() {
        let two = Graph(name: "two", inputs: [GraphInput(name: "p", type: img), GraphInput(name: "q", type: img)],
                        nodes: [n("s", .add, ["p", "q"], line: 80)], outputs: [ValueRef("s"), ValueRef("p")], location: at(79))
        let s = space([
            n("a", .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "k", graph: "two"), NamedGraph(name: "k", graph: "b0")])), ["x"], line: 2),
            n("b", .repeated(RepeatOp(label: "d", depths: [2, 1], blocks: ["b0", "two"])), ["x"], line: 3),
            n("c", .repeated(RepeatOp(label: "e", depths: [], blocks: [])), ["x"], line: 4),
            n("d", .cell(CellOp(label: "cell", numNodes: 0, opsPerNode: 1, candidates: [NamedGraph(name: "r", graph: "b0")],
                                inputCandidates: [NamedGraph(name: "z", graph: "b0")])), ["x"], line: 5),
            n("e", .inputChoice(InputChoiceOp(label: "i", nChosen: 3, reduction: .concat)), ["x", "x"], line: 6),
            n("f", .repeated(RepeatOp(label: "f", depths: [1, 3], blocks: ["b0"])), ["x"], line: 7),
            n("g", .cell(CellOp(label: "big", numNodes: 1000, opsPerNode: 1000, candidates: [NamedGraph(name: "r", graph: "b0")])), ["x"], line: 8),
        ], outputs: ["a", "b", "c", "d", "e", "f", "g"], extra: [block("b0"), two])
        #expect(messages(s) == [
            "v.nir:2:3: error: duplicate candidate name 'k' in layer_choice 'c'",
            "v.nir:2:3: error: candidate 'k' (@two) of layer_choice 'c' takes 2 inputs but the node has 1",
            "v.nir:2:3: error: candidate 'k' (@two) of layer_choice 'c' must produce 1 output, produces 2",
            "v.nir:3:3: error: repeat 'd' depths must be ascending and unique, got [2, 1]",
            "v.nir:3:3: error: block '@two' must take 1 input and produce 1 output, but takes 2 and produces 2",
            "v.nir:4:3: error: repeat 'e' has no depths",
            "v.nir:5:3: error: cell 'cell' num_nodes must be at least 1, got 0",
            "v.nir:5:3: error: cell 'cell' input_candidates must have the same names as candidates",
            "v.nir:6:3: error: input_choice 'i' chooses 3 of 2 inputs",
            "v.nir:7:3: error: repeat 'f' has 1 block but its largest depth is 3",
            "v.nir:8:3: error: cell 'big' is too large (num_nodes 1000 x ops_per_node 1000; at most 10000 edges)",
        ])
    }

    @Test func undeclaredValueChoice() {
        let s = space([n("a", .conv2d(Conv2DAttrs(outChannels: .binary(.mul, .choice("w"), .int(2)), kernel: .choice("k"))), ["x"], line: 2)],
                      outputs: ["a"], choices: [ValueChoiceDecl(label: "k", values: [.int(3)])])
        #expect(messages(s) == ["v.nir:2:3: error: use of undeclared value choice '$w'"])
    }

    @Test func incompatibleSharedLabels() {
        let s = space([
            n("a", .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "p", graph: "b0")])), ["x"], line: 2),
            n("b", .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "q", graph: "b0")])), ["a"], line: 3),
            n("c", .repeated(RepeatOp(label: "w", depths: [1], blocks: ["b0"])), ["b"], line: 4),
            n("d", .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "p", graph: "b0")])), ["c"], line: 5),
        ], outputs: ["d"], extra: [block("b0")], choices: [ValueChoiceDecl(label: "w", values: [.int(1)], location: at(9))])
        let d = Verifier.verify(s)
        #expect(d.map(\.description) == ["v.nir:3:3: error: label 'c' is used for incompatible choices",
                                         "v.nir:4:3: error: label 'w' is used for incompatible choices"])
        #expect(d[0].notes.map(\.description) == ["v.nir:2:3: note: 'c' is also used here as a layer choice over [p]"])
        #expect(d[1].notes.map(\.description) == ["v.nir:9:3: note: 'w' is also used here as a value choice [1]"])
    }

    @Test func recursionThroughSubgraphs() {
        let a = Graph(name: "ga", inputs: [GraphInput(name: "x", type: img)], nodes: [n("c", .call(graph: "gb"), ["x"], line: 20)],
                      outputs: [ValueRef("c")], location: at(19))
        let b = Graph(name: "gb", inputs: [GraphInput(name: "x", type: img)],
                      nodes: [n("c", .layerChoice(LayerChoiceOp(label: "l", candidates: [NamedGraph(name: "a", graph: "ga")])), ["x"], line: 30)],
                      outputs: [ValueRef("c")], location: at(29))
        let s = space([n("a", .call(graph: "ga"), ["x"], line: 2)], outputs: ["a"], extra: [a, b])
        #expect(messages(s) == ["v.nir:30:3: error: recursive use of subgraph '@ga' (@ga -> @gb -> @ga)"])
    }

    @Test func typeMismatches() {
        let t16 = TensorType.batched(16, 8, 8), t32 = TensorType.batched(32, 8, 8)
        let s = space([
            n("s", .add, ["p", "q"], line: 2),
            n("c", .concat(axis: 1), ["p", "v"], line: 3),
            n("k", .conv2d(Conv2DAttrs(outChannels: .int(4), kernel: .int(1), inChannels: .int(3))), ["p"], line: 4),
            n("l", .linear(LinearAttrs(outFeatures: .int(4), inFeatures: .int(100))), ["f"], line: 5),
            n("f", .flatten, ["p"], types: [.batched(64)], line: 6),
            n("i", .inputChoice(InputChoiceOp(label: "i", nChosen: 1, reduction: .mean)), ["p", "q"], line: 7),
            n("ok", .concat(axis: 1), ["p", "q"], line: 8),
        ], outputs: ["s", "c", "k", "l", "i", "ok"],
           inputs: [GraphInput(name: "p", type: t16), GraphInput(name: "q", type: t32), GraphInput(name: "v", type: .batched(16, 4, 4))])
        #expect(messages(s) == [
            "v.nir:2:3: error: add needs inputs of equal shape, but gets f32[N,16,8,8] and f32[N,32,8,8]",
            "v.nir:3:3: error: concat operands must agree outside axis 1: f32[N,16,8,8] and f32[N,16,4,4]",
            "v.nir:4:3: error: conv2d expects 3 input channels, but gets 16 (input f32[N,16,8,8])",
            "v.nir:5:3: error: use of value '%f' before its definition",
            "v.nir:5:3: error: linear expects 100 input features, but gets 64 (input f32[N,64])",
            "v.nir:7:3: error: inputs of input_choice 'i' (reduction mean) have different types: f32[N,16,8,8] and f32[N,32,8,8]",
        ])
    }

    @Test func outputsAndResultCounts() {
        let s = space([n("a", .activation(.relu), ["x"], types: [img, img], line: 2)], outputs: [])
        #expect(messages(s) == ["v.nir:1:3: error: graph '@main' has no outputs",
                                "v.nir:2:3: error: node '%a' has 2 result types but produces 1 value"])
        #expect(throws: DiagnosticError.self) { try Verifier.verifyOrThrow(s) }
    }

    @Test func multiOutputCallSlots() {
        let two = Graph(name: "two", inputs: [GraphInput(name: "p", type: img)],
                        nodes: [n("s", .activation(.relu), ["p"], line: 80)], outputs: [ValueRef("s"), ValueRef("p")], location: at(79))
        let s = space([n("a", .call(graph: "two"), ["x"], line: 2), n("b", .add, ["a", "a#1"], line: 3), n("c", .add, ["a", "a#2"], line: 4)],
                      outputs: ["b", "c"], extra: [two])
        #expect(messages(s) == ["v.nir:4:3: error: use of undefined value '%a#2'"])
    }
}
