// GraphStructureChecks: per-graph structure — unique names, defined values, topological order, cycles, outputs.

extension VerifierRun {
    /// Runs every per-graph check: structure first, then each node's op.
    mutating func checkGraph(_ g: Graph) {
        // Names: inputs and nodes share one namespace.
        var firstDef: [String: SourceLocation] = [:]
        func define(_ name: String, _ loc: SourceLocation, in run: inout VerifierRun) {
            if let prev = firstDef[name] {
                run.error("duplicate name '%\(name)'", at: loc,
                          notes: [Diagnostic(.note, at: prev, "previous definition is here")])
            } else {
                firstDef[name] = loc
            }
        }
        for i in g.inputs { define(i.name, i.location, in: &self) }
        for n in g.nodes { define(n.name, n.location, in: &self) }

        let inputNames = Set(g.inputs.map(\.name))
        var nodeIndex: [String: Int] = [:]
        for (i, n) in g.nodes.enumerated() where nodeIndex[n.name] == nil && !inputNames.contains(n.name) {
            nodeIndex[n.name] = i
        }

        // Edges: resolve each input; remember producer -> consumer edges between nodes.
        var successors = Array(repeating: [Int](), count: g.nodes.count)
        var backward: [(producer: Int, consumer: Int, ref: ValueRef)] = []
        for (i, n) in g.nodes.enumerated() {
            for ref in n.inputs {
                if inputNames.contains(ref.node) {
                    if ref.slot != 0 { error("use of undefined value '\(ref)'", at: n.location) }
                } else if let j = nodeIndex[ref.node] {
                    guard ref.slot >= 0, ref.slot < outputCount(of: g.nodes[j]) else {
                        error("use of undefined value '\(ref)'", at: n.location)
                        continue
                    }
                    successors[j].append(i)
                    if j >= i { backward.append((j, i, ref)) }
                } else {
                    error("use of undefined value '\(ref)'", at: n.location)
                }
            }
        }

        // Cycles versus mere out-of-order definitions.
        let sccs = CycleFinder.stronglyConnectedComponents(successors: successors)
        var cyclic = Set<Int>()
        var sccOf = Array(repeating: -1, count: g.nodes.count)
        for (k, comp) in sccs.enumerated() {
            for v in comp { sccOf[v] = k }
            let isCycle = comp.count > 1 || successors[comp[0]].contains(comp[0])
            guard isCycle else { continue }
            cyclic.formUnion(comp)
            let path = CycleFinder.cycle(from: comp.min()!, within: Set(comp), successors: successors)
            let text = (path + [path[0]]).map { "%" + g.nodes[$0].name }.joined(separator: " -> ")
            error("cycle through \(text)", at: g.nodes[path[0]].location)
        }
        for e in backward where !(cyclic.contains(e.producer) && sccOf[e.producer] == sccOf[e.consumer]) {
            error("use of value '\(e.ref)' before its definition", at: g.nodes[e.consumer].location)
        }

        // Outputs.
        if g.outputs.isEmpty { error("graph '@\(g.name)' has no outputs", at: g.location) }
        for ref in g.outputs {
            let ok: Bool
            if inputNames.contains(ref.node) { ok = ref.slot == 0 }
            else if let j = nodeIndex[ref.node] { ok = ref.slot >= 0 && ref.slot < outputCount(of: g.nodes[j]) }
            else { ok = false }
            if !ok { error("use of undefined value '\(ref)'", at: g.location) }
        }

        // Supernet scopes: each condition names a switch or weighted sum of this graph and one of its candidates.
        for n in g.nodes {
            for c in n.scope {
                guard let j = nodeIndex[c.choice], g.nodes[j].op.kind == .switchOp || g.nodes[j].op.kind == .weightedSum else {
                    error("scope of '%\(n.name)' names '%\(c.choice)', which is not a switch or weighted_sum of graph '@\(g.name)'",
                          at: n.location)
                    continue
                }
                let count = g.nodes[j].op.kind == .switchOp ? g.nodes[j].inputs.count : g.nodes[j].inputs.count - 1
                if c.candidate >= count {
                    error("scope of '%\(n.name)' names candidate \(c.candidate) of '%\(c.choice)', which has \(count)", at: n.location)
                }
            }
        }

        // Annotated result types must match the number of results.
        for n in g.nodes where !n.types.isEmpty {
            let count = outputCount(of: n)
            if n.types.count != count {
                error("node '%\(n.name)' has \(n.types.count) result types but produces \(count) value\(count == 1 ? "" : "s")",
                      at: n.location)
            }
        }

        valueTypes = (g.name, ValueTypes(g))
        for n in g.nodes { checkNode(n, in: g) }
        valueTypes = (nil, ValueTypes())
    }
}

/// Cycle detection on small dependency graphs (nodes of one graph, or graphs of one space).
enum CycleFinder {
    /// Tarjan's algorithm, iterative. Components are returned with their members in ascending order.
    static func stronglyConnectedComponents(successors: [[Int]]) -> [[Int]] {
        let n = successors.count
        var index = Array(repeating: -1, count: n)
        var low = Array(repeating: 0, count: n)
        var onStack = Array(repeating: false, count: n)
        var stack: [Int] = []
        var next = 0
        var result: [[Int]] = []
        for root in 0..<n where index[root] < 0 {
            // Each frame: vertex and position in its successor list.
            var frames: [(v: Int, i: Int)] = [(root, 0)]
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let top = frames.last {
                let v = top.v
                if top.i < successors[v].count {
                    frames[frames.count - 1].i += 1
                    let w = successors[v][top.i]
                    if index[w] < 0 {
                        index[w] = next; low[w] = next; next += 1
                        stack.append(w); onStack[w] = true
                        frames.append((w, 0))
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    frames.removeLast()
                    if let parent = frames.last { low[parent.v] = min(low[parent.v], low[v]) }
                    if low[v] == index[v] {
                        var comp: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            comp.append(w)
                            if w == v { break }
                        }
                        result.append(comp.sorted())
                    }
                }
            }
        }
        return result
    }

    /// A shortest cycle through `start` using only vertices in `members` (breadth-first), without repeating `start`.
    static func cycle(from start: Int, within members: Set<Int>, successors: [[Int]]) -> [Int] {
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let v = queue[head]; head += 1
            for w in successors[v] where members.contains(w) {
                if w == start {
                    var path = [v]
                    while let p = parent[path[0]] { path.insert(p, at: 0) }
                    return path
                }
                if parent[w] == nil && w != start {
                    parent[w] = v
                    queue.append(w)
                }
            }
        }
        return [start]
    }
}
