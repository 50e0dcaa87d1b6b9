// NodeChecks: per-node checks — arity, subgraph references and interfaces, choice attributes, value-choice labels.

extension VerifierRun {
    /// Checks one node of graph `g`.
    mutating func checkNode(_ n: Node, in g: Graph) {
        let kind = n.op.kind
        if let arity = kind.arity {
            if n.inputs.count != arity {
                error("'\(kind.rawValue)' takes \(arity) input\(arity == 1 ? "" : "s"), got \(n.inputs.count)", at: n.location)
            }
        } else if n.inputs.count < kind.minInputs {
            error("'\(kind.rawValue)' takes at least \(kind.minInputs) input\(kind.minInputs == 1 ? "" : "s"), got \(n.inputs.count)",
                  at: n.location)
        }

        var reported = Set<String>()
        for name in n.op.referencedGraphs where graphsByName[name] == nil && !reported.contains(name) {
            reported.insert(name)
            error("unknown subgraph '@\(name)'", at: n.location)
        }

        for label in n.op.valueLabels where !declaredValueChoices.contains(label) {
            error("use of undeclared value choice '$\(ValueExpr.quoteLabelIfNeeded(label))'", at: n.location)
        }

        switch n.op {
        case .call(let callee):
            if let c = graphsByName[callee], c.inputs.count != n.inputs.count {
                error("call to '@\(callee)' passes \(n.inputs.count) input\(n.inputs.count == 1 ? "" : "s") but '@\(callee)' takes \(c.inputs.count)",
                      at: n.location)
            }
        case .layerChoice(let lc):
            checkLabel(lc.label, op: "layer_choice", at: n.location)
            if lc.candidates.isEmpty { error("layer_choice '\(lc.label)' has no candidates", at: n.location) }
            checkUniqueCandidateNames(lc.candidates, what: "layer_choice '\(lc.label)'", at: n.location)
            for c in lc.candidates {
                guard let cg = graphsByName[c.graph] else { continue }
                if cg.inputs.count != n.inputs.count {
                    error("candidate '\(c.name)' (@\(c.graph)) of layer_choice '\(lc.label)' takes \(cg.inputs.count) input\(cg.inputs.count == 1 ? "" : "s") but the node has \(n.inputs.count)",
                          at: n.location)
                }
                if cg.outputs.count != 1 {
                    error("candidate '\(c.name)' (@\(c.graph)) of layer_choice '\(lc.label)' must produce 1 output, produces \(cg.outputs.count)",
                          at: n.location)
                }
            }
            recordUse(lc.label, .layerChoice(candidates: lc.candidates.map(\.name)), at: n.location)
        case .inputChoice(let ic):
            checkLabel(ic.label, op: "input_choice", at: n.location)
            if let k = ic.nChosen, k < 0 || k > n.inputs.count {
                error("input_choice '\(ic.label)' chooses \(k) of \(n.inputs.count) input\(n.inputs.count == 1 ? "" : "s")", at: n.location)
            }
            recordUse(ic.label, .inputChoice(nCandidates: n.inputs.count, nChosen: ic.nChosen), at: n.location)
        case .repeated(let r):
            checkRepeat(r, at: n.location)
        case .cell(let c):
            checkCell(c, predecessors: n.inputs.count, at: n.location)
        default:
            break
        }
        checkTypes(n, in: g)
    }

    mutating func checkLabel(_ label: String, op: String, at loc: SourceLocation) {
        if label.isEmpty { error("\(op) label must not be empty", at: loc) }
    }

    mutating func checkUniqueCandidateNames(_ cands: [NamedGraph], what: String, at loc: SourceLocation) {
        var seen = Set<String>()
        for c in cands where !seen.insert(c.name).inserted {
            error("duplicate candidate name '\(c.name)' in \(what)", at: loc)
        }
    }

    /// A subgraph used as a one-in/one-out block (repeat blocks, cell candidates).
    mutating func checkSingleInOut(_ graph: String, role: String, at loc: SourceLocation) {
        guard let g = graphsByName[graph] else { return }
        if g.inputs.count != 1 || g.outputs.count != 1 {
            error("\(role) '@\(graph)' must take 1 input and produce 1 output, but takes \(g.inputs.count) and produces \(g.outputs.count)",
                  at: loc)
        }
    }

    mutating func checkRepeat(_ r: RepeatOp, at loc: SourceLocation) {
        checkLabel(r.label, op: "repeat", at: loc)
        if r.depths.isEmpty {
            error("repeat '\(r.label)' has no depths", at: loc)
        } else {
            if r.depths.contains(where: { $0 < 0 }) { error("repeat '\(r.label)' has a negative depth", at: loc) }
            if zip(r.depths, r.depths.dropFirst()).contains(where: { $0 >= $1 }) {
                error("repeat '\(r.label)' depths must be ascending and unique, got \(r.depths)", at: loc)
            }
            let maxDepth = max(r.depths.max() ?? 0, 0)
            if r.blocks.count != maxDepth {
                error("repeat '\(r.label)' has \(r.blocks.count) block\(r.blocks.count == 1 ? "" : "s") but its largest depth is \(maxDepth)",
                      at: loc)
            }
        }
        for b in Set(r.blocks).sorted() { checkSingleInOut(b, role: "block", at: loc) }
        recordUse(r.label, .repeatDepth(depths: r.depths), at: loc)
    }

    mutating func checkCell(_ c: CellOp, predecessors: Int, at loc: SourceLocation) {
        checkLabel(c.label, op: "cell", at: loc)
        if c.numNodes < 1 { error("cell '\(c.label)' num_nodes must be at least 1, got \(c.numNodes)", at: loc) }
        if c.opsPerNode < 1 { error("cell '\(c.label)' ops_per_node must be at least 1, got \(c.opsPerNode)", at: loc) }
        if c.candidates.isEmpty { error("cell '\(c.label)' has no candidates", at: loc) }
        checkUniqueCandidateNames(c.candidates, what: "cell '\(c.label)'", at: loc)
        if !c.inputCandidates.isEmpty && c.inputCandidates.map(\.name) != c.candidates.map(\.name) {
            error("cell '\(c.label)' input_candidates must have the same names as candidates", at: loc)
        }
        for g in Set(c.candidates.map(\.graph) + c.inputCandidates.map(\.graph)).sorted() {
            checkSingleInOut(g, role: "cell candidate", at: loc)
        }
        guard c.numNodes >= 1, c.opsPerNode >= 1 else { return }
        guard c.numNodes <= 1000, c.opsPerNode <= 1000, c.numNodes * c.opsPerNode <= 10_000 else {
            error("cell '\(c.label)' is too large (num_nodes \(c.numNodes) x ops_per_node \(c.opsPerNode); at most 10000 edges)", at: loc)
            return
        }
        let names = c.candidates.map(\.name)
        // NNI numbers cell nodes after the predecessors: node m is `predecessors + m` (see ``SearchSpace``).
        for m in 0..<c.numNodes {
            let i = predecessors + m
            for j in 0..<c.opsPerNode {
                recordUse(CellLabels.op(c.label, node: i, op: j), .layerChoice(candidates: names), at: loc)
                recordUse(CellLabels.input(c.label, node: i, op: j), .inputChoice(nCandidates: i, nChosen: 1), at: loc)
            }
        }
    }
}
