// Plan <-> protobuf: the executor's plan as the `plan` payload of a NascFile (slots, typed steps, optimizer).

/// Optional slot ids are -1 when absent.
private func o(_ s: SlotID?) -> Int64 { s.map(Int64.init) ?? -1 }
private func opt(_ v: Int64) -> SlotID? { v == -1 ? nil : Int(v) }
private func i(_ v: Int64) -> Int { Int(v) }

extension SlotRole {
    var proto: Nasc_Ir_SlotRole {
        switch self {
        case .input: return .input
        case .labels: return .labels
        case .activation: return .activation
        case .gradient: return .gradient
        case .saved: return .saved
        case .workspace: return .workspace
        case .loss: return .loss
        case .parameter: return .parameter
        case .state: return .state
        case .parameterGradient: return .parameterGradient
        case .optimizerState: return .optimizerState
        }
    }

    init(proto p: Nasc_Ir_SlotRole) throws {
        switch p {
        case .input: self = .input
        case .labels: self = .labels
        case .activation: self = .activation
        case .gradient: self = .gradient
        case .saved: self = .saved
        case .workspace: self = .workspace
        case .loss: self = .loss
        case .parameter: self = .parameter
        case .state: self = .state
        case .parameterGradient: self = .parameterGradient
        case .optimizerState: self = .optimizerState
        case .unspecified: throw ProtoFormatError("slot has no role")
        case .UNRECOGNIZED(let v): throw ProtoFormatError("unknown slot role value \(v)")
        }
    }
}

extension PlanSlot {
    func toProto() -> Nasc_Ir_PlanSlot {
        var p = Nasc_Ir_PlanSlot()
        p.name = name
        p.role = role.proto
        switch type {
        case .f32: p.type = .f32
        case .i64: p.type = .i64
        case .i32: p.type = .i32
        }
        p.perSample = Int64(size.perSample)
        p.fixed = Int64(size.fixed)
        p.region = Int64(region)
        switch initializer {
        case nil: p.init_p = .paramInitUnspecified
        case .zeros?: p.init_p = .paramInitZeros
        case .ones?: p.init_p = .paramInitOnes
        case .kaimingUniform(let f)?: p.init_p = .paramInitKaimingUniform; p.fanIn = Int64(f)
        case .fanInUniform(let f)?: p.init_p = .paramInitFanInUniform; p.fanIn = Int64(f)
        case .box(let lo, let hi)?: p.init_p = .paramInitBox; p.boxLower = lo.map(Int64.init); p.boxUpper = hi.map(Int64.init)
        }
        p.dims = shape.map { if case .fixed(let v) = $0 { return Int64(v) } else { return -1 } }
        if let c = control {
            switch c.kind {
            case .architecture: p.control = .controlArchitecture
            case .gumbelNoise: p.control = .controlGumbelNoise
            case .gumbelInverseTemperature: p.control = .controlGumbelInvTau
            case .gumbelHardOffset: p.control = .controlGumbelHard
            case .gate: p.control = .controlGate
            case .auxiliarySkip: p.control = .controlAuxSkip
            }
            p.controlLabel = c.label
        }
        return p
    }

    init(proto p: Nasc_Ir_PlanSlot) throws {
        let type: SlotType
        switch p.type {
        case .f32: type = .f32
        case .i64: type = .i64
        case .i32: type = .i32
        case .unspecified: throw ProtoFormatError("slot '\(p.name)' has no element type")
        case .UNRECOGNIZED(let v): throw ProtoFormatError("slot '\(p.name)' has unknown element type value \(v)")
        }
        let initializer: ParamInit?
        switch p.init_p {
        case .paramInitUnspecified: initializer = nil
        case .paramInitZeros: initializer = .zeros
        case .paramInitOnes: initializer = .ones
        case .paramInitKaimingUniform: initializer = .kaimingUniform(fanIn: i(p.fanIn))
        case .paramInitFanInUniform: initializer = .fanInUniform(fanIn: i(p.fanIn))
        case .paramInitBox: initializer = .box(lower: p.boxLower.map(i), upper: p.boxUpper.map(i))
        case .UNRECOGNIZED(let v): throw ProtoFormatError("slot '\(p.name)' has unknown initializer value \(v)")
        }
        let shape: [Dim] = try p.dims.map { v in
            if v == -1 { return .batch }
            guard v >= 0 else { throw ProtoFormatError("slot '\(p.name)' has invalid dimension \(v)") }
            return .fixed(Int(v))
        }
        let kind: ControlParameterKind?
        switch p.control {
        case .controlNone: kind = nil
        case .controlArchitecture: kind = .architecture
        case .controlGumbelNoise: kind = .gumbelNoise
        case .controlGumbelInvTau: kind = .gumbelInverseTemperature
        case .controlGumbelHard: kind = .gumbelHardOffset
        case .controlGate: kind = .gate
        case .controlAuxSkip: kind = .auxiliarySkip
        case .UNRECOGNIZED(let v): throw ProtoFormatError("slot '\(p.name)' has unknown control kind value \(v)")
        }
        self.init(name: p.name, role: try SlotRole(proto: p.role), type: type,
                  size: SymbolicSize(perSample: i(p.perSample), fixed: i(p.fixed)), region: i(p.region),
                  initializer: initializer, shape: shape, control: kind.map { ControlParameter($0, label: p.controlLabel) })
    }
}

extension ConvGeometry {
    var proto: Nasc_Ir_ConvGeometry {
        var p = Nasc_Ir_ConvGeometry()
        p.inChannels = Int64(inChannels); p.inHeight = Int64(inHeight); p.inWidth = Int64(inWidth)
        p.outChannels = Int64(outChannels); p.kernel = Int64(kernel); p.stride = Int64(stride)
        p.padding = Int64(padding); p.dilation = Int64(dilation); p.groups = Int64(groups)
        return p
    }
    init(proto p: Nasc_Ir_ConvGeometry) {
        self.init(inChannels: i(p.inChannels), inHeight: i(p.inHeight), inWidth: i(p.inWidth), outChannels: i(p.outChannels),
                  kernel: i(p.kernel), stride: i(p.stride), padding: i(p.padding), dilation: i(p.dilation), groups: i(p.groups))
    }
}

extension PoolGeometry {
    var proto: Nasc_Ir_PoolGeometry {
        var p = Nasc_Ir_PoolGeometry()
        p.channels = Int64(channels); p.inHeight = Int64(inHeight); p.inWidth = Int64(inWidth)
        p.kernel = Int64(kernel); p.stride = Int64(stride); p.padding = Int64(padding)
        return p
    }
    init(proto p: Nasc_Ir_PoolGeometry) {
        self.init(channels: i(p.channels), inHeight: i(p.inHeight), inWidth: i(p.inWidth), kernel: i(p.kernel),
                  stride: i(p.stride), padding: i(p.padding))
    }
}

extension Plan {
    /// The protobuf form.
    func toProto() -> Nasc_Ir_Plan {
        var p = Nasc_Ir_Plan()
        p.version = UInt32(Plan.formatVersion)
        p.name = name
        p.slots = slots.map { $0.toProto() }
        p.steps = steps.map(Self.stepProto)
        p.forwardEnd = Int64(forwardSteps.upperBound)
        p.backwardEnd = Int64(backwardSteps.upperBound)
        p.dataInput = Int64(dataInput)
        p.labelsInput = o(labelsInput)
        p.logits = Int64(logits)
        p.loss = o(loss)
        p.gradients = gradients.map { g in
            var q = Nasc_Ir_ParameterGradient(); q.parameter = Int64(g.parameter); q.gradient = Int64(g.gradient); return q
        }
        if let opt = optimizer {
            var q = Nasc_Ir_OptimizerSpec()
            switch opt {
            case .sgd(let lr, let m, let d, let wd, let n):
                var s = Nasc_Ir_SgdSpec(); s.learningRate = lr; s.momentum = m; s.dampening = d; s.weightDecay = wd; s.nesterov = n
                q.optimizer = .sgd(s)
            case .adam(let lr, let b1, let b2, let eps, let wd, let dec):
                var a = Nasc_Ir_AdamSpec(); a.learningRate = lr; a.beta1 = b1; a.beta2 = b2; a.eps = eps; a.weightDecay = wd; a.decoupled = dec
                q.optimizer = .adam(a)
            }
            p.optimizer = q
        }
        p.selectors = selectors.map { s in var q = Nasc_Ir_PlanSelector(); q.label = s.label; q.candidates = s.candidates; q.gated = s.gated; return q }
        return p
    }

    /// Reads the protobuf form and validates it (``Plan/validate()``), so a decoded plan is safe to run.
    init(proto p: Nasc_Ir_Plan) throws {
        guard p.version == UInt32(Plan.formatVersion) else {
            throw ProtoFormatError("unsupported plan version \(p.version) (this nasc reads version \(Plan.formatVersion))")
        }
        let n = p.steps.count
        guard p.forwardEnd >= 0, p.forwardEnd <= p.backwardEnd, p.backwardEnd <= Int64(n) else {
            throw ProtoFormatError("plan step ranges \(p.forwardEnd), \(p.backwardEnd) do not fit \(n) steps")
        }
        let slots = try p.slots.enumerated().map { k, s in try ProtoFormatError.within("slot \(k)") { try PlanSlot(proto: s) } }
        let steps = try p.steps.enumerated().map { k, s in try ProtoFormatError.within("step \(k)") { try Self.step(proto: s) } }
        var optimizer: OptimizerSpec?
        if p.hasOptimizer {
            switch p.optimizer.optimizer {
            case .sgd(let s)?:
                optimizer = .sgd(learningRate: s.learningRate, momentum: s.momentum, dampening: s.dampening, weightDecay: s.weightDecay,
                                 nesterov: s.nesterov)
            case .adam(let a)?:
                optimizer = .adam(learningRate: a.learningRate, beta1: a.beta1, beta2: a.beta2, eps: a.eps, weightDecay: a.weightDecay,
                                  decoupled: a.decoupled)
            case nil: throw ProtoFormatError("plan optimizer has no kind")
            }
        }
        let f = i(p.forwardEnd), b = i(p.backwardEnd)
        self.init(name: p.name, slots: slots, steps: steps, forwardSteps: 0..<f, backwardSteps: f..<b, updateSteps: b..<n,
                  dataInput: i(p.dataInput), labelsInput: opt(p.labelsInput), logits: i(p.logits), loss: opt(p.loss),
                  gradients: p.gradients.map { ParameterGradient(parameter: i($0.parameter), gradient: i($0.gradient)) },
                  optimizer: optimizer, selectors: p.selectors.map { PlanSelector(label: $0.label, candidates: $0.candidates, gated: $0.gated) })
        do { try validate() } catch let e as DiagnosticError {
            throw ProtoFormatError(e.diagnostics.first?.message ?? "invalid plan")
        }
    }
}
