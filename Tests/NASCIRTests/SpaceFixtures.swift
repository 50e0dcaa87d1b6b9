// SpaceFixtures: small model spaces built in Swift for the search-space tests.
@testable import NASCIR

/// Builders for test spaces. Locations are `t.nas:<line>:1` so diagnostics can be checked.
enum SpaceFixtures {
    static func loc(_ line: Int) -> SourceLocation { SourceLocation(file: "t.nas", line: line, column: 1) }

    static let image = TensorType.batched(16, 8, 8)

    /// A single-input graph `name` made of one node with `op`.
    static func block(_ name: String, _ op: Op, line: Int = 90) -> Graph {
        Graph(name: name, inputs: [GraphInput(name: "x", type: image)],
              nodes: [Node(name: "y", op: op, inputs: [ValueRef("x")], location: loc(line))],
              outputs: [ValueRef("y")])
    }

    static func conv(_ out: ValueExpr, _ k: Int = 3) -> Op {
        .conv2d(Conv2DAttrs(outChannels: out, kernel: .int(k), padding: .same))
    }

    static func layerChoice(_ label: String, _ cands: [(String, String)]) -> Op {
        .layerChoice(LayerChoiceOp(label: label, candidates: cands.map { NamedGraph(name: $0.0, graph: $0.1) }))
    }

    /// root: conv1 (layer choice a|b, b nests `width` and `act`), conv2d with `$width * 2`, `skip`
    /// (input choice 1 of 2, sum), `depth` (repeat 1..2 whose first block has `blk0op`).
    static func nested() -> ModelSpace {
        let root = Graph(name: "main", inputs: [GraphInput(name: "x", type: image)], nodes: [
            Node(name: "c1", op: layerChoice("conv1", [("a", "ga"), ("b", "gb")]), inputs: [ValueRef("x")], location: loc(5)),
            Node(name: "c2", op: conv(.binary(.mul, .choice("width"), .int(2))), inputs: [ValueRef("c1")], location: loc(6)),
            Node(name: "sk", op: .inputChoice(InputChoiceOp(label: "skip", nChosen: 1, reduction: .sum)),
                 inputs: [ValueRef("c1"), ValueRef("c2")], location: loc(7)),
            Node(name: "rp", op: .repeated(RepeatOp(label: "depth", depths: [1, 2], blocks: ["b0", "b1"])),
                 inputs: [ValueRef("sk")], location: loc(8)),
        ], outputs: [ValueRef("rp")])
        let gb = Graph(name: "gb", inputs: [GraphInput(name: "x", type: image)], nodes: [
            Node(name: "w", op: conv(.choice("width")), inputs: [ValueRef("x")], location: loc(20)),
            Node(name: "act", op: layerChoice("act", [("relu", "relu"), ("tanh", "tanh")]), inputs: [ValueRef("w")], location: loc(21)),
        ], outputs: [ValueRef("act")])
        let b0 = Graph(name: "b0", inputs: [GraphInput(name: "x", type: image)], nodes: [
            Node(name: "op", op: layerChoice("blk0op", [("relu", "relu"), ("id", "id")]), inputs: [ValueRef("x")], location: loc(30)),
        ], outputs: [ValueRef("op")])
        return ModelSpace(name: "nested", root: "main", graphs: [
            root, block("ga", conv(.int(16))), gb, b0, block("b1", .activation(.relu)),
            block("relu", .activation(.relu)), block("tanh", .activation(.tanh)), block("id", .identity),
        ], valueChoices: [
            ValueChoiceDecl(label: "width", values: [.int(8), .int(16)], location: loc(2)),
            ValueChoiceDecl(label: "unused", values: [.int(1), .int(2)], location: loc(3)),
        ])
    }

    /// NAS-Bench-201's cell: 4 nodes, each edge i -> j (i < j) a layer choice over 5 ops; 5^6 architectures.
    static func nasBench201() -> ModelSpace {
        let ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
        let cands = ops.map { ($0, "nb_" + $0) }
        var nodes: [Node] = []
        var line = 10
        for j in 1...3 {
            var terms: [ValueRef] = []
            for i in 0..<j {
                let src = i == 0 ? "x" : "n\(i)"
                nodes.append(Node(name: "e\(i)\(j)", op: layerChoice("\(j)_\(i)", cands), inputs: [ValueRef(src)], location: loc(line)))
                line += 1
                terms.append(ValueRef("e\(i)\(j)"))
            }
            nodes.append(terms.count == 1
                ? Node(name: "n\(j)", op: .identity, inputs: terms, location: loc(line))
                : Node(name: "n\(j)", op: .add, inputs: terms, location: loc(line)))
            line += 1
        }
        let root = Graph(name: "main", inputs: [GraphInput(name: "x", type: image)], nodes: nodes, outputs: [ValueRef("n3")])
        let opGraphs: [Graph] = [
            block("nb_none", .zero(stride: .int(1))), block("nb_skip_connect", .identity),
            block("nb_nor_conv_1x1", conv(.int(16), 1)), block("nb_nor_conv_3x3", conv(.int(16), 3)),
            block("nb_avg_pool_3x3", .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1))))),
        ]
        return ModelSpace(name: "nb201", root: "main", graphs: [root] + opGraphs)
    }

    /// A DARTS-like space: a normal and a reduction cell (2 predecessors, 4 nodes, 2 ops per node, 8 ops).
    static func darts() -> ModelSpace {
        let ops = ["none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]
        let cands = ops.map { NamedGraph(name: $0, graph: "op_" + $0) }
        let root = Graph(name: "main", inputs: [GraphInput(name: "x", type: image)], nodes: [
            Node(name: "s0", op: conv(.int(16)), inputs: [ValueRef("x")], location: loc(3)),
            Node(name: "c0", op: .cell(CellOp(label: "normal", numNodes: 4, opsPerNode: 2, candidates: cands)),
                 inputs: [ValueRef("x"), ValueRef("s0")], location: loc(4)),
            Node(name: "c1", op: .cell(CellOp(label: "reduce", numNodes: 4, opsPerNode: 2, candidates: cands)),
                 inputs: [ValueRef("s0"), ValueRef("c0")], location: loc(5)),
        ], outputs: [ValueRef("c1")])
        let graphs = ops.map { block("op_" + $0, .identity) }
        return ModelSpace(name: "darts", root: "main", graphs: [root] + graphs)
    }

    /// One input choice over `n` graph inputs.
    static func inputChoice(n: Int, nChosen: Int?, reduction: Reduction = .sum) -> ModelSpace {
        let inputs = (0..<n).map { GraphInput(name: "i\($0)", type: image) }
        let root = Graph(name: "main", inputs: inputs, nodes: [
            Node(name: "ic", op: .inputChoice(InputChoiceOp(label: "pick", nChosen: nChosen, reduction: reduction)),
                 inputs: inputs.map { ValueRef($0.name) }, location: loc(4)),
        ], outputs: [ValueRef("ic")])
        return ModelSpace(name: "ic", root: "main", graphs: [root])
    }
}
