// PlanValidation: checks a plan is self-consistent (slot ids, types and sizes) before an executor runs it.

extension Plan {
    /// One slot a step touches: its required element type and exact size (`nil` = any size), or a minimum size.
    public struct SlotUse: Hashable, Sendable {
        public var slot: SlotID
        public var type: SlotType
        public var size: SymbolicSize?
        public var atLeast = false
    }

    /// Throws a ``DiagnosticError`` naming every inconsistency: slot ids out of range, wrong element types, sizes that
    /// disagree with step geometry, bad step ranges. A plan that passes is safe to run: no kernel reads or writes
    /// outside a slot.
    public func validate() throws {
        var engine = DiagnosticEngine()
        func fail(_ m: String) { engine.error("invalid plan '\(name)': \(m)", at: .unknown) }
        for (i, s) in slots.enumerated() {
            if s.size.perSample < 0 || s.size.fixed < 0 { fail("slot \(i) '\(s.name)' has a negative size") }
            if s.size.perSample > Self.maxElements || s.size.fixed > Self.maxElements {
                fail("slot \(i) '\(s.name)' has \(s.size) elements, more than \(Self.maxElements)")
            }
            if s.role.isPersistent && s.size.perSample != 0 { fail("persistent slot \(i) '\(s.name)' depends on the batch size") }
            if s.role.isPersistent && s.type != .f32 { fail("persistent slot \(i) '\(s.name)' must be f32") }
            if s.region < 0 { fail("slot \(i) '\(s.name)' has a negative region") }
        }
        for s in selectors where s.candidates.count > 64 {
            fail("selector '\(s.label)' has \(s.candidates.count) candidates (at most 64)")
        }
        let n = steps.count
        if forwardSteps.lowerBound != 0 || forwardSteps.upperBound != backwardSteps.lowerBound
            || backwardSteps.upperBound != updateSteps.lowerBound || updateSteps.upperBound != n {
            fail("step ranges \(forwardSteps), \(backwardSteps), \(updateSteps) do not partition \(n) steps")
        }
        func check(_ id: SlotID, _ type: SlotType, _ what: String) {
            if id < 0 || id >= slots.count { fail("\(what) slot \(id) does not exist"); return }
            if slots[id].type != type { fail("\(what) slot \(id) '\(slots[id].name)' must be \(type.rawValue)") }
        }
        if dataInput >= 0, dataInput < slots.count, slots[dataInput].type == .i64 {
            check(dataInput, .i64, "data input")  // token ids
        } else {
            check(dataInput, .f32, "data input")
        }
        if let l = labelsInput {
            // Regression plans (an mse loss) take f32 targets; classification plans i64 labels.
            let regression = steps.contains { if case .lossForward(let s) = $0.kernel { return s.kind.hasFloatTargets } else { return false } }
            check(l, regression ? .f32 : .i64, "labels")
        }
        check(logits, .f32, "output")
        if let l = loss { check(l, .f32, "loss") }
        for g in gradients { check(g.parameter, .f32, "parameter"); check(g.gradient, .f32, "gradient") }
        for k in steps.indices {
            let kernel = steps[k].kernel
            // Sizes, strides and divisors first: the slot uses below compute with them.
            if let problem = Self.geometryProblem(kernel) { fail("step \(k) (\(kernel.name)): \(problem)"); continue }
            for u in Self.uses(kernel) {
                guard u.slot >= 0, u.slot < slots.count else {
                    fail("step \(k) (\(kernel.name)) uses slot \(u.slot), which does not exist"); continue
                }
                // Fields, not a copy of the slot (its name and shape would be retained per use).
                let type = slots[u.slot].type, size = slots[u.slot].size
                if type != u.type { fail("step \(k) (\(kernel.name)) needs slot \(u.slot) '\(slots[u.slot].name)' to be \(u.type.rawValue)") }
                if let need = u.size {
                    let ok = u.atLeast ? (size.perSample >= need.perSample && size.fixed >= need.fixed) : size == need
                    if !ok { fail("step \(k) (\(kernel.name)) needs slot \(u.slot) '\(slots[u.slot].name)' of size \(need), it has \(size)") }
                }
            }
            let same = Self.sameSize(kernel).filter { $0 >= 0 && $0 < slots.count }
            if let first = same.first, same.contains(where: { slots[$0].size != slots[first].size }) {
                fail("step \(k) (\(kernel.name)) needs slots \(same) to have equal sizes")
            }
            if case .optimizerUpdate(let u) = kernel, u.param >= 0, u.param < slots.count {
                let nb = optimizer?.stateBuffers ?? 0
                let need = SymbolicSize.fixed(nb * slots[u.param].size.fixed)
                if optimizer == nil { fail("step \(k) updates parameters but the plan has no optimizer") }
                if (nb == 0) != (u.state == nil) || (u.state.map { $0 >= 0 && $0 < slots.count && slots[$0].size != need } ?? false) {
                    fail("step \(k) (optimizer_update) needs a state slot of \(need) floats")
                }
            }
            for c in steps[k].guardedBy?.conditions ?? [] {
                if c.selector < 0 || c.selector >= selectors.count {
                    fail("step \(k) (\(kernel.name)) is guarded by selector \(c.selector), the plan has \(selectors.count)")
                } else if c.candidate < 0 || c.candidate >= selectors[c.selector].candidates.count {
                    fail("step \(k) (\(kernel.name)) is guarded by candidate \(c.candidate) of selector '\(selectors[c.selector].label)', which has \(selectors[c.selector].candidates.count)")
                }
            }
            if case .softmaxForward(let sm) = kernel, sm.input >= 0, sm.input < slots.count,
               slots[sm.input].size.perSample % sm.columns != 0 || slots[sm.input].size.fixed % sm.columns != 0 {
                fail("step \(k) (\(kernel.name)) has a row width that does not divide its input")
            }
        }
        try engine.throwIfErrors()
    }

    /// Slots of a step that must have the same size.
    static func sameSize(_ k: KernelStep) -> [SlotID] {
        switch k {
        case .activationForward(let s), .activationBackward(let s):
            return [s.input, s.output] + [s.gradOutput, s.gradInput].compactMap { $0 }
        case .dropoutForward(let s), .dropoutBackward(let s): return [s.input, s.output, s.mask]
        case .add(let s), .mul(let s): return s.inputs + [s.output]
        case .scale(let s): return [s.input, s.output]
        case .mulBackward(let s): return [s.a, s.b, s.gradOutput] + [s.gradA, s.gradB].compactMap { $0 }
        case .copy(let s): return [s.destination] + [s.source].compactMap { $0 }
        case .softmaxForward(let s), .softmaxBackward(let s): return [s.input, s.output] + [s.gradOutput, s.gradInput].compactMap { $0 }
        case .optimizerUpdate(let s): return [s.param, s.grad]
        case .weightedSumForward(let s), .weightedSumBackward(let s):
            return s.inputs + [s.output, s.gradOutput].compactMap { $0 } + s.gradInputs.compactMap { $0 }
        default: return []
        }
    }

    static func ps(_ n: Int) -> SymbolicSize { SymbolicSize(perSample: n) }

    /// The largest size (channels, height, kernel, stride, features, ...) a step may state.
    public static let maxDimension = 1 << 24
    /// The most elements a slot, or any operand a step computes the size of, may have.
    public static let maxElements = 1 << 40

    /// The product of `xs` when every factor is non-negative and the product is at most ``maxElements``.
    static func boundedProduct(_ xs: Int...) -> Int? {
        var p = 1
        for x in xs {
            guard x >= 0 else { return nil }
            let (r, o) = p.multipliedReportingOverflow(by: x)
            guard !o, r <= maxElements else { return nil }
            p = r
        }
        return p
    }

    /// A geometry that no kernel can run, or whose sizes are out of range: checked before any arithmetic on the
    /// step's numbers (a decoded plan may hold any 64-bit value), so that ``uses(_:)`` and the kernels can compute
    /// with them without overflow or division by zero.
    static func geometryProblem(_ k: KernelStep) -> String? {
        let dim = 1...maxDimension
        func linearProblem(_ inFeatures: Int, _ outFeatures: Int, _ rows: Int) -> String? {
            guard dim.contains(inFeatures), dim.contains(outFeatures), dim.contains(rows),
                  boundedProduct(rows, inFeatures) != nil, boundedProduct(rows, outFeatures) != nil,
                  boundedProduct(inFeatures, outFeatures) != nil else { return "invalid linear sizes" }
            return nil
        }
        func conv(_ g: ConvGeometry) -> String? {
            guard [g.inChannels, g.inHeight, g.inWidth, g.outChannels, g.kernel, g.stride, g.dilation, g.groups].allSatisfy(dim.contains),
                  (0...maxDimension).contains(g.padding) else { return "invalid convolution geometry \(g)" }
            let ok = g.inChannels > 0 && g.inHeight > 0 && g.inWidth > 0 && g.outChannels > 0 && g.kernel > 0 && g.stride > 0
                && g.padding >= 0 && g.dilation > 0 && g.groups > 0 && g.inChannels % g.groups == 0 && g.outChannels % g.groups == 0
                && g.outHeight > 0 && g.outWidth > 0
            guard ok else { return "invalid convolution geometry \(g)" }
            guard boundedProduct(g.inChannels, g.inHeight, g.inWidth) != nil, boundedProduct(g.outChannels, g.outHeight, g.outWidth) != nil,
                  boundedProduct(g.outChannels, g.inChannels / g.groups, g.kernel, g.kernel) != nil,
                  boundedProduct(g.inChannels / g.groups, g.kernel, g.kernel, g.outHeight, g.outWidth) != nil else {
                return "convolution geometry \(g) is too large"
            }
            return nil
        }
        func pool(_ g: PoolGeometry) -> String? {
            guard [g.channels, g.inHeight, g.inWidth, g.kernel, g.stride].allSatisfy(dim.contains), (0...maxDimension).contains(g.padding) else {
                return "invalid pooling geometry \(g)"
            }
            guard boundedProduct(g.channels, g.inHeight, g.inWidth) != nil else { return "pooling geometry \(g) is too large" }
            let ok = g.channels > 0 && g.inHeight > 0 && g.inWidth > 0 && g.kernel > 0 && g.stride > 0 && g.padding >= 0
                && 2 * g.padding <= g.kernel && g.outHeight > 0 && g.outWidth > 0
            return ok ? nil : "invalid pooling geometry \(g)"
        }
        switch k {
        case .convForward(let s): return conv(s.geometry)
        case .convBackwardInput(let s): return conv(s.geometry)
        case .convBackwardWeight(let s): return conv(s.geometry)
        case .convBackwardBias(let s): return conv(s.geometry)
        case .maxPoolForward(let s), .maxPoolBackward(let s), .avgPoolForward(let s), .avgPoolBackward(let s): return pool(s.geometry)
        case .linearForward(let s):
            return linearProblem(s.inFeatures, s.outFeatures, s.rowsPerSample)
        case .linearBackwardInput(let s):
            return linearProblem(s.inFeatures, s.outFeatures, s.rowsPerSample)
        case .linearBackwardWeight(let s):
            return linearProblem(s.inFeatures, s.outFeatures, s.rowsPerSample)
        case .linearBackwardBias(let s):
            guard dim.contains(s.features), dim.contains(s.rowsPerSample),
                  boundedProduct(s.rowsPerSample, s.features) != nil else { return "invalid linear sizes" }
            return nil
        case .batchNormForward(let s), .batchNormBackward(let s), .batchNormFold(let s):
            return s.channels > 0 && s.spatial > 0 && boundedProduct(s.channels, s.spatial) != nil ? nil : "invalid batchnorm sizes"
        case .layerNormForward(let s), .layerNormBackward(let s):
            return s.features > 0 && s.rowsPerSample > 0 && boundedProduct(s.features, s.rowsPerSample) != nil ? nil : "invalid layernorm sizes"
        case .globalAvgPoolForward(let s), .globalAvgPoolBackward(let s):
            return s.channels > 0 && s.spatial > 0 && boundedProduct(s.channels, s.spatial) != nil ? nil : "invalid global pooling sizes"
        case .embeddingForward(let s), .embeddingBackward(let s):
            return dim.contains(s.positions) && dim.contains(s.vocab) && dim.contains(s.dim)
                && boundedProduct(s.positions, s.dim) != nil && boundedProduct(s.vocab, s.dim) != nil ? nil : "invalid embedding sizes"
        case .sequencePoolForward(let s), .sequencePoolBackward(let s):
            guard dim.contains(s.length), dim.contains(s.features), boundedProduct(s.length, s.features) != nil else {
                return "invalid sequence pooling sizes"
            }
            return s.max == (s.indices != nil) ? nil : "max pooling over time needs argmax indices (and mean pooling none)"
        case .attentionForward(let s), .attentionBackward(let s):
            guard dim.contains(s.length), dim.contains(s.dim), dim.contains(s.heads), s.dim % s.heads == 0,
                  boundedProduct(s.length, 4 * s.dim) != nil, boundedProduct(s.heads, s.length, s.length) != nil,
                  boundedProduct(3 * s.dim, s.dim) != nil else {
                return "invalid attention sizes (the head count must divide the model dimension)"
            }
            if case .attentionBackward = k {
                return [s.gradOutput, s.gradInput, s.gradInWeight, s.gradInBias, s.gradOutWeight, s.gradOutBias, s.workspace]
                    .allSatisfy({ $0 != nil }) ? nil : "attention backward needs its gradients and workspace"
            }
            return s.inBias != nil && s.outBias != nil ? nil : "attention forward needs both biases"
        case .recurrentForward(let s), .recurrentBackward(let s):
            guard dim.contains(s.length), dim.contains(s.inputSize), dim.contains(s.hidden),
                  boundedProduct(s.length, 2 * s.cell.gates * s.hidden + s.hidden, s.directions) != nil,
                  boundedProduct(s.gateRows, max(s.inputSize, s.hidden)) != nil,
                  s.weightIH.count == s.directions, s.weightHH.count == s.directions else {
                return "invalid recurrent layer sizes"
            }
            if case .recurrentBackward = k {
                let d = s.directions
                return s.gradOutput != nil && s.gradInput != nil && s.workspace != nil && s.gradWeightIH.count == d
                    && s.gradWeightHH.count == d && s.gradBiasIH.count == d && s.gradBiasHH.count == d
                    ? nil : "recurrent backward needs its gradients and workspace"
            }
            return s.biasIH.count == s.directions && s.biasHH.count == s.directions ? nil : "recurrent forward needs its biases"
        case .conv1dForward(let g), .conv1dBackwardInput(let g), .conv1dBackwardWeight(let g):
            return conv1dProblem(g.geometry)
        case .pool1dForward(let s), .pool1dBackward(let s):
            guard [s.length, s.channels, s.kernel, s.stride].allSatisfy(dim.contains), (0...maxDimension).contains(s.padding),
                  2 * s.padding <= s.kernel, s.length + 2 * s.padding >= s.kernel, boundedProduct(s.length, s.channels) != nil else {
                return "invalid pooling-over-time geometry"
            }
            return s.max == (s.indices != nil) ? nil : "max pooling over time needs argmax indices (and mean pooling none)"
        case .transpose(let s):
            guard s.shape.allSatisfy(dim.contains), boundedProduct(s.shape) != nil, s.axis0 >= 0, s.axis0 < s.axis1,
                  s.axis1 < s.shape.count else { return "invalid transpose" }
            return nil
        case .add(let s), .mul(let s): return s.inputs.count >= 2 ? nil : "needs at least 2 inputs"
        case .scale(let s): return s.factor.isFinite ? nil : "needs a finite factor"
        case .weightedSumForward(let s):
            return !s.inputs.isEmpty && s.output != nil ? nil : "needs inputs and an output"
        case .weightedSumBackward(let s):
            return !s.inputs.isEmpty && s.gradOutput != nil && s.gradInputs.count == s.inputs.count ? nil : "needs a gradient per input"
        case .concat(let s), .concatBackward(let s):
            guard !s.parts.isEmpty, s.parts.count == s.channels.count, s.parts.count <= 1 << 16, s.spatial > 0,
                  s.channels.allSatisfy(dim.contains), boundedProduct(s.channels.reduce(0, +), s.spatial) != nil else {
                return "invalid concat parts"
            }
            return nil
        case .softmaxForward(let s), .softmaxBackward(let s): return dim.contains(s.columns) ? nil : "invalid softmax width"
        case .lossForward(let s), .lossBackward(let s): return dim.contains(s.classes) ? nil : "invalid class count"
        case .dropoutForward(let s), .dropoutBackward(let s):
            return s.probability >= 0 && s.probability < 1 ? nil : "dropout probability must be in [0, 1)"
        default: return nil
        }
    }

    /// Every slot a step touches (read or written), with its type and size.
    /// The labels slot of a loss step: i64 class labels (one per sample), or f32 regression targets (`classes` per sample).
    static func labelsUse(_ s: LossStep) -> SlotUse {
        s.kind.hasFloatTargets ? SlotUse(slot: s.labels, type: .f32, size: ps(s.classes)) : SlotUse(slot: s.labels, type: .i64, size: ps(1))
    }

    public static func uses(_ k: KernelStep) -> [SlotUse] {
        func f(_ s: SlotID, _ size: SymbolicSize?) -> SlotUse { SlotUse(slot: s, type: .f32, size: size) }
        func opt(_ s: SlotID?, _ size: SymbolicSize?) -> [SlotUse] { s.map { [f($0, size)] } ?? [] }
        func ws(_ s: SlotID?, _ n: Int) -> [SlotUse] { s.map { [SlotUse(slot: $0, type: .f32, size: .fixed(n), atLeast: true)] } ?? [] }
        switch k {
        case .convForward(let s):
            let g = s.geometry
            return [f(s.input, ps(g.inChannels * g.inHeight * g.inWidth)), f(s.weight, .fixed(g.weightCount)),
                    f(s.output, ps(g.outChannels * g.outHeight * g.outWidth))] + opt(s.bias, .fixed(g.outChannels))
                + ws(s.workspace, g.workspaceCount) + (g.workspaceCount > 0 && s.workspace == nil ? [f(-1, nil)] : [])
        case .convBackwardInput(let s):
            let g = s.geometry
            return [f(s.gradInput, ps(g.inChannels * g.inHeight * g.inWidth)), f(s.weight, .fixed(g.weightCount)),
                    f(s.gradOutput, ps(g.outChannels * g.outHeight * g.outWidth))]
                + ws(s.workspace, g.workspaceCount) + (g.workspaceCount > 0 && s.workspace == nil ? [f(-1, nil)] : [])
        case .convBackwardWeight(let s):
            let g = s.geometry
            return [f(s.input, ps(g.inChannels * g.inHeight * g.inWidth)), f(s.gradWeight, .fixed(g.weightCount)),
                    f(s.gradOutput, ps(g.outChannels * g.outHeight * g.outWidth))]
                + ws(s.workspace, g.workspaceCount) + (g.workspaceCount > 0 && s.workspace == nil ? [f(-1, nil)] : [])
        case .convBackwardBias(let s):
            let g = s.geometry
            return [f(s.gradOutput, ps(g.outChannels * g.outHeight * g.outWidth)), f(s.gradBias, .fixed(g.outChannels))]
        case .linearForward(let s):
            return [f(s.input, ps(s.rowsPerSample * s.inFeatures)), f(s.weight, .fixed(s.inFeatures * s.outFeatures)),
                    f(s.output, ps(s.rowsPerSample * s.outFeatures))] + opt(s.bias, .fixed(s.outFeatures))
        case .linearBackwardInput(let s):
            return [f(s.gradInput, ps(s.rowsPerSample * s.inFeatures)), f(s.weight, .fixed(s.inFeatures * s.outFeatures)),
                    f(s.gradOutput, ps(s.rowsPerSample * s.outFeatures))]
        case .linearBackwardWeight(let s):
            return [f(s.input, ps(s.rowsPerSample * s.inFeatures)), f(s.gradWeight, .fixed(s.inFeatures * s.outFeatures)),
                    f(s.gradOutput, ps(s.rowsPerSample * s.outFeatures))]
        case .linearBackwardBias(let s):
            return [f(s.gradOutput, ps(s.rowsPerSample * s.features)), f(s.gradBias, .fixed(s.features))]
        case .batchNormForward(let s), .batchNormBackward(let s):
            let x = ps(s.channels * s.spatial), c = SymbolicSize.fixed(s.channels)
            return [f(s.input, x), f(s.output, x), f(s.runningMean, c), f(s.runningVar, c), f(s.savedMean, c), f(s.savedInvStd, c)]
                + opt(s.gamma, c) + opt(s.beta, c) + opt(s.gradOutput, x) + opt(s.gradInput, x) + opt(s.gradGamma, c) + opt(s.gradBeta, c)
        case .batchNormFold(let s):
            let x = SymbolicSize.fixed(s.channels * s.spatial), c = SymbolicSize.fixed(s.channels)
            return [f(s.input, x), f(s.output, x), f(s.runningMean, c), f(s.runningVar, c), f(s.savedMean, c), f(s.savedInvStd, c)]
                + opt(s.gamma, c) + opt(s.beta, c)
        case .layerNormForward(let s), .layerNormBackward(let s):
            let x = ps(s.rowsPerSample * s.features), c = SymbolicSize.fixed(s.features), r = ps(s.rowsPerSample)
            return [f(s.input, x), f(s.output, x), f(s.savedMean, r), f(s.savedInvStd, r)]
                + opt(s.gamma, c) + opt(s.beta, c) + opt(s.gradOutput, x) + opt(s.gradInput, x) + opt(s.gradGamma, c) + opt(s.gradBeta, c)
        case .activationForward(let s), .activationBackward(let s):
            return [f(s.input, nil), f(s.output, nil)] + opt(s.gradOutput, nil) + opt(s.gradInput, nil)
        case .maxPoolForward(let s), .maxPoolBackward(let s), .avgPoolForward(let s), .avgPoolBackward(let s):
            let g = s.geometry, out = ps(g.channels * g.outHeight * g.outWidth)
            return [f(s.input, ps(g.channels * g.inHeight * g.inWidth)), f(s.output, out)]
                + (s.indices.map { [SlotUse(slot: $0, type: .i32, size: out)] } ?? [])
        case .globalAvgPoolForward(let s), .globalAvgPoolBackward(let s):
            return [f(s.input, ps(s.channels * s.spatial)), f(s.output, ps(s.channels))]
        case .embeddingForward(let s), .embeddingBackward(let s):
            return [SlotUse(slot: s.ids, type: .i64, size: ps(s.positions)), f(s.weight, .fixed(s.vocab * s.dim)),
                    f(s.output, ps(s.positions * s.dim))]
        case .sequencePoolForward(let s), .sequencePoolBackward(let s):
            return [f(s.input, ps(s.length * s.features)), f(s.output, ps(s.features))]
                + (s.ids.map { [SlotUse(slot: $0, type: .i64, size: ps(s.length))] } ?? [])
                + (s.indices.map { [SlotUse(slot: $0, type: .i32, size: ps(s.features))] } ?? [])
        case .attentionForward(let s), .attentionBackward(let s):
            let x = ps(s.length * s.dim), d3 = 3 * s.dim
            let ws = ps(s.length * 4 * s.dim + s.heads * s.length * s.length)
            return [f(s.input, x), f(s.inWeight, .fixed(d3 * s.dim)), f(s.outWeight, .fixed(s.dim * s.dim)), f(s.output, x),
                    f(s.qkv, ps(s.length * d3)), f(s.probabilities, ps(s.heads * s.length * s.length)), f(s.context, x)]
                + (s.ids.map { [SlotUse(slot: $0, type: .i64, size: ps(s.length))] } ?? [])
                + opt(s.inBias, .fixed(d3)) + opt(s.outBias, .fixed(s.dim)) + opt(s.gradOutput, x) + opt(s.gradInput, x)
                + opt(s.gradInWeight, .fixed(d3 * s.dim)) + opt(s.gradInBias, .fixed(d3))
                + opt(s.gradOutWeight, .fixed(s.dim * s.dim)) + opt(s.gradOutBias, .fixed(s.dim)) + opt(s.workspace, ws)
        case .recurrentForward(let s), .recurrentBackward(let s):
            let x = ps(s.length * s.inputSize), y = ps(s.length * s.directions * s.hidden)
            let wih = SymbolicSize.fixed(s.gateRows * s.inputSize), whh = SymbolicSize.fixed(s.gateRows * s.hidden)
            let b = SymbolicSize.fixed(s.gateRows)
            let saved = ps(RecurrentStep.savedPerSample(cell: s.cell, length: s.length, hidden: s.hidden, directions: s.directions))
            let ws = ps(RecurrentStep.workspacePerSample(cell: s.cell, length: s.length, hidden: s.hidden))
            return [f(s.input, x), f(s.output, y), f(s.saved, saved)] + s.weightIH.map { f($0, wih) } + s.weightHH.map { f($0, whh) }
                + (s.biasIH + s.biasHH + s.gradBiasIH + s.gradBiasHH).map { f($0, b) } + opt(s.gradOutput, y) + opt(s.gradInput, x)
                + s.gradWeightIH.map { f($0, wih) } + s.gradWeightHH.map { f($0, whh) } + opt(s.workspace, ws)
        case .conv1dForward(let s), .conv1dBackwardInput(let s), .conv1dBackwardWeight(let s):
            let g = s.geometry
            return [f(s.input, ps(g.length * g.inChannels)), f(s.weight, .fixed(g.weightCount)),
                    f(s.output, ps(g.outLength * g.outChannels))] + opt(s.bias, .fixed(g.outChannels))
        case .pool1dForward(let s), .pool1dBackward(let s):
            let out = ps(s.outLength * s.channels)
            return [f(s.input, ps(s.length * s.channels)), f(s.output, out)]
                + (s.ids.map { [SlotUse(slot: $0, type: .i64, size: ps(s.length))] } ?? [])
                + (s.indices.map { [SlotUse(slot: $0, type: .i32, size: out)] } ?? [])
        case .transpose(let s):
            let n = ps(s.shape.reduce(1, *))
            return [f(s.input, n), f(s.output, n)]
        case .dropoutForward(let s), .dropoutBackward(let s):
            return [f(s.input, nil), f(s.output, nil), f(s.mask, nil)]
        case .add(let s), .mul(let s): return (s.inputs + [s.output]).map { f($0, nil) }
        case .scale(let s): return [f(s.input, nil), f(s.output, nil)]
        case .mulBackward(let s): return [f(s.a, nil), f(s.b, nil), f(s.gradOutput, nil)] + opt(s.gradA, nil) + opt(s.gradB, nil)
        case .concat(let s), .concatBackward(let s):
            return zip(s.parts, s.channels).map { f($0.0, ps($0.1 * s.spatial)) } + [f(s.whole, ps(s.channels.reduce(0, +) * s.spatial))]
        case .copy(let s): return [f(s.destination, nil)] + opt(s.source, nil)
        case .softmaxForward(let s), .softmaxBackward(let s):
            return [f(s.input, nil), f(s.output, nil)] + opt(s.gradOutput, nil) + opt(s.gradInput, nil)
        case .lossForward(let s):
            return [f(s.input, ps(s.classes)), labelsUse(s), f(s.output, .fixed(1))]
        case .lossBackward(let s):
            return [f(s.input, ps(s.classes)), labelsUse(s), f(s.output, ps(s.classes))]
        case .optimizerUpdate(let s): return [f(s.param, nil), f(s.grad, nil)] + opt(s.state, nil)
        case .weightedSumForward(let s), .weightedSumBackward(let s):
            return s.inputs.map { f($0, nil) } + [f(s.weights, .fixed(s.inputs.count))] + opt(s.output, nil)
                + opt(s.gradOutput, nil) + s.gradInputs.compactMap { $0 }.map { f($0, nil) } + opt(s.gradWeights, .fixed(s.inputs.count))
        }
    }
}
