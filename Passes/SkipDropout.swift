// SkipDropout: the `skip-dropout` pass — dropout after every skip-connection candidate of the space's choices
// (P-DARTS' regularization of skip connections during the search).
import NASCIR

/// Typed options of `skip-dropout`: the dropout probability `p` (0 <= p < 1; 0 changes nothing).
public struct SkipDropoutOptions: Sendable, Hashable {
    /// The dropout probability put after each skip candidate.
    public var probability: Double
    /// Creates the options.
    public init(probability: Double = 0) { self.probability = probability }
    /// The option keys of the text form.
    public static let keys = ["p"]

    func reading(_ reader: inout PassOptionReader) throws -> SkipDropoutOptions {
        guard let p = try reader.number("p") else { return self }
        guard p < 1 else { throw DiagnosticError(.error("option p=\(p) of '\(reader.owner)' must be below 1")) }
        return SkipDropoutOptions(probability: p)
    }
}

/// Puts `dropout(p)` after every skip candidate: a candidate subgraph of a `layer_choice` or a `cell` whose output is
/// its input (directly or through `identity` nodes). The skip is recognised by that structure, not by its name; a
/// stride-2 "skip" (DARTS' FactorizedReduce) computes something and is left alone, as in P-DARTS. The new node is
/// named `skip_dropout` (made unique in its graph) and takes the location of the identity it follows, or of the
/// candidate graph when the graph returns its input directly.
public struct SkipDropout: ConfigurablePass {
    public let name = "skip-dropout"
    public let summary = "put dropout(p) after every skip-connection candidate of layer choices and cells (option p)"

    /// This run's options.
    public var options: SkipDropoutOptions

    /// Creates the pass.
    public init(options: SkipDropoutOptions = SkipDropoutOptions()) { self.options = options }

    public static let optionKeys = SkipDropoutOptions.keys

    public func configured(_ reader: inout PassOptionReader) throws -> SkipDropout {
        SkipDropout(options: try options.reading(&reader))
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        guard options.probability > 0 else { return }
        var done: Set<String> = []
        for name in CandidateRoles.skipGraphs(space) where !done.contains(name) {
            done.insert(name)
            guard let gi = space.graphs.firstIndex(where: { $0.name == name }) else { continue }
            var g = space.graphs[gi]
            guard let out = g.outputs.first, let input = g.inputs.first else { continue }
            let location = g.node(named: out.node)?.location ?? g.location
            let dropout = Node(name: g.freshName("skip_dropout"), op: .dropout(p: .const(.float(options.probability))),
                               inputs: [out], types: g.node(named: out.node)?.types ?? [input.type], location: location)
            g.nodes.append(dropout)
            g.outputs[0] = ValueRef(dropout.name)
            space.graphs[gi] = g
        }
    }
}
