// GraphBuilder: a graph under construction during elaboration, with fresh-name generation.
import NASCIR

/// A graph under construction.
final class GraphBuilder {
    let id: Int
    let name: String
    var inputs: [GraphInput] = []
    var nodes: [Node] = []
    var outputs: [ValueRef] = []
    let location: SourceLocation

    init(id: Int, name: String, location: SourceLocation) { self.id = id; self.name = name; self.location = location }

    /// Every input and node name, for fresh-name generation.
    var taken: Set<String> = []

    var graph: Graph { Graph(name: name, inputs: inputs, nodes: nodes, outputs: outputs, location: location) }

    /// Nodes emitted inside a block instance: node name -> (block, where the instance is applied).
    var sites: [String: (block: String, site: SourceLocation)] = [:]

    /// Next suffix to try per base name (keeps fresh-name generation linear).
    var nextSuffix: [String: Int] = [:]

    /// `base`, or `base_1`, `base_2`, ... if taken.
    func freshName(_ base: String) -> String {
        if !taken.contains(base) { return base }
        var i = nextSuffix[base] ?? 1
        while taken.contains("\(base)_\(i)") { i += 1 }
        nextSuffix[base] = i
        return "\(base)_\(i)"
    }

    /// Adds a graph input.
    func addInput(_ input: GraphInput) {
        inputs.append(input)
        taken.insert(input.name)
    }

    /// Appends a node named after `base` and returns a reference to its output.
    func add(_ op: Op, inputs: [ValueRef], base: String, location: SourceLocation) -> ValueRef {
        let n = freshName(base)
        taken.insert(n)
        nodes.append(Node(name: n, op: op, inputs: inputs, location: location))
        return ValueRef(n)
    }

    /// Renames the last node if it is `ref` and `name` is free (so `y = x -> conv -> relu` names the relu `y`).
    func renameLast(_ ref: ValueRef, to name: String) -> ValueRef {
        guard let last = nodes.last, last.name == ref.node, last.name != name, !taken.contains(name) else { return ref }
        taken.remove(last.name)
        taken.insert(name)
        if let site = sites.removeValue(forKey: last.name) { sites[name] = site }
        nodes[nodes.count - 1].name = name
        return ValueRef(name, slot: ref.slot)
    }
}
