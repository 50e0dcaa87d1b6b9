// ShapeInference: the `shape-infer` pass, which fills Node.types everywhere, and the public type-inference API.
import NASCIR

/// Fills `Node.types` of every node of every graph from the graphs' input types.
///
/// - Tensor ops follow ``OpShapeRules`` (PyTorch conventions; `global_avg_pool` gives `[N,C]`).
/// - `call` infers the callee for the actual argument types (a subgraph's declared input types only type
///   its standalone annotation).
/// - `layer_choice`: every candidate is inferred; if all agree that is the type, otherwise the node is left
///   untyped and so is everything downstream (the front end checks combinations by specializing).
/// - `repeat`: blocks are chained; typed when every allowed depth gives the same type.
/// - `input_choice`: sum/mean need equal input types; concat joins channels (typed when the total is fixed).
/// - `cell`: expanded logically; typed when every (input, candidate) pair of each node agrees.
/// - An attribute that affects the shape and reads a value choice leaves the node untyped; that is not an error.
///
/// Errors (`output size is 0 (...)`, mismatched `add` operands, bad groups, ...) are reported at the node.
/// A node whose stated types disagree with the inferred ones is an error too; untyped nodes lose stale types.
public struct ShapeInference: Pass {
    public let name = "shape-infer"
    public let summary = "infer the result types of every node (choice-dependent results stay untyped)"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        var engine = ShapeEngine(space: space)
        var mismatches: [Diagnostic] = []
        for gi in space.graphs.indices {
            let g = space.graphs[gi]
            let typing = engine.infer(g)
            for (ni, inferred) in typing.nodes.enumerated() {
                let node = g.nodes[ni]
                if let inferred, !node.types.isEmpty, node.types != inferred {
                    mismatches.append(Diagnostic(.error, at: node.location,
                        "'%\(node.name)' is stated to be \(Self.render(node.types)) but is inferred as \(Self.render(inferred))"))
                }
                space.graphs[gi].nodes[ni].types = inferred ?? []
            }
        }
        for d in engine.diagnostics + mismatches { context.diagnostics.emit(d) }
    }

    static func render(_ ts: [TensorType]) -> String { ts.map(\.description).joined(separator: ", ") }

    // MARK: - Public helpers for other phases

    /// The output type of a tensor op for the given input types: `.success(nil)` when a shape-affecting
    /// attribute reads a value choice. `call` and the choice ops need a model space (use ``inferTypes(graph:in:inputTypes:)``).
    public static func outputType(op: Op, inputs: [TensorType]) -> Result<TensorType?, ShapeError> {
        do { return .success(try OpShapeRules.outputType(op, inputs)) } catch { return .failure(error) }
    }

    /// The result types of any node (including `call` and choice nodes) for known input types, inferring the
    /// subgraphs it refers to in `space`; `nil` when they depend on a choice. Throws ``DiagnosticError`` on shape errors.
    public static func outputTypes(of node: Node, inputs: [TensorType], in space: ModelSpace) throws -> [TensorType]? {
        var engine = ShapeEngine(space: space)
        let result = engine.infer(node, inputs: inputs)
        if !engine.diagnostics.isEmpty { throw DiagnosticError(engine.diagnostics) }
        return result
    }

    /// The output types of graph `graph` of `space` for `inputTypes` (its declared input types when `nil`);
    /// an element is `nil` when that output depends on a choice. Throws ``DiagnosticError`` with every error found.
    public static func inferTypes(graph: String, in space: ModelSpace, inputTypes: [TensorType]? = nil) throws -> [TensorType?] {
        try annotate(graph: graph, in: space, inputTypes: inputTypes).outputs
    }

    /// Graph `graph` with its input types replaced by `inputTypes` and every node's types inferred for them,
    /// plus its output types. Throws ``DiagnosticError`` for an unknown graph, an input-count mismatch or a shape error.
    public static func annotate(graph: String, in space: ModelSpace, inputTypes: [TensorType]? = nil) throws
        -> (graph: Graph, outputs: [TensorType?]) {
        guard var g = space.graph(named: graph) else { throw DiagnosticError(.error("unknown subgraph '@\(graph)'")) }
        let types = inputTypes ?? g.inputs.map(\.type)
        guard types.count == g.inputs.count else {
            throw DiagnosticError(.error("'@\(graph)' takes \(g.inputs.count) inputs, got \(types.count)", at: g.location))
        }
        for i in g.inputs.indices { g.inputs[i].type = types[i] }
        var engine = ShapeEngine(space: space)
        let typing = engine.infer(g)
        if !engine.diagnostics.isEmpty { throw DiagnosticError(engine.diagnostics) }
        for (i, t) in typing.nodes.enumerated() { g.nodes[i].types = t ?? [] }
        return (g, typing.outputs)
    }
}
