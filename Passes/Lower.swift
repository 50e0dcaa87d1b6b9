// Lower: the `lower` pass — turns a specialized, inlined, shape-inferred root graph into an executable Plan.
import NASCIR

/// Lowers the root graph to a ``Plan`` and stores it in ``PassContext/plan``.
///
/// The graph must be free of choices and calls (run `specialize` and `inline`), fully typed (`shape-infer`),
/// with one f32 data input and, for a loss, one i64 labels input, and with explicit layer weights
/// (`explicit-params`; the `plan-train` and `plan-infer` pipelines run it). If the graph has `param_grad` outputs (from `autodiff`), the plan trains:
/// update steps follow the backward steps, with the optimizer given by options
/// `optimizer=sgd|adam`, `lr`, `momentum`, `dampening`, `weight_decay`, `nesterov`, `beta1`, `beta2`, `eps`, `decoupled`.
public struct Lower: Pass {
    public let name = "lower"
    public let summary = "lower the root graph to an executable plan (steps, slots, optimizer updates)"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        do {
            context.plan = try Self.plan(for: space, options: context.options)
        } catch let e as DiagnosticError {
            for d in e.diagnostics { context.diagnostics.emit(d) }
        } catch let d as Diagnostic {
            context.diagnostics.emit(d)
        }
    }

    /// Lowers `space`'s root graph (its parameters must be explicit). Throws ``DiagnosticError``.
    public static func plan(for space: ModelSpace, options: [String: String] = [:]) throws -> Plan {
        if let root = space.rootGraph {
            let structural = root.nodes.filter { $0.op.isChoice || $0.op.kind == .call }
            if !structural.isEmpty {
                throw DiagnosticError(structural.map {
                    Diagnostic.error("'\($0.op.kind.rawValue)' node '\($0.name)' cannot be lowered (run specialize and inline first)",
                                     at: $0.location)
                })
            }
        }
        var ctx = PassContext(options: options)
        guard ExplicitParams.requireExplicit(space, before: "lower", &ctx) else { throw DiagnosticError(ctx.diagnostics.diagnostics) }
        guard let g = space.rootGraph else {
            throw DiagnosticError(Diagnostic.error("model space '\(space.name)' has no root graph '@\(space.root)'"))
        }
        var b = PlanBuilder(graph: g)
        var dataInput: SlotID?, labels: SlotID?
        // Labels: an i64 input, or the f32 targets an mse loss reads (regression).
        let targetInputs = Set(g.nodes.filter { $0.op.kind == .mseLoss && $0.inputs.count == 2 }.map { $0.inputs[1].node })
        for i in g.inputs {
            let role: SlotRole = i.type.dtype == .i64 || targetInputs.contains(i.name) ? .labels : .input
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
        for n in g.nodes {
            do { try b.lowerForward(n) } catch let d as Diagnostic { engine.emit(d); break }
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
        var optimizer: OptimizerSpec?
        if !b.gradients.isEmpty {
            let spec = try optimizerSpec(options)
            optimizer = spec
            for pg in b.gradients {
                let pname = b.slots[pg.parameter].name, size = b.slots[pg.parameter].size
                let state = spec.stateBuffers > 0
                    ? b.newSlot("\(pname)/optimizer_state", .optimizerState, .fixed(spec.stateBuffers * size.fixed),
                                shape: [.fixed(spec.stateBuffers)] + b.slots[pg.parameter].shape)
                    : nil
                update.append(PlanStep(.optimizerUpdate(OptimizerUpdateStep(param: pg.parameter, grad: pg.gradient, state: state)),
                                       node: pname))
            }
        }
        let f = b.forward.count, bw = b.backward.count
        let plan = Plan(name: space.name, slots: b.slots, steps: b.forward + b.backward + update,
                    forwardSteps: 0..<f, backwardSteps: f..<(f + bw), updateSteps: (f + bw)..<(f + bw + update.count),
                    dataInput: data, labelsInput: labels, logits: logits, loss: b.lossSlot, gradients: b.gradients,
                    optimizer: optimizer)
        return try SupernetGuards.apply(to: plan, graph: g)
    }

    /// The optimizer from pipeline options (default: plain SGD, lr 0.01).
    static func optimizerSpec(_ o: [String: String]) throws -> OptimizerSpec {
        func num(_ k: String, _ d: Double) throws -> Double {
            guard let s = o[k] else { return d }
            guard let v = Double(s), v.isFinite, v >= 0 else {
                throw DiagnosticError(Diagnostic.error("option \(k)=\(s) must be a non-negative number"))
            }
            return v
        }
        func flag(_ k: String) throws -> Bool {
            guard let s = o[k] else { return false }
            guard s == "true" || s == "false" else { throw DiagnosticError(Diagnostic.error("option \(k)=\(s) must be true or false")) }
            return s == "true"
        }
        switch o["optimizer"] ?? "sgd" {
        case "sgd":
            return .sgd(learningRate: try num("lr", 0.01), momentum: try num("momentum", 0), dampening: try num("dampening", 0),
                        weightDecay: try num("weight_decay", 0), nesterov: try flag("nesterov"))
        case "adam", "adamw":
            let decoupled = try flag("decoupled") || o["optimizer"] == "adamw"
            return .adam(learningRate: try num("lr", 0.001), beta1: try num("beta1", 0.9), beta2: try num("beta2", 0.999),
                         eps: try num("eps", 1e-8), weightDecay: try num("weight_decay", 0),
                         decoupled: decoupled)
        case let other:
            throw DiagnosticError(Diagnostic.error("unknown optimizer '\(other)' (expected sgd, adam or adamw)"))
        }
    }
}
