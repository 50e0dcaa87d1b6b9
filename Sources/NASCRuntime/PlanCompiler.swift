// PlanCompiler: the standard pass pipeline from a specialized, typed model space to an executable plan.
import NASCIR
import NASCPasses

/// Compiles a fixed (specialized, inlined, shape-inferred) model space to a ``Plan``.
public enum PlanCompiler {
    /// Runs `autodiff` (when `training`), `fuse` (unless option `fuse=false`) and `lower`, then any extra passes over
    /// the plan (e.g. `MemoryPlan`). `options` are the pipeline options (`loss`, `label_smoothing`, `optimizer`, `lr`,
    /// `momentum`, `fuse`, ...). `timer` records each stage's wall time (`--time-passes`).
    /// Throws a ``DiagnosticError``.
    public static func compile(_ space: ModelSpace, training: Bool, options: [String: String] = [:],
                               passes extra: [any Pass] = [], timer: PassTimer? = nil) throws -> Plan {
        var space = space
        var context = PassContext(options: options)
        let fuse: [any Pass] = options["fuse"] == "false" ? [] : [Fuse()]
        let pipeline: [any Pass] = (training ? [Autodiff()] : []) + fuse + [Lower()] + extra
        for p in pipeline {
            do { try timer.measure(p.name) { try p.run(on: &space, context: &context) } } catch let e as DiagnosticError { throw e } catch {
                try context.diagnostics.throwIfErrors()
                throw DiagnosticError(Diagnostic.error("pass '\(p.name)' failed: \(error)"))
            }
            try context.diagnostics.throwIfErrors()
        }
        guard let plan = context.plan else { throw DiagnosticError(Diagnostic.error("lowering produced no plan")) }
        return plan
    }
}
