// SupernetCompiler: a whole model space (with its choices) to one trainable one-shot supernet plan, through the
// `supernet-space` and plan pipelines.
import NASCIR

/// Compiles a model space into a supernet ``Plan``: the `supernet-space` pipeline (`supernet`, `inline`,
/// `supernet-values`, `shape-infer`), then ``PlanCompiler`` (`params`, `autodiff` when training, `fuse`, `lower`,
/// extra plan passes). Selector candidates are named after the decisions' candidates (layer choices), values (value
/// choices), depths (repeats) or input indices (input choices).
public enum SupernetCompiler {
    /// The compiled plan. `options` are the plan pipeline's options (the weights' optimizer, the loss); `memoryPlan`
    /// adds the `memory-plan` pass.
    /// Throws a ``DiagnosticError`` for spaces the supernet pass does not support.
    /// `auxSkip` adds the DARTS- auxiliary skip (`aux:skip_beta`) to layer choices with a skip candidate.
    /// `gumbelHard` (gumbel mode) adds the straight-through offsets `gumbel:hard:<label>` (hard GumbelDARTS).
    /// `timer` records each stage's wall time (`--time-passes`).
    public static func compile(_ space: ModelSpace, mode: SupernetMode, training: Bool = true, options: PlanOptions = PlanOptions(),
                               memoryPlan: MemoryPlan? = nil, auxSkip: Bool = false, gumbelHard: Bool = false,
                               timer: PassTimer? = nil) throws -> Plan {
        let fused = try supernetSpace(space, mode: mode, auxSkip: auxSkip, gumbelHard: gumbelHard, timer: timer)
        var plan = try PlanCompiler.compile(fused, training: training, options: options, memoryPlan: memoryPlan, timer: timer)
        let decisions = try? SearchSpace(space)
        for i in plan.selectors.indices {
            let names: [String]
            switch decisions?.decision(plan.selectors[i].label)?.kind {
            case .layerChoice(let n)?: names = n
            case .valueChoice(let vs)?: names = vs.map(\.description)
            case .repeatDepth(let ds)?: names = ds.map(String.init)
            default: continue
            }
            if names.count == plan.selectors[i].candidates.count { plan.selectors[i].candidates = names }
        }
        return plan
    }

    /// The space after the `supernet-space` pipeline (one flat, typed root graph).
    public static func supernetSpace(_ space: ModelSpace, mode: SupernetMode, auxSkip: Bool = false, gumbelHard: Bool = false,
                                     timer: PassTimer? = nil) throws -> ModelSpace {
        var s = space
        var context = PassContext()
        let options = SupernetOptions(mode: mode, auxSkip: auxSkip, gumbelHard: gumbelHard)
        try PassManager(compiling: Pipelines.supernetSpace(options), timer: timer).runOrThrow(on: &s, context: &context)
        return s
    }
}
