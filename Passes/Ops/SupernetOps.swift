// SupernetOps: the op-table entries of the one-shot supernet's mixing ops, weighted_sum and switch.
import NASCIR

extension OpTable {
    /// DARTS mixed value `sum_k w[k] * x_k`: inputs `x_0..x_{n-1}, w` with `w` an `f32[n]`.
    static let weightedSum = OpDefinition(
        .weightedSum,
        shape: .rule { _, inputs throws(ShapeError) in
            let xs = Array(inputs.dropLast()), w = inputs[inputs.count - 1]
            if xs.count > 1, let m = TypeRules.equalTypes("'weighted_sum' candidates", xs) { throw ShapeError(m) }
            guard w.dtype == .f32, w.shape == [.fixed(xs.count)] else {
                throw ShapeError("'weighted_sum' needs f32[\(xs.count)] weights for \(xs.count) candidates, got \(w)")
            }
            return xs[0]
        },
        cost: .notModelCost,
        gradient: .rule { _, b in b.perInput(.weightedSumGrad, b.node.inputs + [b.gradOutput]) },
        sample: .weightedSum)

    /// Single-path switch: forwards the candidate the executor's selection picks; only that one gets a gradient.
    static let switchOp = OpDefinition(
        .switchOp,
        shape: .rule { op, inputs throws(ShapeError) in
            guard case .switchOp(let a) = op else { return nil }
            guard inputs.count == a.count else { throw ShapeError("'switch' has count = \(a.count) but \(inputs.count) inputs") }
            if inputs.count > 1, let m = TypeRules.equalTypes("'switch' candidates", inputs) { throw ShapeError(m) }
            return inputs[0]
        },
        cost: .notModelCost,
        gradient: .rule { op, b in
            guard case .switchOp(let a) = op else { return }
            b.perInput(.switchGrad(a), [b.gradOutput])
        },
        sample: .switchOp(SwitchAttrs(label: "op", count: 3)))
}
