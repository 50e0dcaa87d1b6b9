// SearchSpaceBuilder: walks a model space depth-first and collects, checks and merges its decisions.

/// Builds the decision list of a ``SearchSpace`` (see there for the order).
struct SearchSpaceBuilder {
    let space: ModelSpace
    private(set) var decisions: [Decision] = []
    private var indexByLabel: [String: Int] = [:]
    private var visitedGraphs: Set<String> = []
    private var engine = DiagnosticEngine()

    init(space: ModelSpace) { self.space = space }

    /// Walks from the root; throws every problem found.
    mutating func build() throws {
        visit(graph: space.root)
        try engine.throwIfErrors()
    }

    private mutating func visit(graph name: String) {
        guard !visitedGraphs.contains(name), let graph = space.graph(named: name) else { return }
        visitedGraphs.insert(name)
        for node in graph.nodes { visit(node: node) }
    }

    private mutating func visit(node: Node) {
        let loc = node.location
        switch node.op {
        case .layerChoice(let c):
            if c.candidates.isEmpty {
                engine.error("layer choice '\(c.label)' has no candidates", at: loc)
            } else if let dup = Self.firstDuplicate(c.candidates.map(\.name)) {
                engine.error("layer choice '\(c.label)' has two candidates named '\(dup)'", at: loc)
            } else {
                add(Decision(label: c.label, kind: .layerChoice(candidates: c.candidates.map(\.name)), locations: [loc]))
            }
        case .inputChoice(let c):
            let n = node.inputs.count
            if let k = c.nChosen, k < 1 || k > n {
                engine.error("input choice '\(c.label)' has n_chosen = \(k), but it must be between 1 and its \(n) inputs", at: loc)
            } else if n == 0 {
                engine.error("input choice '\(c.label)' has no inputs", at: loc)
            } else {
                add(Decision(label: c.label, kind: .inputChoice(nCandidates: n, nChosen: c.nChosen), locations: [loc]))
            }
        case .repeated(let r):
            if r.depths.isEmpty {
                engine.error("repeat '\(r.label)' has no depths", at: loc)
            } else if let dup = Self.firstDuplicate(r.depths.map(String.init)) {
                engine.error("repeat '\(r.label)' lists depth \(dup) twice", at: loc)
            } else if let bad = r.depths.first(where: { $0 < 0 || $0 > r.blocks.count }) {
                engine.error("repeat '\(r.label)' has depth \(bad), but it has \(r.blocks.count) blocks", at: loc)
            } else if r.depths.count > 1 {
                // A repeat with one depth is fixed: no decision (NNI's `Repeat(block, 2)` creates none).
                add(Decision(label: r.label, kind: .repeatDepth(depths: r.depths), locations: [loc]))
            }
        case .cell(let c):
            addCellDecisions(c, predecessors: node.inputs.count, at: loc)
        default:
            break
        }
        for label in node.op.valueLabels {
            guard let decl = space.valueChoice(label) else {
                engine.error("value choice '\(label)' is not declared", at: loc)
                continue
            }
            if decl.values.isEmpty {
                engine.error("value choice '\(label)' has no values", at: decl.location)
            } else if let dup = Self.firstDuplicate(decl.values.map(\.description)) {
                engine.error("value choice '\(label)' lists \(dup) twice", at: decl.location)
            } else {
                add(Decision(label: label, kind: .valueChoice(values: decl.values), locations: [decl.location, loc]))
            }
        }
        for g in node.op.referencedGraphs { visit(graph: g) }
    }

    private mutating func addCellDecisions(_ c: CellOp, predecessors: Int, at loc: SourceLocation) {
        guard c.numNodes >= 1, c.opsPerNode >= 1 else {
            engine.error("cell '\(c.label)' needs num_nodes >= 1 and ops_per_node >= 1", at: loc)
            return
        }
        guard predecessors >= 1 else {
            engine.error("cell '\(c.label)' has no inputs (predecessors)", at: loc)
            return
        }
        guard !c.candidates.isEmpty else {
            engine.error("cell '\(c.label)' has no op candidates", at: loc)
            return
        }
        let names = c.candidates.map(\.name)
        if let dup = Self.firstDuplicate(names) {
            engine.error("cell '\(c.label)' has two candidates named '\(dup)'", at: loc)
            return
        }
        if !c.inputCandidates.isEmpty && c.inputCandidates.map(\.name) != names {
            engine.error("cell '\(c.label)' has input_candidates named differently from its candidates", at: loc)
            return
        }
        for m in 0..<c.numNodes {
            let i = predecessors + m
            for k in 0..<c.opsPerNode {
                add(Decision(label: CellLabels.input(c.label, node: i, op: k),
                             kind: .inputChoice(nCandidates: i, nChosen: 1), locations: [loc]))
                add(Decision(label: CellLabels.op(c.label, node: i, op: k),
                             kind: .layerChoice(candidates: names), locations: [loc]))
            }
        }
    }

    /// Adds a decision, merging it with an earlier one of the same label or reporting the conflict.
    private mutating func add(_ d: Decision) {
        guard let i = indexByLabel[d.label] else {
            indexByLabel[d.label] = decisions.count
            decisions.append(d)
            return
        }
        let first = decisions[i]
        guard first.kind == d.kind else {
            let here = d.locations.last ?? .unknown
            let there = first.locations.first ?? .unknown
            engine.emit(Diagnostic(.error, at: here,
                "label '\(d.label)' is reused with a different choice: \(d.kind.summary) here, \(first.kind.summary) at \(there)",
                notes: [Diagnostic(.note, at: there, "label '\(d.label)' first used here")]))
            return
        }
        for l in d.locations where !decisions[i].locations.contains(l) { decisions[i].locations.append(l) }
    }

    static func firstDuplicate(_ xs: [String]) -> String? {
        var seen: Set<String> = []
        for x in xs { if !seen.insert(x).inserted { return x } }
        return nil
    }
}

/// The labels of a cell's decisions, as NNI names them (`cell/op_2_0`, `cell/input_2_0`).
public enum CellLabels {
    /// `label/op_i_k`: the op of input `k` of the node numbered `i` (predecessors come first).
    public static func op(_ label: String, node i: Int, op k: Int) -> String { "\(label)/op_\(i)_\(k)" }
    /// `label/input_i_k`: which earlier tensor input `k` of node `i` reads.
    public static func input(_ label: String, node i: Int, op k: Int) -> String { "\(label)/input_\(i)_\(k)" }
}

extension DecisionKind {
    /// A short human description, used in diagnostics: `layer choice over [a, b]`.
    public var summary: String {
        switch self {
        case .layerChoice(let c): return "layer choice over [\(c.joined(separator: ", "))]"
        case .inputChoice(let n, let k): return "input choice of \(k.map(String.init) ?? "any") among \(n)"
        case .valueChoice(let v): return "value choice [\(v.map(\.description).joined(separator: ", "))]"
        case .repeatDepth(let d): return "repeat with depths [\(d.map(String.init).joined(separator: ", "))]"
        }
    }
}
