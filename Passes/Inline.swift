// Inline: replaces every `call` node by the callee's nodes, so a specialized space becomes one flat graph.
import NASCIR

/// The `inline` pass: in every graph reachable from the root, each `call @g` node is replaced by the nodes
/// of `g` (itself inlined first). An inlined node `n` of a call node `c` is named `c.n` (so names stay
/// unique and stable: nested calls give `c.d.n`; a clash with an existing name gets a `_1` suffix), and
/// keeps its own location and types. The callee's inputs read the call's inputs; uses of the call's
/// output `s` read the callee's output `s`. An inlined node's supernet scope is the call's scope followed by its own
/// (``CandidateCondition``). Graphs no longer reachable from the root are removed, so after
/// `specialize` only the root remains. Choice nodes are left alone (their candidates stay subgraphs).
public struct InlinePass: Pass {
    /// Creates the pass.
    public init() {}
    public var name: String { "inline" }
    public var summary: String { "replace calls by the callee's nodes (named <call>.<node>) and drop unreachable graphs" }

    /// Reports problems in `context.diagnostics` and then leaves `space` unchanged.
    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        do {
            space = try Self.inline(space)
        } catch let e as DiagnosticError {
            for d in e.diagnostics { context.diagnostics.emit(d) }
        }
    }

    /// `space` with every call inlined (see the type's documentation). Throws ``DiagnosticError`` for a
    /// call of an unknown graph, a recursive call, or a call whose input count differs from the callee's.
    public static func inline(_ space: ModelSpace) throws -> ModelSpace {
        var inliner = Inliner(space: space)
        var out = space
        for name in space.reachableGraphs {
            if let g = try inliner.inlined(name, stack: []) { out.update(g) }
        }
        let reachable = Set(out.reachableGraphs)
        out.graphs.removeAll { !reachable.contains($0.name) }
        return out
    }
}

/// Inlines calls, memoizing each graph's flat form.
struct Inliner {
    let space: ModelSpace
    private var done: [String: Graph] = [:]

    init(space: ModelSpace) { self.space = space }

    /// The graph named `name` with all its calls inlined (`nil` if there is no such graph).
    mutating func inlined(_ name: String, stack: [String]) throws -> Graph? {
        if let g = done[name] { return g }
        guard let graph = space.graph(named: name) else { return nil }
        var taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
        var alias: [ValueRef: ValueRef] = [:]
        var nodes: [Node] = []
        func resolve(_ r: ValueRef) -> ValueRef { alias[r] ?? r }
        func fresh(_ base: String) -> String {
            var n = base, i = 1
            // One set operation per name: insert fails while the name is taken.
            while !taken.insert(n).inserted { n = "\(base)_\(i)"; i += 1 }
            return n
        }
        for original in graph.nodes {
            var node = original
            node.inputs = node.inputs.map(resolve)
            guard case .call(let calleeName) = node.op else { nodes.append(node); continue }
            if stack.contains(calleeName) || calleeName == name {
                throw DiagnosticError(.error("graph @\(calleeName) calls itself (through \((stack + [name]).map { "@" + $0 }.joined(separator: " -> ")))",
                                             at: node.location))
            }
            guard let callee = try inlined(calleeName, stack: stack + [name]) else {
                throw DiagnosticError(.error("call of unknown graph @\(calleeName)", at: node.location))
            }
            guard callee.inputs.count == node.inputs.count else {
                throw DiagnosticError(.error("call of @\(calleeName) passes \(node.inputs.count) inputs, but it takes \(callee.inputs.count)",
                                             at: node.location))
            }
            var map: [String: ValueRef] = [:]
            for (inp, arg) in zip(callee.inputs, node.inputs) { map[inp.name] = arg }
            // Every inlined node's name first: a scope may name a choice node that comes later.
            var renamed: [String: String] = [:]
            renamed.reserveCapacity(callee.nodes.count)
            for inner in callee.nodes { renamed[inner.name] = fresh("\(node.name).\(inner.name)") }
            func mapped(_ r: ValueRef) -> ValueRef {
                if let arg = map[r.node] { return arg }
                return ValueRef(renamed[r.node] ?? r.node, slot: r.slot)
            }
            for inner in callee.nodes {
                var n = inner
                n.name = renamed[inner.name]!
                n.inputs = inner.inputs.map(mapped)
                // Inside the call's candidates: the call's conditions first, then the node's own (renamed) ones.
                if !node.scope.isEmpty || !inner.scope.isEmpty {
                    n.scope = node.scope + inner.scope.map { c in
                        var c = c
                        c.choice = renamed[c.choice] ?? c.choice
                        return c
                    }
                }
                nodes.append(n)
            }
            for (s, o) in callee.outputs.enumerated() { alias[ValueRef(node.name, slot: s)] = mapped(o) }
        }
        var g = graph
        g.nodes = nodes
        g.outputs = graph.outputs.map(resolve)
        done[name] = g
        return g
    }
}
