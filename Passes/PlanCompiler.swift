// PlanCompiler: a typed flat model space to an executable plan, through the `plan-train` / `plan-infer` pipelines.
import NASCIR

/// The typed options of the plan pipelines: the `autodiff` and `lower` passes' options and whether to `fuse`.
public struct PlanOptions: Sendable, Hashable {
    /// The loss (`autodiff`).
    public var autodiff: Autodiff.Options
    /// The optimizer of the weights (`lower`).
    public var lower: Lower.Options
    /// Run `fuse` (default true).
    public var fuse: Bool

    /// Creates options.
    public init(optimizer: OptimizerSpec = .sgd(learningRate: 0.01), loss: Autodiff.Loss? = nil, labelSmoothing: Double = 0,
                fuse: Bool = true) {
        autodiff = Autodiff.Options(loss: loss, labelSmoothing: labelSmoothing)
        lower = Lower.Options(optimizer: optimizer)
        self.fuse = fuse
    }

    /// `torch.optim.SGD` with these hyperparameters (PyTorch's defaults apart from the learning rate).
    public static func sgd(lr: Double = 0.01, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                           nesterov: Bool = false) -> PlanOptions {
        PlanOptions(optimizer: .sgd(learningRate: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov))
    }

    /// `torch.optim.Adam` (or AdamW when `decoupled`) with these hyperparameters.
    public static func adam(lr: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0,
                            decoupled: Bool = false) -> PlanOptions {
        PlanOptions(optimizer: .adam(learningRate: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: decoupled))
    }

    /// These options with a different loss.
    public func with(loss: Autodiff.Loss?) -> PlanOptions { var o = self; o.autodiff.loss = loss; return o }

    /// These options with or without `fuse`.
    public func with(fuse: Bool) -> PlanOptions { var o = self; o.fuse = fuse; return o }
}

/// Compiles a fixed (specialized, inlined, shape-inferred) model space to a ``Plan`` with the pass manager.
public enum PlanCompiler {
    /// Runs the plan pipeline (``Pipelines/plan(training:options:memoryPlan:)``: `params`, `autodiff` when `training`,
    /// `fuse`, `lower`, then `memoryPlan` when given) through ``PassManager``, verifying as
    /// ``PassManager/verifiesByDefault`` says. `timer` records each stage's wall time (`--time-passes`).
    /// Throws a ``DiagnosticError``.
    public static func compile(_ space: ModelSpace, training: Bool, options: PlanOptions = PlanOptions(),
                               memoryPlan: MemoryPlan? = nil, timer: PassTimer? = nil) throws -> Plan {
        var space = space
        var context = PassContext()
        let manager = PassManager(compiling: Pipelines.plan(training: training, options: options, memoryPlan: memoryPlan), timer: timer)
        try manager.runOrThrow(on: &space, context: &context)
        guard let plan = context.plan else { throw DiagnosticError(Diagnostic.error("lowering produced no plan")) }
        return plan
    }

    /// The flat, typed subnet of `space` chosen by `architecture` (the `subnet-typed` pipeline).
    public static func subnet(_ space: ModelSpace, _ architecture: Architecture, timer: PassTimer? = nil) throws -> ModelSpace {
        var context = PassContext(architecture: architecture)
        var fixed = space
        try PassManager(compiling: Pipelines.passes("subnet-typed"), timer: timer).runOrThrow(on: &fixed, context: &context)
        return fixed
    }
}
