// RecursionChecks: no subgraph may use itself, directly or through other subgraphs (calls, choices, repeats, cells).

extension VerifierRun {
    /// Reports each cycle of the graph-reference relation once, at the node that closes it.
    mutating func checkRecursion() {
        var names: [String] = []
        var index: [String: Int] = [:]
        for g in space.graphs where index[g.name] == nil {
            index[g.name] = names.count
            names.append(g.name)
        }
        var successors = Array(repeating: [Int](), count: names.count)
        for (i, name) in names.enumerated() {
            guard let g = graphsByName[name] else { continue }
            for n in g.nodes {
                for r in n.op.referencedGraphs {
                    if let j = index[r], !successors[i].contains(j) { successors[i].append(j) }
                }
            }
        }
        for comp in CycleFinder.stronglyConnectedComponents(successors: successors) {
            guard comp.count > 1 || successors[comp[0]].contains(comp[0]) else { continue }
            let path = CycleFinder.cycle(from: comp.min()!, within: Set(comp), successors: successors)
            let start = names[path[0]]
            let closing = graphsByName[names[path[path.count - 1]]]
            let node = closing?.nodes.first { $0.op.referencedGraphs.contains(start) }
            let text = (path + [path[0]]).map { "@" + names[$0] }.joined(separator: " -> ")
            error("recursive use of subgraph '@\(start)' (\(text))", at: node?.location ?? closing?.location ?? .unknown)
        }
    }
}
