// ShapeEngine: infers the types of a graph's nodes, instantiating subgraphs for the input types they are used with.
import NASCIR

/// The working state of shape inference over one model space.
///
/// A subgraph is inferred once per distinct list of input types (an *instance*) and its output types are cached.
/// Errors are reported once per location and message; errors inside a subgraph instance carry notes naming the
/// places that instantiated it.
struct ShapeEngine {
    /// A subgraph together with the input types it is inferred for.
    struct Instance: Hashable {
        var graph: String
        var inputs: [TensorType]
    }

    /// One level of subgraph instantiation, for notes on errors inside it.
    struct Frame {
        var graph: String
        var inputs: [TensorType]
        var site: SourceLocation
    }

    /// Node result types (`nil` = untyped) and graph output types of one inference.
    struct GraphTyping {
        var nodes: [[TensorType]?]
        var outputs: [TensorType?]
    }

    let graphs: [String: Graph]
    private var cache: [Instance: [TensorType?]] = [:]
    private var active: Set<String> = []
    private var frames: [Frame] = []
    private var seen: Set<String> = []
    /// Errors found so far, in discovery order.
    private(set) var diagnostics: [Diagnostic] = []

    /// Creates an engine for `space`.
    init(space: ModelSpace) {
        var byName: [String: Graph] = [:]
        for g in space.graphs where byName[g.name] == nil { byName[g.name] = g }
        graphs = byName
    }

    /// Records an error once, with the instantiation chain as notes.
    mutating func error(_ message: String, hint: String? = nil, at location: SourceLocation) {
        guard seen.insert("\(location)|\(message)").inserted else { return }
        let notes = frames.reversed().map { f in
            Diagnostic(.note, at: f.site, "in '@\(f.graph)' with inputs (\(f.inputs.map(\.description).joined(separator: ", "))) used here")
        }
        diagnostics.append(Diagnostic(.error, at: location, message, hint: hint, notes: notes))
    }

    /// Infers every node of `g` with the given input types (the graph's declared ones when `nil`).
    mutating func infer(_ g: Graph, inputTypes: [TensorType]? = nil) -> GraphTyping {
        let types = inputTypes ?? g.inputs.map(\.type)
        var env: [String: [TensorType]] = [:]
        if types.count == g.inputs.count {
            for (i, t) in zip(g.inputs, types) { env[i.name] = [t] }
        }
        var nodeTypes: [[TensorType]?] = []
        for n in g.nodes {
            var ins: [TensorType] = []
            for r in n.inputs {
                guard let ts = env[r.node], r.slot >= 0, r.slot < ts.count else { break }
                ins.append(ts[r.slot])
            }
            let result = ins.count == n.inputs.count ? infer(n, inputs: ins) : nil
            nodeTypes.append(result)
            if let result, env[n.name] == nil { env[n.name] = result }
        }
        let outputs = g.outputs.map { r -> TensorType? in
            guard let ts = env[r.node], r.slot >= 0, r.slot < ts.count else { return nil }
            return ts[r.slot]
        }
        return GraphTyping(nodes: nodeTypes, outputs: outputs)
    }

    /// Output types of subgraph `name` for `inputs`, or `nil` if it is unknown, recursive or takes other inputs.
    mutating func outputs(of name: String, inputs: [TensorType], site: SourceLocation) -> [TensorType?]? {
        let key = Instance(graph: name, inputs: inputs)
        if let cached = cache[key] { return cached }
        guard let g = graphs[name], g.inputs.count == inputs.count, !active.contains(name) else { return nil }
        active.insert(name)
        frames.append(Frame(graph: name, inputs: inputs, site: site))
        let result = infer(g, inputTypes: inputs).outputs
        frames.removeLast()
        active.remove(name)
        cache[key] = result
        return result
    }

    /// The single output type of a one-output subgraph instance, if known.
    mutating func singleOutput(of name: String, input: TensorType?, site: SourceLocation) -> TensorType? {
        guard let input, let outs = outputs(of: name, inputs: [input], site: site), outs.count == 1 else { return nil }
        return outs[0]
    }

    /// The result types of one node given known input types; `nil` when untyped (errors are reported).
    mutating func infer(_ n: Node, inputs ins: [TensorType]) -> [TensorType]? {
        switch n.op {
        case .call(let g):
            guard let outs = outputs(of: g, inputs: ins, site: n.location) else { return nil }
            let known = outs.compactMap { $0 }
            return known.count == outs.count ? known : nil
        case .layerChoice(let lc):
            let results = lc.candidates.map { c -> TensorType? in
                guard let outs = outputs(of: c.graph, inputs: ins, site: n.location), outs.count == 1 else { return nil }
                return outs[0]
            }
            return Self.common(results).map { [$0] }
        case .inputChoice(let ic):
            return inputChoice(ic, ins, at: n.location).map { [$0] }
        case .repeated(let r):
            guard ins.count == 1 else { return nil }
            var current: TensorType? = ins[0]
            var byDepth: [TensorType?] = [current]
            for b in r.blocks {
                current = singleOutput(of: b, input: current, site: n.location)
                byDepth.append(current)
            }
            let results = r.depths.map { d in d >= 0 && d < byDepth.count ? byDepth[d] : nil }
            return Self.common(results).map { [$0] }
        case .cell(let c):
            return cell(c, ins, at: n.location).map { [$0] }
        default:
            // Gradient ops keep the types autodiff gave them.
            if n.op.kind.isBackward && n.op.kind != .paramGrad && !n.types.isEmpty { return n.types }
            do {
                return try OpShapeRules.outputType(n.op, ins).map { [$0] }
            } catch {
                self.error(error.message, hint: error.hint, at: n.location)
                return nil
            }
        }
    }

    /// The one type all results share, or `nil` if any is unknown or they differ (or there are none).
    static func common(_ results: [TensorType?]) -> TensorType? {
        guard let first = results.first ?? nil else { return nil }
        return results.allSatisfy { $0 == first } ? first : nil
    }

    /// `sum`/`mean` need equal inputs (zero chosen inputs read as zeros of that type); `concat` joins channels,
    /// so its type is known only when the channel total is; `none` passes one chosen input through.
    mutating func inputChoice(_ ic: InputChoiceOp, _ ins: [TensorType], at loc: SourceLocation) -> TensorType? {
        guard let first = ins.first else { return nil }
        switch ic.reduction {
        case .sum, .mean:
            if let m = TypeRules.equalTypes("inputs of input_choice '\(ic.label)' (reduction \(ic.reduction.rawValue))", ins) {
                error(m, at: loc)
                return nil
            }
            return first
        case .concat:
            if let m = TypeRules.concatProblem(axis: 1, ins) {
                error(m, at: loc)
                return nil
            }
            guard let k = ic.nChosen, k > 0 else { return nil }
            let channels = ins.compactMap { $0.shape[1].value }
            guard channels.count == ins.count else { return nil }
            var out = first
            if channels.allSatisfy({ $0 == channels[0] }) {
                out.shape[1] = .fixed(channels[0] * k)
            } else if k == ins.count {
                out.shape[1] = .fixed(channels.reduce(0, +))
            } else {
                return nil
            }
            return out
        case .none:
            let single = ic.nChosen == 1 || (ins.count == 1 && ic.nChosen != 0)
            return single ? Self.common(ins) : nil
        }
    }

    /// Expands a cell: node `i` sums one candidate op applied to each chosen earlier tensor, so every
    /// (input, candidate) pair must give the same type; the output concatenates the nodes along channels.
    mutating func cell(_ c: CellOp, _ ins: [TensorType], at loc: SourceLocation) -> TensorType? {
        guard c.numNodes >= 1, c.numNodes <= 1000, c.opsPerNode >= 1, !c.candidates.isEmpty, !ins.isEmpty else { return nil }
        let inputCands = c.inputCandidates.isEmpty ? c.candidates : c.inputCandidates
        var states: [TensorType?] = ins
        var nodes: [TensorType?] = []
        for _ in 0..<c.numNodes {
            var options: [TensorType?] = []
            for (j, src) in states.enumerated() {
                for cand in (j < ins.count ? inputCands : c.candidates) {
                    options.append(singleOutput(of: cand.graph, input: src, site: loc))
                }
            }
            let t = Self.common(options)
            nodes.append(t)
            states.append(t)
        }
        switch c.merge {
        case .looseEnd:
            return c.numNodes == 1 ? nodes[0] : nil
        case .all:
            let known = nodes.compactMap { $0 }
            guard known.count == nodes.count else { return nil }
            if let m = TypeRules.concatProblem(axis: 1, known) {
                error("cell '\(c.label)' cannot concatenate its nodes: \(m)", at: loc)
                return nil
            }
            var out = known[0]
            out.shape[1] = .fixed(known.reduce(0) { $0 + ($1.shape[1].value ?? 0) })
            return out
        }
    }
}
