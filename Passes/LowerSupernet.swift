// LowerSupernet: lowering of the supernet ops (`weighted_sum`, `switch` and their gradients) to plan steps.
import NASCIR

extension PlanBuilder {
    /// Lowers `weighted_sum` (one weighted-sum step) and `switch` (one copy `<node>#<k>` per candidate, in the
    /// switch's scope and `switch == k`).
    mutating func lowerSupernetForward(_ n: Node) throws {
        switch n.op {
        case .weightedSum:
            guard n.inputs.count >= 2 else { throw Diagnostic.error("weighted_sum '\(n.name)' needs candidates and weights", at: n.location) }
            let xs = try n.inputs.dropLast().map { try slot($0, of: n) }
            let w = try slot(n.inputs[n.inputs.count - 1], of: n)
            let y = try output(n)
            emit(.weightedSumForward(WeightedSumStep(inputs: xs, weights: w, output: y)), n)
        case .switchOp:
            let xs = try n.inputs.map { try slot($0, of: n) }
            let y = try output(n)
            for (k, x) in xs.enumerated() {
                emit(.copy(CopyStep(source: x, destination: y)), n, name: "\(n.name)#\(k)", extra: [CandidateCondition(choice: n.name, candidate: k)])
            }
        default:
            throw Diagnostic.error("'\(n.op.kind.rawValue)' node '\(n.name)' is not a supernet op", at: n.location)
        }
    }

    /// Lowers `weighted_sum_grad` (one step writing every candidate gradient and the weights' gradient) and
    /// `switch_grad` (one guarded copy of the output gradient per candidate).
    mutating func lowerSupernetBackward(_ n: Node) throws {
        switch n.op {
        case .weightedSumGrad:
            guard n.inputs.count >= 3 else { throw Diagnostic.error("weighted_sum_grad '\(n.name)' needs candidates, weights and a gradient", at: n.location) }
            let k = n.inputs.count - 2
            let xs = try n.inputs.prefix(k).map { try slot($0, of: n) }
            let w = try slot(n.inputs[k], of: n), gy = try slot(n.inputs[k + 1], of: n)
            var gxs: [SlotID?] = []
            for i in 0..<k { gxs.append(try output(n, i)) }
            let gw = try output(n, k)
            emit(.weightedSumBackward(WeightedSumStep(inputs: xs, weights: w, gradOutput: gy, gradInputs: gxs, gradWeights: gw)), n)
        case .switchGrad(let a):
            let gy = try slot(n.inputs[0], of: n)
            for k in 0..<a.count {
                let gx = try output(n, k)
                emit(.copy(CopyStep(source: gy, destination: gx)), n, name: "\(n.name)#\(k)", extra: [CandidateCondition(choice: n.name, candidate: k)])
            }
        default:
            throw Diagnostic.error("'\(n.op.kind.rawValue)' node '\(n.name)' is not a supernet gradient op", at: n.location)
        }
    }
}
