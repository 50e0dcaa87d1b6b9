// LowerRecurrent: lowering of the recurrent layers (lstm, gru) and their gradients to recurrent plan steps.
import NASCIR

extension PlanBuilder {
    /// Lowers one `lstm`/`gru` node (saving its gates for the backward) or its gradient node.
    mutating func lowerRecurrent(_ n: Node) throws {
        guard let (cell, a) = n.op.recurrent else {
            throw Diagnostic.error("'\(n.name)' is not a recurrent node", at: n.location)
        }
        let xt = try type(n.inputs[0], of: n)
        let t = try dim(xt, 1, n), d = try dim(xt, 2, n), h = try int(a.hidden, "hidden", n), dirs = a.directions
        guard h >= 1 else { throw Diagnostic.error("\(cell.rawValue) '\(n.name)' needs hidden >= 1, got \(h)", at: n.location) }
        let x = try slot(n.inputs[0], of: n)
        if !n.op.kind.isBackward {
            // Inputs: x, then per direction weight_ih, weight_hh, bias_ih, bias_hh.
            var p: [[SlotID]] = []
            for k in 0..<4 {
                p.append(try (0..<dirs).map { try paramInput(n, 1 + 4 * $0 + k, ["weight_ih", "weight_hh", "bias_ih", "bias_hh"][k]) })
            }
            let y = try output(n)
            let gates = newSlot("\(n.name)/gates", .saved,
                                SymbolicSize(perSample: RecurrentStep.savedPerSample(cell: cell, length: t, hidden: h, directions: dirs)))
            saved[n.name] = SavedSlots(gates: gates)
            emit(.recurrentForward(RecurrentStep(cell: cell, length: t, inputSize: d, hidden: h, bidirectional: a.bidirectional,
                                                 input: x, output: y, saved: gates, weightIH: p[0], weightHH: p[1],
                                                 biasIH: p[2], biasHH: p[3])), n)
            return
        }
        // Inputs: x, y, gy, then per direction weight_ih, weight_hh; outputs: gx, then per direction the 4 gradients.
        guard n.inputs.count == 3 + 2 * dirs, let gates = try savedOf(n.inputs[1], n).gates else {
            throw Diagnostic.error("\(n.op.kind.rawValue) '\(n.name)' must read the output of a \(cell.rawValue)", at: n.location)
        }
        let y = try slot(n.inputs[1], of: n), gy = try slot(n.inputs[2], of: n)
        let wih = try (0..<dirs).map { try slot(n.inputs[3 + 2 * $0], of: n) }
        let whh = try (0..<dirs).map { try slot(n.inputs[4 + 2 * $0], of: n) }
        let gx = try output(n, 0)
        var g: [[SlotID]] = []
        for k in 0..<4 { g.append(try (0..<dirs).map { try output(n, 1 + 4 * $0 + k) }) }
        let ws = newSlot("\(n.name)/workspace", .workspace,
                         SymbolicSize(perSample: RecurrentStep.workspacePerSample(cell: cell, length: t, hidden: h)))
        emit(.recurrentBackward(RecurrentStep(cell: cell, length: t, inputSize: d, hidden: h, bidirectional: a.bidirectional,
                                              input: x, output: y, saved: gates, weightIH: wih, weightHH: whh,
                                              gradOutput: gy, gradInput: gx, gradWeightIH: g[0], gradWeightHH: g[1],
                                              gradBiasIH: g[2], gradBiasHH: g[3], workspace: ws)), n)
    }
}
