// ActivationOps: the op-table entries of the elementwise activations (relu, relu6, sigmoid, tanh, gelu, hardswish).
import NASCIR

extension OpTable {
    static let relu = activation(.relu)
    static let relu6 = activation(.relu6)
    static let sigmoid = activation(.sigmoid)
    static let tanh = activation(.tanh)
    static let gelu = activation(.gelu)
    static let hardswish = activation(.hardswish)

    /// Every activation: same type out as in, 1 FLOP per element, gradient `activation_grad(x, y, gy)`.
    static func activation(_ f: Activation) -> OpDefinition {
        OpDefinition(
            Op.activation(f).kind,
            language: OpLanguageForm(summary: "activation"),
            shape: .rule { op, x throws(ShapeError) in try OpShapeRules.float(op.kind.rawValue, x[0]) },
            cost: .rule { _, s in OpCost.counts(flops: s.outputElements) },
            gradient: .rule { op, b in
                guard case .activation(let f) = op else { return }
                b.unary(.activationGrad(f), [b.node.inputs[0], b.output, b.gradOutput])
            },
            sample: .activation(f))
    }
}
