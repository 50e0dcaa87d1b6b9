// BudgetDefaults: TPE's start-up count and evolution's population scaled to a known trial budget (`--max-trials`).

/// Defaults that depend on the trial budget. NNI's fixed defaults (TPE: 20 random start-up trials; evolution: a
/// random population of 100, tournaments of 25) make both strategies random search for any budget below 20, resp.
/// 100 trials. When the budget is known, the start-up phase takes about a quarter of it (at least 5, at most NNI's
/// value), so the model or the tournaments guide the other three quarters. Options given explicitly always win:
/// `n_startup_jobs=20` or `population_size=100 sample_size=25` restore NNI's behaviour.
public enum BudgetDefaults {
    /// Strategies whose defaults depend on the budget.
    public static let strategies = ["tpe", "evolution"]

    /// Random trials before the strategy starts learning: a quarter of `budget`, clamped to `5...cap`.
    public static func startup(budget: Int, cap: Int) -> Int { min(cap, max(5, budget / 4)) }

    /// TPE's `n_startup_jobs` for a budget (NNI: 20).
    public static func tpeStartup(budget: Int) -> Int { startup(budget: budget, cap: 20) }

    /// Evolution's `population_size` for a budget (NNI: 100).
    public static func evolutionPopulation(budget: Int) -> Int { startup(budget: budget, cap: 100) }

    /// Evolution's `sample_size` for a population: the whole population, at most NNI's 25. With the small
    /// populations of small budgets a tournament of a third of the population (tried first) selected too weakly:
    /// on 125-architecture synthetic landscapes (3 seeds x 60 runs) the whole-population tournament's mean regret at
    /// 50 trials was 0.004 / 0 / 0 against 0.020 / 0.024 / 0.003 (random: 0.037 / 0.074 / 0.023).
    public static func evolutionSample(population: Int) -> Int { min(population, 25) }

    /// The budget-derived options of strategy `name` that `given` does not set (none for other strategies or
    /// without a budget). Merged into the given options by ``Strategies/make(name:space:seed:options:budget:)``.
    public static func options(strategy name: String, budget: Int?, given: [String: String] = [:]) -> [String: String] {
        guard let budget, budget >= 1 else { return [:] }
        var out: [String: String] = [:]
        switch name {
        case "tpe":
            if given["n_startup_jobs"] == nil { out["n_startup_jobs"] = String(tpeStartup(budget: budget)) }
        case "evolution":
            let population = given["population_size"].flatMap { Int($0.trimmingWhitespace) } ?? evolutionPopulation(budget: budget)
            if given["population_size"] == nil { out["population_size"] = String(population) }
            if given["sample_size"] == nil, population >= 1 { out["sample_size"] = String(evolutionSample(population: population)) }
        default:
            break
        }
        return out
    }

    /// What a strategy that does not scale with the budget does within it (`nasc run` prints it), or `nil`.
    public static func note(strategy name: String, budget: Int?, options: [String: String] = [:]) -> String? {
        guard let budget else { return nil }
        switch name {
        case "grid":
            return "grid does not learn from results: its \(budget) trials are \(budget) distinct architectures in a seeded random order (random search without repeats)"
        case "rl", "policy":
            let ppo = options["algorithm"]?.trimmingWhitespace.lowercased() == "ppo"
            let batch = options["batch_size"].flatMap { Int($0.trimmingWhitespace) }
                ?? (ppo ? PolicyBasedRL.Config.ppoDefaults : PolicyBasedRL.Config()).batchSize
            return "rl updates its policy after every \(batch) successful trials: at most \(budget / max(1, batch)) updates within \(budget) trials, "
                + "so its proposals stay close to uniform at small budgets (see nasc compare)"
        default:
            return nil
        }
    }

    /// `given` completed with the budget-derived options.
    public static func resolve(strategy name: String, budget: Int?, given: [String: String]) -> [String: String] {
        given.merging(options(strategy: name, budget: budget, given: given)) { g, _ in g }
    }
}
