// Canonicalize: the `canonicalize` pass — folds expressions and trivial choices, removes identity nodes.
import NASCIR

/// Simplifies the space without changing any model it contains.
///
/// - A value choice with a single value is a constant: its uses are replaced by the value.
/// - Value-choice expressions are constant-folded and simplified (``ExprFolding``).
/// - `identity` and `dropout` with `p = 0` are removed; their users read the input instead.
/// - A `layer_choice` with one candidate becomes a `call` of it.
/// - A `repeat` with one allowed depth becomes that many chained `call`s of its blocks (depth 0: removed).
/// - An `input_choice` that must choose all of its inputs becomes `add` (sum), `scale(add, 1/k)` (mean) or
///   `concat` on channels (concat), or is removed when it has a single input.
/// - Value choices no attribute reads are dropped.
///
/// Rewritten nodes keep their name, location and types; nodes a rewrite creates take the original's location.
/// Folding a trivial choice removes its (single-option) decision from the search space.
public struct Canonicalize: Pass {
    public let name = "canonicalize"
    public let summary = "fold constant expressions and single-option choices, remove identity nodes"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        var substitute: [String: Scalar] = [:]
        for vc in space.valueChoices where vc.values.count == 1 && substitute[vc.label] == nil {
            substitute[vc.label] = vc.values[0]
        }
        for gi in space.graphs.indices {
            for ni in space.graphs[gi].nodes.indices {
                space.graphs[gi].nodes[ni].op = ExprFolding.mapExprs(space.graphs[gi].nodes[ni].op) {
                    ExprFolding.fold($0, substitute: substitute)
                }
            }
            Self.simplifyNodes(&space.graphs[gi])
        }
        let used = space.referencedValueLabels
        space.valueChoices.removeAll { !used.contains($0.label) }
    }

    /// Applies node rewrites until none applies. A rewrite only changes node `i` (or replaces it by nodes at `i`)
    /// and the uses of its value, which come later, so scanning on from `i` reaches a fixed point in one pass
    /// (restarting from 0 after every rewrite made long graphs quadratic).
    static func simplifyNodes(_ g: inout Graph) {
        var i = 0
        while i < g.nodes.count {
            if !rewrite(at: i, in: &g) { i += 1 }
        }
    }

    /// Rewrites node `i` if a rule applies; returns whether the graph changed.
    static func rewrite(at i: Int, in g: inout Graph) -> Bool {
        let n = g.nodes[i]
        switch n.op {
        case .identity where n.inputs.count == 1:
            return forward(i, to: n.inputs[0], in: &g)
        case .dropout(let p) where n.inputs.count == 1 && p.constant?.asDouble == 0:
            return forward(i, to: n.inputs[0], in: &g)
        case .layerChoice(let lc) where lc.candidates.count == 1:
            g.nodes[i].op = .call(graph: lc.candidates[0].graph)
            return true
        case .repeated(let r) where r.depths.count == 1 && n.inputs.count == 1:
            let depth = r.depths[0]
            guard depth >= 0, depth <= r.blocks.count else { return false }
            if depth == 0 { return forward(i, to: n.inputs[0], in: &g) }
            var taken = Set(g.inputs.map(\.name) + g.nodes.map(\.name))
            var chain: [Node] = []
            var current = n.inputs[0]
            for k in 0..<depth {
                let last = k == depth - 1
                var name = n.name
                if !last {
                    name = "\(n.name)_\(k)"
                    var suffix = 1
                    while taken.contains(name) { name = "\(n.name)_\(k)_\(suffix)"; suffix += 1 }
                    taken.insert(name)
                }
                chain.append(Node(name: name, op: .call(graph: r.blocks[k]), inputs: [current],
                                  types: last ? n.types : [], location: n.location, scope: n.scope))
                current = ValueRef(name)
            }
            g.nodes.replaceSubrange(i...i, with: chain)
            return true
        case .inputChoice(let ic) where ic.nChosen == n.inputs.count && !n.inputs.isEmpty:
            if n.inputs.count == 1 { return forward(i, to: n.inputs[0], in: &g) }
            switch ic.reduction {
            case .sum: g.nodes[i].op = .add
            case .concat: g.nodes[i].op = .concat(axis: 1)
            case .mean:
                // mean = scale(add(inputs), 1/k); the new sum takes the node's location and types.
                let n = g.nodes[i]
                let sum = Node(name: g.freshName("\(n.name).sum"), op: .add, inputs: n.inputs, types: n.types, location: n.location,
                               scope: n.scope)
                g.nodes[i].op = .scale(factor: 1 / Double(n.inputs.count))
                g.nodes[i].inputs = [ValueRef(sum.name)]
                g.nodes.insert(sum, at: i)
            case .none: return false
            }
            return true
        default:
            return false
        }
    }

    /// Removes node `i` and makes its users read `source`.
    static func forward(_ i: Int, to source: ValueRef, in g: inout Graph) -> Bool {
        let old = ValueRef(g.nodes[i].name)
        guard old != source else { return false }
        g.nodes.remove(at: i)
        g.replaceAllUses(of: old, with: source)
        return true
    }
}
