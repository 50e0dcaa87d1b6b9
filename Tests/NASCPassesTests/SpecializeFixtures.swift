// SpecializeFixtures: model spaces built in Swift for the specialize and inline tests.
import NASCIR

/// Small spaces for the specialize/inline tests. Locations are `t.nas:<line>:1`.
enum SpecializeFixtures {
    static func loc(_ line: Int) -> SourceLocation { SourceLocation(file: "t.nas", line: line, column: 1) }
    static let image = TensorType.batched(16, 8, 8)

    static func input(_ name: String = "x") -> GraphInput { GraphInput(name: name, type: image) }

    /// A single-input graph `name` with one node `y = op(x)`.
    static func block(_ name: String, _ op: Op, line: Int = 90) -> Graph {
        Graph(name: name, inputs: [input()], nodes: [Node(name: "y", op: op, inputs: [ValueRef("x")], location: loc(line))],
              outputs: [ValueRef("y")])
    }

    static func conv(_ out: ValueExpr) -> Op { .conv2d(Conv2DAttrs(outChannels: out, kernel: .int(3), padding: .same)) }

    static func layerChoice(_ label: String, _ cands: [(String, String)]) -> Op {
        .layerChoice(LayerChoiceOp(label: label, candidates: cands.map { NamedGraph(name: $0.0, graph: $0.1) }))
    }

    /// main: c1 = conv1 (a: @ga | b: @gb, gb nests `width` and `act`), c2 = conv($width * 2),
    /// sk = skip (1 of [c1, c2], sum), rp = depth (1 or 2 of [@b0, @b1], b0 nests `blk0op`).
    static func nested() -> ModelSpace {
        let root = Graph(name: "main", inputs: [input()], nodes: [
            Node(name: "c1", op: layerChoice("conv1", [("a", "ga"), ("b", "gb")]), inputs: [ValueRef("x")], location: loc(5)),
            Node(name: "c2", op: conv(.binary(.mul, .choice("width"), .int(2))), inputs: [ValueRef("c1")], location: loc(6)),
            Node(name: "sk", op: .inputChoice(InputChoiceOp(label: "skip", nChosen: 1, reduction: .sum)),
                 inputs: [ValueRef("c1"), ValueRef("c2")], location: loc(7)),
            Node(name: "rp", op: .repeated(RepeatOp(label: "depth", depths: [0, 1, 2], blocks: ["b0", "b1"])),
                 inputs: [ValueRef("sk")], location: loc(8)),
        ], outputs: [ValueRef("rp")])
        let gb = Graph(name: "gb", inputs: [input()], nodes: [
            Node(name: "w", op: conv(.choice("width")), inputs: [ValueRef("x")], location: loc(20)),
            Node(name: "act", op: layerChoice("act", [("relu", "relu"), ("tanh", "tanh")]), inputs: [ValueRef("w")], location: loc(21)),
        ], outputs: [ValueRef("act")])
        let b0 = Graph(name: "b0", inputs: [input()], nodes: [
            Node(name: "op", op: layerChoice("blk0op", [("relu", "relu"), ("id", "id")]), inputs: [ValueRef("x")], location: loc(30)),
        ], outputs: [ValueRef("op")])
        return ModelSpace(name: "nested", root: "main", graphs: [
            root, block("ga", conv(.int(16)), line: 10), gb, b0, block("b1", .activation(.relu), line: 31),
            block("relu", .activation(.relu), line: 40), block("tanh", .activation(.tanh), line: 41), block("id", .identity, line: 42),
        ], valueChoices: [
            ValueChoiceDecl(label: "width", values: [.int(8), .int(16)], location: loc(2)),
            ValueChoiceDecl(label: "unused", values: [.int(1), .int(2)], location: loc(3)),
        ])
    }

    static let nestedArch = Architecture([
        "conv1": .candidate("b"), "width": .value(.int(16)), "act": .candidate("tanh"),
        "skip": .inputs([1]), "depth": .value(.int(2)), "blk0op": .candidate("id"),
    ])

    /// main(i0, i1, i2): ic = pick(i0, i1, i2) with the given choice; out = relu(ic).
    static func inputChoice(nChosen: Int?, reduction: Reduction) -> ModelSpace {
        let root = Graph(name: "main", inputs: [input("i0"), input("i1"), input("i2")], nodes: [
            Node(name: "ic", op: .inputChoice(InputChoiceOp(label: "pick", nChosen: nChosen, reduction: reduction)),
                 inputs: [ValueRef("i0"), ValueRef("i1"), ValueRef("i2")], types: [image], location: loc(4)),
            Node(name: "out", op: .activation(.relu), inputs: [ValueRef("ic")], location: loc(5)),
        ], outputs: [ValueRef("out")])
        return ModelSpace(name: "ic", root: "main", graphs: [root])
    }

    /// A cell with 2 predecessors, 2 nodes, 2 ops per node; candidates id/relu, stride-variants on predecessor edges.
    static func cell(merge: CellMerge) -> ModelSpace {
        let root = Graph(name: "main", inputs: [input("a"), input("b")], nodes: [
            Node(name: "c", op: .cell(CellOp(label: "cell", numNodes: 2, opsPerNode: 2,
                                             candidates: [NamedGraph(name: "id", graph: "g_id"), NamedGraph(name: "relu", graph: "g_relu")],
                                             inputCandidates: [NamedGraph(name: "id", graph: "s_id"), NamedGraph(name: "relu", graph: "s_relu")],
                                             merge: merge)),
                 inputs: [ValueRef("a"), ValueRef("b")], location: loc(7)),
        ], outputs: [ValueRef("c")])
        return ModelSpace(name: "cell", root: "main", graphs: [
            root, block("g_id", .identity), block("g_relu", .activation(.relu)),
            block("s_id", .identity), block("s_relu", .activation(.relu)),
        ])
    }

    /// NAS-Bench-201's cell: 4 nodes, every edge i -> j a layer choice over 5 ops; 15,625 architectures.
    static func nasBench201() -> ModelSpace {
        let ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
        var nodes: [Node] = []
        for j in 1...3 {
            var terms: [ValueRef] = []
            for i in 0..<j {
                nodes.append(Node(name: "e\(i)\(j)", op: layerChoice("\(j)_\(i)", ops.map { ($0, "nb_" + $0) }),
                                  inputs: [ValueRef(i == 0 ? "x" : "n\(i)")], location: loc(10 + j)))
                terms.append(ValueRef("e\(i)\(j)"))
            }
            nodes.append(Node(name: "n\(j)", op: terms.count == 1 ? .identity : .add, inputs: terms, location: loc(20 + j)))
        }
        return ModelSpace(name: "nb201", root: "main", graphs: [
            Graph(name: "main", inputs: [input()], nodes: nodes, outputs: [ValueRef("n3")]),
            block("nb_none", .zero(stride: .int(1))), block("nb_skip_connect", .identity),
            block("nb_nor_conv_1x1", .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(1)))),
            block("nb_nor_conv_3x3", conv(.int(16))),
            block("nb_avg_pool_3x3", .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1))))),
        ])
    }
}
