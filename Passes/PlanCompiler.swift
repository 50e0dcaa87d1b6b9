// PlanCompiler: a typed flat model space to an executable plan, through the `plan-train` / `plan-infer` pipelines.
import NASCIR

/// Compiles a fixed (specialized, inlined, shape-inferred) model space to a ``Plan`` with the pass manager.
public enum PlanCompiler {
    /// The plan pipeline's passes: `params`, then `autodiff` (when `training`), `fuse` (unless option `fuse=false`),
    /// `lower`, then `extra` (e.g. `MemoryPlan`): `plan-train` / `plan-infer` when `extra` is `[MemoryPlan()]`.
    public static func passes(training: Bool, options: [String: String] = [:], extra: [any Pass] = []) -> [any Pass] {
        Pipelines.passes("params") + (training ? [Autodiff()] : []) + (options["fuse"] == "false" ? [] : [Fuse()]) + [Lower()] + extra
    }

    /// Runs the plan pipeline (``passes(training:options:extra:)``) through ``PassManager``, verifying as
    /// ``PassManager/verifiesByDefault`` says. `options` are the pipeline options (`loss`, `label_smoothing`,
    /// `optimizer`, `lr`, `momentum`, `fuse`, ...). `timer` records each stage's wall time (`--time-passes`).
    /// Throws a ``DiagnosticError``.
    public static func compile(_ space: ModelSpace, training: Bool, options: [String: String] = [:],
                               passes extra: [any Pass] = [], timer: PassTimer? = nil) throws -> Plan {
        var space = space
        var context = PassContext(options: options)
        let manager = PassManager(compiling: passes(training: training, options: options, extra: extra), timer: timer)
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
