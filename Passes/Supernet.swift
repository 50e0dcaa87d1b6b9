// Supernet: the `supernet` pass — fuses every choice of a model space into one trainable one-shot supernet graph.
import NASCIR

/// How a supernet evaluates a choice (pass option `supernet=darts|sampled`).
public enum SupernetMode: String, Sendable, CaseIterable {
    /// DARTS mixed ops: `softmax(alpha)`-weighted sum of every candidate; `alpha` is a trainable
    /// `param {name = "arch:<label>"}` whose gradient autodiff computes.
    case darts
    /// Single path (SPOS / ENAS / random one-shot): a `switch` forwards the candidate the executor's selection
    /// picks per step; the steps of unselected candidates are skipped (forward, backward and update).
    case sampled
}

/// Rewrites every choice of the space into supernet form, then inlines everything into the root graph:
///
/// - `layer_choice` -> one call per candidate `<node>.<k>` (each keeps its own weights), then
///   `weighted_sum(calls..., softmax(alpha))` (darts) or `switch {label, count}` (sampled), under the node's name.
/// - `input_choice` (`sum`/`mean` reduction) -> `weighted_sum` of its inputs with its own alpha (darts; exported
///   as the top `n_chosen`), or a `switch` over its inputs (sampled, `n_chosen = 1`).
/// - `cell` (`merge = all`; see SupernetCell.swift): darts mixes every (node `i`, source `j`) edge with its own
///   alpha `<label>/i_j` as NNI does; sampled switches each slot's op and input per step.
///
/// Equal labels share one alpha (one `param` node in the inlined root graph). Nodes a rewrite creates take the
/// location of the choice they replace. Repeats, value choices and `n_chosen = any` are
/// reported as errors (not supported yet).
public struct SupernetPass: Pass {
    public let name = "supernet"
    public let summary = "fuse every choice into a one-shot supernet (option supernet=darts|sampled) and inline it"

    /// Creates the pass.
    public init() {}

    /// The parameter name of a label's architecture weights.
    public static func alphaName(_ label: String) -> String { "arch:\(label)" }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        let modeName = context.options["supernet"] ?? "darts"
        guard let mode = SupernetMode(rawValue: modeName) else {
            let hint = ["gumbel", "proxyless"].contains(modeName) ? " ('\(modeName)' is not implemented yet)" : ""
            context.diagnostics.error("unknown supernet mode '\(modeName)' (expected darts or sampled)\(hint)",
                                      at: space.rootGraph?.location ?? .unknown)
            return
        }
        var engine = DiagnosticEngine()
        var out = space
        for name in space.reachableGraphs {
            guard let g = space.graph(named: name) else { continue }
            var b = SupernetBuilder(graph: g, mode: mode)
            out.update(b.run())
            for d in b.engine.diagnostics { engine.emit(d) }
        }
        for d in engine.diagnostics { context.diagnostics.emit(d) }
        if engine.hasErrors { return }
        try InlinePass().run(on: &out, context: &context)
        if context.diagnostics.hasErrors { return }
        if var root = out.rootGraph {
            Self.shareAlphas(&root)
            out.update(root)
        }
        space = out
    }

    /// Keeps one `param` node per architecture-weight name (moved to the top of the graph) and rewires the others.
    static func shareAlphas(_ g: inout Graph) {
        var first: [String: String] = [:]
        var kept: [Node] = [], rest: [Node] = []
        var alias: [String: String] = [:]
        for n in g.nodes {
            if case .param(let p) = n.op, p.name.hasPrefix("arch:") {
                if let f = first[p.name] { alias[n.name] = f } else { first[p.name] = n.name; kept.append(n) }
            } else {
                rest.append(n)
            }
        }
        g.nodes = kept + rest
        if alias.isEmpty { return }
        for i in g.nodes.indices {
            g.nodes[i].inputs = g.nodes[i].inputs.map { r in alias[r.node].map { ValueRef($0, slot: r.slot) } ?? r }
        }
        g.outputs = g.outputs.map { r in alias[r.node].map { ValueRef($0, slot: r.slot) } ?? r }
    }
}

/// Rewrites the choices of one graph.
struct SupernetBuilder {
    let graph: Graph
    let mode: SupernetMode
    var engine = DiagnosticEngine()
    var nodes: [Node] = []
    var taken: Set<String>
    /// Softmax-of-alpha node per label in this graph.
    var weightNodes: [String: String] = [:]
    var alias: [ValueRef: ValueRef] = [:]

    init(graph: Graph, mode: SupernetMode) {
        self.graph = graph; self.mode = mode
        taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
    }

    mutating func run() -> Graph {
        for n in graph.nodes {
            var node = n
            node.inputs = node.inputs.map { alias[$0] ?? $0 }
            rewrite(node)
        }
        var g = graph
        g.nodes = nodes
        g.outputs = graph.outputs.map { alias[$0] ?? $0 }
        return g
    }

    mutating func fresh(_ base: String) -> String {
        var name = base, i = 1
        while taken.contains(name) { name = "\(base)_\(i)"; i += 1 }
        taken.insert(name)
        return name
    }

    /// An exact name (candidate prefixes must be `<node>.<k>` for the guards); an error if it is taken.
    mutating func exact(_ name: String, _ at: Node) -> String {
        if taken.contains(name) { engine.error("supernet needs the node name '\(name)', which is already used", at: at.location) }
        taken.insert(name)
        return name
    }

    /// The `softmax(alpha)` value of a label (one alpha param and softmax per graph and label).
    mutating func weights(_ label: String, count: Int, _ at: Node) -> ValueRef {
        if let w = weightNodes[label] { return ValueRef(w) }
        let safe = String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let alpha = Node(name: fresh("arch_\(safe)"), op: .param(ParamAttrs(name: SupernetPass.alphaName(label), shape: [count],
                                                                          initializer: .zeros)),
                         inputs: [], types: [TensorType(.f32, [.fixed(count)])], location: at.location)
        let w = Node(name: fresh("arch_\(safe).weights"), op: .softmax(axis: -1), inputs: [ValueRef(alpha.name)],
                     types: [TensorType(.f32, [.fixed(count)])], location: at.location)
        nodes.append(alpha); nodes.append(w)
        weightNodes[label] = w.name
        return ValueRef(w.name)
    }

    /// Combines candidate values under `label` into a node named `name`.
    mutating func combine(_ name: String, label: String, _ values: [ValueRef], types: [TensorType], _ at: Node) {
        if values.count == 1 && mode == .darts {
            nodes.append(Node(name: name, op: .identity, inputs: values, types: types, location: at.location))
            return
        }
        switch mode {
        case .darts:
            let w = weights(label, count: values.count, at)
            nodes.append(Node(name: name, op: .weightedSum, inputs: values + [w], types: types, location: at.location))
        case .sampled:
            nodes.append(Node(name: name, op: .switchOp(SwitchAttrs(label: label, count: values.count)), inputs: values, types: types,
                              location: at.location))
        }
    }

    private mutating func rewrite(_ node: Node) {
        switch node.op {
        case .layerChoice(let c):
            guard !c.candidates.isEmpty else { engine.error("layer choice '\(c.label)' has no candidates", at: node.location); return }
            var calls: [ValueRef] = []
            for (k, cand) in c.candidates.enumerated() {
                let call = Node(name: exact("\(node.name).\(k)", node), op: .call(graph: cand.graph), inputs: node.inputs,
                                location: node.location)
                nodes.append(call)
                calls.append(ValueRef(call.name))
            }
            combine(node.name, label: c.label, calls, types: node.types, node)
        case .inputChoice(let c):
            guard c.reduction == .sum || c.reduction == .mean else {
                engine.error("input choice '\(c.label)' with reduction \(c.reduction.rawValue) is not supported in a supernet (sum or mean only)",
                             at: node.location)
                return
            }
            guard let k = c.nChosen, k >= 1 else {
                engine.error("input choice '\(c.label)' must choose a fixed number of inputs in a supernet", at: node.location)
                return
            }
            if mode == .sampled && k != 1 {
                engine.error("sampled supernets support input choices of one input; '\(c.label)' chooses \(k)", at: node.location)
                return
            }
            combine(node.name, label: c.label, node.inputs, types: node.types, node)
        case .cell(let c):
            rewriteCell(node, c)
        case .repeated(let r):
            engine.error("repeat '\(r.label)' is not supported by the supernet pass yet (fix its depth with specialize first)",
                         at: node.location)
        default:
            if !node.op.valueLabels.isEmpty {
                engine.error("'\(node.name)' reads value choices \(node.op.valueLabels.map { "$" + $0 }.joined(separator: ", ")), which the supernet pass does not support yet",
                             at: node.location)
                return
            }
            nodes.append(node)
        }
    }
}
