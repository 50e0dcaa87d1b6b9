// LowerSequence: lowering of the windowed sequence ops (conv1d, pooling over time), transpose, and their gradients.
import NASCIR

extension PlanBuilder {
    /// The conv1d geometry of a `conv1d` (or gradient) node from its forward input type `[N,T,C]`.
    func conv1dGeometry(_ a: Conv1DAttrs, input t: TensorType, _ n: Node) throws -> Conv1DGeometry {
        let len = try dim(t, 1, n), c = try dim(t, 2, n)
        let k = try int(a.kernel, "kernel", n), s = try int(a.stride, "stride", n), d = try int(a.dilation, "dilation", n)
        let p = try pad(a.padding, kernel: k, stride: s, dilation: d, size: len, n)
        let g = Conv1DGeometry(length: len, inChannels: c, outChannels: try int(a.outChannels, "out", n), kernel: k, stride: s,
                               padding: p, dilation: d, groups: try int(a.groups, "groups", n))
        if let problem = Plan.conv1dProblem(g) { throw Diagnostic.error("conv1d '\(n.name)': \(problem)", at: n.location) }
        return g
    }

    /// The pooling step of a `max_pool1d`/`avg_pool1d` (or gradient) node from its forward input type `[N,T,C]`.
    func pool1dStep(_ a: Pool1DAttrs, max isMax: Bool, input t: TensorType, _ n: Node) throws -> Pool1DStep {
        let len = try dim(t, 1, n), c = try dim(t, 2, n)
        let k = try int(a.kernel, "kernel", n), s = try a.stride.map { try int($0, "stride", n) } ?? k
        let p = try pad(a.padding, kernel: k, stride: s, dilation: 1, size: len, n)
        guard k > 0, s > 0, 2 * p <= k, len + 2 * p >= k else {
            throw Diagnostic.error("pooling '\(n.name)' has an invalid window (kernel \(k), stride \(s), padding \(p)) for \(t)",
                                   at: n.location)
        }
        return Pool1DStep(max: isMax, length: len, channels: c, kernel: k, stride: s, padding: p, input: -1, output: -1,
                          ids: nil, indices: nil)
    }

    /// Lowers one conv1d, pooling-over-time or transpose node, forward or backward.
    mutating func lowerSequenceWindow(_ n: Node) throws {
        switch n.op {
        case .conv1d(let a):
            let g = try conv1dGeometry(a, input: try type(n.inputs[0], of: n), n)
            let x = try slot(n.inputs[0], of: n), w = try paramInput(n, 1, "weight")
            let b = a.bias ? try paramInput(n, 2, "bias") : nil
            emit(.conv1dForward(Conv1DStep(geometry: g, input: x, weight: w, bias: b, output: try output(n))), n)
        case .conv1dGradInput(let a):
            let g = try conv1dGeometry(a, input: try outputType(n), n)
            let gy = try slot(n.inputs[0], of: n), w = try slot(n.inputs[1], of: n)
            emit(.conv1dBackwardInput(Conv1DStep(geometry: g, input: try output(n), weight: w, bias: nil, output: gy)), n)
        case .conv1dGradWeight(let a):
            let g = try conv1dGeometry(a, input: try type(n.inputs[0], of: n), n)
            let x = try slot(n.inputs[0], of: n), gy = try slot(n.inputs[1], of: n)
            emit(.conv1dBackwardWeight(Conv1DStep(geometry: g, input: x, weight: try output(n), bias: nil, output: gy)), n)
        case .conv1dGradBias:
            let t = try type(n.inputs[0], of: n)
            let f = try dim(t, 2, n), rows = try dim(t, 1, n)
            emit(.linearBackwardBias(LinearBackwardBiasStep(features: f, rowsPerSample: rows, gradOutput: try slot(n.inputs[0], of: n),
                                                            gradBias: try output(n))), n)
        case .maxPool1d(let a), .avgPool1d(let a):
            let isMax = n.op.kind == .maxPool1d
            var s = try pool1dStep(a, max: isMax, input: try type(n.inputs[0], of: n), n)
            s.input = try slot(n.inputs[0], of: n); s.output = try output(n)
            s.ids = n.inputs.count > 1 ? try slot(n.inputs[1], of: n) : nil
            if isMax {
                let idx = newSlot("\(n.name)/indices", .saved, slots[s.output].size, type: .i32)
                saved[n.name] = SavedSlots(indices: idx)
                s.indices = idx
            }
            emit(.pool1dForward(s), n)
        case .maxPool1dGrad(let a), .avgPool1dGrad(let a):
            let isMax = n.op.kind == .maxPool1dGrad
            var s = try pool1dStep(a, max: isMax, input: try outputType(n), n)
            if isMax {
                guard let i = try savedOf(n.inputs[0], n).indices else {
                    throw Diagnostic.error("max_pool1d_grad '\(n.name)' must read the output of a max_pool1d", at: n.location)
                }
                s.indices = i
            }
            let rest = Array(n.inputs.dropFirst(isMax ? 1 : 0))
            guard let first = rest.first else {
                throw Diagnostic.error("'\(n.name)' has no output gradient input", at: n.location)
            }
            s.output = try slot(first, of: n); s.input = try output(n)
            s.ids = rest.count > 1 ? try slot(rest[1], of: n) : nil
            emit(.pool1dBackward(s), n)
        case .transpose(let a):
            let t = try type(n.inputs[0], of: n)
            guard let i = TypeRules.normalizedAxis(a.dim0, rank: t.rank), let j = TypeRules.normalizedAxis(a.dim1, rank: t.rank),
                  i > 0, j > 0 else {
                throw Diagnostic.error("transpose '\(n.name)' cannot swap dimensions \(a.dim0) and \(a.dim1) of \(t)", at: n.location)
            }
            let shape = try (1..<t.rank).map { try dim(t, $0, n) }
            let x = try slot(n.inputs[0], of: n)
            if i == j {
                bind(n, to: x)  // the same memory order
            } else {
                emit(.transpose(TransposeStep(shape: shape, axis0: min(i, j) - 1, axis1: max(i, j) - 1, input: x,
                                              output: try output(n))), n)
            }
        default:
            throw Diagnostic.error("'\(n.op.kind.rawValue)' node '\(n.name)' is not a sequence window op", at: n.location)
        }
    }
}
