// SupernetCompiler: a whole model space (with its choices) to one trainable one-shot supernet plan, through the
// `supernet-space` and plan pipelines.
import NASCIR

/// Compiles a model space into a supernet ``Plan``: the `supernet-space` pipeline (`supernet`, `inline`,
/// `supernet-values`, `shape-infer`), then ``PlanCompiler`` (`params`, `autodiff` when training, `fuse`, `lower`,
/// extra plan passes). Selector candidates are named after the decisions' candidates (layer choices), values (value
/// choices), depths (repeats) or input indices (input choices).
public enum SupernetCompiler {
    /// The compiled plan. `options` are pipeline options (optimizer of the weights: `optimizer`, `lr`, ...).
    /// Throws a ``DiagnosticError`` for spaces the supernet pass does not support.
    /// `auxSkip` adds the DARTS- auxiliary skip (`aux:skip_beta`) to layer choices with a skip candidate.
    /// `gumbelHard` (gumbel mode) adds the straight-through offsets `gumbel:hard:<label>` (hard GumbelDARTS).
    /// `timer` records each stage's wall time (`--time-passes`).
    public static func compile(_ space: ModelSpace, mode: SupernetMode, training: Bool = true, options: [String: String] = [:],
                               passes extra: [any Pass] = [], auxSkip: Bool = false, gumbelHard: Bool = false,
                               timer: PassTimer? = nil) throws -> Plan {
        let fused = try supernetSpace(space, mode: mode, auxSkip: auxSkip, gumbelHard: gumbelHard, timer: timer)
        var plan = try PlanCompiler.compile(fused, training: training, options: options, passes: extra, timer: timer)
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
        var context = PassContext(options: ["supernet": mode.rawValue, "aux_skip": auxSkip ? "true" : "false",
                                            "gumbel_hard": gumbelHard ? "true" : "false"])
        try PassManager(compiling: Pipelines.passes("supernet-space"), timer: timer).runOrThrow(on: &s, context: &context)
        return s
    }
}
