// TypeChecks: the verifier's type checks, applied only where operand types are already known.

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
            if let m = TypeRules.elementwiseProblem(n.op.kind.rawValue, known) { error(m, at: n.location) }
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
