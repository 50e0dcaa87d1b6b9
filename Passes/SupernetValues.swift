// SupernetValues: the `supernet-values` pass — value choices of the inlined supernet become masked largest layers,
// and the control parameters of equal labels become one parameter.
import NASCIR

/// Runs on the flat root graph the `supernet` and `inline` passes produced (the `supernet-space` pipeline):
/// rewrites every value-choice attribute into the largest layer with masked weights (``SupernetValueChoices``:
/// the mask of a label is mixed with the mode's weights, or switched in sampled mode), then keeps one `param` node per
/// control-parameter name (architecture weights, gates, Gumbel state), moved to the top of the graph.
/// Options ``SupernetOptions``: the `mode` the `supernet` pass used and `gumbel_hard`.
public struct SupernetValuesPass: ConfigurablePass {
    public let name = "supernet-values"
    public let summary = "rewrite value choices of the flat supernet into masked largest layers; share control parameters"

    /// This run's options (the same as the `supernet` pass's).
    public var options: SupernetOptions

    /// Creates the pass.
    public init(options: SupernetOptions = SupernetOptions()) { self.options = options }

    public static let optionKeys = SupernetOptions.keys

    public func configured(_ reader: inout PassOptionReader) throws -> SupernetValuesPass {
        SupernetValuesPass(options: try options.reading(&reader))
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        let mode = options.mode
        guard var root = space.rootGraph else { return }
        if let call = root.nodes.first(where: { $0.op.kind == .call }) {
            context.diagnostics.error("'call' node '\(call.name)' in the supernet (run inline before supernet-values)", at: call.location)
            return
        }
        var values = SupernetValueChoices(space: space, graph: root, mode: mode,
                                          hard: options.hard)
        root = values.run()
        for d in values.engine.diagnostics { context.diagnostics.emit(d) }
        if values.engine.hasErrors { return }
        Self.shareAlphas(&root)
        space.update(root)
    }
    /// Keeps one `param` node per control-parameter name (moved to the top of the graph, in no candidate's scope) and
    /// rewires the others.
    static func shareAlphas(_ g: inout Graph) {
        var first: [String: String] = [:]
        var kept: [Node] = [], rest: [Node] = []
        var alias: [String: String] = [:]
        for n in g.nodes {
            if case .param(let p) = n.op, p.control != nil {
                // Shared by every use of the label: in no candidate.
                var shared = n
                shared.scope = []
                if let f = first[p.name] { alias[n.name] = f } else { first[p.name] = n.name; kept.append(shared) }
            } else {
                rest.append(n)
            }
        }
        g.nodes = kept + rest
        if alias.isEmpty { return }
        for i in g.nodes.indices {
            g.nodes[i].inputs = g.nodes[i].inputs.map { r in alias[r.node].map { ValueRef($0, slot: r.slot) } ?? r }
        }
        g.outputs = g.outputs.map { r in alias[r.node].map { ValueRef($0, slot: r.slot) } ?? r }
    }
}
