// StaticChecker: checks shapes through every candidate and every reachable combination of choices, by
// propagating the SET of possible types of each value, each tagged with the choices that lead to it.
import NASCIR

/// One possible type of a value and the (partial) assignment of decisions under which it occurs.
///
/// Condition values are indices: a LayerChoice candidate, a ValueChoice value, a Repeat depth (index into
/// `depths`), or an InputChoice subset as a bit mask.
struct TypeAlternative: Hashable {
    var condition: [String: Int]
    var type: TensorType
}

/// Whole-space shape checking without enumerating the space.
///
/// Every value carries a set of alternatives `(condition, type)`. A node combines the alternatives of its
/// inputs whose conditions agree (shared labels are one decision), enumerates the values of any value-choice
/// label its attributes read that the condition does not fix yet, and applies the op's shape rule. A failing
/// combination is reported at the node, naming the decisions in its condition, with notes at the candidates
/// that produced the offending types. After each node the alternatives are simplified: a label is dropped
/// from the conditions when the type does not depend on it, so the sets stay as small as the number of
/// genuinely different shapes (a space of 10^20 architectures whose shapes differ only by width keeps a few
/// alternatives per value). Candidate subgraphs are analysed once per distinct input set (memoised).
/// Limits keep pathological (usually already broken) spaces fast: at most `maxCombinations` combinations per
/// node and `maxAlternatives` alternatives per value are kept (the first ones), analysis stops after
/// `maxErrors` errors, and after `maxWork` combination evaluations in total the rest is not checked.
final class StaticChecker {
    let space: ModelSpace
    let graphs: [String: Graph]
    let values: [String: [Scalar]]
    var diagnostics: [Diagnostic] = []
    var seen: Set<String> = []
    var memo: [MemoKey: [[TypeAlternative]]] = [:]

    /// A subgraph analysed for given input alternatives.
    struct MemoKey: Hashable {
        var graph: String
        var inputs: [[TypeAlternative]]
    }
    /// Types seen per graph input / node, to annotate the IR.
    var inputTypes: [String: [Int: [TensorType]]] = [:]
    var nodeTypes: [String: [String: Set<TensorType>]] = [:]
    /// What each layer-choice candidate produced: label -> candidate index -> types.
    var candidateTypes: [String: [Int: Set<TensorType>]] = [:]
    /// Label -> (kind, location, index -> description, index -> location).
    var decisions: [String: (kind: String, location: SourceLocation, names: [Int: String], locations: [Int: SourceLocation])] = [:]
    /// How many values each decision label takes in a condition (unknown: the label is never merged away).
    var domain: [String: Int] = [:]
    var depth = 0
    static let maxCombinations = 4_096
    static let maxAlternatives = 256
    static let maxErrors = 20
    static let maxWork = 100_000
    /// Combinations evaluated so far (see ``maxWork``).
    var work = 0
    /// True once a limit stopped the analysis.
    var exhausted: Bool { work > Self.maxWork || diagnostics.count >= Self.maxErrors }

    /// Where the block instance of a node was applied: graph -> node -> (block, site).
    let sites: [String: [String: (block: String, site: SourceLocation)]]
    /// Graphs being analysed, innermost last.
    var graphStack: [String] = []

    init(space: ModelSpace, sites: [String: [String: (block: String, site: SourceLocation)]] = [:]) {
        self.space = space
        self.sites = sites
        var g: [String: Graph] = [:]
        for x in space.graphs { g[x.name] = x }
        self.graphs = g
        var v: [String: [Scalar]] = [:]
        for d in space.valueChoices {
            v[d.label] = d.values
            domain[d.label] = d.values.count
            decisions[d.label] = ("value choice", d.location, Dictionary(uniqueKeysWithValues: d.values.enumerated().map { ($0.offset, $0.element.description) }), [:])
        }
        self.values = v
    }

    /// Checks the space; returns the diagnostics and the space with inferred types filled in.
    func run() -> ([Diagnostic], ModelSpace) {
        guard let root = graphs[space.root] else { return ([], space) }
        _ = analyze(root, inputs: root.inputs.map { [TypeAlternative(condition: [:], type: $0.type)] })
        var out = space
        for gi in out.graphs.indices {
            let name = out.graphs[gi].name
            for ii in out.graphs[gi].inputs.indices {
                if let t = inputTypes[name]?[ii]?.first { out.graphs[gi].inputs[ii].type = t }
            }
            for ni in out.graphs[gi].nodes.indices {
                if let s = nodeTypes[name]?[out.graphs[gi].nodes[ni].name], s.count == 1 { out.graphs[gi].nodes[ni].types = [s.first!] }
            }
        }
        return (diagnostics.sorted { $0.location < $1.location }, out)
    }

    func report(_ d: Diagnostic) {
        let key = "\(d.location)|\(d.message)"
        if seen.insert(key).inserted { diagnostics.append(d) }
    }

    // MARK: Graphs

    func analyze(_ g: Graph, inputs: [[TypeAlternative]]) -> [[TypeAlternative]] {
        work += inputs.reduce(0) { $0 + $1.count }
        let key = MemoKey(graph: g.name, inputs: inputs)
        if let m = memo[key] { return m }
        depth += 1
        graphStack.append(g.name)
        defer { depth -= 1; graphStack.removeLast() }
        guard depth < 64 else { return g.outputs.map { _ in [] } }
        var env: [String: [TypeAlternative]] = [:]
        for (i, inp) in g.inputs.enumerated() {
            let alts = i < inputs.count ? inputs[i] : []
            env[inp.name] = alts
            var list = inputTypes[g.name, default: [:]][i, default: []]
            for a in alts where !list.contains(a.type) { list.append(a.type) }
            inputTypes[g.name, default: [:]][i] = list
        }
        for n in g.nodes {
            if exhausted { env[n.name] = []; continue }
            let ins = n.inputs.map { env[$0.node] ?? [] }
            // An input with no possible type failed upstream; stay quiet.
            if ins.contains(where: \.isEmpty) { env[n.name] = []; continue }
            let out = simplify(evaluate(n, inputs: ins))
            env[n.name] = out
            nodeTypes[g.name, default: [:]][n.name, default: []].formUnion(out.map(\.type))
        }
        let result = g.outputs.map { env[$0.node] ?? [] }
        memo[key] = result
        return result
    }

    func evaluate(_ n: Node, inputs: [[TypeAlternative]]) -> [TypeAlternative] {
        switch n.op {
        case .call(let gname):
            guard let g = graphs[gname] else { return [] }
            return analyze(g, inputs: inputs).first ?? []
        case .layerChoice(let lc):
            var names: [Int: String] = [:], locs: [Int: SourceLocation] = [:]
            var out: [TypeAlternative] = []
            for (k, c) in lc.candidates.enumerated() {
                names[k] = c.name
                guard let g = graphs[c.graph] else { continue }
                locs[k] = g.location
                for a in analyze(g, inputs: inputs).first ?? [] {
                    guard let t = tag(a, lc.label, k) else { continue }
                    candidateTypes[lc.label, default: [:]][k, default: []].insert(a.type)
                    out.append(t)
                }
            }
            if decisions[lc.label] == nil { decisions[lc.label] = ("layer choice", n.location, names, locs) }
            domain[lc.label] = lc.candidates.count
            return out
        case .inputChoice(let ic):
            return inputChoice(n, ic, inputs)
        case .repeated(let r):
            domain[r.label] = r.depths.count
            if decisions[r.label] == nil {
                decisions[r.label] = ("repeat", n.location, Dictionary(uniqueKeysWithValues: r.depths.enumerated().map { ($0.offset, "depth \($0.element)") }), [:])
            }
            var out: [TypeAlternative] = []
            var cur = inputs.first ?? []
            for (di, d) in r.depths.enumerated() where d == 0 {
                out += cur.compactMap { tag($0, r.label, di) }
            }
            for (i, b) in r.blocks.enumerated() {
                guard let g = graphs[b] else { break }
                cur = simplify(analyze(g, inputs: [cur]).first ?? [])
                if let di = r.depths.firstIndex(of: i + 1) { out += cur.compactMap { tag($0, r.label, di) } }
            }
            return out
        case .cell(let c):
            return cell(n, c, inputs)
        default:
            return baseOp(n, inputs: inputs)
        }
    }

    /// Adds `label = value` to a condition; nil when the condition already fixes the label differently.
    func tag(_ a: TypeAlternative, _ label: String, _ value: Int) -> TypeAlternative? {
        if let v = a.condition[label] { return v == value ? a : nil }
        var b = a
        b.condition[label] = value
        return b
    }

    func merge(_ a: [String: Int], _ b: [String: Int]) -> [String: Int]? {
        var out = a
        for (k, v) in b {
            if let w = out[k], w != v { return nil }
            out[k] = v
        }
        return out
    }

    /// All compatible combinations of one alternative per input.
    func combinations(_ inputs: [[TypeAlternative]]) -> [([String: Int], [TensorType])] {
        var acc: [([String: Int], [TensorType])] = [([:], [])]
        for alts in inputs {
            var next: [([String: Int], [TensorType])] = []
            outer: for (c, ts) in acc {
                for a in alts {
                    guard let m = merge(c, a.condition) else { continue }
                    next.append((m, ts + [a.type]))
                    work += 1
                    if next.count >= Self.maxCombinations { break outer }
                }
            }
            acc = next
        }
        return acc
    }

    /// Extends a condition with every assignment of the value-choice labels it does not fix yet.
    func assignments(_ cond: [String: Int], labels: [String]) -> [[String: Int]] {
        var acc = [cond]
        for l in labels where cond[l] == nil {
            guard let vs = values[l] else { continue }
            acc = acc.flatMap { c in vs.indices.map { i -> [String: Int] in var d = c; d[l] = i; return d } }
            if acc.count > Self.maxCombinations { acc = Array(acc.prefix(Self.maxCombinations)); break }
        }
        return acc
    }

    func baseOp(_ n: Node, inputs: [[TypeAlternative]]) -> [TypeAlternative] {
        var out: [TypeAlternative] = []
        var failures: [([String: Int], TypeRules.Failure, [TensorType])] = []
        outer: for (cond, types) in combinations(inputs) {
            for full in assignments(cond, labels: n.op.valueLabels) {
                work += 1
                if work > Self.maxWork { break outer }
                do {
                    let t = try TypeRules.infer(n.op, types) { e in
                        try e.evaluate { l in full[l].flatMap { i in self.values[l].map { $0[i] } } }
                    }
                    out.append(TypeAlternative(condition: full, type: t))
                } catch let f as TypeRules.Failure {
                    failures.append((full, f, types))
                } catch {
                    failures.append((full, TypeRules.Failure("\(error)"), types))
                }
            }
        }
        if let (cond, f, _) = failures.first {
            fail(at: n, message: f.message, hint: f.hint, condition: cond, successes: out.map(\.condition),
                 others: failures.dropFirst().map { ($0.0, $0.1.message) })
        }
        return out
    }

    /// Reports a failing combination at `n`, with notes at the decisions that lead to it.
    func fail(at n: Node, message: String, hint: String?, condition: [String: Int], successes: [[String: Int]],
              others: [([String: Int], String)] = []) {
        var msg = message
        let labels = condition.keys.sorted()
        if !successes.isEmpty, !labels.isEmpty {
            msg += " when " + labels.map { "\($0) = \(describe($0, condition[$0]!))" }.joined(separator: ", ")
        }
        var notes: [Diagnostic] = []
        for l in labels {
            guard let d = decisions[l], let v = condition[l] else { continue }
            let name = d.names[v] ?? String(v)
            switch d.kind {
            case "layer choice":
                let produced = candidateTypes[l]?[v].map { " produces " + $0.map(\.description).sorted().joined(separator: " or ") } ?? ""
                notes.append(Diagnostic(.note, at: d.locations[v] ?? d.location, "candidate '\(name)' of layer choice '\(l)'\(produced)"))
                // Point at a candidate that works, so both places are shown.
                let good = Set(successes.compactMap { $0[l] }).subtracting([v]).sorted()
                if let k = good.first {
                    let gp = candidateTypes[l]?[k].map { " produces " + $0.map(\.description).sorted().joined(separator: " or ") } ?? ""
                    notes.append(Diagnostic(.note, at: d.locations[k] ?? d.location, "candidate '\(d.names[k] ?? String(k))' of layer choice '\(l)'\(gp), which is accepted"))
                }
            default:
                notes.append(Diagnostic(.note, at: d.location, "\(d.kind) '\(l)' = \(describe(l, v))"))
            }
        }
        // Other candidates of the same choices that fail too (e.g. both candidates of a LayerChoice).
        var noted: Set<String> = Set(labels.compactMap { l in condition[l].map { "\(l)=\($0)" } })
        for (c, m) in others {
            for l in c.keys.sorted() {
                guard let d = decisions[l], d.kind == "layer choice", let v = c[l], condition[l] != nil,
                      noted.insert("\(l)=\(v)").inserted, noted.count <= 6 else { continue }
                let produced = candidateTypes[l]?[v].map { " produces " + $0.map(\.description).sorted().joined(separator: " or ") } ?? ""
                notes.append(Diagnostic(.note, at: d.locations[v] ?? d.location,
                                        "candidate '\(d.names[v] ?? String(v))' of layer choice '\(l)'\(produced), which fails too: \(m)"))
            }
        }
        if let g = graphStack.last, let inst = sites[g]?[n.name] {
            notes.append(Diagnostic(.note, at: inst.site, "in block '\(inst.block)' applied here"))
        }
        report(Diagnostic(.error, at: n.location, msg, hint: hint, notes: notes))
    }

    func describe(_ label: String, _ v: Int) -> String {
        if let d = decisions[label] {
            if d.kind == "input choice" {
                let idx = (0..<64).filter { v & (1 << $0) != 0 }
                return "inputs [" + idx.map(String.init).joined(separator: ", ") + "]"
            }
            if let n = d.names[v] { return n }
        }
        return String(v)
    }

    // MARK: InputChoice

    func inputChoice(_ n: Node, _ ic: InputChoiceOp, _ inputs: [[TypeAlternative]]) -> [TypeAlternative] {
        if decisions[ic.label] == nil { decisions[ic.label] = ("input choice", n.location, [:], [:]) }
        let count = inputs.count
        // Fast path: every candidate has one unconditional type, all equal, and the reduction keeps it.
        if ic.reduction == .sum || ic.reduction == .mean || (ic.reduction == .none && ic.nChosen == 1) || (ic.reduction == .concat && ic.nChosen == 1),
           let t = inputs.first?.first?.type,
           inputs.allSatisfy({ $0.count == 1 && $0[0].condition.isEmpty && $0[0].type == t }) {
            return [TypeAlternative(condition: [:], type: t)]
        }
        if ic.reduction == .sum || ic.reduction == .mean {
            // Summed or averaged candidates must agree in every combination (whatever is chosen).
            var out: [TypeAlternative] = []
            var failure: ([String: Int], String)?
            for (c, ts) in combinations(inputs) {
                if let bad = ts.first(where: { $0 != ts[0] }) {
                    if failure == nil {
                        failure = (c, "input choice '\(ic.label)' \(ic.reduction == .sum ? "sums" : "averages") candidates of different shapes: \(ts[0]) and \(bad)")
                    }
                    continue
                }
                out.append(TypeAlternative(condition: c, type: ts[0]))
            }
            if let (c, m) = failure {
                fail(at: n, message: m, hint: "to pick one of differently shaped tensors use n_chosen: 1, reduction: none", condition: c, successes: out.map(\.condition))
            }
            return out
        }
        var subsets: [Int] = []
        if let k = ic.nChosen {
            if k == 1 { subsets = (0..<count).map { 1 << $0 } }
            else if count <= 12 { subsets = (1..<(1 << count)).filter { $0.nonzeroBitCount == k } }
        } else if count <= 12 {
            subsets = Array(0..<(1 << count))
        }
        if subsets.isEmpty {
            // Too many subsets to enumerate (concat or none of several among more than 12). With one shared
            // candidate type the result is that type with 1...n times its channels; otherwise the output is
            // not tracked (downstream of it is unchecked).
            if ic.reduction == .none {
                fail(at: n, message: "input choice '\(ic.label)' with reduction none must choose one input", hint: "use n_chosen: 1",
                     condition: [:], successes: [])
                return []
            }
            var out: [TypeAlternative] = []
            for (c, ts) in combinations(inputs) {
                guard ts.allSatisfy({ $0 == ts[0] }), ts[0].rank >= 2, let ch = ts[0].shape[1].value else { continue }
                for k in (ic.nChosen.map { [$0] } ?? Array(1...count)) {
                    var t = ts[0]; t.shape[1] = .fixed(ch * k)
                    out.append(TypeAlternative(condition: c, type: t))
                }
            }
            return out
        }
        var out: [TypeAlternative] = []
        var failures: [([String: Int], String)] = []
        domain[ic.label] = subsets.count
        for mask in subsets {
            let chosen = (0..<count).filter { mask & (1 << $0) != 0 }
            if chosen.isEmpty {
                // Nothing chosen: zeros shaped like the candidates, which must then agree.
                for (c, ts) in combinations(inputs) {
                    guard ts.allSatisfy({ $0 == ts[0] }) else {
                        failures.append((c, "input choice '\(ic.label)' may choose nothing, but its candidates differ: \(ts[0]) and \(ts.first { $0 != ts[0] }!)"))
                        continue
                    }
                    if let m = merge(c, [ic.label: 0]) { out.append(TypeAlternative(condition: m, type: ts[0])) }
                }
                continue
            }
            for (c, ts) in combinations(chosen.map { inputs[$0] }) {
                guard let cond = merge(c, [ic.label: mask]) else { continue }
                do {
                    let t: TensorType
                    switch ic.reduction {
                    case .sum, .mean: t = try TypeRules.infer(chosen.count > 1 ? .add : .identity, ts) { _ in .int(0) }
                    case .concat: t = try TypeRules.infer(.concat(axis: 1), ts) { _ in .int(0) }
                    case .none:
                        guard ts.count == 1 else { throw TypeRules.Failure("input choice '\(ic.label)' with reduction none must choose one input") }
                        t = ts[0]
                    }
                    out.append(TypeAlternative(condition: cond, type: t))
                } catch let f as TypeRules.Failure {
                    failures.append((cond, "input choice '\(ic.label)': " + f.message))
                } catch { failures.append((cond, "\(error)")) }
            }
        }
        if let (c, m) = failures.first { fail(at: n, message: m, hint: nil, condition: c, successes: out.map(\.condition)) }
        return out
    }

    // MARK: Cell

    func cell(_ n: Node, _ c: CellOp, _ inputs: [[TypeAlternative]]) -> [TypeAlternative] {
        let preds = inputs.count
        // Predecessors must agree spatially (channels are adapted by the ops); say so directly.
        if let first = inputs.first?.first?.type {
            for (k, alts) in inputs.enumerated().dropFirst() {
                guard let t = alts.first?.type, t.rank == first.rank, t.rank >= 2 else { continue }
                if Array(t.shape.dropFirst(2)) != Array(first.shape.dropFirst(2)) {
                    fail(at: n, message: "the predecessors of cell '\(c.label)' differ in spatial size: \(first) (input 0) and \(t) (input \(k))",
                         hint: "bring them to one size first, e.g. a factorized reduction of the older input after a reduction cell",
                         condition: [:], successes: [])
                    return []
                }
            }
        }
        var tensors = inputs
        var nodeAlts: [[TypeAlternative]] = []
        for i in 0..<c.numNodes {
            var edges: [[TypeAlternative]] = []
            for j in 0..<c.opsPerNode {
                // NNI numbers cell nodes after the predecessors.
                let opLabel = CellLabels.op(c.label, node: preds + i, op: j), inLabel = CellLabels.input(c.label, node: preds + i, op: j)
                var names: [Int: String] = [:], locs: [Int: SourceLocation] = [:]
                var alts: [TypeAlternative] = []
                for k in 0..<(preds + i) {
                    let cands = k < preds && !c.inputCandidates.isEmpty ? c.inputCandidates : c.candidates
                    for (ci, cand) in cands.enumerated() {
                        names[ci] = cand.name
                        guard let g = graphs[cand.graph] else { continue }
                        if k >= preds || c.inputCandidates.isEmpty { locs[ci] = g.location }
                        for a in analyze(g, inputs: [tensors[k]]).first ?? [] {
                            guard let t1 = tag(a, opLabel, ci), let t2 = tag(t1, inLabel, 1 << k) else { continue }
                            candidateTypes[opLabel, default: [:]][ci, default: []].insert(a.type)
                            alts.append(t2)
                        }
                    }
                }
                if decisions[opLabel] == nil { decisions[opLabel] = ("layer choice", n.location, names, locs) }
                if decisions[inLabel] == nil { decisions[inLabel] = ("input choice", n.location, [:], [:]) }
                domain[opLabel] = c.inputCandidates.isEmpty || c.inputCandidates.count == c.candidates.count ? c.candidates.count : nil
                domain[inLabel] = preds + i
                edges.append(simplify(alts))
            }
            var sum: [TypeAlternative] = []
            var failure: ([String: Int], String)?
            for (cond, ts) in combinations(edges) {
                if let bad = ts.first(where: { $0 != ts[0] }) {
                    if failure == nil { failure = (cond, "node \(preds + i) of cell '\(c.label)' sums \(ts[0]) and \(bad), which differ") }
                    continue
                }
                sum.append(TypeAlternative(condition: cond, type: ts[0]))
            }
            if let (cond, m) = failure {
                fail(at: n, message: m, hint: "every op candidate of a cell must keep the shape of its input (or reduce it by the cell stride)", condition: cond, successes: sum.map(\.condition))
                // One error per cell: the later nodes and everything downstream would only repeat it.
                return []
            }
            let s = simplify(sum)
            nodeAlts.append(s)
            tensors.append(s)
        }
        if nodeAlts.contains(where: \.isEmpty) { return [] }
        switch c.merge {
        case .all:
            var out: [TypeAlternative] = []
            var failure: ([String: Int], String)?
            for (cond, ts) in combinations(nodeAlts) {
                do { out.append(TypeAlternative(condition: cond, type: try TypeRules.infer(.concat(axis: 1), ts) { _ in .int(0) })) }
                catch let f as TypeRules.Failure { if failure == nil { failure = (cond, "cell '\(c.label)' output: " + f.message) } }
                catch {}
            }
            if let (cond, m) = failure { fail(at: n, message: m, hint: nil, condition: cond, successes: out.map(\.condition)) }
            return out
        case .looseEnd:
            // Which nodes are loose ends depends on the input choices; with equal node types the output has
            // 1...numNodes times their channels.
            var out: [TypeAlternative] = []
            for (cond, ts) in combinations(nodeAlts) {
                guard ts.allSatisfy({ $0 == ts[0] }), ts[0].rank >= 2, let ch = ts[0].shape[1].value else {
                    fail(at: n, message: "cell '\(c.label)' with merge loose_end needs all nodes of one shape, but gets \(ts.map(\.description).joined(separator: ", "))",
                         hint: nil, condition: cond, successes: [])
                    continue
                }
                for k in 1...c.numNodes {
                    var t = ts[0]; t.shape[1] = .fixed(ch * k)
                    out.append(TypeAlternative(condition: cond, type: t))
                }
            }
            return out
        }
    }

    // MARK: Simplification

    /// Drops labels the type does not depend on, and duplicates.
    func simplify(_ altsIn: [TypeAlternative]) -> [TypeAlternative] {
        var alts = dedupe(altsIn)
        work += alts.count
        var changed = true
        while changed && alts.count > 0 && !exhausted {
            changed = false
            let labels = Set(alts.flatMap { $0.condition.keys }).sorted()
            work += alts.count * labels.count
            for l in labels {
                // Label `l` can be dropped from the alternatives agreeing on everything else only when they cover
                // every value of `l` with one type: otherwise the shorter condition would claim combinations that
                // failed or do not exist, and an error would name an incomplete condition.
                guard let size = domain[l] else { continue }
                var groups: [[String: Int]: (types: Set<TensorType>, values: Set<Int>)] = [:]
                for a in alts {
                    guard let v = a.condition[l] else { continue }
                    var c = a.condition; c[l] = nil
                    groups[c, default: ([], [])].types.insert(a.type)
                    groups[c, default: ([], [])].values.insert(v)
                }
                let complete = Set(groups.filter { $0.value.types.count == 1 && $0.value.values.count == size }.keys)
                if complete.isEmpty { continue }
                alts = dedupe(alts.map { a in
                    guard a.condition[l] != nil else { return a }
                    var c = a.condition; c[l] = nil
                    guard complete.contains(c) else { return a }
                    var b = a; b.condition = c
                    return b
                })
                changed = true
            }
        }
        if alts.count > Self.maxAlternatives { alts = Array(alts.prefix(Self.maxAlternatives)) }
        return alts
    }

    func dedupe(_ alts: [TypeAlternative]) -> [TypeAlternative] {
        var seen: Set<TypeAlternative> = []
        return alts.filter { seen.insert($0).inserted }
    }
}
