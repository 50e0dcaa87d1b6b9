// Supernet: the `supernet` pass — fuses every choice of a model space into one trainable one-shot supernet graph.
import NASCIR

/// How a supernet evaluates a choice (pass option `supernet=darts|gumbel|sampled|proxyless`).
public enum SupernetMode: String, Sendable, CaseIterable {
    /// DARTS mixed ops: `softmax(alpha)`-weighted sum of every candidate; `alpha` is a trainable
    /// `param {name = "arch:<label>"}` whose gradient autodiff computes.
    case darts
    /// GumbelDARTS: `softmax((alpha + g) * inv_tau)`-weighted sum, where `g` (`param "gumbel:noise:<label>"`) and
    /// `inv_tau` (`param "gumbel:inv_tau:<label>"`, `1 / temperature`) are written by the strategy before every step
    /// (fresh Gumbel(0, 1) noise from the executor's seed); autodiff gives alpha's gradient through the whole chain.
    case gumbel
    /// Single path (SPOS / ENAS / random one-shot): a `switch` forwards the candidate the executor's selection
    /// picks per step; the steps of unselected candidates are skipped (forward, backward and update).
    case sampled
    /// ProxylessNAS binary gates: `weighted_sum(candidates, gates)` with `gates = param "gate:<label>"` set to a
    /// one-hot vector by the strategy, so the output is the sampled path and the gates' gradients are the binary
    /// gradients `<out_k, dL/dy>` of every candidate; alpha lives in the strategy.
    case proxyless

    /// Whether the mode combines candidates with a `weighted_sum` (all but `sampled`).
    public var isWeighted: Bool { self != .sampled }
}

/// The options of the `supernet` and `supernet-values` passes (spec keys `mode`, `aux_skip`, `gumbel_hard`).
public struct SupernetOptions: Sendable, Hashable {
    /// How choices are combined.
    public var mode: SupernetMode
    /// DARTS-: layer choices with a skip candidate add `beta * input` (darts and gumbel modes).
    public var auxSkip: Bool
    /// Hard (straight-through) GumbelDARTS weights (gumbel mode).
    public var gumbelHard: Bool

    /// Creates options.
    public init(mode: SupernetMode = .darts, auxSkip: Bool = false, gumbelHard: Bool = false) {
        self.mode = mode; self.auxSkip = auxSkip; self.gumbelHard = gumbelHard
    }

    /// The spec keys.
    public static let keys = ["mode", "aux_skip", "gumbel_hard"]

    /// These options with the keys `reader` holds applied.
    public func reading(_ reader: inout PassOptionReader) throws -> SupernetOptions {
        var o = self
        o.mode = try reader.choice("mode", SupernetMode.self) ?? o.mode
        o.auxSkip = try reader.flag("aux_skip") ?? o.auxSkip
        o.gumbelHard = try reader.flag("gumbel_hard") ?? o.gumbelHard
        return o
    }

    /// Whether hard Gumbel weights apply (gumbel mode with `gumbelHard`).
    var hard: Bool { mode == .gumbel && gumbelHard }
}

/// Rewrites every choice of the space into supernet form (the `supernet-space` pipeline then runs `inline` and
/// `supernet-values`, which rewrites value choices and shares control parameters, on the flat root graph):
///
/// - `layer_choice` -> one call per candidate `<node>.<k>` (each keeps its own weights), then
///   `weighted_sum(calls..., softmax(alpha))` (darts) or `switch {label, count}` (sampled), under the node's name.
/// - `input_choice` (`sum`/`mean` reduction) -> `weighted_sum` of its inputs with its own alpha (darts; exported
///   as the top `n_chosen`), or a `switch` over its inputs (sampled, `n_chosen = 1`).
/// - `cell` (`merge = all`; see SupernetCell.swift): darts mixes every (node `i`, source `j`) edge with its own
///   alpha `<label>/i_j` as NNI does; sampled switches each slot's op and input per step.
///
/// - `repeat` -> chained block calls (``SupernetBuilder/rewriteRepeat(_:_:)``), mixed over the allowed depths.
/// - value choices on widths and kernel sizes -> the largest layer with masked weights (``SupernetValueChoices``).
///
/// Equal labels share one alpha (one `param` node in the inlined root graph). Nodes a rewrite creates take the
/// location of the choice they replace. `n_chosen = any` is reported as an error (not supported yet).
public struct SupernetPass: ConfigurablePass {
    public let name = "supernet"
    public let summary = "rewrite every choice into one-shot supernet form (option mode=darts|gumbel|sampled|proxyless)"

    /// This run's options.
    public var options: SupernetOptions

    /// Creates the pass.
    public init(options: SupernetOptions = SupernetOptions()) { self.options = options }

    public static let optionKeys = SupernetOptions.keys

    public func configured(_ reader: inout PassOptionReader) throws -> SupernetPass {
        SupernetPass(options: try options.reading(&reader))
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        let mode = options.mode
        var engine = DiagnosticEngine()
        var out = space
        let skips = options.auxSkip ? Set(CandidateRoles.skipGraphs(space)) : []
        for name in space.reachableGraphs {
            guard let g = space.graph(named: name) else { continue }
            var b = SupernetBuilder(graph: g, mode: mode, auxSkip: options.auxSkip, skipGraphs: skips)
            b.gumbelHard = options.hard
            out.update(b.run())
            for d in b.engine.diagnostics { engine.emit(d) }
        }
        for d in engine.diagnostics { context.diagnostics.emit(d) }
        if engine.hasErrors { return }
        space = out
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

    /// DARTS- auxiliary skip: layer choices with a skip candidate add `beta * input` (pass option `aux_skip=true`).
    var auxSkip = false
    /// The space's skip candidates' subgraphs (``CandidateRoles/skipGraphs(_:)``), when `auxSkip` is on.
    var skipGraphs: Set<String> = []
    private var auxWeights: String?
    /// Hard GumbelDARTS (pass option `gumbel_hard=true`): the weights are `w + offset` with the state
    /// `gumbel:hard:<label>` set to `onehot(argmax(w)) - w` before each step, so the forward pass uses the one-hot
    /// sample and autodiff, which treats the offset as a constant, gives the soft sample's gradient (straight-through).
    var gumbelHard = false

    init(graph: Graph, mode: SupernetMode, auxSkip: Bool = false, skipGraphs: Set<String> = []) {
        self.graph = graph; self.mode = mode; self.auxSkip = auxSkip; self.skipGraphs = skipGraphs
        taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
    }

    mutating func run() -> Graph {
        for n in graph.nodes {
            var node = n
            node.inputs = node.inputs.map { alias[$0] ?? $0 }
            rewrite(node)
        }
        // A choice with one candidate (weighted modes) or one depth became an `identity`: no condition names it.
        var choices = Set<String>()
        for n in nodes where n.op.kind == .switchOp || n.op.kind == .weightedSum { choices.insert(n.name) }
        for i in nodes.indices where !nodes[i].scope.isEmpty { nodes[i].scope.removeAll { !choices.contains($0.choice) } }
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

    /// An exact name (candidates are named `<node>.<k>`, as NNI names them); an error if it is taken.
    mutating func exact(_ name: String, _ at: Node) -> String {
        if taken.contains(name) { engine.error("supernet needs the node name '\(name)', which is already used", at: at.location) }
        taken.insert(name)
        return name
    }

    /// The combination weights of a label (one chain per graph and label): `softmax(alpha)` (darts),
    /// `softmax((alpha + noise) * inv_tau)` (gumbel) or the gate parameter (proxyless).
    mutating func weights(_ label: String, count: Int, _ at: Node) -> ValueRef {
        if let w = weightNodes[label] { return ValueRef(w) }
        let built = SupernetWeights(mode: mode, hard: gumbelHard).build(label, count: count, at: at.location) { fresh($0) }
        nodes += built.nodes
        weightNodes[label] = built.weights
        return ValueRef(built.weights)
    }

    /// Combines candidate values under `label` into a node named `name` (in `scope`, by default the scope of `at`).
    mutating func combine(_ name: String, label: String, _ values: [ValueRef], types: [TensorType], _ at: Node,
                          scope: [CandidateCondition]? = nil) {
        let scope = scope ?? at.scope
        if values.count == 1 && mode.isWeighted {
            nodes.append(Node(name: name, op: .identity, inputs: values, types: types, location: at.location, scope: scope))
            return
        }
        switch mode {
        case .darts, .gumbel, .proxyless:
            let w = weights(label, count: values.count, at)
            nodes.append(Node(name: name, op: .weightedSum, inputs: values + [w], types: types, location: at.location, scope: scope))
        case .sampled:
            nodes.append(Node(name: name, op: .switchOp(SwitchAttrs(label: label, count: values.count)), inputs: values, types: types,
                              location: at.location, scope: scope))
        }
    }

    /// A call of candidate `k` of the choice node `choice` (its steps run only when `choice` selects `k`, or any
    /// candidate `>= k` with `atLeast`): the scope of `at` plus that condition.
    func candidateCall(_ name: String, graph: String, inputs: [ValueRef], choice: String, _ k: Int, atLeast: Bool = false,
                       _ at: Node, outer: [CandidateCondition] = []) -> Node {
        Node(name: name, op: .call(graph: graph), inputs: inputs, location: at.location,
             scope: at.scope + outer + [CandidateCondition(choice: choice, candidate: k, atLeast: atLeast)])
    }

    private mutating func rewrite(_ node: Node) {
        switch node.op {
        case .layerChoice(let c):
            guard !c.candidates.isEmpty else { engine.error("layer choice '\(c.label)' has no candidates", at: node.location); return }
            let aux = auxSkip && (mode == .darts || mode == .gumbel) && node.inputs.count == 1 && c.candidates.count > 1
                && c.candidates.contains(where: { skipGraphs.contains($0.graph) })
            var calls: [ValueRef] = []
            let firstCall = nodes.count
            for (k, cand) in c.candidates.enumerated() {
                let call = candidateCall(exact("\(node.name).\(k)", node), graph: cand.graph, inputs: node.inputs, choice: node.name, k, node)
                nodes.append(call)
                calls.append(ValueRef(call.name))
            }
            if aux {
                // DARTS-: y = mixed + beta * x, as weighted_sum(mixed, x, [1, beta]) with one shared state tensor.
                let mixed = fresh("\(node.name).mixed")
                // The candidates are those of the mixed node.
                for i in firstCall..<nodes.count { nodes[i].scope[nodes[i].scope.count - 1].choice = mixed }
                combine(mixed, label: c.label, calls, types: node.types, node)
                if auxWeights == nil {
                    let p = Node(name: fresh("aux_skip"), op: .param(ParamAttrs(name: SupernetParameterNames.auxSkip, shape: [2],
                                                                                initializer: .ones, trainable: false,
                                                                                control: ControlParameter(.auxiliarySkip))),
                                 inputs: [], types: [TensorType(.f32, [.fixed(2)])], location: node.location)
                    nodes.append(p)
                    auxWeights = p.name
                }
                nodes.append(Node(name: node.name, op: .weightedSum, inputs: [ValueRef(mixed), node.inputs[0], ValueRef(auxWeights!)],
                                  types: node.types, location: node.location, scope: node.scope))
            } else {
                combine(node.name, label: c.label, calls, types: node.types, node)
            }
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
            rewriteRepeat(node, r)
        default:
            // Value-choice attributes are rewritten after inlining (SupernetValueChoices), where input types are known.
            nodes.append(node)
        }
    }
}
