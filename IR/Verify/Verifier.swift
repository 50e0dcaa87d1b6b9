// Verifier: checks that a model space is structurally sound and well-typed where types are known.

/// Checks the invariants every pass may rely on.
///
/// Structure: the root graph exists; graph names are unique; names are unique within a graph (inputs and
/// nodes share one namespace); every edge reads a defined value (and an existing output slot); nodes are in
/// topological order with no cycles; subgraph references resolve and no subgraph uses itself; op arity and
/// the interfaces of `call`, `layer_choice`, `repeat`, `cell` and `input_choice` are respected; graph outputs exist.
///
/// Labels: every `$label` is a declared value choice; a label names one decision, so all its uses must be of
/// the same kind with the same candidates.
///
/// Types, where known (graph inputs and annotated node types): `add`/`mul` operands agree, `concat` operands
/// agree outside the axis, `input_choice` sum/mean inputs agree, and a stated `in` of `conv2d`/`linear` matches
/// the input. Whether annotated types match what shape inference computes is shape inference's job.
///
/// Every diagnostic is located at the offending node, graph, input or value-choice declaration.
public enum Verifier {
    /// All problems found, sorted by source location (stable, so equal locations keep check order).
    public static func verify(_ space: ModelSpace) -> [Diagnostic] {
        var run = VerifierRun(space: space)
        run.checkSpace()
        for g in space.graphs { run.checkGraph(g) }
        run.checkRecursion()
        run.checkLabels()
        return run.engine.diagnostics.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    /// Throws a ``DiagnosticError`` with every problem if the space is invalid.
    public static func verifyOrThrow(_ space: ModelSpace) throws {
        let d = verify(space)
        if d.contains(where: { $0.severity == .error }) { throw DiagnosticError(d) }
    }
}

/// The state of one verification: the space, graph lookup and collected diagnostics.
struct VerifierRun {
    let space: ModelSpace
    /// First graph with each name (duplicates are reported, then ignored).
    let graphsByName: [String: Graph]
    var engine = DiagnosticEngine()
    /// Decision labels used by choice nodes, in visiting order.
    var labelUses: [LabelUse] = []
    /// Labels of the declared value choices.
    let declaredValueChoices: Set<String>
    /// Value types of the graph being checked (set by `checkGraph`).
    var valueTypes: (graphName: String?, types: ValueTypes) = (nil, ValueTypes())

    init(space: ModelSpace) {
        self.space = space
        var byName: [String: Graph] = [:]
        for g in space.graphs where byName[g.name] == nil { byName[g.name] = g }
        self.graphsByName = byName
        self.declaredValueChoices = Set(space.valueChoices.map(\.label))
    }

    mutating func error(_ message: String, at location: SourceLocation, notes: [Diagnostic] = []) {
        engine.emit(Diagnostic(.error, at: location, message, notes: notes))
    }

    /// Root exists, graph names and value-choice labels are unique, value choices have values.
    mutating func checkSpace() {
        if graphsByName[space.root] == nil {
            error("root graph '@\(space.root)' is not defined", at: space.graphs.first?.location ?? .unknown)
        }
        var firstGraph: [String: Graph] = [:]
        for g in space.graphs {
            if let prev = firstGraph[g.name] {
                error("duplicate graph name '@\(g.name)'", at: g.location,
                      notes: [Diagnostic(.note, at: prev.location, "previous definition is here")])
            } else {
                firstGraph[g.name] = g
            }
        }
        var firstChoice: [String: ValueChoiceDecl] = [:]
        for vc in space.valueChoices {
            if let prev = firstChoice[vc.label] {
                error("duplicate value choice '\(vc.label)'", at: vc.location,
                      notes: [Diagnostic(.note, at: prev.location, "previous declaration is here")])
            } else {
                firstChoice[vc.label] = vc
            }
            if vc.values.isEmpty { error("value choice '\(vc.label)' has no values", at: vc.location) }
        }
    }

    /// How many values a node produces: a call yields its callee's outputs, multi-result gradient ops
    /// (batch_norm_grad, mul_grad, concat_grad) several, every other op one value.
    func outputCount(of node: Node) -> Int {
        if case .call(let g) = node.op, let callee = graphsByName[g] { return callee.outputs.count }
        if let k = node.op.gradientResultCount { return k }
        if case .concatGrad = node.op { return max(node.types.count, 1) }
        if case .weightedSumGrad = node.op { return max(node.inputs.count - 1, 1) }
        if case .switchGrad(let a) = node.op { return max(a.count, 1) }
        return 1
    }
}
