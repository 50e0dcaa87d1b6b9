// Lower: the `lower` pass — turns a specialized, inlined, shape-inferred root graph into an executable Plan.
import NASCIR

/// Lowers the root graph to a ``Plan`` and stores it in ``PassContext/plan``.
///
/// The graph must be free of choices and calls (run `specialize` and `inline`), fully typed (`shape-infer`),
/// with one f32 data input and, for a loss, one i64 labels input, and with explicit layer weights
/// (`explicit-params`; the `plan-train` and `plan-infer` pipelines run it). If the graph has `param_grad` outputs (from `autodiff`), the plan trains:
/// update steps follow the backward steps, with the optimizer of ``Options`` (spec keys
/// `optimizer=sgd|adam|adamw`, `lr`, `momentum`, `dampening`, `weight_decay`, `nesterov`, `beta1`, `beta2`, `eps`, `decoupled`).
public struct Lower: ConfigurablePass {
    public let name = "lower"
    public let summary = "lower the root graph to an executable plan (steps, slots, optimizer updates)"

    /// The pass's options.
    public struct Options: Sendable, Hashable {
        /// The optimizer of a training plan (default: plain SGD, lr 0.01).
        public var optimizer: OptimizerSpec
        /// Creates options.
        public init(optimizer: OptimizerSpec = .sgd(learningRate: 0.01)) { self.optimizer = optimizer }
    }

    /// This run's options.
    public var options: Options

    /// Creates the pass.
    public init(options: Options = Options()) { self.options = options }

    public static let optionKeys = ["optimizer", "lr", "momentum", "dampening", "weight_decay", "nesterov", "beta1", "beta2",
                                    "eps", "decoupled"]

    /// The optimizer kinds of the `optimizer` key.
    enum OptimizerName: String, CaseIterable { case sgd, adam, adamw }

    public func configured(_ r: inout PassOptionReader) throws -> Lower {
        let kind = try r.choice("optimizer", OptimizerName.self)
        switch (kind, options.optimizer) {
        case (nil, .sgd(let lr, let m, let d, let wd, let n)), (.sgd?, .sgd(let lr, let m, let d, let wd, let n)):
            return Lower(options: Options(optimizer: .sgd(
                learningRate: try r.number("lr") ?? lr, momentum: try r.number("momentum") ?? m, dampening: try r.number("dampening") ?? d,
                weightDecay: try r.number("weight_decay") ?? wd, nesterov: try r.flag("nesterov") ?? n)))
        case (.sgd?, .adam):
            return Lower(options: Options(optimizer: .sgd(
                learningRate: try r.number("lr") ?? 0.01, momentum: try r.number("momentum") ?? 0, dampening: try r.number("dampening") ?? 0,
                weightDecay: try r.number("weight_decay") ?? 0, nesterov: try r.flag("nesterov") ?? false)))
        case (nil, .adam(let lr, let b1, let b2, let eps, let wd, let dec)), (.adam?, .adam(let lr, let b1, let b2, let eps, let wd, let dec)):
            return Lower(options: Options(optimizer: .adam(
                learningRate: try r.number("lr") ?? lr, beta1: try r.number("beta1") ?? b1, beta2: try r.number("beta2") ?? b2,
                eps: try r.number("eps") ?? eps, weightDecay: try r.number("weight_decay") ?? wd, decoupled: try r.flag("decoupled") ?? dec)))
        case (.adam?, .sgd), (.adamw?, _):
            let decoupled = try r.flag("decoupled") ?? false
            return Lower(options: Options(optimizer: .adam(
                learningRate: try r.number("lr") ?? 0.001, beta1: try r.number("beta1") ?? 0.9, beta2: try r.number("beta2") ?? 0.999,
                eps: try r.number("eps") ?? 1e-8, weightDecay: try r.number("weight_decay") ?? 0,
                decoupled: kind == .adamw || decoupled)))
        }
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        do {
            context.plan = try Self.plan(for: space, options: options)
        } catch let e as DiagnosticError {
            for d in e.diagnostics { context.diagnostics.emit(d) }
        } catch let d as Diagnostic {
            context.diagnostics.emit(d)
        }
    }

    /// Lowers `space`'s root graph (its parameters must be explicit). Throws ``DiagnosticError``.
    public static func plan(for space: ModelSpace, options: Options = Options()) throws -> Plan {
        if let root = space.rootGraph {
            let structural = root.nodes.filter { $0.op.isChoice || $0.op.kind == .call }
            if !structural.isEmpty {
                throw DiagnosticError(structural.map {
                    Diagnostic.error("'\($0.op.kind.rawValue)' node '\($0.name)' cannot be lowered (run specialize and inline first)",
                                     at: $0.location)
                })
            }
        }
        var ctx = PassContext()
        guard ExplicitParams.requireExplicit(space, before: "lower", &ctx) else { throw DiagnosticError(ctx.diagnostics.diagnostics) }
        guard let g = space.rootGraph else {
            throw DiagnosticError(Diagnostic.error("model space '\(space.name)' has no root graph '@\(space.root)'"))
        }
        var b = PlanBuilder(graph: g)
        var dataInput: SlotID?, labels: SlotID?
        // The first input is the data (f32, or i64 token ids); labels are a later i64 input, or the f32 targets an mse
        // loss reads (regression).
        let targetInputs = Set(g.nodes.filter { $0.op.kind == .mseLoss && $0.inputs.count == 2 }.map { $0.inputs[1].node })
        for (k, i) in g.inputs.enumerated() {
            let role: SlotRole = k > 0 && (i.type.dtype == .i64 || targetInputs.contains(i.name)) ? .labels : .input
            if role == .labels ? labels != nil : dataInput != nil {
                throw DiagnosticError(Diagnostic.error("graph '@\(g.name)' has more than one \(role == .labels ? "labels" : "data") input",
                                                       at: i.location))
            }
            let s = b.newSlot("%\(i.name)", role, for: i.type)
            b.valueSlots[ValueRef(i.name)] = s
            if role == .labels { labels = s } else { dataInput = s }
        }
        guard let data = dataInput else {
            throw DiagnosticError(Diagnostic.error("graph '@\(g.name)' has no f32 data input", at: g.location))
        }
        var engine = DiagnosticEngine()
        for i in g.nodes.indices {
            do { try b.lowerForward(g.nodes[i]) } catch let d as Diagnostic { engine.emit(d); break }
        }
        try engine.throwIfErrors()

        // The model output: the loss's input if there is a loss, else the first plain output.
        let plainOutputs = g.outputs.filter { r in
            guard let n = b.node(named: r.node) else { return true }
            return !(n.op.kind == .paramGrad || n.op.kind == .softmaxCrossEntropy || n.op.kind == .nllLoss || n.op.kind == .mseLoss)
        }
        guard let outRef = plainOutputs.first ?? b.lossInput, let logits = b.valueSlots[outRef] else {
            throw DiagnosticError(Diagnostic.error("graph '@\(g.name)' has no model output to lower", at: g.location))
        }

        var update: [PlanStep] = []
        var updateScopes: [[CandidateCondition]] = []
        var optimizer: OptimizerSpec?
        if !b.gradients.isEmpty {
            let spec = try Self.validated(options.optimizer)
            optimizer = spec
            for pg in b.gradients {
                let pname = b.slots[pg.parameter].name, size = b.slots[pg.parameter].size
                let state = spec.stateBuffers > 0
                    ? b.newSlot("\(pname)/optimizer_state", .optimizerState, .fixed(spec.stateBuffers * size.fixed),
                                shape: [.fixed(spec.stateBuffers)] + b.slots[pg.parameter].shape)
                    : nil
                update.append(PlanStep(.optimizerUpdate(OptimizerUpdateStep(param: pg.parameter, grad: pg.gradient, state: state)),
                                       node: pname))
                updateScopes.append(b.parameterScopes[pg.parameter] ?? [])
            }
        }
        let f = b.forward.count, bw = b.backward.count
        let plan = Plan(name: space.name, slots: b.slots, steps: b.forward + b.backward + update,
                    forwardSteps: 0..<f, backwardSteps: f..<(f + bw), updateSteps: (f + bw)..<(f + bw + update.count),
                    dataInput: data, labelsInput: labels, logits: logits, loss: b.lossSlot, gradients: b.gradients,
                    optimizer: optimizer)
        return try SupernetGuards.apply(to: plan, graph: g, scopes: b.forwardScopes + b.backwardScopes + updateScopes)
    }

    /// `spec` if every hyperparameter is a finite non-negative number (named as its spec key otherwise).
    static func validated(_ spec: OptimizerSpec) throws -> OptimizerSpec {
        func check(_ key: String, _ v: Double) throws {
            guard v.isFinite, v >= 0 else { throw DiagnosticError(Diagnostic.error("option \(key)=\(v) must be a non-negative number")) }
        }
        switch spec {
        case .sgd(let lr, let m, let d, let wd, _):
            try check("lr", lr); try check("momentum", m); try check("dampening", d); try check("weight_decay", wd)
        case .adam(let lr, let b1, let b2, let eps, let wd, _):
            try check("lr", lr); try check("beta1", b1); try check("beta2", b2); try check("eps", eps); try check("weight_decay", wd)
        }
        return spec
    }
}
