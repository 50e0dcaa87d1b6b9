// TypeChecks: the verifier's type checks, applied only where operand types are already known.

/// The known value types of the graph being checked, indexed by name (``Graph/type(of:)`` searches linearly,
/// which made verifying big graphs quadratic). Same answers: inputs first, then the first node of a name.
struct ValueTypes {
    private var inputs: [String: TensorType] = [:]
    private var nodes: [String: Int] = [:]
    private var graph: Graph?

    init() {}

    init(_ g: Graph) {
        graph = g
        for i in g.inputs where inputs[i.name] == nil { inputs[i.name] = i.type }
        for (k, n) in g.nodes.enumerated() where nodes[n.name] == nil { nodes[n.name] = k }
    }

    /// A graph input's declared type or an annotated node result, as `Graph.type(of:)` gives it.
    func type(of ref: ValueRef) -> TensorType? {
        if let t = inputs[ref.node] { return ref.slot == 0 ? t : nil }
        guard let g = graph, let k = nodes[ref.node], ref.slot >= 0, ref.slot < g.nodes[k].types.count else { return nil }
        return g.nodes[k].types[ref.slot]
    }
}

extension VerifierRun {
    /// Type of a value if known: a graph input's declared type or an annotated node result.
    func knownType(_ ref: ValueRef, in g: Graph) -> TensorType? {
        valueTypes.graphName == g.name ? valueTypes.types.type(of: ref) : g.type(of: ref)
    }

    /// Checks operand compatibility for the ops whose rules do not depend on shape inference.
    mutating func checkTypes(_ n: Node, in g: Graph) {
        let known = n.inputs.compactMap { knownType($0, in: g) }
        switch n.op {
        case .add, .mul:
            if let m = TypeRules.equalTypes("'\(n.op.kind.rawValue)' operands", known) { error(m, at: n.location) }
        case .concat(let axis):
            if let m = TypeRules.concatProblem(axis: axis, known) { error(m, at: n.location) }
        case .inputChoice(let ic) where ic.reduction == .sum || ic.reduction == .mean:
            if let m = TypeRules.equalTypes("inputs of input_choice '\(ic.label)' (reduction \(ic.reduction.rawValue))", known) {
                error(m, at: n.location)
            }
        case .conv2d(let a):
            if let stated = a.inChannels?.constantInt, let t = n.inputs.first.flatMap({ knownType($0, in: g) }),
               let m = TypeRules.statedChannelsProblem(stated: stated, input: t) {
                error(m, at: n.location)
            }
        case .linear(let a):
            if let stated = a.inFeatures?.constantInt, let t = n.inputs.first.flatMap({ knownType($0, in: g) }),
               let m = TypeRules.statedFeaturesProblem(stated: stated, input: t) {
                error(m, at: n.location)
            }
        default:
            break
        }
    }
}
