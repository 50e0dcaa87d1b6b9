// Specialize: rewrites a model space into the fixed subnet an architecture picks (NNI's fixed_arch / freeze).
import NASCIR

/// The `specialize` pass: applies `context.architecture` to the space, so that no choice remains.
///
/// The architecture is validated against the space's ``SearchSpace`` first (every problem is reported,
/// naming the label). Then every graph reachable from the root is rewritten:
///
/// - `layer_choice` becomes `call` of the chosen candidate's subgraph (same name, inputs, types).
/// - `input_choice` keeps its chosen inputs (in index order) and applies its reduction: one input is
///   used directly (uses are rewired to it, for every reduction); `sum` becomes `add`; `concat` becomes
///   `concat(axis 1)`; `mean` of two or more inputs has no op to lower to (there is no scalar scale op), so
///   it stays a *fixed* `input_choice` over exactly the chosen inputs with `n_chosen` equal to their
///   count: a one-point choice that means "the mean of all my inputs". `none` returns the chosen inputs
///   as a list: output slot `s` of the node is rewired to the `s`-th chosen input (a use beyond the
///   chosen count is an error). Choosing no input yields zeros shaped like the first candidate for `sum`
///   and `mean` (the empty sum), and is an error for `concat`.
/// - `repeat` of depth `d` becomes the chain `call @blocks[0]` ... `call @blocks[d-1]`, named
///   `<node>.0` ... `<node>.<d-1>`; uses are rewired to the last call, or to the input when `d == 0`.
/// - `cell` becomes, for each intermediate node `i` and op `k`, `<node>.op_i_k = call @candidate` on the
///   chosen input (a predecessor or an earlier node; `input_candidates` are used on predecessor edges),
///   `<node>.node_i = add` of the node's ops (when there are several), and the channel concat of all
///   nodes (`merge all`) or of the nodes no op reads (`loose_end`), which keeps the cell node's name
///   (a single output is used directly).
/// - Every value-choice expression in an attribute is evaluated to a constant.
///
/// A node that replaces another keeps its location (helper nodes too). Afterwards the value choices no
/// attribute reads are removed and graphs no longer reachable from the root (unchosen candidates) are
/// dropped. Run `inline` (and `dce`) next to get one flat graph.
public struct SpecializePass: Pass {
    /// Creates the pass.
    public init() {}
    public var name: String { "specialize" }
    public var summary: String { "fix every choice to the architecture in the context, leaving the chosen subnet" }

    /// Reports problems (an absent or invalid architecture, inconsistent decisions) in
    /// `context.diagnostics` and then leaves `space` unchanged.
    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        guard let arch = context.architecture else {
            context.diagnostics.error("specialize needs an architecture, but none was given",
                                      at: space.rootGraph?.location ?? .unknown)
            return
        }
        do {
            space = try Self.specialize(space, with: arch)
        } catch let e as DiagnosticError {
            for d in e.diagnostics { context.diagnostics.emit(d) }
        }
    }

    /// The fixed subnet of `space` picked by `arch` (see the type's documentation).
    /// Throws ``DiagnosticError`` if the space's decisions are inconsistent or `arch` is not valid for them.
    public static func specialize(_ space: ModelSpace, with arch: Architecture) throws -> ModelSpace {
        let searchSpace = try SearchSpace(space)
        try searchSpace.validate(arch)
        var engine = DiagnosticEngine()
        var out = space
        for name in space.reachableGraphs {
            guard let g = space.graph(named: name) else { continue }
            var rewriter = GraphSpecializer(graph: g, arch: arch, space: searchSpace)
            out.update(rewriter.run())
            for d in rewriter.engine.diagnostics { engine.emit(d) }
        }
        try engine.throwIfErrors()
        // Types in a space may hold for one choice only (a subgraph typed for the first width of a value choice);
        // the subnet's types are inferred afresh by shape-infer.
        for gi in out.graphs.indices { for ni in out.graphs[gi].nodes.indices { out.graphs[gi].nodes[ni].types = [] } }
        let reachable = Set(out.reachableGraphs)
        out.graphs.removeAll { !reachable.contains($0.name) }
        var used: Set<String> = []
        for g in out.graphs { for n in g.nodes { used.formUnion(n.op.valueLabels) } }
        out.valueChoices.removeAll { !used.contains($0.label) }
        return out
    }
}

/// Specializes one graph.
struct GraphSpecializer {
    let graph: Graph
    let arch: Architecture
    let space: SearchSpace
    var engine = DiagnosticEngine()
    private var nodes: [Node] = []
    private var taken: Set<String>
    /// Old value -> the value that replaces it.
    private var alias: [ValueRef: ValueRef] = [:]
    /// Names of removed `input_choice(reduction none)` nodes and how many inputs they chose.
    private var removedLists: [String: (label: String, count: Int)] = [:]

    init(graph: Graph, arch: Architecture, space: SearchSpace) {
        self.graph = graph; self.arch = arch; self.space = space
        taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
    }

    mutating func run() -> Graph {
        for node in graph.nodes { rewrite(node) }
        var g = graph
        g.nodes = nodes
        g.outputs = graph.outputs.map { resolve($0, at: graph.location) }
        return g
    }

    private mutating func resolve(_ r: ValueRef, at loc: SourceLocation) -> ValueRef {
        var r = r
        var hops = 0
        while let next = alias[r], hops < 10_000 { r = next; hops += 1 }
        if let list = removedLists[r.node] {
            engine.error("input choice '\(list.label)' chose \(list.count) inputs, so %\(r.node)#\(r.slot) has no value", at: loc)
        }
        return r
    }

    private mutating func fresh(_ base: String) -> String {
        var name = base
        var i = 1
        while taken.contains(name) { name = "\(base)_\(i)"; i += 1 }
        taken.insert(name)
        return name
    }

    private func lookupValue(_ label: String) -> Scalar? {
        guard case .value(let v)? = arch[label] else { return nil }
        // Use the declared spelling (an int stays an int even if the architecture wrote 16.0).
        if case .valueChoice(let values)? = space.decision(label)?.kind,
           let declared = values.first(where: { $0.asDouble == v.asDouble }) { return declared }
        return v
    }

    private mutating func rewrite(_ original: Node) {
        var node = original
        node.inputs = node.inputs.map { resolve($0, at: original.location) }
        if !node.op.valueLabels.isEmpty {
            do {
                node.op = try Self.evaluated(node.op) { lookupValue($0) }
            } catch {
                engine.error("cannot evaluate the value choices of '\(node.name)': \(error)", at: node.location)
                return
            }
        }
        switch node.op {
        case .layerChoice(let c):
            guard case .candidate(let chosen)? = arch[c.label], let cand = c.candidates.first(where: { $0.name == chosen }) else {
                engine.error("no candidate chosen for layer choice '\(c.label)'", at: node.location)
                return
            }
            node.op = .call(graph: cand.graph)
            nodes.append(node)
        case .inputChoice(let c):
            rewriteInputChoice(node, c)
        case .repeated(let r):
            // A repeat with one allowed depth is fixed (no decision, like NNI's `Repeat(block, 2)`).
            let fixed = r.depths.count == 1 ? r.depths[0] : nil
            let chosen: Int?
            if case .value(let v)? = arch[r.label] { chosen = v.asInt } else { chosen = fixed }
            guard let depth = chosen, depth >= 0, depth <= r.blocks.count, fixed == nil || fixed == depth,
                  let input = node.inputs.first else {
                engine.error("no valid depth chosen for repeat '\(r.label)'", at: node.location)
                return
            }
            var prev = input
            for i in 0..<depth {
                let n = Node(name: fresh("\(node.name).\(i)"), op: .call(graph: r.blocks[i]), inputs: [prev],
                             types: i == depth - 1 ? node.types : [], location: node.location)
                nodes.append(n)
                prev = ValueRef(n.name)
            }
            alias[ValueRef(node.name)] = prev
        case .cell(let c):
            rewriteCell(node, c)
        default:
            nodes.append(node)
        }
    }

    private mutating func rewriteInputChoice(_ node: Node, _ c: InputChoiceOp) {
        guard case .inputs(let chosen)? = arch[c.label], chosen.allSatisfy({ node.inputs.indices.contains($0) }) else {
            engine.error("no valid inputs chosen for input choice '\(c.label)'", at: node.location)
            return
        }
        let refs = chosen.map { node.inputs[$0] }
        var n = node
        if c.reduction == .none {
            for (s, r) in refs.enumerated() { alias[ValueRef(node.name, slot: s)] = r }
            removedLists[node.name] = (c.label, refs.count)
            return
        }
        switch refs.count {
        case 0:
            guard c.reduction != .concat, let first = node.inputs.first else {
                engine.error("input choice '\(c.label)' chose no inputs, but its reduction \(c.reduction.rawValue) needs at least one", at: node.location)
                return
            }
            n.op = .zero(stride: .int(1))
            n.inputs = [first]
        case 1:
            alias[ValueRef(node.name)] = refs[0]
            return
        default:
            n.inputs = refs
            switch c.reduction {
            case .sum: n.op = .add
            case .concat: n.op = .concat(axis: 1)
            case .mean, .none:
                // mean = scale(add(inputs), 1/k), the sum keeping the node's location and types.
                let sum = Node(name: fresh("\(node.name).sum"), op: .add, inputs: refs, types: node.types, location: node.location)
                nodes.append(sum)
                n.op = .scale(factor: 1 / Double(refs.count))
                n.inputs = [ValueRef(sum.name)]
            }
        }
        nodes.append(n)
    }

    private mutating func rewriteCell(_ node: Node, _ c: CellOp) {
        let preds = node.inputs.count
        var nodeOutputs: [ValueRef] = []
        var usedNodes: Set<Int> = []
        for m in 0..<c.numNodes {
            let i = preds + m
            var terms: [ValueRef] = []
            for k in 0..<c.opsPerNode {
                let inLabel = CellLabels.input(c.label, node: i, op: k), opLabel = CellLabels.op(c.label, node: i, op: k)
                guard case .inputs(let js)? = arch[inLabel], js.count == 1, js[0] >= 0, js[0] < i,
                      case .candidate(let opName)? = arch[opLabel],
                      let idx = c.candidates.firstIndex(where: { $0.name == opName }) else {
                    engine.error("no valid choice for '\(inLabel)' and '\(opLabel)' of cell '\(c.label)'", at: node.location)
                    return
                }
                let j = js[0]
                let source: ValueRef
                if j < preds { source = node.inputs[j] } else { source = nodeOutputs[j - preds]; usedNodes.insert(j - preds) }
                let useInputCandidates = j < preds && idx < c.inputCandidates.count
                let g = useInputCandidates ? c.inputCandidates[idx].graph : c.candidates[idx].graph
                let call = Node(name: fresh("\(node.name).op_\(i)_\(k)"), op: .call(graph: g), inputs: [source], location: node.location)
                nodes.append(call)
                terms.append(ValueRef(call.name))
            }
            if terms.count == 1 {
                nodeOutputs.append(terms[0])
            } else {
                let sum = Node(name: fresh("\(node.name).node_\(i)"), op: .add, inputs: terms, location: node.location)
                nodes.append(sum)
                nodeOutputs.append(ValueRef(sum.name))
            }
        }
        let outs = c.merge == .all ? nodeOutputs
            : nodeOutputs.enumerated().filter { !usedNodes.contains($0.offset) }.map(\.element)
        if outs.count == 1 {
            alias[ValueRef(node.name)] = outs[0]
        } else {
            nodes.append(Node(name: node.name, op: .concat(axis: 1), inputs: outs, types: node.types, location: node.location))
        }
    }

    /// `op` with every value-choice expression in its attributes replaced by its value.
    static func evaluated(_ op: Op, lookup: (String) -> Scalar?) throws -> Op {
        let attrs = try op.attributes.map { a -> NamedAttribute in
            guard case .expr(let e) = a.value, !e.labels.isEmpty else { return a }
            return NamedAttribute(a.name, .expr(.const(try e.evaluate(lookup))))
        }
        return try Op(kind: op.kind, attributes: attrs)
    }
}
