// TrainingOps: the op-table entries of the ops training passes create — param, the losses and param_grad.
import NASCIR

extension OpTable {
    /// A parameter or state tensor; its gradient is marked by `param_grad(%param, %grad)` when it is trainable.
    static let param = OpDefinition(
        .param,
        shape: .rule { op, _ throws(ShapeError) in
            guard case .param(let p) = op else { return nil }
            return TensorType(.f32, p.shape.map { .fixed($0) })
        },
        cost: .notModelCost,
        gradient: .rule { _, b in b.markParameterGradient() },
        sample: .param(ParamAttrs(name: "conv.weight", shape: [8, 3, 3, 3], initializer: .kaimingUniform(fanIn: 27))))

    /// `(scores f32[N, classes], labels i64[N]) -> f32[]`.
    static func classificationLoss(_ sample: Op) -> OpDefinition {
        OpDefinition(
            sample.kind,
            shape: .rule { op, x throws(ShapeError) in
                let name = op.kind.rawValue, t = try OpShapeRules.float(name, x[0])
                guard t.rank == 2, x[1].dtype == .i64, x[1].rank == 1 else {
                    throw ShapeError("\(name) expects [N, classes] scores and i64 [N] labels, got \(t) and \(x[1])")
                }
                return TensorType(.f32, [])
            },
            cost: .notModelCost, gradient: .notDifferentiable("autodiff attaches the loss itself"), sample: sample)
    }

    static let softmaxCrossEntropy = classificationLoss(.softmaxCrossEntropy(labelSmoothing: 0.1))
    static let nllLoss = classificationLoss(.nllLoss)

    /// `(predictions f32[N, D], targets f32[N, D]) -> f32[]`.
    static let mseLoss = OpDefinition(
        .mseLoss,
        shape: .rule { _, x throws(ShapeError) in
            let p = try OpShapeRules.float("mse_loss", x[0]), t = x[1]
            guard p.rank == 2, t.dtype == .f32, t.shape == p.shape else {
                throw ShapeError("mse_loss expects [N, D] predictions and f32 targets of the same shape, got \(p) and \(t)")
            }
            return TensorType(.f32, [])
        },
        cost: .notModelCost, gradient: .notDifferentiable("autodiff attaches the loss itself"), sample: .mseLoss)

    /// `(param, gradient)`: typed like the parameter.
    static let paramGrad = OpDefinition(
        .paramGrad, shape: .rule { _, x throws(ShapeError) in x[0] }, cost: .notModelCost,
        gradient: .notDifferentiable("second-order gradients are not supported"), sample: .paramGrad)
}
