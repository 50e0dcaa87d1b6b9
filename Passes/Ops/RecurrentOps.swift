// RecurrentOps: the op-table entries of the recurrent layers over `[N,T,D]` sequences (lstm, gru) and their backward
// ops, plus their PyTorch parameters.
import NASCIR

extension OpTable {
    /// The language form both recurrent ops share: `lstm(h, hidden: H, bidirectional: true)`.
    static func recurrentLanguage(_ cell: RecurrentCell) -> OpLanguageForm {
        OpLanguageForm([AttrSpec("hidden", .expr, required: true), AttrSpec("bidirectional", .bool)], positional: ["hidden"],
                       summary: "one \(cell == .lstm ? "LSTM" : "GRU") layer over [N,T,D] (batch first) to [N,T,hidden], "
                           + "[N,T,2*hidden] bidirectional")
    }

    /// The shape rule both recurrent ops share (``TypeRules/recurrentOutput(_:_:hidden:directions:)``).
    static let recurrentShape = ShapeRule.rule { op, x throws(ShapeError) in
        guard let (cell, a) = op.recurrent else { return nil }
        let h = try AttributeValues.int(a.hidden, "hidden", of: cell.rawValue, atLeast: 1)
        switch TypeRules.recurrentOutput(cell, x, hidden: h, directions: a.directions) {
        case .success(let t): return t
        case .failure(let e):
            throw ShapeError(e.message, hint: x.first?.dtype == .i64 ? "embed token ids first: x -> embedding(vocab: V, dim: D) -> \(cell.rawValue)(...)" : nil)
        }
    }

    /// Parameters `dirs * G H (D + H + 2)`; MACs per step and direction `G H (D + H)`; FLOPs twice the MACs plus the
    /// gate math (about 10 per hidden unit per gate).
    static let recurrentCost = CostRule.rule { op, s in
        guard let (cell, a) = op.recurrent, let h = a.hidden.constantInt, s.inputs[0].rank == 3,
              let t = s.inputs[0].shape[1].value, let d = s.inputs[0].shape[2].value else { return nil }
        let g = cell.gates, dirs = a.directions
        let macs = OpCost.mul(dirs, t, g, h, d + h)
        return OpCost.counts(params: OpCost.mul(dirs, g, h, d + h + 2), macs: macs,
                             flops: OpCost.add(OpCost.mul(2, macs), OpCost.mul(10, dirs, t, g, h)))
    }

    /// The gradient rule both recurrent ops share: one backward node reading the input, the output (its saved gates),
    /// the output's gradient and the weights, giving the input's and all parameters' gradients.
    static func recurrentGradient(_ grad: @escaping @Sendable (RecurrentAttrs) -> Op) -> GradientRule {
        .rule { op, b in
            guard let (_, a) = op.recurrent else { return }
            // Inputs: x, then per direction weight_ih, weight_hh, bias_ih, bias_hh.
            let ins = b.node.inputs, count = 1 + 4 * a.directions
            var reads: [ValueRef] = [ins[0], b.output, b.gradOutput]
            for dir in 0..<a.directions { reads.append(ins[1 + 4 * dir]); reads.append(ins[2 + 4 * dir]) }
            var types: [TensorType] = []
            for k in 0..<count { types.append(b.inputType(k)) }
            let r = b.emit("grad", grad(a), reads, types)
            if b.needsGradient(0) { b.give(0, r) }
            for k in 1..<count where b.needsGradient(k) { b.give(k, ValueRef(r.node, slot: k)) }
        }
    }

    /// PyTorch `nn.LSTM(D, H, batch_first=True[, bidirectional=True])`, one layer.
    static let lstm = OpDefinition(.lstm, language: recurrentLanguage(.lstm), shape: recurrentShape, cost: recurrentCost,
                                   gradient: recurrentGradient { .lstmGrad($0) },
                                   sample: .lstm(RecurrentAttrs(hidden: .int(8))))

    /// PyTorch `nn.GRU(D, H, batch_first=True[, bidirectional=True])`, one layer.
    static let gru = OpDefinition(.gru, language: recurrentLanguage(.gru), shape: recurrentShape, cost: recurrentCost,
                                  gradient: recurrentGradient { .gruGrad($0) },
                                  sample: .gru(RecurrentAttrs(hidden: .int(8))))

    static let lstmGrad = backward(.lstmGrad(RecurrentAttrs(hidden: .int(8))))
    static let gruGrad = backward(.gruGrad(RecurrentAttrs(hidden: .int(8))))

    /// The parameters of a recurrent layer over `d` input features with `h` hidden units, named
    /// `<prefix>.weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0` (then the `_reverse` set) in PyTorch's layout,
    /// all drawn from PyTorch's `U(-1/sqrt(H), 1/sqrt(H))`.
    static func recurrentParameters(_ prefix: String, cell: RecurrentCell, inputSize d: Int, hidden h: Int,
                                    directions: Int) -> [ParamAttrs] {
        let shapes = TypeRules.recurrentParameterShapes(cell, inputSize: d, hidden: h)
        let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
        return (0..<directions).flatMap { dir in
            zip(names, shapes).map { name, shape in
                ParamAttrs(name: "\(prefix).\(name)\(dir == 1 ? "_reverse" : "")", shape: shape, initializer: .fanInUniform(fanIn: h))
            }
        }
    }
}
